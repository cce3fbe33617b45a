/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CHAP, MS-CHAP and MS-CHAP-V2 registries: codes and E= errors.  The
 * algorithms are LCP's (lib/ppp/lcp.c), named once.
 */
#include "auth/chap.h"

#include "buf/names.h"
#include "ppp/lcp.h"

/* RFC 1994 §4; 5 and 6 from RFC 2433 §9-10; 7 from RFC 2759 §7. */
static const struct name_entry chap_codes[] = {
	{ CHAP_CHALLENGE, "Challenge" },
	{ CHAP_RESPONSE, "Response" },
	{ CHAP_SUCCESS, "Success" },
	{ CHAP_FAILURE, "Failure" },
	{ CHAP_MSV1_CHANGE_PASSWORD_V1, "Change-Password-v1" },
	{ CHAP_MSV1_CHANGE_PASSWORD_V2, "Change-Password-v2" },
	{ CHAP_MSV2_CHANGE_PASSWORD, "Change-Password" },
};

/* RFC 2433 §8 and RFC 2759 §6 list the same six codes. */
static const struct name_entry chap_ms_errors[] = {
	{ CHAP_MS_ERROR_RESTRICTED_LOGON_HOURS, "ERROR_RESTRICTED_LOGON_HOURS" },
	{ CHAP_MS_ERROR_ACCT_DISABLED, "ERROR_ACCT_DISABLED" },
	{ CHAP_MS_ERROR_PASSWD_EXPIRED, "ERROR_PASSWD_EXPIRED" },
	{ CHAP_MS_ERROR_NO_DIALIN_PERMISSION, "ERROR_NO_DIALIN_PERMISSION" },
	{ CHAP_MS_ERROR_AUTHENTICATION_FAILURE, "ERROR_AUTHENTICATION_FAILURE" },
	{ CHAP_MS_ERROR_CHANGING_PASSWORD, "ERROR_CHANGING_PASSWORD" },
};

static const struct name_entry chap_ms_error_texts[] = {
	{ CHAP_MS_ERROR_RESTRICTED_LOGON_HOURS, "restricted logon hours" },
	{ CHAP_MS_ERROR_ACCT_DISABLED, "account disabled" },
	{ CHAP_MS_ERROR_PASSWD_EXPIRED, "password expired" },
	{ CHAP_MS_ERROR_NO_DIALIN_PERMISSION, "no dial-in permission" },
	{ CHAP_MS_ERROR_AUTHENTICATION_FAILURE, "authentication failure" },
	{ CHAP_MS_ERROR_CHANGING_PASSWORD, "error changing password" },
};

const char *chap_code_name(uint8_t code)
{
	return name_lookup(chap_codes, NAME_TABLE_LEN(chap_codes), code, NULL);
}

/* The Algorithm octet of the LCP Authentication-Protocol option: LCP's table. */
const char *chap_alg_name(uint8_t alg)
{
	return lcp_chap_alg_name(alg);
}

const char *chap_ms_error_name(uint32_t error)
{
	return name_lookup(chap_ms_errors, NAME_TABLE_LEN(chap_ms_errors), error, NULL);
}

const char *chap_ms_error_text(uint32_t error)
{
	return name_lookup(chap_ms_error_texts, NAME_TABLE_LEN(chap_ms_error_texts), error, NULL);
}

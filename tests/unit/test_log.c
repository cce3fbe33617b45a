/* SPDX-License-Identifier: BSD-2-Clause */
#include "base/log.h"
#include "cu.h"

#include <string.h>

static char got[LOG_LINE_MAX];
static int calls;
static enum log_level got_level;

static void capture(void *ctx, enum log_level level, const char *line)
{
	(void)ctx;
	calls++;
	got_level = level;
	strcpy(got, line);
}

static void test_prefix_and_levels(void)
{
	struct log_sink s = { .fn = capture, .max = LOG_LVL_INFO };

	calls = 0;
	log_line(&s, LOG_LVL_INFO, "ctrl=3 call=7 layer=lcp", "event=%s state=%s", "RCR+",
		 "Req-Sent->Ack-Sent");
	CU_ASSERT_EQUAL(calls, 1);
	CU_ASSERT_EQUAL(got_level, LOG_LVL_INFO);
	CU_ASSERT_STRING_EQUAL(got, "ctrl=3 call=7 layer=lcp event=RCR+ state=Req-Sent->Ack-Sent");
	log_line(&s, LOG_LVL_DEBUG, "x", "hidden");
	CU_ASSERT_EQUAL(calls, 1);
	log_line(&s, LOG_LVL_ERR, NULL, "no prefix");
	CU_ASSERT_STRING_EQUAL(got, "no prefix");
	log_line(NULL, LOG_LVL_ERR, "p", "nowhere");
	CU_ASSERT_EQUAL(calls, 2);
	CU_ASSERT_FALSE(log_enabled(NULL, LOG_LVL_ERR));
	CU_ASSERT_STRING_EQUAL(log_level_name(LOG_LVL_WARN), "warn");
}

static void test_long_lines_are_cut(void)
{
	struct log_sink s = { .fn = capture, .max = LOG_LVL_DEBUG };
	char big[2 * LOG_LINE_MAX];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	log_line(&s, LOG_LVL_DEBUG, big, "%s", big);
	CU_ASSERT_EQUAL(strlen(got), LOG_LINE_MAX - 1);
	log_line(&s, LOG_LVL_DEBUG, "p", "%s", big);
	CU_ASSERT_EQUAL(strlen(got), LOG_LINE_MAX - 1);
	CU_ASSERT_EQUAL(strncmp(got, "p a", 3), 0);
}

static const struct cu_case cases[] = {
	{ "prefix and levels", test_prefix_and_levels },
	{ "long lines are cut", test_long_lines_are_cut },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("log", cases, argc, argv);
}

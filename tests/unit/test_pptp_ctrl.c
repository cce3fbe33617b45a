/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PPTP control message codec (RFC 2637 §2): one wire fixture per Control
 * Message Type, encoded, decoded and round-tripped; truncation at every
 * offset; lying Length fields; header errors naming their field; reserved
 * fields and number lengths flagged; text fields; writer overflow; name
 * tables.
 *
 * The SCCRQ, SCCRP, OCRQ, OCRP and SLI fixtures are the messages of
 * tcpdump's tests/pptp-v.out (a Windows client and a PoPToP server, 2000),
 * rebuilt from the field values tcpdump prints; test_capture_checksums
 * proves them octet-exact by reproducing the TCP checksums of the capture.
 * The others are hand-built: each row is one RFC diagram line.  All 15
 * were also read back field by field with tshark's PPTP dissector.
 */
#include "buf/buf.h"
#include "buf/codec.h"
#include "pptp/pptp_ctrl.h"
#include "cu.h"

#include <stdlib.h>
#include <string.h>

/* Zero padding of text fields, in hex. */
#define Z4	"00000000"
#define Z16	Z4 Z4 Z4 Z4
#define Z64	Z16 Z16 Z16 Z16

struct fixture {
	const char *what;
	const char *hex;
	struct pptp_ctrl_msg msg;
};

/* In Control Message Type order: fixtures[t - 1] is type t. */
static const struct fixture fixtures[] = {
	{
		"SCCRQ, Windows client (pptp-v.out frame 5)",
		"009c 0001 1a2b3c4d 0001 0000"	/* Length 156, Control Message, cookie, SCCRQ */
		"0100 0000"			/* Protocol Version 1.0, Reserved1 */
		"00000001"			/* Framing Capabilities: async */
		"00000001"			/* Bearer Capabilities: analog */
		"0000 0870"			/* Maximum Channels 0, Firmware Revision 2160 */
		Z64				/* Host Name "" */
		"4d6963726f736f6674 2057696e646f7773 204e54"	/* "Microsoft Windows NT" */
		Z16 Z16 Z4 Z4 Z4,		/* ... 44 octets of padding */
		{ .type = PPTP_SCCRQ, .u.sccrq = {
			.protocol_version = 0x0100,
			.framing_capabilities = PPTP_FRAMING_CAP_ASYNC,
			.bearer_capabilities = PPTP_BEARER_CAP_ANALOG,
			.maximum_channels = 0,
			.firmware_revision = 2160,
			.host_name = "",
			.vendor_string = "Microsoft Windows NT",
		} },
	},
	{
		"SCCRP, PoPToP (pptp-v.out frame 8)",
		"009c 0001 1a2b3c4d 0002 0000"	/* Length 156, SCCRP */
		"0100 01 00"			/* Protocol Version 1.0, Result 1, Error 0 */
		"00000000"			/* Framing Capability: none */
		"00000000"			/* Bearer Capability: none */
		"0001 0001"			/* Maximum Channels 1, Firmware Revision 1 */
		"6c6f63616c"			/* Host Name "local" */
		"000000" Z4 Z4 Z16 Z16 Z16	/* ... 59 octets of padding */
		"4d6f7265746f6e426179"		/* Vendor String "MoretonBay" */
		"0000" Z4 Z16 Z16 Z16,		/* ... 54 octets of padding */
		{ .type = PPTP_SCCRP, .u.sccrp = {
			.protocol_version = 0x0100,
			.result_code = PPTP_SCCRP_SUCCESS,
			.error_code = PPTP_ERR_NONE,
			.maximum_channels = 1,
			.firmware_revision = 1,
			.host_name = "local",
			.vendor_string = "MoretonBay",
		} },
	},
	{
		"StopCCRQ, Stop-Local-Shutdown",
		"0010 0001 1a2b3c4d 0003 0000"	/* Length 16, StopCCRQ */
		"03 00 0000",			/* Reason 3, Reserved1, Reserved2 */
		{ .type = PPTP_STOPCCRQ, .u.stopccrq = {
			.reason = PPTP_STOPCCRQ_LOCAL_SHUTDOWN,
		} },
	},
	{
		"StopCCRP, OK",
		"0010 0001 1a2b3c4d 0004 0000"	/* Length 16, StopCCRP */
		"01 00 0000",			/* Result Code 1, Error Code 0, Reserved1 */
		{ .type = PPTP_STOPCCRP, .u.stopccrp = {
			.result_code = PPTP_RESULT_OK,
		} },
	},
	{
		"Echo-Request",
		"0010 0001 1a2b3c4d 0005 0000"	/* Length 16, ECHORQ */
		"01020304",			/* Identifier */
		{ .type = PPTP_ECHORQ, .u.echorq = {
			.identifier = 0x01020304,
		} },
	},
	{
		"Echo-Reply, General Error: Not-Connected",
		"0014 0001 1a2b3c4d 0006 0000"	/* Length 20, ECHORP */
		"01020304"			/* Identifier */
		"02 01 0000",			/* Result Code 2, Error Code 1, Reserved1 */
		{ .type = PPTP_ECHORP, .u.echorp = {
			.identifier = 0x01020304,
			.result_code = PPTP_RESULT_GENERAL_ERROR,
			.error_code = PPTP_ERR_NOT_CONNECTED,
		} },
	},
	{
		"OCRQ, Windows client (pptp-v.out frame 10)",
		"00a8 0001 1a2b3c4d 0007 0000"	/* Length 168, OCRQ */
		"0000 7828"			/* Call ID 0, Call Serial Number 30760 */
		"0000012c"			/* Minimum BPS 300 */
		"05f5e100"			/* Maximum BPS 100000000 */
		"00000003"			/* Bearer Type: any */
		"00000003"			/* Framing Type: either */
		"0040 0000"			/* Recv. Window Size 64, Processing Delay 0 */
		"0000 0000"			/* Phone Number Length 0, Reserved1 */
		Z64				/* Phone Number "" */
		Z64,				/* Subaddress "" */
		{ .type = PPTP_OCRQ, .u.ocrq = {
			.call_id = 0,
			.call_serial_number = 30760,
			.minimum_bps = 300,
			.maximum_bps = 100000000,
			.bearer_type = PPTP_BEARER_ANY,
			.framing_type = PPTP_FRAMING_EITHER,
			.packet_recv_window_size = 64,
			.packet_processing_delay = 0,
			.phone_number_length = 0,
		} },
	},
	{
		"OCRP, PoPToP (pptp-v.out frame 13)",
		"0020 0001 1a2b3c4d 0008 0000"	/* Length 32, OCRP */
		"0000 0000"			/* Call ID 0, Peer's Call ID 0 */
		"01 00 0000"			/* Result Code 1, Error Code 0, Cause Code 0 */
		"05f5e100"			/* Connect Speed 100000000 */
		"0040 0000"			/* Recv. Window Size 64, Processing Delay 0 */
		"00000000",			/* Physical Channel ID 0 */
		{ .type = PPTP_OCRP, .u.ocrp = {
			.result_code = PPTP_OCRP_CONNECTED,
			.connect_speed = 100000000,
			.packet_recv_window_size = 64,
		} },
	},
	{
		"ICRQ, digital call from 5551234 to 1723",
		"00dc 0001 1a2b3c4d 0009 0000"	/* Length 220, ICRQ */
		"4001 0007"			/* Call ID 0x4001, Call Serial Number 7 */
		"00000002"			/* Call Bearer Type: digital */
		"00000017"			/* Physical Channel ID 23 */
		"0004 0007"			/* Dialed/Dialing Number Length 4, 7 */
		"31373233"			/* Dialed Number "1723" */
		Z4 Z4 Z4 Z16 Z16 Z16		/* ... 60 octets of padding */
		"35353531323334"		/* Dialing Number "5551234" */
		"00" Z4 Z4 Z16 Z16 Z16		/* ... 57 octets of padding */
		Z64,				/* Subaddress "" */
		{ .type = PPTP_ICRQ, .u.icrq = {
			.call_id = 0x4001,
			.call_serial_number = 7,
			.call_bearer_type = PPTP_BEARER_DIGITAL,
			.physical_channel_id = 23,
			.dialed_number_length = 4,
			.dialing_number_length = 7,
			.dialed_number = "1723",
			.dialing_number = "5551234",
		} },
	},
	{
		"ICRP, Connect",
		"0018 0001 1a2b3c4d 000a 0000"	/* Length 24, ICRP */
		"8001 4001"			/* Call ID 0x8001, Peer's Call ID 0x4001 */
		"01 00 0040"			/* Result Code 1, Error Code 0, Recv. Window 64 */
		"000a 0000",			/* Packet Transmit Delay 1.0 s, Reserved1 */
		{ .type = PPTP_ICRP, .u.icrp = {
			.call_id = 0x8001,
			.peers_call_id = 0x4001,
			.result_code = PPTP_ICRP_CONNECT,
			.packet_recv_window_size = 64,
			.packet_transmit_delay = 10,
		} },
	},
	{
		"ICCN, 64 kbit/s synchronous",
		"001c 0001 1a2b3c4d 000b 0000"	/* Length 28, ICCN */
		"8001 0000"			/* Peer's Call ID 0x8001, Reserved1 */
		"0000fa00"			/* Connect Speed 64000 */
		"0010 0005"			/* Recv. Window Size 16, Transmit Delay 0.5 s */
		"00000002",			/* Framing Type: sync */
		{ .type = PPTP_ICCN, .u.iccn = {
			.peers_call_id = 0x8001,
			.connect_speed = 64000,
			.packet_recv_window_size = 16,
			.packet_transmit_delay = 5,
			.framing_type = PPTP_FRAMING_SYNC,
		} },
	},
	{
		"CCRQ",
		"0010 0001 1a2b3c4d 000c 0000"	/* Length 16, CCRQ */
		"8001 0000",			/* Call ID 0x8001, Reserved1 */
		{ .type = PPTP_CCRQ, .u.ccrq = {
			.call_id = 0x8001,
		} },
	},
	{
		"CDN, Request, with Call Statistics",
		"0094 0001 1a2b3c4d 000d 0000"	/* Length 148, CDN */
		"4001 04 00"			/* Call ID 0x4001, Result Code 4, Error Code 0 */
		"0010 0000"			/* Cause Code 16, Reserved1 */
		"696e3d31323030 206f75743d33343030"	/* Call Statistics "in=1200 out=3400" */
		Z16 Z16 Z16 Z16 Z16 Z16 Z16,	/* ... 112 octets of padding */
		{ .type = PPTP_CDN, .u.cdn = {
			.call_id = 0x4001,
			.result_code = PPTP_CDN_REQUEST,
			.cause_code = 16,
			.call_statistics = "in=1200 out=3400",
		} },
	},
	{
		"WEN, every counter in a different octet",
		"0028 0001 1a2b3c4d 000e 0000"	/* Length 40, WEN */
		"8001 0000"			/* Peer's Call ID 0x8001, Reserved1 */
		"00000001"			/* CRC Errors 1 */
		"00000020"			/* Framing Errors 0x20 */
		"00000300"			/* Hardware Overruns 0x300 */
		"00004000"			/* Buffer Overruns 0x4000 */
		"00050000"			/* Time-out Errors 0x50000 */
		"06000000",			/* Alignment Errors 0x6000000 */
		{ .type = PPTP_WEN, .u.wen = {
			.peers_call_id = 0x8001,
			.crc_errors = 1,
			.framing_errors = 0x20,
			.hardware_overruns = 0x300,
			.buffer_overruns = 0x4000,
			.timeout_errors = 0x50000,
			.alignment_errors = 0x6000000,
		} },
	},
	{
		"SLI, Windows client (pptp-v.out frame 15)",
		"0018 0001 1a2b3c4d 000f 0000"	/* Length 24, SLI */
		"0000 0000"			/* Peer's Call ID 0, Reserved1 */
		"ffffffff"			/* Send ACCM */
		"ffffffff",			/* Receive ACCM */
		{ .type = PPTP_SLI, .u.sli = {
			.send_accm = 0xffffffff,
			.receive_accm = 0xffffffff,
		} },
	},
};

#define N_FIXTURES ARRAY_SIZE(fixtures)
#define BUF_LEN (PPTP_CTRL_MAX_LEN + 64)

static size_t fixture_bytes(const struct fixture *fx, uint8_t out[static BUF_LEN])
{
	memset(out, 0, BUF_LEN);
	return cu_hex(fx->hex, out, BUF_LEN);
}

/* Decode from an exact-size heap copy, so ASan sees any read past len. */
static enum codec_status decode_exact(const uint8_t *p, size_t len, struct pptp_ctrl_msg *m,
				      struct codec_err *err)
{
	uint8_t *copy = malloc(len ? len : 1);
	enum codec_status st;

	CU_ASSERT_FATAL(copy != NULL);
	if (len)
		memcpy(copy, p, len);
	st = pptp_ctrl_decode(copy, len, m, err);
	free(copy);
	return st;
}

/* Every field of got equals want (warn is checked by the callers). */
static void check_msg(const struct pptp_ctrl_msg *got, const struct pptp_ctrl_msg *want)
{
#define EQ(f) CU_ASSERT_EQUAL(g->f, w->f)
#define STR(f) CU_ASSERT_STRING_EQUAL(g->f, w->f)
	CU_ASSERT_EQUAL_FATAL(got->type, want->type);
	CU_ASSERT_EQUAL(got->reserved0, want->reserved0);
	switch (want->type) {
	case PPTP_SCCRQ: {
		const struct pptp_sccrq *g = &got->u.sccrq, *w = &want->u.sccrq;

		EQ(protocol_version); EQ(reserved1); EQ(framing_capabilities);
		EQ(bearer_capabilities); EQ(maximum_channels); EQ(firmware_revision);
		STR(host_name); STR(vendor_string);
		break;
	}
	case PPTP_SCCRP: {
		const struct pptp_sccrp *g = &got->u.sccrp, *w = &want->u.sccrp;

		EQ(protocol_version); EQ(result_code); EQ(error_code); EQ(framing_capability);
		EQ(bearer_capability); EQ(maximum_channels); EQ(firmware_revision);
		STR(host_name); STR(vendor_string);
		break;
	}
	case PPTP_STOPCCRQ: {
		const struct pptp_stopccrq *g = &got->u.stopccrq, *w = &want->u.stopccrq;

		EQ(reason); EQ(reserved1); EQ(reserved2);
		break;
	}
	case PPTP_STOPCCRP: {
		const struct pptp_stopccrp *g = &got->u.stopccrp, *w = &want->u.stopccrp;

		EQ(result_code); EQ(error_code); EQ(reserved1);
		break;
	}
	case PPTP_ECHORQ: {
		const struct pptp_echorq *g = &got->u.echorq, *w = &want->u.echorq;

		EQ(identifier);
		break;
	}
	case PPTP_ECHORP: {
		const struct pptp_echorp *g = &got->u.echorp, *w = &want->u.echorp;

		EQ(identifier); EQ(result_code); EQ(error_code); EQ(reserved1);
		break;
	}
	case PPTP_OCRQ: {
		const struct pptp_ocrq *g = &got->u.ocrq, *w = &want->u.ocrq;

		EQ(call_id); EQ(call_serial_number); EQ(minimum_bps); EQ(maximum_bps);
		EQ(bearer_type); EQ(framing_type); EQ(packet_recv_window_size);
		EQ(packet_processing_delay); EQ(phone_number_length); EQ(reserved1);
		STR(phone_number); STR(subaddress);
		break;
	}
	case PPTP_OCRP: {
		const struct pptp_ocrp *g = &got->u.ocrp, *w = &want->u.ocrp;

		EQ(call_id); EQ(peers_call_id); EQ(result_code); EQ(error_code); EQ(cause_code);
		EQ(connect_speed); EQ(packet_recv_window_size); EQ(packet_processing_delay);
		EQ(physical_channel_id);
		break;
	}
	case PPTP_ICRQ: {
		const struct pptp_icrq *g = &got->u.icrq, *w = &want->u.icrq;

		EQ(call_id); EQ(call_serial_number); EQ(call_bearer_type);
		EQ(physical_channel_id); EQ(dialed_number_length); EQ(dialing_number_length);
		STR(dialed_number); STR(dialing_number); STR(subaddress);
		break;
	}
	case PPTP_ICRP: {
		const struct pptp_icrp *g = &got->u.icrp, *w = &want->u.icrp;

		EQ(call_id); EQ(peers_call_id); EQ(result_code); EQ(error_code);
		EQ(packet_recv_window_size); EQ(packet_transmit_delay); EQ(reserved1);
		break;
	}
	case PPTP_ICCN: {
		const struct pptp_iccn *g = &got->u.iccn, *w = &want->u.iccn;

		EQ(peers_call_id); EQ(reserved1); EQ(connect_speed);
		EQ(packet_recv_window_size); EQ(packet_transmit_delay); EQ(framing_type);
		break;
	}
	case PPTP_CCRQ: {
		const struct pptp_ccrq *g = &got->u.ccrq, *w = &want->u.ccrq;

		EQ(call_id); EQ(reserved1);
		break;
	}
	case PPTP_CDN: {
		const struct pptp_cdn *g = &got->u.cdn, *w = &want->u.cdn;

		EQ(call_id); EQ(result_code); EQ(error_code); EQ(cause_code); EQ(reserved1);
		STR(call_statistics);
		break;
	}
	case PPTP_WEN: {
		const struct pptp_wen *g = &got->u.wen, *w = &want->u.wen;

		EQ(peers_call_id); EQ(reserved1); EQ(crc_errors); EQ(framing_errors);
		EQ(hardware_overruns); EQ(buffer_overruns); EQ(timeout_errors);
		EQ(alignment_errors);
		break;
	}
	case PPTP_SLI: {
		const struct pptp_sli *g = &got->u.sli, *w = &want->u.sli;

		EQ(peers_call_id); EQ(reserved1); EQ(send_accm); EQ(receive_accm);
		break;
	}
	default:
		CU_FAIL("check_msg: unknown type");
	}
#undef EQ
#undef STR
}

static void test_fixtures_cover_every_type(void)
{
	CU_ASSERT_EQUAL(N_FIXTURES, PPTP_CTRL_TYPE_MAX);
	for (size_t i = 0; i < N_FIXTURES; i++) {
		uint8_t b[BUF_LEN];
		size_t n = fixture_bytes(&fixtures[i], b);

		CU_ASSERT_EQUAL(fixtures[i].msg.type, i + 1);
		CU_ASSERT_EQUAL(n, pptp_ctrl_msg_len(fixtures[i].msg.type));
		CU_ASSERT_EQUAL(be16_get(b), n);	/* the fixture's own Length */
	}
}

/* RFC 2637 §2.1-§2.15 sizes, and 0 outside 1..15. */
static void test_message_sizes(void)
{
	static const uint16_t want[] = {
		0, 156, 156, 16, 16, 16, 20, 168, 32, 220, 24, 28, 16, 148, 40, 24, 0,
	};

	for (uint16_t t = 0; t < ARRAY_SIZE(want); t++)
		CU_ASSERT_EQUAL(pptp_ctrl_msg_len(t), want[t]);
	CU_ASSERT_EQUAL(pptp_ctrl_msg_len(0xFFFF), 0);
}

static void test_encode_fixtures(void)
{
	for (size_t i = 0; i < N_FIXTURES; i++) {
		uint8_t want[BUF_LEN], out[BUF_LEN];
		size_t n = fixture_bytes(&fixtures[i], want);
		struct wbuf w;

		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL(pptp_ctrl_encode(&fixtures[i].msg, &w), 0);
		CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), want, n);
	}
}

/* The [derived] prefixes printed in protocol-facts.md §5.1. */
static void test_encode_matches_facts(void)
{
	static const struct {
		uint16_t type;
		const char *hex;
	} facts[] = {
		{ PPTP_SCCRQ, "00 9C 00 01 1A 2B 3C 4D 00 01 00 00 01 00 00 00"
			      "00 00 00 01 00 00 00 01 00 00 08 70 00 00 00 00" },
		{ PPTP_OCRQ, "00 A8 00 01 1A 2B 3C 4D 00 07 00 00 00 00 78 28"
			     "00 00 01 2C 05 F5 E1 00 00 00 00 03 00 00 00 03"
			     "00 40 00 00 00 00 00 00" },
		{ PPTP_OCRP, "00 20 00 01 1A 2B 3C 4D 00 08 00 00 00 00 00 00"
			     "01 00 00 00 05 F5 E1 00 00 40 00 00 00 00 00 00" },
		{ PPTP_SLI, "00 18 00 01 1A 2B 3C 4D 00 0F 00 00 00 00 00 00"
			    "FF FF FF FF FF FF FF FF" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(facts); i++) {
		uint8_t want[BUF_LEN], out[BUF_LEN];
		size_t n = cu_hex(facts[i].hex, want, sizeof(want));
		struct wbuf w;

		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL(pptp_ctrl_encode(&fixtures[facts[i].type - 1].msg, &w), 0);
		CU_ASSERT_TRUE(wbuf_len(&w) >= n);
		CU_ASSERT_BYTES_EQUAL(out, n, want, n);
	}
}

/* RFC 1071 sum, folded but not complemented. */
static uint32_t sum16(const uint8_t *p, size_t n, uint32_t sum)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += be16_get(p + i);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xFFFF) + (sum >> 16);
	return sum;
}

/*
 * tcpdump's tests/pptp-v.out prints each segment's TCP checksum as
 * "(correct)".  Rebuilding the segment around our encoding (pseudo-header,
 * a 20-octet TCP header with PSH|ACK, the sequence numbers of the capture)
 * must give the same checksum: our octets are the ones on the wire.
 */
static void test_capture_checksums(void)
{
	const uint32_t client = 0x0A01010B, server = 0x0A01010A;	/* 10.1.1.11, .10 */
	const uint32_t c_isn = 3648253419u, s_isn = 2339250119u;	/* from the SYNs */
	const struct {
		uint16_t type;
		bool from_client;
		uint32_t seq, ack;
		uint16_t win, want;
	} seg[] = {
		{ PPTP_SCCRQ, true, c_isn + 1, s_isn + 1, 17520, 0x746e },	/* frame 5 */
		{ PPTP_SCCRP, false, s_isn + 1, c_isn + 157, 32120, 0xfcf7 },	/* frame 8 */
		{ PPTP_OCRQ, true, c_isn + 157, s_isn + 157, 17364, 0x1726 },	/* frame 10 */
		{ PPTP_OCRP, false, s_isn + 157, c_isn + 325, 32120, 0x5643 },	/* frame 13 */
		{ PPTP_SLI, true, c_isn + 325, s_isn + 189, 17332, 0x7826 },	/* frame 15 */
	};

	for (size_t i = 0; i < ARRAY_SIZE(seg); i++) {
		uint8_t pkt[12 + 20 + PPTP_CTRL_MAX_LEN];
		size_t seg_len_at;
		struct wbuf w;
		uint16_t sum;

		wbuf_init(&w, pkt, sizeof(pkt));
		/* pseudo-header */
		wbuf_put_be32(&w, seg[i].from_client ? client : server);
		wbuf_put_be32(&w, seg[i].from_client ? server : client);
		wbuf_put_be16(&w, 6);				/* zero, protocol TCP */
		wbuf_reserve(&w, 2, &seg_len_at);
		/* TCP header */
		wbuf_put_be16(&w, seg[i].from_client ? 3025 : PPTP_TCP_PORT);
		wbuf_put_be16(&w, seg[i].from_client ? PPTP_TCP_PORT : 3025);
		wbuf_put_be32(&w, seg[i].seq);
		wbuf_put_be32(&w, seg[i].ack);
		wbuf_put_be16(&w, 0x5018);			/* offset 5, PSH|ACK */
		wbuf_put_be16(&w, seg[i].win);
		wbuf_put_be32(&w, 0);				/* checksum, urgent */
		CU_ASSERT_EQUAL(pptp_ctrl_encode(&fixtures[seg[i].type - 1].msg, &w), 0);
		wbuf_patch_be16(&w, seg_len_at, (uint16_t)(wbuf_len(&w) - 12));
		CU_ASSERT_TRUE_FATAL(wbuf_ok(&w));
		sum = (uint16_t)~sum16(pkt, wbuf_len(&w), 0);
		CU_ASSERT_EQUAL(sum, seg[i].want);
	}
}

static void test_decode_fixtures(void)
{
	for (size_t i = 0; i < N_FIXTURES; i++) {
		uint8_t b[BUF_LEN];
		size_t n = fixture_bytes(&fixtures[i], b);
		struct pptp_ctrl_msg m;
		struct pptp_ctrl_hdr h;
		struct codec_err e = { 0 };

		CU_ASSERT_EQUAL(decode_exact(b, n, &m, &e), CODEC_OK);
		check_msg(&m, &fixtures[i].msg);
		CU_ASSERT_EQUAL(m.warn, 0);
		CU_ASSERT_EQUAL(pptp_ctrl_hdr_decode(b, n, &h, &e), CODEC_OK);
		CU_ASSERT_EQUAL(h.length, n);
		CU_ASSERT_EQUAL(h.type, i + 1);
		CU_ASSERT_EQUAL(h.reserved0, 0);
	}
}

/* encode(decode(bytes)) == bytes and decode(encode(msg)) == msg. */
static void test_round_trip_fixtures(void)
{
	for (size_t i = 0; i < N_FIXTURES; i++) {
		uint8_t b[BUF_LEN], out[BUF_LEN];
		size_t n = fixture_bytes(&fixtures[i], b);
		struct pptp_ctrl_msg m;
		struct wbuf w;

		CU_ASSERT_EQUAL_FATAL(pptp_ctrl_decode(b, n, &m, NULL), CODEC_OK);
		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL(pptp_ctrl_encode(&m, &w), 0);
		CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), b, n);
		CU_ASSERT_EQUAL_FATAL(pptp_ctrl_decode(out, wbuf_len(&w), &m, NULL), CODEC_OK);
		check_msg(&m, &fixtures[i].msg);
	}
}

/*
 * Random bodies behind each valid header: every one decodes (the body of a
 * control message has no invalid values), re-encodes to the same octets
 * except text-field padding after a NUL, and decodes to the same message.
 */
static void test_round_trip_random(void)
{
	unsigned failures = CU_get_number_of_failures();
	uint64_t seed = 0x5eed0001;

	for (size_t i = 0; i < N_FIXTURES; i++) {
		for (int trial = 0; trial < 500; trial++) {
			uint8_t b[BUF_LEN], out[BUF_LEN], again[BUF_LEN];
			size_t n = fixture_bytes(&fixtures[i], b);
			struct pptp_ctrl_msg m, m2;
			struct wbuf w, w2;

			for (size_t k = PPTP_CTRL_HDR_LEN - 2; k < n; k++) {
				uint64_t r = cu_rand(&seed);

				/* mostly printable, some NULs and high octets */
				if (r & 3)
					b[k] = (uint8_t)(0x20 + (r >> 8) % 95);
				else
					b[k] = (uint8_t)(r >> 16);
			}
			CU_ASSERT_EQUAL_FATAL(pptp_ctrl_decode(b, n, &m, NULL), CODEC_OK);
			wbuf_init(&w, out, sizeof(out));
			CU_ASSERT_EQUAL_FATAL(pptp_ctrl_encode(&m, &w), 0);
			CU_ASSERT_EQUAL_FATAL(wbuf_len(&w), n);
			for (size_t k = 0; k < n; k++)
				if (out[k] != b[k] && out[k] != 0) {
					CU_FAIL("re-encoding changed a non-padding octet");
					break;
				}
			CU_ASSERT_EQUAL_FATAL(pptp_ctrl_decode(out, n, &m2, NULL), CODEC_OK);
			check_msg(&m2, &m);
			CU_ASSERT_EQUAL(m2.warn, m.warn);
			wbuf_init(&w2, again, sizeof(again));
			CU_ASSERT_EQUAL(pptp_ctrl_encode(&m2, &w2), 0);
			CU_ASSERT_BYTES_EQUAL(again, wbuf_len(&w2), out, n);
			RETURN_IF_FAILED(failures);
		}
	}
}

/* Every proper prefix of every message is CODEC_TRUNCATED, never more. */
static void test_truncation_every_offset(void)
{
	unsigned failures = CU_get_number_of_failures();

	for (size_t i = 0; i < N_FIXTURES; i++) {
		uint8_t b[BUF_LEN];
		size_t n = fixture_bytes(&fixtures[i], b);

		for (size_t len = 0; len < n; len++) {
			struct pptp_ctrl_msg m;
			struct codec_err e = { 0 };
			struct pptp_ctrl_hdr h;

			CU_ASSERT_EQUAL(decode_exact(b, len, &m, &e), CODEC_TRUNCATED);
			CU_ASSERT_EQUAL(e.status, CODEC_TRUNCATED);
			CU_ASSERT_PTR_NOT_NULL(e.field);
			CU_ASSERT_PTR_NOT_NULL(e.why);
			/* the field that starts at or before the cut, within reach */
			CU_ASSERT_TRUE(e.offset <= len && len - e.offset < PPTP_CALL_STATS_LEN);
			CU_ASSERT_EQUAL(pptp_ctrl_hdr_decode(b, len, &h, NULL),
					len < PPTP_CTRL_HDR_LEN ? CODEC_TRUNCATED : CODEC_OK);
			RETURN_IF_FAILED(failures);
		}
	}
	{
		struct pptp_ctrl_msg m;

		CU_ASSERT_EQUAL(pptp_ctrl_decode(NULL, 0, &m, NULL), CODEC_TRUNCATED);
	}
}

/* The truncation error names the field the data stop in. */
static void test_truncation_names_field(void)
{
	static const struct {
		uint16_t type;
		size_t len;
		size_t offset;
		const char *field;
	} cut[] = {
		{ PPTP_SCCRQ, 0, 0, "Length" },
		{ PPTP_SCCRQ, 1, 0, "Length" },
		{ PPTP_SCCRQ, 3, 2, "PPTP Message Type" },
		{ PPTP_SCCRQ, 7, 4, "Magic Cookie" },
		{ PPTP_SCCRQ, 9, 8, "Control Message Type" },
		{ PPTP_SCCRQ, 11, 10, "Reserved0" },
		{ PPTP_SCCRQ, 12, 12, "Protocol Version" },
		{ PPTP_SCCRQ, 15, 14, "Reserved1" },
		{ PPTP_SCCRQ, 27, 26, "Firmware Revision" },
		{ PPTP_SCCRQ, 28, 28, "Host Name" },
		{ PPTP_SCCRQ, 91, 28, "Host Name" },
		{ PPTP_SCCRQ, 92, 92, "Vendor String" },
		{ PPTP_SCCRQ, 155, 92, "Vendor String" },
		{ PPTP_SCCRP, 14, 14, "Result Code" },
		{ PPTP_SCCRP, 15, 15, "Error Code" },
		{ PPTP_SCCRP, 19, 16, "Framing Capability" },
		{ PPTP_STOPCCRQ, 13, 13, "Reserved1" },
		{ PPTP_STOPCCRQ, 15, 14, "Reserved2" },
		{ PPTP_ECHORQ, 15, 12, "Identifier" },
		{ PPTP_ECHORP, 19, 18, "Reserved1" },
		{ PPTP_OCRQ, 39, 38, "Reserved1" },
		{ PPTP_OCRQ, 167, 104, "Subaddress" },
		{ PPTP_OCRP, 31, 28, "Physical Channel ID" },
		{ PPTP_ICRQ, 100, 92, "Dialing Number" },
		{ PPTP_ICRQ, 219, 156, "Subaddress" },
		{ PPTP_ICRP, 21, 20, "Packet Transmit Delay" },
		{ PPTP_ICCN, 27, 24, "Framing Type" },
		{ PPTP_CCRQ, 13, 12, "Call ID" },
		{ PPTP_CDN, 147, 20, "Call Statistics" },
		{ PPTP_WEN, 39, 36, "Alignment Errors" },
		{ PPTP_SLI, 23, 20, "Receive ACCM" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cut); i++) {
		uint8_t b[BUF_LEN];
		struct pptp_ctrl_msg m;
		struct codec_err e = { 0 };

		fixture_bytes(&fixtures[cut[i].type - 1], b);
		CU_ASSERT_EQUAL(decode_exact(b, cut[i].len, &m, &e), CODEC_TRUNCATED);
		CU_ASSERT_EQUAL(e.offset, cut[i].offset);
		CU_ASSERT_PTR_NOT_NULL_FATAL(e.field);
		CU_ASSERT_STR(e.field, cut[i].field);
	}
}

/*
 * A Length that contradicts the Control Message Type is CODEC_INVALID,
 * whatever the buffer holds: Length 150 or 160 on an SCCRQ names 156.
 */
static void test_lying_length(void)
{
	static const uint16_t lies[] = { 0, 1, 11, 12, 15, 221, 0x0100, 0xFFFF };

	for (size_t i = 0; i < N_FIXTURES; i++) {
		uint8_t b[BUF_LEN];
		size_t n = fixture_bytes(&fixtures[i], b);
		uint16_t near[] = { (uint16_t)(n - 1), (uint16_t)(n + 1), (uint16_t)(n + 4) };

		for (size_t k = 0; k < ARRAY_SIZE(lies) + ARRAY_SIZE(near); k++) {
			uint16_t len = k < ARRAY_SIZE(lies) ? lies[k]
								 : near[k - ARRAY_SIZE(lies)];
			struct pptp_ctrl_msg m;
			struct codec_err e = { 0 };

			be16_put(b, len);
			/* the whole message, or as many octets as Length says */
			CU_ASSERT_EQUAL(decode_exact(b, n, &m, &e), CODEC_INVALID);
			CU_ASSERT_EQUAL(e.offset, 0);
			CU_ASSERT_STR(e.field, "Length");
			if (len >= 2 && len <= BUF_LEN) {
				CU_ASSERT_EQUAL(decode_exact(b, len, &m, &e), CODEC_INVALID);
				CU_ASSERT_STR(e.field, "Length");
			}
		}
	}
}

static void test_lying_length_names_size(void)
{
	uint8_t b[BUF_LEN];
	struct pptp_ctrl_msg m;
	struct codec_err e = { 0 };
	char line[128];

	fixture_bytes(&fixtures[PPTP_SCCRQ - 1], b);
	be16_put(b, 150);
	CU_ASSERT_EQUAL(decode_exact(b, 150, &m, &e), CODEC_INVALID);
	codec_err_format(&e, line, sizeof(line));
	CU_ASSERT_STRING_EQUAL(line, "invalid at offset 0 (Length): "
			       "must be 156 for a Start-Control-Connection-Request");
	be16_put(b, 160);
	CU_ASSERT_EQUAL(decode_exact(b, 156, &m, &e), CODEC_INVALID);
	CU_ASSERT_STR(e.why, "must be 156 for a Start-Control-Connection-Request");
	/* seen as soon as the type is: 10 octets are enough */
	CU_ASSERT_EQUAL(decode_exact(b, 10, &m, &e), CODEC_INVALID);
	CU_ASSERT_STR(e.field, "Length");
	CU_ASSERT_EQUAL(decode_exact(b, 9, &m, &e), CODEC_TRUNCATED);
	/* bounds need only the Length itself */
	be16_put(b, 11);
	CU_ASSERT_EQUAL(decode_exact(b, 2, &m, &e), CODEC_INVALID);
	CU_ASSERT_STR(e.why, "must be at least 12, the size of the header");
	be16_put(b, 221);
	CU_ASSERT_EQUAL(decode_exact(b, 2, &m, &e), CODEC_INVALID);
	CU_ASSERT_STR(e.why, "must be at most 220, the largest control message");
	be16_put(b, 220);
	CU_ASSERT_EQUAL(decode_exact(b, 2, &m, &e), CODEC_TRUNCATED);
}

/*
 * Octets after Length belong to whatever follows the message: the decoder
 * takes one message and refuses them, naming Length at the first extra one.
 */
static void test_trailing_bytes(void)
{
	for (size_t i = 0; i < N_FIXTURES; i++) {
		uint8_t b[BUF_LEN];
		size_t n = fixture_bytes(&fixtures[i], b);
		struct pptp_ctrl_msg m;
		struct codec_err e = { 0 };

		b[n] = 0x00;
		b[n + 1] = 0x9c;
		CU_ASSERT_EQUAL(decode_exact(b, n + 1, &m, &e), CODEC_INVALID);
		CU_ASSERT_EQUAL(e.offset, n);
		CU_ASSERT_STR(e.field, "Length");
		CU_ASSERT_EQUAL(decode_exact(b, n + 2, &m, &e), CODEC_INVALID);
		CU_ASSERT_EQUAL(e.offset, n);
		/* the header alone does not care */
		CU_ASSERT_EQUAL(pptp_ctrl_hdr_decode(b, n + 2, NULL, NULL), CODEC_OK);
	}
}

/* Each broken header field is named, and caught with its own octets. */
static void test_header_errors(void)
{
	static const struct {
		size_t at;		/* offset of the octets to overwrite */
		const char *hex;	/* new octets */
		const char *field;
		size_t offset;
		const char *why;
	} bad[] = {
		{ 2, "0002", "PPTP Message Type", 2,
		  "2 is a Management Message, which RFC 2637 does not define" },
		{ 2, "0000", "PPTP Message Type", 2, "must be 1 (Control Message)" },
		{ 2, "0003", "PPTP Message Type", 2, "must be 1 (Control Message)" },
		{ 2, "0100", "PPTP Message Type", 2, "must be 1 (Control Message)" },
		{ 4, "1a2b3c4e", "Magic Cookie", 4, "must be 0x1A2B3C4D" },
		{ 4, "4d3c2b1a", "Magic Cookie", 4, "must be 0x1A2B3C4D" },
		{ 4, "00000000", "Magic Cookie", 4, "must be 0x1A2B3C4D" },
		{ 8, "0000", "Control Message Type", 8, "unknown; must be 1..15" },
		{ 8, "0010", "Control Message Type", 8, "unknown; must be 1..15" },
		{ 8, "0100", "Control Message Type", 8, "unknown; must be 1..15" },
		{ 8, "ffff", "Control Message Type", 8, "unknown; must be 1..15" },
		/* a known type of another size: the Length is what lies */
		{ 8, "0005", "Length", 0, "must be 16 for an Echo-Request" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		uint8_t b[BUF_LEN], patch[8];
		size_t n = fixture_bytes(&fixtures[PPTP_OCRP - 1], b);
		size_t pn = cu_hex(bad[i].hex, patch, sizeof(patch));
		struct pptp_ctrl_msg m;
		struct codec_err e = { 0 };

		memcpy(b + bad[i].at, patch, pn);
		CU_ASSERT_EQUAL(decode_exact(b, n, &m, &e), CODEC_INVALID);
		CU_ASSERT_EQUAL(e.offset, bad[i].offset);
		CU_ASSERT_STR(e.field, bad[i].field);
		CU_ASSERT_STR(e.why, bad[i].why);
		/* already invalid once the broken field is complete */
		CU_ASSERT_EQUAL(decode_exact(b, bad[i].at + pn, &m, &e), CODEC_INVALID);
		CU_ASSERT_STR(e.field, bad[i].field);
		CU_ASSERT_EQUAL(pptp_ctrl_hdr_decode(b, bad[i].at + pn, NULL, NULL),
				CODEC_INVALID);
		/* and only truncated one octet before */
		CU_ASSERT_EQUAL(decode_exact(b, bad[i].at + pn - 1, &m, &e), CODEC_TRUNCATED);
	}
}

/* Every reserved field of every message, non-zero: decoded, flagged, kept. */
static void test_reserved_flagged(void)
{
	static const struct {
		uint16_t type;
		size_t offset, size;
		uint32_t warn;
	} rsv[] = {
		{ PPTP_SCCRQ, 14, 2, PPTP_WARN_RESERVED1 },
		{ PPTP_STOPCCRQ, 13, 1, PPTP_WARN_RESERVED1 },
		{ PPTP_STOPCCRQ, 14, 2, PPTP_WARN_RESERVED2 },
		{ PPTP_STOPCCRP, 14, 2, PPTP_WARN_RESERVED1 },
		{ PPTP_ECHORP, 18, 2, PPTP_WARN_RESERVED1 },
		{ PPTP_OCRQ, 38, 2, PPTP_WARN_RESERVED1 },
		{ PPTP_ICRP, 22, 2, PPTP_WARN_RESERVED1 },
		{ PPTP_ICCN, 14, 2, PPTP_WARN_RESERVED1 },
		{ PPTP_CCRQ, 14, 2, PPTP_WARN_RESERVED1 },
		{ PPTP_CDN, 18, 2, PPTP_WARN_RESERVED1 },
		{ PPTP_WEN, 14, 2, PPTP_WARN_RESERVED1 },
		{ PPTP_SLI, 14, 2, PPTP_WARN_RESERVED1 },
	};
	size_t n_rsv = ARRAY_SIZE(rsv);

	/* Reserved0 of every type, then the table, each octet of each field */
	for (size_t k = 0; k < N_FIXTURES + n_rsv; k++) {
		uint16_t type = k < N_FIXTURES ? (uint16_t)(k + 1) : rsv[k - N_FIXTURES].type;
		size_t off = k < N_FIXTURES ? 10 : rsv[k - N_FIXTURES].offset;
		size_t size = k < N_FIXTURES ? 2 : rsv[k - N_FIXTURES].size;
		uint32_t warn = k < N_FIXTURES ? PPTP_WARN_RESERVED0 : rsv[k - N_FIXTURES].warn;

		for (size_t octet = 0; octet < size; octet++) {
			uint8_t b[BUF_LEN], out[BUF_LEN];
			size_t n = fixture_bytes(&fixtures[type - 1], b);
			struct pptp_ctrl_msg m;
			struct wbuf w;

			CU_ASSERT_EQUAL(b[off + octet], 0);
			b[off + octet] = 0xA5;
			CU_ASSERT_EQUAL(decode_exact(b, n, &m, NULL), CODEC_OK);
			CU_ASSERT_EQUAL(m.warn, warn);
			/* the value is kept: encoding gives the same octets back */
			wbuf_init(&w, out, sizeof(out));
			CU_ASSERT_EQUAL(pptp_ctrl_encode(&m, &w), 0);
			CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), b, n);
		}
	}
	{
		/* all three of a StopCCRQ at once */
		uint8_t b[BUF_LEN];
		size_t n = cu_hex("0010 0001 1a2b3c4d 0003 8000 01 01 0001", b, sizeof(b));
		struct pptp_ctrl_msg m;

		CU_ASSERT_EQUAL(decode_exact(b, n, &m, NULL), CODEC_OK);
		CU_ASSERT_EQUAL(m.warn,
				PPTP_WARN_RESERVED0 | PPTP_WARN_RESERVED1 | PPTP_WARN_RESERVED2);
		CU_ASSERT_EQUAL(m.reserved0, 0x8000);
		CU_ASSERT_EQUAL(m.u.stopccrq.reason, 1);
		CU_ASSERT_EQUAL(m.u.stopccrq.reserved1, 1);
		CU_ASSERT_EQUAL(m.u.stopccrq.reserved2, 1);
	}
}

/* A number length beyond its 64-octet field is flagged, not refused. */
static void test_number_length_flagged(void)
{
	static const struct {
		uint16_t type;
		size_t offset;
		uint16_t value;
		uint32_t warn;
	} nl[] = {
		{ PPTP_OCRQ, 36, 64, 0 },
		{ PPTP_OCRQ, 36, 65, PPTP_WARN_PHONE_NUMBER_LENGTH },
		{ PPTP_OCRQ, 36, 0xFFFF, PPTP_WARN_PHONE_NUMBER_LENGTH },
		{ PPTP_ICRQ, 24, 64, 0 },
		{ PPTP_ICRQ, 24, 65, PPTP_WARN_DIALED_NUMBER_LENGTH },
		{ PPTP_ICRQ, 26, 64, 0 },
		{ PPTP_ICRQ, 26, 0x4000, PPTP_WARN_DIALING_NUMBER_LENGTH },
	};

	for (size_t i = 0; i < ARRAY_SIZE(nl); i++) {
		uint8_t b[BUF_LEN];
		size_t n = fixture_bytes(&fixtures[nl[i].type - 1], b);
		struct pptp_ctrl_msg m;

		be16_put(b + nl[i].offset, nl[i].value);
		CU_ASSERT_EQUAL(decode_exact(b, n, &m, NULL), CODEC_OK);
		CU_ASSERT_EQUAL(m.warn, nl[i].warn);
	}
}

/*
 * Text fields: bytes kept as they are up to the first NUL; a field with no
 * NUL keeps all 64 (128) octets; padding after the NUL is dropped.
 */
static void test_text_fields(void)
{
	uint8_t b[BUF_LEN], out[BUF_LEN];
	struct pptp_ctrl_msg m;
	struct wbuf w;
	size_t n;

	/* Host Name: 64 octets, no NUL, with control and high octets */
	n = fixture_bytes(&fixtures[PPTP_SCCRQ - 1], b);
	for (size_t k = 0; k < PPTP_HOST_NAME_LEN; k++)
		b[28 + k] = (uint8_t)(k == 0 ? 0x01 : k == 1 ? 0x7f : k == 2 ? 0xff : 'A' + k % 26);
	/* Vendor String: "ab", NUL, then garbage */
	memcpy(b + 92, "ab\0cd\xfe", 6);
	CU_ASSERT_EQUAL(decode_exact(b, n, &m, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(strlen(m.u.sccrq.host_name), PPTP_HOST_NAME_LEN);
	CU_ASSERT_BYTES_EQUAL(m.u.sccrq.host_name, PPTP_HOST_NAME_LEN, b + 28, PPTP_HOST_NAME_LEN);
	CU_ASSERT_STRING_EQUAL(m.u.sccrq.vendor_string, "ab");
	CU_ASSERT_BYTES_EQUAL(m.u.sccrq.vendor_string, 6, "ab\0\0\0\0", 6);	/* not kept */
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(pptp_ctrl_encode(&m, &w), 0);
	CU_ASSERT_BYTES_EQUAL(out, 92, b, 92);
	CU_ASSERT_BYTES_EQUAL(out + 92, 6, "ab\0\0\0\0", 6);

	/* Call Statistics: all 128 octets */
	n = fixture_bytes(&fixtures[PPTP_CDN - 1], b);
	memset(b + 20, 's', PPTP_CALL_STATS_LEN);
	CU_ASSERT_EQUAL(decode_exact(b, n, &m, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(strlen(m.u.cdn.call_statistics), PPTP_CALL_STATS_LEN);

	/* a NUL first: empty */
	n = fixture_bytes(&fixtures[PPTP_ICRQ - 1], b);
	b[28] = 0;
	CU_ASSERT_EQUAL(decode_exact(b, n, &m, NULL), CODEC_OK);
	CU_ASSERT_STRING_EQUAL(m.u.icrq.dialed_number, "");
	CU_ASSERT_STRING_EQUAL(m.u.icrq.dialing_number, "5551234");
}

/* A text member filled to the brim (no NUL) is cut at the field size. */
static void test_encode_text_cut(void)
{
	struct pptp_ctrl_msg m = { .type = PPTP_SCCRQ };
	uint8_t out[BUF_LEN];
	struct wbuf w;

	memset(m.u.sccrq.host_name, 'h', sizeof(m.u.sccrq.host_name));
	memset(m.u.sccrq.vendor_string, 'v', sizeof(m.u.sccrq.vendor_string));
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(pptp_ctrl_encode(&m, &w), 0);
	CU_ASSERT_EQUAL(wbuf_len(&w), 156);
	CU_ASSERT_EQUAL(out[27], 0);
	CU_ASSERT_EQUAL(out[28], 'h');
	CU_ASSERT_EQUAL(out[91], 'h');
	CU_ASSERT_EQUAL(out[92], 'v');
	CU_ASSERT_EQUAL(out[155], 'v');
}

/*
 * An encoder given too little room fails, leaves the writer failed and
 * writes nothing past the capacity; appended after other data, Length
 * counts only the message.
 */
static void test_encode_overflow(void)
{
	for (size_t i = 0; i < N_FIXTURES; i++) {
		size_t n = pptp_ctrl_msg_len(fixtures[i].msg.type);

		for (size_t cap = 0; cap < n; cap++) {
			uint8_t out[BUF_LEN];
			struct wbuf w;

			memset(out, 0xEE, sizeof(out));
			wbuf_init(&w, out, cap);
			CU_ASSERT_EQUAL(pptp_ctrl_encode(&fixtures[i].msg, &w), -1);
			CU_ASSERT_FALSE(wbuf_ok(&w));
			CU_ASSERT_EQUAL(out[cap], 0xEE);
		}
		{
			uint8_t want[BUF_LEN], out[BUF_LEN + 3];
			struct wbuf w;

			fixture_bytes(&fixtures[i], want);
			wbuf_init(&w, out, n + 3);
			wbuf_put_bytes(&w, "abc", 3);
			CU_ASSERT_EQUAL(pptp_ctrl_encode(&fixtures[i].msg, &w), 0);
			CU_ASSERT_EQUAL(wbuf_room(&w), 0);
			CU_ASSERT_BYTES_EQUAL(out + 3, wbuf_len(&w) - 3, want, n);
		}
	}
}

static void test_encode_unknown_type(void)
{
	static const uint16_t types[] = { 0, 16, 0xFFFF };

	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		struct pptp_ctrl_msg m = { .type = types[i] };
		uint8_t out[BUF_LEN];
		struct wbuf w;

		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL(pptp_ctrl_encode(&m, &w), -1);
		CU_ASSERT_EQUAL(wbuf_len(&w), 0);
		CU_ASSERT_FALSE(wbuf_ok(&w));		/* refusal marks the writer (codec.h) */
	}
}

/* ---- names -------------------------------------------------------------- */

static void test_type_names(void)
{
	static const char *const abbrev[] = {
		NULL, "SCCRQ", "SCCRP", "StopCCRQ", "StopCCRP", "ECHORQ", "ECHORP", "OCRQ",
		"OCRP", "ICRQ", "ICRP", "ICCN", "CCRQ", "CDN", "WEN", "SLI",
	};

	for (uint16_t t = 1; t <= PPTP_CTRL_TYPE_MAX; t++) {
		CU_ASSERT_PTR_NOT_NULL(pptp_ctrl_type_name(t));
		CU_ASSERT_PTR_NOT_NULL_FATAL(pptp_ctrl_type_abbrev(t));
		CU_ASSERT_STR(pptp_ctrl_type_abbrev(t), abbrev[t]);
		for (uint16_t u = 1; u < t; u++)
			CU_ASSERT_TRUE(strcmp(pptp_ctrl_type_name(t), pptp_ctrl_type_name(u)) != 0);
	}
	CU_ASSERT_STR(pptp_ctrl_type_name(PPTP_SCCRQ), "Start-Control-Connection-Request");
	CU_ASSERT_STR(pptp_ctrl_type_name(PPTP_ICCN), "Incoming-Call-Connected");
	CU_ASSERT_STR(pptp_ctrl_type_name(PPTP_WEN), "WAN-Error-Notify");
	CU_ASSERT_STR(pptp_ctrl_type_name(PPTP_SLI), "Set-Link-Info");
	CU_ASSERT_PTR_NULL(pptp_ctrl_type_name(0));
	CU_ASSERT_PTR_NULL(pptp_ctrl_type_name(16));
	CU_ASSERT_PTR_NULL(pptp_ctrl_type_abbrev(0));
	CU_ASSERT_PTR_NULL(pptp_ctrl_type_abbrev(16));
	CU_ASSERT_STR(pptp_msg_type_name(1), "Control Message");
	CU_ASSERT_STR(pptp_msg_type_name(2), "Management Message");
	CU_ASSERT_PTR_NULL(pptp_msg_type_name(0));
	CU_ASSERT_PTR_NULL(pptp_msg_type_name(3));
}

/* Every result code of §2.2-§2.13 has a name; nothing else does. */
static void test_result_names(void)
{
	static const uint8_t highest[PPTP_CTRL_TYPE_MAX + 1] = {
		[PPTP_SCCRP] = 5, [PPTP_STOPCCRQ] = 3, [PPTP_STOPCCRP] = 2, [PPTP_ECHORP] = 2,
		[PPTP_OCRP] = 7, [PPTP_ICRP] = 3, [PPTP_CDN] = 4,
	};

	for (uint16_t t = 0; t <= PPTP_CTRL_TYPE_MAX + 1; t++)
		for (unsigned code = 0; code <= 255; code++) {
			unsigned top = t <= PPTP_CTRL_TYPE_MAX ? highest[t] : 0;
			const char *name = pptp_result_name(t, (uint8_t)code);

			CU_ASSERT_EQUAL(name != NULL, code >= 1 && code <= top);
		}
	CU_ASSERT_STR(pptp_result_name(PPTP_OCRP, 4), "Busy");
	CU_ASSERT_STR(pptp_result_name(PPTP_OCRP, 6), "Time-out");
	CU_ASSERT_STR(pptp_result_name(PPTP_OCRP, 7), "Do Not Accept");
	CU_ASSERT_STR(pptp_result_name(PPTP_SCCRP, 1), "Successful channel establishment");
	CU_ASSERT_STR(pptp_result_name(PPTP_STOPCCRQ, 2), "Stop-Protocol");
	CU_ASSERT_STR(pptp_result_name(PPTP_STOPCCRP, 1), "OK");
	CU_ASSERT_STR(pptp_result_name(PPTP_ECHORP, 2), "General Error");
	CU_ASSERT_STR(pptp_result_name(PPTP_ICRP, 1), "Connect");
	CU_ASSERT_STR(pptp_result_name(PPTP_CDN, 1), "Lost Carrier");
	CU_ASSERT_STR(pptp_result_name(PPTP_CDN, 4), "Request");
}

static void test_value_names(void)
{
	static const char *const general[] = {
		"None", "Not-Connected", "Bad-Format", "Bad-Value", "No-Resource", "Bad-Call ID",
		"PAC-Error",
	};
	static const uint32_t warn_bits[] = {
		PPTP_WARN_RESERVED0, PPTP_WARN_RESERVED1, PPTP_WARN_RESERVED2,
		PPTP_WARN_PHONE_NUMBER_LENGTH, PPTP_WARN_DIALED_NUMBER_LENGTH,
		PPTP_WARN_DIALING_NUMBER_LENGTH,
	};

	for (uint8_t c = 0; c < ARRAY_SIZE(general); c++)
		CU_ASSERT_STR(pptp_general_error_name(c), general[c]);
	CU_ASSERT_PTR_NULL(pptp_general_error_name(7));
	CU_ASSERT_PTR_NULL(pptp_general_error_name(255));

	CU_ASSERT_STR(pptp_framing_cap_name(PPTP_FRAMING_CAP_ASYNC), "Asynchronous");
	CU_ASSERT_STR(pptp_framing_cap_name(PPTP_FRAMING_CAP_SYNC), "Synchronous");
	CU_ASSERT_PTR_NULL(pptp_framing_cap_name(3));	/* a set, not a bit */
	CU_ASSERT_PTR_NULL(pptp_framing_cap_name(4));
	CU_ASSERT_STR(pptp_bearer_cap_name(PPTP_BEARER_CAP_ANALOG), "Analog");
	CU_ASSERT_STR(pptp_bearer_cap_name(PPTP_BEARER_CAP_DIGITAL), "Digital");
	CU_ASSERT_PTR_NULL(pptp_bearer_cap_name(0));
	for (uint32_t v = 1; v <= 3; v++) {
		CU_ASSERT_PTR_NOT_NULL(pptp_framing_type_name(v));
		CU_ASSERT_PTR_NOT_NULL(pptp_bearer_type_name(v));
	}
	CU_ASSERT_STR(pptp_framing_type_name(PPTP_FRAMING_EITHER), "Either");
	CU_ASSERT_STR(pptp_bearer_type_name(PPTP_BEARER_ANY), "Any");
	CU_ASSERT_PTR_NULL(pptp_framing_type_name(0));
	CU_ASSERT_PTR_NULL(pptp_framing_type_name(4));
	CU_ASSERT_PTR_NULL(pptp_bearer_type_name(0));
	CU_ASSERT_PTR_NULL(pptp_bearer_type_name(4));

	for (size_t i = 0; i < ARRAY_SIZE(warn_bits); i++)
		CU_ASSERT_PTR_NOT_NULL(pptp_ctrl_warn_name(warn_bits[i]));
	CU_ASSERT_STR(pptp_ctrl_warn_name(PPTP_WARN_RESERVED2), "Reserved2");
	CU_ASSERT_STR(pptp_ctrl_warn_name(PPTP_WARN_PHONE_NUMBER_LENGTH),
			       "Phone Number Length");
	CU_ASSERT_PTR_NULL(pptp_ctrl_warn_name(0));
	CU_ASSERT_PTR_NULL(pptp_ctrl_warn_name(1u << 6));
}

/* Cause Code of OCRP and CDN (§2.8, §2.13): Q.931 cause values, Q.850 names. */
static void test_cause_names(void)
{
	static const struct {
		uint16_t cause;
		const char *name;
	} q850[] = {
		{ 1, "Unallocated (unassigned) number" },
		{ 16, "Normal call clearing" },
		{ 17, "User busy" },
		{ 18, "No user responding" },
		{ 19, "No answer from user (user alerted)" },
		{ 21, "Call rejected" },
		{ 27, "Destination out of order" },
		{ 31, "Normal, unspecified" },
		{ 34, "No circuit/channel available" },
		{ 38, "Network out of order" },
		{ 41, "Temporary failure" },
		{ 42, "Switching equipment congestion" },
		{ 44, "Requested circuit/channel not available" },
		{ 47, "Resource unavailable, unspecified" },
		{ 57, "Bearer capability not authorized" },
		{ 58, "Bearer capability not presently available" },
		{ 65, "Bearer capability not implemented" },
		{ 88, "Incompatible destination" },
		{ 102, "Recovery on timer expiry" },
		{ 111, "Protocol error, unspecified" },
		{ 127, "Interworking, unspecified" },
	};
	unsigned named = 0;

	for (size_t i = 0; i < ARRAY_SIZE(q850); i++)
		CU_ASSERT_STR(pptp_cause_name(q850[i].cause), q850[i].name);
	/* 0 is "no cause" in PPTP, not a Q.931 value; Q.931 values are 7 bits */
	CU_ASSERT_PTR_NULL(pptp_cause_name(0));
	CU_ASSERT_PTR_NULL(pptp_cause_name(128));
	CU_ASSERT_PTR_NULL(pptp_cause_name(0xFFFF));
	for (uint32_t c = 0; c <= UINT16_MAX; c++) {
		const char *name = pptp_cause_name((uint16_t)c);

		if (name) {
			CU_ASSERT_TRUE(c >= 1 && c <= 127 && name[0] != '\0');
			named++;
		}
	}
	CU_ASSERT_TRUE(named >= ARRAY_SIZE(q850));
}

static const struct cu_case cases[] = {
	{ "fixtures cover every type", test_fixtures_cover_every_type },
	{ "message sizes", test_message_sizes },
	{ "encode fixtures", test_encode_fixtures },
	{ "encode matches protocol-facts", test_encode_matches_facts },
	{ "capture checksums", test_capture_checksums },
	{ "decode fixtures", test_decode_fixtures },
	{ "round trip fixtures", test_round_trip_fixtures },
	{ "round trip random bodies", test_round_trip_random },
	{ "truncation at every offset", test_truncation_every_offset },
	{ "truncation names field", test_truncation_names_field },
	{ "lying length", test_lying_length },
	{ "lying length names size", test_lying_length_names_size },
	{ "trailing bytes", test_trailing_bytes },
	{ "header errors", test_header_errors },
	{ "reserved fields flagged", test_reserved_flagged },
	{ "number lengths flagged", test_number_length_flagged },
	{ "text fields", test_text_fields },
	{ "encode cuts text", test_encode_text_cut },
	{ "encode overflow", test_encode_overflow },
	{ "encode unknown type", test_encode_unknown_type },
	{ "type names", test_type_names },
	{ "result names", test_result_names },
	{ "value names", test_value_names },
	{ "Q.931 cause names", test_cause_names },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("pptp_ctrl", cases, argc, argv);
}

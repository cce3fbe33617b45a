/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * capture_synth: write a small synthetic capture with lib/capture's
 * builders, for tests/capture/t_tshark_expect.sh to check against tshark.
 *
 *     capture_synth [--broken] OUT.pcap
 *
 * The capture (Ethernet, 1 ms apart from 2024-01-01 00:00:00 UTC):
 *   1-3   TCP handshake 192.0.2.10:50000 -> 198.51.100.1:1723
 *   4     PNS -> PAC  Start-Control-Connection-Request (156 octets)
 *   5     PAC -> PNS  Start-Control-Connection-Reply (156 octets)
 *   6     PNS -> PAC  ACK
 *   7     PNS -> PAC  GRE seq 0, call 0x1234: LCP Configure-Request
 *   8     PAC -> PNS  GRE ack-only 0, call 0x4321
 *   9     router 203.0.113.1 -> PNS  ICMP Time Exceeded quoting frame 7
 *   10    PAC -> PNS  ICMP protocol unreachable quoting frame 7 (whole datagram)
 *   11-14 FIN from the PNS, ACK, FIN from the PAC, ACK
 * With --broken, frames 5 and 6 get a bad IPv4 header checksum and a bad
 * TCP checksum, and frame 8 a GRE header cut short (IPv4 Total Length
 * shortened to match), so tshark must report them.
 *
 * The PPTP and GRE octets are hand-made fixtures (RFC 2637 §2.1, §2.2,
 * §4.1), not lib/pptp or lib/gre output: this tool tests the capture layer.
 * Exit: 0 written, 1 failure (one line on stderr), 2 usage.
 */
#include <stdio.h>
#include <string.h>

#include "buf/buf.h"
#include "capture/icmp.h"
#include "capture/ipv4.h"
#include "capture/link.h"
#include "capture/pcapio.h"
#include "capture/synth.h"

#define START_USEC 1704067200000000ull	/* 2024-01-01T00:00:00Z */

struct out {
	struct capture_writer cw;
	struct synth_clock clock;
	uint8_t frame[2048];
	struct wbuf w;
};

static struct wbuf *frame_begin(struct out *o)
{
	wbuf_init(&o->w, o->frame, sizeof(o->frame));
	return &o->w;
}

static int frame_end(struct out *o, int built)
{
	if (built < 0) {
		fprintf(stderr, "capture_synth: frame %lu does not fit in %zu octets\n",
			o->cw.frames + 1, sizeof(o->frame));
		return -1;
	}
	if (capture_writer_write(&o->cw, synth_clock_next(&o->clock), o->frame,
				 wbuf_len(&o->w)) < 0) {
		fprintf(stderr, "capture_synth: %s\n", o->cw.err);
		return -1;
	}
	return 0;
}

/* RFC 2637 §2.1 Start-Control-Connection-Request / §2.2 -Reply, 156 octets. */
static size_t pptp_sccrx(uint8_t *buf, size_t cap, int reply, const char *host,
			 const char *vendor)
{
	struct wbuf w;

	wbuf_init(&w, buf, cap);
	wbuf_put_be16(&w, 156);			/* Length */
	wbuf_put_be16(&w, 1);			/* PPTP Message Type: control */
	wbuf_put_be32(&w, 0x1A2B3C4D);		/* Magic Cookie */
	wbuf_put_be16(&w, reply ? 2 : 1);	/* Control Message Type */
	wbuf_put_be16(&w, 0);			/* Reserved0 */
	wbuf_put_be16(&w, 0x0100);		/* Protocol Version 1.0 */
	wbuf_put_u8(&w, reply ? 1 : 0);		/* Result Code (reply) / Reserved1 */
	wbuf_put_u8(&w, 0);			/* Error Code / Reserved1 */
	wbuf_put_be32(&w, 1);			/* Framing Capabilities: async */
	wbuf_put_be32(&w, 1);			/* Bearer Capabilities: analog */
	wbuf_put_be16(&w, reply ? 1 : 0);	/* Maximum Channels */
	wbuf_put_be16(&w, reply ? 1 : 0x0870);	/* Firmware Revision */
	wbuf_put_padded(&w, host, 64);
	wbuf_put_padded(&w, vendor, 64);
	return wbuf_ok(&w) ? wbuf_len(&w) : 0;
}

/* Frame 7's GRE: S set, seq 0, call 0x1234, PPP LCP Configure-Request (id 1). */
static const uint8_t gre_lcp_req[] = {
	0x30, 0x01, 0x88, 0x0B,		/* K S, ver 1; Protocol Type PPP */
	0x00, 0x12, 0x12, 0x34,		/* Key: payload length 18, Call ID 0x1234 */
	0x00, 0x00, 0x00, 0x00,		/* Sequence Number 0 */
	0xFF, 0x03, 0xC0, 0x21,		/* PPP address, control, LCP */
	0x01, 0x01, 0x00, 0x0E,		/* Configure-Request id 1 length 14 */
	0x05, 0x06, 0x02, 0x19, 0x52, 0xCF,	/* Magic-Number 0x021952cf */
	0x07, 0x02,			/* Protocol-Field-Compression */
	0x08, 0x02,			/* Address-and-Control-Field-Compression */
};

/* Frame 8's GRE: A set, S clear, call 0x4321, ack 0. */
static const uint8_t gre_ack[] = {
	0x20, 0x81, 0x88, 0x0B, 0x00, 0x00, 0x43, 0x21, 0x00, 0x00, 0x00, 0x00,
};

static int write_capture(struct out *o, int broken)
{
	struct synth_host pns = {
		.mac = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0A }, .ip = 0xC000020A, .ip_id = 0x1000,
	};
	struct synth_host pac = {
		.mac = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 }, .ip = 0xC6336401, .ip_id = 0x2000,
	};
	struct synth_host router = {
		.mac = { 0x02, 0x00, 0x00, 0x00, 0x00, 0xFE }, .ip = 0xCB007101, .ip_id = 0x3000,
		.ttl = 255,
	};
	const struct synth_endpoint client = { &pns, 50000, 0x11111111 };
	const struct synth_endpoint server = { &pac, 1723, 0x22222222 };
	uint8_t msg[156], gre_frame[128];
	size_t gre_frame_len;
	struct synth_tcp c;
	struct wbuf *w;
	int rc = 0;

	synth_tcp_init(&c, &client, &server);
	rc |= frame_end(o, synth_tcp_syn(&c, frame_begin(o)));
	rc |= frame_end(o, synth_tcp_syn_ack(&c, frame_begin(o)));
	rc |= frame_end(o, synth_tcp_ack(&c, SYNTH_CLIENT, frame_begin(o)));

	rc |= frame_end(o, synth_tcp_data(&c, SYNTH_CLIENT, msg,
					  pptp_sccrx(msg, sizeof(msg), 0, "synth-pns",
						     "pptp-toolkit capture_synth"),
					  frame_begin(o)));
	w = frame_begin(o);
	if (synth_tcp_data(&c, SYNTH_SERVER, msg,
			   pptp_sccrx(msg, sizeof(msg), 1, "synth-pac", "pptp-toolkit"), w) < 0)
		return frame_end(o, -1);
	if (broken)	/* IPv4 Header Checksum, low octet */
		o->frame[ETH_HEADER_LEN + 11] ^= 0x55;
	rc |= frame_end(o, 0);
	w = frame_begin(o);
	if (synth_tcp_ack(&c, SYNTH_CLIENT, w) < 0)
		return frame_end(o, -1);
	if (broken)	/* TCP Checksum, low octet */
		o->frame[ETH_HEADER_LEN + IPV4_HEADER_MIN + 17] ^= 0x55;
	rc |= frame_end(o, 0);

	w = frame_begin(o);
	if (synth_gre_frame(&pns, &pac, gre_lcp_req, sizeof(gre_lcp_req), w) < 0)
		return frame_end(o, -1);
	gre_frame_len = wbuf_len(w);
	memcpy(gre_frame, o->frame, gre_frame_len);
	rc |= frame_end(o, 0);
	rc |= frame_end(o, synth_gre_frame(&pac, &pns, gre_ack, broken ? 6 : sizeof(gre_ack),
					   frame_begin(o)));

	rc |= frame_end(o, synth_icmp_error(&router, &pns, ICMP_TYPE_TIME_EXCEEDED,
					    ICMP_CODE_TTL_EXCEEDED, 0,
					    gre_frame + ETH_HEADER_LEN,
					    gre_frame_len - ETH_HEADER_LEN, 0, frame_begin(o)));
	rc |= frame_end(o, synth_icmp_error(&pac, &pns, ICMP_TYPE_DEST_UNREACH,
					    ICMP_CODE_PROTO_UNREACH, 0,
					    gre_frame + ETH_HEADER_LEN,
					    gre_frame_len - ETH_HEADER_LEN, 576, frame_begin(o)));

	rc |= frame_end(o, synth_tcp_fin(&c, SYNTH_CLIENT, frame_begin(o)));
	rc |= frame_end(o, synth_tcp_ack(&c, SYNTH_SERVER, frame_begin(o)));
	rc |= frame_end(o, synth_tcp_fin(&c, SYNTH_SERVER, frame_begin(o)));
	rc |= frame_end(o, synth_tcp_ack(&c, SYNTH_CLIENT, frame_begin(o)));
	return rc;
}

int main(int argc, char **argv)
{
	static struct out o;
	int broken = 0, rc;
	const char *path;

	if (argc == 3 && strcmp(argv[1], "--broken") == 0)
		broken = 1;
	else if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: capture_synth [--broken] OUT.pcap\n");
		return 2;
	}
	path = argv[argc - 1];
	if (capture_writer_open(&o.cw, path, LINK_ETHERNET, 0) < 0) {
		fprintf(stderr, "capture_synth: %s\n", o.cw.err);
		return 1;
	}
	synth_clock_init(&o.clock, START_USEC, 1000);
	rc = write_capture(&o, broken);
	if (capture_writer_close(&o.cw) < 0) {
		fprintf(stderr, "capture_synth: %s\n", o.cw.err);
		rc = -1;
	}
	return rc ? 1 : 0;
}

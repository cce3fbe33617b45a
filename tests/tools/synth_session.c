/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * synth_session: write a complete PPTP session, built with the core's
 * encoders only, as a pcap file, and beside it the values Wireshark should
 * read from it (frame, display field, value), for tests/tools/tshark-expect.sh.
 *
 *     synth_session OUT.pcap OUT.expect
 *
 * The session, between a PNS (client, 192.0.2.10) and a PAC (server,
 * 198.51.100.1):
 *
 *   TCP 1723 handshake
 *   SCCRQ / SCCRP, OCRQ / OCRP (client Call ID 0x0100, server 0x0080)
 *   GRE (sequence numbers from 0 each way, piggy-backed acks, one ack-only):
 *     LCP Configure-Request both ways (server asks MS-CHAPv2), Configure-Ack both ways
 *     Set-Link-Info on TCP, as Windows sends it once LCP is up
 *     CHAP Challenge / Response / Success with the RFC 2759 §9.2 values
 *       (user "User", password "clientPass"): the Success carries the RFC's S=
 *     CCP Configure-Request/Ack both ways: MPPE 128-bit stateless (H S)
 *     IPCP: the client asks 0.0.0.0 and DNS 0.0.0.0, is Nak'ed to 10.0.0.100
 *       and 10.0.0.53, asks again, is Ack'ed; the client Acks the server
 *     three ICMP echo requests and replies, MPPE-encrypted with the keys of
 *       RFC 3079 §3 derived from that exchange (coherency counts 0, 1, 2)
 *     an ack-only GRE packet; an LCP Echo-Request / Echo-Reply
 *     LCP Terminate-Request / Terminate-Ack
 *   Call-Clear-Request / Call-Disconnect-Notify, StopCCRQ / StopCCRP
 *   TCP FIN both ways
 *
 * Exit status: 0 written, 1 an encoder refused or a file could not be
 * written (one line on stderr says which), 2 usage.
 */
#include "auth/chap.h"
#include "auth/mschap.h"
#include "buf/buf.h"
#include "capture/icmp.h"
#include "capture/ipv4.h"
#include "capture/link.h"
#include "capture/pcapio.h"
#include "capture/synth.h"
#include "gre/gre.h"
#include "mppe/mppe.h"
#include "mppe/mppe_keys.h"
#include "ppp/ccp.h"
#include "ppp/ipcp.h"
#include "ppp/lcp.h"
#include "ppp/ppp_cp.h"
#include "ppp/ppp_frame.h"
#include "pptp/pptp_ctrl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* RFC 2759 §9.2 */
static const char user[] = "User";
static const char password[] = "clientPass";
static const uint8_t auth_challenge[16] = {
	0x5B, 0x5D, 0x7C, 0x7D, 0x7B, 0x3F, 0x2F, 0x3E,
	0x3C, 0x2C, 0x60, 0x21, 0x32, 0x26, 0x26, 0x28,
};
static const uint8_t peer_challenge[16] = {
	0x21, 0x40, 0x23, 0x24, 0x25, 0x5E, 0x26, 0x2A,
	0x28, 0x29, 0x5F, 0x2B, 0x3A, 0x33, 0x7C, 0x7E,
};

enum { CLI = SYNTH_CLIENT, SRV = SYNTH_SERVER };

#define CLIENT_CALL_ID	0x0100
#define SERVER_CALL_ID	0x0080
#define CLIENT_MAGIC	0x11223344u
#define SERVER_MAGIC	0x55667788u
#define CLIENT_TUN_IP	0x0A000064u	/* 10.0.0.100 */
#define SERVER_TUN_IP	0x0A000001u	/* 10.0.0.1 */
#define TUN_DNS		0x0A000035u	/* 10.0.0.53 */

struct session {
	const char *pcap_path;
	struct capture_writer cw;
	FILE *expect;
	struct synth_clock clock;
	struct synth_host host[2];
	struct synth_tcp tcp;
	unsigned long frame;		/* number of the last frame written */
	uint32_t gre_next_seq[2];	/* next GRE sequence number each side sends */
	int64_t gre_rcvd[2];		/* highest sequence number each side received, -1: none */
	int64_t gre_acked[2];		/* highest it has acknowledged */
	struct mppe_tx tx[2];
	struct mppe_rx rx[2];
};

static void die(const char *what)
{
	fprintf(stderr, "synth_session: %s\n", what);
	exit(1);
}

/* One expectation line: frame, field, value. */
static void expect(struct session *s, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void expect(struct session *s, const char *field, const char *fmt, ...)
{
	va_list ap;

	fprintf(s->expect, "%lu\t%s\t", s->frame, field);
	va_start(ap, fmt);
	vfprintf(s->expect, fmt, ap);
	va_end(ap);
	fputc('\n', s->expect);
}

static void expect_ip(struct session *s, const char *field, uint32_t ip)
{
	expect(s, field, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xFF, (ip >> 8) & 0xFF,
	       ip & 0xFF);
}

static void expect_hex(struct session *s, const char *field, const uint8_t *p, size_t n)
{
	fprintf(s->expect, "%lu\t%s\t", s->frame, field);
	for (size_t i = 0; i < n; i++)
		fprintf(s->expect, "%02x", p[i]);
	fputc('\n', s->expect);
}

static void emit(struct session *s, const struct wbuf *w)
{
	if (!wbuf_ok(w))
		die("a frame did not fit its buffer");
	if (capture_writer_write(&s->cw, synth_clock_next(&s->clock), wbuf_data(w),
				 wbuf_len(w)) < 0)
		die(s->cw.err);
	s->frame++;
}

/* ---- TCP 1723 ------------------------------------------------------------ */

enum tcp_kind { TCP_SYN_, TCP_SYN_ACK_, TCP_ACK_, TCP_FIN_ };

static void tcp_segment(struct session *s, int side, enum tcp_kind kind)
{
	static const unsigned flags[] = {
		[TCP_SYN_] = 0x002, [TCP_SYN_ACK_] = 0x012, [TCP_ACK_] = 0x010, [TCP_FIN_] = 0x011,
	};
	uint32_t seq = s->tcp.nxt[side];
	uint8_t buf[256];
	struct wbuf w;
	int rc = -1;

	wbuf_init(&w, buf, sizeof(buf));
	switch (kind) {
	case TCP_SYN_:
		rc = synth_tcp_syn(&s->tcp, &w);
		break;
	case TCP_SYN_ACK_:
		rc = synth_tcp_syn_ack(&s->tcp, &w);
		break;
	case TCP_ACK_:
		rc = synth_tcp_ack(&s->tcp, (enum synth_side)side, &w);
		break;
	case TCP_FIN_:
		rc = synth_tcp_fin(&s->tcp, (enum synth_side)side, &w);
		break;
	}
	if (rc < 0)
		die("a TCP segment did not fit");
	emit(s, &w);
	expect(s, "tcp.srcport", "%u", side == CLI ? 40000 : 1723);
	expect(s, "tcp.flags", "0x%04x", flags[kind]);
	expect(s, "tcp.seq_raw", "%u", seq);
	expect(s, "tcp.len", "0");
}

static void ctrl(struct session *s, int side, const struct pptp_ctrl_msg *m)
{
	uint8_t msg[PPTP_CTRL_MAX_LEN], buf[512];
	struct wbuf mw, w;

	wbuf_init(&mw, msg, sizeof(msg));
	if (pptp_ctrl_encode(m, &mw) < 0)
		die("pptp_ctrl_encode refused a message");
	wbuf_init(&w, buf, sizeof(buf));
	if (synth_tcp_data(&s->tcp, (enum synth_side)side, msg, wbuf_len(&mw), &w) < 0)
		die("synth_tcp_data");
	emit(s, &w);
	expect(s, "tcp.srcport", "%u", side == CLI ? 40000 : 1723);
	expect(s, "pptp.length", "%zu", wbuf_len(&mw));
	expect(s, "pptp.type", "1");
	expect(s, "pptp.magic_cookie", "0x1a2b3c4d");
	expect(s, "pptp.control_message_type", "%u", m->type);
}

static struct pptp_ctrl_msg ctrl_msg(uint16_t type)
{
	struct pptp_ctrl_msg m;

	memset(&m, 0, sizeof(m));
	m.type = type;
	return m;
}

/* ---- GRE and PPP ----------------------------------------------------------- */

/*
 * One GRE packet from side: a payload (PPP frame) with the next sequence
 * number, or none (ack-only); an ack when this side has received something
 * it has not acknowledged yet, or always for an ack-only packet.
 */
static void gre(struct session *s, int side, const uint8_t *payload, size_t len)
{
	int peer = !side;
	struct gre_packet g;
	uint8_t pkt[2048], buf[2200];
	struct wbuf gw, w;

	memset(&g, 0, sizeof(g));
	g.call_id = side == CLI ? SERVER_CALL_ID : CLIENT_CALL_ID;	/* the peer's */
	g.has_seq = payload != NULL;
	g.seq = s->gre_next_seq[side];
	g.has_ack = s->gre_rcvd[side] > s->gre_acked[side] || !payload;
	g.ack = (uint32_t)s->gre_rcvd[side];
	g.payload = payload;
	g.payload_len = len;
	wbuf_init(&gw, pkt, sizeof(pkt));
	if (gre_encode(&g, &gw) < 0)
		die("gre_encode refused a packet");
	wbuf_init(&w, buf, sizeof(buf));
	if (synth_gre_frame(&s->host[side], &s->host[peer], pkt, wbuf_len(&gw), &w) < 0)
		die("synth_gre_frame");
	emit(s, &w);

	expect(s, "ip.proto", "47");
	expect(s, "gre.proto", "0x880b");
	expect(s, "gre.flags.version", "1");
	expect(s, "gre.key.payload_length", "%zu", len);
	expect(s, "gre.key.call_id", "%u", g.call_id);
	if (g.has_seq) {
		expect(s, "gre.sequence_number", "%u", g.seq);
		s->gre_next_seq[side]++;
		s->gre_rcvd[peer] = g.seq;
	} else {
		expect(s, "gre.sequence_number", "%s", "");
	}
	if (g.has_ack) {
		expect(s, "gre.ack_number", "%u", g.ack);
		s->gre_acked[side] = s->gre_rcvd[side];
	} else {
		expect(s, "gre.ack_number", "%s", "");
	}
}

/* A PPP frame (Address/Control and a 2-octet Protocol: nothing compressed) in GRE. */
static void ppp(struct session *s, int side, uint16_t protocol, const uint8_t *info,
		size_t len)
{
	struct ppp_frame f = { .protocol = protocol, .info = info, .info_len = len };
	uint8_t buf[2048];
	struct wbuf w;

	wbuf_init(&w, buf, sizeof(buf));
	if (ppp_frame_encode(&f, &w) < 0)
		die("ppp_frame_encode refused a frame");
	gre(s, side, buf, wbuf_len(&w));
	expect(s, "ppp.address", "0xff");
	expect(s, "ppp.control", "0x03");
	expect(s, "ppp.protocol", "0x%04x", protocol);
}

/* ---- the control protocols ---------------------------------------------- */

struct cp {
	uint8_t buf[512];
	struct wbuf w;
	struct ppp_cp_builder b;
};

static void cp_begin(struct cp *c, uint8_t code, uint8_t id)
{
	wbuf_init(&c->w, c->buf, sizeof(c->buf));
	ppp_cp_build_begin(&c->b, &c->w, code, id);
}

static void cp_send(struct session *s, int side, uint16_t protocol, struct cp *c)
{
	if (ppp_cp_build_end(&c->b) < 0)
		die("a control protocol packet could not be built");
	ppp(s, side, protocol, c->buf, wbuf_len(&c->w));
}

static void lcp_conf(struct session *s, int side, uint8_t code, uint8_t id, bool server_opts)
{
	struct lcp_opt mru = { .type = LCP_OPT_MRU, .mru = 1400 };
	struct lcp_opt auth = {
		.type = LCP_OPT_AUTH_PROTO,
		.auth = { .protocol = LCP_AUTH_CHAP, .algorithm = LCP_CHAP_MSCHAPV2 },
	};
	struct lcp_opt magic = { .type = LCP_OPT_MAGIC };
	struct cp c;

	magic.magic = server_opts ? SERVER_MAGIC : CLIENT_MAGIC;
	cp_begin(&c, code, id);
	lcp_build_opt(&c.b, &mru);
	if (server_opts)
		lcp_build_opt(&c.b, &auth);
	lcp_build_opt(&c.b, &magic);
	cp_send(s, side, PPP_PROTO_LCP, &c);
	expect(s, "ppp.code", "%u", code);
	expect(s, "ppp.identifier", "%u", id);
	expect(s, "lcp.opt.mru", "1400");
	expect(s, "lcp.opt.magic_number", "0x%08x", magic.magic);
	if (server_opts) {
		expect(s, "lcp.opt.auth_protocol", "0xc223");
		expect(s, "lcp.opt.algorithm", "129");
	} else {
		expect(s, "lcp.opt.auth_protocol", "%s", "");
	}
}

static void lcp_echo(struct session *s, int side, uint8_t code, uint8_t id, uint32_t magic)
{
	static const uint8_t data[] = { 'p', 'i', 'n', 'g' };
	struct cp c;

	cp_begin(&c, code, id);
	ppp_cp_build_note(&c.b, wbuf_put_be32(&c.w, magic));
	ppp_cp_build_bytes(&c.b, data, sizeof(data));
	cp_send(s, side, PPP_PROTO_LCP, &c);
	expect(s, "ppp.code", "%u", code);
	expect(s, "ppp.identifier", "%u", id);
	expect(s, "lcp.magic_number", "0x%08x", magic);
	expect_hex(s, "lcp.data", data, sizeof(data));
}

static void lcp_term(struct session *s, int side, uint8_t code, uint8_t id)
{
	static const char reason[] = "User request";
	struct cp c;

	cp_begin(&c, code, id);
	if (code == PPP_CP_TERM_REQ)
		ppp_cp_build_bytes(&c.b, reason, strlen(reason));
	cp_send(s, side, PPP_PROTO_LCP, &c);
	expect(s, "ppp.code", "%u", code);
	expect(s, "ppp.identifier", "%u", id);
	if (code == PPP_CP_TERM_REQ)
		expect_hex(s, "ppp.data", (const uint8_t *)reason, strlen(reason));
	else
		expect(s, "ppp.data", "%s", "");
}

static void ccp_conf(struct session *s, int side, uint8_t code, uint8_t id)
{
	struct ccp_opt mppe = { .type = CCP_OPT_MPPE, .mppe = { .bits = CCP_MPPE_H | CCP_MPPE_S } };
	struct cp c;

	cp_begin(&c, code, id);
	ccp_build_opt(&c.b, &mppe);
	cp_send(s, side, PPP_PROTO_CCP, &c);
	expect(s, "ppp.code", "%u", code);
	expect(s, "ccp.opt.type", "18");
	expect(s, "ccp.opt.supported_bits", "0x%08x", mppe.mppe.bits);
	expect(s, "ccp.opt.supported_bits.h", "1");
	expect(s, "ccp.opt.supported_bits.s", "1");
	expect(s, "ccp.opt.supported_bits.l", "0");
}

static void ipcp_conf(struct session *s, int side, uint8_t code, uint8_t id, uint32_t addr,
		      bool with_dns, uint32_t dns)
{
	struct ipcp_opt a = { .type = IPCP_OPT_IP_ADDRESS, .addr = addr };
	struct ipcp_opt d = { .type = IPCP_OPT_PRIMARY_DNS, .addr = dns };
	struct cp c;

	cp_begin(&c, code, id);
	ipcp_build_opt(&c.b, &a);
	if (with_dns)
		ipcp_build_opt(&c.b, &d);
	cp_send(s, side, PPP_PROTO_IPCP, &c);
	expect(s, "ppp.code", "%u", code);
	expect_ip(s, "ipcp.opt.ip_address", addr);
	if (with_dns)
		expect_ip(s, "ipcp.opt.pri_dns_address", dns);
	else
		expect(s, "ipcp.opt.pri_dns_address", "%s", "");
}

/* ---- CHAP with MS-CHAPv2 (RFC 2759) --------------------------------------- */

static void chap(struct session *s, int side, const struct chap_pkt *m)
{
	uint8_t buf[512];
	struct wbuf w;

	wbuf_init(&w, buf, sizeof(buf));
	if (chap_encode(m, &w) < 0)
		die("chap_encode refused a packet");
	ppp(s, side, PPP_PROTO_CHAP, buf, wbuf_len(&w));
	expect(s, "chap.code", "%u", m->code);
	expect(s, "chap.identifier", "%u", m->id);
}

/* Returns the NT-Response, from which both ends derive the MPPE keys. */
static void chap_exchange(struct session *s, uint8_t nt_response[static 24])
{
	struct chap_value_msv2 v = { .flags = 0 };
	uint8_t value[CHAP_MS_VALUE_LEN], nt_hash[16];
	char auth_resp[MSCHAPV2_AUTH_RESPONSE_LEN + 1], msg[128];
	struct chap_pkt m;
	struct wbuf vw;
	int n;

	memset(&m, 0, sizeof(m));
	m.code = CHAP_CHALLENGE;
	m.id = 1;
	m.value = auth_challenge;
	m.value_len = sizeof(auth_challenge);
	m.name = (const uint8_t *)"synth-pac";
	m.name_len = strlen("synth-pac");
	chap(s, SRV, &m);
	expect(s, "chap.value_size", "16");
	expect_hex(s, "chap.value", auth_challenge, sizeof(auth_challenge));
	expect(s, "chap.name", "synth-pac");

	if (mschapv2_generate_nt_response(auth_challenge, peer_challenge, user, strlen(user),
					  password, strlen(password), nt_response) < 0)
		die("mschapv2_generate_nt_response");
	v.peer_challenge = peer_challenge;
	v.nt_response = nt_response;
	wbuf_init(&vw, value, sizeof(value));
	if (chap_value_msv2_encode(&v, &vw) < 0)
		die("chap_value_msv2_encode");
	memset(&m, 0, sizeof(m));
	m.code = CHAP_RESPONSE;
	m.id = 1;
	m.value = value;
	m.value_len = wbuf_len(&vw);
	m.name = (const uint8_t *)user;
	m.name_len = strlen(user);
	chap(s, CLI, &m);
	expect(s, "chap.value_size", "49");
	expect_hex(s, "chap.value", value, sizeof(value));
	expect(s, "chap.name", "User");

	if (mschap_nt_password_hash(password, strlen(password), nt_hash) < 0)
		die("mschap_nt_password_hash");
	mschapv2_authenticator_response(nt_hash, nt_response, peer_challenge, auth_challenge,
					user, strlen(user), auth_resp);
	n = snprintf(msg, sizeof(msg), "%s M=Access granted", auth_resp);
	memset(&m, 0, sizeof(m));
	m.code = CHAP_SUCCESS;
	m.id = 1;
	m.message = (const uint8_t *)msg;
	m.message_len = (size_t)n;
	chap(s, SRV, &m);
	/* The RFC's value, not ours: tshark must read what RFC 2759 §9.2 prints. */
	expect(s, "chap.message", "S=407A5589115FD0D6209F510FE9C04566932CDA56 M=Access granted");
}

/* ---- MPPE-encrypted IP -------------------------------------------------- */

/* An ICMP echo (type 8 request, 0 reply) inside IPv4, after the PPP protocol 0x0021. */
static size_t icmp_echo(uint8_t *out, size_t cap, uint32_t src, uint32_t dst, uint8_t type,
			uint16_t seq)
{
	struct ipv4_hdr ip = { .id = seq, .ttl = 64, .proto = 1, .src = src, .dst = dst };
	struct icmp_msg icmp = { .type = type, .rest = (uint32_t)0x5054 << 16 | seq };	/* id "PT" */
	uint8_t data[32];
	struct ipv4_mark mark;
	struct wbuf w;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)('a' + i % 26);
	icmp.body = data;
	icmp.body_len = sizeof(data);
	wbuf_init(&w, out, cap);
	wbuf_put_be16(&w, PPP_PROTO_IP);
	if (ipv4_encode_begin(&ip, &w, &mark) < 0 || icmp_encode(&icmp, &w) < 0 ||
	    ipv4_encode_end(&w, &mark) < 0)
		die("ICMP echo did not fit");
	return wbuf_len(&w);
}

static void mppe_data(struct session *s, int side, const uint8_t *plain, size_t len)
{
	uint8_t buf[2048], back[2048];
	struct mppe_plain res;
	struct wbuf w;
	uint16_t ccount;

	wbuf_init(&w, buf, sizeof(buf));
	if (mppe_encrypt(&s->tx[side], plain, len, &w) < 0)
		die("mppe_encrypt");
	ccount = be16_get(buf) & 0x0FFF;
	/* The other end must get the plaintext back, or the keys are wrong. */
	if (mppe_decrypt(&s->rx[!side], buf, wbuf_len(&w), back, sizeof(back), &res) !=
		    MPPE_RX_OK || res.len != len || memcmp(back, plain, len) != 0)
		die("the peer's MPPE context did not decrypt what was sent");
	ppp(s, side, PPP_PROTO_MPPE, buf, wbuf_len(&w));
	(void)ccount;
}

static void mppe_keys(struct session *s, const uint8_t nt_response[static 24])
{
	struct mppe_start_keys server, client;
	uint8_t nt_hash[16];

	if (mschap_nt_password_hash(password, strlen(password), nt_hash) < 0)
		die("mschap_nt_password_hash");
	mppe_chapv2_start_keys(nt_hash, nt_response, MPPE_SERVER, &server);
	mppe_chapv2_start_keys(nt_hash, nt_response, MPPE_CLIENT, &client);
	if (mppe_tx_init(&s->tx[SRV], server.send, MPPE_128BIT, MPPE_STATELESS) < 0 ||
	    mppe_rx_init(&s->rx[SRV], server.recv, MPPE_128BIT, MPPE_STATELESS) < 0 ||
	    mppe_tx_init(&s->tx[CLI], client.send, MPPE_128BIT, MPPE_STATELESS) < 0 ||
	    mppe_rx_init(&s->rx[CLI], client.recv, MPPE_128BIT, MPPE_STATELESS) < 0)
		die("mppe context set-up");
}

/* ---- the session ------------------------------------------------------------ */

static void control_setup(struct session *s)
{
	struct pptp_ctrl_msg m;

	m = ctrl_msg(PPTP_SCCRQ);
	m.u.sccrq.protocol_version = PPTP_PROTOCOL_VERSION;
	m.u.sccrq.framing_capabilities = PPTP_FRAMING_CAP_ASYNC;
	m.u.sccrq.bearer_capabilities = PPTP_BEARER_CAP_ANALOG;
	m.u.sccrq.firmware_revision = 2600;
	strcpy(m.u.sccrq.host_name, "WIN-CLIENT");
	strcpy(m.u.sccrq.vendor_string, "Microsoft Windows NT");
	ctrl(s, CLI, &m);
	expect(s, "pptp.protocol_version", "256");
	expect(s, "pptp.framing_capabilities", "%u", PPTP_FRAMING_CAP_ASYNC);
	expect(s, "pptp.bearer_capabilities", "%u", PPTP_BEARER_CAP_ANALOG);
	expect(s, "pptp.host_name", "WIN-CLIENT");
	expect(s, "pptp.firmware_revision", "2600");
	expect(s, "pptp.maximum_channels", "0");
	expect(s, "pptp.vendor_name", "Microsoft Windows NT");

	m = ctrl_msg(PPTP_SCCRP);
	m.u.sccrp.protocol_version = PPTP_PROTOCOL_VERSION;
	m.u.sccrp.result_code = PPTP_SCCRP_SUCCESS;
	m.u.sccrp.framing_capability = PPTP_FRAMING_CAP_ASYNC;
	m.u.sccrp.bearer_capability = PPTP_BEARER_CAP_ANALOG;
	m.u.sccrp.maximum_channels = 1;
	m.u.sccrp.firmware_revision = 1;
	strcpy(m.u.sccrp.host_name, "synth-pac");
	strcpy(m.u.sccrp.vendor_string, "pptp-toolkit");
	ctrl(s, SRV, &m);
	expect(s, "pptp.control_result", "1");
	expect(s, "pptp.error", "0");
	expect(s, "pptp.framing_capabilities", "%u", PPTP_FRAMING_CAP_ASYNC);
	expect(s, "pptp.bearer_capabilities", "%u", PPTP_BEARER_CAP_ANALOG);
	expect(s, "pptp.maximum_channels", "1");
	expect(s, "pptp.firmware_revision", "1");
	expect(s, "pptp.host_name", "synth-pac");
	expect(s, "pptp.vendor_name", "pptp-toolkit");

	m = ctrl_msg(PPTP_OCRQ);
	m.u.ocrq.call_id = CLIENT_CALL_ID;
	m.u.ocrq.call_serial_number = 30760;
	m.u.ocrq.minimum_bps = 300;
	m.u.ocrq.maximum_bps = 100000000;
	m.u.ocrq.bearer_type = PPTP_BEARER_ANY;
	m.u.ocrq.framing_type = PPTP_FRAMING_EITHER;
	m.u.ocrq.packet_recv_window_size = 64;
	ctrl(s, CLI, &m);
	expect(s, "pptp.call_id", "%u", CLIENT_CALL_ID);
	expect(s, "pptp.call_serial_number", "30760");
	expect(s, "pptp.minimum_bps", "300");
	expect(s, "pptp.maximum_bps", "100000000");
	expect(s, "pptp.packet_receive_window_size", "64");
	expect(s, "pptp.bearer_type", "%u", PPTP_BEARER_ANY);
	expect(s, "pptp.framing_type", "%u", PPTP_FRAMING_EITHER);
	expect(s, "pptp.packet_processing_delay", "0");
	expect(s, "pptp.phone_number_length", "0");

	m = ctrl_msg(PPTP_OCRP);
	m.u.ocrp.call_id = SERVER_CALL_ID;
	m.u.ocrp.peers_call_id = CLIENT_CALL_ID;
	m.u.ocrp.result_code = PPTP_OCRP_CONNECTED;
	m.u.ocrp.connect_speed = 100000000;
	m.u.ocrp.packet_recv_window_size = 64;
	m.u.ocrp.packet_processing_delay = 2;
	m.u.ocrp.physical_channel_id = 7;
	ctrl(s, SRV, &m);
	expect(s, "pptp.call_id", "%u", SERVER_CALL_ID);
	expect(s, "pptp.peer_call_id", "%u", CLIENT_CALL_ID);
	expect(s, "pptp.out_result", "1");
	expect(s, "pptp.error", "0");
	expect(s, "pptp.cause", "0");
	expect(s, "pptp.connect_speed", "100000000");
	expect(s, "pptp.packet_receive_window_size", "64");
	expect(s, "pptp.packet_processing_delay", "2");
	expect(s, "pptp.physical_channel_id", "7");
}

static void control_teardown(struct session *s)
{
	struct pptp_ctrl_msg m;

	m = ctrl_msg(PPTP_CCRQ);
	m.u.ccrq.call_id = CLIENT_CALL_ID;		/* the PNS's (§2.12) */
	ctrl(s, CLI, &m);
	expect(s, "pptp.call_id", "%u", CLIENT_CALL_ID);

	m = ctrl_msg(PPTP_CDN);
	m.u.cdn.call_id = SERVER_CALL_ID;		/* the PAC's (§2.13) */
	m.u.cdn.result_code = PPTP_CDN_REQUEST;
	m.u.cdn.cause_code = 16;			/* Q.931 normal call clearing */
	strcpy(m.u.cdn.call_statistics, "synthetic session");
	ctrl(s, SRV, &m);
	expect(s, "pptp.call_id", "%u", SERVER_CALL_ID);
	expect(s, "pptp.disc_result", "%u", PPTP_CDN_REQUEST);
	expect(s, "pptp.error", "0");
	expect(s, "pptp.cause", "16");
	expect(s, "pptp.call_Statistics", "synthetic session");

	m = ctrl_msg(PPTP_STOPCCRQ);
	m.u.stopccrq.reason = PPTP_STOPCCRQ_NONE;
	ctrl(s, CLI, &m);
	expect(s, "pptp.reason", "%u", PPTP_STOPCCRQ_NONE);

	m = ctrl_msg(PPTP_STOPCCRP);
	m.u.stopccrp.result_code = PPTP_RESULT_OK;
	ctrl(s, SRV, &m);
	expect(s, "pptp.stop_result", "%u", PPTP_RESULT_OK);
	expect(s, "pptp.error", "0");
}

static void link_setup(struct session *s)
{
	uint8_t nt_response[24];
	struct pptp_ctrl_msg m;

	lcp_conf(s, CLI, PPP_CP_CONF_REQ, 1, false);
	lcp_conf(s, SRV, PPP_CP_CONF_REQ, 1, true);
	lcp_conf(s, CLI, PPP_CP_CONF_ACK, 1, true);
	lcp_conf(s, SRV, PPP_CP_CONF_ACK, 1, false);

	m = ctrl_msg(PPTP_SLI);
	m.u.sli.peers_call_id = SERVER_CALL_ID;
	m.u.sli.send_accm = 0xFFFFFFFF;
	m.u.sli.receive_accm = 0xFFFFFFFF;
	ctrl(s, CLI, &m);
	expect(s, "pptp.peer_call_id", "%u", SERVER_CALL_ID);
	expect(s, "pptp.send_accm", "0xffffffff");
	expect(s, "pptp.receive_accm", "0xffffffff");

	chap_exchange(s, nt_response);
	mppe_keys(s, nt_response);

	ccp_conf(s, SRV, PPP_CP_CONF_REQ, 1);
	ccp_conf(s, CLI, PPP_CP_CONF_REQ, 1);
	ccp_conf(s, CLI, PPP_CP_CONF_ACK, 1);
	ccp_conf(s, SRV, PPP_CP_CONF_ACK, 1);

	ipcp_conf(s, SRV, PPP_CP_CONF_REQ, 1, SERVER_TUN_IP, false, 0);
	ipcp_conf(s, CLI, PPP_CP_CONF_REQ, 1, 0, true, 0);
	ipcp_conf(s, SRV, PPP_CP_CONF_NAK, 1, CLIENT_TUN_IP, true, TUN_DNS);
	ipcp_conf(s, CLI, PPP_CP_CONF_ACK, 1, SERVER_TUN_IP, false, 0);
	ipcp_conf(s, CLI, PPP_CP_CONF_REQ, 2, CLIENT_TUN_IP, true, TUN_DNS);
	ipcp_conf(s, SRV, PPP_CP_CONF_ACK, 2, CLIENT_TUN_IP, true, TUN_DNS);
}

static void traffic(struct session *s)
{
	uint8_t plain[256];
	size_t n;

	for (uint16_t seq = 1; seq <= 3; seq++) {
		n = icmp_echo(plain, sizeof(plain), CLIENT_TUN_IP, SERVER_TUN_IP, 8, seq);
		mppe_data(s, CLI, plain, n);
		n = icmp_echo(plain, sizeof(plain), SERVER_TUN_IP, CLIENT_TUN_IP, 0, seq);
		mppe_data(s, SRV, plain, n);
	}
	gre(s, CLI, NULL, 0);				/* ack-only */
	synth_clock_skip(&s->clock, 10 * 1000000);	/* an idle link: keepalive */
	lcp_echo(s, SRV, PPP_CP_ECHO_REQ, 2, SERVER_MAGIC);
	lcp_echo(s, CLI, PPP_CP_ECHO_REPLY, 2, CLIENT_MAGIC);
	lcp_term(s, CLI, PPP_CP_TERM_REQ, 3);
	lcp_term(s, SRV, PPP_CP_TERM_ACK, 3);
}

static void session_write(struct session *s)
{
	struct synth_endpoint ce = { .host = &s->host[CLI], .port = 40000, .isn = 0x10000000 };
	struct synth_endpoint se = { .host = &s->host[SRV], .port = 1723, .isn = 0x20000000 };

	synth_tcp_init(&s->tcp, &ce, &se);
	tcp_segment(s, CLI, TCP_SYN_);
	tcp_segment(s, SRV, TCP_SYN_ACK_);
	tcp_segment(s, CLI, TCP_ACK_);
	control_setup(s);
	link_setup(s);
	traffic(s);
	control_teardown(s);
	tcp_segment(s, CLI, TCP_FIN_);
	tcp_segment(s, SRV, TCP_FIN_);
	tcp_segment(s, CLI, TCP_ACK_);
}

int main(int argc, char **argv)
{
	static const struct synth_host client = {
		.mac = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0A }, .ip = 0xC000020A,	/* 192.0.2.10 */
	};
	static const struct synth_host server = {
		.mac = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 }, .ip = 0xC6336401,	/* 198.51.100.1 */
	};
	struct session s;

	if (argc != 3) {
		fprintf(stderr, "usage: synth_session OUT.pcap OUT.expect\n");
		return 2;
	}
	memset(&s, 0, sizeof(s));
	s.host[CLI] = client;
	s.host[SRV] = server;
	s.gre_rcvd[CLI] = s.gre_rcvd[SRV] = -1;
	s.gre_acked[CLI] = s.gre_acked[SRV] = -1;
	synth_clock_init(&s.clock, 1700000000ull * 1000000, 1000);
	if (capture_writer_open(&s.cw, argv[1], LINK_ETHERNET, CAPTURE_SNAPLEN_DEFAULT) < 0)
		die(s.cw.err);
	s.expect = fopen(argv[2], "w");
	if (!s.expect) {
		fprintf(stderr, "synth_session: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	fprintf(s.expect, "# frame\tfield\tvalue (written by synth_session)\n");
	session_write(&s);
	for (int i = 0; i < 2; i++) {
		mppe_tx_wipe(&s.tx[i]);
		mppe_rx_wipe(&s.rx[i]);
	}
	if (capture_writer_close(&s.cw) < 0)
		die(s.cw.err);
	if (fclose(s.expect) != 0) {
		fprintf(stderr, "synth_session: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	return 0;
}

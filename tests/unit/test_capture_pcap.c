/* SPDX-License-Identifier: BSD-2-Clause */
/* Capture files through libpcap: write/read round trips per link type,
 * snap length, timestamps, pcapng input, and one-line errors that name the
 * file.  Files go to a fresh directory under $TMPDIR (or /tmp). */
#include "buf/buf.h"
#include "capture/link.h"
#include "capture/netpkt.h"
#include "capture/pcapio.h"
#include "capture/synth.h"
#include "cu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[256];

static const char *tmp_path(const char *name)
{
	static char p[512];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

/* The number of times needle occurs in s. */
static int count(const char *s, const char *needle)
{
	int n = 0;

	for (const char *q = s; (q = strstr(q, needle)); q += strlen(needle))
		n++;
	return n;
}

static void test_pcap_round_trip(void)
{
	static const uint64_t ts[] = { 0, 1704067200000001ull, 1704067260999999ull };
	uint8_t frames[3][80];
	struct capture_writer w;
	struct capture_reader r;
	struct capture_frame f;
	const char *path = tmp_path("rt.pcap");

	for (int i = 0; i < 3; i++)
		for (int k = 0; k < 80; k++)
			frames[i][k] = (uint8_t)(i * 80 + k);
	CU_ASSERT_EQUAL_FATAL(capture_writer_open(&w, path, LINK_ETHERNET, 0), 0);
	CU_ASSERT_EQUAL(w.snaplen, CAPTURE_SNAPLEN_DEFAULT);
	for (int i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(capture_writer_write(&w, ts[i], frames[i], 20 + 30 * (size_t)i), 0);
	CU_ASSERT_EQUAL(w.frames, 3);
	CU_ASSERT_EQUAL(capture_writer_close(&w), 0);

	CU_ASSERT_EQUAL_FATAL(capture_reader_open(&r, path), 0);
	CU_ASSERT_EQUAL(r.link, LINK_ETHERNET);
	CU_ASSERT_EQUAL(r.snaplen, CAPTURE_SNAPLEN_DEFAULT);
	for (int i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL_FATAL(capture_reader_next(&r, &f), 1);
		CU_ASSERT_EQUAL(f.number, (unsigned long)i + 1);
		CU_ASSERT_EQUAL(f.ts_usec, ts[i]);
		CU_ASSERT_EQUAL(f.link, LINK_ETHERNET);
		CU_ASSERT_EQUAL(f.caplen, 20 + 30 * (uint32_t)i);
		CU_ASSERT_EQUAL(f.len, 20 + 30 * (uint32_t)i);
		CU_ASSERT_BYTES_EQUAL(f.data, f.caplen, frames[i], 20 + 30 * (size_t)i);
	}
	CU_ASSERT_EQUAL(capture_reader_next(&r, &f), 0);
	CU_ASSERT_EQUAL(capture_reader_next(&r, &f), 0);
	CU_ASSERT_EQUAL(r.frames, 3);
	capture_reader_close(&r);
	capture_reader_close(&r);		/* twice is harmless */
}

/* A frame longer than the snap length keeps its length, loses its tail. */
static void test_pcap_snaplen(void)
{
	static uint8_t frame[100];
	struct capture_writer w;
	struct capture_reader r;
	struct capture_frame f;
	const char *path = tmp_path("snap.pcap");

	memset(frame, 0x5A, sizeof(frame));
	CU_ASSERT_EQUAL_FATAL(capture_writer_open(&w, path, LINK_ETHERNET, 60), 0);
	CU_ASSERT_EQUAL(capture_writer_write(&w, 5, frame, sizeof(frame)), 0);
	CU_ASSERT_EQUAL(capture_writer_write(&w, 6, frame, 60), 0);
	CU_ASSERT_EQUAL(capture_writer_close(&w), 0);
	CU_ASSERT_EQUAL_FATAL(capture_reader_open(&r, path), 0);
	CU_ASSERT_EQUAL(r.snaplen, 60);
	CU_ASSERT_EQUAL(capture_reader_next(&r, &f), 1);
	CU_ASSERT_EQUAL(f.caplen, 60);
	CU_ASSERT_EQUAL(f.len, 100);
	CU_ASSERT_EQUAL(capture_reader_next(&r, &f), 1);
	CU_ASSERT_EQUAL(f.caplen, 60);
	CU_ASSERT_EQUAL(f.len, 60);
	capture_reader_close(&r);
}

/* The file header carries LINKTYPE_ values: 101 for raw IP whatever DLT_RAW is here. */
static void test_pcap_link_types(void)
{
	static const uint32_t links[] = { LINK_ETHERNET, LINK_RAW, LINK_LINUX_SLL, LINK_IPV4 };
	struct capture_writer w;
	struct capture_reader r;
	struct capture_frame f;

	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		const char *path = tmp_path("link.pcap");
		uint8_t hdr[24], frame[28] = { 0x45 };
		FILE *fp;

		CU_ASSERT_EQUAL_FATAL(capture_writer_open(&w, path, links[i], 0), 0);
		CU_ASSERT_EQUAL(capture_writer_write(&w, 1, frame, sizeof(frame)), 0);
		CU_ASSERT_EQUAL(capture_writer_close(&w), 0);
		fp = fopen(path, "rb");
		CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
		CU_ASSERT_EQUAL(fread(hdr, 1, sizeof(hdr), fp), sizeof(hdr));
		fclose(fp);
		/* written in host order: magic a1b2c3d4 tells which */
		if (hdr[0] == 0xd4) {
			CU_ASSERT_EQUAL((uint32_t)hdr[20] | (uint32_t)hdr[21] << 8, links[i]);
		} else {
			CU_ASSERT_EQUAL(be16_get(hdr + 22), links[i]);
		}
		CU_ASSERT_EQUAL_FATAL(capture_reader_open(&r, path), 0);
		CU_ASSERT_EQUAL(r.link, links[i]);
		CU_ASSERT_EQUAL(capture_reader_next(&r, &f), 1);
		CU_ASSERT_EQUAL(f.link, links[i]);
		capture_reader_close(&r);
	}
	CU_ASSERT_EQUAL(capture_linktype_from_dlt(capture_dlt_from_linktype(LINK_RAW)), LINK_RAW);
	CU_ASSERT_EQUAL(capture_dlt_from_linktype(LINK_ETHERNET), 1);
}

/* Frames written by the builders come back decodable by netpkt. */
static void test_pcap_synth_frames(void)
{
	struct synth_host a = { { 2, 0, 0, 0, 0, 1 }, 0x0A000001, 0, 1 };
	struct synth_host b = { { 2, 0, 0, 0, 0, 2 }, 0x0A000002, 0, 1 };
	const struct synth_endpoint ca = { &a, 40000, 1000 }, cb = { &b, 1723, 9000 };
	const char *path = tmp_path("synth.pcap");
	struct capture_writer w;
	struct capture_reader r;
	struct capture_frame f;
	struct synth_clock clk;
	struct synth_tcp c;
	uint8_t buf[128];
	struct wbuf wb;
	struct netpkt pk;

	synth_tcp_init(&c, &ca, &cb);
	synth_clock_init(&clk, 1000000, 250);
	CU_ASSERT_EQUAL_FATAL(capture_writer_open(&w, path, LINK_ETHERNET, 0), 0);
	wbuf_init(&wb, buf, sizeof(buf));
	CU_ASSERT_EQUAL(synth_tcp_syn(&c, &wb), 0);
	CU_ASSERT_EQUAL(capture_writer_write(&w, synth_clock_next(&clk), buf, wbuf_len(&wb)), 0);
	wbuf_init(&wb, buf, sizeof(buf));
	CU_ASSERT_EQUAL(synth_tcp_syn_ack(&c, &wb), 0);
	CU_ASSERT_EQUAL(capture_writer_write(&w, synth_clock_next(&clk), buf, wbuf_len(&wb)), 0);
	CU_ASSERT_EQUAL(capture_writer_close(&w), 0);

	CU_ASSERT_EQUAL_FATAL(capture_reader_open(&r, path), 0);
	for (int i = 0; i < 2; i++) {
		CU_ASSERT_EQUAL_FATAL(capture_reader_next(&r, &f), 1);
		CU_ASSERT_EQUAL(f.ts_usec, 1000000 + 250 * (uint64_t)i);
		CU_ASSERT_EQUAL_FATAL(netpkt_decode(f.link, f.data, f.caplen, &pk, NULL), CODEC_OK);
		CU_ASSERT_EQUAL(pk.l4, NETPKT_TCP);
		CU_ASSERT_TRUE(pk.tcp_cksum_ok);
		CU_ASSERT_EQUAL(pk.tcp.flags, i ? TCP_SYN | TCP_ACK : TCP_SYN);
	}
	CU_ASSERT_EQUAL(capture_reader_next(&r, &f), 0);
	capture_reader_close(&r);
}

static void le32(struct wbuf *w, uint32_t v)
{
	wbuf_put_le16(w, (uint16_t)v);
	wbuf_put_le16(w, (uint16_t)(v >> 16));
}

/* pcapng is read as well (one Ethernet interface, microsecond timestamps). */
static void test_pcapng_input(void)
{
	const char *path = tmp_path("in.pcapng");
	static const uint8_t pkt[5] = { 1, 2, 3, 4, 5 };
	struct capture_reader r;
	struct capture_frame f;
	uint8_t buf[128];
	struct wbuf w;
	FILE *fp;

	wbuf_init(&w, buf, sizeof(buf));
	/* Section Header Block */
	le32(&w, 0x0A0D0D0A);
	le32(&w, 28);
	le32(&w, 0x1A2B3C4D);
	wbuf_put_le16(&w, 1);
	wbuf_put_le16(&w, 0);
	le32(&w, 0xFFFFFFFF);
	le32(&w, 0xFFFFFFFF);		/* section length unknown */
	le32(&w, 28);
	/* Interface Description Block: Ethernet, no snap length */
	le32(&w, 1);
	le32(&w, 20);
	wbuf_put_le16(&w, LINK_ETHERNET);
	wbuf_put_le16(&w, 0);
	le32(&w, 0);
	le32(&w, 20);
	/* Enhanced Packet Block: 5 octets at 2 s + 7 us, padded to 8 */
	le32(&w, 6);
	le32(&w, 40);
	le32(&w, 0);
	le32(&w, 0);
	le32(&w, 2000007);
	le32(&w, 5);
	le32(&w, 5);
	wbuf_put_bytes(&w, pkt, 5);
	wbuf_put_zero(&w, 3);
	le32(&w, 40);
	CU_ASSERT_TRUE_FATAL(wbuf_ok(&w));
	fp = fopen(path, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	CU_ASSERT_EQUAL(fwrite(buf, 1, wbuf_len(&w), fp), wbuf_len(&w));
	fclose(fp);

	CU_ASSERT_EQUAL_FATAL(capture_reader_open(&r, path), 0);
	CU_ASSERT_EQUAL(r.link, LINK_ETHERNET);
	CU_ASSERT_EQUAL(capture_reader_next(&r, &f), 1);
	CU_ASSERT_EQUAL(f.ts_usec, 2000007);
	CU_ASSERT_BYTES_EQUAL(f.data, f.caplen, pkt, 5);
	CU_ASSERT_EQUAL(capture_reader_next(&r, &f), 0);
	capture_reader_close(&r);
}

static void test_pcap_errors(void)
{
	struct capture_writer w;
	struct capture_reader r;
	struct capture_frame f;
	const char *path;
	char nodir[600];
	FILE *fp;

	/* a writer in a directory that does not exist: the path once, and why */
	snprintf(nodir, sizeof(nodir), "%s/no/such/dir/x.pcap", dir);
	CU_ASSERT_EQUAL(capture_writer_open(&w, nodir, LINK_ETHERNET, 0), -1);
	CU_ASSERT_EQUAL(strncmp(w.err, nodir, strlen(nodir)), 0);
	CU_ASSERT_EQUAL(count(w.err, "x.pcap"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(w.err, "No such file or directory"));
	CU_ASSERT_PTR_NULL(strchr(w.err, '\n'));
	CU_ASSERT_EQUAL(capture_writer_close(&w), 0);	/* harmless after a failed open */
	CU_ASSERT_EQUAL(capture_writer_write(&w, 0, (const uint8_t *)"x", 1), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(w.err, "not open"));

	/* a reader of a missing file */
	CU_ASSERT_EQUAL(capture_reader_open(&r, nodir), -1);
	CU_ASSERT_EQUAL(count(r.err, "x.pcap"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "No such file or directory"));
	capture_reader_close(&r);
	CU_ASSERT_EQUAL(capture_reader_next(&r, &f), -1);

	/* a file that is not a capture */
	path = tmp_path("text.pcap");
	fp = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	fputs("this is not a capture file, it is text\n", fp);
	fclose(fp);
	CU_ASSERT_EQUAL(capture_reader_open(&r, path), -1);
	CU_ASSERT_EQUAL(strncmp(r.err, path, strlen(path)), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "unknown file format"));

	/* a capture cut in the middle of its second record */
	{
		static const uint8_t frame[60];
		long size;

		path = tmp_path("cut.pcap");
		CU_ASSERT_EQUAL_FATAL(capture_writer_open(&w, path, LINK_ETHERNET, 0), 0);
		CU_ASSERT_EQUAL(capture_writer_write(&w, 1, frame, sizeof(frame)), 0);
		CU_ASSERT_EQUAL(capture_writer_write(&w, 2, frame, sizeof(frame)), 0);
		CU_ASSERT_EQUAL(capture_writer_close(&w), 0);
		fp = fopen(path, "rb");
		fseek(fp, 0, SEEK_END);
		size = ftell(fp);
		fclose(fp);
		CU_ASSERT_EQUAL(size, 24 + 2 * (16 + 60));
		CU_ASSERT_EQUAL_FATAL(truncate(path, size - 29), 0);
		CU_ASSERT_EQUAL_FATAL(capture_reader_open(&r, path), 0);
		CU_ASSERT_EQUAL(capture_reader_next(&r, &f), 1);
		CU_ASSERT_EQUAL(capture_reader_next(&r, &f), -1);
		CU_ASSERT_EQUAL(strncmp(r.err, path, strlen(path)), 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(r.err, ": frame 2: "));
		CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "truncated"));
		capture_reader_close(&r);
	}
	/* an oversized snap length is refused, not wrapped */
	CU_ASSERT_EQUAL(capture_writer_open(&w, tmp_path("big.pcap"), LINK_ETHERNET,
					    0x80000000u), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(w.err, "snap length"));
	CU_ASSERT_EQUAL(capture_writer_close(&w), 0);
}

/* No global state: two writers and two readers interleaved. */
static void test_pcap_several_at_once(void)
{
	struct capture_writer w1, w2;
	struct capture_reader r1, r2;
	struct capture_frame f1, f2;
	char p1[512], p2[512];

	snprintf(p1, sizeof(p1), "%s", tmp_path("one.pcap"));
	snprintf(p2, sizeof(p2), "%s", tmp_path("two.pcap"));
	CU_ASSERT_EQUAL_FATAL(capture_writer_open(&w1, p1, LINK_ETHERNET, 0), 0);
	CU_ASSERT_EQUAL_FATAL(capture_writer_open(&w2, p2, LINK_RAW, 0), 0);
	for (uint8_t i = 0; i < 4; i++) {
		CU_ASSERT_EQUAL(capture_writer_write(&w1, i, &i, 1), 0);
		CU_ASSERT_EQUAL(capture_writer_write(&w2, 100 + i, &i, 1), 0);
	}
	CU_ASSERT_EQUAL(capture_writer_close(&w2), 0);
	CU_ASSERT_EQUAL(capture_writer_close(&w1), 0);
	CU_ASSERT_EQUAL_FATAL(capture_reader_open(&r1, p1), 0);
	CU_ASSERT_EQUAL_FATAL(capture_reader_open(&r2, p2), 0);
	for (uint8_t i = 0; i < 4; i++) {
		CU_ASSERT_EQUAL(capture_reader_next(&r2, &f2), 1);
		CU_ASSERT_EQUAL(capture_reader_next(&r1, &f1), 1);
		CU_ASSERT_EQUAL(f1.ts_usec, i);
		CU_ASSERT_EQUAL(f2.ts_usec, 100u + i);
		CU_ASSERT_EQUAL(f1.link, LINK_ETHERNET);
		CU_ASSERT_EQUAL(f2.link, LINK_RAW);
		CU_ASSERT_EQUAL(f1.data[0], i);
	}
	capture_reader_close(&r1);
	capture_reader_close(&r2);
}

static const struct cu_case cases[] = {
	{ "pcap write and read back", test_pcap_round_trip },
	{ "pcap snap length", test_pcap_snaplen },
	{ "pcap link types", test_pcap_link_types },
	{ "pcap synthetic frames", test_pcap_synth_frames },
	{ "pcapng input", test_pcapng_input },
	{ "pcap errors name the file", test_pcap_errors },
	{ "pcap several files at once", test_pcap_several_at_once },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	const char *tmp = getenv("TMPDIR");
	int rc;

	snprintf(dir, sizeof(dir), "%s/test_capture_pcap.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("test_capture_pcap: mkdtemp");
		return 2;
	}
	rc = cu_main("capture_pcap", cases, argc, argv);
	{
		static const char *const names[] = {
			"rt.pcap", "snap.pcap", "link.pcap", "synth.pcap", "in.pcapng",
			"text.pcap", "cut.pcap", "big.pcap", "one.pcap", "two.pcap",
		};

		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			unlink(tmp_path(names[i]));
		rmdir(dir);
	}
	return rc;
}

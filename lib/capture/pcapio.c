/* SPDX-License-Identifier: BSD-2-Clause */
#include "capture/pcapio.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "capture/link.h"

int capture_dlt_from_linktype(uint32_t link)
{
	return link == LINK_RAW ? DLT_RAW : (int)link;
}

uint32_t capture_linktype_from_dlt(int dlt)
{
	return dlt == DLT_RAW ? LINK_RAW : (uint32_t)dlt;
}

/*
 * "NAME: message" into err.  libpcap's own messages often start with the
 * path already ("x.pcap: No such file or directory"); that prefix is
 * dropped so the name appears once.
 */
__attribute__((format(printf, 4, 5)))
static void capture_fail(char err[static CAPTURE_ERR_LEN], const char *name, const char *path,
			 const char *fmt, ...)
{
	size_t pl = strlen(path);
	va_list ap;
	char *msg;
	int n;

	n = snprintf(err, CAPTURE_ERR_LEN, "%s: ", name);	/* name < CAPTURE_NAME_LEN */
	if (n < 0 || n >= CAPTURE_ERR_LEN)
		return;
	msg = err + n;
	va_start(ap, fmt);
	vsnprintf(msg, CAPTURE_ERR_LEN - (size_t)n, fmt, ap);
	va_end(ap);
	if (pl && strncmp(msg, path, pl) == 0 && msg[pl] == ':' && msg[pl + 1] == ' ')
		memmove(msg, msg + pl + 2, strlen(msg + pl + 2) + 1);
}

int capture_writer_open(struct capture_writer *w, const char *path, uint32_t link,
			uint32_t snaplen)
{
	w->dump = NULL;
	w->link = link;
	w->snaplen = snaplen ? snaplen : CAPTURE_SNAPLEN_DEFAULT;
	w->frames = 0;
	w->err[0] = '\0';
	snprintf(w->name, sizeof(w->name), "%s", path);
	w->pd = NULL;
	if (w->snaplen > INT32_MAX) {
		capture_fail(w->err, w->name, "", "snap length %u is too large",
			     (unsigned)w->snaplen);
		return -1;
	}
	w->pd = pcap_open_dead_with_tstamp_precision(capture_dlt_from_linktype(link),
						     (int)w->snaplen, PCAP_TSTAMP_PRECISION_MICRO);
	if (!w->pd) {
		capture_fail(w->err, w->name, path, "cannot set up a link type %u capture",
			     (unsigned)link);
		return -1;
	}
	w->dump = pcap_dump_open(w->pd, path);
	if (!w->dump) {
		capture_fail(w->err, w->name, path, "%s", pcap_geterr(w->pd));
		pcap_close(w->pd);
		w->pd = NULL;
		return -1;
	}
	return 0;
}

int capture_writer_write(struct capture_writer *w, uint64_t ts_usec, const uint8_t *frame,
			 size_t len)
{
	struct pcap_pkthdr h;

	if (!w->dump) {
		capture_fail(w->err, w->name, "", "not open for writing");
		return -1;
	}
	if (len > UINT32_MAX) {
		capture_fail(w->err, w->name, "", "frame %lu: %zu octets is too long for pcap",
			     w->frames + 1, len);
		return -1;
	}
	h.ts.tv_sec = (time_t)(ts_usec / 1000000);
	h.ts.tv_usec = (suseconds_t)(ts_usec % 1000000);
	h.len = (uint32_t)len;
	h.caplen = h.len < w->snaplen ? h.len : w->snaplen;
	pcap_dump((u_char *)w->dump, &h, frame);
	if (ferror(pcap_dump_file(w->dump))) {
		capture_fail(w->err, w->name, "", "frame %lu: write error: %s", w->frames + 1,
			     strerror(errno));
		return -1;
	}
	w->frames++;
	return 0;
}

int capture_writer_close(struct capture_writer *w)
{
	int rc = 0;

	if (w->dump) {
		if (pcap_dump_flush(w->dump) < 0 || ferror(pcap_dump_file(w->dump))) {
			capture_fail(w->err, w->name, "", "write error: %s", strerror(errno));
			rc = -1;
		}
		pcap_dump_close(w->dump);
		w->dump = NULL;
	}
	if (w->pd) {
		pcap_close(w->pd);
		w->pd = NULL;
	}
	return rc;
}

int capture_reader_open(struct capture_reader *r, const char *path)
{
	char ebuf[PCAP_ERRBUF_SIZE];

	r->frames = 0;
	r->err[0] = '\0';
	snprintf(r->name, sizeof(r->name), "%s", path);
	ebuf[0] = '\0';
	r->pd = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_MICRO, ebuf);
	if (!r->pd) {
		capture_fail(r->err, r->name, path, "%s", ebuf[0] ? ebuf : "cannot open");
		return -1;
	}
	r->link = capture_linktype_from_dlt(pcap_datalink(r->pd));
	r->snaplen = (uint32_t)pcap_snapshot(r->pd);
	return 0;
}

int capture_reader_next(struct capture_reader *r, struct capture_frame *f)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc;

	if (!r->pd) {
		capture_fail(r->err, r->name, "", "not open for reading");
		return -1;
	}
	rc = pcap_next_ex(r->pd, &h, &data);
	if (rc == PCAP_ERROR_BREAK)
		return 0;
	if (rc != 1) {
		capture_fail(r->err, r->name, "", "frame %lu: %s", r->frames + 1,
			     pcap_geterr(r->pd));
		return -1;
	}
	r->frames++;
	f->number = r->frames;
	f->ts_usec = (uint64_t)h->ts.tv_sec * 1000000 + (uint64_t)h->ts.tv_usec;
	f->link = r->link;
	f->data = data;
	f->caplen = h->caplen;
	f->len = h->len;
	return 1;
}

void capture_reader_close(struct capture_reader *r)
{
	if (r->pd) {
		pcap_close(r->pd);
		r->pd = NULL;
	}
}

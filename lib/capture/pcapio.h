/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Capture files, read and written through libpcap: the only file I/O in
 * lib/.  Writing uses pcap_open_dead() + pcap_dump_open() (classic pcap,
 * microsecond timestamps); reading uses pcap_open_offline(), so both pcap
 * and pcapng files are accepted (timestamps are converted to microseconds).
 * The frames themselves are decoded elsewhere (netpkt.h); this layer only
 * moves them and says which link type they have.
 *
 * Link types are given and returned as LINKTYPE_ values (enum link_type
 * and any other), translated to and from libpcap's platform DLT_ values
 * here.
 *
 * Errors: every function returns -1 on failure and leaves one line in the
 * object's `err`, naming the file, e.g.
 *     "x.pcap: frame 12: truncated dump file; tried to read 60 captured bytes, only got 31"
 * `err` stays valid until the next call on the object.
 *
 * Ownership: the caller owns the struct (on the stack, in its own object);
 * libpcap allocates its handles inside _open and frees them in _close,
 * which must be called once after a successful _open (and is harmless
 * after a failed one).  A frame returned by capture_reader_next() lives in
 * libpcap's buffer until the next call.  No global state: any number of
 * readers and writers may be open at once.
 */
#ifndef PPTP_CAPTURE_PCAPIO_H
#define PPTP_CAPTURE_PCAPIO_H

#include <stddef.h>
#include <stdint.h>

struct pcap;
struct pcap_dumper;

enum {
	CAPTURE_SNAPLEN_DEFAULT = 262144,	/* tcpdump's and libpcap's */
	CAPTURE_ERR_LEN = 512,
	CAPTURE_NAME_LEN = 256,			/* the file name kept for messages (cut) */
};

struct capture_writer {
	struct pcap *pd;
	struct pcap_dumper *dump;
	uint32_t link;				/* LINKTYPE_ */
	uint32_t snaplen;
	unsigned long frames;			/* written so far */
	char name[CAPTURE_NAME_LEN];
	char err[CAPTURE_ERR_LEN];
};

/*
 * Create (truncate) path, "-" for standard output.  snaplen 0 means
 * CAPTURE_SNAPLEN_DEFAULT; frames longer than snaplen are cut to it, their
 * original length kept in the record, as a capturing host would.
 */
int capture_writer_open(struct capture_writer *w, const char *path, uint32_t link,
			uint32_t snaplen);
/* One frame of len octets, stamped ts_usec microseconds after the Unix epoch. */
int capture_writer_write(struct capture_writer *w, uint64_t ts_usec, const uint8_t *frame,
			 size_t len);
/* Flush and close; -1 when the data could not all be written. */
int capture_writer_close(struct capture_writer *w);

struct capture_frame {
	unsigned long number;			/* 1 for the first, as tshark's frame.number */
	uint64_t ts_usec;
	uint32_t link;				/* LINKTYPE_ of the file */
	const uint8_t *data;
	uint32_t caplen;			/* octets in data */
	uint32_t len;				/* octets on the wire (> caplen when cut) */
};

struct capture_reader {
	struct pcap *pd;
	uint32_t link;				/* LINKTYPE_ */
	uint32_t snaplen;
	unsigned long frames;			/* read so far */
	char name[CAPTURE_NAME_LEN];
	char err[CAPTURE_ERR_LEN];
};

int capture_reader_open(struct capture_reader *r, const char *path);
/* 1: *f holds the next frame; 0: end of file; -1: error (a damaged or cut file). */
int capture_reader_next(struct capture_reader *r, struct capture_frame *f);
void capture_reader_close(struct capture_reader *r);

/* LINKTYPE_ <-> DLT_, for the few values where they differ (raw IP). */
int capture_dlt_from_linktype(uint32_t link);
uint32_t capture_linktype_from_dlt(int dlt);

#endif

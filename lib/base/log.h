/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Logging without I/O.  The engine formats one line per event in key=value
 * form with the owner's prefix ("ctrl=3 call=7 layer=lcp event=RCR+
 * state=Req-Sent->Ack-Sent") and hands it to a sink the program provides:
 * stderr, syslog, a test's buffer, or nothing.  Data paths count, they do
 * not log per packet.
 */
#ifndef PPTP_BASE_LOG_H
#define PPTP_BASE_LOG_H

#include <stdarg.h>
#include <stddef.h>

enum log_level {
	LOG_LVL_ERR,
	LOG_LVL_WARN,
	LOG_LVL_INFO,
	LOG_LVL_DEBUG,
};

#define LOG_LINE_MAX 512

struct log_sink {
	/* One complete line, without a newline. */
	void (*fn)(void *ctx, enum log_level level, const char *line);
	void *ctx;
	enum log_level max;		/* lines above this level are not formatted */
};

/*
 * Format "<prefix> <fmt...>" and pass it to the sink; nothing when sink is
 * NULL or level > sink->max.  Lines longer than LOG_LINE_MAX are cut.
 */
void log_line(const struct log_sink *sink, enum log_level level, const char *prefix,
	      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void log_vline(const struct log_sink *sink, enum log_level level, const char *prefix,
	       const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));

static inline int log_enabled(const struct log_sink *sink, enum log_level level)
{
	return sink && sink->fn && level <= sink->max;
}

const char *log_level_name(enum log_level level);

#endif

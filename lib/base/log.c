/* SPDX-License-Identifier: BSD-2-Clause */
#include "base/log.h"

#include <stdio.h>

void log_vline(const struct log_sink *sink, enum log_level level, const char *prefix,
	       const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];
	int n = 0;

	if (!log_enabled(sink, level))
		return;
	if (prefix && *prefix)
		n = snprintf(line, sizeof(line), "%s ", prefix);
	if (n < 0 || (size_t)n >= sizeof(line))
		n = 0;
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	sink->fn(sink->ctx, level, line);
}

void log_line(const struct log_sink *sink, enum log_level level, const char *prefix,
	      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vline(sink, level, prefix, fmt, ap);
	va_end(ap);
}

const char *log_level_name(enum log_level level)
{
	switch (level) {
	case LOG_LVL_ERR:
		return "err";
	case LOG_LVL_WARN:
		return "warn";
	case LOG_LVL_INFO:
		return "info";
	case LOG_LVL_DEBUG:
		return "debug";
	}
	return "?";
}

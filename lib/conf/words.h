/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Words of a pppd options or secrets file (pppd(8), "OPTIONS FILES"),
 * read from a text buffer with the rules pppd's getword() applies:
 *
 *   - words are separated by white space;
 *   - '#' outside a word starts a comment that runs to the end of the line
 *     ('#' also ends an unquoted word);
 *   - "..." or '...' quote a word, which may then hold white space and '#';
 *   - backslash escapes: \a \b \f \n \r \s (space) \t, \ooo (octal, up to
 *     three digits), \xHH (up to two hex digits), backslash-newline is
 *     ignored (a line continuation), any other character stands for itself.
 *
 * Secrets files are line-oriented: conf_words.newline tells whether a
 * newline was crossed before the word just read.  Words are returned as
 * (bytes, length): \000 yields a NUL inside a word.
 */
#ifndef PPTP_CONF_WORDS_H
#define PPTP_CONF_WORDS_H

#include <stdbool.h>
#include <stddef.h>

struct conf_words {
	const char *p;			/* next character */
	const char *end;
	unsigned line;			/* line of p, from 1 */
	unsigned word_line;		/* line where the last word started */
	bool newline;			/* a newline came before the last word */
	bool too_long;			/* the last word did not fit (cut) */
	bool unterminated;		/* the last word's quote was never closed */
};

void conf_words_init(struct conf_words *w, const char *text, size_t len);

/*
 * Read the next word into buf (NUL-terminated, at most cap - 1 octets; the
 * rest is skipped and w->too_long set).  Returns its length, or -1 at the
 * end of the text.  cap must be at least 1.
 */
int conf_words_next(struct conf_words *w, char *buf, size_t cap);

#endif

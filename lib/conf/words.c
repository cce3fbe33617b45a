/* SPDX-License-Identifier: BSD-2-Clause */
#include "conf/words.h"

void conf_words_init(struct conf_words *w, const char *text, size_t len)
{
	w->p = text;
	w->end = text + len;
	w->line = 1;
	w->word_line = 0;
	w->newline = false;
	w->too_long = false;
	w->unterminated = false;
}

static bool is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int peek(const struct conf_words *w)
{
	return w->p < w->end ? (unsigned char)*w->p : -1;
}

static int take(struct conf_words *w)
{
	int c = peek(w);

	if (c < 0)
		return -1;
	w->p++;
	if (c == '\n')
		w->line++;
	return c;
}

static void put(struct conf_words *w, char *buf, size_t cap, size_t *len, int c)
{
	if (*len + 1 < cap)
		buf[(*len)++] = (char)c;
	else
		w->too_long = true;
}

/* After a backslash: the value of the escape, consuming its characters. */
static int escape_value(struct conf_words *w, int c)
{
	int v, d, n;

	switch (c) {
	case 'a': return '\a';
	case 'b': return '\b';
	case 'f': return '\f';
	case 'n': return '\n';
	case 'r': return '\r';
	case 's': return ' ';
	case 't': return '\t';
	case 'x':
		v = 0;
		for (n = 0; n < 2 && (d = hex_digit(peek(w))) >= 0; n++) {
			v = v << 4 | d;
			take(w);
		}
		return v;
	default:
		if (c >= '0' && c <= '7') {
			v = c - '0';
			for (n = 1; n < 3 && peek(w) >= '0' && peek(w) <= '7'; n++)
				v = v << 3 | (take(w) - '0');
			return v & 0xff;
		}
		return c;
	}
}

int conf_words_next(struct conf_words *w, char *buf, size_t cap)
{
	size_t len = 0;
	int c, quote = 0;
	bool escaped = false;

	w->newline = false;
	w->too_long = false;
	w->unterminated = false;

	/* white space and comments; a backslash-newline is nothing */
	for (;;) {
		c = peek(w);
		if (c < 0) {
			buf[0] = '\0';
			return -1;
		}
		if (c == '\\' && w->p + 1 < w->end && w->p[1] == '\n') {
			take(w);
			take(w);
			continue;
		}
		if (c == '#') {
			while (peek(w) >= 0 && peek(w) != '\n')
				take(w);
			continue;
		}
		if (!is_space(c))
			break;
		if (take(w) == '\n')
			w->newline = true;
	}

	w->word_line = w->line;
	if (c == '"' || c == '\'') {
		quote = c;
		take(w);
	}
	while ((c = take(w)) >= 0) {
		if (escaped) {
			escaped = false;
			if (c == '\n')
				continue;
			put(w, buf, cap, &len, escape_value(w, c));
			continue;
		}
		if (c == '\\') {
			escaped = true;
			continue;
		}
		if (quote) {
			if (c == quote)
				break;
		} else if (is_space(c) || c == '#') {
			/* give it back: a newline or comment belongs to the next word */
			w->p--;
			if (c == '\n')
				w->line--;
			break;
		}
		put(w, buf, cap, &len, c);
	}
	if (quote && c != quote)
		w->unterminated = true;
	buf[len] = '\0';
	return (int)len;
}

/*
** text.h — checks on untrusted text.
*/
#ifndef DUBAN_TEXT_H
#define DUBAN_TEXT_H

#include <stddef.h>

/* 1 if s[0..n) is valid UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF).
** When invalid and bad_at is non-NULL, *bad_at is the byte offset of the
** first bad sequence. */
int utf8_valid(const char *s, size_t n, size_t *bad_at);

/* Length (1–4) of the valid UTF-8 sequence at s[0..n), or 0 when the bytes
** there are not one (overlong, surrogate, truncated, > U+10FFFF). */
size_t utf8_seq_len(const unsigned char *s, size_t n);

/* Number of code points in a valid UTF-8 string. */
size_t utf8_chars(const char *s);

/* Checks a text field: valid UTF-8, 1..max_chars code points (min 0 when
** !required), no control characters other than \n \r \t when multiline.
** Returns 0, or -1 with e naming `field`. */
struct err;
int text_check(struct err *e, const char *field, const char *s, size_t max_chars,
               int required, int multiline);

#endif

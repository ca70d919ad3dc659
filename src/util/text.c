/* text.c — see text.h. */
#include "util/text.h"

#include <string.h>

#include "util/err.h"

size_t utf8_seq_len(const unsigned char *s, size_t n) {
  unsigned c = s[0], cp;
  size_t len;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (len > n) return 0;
  for (size_t k = 1; k < len; k++) {
    if ((s[k] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[k] & 0x3F);
  }
  if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
      (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
    return 0;
  return len;
}

int utf8_valid(const char *str, size_t n, size_t *bad_at) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  while (i < n) {
    size_t len;
    if (s[i] < 0x80) {
      i++;
      continue;
    }
    if ((len = utf8_seq_len(s + i, n - i)) == 0) {
      if (bad_at) *bad_at = i;
      return 0;
    }
    i += len;
  }
  return 1;
}

size_t utf8_chars(const char *s) {
  size_t n = 0;
  for (; *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80) n++;
  return n;
}

int text_check(struct err *e, const char *field, const char *s, size_t max_chars,
               int required, int multiline) {
  size_t n, bad, chars;
  if (!s || !*s) {
    if (required) return err_set(e, ERR_INVALID, field, "%s is required", field);
    return 0;
  }
  n = strlen(s);
  if (!utf8_valid(s, n, &bad))
    return err_set(e, ERR_INVALID, field,
                   "%s is not valid UTF-8 (bad byte at offset %zu)", field, bad);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x20 && !(multiline && (c == '\n' || c == '\r' || c == '\t')))
      return err_set(e, ERR_INVALID, field,
                     "%s contains a control character at offset %zu", field, i);
  }
  chars = utf8_chars(s);
  if (max_chars && chars > max_chars)
    return err_set(e, ERR_INVALID, field,
                   "%s is %zu characters long; the maximum is %zu", field, chars,
                   max_chars);
  return 0;
}

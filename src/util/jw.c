/* jw.c — see jw.h. */
#include "util/jw.h"

#include <string.h>

#include "util/text.h"

enum { LV_COMMA = 1, LV_ARRAY = 2 };   /* bits of jw.level[] */

void jw_init(struct jw *w, struct buf *b) {
  w->b = b;
  w->depth = 0;
  w->level[0] = 0;
  w->after_key = 0;
}

void jw_resume_obj(struct jw *w, struct buf *b) {
  jw_init(w, b);
  w->depth = 1;
  w->level[1] = LV_COMMA;
}

/* Before any value or key: 1 when a comma must separate it from the
** previous member of the open container. */
static int need_comma(struct jw *w) {
  int c;
  if (w->after_key) {
    w->after_key = 0;
    return 0;
  }
  c = w->level[w->depth] & LV_COMMA;
  w->level[w->depth] |= LV_COMMA;
  return c;
}

/* Appends [","] then s[0..n): one capacity check for the whole piece. */
static void put(struct jw *w, const char *s, size_t n) {
  struct buf *b = w->b;
  char *p;
  int comma = need_comma(w);
  if (buf_reserve(b, n + 1)) return;
  p = b->data + b->len;
  if (comma) *p++ = ',';
  memcpy(p, s, n);
  p[n] = 0;
  b->len = (size_t)(p + n - b->data);
}

static void open(struct jw *w, char c) {
  put(w, &c, 1);
  if (w->depth + 1 >= JW_MAX_DEPTH) {
    w->b->failed = 1;
    return;
  }
  w->level[++w->depth] = c == '[' ? LV_ARRAY : 0;
}

void jw_obj(struct jw *w) { open(w, '{'); }
void jw_arr(struct jw *w) { open(w, '['); }

void jw_end(struct jw *w) {
  if (w->depth <= 0) {
    w->b->failed = 1;
    return;
  }
  buf_putc(w->b, w->level[w->depth] & LV_ARRAY ? ']' : '}');
  w->depth--;
  w->after_key = 0;
}

void jw_escape(struct buf *b, const char *str, size_t n) {
  static const char kHex[] = "0123456789abcdef";
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0, run = 0;
  while (i < n) {
    unsigned c = s[i];
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
      i++;
      continue;
    }
    if (c >= 0x80) {
      size_t len = utf8_seq_len(s + i, n - i);
      if (len) {
        i += len;
        continue;
      }
    }
    buf_append(b, s + run, i - run);
    switch (c) {
      case '"': buf_append(b, "\\\"", 2); break;
      case '\\': buf_append(b, "\\\\", 2); break;
      case '\n': buf_append(b, "\\n", 2); break;
      case '\r': buf_append(b, "\\r", 2); break;
      case '\t': buf_append(b, "\\t", 2); break;
      case '\b': buf_append(b, "\\b", 2); break;
      case '\f': buf_append(b, "\\f", 2); break;
      default:
        if (c < 0x20) {
          char u[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
          buf_append(b, u, 6);
        } else {
          buf_append(b, "\xEF\xBF\xBD", 3);   /* not UTF-8: U+FFFD */
        }
    }
    run = ++i;
  }
  buf_append(b, s + run, n - run);
}

/* 1 when s[0..n) goes into a JSON string as is: valid UTF-8, no quote,
** backslash or control character. The common three-byte sequences (most
** of CJK) are checked inline. */
static int plain(const unsigned char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned c = s[i];
    if (c < 0x80) {
      if (c < 0x20 || c == '"' || c == '\\') return 0;
      i++;
    } else if (((c >= 0xE1 && c <= 0xEC) || c >= 0xEE) && c <= 0xEF && i + 2 < n &&
               (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
      i += 3;
    } else {
      size_t len = utf8_seq_len(s + i, n - i);
      if (!len) return 0;
      i += len;
    }
  }
  return 1;
}

/* Appends [","] "s[0..n)" then tail[0..tail_n): s needs no escaping. */
static void put_quoted(struct jw *w, const char *s, size_t n, const char *tail, size_t tail_n) {
  struct buf *b = w->b;
  int comma = need_comma(w);
  char *p;
  if (buf_reserve(b, n + 3 + tail_n)) return;
  p = b->data + b->len;
  if (comma) *p++ = ',';
  *p++ = '"';
  memcpy(p, s, n);
  p += n;
  *p++ = '"';
  memcpy(p, tail, tail_n);
  p += tail_n;
  *p = 0;
  b->len = (size_t)(p - b->data);
}

void jw_keyn(struct jw *w, const char *k, size_t n) {
  /* Keys are the program's own names: written as they are. */
  put_quoted(w, k, n, ":", 1);
  w->after_key = 1;
}

void jw_key(struct jw *w, const char *k) { jw_keyn(w, k, strlen(k)); }

void jw_strn(struct jw *w, const char *s, size_t n) {
  struct buf *b = w->b;
  if (plain((const unsigned char *)s, n)) {
    put_quoted(w, s, n, "", 0);
    return;
  }
  if (need_comma(w)) buf_putc(b, ',');
  buf_putc(b, '"');
  jw_escape(b, s, n);
  buf_putc(b, '"');
}

void jw_str(struct jw *w, const char *s) {
  if (!s) jw_null(w);
  else jw_strn(w, s, strlen(s));
}

void jw_int(struct jw *w, int64_t v) {
  char tmp[24], *p = tmp + sizeof tmp;
  uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
  do {
    *--p = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0) *--p = '-';
  put(w, p, (size_t)(tmp + sizeof tmp - p));
}

void jw_bool(struct jw *w, int v) {
  if (v) put(w, "true", 4);
  else put(w, "false", 5);
}

void jw_null(struct jw *w) { put(w, "null", 4); }

void jw_raw(struct jw *w, const char *json, size_t n) { put(w, json, n); }

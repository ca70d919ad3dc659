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

/* Before any value or key: the comma that separates it from the previous
** member of the open container. */
static void sep(struct jw *w) {
  if (w->after_key) {
    w->after_key = 0;
    return;
  }
  if (w->level[w->depth] & LV_COMMA) buf_putc(w->b, ',');
  w->level[w->depth] |= LV_COMMA;
}

static void open(struct jw *w, char c) {
  sep(w);
  buf_putc(w->b, c);
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

void jw_key(struct jw *w, const char *k) {
  char tmp[72];
  size_t n = strlen(k);
  sep(w);
  if (n > sizeof tmp - 3) {
    buf_putc(w->b, '"');
    jw_escape(w->b, k, n);
    buf_append(w->b, "\":", 2);
  } else {
    /* Keys are the program's own names: one append, no escaping pass. */
    tmp[0] = '"';
    memcpy(tmp + 1, k, n);
    tmp[n + 1] = '"';
    tmp[n + 2] = ':';
    buf_append(w->b, tmp, n + 3);
  }
  w->after_key = 1;
}

void jw_strn(struct jw *w, const char *s, size_t n) {
  sep(w);
  buf_putc(w->b, '"');
  jw_escape(w->b, s, n);
  buf_putc(w->b, '"');
}

void jw_str(struct jw *w, const char *s) {
  if (!s) jw_null(w);
  else jw_strn(w, s, strlen(s));
}

void jw_int(struct jw *w, int64_t v) {
  char tmp[24], *p = tmp + sizeof tmp;
  uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
  sep(w);
  do {
    *--p = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0) *--p = '-';
  buf_append(w->b, p, (size_t)(tmp + sizeof tmp - p));
}

void jw_bool(struct jw *w, int v) {
  sep(w);
  if (v) buf_append(w->b, "true", 4);
  else buf_append(w->b, "false", 5);
}

void jw_null(struct jw *w) {
  sep(w);
  buf_append(w->b, "null", 4);
}

void jw_raw(struct jw *w, const char *json, size_t n) {
  sep(w);
  buf_append(w->b, json, n);
}

/* buf.c — see buf.h. */
#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char kEmpty[1];

void buf_init(struct buf *b, size_t cap) {
  b->data = kEmpty;
  b->len = b->alloc = 0;
  b->cap = cap;
  b->failed = 0;
}

void buf_release(struct buf *b) {
  if (b->alloc) free(b->data);
  buf_init(b, b->cap);
}

void buf_reset(struct buf *b) {
  b->len = 0;
  if (b->alloc) b->data[0] = 0;
  b->failed = 0;
}

static int buf_grow(struct buf *b, size_t extra) {
  size_t need, n;
  char *p;
  if (b->failed) return -1;
  if (extra > (size_t)-1 / 2 - b->len) goto fail;
  need = b->len + extra;
  if (b->cap && need > b->cap) goto fail;
  if (need + 1 <= b->alloc) return 0;
  n = b->alloc ? b->alloc : 64;
  while (n < need + 1) n *= 2;
  p = realloc(b->alloc ? b->data : NULL, n);
  if (!p) goto fail;
  if (!b->alloc) p[0] = 0;
  b->data = p;
  b->alloc = n;
  return 0;
fail:
  b->failed = 1;
  return -1;
}

int buf_reserve(struct buf *b, size_t extra) {
  if (!b->failed && b->alloc && b->len + extra < b->alloc && (!b->cap || b->len + extra <= b->cap))
    return 0;
  return buf_grow(b, extra);
}

int buf_append(struct buf *b, const void *p, size_t n) {
  if (buf_grow(b, n)) return -1;
  if (n) memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = 0;
  return 0;
}

int buf_puts(struct buf *b, const char *s) { return buf_append(b, s, strlen(s)); }

int buf_putc(struct buf *b, char c) { return buf_append(b, &c, 1); }

int buf_vprintf(struct buf *b, const char *fmt, va_list ap) {
  va_list cp;
  int n;
  va_copy(cp, ap);
  n = vsnprintf(NULL, 0, fmt, cp);
  va_end(cp);
  if (n < 0 || buf_grow(b, (size_t)n)) {
    b->failed = 1;
    return -1;
  }
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
  return 0;
}

int buf_printf(struct buf *b, const char *fmt, ...) {
  va_list ap;
  int rc;
  va_start(ap, fmt);
  rc = buf_vprintf(b, fmt, ap);
  va_end(ap);
  return rc;
}

char *buf_detach(struct buf *b, size_t *len) {
  char *p;
  if (len) *len = b->len;
  if (!b->alloc) {
    p = malloc(1);
    if (p) p[0] = 0;
  } else {
    p = b->data;
  }
  buf_init(b, b->cap);
  return p;
}

int buf_read_file(struct buf *b, const char *path, const char **why) {
  FILE *f = fopen(path, "rb");
  char chunk[65536];
  size_t n;
  int rc = 0;
  if (!f) {
    if (why) *why = "cannot open";
    return -1;
  }
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (buf_append(b, chunk, n)) {
      if (why) *why = "too large";
      rc = -1;
      goto done;
    }
  }
  if (ferror(f)) {
    if (why) *why = "read error";
    rc = -1;
  }
done:
  fclose(f);
  return rc;
}

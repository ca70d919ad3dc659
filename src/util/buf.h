/*
** buf.h — a growable byte buffer, always NUL-terminated.
**
** Invariants: after buf_init, `b->data` is never NULL (it points at a static ""
** until the first append) and `b->data[b->len] == 0`. A buffer has an optional
** cap: an append that would exceed it fails, sets the sticky `b->failed`, and
** further appends are ignored, so a writer may append freely and check once
** (like sqlite3_str). Memory belongs to the buffer until buf_detach, which
** hands it to the caller (free() it).
*/
#ifndef DUBAN_BUF_H
#define DUBAN_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
  char *data;      /* contents, NUL-terminated; never NULL */
  size_t len;      /* bytes used, excluding the NUL */
  size_t alloc;    /* bytes allocated; 0 while data is the static "" */
  size_t cap;      /* maximum len; 0 for no limit */
  int failed;      /* sticky: 1 after an allocation failure or cap overflow */
};

void buf_init(struct buf *b, size_t cap);
void buf_release(struct buf *b);           /* frees; buffer is reusable after init */
void buf_reset(struct buf *b);             /* len = 0, keeps memory */
int buf_append(struct buf *b, const void *p, size_t n);  /* 0 or -1 */
/* Makes room for `extra` more bytes (plus the NUL) without changing len:
** a writer may then fill data[len..len+extra) and advance len itself.
** 0, or -1 (sticky failed) like an append. */
int buf_reserve(struct buf *b, size_t extra);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);
char *buf_detach(struct buf *b, size_t *len);  /* caller frees; buffer re-inited */

/* Reads a whole file into b. Returns 0, or -1 when unreadable or over b->cap
** (errno-like reason in *why: "cannot open", "too large", "read error"). */
int buf_read_file(struct buf *b, const char *path, const char **why);

#endif

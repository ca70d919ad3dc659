/*
** jw.h — a JSON writer: appends a document to a struct buf as it is built,
** with no tree in between.
**
** Why not jansson here: the task view and the task list are the hottest
** responses, and building a jansson tree (a malloc per member and value)
** then dumping it was about half of their cost (docs/performance.md,
** docs/decisions/0005). jansson stays the codec for everything that parses
** JSON and for the cold responses; jw only writes.
**
** Usage: jw_obj / jw_key / value / ... / jw_end. Commas are placed by the
** writer. Strings are written as UTF-8; an invalid byte sequence is written
** as U+FFFD, so the output is always valid JSON. Memory: the buffer is the
** caller's; jw holds no allocation of its own. Errors (allocation, the
** buffer's cap, nesting deeper than JW_MAX_DEPTH) are sticky in b->failed,
** like buf; check once at the end.
*/
#ifndef DUBAN_JW_H
#define DUBAN_JW_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define JW_MAX_DEPTH 32

struct jw {
  struct buf *b;
  int depth;
  unsigned char level[JW_MAX_DEPTH];   /* per open container: array?, comma due? */
  int after_key;      /* the next value follows a key: no comma */
};

void jw_init(struct jw *w, struct buf *b);
/* Continues an object whose text so far ("{" and at least one member, not
** closed) is already in b: the next key gets a comma; jw_end closes it. */
void jw_resume_obj(struct jw *w, struct buf *b);

void jw_obj(struct jw *w);          /* { */
void jw_arr(struct jw *w);          /* [ */
void jw_end(struct jw *w);          /* } or ], whichever is open */

/* A member name: a name of the program's own (plain ASCII, no quote or
** backslash), written as is. */
void jw_key(struct jw *w, const char *k);
void jw_keyn(struct jw *w, const char *k, size_t n);   /* k[0..n) */

void jw_str(struct jw *w, const char *s);            /* NULL writes null */
void jw_strn(struct jw *w, const char *s, size_t n);
void jw_int(struct jw *w, int64_t v);
void jw_bool(struct jw *w, int v);
void jw_null(struct jw *w);
/* A value that is already JSON text (trusted: written as is). */
void jw_raw(struct jw *w, const char *json, size_t n);

/* Appends s[0..n) to b as the inside of a JSON string (no quotes). */
void jw_escape(struct buf *b, const char *s, size_t n);

#endif

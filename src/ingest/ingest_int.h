/*
** ingest_int.h — private to src/ingest.
**
** The text is decoded once into `struct idoc`: an array of normalised code
** points (full-width and half-width punctuation folded to one form, \r to \n,
** full-width digits and letters to ASCII) with, for each code point, its byte
** offset in the original UTF-8. All rules work on code point indexes, so
** character offsets come for free and every output span maps back to an exact
** substring of the original text.
*/
#ifndef DUBAN_INGEST_INT_H
#define DUBAN_INGEST_INT_H

#include <stddef.h>
#include <stdint.h>

#include "ingest/ingest.h"
#include "util/buf.h"

#define NPOS ((size_t)-1)

struct ipara { size_t s, e; size_t s0, ns; };       /* [s,e); sentences s0.. */
struct isent { size_t s, e; size_t c0, nc; size_t para; }; /* clauses c0.. */
struct iclause { size_t s, e; uint32_t delim; };     /* [s,e) w/o delimiter */

struct idoc {
  const char *text;     /* original UTF-8 (borrowed) */
  size_t len;           /* bytes */
  uint32_t *cp;         /* n normalised code points + a 0 sentinel (owned) */
  size_t *boff;         /* n+1 byte offsets into text (owned) */
  size_t n;
  struct ipara *paras; size_t npara;
  struct isent *sents; size_t nsent;
  struct iclause *cls; size_t ncl;
};

/* doc.c */
int idoc_init(struct idoc *d, const char *text, size_t len, struct err *e);
void idoc_release(struct idoc *d);
/* Length in code points of lit when d->cp[i..lim) starts with it, else 0.
** lit is UTF-8 written in normalised form (，；：（） full-width). */
size_t ix_at(const struct idoc *d, size_t i, size_t lim, const char *lit);
/* First index in [from,to) where lit starts, or NPOS. */
size_t ix_find(const struct idoc *d, size_t from, size_t to, const char *lit);
/* Length of the first literal of the NULL-terminated list matching at i. */
size_t ix_at_any(const struct idoc *d, size_t i, size_t lim,
                 const char *const *lits);
/* 1 when [s,e) ends with lit. */
int ix_ends(const struct idoc *d, size_t s, size_t e, const char *lit);
int ix_ends_any(const struct idoc *d, size_t s, size_t e, const char *const *lits);
/* 1 when [s,e) contains lit. */
int ix_has(const struct idoc *d, size_t s, size_t e, const char *lit);
int ix_has_any(const struct idoc *d, size_t s, size_t e, const char *const *lits);
/* Copies the original bytes of code points [s,e) as a new string (NULL on OOM). */
char *ix_dup(const struct idoc *d, size_t s, size_t e);
int ix_is_cjk_num(uint32_t c);
int ix_cjk_num_val(uint32_t c);
/* Parses an ordinal marker at clause start i (一是, 二要, 第三，, （四）, 5., ①,
** 其一，). Returns its length (0 if none); *kind identifies the family, *ord
** the number. */
size_t ix_enum_marker(const struct idoc *d, size_t i, size_t lim, int *kind,
                      int *ord);
/* Number at i: ASCII digits or Chinese numerals (up to 99). Returns length. */
size_t ix_number(const struct idoc *d, size_t i, size_t lim, int *val);

/* deadline.c */
struct dl_ctx {
  day_t meeting;                     /* DATE_NONE when unknown */
  const struct ingest_options *o;
  int warned_year, warned_workdays;  /* warn once */
  struct ingest_result *r;           /* for warnings */
};
/* First time limit in [s,e): its resolved date, or DATE_NONE. */
day_t dl_find(struct dl_ctx *c, const struct idoc *d, size_t s, size_t e);
/* As dl_find; *unresolved is set to 1 when a time phrase was found that could
** not be resolved (no meeting year, no working-day calendar). */
day_t dl_find2(struct dl_ctx *c, const struct idoc *d, size_t s, size_t e,
               int *unresolved);
/* 1 when the clause [s,e) is nothing but a time phrase (下半年, 2021年下半年). */
int dl_is_time_clause(const struct idoc *d, size_t s, size_t e);

/* units.c */
enum actor_kind { ACT_NONE = 0, ACT_INST, ACT_GENERAL, ACT_VAGUE, ACT_SPECIFIC };
/* Classifies [s,e) as an actor noun phrase. */
enum actor_kind unit_classify(const struct idoc *d, size_t s, size_t e);
/* Looks for "ACTOR要/将/会…" at the start of clause [s,e) (after skipping
** connectives). Returns the kind and sets [*as,*ae) to the actor span and
** *after to the index after the modal verb. */
enum actor_kind unit_actor_at(const struct idoc *d, size_t s, size_t e,
                              size_t *as, size_t *ae, size_t *after);
/* Longest prefix of [s,e) (within 16 chars) that is a unit name. */
enum actor_kind unit_subject(const struct idoc *d, size_t s, size_t e,
                             size_t *ae);
struct unit_matcher;
int unit_matcher_open(struct unit_matcher **m, const struct ingest_options *o,
                      struct err *e);
void unit_matcher_close(struct unit_matcher *m);
/* Best unit for a task (unit text may be NULL). Returns index into o->units
** or -1. -2 on an ICU failure (e set). */
int unit_suggest(struct unit_matcher *m, const char *unit, const char *text,
                 struct err *e);

/* meta.c */
int meta_extract(const struct idoc *d, const struct ingest_options *o,
                 struct ingest_result *r, struct err *e);

/* extract.c */
int extract_tasks(const struct idoc *d, struct dl_ctx *dl,
                  struct ingest_result *r, struct err *e);

/* ingest.c */
int result_warn(struct ingest_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int strv_push(char ***v, size_t *n, char *s); /* takes s; frees it on error */

/* read.c */
int read_decode(const char *bytes, size_t n, size_t max, char **out,
                size_t *outlen, const char **encoding, struct err *e);
int read_docx(const char *path, size_t max, char **out, size_t *outlen,
              struct err *e);

#endif

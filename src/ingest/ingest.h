/*
** ingest.h — from a meeting report to a draft task ledger (SPEC §8).
**
** ingest_text() takes the bytes of a report (UTF-8, or GB18030/GBK, detected),
** ingest_file() also reads a .docx. Both fill a struct ingest_result: the decoded
** UTF-8 text, the meeting metadata and the draft tasks. Extraction is pure: no
** I/O, no network, deterministic. Every string in a result is UTF-8 and owned by
** the result; ingest_result_release() frees them all. Offsets are character
** (code point) offsets into result.text, end exclusive, and every task's
** source_text is exactly the text between them.
**
** The rules (segmentation, directive detection, units, deadlines) are
** described in docs/ingest.md; each task names the rule that produced it.
*/
#ifndef DUBAN_INGEST_H
#define DUBAN_INGEST_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "util/date.h"
#include "util/err.h"

/* Default input limit when ingest_options.max_bytes is 0: 8 MiB of text (after
** decoding; for a .docx, of document.xml uncompressed, and 32 MiB for the
** archive itself). */
#define INGEST_DEFAULT_MAX_BYTES ((size_t)8 << 20)

/* One of the institution's own units, for suggested_unit. Strings are borrowed
** for the duration of the call. */
struct ingest_unit {
  int64_t id;              /* the unit's id, copied to the task */
  const char *name;        /* full name (研究生院) */
  const char *short_name;  /* may be NULL */
  const char *aliases;     /* '|'-separated, may be NULL */
  const char *keywords;    /* '|'-separated, may be NULL (研究生教育|学位) */
};

/* Adds n working days to from; returns 0 with *out set, or -1 with e set. */
typedef int (*ingest_add_workdays_fn)(void *ctx, day_t from, int n, day_t *out,
                                      struct err *e);

struct ingest_options {
  day_t meeting_date;               /* DATE_NONE: take it from the text */
  const struct ingest_unit *units;  /* may be NULL when n_units is 0 */
  size_t n_units;
  ingest_add_workdays_fn add_workdays;  /* NULL: "N个工作日内" gives no deadline
                                           and a warning */
  void *workdays_ctx;               /* passed to add_workdays */
  size_t max_bytes;                 /* 0: INGEST_DEFAULT_MAX_BYTES */
};

struct ingest_task {
  char *source_text;        /* verbatim substring of result.text */
  size_t start, end;        /* character offsets in result.text, [start, end) */
  char *title;              /* short verb-object title, <= 30 characters */
  char *unit;               /* actor named by the text, or NULL */
  char *suggested_unit;     /* name from options.units, or NULL */
  int64_t suggested_unit_id;/* its id; 0 when suggested_unit is NULL */
  day_t deadline;           /* DATE_NONE when the text gives none */
  const char *rule;         /* static name of the rule that fired */
};

struct ingest_result {
  char *text;               /* the whole decoded text, UTF-8, NUL-terminated */
  size_t text_len;          /* its length in bytes */
  size_t text_chars;        /* its length in characters */
  const char *encoding;     /* static: "UTF-8", "GB18030" or "docx" */
  char *title;              /* meeting title (first short line, or generated) */
  day_t meeting_date;       /* DATE_NONE when unknown */
  char *place;              /* or NULL */
  char *host;               /* who chaired, as worded; or NULL */
  char **attendees;         /* n_attendees strings, as worded */
  size_t n_attendees;
  char **documents;         /* approved documents, with their 《》 */
  size_t n_documents;
  char **warnings;          /* human-readable notes for the reviewer */
  size_t n_warnings;
  struct ingest_task *tasks;
  size_t n_tasks;
};

/* Ingests n bytes of text. o may be NULL (defaults). On success returns 0 and
** fills *out, which the caller releases with ingest_result_release(). On
** failure returns -1, sets e (field "file" for unreadable input: empty, binary,
** too large, undecodable) and leaves *out empty (releasing it is harmless).
** A text without tasks is not an error: it gives zero tasks. */
int ingest_text(const char *bytes, size_t n, const struct ingest_options *o,
                struct ingest_result *out, struct err *e);

/* Reads path (.docx by its zip signature, otherwise text) and ingests it, as
** ingest_text(). Size caps: options.max_bytes for the text, 4× that for the
** .docx archive and its document.xml. */
int ingest_file(const char *path, const struct ingest_options *o,
                struct ingest_result *out, struct err *e);

/* Frees everything a result owns and zeroes it. Safe on a zeroed result. */
void ingest_result_release(struct ingest_result *r);

/* The result as JSON (new reference, caller json_decref()s; NULL on OOM):
** {"meeting":{"title","date","place","host","attendees","documents_approved"},
**  "encoding", "chars", "warnings":[...],
**  "tasks":[{"source_text","title","unit","deadline","suggested_unit",
**            "suggested_unit_id","rule","start","end"}]} */
json_t *ingest_result_json(const struct ingest_result *r);

/* `duban ingest` (argv[0] is "ingest"). Returns the exit code: 0, 1 error,
** 2 usage. */
int cmd_ingest(int argc, char **argv);

/* Stores the source and its draft tasks in one transaction (implemented by the
** application layer, src/app; called by `duban ingest --commit`). Returns 0, or
** -1 with e set. */
int ingest_commit_hook(const struct ingest_result *r, const char *db_path,
                       struct err *e);

/* Like ingest_file, with the units (for suggested_unit) and the working-day
** calendar (for "N个工作日内") of the database at db_path, when db_path is
** not NULL. Implemented by the application layer (src/app/ingest_app.c). */
int ingest_file_with_db(const char *path, const char *db_path, const struct ingest_options *o,
                        struct ingest_result *out, struct err *e);

#endif

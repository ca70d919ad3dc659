/*
** search_index.h — the full-text index behind search (app/search.h).
**
** Every searchable text is one row of `search_doc` (kind, ref_id → text,
** task_id), kept in the same transaction as the write that changed it.
** Two indexes serve it:
**   - queries of 3+ characters: SQLite FTS5 `tokenize='trigram'` over
**     search_doc.text (table search_fts, brought in step just before each
**     commit: see search_index.c), and on
**     PostgreSQL a pg_trgm GIN index on search_doc.text;
**   - queries of exactly 2 characters (审计, 疫情, 招生): table search_gram
**     (gram, doc_id), every distinct 2-code-point substring of the text,
**     maintained here in portable SQL, so both backends answer from the
**     same rows.
** Matching is a substring match; ASCII letters match regardless of case.
**
** Kinds: "task" (title + requirement of a task, ref_id = task id) and
** "progress" (a progress report's text, ref_id = its id). A new kind is one
** row of kKinds in search_index.c (its loader SQL) and calls to
** app_search_index from its write paths (search_doc_add for a row just
** inserted inside the caller's transaction).
*/
#ifndef DUBAN_SEARCH_INDEX_H
#define DUBAN_SEARCH_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "store/db.h"
#include "util/err.h"

#define SEARCH_GRAM_BYTES 16   /* room for 2 code points of UTF-8 + NUL */

/* 1 if kind is a known kind name. */
int search_kind_known(const char *kind);
/* Comma-separated kind names, for error messages ("task, progress"). */
const char *search_kind_list(void);

/* Writes (or rewrites) the document of (kind, ref_id). text NULL: read it
** from the row of the kind's table. A row that no longer exists removes the
** document. Inside the caller's transaction. 0 or -1 with e. */
int search_doc_put(struct db *db, const char *kind, int64_t ref_id, const char *text,
                   struct err *e);

/* search_doc_put for a row just inserted, whose task and text the caller
** has: no reads to find what the index held before (a report's write path).
** 0 or -1 with e. */
int search_doc_add(struct db *db, const char *kind, int64_t ref_id, int64_t task_id, const char *text,
                   struct err *e);

/* Indexes every row of every kind that has no document yet (a migration, a
** copy). *n (may be NULL) gets the number of documents written. */
int search_backfill(struct db *db, int64_t *n, struct err *e);

/* Rewrites search_gram and (SQLite) the FTS5 index from search_doc (after a
** copy of search_doc). */
int search_rebuild(struct db *db, struct err *e);

/* The distinct 2-code-point grams of text, ASCII folded to lower case, as
** NUL-terminated strings in one malloc'd array of SEARCH_GRAM_BYTES each
** (sorted). Returns the count, -1 on out of memory; *out NULL when 0. */
long search_grams(const char *text, char (**out)[SEARCH_GRAM_BYTES]);

/* Folds ASCII letters of s to lower case into out (same length). */
void search_fold(const char *s, char *out, size_t cap);

#endif

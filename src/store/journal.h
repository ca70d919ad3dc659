/*
** journal.h — the append-only, hash-chained journal (SPEC §10).
**
** journal_append must run inside the write transaction of the change it
** records, so the change and its entry commit or vanish together. The chain
** head (table journal_head, one row) is read and updated in that same
** transaction: its UPDATE serialises concurrent appenders on PostgreSQL (row
** lock) as the writer lock does on SQLite, so the chain never forks.
*/
#ifndef DUBAN_JOURNAL_H
#define DUBAN_JOURNAL_H

#include <jansson.h>
#include <stdint.h>

#include "store/db.h"

/* Appends one entry. before/after may be NULL (create / delete); they are
** serialised compactly with sorted keys. Returns the entry id (> 0) or -1. */
int64_t journal_append(struct db *db, int64_t actor_id, const char *entity,
                       int64_t entity_id, const char *action, json_t *before,
                       json_t *after, struct err *e);
/* The same with before/after given as JSON text (NULL for none), stored
** and hashed as given: for writers that render their entity as text
** anyway (a task action writes two task rows per request). */
int64_t journal_append_text(struct db *db, int64_t actor_id, const char *entity,
                            int64_t entity_id, const char *action, const char *before,
                            const char *after, struct err *e);

struct journal_check {
  int64_t entries;        /* entries read */
  int64_t first_broken;   /* id of the first bad entry, 0 when all good */
  char reason[160];       /* why it is bad */
};

/* Recomputes the chain from the first entry. Returns 0 (check *out->first_broken)
** or -1 when the database could not be read. */
int journal_verify(struct db *db, struct journal_check *out, struct err *e);

#endif

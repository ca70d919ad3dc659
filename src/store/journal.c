/* journal.c — see journal.h. */
#include "store/journal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "util/date.h"

static char *dump(json_t *j) {
  return j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
}

int64_t journal_append(struct db *db, int64_t actor_id, const char *entity,
                       int64_t entity_id, const char *action, json_t *before,
                       json_t *after, struct err *e) {
  char *b = dump(before), *a = dump(after);
  int64_t id = -1;
  if ((before && !b) || (after && !a)) err_set(e, ERR_INTERNAL, "", "out of memory");
  else id = journal_append_text(db, actor_id, entity, entity_id, action, b, a, e);
  free(b);
  free(a);
  return id;
}

int64_t journal_append_text(struct db *db, int64_t actor_id, const char *entity,
                            int64_t entity_id, const char *action, const char *b,
                            const char *a, struct err *e) {
  struct db_stmt *st;
  char prev[AUDIT_HASH_HEX] = "", hash[AUDIT_HASH_HEX];
  int64_t last_id = 0;
  struct audit_entry ent;
  int rc;

  if (!db_in_transaction(db)) {
    err_set(e, ERR_INTERNAL, "", "journal entry outside a transaction");
    return -1;
  }
  /* Lock the head first (PostgreSQL: FOR UPDATE; SQLite holds the write lock). */
  st = db_prepare(db, db_kind(db) == DB_POSTGRES
                          ? "SELECT last_id, last_hash FROM journal_head WHERE id = 1 FOR UPDATE"
                          : "SELECT last_id, last_hash FROM journal_head WHERE id = 1",
                  e);
  if (!st) return -1;
  rc = db_step(st, e);
  if (rc == DB_ROW) {
    last_id = db_col_int(st, 0);
    snprintf(prev, sizeof prev, "%s", db_col_text(st, 1));
  }
  db_done(st);
  if (rc != DB_ROW) {
    if (rc == DB_DONE) err_set(e, ERR_INTERNAL, "", "journal head missing");
    return -1;
  }
  ent.id = last_id + 1;
  ent.at = now_unix();
  ent.actor_id = actor_id;
  ent.entity = entity;
  ent.entity_id = entity_id;
  ent.action = action;
  ent.before = b;
  ent.after = a;
  if (audit_hash(prev, &ent, hash)) {
    err_set(e, ERR_INTERNAL, "", "journal head hash is malformed");
    return -1;
  }
  st = db_prepare(db,
                  "INSERT INTO journal (id, at, actor_id, entity, entity_id, action,"
                  " before, after, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?)",
                  e);
  if (!st) return -1;
  db_bind_int(st, 1, ent.id);
  db_bind_int(st, 2, ent.at);
  db_bind_int(st, 3, actor_id);
  db_bind_text(st, 4, entity);
  db_bind_int(st, 5, entity_id);
  db_bind_text(st, 6, action);
  db_bind_text(st, 7, b);
  db_bind_text(st, 8, a);
  db_bind_text(st, 9, prev);
  db_bind_text(st, 10, hash);
  if (db_run(st, e)) return -1;
  st = db_prepare(db, "UPDATE journal_head SET last_id = ?, last_hash = ? WHERE id = 1", e);
  if (!st) return -1;
  db_bind_int(st, 1, ent.id);
  db_bind_text(st, 2, hash);
  if (db_run(st, e)) return -1;
  return ent.id;
}

int journal_verify(struct db *db, struct journal_check *out, struct err *e) {
  struct db_stmt *st;
  char prev[AUDIT_HASH_HEX] = "", hash[AUDIT_HASH_HEX];
  int64_t expect_id = 1, head_id = 0;
  char head_hash[AUDIT_HASH_HEX] = "";
  int rc;

  memset(out, 0, sizeof *out);
  st = db_prepare(db,
                  "SELECT id, at, actor_id, entity, entity_id, action, before, after,"
                  " prev_hash, hash FROM journal ORDER BY id",
                  e);
  if (!st) return -1;
  while ((rc = db_step(st, e)) == DB_ROW) {
    struct audit_entry ent;
    ent.id = db_col_int(st, 0);
    ent.at = db_col_int(st, 1);
    ent.actor_id = db_col_int(st, 2);
    ent.entity = db_col_text(st, 3);
    ent.entity_id = db_col_int(st, 4);
    ent.action = db_col_text(st, 5);
    ent.before = db_col_is_null(st, 6) ? NULL : db_col_text(st, 6);
    ent.after = db_col_is_null(st, 7) ? NULL : db_col_text(st, 7);
    out->entries++;
    if (out->first_broken) continue;
    if (ent.id != expect_id) {
      out->first_broken = expect_id;
      snprintf(out->reason, sizeof out->reason,
               "entry %lld is missing (next present is %lld)", (long long)expect_id,
               (long long)ent.id);
      continue;
    }
    if (strcmp(db_col_text(st, 8), prev) != 0) {
      out->first_broken = ent.id;
      snprintf(out->reason, sizeof out->reason,
               "entry %lld does not link to the entry before it", (long long)ent.id);
      continue;
    }
    if (audit_hash(prev, &ent, hash) || strcmp(hash, db_col_text(st, 9)) != 0) {
      out->first_broken = ent.id;
      snprintf(out->reason, sizeof out->reason,
               "entry %lld was changed after it was written (hash mismatch)",
               (long long)ent.id);
      continue;
    }
    memcpy(prev, hash, sizeof prev);
    expect_id++;
  }
  db_done(st);
  if (rc < 0) return -1;
  if (out->first_broken) return 0;
  /* Entries cut off the end show up against the head. */
  st = db_prepare(db, "SELECT last_id, last_hash FROM journal_head WHERE id = 1", e);
  if (!st) return -1;
  rc = db_step(st, e);
  if (rc == DB_ROW) {
    head_id = db_col_int(st, 0);
    snprintf(head_hash, sizeof head_hash, "%s", db_col_text(st, 1));
  }
  db_done(st);
  if (rc < 0) return -1;
  if (head_id != expect_id - 1 || strcmp(head_hash, prev) != 0) {
    out->first_broken = expect_id;
    snprintf(out->reason, sizeof out->reason,
             "the journal ends at entry %lld but its head records entry %lld",
             (long long)(expect_id - 1), (long long)head_id);
  }
  return 0;
}

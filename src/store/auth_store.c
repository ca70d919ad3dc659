/* auth_store.c — see auth_store.h. */
#include "store/auth_store.h"

#include <stdio.h>
#include <string.h>

#include "store/journal.h"

/* Steps a write statement to completion and releases it. */
static int run(struct db_stmt *st, struct err *e) {
  int rc;
  if (!st) return -1;
  rc = db_step(st, e);
  db_done(st);
  return rc < 0 ? -1 : 0;
}

/* Runs fn-free single-statement writes inside their own transaction. */
static int begin(struct db *db, struct err *e) { return db_begin(db, DB_WRITE, e); }
static int end(struct db *db, int rc, struct err *e) {
  if (rc) {
    db_rollback(db);
    return -1;
  }
  return db_commit(db, e);
}

/* ---- sessions ---- */

int auth_session_create(struct db *db, const char *digest, int64_t user_id,
                        const char *csrf, int64_t now, struct err *e) {
  struct db_stmt *st;
  int rc;
  if (begin(db, e)) return -1;
  st = db_prepare(db,
                  "INSERT INTO session (digest, user_id, csrf, created_at, last_seen_at)"
                  " VALUES (?, ?, ?, ?, ?)", e);
  if (st) {
    db_bind_text(st, 1, digest);
    db_bind_int(st, 2, user_id);
    db_bind_text(st, 3, csrf);
    db_bind_int(st, 4, now);
    db_bind_int(st, 5, now);
  }
  rc = run(st, e);
  return end(db, rc, e);
}

int auth_session_find(struct db *db, const char *digest, struct auth_session *out,
                      struct err *e) {
  struct db_stmt *st = db_prepare(db,
      "SELECT s.user_id, s.csrf, s.created_at, s.last_seen_at FROM session s"
      " JOIN app_user u ON u.id = s.user_id AND u.active = 1 WHERE s.digest = ?", e);
  int rc;
  if (!st) return -1;
  db_bind_text(st, 1, digest);
  rc = db_step(st, e);
  if (rc == DB_ROW) {
    out->user_id = db_col_int(st, 0);
    snprintf(out->csrf, sizeof out->csrf, "%s", db_col_text(st, 1));
    out->created_at = db_col_int(st, 2);
    out->last_seen_at = db_col_int(st, 3);
  }
  db_done(st);
  return rc < 0 ? -1 : rc == DB_ROW;
}

int auth_session_touch(struct db *db, const char *digest, int64_t now, struct err *e) {
  struct db_stmt *st;
  int rc;
  if (begin(db, e)) return -1;
  st = db_prepare(db, "UPDATE session SET last_seen_at = ? WHERE digest = ?", e);
  if (st) {
    db_bind_int(st, 1, now);
    db_bind_text(st, 2, digest);
  }
  rc = run(st, e);
  return end(db, rc, e);
}

int auth_session_delete(struct db *db, const char *digest, struct err *e) {
  struct db_stmt *st;
  int rc;
  if (begin(db, e)) return -1;
  st = db_prepare(db, "DELETE FROM session WHERE digest = ?", e);
  if (st) db_bind_text(st, 1, digest);
  rc = run(st, e);
  return end(db, rc, e);
}

int auth_session_purge(struct db *db, int64_t idle_before, int64_t created_before,
                       struct err *e) {
  struct db_stmt *st;
  int rc;
  if (begin(db, e)) return -1;
  st = db_prepare(db, "DELETE FROM session WHERE last_seen_at < ? OR created_at < ?", e);
  if (st) {
    db_bind_int(st, 1, idle_before);
    db_bind_int(st, 2, created_before);
  }
  rc = run(st, e);
  return end(db, rc, e);
}

/* ---- API tokens ---- */

static json_t *token_json(int64_t id, int64_t user_id, const char *name) {
  return json_pack("{sI sI ss}", "id", (json_int_t)id, "user_id", (json_int_t)user_id,
                   "name", name);
}

int auth_token_create(struct db *db, int64_t user_id, const char *name,
                      const char *digest, int64_t created_by, int64_t now,
                      int64_t *id, struct err *e) {
  struct db_stmt *st;
  json_t *after = NULL;
  int rc = -1;
  *id = 0;
  if (begin(db, e)) return -1;
  st = db_prepare(db,
                  "INSERT INTO api_token (user_id, name, digest, created_at, created_by)"
                  " VALUES (?, ?, ?, ?, ?) RETURNING id", e);
  if (!st) goto done;
  db_bind_int(st, 1, user_id);
  db_bind_text(st, 2, name);
  db_bind_text(st, 3, digest);
  db_bind_int(st, 4, now);
  db_bind_int(st, 5, created_by);
  rc = db_step_int(st, id, e);
  db_done(st);
  if (rc < 0) goto done;
  rc = -1;
  after = token_json(*id, user_id, name);
  if (journal_append(db, created_by, "api_token", *id, "create", NULL, after, e) < 0)
    goto done;
  rc = 0;
done:
  json_decref(after);
  return end(db, rc, e);
}

int auth_token_touch(struct db *db, int64_t token_id, int64_t now, struct err *e) {
  struct db_stmt *st;
  int rc;
  if (begin(db, e)) return -1;
  st = db_prepare(db, "UPDATE api_token SET last_used_at = ? WHERE id = ?", e);
  if (st) {
    db_bind_int(st, 1, now);
    db_bind_int(st, 2, token_id);
  }
  rc = run(st, e);
  return end(db, rc, e);
}

static json_t *int_or_null(struct db_stmt *st, int col) {
  return db_col_is_null(st, col) ? json_null() : json_integer(db_col_int(st, col));
}

int auth_token_list(struct db *db, int64_t user_id, json_t **out, struct err *e) {
  struct db_stmt *st = db_prepare(db,
      "SELECT id, user_id, name, created_at, created_by, last_used_at, revoked_at"
      " FROM api_token WHERE (? = 0 OR user_id = ?) ORDER BY id DESC", e);
  json_t *arr;
  int rc;
  *out = NULL;
  if (!st) return -1;
  db_bind_int(st, 1, user_id);
  db_bind_int(st, 2, user_id);
  arr = json_array();
  while ((rc = db_step(st, e)) == DB_ROW) {
    json_t *o = json_pack("{sI sI ss sI sI}", "id", (json_int_t)db_col_int(st, 0),
                          "user_id", (json_int_t)db_col_int(st, 1), "name",
                          db_col_text(st, 2), "created_at", (json_int_t)db_col_int(st, 3),
                          "created_by", (json_int_t)db_col_int(st, 4));
    if (!o) continue;
    json_object_set_new(o, "last_used_at", int_or_null(st, 5));
    json_object_set_new(o, "revoked_at", int_or_null(st, 6));
    json_array_append_new(arr, o);
  }
  db_done(st);
  if (rc < 0) {
    json_decref(arr);
    return -1;
  }
  *out = arr;
  return 0;
}

int auth_token_owner(struct db *db, int64_t token_id, int64_t *user_id, struct err *e) {
  struct db_stmt *st = db_prepare(db, "SELECT user_id FROM api_token WHERE id = ?", e);
  int rc;
  if (!st) return -1;
  db_bind_int(st, 1, token_id);
  rc = db_step_int(st, user_id, e);
  db_done(st);
  return rc < 0 ? -1 : rc == DB_ROW;
}

int auth_token_revoke(struct db *db, int64_t token_id, int64_t actor_id, int64_t now,
                      struct err *e) {
  struct db_stmt *st;
  json_t *after = NULL;
  int rc = -1;
  if (begin(db, e)) return -1;
  st = db_prepare(db,
                  "UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                  e);
  if (!st) goto done;
  db_bind_int(st, 1, now);
  db_bind_int(st, 2, token_id);
  if (run(st, e)) goto done;
  if (db_changes(db) > 0) {
    after = json_pack("{sI sI}", "id", (json_int_t)token_id, "revoked_at", (json_int_t)now);
    if (journal_append(db, actor_id, "api_token", token_id, "revoke", NULL, after, e) < 0)
      goto done;
  }
  rc = 0;
done:
  json_decref(after);
  return end(db, rc, e);
}

/* ---- login throttling ---- */

int auth_failure_add(struct db *db, const char *key, int64_t now, struct err *e) {
  struct db_stmt *st;
  int rc;
  if (begin(db, e)) return -1;
  st = db_prepare(db, "INSERT INTO login_failure (key, at) VALUES (?, ?)", e);
  if (st) {
    db_bind_text(st, 1, key);
    db_bind_int(st, 2, now);
  }
  rc = run(st, e);
  return end(db, rc, e);
}

int auth_failure_count(struct db *db, const char *key, int64_t since, int64_t *n,
                       int64_t *oldest, struct err *e) {
  struct db_stmt *st = db_prepare(db,
      "SELECT COUNT(*), COALESCE(MIN(at), 0) FROM login_failure WHERE key = ? AND at >= ?", e);
  int rc;
  *n = 0;
  *oldest = 0;
  if (!st) return -1;
  db_bind_text(st, 1, key);
  db_bind_int(st, 2, since);
  rc = db_step(st, e);
  if (rc == DB_ROW) {
    *n = db_col_int(st, 0);
    *oldest = db_col_int(st, 1);
  }
  db_done(st);
  return rc < 0 ? -1 : 0;
}

int auth_failure_clear(struct db *db, const char *key, struct err *e) {
  struct db_stmt *st;
  int rc;
  if (begin(db, e)) return -1;
  st = db_prepare(db, "DELETE FROM login_failure WHERE key = ?", e);
  if (st) db_bind_text(st, 1, key);
  rc = run(st, e);
  return end(db, rc, e);
}

int auth_failure_purge(struct db *db, int64_t before, struct err *e) {
  struct db_stmt *st;
  int rc;
  if (begin(db, e)) return -1;
  st = db_prepare(db, "DELETE FROM login_failure WHERE at < ?", e);
  if (st) db_bind_int(st, 1, before);
  rc = run(st, e);
  return end(db, rc, e);
}

int auth_ping(struct db *db, struct err *e) {
  struct db_stmt *st = db_prepare(db, "SELECT 1", e);
  int64_t one = 0;
  int rc;
  if (!st) return -1;
  rc = db_step_int(st, &one, e);
  db_done(st);
  return rc < 0 ? -1 : 0;
}

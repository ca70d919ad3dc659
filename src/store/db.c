/* db.c — backend dispatch and the per-connection statement cache; see db.h. */
#include "store/db.h"

#include <stdlib.h>
#include <string.h>

static const struct db_driver *driver_for(const char *target) {
  if (strncmp(target, "postgres://", 11) == 0 ||
      strncmp(target, "postgresql://", 13) == 0)
    return &db_pg_driver;
  return &db_sqlite_driver;
}

struct db *db_open(const char *target, struct err *e) {
  struct db *db;
  if (!target || !*target) {
    err_set(e, ERR_INVALID, "db", "no database given");
    return NULL;
  }
  db = calloc(1, sizeof *db);
  if (!db || !(db->target = strdup(target))) {
    free(db);
    err_set(e, ERR_INTERNAL, "db", "out of memory");
    return NULL;
  }
  db->drv = driver_for(target);
  if (db->drv->open(db, target, e)) {
    free(db->target);
    free(db);
    return NULL;
  }
  return db;
}

void db_close(struct db *db) {
  if (!db) return;
  if (db->in_tx) db_rollback(db);
  for (int i = 0; i < db->n_work; i++)
    if (db->work[i].w->release) db->work[i].w->release(db->work[i].arg);
  for (size_t i = 0; i < db->n_cache; i++) {
    db->drv->finalize(db->cache[i].st);
    free(db->cache[i].owned);
  }
  free(db->cache);
  db->drv->close(db);
  free(db->target);
  free(db);
}

enum db_kind db_kind(const struct db *db) { return db->drv->kind; }
const char *db_target(const struct db *db) { return db->target; }
int db_exec(struct db *db, const char *sql, struct err *e) { return db->drv->exec(db, sql, e); }

static void discard_work(struct db *db) {
  for (int i = 0; i < db->n_work; i++)
    if (db->work[i].w->discard) db->work[i].w->discard(db, db->work[i].arg);
}

int db_begin(struct db *db, int write, struct err *e) {
  if (db->in_tx) return err_set(e, ERR_INTERNAL, "", "transaction already open");
  if (db->drv->begin(db, write, e)) return -1;
  db->in_tx = 1;
  db->write_tx = write;
  return 0;
}

int db_commit(struct db *db, struct err *e) {
  int rc = 0;
  if (!db->in_tx) return 0;
  for (int i = 0; rc == 0 && i < db->n_work; i++)
    rc = db->work[i].w->before_commit(db, db->work[i].arg, e);
  if (rc == 0) rc = db->drv->commit(db, e);
  if (rc) {
    db->drv->rollback(db);
    discard_work(db);
  }
  db->in_tx = 0;
  db->write_tx = 0;
  return rc;
}

void db_rollback(struct db *db) {
  if (!db->in_tx) return;
  db->drv->rollback(db);
  discard_work(db);
  db->in_tx = 0;
  db->write_tx = 0;
}

int db_in_transaction(const struct db *db) { return db->in_tx; }

int db_add_commit_work(struct db *db, const struct db_commit_work *w, void *arg, struct err *e) {
  if (db->n_work == DB_MAX_COMMIT_WORK)
    return err_set(e, ERR_INTERNAL, "", "too much deferred work on one connection");
  db->work[db->n_work].w = w;
  db->work[db->n_work].arg = arg;
  db->n_work++;
  return 0;
}

void *db_commit_work_arg(const struct db *db, const struct db_commit_work *w) {
  for (int i = 0; i < db->n_work; i++)
    if (db->work[i].w == w) return db->work[i].arg;
  return NULL;
}

static struct db_stmt *cache_add(struct db *db, const char *sql, char *owned,
                                 struct err *e) {
  struct db_stmt *st = db->drv->prepare(db, sql, e);
  if (!st) return NULL;
  st->db = db;
  st->sql = sql;
  if (db->n_cache == db->cap_cache) {
    size_t n = db->cap_cache ? db->cap_cache * 2 : 64;
    struct db_stmt_cache_entry *p = realloc(db->cache, n * sizeof *p);
    if (!p) {
      db->drv->finalize(st);
      (void)owned;
      err_set(e, ERR_INTERNAL, "", "out of memory");
      return NULL;
    }
    db->cache = p;
    db->cap_cache = n;
  }
  db->cache[db->n_cache].sql = sql;
  db->cache[db->n_cache].st = st;
  db->cache[db->n_cache].owned = owned;
  db->n_cache++;
  return st;
}

struct db_stmt *db_prepare(struct db *db, const char *sql, struct err *e) {
  /* Pointer equality: SQL strings are literals. */
  for (size_t i = 0; i < db->n_cache; i++)
    if (db->cache[i].sql == sql && !db->cache[i].owned) return db->cache[i].st;
  return cache_add(db, sql, NULL, e);
}

struct db_stmt *db_prepare_text(struct db *db, const char *sql, struct err *e) {
  char *copy;
  struct db_stmt *st;
  for (size_t i = 0; i < db->n_cache; i++)
    if (db->cache[i].owned && strcmp(db->cache[i].owned, sql) == 0) return db->cache[i].st;
  copy = strdup(sql);
  if (!copy) {
    err_set(e, ERR_INTERNAL, "", "out of memory");
    return NULL;
  }
  st = cache_add(db, copy, copy, e);
  if (!st) free(copy);
  return st;
}

void db_done(struct db_stmt *st) {
  if (st) st->db->drv->reset(st);
}
int db_bind_int(struct db_stmt *st, int i, int64_t v) { return st->db->drv->bind_int(st, i, v); }
int db_bind_double(struct db_stmt *st, int i, double v) { return st->db->drv->bind_double(st, i, v); }
int db_bind_text(struct db_stmt *st, int i, const char *v) { return st->db->drv->bind_text(st, i, v); }
int db_bind_null(struct db_stmt *st, int i) { return st->db->drv->bind_null(st, i); }
int db_bind_int_or_null(struct db_stmt *st, int i, int64_t v, int is_null) {
  return is_null ? db_bind_null(st, i) : db_bind_int(st, i, v);
}
int db_step(struct db_stmt *st, struct err *e) { return st->db->drv->step(st, e); }
int db_run(struct db_stmt *st, struct err *e) {
  int rc = db_step(st, e);
  db_done(st);
  return rc < 0 ? -1 : 0;
}

int db_collect_ids(struct db_stmt *st, int64_t **ids, size_t *n, struct err *e) {
  size_t cap = 0;
  int rc;
  *ids = NULL;
  *n = 0;
  while ((rc = db_step(st, e)) == DB_ROW) {
    if (*n == cap) {
      size_t nc = cap ? cap * 2 : 64;
      int64_t *p = realloc(*ids, nc * sizeof **ids);
      if (!p) {
        rc = err_set(e, ERR_INTERNAL, "", "out of memory");
        break;
      }
      *ids = p;
      cap = nc;
    }
    (*ids)[(*n)++] = db_col_int(st, 0);
  }
  db_done(st);
  if (rc < 0) {
    free(*ids);
    *ids = NULL;
    *n = 0;
    return -1;
  }
  return 0;
}
int db_col_count(struct db_stmt *st) { return st->db->drv->col_count(st); }
const char *db_col_name(struct db_stmt *st, int i) { return st->db->drv->col_name(st, i); }
int db_col_is_null(struct db_stmt *st, int i) { return st->db->drv->col_is_null(st, i); }
int64_t db_col_int(struct db_stmt *st, int i) { return st->db->drv->col_int(st, i); }
double db_col_double(struct db_stmt *st, int i) { return st->db->drv->col_double(st, i); }
const char *db_col_textn(struct db_stmt *st, int i, size_t *n) {
  const char *s = st->db->drv->col_textn(st, i, n);
  if (!s) *n = 0;
  return s;
}
const char *db_col_text(struct db_stmt *st, int i) {
  const char *s = st->db->drv->col_text(st, i);
  return s ? s : "";
}
int db_changes(struct db *db) { return db->drv->changes(db); }

int db_backup(struct db *db, const char *path, struct err *e) {
  if (!db->drv->backup)
    return err_set(e, ERR_INVALID, "db",
                   "backup of a %s database: use the server's own tools (pg_dump)",
                   db->drv->name);
  return db->drv->backup(db, path, e);
}

int db_step_int(struct db_stmt *st, int64_t *out, struct err *e) {
  int rc = db_step(st, e);
  if (rc == DB_ROW) *out = db_col_int(st, 0);
  return rc;
}

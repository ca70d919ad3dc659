/* db.c — backend dispatch and the per-connection statement cache; see db.h. */
#include "store/db.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Writes committed by this process's connections: a kept read snapshot
** older than the last one is not resumed (db_read_begin). */
static _Atomic uint64_t g_local_writes;

uint64_t db_local_writes(void) { return atomic_load(&g_local_writes); }
void db_note_write(void) { atomic_fetch_add(&g_local_writes, 1); }

static int64_t mono_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Closes a kept read snapshot before any other use of the connection. */
static void release_kept(struct db *db) {
  if (!db->kept) return;
  db->kept = 0;
  db->drv->rollback(db);
}

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
  release_kept(db);
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
int db_exec(struct db *db, const char *sql, struct err *e) {
  int rc;
  release_kept(db);
  rc = db->drv->exec(db, sql, e);
  db_note_write();   /* schema and pragmas: assume it wrote */
  return rc;
}

static void discard_work(struct db *db) {
  for (int i = 0; i < db->n_work; i++)
    if (db->work[i].w->discard) db->work[i].w->discard(db, db->work[i].arg);
}

int db_begin(struct db *db, int write, struct err *e) {
  if (db->in_tx) return err_set(e, ERR_INTERNAL, "", "transaction already open");
  release_kept(db);
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
  if (rc == 0 && db->write_tx) db_note_write();
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

void db_keep_snapshots(struct db *db, int64_t max_age_us) {
  db->keep_us = db->drv->tx_open && max_age_us > 0 ? max_age_us : 0;
  if (!db->keep_us) release_kept(db);
}

/* A kept snapshot may serve another read: young enough, and no write
** of this process committed since it began. */
static int resumable(const struct db *db, int64_t now) {
  return now - db->snap_at_us <= db->keep_us && db_local_writes() == db->snap_writes;
}

int db_read_begin(struct db *db, struct err *e) {
  if (db->in_tx) return err_set(e, ERR_INTERNAL, "", "transaction already open");
  if (db->kept) {
    int64_t now = mono_us();
    if (resumable(db, now)) {
      db->kept = 0;
      db->in_tx = 1;
      db->write_tx = 0;
      db->reading = 1;
      return 0;
    }
    release_kept(db);
  }
  if (db->keep_us) {
    /* Read before BEGIN: a write committed in between makes the snapshot
    ** look older than it is, never newer. */
    db->snap_writes = db_local_writes();
    db->snap_at_us = mono_us();
  }
  if (db_begin(db, DB_READ, e)) return -1;
  db->snap_id++;
  db->reading = 1;
  return 0;
}

void db_read_end(struct db *db) {
  int keep = db->reading && db->in_tx && !db->write_tx && db->keep_us && db->drv->tx_open(db);
  db->reading = 0;
  if (!keep) {
    db_rollback(db);
    return;
  }
  discard_work(db);
  db->in_tx = 0;
  db->kept = 1;
}

void db_release_stale_snapshot(struct db *db) {
  if (db->kept && !resumable(db, mono_us())) release_kept(db);
}

uint64_t db_snapshot_id(const struct db *db) {
  return db->reading && db->in_tx && !db->write_tx ? db->snap_id : 0;
}

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
int db_step(struct db_stmt *st, struct err *e) {
  release_kept(st->db);
  return st->db->drv->step(st, e);
}
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
  release_kept(db);
  if (!db->drv->backup)
    return err_set(e, ERR_INVALID, "db",
                   "backup of a %s database: use the server's own tools (pg_dump)",
                   db->drv->name);
  return db->drv->backup(db, path, e);
}

void db_autocheckpoint(struct db *db, int pages) {
  if (db->drv->autocheckpoint) db->drv->autocheckpoint(db, pages);
}

int db_checkpoint(struct db *db, struct err *e) {
  return db->drv->checkpoint ? db->drv->checkpoint(db, e) : 0;
}

long db_log_frames(const struct db *db) { return db->log_frames; }

int db_log_restart(struct db *db, int wait_ms, struct err *e) {
  release_kept(db);
  return db->drv->log_restart ? db->drv->log_restart(db, wait_ms, e) : 0;
}

int db_step_int(struct db_stmt *st, int64_t *out, struct err *e) {
  int rc = db_step(st, e);
  if (rc == DB_ROW) *out = db_col_int(st, 0);
  return rc;
}

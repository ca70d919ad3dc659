/*
** sqlite.c — the SQLite backend of db.h.
**
** Each connection: WAL, foreign keys on, synchronous=FULL (an acknowledged
** write survives a power cut), busy_timeout 10 s. Writers in one process
** queue on a mutex before BEGIN IMMEDIATE, so they never see SQLITE_BUSY from
** each other; writers in other processes are absorbed by busy_timeout, and
** a busy that outlasts it becomes ERR_UNAVAILABLE (HTTP 503 + Retry-After).
*/
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"

struct sq_stmt {
  struct db_stmt base;
  sqlite3_stmt *st;
};

#define BUSY_TIMEOUT_MS 10000

static pthread_mutex_t g_writer = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t g_config_once = PTHREAD_ONCE_INIT;

/* Before SQLite initialises: no global memory-statistics mutex on every
** allocation (connections are never shared between threads: multi-thread
** mode). Measured: -8 % CPU per request on S1 at 64 connections.
** Statement journals in memory up to 1 MiB: every use case runs in a
** savepoint (the group commit gives each request its own), and SQLite keeps
** the original of each page a savepoint changes in a sub-journal, which by
** default spills to a temporary file past 64 KiB. With that default a
** progress report wrote ~24 pages (48 pwrite calls) to a temporary file that
** is thrown away at COMMIT, and each batch created and unlinked one. A
** sub-journal lives as long as its outermost savepoint, one use case; a
** progress report's is ~100 KiB, and a larger one (an ingest, an import)
** spills to a file as before. Why not more: SQLite allocates an in-memory
** journal in chunks of the spill size, one per savepoint that writes. With
** 16 MiB chunks, glibc created a heap for each (a 64 MiB mapping) and
** unmapped it when the savepoint ended: a quarter of the writer's samples
** in S3 were in alloc_new_heap, munmap and their page faults. 1 MiB chunks
** come from the arena and go back to it (docs/performance.md, 2026-12-08,
** eighth session). Unbounded (-1) avoids the mappings too, but allocates in
** 1 KiB chunks, five per page, with no bound on what one savepoint holds. */
static void sq_configure(void) {
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
  sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 1024 * 1024);
}

static int sq_error(struct db *db, int rc, struct err *e) {
  sqlite3 *h = db->conn;
  int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    return err_set(e, ERR_UNAVAILABLE, "", "the database is busy; try again shortly");
  if (primary == SQLITE_CONSTRAINT) {
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
      return err_set(e, ERR_CONFLICT, "", "already exists (%s)", sqlite3_errmsg(h));
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
      return err_set(e, ERR_INVALID, "", "refers to something that does not exist");
    return err_set(e, ERR_INVALID, "", "constraint failed: %s", sqlite3_errmsg(h));
  }
  if (primary == SQLITE_NOTADB)
    return err_set(e, ERR_NOT_DUBAN_DB, "db", "%s is not a duban database", db->target);
  if (primary == SQLITE_FULL || primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN)
    return err_set(e, ERR_UNAVAILABLE, "db", "database I/O error: %s", sqlite3_errmsg(h));
  return err_set(e, ERR_INTERNAL, "", "database error: %s", sqlite3_errmsg(h));
}

static int sq_exec(struct db *db, const char *sql, struct err *e) {
  char *msg = NULL;
  int rc = sqlite3_exec(db->conn, sql, NULL, NULL, &msg);
  sqlite3_free(msg);
  return rc == SQLITE_OK ? 0 : sq_error(db, rc, e);
}

static int sq_open(struct db *db, const char *target, struct err *e) {
  sqlite3 *h = NULL;
  const char *path = target;
  int rc;
  pthread_once(&g_config_once, sq_configure);
  if (strncmp(path, "sqlite:", 7) == 0) path += 7;
  rc = sqlite3_open_v2(path, &h,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                           SQLITE_OPEN_NOMUTEX,
                       NULL);
  if (rc != SQLITE_OK) {
    err_set(e, ERR_UNAVAILABLE, "db", "cannot open %s: %s", path,
            h ? sqlite3_errmsg(h) : "out of memory");
    sqlite3_close(h);
    return -1;
  }
  db->conn = h;
  sqlite3_extended_result_codes(h, 1);
  sqlite3_busy_timeout(h, BUSY_TIMEOUT_MS);
  /* journal_mode=WAL touches the file: a non-database fails here. */
  /* mmap: pages are read from the OS page cache without a copy per read,
  ** shared by every connection (a large ledger is read-mostly).
  ** secure_delete=FAST: Debian builds SQLite with secure_delete on, which
  ** zeroes every freed cell with extra page writes; every write rewrites a
  ** stored task view (app/task_docs.c), and what a write replaced is kept
  ** by the journal anyway. FAST still zeroes what costs no extra I/O. */
  if (sq_exec(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
                  "PRAGMA synchronous=FULL; PRAGMA mmap_size=4294967296; "
                  "PRAGMA cache_size=-32768; PRAGMA secure_delete=FAST;", e)) {
    sqlite3_close(h);
    db->conn = NULL;
    return -1;
  }
  return 0;
}

static void sq_close(struct db *db) {
  for (int i = 0; i < 4; i++) sqlite3_finalize(db->tx_stmt[i]);
  sqlite3_close(db->conn);
}

/* Transaction control through statements prepared once per connection:
** every GET opens and closes a read transaction, and sqlite3_exec would
** parse "BEGIN" and "ROLLBACK" again each time. */
enum { TX_BEGIN, TX_BEGIN_IMMEDIATE, TX_COMMIT, TX_ROLLBACK };
static int sq_tx(struct db *db, int which, struct err *e) {
  static const char *const kSql[] = {"BEGIN", "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"};
  sqlite3_stmt *st = db->tx_stmt[which];
  int rc;
  if (!st) {
    rc = sqlite3_prepare_v3(db->conn, kSql[which], -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) return e ? sq_error(db, rc, e) : -1;
    db->tx_stmt[which] = st;
  }
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc == SQLITE_DONE) return 0;
  return e ? sq_error(db, rc, e) : -1;
}

static int sq_begin(struct db *db, int write, struct err *e) {
  int rc;
  if (write) pthread_mutex_lock(&g_writer);
  rc = sq_tx(db, write ? TX_BEGIN_IMMEDIATE : TX_BEGIN, e);
  if (rc && write) pthread_mutex_unlock(&g_writer);
  return rc;
}

static int sq_commit(struct db *db, struct err *e) {
  int rc = sq_tx(db, TX_COMMIT, e);
  if (rc == 0 && db->write_tx) pthread_mutex_unlock(&g_writer);
  return rc;
}

static int sq_rollback(struct db *db) {
  sq_tx(db, TX_ROLLBACK, NULL);
  if (db->write_tx) pthread_mutex_unlock(&g_writer);
  return 0;
}

static struct db_stmt *sq_prepare(struct db *db, const char *sql, struct err *e) {
  struct sq_stmt *s = calloc(1, sizeof *s);
  int rc;
  if (!s) {
    err_set(e, ERR_INTERNAL, "", "out of memory");
    return NULL;
  }
  rc = sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st, NULL);
  if (rc != SQLITE_OK) {
    sq_error(db, rc, e);
    free(s);
    return NULL;
  }
  return &s->base;
}

#define SQ(st) (((struct sq_stmt *)(st))->st)

static void sq_finalize(struct db_stmt *st) {
  sqlite3_finalize(SQ(st));
  free(st);
}
static int sq_bind_int(struct db_stmt *st, int i, int64_t v) { return sqlite3_bind_int64(SQ(st), i, v); }
static int sq_bind_double(struct db_stmt *st, int i, double v) { return sqlite3_bind_double(SQ(st), i, v); }
static int sq_bind_text(struct db_stmt *st, int i, const char *v) {
  return v ? sqlite3_bind_text(SQ(st), i, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(SQ(st), i);
}
static int sq_bind_null(struct db_stmt *st, int i) { return sqlite3_bind_null(SQ(st), i); }

static int sq_step(struct db_stmt *st, struct err *e) {
  int rc = sqlite3_step(SQ(st));
  if (!st->db->in_tx && !sqlite3_stmt_readonly(SQ(st))) db_note_write();
  if (rc == SQLITE_ROW) return DB_ROW;
  if (rc == SQLITE_DONE) return DB_DONE;
  return sq_error(st->db, sqlite3_extended_errcode(st->db->conn), e);
}
static void sq_reset(struct db_stmt *st) {
  /* Outside a transaction a write that returned rows commits here. */
  if (!st->db->in_tx && !sqlite3_stmt_readonly(SQ(st))) db_note_write();
  sqlite3_reset(SQ(st));
  sqlite3_clear_bindings(SQ(st));
}
static int sq_col_count(struct db_stmt *st) { return sqlite3_column_count(SQ(st)); }
static const char *sq_col_name(struct db_stmt *st, int i) { return sqlite3_column_name(SQ(st), i); }
static int sq_col_is_null(struct db_stmt *st, int i) { return sqlite3_column_type(SQ(st), i) == SQLITE_NULL; }
static int64_t sq_col_int(struct db_stmt *st, int i) { return sqlite3_column_int64(SQ(st), i); }
static double sq_col_double(struct db_stmt *st, int i) { return sqlite3_column_double(SQ(st), i); }
static const char *sq_col_text(struct db_stmt *st, int i) {
  return (const char *)sqlite3_column_text(SQ(st), i);
}
static const char *sq_col_textn(struct db_stmt *st, int i, size_t *n) {
  const char *p = (const char *)sqlite3_column_text(SQ(st), i);
  *n = p ? (size_t)sqlite3_column_bytes(SQ(st), i) : 0;
  return p;
}
static int sq_changes(struct db *db) { return sqlite3_changes(db->conn); }
static int sq_tx_open(struct db *db) { return !sqlite3_get_autocommit(db->conn); }

static int sq_log_hook(void *arg, sqlite3 *h, const char *schema, int frames) {
  struct db *db = arg;
  (void)h;
  if (!strcmp(schema, "main")) db->log_frames = frames;
  return SQLITE_OK;
}

/* SQLite's autocheckpoint is a log hook of its own: with it off, ours
** counts the log's frames for db_log_restart. */
static void sq_autocheckpoint(struct db *db, int pages) {
  sqlite3_wal_autocheckpoint(db->conn, pages);
  db->log_frames = 0;
  if (pages <= 0) sqlite3_wal_hook(db->conn, sq_log_hook, db);
}

static int sq_log_restart(struct db *db, int wait_ms, struct err *e) {
  int rc;
  sqlite3_busy_timeout(db->conn, wait_ms);
  rc = sqlite3_wal_checkpoint_v2(db->conn, NULL, SQLITE_CHECKPOINT_RESTART, NULL, NULL);
  sqlite3_busy_timeout(db->conn, BUSY_TIMEOUT_MS);
  if (rc == SQLITE_BUSY) return 1;
  if (rc != SQLITE_OK) return sq_error(db, rc, e);
  db->log_frames = 0;
  return 0;
}

static int sq_checkpoint(struct db *db, struct err *e) {
  int rc = sqlite3_wal_checkpoint_v2(db->conn, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
  /* BUSY: another checkpoint is running; it does the same work. */
  if (rc == SQLITE_OK || rc == SQLITE_BUSY) return 0;
  return sq_error(db, rc, e);
}

static int sq_backup(struct db *db, const char *path, struct err *e) {
  sqlite3 *dst = NULL;
  sqlite3_backup *b;
  int rc = sqlite3_open(path, &dst);
  if (rc != SQLITE_OK) {
    err_set(e, ERR_INVALID, "file", "cannot create %s: %s", path,
            dst ? sqlite3_errmsg(dst) : "out of memory");
    sqlite3_close(dst);
    return -1;
  }
  b = sqlite3_backup_init(dst, "main", db->conn, "main");
  if (!b) {
    err_set(e, ERR_INTERNAL, "file", "backup failed: %s", sqlite3_errmsg(dst));
    sqlite3_close(dst);
    return -1;
  }
  /* Copy in steps so writers are not blocked for the whole copy. */
  do {
    rc = sqlite3_backup_step(b, 256);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(50);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) {
    err_set(e, ERR_INTERNAL, "file", "backup failed: %s", sqlite3_errstr(rc));
    sqlite3_close(dst);
    return -1;
  }
  rc = sqlite3_close(dst);
  return rc == SQLITE_OK ? 0 : err_set(e, ERR_INTERNAL, "file", "backup close failed");
}

const struct db_driver db_sqlite_driver = {
  .name = "sqlite", .kind = DB_SQLITE,
  .open = sq_open, .close = sq_close, .exec = sq_exec,
  .begin = sq_begin, .commit = sq_commit, .rollback = sq_rollback,
  .prepare = sq_prepare, .finalize = sq_finalize,
  .bind_int = sq_bind_int, .bind_double = sq_bind_double,
  .bind_text = sq_bind_text, .bind_null = sq_bind_null,
  .step = sq_step, .reset = sq_reset,
  .col_count = sq_col_count, .col_name = sq_col_name, .col_is_null = sq_col_is_null,
  .col_int = sq_col_int, .col_double = sq_col_double, .col_text = sq_col_text,
  .col_textn = sq_col_textn,
  .changes = sq_changes, .backup = sq_backup, .tx_open = sq_tx_open,
  .autocheckpoint = sq_autocheckpoint, .checkpoint = sq_checkpoint,
  .log_restart = sq_log_restart,
};

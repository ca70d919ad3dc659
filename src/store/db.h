/*
** db.h — the one storage interface: a connection, prepared statements and
** transactions, over two backends (SQLite and PostgreSQL).
**
** All SQL in duban is written once, in the portable subset both engines
** accept, with `?` placeholders; the PostgreSQL driver rewrites them to $n.
** Schema text uses a few dialect tokens expanded by db_dialect_expand (see
** schema.c). Nothing ever builds SQL from user text: values are bound.
**
** Usage:
**   struct db_stmt *st = db_prepare(db, "SELECT name FROM unit WHERE id=?", e);
**   db_bind_int(st, 1, id);
**   while ((rc = db_step(st, e)) == DB_ROW) use(db_col_text(st, 0));
**   db_done(st);                       // always, also after an error
**
** db_prepare caches statements per connection keyed by the SQL text, so the
** SQL must be a string that lives as long as the connection (a literal).
** A connection is used by one thread at a time. Text returned by db_col_text
** is valid until the next db_step or db_done on that statement.
**
** Transactions: db_begin(db, DB_WRITE) takes the write lock up front
** (SQLite BEGIN IMMEDIATE under a process-wide writer mutex, so concurrent
** writers queue instead of failing "database is locked"); db_commit or
** db_rollback ends it. Busy and connection failures are ERR_UNAVAILABLE
** (HTTP 503), unique violations ERR_CONFLICT.
*/
#ifndef DUBAN_DB_H
#define DUBAN_DB_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define DB_ROW 1
#define DB_DONE 0
#define DB_READ 0
#define DB_WRITE 1

enum db_kind { DB_SQLITE, DB_POSTGRES };

struct db;
struct db_stmt;

/* Driver vtable: one per backend (sqlite.c, pg.c). */
struct db_driver {
  const char *name;
  enum db_kind kind;
  int (*open)(struct db *db, const char *target, struct err *e);
  void (*close)(struct db *db);
  int (*exec)(struct db *db, const char *sql, struct err *e); /* no params; may hold several statements */
  int (*begin)(struct db *db, int write, struct err *e);
  int (*commit)(struct db *db, struct err *e);
  int (*rollback)(struct db *db);
  struct db_stmt *(*prepare)(struct db *db, const char *sql, struct err *e);
  void (*finalize)(struct db_stmt *st);
  int (*bind_int)(struct db_stmt *st, int idx, int64_t v);
  int (*bind_double)(struct db_stmt *st, int idx, double v);
  int (*bind_text)(struct db_stmt *st, int idx, const char *v);  /* NULL binds NULL */
  int (*bind_null)(struct db_stmt *st, int idx);
  int (*step)(struct db_stmt *st, struct err *e);
  void (*reset)(struct db_stmt *st);
  int (*col_count)(struct db_stmt *st);
  const char *(*col_name)(struct db_stmt *st, int i);
  int (*col_is_null)(struct db_stmt *st, int i);
  int64_t (*col_int)(struct db_stmt *st, int i);
  double (*col_double)(struct db_stmt *st, int i);
  const char *(*col_text)(struct db_stmt *st, int i);
  const char *(*col_textn)(struct db_stmt *st, int i, size_t *n);   /* NULL: SQL NULL */
  int (*changes)(struct db *db);   /* rows changed by the last statement */
  int (*backup)(struct db *db, const char *path, struct err *e);  /* may be NULL */
  /* 1 while the connection's transaction is open (a failed statement may
  ** have rolled it back). NULL: read snapshots are never kept. */
  int (*tx_open)(struct db *db);
  /* Write-ahead log upkeep (NULL where the server does its own, PostgreSQL):
  ** autocheckpoint sets the pages after which a commit on this connection
  ** checkpoints (0: never); checkpoint copies what it can now, waiting for
  ** no one. */
  void (*autocheckpoint)(struct db *db, int pages);
  int (*checkpoint)(struct db *db, struct err *e);
  /* Checkpoints everything and has the next write start the log from its
  ** beginning, waiting at most wait_ms for readers: 0, 1 when someone was
  ** still using the log (nothing lost; the log goes on growing), -1. */
  int (*log_restart)(struct db *db, int wait_ms, struct err *e);
};

/* Opens a connection: a path (SQLite) or a postgres:// / postgresql:// URL.
** Returns NULL with e set. The connection is not migrated: see schema.h. */
struct db *db_open(const char *target, struct err *e);
void db_close(struct db *db);
enum db_kind db_kind(const struct db *db);
const char *db_target(const struct db *db);   /* as given to db_open */

int db_exec(struct db *db, const char *sql, struct err *e);
int db_begin(struct db *db, int write, struct err *e);
int db_commit(struct db *db, struct err *e);
void db_rollback(struct db *db);               /* no-op outside a transaction */
/* Work a module defers to the end of a transaction (store/search_index.c:
** the full-text index; app/task_docs.c: the stored task views), with state
** of its own (arg). before_commit runs inside the transaction just before
** COMMIT, in the order the work was added; its error rolls the transaction
** back and db_commit fails with it. discard (may be NULL) runs after a
** rollback or a failed commit, release (may be NULL) at db_close. */
struct db_commit_work {
  int (*before_commit)(struct db *db, void *arg, struct err *e);
  void (*discard)(struct db *db, void *arg);
  void (*release)(void *arg);
};
#define DB_MAX_COMMIT_WORK 4
/* Adds w with its state to the connection: 0, or -1 when it has
** DB_MAX_COMMIT_WORK already. */
int db_add_commit_work(struct db *db, const struct db_commit_work *w, void *arg, struct err *e);
/* The state w was added with, or NULL when it was not added. */
void *db_commit_work_arg(const struct db *db, const struct db_commit_work *w);
int db_in_transaction(const struct db *db);

/* Read snapshots kept between uses (SQLite; elsewhere these are db_begin
** DB_READ and db_rollback). Opening and closing a WAL read transaction
** takes a process-wide lock and two fcntl calls, as much as the rest of a
** one-row read (docs/decisions/0007-kept-read-snapshots.md). With
** db_keep_snapshots(db, max_age_us > 0), db_read_end leaves the read
** transaction open, and the next db_read_begin resumes it when it began at
** most max_age_us ago and no connection in this process has committed a
** write since: a reader sees every write this process made before the read
** began, and writes of other processes at most max_age_us late. Anything
** else done with the connection (db_begin, db_exec, a statement outside a
** transaction, db_backup, db_close) first closes a kept snapshot.
** db_release_stale_snapshot closes one that can no longer be resumed; it
** may be called from another thread only under a lock that the thread
** using the connection holds while it uses it. */
void db_keep_snapshots(struct db *db, int64_t max_age_us);
int db_read_begin(struct db *db, struct err *e);
void db_read_end(struct db *db);
void db_release_stale_snapshot(struct db *db);
/* Inside db_read_begin..db_read_end: a number that is the same for two
** reads exactly when they read the same snapshot, so a result read once
** may be reused within it (never 0). Otherwise 0. */
uint64_t db_snapshot_id(const struct db *db);
/* Counts writes committed by any connection of this process. */
uint64_t db_local_writes(void);

struct db_stmt *db_prepare(struct db *db, const char *sql, struct err *e);
/* Like db_prepare for SQL assembled at run time from constant fragments
** (optional filters): cached by content. Never pass user text. */
struct db_stmt *db_prepare_text(struct db *db, const char *sql, struct err *e);
void db_done(struct db_stmt *st);              /* reset + clear bindings; NULL ok */
int db_bind_int(struct db_stmt *st, int idx, int64_t v);
int db_bind_double(struct db_stmt *st, int idx, double v);
int db_bind_text(struct db_stmt *st, int idx, const char *v);
int db_bind_null(struct db_stmt *st, int idx);
int db_bind_int_or_null(struct db_stmt *st, int idx, int64_t v, int is_null);
int db_step(struct db_stmt *st, struct err *e);     /* DB_ROW, DB_DONE or -1 */
/* Runs a statement that returns no rows (INSERT, UPDATE, DELETE) and resets
** it: one step and db_done. 0 or -1 with e. */
int db_run(struct db_stmt *st, struct err *e);
/* Steps st to its end collecting column 0 of every row into *ids (malloc'd,
** the caller frees; NULL when none) and their count into *n; done with st.
** For "read the ids first, then write the table they came from". 0 or -1. */
int db_collect_ids(struct db_stmt *st, int64_t **ids, size_t *n, struct err *e);
int db_col_count(struct db_stmt *st);
const char *db_col_name(struct db_stmt *st, int i);
int db_col_is_null(struct db_stmt *st, int i);
int64_t db_col_int(struct db_stmt *st, int i);
double db_col_double(struct db_stmt *st, int i);
const char *db_col_text(struct db_stmt *st, int i);  /* never NULL: "" for NULL */
/* The text and its length in bytes; NULL (and *n = 0) for SQL NULL. For
** renderers: one call instead of is_null + text + strlen. */
const char *db_col_textn(struct db_stmt *st, int i, size_t *n);
int db_changes(struct db *db);
int db_backup(struct db *db, const char *path, struct err *e);
/* SQLite's write-ahead log is copied back into the database (a checkpoint)
** by whichever connection commits past 1,000 log pages, inside its COMMIT.
** db_autocheckpoint(db, 0) turns that off for db, whose writes another
** connection then checkpoints with db_checkpoint (a passive checkpoint:
** what no reader still needs, never waiting for a lock). Both do nothing
** on PostgreSQL. */
void db_autocheckpoint(struct db *db, int pages);
int db_checkpoint(struct db *db, struct err *e);
/* A log that passive checkpoints keep up with still never shrinks while a
** writer appends to it without pause: SQLite starts it from its beginning
** only at a write that finds it wholly copied back, so under steady writes
** it grows without bound, and every frame is written to a new part of the
** file (block allocation, new page-cache pages). A connection with
** autocheckpoint 0 therefore learns the log's size at each of its commits
** (db_log_frames; 0 when unknown or on PostgreSQL), and calls
** db_log_restart between transactions when it is large: 0, 1 when a reader
** or a checkpoint in progress was in the way for wait_ms (try later), -1. */
long db_log_frames(const struct db *db);
int db_log_restart(struct db *db, int wait_ms, struct err *e);

/* Runs a statement that returns at most one integer (e.g. COUNT(*), an id
** RETURNING): binds nothing beyond what the caller did. *out is set to the
** first column of the first row, or left alone when there is no row (returns
** DB_DONE then). */
int db_step_int(struct db_stmt *st, int64_t *out, struct err *e);

/* Private to drivers. */
struct db_stmt_cache_entry {
  const char *sql;
  struct db_stmt *st;
  char *owned;      /* db_prepare_text: our copy of the SQL, matched by content */
};
struct db {
  const struct db_driver *drv;
  void *conn;                     /* driver's connection object */
  char *target;
  int in_tx;
  int write_tx;
  struct db_stmt_cache_entry *cache;
  size_t n_cache, cap_cache;
  void *tx_stmt[4];               /* driver's prepared BEGIN, BEGIN IMMEDIATE,
                                     COMMIT, ROLLBACK (SQLite); NULL until used */
  struct {                        /* db_add_commit_work */
    const struct db_commit_work *w;
    void *arg;
  } work[DB_MAX_COMMIT_WORK];
  int n_work;
  long log_frames;                /* db_log_frames */
  /* db_read_begin / db_read_end */
  int64_t keep_us;                /* 0: never keep a snapshot */
  int kept;                       /* a read transaction open between uses */
  int reading;                    /* inside db_read_begin..db_read_end */
  uint64_t snap_writes;           /* db_local_writes() when it began */
  int64_t snap_at_us;             /* when it began, monotonic */
  uint64_t snap_id;               /* counts snapshots begun by db_read_begin */
};
/* For drivers: a statement outside a transaction may have written. */
void db_note_write(void);
struct db_stmt {
  struct db *db;
  const char *sql;
};

extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_pg_driver;

#endif

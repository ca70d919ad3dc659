/* test_store.c — the storage interface on whichever backend DUBAN_TEST_DB
** names: a SQLite path (default: a fresh temp file) or a postgres:// URL.
** For PostgreSQL each run creates a fresh database next to the one in the
** URL (through the `postgres` maintenance database) and drops it at the end:
**   DUBAN_TEST_DB=$(scripts/pg-test-cluster.sh url) build/tests/test_store */
#include <jansson.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/db.h"
#include "store/journal.h"
#include "store/schema.h"
#include "testlib.h"

static char g_target[1024];     /* what the tests open */
static char g_admin[1024];      /* PostgreSQL: the maintenance database URL */
static char g_dbname[64];       /* PostgreSQL: the fresh database */
static int g_pg;

/* Replaces the database name (URL path) of a postgres URL. */
static void url_with_db(const char *url, const char *name, char *out, size_t n) {
  const char *auth = strstr(url, "://") + 3;
  const char *path = strchr(auth, '/'), *query;
  if (!path) path = auth + strcspn(auth, "?");
  query = path + strcspn(path, "?");
  snprintf(out, n, "%.*s/%s%s", (int)(path - url), url, name, query);
}

static int admin_exec(const char *sql) {
  PGconn *c = PQconnectdb(g_admin);
  PGresult *r;
  int ok;
  if (PQstatus(c) != CONNECTION_OK) {
    printf("    cannot reach the maintenance database: %s", PQerrorMessage(c));
    PQfinish(c);
    return -1;
  }
  r = PQexec(c, sql);
  ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  if (!ok) printf("    %s: %s", sql, PQresultErrorMessage(r));
  PQclear(r);
  PQfinish(c);
  return ok ? 0 : -1;
}

static int setup(void) {
  const char *t = getenv("DUBAN_TEST_DB");
  char sql[128];
  if (!t || !*t) {
    snprintf(g_target, sizeof g_target, "/tmp/duban-test-store-%d.db", (int)getpid());
    return 0;
  }
  if (strncmp(t, "postgres://", 11) && strncmp(t, "postgresql://", 13)) {
    snprintf(g_target, sizeof g_target, "%s", t);
    return 0;
  }
  g_pg = 1;
  snprintf(g_dbname, sizeof g_dbname, "duban_t_%d_%ld", (int)getpid(), (long)time(NULL));
  url_with_db(t, "postgres", g_admin, sizeof g_admin);
  url_with_db(t, g_dbname, g_target, sizeof g_target);
  snprintf(sql, sizeof sql, "CREATE DATABASE %s", g_dbname);
  return admin_exec(sql);
}

static void teardown(void) {
  char sql[160], path[1100];
  if (g_pg) {
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", g_dbname);
    admin_exec(sql);
    return;
  }
  if (getenv("DUBAN_TEST_DB") && *getenv("DUBAN_TEST_DB")) return;
  unlink(g_target);
  snprintf(path, sizeof path, "%s-wal", g_target);
  unlink(path);
  snprintf(path, sizeof path, "%s-shm", g_target);
  unlink(path);
}

static struct db *open_db(void) {
  struct err e = {0};
  struct db *db = db_open(g_target, &e);
  if (!db) printf("    db_open: %s\n", e.message);
  return db;
}

static int64_t count(struct db *db, const char *sql) {
  struct err e = {0};
  int64_t n = -1;
  struct db_stmt *st = db_prepare(db, sql, &e);
  if (!st) {
    printf("    %s: %s\n", sql, e.message);
    return -1;
  }
  if (db_step_int(st, &n, &e) < 0) printf("    %s: %s\n", sql, e.message);
  db_done(st);
  return n;
}

static void test_migrate(void) {
  struct err e = {0};
  struct db *db = open_db();
  int version = -1, applied = -1;
  if (!db) { CHECK(0); return; }
  CHECK_INT(db_kind(db), g_pg ? DB_POSTGRES : DB_SQLITE);
  CHECK_INT(schema_inspect(db, &version, &e), SCHEMA_EMPTY);
  CHECK_INT(version, 0);
  CHECK_INT(schema_migrate(db, SCHEMA_VERSION, &applied, &e), 0);
  if (e.code) printf("    migrate: %s\n", e.message);
  CHECK_INT(applied, SCHEMA_VERSION);
  CHECK_INT(schema_inspect(db, &version, &e), SCHEMA_OK);
  CHECK_INT(version, SCHEMA_VERSION);
  CHECK_INT(schema_migrate(db, SCHEMA_VERSION, &applied, &e), 0);
  CHECK_INT(applied, 0);
  db_close(db);
}

/* Every table with a task_id has an index that starts with it: the task
** view and timeline read by task, and deleting a task cascades by it. A
** table without one is scanned whole on each task view (it was, for five
** tables, until migration 7). Checked on SQLite's catalogue; both backends
** run the same CREATE INDEX text. The one exception is search_doc: search
** goes from a document to its task, never the other way, and its index was
** one random page of the log per progress report (migration 10 dropped it). */
static void test_every_task_id_is_indexed(void) {
  struct err e = {0};
  struct db *db;
  if (g_pg) return;
  db = open_db();
  if (!db) { CHECK(0); return; }
  CHECK_INT(schema_migrate(db, SCHEMA_VERSION, NULL, &e), 0);
  CHECK(count(db, "SELECT COUNT(*) FROM sqlite_master m, pragma_table_info(m.name) c"
                  " WHERE m.type = 'table' AND c.name = 'task_id'") >= 10);
  {
    struct db_stmt *st = db_prepare(db,
        "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c"
        " WHERE m.type = 'table' AND c.name = 'task_id'"
        " AND NOT (c.pk = 1 AND upper(c.type) = 'INTEGER')"   /* the rowid itself */
        " AND m.name <> 'search_doc'"
        " AND NOT EXISTS ("
        "  SELECT 1 FROM pragma_index_list(m.name) il, pragma_index_info(il.name) ii"
        "  WHERE il.partial = 0 AND ii.seqno = 0 AND ii.name = 'task_id')", &e);
    int rc;
    CHECK(st != NULL);
    while (st && (rc = db_step(st, &e)) == DB_ROW) {
      printf("    table %s has no index starting with task_id\n", db_col_text(st, 0));
      CHECK(0);
    }
    db_done(st);
  }
  db_close(db);
}

/* Commit work (db_add_commit_work): runs before COMMIT in the order added;
** a failure rolls the transaction back, fails db_commit and discards every
** work's state; release runs at close. */
struct work_log {
  char trace[64];
  int fail;
};
static int work_before(struct db *db, void *arg, struct err *e) {
  struct work_log *l = arg;
  struct db_stmt *st;
  strcat(l->trace, "b");
  if (l->fail) return err_set(e, ERR_INTERNAL, "", "work failed");
  /* work may write in the transaction it finishes */
  st = db_prepare(db, "INSERT INTO cw (id) VALUES (100)", e);
  return st ? db_run(st, e) : -1;
}
static void work_discard(struct db *db, void *arg) {
  (void)db;
  strcat(((struct work_log *)arg)->trace, "d");
}
static void work_release(void *arg) { strcat(((struct work_log *)arg)->trace, "r"); }
static const struct db_commit_work kWork = {work_before, work_discard, work_release};
static const struct db_commit_work kOther = {work_before, NULL, NULL};

static void test_commit_work(void) {
  struct err e = {0};
  struct db *db = open_db();
  struct work_log log = {"", 0}, other = {"", 1};
  struct db_stmt *st;
  if (!db) { CHECK(0); return; }
  CHECK_INT(db_exec(db, "CREATE TABLE cw (id BIGINT PRIMARY KEY)", &e), 0);
  CHECK(db_commit_work_arg(db, &kWork) == NULL);
  CHECK_INT(db_add_commit_work(db, &kWork, &log, &e), 0);
  CHECK(db_commit_work_arg(db, &kWork) == &log);
  /* it runs inside the transaction: its row commits with the caller's */
  CHECK_INT(db_begin(db, DB_WRITE, &e), 0);
  st = db_prepare(db, "INSERT INTO cw (id) VALUES (1)", &e);
  CHECK_INT(st ? db_run(st, &e) : -1, 0);
  CHECK_INT(db_commit(db, &e), 0);
  CHECK_INT(count(db, "SELECT COUNT(*) FROM cw"), 2);
  CHECK(strcmp(log.trace, "b") == 0);
  /* a rollback discards */
  CHECK_INT(db_begin(db, DB_WRITE, &e), 0);
  db_rollback(db);
  CHECK(strcmp(log.trace, "bd") == 0);
  /* a failing work undoes the whole transaction and fails the commit */
  CHECK_INT(db_add_commit_work(db, &kOther, &other, &e), 0);
  CHECK_INT(db_exec(db, "DELETE FROM cw WHERE id = 100", &e), 0);
  CHECK_INT(db_begin(db, DB_WRITE, &e), 0);
  st = db_prepare(db, "INSERT INTO cw (id) VALUES (2)", &e);
  CHECK_INT(st ? db_run(st, &e) : -1, 0);
  CHECK_INT(db_commit(db, &e), -1);
  CHECK(strcmp(e.message, "work failed") == 0);
  CHECK(strcmp(log.trace, "bdbd") == 0 && strcmp(other.trace, "b") == 0);
  CHECK_INT(count(db, "SELECT COUNT(*) FROM cw"), 1);   /* neither 2 nor 100 */
  CHECK(!db_in_transaction(db));
  /* bounded */
  err_clear(&e);
  CHECK_INT(db_add_commit_work(db, &kOther, &other, &e), 0);
  CHECK_INT(db_add_commit_work(db, &kOther, &other, &e), 0);
  CHECK_INT(db_add_commit_work(db, &kOther, &other, &e), -1);
  CHECK_INT(db_exec(db, "DROP TABLE cw", &e), 0);
  db_close(db);
  CHECK(strcmp(log.trace, "bdbdr") == 0);
}

static void test_collect_ids(void) {
  struct err e = {0};
  struct db *db = open_db();
  struct db_stmt *st;
  int64_t *ids = (int64_t *)1;
  size_t n = 99;
  if (!db) { CHECK(0); return; }
  CHECK_INT(db_exec(db, "CREATE TABLE ci (id BIGINT PRIMARY KEY, odd INTEGER)", &e), 0);
  st = db_prepare(db, "INSERT INTO ci (id, odd) VALUES (?, ?)", &e);
  for (int i = 1; i <= 300 && st; i++) {
    db_bind_int(st, 1, i);
    db_bind_int(st, 2, i % 2);
    CHECK_INT(db_run(st, &e), 0);
  }
  st = db_prepare(db, "SELECT id FROM ci WHERE odd = 1 ORDER BY id DESC", &e);
  CHECK(st != NULL);
  CHECK_INT(db_collect_ids(st, &ids, &n, &e), 0);
  CHECK_INT(n, 150);   /* past the first growth of the array */
  if (ids && n == 150) {
    CHECK_INT(ids[0], 299);
    CHECK_INT(ids[149], 1);
  }
  free(ids);
  st = db_prepare(db, "SELECT id FROM ci WHERE id > 1000", &e);
  CHECK_INT(db_collect_ids(st, &ids, &n, &e), 0);
  CHECK(ids == NULL);
  CHECK_INT(n, 0);
  CHECK_INT(db_exec(db, "DROP TABLE ci", &e), 0);
  db_close(db);
}

/* Kept read snapshots (db_keep_snapshots): resumed only while young and
** while no connection of this process has written; a write of another
** process shows once the snapshot is too old; anything else done with the
** connection closes it first; db_release_stale_snapshot lets a checkpoint
** through. On PostgreSQL nothing is kept: every read begins afresh. */
static void test_kept_snapshots(void) {
  struct err e = {0};
  struct db *a = open_db(), *b = open_db();
  struct db_stmt *st;
  uint64_t id1, id2, writes;
  pid_t child;
  int status = -1;
  if (!a || !b) { CHECK(0); return; }
  CHECK_INT(db_exec(b, "CREATE TABLE ks (id BIGINT PRIMARY KEY)", &e), 0);
  db_keep_snapshots(a, 200000);   /* 200 ms */
  CHECK_INT(db_snapshot_id(a), 0);
  CHECK_INT(db_read_begin(a, &e), 0);
  id1 = db_snapshot_id(a);
  CHECK(id1 != 0);
  CHECK_INT(count(a, "SELECT COUNT(*) FROM ks"), 0);
  db_read_end(a);
  CHECK_INT(db_snapshot_id(a), 0);
  CHECK(!db_in_transaction(a));
  CHECK_INT(db_read_begin(a, &e), 0);
  id2 = db_snapshot_id(a);
  CHECK_INT(id2 == id1, !g_pg);            /* SQLite resumes the same snapshot */
  db_read_end(a);

  /* A write of this process: the next read begins a new snapshot and sees it. */
  writes = db_local_writes();
  CHECK_INT(db_exec(b, "INSERT INTO ks (id) VALUES (1)", &e), 0);
  CHECK(db_local_writes() > writes);
  CHECK_INT(db_read_begin(a, &e), 0);
  CHECK(db_snapshot_id(a) != id2);
  CHECK_INT(count(a, "SELECT COUNT(*) FROM ks"), 1);
  id1 = db_snapshot_id(a);
  db_read_end(a);

  /* A write of another process is not counted here: a young snapshot does
  ** not show it, one older than the limit does. */
  fflush(stdout);
  child = fork();
  if (child == 0) {
    struct err ce = {0};
    struct db *c = db_open(g_target, &ce);
    _exit(c && db_exec(c, "INSERT INTO ks (id) VALUES (2)", &ce) == 0 ? 0 : 1);
  }
  CHECK(child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status) &&
        WEXITSTATUS(status) == 0);
  CHECK_INT(db_read_begin(a, &e), 0);
  if (!g_pg) {
    CHECK_INT(db_snapshot_id(a), id1);
    CHECK_INT(count(a, "SELECT COUNT(*) FROM ks"), 1);
  }
  db_read_end(a);
  usleep(250000);
  CHECK_INT(db_read_begin(a, &e), 0);
  CHECK(db_snapshot_id(a) != id1);
  CHECK_INT(count(a, "SELECT COUNT(*) FROM ks"), 2);
  db_read_end(a);

  /* Writing on a connection that keeps a snapshot: it is closed first,
  ** in a transaction and outside one. */
  CHECK_INT(db_begin(a, DB_WRITE, &e), 0);
  st = db_prepare(a, "INSERT INTO ks (id) VALUES (3)", &e);
  CHECK_INT(st ? db_run(st, &e) : -1, 0);
  CHECK_INT(db_commit(a, &e), 0);
  CHECK_INT(db_read_begin(a, &e), 0);
  CHECK_INT(count(a, "SELECT COUNT(*) FROM ks"), 3);
  db_read_end(a);
  st = db_prepare(a, "INSERT INTO ks (id) VALUES (4)", &e);
  CHECK_INT(st ? db_run(st, &e) : -1, 0);
  if (e.code) printf("    autocommit write after a kept snapshot: %s\n", e.message);
  CHECK_INT(count(b, "SELECT COUNT(*) FROM ks"), 4);

  /* A kept snapshot holds back a checkpoint until it is released. */
  if (!g_pg) {
    CHECK_INT(db_read_begin(a, &e), 0);
    CHECK_INT(count(a, "SELECT COUNT(*) FROM ks"), 4);
    db_read_end(a);
    CHECK_INT(db_exec(b, "PRAGMA busy_timeout=0; INSERT INTO ks (id) VALUES (5)", &e), 0);
    CHECK_INT(count(b, "PRAGMA wal_checkpoint(TRUNCATE)"), 1);   /* busy */
    db_release_stale_snapshot(a);   /* b wrote: it can no longer be resumed */
    CHECK_INT(count(b, "PRAGMA wal_checkpoint(TRUNCATE)"), 0);
  }
  /* Off: every read begins a new snapshot. */
  db_keep_snapshots(a, 0);
  CHECK_INT(db_read_begin(a, &e), 0);
  id1 = db_snapshot_id(a);
  db_read_end(a);
  CHECK(!db_in_transaction(a));
  CHECK_INT(db_read_begin(a, &e), 0);
  CHECK(db_snapshot_id(a) != id1);
  db_read_end(a);
  CHECK_INT(db_exec(b, "DROP TABLE ks", &e), 0);
  db_close(a);
  db_close(b);
}

static void test_round_trip(void) {
  static const char kSelect[] = "SELECT id, n, s, d FROM rt WHERE id <= ? ORDER BY id";
  static const char kZh[] = "督办事项：落实“十四五”规划，牵头单位为教务处。";
  struct err e = {0};
  struct db *db = open_db();
  struct db_stmt *st;
  if (!db) { CHECK(0); return; }
  CHECK_INT(db_exec(db,
                    "CREATE TABLE rt (id BIGINT PRIMARY KEY, n BIGINT, s TEXT,"
                    " d DOUBLE PRECISION)",
                    &e), 0);
  st = db_prepare(db, "INSERT INTO rt (id, n, s, d) VALUES (?, ?, ?, ?)", &e);
  if (!st) { CHECK(0); return; }
  db_bind_int(st, 1, 1);
  db_bind_int(st, 2, INT64_C(9007199254740993));
  db_bind_text(st, 3, kZh);
  db_bind_double(st, 4, 0.1);
  CHECK_INT(db_step(st, &e), DB_DONE);
  db_done(st);
  CHECK_INT(db_changes(db), 1);
  db_bind_int(st, 1, 2);
  db_bind_int(st, 2, -42);
  db_bind_text(st, 3, NULL);
  db_bind_null(st, 4);
  CHECK_INT(db_step(st, &e), DB_DONE);
  db_done(st);
  db_bind_int(st, 1, 3);   /* unbound parameters are NULL */
  CHECK_INT(db_step(st, &e), DB_DONE);
  db_done(st);

  st = db_prepare(db, kSelect, &e);
  CHECK(st == db_prepare(db, kSelect, &e));   /* cached by SQL pointer */
  if (!st) { CHECK(0); return; }
  CHECK_INT(db_col_count(st), 4);
  CHECK_STR(db_col_name(st, 2), "s");
  db_bind_int(st, 1, 2);
  CHECK_INT(db_step(st, &e), DB_ROW);
  CHECK_INT(db_col_int(st, 0), 1);
  CHECK_INT(db_col_int(st, 1), INT64_C(9007199254740993));
  CHECK_STR(db_col_text(st, 2), kZh);
  CHECK(db_col_double(st, 3) == 0.1);
  CHECK(!db_col_is_null(st, 2));
  CHECK_INT(db_step(st, &e), DB_ROW);
  CHECK_INT(db_col_int(st, 1), -42);
  CHECK(db_col_is_null(st, 2));
  CHECK(db_col_is_null(st, 3));
  CHECK_STR(db_col_text(st, 2), "");
  CHECK_INT(db_step(st, &e), DB_DONE);
  db_done(st);
  /* The cache hands back the same statement for the same SQL pointer. */

  st = db_prepare(db, "UPDATE rt SET s = ? WHERE id >= ?", &e);
  if (!st) { CHECK(0); return; }
  db_bind_text(st, 1, "更新");
  db_bind_int(st, 2, 2);
  CHECK_INT(db_step(st, &e), DB_DONE);
  db_done(st);
  CHECK_INT(db_changes(db), 2);
  CHECK_INT(count(db, "SELECT COUNT(*) FROM rt WHERE s = '更新'"), 2);

  /* ? inside a string literal is not a placeholder; CAST types a bare one. */
  st = db_prepare(db, "SELECT 'a?b' || CAST(? AS TEXT), CAST(? AS BIGINT) IS NULL", &e);
  if (!st) { CHECK(0); return; }
  db_bind_text(st, 1, "?");
  db_bind_null(st, 2);
  CHECK_INT(db_step(st, &e), DB_ROW);
  CHECK_STR(db_col_text(st, 0), "a?b?");
  CHECK_INT(db_col_int(st, 1), 1);
  db_done(st);
  if (g_pg) {
    st = db_prepare(db, "SELECT $$x?'y$$ || CAST(? AS TEXT) AS \"q?\"", &e);
    if (!st) { CHECK(0); return; }
    db_bind_int(st, 1, 7);
    CHECK_INT(db_step(st, &e), DB_ROW);
    CHECK_STR(db_col_text(st, 0), "x?'y7");
    CHECK_STR(db_col_name(st, 0), "q?");
    db_done(st);
  }
  db_close(db);
}

static void test_errors(void) {
  struct err e = {0};
  struct db *db = open_db();
  struct db_stmt *st;
  if (!db) { CHECK(0); return; }
  st = db_prepare(db, "INSERT INTO unit (name, created_at) VALUES (?, 0)", &e);
  if (!st) { CHECK(0); return; }
  db_bind_text(st, 1, "教务处");
  CHECK_INT(db_step(st, &e), DB_DONE);
  db_done(st);
  db_bind_text(st, 1, "教务处");
  CHECK_INT(db_step(st, &e), -1);
  db_done(st);
  CHECK_INT(e.code, ERR_CONFLICT);

  err_clear(&e);
  st = db_prepare(db, "INSERT INTO app_user (login, display_name, unit_id, roles,"
                      " password_hash, created_at) VALUES ('x', 'x', ?, '[]', '', 0)",
                  &e);
  if (!st) { CHECK(0); return; }
  db_bind_int(st, 1, 999999);
  CHECK_INT(db_step(st, &e), -1);
  db_done(st);
  CHECK_INT(e.code, ERR_INVALID);
  CHECK_STR(e.message, "refers to something that does not exist");

  /* A rolled-back transaction leaves nothing, also after an error in it. */
  err_clear(&e);
  CHECK_INT(db_begin(db, DB_WRITE, &e), 0);
  st = db_prepare(db, "INSERT INTO unit (name, created_at) VALUES (?, 0)", &e);
  db_bind_text(st, 1, "宣传部");
  CHECK_INT(db_step(st, &e), DB_DONE);
  db_done(st);
  db_bind_text(st, 1, "教务处");
  CHECK_INT(db_step(st, &e), -1);
  db_done(st);
  CHECK_INT(e.code, ERR_CONFLICT);
  db_rollback(db);
  CHECK(!db_in_transaction(db));
  CHECK_INT(count(db, "SELECT COUNT(*) FROM unit"), 1);

  err_clear(&e);
  CHECK_INT(db_begin(db, DB_WRITE, &e), 0);
  CHECK_INT(db_exec(db, "INSERT INTO unit (name, created_at) VALUES ('组织部', 0)", &e), 0);
  CHECK_INT(db_commit(db, &e), 0);
  CHECK_INT(count(db, "SELECT COUNT(*) FROM unit"), 2);

  /* Bad SQL fails at prepare. */
  err_clear(&e);
  CHECK(db_prepare(db, "SELECT nonsense FROM no_such_table", &e) == NULL);
  CHECK_INT(e.code, ERR_INTERNAL);
  db_close(db);
}

static void test_open_error(void) {
  struct err e = {0};
  struct db *db = db_open("postgres://duban:s3cretpw@127.0.0.1:1/nodb", &e);
  CHECK(db == NULL);
  CHECK_INT(e.code, ERR_UNAVAILABLE);
  CHECK(strstr(e.message, "s3cretpw") == NULL);
  CHECK(strstr(e.message, "127.0.0.1") != NULL);
  CHECK(strstr(e.message, "nodb") != NULL);
  printf("# open error reads: %s\n", e.message);
  err_clear(&e);
  db = db_open("postgresql://duban:s3cret%zz@/nodb?bogus=1", &e);
  CHECK(db == NULL);
  CHECK_INT(e.code, ERR_UNAVAILABLE);
  CHECK(strstr(e.message, "s3cret") == NULL);
  if (db) db_close(db);
}

static int append_n(struct db *db, int n, int64_t actor, struct err *e) {
  for (int i = 0; i < n; i++) {
    json_t *after = json_pack("{s:i, s:s}", "i", i, "title", "督办事项");
    int64_t id;
    if (db_begin(db, DB_WRITE, e)) {
      json_decref(after);
      return -1;
    }
    id = journal_append(db, actor, "task", i + 1, "create", NULL, after, e);
    json_decref(after);
    if (id < 0 || db_commit(db, e)) {
      db_rollback(db);
      return -1;
    }
  }
  return 0;
}

static void *appender(void *arg) {
  struct err *e = arg;
  struct db *db = db_open(g_target, e);
  if (!db) return NULL;
  append_n(db, 50, 7, e);
  db_close(db);
  return NULL;
}

static void test_journal(void) {
  struct err e = {0}, e1 = {0}, e2 = {0};
  struct journal_check chk;
  struct db *db = open_db();
  pthread_t t1, t2;
  if (!db) { CHECK(0); return; }
  CHECK_INT(append_n(db, 10, 1, &e), 0);
  CHECK_INT(journal_verify(db, &chk, &e), 0);
  CHECK_INT(chk.entries, 10);
  CHECK_INT(chk.first_broken, 0);

  /* Two connections appending at once: the chain must not fork. */
  pthread_create(&t1, NULL, appender, &e1);
  pthread_create(&t2, NULL, appender, &e2);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  if (e1.code) printf("    thread 1: %s\n", e1.message);
  if (e2.code) printf("    thread 2: %s\n", e2.message);
  CHECK_INT(e1.code, ERR_NONE);
  CHECK_INT(e2.code, ERR_NONE);
  CHECK_INT(journal_verify(db, &chk, &e), 0);
  CHECK_INT(chk.entries, 110);
  CHECK_INT(chk.first_broken, 0);

  /* The engine refuses changes to the journal. */
  CHECK_INT(db_exec(db, "UPDATE journal SET action = 'x' WHERE id = 3", &e), -1);
  CHECK_INT(e.code, ERR_INVALID);
  CHECK(strstr(e.message, "append-only") != NULL);
  err_clear(&e);
  CHECK_INT(db_exec(db, "DELETE FROM journal WHERE id = 110", &e), -1);
  CHECK_INT(e.code, ERR_INVALID);
  CHECK(strstr(e.message, "append-only") != NULL);
  err_clear(&e);
  CHECK_INT(count(db, "SELECT COUNT(*) FROM journal"), 110);

  /* Tamper past the triggers: verify names exactly that entry. */
  CHECK_INT(db_exec(db, g_pg ? "ALTER TABLE journal DISABLE TRIGGER journal_no_change"
                             : "DROP TRIGGER journal_no_update",
                    &e), 0);
  CHECK_INT(db_exec(db, "UPDATE journal SET action = 'delete' WHERE id = 37", &e), 0);
  CHECK_INT(db_changes(db), 1);
  CHECK_INT(journal_verify(db, &chk, &e), 0);
  CHECK_INT(chk.first_broken, 37);
  CHECK(strstr(chk.reason, "entry 37 ") != NULL);
  db_close(db);
}

/* PostgreSQL: a connection killed by the server (pg_terminate_backend
** waits up to 5 s for the backend to exit) comes back by itself
** outside a transaction; inside one the transaction is lost (503). */
static void test_reconnect(void) {
  struct err e = {0};
  struct db *db, *killer;
  struct db_stmt *st;
  int64_t pid = 0;
  char sql[80];
  if (!g_pg) return;
  db = open_db();
  killer = open_db();
  if (!db || !killer) { CHECK(0); return; }
  st = db_prepare(db, "SELECT COUNT(*) FROM unit WHERE name <> ?", &e);
  db_bind_text(st, 1, "");
  CHECK_INT(db_step(st, &e), DB_ROW);
  db_done(st);
  pid = count(db, "SELECT pg_backend_pid()");

  snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%lld, 5000)", (long long)pid);
  CHECK_INT(db_exec(killer, sql, &e), 0);
  db_bind_text(st, 1, "");
  CHECK_INT(db_step(st, &e), DB_ROW);     /* reset + re-prepare + retry */
  if (e.code) printf("    after kill: %s\n", e.message);
  CHECK_INT(db_col_int(st, 0), 2);
  db_done(st);
  CHECK(count(db, "SELECT pg_backend_pid()") != pid);

  /* Inside a transaction. */
  err_clear(&e);
  pid = count(db, "SELECT pg_backend_pid()");
  CHECK_INT(db_begin(db, DB_WRITE, &e), 0);
  snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%lld, 5000)", (long long)pid);
  CHECK_INT(db_exec(killer, sql, &e), 0);
  db_bind_text(st, 1, "");
  CHECK_INT(db_step(st, &e), -1);
  db_done(st);
  CHECK_INT(e.code, ERR_UNAVAILABLE);
  db_rollback(db);
  err_clear(&e);
  /* The next transaction reconnects at BEGIN. */
  CHECK_INT(db_begin(db, DB_READ, &e), 0);
  db_bind_text(st, 1, "");
  CHECK_INT(db_step(st, &e), DB_ROW);
  db_done(st);
  CHECK_INT(db_commit(db, &e), 0);
  db_close(killer);
  db_close(db);
}

int main(void) {
  if (setup()) {
    printf("# test_store: setup failed\n");
    return 1;
  }
  printf("# backend: %s\n", g_pg ? "postgresql" : "sqlite");
  RUN(test_migrate);
  RUN(test_every_task_id_is_indexed);
  RUN(test_commit_work);
  RUN(test_collect_ids);
  RUN(test_kept_snapshots);
  RUN(test_round_trip);
  RUN(test_errors);
  RUN(test_open_error);
  RUN(test_journal);
  RUN(test_reconnect);
  teardown();
  return test_summary("test_store");
}

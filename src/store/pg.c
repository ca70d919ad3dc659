/*
** pg.c — the PostgreSQL backend of db.h, on libpq.
**
** Target: a postgres:// or postgresql:// URL, handed to libpq as is
** (postgres://user:pw@host:port/db, or a socket folder:
** postgres:///db?host=/run/postgresql&port=5432), after a default
** connect_timeout of 10 s that the URL may override. After connecting, the
** session gets client_encoding UTF8 and, unless the URL set one,
** lock_timeout 10 s (the counterpart of SQLite's busy_timeout). Notices are
** swallowed: library code never prints.
**
** Statements. duban's SQL uses `?` placeholders; prepare rewrites them to
** $1..$n, skipping '…' and E'…' literals, "…" identifiers, $tag$…$tag$
** bodies and comments (so the jsonb `?` operators cannot be used — duban
** keeps JSON as TEXT). Each statement is PQprepare'd once per connection
** under a generated name (d1, d2, …) with no parameter types: the server
** infers them from context, and values travel as text. Where it cannot infer
** a type (`? IS NULL`, a bare `SELECT ?`) the SQL must say it:
** `CAST(? AS BIGINT)`. Unbound parameters are NULL, as in SQLite.
**
** step executes on its first call after bind/reset and then walks the rows
** of the result, which is read whole into memory (so another statement may
** run while one is being stepped, as in SQLite; big scans should page with
** LIMIT). After DB_DONE the next step executes again. changes() counts the
** rows of the last INSERT/UPDATE/DELETE (a SELECT leaves it alone).
** Column values: NULL → col_text NULL, col_int parses the text (booleans
** 't'/'f' → 1/0), col_double strtod.
**
** Errors map by SQLSTATE: 23505 → ERR_CONFLICT; 23503 → ERR_INVALID
** ("refers to something that does not exist"); other 23xxx → ERR_INVALID;
** 40001, 40P01, 55P03, 57014, 57P01-57P03 (server shutting down or
** starting) and class 08, or a broken connection, →
** ERR_UNAVAILABLE (HTTP 503); the rest → ERR_INTERNAL with the server's
** first message line. Unlike SQLite, any error inside a transaction aborts
** it on the server: later statements fail until db_rollback, and a COMMIT
** after such an error reports it (the server answers ROLLBACK).
**
** Reconnecting. A connection that is bad (PQstatus != CONNECTION_OK) at
** begin, prepare or step outside a transaction is PQreset once. A reset
** drops the server's prepared statements, so the connection keeps a
** generation counter and a statement prepared in an older generation is
** prepared again before it runs. BEGIN, and a SELECT outside a transaction,
** are retried once after a connection failure (they change nothing); any
** other statement is not, since it may have run before the link broke. A
** failure inside a transaction is ERR_UNAVAILABLE and the transaction is
** lost. Open failures name user, host, port and database, never the
** password.
**
** Transactions: BEGIN ISOLATION LEVEL READ COMMITTED for reads and writes
** alike; writers serialise on row locks (journal_append's head row is read
** FOR UPDATE). Backup is not the driver's job: use pg_dump.
*/
#include <errno.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/db.h"
#include "util/buf.h"

struct pg_conn {
  PGconn *c;
  unsigned generation;   /* bumped by every successful PQreset */
  unsigned next_name;    /* statement names d1, d2, … */
  int changes;           /* rows changed by the last INSERT/UPDATE/DELETE */
};

struct pg_stmt {
  struct db_stmt base;
  char name[24];         /* server-side name */
  char *sql;             /* rewritten with $n */
  int nparams;
  int is_select;         /* safe to retry after a connection failure */
  unsigned generation;   /* connection generation it was prepared in */
  char **vals;           /* nparams bound values as text; NULL is SQL NULL */
  PGresult *res;         /* last execution's result, or NULL */
  PGresult *desc;        /* PQdescribePrepared, for columns before a step */
  int executed;          /* res belongs to the current bindings */
  int row;               /* current row in res, -1 before the first */
};

#define PC(db) ((struct pg_conn *)(db)->conn)
#define PS(st) ((struct pg_stmt *)(st))

static const char kUnavailable[] = "the database is unavailable; try again shortly";

static void pg_quiet(void *arg, const char *message) {
  (void)arg;
  (void)message;
}

/* The first line of a libpq message, without its "ERROR:  " style prefix. */
static void first_line(const char *msg, char *out, size_t n) {
  size_t len;
  if (!msg) msg = "";
  if (strncmp(msg, "ERROR:  ", 8) == 0) msg += 8;
  len = strcspn(msg, "\n");
  if (len >= n) len = n - 1;
  memcpy(out, msg, len);
  out[len] = 0;
}

/* Fills e from a failed result (res may be NULL: no memory or no link). */
static int pg_error(struct db *db, const PGresult *res, struct err *e) {
  PGconn *c = PC(db)->c;
  const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
  char line[400];
  if (state && strcmp(state, "23505") == 0) {
    first_line(PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY), line, sizeof line);
    return err_set(e, ERR_CONFLICT, "", "already exists (%s)", line);
  }
  if (state && strcmp(state, "23503") == 0)
    return err_set(e, ERR_INVALID, "", "refers to something that does not exist");
  if (state && strncmp(state, "23", 2) == 0) {
    first_line(PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY), line, sizeof line);
    return err_set(e, ERR_INVALID, "", "constraint failed: %s", line);
  }
  if ((state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
                 strcmp(state, "55P03") == 0 || strcmp(state, "57014") == 0 ||
                 strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0 ||
                 strcmp(state, "57P02") == 0 || strcmp(state, "57P03") == 0)) ||
      PQstatus(c) != CONNECTION_OK)
    return err_set(e, ERR_UNAVAILABLE, "", "%s", kUnavailable);
  first_line(res ? PQresultErrorMessage(res) : PQerrorMessage(c), line, sizeof line);
  return err_set(e, ERR_INTERNAL, "", "database error: %s", line[0] ? line : "unknown error");
}

/* 1 when a failed result means the link broke (so a retry may succeed). */
static int link_failed(struct db *db, const PGresult *res) {
  const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
  return PQstatus(PC(db)->c) != CONNECTION_OK || (state && strncmp(state, "08", 2) == 0);
}

/* Session settings, run after connect and after every reset. */
static int session_setup(struct db *db, struct err *e) {
  PGconn *c = PC(db)->c;
  PGresult *r;
  int ok;
  PQsetNoticeProcessor(c, pg_quiet, NULL);
  if (PQsetClientEncoding(c, "UTF8") != 0) return pg_error(db, NULL, e);
  r = PQexec(c, "SELECT set_config('lock_timeout', '10s', false) "
                "WHERE current_setting('lock_timeout') = '0'");
  ok = PQresultStatus(r) == PGRES_TUPLES_OK;
  if (!ok) pg_error(db, r, e);
  PQclear(r);
  return ok ? 0 : -1;
}

/* Resets a bad connection once, outside a transaction. 0 when usable. */
static int ensure_link(struct db *db, struct err *e) {
  struct pg_conn *pc = PC(db);
  if (PQstatus(pc->c) == CONNECTION_OK) return 0;
  if (db->in_tx) return err_set(e, ERR_UNAVAILABLE, "", "%s", kUnavailable);
  PQreset(pc->c);
  if (PQstatus(pc->c) != CONNECTION_OK)
    return err_set(e, ERR_UNAVAILABLE, "", "%s", kUnavailable);
  pc->generation++;
  return session_setup(db, e);
}

/* Describes where a URL points, for open errors: never the password. */
static void describe_target(const char *target, char *out, size_t n) {
  const char *user = "", *host = "", *port = "", *dbname = "";
  char *msg = NULL;
  PQconninfoOption *opts = PQconninfoParse(target, &msg);
  PQfreemem(msg);
  if (!opts) {
    snprintf(out, n, "(malformed URL)");
    return;
  }
  for (PQconninfoOption *o = opts; o->keyword; o++) {
    if (!o->val) continue;
    if (strcmp(o->keyword, "user") == 0) user = o->val;
    else if (strcmp(o->keyword, "host") == 0) host = o->val;
    else if (strcmp(o->keyword, "hostaddr") == 0 && !*host) host = o->val;
    else if (strcmp(o->keyword, "port") == 0) port = o->val;
    else if (strcmp(o->keyword, "dbname") == 0) dbname = o->val;
  }
  snprintf(out, n, "database \"%s\" on %s%s%s%s%s%s", *dbname ? dbname : "(default)",
           *host ? host : "the local socket", *port ? ":" : "", port,
           *user ? " as \"" : "", user, *user ? "\"" : "");
  PQconninfoFree(opts);
}

/* Removes every occurrence of the URL's password from s (belt and braces:
** libpq's messages do not quote it, but a malformed URL might be echoed). */
static void scrub_password(const char *target, char *s) {
  char *msg = NULL;
  PQconninfoOption *opts = PQconninfoParse(target, &msg);
  PQfreemem(msg);
  if (!opts) {
    /* Unparseable: say nothing of what libpq saw. */
    strcpy(s, "malformed connection URL");
    return;
  }
  for (PQconninfoOption *o = opts; o->keyword; o++) {
    char *p;
    size_t k;
    if (strcmp(o->keyword, "password") != 0 || !o->val || !*o->val) continue;
    k = strlen(o->val);
    while ((p = strstr(s, o->val)) != NULL) {
      memset(p, '*', 3);
      memmove(p + 3, p + k, strlen(p + k) + 1);
    }
  }
  PQconninfoFree(opts);
}

static int pg_open(struct db *db, const char *target, struct err *e) {
  struct pg_conn *pc = calloc(1, sizeof *pc);
  char where[300], why[300];
  /* The URL as is, after a default connect_timeout it may override. */
  const char *const keys[] = {"connect_timeout", "dbname", NULL};
  const char *const vals[] = {"10", target, NULL};
  char *msg = NULL;
  PQconninfoOption *opts = PQconninfoParse(target, &msg);
  PQfreemem(msg);
  if (!opts) {
    free(pc);
    return err_set(e, ERR_UNAVAILABLE, "db",
                   "the PostgreSQL URL is malformed (expected "
                   "postgres://user:password@host:port/dbname)");
  }
  PQconninfoFree(opts);
  if (!pc) return err_set(e, ERR_INTERNAL, "", "out of memory");
  pc->c = PQconnectdbParams(keys, vals, 1);
  pc->generation = 1;
  db->conn = pc;
  if (!pc->c || PQstatus(pc->c) != CONNECTION_OK) {
    describe_target(target, where, sizeof where);
    first_line(pc->c ? PQerrorMessage(pc->c) : "out of memory", why, sizeof why);
    scrub_password(target, why);
    err_set(e, ERR_UNAVAILABLE, "db", "cannot connect to PostgreSQL %s: %s", where, why);
    goto fail;
  }
  if (session_setup(db, e)) goto fail;
  return 0;
fail:
  PQfinish(pc->c);
  free(pc);
  db->conn = NULL;
  return -1;
}

static void pg_close(struct db *db) {
  struct pg_conn *pc = PC(db);
  if (!pc) return;
  PQfinish(pc->c);
  free(pc);
  db->conn = NULL;
}

/* Runs a parameterless command; on success records changes. */
static int run_command(struct db *db, const char *sql, struct err *e) {
  PGresult *r = PQexec(PC(db)->c, sql);
  ExecStatusType s = PQresultStatus(r);
  int rc = 0;
  if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_EMPTY_QUERY) {
    if (s == PGRES_COMMAND_OK && *PQcmdTuples(r)) PC(db)->changes = atoi(PQcmdTuples(r));
  } else {
    rc = pg_error(db, r, e);
  }
  PQclear(r);
  return rc;
}

static int pg_exec(struct db *db, const char *sql, struct err *e) {
  if (ensure_link(db, e)) return -1;
  return run_command(db, sql, e);
}

static int pg_begin(struct db *db, int write, struct err *e) {
  static const char kBegin[] = "BEGIN ISOLATION LEVEL READ COMMITTED";
  PGresult *r;
  int ok;
  (void)write;
  if (ensure_link(db, e)) return -1;
  r = PQexec(PC(db)->c, kBegin);
  ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  if (!ok && link_failed(db, r)) {
    /* Nothing has happened yet: reconnect and try once more. */
    PQclear(r);
    if (ensure_link(db, e)) return -1;
    r = PQexec(PC(db)->c, kBegin);
    ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  }
  if (!ok) pg_error(db, r, e);
  PQclear(r);
  return ok ? 0 : -1;
}

static int pg_commit(struct db *db, struct err *e) {
  PGresult *r = PQexec(PC(db)->c, "COMMIT");
  int rc = 0;
  if (PQresultStatus(r) != PGRES_COMMAND_OK)
    rc = pg_error(db, r, e);
  else if (strcmp(PQcmdStatus(r), "ROLLBACK") == 0)
    /* The transaction had failed earlier and the caller went on anyway. */
    rc = err_set(e, ERR_INTERNAL, "",
                 "the transaction was rolled back after an earlier error");
  PQclear(r);
  return rc;
}

static int pg_rollback(struct db *db) {
  PGconn *c = PC(db)->c;
  if (PQstatus(c) == CONNECTION_OK) PQclear(PQexec(c, "ROLLBACK"));
  return 0;
}

/* Rewrites ? to $1..$n into out; returns the number of placeholders. */
static int rewrite(const char *sql, struct buf *out) {
  const char *p = sql;
  int n = 0;
  while (*p) {
    if (*p == '?') {
      buf_printf(out, "$%d", ++n);
      p++;
    } else if (*p == '\'' || *p == '"') {
      /* '…' (with '' inside), E'…' (also \'), "…" (with "" inside). */
      char q = *p;
      int backslash = q == '\'' && p > sql && (p[-1] == 'E' || p[-1] == 'e');
      const char *s = p++;
      while (*p && *p != q) p += (backslash && *p == '\\' && p[1]) ? 2 : 1;
      if (*p) p++;
      buf_append(out, s, (size_t)(p - s));
    } else if (*p == '-' && p[1] == '-') {
      const char *s = p;
      p += strcspn(p, "\n");
      buf_append(out, s, (size_t)(p - s));
    } else if (*p == '/' && p[1] == '*') {
      const char *s = p, *end = strstr(p + 2, "*/");
      p = end ? end + 2 : p + strlen(p);
      buf_append(out, s, (size_t)(p - s));
    } else if (*p == '$' && (p == sql || !(p[-1] == '_' || (p[-1] >= '0' && p[-1] <= '9') ||
                                           ((p[-1] | 32) >= 'a' && (p[-1] | 32) <= 'z')))) {
      /* $tag$ … $tag$ (tag may be empty); a $ that opens no tag is literal. */
      const char *t = p + 1, *end;
      while (*t == '_' || ((*t | 32) >= 'a' && (*t | 32) <= 'z') || (*t >= '0' && *t <= '9'))
        t++;
      if (*t == '$' && !(p[1] >= '0' && p[1] <= '9')) {
        size_t taglen = (size_t)(t - p + 1);
        const char *s = p;
        end = t + 1;
        while ((end = strchr(end, '$')) != NULL && strncmp(end, p, taglen) != 0) end++;
        p = end ? end + taglen : p + strlen(p);
        buf_append(out, s, (size_t)(p - s));
      } else {
        buf_putc(out, *p++);
      }
    } else {
      buf_putc(out, *p++);
    }
  }
  return n;
}

static int is_select(const char *sql) {
  while (*sql == ' ' || *sql == '\t' || *sql == '\n' || *sql == '(') sql++;
  return strncasecmp(sql, "SELECT", 6) == 0;
}

/* Prepares s on the server under its name, for the current generation. */
static int server_prepare(struct db *db, struct pg_stmt *s, struct err *e) {
  struct pg_conn *pc = PC(db);
  PGresult *r = PQprepare(pc->c, s->name, s->sql, s->nparams, NULL);
  int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  if (ok) {
    s->generation = pc->generation;
    PQclear(s->desc);
    s->desc = NULL;
  } else {
    pg_error(db, r, e);
  }
  PQclear(r);
  return ok ? 0 : -1;
}

static void pg_finalize(struct db_stmt *st);

static struct db_stmt *pg_prepare(struct db *db, const char *sql, struct err *e) {
  struct pg_conn *pc = PC(db);
  struct pg_stmt *s = calloc(1, sizeof *s);
  struct buf b;
  if (!s) goto oom;
  buf_init(&b, 0);
  s->nparams = rewrite(sql, &b);
  if (b.failed) {
    buf_release(&b);
    goto oom;
  }
  s->sql = buf_detach(&b, NULL);
  s->is_select = is_select(sql);
  s->row = -1;
  if (!s->sql || (s->nparams && !(s->vals = calloc((size_t)s->nparams, sizeof *s->vals))))
    goto oom;
  snprintf(s->name, sizeof s->name, "d%u", ++pc->next_name);
  s->base.db = db;
  if (ensure_link(db, e)) goto fail;
  if (server_prepare(db, s, e)) {
    if (db->in_tx || !link_failed(db, NULL)) goto fail;
    /* The link broke under us: one reset, one more try. */
    err_clear(e);
    if (ensure_link(db, e) || server_prepare(db, s, e)) goto fail;
  }
  return &s->base;
oom:
  err_set(e, ERR_INTERNAL, "", "out of memory");
fail:
  if (s) pg_finalize(&s->base);
  return NULL;
}

static void clear_values(struct pg_stmt *s) {
  for (int i = 0; i < s->nparams; i++) {
    free(s->vals[i]);
    s->vals[i] = NULL;
  }
}

static void pg_finalize(struct db_stmt *st) {
  struct pg_stmt *s = PS(st);
  /* The server's copy goes with the connection (db_close finalizes then
  ** closes), so no DEALLOCATE round trip here. */
  if (s->vals) clear_values(s);
  free(s->vals);
  free(s->sql);
  PQclear(s->res);
  PQclear(s->desc);
  free(s);
}

/* Binding changes the next execution: drop the current result. */
static void unexecute(struct pg_stmt *s) {
  PQclear(s->res);
  s->res = NULL;
  s->executed = 0;
  s->row = -1;
}

static int set_value(struct db_stmt *st, int i, char *v, int is_null) {
  struct pg_stmt *s = PS(st);
  if (i < 1 || i > s->nparams || (!v && !is_null)) {
    free(v);
    return -1;
  }
  unexecute(s);
  free(s->vals[i - 1]);
  s->vals[i - 1] = v;
  return 0;
}

static int pg_bind_int(struct db_stmt *st, int i, int64_t v) {
  char tmp[24];
  snprintf(tmp, sizeof tmp, "%lld", (long long)v);
  return set_value(st, i, strdup(tmp), 0);
}
static int pg_bind_double(struct db_stmt *st, int i, double v) {
  char tmp[40];
  snprintf(tmp, sizeof tmp, "%.17g", v);
  return set_value(st, i, strdup(tmp), 0);
}
static int pg_bind_text(struct db_stmt *st, int i, const char *v) {
  return v ? set_value(st, i, strdup(v), 0) : set_value(st, i, NULL, 1);
}
static int pg_bind_null(struct db_stmt *st, int i) { return set_value(st, i, NULL, 1); }

/* Executes s with its bindings into s->res. 0, or -1 with e. */
static int execute(struct pg_stmt *s, struct err *e) {
  struct db *db = s->base.db;
  struct pg_conn *pc = PC(db);
  ExecStatusType status;
  for (int attempt = 0;; attempt++) {
    if (ensure_link(db, e)) return -1;
    if (s->generation != pc->generation && server_prepare(db, s, e)) return -1;
    s->res = PQexecPrepared(pc->c, s->name, s->nparams, (const char *const *)s->vals,
                            NULL, NULL, 0);
    status = PQresultStatus(s->res);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) break;
    if (attempt == 0 && s->is_select && !db->in_tx && link_failed(db, s->res)) {
      PQclear(s->res);
      s->res = NULL;
      continue;
    }
    pg_error(db, s->res, e);
    PQclear(s->res);
    s->res = NULL;
    return -1;
  }
  if (strncmp(PQcmdStatus(s->res), "SELECT", 6) != 0 && *PQcmdTuples(s->res))
    pc->changes = atoi(PQcmdTuples(s->res));
  s->executed = 1;
  s->row = -1;
  return 0;
}

static int pg_step(struct db_stmt *st, struct err *e) {
  struct pg_stmt *s = PS(st);
  if (!s->executed) {
    unexecute(s);
    if (execute(s, e)) return -1;
  }
  if (PQresultStatus(s->res) == PGRES_TUPLES_OK && s->row + 1 < PQntuples(s->res)) {
    s->row++;
    return DB_ROW;
  }
  /* Done: the next step runs the statement again (SQLite's auto-reset). */
  s->executed = 0;
  s->row = PQntuples(s->res);
  return DB_DONE;
}

static void pg_reset(struct db_stmt *st) {
  struct pg_stmt *s = PS(st);
  unexecute(s);
  clear_values(s);
}

/* The result that describes the columns: the last execution's, or the
** statement's description (one round trip, once). */
static const PGresult *columns(struct pg_stmt *s) {
  struct db *db = s->base.db;
  if (s->res) return s->res;
  if (!s->desc && s->generation == PC(db)->generation) {
    PGresult *r = PQdescribePrepared(PC(db)->c, s->name);
    if (PQresultStatus(r) == PGRES_COMMAND_OK)
      s->desc = r;
    else
      PQclear(r);
  }
  return s->desc;
}

static int pg_col_count(struct db_stmt *st) {
  const PGresult *r = columns(PS(st));
  return r ? PQnfields(r) : 0;
}
static const char *pg_col_name(struct db_stmt *st, int i) {
  const PGresult *r = columns(PS(st));
  return r && i >= 0 && i < PQnfields(r) ? PQfname(r, i) : NULL;
}

/* The current row's value of column i, or NULL (SQL NULL, no row, bad i). */
static const char *value(struct db_stmt *st, int i) {
  struct pg_stmt *s = PS(st);
  if (!s->res || s->row < 0 || s->row >= PQntuples(s->res) || i < 0 || i >= PQnfields(s->res))
    return NULL;
  if (PQgetisnull(s->res, s->row, i)) return NULL;
  return PQgetvalue(s->res, s->row, i);
}

static int pg_col_is_null(struct db_stmt *st, int i) { return value(st, i) == NULL; }

static int64_t pg_col_int(struct db_stmt *st, int i) {
  const char *v = value(st, i);
  char *end;
  long long n;
  if (!v) return 0;
  if (strcmp(v, "t") == 0) return 1;
  if (strcmp(v, "f") == 0) return 0;
  errno = 0;
  n = strtoll(v, &end, 10);
  if (*end == '.' || *end == 'e' || *end == 'E' || errno == ERANGE) return (int64_t)strtod(v, NULL);
  return n;
}

static double pg_col_double(struct db_stmt *st, int i) {
  const char *v = value(st, i);
  if (!v) return 0.0;
  if (strcmp(v, "t") == 0) return 1.0;
  if (strcmp(v, "f") == 0) return 0.0;
  return strtod(v, NULL);
}

static const char *pg_col_text(struct db_stmt *st, int i) { return value(st, i); }

static const char *pg_col_textn(struct db_stmt *st, int i, size_t *n) {
  const char *v = value(st, i);
  *n = v ? (size_t)PQgetlength(PS(st)->res, PS(st)->row, i) : 0;
  return v;
}

static int pg_changes(struct db *db) { return PC(db)->changes; }

const struct db_driver db_pg_driver = {
  .name = "postgresql", .kind = DB_POSTGRES,
  .open = pg_open, .close = pg_close, .exec = pg_exec,
  .begin = pg_begin, .commit = pg_commit, .rollback = pg_rollback,
  .prepare = pg_prepare, .finalize = pg_finalize,
  .bind_int = pg_bind_int, .bind_double = pg_bind_double,
  .bind_text = pg_bind_text, .bind_null = pg_bind_null,
  .step = pg_step, .reset = pg_reset,
  .col_count = pg_col_count, .col_name = pg_col_name, .col_is_null = pg_col_is_null,
  .col_int = pg_col_int, .col_double = pg_col_double, .col_text = pg_col_text,
  .col_textn = pg_col_textn,
  .changes = pg_changes, .backup = NULL,
};

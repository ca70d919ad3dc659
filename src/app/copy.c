/*
** copy.c — copy one duban database into an empty one; see copy.h.
**
** Tables are found in the source's catalogue and copied in a fixed order
** (parents before children, so foreign keys hold on PostgreSQL), then any
** table this list does not know, alphabetically. The search documents are
** copied (ids kept, so results come in the same order); their grams are
** rebuilt, and the SQLite FTS5 table has no PostgreSQL counterpart.
*/
#include "app/copy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/db.h"
#include "store/journal.h"
#include "store/schema.h"
#include "store/search_index.h"
#include "util/buf.h"

static const char *const kOrder[] = {
    "setting", "counter", "calendar_year", "calendar_day", "unit", "app_user", "source",
    "task", "assignment", "milestone", "progress_report", "urging", "extension", "review",
    "accountability", "instruction", "flag", "task_event", "journal", "journal_head", "outbox",
    "session", "api_token", "login_failure", "task_count", "search_doc", NULL};

/* Not copied: the migration writes them (meta, schema_version), they are
** rebuilt from the copied rows (the search grams, the FTS5 table), or
** PostgreSQL has no use for them (the stored task views, task_doc*). */
static int skipped(const char *t) {
  return !strcmp(t, "meta") || !strcmp(t, "schema_version") || !strcmp(t, "search_gram") ||
         !strncmp(t, "search_fts", 10) || !strncmp(t, "task_doc", 8) || !strncmp(t, "sqlite_", 7);
}

/* Table names go into SQL text: only plain identifiers are accepted. */
static int plain_name(const char *t) {
  if (!*t || strlen(t) > 63) return 0;
  for (const char *p = t; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || *p == '_' || (*p >= '0' && *p <= '9'))) return 0;
  return 1;
}

static int name_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The source's tables in copy order: a NULL-terminated malloc'd array of
** malloc'd names. */
static char **list_tables(struct db *db, struct err *e) {
  static const char *kSqlite = "SELECT name FROM sqlite_master WHERE type = 'table'";
  static const char *kPg = "SELECT table_name FROM information_schema.tables"
                           " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'";
  struct db_stmt *st = db_prepare(db, db_kind(db) == DB_SQLITE ? kSqlite : kPg, e);
  char **all = NULL, **out = NULL;
  size_t n = 0, cap = 0, k = 0;
  int rc;
  if (!st) return NULL;
  while ((rc = db_step(st, e)) == DB_ROW) {
    const char *t = db_col_text(st, 0);
    if (skipped(t)) continue;
    if (!plain_name(t)) {
      err_set(e, ERR_INVALID, "from", "table \"%s\" has a name duban does not use", t);
      rc = -1;
      break;
    }
    if (n + 1 >= cap) {
      size_t nc = cap ? cap * 2 : 64;
      void *p = realloc(all, nc * sizeof *all);
      if (!p) {
        err_set(e, ERR_INTERNAL, "", "out of memory");
        rc = -1;
        break;
      }
      all = p;
      cap = nc;
    }
    all[n++] = strdup(t);
  }
  db_done(st);
  if (rc < 0) goto fail;
  out = calloc(n + 1, sizeof *out);
  if (!out) goto fail;
  for (int i = 0; kOrder[i]; i++)
    for (size_t j = 0; j < n; j++)
      if (all[j] && !strcmp(all[j], kOrder[i])) {
        out[k++] = all[j];
        all[j] = NULL;
      }
  {
    size_t first = k;
    for (size_t j = 0; j < n; j++)
      if (all[j]) out[k++] = all[j];
    qsort(out + first, k - first, sizeof *out, name_cmp);
  }
  free(all);
  return out;
fail:
  for (size_t j = 0; j < n; j++) free(all[j]);
  free(all);
  return NULL;
}

static void free_tables(char **t) {
  if (!t) return;
  for (char **p = t; *p; p++) free(*p);
  free(t);
}

static int count_rows(struct db *db, const char *table, int64_t *n, struct err *e) {
  char sql[128];
  struct db_stmt *st;
  int rc;
  snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
  if (!(st = db_prepare_text(db, sql, e))) return -1;
  *n = 0;
  rc = db_step_int(st, n, e);
  db_done(st);
  return rc < 0 ? -1 : 0;
}

/* Copies one table; *has_id tells whether it has an id column. */
static int copy_table(struct db *src, struct db *dst, const char *table, int *has_id,
                      struct err *e) {
  struct buf sql, ins;
  struct db_stmt *st, *in = NULL;
  int rc, ncol = 0;
  buf_init(&sql, 0);
  buf_init(&ins, 0);
  *has_id = 0;
  /* Column names from one row; an empty table has nothing to copy. */
  buf_printf(&sql, "SELECT * FROM %s LIMIT 1", table);
  if (!(st = db_prepare_text(src, sql.data, e))) goto fail;
  rc = db_step(st, e);
  if (rc == DB_ROW) {
    ncol = db_col_count(st);
    buf_printf(&ins, "INSERT INTO %s (", table);
    for (int i = 0; i < ncol; i++) {
      buf_printf(&ins, "%s%s", i ? ", " : "", db_col_name(st, i));
      if (!strcmp(db_col_name(st, i), "id")) *has_id = 1;
    }
    buf_puts(&ins, ") VALUES (");
    for (int i = 0; i < ncol; i++) buf_puts(&ins, i ? ", ?" : "?");
    buf_puts(&ins, ")");
  }
  db_done(st);
  if (rc < 0) goto fail;
  /* The target's own rows (journal_head's first row) make way. */
  buf_reset(&sql);
  buf_printf(&sql, "DELETE FROM %s", table);
  if (sql.failed || db_exec(dst, sql.data, e)) goto fail;
  if (rc == DB_DONE) goto done;
  buf_reset(&sql);
  buf_printf(&sql, "SELECT * FROM %s%s", table, *has_id ? " ORDER BY id" : "");
  if (sql.failed || ins.failed) {
    err_set(e, ERR_INTERNAL, "", "out of memory");
    goto fail;
  }
  if (!(st = db_prepare_text(src, sql.data, e))) goto fail;
  if (!(in = db_prepare_text(dst, ins.data, e))) {
    db_done(st);
    goto fail;
  }
  while ((rc = db_step(st, e)) == DB_ROW) {
    for (int i = 0; i < ncol; i++) {
      if (db_col_is_null(st, i)) db_bind_null(in, i + 1);
      else db_bind_text(in, i + 1, db_col_text(st, i));
    }
    rc = db_step(in, e);
    db_done(in);
    if (rc < 0) {
      char why[sizeof e->message];
      snprintf(why, sizeof why, "%s", e->message);
      err_set(e, e->code, "to", "table %s: %s", table, why);
      break;
    }
  }
  db_done(st);
  if (rc < 0) goto fail;
done:
  buf_release(&sql);
  buf_release(&ins);
  return 0;
fail:
  buf_release(&sql);
  buf_release(&ins);
  return -1;
}

/* PostgreSQL: move a serial column's sequence past the copied ids. */
static int reset_sequence(struct db *dst, const char *table, struct err *e) {
  char sql[200];
  struct db_stmt *st;
  int rc;
  snprintf(sql, sizeof sql,
           "SELECT setval(pg_get_serial_sequence('%s', 'id'), MAX(id)) FROM %s", table, table);
  if (!(st = db_prepare_text(dst, sql, e))) return -1;
  while ((rc = db_step(st, e)) == DB_ROW) {}
  db_done(st);
  return rc < 0 ? -1 : 0;
}

static int open_migrated(const char *target, int want_empty, struct db **out, struct err *e) {
  int version = 0, state;
  struct db *db = db_open(target, e);
  *out = NULL;
  if (!db) return -1;
  state = schema_inspect(db, &version, e);
  if (state < 0) goto fail;
  if (want_empty && state != SCHEMA_EMPTY) {
    /* A duban database with no users, units, tasks or journal (made by
    ** duban init, or left by a copy that failed) counts as empty. */
    int64_t n = 0;
    struct db_stmt *st = db_prepare(db,
                                    "SELECT (SELECT COUNT(*) FROM journal) + (SELECT COUNT(*) FROM app_user)"
                                    " + (SELECT COUNT(*) FROM unit) + (SELECT COUNT(*) FROM task)",
                                    e);
    int rc;
    if (!st) goto fail;
    rc = db_step_int(st, &n, e);
    db_done(st);
    if (rc < 0) goto fail;
    if (n > 0) {
      err_set(e, ERR_INVALID, "to", "%s is not empty: copy only into an empty database", target);
      goto fail;
    }
  }
  if (!want_empty && state == SCHEMA_EMPTY) {
    err_set(e, ERR_NOT_DUBAN_DB, "from", "%s is empty, not a duban database", target);
    goto fail;
  }
  if (version < SCHEMA_VERSION && schema_migrate(db, SCHEMA_VERSION, NULL, e)) goto fail;
  *out = db;
  return 0;
fail:
  db_close(db);
  return -1;
}

int app_copy(const char *from, const char *to, json_t **out, struct err *e) {
  struct db *src = NULL, *dst = NULL;
  char **tables = NULL;
  json_t *rows = NULL;
  struct journal_check jc;
  struct stat sb;
  int all_ok = 1;

  *out = NULL;
  err_clear(e);
  if (!strcmp(from, to)) return err_set(e, ERR_INVALID, "to", "--from and --to are the same database");
  if (strncmp(from, "postgres", 8) != 0 &&
      stat(strncmp(from, "sqlite:", 7) == 0 ? from + 7 : from, &sb) != 0)
    return err_set(e, ERR_INVALID, "from", "no database at %s", from);
  if (open_migrated(from, 0, &src, e)) goto fail;
  if (open_migrated(to, 1, &dst, e)) goto fail;
  if (!(tables = list_tables(src, e))) goto fail;
  if (db_begin(src, DB_READ, e)) goto fail;
  if (db_begin(dst, DB_WRITE, e)) goto fail;
  for (char **t = tables; *t; t++) {
    int has_id;
    if (copy_table(src, dst, *t, &has_id, e)) goto fail_tx;
    if (has_id && db_kind(dst) == DB_POSTGRES && reset_sequence(dst, *t, e)) goto fail_tx;
  }
  /* A faithful copy: the documents are copied, their grams and full-text
  ** index rebuilt; nothing is added, so every table's count must match its
  ** source. */
  if (search_rebuild(dst, e)) goto fail_tx;
  if (db_commit(dst, e)) goto fail_tx;
  db_rollback(src);

  rows = json_array();
  for (char **t = tables; *t; t++) {
    int64_t a = 0, b = 0;
    if (count_rows(src, *t, &a, e) || count_rows(dst, *t, &b, e)) goto fail;
    if (a != b) all_ok = 0;
    json_array_append_new(rows, json_pack("{s:s,s:I,s:I}", "table", *t, "source", (json_int_t)a,
                                          "target", (json_int_t)b));
  }
  if (journal_verify(dst, &jc, e)) goto fail;
  if (jc.first_broken) all_ok = 0;
  *out = json_pack("{s:o,s:{s:b,s:I,s:o},s:b}", "tables", rows, "journal", "ok",
                   jc.first_broken == 0, "entries", (json_int_t)jc.entries, "first_broken",
                   jc.first_broken ? json_integer(jc.first_broken) : json_null(), "ok", all_ok);
  rows = NULL;
  free_tables(tables);
  db_close(src);
  db_close(dst);
  return 0;
fail_tx:
  db_rollback(dst);
  db_rollback(src);
fail:
  json_decref(rows);
  free_tables(tables);
  db_close(src);
  db_close(dst);
  return -1;
}

/*
** task_docs.c — stored task views: the static part of every task's view
** (tasks.c: task_view_render_parts) and the facts that complete it, one row
** of table task_doc per task, so that reading a task is one row instead of
** five queries (docs/decisions/0006-stored-task-views.md).
**
** Current by construction, not by care in each write path: migration 9's
** triggers note a task in task_doc_dirty whenever something its view shows
** changes (the task, its assignments, milestones, extension requests,
** children, the name of a unit on it, the title of its source), in the
** writing transaction, whichever program writes. A view whose task is noted
** is not served: the task is rendered live, which is never wrong, only
** slower. Noted tasks are rendered again
**   - in a server whose group-commit writer runs, by that writer alone,
**     when no request is waiting (app_task_docs_drain; the server's other
**     connections set app.defer_docs): under a write load the views catch
**     up afterwards instead of slowing the writes being acknowledged, and
**     no request ever renders a backlog;
**   - anywhere else (the CLI, a server without group commit), by the
**     connection's commit work (docs_flush, db_add_commit_work) before the
**     writing transaction commits, at most FLUSH_MAX of them;
**   - by duban views build, and by the server's writer when idle with
**     nothing noted (app_task_docs_fill): both also render tasks that have
**     no view yet (after the upgrade to schema 9, a bulk load) or one
**     written for another UTC offset.
** A row also records the UTC offset its times were written with; a process
** configured with another offset renders live.
**
** SQLite only: on PostgreSQL every view is rendered live.
*/
#include "app/app_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

#define BUILD_BATCH 2000   /* tasks rendered per transaction by app_task_docs_build */

static int sqlite_app(const struct app *app) { return db_kind(app->db) == DB_SQLITE; }

/* The stored row's columns after task_id, in the order facts_from_row reads
** them from column c on. */
#define DOC_COLS                                                                       \
  "body, status, start, deadline, progress, report_freq, last_report_at, milestones, units," \
  " utc_offset, row_len, light"
static void facts_from_row(struct db_stmt *st, int c, struct task_view_facts *f) {
  memset(f, 0, sizeof *f);
  f->body = db_col_textn(st, c, &f->body_len);
  f->status = db_col_text(st, c + 1);
  f->start = (day_t)db_col_int(st, c + 2);
  f->deadline = db_col_is_null(st, c + 3) ? DATE_NONE : (day_t)db_col_int(st, c + 3);
  f->progress = (int)db_col_int(st, c + 4);
  f->report_freq = db_col_text(st, c + 5);
  f->last_report_at = db_col_is_null(st, c + 6) ? 0 : db_col_int(st, c + 6);
  f->milestones = db_col_textn(st, c + 7, &f->milestones_len);
  f->units = db_col_textn(st, c + 8, &f->units_len);
  f->row_len = (size_t)db_col_int(st, c + 10);
  if (f->row_len > f->body_len) f->row_len = 0;
  f->light = db_col_text(st, c + 11);
}

int task_doc_same(int64_t id, const char *what, const char *stored, size_t n,
                  const struct buf *live, struct err *e) {
  if (live->len == n && memcmp(live->data, stored, n) == 0) return 0;
  fprintf(stderr, "duban: stored %s of task %lld differs from a live rendering\n"
                  "  stored: %.*s\n  live:   %s\n",
          what, (long long)id, (int)n, stored, live->data);
  return err_set(e, ERR_INTERNAL, "", "stored view of task %lld is stale", (long long)id);
}

/* DUBAN_CHECK_TASK_DOCS: the view just served from its row (text[0..n))
** against one rendered now. */
static int check_live(struct app *app, const struct actor *who, int64_t id, int with_timeline,
                      const char *text, size_t n, struct err *e) {
  struct task_view_parts p;
  struct buf live;
  int rc;
  if (task_view_render_parts(app, id, &p, e)) return -1;
  buf_init(&live, 0);
  rc = task_view_finish(app, who, id, &p.f, with_timeline, &live, e);
  task_view_parts_release(&p);
  if (rc == 0) rc = task_doc_same(id, "view", text, n, &live, e);
  buf_release(&live);
  return rc;
}

/* 1 when no task is noted in the current read snapshot (db_snapshot_id):
** then a stored view needs no check against task_doc_dirty. Asked once
** per snapshot; the answer cannot change within it. 0 outside one. */
static int nothing_noted(struct app *app) {
  uint64_t snap = db_snapshot_id(app->db);
  struct db_stmt *st;
  struct err e;
  int64_t any = 1;
  if (!snap) return 0;
  if (app->docs_clean_snapshot == snap) return app->docs_clean;
  err_clear(&e);
  st = db_prepare(app->db, "SELECT EXISTS (SELECT 1 FROM task_doc_dirty)", &e);
  if (!st || db_step_int(st, &any, &e) != DB_ROW) any = 1;   /* unsure: check each view */
  db_done(st);
  app->docs_clean_snapshot = snap;
  app->docs_clean = !any;
  return app->docs_clean;
}

int task_doc_view(struct app *app, const struct actor *who, int64_t id, int with_timeline,
                  struct buf *out, struct err *e) {
  struct task_view_facts f;
  struct db_stmt *st;
  size_t mark = out->len;
  int rc;
  if (!sqlite_app(app)) return 0;
  st = nothing_noted(app)
           ? db_prepare(app->db, "SELECT " DOC_COLS " FROM task_doc WHERE task_id = ?1", e)
           : db_prepare(app->db, "SELECT " DOC_COLS " FROM task_doc WHERE task_id = ?1"
                                 " AND NOT EXISTS (SELECT 1 FROM task_doc_dirty x WHERE x.task_id = ?1)",
                        e);
  if (!st) return -1;
  db_bind_int(st, 1, id);
  rc = db_step(st, e);
  if (rc != DB_ROW || db_col_int(st, 9) != date_utc_offset_minutes()) {
    db_done(st);
    return rc < 0 ? -1 : 0;
  }
  facts_from_row(st, 0, &f);
  rc = task_view_finish(app, who, id, &f, with_timeline, out, e);
  db_done(st);
  if (rc) return -1;
  if (app->check_docs &&
      check_live(app, who, id, with_timeline, out->data + mark, out->len - mark, e))
    return -1;
  return 1;
}

/* Renders task id and writes its row, and takes it off the dirty list. A
** task that no longer exists loses its row. */
static int doc_store(struct app *app, int64_t id, struct err *e) {
  struct task_view_parts p;
  struct db_stmt *st;
  int rc;
  if (task_view_render_parts(app, id, &p, e)) {
    if (e->code != ERR_NOT_FOUND) return -1;
    err_clear(e);
    if (!(st = db_prepare(app->db, "DELETE FROM task_doc WHERE task_id = ?", e))) return -1;
    db_bind_int(st, 1, id);
    if (db_run(st, e)) return -1;
    goto clean;
  }
  st = db_prepare(app->db, "INSERT OR REPLACE INTO task_doc (task_id, " DOC_COLS ")"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", e);
  if (!st) {
    task_view_parts_release(&p);
    return -1;
  }
  db_bind_int(st, 1, id);
  db_bind_text(st, 2, p.f.body);
  db_bind_text(st, 3, p.f.status);
  db_bind_int(st, 4, p.f.start);
  db_bind_int_or_null(st, 5, p.f.deadline, p.f.deadline == DATE_NONE);
  db_bind_int(st, 6, p.f.progress);
  db_bind_text(st, 7, p.f.report_freq);
  db_bind_int_or_null(st, 8, p.f.last_report_at, p.f.last_report_at == 0);
  db_bind_text(st, 9, p.f.milestones);
  db_bind_text(st, 10, p.f.units);
  db_bind_int(st, 11, date_utc_offset_minutes());
  db_bind_int(st, 12, (int64_t)p.f.row_len);
  db_bind_text(st, 13, p.f.light);
  rc = db_run(st, e);
  task_view_parts_release(&p);
  if (rc) return -1;
clean:
  if (!(st = db_prepare(app->db, "DELETE FROM task_doc_dirty WHERE task_id = ?", e))) return -1;
  db_bind_int(st, 1, id);
  return db_run(st, e);
}

/* Renders the noted tasks (at most limit; 0: all) in the open transaction;
** *n (may be NULL) gets how many. */
static int render_dirty(struct app *app, int limit, int64_t *n_out, struct err *e) {
  struct db_stmt *st;
  int64_t *ids;
  size_t n;
  int ret = -1;
  st = db_prepare(app->db, limit ? "SELECT task_id FROM task_doc_dirty ORDER BY task_id LIMIT ?"
                                 : "SELECT task_id FROM task_doc_dirty ORDER BY task_id", e);
  if (!st) return -1;
  if (limit) db_bind_int(st, 1, limit);
  /* Collect first: rendering writes the table the query reads. */
  if (db_collect_ids(st, &ids, &n, e)) return -1;
  for (size_t i = 0; i < n; i++)
    if (doc_store(app, ids[i], e)) goto done;
  if (n_out) *n_out = (int64_t)n;
  ret = 0;
done:
  free(ids);
  return ret;
}

/* The connection's commit work (db_add_commit_work). At most FLUSH_MAX per commit: a transaction that noted
** more (a unit renamed on thousands of tasks; a backlog left by a server
** that stopped) leaves the rest noted, served live, for the server's writer
** or the next commits; a write never waits for a whole ledger's views. */
#define FLUSH_MAX 1000
static int docs_flush(struct db *db, void *arg, struct err *e) {
  struct app *app = arg;
  (void)db;
  return app->defer_docs ? 0 : render_dirty(app, FLUSH_MAX, NULL, e);
}
static const struct db_commit_work kDocsWork = {docs_flush, NULL, NULL};

int app_task_docs_drain(struct app *app, int limit, int64_t *n, struct err *e) {
  *n = 0;
  if (!sqlite_app(app)) return 0;
  if (db_begin(app->db, DB_WRITE, e)) return -1;
  if (render_dirty(app, limit, n, e)) {
    db_rollback(app->db);
    return -1;
  }
  return db_commit(app->db, e);
}

int app_task_docs_attach(struct app *app, struct err *e) {
  const char *check = getenv("DUBAN_CHECK_TASK_DOCS");
  app->check_docs = check && !strcmp(check, "1");
  return sqlite_app(app) ? db_add_commit_work(app->db, &kDocsWork, app, e) : 0;
}

/* One transaction: renders up to batch tasks after *after that have no view
** for this UTC offset, in id order, and (noted) every noted task; advances
** *after; *n gets how many were rendered (0: none was missing). */
static int build_round(struct app *app, int64_t *after, int batch, int noted, int64_t *n,
                       struct err *e) {
  struct db_stmt *st;
  int64_t *ids = NULL, done = 0;
  size_t k = 0;
  int ret = -1;
  *n = 0;
  if (db_begin(app->db, DB_WRITE, e)) return -1;
  st = db_prepare(app->db,
                  "SELECT t.id FROM task t WHERE t.id > ? AND NOT EXISTS (SELECT 1 FROM task_doc d"
                  " WHERE d.task_id = t.id AND d.utc_offset = ?) ORDER BY t.id LIMIT ?",
                  e);
  if (!st) goto rollback;
  db_bind_int(st, 1, *after);
  db_bind_int(st, 2, date_utc_offset_minutes());
  db_bind_int(st, 3, batch);
  if (db_collect_ids(st, &ids, &k, e)) goto rollback;
  for (size_t i = 0; i < k; i++)
    if (doc_store(app, ids[i], e)) goto rollback;
  if (noted && render_dirty(app, 0, &done, e)) goto rollback;
  if (db_commit(app->db, e)) goto out;
  if (k) *after = ids[k - 1];
  *n = (int64_t)k + done;
  ret = 0;
  goto out;
rollback:
  db_rollback(app->db);
out:
  free(ids);
  return ret;
}

/* meta 'task_docs_filled' = the UTC offset (minutes) for which a whole
** pass (app_task_docs_fill to the end, or duban views build) found every
** task with a view. From then on a new task gets its view through the
** triggers (noted, then rendered), so the server need not look through the
** whole ledger for missing views again at every start (a million tasks:
** over a minute of background reads). A view missing anyway (a row deleted
** by hand) is rendered live on each read, and duban views build makes it. */
static int filled_already(struct app *app) {
  struct db_stmt *st;
  struct err e;
  char want[16];
  int rc, yes = 0;
  err_clear(&e);
  snprintf(want, sizeof want, "%d", date_utc_offset_minutes());
  if (!(st = db_prepare(app->db, "SELECT value FROM meta WHERE key = 'task_docs_filled'", &e)))
    return 0;
  rc = db_step(st, &e);
  if (rc == DB_ROW) yes = !strcmp(db_col_text(st, 0), want);
  db_done(st);
  return yes;
}

static int mark_filled(struct app *app, struct err *e) {
  struct db_stmt *st;
  char value[16];
  snprintf(value, sizeof value, "%d", date_utc_offset_minutes());
  if (db_begin(app->db, DB_WRITE, e)) return -1;
  st = db_prepare(app->db,
                  "INSERT INTO meta (key, value) VALUES ('task_docs_filled', ?)"
                  " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                  e);
  if (!st || (db_bind_text(st, 1, value), db_run(st, e))) {
    db_rollback(app->db);
    return -1;
  }
  return db_commit(app->db, e);
}

int app_task_docs_build(struct app *app, int64_t *n, struct err *e) {
  int64_t after = 0, done;
  int first = 1;
  *n = 0;
  if (!sqlite_app(app)) return 0;
  do {
    if (build_round(app, &after, BUILD_BATCH, first, &done, e)) return -1;
    *n += done;
    first = 0;
  } while (done);
  return mark_filled(app, e);
}

int app_task_docs_fill(struct app *app, int64_t *after, int span, int *finished, struct err *e) {
  struct db_stmt *st;
  int64_t *ids = NULL, max_id = 0;
  size_t k = 0;
  int rc;
  *finished = 1;
  if (!sqlite_app(app)) return 0;
  if (*after == 0 && filled_already(app)) return 0;
  /* Look in a read transaction; take the write lock only to render. */
  if (db_begin(app->db, DB_READ, e)) return -1;
  st = db_prepare(app->db, "SELECT COALESCE(MAX(id), 0) FROM task", e);
  if (!st) goto fail;
  rc = db_step_int(st, &max_id, e);
  db_done(st);
  if (rc < 0) goto fail;
  st = db_prepare(app->db,
                  "SELECT t.id FROM task t WHERE t.id > ?1 AND t.id <= ?1 + ?2 AND NOT EXISTS"
                  " (SELECT 1 FROM task_doc d WHERE d.task_id = t.id AND d.utc_offset = ?3)"
                  " ORDER BY t.id",
                  e);
  if (!st) goto fail;
  db_bind_int(st, 1, *after);
  db_bind_int(st, 2, span);
  db_bind_int(st, 3, date_utc_offset_minutes());
  rc = db_collect_ids(st, &ids, &k, e);
  db_rollback(app->db);
  if (rc) return -1;
  if (k) {
    if (db_begin(app->db, DB_WRITE, e)) goto out;
    for (size_t i = 0; i < k; i++)
      if (doc_store(app, ids[i], e)) goto fail;
    if (db_commit(app->db, e)) goto out;
  }
  free(ids);
  *after += span;
  *finished = *after >= max_id;
  return *finished ? mark_filled(app, e) : 0;
fail:
  db_rollback(app->db);
out:
  free(ids);
  return -1;
}

int app_task_docs_check(struct app *app, int64_t *checked, int64_t *stale, int64_t *first_stale,
                        struct err *e) {
  int64_t after = 0;
  *checked = *stale = *first_stale = 0;
  if (!sqlite_app(app)) return 0;
  for (;;) {
    struct db_stmt *st;
    int rc, rows = 0;
    if (db_begin(app->db, DB_READ, e)) return -1;
    st = db_prepare(app->db, "SELECT task_id, " DOC_COLS ", EXISTS (SELECT 1 FROM task_doc_dirty x"
                             " WHERE x.task_id = d.task_id) FROM task_doc d WHERE task_id > ?"
                             " ORDER BY task_id LIMIT 1000", e);
    if (!st) goto fail;
    db_bind_int(st, 1, after);
    while ((rc = db_step(st, e)) == DB_ROW) {
      struct task_view_facts f;
      struct task_view_parts p;
      int64_t id = db_col_int(st, 0);
      int same;
      rows++;
      after = id;
      /* Not served: noted for rendering, or written for another offset. */
      if (db_col_int(st, 13) || db_col_int(st, 10) != date_utc_offset_minutes()) continue;
      facts_from_row(st, 1, &f);
      if (task_view_render_parts(app, id, &p, e)) {
        if (e->code != ERR_NOT_FOUND) {
          db_done(st);
          goto fail;
        }
        err_clear(e);
        same = 0;   /* a row for a task that is gone */
      } else {
        same = f.body_len == p.f.body_len && !memcmp(f.body, p.f.body, f.body_len) &&
               !strcmp(f.status, p.f.status) && !strcmp(f.report_freq, p.f.report_freq) &&
               f.start == p.f.start && f.deadline == p.f.deadline && f.progress == p.f.progress &&
               f.last_report_at == p.f.last_report_at && f.milestones_len == p.f.milestones_len &&
               !memcmp(f.milestones, p.f.milestones, f.milestones_len) &&
               f.units_len == p.f.units_len && !memcmp(f.units, p.f.units, f.units_len) &&
               f.row_len == p.f.row_len && !strcmp(f.light, p.f.light);
        task_view_parts_release(&p);
      }
      (*checked)++;
      if (!same && (*stale)++ == 0) *first_stale = id;
    }
    db_done(st);
    db_rollback(app->db);
    if (rc < 0) return -1;
    if (rows == 0) return 0;
  }
fail:
  db_rollback(app->db);
  return -1;
}

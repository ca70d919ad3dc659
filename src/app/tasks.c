/*
** tasks.c — creating, reading and listing tasks; lights and counts upkeep.
** Lifecycle actions are in actions.c.
*/
#include "app/app_int.h"
#include "app/search.h"
#include "store/task_units.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/jw.h"

static const char *const kCategories[] = {"会议决定事项", "重点工作", "领导批示", "办实事", "整改", NULL};

#define TASK_COLS                                                                          \
  "t.id, t.code, t.title, t.requirement, t.source_id, s.title, t.source_text, t.parent_id," \
  " t.category, t.lead_leader, t.status, t.progress, t.light, t.original_deadline,"         \
  " t.deadline, t.report_freq, t.evaluation, t.extensions, t.bounces, t.last_report_at,"    \
  " t.done_at, t.done_late, t.created_at, t.updated_at, t.version, lu.id, lu.name,"         \
  " t.assigned_at, t.remark, t.deadline_rule, t.source_start, t.source_end"
/* The lead unit comes from the task row (store/task_units.h), kept in step
** with the lead assignment. */
#define TASK_JOINS                                                          \
  " LEFT JOIN source s ON s.id = t.source_id"                               \
  " LEFT JOIN unit lu ON lu.id = t.lead_unit_id"
#define TASK_FROM " FROM task t" TASK_JOINS

/* ---- lights ---- */


/* TASK_COLS then the state-only columns: the task view and the rules read
** one row the same way. */
#define TASK_STATE_COLS TASK_COLS ", t.suspended_from"
#define VIEW_COL_COOPS 33   /* t.coop_units after TASK_STATE_COLS (the task view) */

/* The rules' fields from a row of TASK_STATE_COLS. */
static void task_state_from_row(struct db_stmt *st, struct task_state *ts) {
  struct err ignore;
  memset(ts, 0, sizeof *ts);
  ts->id = db_col_int(st, 0);
  ts->parent_id = db_col_int(st, 7);
  task_status_parse(db_col_text(st, 10), &ts->status);
  ts->progress = (int)db_col_int(st, 11);
  snprintf(ts->light, sizeof ts->light, "%s", db_col_text(st, 12));
  if (date_parse(db_col_text(st, 13), &ts->original_deadline)) ts->original_deadline = DATE_NONE;
  if (date_parse(db_col_text(st, 14), &ts->deadline)) ts->deadline = DATE_NONE;
  if (report_freq_parse(db_col_text(st, 15), &ts->freq, &ignore, "report_freq"))
    ts->freq.kind = FREQ_NONE;
  ts->extensions = (int)db_col_int(st, 17);
  ts->last_report_at = db_col_is_null(st, 19) ? 0 : db_col_int(st, 19);
  ts->created_at = db_col_int(st, 22);
  ts->version = db_col_int(st, 24);
  ts->lead_unit = db_col_int(st, 25);
  ts->assigned_at = db_col_is_null(st, 27) ? 0 : db_col_int(st, 27);
  ts->suspended_from = TS_IN_PROGRESS;
  if (!db_col_is_null(st, 32)) task_status_parse(db_col_text(st, 32), &ts->suspended_from);
  ts->start = date_of_unix(ts->assigned_at ? ts->assigned_at : ts->created_at);
}

int app_task_state(struct app *app, int64_t id, struct task_state *ts, struct err *e) {
  struct db_stmt *st = db_prepare(app->db, "SELECT " TASK_STATE_COLS TASK_FROM " WHERE t.id = ?", e);
  int rc;
  if (!st) return -1;
  db_bind_int(st, 1, id);
  rc = db_step(st, e);
  if (rc == DB_ROW) task_state_from_row(st, ts);
  db_done(st);
  if (rc < 0) return -1;
  if (rc == DB_DONE) return err_set(e, ERR_NOT_FOUND, "task_id", "no task with id %lld", (long long)id);
  return 0;
}

/* Milestones of a task into a caller array (at most max). */
static size_t load_milestones(struct app *app, int64_t id, struct milestone *ms, size_t max,
                              struct err *e) {
  struct db_stmt *st = db_prepare(app->db,
                                  "SELECT date, percent FROM milestone WHERE task_id = ? ORDER BY date", e);
  size_t n = 0;
  if (!st) return 0;
  db_bind_int(st, 1, id);
  while (db_step(st, e) == DB_ROW && n < max) {
    if (date_parse(db_col_text(st, 0), &ms[n].date)) continue;
    ms[n].percent = (int)db_col_int(st, 1);
    n++;
  }
  db_done(st);
  return n;
}

/* Light and planned progress from a task's state and its milestones. */
static enum light task_light_with(struct app *app, const struct task_state *ts,
                                  const struct milestone *ms, size_t n_ms, day_t today,
                                  int *planned) {
  struct light_input in;
  struct err e;
  int warn = 0;
  err_clear(&e);
  memset(&in, 0, sizeof in);
  in.status = ts->status;
  in.start = ts->start;
  in.deadline = ts->deadline;
  in.progress = ts->progress;
  in.n_milestones = n_ms;
  in.milestones = ms;
  in.report_overdue =
      (ts->status == TS_IN_PROGRESS) &&
      report_is_overdue(&ts->freq, ts->start,
                        ts->last_report_at ? date_of_unix(ts->last_report_at) : DATE_NONE, today);
  if (planned) {
    *planned = 0;
    if (ts->deadline != DATE_NONE && lights_planned(&in, today, app->cal, planned, &e)) *planned = 0;
  }
  return lights_compute(&in, today, app->cal, &app->settings.lights, &warn);
}

/* Light and planned progress of a task as of today. */
enum light app_task_light(struct app *app, const struct task_state *ts, day_t today,
                          int *planned) {
  struct milestone ms[32];
  struct err e;
  size_t n;
  err_clear(&e);
  n = load_milestones(app, ts->id, ms, 32, &e);
  return task_light_with(app, ts, ms, n, today, planned);
}

/* Orders two count rows, so that every transaction touches them in the same
** order (PostgreSQL: concurrent writers never wait for each other in a
** cycle, which would be a deadlock). */
static int count_key_cmp(int64_t u1, const char *s1, const char *l1, int64_t u2, const char *s2,
                         const char *l2) {
  int c;
  if (u1 != u2) return u1 < u2 ? -1 : 1;
  if ((c = strcmp(s1, s2)) != 0) return c;
  return strcmp(l1, l2);
}

static int count_add(struct app *app, int64_t unit, const char *status, const char *light,
                     int delta, struct err *e);

int app_count_move(struct app *app, int64_t old_unit, const char *old_status, const char *old_light,
                   int64_t new_unit, const char *new_status, const char *new_light, struct err *e) {
  if (old_status && new_status && old_unit == new_unit && !strcmp(old_status, new_status) &&
      !strcmp(old_light, new_light))
    return 0;
  if (old_status && new_status &&
      count_key_cmp(new_unit, new_status, new_light, old_unit, old_status, old_light) < 0)
    return count_add(app, new_unit, new_status, new_light, 1, e) ||
           count_add(app, old_unit, old_status, old_light, -1, e) ? -1 : 0;
  if (old_status && count_add(app, old_unit, old_status, old_light, -1, e)) return -1;
  if (new_status && count_add(app, new_unit, new_status, new_light, 1, e)) return -1;
  return 0;
}

/* Adds delta (+1 or -1) to one (unit, status, light) count. */
static int count_add(struct app *app, int64_t unit, const char *status, const char *light,
                     int delta, struct err *e) {
  struct db_stmt *st =
      delta < 0 ? db_prepare(app->db,
                             "UPDATE task_count SET n = n - 1 WHERE unit_id = ? AND status = ? AND light = ?",
                             e)
                : db_prepare(app->db,
                             "INSERT INTO task_count (unit_id, status, light, n) VALUES (?, ?, ?, 1)"
                             " ON CONFLICT (unit_id, status, light) DO UPDATE SET n = task_count.n + 1",
                             e);
  if (!st) return -1;
  db_bind_int(st, 1, unit);
  db_bind_text(st, 2, status);
  db_bind_text(st, 3, light);
  return db_run(st, e);
}

/* Recomputes and stores the light; moves the count. Callers that changed the
** lead unit or status pass the old triple through app_task_refresh_from. */
int app_task_refresh_from(struct app *app, int64_t task_id, int64_t old_unit,
                          const char *old_status, const char *old_light, struct err *e) {
  struct task_state ts;
  struct db_stmt *st;
  const char *light;
  if (app_task_state(app, task_id, &ts, e)) return -1;
  light = light_name(app_task_light(app, &ts, date_today(), NULL));
  if (strcmp(light, ts.light) != 0) {
    st = db_prepare(app->db, "UPDATE task SET light = ? WHERE id = ?", e);
    if (!st) return -1;
    db_bind_text(st, 1, light);
    db_bind_int(st, 2, task_id);
    if (db_run(st, e)) return -1;
  }
  return app_count_move(app, old_unit, old_status, old_light, ts.lead_unit,
                        task_status_name(ts.status), light, e);
}

int app_task_sync_assignments(struct app *app, int64_t task_id, struct err *e) {
  struct db_stmt *st = db_prepare(app->db,
                                  "UPDATE assignment SET status = t.status, due = t.due"
                                  " FROM (SELECT status, COALESCE(deadline, '9999-12-31') AS due"
                                  " FROM task WHERE id = ?) t"
                                  " WHERE assignment.task_id = ?"
                                  " AND (assignment.status <> t.status OR assignment.due <> t.due)",
                                  e);
  int rc;
  /* Only rows whose copy differs: most actions change neither, and
  ** rewriting a row rewrites its entries in both unit indexes (two
  ** random pages of the log per write, measured). */
  if (!st) return -1;
  db_bind_int(st, 1, task_id);
  db_bind_int(st, 2, task_id);
  rc = db_step(st, e);
  db_done(st);
  if (rc < 0) return -1;
  return task_units_sync(app->db, task_id, e);
}

/* ---- unit_count upkeep ---- */

void app_asg_snapshot_free(struct asg_snapshot *s) {
  free(s->a);
  s->a = NULL;
  s->n = 0;
}

int app_asg_snapshot(struct app *app, int64_t task_id, struct asg_snapshot *out, struct err *e) {
  struct db_stmt *st = db_prepare(app->db, "SELECT unit_id, status FROM assignment WHERE task_id = ?", e);
  size_t cap = 0;
  int rc;
  out->n = 0;
  out->a = NULL;
  if (!st) return -1;
  db_bind_int(st, 1, task_id);
  while ((rc = db_step(st, e)) == DB_ROW) {
    if (out->n == cap) {
      size_t nc = cap ? cap * 2 : 8;
      struct asg_key *p = realloc(out->a, nc * sizeof *p);
      if (!p) {
        db_done(st);
        app_asg_snapshot_free(out);
        return err_set(e, ERR_INTERNAL, "", "out of memory");
      }
      out->a = p;
      cap = nc;
    }
    out->a[out->n].unit = db_col_int(st, 0);
    snprintf(out->a[out->n].status, sizeof out->a[out->n].status, "%s", db_col_text(st, 1));
    out->n++;
  }
  db_done(st);
  if (rc < 0) app_asg_snapshot_free(out);
  return rc < 0 ? -1 : 0;
}

static int asg_key_cmp(const void *x, const void *y) {
  const struct asg_key *a = x, *b = y;
  if (a->unit != b->unit) return a->unit < b->unit ? -1 : 1;
  return strcmp(a->status, b->status);
}

int app_unit_count_apply(struct app *app, struct asg_snapshot *before, struct asg_snapshot *after,
                         struct err *e) {
  size_t i = 0, j = 0;
  int rc = 0;
  /* Both sorted: a merge walk yields each (unit, status) once, in order. */
  if (before->n) qsort(before->a, before->n, sizeof *before->a, asg_key_cmp);
  if (after->n) qsort(after->a, after->n, sizeof *after->a, asg_key_cmp);
  while (rc == 0 && (i < before->n || j < after->n)) {
    const struct asg_key *k;
    int64_t delta = 0;
    int c = i == before->n ? 1 : j == after->n ? -1 : asg_key_cmp(&before->a[i], &after->a[j]);
    k = c <= 0 ? &before->a[i] : &after->a[j];
    {
      struct asg_key key = *k;
      while (i < before->n && asg_key_cmp(&before->a[i], &key) == 0) i++, delta--;
      while (j < after->n && asg_key_cmp(&after->a[j], &key) == 0) j++, delta++;
      if (delta) {
        struct db_stmt *st = db_prepare(app->db,
                                        "INSERT INTO unit_count (unit_id, status, n) VALUES (?, ?, ?)"
                                        " ON CONFLICT (unit_id, status) DO UPDATE SET n = unit_count.n + ?",
                                        e);
        if (!st) {
          rc = -1;
          break;
        }
        db_bind_int(st, 1, key.unit);
        db_bind_text(st, 2, key.status);
        db_bind_int(st, 3, delta);
        db_bind_int(st, 4, delta);
        rc = db_run(st, e);
      }
    }
  }
  app_asg_snapshot_free(before);
  app_asg_snapshot_free(after);
  return rc;
}

/* ---- visibility ---- */

/* 1 if the actor may see the task; relation bits into *rel. */
int app_task_relation(struct app *app, const struct actor *who, int64_t task_id, unsigned *rel,
                      struct err *e) {
  struct db_stmt *st;
  int rc;
  *rel = 0;
  if (!who->unit_id) return 0;
  st = db_prepare(app->db, "SELECT role FROM assignment WHERE task_id = ? AND unit_id = ?", e);
  if (!st) return -1;
  db_bind_int(st, 1, task_id);
  db_bind_int(st, 2, who->unit_id);
  rc = db_step(st, e);
  if (rc == DB_ROW) *rel = !strcmp(db_col_text(st, 0), "lead") ? (REL_LEAD | REL_PART) : REL_PART;
  db_done(st);
  return rc < 0 ? -1 : 0;
}

static int task_visible(const struct actor *who, unsigned rel) {
  return SEES_ALL(who) || ((who->roles & ROLE_UNIT) && rel);
}

/* ---- rendering ---- */

/* TASK_COLS, in order. */
static const struct col_spec kTaskCols[] = {
    COL("id", C_INT),
    COL("code", C_STR),
    COL("title", C_STR),
    COL("requirement", C_STR),
    COL("source_id", C_INT),
    COL("source_title", C_STR_OR_NULL),
    COL("source_text", C_STR),
    COL("parent_id", C_INT),
    COL("category", C_STR),
    COL("lead_leader", C_STR),
    COL("status", C_STR),
    COL("progress", C_INT),
    COL("light", C_STR),
    COL("original_deadline", C_STR_OR_NULL),
    COL("deadline", C_STR_OR_NULL),
    COL("report_freq", C_STR),
    COL("evaluation", C_STR_OR_NULL),
    COL("extensions", C_INT),
    COL("bounces", C_INT),
    COL("last_report_at", C_TIME),
    COL("done_at", C_TIME),
    COL("done_late", C_BOOL),
    COL("created_at", C_TIME),
    COL("updated_at", C_TIME),
    COL("version", C_INT),
    COL("lead_unit_id", C_INT),
    COL("lead_unit_name", C_STR_OR_NULL),
    COL("assigned_at", C_TIME),
    COL("remark", C_STR),
    COL("deadline_rule", C_STR),
    COL("source_start", C_INT),
    COL("source_end", C_INT),
    COL_END};

/* Adds coop_units (the task row's copy: store/task_units.h), live light and
** planned progress to a rendered task. */
static int task_decorate(struct app *app, json_t *o, struct err *e) {
  int64_t id = json_integer_value(json_object_get(o, "id"));
  struct db_stmt *st = db_prepare(app->db, "SELECT coop_units FROM task WHERE id = ?", e);
  json_t *coops = NULL;
  struct task_state ts;
  int planned = 0, rc;
  if (!st) return -1;
  db_bind_int(st, 1, id);
  rc = db_step(st, e);
  if (rc == DB_ROW) coops = json_loads(db_col_text(st, 0), 0, NULL);
  db_done(st);
  if (rc < 0) return -1;
  json_object_set_new(o, "coop_units", coops ? coops : json_array());
  if (app_task_state(app, id, &ts, e)) return -1;
  json_object_set_new(o, "light",
                      json_string(light_name(app_task_light(app, &ts, date_today(), &planned))));
  json_object_set_new(o, "planned_progress", json_integer(planned));
  return 0;
}

int app_task_row_text(struct app *app, int64_t id, struct buf *out, struct err *e) {
  struct db_stmt *st = db_prepare(app->db, "SELECT " TASK_COLS TASK_FROM " WHERE t.id = ?", e);
  enum task_status s = TS_DRAFT;
  struct jw w;
  int rc;
  if (!st) return -1;
  db_bind_int(st, 1, id);
  rc = db_step(st, e);
  if (rc == DB_ROW) {
    jw_init(&w, out);
    jw_obj(&w);
    render_members(&w, st, kTaskCols, NULL);
    task_status_parse(db_col_text(st, 10), &s);
    jw_key(&w, "status_label");
    jw_str(&w, task_status_label(s));
    jw_end(&w);
  }
  db_done(st);
  if (rc < 0) return -1;
  if (rc == DB_DONE) return err_set(e, ERR_NOT_FOUND, "task_id", "no task with id %lld", (long long)id);
  return out->failed ? err_set(e, ERR_INTERNAL, "", "out of memory") : 0;
}

/* Which actions this actor may take now: the lifecycle table plus the
** assignment-level conditions actions.c enforces. */
int app_assignment_state(struct app *app, int64_t task_id, int64_t unit_id, enum asg_state *out,
                         struct err *e) {
  struct db_stmt *st = db_prepare(app->db,
                                  "SELECT state FROM assignment WHERE task_id = ? AND unit_id = ?", e);
  int rc;
  if (!st) return -1;
  db_bind_int(st, 1, task_id);
  db_bind_int(st, 2, unit_id);
  rc = db_step(st, e);
  if (rc == DB_ROW) asg_state_parse(db_col_text(st, 0), out);
  db_done(st);
  if (rc < 0) return -1;
  return rc == DB_ROW ? 0 : 1;
}

/* Which actions this actor may take now: the lifecycle table plus the
** assignment-level conditions actions.c enforces. has_asg/as: the state of
** the actor's own unit's part, if it has one. Written as an array. */
static void write_allowed_actions(struct jw *w, const struct actor *who, enum task_status status,
                                  unsigned rel, int has_asg, enum asg_state as) {
  unsigned permitted = lifecycle_permitted(status, who->roles, rel);
  jw_arr(w);
  for (int a = 0; a < ACT__COUNT; a++) {
    if (!(permitted & (1u << a))) continue;
    /* Unit actions also depend on the unit's own part. */
    if (!(who->roles & ROLE_ADMIN) && (a == ACT_ACCEPT || a == ACT_RETURN) &&
        (!has_asg || as != AS_ASSIGNED))
      continue;
    if (!(who->roles & ROLE_ADMIN) && a == ACT_PROGRESS && (!has_asg || as != AS_ACCEPTED))
      continue;
    jw_str(w, task_action_name((enum task_action)a));
  }
  jw_end(w);
}

/* Member `key`: the rows of sql (every placeholder is the task id) as an
** array of objects, rendered by cols. */
static int write_list(struct app *app, struct jw *w, const char *key, const char *sql, int64_t id,
                      const struct col_spec *cols, struct err *e) {
  struct db_stmt *st = db_prepare(app->db, sql, e);
  int rc, count = 0;
  if (!st) return -1;
  for (const char *p = sql; (p = strchr(p, '?')) != NULL; p++) count++;
  for (int i = 1; i <= count; i++) db_bind_int(st, i, id);
  jw_key(w, key);
  jw_arr(w);
  while ((rc = db_step(st, e)) == DB_ROW) {
    jw_obj(w);
    render_members(w, st, cols, NULL);
    jw_end(w);
  }
  jw_end(w);
  db_done(st);
  return rc < 0 ? -1 : 0;
}

/* Member coop_units from column col, t.coop_units: the task row's copy of
** its cooperating units, written by store/task_units.c ("" until then). */
static void write_coop_units(struct jw *w, struct db_stmt *st, int col) {
  size_t n;
  const char *coops = db_col_textn(st, col, &n);
  jw_key(w, "coop_units");
  if (n) jw_raw(w, coops, n);
  else jw_raw(w, "[]", 2);
}

static const struct col_spec kAssignmentCols[] = {
    COL("unit_id", C_INT),
    COL("unit_name", C_STR),
    COL("role", C_STR),
    COL("person", C_STR),
    COL("state", C_STR),
    COL("progress", C_INT),
    COL("accepted_at", C_TIME),
    COL("returned_reason", C_STR_OR_NULL),
    COL("last_report_at", C_TIME),
    COL_END};
static const struct col_spec kMilestoneCols[] = {
    COL("date", C_STR),
    COL("percent", C_INT),
    COL("title", C_STR),
    COL_END};
static const struct col_spec kChildCols[] = {
    COL("id", C_INT),
    COL("code", C_STR),
    COL("title", C_STR),
    COL("status", C_STR),
    COL("light", C_STR),
    COL("progress", C_INT),
    COL_END};
static const struct col_spec kExtensionCols[] = {
    COL("id", C_INT),
    COL("requested_date", C_STR),
    COL("reason", C_STR),
    COL("state", C_STR),
    COL("permitted_date", C_STR_OR_NULL),
    COL("at", C_TIME),
    COL("unit_name", C_STR),
    COL("comment", C_STR),
    COL_END};
/* Timeline rows share one shape: at, kind, actor_name, unit_name, text, extra. */
static const struct col_spec kTimelineCols[] = {
    COL("at", C_TIME),
    COL("kind", C_STR),
    COL("actor_name", C_STR_OR_NULL),
    COL("unit_name", C_STR_OR_NULL),
    COL("text", C_STR),
    COL("detail", C_STR_OR_NULL),
    COL("progress", C_INT),
    COL_END};

/* A task view's static part (app_int.h: struct task_view_parts), in five
** queries: the assignments (the actor's relation is decided later from the
** units text), the milestones, the task row, its children and its extension
** requests. Assignments and milestones are written into side buffers while
** they are read, and placed after the task's own fields. */
int task_view_render_parts(struct app *app, int64_t id, struct task_view_parts *p, struct err *e) {
  int rc, ret = -1;
  struct db_stmt *st;
  struct task_state ts;
  struct buf asgs, miles;
  struct jw w, wa, wm;
  memset(p, 0, sizeof *p);
  buf_init(&p->body, 0);
  buf_init(&p->milestones, 0);
  buf_init(&p->units, 0);
  buf_init(&asgs, 0);
  buf_init(&miles, 0);
  jw_init(&wa, &asgs);
  jw_init(&wm, &miles);
  st = db_prepare(app->db,
                  "SELECT a.unit_id, u.name, a.role, a.person, a.state, a.progress, a.accepted_at,"
                  " a.returned_reason, a.last_report_at FROM assignment a JOIN unit u ON u.id = a.unit_id"
                  " WHERE a.task_id = ? ORDER BY CASE a.role WHEN 'lead' THEN 0 ELSE 1 END, a.id",
                  e);
  if (!st) goto done;
  db_bind_int(st, 1, id);
  jw_arr(&wa);
  while ((rc = db_step(st, e)) == DB_ROW) {
    jw_obj(&wa);
    render_members(&wa, st, kAssignmentCols, NULL);
    jw_end(&wa);
    buf_printf(&p->units, "%s%lld:%c:%s", p->units.len ? "," : "", (long long)db_col_int(st, 0),
               strcmp(db_col_text(st, 2), "lead") ? 'C' : 'L', db_col_text(st, 4));
  }
  db_done(st);
  jw_end(&wa);
  if (rc < 0) goto done;
  st = db_prepare(app->db, "SELECT date, percent, title FROM milestone WHERE task_id = ? ORDER BY date", e);
  if (!st) goto done;
  db_bind_int(st, 1, id);
  jw_arr(&wm);
  while ((rc = db_step(st, e)) == DB_ROW) {
    jw_obj(&wm);
    render_members(&wm, st, kMilestoneCols, NULL);
    jw_end(&wm);
    buf_printf(&p->milestones, "%s%s:%lld", p->milestones.len ? "," : "", db_col_text(st, 0),
               (long long)db_col_int(st, 1));
  }
  db_done(st);
  jw_end(&wm);
  if (rc < 0) goto done;

  st = db_prepare(app->db, "SELECT " TASK_STATE_COLS ", t.coop_units" TASK_FROM " WHERE t.id = ?", e);
  if (!st) goto done;
  db_bind_int(st, 1, id);
  rc = db_step(st, e);
  if (rc != DB_ROW) {
    db_done(st);
    if (rc == DB_DONE) err_set(e, ERR_NOT_FOUND, "task_id", "no task with id %lld", (long long)id);
    goto done;
  }
  task_state_from_row(st, &ts);
  snprintf(p->status, sizeof p->status, "%s", db_col_text(st, 10));
  snprintf(p->report_freq, sizeof p->report_freq, "%s", db_col_text(st, 15));
  snprintf(p->light, sizeof p->light, "%s", db_col_text(st, 12));
  jw_init(&w, &p->body);
  jw_obj(&w);
  render_members(&w, st, kTaskCols, "light");
  jw_key(&w, "status_label");
  jw_str(&w, task_status_label(ts.status));
  write_coop_units(&w, st, VIEW_COL_COOPS);
  db_done(st);
  p->f.row_len = p->body.len;
  jw_key(&w, "assignments");
  jw_raw(&w, asgs.data, asgs.len);
  jw_key(&w, "milestones");
  jw_raw(&w, miles.data, miles.len);
  if (write_list(app, &w, "children",
                 "SELECT id, code, title, status, light, progress FROM task WHERE parent_id = ? ORDER BY id",
                 id, kChildCols, e) ||
      write_list(app, &w, "extension_requests",
                 "SELECT x.id, x.requested_date, x.reason, x.state, x.permitted_date, x.at, u.name,"
                 " x.comment FROM extension x JOIN unit u ON u.id = x.unit_id WHERE x.task_id = ?"
                 " ORDER BY x.id",
                 id, kExtensionCols, e))
    goto done;
  if (p->body.failed || p->milestones.failed || p->units.failed || asgs.failed || miles.failed) {
    err_set(e, ERR_INTERNAL, "", "out of memory");
    goto done;
  }
  p->f.body = p->body.data;
  p->f.body_len = p->body.len;
  p->f.status = p->status;
  p->f.report_freq = p->report_freq;
  p->f.light = p->light;
  p->f.start = ts.start;
  p->f.deadline = ts.deadline;
  p->f.progress = ts.progress;
  p->f.last_report_at = ts.last_report_at;
  p->f.milestones = p->milestones.data;
  p->f.milestones_len = p->milestones.len;
  p->f.units = p->units.data;
  p->f.units_len = p->units.len;
  ret = 0;
done:
  buf_release(&asgs);
  buf_release(&miles);
  if (ret) task_view_parts_release(p);
  return ret;
}

void task_view_parts_release(struct task_view_parts *p) {
  buf_release(&p->body);
  buf_release(&p->milestones);
  buf_release(&p->units);
}

/* The actor's unit in a units text ("ID:L:state,..."): its relation to the
** task, and the state of its part. The last entry of the unit wins, as the
** assignment rows were read in order. */
static void facts_unit(const struct task_view_facts *f, int64_t unit, unsigned *rel, int *has_asg,
                       enum asg_state *state) {
  const char *p = f->units, *end = f->units + f->units_len;
  while (p < end) {
    char *q;
    const char *comma = memchr(p, ',', (size_t)(end - p));
    const char *stop = comma ? comma : end;
    long long u = strtoll(p, &q, 10);
    if (q + 3 <= stop && q[0] == ':' && q[2] == ':' && u == unit) {
      char name[32];
      size_t n = (size_t)(stop - (q + 3));
      if (n >= sizeof name) n = sizeof name - 1;
      memcpy(name, q + 3, n);
      name[n] = 0;
      *rel = q[1] == 'L' ? (REL_LEAD | REL_PART) : REL_PART;
      *has_asg = 1;
      asg_state_parse(name, state);
    }
    p = stop + 1;
  }
}

/* Milestones text ("YYYY-MM-DD:P,...") into ms (at most max). */
static size_t facts_milestones(const struct task_view_facts *f, struct milestone *ms, size_t max) {
  const char *p = f->milestones, *end = f->milestones + f->milestones_len;
  size_t n = 0;
  while (p + 12 <= end && n < max) {
    char date[11];
    memcpy(date, p, 10);
    date[10] = 0;
    if (p[10] == ':' && date_parse(date, &ms[n].date) == 0) ms[n++].percent = atoi(p + 11);
    p = memchr(p, ',', (size_t)(end - p));
    if (!p) break;
    p++;
  }
  return n;
}

int task_view_finish(struct app *app, const struct actor *who, int64_t id,
                     const struct task_view_facts *f, int with_timeline, struct buf *out,
                     struct err *e) {
  unsigned rel = 0;
  enum asg_state my_state = AS_ASSIGNED;
  int has_asg = 0, planned = 0;
  struct task_state ts;
  struct milestone ms[32];
  size_t n_ms;
  struct err ignore;
  struct jw w;
  enum light light;
  if (who->unit_id) facts_unit(f, who->unit_id, &rel, &has_asg, &my_state);
  if (!task_visible(who, rel))
    return err_set(e, ERR_NOT_FOUND, "task_id", "no task with id %lld", (long long)id);
  n_ms = facts_milestones(f, ms, sizeof ms / sizeof ms[0]);
  memset(&ts, 0, sizeof ts);
  ts.id = id;
  task_status_parse(f->status, &ts.status);
  if (report_freq_parse(f->report_freq, &ts.freq, &ignore, "report_freq")) ts.freq.kind = FREQ_NONE;
  ts.start = f->start;
  ts.deadline = f->deadline;
  ts.progress = f->progress;
  ts.last_report_at = f->last_report_at;
  light = task_light_with(app, &ts, ms, n_ms, date_today(), &planned);
  buf_append(out, f->body, f->body_len);
  jw_resume_obj(&w, out);
  jw_key(&w, "light");
  jw_str(&w, light_name(light));
  jw_key(&w, "planned_progress");
  jw_int(&w, planned);
  jw_key(&w, "allowed_actions");
  write_allowed_actions(&w, who, ts.status, rel, has_asg, my_state);
  if (with_timeline &&
      write_list(app, &w, "timeline",
               "SELECT at, kind, actor_name, unit_name, text, detail, progress FROM ("
               " SELECT ev.at AS at, 'event' AS kind, us.display_name AS actor_name,"
               "  un.name AS unit_name, ev.action AS text,"
               "  ev.from_status || '>' || ev.to_status || CASE WHEN ev.note <> '' THEN ': ' || ev.note ELSE '' END AS detail,"
               "  CAST(NULL AS INTEGER) AS progress, ev.id AS seq, 1 AS ord"
               " FROM task_event ev LEFT JOIN app_user us ON us.id = ev.actor_id"
               " LEFT JOIN unit un ON un.id = ev.unit_id WHERE ev.task_id = ?"
               " UNION ALL"
               " SELECT p.at, 'report', us.display_name, un.name, p.text, p.evidence, p.progress, p.id, 2"
               " FROM progress_report p LEFT JOIN app_user us ON us.id = p.author_id"
               " LEFT JOIN unit un ON un.id = p.unit_id WHERE p.task_id = ?"
               " UNION ALL"
               " SELECT g.at, 'urging', us.display_name, un.name, g.level_name,"
               "  g.message, NULL, g.id, 3 FROM urging g LEFT JOIN app_user us ON us.id = g.by_id"
               " LEFT JOIN unit un ON un.id = g.unit_id WHERE g.task_id = ?"
               " UNION ALL"
               " SELECT r.at, 'review', us.display_name, NULL, r.kind, r.comment, NULL, r.id, 4"
               " FROM review r LEFT JOIN app_user us ON us.id = r.by_id WHERE r.task_id = ?"
               " UNION ALL"
               " SELECT i.at, 'instruction', us.display_name, NULL, i.text, NULL, NULL, i.id, 5"
               " FROM instruction i LEFT JOIN app_user us ON us.id = i.author_id WHERE i.task_id = ?"
               " UNION ALL"
               " SELECT c.at, 'accountability', us.display_name, un.name, c.kind, c.reason, NULL, c.id, 6"
               " FROM accountability c LEFT JOIN app_user us ON us.id = c.decided_by"
               " LEFT JOIN unit un ON un.id = c.unit_id WHERE c.task_id = ?"
               ") tl ORDER BY at, ord, seq",
               id, kTimelineCols, e))
    return -1;
  jw_end(&w);
  if (out->failed) return err_set(e, ERR_INTERNAL, "", "out of memory");
  return 0;
}

/* The stored view when there is a current one (task_docs.c), else rendered
** now: the same text either way. */
int app_task_view(struct app *app, const struct actor *who, int64_t id, int with_timeline,
                  struct buf *out, struct err *e) {
  struct task_view_parts p;
  int rc = task_doc_view(app, who, id, with_timeline, out, e);
  if (rc != 0) return rc < 0 ? -1 : 0;
  if (task_view_render_parts(app, id, &p, e)) return -1;
  rc = task_view_finish(app, who, id, &p.f, with_timeline, out, e);
  task_view_parts_release(&p);
  return rc;
}

int app_task_get(struct app *app, const struct actor *who, int64_t id, int with_timeline,
                 json_t **out, struct err *e) {
  struct buf b;
  int rc;
  *out = NULL;
  buf_init(&b, 0);
  rc = app_task_view(app, who, id, with_timeline, &b, e);
  if (rc == 0) rc = app_json_from_text(&b, out, e);
  buf_release(&b);
  return rc;
}

int app_task_resolve(struct app *app, const char *ref, int64_t *id, struct err *e) {
  struct db_stmt *st;
  char *end;
  int64_t n;
  int rc;
  if (!ref || !*ref) return err_set(e, ERR_INVALID, "task", "a task id or code is required");
  n = strtoll(ref, &end, 10);
  if (!*end && n > 0) {
    *id = n;
    return 0;
  }
  st = db_prepare(app->db, "SELECT id FROM task WHERE code = ?", e);
  if (!st) return -1;
  db_bind_text(st, 1, ref);
  rc = db_step_int(st, id, e);
  db_done(st);
  if (rc < 0) return -1;
  if (rc == DB_DONE) return err_set(e, ERR_NOT_FOUND, "task", "no task %s", ref);
  return 0;
}

/* ---- create ---- */

static int check_category(const char *c, struct err *e) {
  for (int i = 0; kCategories[i]; i++)
    if (!strcmp(c, kCategories[i])) return 0;
  return err_set(e, ERR_INVALID, "category", "category must be one of 会议决定事项, 重点工作, 领导批示, 办实事, 整改");
}

int app_task_check_category(const char *c, struct err *e) { return check_category(c, e); }

static int unit_ok(struct app *app, int64_t id, const char *field, struct err *e) {
  json_t *u = app_unit_row(app, id, e);
  if (!u) {
    if (e->code == ERR_NOT_FOUND) err_set(e, ERR_INVALID, field, "%s: no unit with id %lld", field, (long long)id);
    return -1;
  }
  json_decref(u);
  return 0;
}

static int insert_assignment(struct app *app, int64_t task, int64_t unit, const char *role,
                             const char *person, struct err *e) {
  struct db_stmt *st = db_prepare(app->db,
                                  "INSERT INTO assignment (task_id, unit_id, role, person, state)"
                                  " VALUES (?, ?, ?, ?, 'assigned')",
                                  e);
  int rc;
  if (!st) return -1;
  db_bind_int(st, 1, task);
  db_bind_int(st, 2, unit);
  db_bind_text(st, 3, role);
  db_bind_text(st, 4, person ? person : "");
  rc = db_step(st, e);
  db_done(st);
  if (rc < 0 && e->code == ERR_CONFLICT)
    err_set(e, ERR_INVALID, "coop_unit_ids", "a unit appears twice among the lead and cooperating units");
  return rc < 0 ? -1 : 0;
}

int app_task_insert_event(struct app *app, int64_t task, int64_t actor, const char *action,
                          const char *from, const char *to, int64_t unit, const char *note,
                          struct err *e) {
  struct db_stmt *st = db_prepare(app->db,
                                  "INSERT INTO task_event (task_id, at, actor_id, action, from_status,"
                                  " to_status, unit_id, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                  e);
  int rc;
  if (!st) return -1;
  db_bind_int(st, 1, task);
  db_bind_int(st, 2, now_unix());
  db_bind_int(st, 3, actor);
  db_bind_text(st, 4, action);
  db_bind_text(st, 5, from);
  db_bind_text(st, 6, to);
  db_bind_int_or_null(st, 7, unit, unit == 0);
  db_bind_text(st, 8, note ? note : "");
  rc = db_step(st, e);
  db_done(st);
  return rc < 0 ? -1 : 0;
}

/* Validates milestones [{date, percent, title}] (dates ascending, percents
** non-decreasing 0..100, none after the deadline) and inserts them. */
int app_task_set_milestones(struct app *app, int64_t task, json_t *arr, day_t deadline,
                            struct err *e) {
  size_t i;
  json_t *m;
  day_t prev_d = DATE_NONE;
  int64_t prev_p = -1;
  struct db_stmt *st = db_prepare(app->db, "DELETE FROM milestone WHERE task_id = ?", e);
  if (!st) return -1;
  db_bind_int(st, 1, task);
  if (db_run(st, e)) return -1;
  json_array_foreach(arr, i, m) {
    char field[40], ds[11];
    day_t d;
    int64_t p;
    const char *title = "";
    snprintf(field, sizeof field, "milestones[%zu]", i);
    if (!json_is_object(m)) return err_set(e, ERR_INVALID, field, "%s must be an object", field);
    if (json_in_allow(m, "date,percent,title", e) || json_in_date(m, "date", 1, &d, e) ||
        json_in_int(m, "percent", 1, 0, 100, &p, e) ||
        json_in_str(m, "title", 0, 60, 0, &title, e) < 0) {
      err_prefix_field(e, field);
      return -1;
    }
    if (prev_d != DATE_NONE && (d <= prev_d || p < prev_p))
      return err_set(e, ERR_INVALID, field,
                     "%s: milestones must have rising dates and non-decreasing percents", field);
    if (deadline != DATE_NONE && d > deadline)
      return err_set(e, ERR_INVALID, field, "%s: a milestone falls after the deadline", field);
    prev_d = d;
    prev_p = p;
    st = db_prepare(app->db, "INSERT INTO milestone (task_id, date, percent, title) VALUES (?, ?, ?, ?)", e);
    if (!st) return -1;
    db_bind_int(st, 1, task);
    db_bind_text(st, 2, date_format(d, ds));
    db_bind_int(st, 3, p);
    db_bind_text(st, 4, title);
    if (db_run(st, e)) return -1;
  }
  return 0;
}

int app_task_create(struct app *app, const struct actor *who, json_t *in, json_t **out,
                    struct err *e) {
  const char *title, *req = "", *src_text = "", *category = "会议决定事项", *leader = "",
             *person = "", *freq_s = "none", *remark = "";
  int64_t source_id = 0, parent_id = 0, lead = 0, wd = 0, start = 0, end = 0, seq, id = 0;
  int has_src, has_parent, has_lead, has_dl, has_wd, has_start, has_end, rc;
  day_t deadline = DATE_NONE, today = date_today();
  json_t *coops = NULL, *miles = NULL, *v;
  struct report_freq freq;
  char code[32], ds[11] = "", rule[32] = "", fs[16];
  struct db_stmt *st;
  size_t i;
  unsigned prel = 0;
  int y;

  *out = NULL;
  if (json_in_allow(in,
                    "title,requirement,source_id,source_text,source_start,source_end,parent_id,"
                    "category,lead_leader,lead_unit_id,lead_person,coop_unit_ids,deadline,"
                    "deadline_workdays,milestones,report_freq,remark",
                    e))
    return -1;
  if (json_in_str(in, "title", 1, (size_t)app->settings.title_max_chars, 0, &title, e)) return -1;
  if (json_in_str(in, "requirement", 0, 2000, 1, &req, e) < 0) return -1;
  if ((has_src = json_in_int(in, "source_id", 0, 1, INT64_MAX, &source_id, e)) < 0) return -1;
  if (json_in_str(in, "source_text", 0, 5000, 1, &src_text, e) < 0) return -1;
  if ((has_start = json_in_int(in, "source_start", 0, 0, INT32_MAX, &start, e)) < 0) return -1;
  if ((has_end = json_in_int(in, "source_end", 0, 0, INT32_MAX, &end, e)) < 0) return -1;
  if ((has_parent = json_in_int(in, "parent_id", 0, 1, INT64_MAX, &parent_id, e)) < 0) return -1;
  if (json_in_str(in, "category", 0, 20, 0, &category, e) < 0 || check_category(category, e)) return -1;
  if (json_in_str(in, "lead_leader", 0, 60, 0, &leader, e) < 0) return -1;
  if ((has_lead = json_in_int(in, "lead_unit_id", 0, 1, INT64_MAX, &lead, e)) < 0) return -1;
  if (json_in_str(in, "lead_person", 0, 40, 0, &person, e) < 0) return -1;
  if (json_in_array(in, "coop_unit_ids", 0, &coops, e) < 0) return -1;
  if ((has_dl = json_in_date(in, "deadline", 0, &deadline, e)) < 0) return -1;
  if ((has_wd = json_in_int(in, "deadline_workdays", 0, 1, 1000, &wd, e)) < 0) return -1;
  if (json_in_array(in, "milestones", 0, &miles, e) < 0) return -1;
  if (json_in_str(in, "report_freq", 0, 16, 0, &freq_s, e) < 0 ||
      report_freq_parse(freq_s, &freq, e, "report_freq"))
    return -1;
  if (json_in_str(in, "remark", 0, 500, 1, &remark, e) < 0) return -1;
  if (has_dl == 0 && has_wd == 0)
    return err_set(e, ERR_INVALID, "deadline_workdays", "give either deadline or deadline_workdays, not both");
  if (has_wd == 0) {
    /* Fixed now: a later change of the calendar never moves it. */
    if (calendar_add_workdays(app->cal, today, (int)wd, &deadline, e)) {
      snprintf(e->field, sizeof e->field, "deadline_workdays");
      return -1;
    }
    snprintf(rule, sizeof rule, "%lld个工作日", (long long)wd);
  }
  if (deadline != DATE_NONE && deadline < today)
    return err_set(e, ERR_INVALID, "deadline", "the deadline %s is before the task's creation (%s)",
                   date_format(deadline, ds), date_format(today, code));
  if (deadline != DATE_NONE) date_format(deadline, ds);
  if (has_start == 0 && has_end == 0 && end < start)
    return err_set(e, ERR_INVALID, "source_end", "source_end is before source_start");

  /* Who may create: supervisors; a unit may split a task it takes part in. */
  if (!IS_SUP(who)) {
    if (!(who->roles & ROLE_UNIT) || has_parent != 0)
      return err_set(e, ERR_FORBIDDEN, "", "only supervisors create tasks; a unit may split its own task into subtasks");
    if (app_task_relation(app, who, parent_id, &prel, e)) return -1;
    if (!prel) return err_set(e, ERR_NOT_FOUND, "parent_id", "no task with id %lld", (long long)parent_id);
    if (has_lead != 0) {
      lead = who->unit_id;
      has_lead = 0;
    }
  }
  if (app_tx_begin(app, e)) return -1;
  if (has_src == 0) {
    json_t *s = NULL;
    if (app_source_get(app, &(struct actor){.roles = ROLE_ADMIN}, source_id, &s, e)) {
      if (e->code == ERR_NOT_FOUND) e->code = ERR_INVALID;
      goto fail;
    }
    json_decref(s);
  }
  if (has_parent == 0) {
    struct task_state pts;
    if (app_task_state(app, parent_id, &pts, e)) {
      if (e->code == ERR_NOT_FOUND) e->code = ERR_INVALID;
      snprintf(e->field, sizeof e->field, "parent_id");
      goto fail;
    }
    if (pts.status == TS_DONE || pts.status == TS_CANCELLED) {
      err_set(e, ERR_STATE, "parent_id", "cannot add a subtask to a task that is %s",
              task_status_name(pts.status));
      goto fail;
    }
  }
  if (has_lead == 0 && unit_ok(app, lead, "lead_unit_id", e)) goto fail;
  date_to_ymd(today, &y, NULL, NULL);
  {
    char cname[24];
    snprintf(cname, sizeof cname, "task-%d", y);
    if (app_counter_next(app, cname, &seq, e)) goto fail;
  }
  snprintf(code, sizeof code, "DB-%d-%04lld", y, (long long)seq);
  st = db_prepare(app->db,
                  "INSERT INTO task (code, title, requirement, source_id, source_text, source_start,"
                  " source_end, parent_id, category, lead_leader, status, original_deadline, deadline,"
                  " deadline_rule, report_freq, remark, created_by, created_at, updated_at)"
                  " VALUES (?,?,?,?,?,?,?,?,?,?,'draft',?,?,?,?,?,?,?,?) RETURNING id",
                  e);
  if (!st) goto fail;
  db_bind_text(st, 1, code);
  db_bind_text(st, 2, title);
  db_bind_text(st, 3, req);
  db_bind_int_or_null(st, 4, source_id, has_src != 0);
  db_bind_text(st, 5, src_text);
  db_bind_int_or_null(st, 6, start, has_start != 0);
  db_bind_int_or_null(st, 7, end, has_end != 0);
  db_bind_int_or_null(st, 8, parent_id, has_parent != 0);
  db_bind_text(st, 9, category);
  db_bind_text(st, 10, leader);
  db_bind_text(st, 11, ds[0] ? ds : NULL);
  db_bind_text(st, 12, ds[0] ? ds : NULL);
  db_bind_text(st, 13, rule);
  db_bind_text(st, 14, report_freq_format(&freq, fs));
  db_bind_text(st, 15, remark);
  db_bind_int(st, 16, who->user_id);
  db_bind_int(st, 17, now_unix());
  db_bind_int(st, 18, now_unix());
  rc = db_step_int(st, &id, e);
  db_done(st);
  if (rc != DB_ROW) goto fail;
  if (has_lead == 0 && insert_assignment(app, id, lead, "lead", person, e)) goto fail;
  if (coops) {
    json_array_foreach(coops, i, v) {
      char field[40];
      snprintf(field, sizeof field, "coop_unit_ids[%zu]", i);
      if (!json_is_integer(v)) {
        err_set(e, ERR_INVALID, field, "%s must be a unit id", field);
        goto fail;
      }
      if (unit_ok(app, json_integer_value(v), field, e) ||
          insert_assignment(app, id, json_integer_value(v), "coop", NULL, e))
        goto fail;
    }
  }
  if (miles && app_task_set_milestones(app, id, miles, deadline, e)) goto fail;
  if (app_task_sync_assignments(app, id, e)) goto fail;
  {
    struct asg_snapshot none = {0, NULL}, now;
    if (app_asg_snapshot(app, id, &now, e) || app_unit_count_apply(app, &none, &now, e)) goto fail;
  }
  if (app_task_insert_event(app, id, who->user_id, "create", "", "draft", 0, NULL, e)) goto fail;
  if (app_count_move(app, 0, NULL, NULL, has_lead == 0 ? lead : 0, "draft", "none", e)) goto fail;
  if (app_search_index(app, "task", id, NULL, e)) goto fail;
  {
    /* The journal keeps the row's text as rendered; the answer is that text parsed. */
    struct buf row;
    int bad;
    buf_init(&row, 0);
    bad = app_task_row_text(app, id, &row, e) || app_json_from_text(&row, out, e) ||
          journal_append_text(app->db, who->user_id, "task", id, "create", NULL, row.data, e) < 0;
    buf_release(&row);
    if (bad) goto fail;
  }
  if (task_decorate(app, *out, e)) goto fail;
  if (app_tx_commit(app, e)) goto fail_nort;
  return 0;
fail:
  app_tx_rollback(app);
fail_nort:
  json_decref(*out);
  *out = NULL;
  return -1;
}

/* ---- list ---- */

/* A page's rows are written as they are read. Lights are the stored ones
** (kept by every change and by the server's periodic tick); the live light
** and planned progress are in the single-task view. The cooperating units
** are the task row's own copy (store/task_units.h): no query per page. */
#define LIST_COL_COOPS 32   /* t.coop_units, after TASK_COLS */
#define LIST_COL_DUE 33     /* the deadline sort key */

/* On SQLite a row is the start of the task's stored view (task_docs.c: the
** members up to coop_units) and the stored light; the page's query reads
** these columns instead of TASK_COLS. */
enum { LD_ID, LD_CODE, LD_UPDATED, LD_LIGHT, LD_BODY, LD_ROW_LEN, LD_OFFSET, LD_NOTED, LD_DUE };
#define LIST_DOC_COLS                                                                       \
  "t.id, t.code, t.updated_at, t.light, td.body, td.row_len, td.utc_offset,"                \
  " tx.task_id IS NOT NULL"
#define LIST_DOC_JOINS                                                                      \
  " LEFT JOIN task_doc td ON td.task_id = t.id LEFT JOIN task_doc_dirty tx ON tx.task_id = t.id"
/* A unit's page by deadline with no filter on the task row reads no task
** row at all: ids and keys from the unit's assignment index, the rest from
** the stored view (whose stored light is the task's while it is current). */
#define LIST_DOC_COLS_BY_UNIT                                                               \
  "d.task_id, '', 0, td.light, td.body, td.row_len, td.utc_offset, tx.task_id IS NOT NULL"
#define LIST_DOC_JOINS_BY_UNIT                                                              \
  " LEFT JOIN task_doc td ON td.task_id = d.task_id"                                        \
  " LEFT JOIN task_doc_dirty tx ON tx.task_id = d.task_id"

/* One ledger row from a row of TASK_COLS + t.coop_units: the members of the
** task view up to coop_units (the same text), then the stored light. */
static void render_list_row(struct jw *w, struct db_stmt *st) {
  enum task_status ts = TS_DRAFT;
  jw_obj(w);
  render_members(w, st, kTaskCols, "light");
  task_status_parse(db_col_text(st, 10), &ts);
  jw_key(w, "status_label");
  jw_str(w, task_status_label(ts));
  write_coop_units(w, st, LIST_COL_COOPS);
  jw_key(w, "light");
  jw_str(w, db_col_text(st, 12));
  jw_end(w);
}

/* The ledger row of task id rendered now, into row (reset first). */
static int list_row_live(struct app *app, int64_t id, struct buf *row, struct err *e) {
  struct db_stmt *st = db_prepare(app->db, "SELECT " TASK_COLS ", t.coop_units" TASK_FROM " WHERE t.id = ?", e);
  struct jw w;
  int rc;
  if (!st) return -1;
  db_bind_int(st, 1, id);
  rc = db_step(st, e);
  buf_reset(row);
  jw_init(&w, row);
  if (rc == DB_ROW) render_list_row(&w, st);
  db_done(st);
  if (rc < 0) return -1;
  if (rc == DB_DONE) return err_set(e, ERR_INTERNAL, "", "task %lld vanished in its transaction", (long long)id);
  return row->failed ? err_set(e, ERR_INTERNAL, "", "out of memory") : 0;
}

/* The ledger row under st (LIST_DOC_COLS) into row: from the stored view
** when it is current, else rendered now. DUBAN_CHECK_TASK_DOCS compares
** the two. */
static int list_row_from_doc(struct app *app, struct db_stmt *st, struct buf *row, struct buf *live,
                             struct err *e) {
  size_t body_len;
  const char *body = db_col_textn(st, LD_BODY, &body_len);
  size_t row_len = (size_t)db_col_int(st, LD_ROW_LEN);
  int64_t id = db_col_int(st, LD_ID);
  struct jw w;
  if (!body || db_col_int(st, LD_NOTED) || db_col_int(st, LD_OFFSET) != date_utc_offset_minutes() ||
      !row_len || row_len > body_len)
    return list_row_live(app, id, row, e);
  buf_reset(row);
  buf_append(row, body, row_len);
  jw_resume_obj(&w, row);
  jw_key(&w, "light");
  jw_str(&w, db_col_text(st, LD_LIGHT));
  jw_end(&w);
  if (row->failed) return err_set(e, ERR_INTERNAL, "", "out of memory");
  if (app->check_docs &&
      (list_row_live(app, id, live, e) || task_doc_same(id, "ledger row", row->data, row->len, live, e)))
    return -1;
  return 0;
}

int app_task_list_text(struct app *app, const struct actor *who, json_t *q, struct buf *out,
                       struct err *e) {
  int64_t unit = 0, source = 0, parent = 0, limit = 50;
  const char *status_s = NULL, *light_s = NULL, *text = NULL, *sort = "deadline",
             *cursor = NULL, *category = NULL;
  day_t before = DATE_NONE, after = DATE_NONE;
  int mine = 0, has_unit, has_src, has_parent, rc, n = 0, with_total = 1, by_due, task_filters;
  int64_t driver;
  const char *due_key, *id_key;
  enum task_status status;
  enum light light;
  struct buf where, sql, row, live;
  struct db_stmt *st;
  struct jw w;
  int bind_i;
  /* SQLite: rows from the stored task views (task_docs.c). */
  const int docs = db_kind(app->db) == DB_SQLITE;
  const int col_due = docs ? LD_DUE : LIST_COL_DUE, col_updated = docs ? LD_UPDATED : 23;
  /* Cursor: "<sortkey>|<id>" of the last row of the previous page. */
  char ckey[64] = "";
  int64_t cid = 0;
  char bds[11], ads[11];

  if (json_in_allow(q,
                    "unit_id,status,light,due_before,due_after,source_id,parent_id,q,category,"
                    "sort,limit,cursor,mine,total",
                    e))
    return -1;
  if ((has_unit = json_in_int(q, "unit_id", 0, 1, INT64_MAX, &unit, e)) < 0) return -1;
  if (json_in_str(q, "status", 0, 20, 0, &status_s, e) < 0) return -1;
  if (status_s && task_status_parse(status_s, &status))
    return err_set(e, ERR_INVALID, "status", "unknown status \"%s\"", status_s);
  if (json_in_str(q, "light", 0, 10, 0, &light_s, e) < 0) return -1;
  if (light_s && light_parse(light_s, &light))
    return err_set(e, ERR_INVALID, "light", "light must be red, yellow, green or none");
  if (json_in_date(q, "due_before", 0, &before, e) < 0) return -1;
  if (json_in_date(q, "due_after", 0, &after, e) < 0) return -1;
  if ((has_src = json_in_int(q, "source_id", 0, 1, INT64_MAX, &source, e)) < 0) return -1;
  if ((has_parent = json_in_int(q, "parent_id", 0, 1, INT64_MAX, &parent, e)) < 0) return -1;
  if (json_in_str(q, "q", 0, 100, 0, &text, e) < 0) return -1;
  if (json_in_str(q, "category", 0, 20, 0, &category, e) < 0) return -1;
  if (json_in_str(q, "sort", 0, 20, 0, &sort, e) < 0) return -1;
  if (strcmp(sort, "deadline") && strcmp(sort, "-deadline") && strcmp(sort, "code") &&
      strcmp(sort, "updated"))
    return err_set(e, ERR_INVALID, "sort", "sort must be deadline, -deadline, code or updated");
  if (json_in_int(q, "limit", 0, 1, 200, &limit, e) < 0) return -1;
  if (json_in_str(q, "cursor", 0, 100, 0, &cursor, e) < 0) return -1;
  if (json_in_bool(q, "mine", 0, &mine, e) < 0) return -1;
  if (json_in_bool(q, "total", 0, &with_total, e) < 0) return -1;
  if (cursor && *cursor) {
    const char *bar = strrchr(cursor, '|');
    char *end;
    if (!bar || (size_t)(bar - cursor) >= sizeof ckey) goto bad_cursor;
    memcpy(ckey, cursor, (size_t)(bar - cursor));
    ckey[bar - cursor] = 0;
    cid = strtoll(bar + 1, &end, 10);
    if (*end || cid <= 0) goto bad_cursor;
  }
  if (!SEES_ALL(who) && !(who->roles & ROLE_UNIT))
    return err_set(e, ERR_FORBIDDEN, "", "your role may not list tasks");

  /* The query is assembled from constant fragments only; every value is
  ** bound, in the order the fragments were added. A list of one unit's tasks
  ** (a filter, or what a unit user may see) is driven from that unit's
  ** assignments, which carry the task's status and deadline key
  ** (assignment_unit_status_due), so a page is an index range. */
  driver = has_unit == 0 ? unit : (!SEES_ALL(who) ? who->unit_id : 0);
  by_due = driver && !strcmp(sort, "deadline");
  task_filters = (mine || light_s || before != DATE_NONE || after != DATE_NONE || has_src == 0 ||
                  has_parent == 0 || text || category);
  buf_init(&where, 0);
  buf_init(&sql, 0);
  buf_init(&row, 0);
  buf_init(&live, 0);
  buf_puts(&where, " WHERE 1=1");
  if (driver) buf_puts(&where, " AND d.unit_id = ?");
  if (driver && has_unit == 0 && !SEES_ALL(who))
    buf_puts(&where, " AND d.task_id IN (SELECT va.task_id FROM assignment va WHERE va.unit_id = ?)");
  if (mine) {
    if (IS_SUP(who))
      buf_puts(&where, " AND (t.status = 'review' OR EXISTS (SELECT 1 FROM assignment ra"
                       " WHERE ra.task_id = t.id AND ra.state = 'returned') OR EXISTS (SELECT 1"
                       " FROM extension xa WHERE xa.task_id = t.id AND xa.state = 'pending'))");
    else
      buf_puts(&where, " AND EXISTS (SELECT 1 FROM assignment ma WHERE ma.task_id = t.id"
                       " AND ma.unit_id = ? AND ((ma.state = 'assigned' AND t.status IN ('assigned','in_progress'))"
                       " OR (ma.state = 'accepted' AND t.status = 'in_progress')))");
  }
  if (status_s) buf_puts(&where, driver ? " AND d.status = ?" : " AND t.status = ?");
  if (light_s) buf_puts(&where, " AND t.light = ?");
  if (before != DATE_NONE) buf_puts(&where, " AND t.deadline <= ?");
  if (after != DATE_NONE) buf_puts(&where, " AND t.deadline >= ?");
  if (has_src == 0) buf_puts(&where, " AND t.source_id = ?");
  if (has_parent == 0) buf_puts(&where, " AND t.parent_id = ?");
  if (text) buf_puts(&where, " AND (t.title LIKE ? OR t.code = ?)");
  if (category) buf_puts(&where, " AND t.category = ?");

#define BIND_FILTERS(ST)                                                              \
  do {                                                                                \
    bind_i = 1;                                                                       \
    if (driver) db_bind_int(ST, bind_i++, driver);                                    \
    if (driver && has_unit == 0 && !SEES_ALL(who)) db_bind_int(ST, bind_i++, who->unit_id); \
    if (mine && !IS_SUP(who)) db_bind_int(ST, bind_i++, who->unit_id);                \
    if (status_s) db_bind_text(ST, bind_i++, task_status_name(status));               \
    if (light_s) db_bind_text(ST, bind_i++, light_name(light));                       \
    if (before != DATE_NONE) db_bind_text(ST, bind_i++, date_format(before, bds));    \
    if (after != DATE_NONE) db_bind_text(ST, bind_i++, date_format(after, ads));      \
    if (has_src == 0) db_bind_int(ST, bind_i++, source);                              \
    if (has_parent == 0) db_bind_int(ST, bind_i++, parent);                           \
    if (text) {                                                                       \
      char like[420];                                                                 \
      snprintf(like, sizeof like, "%%%s%%", text);                                    \
      db_bind_text(ST, bind_i++, like);                                               \
      db_bind_text(ST, bind_i++, text);                                               \
    }                                                                                 \
    if (category) db_bind_text(ST, bind_i++, category);                               \
  } while (0)

  /* Rows are written straight into out as they are read. */
  buf_reserve(out, (size_t)limit * 1024);
  jw_init(&w, out);
  jw_obj(&w);
  jw_key(&w, "items");
  jw_arr(&w);
  due_key = by_due ? "d.due" : "COALESCE(t.deadline, '9999-12-31')";
  id_key = by_due ? "d.task_id" : "t.id";
  if (docs && by_due && !task_filters)
    buf_printf(&sql, "SELECT " LIST_DOC_COLS_BY_UNIT ", d.due FROM assignment d" LIST_DOC_JOINS_BY_UNIT
               "%s", where.data);
  else if (docs)
    buf_printf(&sql, "SELECT " LIST_DOC_COLS ", %s%s%s%s", due_key,
               driver ? " FROM assignment d JOIN task t ON t.id = d.task_id" : " FROM task t",
               LIST_DOC_JOINS, where.data);
  else
    buf_printf(&sql, "SELECT " TASK_COLS ", t.coop_units, %s%s%s%s", due_key,
               driver ? " FROM assignment d JOIN task t ON t.id = d.task_id" : " FROM task t",
               TASK_JOINS, where.data);
  if (ckey[0] || cid) {
    if (!strcmp(sort, "deadline"))
      buf_printf(&sql, " AND (%s > ? OR (%s = ? AND %s > ?))", due_key, due_key, id_key);
    else if (!strcmp(sort, "-deadline"))
      buf_printf(&sql, " AND (%s < ? OR (%s = ? AND %s < ?))", due_key, due_key, id_key);
    else if (!strcmp(sort, "code"))
      buf_puts(&sql, " AND (t.code > ? OR (t.code = ? AND t.id > ?))");
    else
      buf_puts(&sql, " AND (t.updated_at < CAST(? AS BIGINT) OR (t.updated_at = CAST(? AS BIGINT) AND t.id < ?))");
  }
  if (!strcmp(sort, "deadline")) buf_printf(&sql, " ORDER BY %s, %s", due_key, id_key);
  else if (!strcmp(sort, "-deadline")) buf_printf(&sql, " ORDER BY %s DESC, %s DESC", due_key, id_key);
  else if (!strcmp(sort, "code")) buf_puts(&sql, " ORDER BY t.code, t.id");
  else buf_puts(&sql, " ORDER BY t.updated_at DESC, t.id DESC");
  buf_puts(&sql, " LIMIT ?");
  if (where.failed || sql.failed) {
    err_set(e, ERR_INTERNAL, "", "out of memory");
    goto fail;
  }
  st = db_prepare_text(app->db, sql.data, e);
  if (!st) goto fail;
  BIND_FILTERS(st);
  if (ckey[0] || cid) {
    db_bind_text(st, bind_i++, ckey);
    db_bind_text(st, bind_i++, ckey);
    db_bind_int(st, bind_i++, cid);
  }
  db_bind_int(st, bind_i++, limit + 1);
  while ((rc = db_step(st, e)) == DB_ROW) {
    if (n == limit) break;
    if (docs) {
      if (list_row_from_doc(app, st, &row, &live, e)) {
        db_done(st);
        goto fail;
      }
      jw_raw(&w, row.data, row.len);
    } else {
      render_list_row(&w, st);
    }
    /* The cursor key of every row, as the next page starts after the last
    ** one; copied (no snprintf: it was a visible share of a page). */
    if (!strcmp(sort, "deadline") || !strcmp(sort, "-deadline") || !strcmp(sort, "code")) {
      size_t kn;
      const char *k = db_col_textn(st, strcmp(sort, "code") ? col_due : 1, &kn);
      if (kn >= sizeof ckey) kn = sizeof ckey - 1;
      memcpy(ckey, k ? k : "", kn);
      ckey[kn] = 0;
    } else
      snprintf(ckey, sizeof ckey, "%lld", (long long)db_col_int(st, col_updated));
    cid = db_col_int(st, 0);
    n++;
  }
  db_done(st);
  if (rc < 0) goto fail;
  {
    int more = rc == DB_ROW;
    jw_end(&w);
    jw_key(&w, "next_cursor");
    if (more) {
      char next[100];
      snprintf(next, sizeof next, "%s|%lld", ckey, (long long)cid);
      jw_str(&w, next);
    } else {
      jw_null(&w);
    }
  }
  if (with_total) {
    int64_t total = 0;
    buf_reset(&sql);
    /* One unit's tasks, by status or not, with nothing else filtered: the
    ** kept counts (unit_count). */
    if (driver && !task_filters && !(has_unit == 0 && !SEES_ALL(who))) {
      st = db_prepare(app->db,
                      status_s ? "SELECT COALESCE(SUM(n), 0) FROM unit_count WHERE unit_id = ? AND status = ?"
                               : "SELECT COALESCE(SUM(n), 0) FROM unit_count WHERE unit_id = ?",
                      e);
      if (!st) goto fail;
      db_bind_int(st, 1, driver);
      if (status_s) db_bind_text(st, 2, task_status_name(status));
      rc = db_step_int(st, &total, e);
      db_done(st);
      if (rc < 0) goto fail;
      jw_key(&w, "total");
      jw_int(&w, total);
      goto counted;
    }
    if (driver && !task_filters)
      buf_printf(&sql, "SELECT COUNT(*) FROM assignment d%s", where.data);
    else
      buf_printf(&sql, "SELECT COUNT(*)%s%s",
                 driver ? " FROM assignment d JOIN task t ON t.id = d.task_id" : " FROM task t",
                 where.data);
    st = db_prepare_text(app->db, sql.data, e);
    if (!st) goto fail;
    BIND_FILTERS(st);
    rc = db_step_int(st, &total, e);
    db_done(st);
    if (rc < 0) goto fail;
    jw_key(&w, "total");
    jw_int(&w, total);
  }
counted:
  jw_end(&w);
  if (out->failed) {
    err_set(e, ERR_INTERNAL, "", "out of memory");
    goto fail;
  }
  buf_release(&where);
  buf_release(&sql);
  buf_release(&row);
  buf_release(&live);
  return 0;
fail:
  buf_release(&where);
  buf_release(&sql);
  buf_release(&row);
  buf_release(&live);
  return -1;
bad_cursor:
  return err_set(e, ERR_INVALID, "cursor", "the cursor is not one this server gave out");
}

int app_task_list(struct app *app, const struct actor *who, json_t *query, json_t **out,
                  struct err *e) {
  struct buf b;
  int rc;
  *out = NULL;
  buf_init(&b, 0);
  rc = app_task_list_text(app, who, query, &b, e);
  if (rc == 0) rc = app_json_from_text(&b, out, e);
  buf_release(&b);
  return rc;
}

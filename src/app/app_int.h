/*
** app_int.h — private to src/app: helpers shared by the use-case files.
*/
#ifndef DUBAN_APP_INT_H
#define DUBAN_APP_INT_H

#include "app/app.h"
#include "app/json_in.h"
#include "store/journal.h"
#include "util/buf.h"
#include "util/date.h"

#define IS_SUP(a) (((a)->roles & (ROLE_ADMIN | ROLE_SUPERVISOR)) != 0)
#define IS_ADMIN(a) (((a)->roles & ROLE_ADMIN) != 0)
#define SEES_ALL(a) (((a)->roles & (ROLE_ADMIN | ROLE_SUPERVISOR | ROLE_LEADER)) != 0)


/* Column helpers for rendering: NULL-aware. */
void jset_str(json_t *o, const char *k, struct db_stmt *st, int col);   /* "" stays "" */
void jset_int(json_t *o, const char *k, struct db_stmt *st, int col);   /* NULL → null */
void jset_time(json_t *o, const char *k, struct db_stmt *st, int col);  /* unix → ISO, NULL → null */
void jset_json(json_t *o, const char *k, struct db_stmt *st, int col);  /* JSON text → value */

/* A row rendered by a table: column i of the statement becomes member
** cols[i].key, converted as cols[i].kind says (render_members below). The
** table ends with COL_END. Returns a new object (NULL when out of memory). */
enum col_kind { C_STR, C_STR_OR_NULL, C_INT, C_TIME, C_JSON, C_BOOL };
struct col_spec {
  const char *key;
  unsigned char key_len;   /* strlen(key), from COL() at compile time */
  enum col_kind kind;
};
#define COL(key, kind) {key, sizeof key - 1, kind}
#define COL_END {NULL, 0, C_STR}
json_t *render_row(struct db_stmt *st, const struct col_spec *cols);
/* The same table written as members of the object open in w (no braces),
** leaving out the member named skip (NULL: none). The hot responses (task
** view and list) are written this way, without a jansson tree. */
struct jw;
void render_members(struct jw *w, struct db_stmt *st, const struct col_spec *cols,
                    const char *skip);
/* Parses JSON text the app wrote itself into *out (for callers that want a
** tree). Returns 0, or -1 with ERR_INTERNAL. */
int app_json_from_text(const struct buf *text, json_t **out, struct err *e);

/* Integer counter in table `counter`, incremented inside the caller's tx. */
int app_counter_next(struct app *app, const char *name, int64_t *out, struct err *e);

/* Loads one row as JSON via a renderer query; used for journal before/after. */
json_t *app_unit_row(struct app *app, int64_t id, struct err *e);
json_t *app_user_row(struct app *app, int64_t id, struct err *e);
/* A task row as JSON text, appended to out (members in column order): what
** task creation and every task action journal as before and after. */
int app_task_row_text(struct app *app, int64_t id, struct buf *out, struct err *e);

/* Adjusts task_count for a task moving from (unit, status, light) to new. */
int app_count_move(struct app *app, int64_t old_unit, const char *old_status, const char *old_light,
                   int64_t new_unit, const char *new_status, const char *new_light, struct err *e);

/* ---- the task view in two parts (tasks.c; stored by task_docs.c) ----
** A task view is a static text — every member that changes only when the
** ledger changes — followed by three members computed for each request:
** light and planned_progress (they move with the date) and allowed_actions
** (they depend on who asks). The facts are the static text and what the
** request needs to compute those three and to decide whether the actor may
** see the task. Pointers are borrowed (from task_view_parts, or from a
** stored row while its statement is on it). */
struct task_view_facts {
  const char *body;             /* "{" and the static members, not closed */
  size_t body_len;
  size_t row_len;               /* body[0..row_len) is also the start of the task's
                                   ledger row (app_task_list_text): every member
                                   up to and including coop_units */
  const char *status;           /* task.status text */
  const char *report_freq;      /* task.report_freq text */
  day_t start, deadline;        /* deadline DATE_NONE: none */
  int progress;
  int64_t last_report_at;       /* unix seconds, 0: none */
  const char *milestones;       /* "YYYY-MM-DD:P,..." in date order */
  size_t milestones_len;
  const char *units;            /* "UNIT_ID:L|C:assignment state,..." (lead, cooperating) */
  size_t units_len;
  const char *light;            /* task.light, the stored light a ledger row shows */
};
struct task_view_parts {
  struct buf body, milestones, units;
  char status[32], report_freq[32], light[16];
  struct task_view_facts f;     /* points into the above */
};
/* Renders the static part of task id (no visibility check: that needs the
** actor). ERR_NOT_FOUND when there is no such task. On success release p
** with task_view_parts_release; on failure nothing is held. */
int task_view_render_parts(struct app *, int64_t id, struct task_view_parts *p, struct err *);
void task_view_parts_release(struct task_view_parts *p);
/* Appends the view of task id as the actor sees it: the static text, the
** three computed members, (with_timeline) the timeline. ERR_NOT_FOUND when
** the actor may not see it; out may hold part of a view then. */
int task_view_finish(struct app *, const struct actor *, int64_t id, const struct task_view_facts *f,
                     int with_timeline, struct buf *out, struct err *);
/* task_docs.c: makes the connection keep the stored views (its commit
** work, db_add_commit_work); app_open calls it. 0 or -1. */
int app_task_docs_attach(struct app *, struct err *);
/* task_docs.c, for DUBAN_CHECK_TASK_DOCS: 0 when stored[0..n) is the text
** rendered live; else reports the two on stderr and fails with ERR_INTERNAL
** (what: "view", "ledger row"). */
int task_doc_same(int64_t id, const char *what, const char *stored, size_t n,
                  const struct buf *live, struct err *e);
/* task_docs.c: appends the view from its stored row when there is a current
** one: 1 done, 0 no stored view (render it live), -1 error (e set). */
int task_doc_view(struct app *, const struct actor *, int64_t id, int with_timeline, struct buf *out,
                  struct err *);

/* ---- tasks.c, shared with actions.c and tick.c ---- */

/* The fields of a task that the rules need, read in one query. */
struct task_state {
  int64_t id, lead_unit, version, parent_id;
  enum task_status status;
  enum task_status suspended_from;
  int progress;
  day_t deadline, original_deadline, start;
  struct report_freq freq;
  int64_t last_report_at, assigned_at, created_at;
  char light[8];
  int extensions;
};
int app_task_state(struct app *app, int64_t id, struct task_state *ts, struct err *e);
int app_task_relation(struct app *app, const struct actor *who, int64_t task_id, unsigned *rel,
                      struct err *e);
int app_task_refresh_from(struct app *app, int64_t task_id, int64_t old_unit,
                          const char *old_status, const char *old_light, struct err *e);
int app_task_insert_event(struct app *app, int64_t task, int64_t actor, const char *action,
                          const char *from, const char *to, int64_t unit, const char *note,
                          struct err *e);
int app_assignment_state(struct app *app, int64_t task_id, int64_t unit_id, enum asg_state *out,
                         struct err *e);
int app_task_set_milestones(struct app *app, int64_t task, json_t *arr, day_t deadline,
                            struct err *e);
int app_task_check_category(const char *c, struct err *e);

/* The (unit, status) of every assignment of a task, to keep unit_count in
** step: snapshot before a change, again after it, and apply the difference
** (app_unit_count_apply), whatever the change did to the assignments. */
struct asg_snapshot {
  size_t n;
  struct asg_key { int64_t unit; char status[16]; } *a;   /* malloc'd */
};
int app_asg_snapshot(struct app *app, int64_t task_id, struct asg_snapshot *out, struct err *e);
/* Applies after - before to unit_count, in one canonical (unit, status)
** order; frees both snapshots. */
int app_unit_count_apply(struct app *app, struct asg_snapshot *before, struct asg_snapshot *after,
                         struct err *e);
void app_asg_snapshot_free(struct asg_snapshot *s);

/* Copies the task's status and sort key into its assignment rows (the
** unit-view index); call after any change of status, deadline or units. */
int app_task_sync_assignments(struct app *app, int64_t task_id, struct err *e);

enum light app_task_light(struct app *app, const struct task_state *ts, day_t today,
                          int *planned);

#endif

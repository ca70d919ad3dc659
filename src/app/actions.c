/*
** actions.c — lifecycle actions on a task (SPEC §5): one entry point,
** app_task_action, that checks the transition table (core/lifecycle.c), the
** acting unit's own part, applies the effect, and records an event, the
** light and count upkeep and a journal entry, all in one transaction.
*/
#include "app/app_int.h"
#include "app/search.h"
#include "store/search_index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kAllowed[ACT__COUNT] = {
  [ACT_ASSIGN] = "version",
  [ACT_ACCEPT] = "version,unit_id,person",
  [ACT_RETURN] = "reason,version,unit_id",
  [ACT_REASSIGN] = "unit_id,from_unit_id,reason,version",
  [ACT_INSIST] = "unit_id,reason,version",
  [ACT_PROGRESS] = "text,progress,evidence,version,unit_id",
  [ACT_REQUEST_EXTENSION] = "date,reason,version",
  [ACT_DECIDE_EXTENSION] = "decision,date,reason,extension_id,version",
  [ACT_COMPLETE] = "text,evidence,version",
  [ACT_APPROVE] = "reason,evaluation,version",
  [ACT_REJECT] = "reason,version",
  [ACT_EVALUATE] = "evaluation,reason,version",
  [ACT_REOPEN] = "reason,version",
  [ACT_SUSPEND] = "reason,version",
  [ACT_RESUME] = "version",
  [ACT_CANCEL] = "reason,version",
  [ACT_DELETE] = "version",
  [ACT_URGE] = "message,unit_id,level,version",
  [ACT_INSTRUCT] = "text,version",
  [ACT_EDIT] = "title,requirement,deadline,lead_leader,category,report_freq,remark,"
               "lead_unit_id,coop_unit_ids,milestones,version",
  [ACT_ACCOUNTABILITY] = "unit_id,kind,reason,person,date,version",
};

static const char *const kAccountKinds[] = {"提醒谈话", "约谈", "通报批评", "责令整改", "其他", NULL};

/* Parsed input of an action. */
struct action_in {
  const char *reason, *text, *person, *message, *kind, *decision;
  char *evidence;          /* JSON array text, owned */
  int64_t progress, unit_id, from_unit_id, extension_id, version, level;
  int has_progress, has_unit, has_from, has_ext, has_version, has_level, has_date;
  day_t date;
  enum evaluation evaluation;
  unsigned have;           /* enum action_field bits */
};

static int read_input(json_t *in, enum task_action act, struct action_in *a, struct err *e) {
  const char *ev = NULL;
  int rc;
  memset(a, 0, sizeof *a);
  a->date = DATE_NONE;
  if (json_in_allow(in, kAllowed[act], e)) return -1;
  if (json_in_str(in, "reason", 0, 1000, 1, &a->reason, e) < 0) return -1;
  if (json_in_str(in, "text", 0, 5000, 1, &a->text, e) < 0) return -1;
  if (json_in_str(in, "person", 0, 40, 0, &a->person, e) < 0) return -1;
  if (json_in_str(in, "message", 0, 1000, 1, &a->message, e) < 0) return -1;
  if (json_in_str(in, "kind", 0, 20, 0, &a->kind, e) < 0) return -1;
  if (json_in_str(in, "decision", 0, 10, 0, &a->decision, e) < 0) return -1;
  if (act != ACT_EDIT) {
    if ((rc = json_in_date(in, "date", 0, &a->date, e)) < 0) return -1;
    a->has_date = rc == 0;
  }
  if ((rc = json_in_int(in, "progress", 0, 0, 100, &a->progress, e)) < 0) return -1;
  a->has_progress = rc == 0;
  if ((rc = json_in_int(in, "unit_id", 0, 1, INT64_MAX, &a->unit_id, e)) < 0) return -1;
  a->has_unit = rc == 0;
  if ((rc = json_in_int(in, "from_unit_id", 0, 1, INT64_MAX, &a->from_unit_id, e)) < 0) return -1;
  a->has_from = rc == 0;
  if ((rc = json_in_int(in, "extension_id", 0, 1, INT64_MAX, &a->extension_id, e)) < 0) return -1;
  a->has_ext = rc == 0;
  if ((rc = json_in_int(in, "version", 0, 1, INT64_MAX, &a->version, e)) < 0) return -1;
  a->has_version = rc == 0;
  if ((rc = json_in_int(in, "level", 0, 0, 9, &a->level, e)) < 0) return -1;
  a->has_level = rc == 0;
  if (json_in_str(in, "evaluation", 0, 20, 0, &ev, e) < 0) return -1;
  if (ev && *ev && evaluation_parse(ev, &a->evaluation))
    return err_set(e, ERR_INVALID, "evaluation", "evaluation must be excellent, good, fair or poor (优/良/中/差)");
  if (a->decision && *a->decision && strcmp(a->decision, "approve") && strcmp(a->decision, "refuse"))
    return err_set(e, ERR_INVALID, "decision", "decision must be approve or refuse");
  if (a->kind && *a->kind) {
    int ok = 0;
    for (int i = 0; kAccountKinds[i]; i++) ok |= !strcmp(a->kind, kAccountKinds[i]);
    if (!ok) return err_set(e, ERR_INVALID, "kind", "kind must be one of 提醒谈话, 约谈, 通报批评, 责令整改, 其他");
  }
  if (json_in_str_list(in, "evidence", 200, &a->evidence, e) < 0) return -1;
  if (a->reason && *a->reason) a->have |= F_REASON;
  if (a->text && *a->text) a->have |= F_TEXT;
  if (a->has_progress) a->have |= F_PROGRESS;
  if (a->has_date) a->have |= F_DATE;
  if (a->evaluation) a->have |= F_EVALUATION;
  if (a->has_unit) a->have |= F_UNIT;
  if (a->decision && *a->decision) a->have |= F_DECISION;
  if (a->kind && *a->kind) a->have |= F_KIND;
  return 0;
}

static int set_status(struct app *app, int64_t id, enum task_status to, struct err *e) {
  struct db_stmt *st = db_prepare(app->db, "UPDATE task SET status = ? WHERE id = ?", e);
  if (!st) return -1;
  db_bind_text(st, 1, task_status_name(to));
  db_bind_int(st, 2, id);
  return db_run(st, e);
}

static int set_asg_state(struct app *app, int64_t task, int64_t unit, enum asg_state s,
                         const char *reason, struct err *e) {
  struct db_stmt *st = db_prepare(app->db,
                                  "UPDATE assignment SET state = ?, returned_reason = ?,"
                                  " accepted_at = CASE WHEN ? = 'accepted' THEN CAST(? AS BIGINT) ELSE accepted_at END"
                                  " WHERE task_id = ? AND unit_id = ?",
                                  e);
  if (!st) return -1;
  db_bind_text(st, 1, asg_state_name(s));
  db_bind_text(st, 2, reason);
  db_bind_text(st, 3, asg_state_name(s));
  db_bind_int(st, 4, now_unix());
  db_bind_int(st, 5, task);
  db_bind_int(st, 6, unit);
  return db_run(st, e);
}

static int raise_flag(struct app *app, int64_t task, int64_t unit, const char *reason, struct err *e) {
  struct db_stmt *st = db_prepare(app->db,
                                  "INSERT INTO flag (task_id, unit_id, reason, at) VALUES (?, ?, ?, ?)"
                                  " ON CONFLICT (task_id, reason) DO NOTHING",
                                  e);
  if (!st) return -1;
  db_bind_int(st, 1, task);
  db_bind_int_or_null(st, 2, unit, unit == 0);
  db_bind_text(st, 3, reason);
  db_bind_int(st, 4, now_unix());
  return db_run(st, e);
}

static int queue_notice(struct app *app, int64_t task, int64_t unit, const char *kind,
                        const char *text, struct err *e) {
  struct db_stmt *st = db_prepare(app->db,
                                  "INSERT INTO outbox (channel, target, payload, created_at, next_attempt_at)"
                                  " VALUES ('notify', ?, ?, ?, ?)",
                                  e);
  json_t *p = json_pack("{s:I,s:s,s:s}", "task_id", (json_int_t)task, "kind", kind, "text", text ? text : "");
  char *s = json_dumps(p, JSON_COMPACT);
  char target[32];
  int rc;
  json_decref(p);
  if (!st || !s) {
    free(s);
    return st ? err_set(e, ERR_INTERNAL, "", "out of memory") : -1;
  }
  snprintf(target, sizeof target, "unit:%lld", (long long)unit);
  db_bind_text(st, 1, target);
  db_bind_text(st, 2, s);
  db_bind_int(st, 3, now_unix());
  db_bind_int(st, 4, now_unix());
  rc = db_run(st, e);
  free(s);
  return rc;
}

/* The unit this actor acts for: its own, or for an admin the given unit_id
** or the lead unit. */
static int64_t acting_unit(const struct actor *who, const struct action_in *a,
                           const struct task_state *ts) {
  if (who->unit_id && !((who->roles & ROLE_ADMIN) && a->has_unit)) return who->unit_id;
  if (a->has_unit) return a->unit_id;
  return ts->lead_unit;
}

static int count_open_children(struct app *app, int64_t id, int64_t *n, struct err *e) {
  struct db_stmt *st = db_prepare(app->db,
                                  "SELECT COUNT(*) FROM task WHERE parent_id = ?"
                                  " AND status NOT IN ('done', 'cancelled')",
                                  e);
  int rc;
  if (!st) return -1;
  db_bind_int(st, 1, id);
  rc = db_step_int(st, n, e);
  db_done(st);
  return rc < 0 ? -1 : 0;
}

/* ---- the per-action effects; each returns 0 or -1 with e ---- */

static int do_assign(struct app *app, const struct task_state *ts, struct err *e) {
  struct db_stmt *st;
  if (!ts->lead_unit) return err_set(e, ERR_INVALID, "lead_unit_id", "a task needs a lead unit before it is assigned");
  if (ts->deadline == DATE_NONE) return err_set(e, ERR_INVALID, "deadline", "a task needs a deadline before it is assigned");
  if (ts->deadline < date_today())
    return err_set(e, ERR_INVALID, "deadline", "the deadline has already passed; edit it before assigning");
  st = db_prepare(app->db, "UPDATE task SET assigned_at = ? WHERE id = ?", e);
  if (!st) return -1;
  db_bind_int(st, 1, now_unix());
  db_bind_int(st, 2, ts->id);
  if (db_run(st, e)) return -1;
  st = db_prepare(app->db, "UPDATE assignment SET state = 'assigned' WHERE task_id = ?", e);
  if (!st) return -1;
  db_bind_int(st, 1, ts->id);
  return db_run(st, e);
}

static int do_accept(struct app *app, const struct task_state *ts, int64_t unit,
                     const struct action_in *a, enum task_status *to, struct err *e) {
  enum asg_state as;
  int rc = app_assignment_state(app, ts->id, unit, &as, e);
  if (rc < 0) return -1;
  if (rc > 0) return err_set(e, ERR_INVALID, "unit_id", "that unit is not assigned to this task");
  if (as != AS_ASSIGNED)
    return err_set(e, ERR_STATE, "assignment", "the unit's part is %s, not waiting to be accepted",
                   asg_state_name(as));
  if (set_asg_state(app, ts->id, unit, AS_ACCEPTED, NULL, e)) return -1;
  if (a->person && *a->person) {
    struct db_stmt *st = db_prepare(app->db, "UPDATE assignment SET person = ? WHERE task_id = ? AND unit_id = ?", e);
    if (!st) return -1;
    db_bind_text(st, 1, a->person);
    db_bind_int(st, 2, ts->id);
    db_bind_int(st, 3, unit);
    if (db_run(st, e)) return -1;
  }
  if (unit == ts->lead_unit && ts->status == TS_ASSIGNED) *to = TS_IN_PROGRESS;
  return 0;
}

static int do_return(struct app *app, const struct task_state *ts, int64_t unit,
                     const struct action_in *a, struct err *e) {
  enum asg_state as;
  struct db_stmt *st;
  int rc = app_assignment_state(app, ts->id, unit, &as, e);
  if (rc < 0) return -1;
  if (rc > 0) return err_set(e, ERR_INVALID, "unit_id", "that unit is not assigned to this task");
  if (as != AS_ASSIGNED)
    return err_set(e, ERR_STATE, "assignment", "only a part not yet accepted can be returned (it is %s)",
                   asg_state_name(as));
  if (set_asg_state(app, ts->id, unit, AS_RETURNED, a->reason, e)) return -1;
  st = db_prepare(app->db, "UPDATE task SET bounces = bounces + 1 WHERE id = ?", e);
  if (!st) return -1;
  db_bind_int(st, 1, ts->id);
  return db_run(st, e);
}

static int find_returned(struct app *app, int64_t task, int64_t *unit, struct err *e) {
  struct db_stmt *st = db_prepare(app->db,
                                  "SELECT unit_id FROM assignment WHERE task_id = ? AND state = 'returned'"
                                  " ORDER BY id",
                                  e);
  int rc;
  if (!st) return -1;
  db_bind_int(st, 1, task);
  rc = db_step_int(st, unit, e);
  db_done(st);
  if (rc < 0) return -1;
  if (rc == DB_DONE) return err_set(e, ERR_STATE, "assignment", "no unit has returned this task");
  return 0;
}

static int do_reassign(struct app *app, const struct task_state *ts, const struct action_in *a,
                       struct err *e) {
  int64_t from = a->from_unit_id;
  enum asg_state as;
  struct db_stmt *st;
  json_t *u;
  int rc;
  if (!a->has_from && find_returned(app, ts->id, &from, e)) return -1;
  rc = app_assignment_state(app, ts->id, from, &as, e);
  if (rc < 0) return -1;
  if (rc > 0 || as != AS_RETURNED)
    return err_set(e, ERR_STATE, "from_unit_id", "that unit has not returned this task");
  u = app_unit_row(app, a->unit_id, e);
  if (!u) {
    e->code = ERR_INVALID;
    return -1;
  }
  json_decref(u);
  rc = app_assignment_state(app, ts->id, a->unit_id, &as, e);
  if (rc < 0) return -1;
  if (rc == 0) return err_set(e, ERR_INVALID, "unit_id", "that unit already has a part in this task");
  st = db_prepare(app->db,
                  "UPDATE assignment SET unit_id = ?, state = 'assigned', returned_reason = NULL,"
                  " accepted_at = NULL, progress = 0 WHERE task_id = ? AND unit_id = ?",
                  e);
  if (!st) return -1;
  db_bind_int(st, 1, a->unit_id);
  db_bind_int(st, 2, ts->id);
  db_bind_int(st, 3, from);
  return db_run(st, e);
}

static int do_insist(struct app *app, const struct task_state *ts, const struct action_in *a,
                     struct err *e) {
  enum asg_state as;
  int rc = app_assignment_state(app, ts->id, a->unit_id, &as, e);
  if (rc < 0) return -1;
  if (rc > 0 || as != AS_RETURNED)
    return err_set(e, ERR_STATE, "unit_id", "that unit has not returned this task");
  return set_asg_state(app, ts->id, a->unit_id, AS_ASSIGNED, NULL, e);
}

static int do_progress(struct app *app, const struct actor *who, const struct task_state *ts,
                       int64_t unit, const struct action_in *a, struct err *e) {
  enum asg_state as;
  struct db_stmt *st;
  int64_t now = now_unix(), report_id = 0;
  int on_time, rc = app_assignment_state(app, ts->id, unit, &as, e);
  if (rc < 0) return -1;
  if (rc > 0) return err_set(e, ERR_INVALID, "unit_id", "that unit is not assigned to this task");
  if (as != AS_ACCEPTED)
    return err_set(e, ERR_STATE, "assignment", "accept the task before reporting progress (the unit's part is %s)",
                   asg_state_name(as));
  on_time = !report_is_overdue(&ts->freq, ts->start,
                               ts->last_report_at ? date_of_unix(ts->last_report_at) : DATE_NONE,
                               date_today());
  st = db_prepare(app->db,
                  "INSERT INTO progress_report (task_id, unit_id, author_id, text, progress, evidence,"
                  " on_time, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  e);
  if (!st) return -1;
  db_bind_int(st, 1, ts->id);
  db_bind_int(st, 2, unit);
  db_bind_int(st, 3, who->user_id);
  db_bind_text(st, 4, a->text);
  db_bind_int(st, 5, a->progress);
  db_bind_text(st, 6, a->evidence ? a->evidence : "[]");
  db_bind_int(st, 7, on_time);
  db_bind_int(st, 8, now);
  rc = db_step_int(st, &report_id, e);
  db_done(st);
  if (rc < 0) return -1;
  /* This report only: the earlier ones were indexed when they were written
  ** (and by migration 3 before that); looking for unindexed reports of the
  ** task scanned all of them on every report. Inside the action's
  ** transaction, so straight to the index: no savepoint of its own. */
  if (search_doc_add(app->db, "progress", report_id, ts->id, a->text, e)) return -1;
  st = db_prepare(app->db,
                  "UPDATE assignment SET progress = ?, last_report_at = ? WHERE task_id = ? AND unit_id = ?", e);
  if (!st) return -1;
  db_bind_int(st, 1, a->progress);
  db_bind_int(st, 2, now);
  db_bind_int(st, 3, ts->id);
  db_bind_int(st, 4, unit);
  if (db_run(st, e)) return -1;
  /* Roll-up: the task's progress is the lead unit's; any report counts as
  ** the task's latest feedback. */
  st = db_prepare(app->db,
                  "UPDATE task SET last_report_at = ?,"
                  " progress = CASE WHEN ? = 1 THEN CAST(? AS INTEGER) ELSE progress END WHERE id = ?",
                  e);
  if (!st) return -1;
  db_bind_int(st, 1, now);
  db_bind_int(st, 2, unit == ts->lead_unit);
  db_bind_int(st, 3, a->progress);
  db_bind_int(st, 4, ts->id);
  return db_run(st, e);
}

static int do_request_extension(struct app *app, const struct actor *who,
                                const struct task_state *ts, int64_t unit,
                                const struct action_in *a, struct err *e) {
  struct db_stmt *st;
  int64_t pending = 0;
  char ds[11], cur[11];
  int rc;
  if (ts->deadline != DATE_NONE && date_today() > ts->deadline)
    return err_set(e, ERR_STATE, "date",
                   "the deadline %s has passed: the task is already overdue and cannot be extended",
                   date_format(ts->deadline, cur));
  if (ts->deadline != DATE_NONE && a->date <= ts->deadline)
    return err_set(e, ERR_INVALID, "date", "the requested date must be after the current deadline %s",
                   date_format(ts->deadline, cur));
  st = db_prepare(app->db, "SELECT COUNT(*) FROM extension WHERE task_id = ? AND state = 'pending'", e);
  if (!st) return -1;
  db_bind_int(st, 1, ts->id);
  rc = db_step_int(st, &pending, e);
  db_done(st);
  if (rc < 0) return -1;
  if (pending) return err_set(e, ERR_STATE, "date", "an extension request is already waiting for a decision");
  st = db_prepare(app->db,
                  "INSERT INTO extension (task_id, unit_id, requested_by, requested_date, reason, state, at)"
                  " VALUES (?, ?, ?, ?, ?, 'pending', ?)",
                  e);
  if (!st) return -1;
  db_bind_int(st, 1, ts->id);
  db_bind_int(st, 2, unit);
  db_bind_int(st, 3, who->user_id);
  db_bind_text(st, 4, date_format(a->date, ds));
  db_bind_text(st, 5, a->reason);
  db_bind_int(st, 6, now_unix());
  return db_run(st, e);
}

static int do_decide_extension(struct app *app, const struct actor *who,
                               const struct task_state *ts, const struct action_in *a,
                               struct err *e) {
  struct db_stmt *st;
  int64_t xid = a->extension_id;
  day_t requested = DATE_NONE, permitted;
  char ds[11];
  int rc, approve = !strcmp(a->decision, "approve");
  st = db_prepare(app->db,
                  "SELECT id, requested_date FROM extension WHERE task_id = ? AND state = 'pending'"
                  " AND (id = ? OR ? = 0) ORDER BY id",
                  e);
  if (!st) return -1;
  db_bind_int(st, 1, ts->id);
  db_bind_int(st, 2, xid);
  db_bind_int(st, 3, a->has_ext ? xid : 0);
  rc = db_step(st, e);
  if (rc == DB_ROW) {
    xid = db_col_int(st, 0);
    date_parse(db_col_text(st, 1), &requested);
  }
  db_done(st);
  if (rc < 0) return -1;
  if (rc == DB_DONE) return err_set(e, ERR_STATE, "extension_id", "no extension request is waiting for a decision");
  permitted = a->has_date ? a->date : requested;
  if (approve && ts->deadline != DATE_NONE && permitted <= ts->deadline)
    return err_set(e, ERR_INVALID, "date", "the permitted date must be after the current deadline");
  st = db_prepare(app->db,
                  "UPDATE extension SET state = ?, permitted_date = ?, decided_by = ?, decided_at = ?,"
                  " comment = ? WHERE id = ?",
                  e);
  if (!st) return -1;
  db_bind_text(st, 1, approve ? "approved" : "refused");
  db_bind_text(st, 2, approve ? date_format(permitted, ds) : NULL);
  db_bind_int(st, 3, who->user_id);
  db_bind_int(st, 4, now_unix());
  db_bind_text(st, 5, a->reason ? a->reason : "");
  db_bind_int(st, 6, xid);
  if (db_run(st, e)) return -1;
  if (!approve) return 0;
  /* The original deadline stays on record; the current one moves. */
  st = db_prepare(app->db, "UPDATE task SET deadline = ?, extensions = extensions + 1 WHERE id = ?", e);
  if (!st) return -1;
  db_bind_text(st, 1, date_format(permitted, ds));
  db_bind_int(st, 2, ts->id);
  return db_run(st, e);
}

static int do_complete(struct app *app, const struct actor *who, const struct task_state *ts,
                       int64_t unit, const struct action_in *a, struct err *e) {
  struct db_stmt *st;
  struct action_in rep = *a;
  enum asg_state as;
  int rc = app_assignment_state(app, ts->id, unit, &as, e);
  if (rc < 0) return -1;
  if (rc > 0 || as != AS_ACCEPTED)
    return err_set(e, ERR_STATE, "assignment", "the lead unit must have accepted the task to ask for completion");
  /* The completion request is also the final report, at 100%. */
  rep.progress = 100;
  if (do_progress(app, who, ts, unit, &rep, e)) return -1;
  if (set_asg_state(app, ts->id, unit, AS_REPORTED_DONE, NULL, e)) return -1;
  st = db_prepare(app->db, "UPDATE task SET review_at = ? WHERE id = ?", e);
  if (!st) return -1;
  db_bind_int(st, 1, now_unix());
  db_bind_int(st, 2, ts->id);
  return db_run(st, e);
}

static int insert_review(struct app *app, const struct actor *who, int64_t task, const char *kind,
                         const char *comment, enum evaluation ev, struct err *e) {
  struct db_stmt *st = db_prepare(app->db,
                                  "INSERT INTO review (task_id, kind, comment, evaluation, by_id, at)"
                                  " VALUES (?, ?, ?, ?, ?, ?)",
                                  e);
  if (!st) return -1;
  db_bind_int(st, 1, task);
  db_bind_text(st, 2, kind);
  db_bind_text(st, 3, comment ? comment : "");
  db_bind_text(st, 4, ev ? evaluation_name(ev) : NULL);
  db_bind_int(st, 5, who->user_id);
  db_bind_int(st, 6, now_unix());
  return db_run(st, e);
}

static int do_approve(struct app *app, const struct actor *who, const struct task_state *ts,
                      const struct action_in *a, struct err *e) {
  struct db_stmt *st;
  int64_t open = 0, review_at = 0;
  int rc;
  if (count_open_children(app, ts->id, &open, e)) return -1;
  if (open)
    return err_set(e, ERR_STATE, "children", "%lld subtask(s) are still open; close them before approving",
                   (long long)open);
  st = db_prepare(app->db, "SELECT COALESCE(review_at, 0) FROM task WHERE id = ?", e);
  if (!st) return -1;
  db_bind_int(st, 1, ts->id);
  rc = db_step_int(st, &review_at, e);
  db_done(st);
  if (rc < 0) return -1;
  if (insert_review(app, who, ts->id, "approve", a->reason, a->evaluation, e)) return -1;
  /* On time is judged by the day the lead unit asked for completion,
  ** against the deadline in force (extensions approved included). */
  st = db_prepare(app->db,
                  "UPDATE task SET done_at = ?, done_late = ?, progress = 100,"
                  " evaluation = COALESCE(?, evaluation) WHERE id = ?",
                  e);
  if (!st) return -1;
  db_bind_int(st, 1, now_unix());
  db_bind_int(st, 2, ts->deadline != DATE_NONE &&
                         date_of_unix(review_at ? review_at : now_unix()) > ts->deadline);
  db_bind_text(st, 3, a->evaluation ? evaluation_name(a->evaluation) : NULL);
  db_bind_int(st, 4, ts->id);
  return db_run(st, e);
}

static int do_reject(struct app *app, const struct actor *who, const struct task_state *ts,
                     const struct action_in *a, struct err *e) {
  struct db_stmt *st;
  if (insert_review(app, who, ts->id, "reject", a->reason, EVAL_NONE, e)) return -1;
  if (set_asg_state(app, ts->id, ts->lead_unit, AS_ACCEPTED, NULL, e)) return -1;
  st = db_prepare(app->db, "UPDATE task SET bounces = bounces + 1, review_at = NULL WHERE id = ?", e);
  if (!st) return -1;
  db_bind_int(st, 1, ts->id);
  if (db_run(st, e)) return -1;
  return raise_flag(app, ts->id, ts->lead_unit, "rejected", e);
}

static int do_evaluate(struct app *app, const struct actor *who, const struct task_state *ts,
                       const struct action_in *a, struct err *e) {
  struct db_stmt *st;
  if (insert_review(app, who, ts->id, "evaluate", a->reason, a->evaluation, e)) return -1;
  st = db_prepare(app->db, "UPDATE task SET evaluation = ? WHERE id = ?", e);
  if (!st) return -1;
  db_bind_text(st, 1, evaluation_name(a->evaluation));
  db_bind_int(st, 2, ts->id);
  return db_run(st, e);
}

static int do_reopen(struct app *app, const struct task_state *ts, struct err *e) {
  struct db_stmt *st = db_prepare(app->db,
                                  "UPDATE task SET done_at = NULL, done_late = NULL, review_at = NULL WHERE id = ?", e);
  if (!st) return -1;
  db_bind_int(st, 1, ts->id);
  if (db_run(st, e)) return -1;
  return set_asg_state(app, ts->id, ts->lead_unit, AS_ACCEPTED, NULL, e);
}

static int set_suspended_from(struct app *app, int64_t id, const char *from, struct err *e) {
  struct db_stmt *st = db_prepare(app->db, "UPDATE task SET suspended_from = ? WHERE id = ?", e);
  if (!st) return -1;
  db_bind_text(st, 1, from);
  db_bind_int(st, 2, id);
  return db_run(st, e);
}

static int do_urge(struct app *app, const struct actor *who, const struct task_state *ts,
                   const struct action_in *a, struct err *e) {
  struct db_stmt *st;
  int64_t unit = a->has_unit ? a->unit_id : ts->lead_unit;
  int level = a->has_level ? (int)a->level : 2;
  enum asg_state as;
  char ds[11];
  const char *name = "催办";
  int rc = app_assignment_state(app, ts->id, unit, &as, e);
  if (rc < 0) return -1;
  if (rc > 0) return err_set(e, ERR_INVALID, "unit_id", "that unit is not assigned to this task");
  for (size_t i = 0; i < app->settings.ladder.n; i++)
    if (app->settings.ladder.steps[i].level == level) name = app->settings.ladder.steps[i].name;
  st = db_prepare(app->db,
                  "INSERT INTO urging (task_id, unit_id, level, level_name, channel, message, automatic,"
                  " deadline, by_id, at) VALUES (?, ?, ?, ?, 'system', ?, 0, ?, ?, ?)",
                  e);
  if (!st) return -1;
  db_bind_int(st, 1, ts->id);
  db_bind_int(st, 2, unit);
  db_bind_int(st, 3, level);
  db_bind_text(st, 4, name);
  db_bind_text(st, 5, a->message ? a->message : "");
  db_bind_text(st, 6, ts->deadline != DATE_NONE ? date_format(ts->deadline, ds) : "");
  db_bind_int(st, 7, who->user_id);
  db_bind_int(st, 8, now_unix());
  if (db_run(st, e)) return -1;
  return queue_notice(app, ts->id, unit, "urging", a->message, e);
}

static int do_instruct(struct app *app, const struct actor *who, const struct task_state *ts,
                       const struct action_in *a, struct err *e) {
  struct db_stmt *st = db_prepare(app->db,
                                  "INSERT INTO instruction (task_id, author_id, text, at) VALUES (?, ?, ?, ?)", e);
  if (!st) return -1;
  db_bind_int(st, 1, ts->id);
  db_bind_int(st, 2, who->user_id);
  db_bind_text(st, 3, a->text);
  db_bind_int(st, 4, now_unix());
  if (db_run(st, e)) return -1;
  return ts->lead_unit ? queue_notice(app, ts->id, ts->lead_unit, "instruction", a->text, e) : 0;
}

static int do_accountability(struct app *app, const struct actor *who, const struct task_state *ts,
                             const struct action_in *a, struct err *e) {
  struct db_stmt *st;
  enum asg_state as;
  char ds[11];
  int rc = app_assignment_state(app, ts->id, a->unit_id, &as, e);
  if (rc < 0) return -1;
  if (rc > 0) return err_set(e, ERR_INVALID, "unit_id", "that unit has no part in this task");
  st = db_prepare(app->db,
                  "INSERT INTO accountability (task_id, unit_id, person, kind, reason, decided_by, date, at)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                  e);
  if (!st) return -1;
  db_bind_int(st, 1, ts->id);
  db_bind_int(st, 2, a->unit_id);
  db_bind_text(st, 3, a->person ? a->person : "");
  db_bind_text(st, 4, a->kind);
  db_bind_text(st, 5, a->reason);
  db_bind_int(st, 6, who->user_id);
  db_bind_text(st, 7, date_format(a->has_date ? a->date : date_today(), ds));
  db_bind_int(st, 8, now_unix());
  if (db_run(st, e)) return -1;
  st = db_prepare(app->db, "UPDATE flag SET resolved_at = ? WHERE task_id = ? AND resolved_at IS NULL", e);
  if (!st) return -1;
  db_bind_int(st, 1, now_unix());
  db_bind_int(st, 2, ts->id);
  return db_run(st, e);
}

static int do_edit(struct app *app, const struct task_state *ts, json_t *in, struct err *e) {
  const char *title = NULL, *req = NULL, *leader = NULL, *cat = NULL, *freq_s = NULL, *remark = NULL;
  day_t deadline = DATE_NONE;
  int has_dl, has_lead;
  int64_t lead = 0;
  json_t *coops = NULL, *miles = NULL;
  struct report_freq freq;
  char fs[16], ds[11];
  struct db_stmt *st;
  if (json_in_str(in, "title", 0, (size_t)app->settings.title_max_chars, 0, &title, e) < 0) return -1;
  if (title && !*title) return err_set(e, ERR_INVALID, "title", "title must not be empty");
  if (json_in_str(in, "requirement", 0, 2000, 1, &req, e) < 0) return -1;
  if (json_in_str(in, "lead_leader", 0, 60, 0, &leader, e) < 0) return -1;
  if (json_in_str(in, "category", 0, 20, 0, &cat, e) < 0) return -1;
  if (cat && app_task_check_category(cat, e)) return -1;
  if (json_in_str(in, "report_freq", 0, 16, 0, &freq_s, e) < 0) return -1;
  if (freq_s && report_freq_parse(freq_s, &freq, e, "report_freq")) return -1;
  if (json_in_str(in, "remark", 0, 500, 1, &remark, e) < 0) return -1;
  if ((has_dl = json_in_date(in, "deadline", 0, &deadline, e)) < 0) return -1;
  if ((has_lead = json_in_int(in, "lead_unit_id", 0, 1, INT64_MAX, &lead, e)) < 0) return -1;
  if (json_in_array(in, "coop_unit_ids", 0, &coops, e) < 0) return -1;
  if (json_in_array(in, "milestones", 0, &miles, e) < 0) return -1;
  if (ts->status != TS_DRAFT && (has_dl == 0 || has_lead == 0 || coops))
    return err_set(e, ERR_STATE, has_dl == 0 ? "deadline" : "lead_unit_id",
                   "after assignment the deadline changes only through an extension and the units "
                   "through return and reassignment");
  if (has_dl == 0 && deadline < date_today())
    return err_set(e, ERR_INVALID, "deadline", "the deadline is in the past");
  st = db_prepare(app->db,
                  "UPDATE task SET title = COALESCE(?, title), requirement = COALESCE(?, requirement),"
                  " lead_leader = COALESCE(?, lead_leader), category = COALESCE(?, category),"
                  " report_freq = COALESCE(?, report_freq), remark = COALESCE(?, remark),"
                  " deadline = COALESCE(?, deadline), original_deadline = COALESCE(?, original_deadline),"
                  " deadline_rule = CASE WHEN ? = 1 THEN '' ELSE deadline_rule END WHERE id = ?",
                  e);
  if (!st) return -1;
  db_bind_text(st, 1, title);
  db_bind_text(st, 2, req);
  db_bind_text(st, 3, leader);
  db_bind_text(st, 4, cat);
  db_bind_text(st, 5, freq_s ? report_freq_format(&freq, fs) : NULL);
  db_bind_text(st, 6, remark);
  db_bind_text(st, 7, has_dl == 0 ? date_format(deadline, ds) : NULL);
  db_bind_text(st, 8, has_dl == 0 ? ds : NULL);
  db_bind_int(st, 9, has_dl == 0);
  db_bind_int(st, 10, ts->id);
  if (db_run(st, e)) return -1;
  if ((title || req) && app_search_index(app, "task", ts->id, NULL, e)) return -1;
  if (has_lead == 0 || coops) {
    size_t i;
    json_t *v;
    json_t *u;
    if (has_lead == 0) {
      if (!(u = app_unit_row(app, lead, e))) {
        e->code = ERR_INVALID;
        snprintf(e->field, sizeof e->field, "lead_unit_id");
        return -1;
      }
      json_decref(u);
      st = db_prepare(app->db, "DELETE FROM assignment WHERE task_id = ? AND (role = 'lead' OR unit_id = ?)", e);
      if (!st) return -1;
      db_bind_int(st, 1, ts->id);
      db_bind_int(st, 2, lead);
      if (db_run(st, e)) return -1;
      st = db_prepare(app->db, "INSERT INTO assignment (task_id, unit_id, role, state) VALUES (?, ?, 'lead', 'assigned')", e);
      if (!st) return -1;
      db_bind_int(st, 1, ts->id);
      db_bind_int(st, 2, lead);
      if (db_run(st, e)) return -1;
    }
    if (coops) {
      st = db_prepare(app->db, "DELETE FROM assignment WHERE task_id = ? AND role = 'coop'", e);
      if (!st) return -1;
      db_bind_int(st, 1, ts->id);
      if (db_run(st, e)) return -1;
      json_array_foreach(coops, i, v) {
        char field[40];
        snprintf(field, sizeof field, "coop_unit_ids[%zu]", i);
        if (!json_is_integer(v)) return err_set(e, ERR_INVALID, field, "%s must be a unit id", field);
        if (!(u = app_unit_row(app, json_integer_value(v), e))) {
          e->code = ERR_INVALID;
          snprintf(e->field, sizeof e->field, "%s", field);
          return -1;
        }
        json_decref(u);
        st = db_prepare(app->db, "INSERT INTO assignment (task_id, unit_id, role, state) VALUES (?, ?, 'coop', 'assigned')", e);
        if (!st) return -1;
        db_bind_int(st, 1, ts->id);
        db_bind_int(st, 2, json_integer_value(v));
        if (db_step(st, e) < 0) {
          db_done(st);
          if (e->code == ERR_CONFLICT)
            err_set(e, ERR_INVALID, field, "%s: the unit already has a part in this task", field);
          return -1;
        }
        db_done(st);
      }
    }
  }
  if (miles && app_task_set_milestones(app, ts->id, miles, has_dl == 0 ? deadline : ts->deadline, e))
    return -1;
  return 0;
}

static int do_delete(struct app *app, const struct task_state *ts, struct err *e) {
  struct db_stmt *st;
  int64_t kids = 0;
  int rc;
  st = db_prepare(app->db, "SELECT COUNT(*) FROM task WHERE parent_id = ?", e);
  if (!st) return -1;
  db_bind_int(st, 1, ts->id);
  rc = db_step_int(st, &kids, e);
  db_done(st);
  if (rc < 0) return -1;
  if (kids) return err_set(e, ERR_STATE, "children", "the task has subtasks; delete them first");
  st = db_prepare(app->db, "DELETE FROM task WHERE id = ?", e);
  if (!st) return -1;
  db_bind_int(st, 1, ts->id);
  if (db_run(st, e)) return -1;
  return app_search_index(app, "task", ts->id, NULL, e);  /* the row is gone: drops its document */
}

int app_task_action(struct app *app, const struct actor *who, int64_t id, enum task_action act,
                    json_t *in, json_t **out, struct err *e) {
  struct action_in a;
  struct task_state ts;
  const struct transition *t;
  enum task_status to;
  struct buf before, after;   /* the task row as JSON text, for the journal */
  unsigned rel;
  int64_t unit;
  const char *note = NULL;
  struct asg_snapshot asg_before = {0, NULL};

  *out = NULL;
  buf_init(&before, 0);
  buf_init(&after, 0);
  if ((unsigned)act >= ACT__COUNT) return err_set(e, ERR_INVALID, "action", "unknown action");
  if (read_input(in, act, &a, e)) goto fail_noTx;
  if (app_tx_begin(app, e)) goto fail_noTx;
  if (app_task_relation(app, who, id, &rel, e)) goto fail;
  if (!SEES_ALL(who) && !((who->roles & ROLE_UNIT) && rel)) {
    err_set(e, ERR_NOT_FOUND, "task_id", "no task with id %lld", (long long)id);
    goto fail;
  }
  /* PostgreSQL: take the task's row lock before reading it, so concurrent
  ** actions on one task (from any server process) see each other's result.
  ** SQLite's write transaction already excludes other writers. */
  if (db_kind(app->db) == DB_POSTGRES) {
    struct db_stmt *lk = db_prepare(app->db, "SELECT id FROM task WHERE id = ? FOR UPDATE", e);
    if (!lk) goto fail;
    db_bind_int(lk, 1, id);
    if (db_run(lk, e)) goto fail;
  }
  if (app_task_state(app, id, &ts, e)) goto fail;
  if (a.has_version && a.version != ts.version) {
    err_set(e, ERR_CONFLICT, "version",
            "the task was changed by someone else (your version %lld, current %lld); reload and try again",
            (long long)a.version, (long long)ts.version);
    goto fail;
  }
  t = lifecycle_check(ts.status, act, who->roles, rel, a.have, e);
  if (!t) goto fail;
  if (app_task_row_text(app, id, &before, e)) goto fail;
  if (app_asg_snapshot(app, id, &asg_before, e)) goto fail;
  to = t->to == NEXT_SAME ? ts.status : t->to == NEXT_RESTORE ? ts.suspended_from : t->to;
  /* The unit an event concerns: the acting unit for unit actions; for the
  ** supervisor's, the unit it targets (set below) or none. */
  unit = t->rel ? acting_unit(who, &a, &ts) : (a.has_unit ? a.unit_id : 0);

  switch (act) {
    case ACT_ASSIGN: if (do_assign(app, &ts, e)) goto fail; break;
    case ACT_ACCEPT: if (do_accept(app, &ts, unit, &a, &to, e)) goto fail; break;
    case ACT_RETURN: note = a.reason; if (do_return(app, &ts, unit, &a, e)) goto fail; break;
    case ACT_REASSIGN: note = a.reason; if (do_reassign(app, &ts, &a, e)) goto fail; unit = a.unit_id; break;
    case ACT_INSIST: note = a.reason; if (do_insist(app, &ts, &a, e)) goto fail; unit = a.unit_id; break;
    case ACT_PROGRESS: if (do_progress(app, who, &ts, unit, &a, e)) goto fail; break;
    case ACT_REQUEST_EXTENSION: note = a.reason; if (do_request_extension(app, who, &ts, unit, &a, e)) goto fail; break;
    case ACT_DECIDE_EXTENSION: note = a.decision; if (do_decide_extension(app, who, &ts, &a, e)) goto fail; break;
    case ACT_COMPLETE: if (do_complete(app, who, &ts, unit, &a, e)) goto fail; break;
    case ACT_APPROVE: note = a.reason; if (do_approve(app, who, &ts, &a, e)) goto fail; break;
    case ACT_REJECT: note = a.reason; if (do_reject(app, who, &ts, &a, e)) goto fail; break;
    case ACT_EVALUATE: if (do_evaluate(app, who, &ts, &a, e)) goto fail; break;
    case ACT_REOPEN: note = a.reason; if (do_reopen(app, &ts, e)) goto fail; break;
    case ACT_SUSPEND:
      note = a.reason;
      if (set_suspended_from(app, id, task_status_name(ts.status), e)) goto fail;
      break;
    case ACT_RESUME: if (set_suspended_from(app, id, NULL, e)) goto fail; break;
    case ACT_CANCEL: note = a.reason; break;
    case ACT_DELETE: break;
    case ACT_URGE: note = a.message; if (do_urge(app, who, &ts, &a, e)) goto fail; break;
    case ACT_INSTRUCT: note = a.text; if (do_instruct(app, who, &ts, &a, e)) goto fail; break;
    case ACT_EDIT: if (do_edit(app, &ts, in, e)) goto fail; break;
    case ACT_ACCOUNTABILITY:
      note = a.kind;
      unit = a.unit_id;
      if (do_accountability(app, who, &ts, &a, e)) goto fail;
      break;
    case ACT__COUNT: break;
  }

  if (t->to == NEXT_GONE) {
    if (journal_append_text(app->db, who->user_id, "task", id, "delete", before.data, NULL, e) < 0)
      goto fail;
    /* Delete last: the journal entry above keeps what was removed. */
    if (do_delete(app, &ts, e)) goto fail;
    {
      struct asg_snapshot none = {0, NULL};
      if (app_unit_count_apply(app, &asg_before, &none, e)) goto fail;
    }
    if (app_count_move(app, ts.lead_unit, task_status_name(ts.status), ts.light, 0, NULL, NULL, e))
      goto fail;
    if (app_tx_commit(app, e)) goto fail_noTx;
    buf_release(&before);
    free(a.evidence);
    *out = json_pack("{s:I,s:b}", "id", (json_int_t)id, "deleted", 1);
    return 0;
  }
  if (to != ts.status && set_status(app, id, to, e)) goto fail;
  {
    /* Conditional on the version read above: belt and braces for writers
    ** that did not take the row lock. */
    struct db_stmt *st = db_prepare(app->db,
                                    "UPDATE task SET version = version + 1, updated_at = ?"
                                    " WHERE id = ? AND version = ?", e);
    if (!st) goto fail;
    db_bind_int(st, 1, now_unix());
    db_bind_int(st, 2, id);
    db_bind_int(st, 3, ts.version);
    if (db_run(st, e)) goto fail;
    if (db_changes(app->db) != 1) {
      err_set(e, ERR_CONFLICT, "version", "the task was changed by someone else; reload and try again");
      goto fail;
    }
  }
  if (app_task_insert_event(app, id, who->user_id, task_action_name(act), task_status_name(ts.status),
                            task_status_name(to), unit, note, e))
    goto fail;
  if (app_task_sync_assignments(app, id, e)) goto fail;
  {
    struct asg_snapshot now;
    if (app_asg_snapshot(app, id, &now, e) || app_unit_count_apply(app, &asg_before, &now, e))
      goto fail;
  }
  if (app_task_refresh_from(app, id, ts.lead_unit, task_status_name(ts.status), ts.light, e)) goto fail;
  if (app_task_row_text(app, id, &after, e)) goto fail;
  if (journal_append_text(app->db, who->user_id, "task", id, task_action_name(act), before.data,
                          after.data, e) < 0)
    goto fail;
  if (app_tx_commit(app, e)) goto fail_noTx;
  buf_release(&before);
  buf_release(&after);
  free(a.evidence);
  if (app->brief_results) {
    *out = json_pack("{s:I}", "id", (json_int_t)id);
    return 0;
  }
  return app_task_get(app, who, id, 0, out, e);
fail:
  app_tx_rollback(app);
fail_noTx:
  app_asg_snapshot_free(&asg_before);
  buf_release(&before);
  buf_release(&after);
  free(a.evidence);
  return -1;
}

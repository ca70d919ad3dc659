/*
** supervise.c — the daily tick (lights, escalation, flags), unit scores,
** the stats counts, and the journal read side.
*/
#include "app/app_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/jw.h"

/* ---- tick ---- */

/* Applies the due escalation steps of one task: one automatic urging per
** (task, unit, level, deadline) — the unique index makes a second run a no-op. */
static int escalate_task(struct app *app, const struct task_state *ts, day_t today, int *urged,
                         int *flagged, struct err *e) {
  size_t idx[ESCALATION_MAX_STEPS];
  struct db_stmt *st;
  char ds[11];
  int n, rc;
  struct err calerr;
  err_clear(&calerr);
  if (ts->deadline == DATE_NONE) return 0;
  n = escalation_due(&app->settings.ladder, ts->status, ts->deadline, today, app->cal, idx, &calerr);
  if (n < 0) return 0; /* a calendar gap postpones the step; the warning is in tick's output */
  date_format(ts->deadline, ds);
  for (int i = 0; i < n; i++) {
    const struct escalation_step *step = &app->settings.ladder.steps[idx[i]];
    int64_t units[64];
    size_t nu = 0;
    /* Every unit with an unfinished part is urged. */
    st = db_prepare(app->db,
                    "SELECT unit_id FROM assignment WHERE task_id = ? AND state <> 'reported_done' ORDER BY id", e);
    if (!st) return -1;
    db_bind_int(st, 1, ts->id);
    while ((rc = db_step(st, e)) == DB_ROW && nu < 64) units[nu++] = db_col_int(st, 0);
    db_done(st);
    if (rc < 0) return -1;
    for (size_t u = 0; u < nu; u++) {
      char msg[200];
      snprintf(msg, sizeof msg, "%s：期限 %s", step->name, ds);
      st = db_prepare(app->db,
                      "INSERT INTO urging (task_id, unit_id, level, level_name, channel, message,"
                      " automatic, deadline, by_id, at) VALUES (?, ?, ?, ?, 'system', ?, 1, ?, 0, ?)"
                      " ON CONFLICT DO NOTHING",
                      e);
      if (!st) return -1;
      db_bind_int(st, 1, ts->id);
      db_bind_int(st, 2, units[u]);
      db_bind_int(st, 3, step->level);
      db_bind_text(st, 4, step->name);
      db_bind_text(st, 5, msg);
      db_bind_text(st, 6, ds);
      db_bind_int(st, 7, now_unix());
      rc = db_step(st, e);
      db_done(st);
      if (rc < 0) return -1;
      if (db_changes(app->db) == 1) {
        json_t *after = json_pack("{s:I,s:I,s:i,s:s,s:s}", "task_id", (json_int_t)ts->id,
                                  "unit_id", (json_int_t)units[u], "level", step->level,
                                  "level_name", step->name, "deadline", ds);
        int64_t j = journal_append(app->db, 0, "urging", ts->id, "auto", NULL, after, e);
        json_decref(after);
        if (j < 0) return -1;
        (*urged)++;
        st = db_prepare(app->db,
                        "INSERT INTO outbox (channel, target, payload, created_at, next_attempt_at)"
                        " VALUES ('notify', ?, ?, ?, ?)",
                        e);
        if (!st) return -1;
        {
          char target[32];
          snprintf(target, sizeof target, "unit:%lld", (long long)units[u]);
          db_bind_text(st, 1, target);
        }
        db_bind_text(st, 2, msg);
        db_bind_int(st, 3, now_unix());
        db_bind_int(st, 4, now_unix());
        rc = db_step(st, e);
        db_done(st);
        if (rc < 0) return -1;
      }
    }
    if (step->flag_accountability) {
      st = db_prepare(app->db,
                      "INSERT INTO flag (task_id, unit_id, reason, at) VALUES (?, ?, 'escalation', ?)"
                      " ON CONFLICT (task_id, reason) DO NOTHING",
                      e);
      if (!st) return -1;
      db_bind_int(st, 1, ts->id);
      db_bind_int_or_null(st, 2, ts->lead_unit, ts->lead_unit == 0);
      db_bind_int(st, 3, now_unix());
      rc = db_step(st, e);
      db_done(st);
      if (rc < 0) return -1;
      *flagged += db_changes(app->db);
    }
  }
  return 0;
}

int app_tick(struct app *app, day_t today, int force_hours, json_t **out, struct err *e) {
  struct db_stmt *st;
  int64_t ids_cap = 1024, n_ids = 0, *ids = NULL;
  int urged = 0, flagged = 0, changed = 0, rc, workday, escalate;
  char ds[11];
  struct err calerr;
  int64_t now = now_unix();
  err_clear(&calerr);
  *out = NULL;
  if (today == DATE_NONE) today = date_today();
  /* Automatic steps go out only in working hours on working days. Lights
  ** are recomputed every time regardless. */
  workday = calendar_is_workday(app->cal, today, &calerr);
  escalate = workday == 1 &&
             (force_hours || (time_local_hour(now) >= app->settings.work_start_hour &&
                              time_local_hour(now) < app->settings.work_end_hour));
  ids = malloc((size_t)ids_cap * sizeof *ids);
  if (!ids) return err_set(e, ERR_INTERNAL, "", "out of memory");
  st = db_prepare(app->db, "SELECT id FROM task WHERE status IN ('assigned', 'in_progress', 'review')"
                           " OR light <> 'none' ORDER BY id", e);
  if (!st) goto fail_noTx;
  while ((rc = db_step(st, e)) == DB_ROW) {
    if (n_ids == ids_cap) {
      int64_t *p = realloc(ids, (size_t)(ids_cap *= 2) * sizeof *ids);
      if (!p) {
        db_done(st);
        err_set(e, ERR_INTERNAL, "", "out of memory");
        goto fail_noTx;
      }
      ids = p;
    }
    ids[n_ids++] = db_col_int(st, 0);
  }
  db_done(st);
  if (rc < 0) goto fail_noTx;
  /* Batches of tasks per transaction: few commits (each an fsync) on a big
  ** ledger, and write locks short enough for requests to go in between. */
  for (int64_t i = 0; i < n_ids; i++) {
    struct task_state ts;
    enum light l;
    if (i % 256 == 0 && app_tx_begin(app, e)) goto fail_noTx;
    if (app_task_state(app, ids[i], &ts, e)) {
      if (e->code == ERR_NOT_FOUND) {  /* deleted meanwhile */
        err_clear(e);
        goto next;
      }
      goto fail;
    }
    l = app_task_light(app, &ts, today, NULL);
    if (strcmp(light_name(l), ts.light) != 0) {
      st = db_prepare(app->db, "UPDATE task SET light = ? WHERE id = ?", e);
      if (!st) goto fail;
      db_bind_text(st, 1, light_name(l));
      db_bind_int(st, 2, ts.id);
      rc = db_step(st, e);
      db_done(st);
      if (rc < 0) goto fail;
      if (app_count_move(app, ts.lead_unit, task_status_name(ts.status), ts.light, ts.lead_unit,
                         task_status_name(ts.status), light_name(l), e))
        goto fail;
      changed++;
    }
    if (l == LIGHT_RED) {
      st = db_prepare(app->db,
                      "INSERT INTO flag (task_id, unit_id, reason, at) VALUES (?, ?, 'overdue', ?)"
                      " ON CONFLICT (task_id, reason) DO NOTHING",
                      e);
      if (!st) goto fail;
      db_bind_int(st, 1, ts.id);
      db_bind_int_or_null(st, 2, ts.lead_unit, ts.lead_unit == 0);
      db_bind_int(st, 3, now);
      rc = db_step(st, e);
      db_done(st);
      if (rc < 0) goto fail;
      flagged += db_changes(app->db);
    }
    if (escalate && escalate_task(app, &ts, today, &urged, &flagged, e)) goto fail;
  next:
    if ((i % 256 == 255 || i == n_ids - 1) && app_tx_commit(app, e)) goto fail_noTx;
  }
  free(ids);
  *out = json_pack("{s:s,s:i,s:i,s:i,s:i,s:b}", "date", date_format(today, ds), "tasks", (int)n_ids,
                   "urgings", urged, "flags", flagged, "lights_changed", changed, "escalated",
                   escalate);
  if (workday < 0) json_object_set_new(*out, "warning", json_string(calerr.message));
  return 0;
fail:
  app_tx_rollback(app);
fail_noTx:
  free(ids);
  return -1;
}

/* ---- scores ---- */

int app_scores(struct app *app, const struct actor *who, day_t from, day_t to, json_t **out,
               struct err *e) {
  struct db_stmt *st;
  struct unit_stats *stats = NULL;
  struct unit_score *scores = NULL;
  char **names = NULL;
  size_t n = 0, cap = 0;
  char fs[11], ts[11], formula[512];
  int rc;
  json_t *units;
  *out = NULL;
  if (!SEES_ALL(who)) return err_set(e, ERR_FORBIDDEN, "", "only supervisors and leaders see unit scores");
  if (from == DATE_NONE || to == DATE_NONE || to < from)
    return err_set(e, ERR_INVALID, "to", "give a period with from <= to");
  date_format(from, fs);
  date_format(to, ts);
  /* Tasks whose deadline in force falls in the period, by lead unit. An
  ** open task due in the period counts as not on time. */
  st = db_prepare(app->db,
                  "SELECT u.id, u.name,"
                  " COUNT(t.id),"
                  " SUM(CASE WHEN t.status = 'done' AND t.done_late = 0 THEN 1 ELSE 0 END),"
                  " SUM(CASE WHEN t.evaluation IS NOT NULL THEN 1 ELSE 0 END),"
                  " SUM(CASE t.evaluation WHEN 'excellent' THEN 100 WHEN 'good' THEN 80"
                  "   WHEN 'fair' THEN 60 WHEN 'poor' THEN 40 ELSE 0 END),"
                  " (SELECT COUNT(*) FROM progress_report p JOIN task pt ON pt.id = p.task_id"
                  "   WHERE p.unit_id = u.id AND pt.deadline BETWEEN ? AND ?),"
                  " (SELECT COUNT(*) FROM progress_report p JOIN task pt ON pt.id = p.task_id"
                  "   WHERE p.unit_id = u.id AND p.on_time = 1 AND pt.deadline BETWEEN ? AND ?),"
                  " (SELECT COUNT(*) FROM urging g JOIN task gt ON gt.id = g.task_id"
                  "   WHERE g.unit_id = u.id AND g.automatic = 1 AND gt.deadline BETWEEN ? AND ?),"
                  " (SELECT COUNT(*) FROM accountability c WHERE c.unit_id = u.id AND c.date BETWEEN ? AND ?)"
                  " FROM unit u"
                  " LEFT JOIN assignment a ON a.unit_id = u.id AND a.role = 'lead'"
                  " LEFT JOIN task t ON t.id = a.task_id AND t.deadline BETWEEN ? AND ?"
                  "   AND t.status NOT IN ('draft', 'cancelled')"
                  " WHERE u.active = 1 GROUP BY u.id, u.name ORDER BY u.id",
                  e);
  if (!st) return -1;
  for (int i = 0; i < 5; i++) {
    db_bind_text(st, 2 * i + 1, fs);
    db_bind_text(st, 2 * i + 2, ts);
  }
  while ((rc = db_step(st, e)) == DB_ROW) {
    if (n == cap) {
      size_t nc = cap ? cap * 2 : 64;
      void *p1 = realloc(stats, nc * sizeof *stats), *p2, *p3;
      if (p1) stats = p1;
      p2 = realloc(names, nc * sizeof *names);
      if (p2) names = p2;
      p3 = realloc(scores, nc * sizeof *scores);
      if (p3) scores = p3;
      if (!p1 || !p2 || !p3) {
        db_done(st);
        err_set(e, ERR_INTERNAL, "", "out of memory");
        goto done;
      }
      cap = nc;
    }
    memset(&stats[n], 0, sizeof stats[n]);
    stats[n].unit_id = db_col_int(st, 0);
    names[n] = strdup(db_col_text(st, 1));
    stats[n].tasks = (int)db_col_int(st, 2);
    stats[n].done_on_time = (int)db_col_int(st, 3);
    stats[n].evaluations = (int)db_col_int(st, 4);
    stats[n].evaluation_sum = (double)db_col_int(st, 5);
    stats[n].reports_expected = (int)db_col_int(st, 6);
    stats[n].reports_on_time = (int)db_col_int(st, 7);
    stats[n].escalations = (int)db_col_int(st, 8);
    stats[n].accountabilities = (int)db_col_int(st, 9);
    n++;
  }
  db_done(st);
  if (rc < 0) goto done;
  if (scores_compute(stats, n, &app->settings.weights, scores)) {
    err_set(e, ERR_INVALID, "scores.weights", "the score weights are not usable");
    goto done;
  }
  score_formula_text(&app->settings.weights, formula, sizeof formula);
  units = json_array();
  for (size_t i = 0; i < n; i++) {
    json_t *u;
    /* A unit with nothing due in the period has nothing to be scored on. */
    if (stats[i].tasks == 0) continue;
    u = json_pack("{s:I,s:s,s:f,s:f,s:f,s:f,s:i,s:i,s:i,s:i,s:i,s:b,s:i}",
                          "unit_id", (json_int_t)stats[i].unit_id, "unit_name", names[i] ? names[i] : "",
                          "score", scores[i].score, "on_time_rate", scores[i].on_time_rate,
                          "eval_average", scores[i].eval_average,
                          "report_timeliness", scores[i].report_timeliness,
                          "tasks", stats[i].tasks, "done_on_time", stats[i].done_on_time,
                          "escalations", stats[i].escalations,
                          "accountabilities", stats[i].accountabilities,
                          "reports", stats[i].reports_expected,
                          "ranked", scores[i].ranked, "rank", scores[i].rank);
    if (!scores[i].ranked) json_object_set_new(u, "rank", json_null());
    json_array_append_new(units, u);
  }
  *out = json_pack("{s:s,s:s,s:s,s:{s:f,s:f,s:f,s:f,s:f},s:i,s:o}", "from", fs, "to", ts,
                   "formula", formula, "weights", "on_time", app->settings.weights.on_time,
                   "evaluation", app->settings.weights.evaluation, "reports",
                   app->settings.weights.reports, "escalations", app->settings.weights.escalations,
                   "accountability", app->settings.weights.accountability, "min_tasks",
                   app->settings.weights.min_tasks, "units", units);
done:
  for (size_t i = 0; i < n; i++) free(names[i]);
  free(names);
  free(stats);
  free(scores);
  return *out ? 0 : -1;
}

/* ---- stats ---- */

/* A total by name (status or light), in the order the names first come. */
struct stats_sum {
  char name[24];
  int64_t n;
};
static void stats_add(struct stats_sum *sums, size_t *count, size_t cap, const char *name,
                      int64_t n) {
  for (size_t i = 0; i < *count; i++)
    if (!strcmp(sums[i].name, name)) {
      sums[i].n += n;
      return;
    }
  if (*count == cap) return;   /* more names than exist: ignored, like a bad row */
  snprintf(sums[*count].name, sizeof sums[*count].name, "%s", name);
  sums[(*count)++].n = n;
}
static void stats_write_sums(struct jw *w, const char *key, const struct stats_sum *sums,
                             size_t count) {
  jw_key(w, key);
  jw_obj(w);
  for (size_t i = 0; i < count; i++) {
    jw_key(w, sums[i].name);
    jw_int(w, sums[i].n);
  }
  jw_end(w);
}

/* Written as text (util/jw.c) like the task list: a ledger of 100 units has
** ~1,400 cells, and a jansson tree of them was most of a request's time. */
int app_stats_text(struct app *app, const struct actor *who, struct buf *out, struct err *e) {
  static const struct col_spec kCellCols[] = {
      COL("unit_id", C_INT), COL("unit_name", C_STR), COL("status", C_STR),
      COL("light", C_STR),   COL("n", C_INT),         COL_END};
  struct stats_sum by_status[16], by_light[16];
  size_t n_status = 0, n_light = 0;
  struct db_stmt *st;
  struct jw w;
  int64_t total = 0;
  int rc;
  if (!SEES_ALL(who)) return err_set(e, ERR_FORBIDDEN, "", "only supervisors and leaders see statistics");
  /* Read from the incrementally kept counts, not a GROUP BY over every task. */
  st = db_prepare(app->db,
                  "SELECT c.unit_id, COALESCE(u.name, ''), c.status, c.light, c.n FROM task_count c"
                  " LEFT JOIN unit u ON u.id = c.unit_id WHERE c.n > 0 ORDER BY c.unit_id, c.status, c.light",
                  e);
  if (!st) return -1;
  jw_init(&w, out);
  jw_obj(&w);
  jw_key(&w, "cells");
  jw_arr(&w);
  while ((rc = db_step(st, e)) == DB_ROW) {
    int64_t n = db_col_int(st, 4);
    jw_obj(&w);
    render_members(&w, st, kCellCols, NULL);
    jw_end(&w);
    stats_add(by_status, &n_status, sizeof by_status / sizeof by_status[0], db_col_text(st, 2), n);
    stats_add(by_light, &n_light, sizeof by_light / sizeof by_light[0], db_col_text(st, 3), n);
    total += n;
  }
  db_done(st);
  if (rc < 0) return -1;
  jw_end(&w);
  jw_key(&w, "totals");
  jw_obj(&w);
  jw_key(&w, "tasks");
  jw_int(&w, total);
  stats_write_sums(&w, "by_status", by_status, n_status);
  stats_write_sums(&w, "by_light", by_light, n_light);
  jw_end(&w);
  jw_end(&w);
  return out->failed ? err_set(e, ERR_INTERNAL, "", "out of memory") : 0;
}

int app_stats(struct app *app, const struct actor *who, json_t **out, struct err *e) {
  struct buf b;
  int rc;
  *out = NULL;
  buf_init(&b, 0);
  rc = app_stats_text(app, who, &b, e);
  if (rc == 0) rc = app_json_from_text(&b, out, e);
  buf_release(&b);
  return rc;
}

/* ---- journal ---- */

int app_audit_verify(struct app *app, json_t **out, struct err *e) {
  struct journal_check c;
  if (journal_verify(app->db, &c, e)) return -1;
  *out = json_pack("{s:b,s:I}", "ok", c.first_broken == 0, "entries", (json_int_t)c.entries);
  if (c.first_broken) {
    json_object_set_new(*out, "first_broken", json_integer(c.first_broken));
    json_object_set_new(*out, "reason", json_string(c.reason));
  } else {
    json_object_set_new(*out, "first_broken", json_null());
  }
  return 0;
}

int app_journal_list(struct app *app, const struct actor *who, const char *entity, int64_t entity_id,
                     json_t **out, struct err *e) {
  struct db_stmt *st;
  json_t *items;
  int rc;
  *out = NULL;
  if (!entity || !*entity) return err_set(e, ERR_INVALID, "entity", "entity is required");
  if (!strcmp(entity, "task")) {
    json_t *t;
    /* Same visibility as the task itself. */
    if (app_task_get(app, who, entity_id, 0, &t, e)) return -1;
    json_decref(t);
  } else if (!IS_SUP(who)) {
    return err_set(e, ERR_FORBIDDEN, "", "only supervisors read the journal of %s", entity);
  }
  st = db_prepare(app->db,
                  "SELECT j.id, j.at, j.actor_id, COALESCE(u.display_name, 'system'), j.action,"
                  " j.before, j.after, j.hash FROM journal j LEFT JOIN app_user u ON u.id = j.actor_id"
                  " WHERE j.entity = ? AND j.entity_id = ? ORDER BY j.id",
                  e);
  if (!st) return -1;
  db_bind_text(st, 1, entity);
  db_bind_int(st, 2, entity_id);
  items = json_array();
  while ((rc = db_step(st, e)) == DB_ROW) {
    json_t *o = json_object();
    jset_int(o, "id", st, 0);
    jset_time(o, "at", st, 1);
    jset_int(o, "actor_id", st, 2);
    jset_str(o, "actor_name", st, 3);
    jset_str(o, "action", st, 4);
    jset_json(o, "before", st, 5);
    jset_json(o, "after", st, 6);
    jset_str(o, "hash", st, 7);
    json_array_append_new(items, o);
  }
  db_done(st);
  if (rc < 0) {
    json_decref(items);
    return -1;
  }
  *out = json_pack("{s:o}", "items", items);
  return 0;
}

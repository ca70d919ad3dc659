/*
** app.h — the use cases of duban: what the CLI and the HTTP API both call.
**
** Layering:  cli/ and http/  →  app/ (this)  →  core/ (pure rules)
**                                           →  store/ (db.h, one interface)
** Each function here is one use case: it checks permissions (SPEC §2) for the
** acting user, validates input, applies the core rules, and writes the change
** and its journal entry in one transaction (journal.h). Input and output are
** jansson objects, so the CLI and the API validate with the same code and
** report the same errors (struct err: code, field, message).
**
** Ownership: every `json_t **out` receives a new reference the caller must
** json_decref. Input json is borrowed. On error, *out is left NULL, e is set,
** and nothing was written.
**
** Input objects are checked strictly: an unknown member is ERR_INVALID
** naming it; a member of the wrong type is ERR_INVALID naming it.
*/
#ifndef DUBAN_APP_H
#define DUBAN_APP_H

#include <jansson.h>
#include <stdint.h>

#include "core/calendar.h"
#include "core/escalation.h"
#include "core/lifecycle.h"
#include "core/lights.h"
#include "core/scores.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/err.h"

/* Settings (table `setting`), with defaults; see docs/operations.md. */
struct settings {
  struct light_settings lights;
  struct escalation_ladder ladder;
  struct score_weights weights;
  int work_start_hour, work_end_hour;   /* automatic urging only inside, default 9..17 */
  int utc_offset_minutes;               /* default 480 (Asia/Shanghai) */
  int title_max_chars;                  /* default 60 */
  int code_prefix_year;                 /* 1: DB-YYYY-NNNN by creation year */
};

/* One open database plus what the use cases need. Not thread-safe: the
** HTTP server keeps one per worker thread, sharing `cal` (read-only). */
struct app {
  struct db *db;
  struct calendar *cal;       /* owned when own_cal */
  int own_cal;
  struct settings settings;
  int tx_depth;               /* nested use cases: 1 = the transaction, 2.. = savepoints */
  int brief_results;          /* 1: task writes answer {"id"} only; the caller renders the
                                 task itself later (the group-commit writer) */
  int check_docs;             /* DUBAN_CHECK_TASK_DOCS=1: every stored task view served is
                                 compared with a live rendering (tests) */
  int defer_docs;             /* 1: commits leave noted task views for app_task_docs_drain
                                 (the server's writer) */
  struct token_memo *tokens;  /* app_actor_by_token's answers in the current read snapshot */
  uint64_t docs_clean_snapshot; /* task_docs.c: the snapshot docs_clean was read in */
  int docs_clean;             /* 1: no task view noted in that snapshot */
};

/* The acting user. user_id 0 with ROLE_ADMIN is the system (CLI default). */
struct actor {
  int64_t user_id;
  unsigned roles;             /* enum role bits */
  int64_t unit_id;            /* 0: none */
  char login[64];
};

/* Opening. mode: APP_OPEN_EXISTING refuses a missing/empty database (the CLI
** says "run duban init"); APP_OPEN_CREATE creates and migrates. An existing
** database at an older version is migrated on open. shared_cal may be NULL
** (then the calendar is loaded from the database and owned). */
enum app_open_mode { APP_OPEN_EXISTING, APP_OPEN_CREATE };
int app_open(struct app *app, const char *target, enum app_open_mode mode,
             struct calendar *shared_cal, struct err *e);
void app_close(struct app *app);
/* Reloads settings and, when owned, the calendar from the database. */
int app_reload(struct app *app, struct err *e);
/* Loads the bundled holiday files (compiled in) into the database calendar
** when it has no year yet. Used by init. */
int app_calendar_seed(struct app *app, struct err *e);
struct calendar *app_calendar_load(struct db *db, struct err *e);  /* new calendar from db */

/* Transactions around use cases. Each use case opens its own; when one is
** already open (a caller grouping several use cases, e.g. the server's group
** commit), the use case runs in a savepoint inside it. begin/commit return
** 0 or -1 with e; a failed commit has rolled back. */
int app_tx_begin(struct app *app, struct err *e);
int app_tx_commit(struct app *app, struct err *e);
void app_tx_rollback(struct app *app);

struct actor actor_system(void);
/* Loads the actor for a user id / login. -1 with ERR_NOT_FOUND. */
int app_actor_by_id(struct app *app, int64_t user_id, struct actor *out, struct err *e);
int app_actor_by_login(struct app *app, const char *login, struct actor *out, struct err *e);
/* The active user of an unrevoked API token (as the client sent it; looked
** up by its digest, see token_digest), with the token's id and last use,
** in one query, or none when the same token was answered in the same read
** snapshot. ERR_NOT_FOUND when there is none. */
int app_actor_by_token(struct app *app, const char *token, struct actor *out, int64_t *token_id,
                       int64_t *last_used_at, struct err *e);

/* ---- units ---- {name, short_name, kind, parent_id, aliases:[..], keywords:[..], active} */
int app_unit_add(struct app *, const struct actor *, json_t *in, json_t **out, struct err *);
int app_unit_update(struct app *, const struct actor *, int64_t id, json_t *in, json_t **out, struct err *);  /* in.version required */
int app_unit_get(struct app *, const struct actor *, int64_t id, json_t **out, struct err *);
int app_unit_list(struct app *, const struct actor *, json_t **out, struct err *);
/* Finds a unit by id (decimal text), exact name or short name. */
int app_unit_resolve(struct app *, const char *ref, int64_t *id, struct err *, const char *field);

/* ---- users ---- {login, display_name, unit_id, roles:"a,b", password, active} */
int app_user_add(struct app *, const struct actor *, json_t *in, json_t **out, struct err *);
int app_user_update(struct app *, const struct actor *, int64_t id, json_t *in, json_t **out, struct err *);
int app_user_passwd(struct app *, const struct actor *, int64_t id, const char *password, struct err *);
int app_user_get(struct app *, const struct actor *, int64_t id, json_t **out, struct err *);
int app_user_list(struct app *, const struct actor *, json_t **out, struct err *);
/* Checks login + password: fills *who. ERR_UNAUTHENTICATED on any mismatch
** (same message for unknown login and wrong password). */
int app_login(struct app *, const char *login, const char *password, struct actor *who, struct err *);

/* ---- sources ---- {kind, title, ref_no, date, place, host, attendees, documents:[..], original_text} */
int app_source_add(struct app *, const struct actor *, json_t *in, json_t **out, struct err *);
int app_source_get(struct app *, const struct actor *, int64_t id, json_t **out, struct err *);
int app_source_list(struct app *, const struct actor *, json_t **out, struct err *);

/* ---- tasks ----
** create: {title*, requirement, source_id, source_text, source_start, source_end,
**          parent_id, category, lead_leader, lead_unit_id, lead_person,
**          coop_unit_ids:[..], deadline:"YYYY-MM-DD" | deadline_workdays:N,
**          milestones:[{date, percent, title}], report_freq:"weekly:5", remark}
** A new task is a draft. */
int app_task_create(struct app *, const struct actor *, json_t *in, json_t **out, struct err *);
/* Full task: fields, light, planned progress, assignments, milestones,
** children ids, extensions, and (with_timeline) reports, urgings, reviews,
** instructions, accountability records and events. ERR_NOT_FOUND when the
** task is not visible to the actor. */
int app_task_get(struct app *, const struct actor *, int64_t id, int with_timeline, json_t **out, struct err *);
/* The same view as JSON text appended to *out (the server sends it as is). */
int app_task_view(struct app *, const struct actor *, int64_t id, int with_timeline, struct buf *out,
                  struct err *);
int app_task_resolve(struct app *, const char *ref, int64_t *id, struct err *);  /* id or code */
/* List: filters {unit_id, status, light, due_before, due_after, source_id,
** parent_id, q (title substring), category}, sort ("deadline", "-deadline",
** "code", "updated"), limit (1..200, default 50), cursor (opaque, from the
** previous page). *out = {"items":[...], "next_cursor": "..."|null, "total": n}. */
int app_task_list(struct app *, const struct actor *, json_t *query, json_t **out, struct err *);
/* The same page as JSON text appended to *out. */
int app_task_list_text(struct app *, const struct actor *, json_t *query, struct buf *out,
                       struct err *);
/* One lifecycle action (lifecycle.h) with its fields:
**   reason, text, progress, date, evaluation, unit_id, decision ("approve"|"refuse"),
**   kind, person, evidence:[names], message, units (assign: optional override),
**   version (optional optimistic-concurrency check: ERR_CONFLICT if stale),
**   extension_id (decide_extension; default: the pending one),
**   and for edit: title, requirement, deadline, lead_leader, category, report_freq, remark.
** *out is the task after the action (as app_task_get without timeline). */
int app_task_action(struct app *, const struct actor *, int64_t id, enum task_action act,
                    json_t *in, json_t **out, struct err *);

/* ---- supervision ---- */
/* Stored task views (task_docs.c; SQLite only, a no-op on PostgreSQL).
** Build: renders every task that has no stored view, in transactions of a
** few thousand (after an upgrade to schema 9, a copy, a bulk load); *n gets
** the number rendered. Check: compares every stored view with a rendering
** made now; *checked, *stale (should be 0) and *first_stale (its task id, 0:
** none). Both 0 or -1 with e. */
int app_task_docs_build(struct app *, int64_t *n, struct err *);
/* Renders up to limit noted views in a transaction of its own; *n gets how
** many (fewer than limit: none are left). */
int app_task_docs_drain(struct app *, int limit, int64_t *n, struct err *);
/* Renders the tasks with ids in (*after, *after + span] that
** have no current view, in a transaction of its own (none when there are
** none), and advances *after by span; *finished: no task lies beyond. For
** filling in views a little at a time (the server's writer when idle). A
** pass that reaches the end, and a build, record that every task has its
** view (meta task_docs_filled); a pass starting at 0 then finishes at once. */
int app_task_docs_fill(struct app *, int64_t *after, int span, int *finished, struct err *);
int app_task_docs_check(struct app *, int64_t *checked, int64_t *stale, int64_t *first_stale,
                        struct err *);

/* Applies due escalation steps as of `today` (DATE_NONE: today), recomputes
** lights, raises flags. Idempotent per day. force_hours: ignore working hours.
** *out = {"date", "urgings": n, "flags": n, "lights_changed": n}. */
int app_tick(struct app *, day_t today, int force_hours, json_t **out, struct err *);
/* Scores for tasks due in [from, to]. *out = {"formula", "weights", "min_tasks", "units":[...]} */
int app_scores(struct app *, const struct actor *, day_t from, day_t to, json_t **out, struct err *);
/* Counts by lead unit × status × light. */
int app_stats(struct app *, const struct actor *, json_t **out, struct err *);
/* The same as JSON text appended to out (the server sends it as is). */
int app_stats_text(struct app *, const struct actor *, struct buf *out, struct err *);

/* ---- journal ---- */
/* Verifies the chain. *out = {"ok": bool, "entries": n, "first_broken": id|null, "reason"}. */
int app_audit_verify(struct app *, json_t **out, struct err *);
int app_journal_list(struct app *, const struct actor *, const char *entity, int64_t entity_id,
                     json_t **out, struct err *);

/* ---- calendar & settings ---- */
int app_calendar_import(struct app *, const struct actor *, const char *json_text, size_t n,
                        const char *source, json_t **out, struct err *);
int app_calendar_set_day(struct app *, const struct actor *, day_t day, int off, const char *name, struct err *);
int app_calendar_get(struct app *, int year, json_t **out, struct err *);
int app_settings_get(struct app *, json_t **out, struct err *);
int app_settings_set(struct app *, const struct actor *, const char *key, const char *value, struct err *);

/* ---- ingest (src/ingest does the reading; this stores) ---- */
/* Preview: {text | docx_base64, meeting_date} → the draft as JSON (ingest.h
** format) with suggested units from this institution and deadlines through
** this calendar. Nothing is written. */
int app_ingest_preview(struct app *, const struct actor *, json_t *in, json_t **out, struct err *);
/* Commit a reviewed draft: {source:{title, date, place, host, documents, original_text, ...},
** tasks:[{title, source_text, source_start, source_end, lead_unit_id, deadline, ...}]}
** → the source and its draft tasks in one transaction.
** *out = {"source_id": n, "task_ids": [...]} */
int app_ingest_commit(struct app *, const struct actor *, json_t *in, json_t **out, struct err *);

/* ---- demo ---- */
int app_demo_populate(struct app *, json_t **logins_out, struct err *);

#endif

/* app.c — opening a database for the use cases; settings; actors; calendar. */
#include "app/app_int.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/password.h"
#include "store/schema.h"
#include "util/embed.h"
#include "util/jw.h"

static void settings_default(struct settings *s) {
  light_settings_default(&s->lights);
  escalation_ladder_default(&s->ladder);
  score_weights_default(&s->weights);
  s->work_start_hour = 9;
  s->work_end_hour = 17;
  s->utc_offset_minutes = 480;
  s->title_max_chars = 60;
  s->code_prefix_year = 1;
}

/* Settings are text in table `setting`; unknown keys are refused on write. */
static int settings_apply(struct settings *s, const char *key, const char *val,
                          struct err *e) {
  char *end;
  long v;
  if (!strcmp(key, "escalation.ladder"))
    return escalation_ladder_parse(val, &s->ladder, e, key);
  if (!strcmp(key, "scores.weights")) {
    double w[5];
    if (sscanf(val, "%lf,%lf,%lf,%lf,%lf", &w[0], &w[1], &w[2], &w[3], &w[4]) != 5)
      return err_set(e, ERR_INVALID, key,
                     "%s must be five numbers: on-time,evaluation,reports,escalations,accountability",
                     key);
    for (int i = 0; i < 5; i++)
      if (w[i] < 0) return err_set(e, ERR_INVALID, key, "%s: weights must not be negative", key);
    s->weights.on_time = w[0];
    s->weights.evaluation = w[1];
    s->weights.reports = w[2];
    s->weights.escalations = w[3];
    s->weights.accountability = w[4];
    return 0;
  }
  if (!strcmp(key, "work.hours")) {
    int a, b;
    if (sscanf(val, "%d-%d", &a, &b) != 2 || a < 0 || b > 24 || a >= b)
      return err_set(e, ERR_INVALID, key, "%s must be like 9-17", key);
    s->work_start_hour = a;
    s->work_end_hour = b;
    return 0;
  }
  v = strtol(val, &end, 10);
  if (!*val || *end)
    goto unknown_or_bad;
  if (!strcmp(key, "lights.yellow_workdays") && v >= 0 && v <= 60) {
    s->lights.yellow_workdays = (int)v;
    return 0;
  }
  if (!strcmp(key, "lights.lag_points") && v >= 0 && v <= 100) {
    s->lights.lag_points = (int)v;
    return 0;
  }
  if (!strcmp(key, "scores.min_tasks") && v >= 0 && v <= 1000) {
    s->weights.min_tasks = (int)v;
    return 0;
  }
  if (!strcmp(key, "tz.offset_minutes") && v >= -720 && v <= 840) {
    s->utc_offset_minutes = (int)v;
    return 0;
  }
  if (!strcmp(key, "task.title_max") && v >= 10 && v <= 500) {
    s->title_max_chars = (int)v;
    return 0;
  }
unknown_or_bad:
  if (strcmp(key, "lights.yellow_workdays") && strcmp(key, "lights.lag_points") &&
      strcmp(key, "scores.min_tasks") && strcmp(key, "tz.offset_minutes") &&
      strcmp(key, "task.title_max"))
    return err_set(e, ERR_INVALID, "key", "unknown setting \"%s\"", key);
  return err_set(e, ERR_INVALID, key, "%s: \"%s\" is not an allowed value", key, val);
}

static int settings_load(struct app *app, struct err *e) {
  struct db_stmt *st;
  int rc;
  settings_default(&app->settings);
  st = db_prepare(app->db, "SELECT key, value FROM setting ORDER BY key", e);
  if (!st) return -1;
  while ((rc = db_step(st, e)) == DB_ROW) {
    struct err ignore;
    /* A bad stored value falls back to the default rather than locking
    ** everyone out; settings are validated on write. */
    settings_apply(&app->settings, db_col_text(st, 0), db_col_text(st, 1), &ignore);
  }
  db_done(st);
  if (rc < 0) return -1;
  date_set_utc_offset_minutes(app->settings.utc_offset_minutes);
  return 0;
}

struct calendar *app_calendar_load(struct db *db, struct err *e) {
  struct calendar *cal = calendar_new();
  struct db_stmt *st;
  int rc;
  if (!cal) {
    err_set(e, ERR_INTERNAL, "", "out of memory");
    return NULL;
  }
  st = db_prepare(db, "SELECT year FROM calendar_year ORDER BY year", e);
  if (!st) goto fail;
  while ((rc = db_step(st, e)) == DB_ROW)
    if (calendar_cover_year(cal, (int)db_col_int(st, 0), e)) break;
  db_done(st);
  if (rc < 0 || e->code) goto fail;
  st = db_prepare(db, "SELECT date, off, name FROM calendar_day ORDER BY date", e);
  if (!st) goto fail;
  while ((rc = db_step(st, e)) == DB_ROW) {
    day_t d;
    if (date_parse(db_col_text(st, 0), &d)) continue;
    if (calendar_set_day(cal, d, (int)db_col_int(st, 1), db_col_text(st, 2), e)) break;
  }
  db_done(st);
  if (rc < 0 || e->code) goto fail;
  return cal;
fail:
  calendar_free(cal);
  return NULL;
}

int app_reload(struct app *app, struct err *e) {
  if (settings_load(app, e)) return -1;
  if (app->own_cal) {
    struct calendar *cal = app_calendar_load(app->db, e);
    if (!cal) return -1;
    calendar_free(app->cal);
    app->cal = cal;
  }
  return 0;
}

int app_open(struct app *app, const char *target, enum app_open_mode mode,
             struct calendar *shared_cal, struct err *e) {
  int version = 0, state;
  struct stat sb;
  memset(app, 0, sizeof *app);
  err_clear(e);
  if (crypto_ready()) return err_set(e, ERR_INTERNAL, "", "libsodium failed to initialise");
  if (mode == APP_OPEN_EXISTING && strncmp(target, "postgres", 8) != 0 &&
      stat(strncmp(target, "sqlite:", 7) == 0 ? target + 7 : target, &sb) != 0)
    return err_set(e, ERR_INVALID, "db", "no database at %s (create one with: duban init --db %s)",
                   target, target);
  app->db = db_open(target, e);
  if (!app->db) return -1;
  state = schema_inspect(app->db, &version, e);
  if (state < 0) goto fail;
  if (state == SCHEMA_EMPTY && mode == APP_OPEN_EXISTING) {
    err_set(e, ERR_NOT_DUBAN_DB, "db", "%s is empty, not a duban database (run duban init)", target);
    goto fail;
  }
  if (version < SCHEMA_VERSION && schema_migrate(app->db, SCHEMA_VERSION, NULL, e)) goto fail;
  if (app_calendar_seed(app, e)) goto fail;  /* a no-op once any year is loaded */
  if (shared_cal) {
    app->cal = shared_cal;
  } else {
    app->cal = app_calendar_load(app->db, e);
    if (!app->cal) goto fail;
    app->own_cal = 1;
  }
  if (settings_load(app, e)) goto fail;
  if (app_task_docs_attach(app, e)) goto fail;
  return 0;
fail:
  app_close(app);
  return -1;
}

static void token_memo_free(struct token_memo *m);

void app_close(struct app *app) {
  if (app->own_cal) calendar_free(app->cal);
  token_memo_free(app->tokens);
  db_close(app->db);
  memset(app, 0, sizeof *app);
}

/* Use cases nest: ingest commit creates tasks through app_task_create, and
** the server's group commit runs many use cases in one transaction. The
** outermost level owns the transaction; each inner level is a savepoint, so
** a refused inner use case undoes exactly its own writes. */
static const char *const kSavepoint[] = {
  "SAVEPOINT app1", "SAVEPOINT app2", "SAVEPOINT app3", "SAVEPOINT app4",
  "SAVEPOINT app5", "SAVEPOINT app6", "SAVEPOINT app7", "SAVEPOINT app8"};
static const char *const kRelease[] = {
  "RELEASE app1", "RELEASE app2", "RELEASE app3", "RELEASE app4",
  "RELEASE app5", "RELEASE app6", "RELEASE app7", "RELEASE app8"};
static const char *const kRollbackTo[] = {
  "ROLLBACK TO app1; RELEASE app1", "ROLLBACK TO app2; RELEASE app2",
  "ROLLBACK TO app3; RELEASE app3", "ROLLBACK TO app4; RELEASE app4",
  "ROLLBACK TO app5; RELEASE app5", "ROLLBACK TO app6; RELEASE app6",
  "ROLLBACK TO app7; RELEASE app7", "ROLLBACK TO app8; RELEASE app8"};
#define MAX_NEST ((int)(sizeof kSavepoint / sizeof kSavepoint[0]))

/* A savepoint or its release: on SQLite a statement prepared once per
** connection (every request of a group commit opens and releases one, and
** parsing them took 3 % of the writer); PostgreSQL takes them as text. */
static int savepoint_sql(struct app *app, const char *sql, struct err *e) {
  struct db_stmt *st;
  if (db_kind(app->db) != DB_SQLITE) return db_exec(app->db, sql, e);
  if (!(st = db_prepare(app->db, sql, e))) return -1;
  return db_run(st, e);
}

int app_tx_begin(struct app *app, struct err *e) {
  if (app->tx_depth == 0) {
    if (db_begin(app->db, DB_WRITE, e)) return -1;
  } else {
    if (app->tx_depth > MAX_NEST) return err_set(e, ERR_INTERNAL, "", "use cases nested too deeply");
    if (savepoint_sql(app, kSavepoint[app->tx_depth - 1], e)) return -1;
  }
  app->tx_depth++;
  return 0;
}

int app_tx_commit(struct app *app, struct err *e) {
  if (app->tx_depth == 0) return err_set(e, ERR_INTERNAL, "", "commit outside a transaction");
  if (--app->tx_depth > 0) {
    if (savepoint_sql(app, kRelease[app->tx_depth - 1], e)) {
      db_exec(app->db, kRollbackTo[app->tx_depth - 1], NULL);
      return -1;
    }
    return 0;
  }
  return db_commit(app->db, e);
}

void app_tx_rollback(struct app *app) {
  if (app->tx_depth == 0) return;
  if (--app->tx_depth > 0) {
    struct err ignore;
    db_exec(app->db, kRollbackTo[app->tx_depth - 1], &ignore);
    return;
  }
  db_rollback(app->db);
}

/* ---- calendar ---- */

static int calendar_store_file(struct app *app, const char *json_text, size_t n,
                               const char *source, int *year_out, int *days_out,
                               struct err *e) {
  json_t *root, *days, *d;
  json_error_t je;
  size_t i;
  int year, count = 0;
  struct calendar *probe = calendar_new();
  struct db_stmt *st;
  if (!probe) return err_set(e, ERR_INTERNAL, "", "out of memory");
  /* Validate with the core parser first: nothing is written for a bad file. */
  if (calendar_load_json(probe, json_text, n, e)) {
    calendar_free(probe);
    return -1;
  }
  calendar_free(probe);
  root = json_loadb(json_text, n, 0, &je);
  if (!root) return err_set(e, ERR_INVALID, "file", "not JSON: %s", je.text);
  year = (int)json_integer_value(json_object_get(root, "year"));
  days = json_object_get(root, "days");
  st = db_prepare(app->db,
                  "INSERT INTO calendar_year (year, source) VALUES (?, ?) "
                  "ON CONFLICT (year) DO UPDATE SET source = excluded.source",
                  e);
  if (!st) goto fail;
  db_bind_int(st, 1, year);
  db_bind_text(st, 2, source);
  if (db_run(st, e)) goto fail;
  json_array_foreach(days, i, d) {
    st = db_prepare(app->db,
                    "INSERT INTO calendar_day (date, off, name) VALUES (?, ?, ?) "
                    "ON CONFLICT (date) DO UPDATE SET off = excluded.off, name = excluded.name",
                    e);
    if (!st) goto fail;
    db_bind_text(st, 1, json_string_value(json_object_get(d, "date")));
    db_bind_int(st, 2, json_is_true(json_object_get(d, "isOffDay")));
    db_bind_text(st, 3, json_string_value(json_object_get(d, "name")));
    if (db_run(st, e)) goto fail;
    count++;
  }
  json_decref(root);
  if (year_out) *year_out = year;
  if (days_out) *days_out = count;
  return 0;
fail:
  json_decref(root);
  return -1;
}

int app_calendar_seed(struct app *app, struct err *e) {
  int64_t n = 0;
  struct db_stmt *st = db_prepare(app->db, "SELECT COUNT(*) FROM calendar_year", e);
  int rc;
  if (!st) return -1;
  rc = db_step_int(st, &n, e);
  db_done(st);
  if (rc < 0) return -1;
  if (n > 0) return 0;
  if (app_tx_begin(app, e)) return -1;
  for (size_t i = 0; i < embedded_holidays_count; i++) {
    if (calendar_store_file(app, embedded_holidays[i].data, embedded_holidays[i].size,
                            "bundled", NULL, NULL, e))
      goto fail;
  }
  {
    json_t *after = json_pack("{s:i}", "files", (int)embedded_holidays_count);
    int64_t j = journal_append(app->db, 0, "calendar", 0, "seed", NULL, after, e);
    json_decref(after);
    if (j < 0) goto fail;
  }
  return app_tx_commit(app, e);
fail:
  app_tx_rollback(app);
  return -1;
}

int app_calendar_import(struct app *app, const struct actor *who, const char *json_text,
                        size_t n, const char *source, json_t **out, struct err *e) {
  int year = 0, days = 0;
  json_t *after;
  if (!IS_ADMIN(who)) return err_set(e, ERR_FORBIDDEN, "", "only an admin may change the calendar");
  if (app_tx_begin(app, e)) return -1;
  if (calendar_store_file(app, json_text, n, source ? source : "import", &year, &days, e))
    goto fail;
  after = json_pack("{s:i,s:i,s:s}", "year", year, "days", days, "source", source ? source : "import");
  if (journal_append(app->db, who->user_id, "calendar", year, "import", NULL, after, e) < 0) {
    json_decref(after);
    goto fail;
  }
  if (app_tx_commit(app, e)) {
    json_decref(after);
    return -1;
  }
  if (out) *out = after; else json_decref(after);
  return app_reload(app, e);
fail:
  app_tx_rollback(app);
  return -1;
}

int app_calendar_set_day(struct app *app, const struct actor *who, day_t day, int off,
                         const char *name, struct err *e) {
  char ds[11];
  struct db_stmt *st;
  int y;
  if (!IS_ADMIN(who)) return err_set(e, ERR_FORBIDDEN, "", "only an admin may change the calendar");
  date_to_ymd(day, &y, NULL, NULL);
  if (!calendar_covers(app->cal, y))
    return err_set(e, ERR_INVALID, "date",
                   "the calendar does not cover %d: import that year's schedule first", y);
  if (app_tx_begin(app, e)) return -1;
  st = db_prepare(app->db,
                  "INSERT INTO calendar_day (date, off, name) VALUES (?, ?, ?) "
                  "ON CONFLICT (date) DO UPDATE SET off = excluded.off, name = excluded.name",
                  e);
  if (!st) goto fail;
  db_bind_text(st, 1, date_format(day, ds));
  db_bind_int(st, 2, off ? 1 : 0);
  db_bind_text(st, 3, name ? name : "");
  if (db_run(st, e)) goto fail;
  {
    json_t *after = json_pack("{s:s,s:b,s:s}", "date", ds, "off", off, "name", name ? name : "");
    int64_t j = journal_append(app->db, who->user_id, "calendar", day, "set_day", NULL, after, e);
    json_decref(after);
    if (j < 0) goto fail;
  }
  if (app_tx_commit(app, e)) return -1;
  return app_reload(app, e);
fail:
  app_tx_rollback(app);
  return -1;
}

int app_calendar_get(struct app *app, int year, json_t **out, struct err *e) {
  json_t *days = json_array(), *years = json_array();
  size_t cur = 0;
  day_t d;
  int off, yrs[64];
  const char *name;
  size_t ny = calendar_years(app->cal, yrs, 64);
  for (size_t i = 0; i < ny; i++) json_array_append_new(years, json_integer(yrs[i]));
  while (calendar_next_override(app->cal, &cur, &d, &off, &name)) {
    int y;
    char ds[11];
    date_to_ymd(d, &y, NULL, NULL);
    if (year && y != year) continue;
    json_array_append_new(days, json_pack("{s:s,s:b,s:s}", "date", date_format(d, ds),
                                          "off", off, "name", name ? name : ""));
  }
  *out = json_pack("{s:o,s:o,s:b}", "years", years, "days", days, "covered",
                   year ? calendar_covers(app->cal, year) : 1);
  return *out ? 0 : err_set(e, ERR_INTERNAL, "", "out of memory");
}

/* ---- settings ---- */

int app_settings_get(struct app *app, json_t **out, struct err *e) {
  char ladder[256], weights[128];
  struct settings *s = &app->settings;
  escalation_ladder_format(&s->ladder, ladder, sizeof ladder);
  snprintf(weights, sizeof weights, "%g,%g,%g,%g,%g", s->weights.on_time,
           s->weights.evaluation, s->weights.reports, s->weights.escalations,
           s->weights.accountability);
  *out = json_pack("{s:i,s:i,s:s,s:s,s:i,s:s,s:i,s:i}",
                   "lights.yellow_workdays", s->lights.yellow_workdays,
                   "lights.lag_points", s->lights.lag_points,
                   "escalation.ladder", ladder, "scores.weights", weights,
                   "scores.min_tasks", s->weights.min_tasks,
                   "work.hours", "", "tz.offset_minutes", s->utc_offset_minutes,
                   "task.title_max", s->title_max_chars);
  if (!*out) return err_set(e, ERR_INTERNAL, "", "out of memory");
  {
    char hours[16];
    snprintf(hours, sizeof hours, "%d-%d", s->work_start_hour, s->work_end_hour);
    json_object_set_new(*out, "work.hours", json_string(hours));
  }
  return 0;
}

int app_settings_set(struct app *app, const struct actor *who, const char *key,
                     const char *value, struct err *e) {
  struct settings probe = app->settings;
  struct db_stmt *st;
  if (!IS_ADMIN(who)) return err_set(e, ERR_FORBIDDEN, "", "only an admin may change settings");
  if (!key || !value) return err_set(e, ERR_INVALID, "key", "key and value are required");
  if (settings_apply(&probe, key, value, e)) return -1;
  if (app_tx_begin(app, e)) return -1;
  st = db_prepare(app->db,
                  "INSERT INTO setting (key, value) VALUES (?, ?) "
                  "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                  e);
  if (!st) goto fail;
  db_bind_text(st, 1, key);
  db_bind_text(st, 2, value);
  if (db_run(st, e)) goto fail;
  {
    json_t *after = json_pack("{s:s,s:s}", "key", key, "value", value);
    int64_t j = journal_append(app->db, who->user_id, "setting", 0, "set", NULL, after, e);
    json_decref(after);
    if (j < 0) goto fail;
  }
  if (app_tx_commit(app, e)) return -1;
  return app_reload(app, e);
fail:
  app_tx_rollback(app);
  return -1;
}

/* ---- actors ---- */

struct actor actor_system(void) {
  struct actor a;
  memset(&a, 0, sizeof a);
  a.roles = ROLE_ADMIN | ROLE_SUPERVISOR;
  snprintf(a.login, sizeof a.login, "system");
  return a;
}

/* The actor of the row sql yields for id or key. Columns: user id, login,
** unit, roles, active, then (when token is non-NULL) token id and its last
** use, into token[0] and token[1]. */
static int actor_from(struct app *app, const char *sql, int64_t id, const char *login,
                      struct actor *out, int64_t *token, struct err *e) {
  struct db_stmt *st = db_prepare(app->db, sql, e);
  int rc;
  if (!st) return -1;
  if (login) db_bind_text(st, 1, login); else db_bind_int(st, 1, id);
  rc = db_step(st, e);
  if (rc == DB_ROW) {
    struct err ignore;
    memset(out, 0, sizeof *out);
    out->user_id = db_col_int(st, 0);
    snprintf(out->login, sizeof out->login, "%s", db_col_text(st, 1));
    out->unit_id = db_col_int(st, 2);
    role_set_parse(db_col_text(st, 3), &out->roles, &ignore, "roles");
    if (!db_col_int(st, 4)) rc = DB_DONE;  /* inactive users do not act */
    if (token) {
      token[0] = db_col_int(st, 5);
      token[1] = db_col_int(st, 6);
    }
  }
  db_done(st);
  if (rc < 0) return -1;
  if (rc != DB_ROW) return err_set(e, ERR_NOT_FOUND, "user", "no such active user");
  return 0;
}

int app_actor_by_id(struct app *app, int64_t id, struct actor *out, struct err *e) {
  return actor_from(app,
                    "SELECT id, login, COALESCE(unit_id, 0), roles, active FROM app_user WHERE id = ?",
                    id, NULL, out, NULL, e);
}

int app_actor_by_login(struct app *app, const char *login, struct actor *out, struct err *e) {
  return actor_from(app,
                    "SELECT id, login, COALESCE(unit_id, 0), roles, active FROM app_user WHERE login = ?",
                    0, login, out, NULL, e);
}

/* The answers app_actor_by_token found in one read snapshot
** (db_snapshot_id): the same query in the same snapshot has the same
** answer, and an integration sends the same token with every request. Kept
** by the token as sent, so a repeat costs neither the digest nor the query;
** compared in constant time, and wiped when the snapshot changes. */
#define TOKEN_MEMO 8
#define TOKEN_MEMO_LEN 128   /* longer tokens are not remembered */
struct token_memo {
  uint64_t snapshot;
  int n, next;
  struct {
    size_t len;
    char token[TOKEN_MEMO_LEN];
    struct actor actor;
    int64_t ids[2];   /* token id, last use */
  } slot[TOKEN_MEMO];
};

static void token_memo_free(struct token_memo *m) {
  if (!m) return;
  sodium_memzero(m, sizeof *m);
  free(m);
}

int app_actor_by_token(struct app *app, const char *token, struct actor *out, int64_t *token_id,
                       int64_t *last_used_at, struct err *e) {
  int64_t ids[2] = {0, 0};
  uint64_t snap = db_snapshot_id(app->db);
  struct token_memo *m = app->tokens;
  size_t len = strlen(token);
  char digest[65];
  int rc, i;
  if (snap && m && m->snapshot == snap) {
    for (i = 0; i < m->n; i++)
      if (m->slot[i].len == len && sodium_memcmp(m->slot[i].token, token, len) == 0) {
        *out = m->slot[i].actor;
        *token_id = m->slot[i].ids[0];
        *last_used_at = m->slot[i].ids[1];
        return 0;
      }
  }
  token_digest(token, digest);
  rc = actor_from(app,
                  "SELECT u.id, u.login, COALESCE(u.unit_id, 0), u.roles, u.active, t.id,"
                  " COALESCE(t.last_used_at, 0) FROM api_token t JOIN app_user u ON u.id = t.user_id"
                  " WHERE t.digest = ? AND t.revoked_at IS NULL",
                  0, digest, out, ids, e);
  *token_id = ids[0];
  *last_used_at = ids[1];
  if (rc || !snap || len > TOKEN_MEMO_LEN) return rc;
  if (!m && !(m = app->tokens = calloc(1, sizeof *m))) return rc;
  if (m->snapshot != snap) {
    sodium_memzero(m->slot, sizeof m->slot);
    m->snapshot = snap;
    m->n = m->next = 0;
  }
  i = m->n < TOKEN_MEMO ? m->n++ : m->next++ % TOKEN_MEMO;   /* full: oldest first */
  m->slot[i].len = len;
  memcpy(m->slot[i].token, token, len);
  m->slot[i].actor = *out;
  m->slot[i].ids[0] = ids[0];
  m->slot[i].ids[1] = ids[1];
  return rc;
}

/* ---- rendering helpers ---- */

void jset_str(json_t *o, const char *k, struct db_stmt *st, int col) {
  json_object_set_new(o, k, json_string(db_col_text(st, col)));
}
void jset_int(json_t *o, const char *k, struct db_stmt *st, int col) {
  json_object_set_new(o, k, db_col_is_null(st, col) ? json_null() : json_integer(db_col_int(st, col)));
}
void jset_time(json_t *o, const char *k, struct db_stmt *st, int col) {
  char t[32];
  json_object_set_new(o, k, db_col_is_null(st, col) ? json_null()
                                                    : json_string(time_format(db_col_int(st, col), t)));
}
void jset_json(json_t *o, const char *k, struct db_stmt *st, int col) {
  json_t *v = json_loads(db_col_text(st, col), JSON_DECODE_ANY, NULL);
  json_object_set_new(o, k, v ? v : json_null());
}

json_t *render_row(struct db_stmt *st, const struct col_spec *cols) {
  /* One set of column rules (render_members); a tree is its text parsed. */
  struct buf text;
  struct jw w;
  json_t *o;
  buf_init(&text, 0);
  jw_init(&w, &text);
  jw_obj(&w);
  render_members(&w, st, cols, NULL);
  jw_end(&w);
  o = text.failed ? NULL : json_loadb(text.data, text.len, 0, NULL);
  buf_release(&text);
  return o;
}

void render_members(struct jw *w, struct db_stmt *st, const struct col_spec *cols,
                    const char *skip) {
  char t[32];
  for (int i = 0; cols[i].key; i++) {
    const char *s;
    size_t n;
    if (skip && !strcmp(cols[i].key, skip)) continue;
    jw_keyn(w, cols[i].key, cols[i].key_len);
    switch (cols[i].kind) {
      case C_STR:
        s = db_col_textn(st, i, &n);
        jw_strn(w, s ? s : "", n);
        break;
      case C_STR_OR_NULL:
        s = db_col_textn(st, i, &n);
        if (n) jw_strn(w, s, n);
        else jw_null(w);
        break;
      case C_INT:
        if (db_col_is_null(st, i)) jw_null(w);
        else jw_int(w, db_col_int(st, i));
        break;
      case C_TIME:
        if (db_col_is_null(st, i)) jw_null(w);
        else jw_str(w, time_format(db_col_int(st, i), t));
        break;
      case C_BOOL:
        if (db_col_is_null(st, i)) jw_null(w);
        else jw_bool(w, db_col_int(st, i) != 0);
        break;
      case C_JSON: {
        /* Stored JSON is re-encoded, so a damaged value becomes null
        ** instead of breaking the document. */
        json_t *v = db_col_is_null(st, i) ? NULL : json_loads(db_col_text(st, i), JSON_DECODE_ANY, NULL);
        char *txt = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
        if (txt) jw_raw(w, txt, strlen(txt));
        else jw_null(w);
        free(txt);
        json_decref(v);
        break;
      }
    }
  }
}

int app_json_from_text(const struct buf *text, json_t **out, struct err *e) {
  json_error_t je;
  if (text->failed) return err_set(e, ERR_INTERNAL, "", "out of memory");
  *out = json_loadb(text->data, text->len, 0, &je);
  if (!*out) return err_set(e, ERR_INTERNAL, "", "rendering failed: %s", je.text);
  return 0;
}

int app_counter_next(struct app *app, const char *name, int64_t *out, struct err *e) {
  struct db_stmt *st = db_prepare(app->db,
                                  "INSERT INTO counter (name, value) VALUES (?, 1) "
                                  "ON CONFLICT (name) DO UPDATE SET value = counter.value + 1 "
                                  "RETURNING value",
                                  e);
  int rc;
  if (!st) return -1;
  db_bind_text(st, 1, name);
  rc = db_step_int(st, out, e);
  db_done(st);
  return rc == DB_ROW ? 0 : (rc < 0 ? -1 : err_set(e, ERR_INTERNAL, "", "counter failed"));
}

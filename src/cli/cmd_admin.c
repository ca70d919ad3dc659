/*
** cmd_admin.c — database-level commands: init, migrate, demo, tick, score,
** stats, audit, calendar, settings, backup.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "http/http.h"
#include "store/schema.h"
#include "util/buf.h"

#define BEGIN_CMD(verb, first, opts, maxpos)                                         \
  struct cli_common c;                                                               \
  json_t *in = NULL;                                                                 \
  const char *pos[maxpos + 1];                                                       \
  int npos = 0, rc;                                                                  \
  struct err e;                                                                      \
  err_clear(&e);                                                                     \
  if ((rc = cli_parse(verb, argc, argv, first, opts, &c, &in, pos, maxpos, &npos))) { \
    json_decref(in);                                                                 \
    return rc;                                                                       \
  }

int cmd_init(int argc, char **argv) {
  static const struct cli_opt opts[] = {{NULL, NULL, 0, NULL}};
  struct app app;
  struct stat sb;
  BEGIN_CMD("init", 1, opts, 0);
  json_decref(in);
  if (c.help) {
    cli_help("duban init [--db PATH|URL]",
             "Creates a new duban database: the schema, and the bundled working-day\n"
             "calendar (State Council holiday schedules 2019-2026). Refuses an existing\n"
             "non-empty database.",
             opts);
    return 0;
  }
  if (strncmp(c.db, "postgres", 8) != 0 && stat(c.db, &sb) == 0 && sb.st_size > 0) {
    err_set(&e, ERR_INVALID, "db", "%s already exists; duban init creates a new database", c.db);
    return cli_fail("init", &e);
  }
  if (strncmp(c.db, "postgres", 8) == 0) {
    /* A server database exists before us: refuse one that has tables. */
    struct db *db = db_open(c.db, &e);
    int version = 0, state;
    if (!db) return cli_fail("init", &e);
    state = schema_inspect(db, &version, &e);
    db_close(db);
    if (state < 0) return cli_fail("init", &e);
    if (state != SCHEMA_EMPTY) {
      err_set(&e, ERR_INVALID, "db", "the database already holds a duban ledger (schema %d)", version);
      return cli_fail("init", &e);
    }
  }
  if (app_open(&app, c.db, APP_OPEN_CREATE, NULL, &e)) return cli_fail("init", &e);
  {
    int years[64];
    size_t n = calendar_years(app.cal, years, 64);
    printf("created %s (schema version %d, calendar %d-%d)\n", c.db, SCHEMA_VERSION,
           n ? years[0] : 0, n ? years[n - 1] : 0);
  }
  app_close(&app);
  return 0;
}

int cmd_migrate(int argc, char **argv) {
  static const struct cli_opt opts[] = {
    {"to", NULL, O_INT, "stop at this schema version (default: the newest)"},
    {NULL, NULL, 0, NULL}};
  struct db *db;
  int version = 0, applied = 0, target = SCHEMA_VERSION;
  BEGIN_CMD("migrate", 1, opts, 0);
  if (json_object_get(in, "to")) target = (int)json_integer_value(json_object_get(in, "to"));
  json_decref(in);
  if (c.help) {
    cli_help("duban migrate [--db PATH|URL] [--to N]",
             "Applies the schema migrations this binary knows and the database lacks.\n"
             "Every other command also migrates on open; this one only migrates.\n"
             "--to stops at an earlier version (used to test upgrades).",
             opts);
    return 0;
  }
  if (target < 1 || target > SCHEMA_VERSION) return cli_usage("migrate", "--to must be 1..%d", SCHEMA_VERSION);
  db = db_open(c.db, &e);
  if (!db) return cli_fail("migrate", &e);
  if (schema_inspect(db, &version, &e) < 0 || schema_migrate(db, target, &applied, &e)) {
    db_close(db);
    return cli_fail("migrate", &e);
  }
  printf("schema version %d -> %d (%d migration%s applied)\n", version, version > target ? version : target, applied,
         applied == 1 ? "" : "s");
  db_close(db);
  return 0;
}

static void print_ledger(struct app *app) {
  struct actor sys = actor_system();
  json_t *q = json_pack("{s:i}", "limit", 200), *out = NULL;
  struct err e;
  err_clear(&e);
  if (app_task_list(app, &sys, q, &out, &e) == 0) {
    cli_print_table(json_object_get(out, "items"),
                    "code:督办号,title:工作任务,lead_unit_name:牵头单位,deadline:现完成时限,"
                    "status_label:状态,progress:进度,light:预警");
  }
  json_decref(q);
  json_decref(out);
}

int cmd_demo(int argc, char **argv) {
  static const struct cli_opt opts[] = {
    {"listen", NULL, O_STR, "address to serve on (default 127.0.0.1:8080)"},
    {"no-serve", NULL, O_BOOL, "create and print the demo, do not serve it"},
    {"web", NULL, O_STR, "folder of the built web UI (default: web/dist)"},
    {NULL, NULL, 0, NULL}};
  struct app app;
  struct stat sb;
  json_t *logins = NULL;
  int fresh = 0;
  BEGIN_CMD("demo", 1, opts, 0);
  if (c.help) {
    json_decref(in);
    cli_help("duban demo [--db PATH] [--listen ADDR] [--no-serve]",
             "Creates a demo database if it does not exist yet (a sample university's\n"
             "units and users, and a meeting with tasks in every state), prints the\n"
             "ledger with its lights and the demo logins, then serves it over HTTP.",
             opts);
    return 0;
  }
  if (strncmp(c.db, "postgres", 8) == 0 || stat(c.db, &sb) != 0 || sb.st_size == 0) fresh = 1;
  if (app_open(&app, c.db, fresh ? APP_OPEN_CREATE : APP_OPEN_EXISTING, NULL, &e)) {
    json_decref(in);
    return cli_fail("demo", &e);
  }
  if (fresh) {
    int64_t n = 0;
    struct db_stmt *st = db_prepare(app.db, "SELECT COUNT(*) FROM unit", &e);
    if (st) {
      db_step_int(st, &n, &e);
      db_done(st);
    }
    if (n == 0 && app_demo_populate(&app, &logins, &e)) {
      app_close(&app);
      json_decref(in);
      return cli_fail("demo", &e);
    }
  }
  printf("duban demo database: %s\n\n", c.db);
  print_ledger(&app);
  app_close(&app);
  printf("\ndemo logins (password for all: duban-demo):\n");
  printf("  admin (系统管理员)  duchashi (督查室, supervisor)  leader (校领导)\n"
         "  yanjiusheng (研究生院)  jiaowu (教务处)  keyan (科研处)  renshi (人事处)\n"
         "  shenji (审计处)  wangxin (网信中心)  fajichu (发计处)  teacher (member)\n");
  json_decref(logins);
  if (json_is_true(json_object_get(in, "no-serve"))) {
    json_decref(in);
    return 0;
  }
  {
    struct http_config cfg;
    http_config_init(&cfg);
    if (http_config_from_env(&cfg, &e)) {
      json_decref(in);
      return cli_fail("demo", &e);
    }
    snprintf(cfg.db, sizeof cfg.db, "%s", c.db);
    if (json_is_string(json_object_get(in, "listen")))
      snprintf(cfg.listen, sizeof cfg.listen, "%s", json_string_value(json_object_get(in, "listen")));
    if (json_is_string(json_object_get(in, "web")))
      snprintf(cfg.web_dir, sizeof cfg.web_dir, "%s", json_string_value(json_object_get(in, "web")));
    json_decref(in);
    printf("\nserving on http://%s/  (Ctrl-C to stop)\n", cfg.listen);
    fflush(stdout);
    if (http_serve(&cfg, &e)) return cli_fail("demo", &e);
  }
  return 0;
}

int cmd_tick(int argc, char **argv) {
  static const struct cli_opt opts[] = {
    {"today", NULL, O_STR, "act as of this date (YYYY-MM-DD); default today"},
    {"force", NULL, O_BOOL, "apply escalation steps outside working hours too"},
    {NULL, NULL, 0, NULL}};
  struct app app;
  struct actor who;
  json_t *out = NULL;
  day_t today = DATE_NONE;
  BEGIN_CMD("tick", 1, opts, 0);
  if (c.help) {
    json_decref(in);
    cli_help("duban tick [--today DATE] [--force]",
             "Recomputes every open task's light, flags overdue tasks and applies the\n"
             "escalation steps that are due (each step once per task, unit and deadline:\n"
             "running it twice on a day adds nothing). Automatic steps are applied only\n"
             "on working days, inside working hours (setting work.hours) unless --force\n"
             "or --today is given.",
             opts);
    return 0;
  }
  if (json_object_get(in, "today")) {
    if (date_parse(json_string_value(json_object_get(in, "today")), &today)) {
      json_decref(in);
      err_set(&e, ERR_INVALID, "today", "--today must be a real date YYYY-MM-DD");
      return cli_fail("tick", &e);
    }
  }
  if ((rc = cli_open("tick", &c, APP_OPEN_EXISTING, &app, &who))) {
    json_decref(in);
    return rc;
  }
  if (!(who.roles & (ROLE_ADMIN | ROLE_SUPERVISOR))) {
    err_set(&e, ERR_FORBIDDEN, "as", "only supervisors run the tick");
    rc = cli_fail("tick", &e);
  } else if (app_tick(&app, today, today != DATE_NONE || json_is_true(json_object_get(in, "force")),
                      &out, &e)) {
    rc = cli_fail("tick", &e);
  } else {
    if (c.json) cli_print_json(out);
    else
      printf("tick %s: %lld tasks, %lld lights changed, %lld urgings, %lld flags%s\n",
             json_string_value(json_object_get(out, "date")),
             (long long)json_integer_value(json_object_get(out, "tasks")),
             (long long)json_integer_value(json_object_get(out, "lights_changed")),
             (long long)json_integer_value(json_object_get(out, "urgings")),
             (long long)json_integer_value(json_object_get(out, "flags")),
             json_is_true(json_object_get(out, "escalated")) ? "" : " (no escalation: outside working time)");
    if (json_object_get(out, "warning"))
      fprintf(stderr, "duban tick: warning: %s\n", json_string_value(json_object_get(out, "warning")));
  }
  json_decref(out);
  json_decref(in);
  app_close(&app);
  return rc;
}

int cmd_score(int argc, char **argv) {
  static const struct cli_opt opts[] = {
    {"from", NULL, O_STR, "first day of the period (YYYY-MM-DD)"},
    {"to", NULL, O_STR, "last day of the period (YYYY-MM-DD)"},
    {NULL, NULL, 0, NULL}};
  struct app app;
  struct actor who;
  json_t *out = NULL;
  day_t from, to;
  BEGIN_CMD("score", 1, opts, 0);
  if (c.help) {
    json_decref(in);
    cli_help("duban score --from DATE --to DATE",
             "Unit scores for the tasks due in the period, with the formula, weights,\n"
             "sample sizes and ranks (units under scores.min_tasks tasks are not ranked).",
             opts);
    return 0;
  }
  if (!json_object_get(in, "from") || !json_object_get(in, "to")) {
    json_decref(in);
    return cli_usage("score", "--from and --to are required");
  }
  if (date_parse(json_string_value(json_object_get(in, "from")), &from) ||
      date_parse(json_string_value(json_object_get(in, "to")), &to)) {
    json_decref(in);
    err_set(&e, ERR_INVALID, "from", "--from and --to must be real dates YYYY-MM-DD");
    return cli_fail("score", &e);
  }
  json_decref(in);
  if ((rc = cli_open("score", &c, APP_OPEN_EXISTING, &app, &who))) return rc;
  if (app_scores(&app, &who, from, to, &out, &e)) {
    rc = cli_fail("score", &e);
  } else if (c.json) {
    cli_print_json(out);
  } else {
    printf("%s\n\n", json_string_value(json_object_get(out, "formula")));
    cli_print_table(json_object_get(out, "units"),
                    "rank:名次,unit_name:单位,score:得分,tasks:样本,done_on_time:按时办结,"
                    "escalations:督办,accountabilities:问责");
  }
  json_decref(out);
  app_close(&app);
  return rc;
}

int cmd_stats(int argc, char **argv) {
  static const struct cli_opt opts[] = {{NULL, NULL, 0, NULL}};
  struct app app;
  struct actor who;
  json_t *out = NULL;
  BEGIN_CMD("stats", 1, opts, 0);
  json_decref(in);
  if (c.help) {
    cli_help("duban stats", "Task counts by lead unit, status and light.", opts);
    return 0;
  }
  if ((rc = cli_open("stats", &c, APP_OPEN_EXISTING, &app, &who))) return rc;
  if (app_stats(&app, &who, &out, &e)) rc = cli_fail("stats", &e);
  else if (c.json) cli_print_json(out);
  else cli_print_table(json_object_get(out, "cells"), "unit_name:单位,status:状态,light:预警,n:数量");
  json_decref(out);
  app_close(&app);
  return rc;
}

int cmd_audit(int argc, char **argv) {
  static const struct cli_opt opts[] = {{NULL, NULL, 0, NULL}};
  struct app app;
  struct actor who;
  json_t *out = NULL;
  BEGIN_CMD("audit", 1, opts, 1);
  json_decref(in);
  if (c.help || npos != 1 || strcmp(pos[0], "verify") != 0) {
    if (!c.help) return cli_usage("audit", "the only subcommand is: duban audit verify");
    cli_help("duban audit verify",
             "Recomputes the journal's BLAKE2b hash chain from the first entry and\n"
             "reports either that the history is unedited or the first broken entry.\n"
             "Exit code 1 when the chain is broken.",
             opts);
    return 0;
  }
  if ((rc = cli_open("audit", &c, APP_OPEN_EXISTING, &app, &who))) return rc;
  if (app_audit_verify(&app, &out, &e)) {
    rc = cli_fail("audit", &e);
  } else {
    if (c.json) cli_print_json(out);
    else if (json_is_true(json_object_get(out, "ok")))
      printf("journal ok: %lld entries, hash chain intact\n",
             (long long)json_integer_value(json_object_get(out, "entries")));
    else
      printf("journal BROKEN at entry %lld: %s\n",
             (long long)json_integer_value(json_object_get(out, "first_broken")),
             json_string_value(json_object_get(out, "reason")));
    rc = json_is_true(json_object_get(out, "ok")) ? 0 : 1;
  }
  json_decref(out);
  app_close(&app);
  return rc;
}

int cmd_views(int argc, char **argv) {
  static const struct cli_opt opts[] = {{NULL, NULL, 0, NULL}};
  struct app app;
  struct actor who;
  int64_t n = 0, stale = 0, first = 0;
  BEGIN_CMD("views", 1, opts, 1);
  json_decref(in);
  if (c.help || npos != 1 || (strcmp(pos[0], "build") && strcmp(pos[0], "check"))) {
    if (!c.help && npos == 1)
      return cli_usage("views", "unknown subcommand \"%.40s\": use build or check", pos[0]);
    if (!c.help) return cli_usage("views", "a subcommand is required: build or check");
    cli_help("duban views build | check",
             "Stored task views (SQLite): every task's view is kept rendered, so that\n"
             "reading a task is one row. Writes keep them current by themselves; build\n"
             "renders every task that has none (after an upgrade to schema 9, a bulk\n"
             "load: until then those tasks are rendered on each read, which is slower,\n"
             "not different). check compares every stored view with a rendering made\n"
             "now and exits 1 if any differs. A no-op on PostgreSQL.",
             opts);
    return 0;
  }
  if ((rc = cli_open("views", &c, APP_OPEN_EXISTING, &app, &who))) return rc;
  if (!(who.roles & ROLE_ADMIN)) {
    err_set(&e, ERR_FORBIDDEN, "as", "only administrators maintain the stored views");
    rc = cli_fail("views", &e);
  } else if (!strcmp(pos[0], "build")) {
    if (app_task_docs_build(&app, &n, &e)) {
      rc = cli_fail("views", &e);
    } else {
      if (c.json) printf("{\"built\":%lld}\n", (long long)n);
      else printf("built %lld task views\n", (long long)n);
    }
  } else if (app_task_docs_check(&app, &n, &stale, &first, &e)) {
    rc = cli_fail("views", &e);
  } else {
    if (c.json)
      printf("{\"checked\":%lld,\"stale\":%lld,\"first_stale\":%lld}\n", (long long)n,
             (long long)stale, (long long)first);
    else if (stale)
      printf("%lld of %lld task views STALE (first: task %lld)\n", (long long)stale, (long long)n,
             (long long)first);
    else
      printf("%lld task views checked, all current\n", (long long)n);
    rc = stale ? 1 : 0;
  }
  app_close(&app);
  return rc;
}

int cmd_calendar(int argc, char **argv) {
  static const struct cli_opt opts[] = {
    {"year", NULL, O_INT, "show: the year to list"},
    {"name", NULL, O_STR, "set: the day's name (e.g. 校庆)"},
    {NULL, NULL, 0, NULL}};
  struct app app;
  struct actor who;
  json_t *out = NULL;
  BEGIN_CMD("calendar", 1, opts, 3);
  if (c.help || npos == 0) {
    json_decref(in);
    if (!c.help) return cli_usage("calendar", "a subcommand is required: workdays, add, import, show, set");
    cli_help("duban calendar workdays A B | add DATE N | import FILE | show [--year Y] | set DATE on|off [--name N]",
             "The working-day calendar: weekends off, statutory holidays off, make-up\n"
             "working days on. workdays counts the working days in (A, B]; add gives\n"
             "DATE + N working days (N may be negative); import loads a holiday file in\n"
             "the holidays-cn JSON format (an amendment replaces the dates it lists);\n"
             "set marks one day (admin). A date in a year the calendar does not cover\n"
             "is an error, never a guess.",
             opts);
    return 0;
  }
  if ((rc = cli_open("calendar", &c, APP_OPEN_EXISTING, &app, &who))) {
    json_decref(in);
    return rc;
  }
  if (!strcmp(pos[0], "workdays") || !strcmp(pos[0], "add")) {
    day_t a, b;
    int n = 0;
    if (npos != 3) {
      rc = cli_usage("calendar", "%s takes two arguments", pos[0]);
      goto done;
    }
    if (date_parse(pos[1], &a)) {
      err_set(&e, ERR_INVALID, "date", "%s is not a real date YYYY-MM-DD", pos[1]);
      rc = cli_fail("calendar", &e);
      goto done;
    }
    if (!strcmp(pos[0], "workdays")) {
      if (date_parse(pos[2], &b)) {
        err_set(&e, ERR_INVALID, "date", "%s is not a real date YYYY-MM-DD", pos[2]);
        rc = cli_fail("calendar", &e);
        goto done;
      }
      if (calendar_workdays_between(app.cal, a, b, &n, &e)) rc = cli_fail("calendar", &e);
      else printf("%d\n", n);
    } else {
      char *end, ds[11];
      long k = strtol(pos[2], &end, 10);
      day_t out_day;
      if (!*pos[2] || *end || k < -10000 || k > 10000) {
        rc = cli_usage("calendar", "N must be an integer");
        goto done;
      }
      if (calendar_add_workdays(app.cal, a, (int)k, &out_day, &e)) rc = cli_fail("calendar", &e);
      else printf("%s\n", date_format(out_day, ds));
    }
  } else if (!strcmp(pos[0], "import")) {
    struct buf b;
    const char *why = NULL;
    if (npos != 2) {
      rc = cli_usage("calendar", "import takes a file");
      goto done;
    }
    buf_init(&b, 4u << 20);
    if (buf_read_file(&b, pos[1], &why)) {
      err_set(&e, ERR_INVALID, "file", "%s: %s", pos[1], why);
      rc = cli_fail("calendar", &e);
    } else if (app_calendar_import(&app, &who, b.data, b.len, pos[1], &out, &e)) {
      rc = cli_fail("calendar", &e);
    } else {
      printf("imported %lld: %lld days\n", (long long)json_integer_value(json_object_get(out, "year")),
             (long long)json_integer_value(json_object_get(out, "days")));
    }
    buf_release(&b);
  } else if (!strcmp(pos[0], "show")) {
    int year = (int)json_integer_value(json_object_get(in, "year"));
    if (app_calendar_get(&app, year, &out, &e)) rc = cli_fail("calendar", &e);
    else if (c.json) cli_print_json(out);
    else {
      char *ys = json_dumps(json_object_get(out, "years"), JSON_COMPACT);
      printf("covered years: %s\n", ys ? ys : "");
      free(ys);
      cli_print_table(json_object_get(out, "days"), "date:日期,off:休息,name:名称");
    }
  } else if (!strcmp(pos[0], "set")) {
    day_t d;
    if (npos != 3 || (strcmp(pos[2], "on") && strcmp(pos[2], "off"))) {
      rc = cli_usage("calendar", "set takes DATE on|off");
      goto done;
    }
    if (date_parse(pos[1], &d)) {
      err_set(&e, ERR_INVALID, "date", "%s is not a real date YYYY-MM-DD", pos[1]);
      rc = cli_fail("calendar", &e);
    } else if (app_calendar_set_day(&app, &who, d, !strcmp(pos[2], "off"),
                                    json_string_value(json_object_get(in, "name")), &e)) {
      rc = cli_fail("calendar", &e);
    } else {
      printf("%s is now a %s\n", pos[1], strcmp(pos[2], "off") ? "working day" : "day off");
    }
  } else {
    rc = cli_usage("calendar", "unknown subcommand \"%s\"", pos[0]);
  }
done:
  json_decref(out);
  json_decref(in);
  app_close(&app);
  return rc;
}

int cmd_settings(int argc, char **argv) {
  static const struct cli_opt opts[] = {{NULL, NULL, 0, NULL}};
  struct app app;
  struct actor who;
  json_t *out = NULL;
  BEGIN_CMD("settings", 1, opts, 3);
  json_decref(in);
  if (c.help) {
    cli_help("duban settings [show | set KEY VALUE]",
             "Shows the settings, or changes one (admin). Keys: lights.yellow_workdays,\n"
             "lights.lag_points, escalation.ladder, scores.weights, scores.min_tasks,\n"
             "work.hours, tz.offset_minutes, task.title_max.",
             opts);
    return 0;
  }
  if ((rc = cli_open("settings", &c, APP_OPEN_EXISTING, &app, &who))) return rc;
  if (npos == 0 || !strcmp(pos[0], "show")) {
    if (app_settings_get(&app, &out, &e)) rc = cli_fail("settings", &e);
    else if (c.json) cli_print_json(out);
    else cli_print_object(out);
  } else if (!strcmp(pos[0], "set") && npos == 3) {
    if (app_settings_set(&app, &who, pos[1], pos[2], &e)) rc = cli_fail("settings", &e);
    else printf("%s = %s\n", pos[1], pos[2]);
  } else {
    rc = cli_usage("settings", "use: duban settings show | duban settings set KEY VALUE");
  }
  json_decref(out);
  app_close(&app);
  return rc;
}

int cmd_backup(int argc, char **argv) {
  static const struct cli_opt opts[] = {{NULL, NULL, 0, NULL}};
  struct app app;
  struct actor who;
  struct stat sb;
  BEGIN_CMD("backup", 1, opts, 1);
  json_decref(in);
  if (c.help || npos != 1) {
    if (!c.help) return cli_usage("backup", "give the file to write");
    cli_help("duban backup FILE",
             "Copies the SQLite database to FILE with SQLite's online backup API, while\n"
             "the server may keep running. FILE must not exist. For PostgreSQL use pg_dump.",
             opts);
    return 0;
  }
  if (stat(pos[0], &sb) == 0) {
    err_set(&e, ERR_INVALID, "file", "%s already exists", pos[0]);
    return cli_fail("backup", &e);
  }
  if ((rc = cli_open("backup", &c, APP_OPEN_EXISTING, &app, &who))) return rc;
  if (db_backup(app.db, pos[0], &e)) rc = cli_fail("backup", &e);
  else printf("backed up %s to %s\n", c.db, pos[0]);
  app_close(&app);
  return rc;
}

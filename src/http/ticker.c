/*
** ticker.c — the server runs the supervision tick by itself: every
** tick_interval seconds it looks whether a tick is due (a new day, or
** working hours on a day not yet escalated) and then recomputes lights and
** applies the escalation steps that are due (app_tick), so that urging is
** automatic and the stored lights that lists show stay current. app_tick applies automatic steps only
** on working days within working hours, and each step once per (task, unit,
** level, deadline), so several servers on one database may all tick.
*/
#include <stdio.h>
#include <time.h>

#include "http/http_int.h"

static struct periodic g_ticker;
static const struct http_config *g_cfg;

/* What the last tick covered: lights are a function of the date, and
** escalation steps go out in working hours, so one pass per day for lights
** and one in working hours for escalation is enough (every change of a task
** refreshes its own light at once). */
static day_t g_lights_day = DATE_NONE, g_escalated_day = DATE_NONE;

static int due_now(void) {
  day_t today = date_today();
  int hour = time_local_hour(now_unix());
  if (g_lights_day != today) return 1;
  return g_escalated_day != today && hour >= 9 && hour < 18;
}

static void tick_once(void) {
  struct app app;
  struct err e;
  json_t *out = NULL;
  err_clear(&e);
  if (app_open(&app, g_cfg->db, APP_OPEN_EXISTING, NULL, &e)) {
    fprintf(stderr, "tick: error: %s\n", e.message);
    return;
  }
  app.defer_docs = writer_renders_views();
  if (app_tick(&app, DATE_NONE, 0, &out, &e))
    fprintf(stderr, "tick: error: %s\n", e.message);
  else {
    g_lights_day = date_today();
    if (json_is_true(json_object_get(out, "escalated"))) g_escalated_day = g_lights_day;
    fprintf(stderr, "tick date=%s tasks=%lld lights_changed=%lld urgings=%lld flags=%lld\n",
            json_string_value(json_object_get(out, "date")),
            (long long)json_integer_value(json_object_get(out, "tasks")),
            (long long)json_integer_value(json_object_get(out, "lights_changed")),
            (long long)json_integer_value(json_object_get(out, "urgings")),
            (long long)json_integer_value(json_object_get(out, "flags")));
  }
  json_decref(out);
  app_close(&app);
}

/* The first look comes one interval after start, not at start: a restart
** under load does not begin with a pass over the whole ledger. */
static void look(void *arg) {
  (void)arg;
  if (due_now()) tick_once();
}

int ticker_start(const struct http_config *cfg) {
  g_cfg = cfg;
  if (cfg->tick_interval <= 0) return 0;
  return periodic_start(&g_ticker, "duban-ticker", (long)cfg->tick_interval * 1000, look, NULL);
}

void ticker_stop(void) { periodic_stop(&g_ticker); }

/*
** api_admin.c — journal, calendar, settings, supervision, and the service
** routes (/healthz, /metrics, /api/v1/_routes).
**
** Calendar and settings changes are made through this thread's connection;
** http_reload_all then makes every worker reload both before its next
** request, so the change is seen everywhere at once.
*/
#include <stdio.h>
#include <string.h>

#include "http/http_int.h"
#include "store/auth_store.h"
#include "util/date.h"

int h_journal(struct req *r, json_t **out, struct err *e) {
  static const char *const kAllowed[] = {"entity", "id", NULL};
  const char *entity;
  int64_t id = 0;
  json_t *v = NULL;
  int has;
  if (req_query_only(r, kAllowed, e)) return -1;
  entity = req_query(r, "entity");
  if (!entity || !*entity) return err_set(e, ERR_INVALID, "entity", "entity is required");
  if ((has = req_query_int(r, "id", &id, e)) < 0) return -1;
  if (!has) return err_set(e, ERR_INVALID, "id", "id is required");
  if (app_journal_list(r->app, &r->actor, entity, id, &v, e)) return -1;
  *out = http_list(v);
  return 0;
}

int h_calendar_get(struct req *r, json_t **out, struct err *e) {
  static const char *const kAllowed[] = {"year", NULL};
  int64_t year = 0;
  int has;
  if (req_query_only(r, kAllowed, e)) return -1;
  if ((has = req_query_int(r, "year", &year, e)) < 0) return -1;
  if (!has) {
    int y, m, d;
    date_to_ymd(date_today(), &y, &m, &d);
    year = y;
  }
  if (year < 1900 || year > 2999) return err_set(e, ERR_INVALID, "year", "year out of range");
  return app_calendar_get(r->app, (int)year, out, e);
}

int h_calendar_import(struct req *r, json_t **out, struct err *e) {
  const char *text;
  size_t n;
  if (req_raw_json(r, &text, &n, e)) return -1;
  if (app_calendar_import(r->app, &r->actor, text, n, "api", out, e)) return -1;
  http_reload_all();
  return 0;
}

int h_calendar_day(struct req *r, json_t **out, struct err *e) {
  static const char *const kAllowed[] = {"off", "name", NULL};
  json_t *in = NULL, *off;
  const char *name = NULL;
  day_t day;
  int rc = -1;
  if (date_parse(r->param[0], &day))
    return err_set(e, ERR_INVALID, "date", "the date must be YYYY-MM-DD");
  if (req_json(r, 0, &in, e) || req_members(in, kAllowed, e) ||
      req_string(in, "name", 0, &name, e))
    goto done;
  off = json_object_get(in, "off");
  if (!json_is_boolean(off)) {
    err_set(e, ERR_INVALID, "off", "off is required: true (day off) or false (working day)");
    goto done;
  }
  if (app_calendar_set_day(r->app, &r->actor, day, json_is_true(off), name, e)) goto done;
  http_reload_all();
  *out = json_pack("{ss sb ss}", "date", r->param[0], "off", json_is_true(off), "name",
                   name ? name : "");
  rc = 0;
done:
  json_decref(in);
  return rc;
}

int h_settings_get(struct req *r, json_t **out, struct err *e) {
  return app_settings_get(r->app, out, e);
}

int h_settings_put(struct req *r, json_t **out, struct err *e) {
  static const char *const kAllowed[] = {"key", "value", NULL};
  json_t *in = NULL, *v;
  const char *key;
  char num[64];
  const char *value = NULL;
  int rc = -1;
  if (req_json(r, 0, &in, e) || req_members(in, kAllowed, e) ||
      req_string(in, "key", 1, &key, e))
    goto done;
  v = json_object_get(in, "value");
  if (json_is_string(v)) value = json_string_value(v);
  else if (json_is_integer(v)) snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v)), value = num;
  else if (json_is_real(v)) snprintf(num, sizeof num, "%.17g", json_real_value(v)), value = num;
  else if (json_is_boolean(v)) value = json_is_true(v) ? "1" : "0";
  if (!value) {
    err_set(e, ERR_INVALID, "value", "value is required: a string or a number");
    goto done;
  }
  if (app_settings_set(r->app, &r->actor, key, value, e)) goto done;
  http_reload_all();
  rc = app_settings_get(r->app, out, e);
done:
  json_decref(in);
  return rc;
}

int h_scores(struct req *r, json_t **out, struct err *e) {
  static const char *const kAllowed[] = {"from", "to", NULL};
  day_t from, to = date_today();
  int y, m, d;
  if (req_query_only(r, kAllowed, e)) return -1;
  date_to_ymd(to, &y, &m, &d);
  from = date_from_ymd(y, 1, 1);
  if (req_query_date(r, "from", &from, e) < 0 || req_query_date(r, "to", &to, e) < 0)
    return -1;
  if (from > to) return err_set(e, ERR_INVALID, "from", "from is after to");
  return app_scores(r->app, &r->actor, from, to, out, e);
}

int h_stats(struct req *r, json_t **out, struct err *e) {
  struct buf text;
  int rc;
  *out = NULL;
  buf_init(&text, 0);
  rc = app_stats_text(r->app, &r->actor, &text, e);
  if (rc == 0) rc = req_json_text(r, &text, e);
  buf_release(&text);
  return rc;
}

int h_tick(struct req *r, json_t **out, struct err *e) {
  static const char *const kAllowed[] = {"date", "force_hours", NULL};
  json_t *in = NULL, *fh;
  const char *date = NULL;
  day_t today = DATE_NONE;
  int rc = -1;
  if (req_json(r, 1, &in, e) || req_members(in, kAllowed, e) ||
      req_string(in, "date", 0, &date, e))
    goto done;
  if (date && date_parse(date, &today)) {
    err_set(e, ERR_INVALID, "date", "date must be YYYY-MM-DD");
    goto done;
  }
  fh = json_object_get(in, "force_hours");
  if (fh && !json_is_boolean(fh)) {
    err_set(e, ERR_INVALID, "force_hours", "force_hours must be true or false");
    goto done;
  }
  rc = app_tick(r->app, today, json_is_true(fh), out, e);
done:
  json_decref(in);
  return rc;
}

int h_audit_verify(struct req *r, json_t **out, struct err *e) {
  return app_audit_verify(r->app, out, e);
}

int h_healthz(struct req *r, json_t **out, struct err *e) {
  if (auth_ping(r->app->db, e)) {
    if (e->code != ERR_UNAVAILABLE) err_set(e, ERR_UNAVAILABLE, "db", "%s", e->message);
    return -1;
  }
  *out = json_pack("{ss}", "status", "ok");
  return 0;
}

int h_metrics(struct req *r, json_t **out, struct err *e) {
  r->raw = metrics_render();
  r->raw_type = "text/plain; version=0.0.4; charset=utf-8";
  if (!r->raw) return err_set(e, ERR_INTERNAL, NULL, "out of memory");
  *out = NULL;
  return 0;
}

int h_routes(struct req *r, json_t **out, struct err *e) {
  static const char *const kPerm[] = {"public", "user", "supervisor", "admin"};
  json_t *items = json_array();
  for (int i = 0; i < http_n_routes; i++) {
    const struct route *rt = &http_routes[i];
    json_array_append_new(items, json_pack("{ss ss ss ss}", "method", rt->method, "path",
                                           rt->pattern, "permission", kPerm[rt->perm],
                                           "summary", rt->summary));
  }
  *out = json_pack("{so}", "items", items);
  return 0;
}

/*
** api_directory.c — units, users and sources: thin adapters over app_*.
**
**   GET/POST /api/v1/units, GET/PATCH /api/v1/units/{id}
**   GET/POST /api/v1/users, GET/PATCH /api/v1/users/{id},
**   POST /api/v1/users/{id}/password {password}
**   GET/POST /api/v1/sources, GET /api/v1/sources/{id}
** Lists are rendered as {"items": [...]}. Updates take the version from the
** body or from If-Match; a stale one is 409.
*/
#include "http/http_int.h"

/* Wraps an array result as {"items": [...]}; objects pass through. */
json_t *http_list(json_t *v) {
  if (json_is_array(v)) return json_pack("{so}", "items", v);
  return v;
}

static int created(struct req *r, int rc) {
  if (rc == 0) r->status = 201;
  return rc;
}

/* ---- units ---- */

int h_units_list(struct req *r, json_t **out, struct err *e) {
  json_t *v = NULL;
  if (app_unit_list(r->app, &r->actor, &v, e)) return -1;
  *out = http_list(v);
  return 0;
}

int h_units_create(struct req *r, json_t **out, struct err *e) {
  json_t *in;
  int rc;
  if (req_json(r, 0, &in, e)) return -1;
  rc = app_unit_add(r->app, &r->actor, in, out, e);
  json_decref(in);
  return created(r, rc);
}

int h_units_get(struct req *r, json_t **out, struct err *e) {
  int64_t id;
  if (req_id(r, 0, &id, e)) return -1;
  return app_unit_get(r->app, &r->actor, id, out, e);
}

int h_units_update(struct req *r, json_t **out, struct err *e) {
  json_t *in;
  int64_t id;
  int rc = -1;
  if (req_id(r, 0, &id, e) || req_json(r, 0, &in, e)) return -1;
  if (req_version(r, in, e) == 0) rc = app_unit_update(r->app, &r->actor, id, in, out, e);
  json_decref(in);
  return rc;
}

/* ---- users ---- */

int h_users_list(struct req *r, json_t **out, struct err *e) {
  json_t *v = NULL;
  if (app_user_list(r->app, &r->actor, &v, e)) return -1;
  *out = http_list(v);
  return 0;
}

int h_users_create(struct req *r, json_t **out, struct err *e) {
  json_t *in;
  int rc;
  if (req_json(r, 0, &in, e)) return -1;
  auth_hash_enter();
  rc = app_user_add(r->app, &r->actor, in, out, e);
  auth_hash_leave();
  json_decref(in);
  return created(r, rc);
}

int h_users_get(struct req *r, json_t **out, struct err *e) {
  int64_t id;
  if (req_id(r, 0, &id, e)) return -1;
  return app_user_get(r->app, &r->actor, id, out, e);
}

int h_users_update(struct req *r, json_t **out, struct err *e) {
  json_t *in;
  int64_t id;
  int rc = -1, hashing;
  if (req_id(r, 0, &id, e) || req_json(r, 0, &in, e)) return -1;
  hashing = json_object_get(in, "password") != NULL;
  if (req_version(r, in, e) == 0) {
    if (hashing) auth_hash_enter();
    rc = app_user_update(r->app, &r->actor, id, in, out, e);
    if (hashing) auth_hash_leave();
  }
  json_decref(in);
  return rc;
}

int h_users_password(struct req *r, json_t **out, struct err *e) {
  static const char *const kAllowed[] = {"password", NULL};
  json_t *in;
  const char *pw;
  int64_t id;
  int rc = -1;
  if (req_id(r, 0, &id, e) || req_json(r, 0, &in, e)) return -1;
  if (req_members(in, kAllowed, e) == 0 && req_string(in, "password", 1, &pw, e) == 0) {
    auth_hash_enter();
    rc = app_user_passwd(r->app, &r->actor, id, pw, e);
    auth_hash_leave();
  }
  json_decref(in);
  *out = NULL;
  return rc;
}

/* ---- sources ---- */

int h_sources_list(struct req *r, json_t **out, struct err *e) {
  json_t *v = NULL;
  if (app_source_list(r->app, &r->actor, &v, e)) return -1;
  *out = http_list(v);
  return 0;
}

int h_sources_create(struct req *r, json_t **out, struct err *e) {
  json_t *in;
  int rc;
  if (req_json(r, 0, &in, e)) return -1;
  rc = app_source_add(r->app, &r->actor, in, out, e);
  json_decref(in);
  return created(r, rc);
}

int h_sources_get(struct req *r, json_t **out, struct err *e) {
  int64_t id;
  if (req_id(r, 0, &id, e)) return -1;
  return app_source_get(r->app, &r->actor, id, out, e);
}

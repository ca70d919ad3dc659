/*
** api_tasks.c — tasks and their lifecycle.
**
**   GET    /api/v1/tasks            filters → app_task_list
**   POST   /api/v1/tasks            → app_task_create (201)
**   GET    /api/v1/tasks/{id}       [?timeline=1]
**   PATCH  /api/v1/tasks/{id}       action "edit"
**   DELETE /api/v1/tasks/{id}       action "delete"
**   POST   /api/v1/tasks/{id}/{action}   any other action of lifecycle.h
**   GET    /api/v1/tasks/{id}/journal
**   GET    /api/v1/me/tasks         the list with {"mine": true}
** {id} is the numeric id or the code (DB-2021-0042). Versions come from the
** body or If-Match.
*/
#include <string.h>

#include "core/lifecycle.h"
#include "http/http_int.h"

/* Query parameters of the task list, with their JSON types. */
static const struct {
  const char *name;
  int integer;   /* 0 string, 1 integer, 2 boolean (1/0/true/false) */
} kListParams[] = {
  {"unit_id", 1},  {"status", 0}, {"light", 0}, {"due_before", 0}, {"due_after", 0},
  {"source_id", 1}, {"parent_id", 1}, {"q", 0}, {"category", 0}, {"sort", 0},
  {"limit", 1},    {"cursor", 0}, {"total", 2},
};
#define N_LIST_PARAMS (sizeof kListParams / sizeof kListParams[0])

static int list(struct req *r, int mine, json_t **out, struct err *e) {
  static const char *const kAllowed[] = {"unit_id", "status", "light", "due_before",
                                         "due_after", "source_id", "parent_id", "q",
                                         "category", "sort", "limit", "cursor", "total", NULL};
  json_t *q;
  int rc;
  if (req_query_only(r, kAllowed, e)) return -1;
  q = json_object();
  for (size_t i = 0; i < N_LIST_PARAMS; i++) {
    const char *name = kListParams[i].name;
    if (kListParams[i].integer == 2) {
      const char *s = req_query(r, name);
      if (!s) continue;
      if (strcmp(s, "1") && strcmp(s, "0") && strcmp(s, "true") && strcmp(s, "false")) {
        json_decref(q);
        return err_set(e, ERR_INVALID, name, "%s must be 0 or 1", name);
      }
      json_object_set_new(q, name, json_boolean(!strcmp(s, "1") || !strcmp(s, "true")));
    } else if (kListParams[i].integer) {
      int64_t v;
      int has = req_query_int(r, name, &v, e);
      if (has < 0) {
        json_decref(q);
        return -1;
      }
      if (has) json_object_set_new(q, name, json_integer(v));
    } else {
      const char *s = req_query(r, name);
      if (s) json_object_set_new(q, name, json_string(s));
    }
  }
  if (mine) json_object_set_new(q, "mine", json_true());
  {
    struct buf text;
    buf_init(&text, 0);
    rc = app_task_list_text(r->app, &r->actor, q, &text, e);
    if (rc == 0) rc = req_json_text(r, &text, e);
    buf_release(&text);
  }
  json_decref(q);
  *out = NULL;
  return rc;
}

int h_tasks_list(struct req *r, json_t **out, struct err *e) { return list(r, 0, out, e); }
int h_me_tasks(struct req *r, json_t **out, struct err *e) { return list(r, 1, out, e); }

int h_tasks_create(struct req *r, json_t **out, struct err *e) {
  json_t *in;
  int rc;
  if (req_json(r, 0, &in, e)) return -1;
  rc = app_task_create(r->app, &r->actor, in, out, e);
  json_decref(in);
  if (rc == 0) r->status = 201;
  return rc;
}

/* Path parameter 0 as a task id: digits or a code. */
static int task_id(struct req *r, int64_t *id, struct err *e) {
  if (app_task_resolve(r->app, r->param[0], id, e)) {
    if (e->code == ERR_NOT_FOUND || e->code == ERR_INVALID)
      err_set(e, ERR_NOT_FOUND, "id", "no such task");
    return -1;
  }
  return 0;
}

int h_tasks_get(struct req *r, json_t **out, struct err *e) {
  static const char *const kAllowed[] = {"timeline", NULL};
  const char *tl;
  int64_t id;
  int with = 0;
  if (req_query_only(r, kAllowed, e) || task_id(r, &id, e)) return -1;
  if ((tl = req_query(r, "timeline")) != NULL) {
    if (!strcmp(tl, "1") || !strcmp(tl, "true")) with = 1;
    else if (strcmp(tl, "0") && strcmp(tl, "false"))
      return err_set(e, ERR_INVALID, "timeline", "timeline must be 0 or 1");
  }
  {
    struct buf text;
    int rc;
    buf_init(&text, 0);
    /* A view is 1-2 KB: one allocation instead of six doublings from 64. */
    buf_reserve(&text, 2047);
    rc = app_task_view(r->app, &r->actor, id, with, &text, e);
    if (rc == 0) rc = req_json_text(r, &text, e);
    buf_release(&text);
    *out = NULL;
    return rc;
  }
}

static int act(struct req *r, enum task_action a, json_t **out, struct err *e) {
  json_t *in = NULL;
  int64_t id;
  int rc = -1;
  if (task_id(r, &id, e) || req_json(r, 1, &in, e)) goto done;
  if (req_version(r, in, e)) goto done;
  rc = app_task_action(r->app, &r->actor, id, a, in, out, e);
done:
  json_decref(in);
  return rc;
}

int h_tasks_edit(struct req *r, json_t **out, struct err *e) {
  return act(r, ACT_EDIT, out, e);
}

int h_tasks_delete(struct req *r, json_t **out, struct err *e) {
  int rc = act(r, ACT_DELETE, out, e);
  if (rc == 0) {
    json_decref(*out);
    *out = NULL;
  }
  return rc;
}

int h_tasks_action(struct req *r, json_t **out, struct err *e) {
  enum task_action a;
  if (task_action_parse(r->param[1], &a) || a == ACT_EDIT || a == ACT_DELETE)
    return err_set(e, ERR_NOT_FOUND, "action", "no such action: %s", r->param[1]);
  return act(r, a, out, e);
}

int h_tasks_journal(struct req *r, json_t **out, struct err *e) {
  json_t *task = NULL, *v = NULL;
  int64_t id;
  /* Visibility first: a task the caller cannot see has no journal for them. */
  if (task_id(r, &id, e) || app_task_get(r->app, &r->actor, id, 0, &task, e)) return -1;
  json_decref(task);
  if (app_journal_list(r->app, &r->actor, "task", id, &v, e)) return -1;
  *out = http_list(v);
  return 0;
}

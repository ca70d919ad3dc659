/*
** routes.c — the one route table of the HTTP API, and the matcher.
**
** Each row: method, path pattern ({name} matches one path segment), handler,
** coarse permission, flags, summary. docs/openapi.yaml must list exactly
** these routes: tests/api/test_openapi.py compares it with GET /api/v1/_routes,
** which renders this table. To add a route: add a row here, a handler in the
** api_<group>.c of its resource, and its entry in docs/openapi.yaml.
*/
#include <pthread.h>
#include <string.h>

#include "http/http_int.h"

const struct route http_routes[] = {
  /* service */
  {"GET", "/healthz", h_healthz, PERM_PUBLIC, 0, "Liveness and database check"},
  {"GET", "/metrics", h_metrics, PERM_PUBLIC, RF_RAW, "Prometheus metrics"},
  {"GET", "/api/v1/_routes", h_routes, PERM_ADMIN, 0, "The route table"},

  /* authentication */
  {"POST", "/api/v1/session", h_session_login, PERM_PUBLIC, RF_NO_CSRF, "Sign in"},
  {"GET", "/api/v1/session", h_session_get, PERM_USER, 0, "Current user and CSRF token"},
  {"DELETE", "/api/v1/session", h_session_logout, PERM_USER, 0, "Sign out"},
  {"GET", "/api/v1/tokens", h_tokens_list, PERM_USER, 0, "List API tokens"},
  {"POST", "/api/v1/tokens", h_tokens_create, PERM_USER, 0, "Create an API token"},
  {"DELETE", "/api/v1/tokens/{id}", h_tokens_revoke, PERM_USER, 0, "Revoke an API token"},

  /* units and users */
  {"GET", "/api/v1/units", h_units_list, PERM_USER, 0, "List units"},
  {"POST", "/api/v1/units", h_units_create, PERM_USER, 0, "Create a unit"},
  {"GET", "/api/v1/units/{id}", h_units_get, PERM_USER, 0, "Get a unit"},
  {"PATCH", "/api/v1/units/{id}", h_units_update, PERM_USER, 0, "Update a unit"},
  {"GET", "/api/v1/users", h_users_list, PERM_USER, 0, "List users"},
  {"POST", "/api/v1/users", h_users_create, PERM_USER, 0, "Create a user"},
  {"GET", "/api/v1/users/{id}", h_users_get, PERM_USER, 0, "Get a user"},
  {"PATCH", "/api/v1/users/{id}", h_users_update, PERM_USER, 0, "Update a user"},
  {"POST", "/api/v1/users/{id}/password", h_users_password, PERM_USER, 0, "Set a password"},

  /* sources */
  {"GET", "/api/v1/sources", h_sources_list, PERM_USER, 0, "List sources"},
  {"POST", "/api/v1/sources", h_sources_create, PERM_USER, 0, "Create a source"},
  {"GET", "/api/v1/sources/{id}", h_sources_get, PERM_USER, 0, "Get a source"},

  /* tasks */
  {"GET", "/api/v1/tasks", h_tasks_list, PERM_USER, 0, "List tasks"},
  {"POST", "/api/v1/tasks", h_tasks_create, PERM_USER, RF_GROUP, "Create a draft task"},
  {"GET", "/api/v1/tasks/{id}", h_tasks_get, PERM_USER, 0, "Get a task"},
  {"PATCH", "/api/v1/tasks/{id}", h_tasks_edit, PERM_USER, RF_GROUP, "Edit a task"},
  {"DELETE", "/api/v1/tasks/{id}", h_tasks_delete, PERM_USER, RF_GROUP, "Delete a draft task"},
  {"GET", "/api/v1/tasks/{id}/journal", h_tasks_journal, PERM_USER, 0, "Journal of a task"},
  {"POST", "/api/v1/tasks/{id}/{action}", h_tasks_action, PERM_USER, RF_GROUP, "Take a lifecycle action"},
  {"GET", "/api/v1/me/tasks", h_me_tasks, PERM_USER, 0, "Tasks waiting for my action"},
  {"GET", "/api/v1/search", h_search, PERM_USER, 0, "Search task titles, requirements and reports"},
  {"GET", "/api/v1/journal", h_journal, PERM_USER, 0, "Journal of an entity"},

  /* calendar and settings */
  {"GET", "/api/v1/calendar", h_calendar_get, PERM_USER, 0, "Calendar of a year"},
  {"POST", "/api/v1/calendar/import", h_calendar_import, PERM_ADMIN, 0, "Import a holiday file"},
  {"PUT", "/api/v1/calendar/days/{date}", h_calendar_day, PERM_ADMIN, 0, "Set one day"},
  {"GET", "/api/v1/settings", h_settings_get, PERM_USER, 0, "All settings"},
  {"PUT", "/api/v1/settings", h_settings_put, PERM_ADMIN, 0, "Set one setting"},

  /* supervision */
  {"GET", "/api/v1/scores", h_scores, PERM_USER, 0, "Unit scores for a period"},
  {"GET", "/api/v1/stats", h_stats, PERM_USER, 0, "Task counts by unit, status and light"},
  {"POST", "/api/v1/tick", h_tick, PERM_SUPERVISOR, 0, "Run escalation and lights now"},
  {"GET", "/api/v1/audit/verify", h_audit_verify, PERM_ADMIN, 0, "Verify the journal chain"},

  /* ingest: meeting report → draft ledger → reviewed → stored */
  {"POST", "/api/v1/ingest", h_ingest_preview, PERM_SUPERVISOR, 0, "Preview a meeting report as a draft ledger"},
  {"POST", "/api/v1/ingest/commit", h_ingest_commit, PERM_SUPERVISOR, 0, "Store a reviewed draft: the source and its tasks"},
};
const int http_n_routes = (int)(sizeof http_routes / sizeof http_routes[0]);

/* Matches one pattern against path, capturing {params}. 1 on a match. */
static int match_one(const char *pat, const char *path, struct req *r) {
  int n = 0;
  while (*pat && *path) {
    if (*pat == '{') {
      const char *end = strchr(path, '/');
      size_t len = end ? (size_t)(end - path) : strlen(path);
      if (len == 0 || len >= sizeof r->param[0] || n >= REQ_MAX_PARAMS) return 0;
      memcpy(r->param[n], path, len);
      r->param[n][len] = 0;
      n++;
      path += len;
      pat = strchr(pat, '}');
      if (!pat) return 0;
      pat++;
      continue;
    }
    if (*pat != *path) return 0;
    pat++;
    path++;
  }
  if (*pat || *path) return 0;
  r->n_param = n;
  return 1;
}

/* Per route, the literal text before its first {param} (its whole pattern
** when it has none): a path that does not start with it cannot match, and
** one memcmp says so. Every request is matched against the table, and the
** character loop of match_one over each row was 1-2 % of a task view. */
static size_t g_literal[sizeof http_routes / sizeof http_routes[0]];
static int g_has_param[sizeof http_routes / sizeof http_routes[0]];
static pthread_once_t g_literal_once = PTHREAD_ONCE_INIT;
static void literal_init(void) {
  for (int i = 0; i < http_n_routes; i++) {
    const char *p = http_routes[i].pattern, *brace = strchr(p, '{');
    g_literal[i] = brace ? (size_t)(brace - p) : strlen(p);
    g_has_param[i] = brace != NULL;
  }
}

static int may_match(int i, const char *path, size_t n) {
  if (g_has_param[i] ? n <= g_literal[i] : n != g_literal[i]) return 0;
  return memcmp(http_routes[i].pattern, path, g_literal[i]) == 0;
}

int route_match(struct req *r, const char *method, const char *path, int *path_known) {
  int head = strcmp(method, "HEAD") == 0;
  size_t n = strlen(path);
  pthread_once(&g_literal_once, literal_init);
  /* Routes of this method first: the path of every other route is only
  ** tried when none matched (a 405 instead of a 404). */
  for (int i = 0; i < http_n_routes; i++) {
    const struct route *rt = &http_routes[i];
    if (!may_match(i, path, n)) continue;
    if ((strcmp(rt->method, method) == 0 || (head && strcmp(rt->method, "GET") == 0)) &&
        match_one(rt->pattern, path, r)) {
      *path_known = 1;
      return i;
    }
  }
  *path_known = 0;
  for (int i = 0; i < http_n_routes; i++)
    if (may_match(i, path, n) && match_one(http_routes[i].pattern, path, r)) *path_known = 1;
  r->n_param = 0;
  return -1;
}

/*
** http_int.h — private to src/http: the request a handler sees, the route
** table, and the helpers handlers use to read input and shape output.
**
** A request flows (server.c → routes.c):
**   match route → authenticate (auth.c) → CSRF (cookie + unsafe method) →
**   coarse gate from the table (public / user / supervisor / admin) →
**   handler: parse → app_* (fine permissions, visibility) → render.
** Handlers never touch libmicrohttpd directly and never write the response:
** they return 0 with *out (a new JSON reference, NULL for 204) and may set
** r->status / r->set_cookie, or -1 with e set, which respond.c renders as
** the error envelope {"error":{"code","message","field"}}.
*/
#ifndef DUBAN_HTTP_INT_H
#define DUBAN_HTTP_INT_H

#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "app/app.h"
#include "http/http.h"
#include "util/buf.h"
#include "util/err.h"

struct MHD_Connection;
struct MHD_Response;

/* Coarse gate of a route. The app layer checks the fine permissions. */
enum perm {
  PERM_PUBLIC,      /* anyone */
  PERM_USER,        /* any signed-in user */
  PERM_SUPERVISOR,  /* admin or supervisor */
  PERM_ADMIN,       /* admin only */
};

enum route_flags {
  RF_NO_CSRF = 1 << 0,   /* unsafe method that needs no CSRF token (login) */
  RF_RAW = 1 << 1,       /* non-JSON response (metrics): handler sets r->raw */
  RF_GROUP = 1 << 2,     /* a ledger write: may run in a group commit (writer.c) */
};

#define REQ_MAX_PARAMS 3

struct req;
typedef int (*http_handler)(struct req *r, json_t **out, struct err *e);

struct route {
  const char *method;    /* "GET", "POST", "PUT", "PATCH", "DELETE" */
  const char *pattern;   /* "/api/v1/tasks/{id}/{action}" */
  http_handler fn;
  enum perm perm;
  unsigned flags;        /* enum route_flags */
  const char *summary;   /* one line, also in docs/openapi.yaml */
};

extern const struct route http_routes[];
extern const int http_n_routes;

/* Finds the route for method + path. Returns its index, or -1 when no route
** has this path (*path_known = 0) or the path exists for other methods
** (*path_known = 1). Captures {params} into r->param. */
int route_match(struct req *r, const char *method, const char *path, int *path_known);

/* Per-request state; lives from the first access-handler call to completion. */
struct req {
  struct MHD_Connection *conn;
  const struct http_config *cfg;
  struct app *app;              /* this worker thread's connection */
  const char *method;
  const char *url;              /* path without the query */
  int route;                    /* index in http_routes, -1 none */
  char param[REQ_MAX_PARAMS][128]; /* captured {params}, in pattern order */
  int n_param;
  struct buf body;              /* capped at cfg->body_limit */
  int body_too_large;
  int responded;                /* a response was queued */
  size_t dropped;               /* bytes discarded after the limit */
  uint64_t t0_us;               /* monotonic start time */

  /* who */
  int authed;
  int by_cookie;                /* authenticated by session cookie */
  struct actor actor;
  char session_digest[65];
  char csrf[64];
  int64_t touch_token;          /* deferred by auth: token last used now */
  int touch_session;            /* deferred: session seen now */
  char stale_session[65];       /* deferred: delete this expired session */

  /* response extras set by handlers */
  int status;                   /* default 200 */
  char set_cookie[256];
  int retry_after;              /* seconds, 0: none */
  char *raw;                    /* response text (malloc, respond frees): RF_RAW routes,
                                   and JSON the app wrote as text (req_json_text) */
  size_t raw_len;               /* its length; 0: strlen(raw) */
  const char *raw_type;         /* its Content-Type */

  /* group commit (writer.c): a write queued for the writer thread */
  int job_state;                /* JOB_NONE, JOB_QUEUED, JOB_DONE */
  int job_rc;                   /* the handler's return */
  json_t *job_out;              /* its output (respond takes it) */
  struct err job_err;           /* its error */
  struct req *job_next;         /* queue link */
};

enum { JOB_NONE, JOB_QUEUED, JOB_DONE };

/* ---- ticker.c: the periodic supervision tick ---- */
/* accesslog.c: the access log's lines, buffered (see there). start: the
** flusher thread when access_log_flush_ms > 0 (-1 if it cannot start: lines
** are then written at once); stop: writes what waits. emit: one whole line. */
int access_log_start(const struct http_config *cfg);
void access_log_stop(void);
void access_log_emit(const char *line, size_t n);
/* ---- periodic.c ---- */
/* A thread that calls fn(arg) every ms milliseconds, the first time one
** period after periodic_start (0, or -1 when no thread could be made: then
** running stays 0), until periodic_stop, which wakes it and waits for it.
** periodic_stop on one that is not running does nothing. */
struct periodic {
  pthread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t wake;
  long ms;
  void (*fn)(void *arg);
  void *arg;
  int stop, running;
};
/* name: the thread's name as top -H and perf show it (at most 15 bytes). */
int periodic_start(struct periodic *p, const char *name, long ms, void (*fn)(void *),
                   void *arg);
void periodic_stop(struct periodic *p);

int ticker_start(const struct http_config *cfg);   /* no-op when tick_interval is 0 */
void ticker_stop(void);

/* ---- writer.c: group commit of write requests (SQLite) ---- */
int writer_start(const struct http_config *cfg, struct err *e);  /* no-op unless SQLite + group_commit */
void writer_stop(void);
/* 1 while the writer runs: it then renders the task views every write of
** this process notes (app/task_docs.c), and the other connections of the
** server leave them to it (app.defer_docs), so no request renders a backlog. */
int writer_renders_views(void);
int writer_enabled(void);
void writer_submit(struct req *r);   /* the connection must already be suspended */

/* ---- request.c ---- */
const char *req_header(struct req *r, const char *name);
const char *req_query(struct req *r, const char *name);
/* Parses the body as a JSON object. Empty body → empty object when
** empty_ok, else ERR_BAD_REQUEST. Content-Type must be application/json
** (415); invalid UTF-8 and invalid JSON are 400 with the position. The
** caller owns *out. */
int req_json(struct req *r, int empty_ok, json_t **out, struct err *e);
/* Takes JSON text the app rendered (app_task_view, app_task_list_text) as
** the response body; b is left empty. Returns 0, or -1 when out of memory. */
/* The client's address as text ("-" when unknown). Asked for only where
** needed (login throttling), not for every request. */
void req_client_addr(struct req *r, char *out, size_t n);
int req_json_text(struct req *r, struct buf *b, struct err *e);

/* Reads the body as raw JSON text (Content-Type and UTF-8 checked). */
int req_raw_json(struct req *r, const char **text, size_t *n, struct err *e);
/* Path parameter i as a positive id; anything else is 404. */
int req_id(struct req *r, int i, int64_t *id, struct err *e);
/* Query parameter as an integer: 1 present, 0 absent, -1 bad (422 naming it). */
int req_query_int(struct req *r, const char *name, int64_t *v, struct err *e);
/* Query parameter as a date: 1 present, 0 absent, -1 bad. */
int req_query_date(struct req *r, const char *name, day_t *v, struct err *e);
/* Copies If-Match (a version) into in["version"] unless the body has one. */
int req_version(struct req *r, json_t *in, struct err *e);
/* Refuses query parameters not in `allowed` (NULL-terminated): 422 naming it. */
int req_query_only(struct req *r, const char *const *allowed, struct err *e);
/* Refuses body members not in `allowed` (NULL-terminated): 422 naming it. */
int req_members(json_t *in, const char *const *allowed, struct err *e);
/* String member: *out borrowed from in; absent/null → NULL (422 if required);
** another type → 422 naming it. */
int req_string(json_t *in, const char *name, int required, const char **out,
               struct err *e);

/* ---- api_directory.c ---- */
/* Wraps an array as {"items": [...]} (takes the reference); objects pass. */
json_t *http_list(json_t *v);

/* ---- respond.c ---- */
/* Queues the handler's result or error. Takes ownership of out. Returns the
** MHD result. Records metrics and the access log line. */
int respond(struct req *r, int rc, json_t *out, struct err *e);
/* Adds the security headers every response carries; api: an API answer
** (JSON, metrics) rather than a web UI file. */
void respond_security_headers(struct MHD_Response *resp, int api);
/* Serves a file of the web UI (GET/HEAD, SPA fallback). */
int respond_static(struct req *r);

/* ---- auth.c ---- */
void auth_init(const struct http_config *cfg);
/* Authenticates from Authorization: Bearer or the session cookie. A bad
** bearer token is 401; a stale or unknown cookie leaves r anonymous. */
int auth_request(struct req *r, struct err *e);
/* CSRF check for cookie-authenticated unsafe requests. */
int auth_csrf(struct req *r, struct err *e);
/* Does the writes auth_request deferred (last-use times, expired session);
** call outside any transaction. Best effort: failures are ignored. */
void auth_flush(struct req *r);
/* Runs a password-hashing app call under the hash semaphore. */
void auth_hash_enter(void);
void auth_hash_leave(void);

/* ---- metrics.c ---- */
void metrics_init(int n_routes);
void metrics_record(int route, int status, uint64_t us, int db_error);
/* The writer's log after a batch: its pages, and restart -1 (none tried),
** 0 (done) or 1 (put off: a reader was in the way). */
void metrics_log(uint64_t pages, int restart);
/* One writer transaction of this many requests. */
void metrics_batch(uint64_t requests);
char *metrics_render(void);   /* Prometheus text; caller frees */

/* ---- server.c ---- */
uint64_t http_now_us(void);
/* The time ms milliseconds from now on CLOCK_REALTIME, the clock
** pthread_cond_timedwait waits on (the background threads' deadlines). */
struct timespec http_deadline_ms(long ms);

/* ---- workers.c ---- */
/* Tells every worker to reload settings and calendar before its next request. */
void http_reload_all(void);
/* The reload generation http_reload_all bumps (for threads that keep their
** own struct app, like the writer). */
unsigned http_reload_generation(void);
/* Starts the sweeper of read snapshots (when cfg->snapshot_reuse_us > 0);
** workers_stop stops it and closes every worker's app. */
void workers_start(const struct http_config *cfg);
void workers_stop(void);
/* A worker thread holds its connection from worker_enter (0, or -1 when
** out of memory) to worker_leave, and uses it only in between. */
int worker_enter(void);
void worker_leave(void);
/* This thread's app: opened on first use, reloaded when settings changed
** (http_reload_all) or every cfg->reload_interval seconds (changes made by
** another process). NULL with e set (ERR_UNAVAILABLE). */
struct app *worker_app(struct err *e);

/* ---- handlers (api_*.c) ---- */
#define H(name) int name(struct req *r, json_t **out, struct err *e)
H(h_session_login); H(h_session_get); H(h_session_logout);
H(h_tokens_list); H(h_tokens_create); H(h_tokens_revoke);
H(h_units_list); H(h_units_create); H(h_units_get); H(h_units_update);
H(h_users_list); H(h_users_create); H(h_users_get); H(h_users_update); H(h_users_password);
H(h_sources_list); H(h_sources_create); H(h_sources_get);
H(h_tasks_list); H(h_tasks_create); H(h_tasks_get); H(h_tasks_edit); H(h_tasks_delete);
H(h_tasks_action); H(h_tasks_journal); H(h_me_tasks);
H(h_journal); H(h_calendar_get); H(h_calendar_import); H(h_calendar_day);
H(h_settings_get); H(h_settings_put); H(h_scores); H(h_stats); H(h_tick);
H(h_audit_verify); H(h_healthz); H(h_metrics); H(h_routes);
H(h_ingest_preview); H(h_ingest_commit); H(h_search);
#undef H

#endif

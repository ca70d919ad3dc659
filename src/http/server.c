/*
** server.c — libmicrohttpd glue: the daemon, the per-thread database
** connections, the request state machine, and graceful shutdown.
**
** Threads: MHD_USE_EPOLL_INTERNAL_THREAD with a pool of cfg->threads
** threads; each connection stays on one pool thread, and each pool thread
** has its own `struct app` (one DB connection, its own calendar), kept by
** workers.c.
**
** Access handler protocol (MHD calls it several times per request):
**   1st call: allocate struct req into *con_cls, return MHD_YES. Queuing a
**             response here would make MHD answer "Connection: close" and
**             lose keep-alive.
**   upload calls (*upload_data_size > 0): append to the capped body buffer.
**   last call: dispatch and queue the response.
** on_completed frees the struct req.
*/
#include <errno.h>
#include <limits.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "http/http_int.h"

static struct http_config g_cfg;
static int g_active;                   /* requests in flight */

uint64_t http_now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

struct timespec http_deadline_ms(long ms) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  t.tv_sec += ms / 1000;
  t.tv_nsec += (ms % 1000) * 1000000L;
  if (t.tv_nsec >= 1000000000L) {
    t.tv_sec++;
    t.tv_nsec -= 1000000000L;
  }
  return t;
}

static int is_unsafe(const char *m) {
  return strcmp(m, "GET") && strcmp(m, "HEAD") && strcmp(m, "OPTIONS");
}

/* Who is asking and may they: authentication, CSRF, the route's
** permission, the body limit. 0, or -1 with e set. */
static int admit(struct req *r, const struct route *rt, struct err *e) {
  if (auth_request(r, e)) return -1;
  if (!(rt->flags & RF_NO_CSRF) && is_unsafe(r->method) && auth_csrf(r, e)) return -1;
  if (rt->perm != PERM_PUBLIC && !r->authed)
    return err_set(e, ERR_UNAUTHENTICATED, NULL, "sign in first");
  if ((rt->perm == PERM_ADMIN && !(r->actor.roles & ROLE_ADMIN)) ||
      (rt->perm == PERM_SUPERVISOR && !(r->actor.roles & (ROLE_ADMIN | ROLE_SUPERVISOR))))
    return err_set(e, ERR_FORBIDDEN, NULL, "your role may not do this");
  if (r->body_too_large)
    return err_set(e, ERR_TOO_LARGE, "body", "the request body is larger than %zu bytes",
                   g_cfg.body_limit);
  return 0;
}

static int dispatch_in_worker(struct req *r) {
  struct err e;
  json_t *out = NULL;
  const struct route *rt;
  int known = 0, rc;
  err_clear(&e);

  if (r->job_state == JOB_DONE) {   /* resumed after the group commit */
    out = r->job_out;
    r->job_out = NULL;
    /* A task action answered {"id"}: render the task as it now stands,
    ** on this worker's connection, in a read transaction. */
    if (r->job_rc == 0 && json_object_size(out) == 1 && json_object_get(out, "id")) {
      int64_t id = json_integer_value(json_object_get(out, "id"));
      struct buf text;
      struct app *a = worker_app(&e);
      json_decref(out);
      out = NULL;
      if (!a || db_read_begin(a->db, &e)) return respond(r, -1, NULL, &e);
      buf_init(&text, 0);
      rc = app_task_view(a, &r->actor, id, 0, &text, &e);
      db_read_end(a->db);
      if (rc == 0) rc = req_json_text(r, &text, &e);
      buf_release(&text);
      return respond(r, rc, NULL, &e);
    }
    return respond(r, r->job_rc, out, &r->job_err);
  }
  if (r->job_state == JOB_QUEUED) return MHD_YES;

  r->route = route_match(r, r->method, r->url, &known);
  if (r->route < 0) {
    if (known) {
      r->status = 405;
      return respond(r, 0,
                     json_pack("{s:{s:s, s:s, s:n}}", "error", "code", "method_not_allowed",
                               "message", "this method is not allowed on this path", "field"),
                     &e);
    }
    if (!strcmp(r->method, "GET") || !strcmp(r->method, "HEAD")) return respond_static(r);
    err_set(&e, ERR_NOT_FOUND, NULL, "no such resource");
    return respond(r, -1, NULL, &e);
  }
  rt = &http_routes[r->route];
  if (!(r->app = worker_app(&e))) return respond(r, -1, NULL, &e);
  /* A GET reads in one transaction, authentication included: one
  ** consistent snapshot for the several queries of a use case, and one lock
  ** round instead of one per query. */
  if (!strcmp(rt->method, "GET")) {
    if (db_read_begin(r->app->db, &e)) return respond(r, -1, NULL, &e);
    rc = admit(r, rt, &e);
    if (rc == 0) rc = rt->fn(r, &out, &e);
    db_read_end(r->app->db);
    auth_flush(r);
    return respond(r, rc, out, &e);
  }
  rc = admit(r, rt, &e);
  auth_flush(r);
  if (rc) return respond(r, -1, NULL, &e);
  if ((rt->flags & RF_GROUP) && writer_enabled()) {
    /* Suspend first: the writer may finish before we return. */
    r->job_state = JOB_QUEUED;
    MHD_suspend_connection(r->conn);
    writer_submit(r);
    return MHD_YES;
  } else {
    rc = rt->fn(r, &out, &e);
  }
  return respond(r, rc, out, &e);
}

/* The worker's connection is this thread's while it dispatches. */
static int dispatch(struct req *r) {
  int rc;
  if (worker_enter()) {
    struct err e;
    err_clear(&e);
    err_set(&e, ERR_UNAVAILABLE, NULL, "out of memory");
    return respond(r, -1, NULL, &e);
  }
  rc = dispatch_in_worker(r);
  worker_leave();
  return rc;
}

/* One spare request state per worker thread. The state is ~1.6 KB, and a
** calloc of that size on every request made malloc consolidate its fast
** bins each time (a visible share of a task view in profiles). The key's
** destructor frees the spare when the thread ends. */
static pthread_key_t g_spare_key;
static pthread_once_t g_spare_once = PTHREAD_ONCE_INIT;
static void spare_key_init(void) {
  if (pthread_key_create(&g_spare_key, free) != 0) abort();
}

static struct req *req_new(void) {
  struct req *r;
  pthread_once(&g_spare_once, spare_key_init);
  r = pthread_getspecific(g_spare_key);
  if (!r) return calloc(1, sizeof *r);
  pthread_setspecific(g_spare_key, NULL);
  memset(r, 0, sizeof *r);
  return r;
}

static void req_free(struct req *r) {
  pthread_once(&g_spare_once, spare_key_init);
  if (!pthread_getspecific(g_spare_key) && pthread_setspecific(g_spare_key, r) == 0) return;
  free(r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls) {
  struct req *r = *con_cls;
  (void)cls;
  (void)version;
  if (!r) {
    const char *cl;
    r = req_new();
    if (!r) return MHD_NO;
    r->conn = c;
    r->cfg = &g_cfg;
    r->method = method;
    r->url = url;
    r->route = -1;
    r->t0_us = http_now_us();
    buf_init(&r->body, g_cfg.body_limit);
    cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl && strtoull(cl, NULL, 10) > g_cfg.body_limit) r->body_too_large = 1;
    __atomic_fetch_add(&g_active, 1, __ATOMIC_RELAXED);
    *con_cls = r;
    return MHD_YES;
  }
  if (r->responded) {   /* answered early (oversized body): drop the rest */
    *upload_data_size = 0;
    return MHD_YES;
  }
  if (*upload_data_size) {
    /* Over the limit: keep reading (and dropping) so the client gets its 413
    ** rather than a reset, but only up to 16 times the limit. */
    if (!r->body_too_large && buf_append(&r->body, upload_data, *upload_data_size))
      r->body_too_large = 1;
    if (r->body_too_large) {
      r->dropped += *upload_data_size;
      if (r->dropped > 16 * g_cfg.body_limit) {
        struct err e;
        err_clear(&e);
        *upload_data_size = 0;
        err_set(&e, ERR_TOO_LARGE, "body", "the request body is larger than %zu bytes",
                g_cfg.body_limit);
        return (enum MHD_Result)respond(r, -1, NULL, &e);
      }
    }
    *upload_data_size = 0;
    return MHD_YES;
  }
  return (enum MHD_Result)dispatch(r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
  struct req *r = *con_cls;
  (void)cls;
  (void)c;
  (void)toe;
  if (!r) return;
  json_decref(r->job_out);
  buf_release(&r->body);
  free(r->raw);
  req_free(r);
  *con_cls = NULL;
  __atomic_fetch_sub(&g_active, 1, __ATOMIC_RELAXED);
}

/* "host:port", "[v6]:port", ":port" or "port" → a socket address. */
static int parse_listen(const char *s, struct sockaddr_storage *ss, int *v6, struct err *e) {
  char host[128] = "", port[16] = "";
  const char *colon;
  struct addrinfo hints, *res = NULL;
  int rc;
  if (s[0] == '[') {
    const char *close = strchr(s, ']');
    if (!close || close[1] != ':') goto bad;
    snprintf(host, sizeof host, "%.*s", (int)(close - s - 1), s + 1);
    snprintf(port, sizeof port, "%.15s", close + 2);
  } else if ((colon = strrchr(s, ':')) != NULL) {
    snprintf(host, sizeof host, "%.*s", (int)(colon - s), s);
    snprintf(port, sizeof port, "%.15s", colon + 1);
  } else {
    snprintf(port, sizeof port, "%.15s", s);
  }
  if (!port[0] || strspn(port, "0123456789") != strlen(port)) goto bad;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  if (!host[0]) hints.ai_family = AF_INET;
  rc = getaddrinfo(host[0] ? host : NULL, port, &hints, &res);
  if (rc || !res) goto bad;
  memcpy(ss, res->ai_addr, res->ai_addrlen);
  *v6 = res->ai_family == AF_INET6;
  freeaddrinfo(res);
  return 0;
bad:
  return err_set(e, ERR_INVALID, "listen", "cannot use listen address %s (host:port)", s);
}

static int is_dir(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Default web dir: next to the binary (../web/dist: the repository layout,
** build-x/duban; ../share/duban/web: an installed layout), else ./web/dist. */
static void find_web_dir(char *out, size_t n) {
  static const char *const kRel[] = {"../web/dist", "../share/duban/web"};
  char exe[PATH_MAX], cand[PATH_MAX + 64], real[PATH_MAX];
  ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (len > 0) {
    char *slash;
    exe[len] = 0;
    if ((slash = strrchr(exe, '/')) != NULL) *slash = 0;
    for (size_t i = 0; i < sizeof kRel / sizeof kRel[0]; i++) {
      snprintf(cand, sizeof cand, "%s/%s", exe, kRel[i]);
      if (is_dir(cand) && realpath(cand, real) && strlen(real) < n) {
        memcpy(out, real, strlen(real) + 1);
        return;
      }
    }
  }
  if (is_dir("web/dist") && realpath("web/dist", real) && strlen(real) < n)
    memcpy(out, real, strlen(real) + 1);
}

int http_serve(const struct http_config *cfg, struct err *e) {
  struct sockaddr_storage ss;
  struct MHD_Daemon *d;
  struct app probe;
  struct rlimit rl;
  sigset_t set, old;
  unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME;
  int v6 = 0, sig = 0;
  unsigned limit;

  g_cfg = *cfg;
  if (g_cfg.threads <= 0) {
    /* One per core, on both backends: measured on PostgreSQL, four per
    ** core lost on reads (context switches) and did not gain on writes
    ** (they queue on the journal head). */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    g_cfg.threads = cores > 0 ? (int)cores : 2;
  }
  if (parse_listen(g_cfg.listen, &ss, &v6, e)) return -1;
  if (!g_cfg.web_dir[0]) find_web_dir(g_cfg.web_dir, sizeof g_cfg.web_dir);
  else if (!is_dir(g_cfg.web_dir))
    fprintf(stderr, "warning: web directory %s does not exist; the UI is not served\n",
            g_cfg.web_dir);
  /* Fail early on a missing or foreign database. */
  if (app_open(&probe, g_cfg.db, APP_OPEN_EXISTING, NULL, e)) return -1;
  app_close(&probe);

  /* Connections need descriptors: raise the soft limit to the hard one and
  ** keep the connection limit below it. */
  limit = g_cfg.connection_limit;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
    if (rl.rlim_cur < rl.rlim_max) {
      rl.rlim_cur = rl.rlim_max;
      setrlimit(RLIMIT_NOFILE, &rl);
      getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (rlim_t)limit + 64)
      limit = rl.rlim_cur > 128 ? (unsigned)(rl.rlim_cur - 64) : 64;
  }

  auth_init(&g_cfg);
  metrics_init(http_n_routes);
  workers_start(&g_cfg);
  if (access_log_start(&g_cfg))
    fprintf(stderr, "warning: the access log flusher could not start; lines are written at once\n");
  if (writer_start(&g_cfg, e)) {
    access_log_stop();
    workers_stop();
    return -1;
  }
  if (v6) flags |= MHD_USE_IPv6;

  /* Block the stop signals in every thread (MHD's inherit the mask); this
  ** thread waits for them with sigwait. */
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, &old);
  signal(SIGPIPE, SIG_IGN);

  d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, NULL,
                       MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                       MHD_OPTION_THREAD_POOL_SIZE, (unsigned)g_cfg.threads,
                       MHD_OPTION_CONNECTION_LIMIT, limit,
                       MHD_OPTION_CONNECTION_TIMEOUT, g_cfg.connection_timeout,
                       MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
                       MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)16 * 1024,
                       MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
                       MHD_OPTION_END);
  if (!d) {
    ticker_stop();
    writer_stop();
    access_log_stop();
    workers_stop();
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return err_set(e, ERR_UNAVAILABLE, "listen", "cannot listen on %s: %s", g_cfg.listen,
                   strerror(errno));
  }
  fprintf(stderr, "duban: serving on http://%s (db %s, %d threads, web %s)\n", g_cfg.listen,
          g_cfg.db, g_cfg.threads, g_cfg.web_dir[0] ? g_cfg.web_dir : "(none)");
  if (ticker_start(&g_cfg))
    fprintf(stderr, "warning: the periodic tick could not start; run duban tick from cron\n");

  while (sigwait(&set, &sig) != 0) {
  }
  fprintf(stderr, "duban: signal %d, stopping\n", sig);

  /* Stop accepting, let requests in flight finish (10 s at most), stop. */
  {
    MHD_socket lsock = MHD_quiesce_daemon(d);
    for (int i = 0; i < 1000 && __atomic_load_n(&g_active, __ATOMIC_RELAXED) > 0; i++)
      usleep(10000);
    MHD_stop_daemon(d);
    if (lsock != MHD_INVALID_SOCKET) close(lsock);
  }
  writer_stop();
  access_log_stop();
  workers_stop();
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  fprintf(stderr, "duban: stopped\n");
  return 0;
}

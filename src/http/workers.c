/*
** workers.c — the server's worker threads' database connections: each pool
** thread opens its own `struct app` on first use, reloads it when settings
** or the calendar changed, and keeps its read snapshot between requests
** (db_keep_snapshots; docs/decisions/0007-kept-read-snapshots.md).
**
** Who touches a worker's connection: the worker itself, between
** worker_enter and worker_leave, and the sweeper thread, which closes read
** snapshots that can no longer be resumed so that an idle worker does not
** hold back the WAL checkpoint. Both hold the worker's `use` lock; the
** worker's is never contended except for the sweeper's brief visit.
**
** The registry owns the workers and their apps; workers_stop closes them
** after MHD has joined its threads.
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "http/http_int.h"

struct worker {
  pthread_mutex_t use;
  struct app *app;          /* NULL until opened */
  unsigned gen;             /* reload generation it last loaded */
  int64_t reload_at;        /* wall-clock second of its next timed reload */
};

static const struct http_config *g_cfg;
static unsigned g_gen;                 /* bumped by http_reload_all */
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static struct worker **g_workers;
static size_t g_n;
static __thread struct worker *t_worker;

static struct periodic g_sweeper;

void http_reload_all(void) { __atomic_fetch_add(&g_gen, 1, __ATOMIC_RELEASE); }
unsigned http_reload_generation(void) { return __atomic_load_n(&g_gen, __ATOMIC_ACQUIRE); }

/* This thread's worker, registered on first use; NULL when out of memory. */
static struct worker *this_worker(void) {
  struct worker *w, **grown;
  if (t_worker) return t_worker;
  if (!(w = calloc(1, sizeof *w))) return NULL;
  pthread_mutex_init(&w->use, NULL);
  pthread_mutex_lock(&g_lock);
  grown = realloc(g_workers, (g_n + 1) * sizeof *g_workers);
  if (grown) {
    g_workers = grown;
    g_workers[g_n++] = w;
  }
  pthread_mutex_unlock(&g_lock);
  if (!grown) {
    pthread_mutex_destroy(&w->use);
    free(w);
    return NULL;
  }
  return t_worker = w;
}

int worker_enter(void) {
  struct worker *w = this_worker();
  if (!w) return -1;
  pthread_mutex_lock(&w->use);
  return 0;
}

void worker_leave(void) {
  if (t_worker) pthread_mutex_unlock(&t_worker->use);
}

struct app *worker_app(struct err *e) {
  struct worker *w = t_worker;
  int64_t now = (int64_t)time(NULL);
  unsigned gen = http_reload_generation();
  if (!w) return err_set(e, ERR_UNAVAILABLE, NULL, "out of memory"), NULL;
  if (!w->app) {
    struct app *a = calloc(1, sizeof *a);
    if (!a) return err_set(e, ERR_UNAVAILABLE, NULL, "out of memory"), NULL;
    if (app_open(a, g_cfg->db, APP_OPEN_EXISTING, NULL, e)) {
      free(a);
      if (e->code != ERR_UNAVAILABLE) err_set(e, ERR_UNAVAILABLE, "db", "%s", e->message);
      return NULL;
    }
    a->defer_docs = writer_renders_views();
    /* Without the sweeper an idle worker would hold its snapshot for good. */
    db_keep_snapshots(a->db, g_sweeper.running ? g_cfg->snapshot_reuse_us : 0);
    w->app = a;
    w->gen = gen;
    w->reload_at = now + g_cfg->reload_interval;
    return a;
  }
  if (w->gen != gen || now >= w->reload_at) {
    if (app_reload(w->app, e)) return NULL;
    w->gen = gen;
    w->reload_at = now + g_cfg->reload_interval;
  }
  return w->app;
}

/* Closes the snapshots no request can resume. */
static void sweep(void *arg) {
  (void)arg;
  pthread_mutex_lock(&g_lock);
  for (size_t i = 0; i < g_n; i++) {
    struct worker *w = g_workers[i];
    if (pthread_mutex_trylock(&w->use) != 0) continue;   /* busy: it is in use */
    if (w->app) db_release_stale_snapshot(w->app->db);
    pthread_mutex_unlock(&w->use);
  }
  pthread_mutex_unlock(&g_lock);
}

void workers_start(const struct http_config *cfg) {
  long ms = cfg->snapshot_reuse_us / 1000 * 4;
  g_cfg = cfg;
  if (cfg->snapshot_reuse_us <= 0) return;
  if (periodic_start(&g_sweeper, "duban-sweeper", ms < 5 ? 5 : ms, sweep, NULL))
    fprintf(stderr, "warning: cannot start the snapshot sweeper; read snapshots are not kept\n");
}

void workers_stop(void) {
  periodic_stop(&g_sweeper);
  pthread_mutex_lock(&g_lock);
  for (size_t i = 0; i < g_n; i++) {
    if (g_workers[i]->app) {
      app_close(g_workers[i]->app);
      free(g_workers[i]->app);
    }
    pthread_mutex_destroy(&g_workers[i]->use);
    free(g_workers[i]);
  }
  free(g_workers);
  g_workers = NULL;
  g_n = 0;
  pthread_mutex_unlock(&g_lock);
}

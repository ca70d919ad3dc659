/*
** writer.c — group commit for SQLite: the ledger's write requests run on one
** writer thread, many to a transaction, acknowledged after one COMMIT.
**
** Why: with synchronous=FULL every COMMIT waits for an fsync, and SQLite has
** one writer at a time, so one request per transaction caps writes at about
** one per (work + fsync). Here a write request is suspended on its
** connection (MHD_suspend_connection), queued, and the writer thread takes
** every queued request at once: BEGIN IMMEDIATE; each use case in its own
** savepoint (a refused request undoes only its own writes); COMMIT; then the
** connections are resumed and answered. A response is sent only after the
** COMMIT that made it durable; if that COMMIT fails, every request of the
** batch gets the error (503), none is acknowledged.
**
** PostgreSQL does not need this (the server groups commits itself), and
** writes there run on the worker threads.
**
** The checkpoint (copying the write-ahead log back into the database file,
** with its own fsync) is not the writer's: SQLite would run it inside the
** COMMIT that crosses 1,000 log pages, a seventh of the writer's time under
** steady writes. A checkpointer thread on its own connection runs a passive
** checkpoint every CHECKPOINT_MS instead, on the other core, while the
** writer goes on appending to the log; and once the log is large, the
** writer has it started afresh between two batches (restart_log_if_large).
*/
#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/http_int.h"

#define BATCH_MAX 256
#define DOCS_PER_IDLE_ROUND 64   /* task views rendered per transaction between batches */
#define DOCS_FILL_SPAN 256        /* task ids looked at per round for views not yet built */
#define DOCS_PAUSE_MS 20         /* after a batch or a round of them, before the next round */
#define CHECKPOINT_MS 50
#define LOG_RESTART_WAIT_MS 5
#define LOG_RESTART_BACKOFF_MS 20

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_wake = PTHREAD_COND_INITIALIZER;
static struct req *g_head, *g_tail;   /* the queue, FIFO through r->job_next */
static int g_stop, g_running;
static pthread_t g_thread;
static struct app g_app;
static const struct http_config *g_cfg;
static unsigned g_gen_seen;            /* reload generation the writer's app reflects */
static int64_t g_reload_at;            /* and when it reloads anyway */
static struct periodic g_checkpointer;
static struct db *g_checkpoint_db;     /* the checkpointer's own connection */
static pthread_mutex_t g_ckpt_lock = PTHREAD_MUTEX_INITIALIZER;   /* one checkpoint at a time */

int writer_enabled(void) { return g_running; }

void writer_submit(struct req *r) {
  pthread_mutex_lock(&g_lock);
  r->job_next = NULL;
  if (g_tail) g_tail->job_next = r; else g_head = r;
  g_tail = r;
  pthread_cond_signal(&g_wake);
  pthread_mutex_unlock(&g_lock);
}

/* Detaches up to max requests from the head of the queue (g_lock held, the
** queue not empty). */
static struct req *take_queued(int max) {
  struct req *first = g_head, *last = g_head;
  int n = 1;
  while (last->job_next && n < max) {
    last = last->job_next;
    n++;
  }
  g_head = last->job_next;
  if (!g_head) g_tail = NULL;
  last->job_next = NULL;
  return first;
}

static void finish(struct req *batch) {
  for (struct req *r = batch, *next; r; r = next) {
    next = r->job_next;
    r->job_state = JOB_DONE;
    MHD_resume_connection(r->conn);
  }
}

static void run_batch(struct req *batch) {
  struct err e;
  int n = 0;
  err_clear(&e);
  if (app_tx_begin(&g_app, &e)) {
    for (struct req *r = batch; r; r = r->job_next) {
      r->job_rc = -1;
      r->job_err = e;
    }
    finish(batch);
    return;
  }
  for (struct req *r = batch; r; r = r->job_next) {
    const struct route *rt = &http_routes[r->route];
    err_clear(&r->job_err);
    r->app = &g_app;
    /* The use case opens a savepoint inside our transaction. */
    r->job_rc = rt->fn(r, &r->job_out, &r->job_err);
    n++;
  }
  metrics_batch((uint64_t)n);
  if (app_tx_commit(&g_app, &e)) {
    for (struct req *r = batch; r; r = r->job_next) {
      json_decref(r->job_out);
      r->job_out = NULL;
      r->job_rc = -1;
      r->job_err = e;
      r->status = 0;
    }
  }
  finish(batch);
}

/* With no request waiting: renders a few task views the writes left noted
** (app/task_docs.c), or, with none noted, a few that have no view yet (the
** first start after the upgrade to schema 9, a bulk load). 1 when more may
** be left. */
static int64_t g_fill_after;   /* task id the filling has reached */
static int g_fill_done;
static int drain_docs(void) {
  struct err e;
  int64_t n = 0;
  err_clear(&e);
  if (app_task_docs_drain(&g_app, DOCS_PER_IDLE_ROUND, &n, &e)) goto failed;
  if (n == DOCS_PER_IDLE_ROUND) return 1;
  if (g_fill_done) return 0;
  if (app_task_docs_fill(&g_app, &g_fill_after, DOCS_FILL_SPAN, &g_fill_done, &e)) goto failed;
  return !g_fill_done;
failed:
  fprintf(stderr, "duban: rendering task views: %s\n", e.message);
  return 0;   /* they are rendered live meanwhile; retried after the next write */
}

/* The checkpointer copies the log back while the writer appends, so under
** steady writes the log is never wholly copied at the moment a write
** begins, which is when SQLite starts it afresh: it grew without bound
** (400 MB in 8 s of S3), and each frame went to a new part of the file,
** where ext4 allocates blocks and page-cache pages (a quarter of the
** writer's time). So between batches, once the log holds
** log_restart_pages, the writer runs a checkpoint that waits for readers
** (a few ms at most: workers keep a snapshot for snapshot_reuse_us), and the
** next batch writes the log from its beginning again. When the
** checkpointer's pass is running, the next batch tries again (SQLite would
** refuse at once: one checkpoint at a time); when a reader was in the way
** for LOG_RESTART_WAIT_MS, it tries again after LOG_RESTART_BACKOFF_MS. */
static uint64_t g_restart_after_us;
static void restart_log_if_large(void) {
  struct err e;
  long pages = db_log_frames(g_app.db);
  int rc;
  /* The lock last: taken only when a restart is due. */
  if (!g_checkpoint_db || pages < g_cfg->log_restart_pages || http_now_us() < g_restart_after_us ||
      pthread_mutex_trylock(&g_ckpt_lock) != 0) {
    metrics_log((uint64_t)pages, -1);
    return;
  }
  err_clear(&e);
  rc = db_log_restart(g_app.db, LOG_RESTART_WAIT_MS, &e);
  pthread_mutex_unlock(&g_ckpt_lock);
  if (rc < 0) fprintf(stderr, "duban: restarting the log: %s\n", e.message);
  if (rc) g_restart_after_us = http_now_us() + LOG_RESTART_BACKOFF_MS * 1000;
  metrics_log((uint64_t)(rc ? pages : 0), rc != 0);
}

static void *writer_main(void *arg) {
  int docs_left = 1;
  struct timespec drain_at = http_deadline_ms(0);
  (void)arg;
  for (;;) {
    struct req *batch;
    pthread_mutex_lock(&g_lock);
    /* Requests first; task views only after DOCS_PAUSE_MS without one, and
    ** a pause between rounds, so rendering them takes a small share of a
    ** core from the readers. */
    while (!g_head && !g_stop) {
      if (!docs_left) {
        pthread_cond_wait(&g_wake, &g_lock);
      } else if (pthread_cond_timedwait(&g_wake, &g_lock, &drain_at) == ETIMEDOUT) {
        break;
      }
    }
    if (!g_head && g_stop) {
      pthread_mutex_unlock(&g_lock);
      break;
    }
    if (!g_head) {
      pthread_mutex_unlock(&g_lock);
      docs_left = drain_docs();
      drain_at = http_deadline_ms(DOCS_PAUSE_MS);
      continue;
    }
    batch = take_queued(BATCH_MAX);
    pthread_mutex_unlock(&g_lock);
    /* Settings and calendar changed through the API (or by another process,
    ** after reload_interval) apply here too, as on the workers. */
    {
      unsigned gen = http_reload_generation();
      int64_t now = (int64_t)time(NULL);
      if (gen != g_gen_seen || now >= g_reload_at) {
        struct err e;
        err_clear(&e);
        if (app_reload(&g_app, &e) == 0) {
          g_gen_seen = gen;
          g_reload_at = now + g_cfg->reload_interval;
        }
      }
    }
    run_batch(batch);
    restart_log_if_large();
    docs_left = 1;
    drain_at = http_deadline_ms(DOCS_PAUSE_MS);
  }
  return NULL;
}

static void checkpoint(void *arg) {
  struct err e;
  int rc;
  (void)arg;
  err_clear(&e);
  pthread_mutex_lock(&g_ckpt_lock);
  rc = db_checkpoint(g_checkpoint_db, &e);
  pthread_mutex_unlock(&g_ckpt_lock);
  if (rc) fprintf(stderr, "duban: checkpoint: %s\n", e.message);
}

/* Without a checkpointer the writer's COMMITs checkpoint, as SQLite does
** by default: slower, never wrong. */
static void checkpointer_start(void) {
  struct err e;
  err_clear(&e);
  if (!(g_checkpoint_db = db_open(g_cfg->db, &e))) {
    fprintf(stderr, "warning: no checkpointer (%s); commits checkpoint\n", e.message);
    return;
  }
  if (periodic_start(&g_checkpointer, "duban-checkpt", CHECKPOINT_MS, checkpoint, NULL)) {
    fprintf(stderr, "warning: cannot start the checkpointer; commits checkpoint\n");
    db_close(g_checkpoint_db);
    g_checkpoint_db = NULL;
    return;
  }
  db_autocheckpoint(g_app.db, 0);
}

static void checkpointer_stop(void) {
  if (!g_checkpoint_db) return;
  periodic_stop(&g_checkpointer);
  db_close(g_checkpoint_db);
  g_checkpoint_db = NULL;
}

int writer_start(const struct http_config *cfg, struct err *e) {
  g_cfg = cfg;
  if (app_open(&g_app, cfg->db, APP_OPEN_EXISTING, NULL, e)) return -1;
  if (db_kind(g_app.db) != DB_SQLITE || !cfg->group_commit) {
    app_close(&g_app);
    return 0;
  }
  g_stop = 0;
  g_fill_after = 0;
  g_fill_done = 0;
  g_gen_seen = http_reload_generation();
  g_reload_at = (int64_t)time(NULL) + cfg->reload_interval;
  /* The task a write returns is rendered by the worker after the commit,
  ** outside the writer's critical path (server.c). */
  g_app.brief_results = 1;
  /* Task views are rendered between batches, not inside them (drain_docs). */
  g_app.defer_docs = 1;
  /* Before the writer thread: it owns g_app.db from then on. */
  checkpointer_start();
  if (pthread_create(&g_thread, NULL, writer_main, NULL) != 0) {
    checkpointer_stop();
    app_close(&g_app);
    return err_set(e, ERR_INTERNAL, "", "cannot start the writer thread");
  }
  pthread_setname_np(g_thread, "duban-writer");
  g_running = 1;
  return 0;
}

int writer_renders_views(void) { return g_running; }

void writer_stop(void) {
  if (!g_running) return;
  pthread_mutex_lock(&g_lock);
  g_stop = 1;
  pthread_cond_signal(&g_wake);
  pthread_mutex_unlock(&g_lock);
  pthread_join(g_thread, NULL);
  g_running = 0;
  checkpointer_stop();
  app_close(&g_app);
}

/*
** accesslog.c — where the access log's lines go: stderr, through one
** buffer shared by the worker threads.
**
** Why a buffer: a write(2) per request was one of the five system calls of
** a task view (docs/performance.md). Lines are appended whole under a mutex,
** so they never interleave, and written when 16 KiB are waiting, or by the
** flusher thread at most access_log_flush_ms after the first of them, and
** at stop. The cost of the trade: a crash loses at most that long of log
** lines (never ledger data). access_log_flush_ms 0 writes every line at
** once, as before.
**
** Two buffers: a full one is written outside the append lock while lines
** go to the other, so a worker never waits for another's write(2). The
** write lock is taken before the append lock is let go, which keeps the
** buffers, and so the lines, in order.
*/
#include "http/http_int.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LOG_BUF 65536
#define LOG_HIGH 16384   /* write when this much is waiting */

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;     /* g_buf, g_len */
static pthread_mutex_t g_write_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cond = PTHREAD_COND_INITIALIZER;
static char g_bufs[2][LOG_BUF];
static char *g_buf = g_bufs[0];   /* the one lines are appended to */
static size_t g_len;
static int g_flush_ms;          /* 0: unbuffered */
static int g_running, g_stop;
static pthread_t g_thread;

static void write_all(const char *p, size_t len) {
  size_t off = 0;
  while (off < len) {
    ssize_t n = write(2, p + off, len - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;   /* stderr is gone: nothing sensible to do */
    off += (size_t)n;
  }
}

/* Called with g_lock held; returns with it released. Writes what is
** buffered, and lets appends continue in the other buffer meanwhile. */
static void flush_and_unlock(void) {
  char *full = g_buf;
  size_t len = g_len;
  pthread_mutex_lock(&g_write_lock);
  g_buf = full == g_bufs[0] ? g_bufs[1] : g_bufs[0];
  g_len = 0;
  pthread_mutex_unlock(&g_lock);
  write_all(full, len);
  pthread_mutex_unlock(&g_write_lock);
}

void access_log_emit(const char *line, size_t n) {
  int was_empty;
  pthread_mutex_lock(&g_lock);
  if (!g_running || n > LOG_BUF - g_len) {
    flush_and_unlock();
    pthread_mutex_lock(&g_lock);
  }
  if (n > LOG_BUF - g_len) {   /* longer than a buffer: cannot be; drop it */
    pthread_mutex_unlock(&g_lock);
    return;
  }
  was_empty = g_len == 0;
  memcpy(g_buf + g_len, line, n);
  g_len += n;
  if (!g_running || g_len >= LOG_HIGH) {
    flush_and_unlock();
    return;
  }
  if (was_empty) pthread_cond_signal(&g_cond);   /* start the clock */
  pthread_mutex_unlock(&g_lock);
}

static void *flusher_main(void *arg) {
  (void)arg;
  pthread_mutex_lock(&g_lock);
  while (!g_stop) {
    struct timespec until;
    if (g_len == 0) {
      pthread_cond_wait(&g_cond, &g_lock);
      continue;
    }
    until = http_deadline_ms(g_flush_ms);
    while (!g_stop && pthread_cond_timedwait(&g_cond, &g_lock, &until) != ETIMEDOUT) {
    }
    flush_and_unlock();
    pthread_mutex_lock(&g_lock);
  }
  flush_and_unlock();
  return NULL;
}

int access_log_start(const struct http_config *cfg) {
  g_flush_ms = cfg->access_log_flush_ms;
  if (g_flush_ms <= 0) return 0;
  g_stop = 0;
  if (pthread_create(&g_thread, NULL, flusher_main, NULL) != 0) return -1;
  pthread_mutex_lock(&g_lock);
  g_running = 1;
  pthread_mutex_unlock(&g_lock);
  return 0;
}

void access_log_stop(void) {
  if (!g_flush_ms) return;
  pthread_mutex_lock(&g_lock);
  if (!g_running) {
    pthread_mutex_unlock(&g_lock);
    return;
  }
  g_stop = 1;
  g_running = 0;
  pthread_cond_broadcast(&g_cond);
  pthread_mutex_unlock(&g_lock);
  pthread_join(g_thread, NULL);
}

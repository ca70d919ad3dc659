/*
** accesslog.c — where the access log's lines go: stderr, through one
** buffer per worker thread.
**
** Why buffers: a write(2) per request was one of the five system calls of
** a task view (docs/performance.md). Each thread appends whole lines to its
** own buffer, under the buffer's lock, which only the flusher thread ever
** also takes. A buffer is written when 16 KiB are waiting, by the flusher
** every access_log_flush_ms, and at stop. Every write(2) holds one write
** lock and carries whole lines, so lines never interleave, even on a pipe.
** Lines of different threads may reach the log out of time order by up to
** access_log_flush_ms; each line carries its time. A crash loses at most
** that long of log lines, never ledger data. access_log_flush_ms 0 writes
** every line at once.
**
** One shared buffer came first; its lock and the condition signal that
** started the flusher's clock were 2-3 % of a task view's CPU (two workers
** contending), hence one buffer per thread.
*/
#include "http/http_int.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LOG_BUF 65536
#define LOG_HIGH 16384   /* write when this much is waiting */

struct log_buf {
  pthread_mutex_t lock;    /* the owning thread's appends, the flusher */
  size_t len;
  struct log_buf *next;    /* registry, for the flusher */
  char data[LOG_BUF];
};

static pthread_mutex_t g_write_lock = PTHREAD_MUTEX_INITIALIZER;   /* one write(2) at a time */
static pthread_mutex_t g_reg_lock = PTHREAD_MUTEX_INITIALIZER;     /* g_bufs */
static struct log_buf *g_bufs;   /* kept until exit: threads hold pointers to them */
static __thread struct log_buf *t_buf;

static struct periodic g_flusher;
static int g_running;           /* the flusher runs: lines may wait in buffers */

static void write_all(const char *p, size_t len) {
  size_t off = 0;
  pthread_mutex_lock(&g_write_lock);
  while (off < len) {
    ssize_t n = write(2, p + off, len - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;   /* stderr is gone: nothing sensible to do */
    off += (size_t)n;
  }
  pthread_mutex_unlock(&g_write_lock);
}

/* Under b->lock. */
static void write_out(struct log_buf *b) {
  if (b->len) write_all(b->data, b->len);
  b->len = 0;
}

/* This thread's buffer, made and registered on first use; NULL when out of
** memory (the line is then written at once). */
static struct log_buf *thread_buf(void) {
  struct log_buf *b = t_buf;
  if (b) return b;
  if (!(b = malloc(sizeof *b))) return NULL;
  pthread_mutex_init(&b->lock, NULL);
  b->len = 0;
  pthread_mutex_lock(&g_reg_lock);
  b->next = g_bufs;
  g_bufs = b;
  pthread_mutex_unlock(&g_reg_lock);
  return t_buf = b;
}

void access_log_emit(const char *line, size_t n) {
  struct log_buf *b;
  if (!__atomic_load_n(&g_running, __ATOMIC_ACQUIRE) || n > LOG_BUF || !(b = thread_buf())) {
    write_all(line, n);
    return;
  }
  pthread_mutex_lock(&b->lock);
  if (n > LOG_BUF - b->len) write_out(b);
  memcpy(b->data + b->len, line, n);
  b->len += n;
  if (b->len >= LOG_HIGH) write_out(b);
  pthread_mutex_unlock(&b->lock);
}

static void flush_all(void *arg) {
  (void)arg;
  pthread_mutex_lock(&g_reg_lock);
  for (struct log_buf *b = g_bufs; b; b = b->next) {
    pthread_mutex_lock(&b->lock);
    write_out(b);
    pthread_mutex_unlock(&b->lock);
  }
  pthread_mutex_unlock(&g_reg_lock);
}

int access_log_start(const struct http_config *cfg) {
  if (cfg->access_log_flush_ms <= 0) return 0;
  if (periodic_start(&g_flusher, "duban-logflush", cfg->access_log_flush_ms, flush_all, NULL)) return -1;
  __atomic_store_n(&g_running, 1, __ATOMIC_RELEASE);
  return 0;
}

/* After the workers have stopped: what they buffered is written. */
void access_log_stop(void) {
  if (!__atomic_load_n(&g_running, __ATOMIC_ACQUIRE)) return;
  __atomic_store_n(&g_running, 0, __ATOMIC_RELEASE);
  periodic_stop(&g_flusher);
  flush_all(NULL);
}

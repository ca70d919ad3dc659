/*
** periodic.c — a background thread that calls a function every so many
** milliseconds until it is stopped: the supervision tick (ticker.c), the
** snapshot sweeper (workers.c) and the access log flusher (accesslog.c).
** The first call comes one period after the start; stopping wakes the
** thread at once and waits for a call in progress to return.
*/
#include <errno.h>

#include "http/http_int.h"

static void *periodic_main(void *arg) {
  struct periodic *p = arg;
  pthread_mutex_lock(&p->lock);
  while (!p->stop) {
    struct timespec until = http_deadline_ms(p->ms);
    int rc = 0;
    while (!p->stop && rc != ETIMEDOUT) rc = pthread_cond_timedwait(&p->wake, &p->lock, &until);
    if (p->stop) break;
    pthread_mutex_unlock(&p->lock);
    p->fn(p->arg);
    pthread_mutex_lock(&p->lock);
  }
  pthread_mutex_unlock(&p->lock);
  return NULL;
}

int periodic_start(struct periodic *p, const char *name, long ms, void (*fn)(void *),
                   void *arg) {
  p->ms = ms;
  p->fn = fn;
  p->arg = arg;
  p->stop = 0;
  p->running = 0;
  pthread_mutex_init(&p->lock, NULL);
  pthread_cond_init(&p->wake, NULL);
  if (pthread_create(&p->thread, NULL, periodic_main, p) != 0) return -1;
  pthread_setname_np(p->thread, name);
  p->running = 1;
  return 0;
}

void periodic_stop(struct periodic *p) {
  if (!p->running) return;
  pthread_mutex_lock(&p->lock);
  p->stop = 1;
  pthread_cond_signal(&p->wake);
  pthread_mutex_unlock(&p->lock);
  pthread_join(p->thread, NULL);
  p->running = 0;
}

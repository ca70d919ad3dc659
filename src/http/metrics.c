/*
** metrics.c — Prometheus counters kept with relaxed atomics (no lock on the
** request path): requests by route and status, a latency histogram per
** route, responses caused by database errors (503/500), and the SQLite
** writer's log size and restarts, and its commits and the requests in them
** (writer.c).
** Route index n_routes stands for "no route" (static files, 404s).
*/
#include <stdlib.h>
#include <string.h>

#include "http/http_int.h"

static const int kStatus[] = {200, 201, 204, 400, 401, 403, 404, 405, 409,
                              413, 415, 422, 429, 500, 503, 0 /* other */};
#define N_STATUS ((int)(sizeof kStatus / sizeof kStatus[0]))
static const double kBuckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                  0.1,    0.25,  0.5,    1,     2.5,  5};
#define N_BUCKETS ((int)(sizeof kBuckets / sizeof kBuckets[0]))

struct route_metrics {
  uint64_t count[N_STATUS];
  uint64_t bucket[N_BUCKETS + 1];   /* last: +Inf */
  uint64_t sum_us;
};

static struct route_metrics *g_m;
static int g_n;
static uint64_t g_db_errors;
static uint64_t g_log_restarts[2];   /* done, put off */
static uint64_t g_log_pages;
static uint64_t g_batches, g_batched;   /* writer transactions, requests in them */

void metrics_init(int n_routes) {
  g_n = n_routes + 1;
  g_m = calloc((size_t)g_n, sizeof *g_m);
}

static void add(uint64_t *p, uint64_t v) { __atomic_fetch_add(p, v, __ATOMIC_RELAXED); }
static uint64_t get(const uint64_t *p) { return __atomic_load_n(p, __ATOMIC_RELAXED); }

void metrics_record(int route, int status, uint64_t us, int db_error) {
  struct route_metrics *m;
  int s = N_STATUS - 1, b = N_BUCKETS;
  if (!g_m) return;
  if (route < 0 || route >= g_n - 1) route = g_n - 1;
  m = &g_m[route];
  for (int i = 0; i < N_STATUS - 1; i++)
    if (kStatus[i] == status) {
      s = i;
      break;
    }
  for (int i = 0; i < N_BUCKETS; i++)
    if ((double)us / 1e6 <= kBuckets[i]) {
      b = i;
      break;
    }
  add(&m->count[s], 1);
  add(&m->bucket[b], 1);
  add(&m->sum_us, us);
  if (db_error) add(&g_db_errors, 1);
}

void metrics_log(uint64_t pages, int restart) {
  __atomic_store_n(&g_log_pages, pages, __ATOMIC_RELAXED);
  if (restart >= 0) add(&g_log_restarts[restart ? 1 : 0], 1);
}

void metrics_batch(uint64_t requests) {
  add(&g_batches, 1);
  add(&g_batched, requests);
}

static void labels(struct buf *o, int i) {
  if (i < g_n - 1)
    buf_printf(o, "method=\"%s\",route=\"%s\"", http_routes[i].method, http_routes[i].pattern);
  else
    buf_puts(o, "method=\"\",route=\"other\"");
}

char *metrics_render(void) {
  struct buf o;
  buf_init(&o, 0);
  buf_puts(&o, "# HELP duban_http_requests_total HTTP requests by route and status.\n"
               "# TYPE duban_http_requests_total counter\n");
  for (int i = 0; i < g_n; i++)
    for (int s = 0; s < N_STATUS; s++) {
      uint64_t n = get(&g_m[i].count[s]);
      if (!n) continue;
      buf_puts(&o, "duban_http_requests_total{");
      labels(&o, i);
      if (kStatus[s]) buf_printf(&o, ",status=\"%d\"} %llu\n", kStatus[s], (unsigned long long)n);
      else buf_printf(&o, ",status=\"other\"} %llu\n", (unsigned long long)n);
    }
  buf_puts(&o, "# HELP duban_http_request_duration_seconds Time to answer, by route.\n"
               "# TYPE duban_http_request_duration_seconds histogram\n");
  for (int i = 0; i < g_n; i++) {
    uint64_t cum = 0, total = 0;
    for (int b = 0; b <= N_BUCKETS; b++) total += get(&g_m[i].bucket[b]);
    if (!total) continue;
    for (int b = 0; b <= N_BUCKETS; b++) {
      cum += get(&g_m[i].bucket[b]);
      buf_puts(&o, "duban_http_request_duration_seconds_bucket{");
      labels(&o, i);
      if (b < N_BUCKETS) buf_printf(&o, ",le=\"%g\"} %llu\n", kBuckets[b], (unsigned long long)cum);
      else buf_printf(&o, ",le=\"+Inf\"} %llu\n", (unsigned long long)cum);
    }
    buf_puts(&o, "duban_http_request_duration_seconds_sum{");
    labels(&o, i);
    buf_printf(&o, "} %.6f\n", (double)get(&g_m[i].sum_us) / 1e6);
    buf_puts(&o, "duban_http_request_duration_seconds_count{");
    labels(&o, i);
    buf_printf(&o, "} %llu\n", (unsigned long long)cum);
  }
  buf_printf(&o,
             "# HELP duban_db_errors_total Requests that failed on the database (500/503).\n"
             "# TYPE duban_db_errors_total counter\nduban_db_errors_total %llu\n",
             (unsigned long long)get(&g_db_errors));
  buf_printf(&o,
             "# HELP duban_sqlite_log_pages Pages in SQLite's write-ahead log after the writer's last commit.\n"
             "# TYPE duban_sqlite_log_pages gauge\nduban_sqlite_log_pages %llu\n"
             "# HELP duban_sqlite_log_restarts_total Times the writer had the log started afresh"
             " (done), or found a reader in the way (deferred).\n"
             "# TYPE duban_sqlite_log_restarts_total counter\n"
             "duban_sqlite_log_restarts_total{result=\"done\"} %llu\n"
             "duban_sqlite_log_restarts_total{result=\"deferred\"} %llu\n",
             (unsigned long long)get(&g_log_pages), (unsigned long long)get(&g_log_restarts[0]),
             (unsigned long long)get(&g_log_restarts[1]));
  buf_printf(&o,
             "# HELP duban_writer_commits_total Transactions the SQLite writer committed (or tried to).\n"
             "# TYPE duban_writer_commits_total counter\nduban_writer_commits_total %llu\n"
             "# HELP duban_writer_requests_total Write requests run in those transactions.\n"
             "# TYPE duban_writer_requests_total counter\nduban_writer_requests_total %llu\n",
             (unsigned long long)get(&g_batches), (unsigned long long)get(&g_batched));
  if (o.failed) {
    buf_release(&o);
    return NULL;
  }
  return buf_detach(&o, NULL);
}

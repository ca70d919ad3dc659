/* bench_ingest.c — ingest throughput (MB/s of text on one core) and the time
** for the seed report, each against a baseline pass over the same bytes
** (utf8_valid) measured in the same run, since the machine is noisy.
**
**   make MODE=release BUILD=build-release-ingest MODULES="util ingest" \
**        build-release-ingest/bench/bench_ingest
**   build-release-ingest/bench/bench_ingest [REPORT.txt]
** Default input: the seed report in ../shared/seeds if present, else the test fixture. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ingest/ingest.h"
#include "util/buf.h"
#include "util/text.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Best of `reps` timings of ingest_text (or the baseline when base). */
static double best(const char *s, size_t n, int reps, int base, size_t *tasks) {
  double b = 1e30;
  for (int i = 0; i < reps; i++) {
    struct ingest_result r;
    struct err e = {0};
    struct ingest_options o = {0};
    o.meeting_date = date_from_ymd(2021, 8, 25);
    double t0 = now();
    if (base) {
      volatile int ok = utf8_valid(s, n, NULL);
      (void)ok;
    } else {
      if (ingest_text(s, n, &o, &r, &e)) {
        fprintf(stderr, "bench: %s: %s\n", e.field, e.message);
        exit(1);
      }
      *tasks = r.n_tasks;
      ingest_result_release(&r);
    }
    double t = now() - t0;
    if (t < b) b = t;
  }
  return b;
}

int main(int argc, char **argv) {
  const char *path = argc > 1 ? argv[1] : "../shared/seeds/000_7d4785078c1809da.txt";
  struct buf one, big;
  const char *why;
  size_t tasks = 0;
  buf_init(&one, 0);
  buf_init(&big, 0);
  if (buf_read_file(&one, path, &why)) {
    path = "tests/fixtures/ingest/plenary.txt";
    buf_release(&one);
    buf_init(&one, 0);
    if (buf_read_file(&one, path, &why)) {
      fprintf(stderr, "bench: cannot read %s: %s\n", path, why);
      return 1;
    }
  }
  /* one report */
  double t1 = best(one.data, one.len, 50, 0, &tasks);
  double b1 = best(one.data, one.len, 50, 1, NULL);
  printf("report %s: %zu bytes, %zu tasks, %.3f ms (baseline utf8_valid %.4f ms)\n",
         path, one.len, tasks, t1 * 1e3, b1 * 1e3);
  /* throughput over ~4 MB (the report repeated, as paragraphs) */
  while (big.len < ((size_t)4 << 20)) {
    buf_append(&big, one.data, one.len);
    buf_putc(&big, '\n');
  }
  if (big.failed) return 1;
  double t = best(big.data, big.len, 3, 0, &tasks);
  double b = best(big.data, big.len, 3, 1, NULL);
  double mb = big.len / 1e6;
  printf("throughput: %.2f MB in %.3f s = %.1f MB/s (%zu tasks); baseline "
         "utf8_valid %.0f MB/s; ratio ingest/baseline = %.4f\n",
         mb, t, mb / t, tasks, mb / b, b / t);
  buf_release(&one);
  buf_release(&big);
  return 0;
}

/*
** testdates.h — date helpers shared by the calendar, lights and escalation
** tests, header only like testlib.h: D("2021-10-01") → day, F(day) → text,
** and load_year(cal, 2021) from the bundled data/holidays-cn/2021.json (run
** the tests from the repository root, as tests/run.sh does).
*/
#ifndef DUBAN_TESTDATES_H
#define DUBAN_TESTDATES_H

#include <stdio.h>
#include <stdlib.h>

#include "core/calendar.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/err.h"

/* A day from a literal; a malformed literal is a bug in the test: abort. */
static inline day_t D(const char *s) {
  day_t d = DATE_NONE;
  if (date_parse(s, &d) < 0) {
    printf("    bad test date %s\n", s);
    abort();
  }
  return d;
}

/* A day as text; four rotating buffers, so one printf may hold four. */
static inline const char *F(day_t d) {
  static char buf[4][11];
  static int k;
  k = (k + 1) % 4;
  return date_format(d, buf[k]);
}

/* Loads one year of the bundled calendar into cal: 0, or -1 with a reason. */
static inline int load_year(struct calendar *cal, int year) {
  char path[64];
  const char *why = NULL;
  struct buf text;
  struct err e = {0};
  int rc;
  snprintf(path, sizeof path, "data/holidays-cn/%d.json", year);
  buf_init(&text, 0);
  if (buf_read_file(&text, path, &why) < 0) {
    printf("    %s: %s (run the tests from the repo root)\n", path, why);
    buf_release(&text);
    return -1;
  }
  rc = calendar_load_json(cal, text.data, text.len, &e);
  if (rc < 0) printf("    load %s: %s: %s\n", path, e.field, e.message);
  buf_release(&text);
  return rc;
}

#endif

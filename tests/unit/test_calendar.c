/* test_calendar.c — the working-day calendar on the real State Council data
** (data/holidays-cn/, read from the repo root). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/calendar.h"
#include "testdates.h"
#include "testlib.h"

static struct calendar *full_calendar(void) {
  struct calendar *cal = calendar_new();
  int y;
  for (y = 2019; y <= 2026; y++)
    if (load_year(cal, y) < 0) CHECK(!"load year");
  return cal;
}

static day_t add(const struct calendar *cal, const char *from, int n) {
  day_t out = DATE_NONE;
  struct err e = {0};
  if (calendar_add_workdays(cal, D(from), n, &out, &e) < 0)
    printf("    add %s %+d: %s\n", from, n, e.message);
  return out;
}

static int between(const struct calendar *cal, const char *a, const char *b) {
  int out = -9999;
  struct err e = {0};
  if (calendar_workdays_between(cal, D(a), D(b), &out, &e) < 0)
    printf("    between %s %s: %s\n", a, b, e.message);
  return out;
}

static void spec_example_skips_national_day(void) {
  struct calendar *cal = full_calendar();
  /* 09-29 W, 09-30 Th, [10-01..10-07 off], 10-08 F, 10-09 Sat make-up,
  ** 10-11 M: the fifth working day after 09-28. Weekday-only would be 10-05. */
  CHECK_STR(F(add(cal, "2021-09-28", 5)), "2021-10-11");
  CHECK_STR(F(add(cal, "2021-09-28", 3)), "2021-10-08");
  CHECK_STR(F(add(cal, "2021-09-28", 4)), "2021-10-09");
  CHECK_STR(F(add(cal, "2021-09-28", 1)), "2021-09-29");
  CHECK_STR(F(add(cal, "2021-09-28", 0)), "2021-09-28");
  calendar_free(cal);
}

static void makeup_days_are_working_days(void) {
  struct calendar *cal = full_calendar();
  struct err e = {0};
  const char *name = NULL;
  int off = -1;
  /* 2021-09-26 is a Sunday make-up day before National Day; 10-09 a Saturday. */
  CHECK_INT(date_weekday(D("2021-09-26")), 7);
  CHECK_INT(calendar_is_workday(cal, D("2021-09-26"), &e), 1);
  CHECK_INT(calendar_is_workday(cal, D("2021-10-09"), &e), 1);
  CHECK_INT(calendar_is_workday(cal, D("2021-10-10"), &e), 0);  /* Sunday */
  CHECK_INT(calendar_is_workday(cal, D("2021-10-01"), &e), 0);  /* holiday */
  CHECK_INT(calendar_is_workday(cal, D("2021-10-04"), &e), 0);  /* Monday off */
  CHECK_INT(calendar_is_workday(cal, D("2021-09-27"), &e), 1);  /* plain Monday */
  CHECK_INT(calendar_is_workday(cal, D("2021-09-25"), &e), 0);  /* plain Saturday */
  CHECK_INT(calendar_override(cal, D("2021-09-26"), &off, &name), 1);
  CHECK_INT(off, 0);
  CHECK_STR(name, "国庆节");
  CHECK_INT(calendar_override(cal, D("2021-09-27"), &off, &name), 0);
  CHECK(name == NULL);
  /* Friday 09-24 + 1 = the Sunday make-up day 09-26. */
  CHECK_STR(F(add(cal, "2021-09-24", 1)), "2021-09-26");
  calendar_free(cal);
}

static void year_boundary_uses_both_files(void) {
  struct calendar *cal = full_calendar();
  /* 12-31 Fri (1), 2022-01-01..03 元旦 off (Sat, Sun, Mon), 01-04 (2), 01-05 (3) */
  CHECK_STR(F(add(cal, "2021-12-30", 3)), "2022-01-05");
  CHECK_INT(between(cal, "2021-12-30", "2022-01-05"), 3);
  CHECK_STR(F(add(cal, "2022-01-05", -3)), "2021-12-30");
  /* 2018-12-29 (Sat) is a make-up day listed in the 2019 file, but 2018 is
  ** not covered: the override is stored, the question fails. */
  {
    int off = -1;
    struct err e = {0};
    CHECK_INT(calendar_override(cal, D("2018-12-29"), &off, NULL), 1);
    CHECK_INT(off, 0);
    CHECK_INT(calendar_is_workday(cal, D("2018-12-29"), &e), -1);
    CHECK(strstr(e.message, "2018") != NULL);
  }
  calendar_free(cal);
}

static void missing_year_is_an_error_naming_it(void) {
  struct calendar *cal = full_calendar();
  struct err e = {0};
  day_t out = DATE_NONE;
  int n = 0;
  CHECK_INT(calendar_covers(cal, 2026), 1);
  CHECK_INT(calendar_covers(cal, 2027), 0);
  CHECK_INT(calendar_is_workday(cal, D("2027-03-01"), &e), -1);
  CHECK_INT(e.code, ERR_INVALID);
  CHECK(strstr(e.message, "2027") != NULL);
  err_clear(&e);
  /* 2026-12-31 (Thu) + 1 = 2027-01-01: unknown, never a weekday guess. */
  CHECK_INT(calendar_add_workdays(cal, D("2026-12-31"), 1, &out, &e), -1);
  CHECK(strstr(e.message, "2027") != NULL);
  err_clear(&e);
  CHECK_INT(calendar_add_workdays(cal, D("2026-12-30"), 1, &out, &e), 0);
  CHECK_STR(F(out), "2026-12-31");
  /* Counting back out of 2019 into 2018. */
  CHECK_INT(calendar_add_workdays(cal, D("2019-01-03"), -5, &out, &e), -1);
  CHECK(strstr(e.message, "2018") != NULL);
  err_clear(&e);
  CHECK_INT(calendar_workdays_between(cal, D("2026-12-01"), D("2027-01-10"),
                                      &n, &e), -1);
  CHECK(strstr(e.message, "2027") != NULL);
  err_clear(&e);
  CHECK_INT(calendar_workdays_between(cal, D("2027-01-10"), D("2026-12-01"),
                                      &n, &e), -1);
  CHECK(strstr(e.message, "2027") != NULL);
  /* A gap in the middle: a calendar with 2021 and 2023 only. */
  {
    struct calendar *gap = calendar_new();
    load_year(gap, 2021);
    load_year(gap, 2023);
    err_clear(&e);
    CHECK_INT(calendar_workdays_between(gap, D("2021-12-01"), D("2023-01-10"),
                                        &n, &e), -1);
    CHECK(strstr(e.message, "2022") != NULL);
    calendar_free(gap);
  }
  calendar_free(cal);
}

static void negative_n_counts_back(void) {
  struct calendar *cal = full_calendar();
  /* Inverse of the SPEC example. */
  CHECK_STR(F(add(cal, "2021-10-11", -5)), "2021-09-28");
  /* Strictly before: 10-11 - 1 = 10-09 (the make-up Saturday). */
  CHECK_STR(F(add(cal, "2021-10-11", -1)), "2021-10-09");
  /* From a holiday: 10-05 - 1 = 09-30. */
  CHECK_STR(F(add(cal, "2021-10-05", -1)), "2021-09-30");
  /* Monday 2021-09-27 - 1 = the Sunday make-up day 09-26. */
  CHECK_STR(F(add(cal, "2021-09-27", -1)), "2021-09-26");
  /* Plain weeks: Wed 2021-03-17 - 10 = Wed 03-03. */
  CHECK_STR(F(add(cal, "2021-03-17", -10)), "2021-03-03");
  calendar_free(cal);
}

static void workdays_between_both_directions(void) {
  struct calendar *cal = full_calendar();
  CHECK_INT(between(cal, "2021-09-28", "2021-10-11"), 5);
  CHECK_INT(between(cal, "2021-10-11", "2021-09-28"), -5);
  CHECK_INT(between(cal, "2021-09-28", "2021-09-28"), 0);
  /* (10-01, 10-07] is all holiday. */
  CHECK_INT(between(cal, "2021-10-01", "2021-10-07"), 0);
  /* A plain week: (Mon 03-01, Mon 03-08] = Tue..Fri + Mon = 5. */
  CHECK_INT(between(cal, "2021-03-01", "2021-03-08"), 5);
  /* Whole year 2021: 261 weekdays; off on weekdays: 元旦 01-01; 春节 02-11,
  ** 12,15,16,17; 清明 04-05; 劳动 05-03,04,05; 端午 06-14; 中秋 09-20,21;
  ** 国庆 10-01,04,05,06,07 = 18 off; make-up: 02-07, 02-20, 04-25, 05-08,
  ** 09-18, 09-26, 10-09 = 7 on. 261 - 18 + 7 = 250. */
  CHECK_INT(between(cal, "2020-12-31", "2021-12-31"), 250);
  /* Long spans agree with a day-by-day count. */
  {
    day_t a = D("2019-01-01"), b = D("2026-12-31"), d;
    int slow = 0, fast = 0;
    struct err e = {0};
    for (d = a + 1; d <= b; d++) slow += calendar_is_workday(cal, d, &e);
    CHECK_INT(calendar_workdays_between(cal, a, b, &fast, &e), 0);
    CHECK_INT(fast, slow);
  }
  calendar_free(cal);
}

/* add and between agree with a naive day loop for every start in 2020–2025
** and several n, both signs. */
static void add_agrees_with_naive_loop(void) {
  struct calendar *cal = full_calendar();
  static const int ns[] = {1, 2, 3, 5, 10, 20, 59, 250};
  day_t from;
  size_t k;
  int bad = 0;
  struct err e = {0};
  for (from = D("2020-01-01"); from <= D("2025-12-31"); from += 3) {
    for (k = 0; k < sizeof ns / sizeof ns[0]; k++) {
      int sign;
      for (sign = -1; sign <= 1; sign += 2) {
        int n = ns[k] * sign, left = ns[k], wd, w = 1, rc;
        day_t d = from, got = DATE_NONE;
        while (left > 0 && w >= 0) {
          d += sign;
          w = calendar_is_workday(cal, d, &e);
          if (w > 0) left--;
        }
        rc = calendar_add_workdays(cal, from, n, &got, &e);
        if (w < 0 ? rc != -1 : (rc < 0 || got != d)) {
          printf("    %s %+d: %s, naive %s\n", F(from), n, F(got), F(d));
          bad++;
        }
        if (w < 0) continue;
        if (sign > 0 &&
            (calendar_workdays_between(cal, from, d, &wd, &e) < 0 || wd != n))
          bad++;
      }
    }
  }
  CHECK_INT(bad, 0);
  calendar_free(cal);
}

static void amendments_replace_days(void) {
  struct calendar *cal = full_calendar();
  struct err e = {0};
  const char *name = NULL;
  int off = -1;
  static const char amend[] =
      "{\"year\": 2021, \"papers\": [\"amended\"], \"days\": ["
      " {\"name\": \"补班取消\", \"date\": \"2021-10-09\", \"isOffDay\": true},"
      " {\"name\": \"临时放假\", \"date\": \"2021-09-29\", \"isOffDay\": true}]}";
  CHECK_STR(F(add(cal, "2021-09-28", 5)), "2021-10-11");
  CHECK_INT(calendar_load_json(cal, amend, sizeof amend - 1, &e), 0);
  CHECK_INT(calendar_is_workday(cal, D("2021-10-09"), &e), 0);
  CHECK_INT(calendar_override(cal, D("2021-10-09"), &off, &name), 1);
  CHECK_INT(off, 1);
  CHECK_STR(name, "补班取消");
  /* Other days of the first load stay: 09-26 is still a make-up day. */
  CHECK_INT(calendar_is_workday(cal, D("2021-09-26"), &e), 1);
  /* 09-30 (1), 10-08 (2), 10-11 (3), 10-12 (4), 10-13 (5). */
  CHECK_STR(F(add(cal, "2021-09-28", 5)), "2021-10-13");
  /* An admin edit on top: 10-12 off, then back to a working day. */
  CHECK_INT(calendar_set_day(cal, D("2021-10-12"), 1, "停电", &e), 0);
  CHECK_STR(F(add(cal, "2021-09-28", 5)), "2021-10-14");
  CHECK_INT(calendar_set_day(cal, D("2021-10-12"), 0, NULL, &e), 0);
  CHECK_STR(F(add(cal, "2021-09-28", 5)), "2021-10-13");
  CHECK_INT(calendar_override(cal, D("2021-10-12"), &off, &name), 1);
  CHECK_INT(off, 0);
  CHECK(name == NULL);
  /* set_day does not cover a year. */
  CHECK_INT(calendar_set_day(cal, D("2030-01-02"), 1, "x", &e), 0);
  CHECK_INT(calendar_covers(cal, 2030), 0);
  CHECK_INT(calendar_set_day(cal, DATE_NONE, 1, NULL, &e), -1);
  CHECK_STR(e.field, "date");
  calendar_free(cal);
}

static void cover_year_by_hand(void) {
  struct calendar *cal = calendar_new();
  struct err e = {0};
  int ys[4];
  CHECK_INT(calendar_is_workday(cal, D("2030-01-01"), &e), -1);
  CHECK_INT(calendar_cover_year(cal, 2030, &e), 0);
  CHECK_INT(calendar_cover_year(cal, 2029, &e), 0);
  CHECK_INT(calendar_cover_year(cal, 2030, &e), 0);  /* twice is fine */
  CHECK_INT(calendar_years(cal, ys, 4), 2);
  CHECK_INT(ys[0], 2029);
  CHECK_INT(ys[1], 2030);
  CHECK_INT(calendar_years(cal, ys, 1), 1);
  /* Weekday-only rule once declared: Tue 2030-01-01 is a working day. */
  CHECK_INT(calendar_is_workday(cal, D("2030-01-01"), &e), 1);
  CHECK_INT(calendar_set_day(cal, D("2030-01-01"), 1, "元旦", &e), 0);
  CHECK_INT(calendar_is_workday(cal, D("2030-01-01"), &e), 0);
  CHECK_INT(calendar_cover_year(cal, 1800, &e), -1);
  CHECK_STR(e.field, "year");
  calendar_free(cal);
}

static void iterate_overrides_in_order(void) {
  struct calendar *cal = calendar_new();
  size_t cur = 0, count = 0;
  day_t day, prev = DATE_NONE;
  int off, sorted = 1;
  const char *name;
  load_year(cal, 2022);
  load_year(cal, 2021);
  while (calendar_next_override(cal, &cur, &day, &off, &name)) {
    if (prev != DATE_NONE && day <= prev) sorted = 0;
    prev = day;
    count++;
  }
  CHECK_INT(count, 38 + 38);
  CHECK(sorted);
  CHECK_INT(calendar_next_override(cal, &cur, &day, &off, &name), 0);
  calendar_free(cal);
}

static void invalid_json_is_refused(void) {
  struct calendar *cal = calendar_new();
  struct err e = {0};
  static const char broken[] = "{\"year\": 2021, \"days\": [";
  CHECK_INT(calendar_load_json(cal, broken, sizeof broken - 1, &e), -1);
  CHECK_INT(e.code, ERR_BAD_REQUEST);
  CHECK(strstr(e.message, "JSON") != NULL);
  CHECK_INT(calendar_covers(cal, 2021), 0);
  err_clear(&e);
  CHECK_INT(calendar_load_json(cal, "[]", 2, &e), -1);
  CHECK_INT(e.code, ERR_INVALID);
  err_clear(&e);
  CHECK_INT(calendar_load_json(cal, "{\"days\": []}", 12, &e), -1);
  CHECK_STR(e.field, "year");
  err_clear(&e);
  {
    static const char t[] = "{\"year\": 2021}";
    CHECK_INT(calendar_load_json(cal, t, sizeof t - 1, &e), -1);
    CHECK_STR(e.field, "days");
  }
  err_clear(&e);
  {
    static const char t[] =
        "{\"year\": 2021, \"days\": [{\"date\": \"2021-01-01\"}]}";
    CHECK_INT(calendar_load_json(cal, t, sizeof t - 1, &e), -1);
    CHECK_STR(e.field, "days[0].isOffDay");
  }
  /* Embedded NUL and truncation: only n bytes are read. */
  err_clear(&e);
  {
    static const char t[] = "{\"year\": 2021, \"days\": []}garbage";
    CHECK_INT(calendar_load_json(cal, t, 26, &e), 0);
    CHECK_INT(calendar_covers(cal, 2021), 1);
  }
  calendar_free(cal);
}

static void invalid_date_names_field_and_changes_nothing(void) {
  struct calendar *cal = calendar_new();
  struct err e = {0};
  static const char t[] =
      "{\"year\": 2021, \"days\": ["
      "{\"name\": \"a\", \"date\": \"2021-01-01\", \"isOffDay\": true},"
      "{\"name\": \"b\", \"date\": \"2021-01-02\", \"isOffDay\": true},"
      "{\"name\": \"c\", \"date\": \"2021-01-03\", \"isOffDay\": true},"
      "{\"name\": \"d\", \"date\": \"2021-02-30\", \"isOffDay\": true}]}";
  static const char far[] =
      "{\"year\": 2021, \"days\": ["
      "{\"name\": \"a\", \"date\": \"2023-01-01\", \"isOffDay\": true}]}";
  size_t cur = 0;
  CHECK_INT(calendar_load_json(cal, t, sizeof t - 1, &e), -1);
  CHECK_INT(e.code, ERR_INVALID);
  CHECK_STR(e.field, "days[3].date");
  CHECK_STR(e.message, "2021-02-30 is not a date");
  /* All or nothing: neither the year nor the first three days were applied. */
  CHECK_INT(calendar_covers(cal, 2021), 0);
  CHECK_INT(calendar_next_override(cal, &cur, NULL, NULL, NULL), 0);
  err_clear(&e);
  CHECK_INT(calendar_load_json(cal, far, sizeof far - 1, &e), -1);
  CHECK_STR(e.field, "days[0].date");
  calendar_free(cal);
}

/* Every truncation of a real file is refused cleanly (no crash, no leak
** under ASan, nothing applied) unless it is still the whole JSON value. */
static void truncated_files_are_refused(void) {
  FILE *f = fopen("data/holidays-cn/2021.json", "rb");
  char text[16384];
  size_t n, k;
  int bad = 0;
  CHECK(f != NULL);
  if (!f) return;
  n = fread(text, 1, sizeof text, f);
  fclose(f);
  for (k = 0; k < n; k++) {
    struct calendar *cal = calendar_new();
    struct err e = {0};
    int rc = calendar_load_json(cal, text, k, &e);
    if (rc == 0 ? k < n - 2 : (calendar_covers(cal, 2021) || !e.message[0]))
      bad++;
    calendar_free(cal);
  }
  CHECK_INT(bad, 0);
}

/* Not a benchmark (no timing asserted): prints the cost per call so a
** regression is visible in the test log. */
static void speed_is_printed(void) {
  struct calendar *cal = full_calendar();
  struct err e = {0};
  day_t out, from = D("2019-01-02");
  long i, sum = 0;
  clock_t t0 = clock();
  for (i = 0; i < 200000; i++) {
    day_t f = from + (day_t)(i % 2500);
    if (calendar_add_workdays(cal, f, 1 + (int)(i % 60), &out, &e) == 0)
      sum += out - f;
  }
  printf("    # add_workdays: %.0f ns per call (checksum %ld)\n",
         (double)(clock() - t0) / CLOCKS_PER_SEC * 1e9 / 200000, sum);
  CHECK(sum > 0);
  calendar_free(cal);
}

int main(void) {
  RUN(spec_example_skips_national_day);
  RUN(makeup_days_are_working_days);
  RUN(year_boundary_uses_both_files);
  RUN(missing_year_is_an_error_naming_it);
  RUN(negative_n_counts_back);
  RUN(workdays_between_both_directions);
  RUN(add_agrees_with_naive_loop);
  RUN(amendments_replace_days);
  RUN(cover_year_by_hand);
  RUN(iterate_overrides_in_order);
  RUN(invalid_json_is_refused);
  RUN(invalid_date_names_field_and_changes_nothing);
  RUN(truncated_files_are_refused);
  RUN(speed_is_printed);
  return test_summary("test_calendar");
}

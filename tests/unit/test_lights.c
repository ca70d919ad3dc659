/* test_lights.c — warning lights, planned progress and reporting frequency,
** on the real 2021 and 2026 calendars. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/lights.h"
#include "testdates.h"
#include "testlib.h"

static struct calendar *cal_2021_2026(void) {
  struct calendar *cal = calendar_new();
  int y;
  for (y = 2021; y <= 2026; y++) CHECK_INT(load_year(cal, y), 0);
  return cal;
}

/* An in-progress task started on `start`, due `deadline`, 0% done. */
static struct light_input task(const char *start, const char *deadline) {
  struct light_input in;
  memset(&in, 0, sizeof in);
  in.status = TS_IN_PROGRESS;
  in.start = start ? D(start) : DATE_NONE;
  in.deadline = deadline ? D(deadline) : DATE_NONE;
  return in;
}

static enum light L(const struct light_input *in, const char *today,
                    const struct calendar *cal) {
  int warn = -1;
  enum light l = lights_compute(in, D(today), cal, NULL, &warn);
  CHECK_INT(warn, 0);
  return l;
}

static void deadline_today_is_yellow_yesterday_red(void) {
  struct calendar *cal = cal_2021_2026();
  struct light_input in = task("2021-03-17", "2021-03-17");
  CHECK_INT(L(&in, "2021-03-17", cal), LIGHT_YELLOW);
  CHECK_INT(L(&in, "2021-03-18", cal), LIGHT_RED);
  in.status = TS_REVIEW;  /* waiting for approval is still not done */
  CHECK_INT(L(&in, "2021-03-18", cal), LIGHT_RED);
  in.status = TS_ASSIGNED;
  CHECK_INT(L(&in, "2021-03-18", cal), LIGHT_RED);
  calendar_free(cal);
}

static void yellow_window_in_working_days(void) {
  struct calendar *cal = cal_2021_2026();
  /* Wed 03-17 + 3 working days = Mon 03-22 (yellow); Tue 03-23 is the 4th. */
  struct light_input in = task("2021-03-17", "2021-03-22");
  CHECK_INT(L(&in, "2021-03-17", cal), LIGHT_YELLOW);
  in.deadline = D("2021-03-23");
  CHECK_INT(L(&in, "2021-03-17", cal), LIGHT_GREEN);
  /* Across National Day: 09-28 + 3 = 10-08 (ten calendar days away). */
  in = task("2021-09-28", "2021-10-08");
  CHECK_INT(L(&in, "2021-09-28", cal), LIGHT_YELLOW);
  in.deadline = D("2021-10-09");  /* make-up Saturday: the 4th working day */
  CHECK_INT(L(&in, "2021-09-28", cal), LIGHT_GREEN);
  /* A deadline on a day off right after the window is yellow too. */
  in = task("2021-03-17", "2021-03-21");  /* Sunday */
  CHECK_INT(L(&in, "2021-03-17", cal), LIGHT_YELLOW);
  /* Settings: yellow_workdays = 1 → Thu 03-18 yellow, Fri 03-19 green. */
  {
    struct light_settings s = {1, 30};
    in = task("2021-03-17", "2021-03-18");
    CHECK_INT(lights_compute(&in, D("2021-03-17"), cal, &s, NULL), LIGHT_YELLOW);
    in.deadline = D("2021-03-19");
    CHECK_INT(lights_compute(&in, D("2021-03-17"), cal, &s, NULL), LIGHT_GREEN);
  }
  calendar_free(cal);
}

static void lag_of_30_is_green_31_yellow(void) {
  struct calendar *cal = cal_2021_2026();
  struct milestone ms[] = {{D("2021-03-01"), 50}, {D("2021-04-30"), 100}};
  struct light_input in = task("2021-02-01", "2021-06-30");
  in.milestones = ms;
  in.n_milestones = 2;
  in.progress = 20;  /* planned 50 - 20 = 30: not more than 30 */
  CHECK_INT(L(&in, "2021-03-10", cal), LIGHT_GREEN);
  in.progress = 19;  /* 31 */
  CHECK_INT(L(&in, "2021-03-10", cal), LIGHT_YELLOW);
  in.progress = 19;  /* before the first milestone the plan is 0 */
  CHECK_INT(L(&in, "2021-02-28", cal), LIGHT_GREEN);
  /* Window plan without milestones: start Mon 03-01, deadline Mon 03-15:
  ** (03-01, 03-15] holds 10 working days; (03-01, 03-08] holds 5 → 50%. */
  in = task("2021-03-01", "2021-03-15");
  in.progress = 20;
  CHECK_INT(L(&in, "2021-03-08", cal), LIGHT_GREEN);
  in.progress = 19;
  CHECK_INT(L(&in, "2021-03-08", cal), LIGHT_YELLOW);
  calendar_free(cal);
}

static void planned_progress(void) {
  struct calendar *cal = cal_2021_2026();
  struct err e = {0};
  struct milestone ms[] = {{D("2021-03-01"), 40}, {D("2021-04-01"), 70},
                           {D("2021-05-01"), 100}};
  struct light_input in = task("2021-02-01", "2021-05-31");
  int p = -1;
  in.milestones = ms;
  in.n_milestones = 3;
  CHECK_INT(lights_planned(&in, D("2021-02-28"), cal, &p, &e), 0);
  CHECK_INT(p, 0);   /* before the first */
  CHECK_INT(lights_planned(&in, D("2021-03-01"), cal, &p, &e), 0);
  CHECK_INT(p, 40);  /* on a milestone date */
  CHECK_INT(lights_planned(&in, D("2021-03-31"), cal, &p, &e), 0);
  CHECK_INT(p, 40);
  CHECK_INT(lights_planned(&in, D("2021-04-01"), cal, &p, &e), 0);
  CHECK_INT(p, 70);
  CHECK_INT(lights_planned(&in, D("2021-12-01"), cal, &p, &e), 0);
  CHECK_INT(p, 100);
  /* Window over National Day: start 09-28, deadline 10-11 = 5 working days;
  ** today 10-08 → (09-28, 10-08] = 09-29, 09-30, 10-08 = 3 → 60%. */
  in = task("2021-09-28", "2021-10-11");
  CHECK_INT(lights_planned(&in, D("2021-10-08"), cal, &p, &e), 0);
  CHECK_INT(p, 60);
  /* 10-07 (holiday): 2 of 5 = 40%. */
  CHECK_INT(lights_planned(&in, D("2021-10-07"), cal, &p, &e), 0);
  CHECK_INT(p, 40);
  /* Rounded down: start 03-01, deadline 03-04 (3 working days), today 03-02
  ** → 1/3 = 33.3 → 33. */
  in = task("2021-03-01", "2021-03-04");
  CHECK_INT(lights_planned(&in, D("2021-03-02"), cal, &p, &e), 0);
  CHECK_INT(p, 33);
  CHECK_INT(lights_planned(&in, D("2021-03-01"), cal, &p, &e), 0);
  CHECK_INT(p, 0);
  CHECK_INT(lights_planned(&in, D("2021-02-01"), cal, &p, &e), 0);
  CHECK_INT(p, 0);
  CHECK_INT(lights_planned(&in, D("2021-03-04"), cal, &p, &e), 0);
  CHECK_INT(p, 100);
  CHECK_INT(lights_planned(&in, D("2021-04-04"), cal, &p, &e), 0);
  CHECK_INT(p, 100);
  /* No deadline: no plan. */
  in = task("2021-03-01", NULL);
  CHECK_INT(lights_planned(&in, D("2021-03-02"), cal, &p, &e), 0);
  CHECK_INT(p, 0);
  /* A window reaching into an uncovered year is an error. */
  in = task("2026-12-01", "2027-01-20");
  CHECK_INT(lights_planned(&in, D("2026-12-15"), cal, &p, &e), -1);
  CHECK(strstr(e.message, "2027") != NULL);
  calendar_free(cal);
}

static void report_overdue_is_yellow(void) {
  struct calendar *cal = cal_2021_2026();
  struct light_input in = task("2021-03-01", "2021-06-30");
  CHECK_INT(L(&in, "2021-03-10", cal), LIGHT_GREEN);
  in.report_overdue = 1;
  CHECK_INT(L(&in, "2021-03-10", cal), LIGHT_YELLOW);
  CHECK_INT(L(&in, "2021-07-01", cal), LIGHT_RED);  /* red wins */
  calendar_free(cal);
}

static void closed_and_draft_tasks_carry_none(void) {
  struct calendar *cal = cal_2021_2026();
  static const enum task_status st[] = {TS_DRAFT, TS_DONE, TS_SUSPENDED,
                                        TS_CANCELLED};
  size_t i;
  for (i = 0; i < sizeof st / sizeof st[0]; i++) {
    struct light_input in = task("2021-03-01", "2021-03-05");
    in.status = st[i];
    in.report_overdue = 1;
    CHECK_INT(L(&in, "2021-06-01", cal), LIGHT_NONE);  /* even long overdue */
    CHECK_INT(L(&in, "2021-03-04", cal), LIGHT_NONE);
  }
  calendar_free(cal);
}

static void no_deadline_is_never_red(void) {
  struct calendar *cal = cal_2021_2026();
  struct light_input in = task("2021-03-01", NULL);
  CHECK_INT(L(&in, "2030-01-01", cal), LIGHT_GREEN);
  in.report_overdue = 1;
  CHECK_INT(L(&in, "2030-01-01", cal), LIGHT_YELLOW);
  calendar_free(cal);
}

static void calendar_gap_falls_back_with_warning(void) {
  struct calendar *cal = cal_2021_2026();
  struct calendar *empty = calendar_new();
  struct light_input in;
  int warn = -1;
  /* Red needs no calendar. */
  in = task("2027-03-01", "2027-03-05");
  CHECK_INT(lights_compute(&in, D("2027-03-08"), empty, NULL, &warn), LIGHT_RED);
  CHECK_INT(warn, 0);
  /* Deadline within 3 calendar days: yellow whatever the calendar says. */
  in = task("2026-12-01", "2027-01-02");
  CHECK_INT(lights_compute(&in, D("2026-12-30"), cal, NULL, &warn), LIGHT_YELLOW);
  CHECK_INT(warn, 0);
  /* Undecidable parts: green, with a warning. 12-15 + 3 stays in 2026 but the
  ** planned-progress window runs into 2027. */
  in = task("2026-12-01", "2027-01-20");
  CHECK_INT(lights_compute(&in, D("2026-12-15"), cal, NULL, &warn), LIGHT_GREEN);
  CHECK_INT(warn, 1);
  CHECK_INT(lights_compute(&in, D("2027-01-10"), empty, NULL, &warn), LIGHT_GREEN);
  CHECK_INT(warn, 1);
  /* Milestones need no calendar for the plan; the deadline check still does. */
  {
    struct milestone ms[] = {{D("2027-01-01"), 80}};
    in.milestones = ms;
    in.n_milestones = 1;
    in.progress = 10;
    CHECK_INT(lights_compute(&in, D("2027-01-10"), empty, NULL, &warn),
              LIGHT_YELLOW);
  }
  calendar_free(cal);
  calendar_free(empty);
}

static int OV(const char *freq, const char *since, const char *last,
              const char *today) {
  struct report_freq f;
  struct err e = {0};
  if (report_freq_parse(freq, &f, &e, "freq") < 0) {
    printf("    %s: %s\n", freq, e.message);
    return -1;
  }
  return report_is_overdue(&f, since ? D(since) : DATE_NONE,
                           last ? D(last) : DATE_NONE, D(today));
}

static void report_overdue_rules(void) {
  /* weekly by Friday; 2021-03-05 is a Friday. */
  CHECK_INT(OV("weekly", "2021-03-01", NULL, "2021-03-05"), 0);  /* due today */
  CHECK_INT(OV("weekly", "2021-03-01", NULL, "2021-03-06"), 1);
  CHECK_INT(OV("weekly", "2021-03-01", "2021-03-05", "2021-03-06"), 0);
  CHECK_INT(OV("weekly", "2021-03-01", "2021-03-04", "2021-03-06"), 1);
  CHECK_INT(OV("weekly", "2021-03-01", "2021-03-05", "2021-03-12"), 0);
  CHECK_INT(OV("weekly", "2021-03-01", "2021-03-05", "2021-03-13"), 1);
  /* Assigned on the due day itself: the first due date is the next one. */
  CHECK_INT(OV("weekly", "2021-03-05", NULL, "2021-03-08"), 0);
  CHECK_INT(OV("weekly:1", "2021-03-05", NULL, "2021-03-08"), 0);
  CHECK_INT(OV("weekly:1", "2021-03-05", NULL, "2021-03-09"), 1);
  CHECK_INT(OV("weekly:7", "2021-03-01", NULL, "2021-03-08"), 1);  /* Sun 03-07 */
  /* No since and no report: any past due date counts. */
  CHECK_INT(OV("weekly", NULL, NULL, "2021-03-06"), 1);
  /* monthly:31 in February clips to the 28th (2021) or 29th (2024). */
  CHECK_INT(OV("monthly:31", "2021-02-01", NULL, "2021-02-28"), 0);
  CHECK_INT(OV("monthly:31", "2021-02-01", NULL, "2021-03-01"), 1);
  CHECK_INT(OV("monthly:31", "2024-02-01", NULL, "2024-02-29"), 0);
  CHECK_INT(OV("monthly:31", "2024-02-01", "2024-02-28", "2024-03-01"), 1);
  CHECK_INT(OV("monthly:31", "2024-02-01", "2024-02-29", "2024-03-01"), 0);
  CHECK_INT(OV("monthly:30", "2021-04-01", NULL, "2021-05-01"), 1);   /* 04-30 */
  /* monthly by the 28th, across the new year. */
  CHECK_INT(OV("monthly", "2021-12-01", NULL, "2021-12-28"), 0);
  CHECK_INT(OV("monthly", "2021-12-01", NULL, "2022-01-10"), 1);
  CHECK_INT(OV("monthly", "2021-12-01", "2021-12-29", "2022-01-10"), 0);
  CHECK_INT(OV("monthly", "2021-12-29", NULL, "2022-01-28"), 0);
  CHECK_INT(OV("monthly", "2021-12-29", NULL, "2022-01-29"), 1);
  CHECK_INT(OV("none", NULL, NULL, "2022-01-29"), 0);
}

static void report_freq_text(void) {
  struct report_freq f;
  struct err e = {0};
  char buf[16];
  static const char *bad[] = {"", "daily", "weekly:0", "weekly:8", "weekly:",
                              "weekly:5x", "monthly:0", "monthly:32",
                              "monthly:-1", "Weekly", "monthly:0031"};
  size_t i;
  CHECK_INT(report_freq_parse("weekly", &f, &e, "f"), 0);
  CHECK_INT(f.kind, FREQ_WEEKLY);
  CHECK_INT(f.day, 5);
  CHECK_STR(report_freq_format(&f, buf), "weekly:5");
  CHECK_INT(report_freq_parse("monthly", &f, &e, "f"), 0);
  CHECK_INT(f.kind, FREQ_MONTHLY);
  CHECK_INT(f.day, 28);
  CHECK_STR(report_freq_format(&f, buf), "monthly:28");
  CHECK_INT(report_freq_parse("monthly:31", &f, &e, "f"), 0);
  CHECK_STR(report_freq_format(&f, buf), "monthly:31");
  CHECK_INT(report_freq_parse("weekly:7", &f, &e, "f"), 0);
  CHECK_STR(report_freq_format(&f, buf), "weekly:7");
  CHECK_INT(report_freq_parse("none", &f, &e, "f"), 0);
  CHECK_INT(f.kind, FREQ_NONE);
  CHECK_STR(report_freq_format(&f, buf), "none");
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    err_clear(&e);
    f.kind = FREQ_WEEKLY;
    f.day = 3;
    CHECK_INT(report_freq_parse(bad[i], &f, &e, "report_freq"), -1);
    CHECK_STR(e.field, "report_freq");
    CHECK_INT(e.code, ERR_INVALID);
    CHECK_INT(f.day, 3);  /* untouched on error */
  }
}

static void light_names(void) {
  enum light l = LIGHT_NONE;
  CHECK_STR(light_name(LIGHT_RED), "red");
  CHECK_STR(light_name(LIGHT_YELLOW), "yellow");
  CHECK_STR(light_name(LIGHT_GREEN), "green");
  CHECK_STR(light_name(LIGHT_NONE), "none");
  CHECK_INT(light_parse("yellow", &l), 0);
  CHECK_INT(l, LIGHT_YELLOW);
  CHECK_INT(light_parse("purple", &l), -1);
  CHECK_INT(light_parse(NULL, &l), -1);
}

int main(void) {
  RUN(deadline_today_is_yellow_yesterday_red);
  RUN(yellow_window_in_working_days);
  RUN(lag_of_30_is_green_31_yellow);
  RUN(planned_progress);
  RUN(report_overdue_is_yellow);
  RUN(closed_and_draft_tasks_carry_none);
  RUN(no_deadline_is_never_red);
  RUN(calendar_gap_falls_back_with_warning);
  RUN(report_overdue_rules);
  RUN(report_freq_text);
  RUN(light_names);
  return test_summary("test_lights");
}

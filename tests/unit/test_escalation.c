/* test_escalation.c — the escalation ladder: text form, trigger days and due
** steps on the real 2021 and 2026 calendars. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/escalation.h"
#include "testdates.h"
#include "testlib.h"

static struct calendar *cal_of(int y0, int y1) {
  struct calendar *cal = calendar_new();
  int y;
  for (y = y0; y <= y1; y++) CHECK_INT(load_year(cal, y), 0);
  return cal;
}

static void default_ladder(void) {
  struct escalation_ladder l;
  char buf[128];
  escalation_ladder_default(&l);
  CHECK_INT(l.n, 4);
  CHECK_STR(l.steps[0].name, "提醒");
  CHECK_INT(l.steps[0].offset_workdays, -3);
  CHECK_INT(l.steps[1].offset_workdays, 0);
  CHECK_INT(l.steps[2].offset_workdays, 3);
  CHECK_STR(l.steps[3].name, "问责建议");
  CHECK_INT(l.steps[3].offset_workdays, 10);
  CHECK_INT(l.steps[3].flag_accountability, 1);
  CHECK_INT(l.steps[2].flag_accountability, 0);
  CHECK_INT(l.steps[3].level, 4);
  escalation_ladder_format(&l, buf, sizeof buf);
  CHECK_STR(buf, "提醒:-3,催办:0,督办:3,问责建议:10!");
}

static void parse_and_format_round_trip(void) {
  struct escalation_ladder l, d;
  struct err e = {0};
  char buf[128];
  escalation_ladder_default(&d);
  CHECK_INT(escalation_ladder_parse("提醒:-3,催办:0,督办:3,问责建议:10!", &l, &e,
                                    "ladder"), 0);
  CHECK(memcmp(&l, &d, sizeof l) == 0);
  /* Full-width punctuation, spaces, '+', a space before '!'. */
  CHECK_INT(escalation_ladder_parse(" 提醒 ：-3， 催办:+0 ,督办: 3,问责建议 : 10 ! ",
                                    &l, &e, "ladder"), 0);
  CHECK(memcmp(&l, &d, sizeof l) == 0);
  /* A shorter custom ladder. */
  CHECK_INT(escalation_ladder_parse("催办:0,约谈:5!", &l, &e, "ladder"), 0);
  CHECK_INT(l.n, 2);
  CHECK_INT(l.steps[1].level, 2);
  CHECK_INT(l.steps[1].flag_accountability, 1);
  escalation_ladder_format(&l, buf, sizeof buf);
  CHECK_STR(buf, "催办:0,约谈:5!");
  /* Truncation keeps whole steps: "提醒:-3" is 9 bytes. */
  escalation_ladder_format(&d, buf, 10);
  CHECK_STR(buf, "提醒:-3");
  escalation_ladder_format(&d, buf, 9);
  CHECK_STR(buf, "");
}

static void bad_ladders_are_refused(void) {
  static const char *bad[] = {
    "", "提醒", "提醒:-3,", ",提醒:-3", "提醒:x", "提醒:3,催办:0",
    "提醒:0,催办:0", ":3", "提醒:101", "提醒:-101", "提醒:3!!", "提醒:--3",
    "一二三四五六七八九十一:1",  /* 33 bytes */
    "a:1,b:2,c:3,d:4,e:5,f:6,g:7,h:8,i:9", "提醒:1:2", "a!b:1", "\x01:1",
    "\xff\xfe:1",
  };
  size_t i;
  struct escalation_ladder l;
  struct err e = {0};
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    escalation_ladder_default(&l);
    err_clear(&e);
    if (escalation_ladder_parse(bad[i], &l, &e, "escalation_ladder") != -1) {
      printf("    accepted: \"%s\"\n", bad[i]);
      CHECK(0);
    }
    CHECK_STR(e.field, "escalation_ladder");
    CHECK_INT(e.code, ERR_INVALID);
    CHECK_INT(l.n, 4);  /* unchanged */
  }
  /* 8 steps is the limit, and fits. */
  CHECK_INT(escalation_ladder_parse("a:1,b:2,c:3,d:4,e:5,f:6,g:7,h:8", &l, &e,
                                    "x"), 0);
  CHECK_INT(l.n, 8);
}

static void trigger_days_across_national_day(void) {
  struct calendar *cal = cal_of(2021, 2021);
  struct escalation_ladder l;
  struct err e = {0};
  day_t t;
  escalation_ladder_default(&l);
  /* Deadline Thu 2021-09-30. -3: 09-29, 09-28, 09-27. */
  CHECK_INT(escalation_trigger_day(&l.steps[0], D("2021-09-30"), cal, &t, &e), 0);
  CHECK_STR(F(t), "2021-09-27");
  CHECK_INT(escalation_trigger_day(&l.steps[1], D("2021-09-30"), cal, &t, &e), 0);
  CHECK_STR(F(t), "2021-09-30");
  /* +3: 10-08 (Fri), 10-09 (make-up Sat), 10-11 — weekday-only: 10-05. */
  CHECK_INT(escalation_trigger_day(&l.steps[2], D("2021-09-30"), cal, &t, &e), 0);
  CHECK_STR(F(t), "2021-10-11");
  /* +10: 10-08, 09, 11, 12, 13, 14, 15, 18, 19, 20. */
  CHECK_INT(escalation_trigger_day(&l.steps[3], D("2021-09-30"), cal, &t, &e), 0);
  CHECK_STR(F(t), "2021-10-20");
  CHECK_INT(escalation_trigger_day(&l.steps[3], DATE_NONE, cal, &t, &e), -1);
  calendar_free(cal);
}

static int due(const struct escalation_ladder *l, enum task_status st,
               const char *deadline, const char *today,
               const struct calendar *cal, size_t *idx) {
  struct err e = {0};
  int n = escalation_due(l, st, deadline ? D(deadline) : DATE_NONE, D(today),
                         cal, idx, &e);
  if (n < 0) printf("    due %s %s: %s\n", deadline, today, e.message);
  return n;
}

static void due_steps_on_each_boundary(void) {
  struct calendar *cal = cal_of(2021, 2021);
  struct escalation_ladder l;
  size_t idx[ESCALATION_MAX_STEPS];
  const char *dl = "2021-09-30";
  escalation_ladder_default(&l);
  CHECK_INT(due(&l, TS_IN_PROGRESS, dl, "2021-09-24", cal, idx), 0);
  CHECK_INT(due(&l, TS_IN_PROGRESS, dl, "2021-09-26", cal, idx), 0);
  CHECK_INT(due(&l, TS_IN_PROGRESS, dl, "2021-09-27", cal, idx), 1);  /* 提醒 */
  CHECK_INT(idx[0], 0);
  CHECK_INT(due(&l, TS_IN_PROGRESS, dl, "2021-09-29", cal, idx), 1);
  CHECK_INT(due(&l, TS_IN_PROGRESS, dl, "2021-09-30", cal, idx), 2);  /* 催办 */
  CHECK_INT(idx[1], 1);
  /* Across the holiday: weekday-only +3 would fire on 10-05. */
  CHECK_INT(due(&l, TS_IN_PROGRESS, dl, "2021-10-05", cal, idx), 2);
  CHECK_INT(due(&l, TS_IN_PROGRESS, dl, "2021-10-09", cal, idx), 2);
  CHECK_INT(due(&l, TS_IN_PROGRESS, dl, "2021-10-10", cal, idx), 2);
  CHECK_INT(due(&l, TS_IN_PROGRESS, dl, "2021-10-11", cal, idx), 3);  /* 督办 */
  CHECK_INT(idx[2], 2);
  CHECK_INT(due(&l, TS_IN_PROGRESS, dl, "2021-10-19", cal, idx), 3);
  CHECK_INT(due(&l, TS_IN_PROGRESS, dl, "2021-10-20", cal, idx), 4);  /* 问责 */
  CHECK_INT(idx[3], 3);
  CHECK_INT(due(&l, TS_IN_PROGRESS, dl, "2021-12-31", cal, idx), 4);
  /* Open statuses. */
  CHECK_INT(due(&l, TS_ASSIGNED, dl, "2021-10-20", cal, idx), 4);
  CHECK_INT(due(&l, TS_REVIEW, dl, "2021-10-20", cal, idx), 4);
  calendar_free(cal);
}

static void closed_tasks_have_no_due_steps(void) {
  struct calendar *cal = cal_of(2021, 2021);
  struct escalation_ladder l;
  size_t idx[ESCALATION_MAX_STEPS];
  static const enum task_status st[] = {TS_DRAFT, TS_DONE, TS_SUSPENDED,
                                        TS_CANCELLED};
  size_t i;
  escalation_ladder_default(&l);
  for (i = 0; i < sizeof st / sizeof st[0]; i++)
    CHECK_INT(due(&l, st[i], "2021-09-30", "2021-12-31", cal, idx), 0);
  CHECK_INT(due(&l, TS_IN_PROGRESS, NULL, "2021-12-31", cal, idx), 0);
  calendar_free(cal);
}

static void calendar_gap_only_when_needed(void) {
  struct calendar *cal = cal_of(2026, 2026);
  struct escalation_ladder l;
  size_t idx[ESCALATION_MAX_STEPS];
  struct err e = {0};
  escalation_ladder_default(&l);
  /* Deadline Mon 2026-12-28; +3 = 12-31, +10 lies in 2027 (uncovered). On
  ** 12-29 the +10 step cannot be due yet (12-28 + 10 days = 2027-01-07). */
  CHECK_INT(due(&l, TS_IN_PROGRESS, "2026-12-28", "2026-12-29", cal, idx), 2);
  CHECK_INT(due(&l, TS_IN_PROGRESS, "2026-12-28", "2026-12-31", cal, idx), 3);
  /* On 2027-01-08 it might be: the calendar is needed and missing. */
  CHECK_INT(escalation_due(&l, TS_IN_PROGRESS, D("2026-12-28"), D("2027-01-08"),
                           cal, idx, &e), -1);
  CHECK(strstr(e.message, "2027") != NULL);
  /* A -3 step long past its deadline needs no calendar at all. */
  {
    struct calendar *empty = calendar_new();
    CHECK_INT(due(&l, TS_IN_PROGRESS, "2030-06-10", "2030-06-07", empty, idx), 1);
    calendar_free(empty);
  }
  calendar_free(cal);
}

int main(void) {
  RUN(default_ladder);
  RUN(parse_and_format_round_trip);
  RUN(bad_ladders_are_refused);
  RUN(trigger_days_across_national_day);
  RUN(due_steps_on_each_boundary);
  RUN(closed_tasks_have_no_due_steps);
  RUN(calendar_gap_only_when_needed);
  return test_summary("test_escalation");
}

/*
** lights.c — see lights.h.
**
** The calendar is consulted only when a rule cannot be decided from dates
** alone, so that a gap in the calendar costs as little as possible: red never
** needs it; "deadline within N working days" is certain without it when the
** deadline is within N calendar days (N working days span at least N days).
*/
#include "core/lights.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kLightName[LIGHT__COUNT] = {
  [LIGHT_NONE] = "none",
  [LIGHT_GREEN] = "green",
  [LIGHT_YELLOW] = "yellow",
  [LIGHT_RED] = "red",
};

void light_settings_default(struct light_settings *s) {
  s->yellow_workdays = 3;
  s->lag_points = 30;
}

static int clamp_pct(long v) { return v < 0 ? 0 : v > 100 ? 100 : (int)v; }

int lights_planned(const struct light_input *in, day_t today,
                   const struct calendar *cal, int *out, struct err *e) {
  int done, total;
  if (in->n_milestones > 0 && in->milestones) {
    size_t i;
    int pct = 0;
    for (i = 0; i < in->n_milestones && in->milestones[i].date <= today; i++)
      pct = in->milestones[i].percent;
    *out = clamp_pct(pct);
    return 0;
  }
  if (in->deadline == DATE_NONE || in->start == DATE_NONE || today <= in->start) {
    *out = 0;
    return 0;
  }
  if (today >= in->deadline) {
    *out = 100;
    return 0;
  }
  /* start < today < deadline */
  if (calendar_workdays_between(cal, in->start, in->deadline, &total, e) < 0 ||
      calendar_workdays_between(cal, in->start, today, &done, e) < 0)
    return -1;
  *out = total > 0 ? clamp_pct((long)done * 100 / total) : 0;
  return 0;
}

/* 1 if the light needs computing: the task is open. */
static int carries_light(enum task_status st) {
  return st == TS_ASSIGNED || st == TS_IN_PROGRESS || st == TS_REVIEW;
}

enum light lights_compute(const struct light_input *in, day_t today,
                          const struct calendar *cal,
                          const struct light_settings *s, int *warning) {
  struct light_settings def;
  int planned;
  int gap = 0;
  if (warning) *warning = 0;
  if (!carries_light(in->status)) return LIGHT_NONE;
  if (!s) {
    light_settings_default(&def);
    s = &def;
  }
  if (in->deadline != DATE_NONE && today > in->deadline) return LIGHT_RED;

  if (in->report_overdue) return LIGHT_YELLOW;

  if (in->deadline != DATE_NONE) {
    long n = s->yellow_workdays < 0 ? 0 : s->yellow_workdays;
    if ((long)in->deadline - (long)today <= n) return LIGHT_YELLOW;
    /* Further than n calendar days: ask the calendar. */
    {
      day_t limit;
      if (calendar_add_workdays(cal, today, (int)n, &limit, NULL) < 0)
        gap = 1;
      else if (limit >= in->deadline)
        return LIGHT_YELLOW;
    }
  }

  if (lights_planned(in, today, cal, &planned, NULL) < 0)
    gap = 1;
  else if (planned - in->progress > s->lag_points)
    return LIGHT_YELLOW;

  if (gap && warning) *warning = 1;
  return LIGHT_GREEN;
}

/* The latest due date of f strictly before today. */
static day_t last_due_before(const struct report_freq *f, day_t today) {
  day_t y = today - 1;
  if (f->kind == FREQ_WEEKLY) {
    int back = (date_weekday(y) - f->day + 7) % 7;
    return y - back;
  } else {
    int yy, mm, dd, due;
    date_to_ymd(y, &yy, &mm, &dd);
    due = f->day < date_days_in_month(yy, mm) ? f->day
                                              : date_days_in_month(yy, mm);
    if (due > dd) {  /* not yet this month: the previous month's */
      if (--mm == 0) {
        mm = 12;
        yy--;
      }
      due = f->day < date_days_in_month(yy, mm) ? f->day
                                                : date_days_in_month(yy, mm);
    }
    return date_from_ymd(yy, mm, due);
  }
}

int report_is_overdue(const struct report_freq *f, day_t since,
                      day_t last_report, day_t today) {
  day_t base = since > last_report ? since : last_report;  /* NONE is minimal */
  if (!f || today == DATE_NONE) return 0;
  if (f->kind == FREQ_WEEKLY) {
    if (f->day < 1 || f->day > 7) return 0;
  } else if (f->kind == FREQ_MONTHLY) {
    if (f->day < 1 || f->day > 31) return 0;
  } else {
    return 0;
  }
  return last_due_before(f, today) > base;
}

/* Reads "N" in lo..hi from the whole of s. */
static int parse_small_int(const char *s, int lo, int hi, int *out) {
  int v = 0, k = 0;
  while (s[k] >= '0' && s[k] <= '9' && k < 3) v = v * 10 + (s[k++] - '0');
  if (k == 0 || s[k] != 0 || v < lo || v > hi) return -1;
  *out = v;
  return 0;
}

int report_freq_parse(const char *s, struct report_freq *out, struct err *e,
                      const char *field) {
  struct report_freq f = {FREQ_NONE, 0};
  if (!s) s = "";
  if (strcmp(s, "none") == 0) {
    /* f is already none */
  } else if (strcmp(s, "weekly") == 0) {
    f.kind = FREQ_WEEKLY;
    f.day = 5;
  } else if (strcmp(s, "monthly") == 0) {
    f.kind = FREQ_MONTHLY;
    f.day = 28;
  } else if (strncmp(s, "weekly:", 7) == 0) {
    f.kind = FREQ_WEEKLY;
    if (parse_small_int(s + 7, 1, 7, &f.day) < 0)
      return err_set(e, ERR_INVALID, field,
                     "\"%.40s\": the weekday must be 1 (Monday) to 7 (Sunday)",
                     s);
  } else if (strncmp(s, "monthly:", 8) == 0) {
    f.kind = FREQ_MONTHLY;
    if (parse_small_int(s + 8, 1, 31, &f.day) < 0)
      return err_set(e, ERR_INVALID, field,
                     "\"%.40s\": the day of the month must be 1 to 31", s);
  } else {
    return err_set(e, ERR_INVALID, field,
                   "\"%.40s\" is not a reporting frequency (none, weekly, "
                   "weekly:1..7, monthly, monthly:1..31)", s);
  }
  *out = f;
  return 0;
}

char *report_freq_format(const struct report_freq *f, char out[16]) {
  if (f->kind == FREQ_WEEKLY)
    snprintf(out, 16, "weekly:%d", f->day);
  else if (f->kind == FREQ_MONTHLY)
    snprintf(out, 16, "monthly:%d", f->day);
  else
    snprintf(out, 16, "none");
  return out;
}

const char *light_name(enum light l) {
  if ((int)l < 0 || l >= LIGHT__COUNT) return "none";
  return kLightName[l];
}

int light_parse(const char *s, enum light *out) {
  int i;
  if (!s) return -1;
  for (i = 0; i < LIGHT__COUNT; i++)
    if (strcmp(s, kLightName[i]) == 0) {
      *out = (enum light)i;
      return 0;
    }
  return -1;
}

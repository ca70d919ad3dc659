/*
** lights.h — warning lights and planned progress (SPEC §6).
**
**   red    — not done (and not draft/suspended/cancelled) and today is past
**            the current deadline;
**   yellow — not done, and: the deadline is within `yellow_workdays` working
**            days (today + yellow_workdays >= deadline, counted on the
**            calendar), or progress trails planned progress by more than
**            `lag_points`, or a progress report is overdue;
**   green  — otherwise;
**   none   — draft, done, suspended, cancelled.
** So assigned, in_progress and review tasks carry green, yellow or red. A task
** without a deadline is never red and never yellow by its deadline.
**
** Planned progress (序时进度): from milestones when there are any — the
** percent of the latest milestone dated on or before today (0 before the
** first) — else the elapsed share of the working-day window
** (workdays(start, today) / workdays(start, deadline) × 100, rounded down,
** clamped 0..100; 0 without a start or a deadline, or when the window holds
** no working day before the deadline; 100 from the deadline on).
*/
#ifndef DUBAN_LIGHTS_H
#define DUBAN_LIGHTS_H

#include <stddef.h>

#include "core/calendar.h"
#include "core/types.h"

struct light_settings {
  int yellow_workdays;   /* default 3 */
  int lag_points;        /* default 30 */
};

struct light_input {
  enum task_status status;
  day_t start;                    /* window start: the day it was assigned */
  day_t deadline;                 /* current deadline; DATE_NONE: none */
  int progress;                   /* reported 0..100 */
  const struct milestone *milestones;  /* sorted by date, may be NULL */
  size_t n_milestones;
  int report_overdue;             /* 1 if a due progress report is missing */
};

void light_settings_default(struct light_settings *s);

/* Planned progress at today, 0..100. 0 or -1 with e (calendar gap). */
int lights_planned(const struct light_input *in, day_t today,
                   const struct calendar *cal, int *out, struct err *e);

/* Computes the light. s may be NULL (defaults). When the calendar does not
** cover a needed date, the light falls back to what can be decided without it
** (red is decided by date alone; a deadline within yellow_workdays calendar
** days is yellow whatever the calendar says) and *warning is set to 1 if
** non-NULL (it is set to 0 otherwise); it never fails. */
enum light lights_compute(const struct light_input *in, day_t today,
                          const struct calendar *cal,
                          const struct light_settings *s, int *warning);

/* 1 if a report is overdue: a due date of the frequency lies in
** (max(last_report, since), today) — i.e. passed without a report after it.
** A report due today is not overdue until tomorrow; a report on the due date
** itself satisfies it. Due dates are calendar dates (weekly: every such
** weekday; monthly: day `day` of each month, clipped to the month's end, so
** monthly:31 is due on 02-28/29, 04-30 ...). last_report and since may be
** DATE_NONE. FREQ_NONE (or an out-of-range day) never is. */
int report_is_overdue(const struct report_freq *f, day_t since,
                      day_t last_report, day_t today);

/* Parses "none", "weekly" (=weekly by Friday), "weekly:N" (N=1..7),
** "monthly" (=by the 28th), "monthly:N" (N=1..31). 0 or -1 with e on field. */
int report_freq_parse(const char *s, struct report_freq *out, struct err *e,
                      const char *field);
/* Canonical text form into out (16 bytes): "none", "weekly:N", "monthly:N"
** (always explicit, so "weekly" reads back as "weekly:5"). */
char *report_freq_format(const struct report_freq *f, char out[16]);

const char *light_name(enum light l);  /* "none","green","yellow","red" */
int light_parse(const char *s, enum light *out);  /* 0, or -1 if unknown */

#endif

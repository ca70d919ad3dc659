/*
** escalation.h — the escalation ladder (SPEC §6).
**
** A ladder is a list of steps; each fires on a trigger day fixed relative to
** the current deadline in working days: offset -3 = 3 working days before
** (提醒), 0 = on the deadline day (催办单), +3 = 3 working days after (督办通知单),
** +10 = 10 after (问责建议). Negative offsets count back strictly before the
** deadline, positive ones strictly after it (calendar.h's convention).
**
** A step is due once today >= its trigger day and the task is open: assigned,
** in_progress or review. A task waiting in review is still open — until the
** supervisor approves it, the deadline keeps running. Draft, done, suspended
** and cancelled tasks have no due steps. The tick records each due step once
** per (task, unit, level, deadline): a new deadline after an extension starts
** a fresh ladder.
**
** Text form (settings): steps in order, separated by ',', each "name:offset",
** with '!' after the offset on the step that flags accountability:
** "提醒:-3,催办:0,督办:3,问责建议:10!". Full-width '，' and '：' are accepted,
** spaces around items are ignored. Level = position (1-based). Offsets must
** be strictly ascending, within -100..100; 1..8 steps; names 1..31 bytes
** without ",:!".
*/
#ifndef DUBAN_ESCALATION_H
#define DUBAN_ESCALATION_H

#include <stddef.h>

#include "core/calendar.h"
#include "core/types.h"

#define ESCALATION_MAX_STEPS 8

struct escalation_step {
  int level;             /* 1..; higher is more severe */
  char name[32];         /* "提醒", "催办", "督办", "问责建议" */
  int offset_workdays;   /* relative to the deadline, see above */
  int flag_accountability;  /* 1: reaching this step flags the task (SPEC §7) */
};

struct escalation_ladder {
  size_t n;
  struct escalation_step steps[ESCALATION_MAX_STEPS];  /* ascending level */
};

void escalation_ladder_default(struct escalation_ladder *l);

/* Parses the text form into *l ('!' marks the flag step); *l is unchanged on
** error. 0 or -1 with e (ERR_INVALID) on `field`. Format writes the canonical
** form ("提醒:-3,催办:0,督办:3,问责建议:10!"), truncated to fit n bytes. */
int escalation_ladder_parse(const char *s, struct escalation_ladder *l,
                            struct err *e, const char *field);
void escalation_ladder_format(const struct escalation_ladder *l, char *out,
                              size_t n);

/* Trigger day of a step for a deadline: deadline + offset working days
** (offset 0: the deadline itself, even on a day off). 0 or -1 with e. */
int escalation_trigger_day(const struct escalation_step *s, day_t deadline,
                           const struct calendar *cal, day_t *out,
                           struct err *e);

/* Which steps are due for a task today: fills idx_out[] (room for l->n, at
** most ESCALATION_MAX_STEPS) with the indexes into l->steps, ascending, of
** every step whose trigger day <= today, for an open task (assigned,
** in_progress, review). Returns the count (0..n): 0 for a task that is not
** open or has no deadline. -1 with e only when the calendar is needed and does
** not cover a date; a step decidable from dates alone (a +k step while
** today < deadline + k; a -k step once today >= deadline - k) never asks it. */
int escalation_due(const struct escalation_ladder *l, enum task_status status,
                   day_t deadline, day_t today, const struct calendar *cal,
                   size_t *idx_out, struct err *e);

#endif

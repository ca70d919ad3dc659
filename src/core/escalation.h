/*
** escalation.h — the escalation ladder (SPEC §6).
**
** A ladder is a list of steps; each fires on a trigger day fixed relative to
** the current deadline in working days: offset -3 = 3 working days before
** (提醒), 0 = on the deadline day (催办单), +3 = 3 working days after (督办通知单),
** +10 = 10 after (问责建议). A step is due once today >= its trigger day and
** the task is still open (assigned / in_progress / review is *not* open for
** steps after the deadline? — see escalation_due: review counts as open
** before approval). The tick records each due step once per (task, unit,
** level, deadline): a new deadline after an extension starts a fresh ladder.
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

/* Parses "提醒:-3,催办:0,督办:3,问责建议:10!" ('!' marks the flag step) and
** writes it back. 0 or -1 with e on `field`. */
int escalation_ladder_parse(const char *s, struct escalation_ladder *l,
                            struct err *e, const char *field);
void escalation_ladder_format(const struct escalation_ladder *l, char *out,
                              size_t n);

/* Trigger day of a step for a deadline. 0 or -1 with e (calendar gap). */
int escalation_trigger_day(const struct escalation_step *s, day_t deadline,
                           const struct calendar *cal, day_t *out,
                           struct err *e);

/* Which steps are due for a task today: fills levels[] with the indexes
** (into l->steps) of every step whose trigger day <= today, for a task whose
** status is assigned, in_progress or review. Returns the count (0..n), or -1
** with e. */
int escalation_due(const struct escalation_ladder *l, enum task_status status,
                   day_t deadline, day_t today, const struct calendar *cal,
                   size_t *idx_out, struct err *e);

#endif

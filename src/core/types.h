/*
** types.h — the vocabulary of the domain (SPEC §4): states, roles, actions,
** lights, and the small value types the pure core computes on.
**
** Everything here is plain data; no function in src/core does I/O. Names of
** enum values have stable text forms (lifecycle.h: *_name / *_parse) used in
** the database, the JSON API and the CLI.
*/
#ifndef DUBAN_TYPES_H
#define DUBAN_TYPES_H

#include <stdint.h>

#include "util/date.h"

/* Task status (SPEC §5). Stored as its name ("draft", "in_progress", ...). */
enum task_status {
  TS_DRAFT,        /* 草拟 */
  TS_ASSIGNED,     /* 已交办 */
  TS_IN_PROGRESS,  /* 办理中 */
  TS_REVIEW,       /* 待审核 */
  TS_DONE,         /* 已办结 */
  TS_SUSPENDED,    /* 暂缓 */
  TS_CANCELLED,    /* 撤销 */
  TS__COUNT
};

/* Roles (SPEC §2), a bit set: a user may hold several. */
enum role {
  ROLE_ADMIN = 1 << 0,
  ROLE_SUPERVISOR = 1 << 1,
  ROLE_LEADER = 1 << 2,
  ROLE_UNIT = 1 << 3,
  ROLE_MEMBER = 1 << 4,
};
#define ROLE_ANY (ROLE_ADMIN | ROLE_SUPERVISOR | ROLE_LEADER | ROLE_UNIT | ROLE_MEMBER)

/* A unit's part in a task. */
enum asg_role { ASG_LEAD, ASG_COOP };
enum asg_state {
  AS_ASSIGNED,       /* issued, not yet signed for */
  AS_ACCEPTED,       /* 签收 */
  AS_RETURNED,       /* 退回 with grounds, waiting for the supervisor */
  AS_REPORTED_DONE,  /* the unit says its part is done */
  AS__COUNT
};

/* Warning light (SPEC §6). Done, cancelled and draft tasks carry none. */
enum light { LIGHT_NONE, LIGHT_GREEN, LIGHT_YELLOW, LIGHT_RED, LIGHT__COUNT };

/* Evaluation of a closed task (优 / 良 / 中 / 差). */
enum evaluation { EVAL_NONE, EVAL_EXCELLENT, EVAL_GOOD, EVAL_FAIR, EVAL_POOR };

/* A planned progress point (节点). */
struct milestone {
  day_t date;     /* by this date ... */
  int percent;    /* ... this much progress is planned (0..100) */
};

/* How often a task's units must report (SPEC §4 "reporting frequency"). */
enum report_freq_kind {
  FREQ_NONE,      /* no fixed rhythm */
  FREQ_WEEKLY,    /* every week by weekday `day` (1=Mon..7=Sun) */
  FREQ_MONTHLY,   /* every month by day `day` (1..31; clipped to month end) */
};
struct report_freq {
  enum report_freq_kind kind;
  int day;
};

#endif

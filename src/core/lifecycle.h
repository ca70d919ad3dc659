/*
** lifecycle.h — the task lifecycle of SPEC §5 as one transition table.
**
**                 assign                accept (lead unit)
**     [draft] ───────────▶ [assigned] ─────────────────────▶ [in_progress] ◀──┐
**        │ delete             │  ▲ return (unit, grounds)       │   │   ▲     │
**        ▼                    │  └─ reassign / insist (sup.)    │   │   │     │
**     (gone)                  │                                 │   │   │ reject (sup., reason)
**                             │               complete (lead)   │   │   │     │
**                             │              ┌──────────────────┘   │ [review] │
**                             │              ▼                      │   │      │
**                             │          [review] ──approve (sup.)──┼─▶[done]──┘ reopen (sup.)
**                             │                                     │
**   suspend (sup., reason): assigned | in_progress | review ─▶ [suspended] ─resume─▶ (back)
**   cancel  (sup., reason): any open state or suspended     ─▶ [cancelled]
**
** Self-loops that record without changing state: progress, request_extension,
** decide_extension, urge, instruct (批示), evaluate, edit, accountability.
**
** Who may act is a role set plus, for unit actions, the actor's relation to
** the task: REL_LEAD (their unit leads it) or REL_PART (their unit leads or
** cooperates). Admins may do everything a supervisor may. A refusal is an
** ERR_STATE (not in this state), ERR_FORBIDDEN (not for this role/relation) or
** ERR_INVALID (a required field is missing), each naming the field.
*/
#ifndef DUBAN_LIFECYCLE_H
#define DUBAN_LIFECYCLE_H

#include <stddef.h>

#include "core/types.h"
#include "util/err.h"

enum task_action {
  ACT_ASSIGN,            /* 交办 */
  ACT_ACCEPT,            /* 签收 */
  ACT_RETURN,            /* 退回 (by a unit, with grounds) */
  ACT_REASSIGN,          /* 改派 a returned part to another unit */
  ACT_INSIST,            /* the supervisor insists: the returned part stands */
  ACT_PROGRESS,          /* 进展反馈 */
  ACT_REQUEST_EXTENSION, /* 延期申请 */
  ACT_DECIDE_EXTENSION,  /* approve or refuse an extension */
  ACT_COMPLETE,          /* 申请办结 */
  ACT_APPROVE,           /* 销号 */
  ACT_REJECT,            /* 退回重办 */
  ACT_EVALUATE,          /* 评价 */
  ACT_REOPEN,
  ACT_SUSPEND,
  ACT_RESUME,
  ACT_CANCEL,
  ACT_DELETE,
  ACT_URGE,              /* 催办 (manual) */
  ACT_INSTRUCT,          /* 批示 */
  ACT_EDIT,
  ACT_ACCOUNTABILITY,    /* 问责 record */
  ACT__COUNT
};

/* Relation of the acting user to the task. */
enum actor_rel {
  REL_NONE = 0,
  REL_PART = 1 << 0,     /* the user's unit leads or cooperates */
  REL_LEAD = 1 << 1,     /* the user's unit leads (implies REL_PART) */
};

/* Fields an action requires (bit set). */
enum action_field {
  F_REASON = 1 << 0,     /* "reason": grounds / comment */
  F_TEXT = 1 << 1,       /* "text": report or evidence text */
  F_PROGRESS = 1 << 2,   /* "progress": 0..100 */
  F_DATE = 1 << 3,       /* "date": requested / permitted date */
  F_EVALUATION = 1 << 4, /* "evaluation" */
  F_UNIT = 1 << 5,       /* "unit_id" */
  F_DECISION = 1 << 6,   /* "decision": approve | refuse */
  F_KIND = 1 << 7,       /* "kind" (accountability kind) */
};

/* Next state markers beyond the real states. */
#define NEXT_SAME ((enum task_status)100)     /* stays */
#define NEXT_RESTORE ((enum task_status)101)  /* back to the state before suspension */
#define NEXT_GONE ((enum task_status)102)     /* deleted */

struct transition {
  enum task_status from;
  enum task_action action;
  enum task_status to;   /* a state or a NEXT_* marker */
  unsigned roles;        /* enum role bits allowed (admin is added for supervisor rows) */
  unsigned rel;          /* enum actor_rel required for unit roles; 0: none */
  unsigned fields;       /* enum action_field bits required */
};

/* Finds the row for (state, action). NULL when the action is not allowed in
** that state. */
const struct transition *lifecycle_find(enum task_status st, enum task_action a);

/* Checks whether a user with `roles` and relation `rel` may take action `a`
** on a task in state `st`, given the fields present (`have`, enum action_field
** bits). Returns the row, or NULL with e set (ERR_STATE, ERR_FORBIDDEN or
** ERR_INVALID naming the missing field). */
const struct transition *lifecycle_check(enum task_status st, enum task_action a,
                                         unsigned roles, unsigned rel,
                                         unsigned have, struct err *e);

/* 1 if the check above would pass with every field present; no message is
** formatted (for listing the actions a user may take). */
int lifecycle_permits(enum task_status st, enum task_action a, unsigned roles, unsigned rel);
/* Every action lifecycle_permits allows from st, as bits (1u << action), in
** one pass over the table (a task view lists them all). */
unsigned lifecycle_permitted(enum task_status st, unsigned roles, unsigned rel);

/* The states in which action a is allowed, as "assigned, in_progress". */
void lifecycle_allowed_states(enum task_action a, char *out, size_t n);

/* Text forms. *_parse return 0 or -1. */
const char *task_status_name(enum task_status s);
const char *task_status_label(enum task_status s);  /* 草拟, 已交办 ... */
int task_status_parse(const char *s, enum task_status *out);
const char *task_action_name(enum task_action a);   /* "accept", "request_extension" */
int task_action_parse(const char *s, enum task_action *out);
const char *action_field_name(enum action_field f); /* "reason", "progress" ... */
const char *role_name(enum role r);
int role_parse(const char *s, enum role *out);
/* "admin,unit" ↔ bits. role_set_parse: 0 or -1 with e on field. */
int role_set_parse(const char *s, unsigned *out, struct err *e, const char *field);
void role_set_format(unsigned roles, char *out, size_t n);
const char *asg_state_name(enum asg_state s);
int asg_state_parse(const char *s, enum asg_state *out);
const char *evaluation_name(enum evaluation v);      /* "excellent" .. */
const char *evaluation_label(enum evaluation v);     /* 优 良 中 差 */
int evaluation_parse(const char *s, enum evaluation *out);  /* either form */

#endif

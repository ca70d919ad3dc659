/* lifecycle.c — the transition table of SPEC §5; see lifecycle.h. */
#include "core/lifecycle.h"

#include <stdio.h>
#include <string.h>

#define SUP (ROLE_SUPERVISOR | ROLE_ADMIN)
#define UNIT ROLE_UNIT
#define LEAD REL_LEAD
#define PART REL_PART

/* One row per allowed (state, action). Anything absent is refused. */
static const struct transition kTable[] = {
  /* draft */
  {TS_DRAFT, ACT_ASSIGN, TS_ASSIGNED, SUP, 0, 0},
  {TS_DRAFT, ACT_EDIT, NEXT_SAME, SUP, 0, 0},
  {TS_DRAFT, ACT_DELETE, NEXT_GONE, SUP, 0, 0},
  {TS_DRAFT, ACT_CANCEL, TS_CANCELLED, SUP, 0, F_REASON},

  /* assigned: waiting for the units to sign */
  {TS_ASSIGNED, ACT_ACCEPT, NEXT_SAME, UNIT, PART, 0},
  {TS_ASSIGNED, ACT_RETURN, NEXT_SAME, UNIT, PART, F_REASON},
  {TS_ASSIGNED, ACT_REASSIGN, NEXT_SAME, SUP, 0, F_UNIT},
  {TS_ASSIGNED, ACT_INSIST, NEXT_SAME, SUP, 0, F_UNIT},
  {TS_ASSIGNED, ACT_URGE, NEXT_SAME, SUP, 0, 0},
  {TS_ASSIGNED, ACT_INSTRUCT, NEXT_SAME, ROLE_LEADER | SUP, 0, F_TEXT},
  {TS_ASSIGNED, ACT_EDIT, NEXT_SAME, SUP, 0, 0},
  {TS_ASSIGNED, ACT_SUSPEND, TS_SUSPENDED, SUP, 0, F_REASON},
  {TS_ASSIGNED, ACT_CANCEL, TS_CANCELLED, SUP, 0, F_REASON},
  {TS_ASSIGNED, ACT_ACCOUNTABILITY, NEXT_SAME, SUP, 0, F_UNIT | F_KIND | F_REASON},

  /* in_progress */
  {TS_IN_PROGRESS, ACT_ACCEPT, NEXT_SAME, UNIT, PART, 0},
  {TS_IN_PROGRESS, ACT_RETURN, NEXT_SAME, UNIT, PART, F_REASON},
  {TS_IN_PROGRESS, ACT_REASSIGN, NEXT_SAME, SUP, 0, F_UNIT},
  {TS_IN_PROGRESS, ACT_INSIST, NEXT_SAME, SUP, 0, F_UNIT},
  {TS_IN_PROGRESS, ACT_PROGRESS, NEXT_SAME, UNIT, PART, F_TEXT | F_PROGRESS},
  {TS_IN_PROGRESS, ACT_REQUEST_EXTENSION, NEXT_SAME, UNIT, LEAD, F_DATE | F_REASON},
  {TS_IN_PROGRESS, ACT_DECIDE_EXTENSION, NEXT_SAME, SUP, 0, F_DECISION},
  {TS_IN_PROGRESS, ACT_COMPLETE, TS_REVIEW, UNIT, LEAD, F_TEXT},
  {TS_IN_PROGRESS, ACT_URGE, NEXT_SAME, SUP, 0, 0},
  {TS_IN_PROGRESS, ACT_INSTRUCT, NEXT_SAME, ROLE_LEADER | SUP, 0, F_TEXT},
  {TS_IN_PROGRESS, ACT_EDIT, NEXT_SAME, SUP, 0, 0},
  {TS_IN_PROGRESS, ACT_SUSPEND, TS_SUSPENDED, SUP, 0, F_REASON},
  {TS_IN_PROGRESS, ACT_CANCEL, TS_CANCELLED, SUP, 0, F_REASON},
  {TS_IN_PROGRESS, ACT_ACCOUNTABILITY, NEXT_SAME, SUP, 0, F_UNIT | F_KIND | F_REASON},

  /* review: the lead unit says it is done */
  {TS_REVIEW, ACT_APPROVE, TS_DONE, SUP, 0, 0},
  {TS_REVIEW, ACT_REJECT, TS_IN_PROGRESS, SUP, 0, F_REASON},
  {TS_REVIEW, ACT_DECIDE_EXTENSION, NEXT_SAME, SUP, 0, F_DECISION},
  {TS_REVIEW, ACT_URGE, NEXT_SAME, SUP, 0, 0},
  {TS_REVIEW, ACT_INSTRUCT, NEXT_SAME, ROLE_LEADER | SUP, 0, F_TEXT},
  {TS_REVIEW, ACT_SUSPEND, TS_SUSPENDED, SUP, 0, F_REASON},
  {TS_REVIEW, ACT_CANCEL, TS_CANCELLED, SUP, 0, F_REASON},
  {TS_REVIEW, ACT_ACCOUNTABILITY, NEXT_SAME, SUP, 0, F_UNIT | F_KIND | F_REASON},

  /* done */
  {TS_DONE, ACT_EVALUATE, NEXT_SAME, SUP, 0, F_EVALUATION},
  {TS_DONE, ACT_REOPEN, TS_IN_PROGRESS, SUP, 0, F_REASON},
  {TS_DONE, ACT_INSTRUCT, NEXT_SAME, ROLE_LEADER | SUP, 0, F_TEXT},
  {TS_DONE, ACT_ACCOUNTABILITY, NEXT_SAME, SUP, 0, F_UNIT | F_KIND | F_REASON},

  /* suspended / cancelled */
  {TS_SUSPENDED, ACT_RESUME, NEXT_RESTORE, SUP, 0, 0},
  {TS_SUSPENDED, ACT_CANCEL, TS_CANCELLED, SUP, 0, F_REASON},
  {TS_SUSPENDED, ACT_INSTRUCT, NEXT_SAME, ROLE_LEADER | SUP, 0, F_TEXT},
  {TS_CANCELLED, ACT_INSTRUCT, NEXT_SAME, ROLE_LEADER | SUP, 0, F_TEXT},
};

static const char *const kStatusName[TS__COUNT] = {
  "draft", "assigned", "in_progress", "review", "done", "suspended", "cancelled"};
static const char *const kStatusLabel[TS__COUNT] = {
  "草拟", "已交办", "办理中", "待审核", "已办结", "暂缓", "撤销"};
static const char *const kActionName[ACT__COUNT] = {
  "assign", "accept", "return", "reassign", "insist", "progress",
  "request_extension", "decide_extension", "complete", "approve", "reject",
  "evaluate", "reopen", "suspend", "resume", "cancel", "delete", "urge",
  "instruct", "edit", "accountability"};

const struct transition *lifecycle_find(enum task_status st, enum task_action a) {
  for (size_t i = 0; i < sizeof kTable / sizeof kTable[0]; i++)
    if (kTable[i].from == st && kTable[i].action == a) return &kTable[i];
  return NULL;
}

void lifecycle_allowed_states(enum task_action a, char *out, size_t n) {
  size_t used = 0;
  out[0] = 0;
  for (size_t i = 0; i < sizeof kTable / sizeof kTable[0]; i++) {
    if (kTable[i].action != a) continue;
    int w = snprintf(out + used, n - used, "%s%s", used ? ", " : "",
                     kStatusName[kTable[i].from]);
    if (w < 0 || (size_t)w >= n - used) break;
    used += (size_t)w;
  }
}

static int role_fits(const struct transition *t, unsigned roles, unsigned rel) {
  if (t->rel)
    return (roles & ROLE_ADMIN) || ((roles & t->roles) && (rel & t->rel) == t->rel) ||
           ((roles & t->roles) && t->rel == REL_PART && (rel & REL_LEAD));
  return (roles & t->roles) != 0;
}

int lifecycle_permits(enum task_status st, enum task_action a, unsigned roles, unsigned rel) {
  const struct transition *t = lifecycle_find(st, a);
  return t && role_fits(t, roles, rel);
}

_Static_assert(ACT__COUNT <= 32, "lifecycle_permitted returns the actions as bits of an unsigned");

unsigned lifecycle_permitted(enum task_status st, unsigned roles, unsigned rel) {
  unsigned bits = 0;
  for (size_t i = 0; i < sizeof kTable / sizeof kTable[0]; i++)
    if (kTable[i].from == st && role_fits(&kTable[i], roles, rel)) bits |= 1u << kTable[i].action;
  return bits;
}

const struct transition *lifecycle_check(enum task_status st, enum task_action a,
                                         unsigned roles, unsigned rel,
                                         unsigned have, struct err *e) {
  const struct transition *t;
  char allowed[128];
  if ((unsigned)st >= TS__COUNT || (unsigned)a >= ACT__COUNT) {
    err_set(e, ERR_INVALID, "action", "unknown action or state");
    return NULL;
  }
  t = lifecycle_find(st, a);
  if (!t) {
    lifecycle_allowed_states(a, allowed, sizeof allowed);
    err_set(e, ERR_STATE, "status",
            "cannot %s a task that is %s (%s); allowed when: %s",
            kActionName[a], kStatusName[st], kStatusLabel[st],
            allowed[0] ? allowed : "never");
    return NULL;
  }
  /* Supervisor-level rows are open to the roles they list. Unit rows need
  ** the unit role and the right relation; an admin acts for any unit. */
  if (t->rel) {
    if (!role_fits(t, roles, rel)) {
      err_set(e, ERR_FORBIDDEN, "",
              t->rel == REL_LEAD
                  ? "only the lead unit may %s this task"
                  : "only a unit assigned to this task may %s it",
              kActionName[a]);
      return NULL;
    }
  } else if (!(roles & t->roles)) {
    err_set(e, ERR_FORBIDDEN, "", "your role may not %s a task", kActionName[a]);
    return NULL;
  }
  for (unsigned f = 1; f <= F_KIND; f <<= 1) {
    if ((t->fields & f) && !(have & f)) {
      err_set(e, ERR_INVALID, action_field_name((enum action_field)f),
              "%s is required to %s a task", action_field_name((enum action_field)f),
              kActionName[a]);
      return NULL;
    }
  }
  return t;
}

const char *task_status_name(enum task_status s) {
  return (unsigned)s < TS__COUNT ? kStatusName[s] : "?";
}
const char *task_status_label(enum task_status s) {
  return (unsigned)s < TS__COUNT ? kStatusLabel[s] : "?";
}
int task_status_parse(const char *s, enum task_status *out) {
  for (int i = 0; i < TS__COUNT; i++)
    if (strcmp(s, kStatusName[i]) == 0 || strcmp(s, kStatusLabel[i]) == 0) {
      *out = (enum task_status)i;
      return 0;
    }
  return -1;
}
const char *task_action_name(enum task_action a) {
  return (unsigned)a < ACT__COUNT ? kActionName[a] : "?";
}
int task_action_parse(const char *s, enum task_action *out) {
  for (int i = 0; i < ACT__COUNT; i++)
    if (strcmp(s, kActionName[i]) == 0) {
      *out = (enum task_action)i;
      return 0;
    }
  return -1;
}

const char *action_field_name(enum action_field f) {
  switch (f) {
    case F_REASON: return "reason";
    case F_TEXT: return "text";
    case F_PROGRESS: return "progress";
    case F_DATE: return "date";
    case F_EVALUATION: return "evaluation";
    case F_UNIT: return "unit_id";
    case F_DECISION: return "decision";
    case F_KIND: return "kind";
  }
  return "?";
}

static const struct { enum role r; const char *name; } kRoles[] = {
  {ROLE_ADMIN, "admin"}, {ROLE_SUPERVISOR, "supervisor"}, {ROLE_LEADER, "leader"},
  {ROLE_UNIT, "unit"}, {ROLE_MEMBER, "member"}};

const char *role_name(enum role r) {
  for (size_t i = 0; i < 5; i++)
    if (kRoles[i].r == r) return kRoles[i].name;
  return "?";
}
int role_parse(const char *s, enum role *out) {
  for (size_t i = 0; i < 5; i++)
    if (strcmp(s, kRoles[i].name) == 0) {
      *out = kRoles[i].r;
      return 0;
    }
  return -1;
}
int role_set_parse(const char *s, unsigned *out, struct err *e, const char *field) {
  char tok[32];
  unsigned bits = 0;
  const char *p = s;
  if (!s || !*s) return err_set(e, ERR_INVALID, field, "%s: at least one role is required", field);
  while (*p) {
    size_t n = strcspn(p, ",");
    enum role r;
    if (n == 0 || n >= sizeof tok) goto bad;
    memcpy(tok, p, n);
    tok[n] = 0;
    if (role_parse(tok, &r)) goto bad;
    bits |= r;
    p += n;
    if (*p == ',') p++;
  }
  *out = bits;
  return 0;
bad:
  return err_set(e, ERR_INVALID, field,
                 "%s: unknown role in \"%s\" (roles: admin, supervisor, leader, unit, member)",
                 field, s);
}
void role_set_format(unsigned roles, char *out, size_t n) {
  size_t used = 0;
  out[0] = 0;
  for (size_t i = 0; i < 5; i++) {
    if (!(roles & kRoles[i].r)) continue;
    int w = snprintf(out + used, n - used, "%s%s", used ? "," : "", kRoles[i].name);
    if (w < 0 || (size_t)w >= n - used) return;
    used += (size_t)w;
  }
}

static const char *const kAsg[AS__COUNT] = {"assigned", "accepted", "returned", "reported_done"};
const char *asg_state_name(enum asg_state s) { return (unsigned)s < AS__COUNT ? kAsg[s] : "?"; }
int asg_state_parse(const char *s, enum asg_state *out) {
  for (int i = 0; i < AS__COUNT; i++)
    if (strcmp(s, kAsg[i]) == 0) {
      *out = (enum asg_state)i;
      return 0;
    }
  return -1;
}

static const char *const kEvalName[] = {"", "excellent", "good", "fair", "poor"};
static const char *const kEvalLabel[] = {"", "优", "良", "中", "差"};
const char *evaluation_name(enum evaluation v) { return (unsigned)v <= EVAL_POOR ? kEvalName[v] : ""; }
const char *evaluation_label(enum evaluation v) { return (unsigned)v <= EVAL_POOR ? kEvalLabel[v] : ""; }
int evaluation_parse(const char *s, enum evaluation *out) {
  for (int i = 1; i <= EVAL_POOR; i++)
    if (strcmp(s, kEvalName[i]) == 0 || strcmp(s, kEvalLabel[i]) == 0) {
      *out = (enum evaluation)i;
      return 0;
    }
  return -1;
}

/*
** test_lifecycle.c — the transition table against an independent reading of
** SPEC §5: every state × action × kind of user. The expectations below are
** written from the spec, not copied from src/core/lifecycle.c, so a change to
** the table that the spec does not allow fails here.
*/
#include "core/lifecycle.h"
#include "testlib.h"

/* Who may act, as the spec says it. */
enum who_kind { W_SUP, W_UNIT_LEAD, W_UNIT_PART, W_LEADER_OR_SUP };

static const struct {
  enum task_action act;
  const char *states;      /* where the spec allows it */
  enum who_kind who;
  unsigned fields;         /* what it needs */
} kSpec[] = {
  {ACT_ASSIGN, "draft", W_SUP, 0},
  {ACT_ACCEPT, "assigned,in_progress", W_UNIT_PART, 0},
  {ACT_RETURN, "assigned,in_progress", W_UNIT_PART, F_REASON},
  {ACT_REASSIGN, "assigned,in_progress", W_SUP, F_UNIT},
  {ACT_INSIST, "assigned,in_progress", W_SUP, F_UNIT},
  {ACT_PROGRESS, "in_progress", W_UNIT_PART, F_TEXT | F_PROGRESS},
  {ACT_REQUEST_EXTENSION, "in_progress", W_UNIT_LEAD, F_DATE | F_REASON},
  {ACT_DECIDE_EXTENSION, "in_progress,review", W_SUP, F_DECISION},
  {ACT_COMPLETE, "in_progress", W_UNIT_LEAD, F_TEXT},
  {ACT_APPROVE, "review", W_SUP, 0},
  {ACT_REJECT, "review", W_SUP, F_REASON},
  {ACT_EVALUATE, "done", W_SUP, F_EVALUATION},
  {ACT_REOPEN, "done", W_SUP, F_REASON},
  {ACT_SUSPEND, "assigned,in_progress,review", W_SUP, F_REASON},
  {ACT_RESUME, "suspended", W_SUP, 0},
  {ACT_CANCEL, "draft,assigned,in_progress,review,suspended", W_SUP, F_REASON},
  {ACT_DELETE, "draft", W_SUP, 0},
  {ACT_URGE, "assigned,in_progress,review", W_SUP, 0},
  {ACT_INSTRUCT, "assigned,in_progress,review,done,suspended,cancelled", W_LEADER_OR_SUP, F_TEXT},
  {ACT_EDIT, "draft,assigned,in_progress", W_SUP, 0},
  {ACT_ACCOUNTABILITY, "assigned,in_progress,review,done", W_SUP, F_UNIT | F_KIND | F_REASON},
};

/* The users a request can come from. */
static const struct {
  const char *name;
  unsigned roles, rel;
} kUsers[] = {
  {"admin", ROLE_ADMIN, REL_NONE},
  {"supervisor", ROLE_SUPERVISOR, REL_NONE},
  {"leader", ROLE_LEADER, REL_NONE},
  {"lead unit", ROLE_UNIT, REL_LEAD | REL_PART},
  {"cooperating unit", ROLE_UNIT, REL_PART},
  {"unrelated unit", ROLE_UNIT, REL_NONE},
  {"member", ROLE_MEMBER, REL_NONE},
};

static int in_list(const char *list, const char *name) {
  size_t n = strlen(name);
  const char *p = list;
  while ((p = strstr(p, name)) != NULL) {
    if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == 0)) return 1;
    p += n;
  }
  return 0;
}

static int may(enum who_kind w, unsigned roles, unsigned rel) {
  if (roles & ROLE_ADMIN) return 1;
  switch (w) {
    case W_SUP: return (roles & ROLE_SUPERVISOR) != 0;
    case W_LEADER_OR_SUP: return (roles & (ROLE_SUPERVISOR | ROLE_LEADER)) != 0;
    case W_UNIT_LEAD: return (roles & ROLE_UNIT) && (rel & REL_LEAD);
    case W_UNIT_PART: return (roles & ROLE_UNIT) && (rel & REL_PART);
  }
  return 0;
}

static void test_every_state_action_and_user(void) {
  int checked = 0;
  CHECK_INT(sizeof kSpec / sizeof kSpec[0], ACT__COUNT);
  for (size_t a = 0; a < sizeof kSpec / sizeof kSpec[0]; a++) {
    for (int s = 0; s < TS__COUNT; s++) {
      for (size_t u = 0; u < sizeof kUsers / sizeof kUsers[0]; u++) {
        struct err e;
        const struct transition *t;
        int allowed_state = in_list(kSpec[a].states, task_status_name((enum task_status)s));
        int allowed_user = may(kSpec[a].who, kUsers[u].roles, kUsers[u].rel);
        err_clear(&e);
        t = lifecycle_check((enum task_status)s, kSpec[a].act, kUsers[u].roles, kUsers[u].rel,
                            ~0u, &e);
        checked++;
        /* The quiet form used to list actions agrees with the checked one. */
        CHECK_INT(lifecycle_permits((enum task_status)s, kSpec[a].act, kUsers[u].roles, kUsers[u].rel),
                  t != NULL);
        if (allowed_state && allowed_user) {
          if (!t)
            printf("    expected %s to %s a %s task: %s\n", kUsers[u].name,
                   task_action_name(kSpec[a].act), task_status_name((enum task_status)s), e.message);
          CHECK(t != NULL);
        } else {
          if (t)
            printf("    expected %s NOT to %s a %s task\n", kUsers[u].name,
                   task_action_name(kSpec[a].act), task_status_name((enum task_status)s));
          CHECK(t == NULL);
          CHECK_INT(e.code, allowed_state ? ERR_FORBIDDEN : ERR_STATE);
          CHECK(e.message[0] != 0);
        }
      }
    }
  }
  CHECK_INT(checked, ACT__COUNT * TS__COUNT * 7);
}

/* The one-pass bit set equals asking action by action, for every state,
** every combination of roles and every relation. */
static void test_permitted_bits_match_permits(void) {
  for (int st = 0; st < TS__COUNT; st++)
    for (unsigned roles = 0; roles <= ROLE_ANY; roles++)
      for (unsigned rel = 0; rel <= (REL_PART | REL_LEAD); rel++) {
        unsigned bits = lifecycle_permitted((enum task_status)st, roles, rel), want = 0;
        for (int a = 0; a < ACT__COUNT; a++)
          if (lifecycle_permits((enum task_status)st, (enum task_action)a, roles, rel)) want |= 1u << a;
        CHECK_INT(bits, want);
      }
  /* not vacuous: an admin may do something from a draft, a member nothing */
  CHECK(lifecycle_permitted(TS_DRAFT, ROLE_ADMIN, 0) != 0);
  CHECK_INT(lifecycle_permitted(TS_DRAFT, ROLE_MEMBER, 0), 0);
}

static void test_required_fields_are_named(void) {
  for (size_t a = 0; a < sizeof kSpec / sizeof kSpec[0]; a++) {
    const char *first = kSpec[a].states;
    char state[32];
    enum task_status st;
    size_t n = strcspn(first, ",");
    snprintf(state, sizeof state, "%.*s", (int)n, first);
    CHECK(task_status_parse(state, &st) == 0);
    for (unsigned f = 1; f <= F_KIND; f <<= 1) {
      struct err e;
      const struct transition *t;
      if (!(kSpec[a].fields & f)) continue;
      err_clear(&e);
      t = lifecycle_check(st, kSpec[a].act, ROLE_ADMIN, REL_LEAD | REL_PART,
                          kSpec[a].fields & ~f, &e);
      CHECK(t == NULL);
      CHECK_INT(e.code, ERR_INVALID);
      CHECK_STR(e.field, action_field_name((enum action_field)f));
    }
    /* With every required field present, the admin may. */
    {
      struct err e;
      err_clear(&e);
      CHECK(lifecycle_check(st, kSpec[a].act, ROLE_ADMIN, 0, kSpec[a].fields, &e) != NULL);
    }
  }
}

static void test_next_states_follow_the_spec(void) {
  CHECK_INT(lifecycle_find(TS_DRAFT, ACT_ASSIGN)->to, TS_ASSIGNED);
  CHECK_INT(lifecycle_find(TS_IN_PROGRESS, ACT_COMPLETE)->to, TS_REVIEW);
  CHECK_INT(lifecycle_find(TS_REVIEW, ACT_APPROVE)->to, TS_DONE);
  CHECK_INT(lifecycle_find(TS_REVIEW, ACT_REJECT)->to, TS_IN_PROGRESS);
  CHECK_INT(lifecycle_find(TS_DONE, ACT_REOPEN)->to, TS_IN_PROGRESS);
  CHECK_INT(lifecycle_find(TS_IN_PROGRESS, ACT_SUSPEND)->to, TS_SUSPENDED);
  CHECK_INT(lifecycle_find(TS_SUSPENDED, ACT_RESUME)->to, NEXT_RESTORE);
  CHECK_INT(lifecycle_find(TS_SUSPENDED, ACT_CANCEL)->to, TS_CANCELLED);
  CHECK_INT(lifecycle_find(TS_DRAFT, ACT_DELETE)->to, NEXT_GONE);
  /* Accepting leaves the state to the application: it moves to in_progress
  ** only when the lead unit accepts. */
  CHECK_INT(lifecycle_find(TS_ASSIGNED, ACT_ACCEPT)->to, NEXT_SAME);
}

static void test_names_round_trip(void) {
  for (int s = 0; s < TS__COUNT; s++) {
    enum task_status back;
    CHECK(task_status_parse(task_status_name((enum task_status)s), &back) == 0);
    CHECK_INT(back, s);
    CHECK(task_status_parse(task_status_label((enum task_status)s), &back) == 0);
    CHECK_INT(back, s);
  }
  for (int a = 0; a < ACT__COUNT; a++) {
    enum task_action back;
    CHECK(task_action_parse(task_action_name((enum task_action)a), &back) == 0);
    CHECK_INT(back, a);
  }
  {
    unsigned roles;
    struct err e;
    char out[64];
    CHECK(role_set_parse("supervisor,unit", &roles, &e, "roles") == 0);
    CHECK_INT(roles, ROLE_SUPERVISOR | ROLE_UNIT);
    role_set_format(roles, out, sizeof out);
    CHECK_STR(out, "supervisor,unit");
    CHECK(role_set_parse("boss", &roles, &e, "roles") == -1);
    CHECK_STR(e.field, "roles");
  }
  {
    enum evaluation v;
    CHECK(evaluation_parse("优", &v) == 0 && v == EVAL_EXCELLENT);
    CHECK(evaluation_parse("poor", &v) == 0 && v == EVAL_POOR);
    CHECK(evaluation_parse("great", &v) == -1);
  }
}

int main(void) {
  RUN(test_every_state_action_and_user);
  RUN(test_permitted_bits_match_permits);
  RUN(test_required_fields_are_named);
  RUN(test_next_states_follow_the_spec);
  RUN(test_names_round_trip);
  return test_summary("test_lifecycle");
}

/*
** cmd_ledger.c — the ledger commands: unit, user, source, task. Each
** subcommand turns its options into the JSON input of one app.h use case.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#define END_OPTS {NULL, NULL, 0, NULL}

/* Runs a subcommand that needs the database: parse, open, resolve units. */
struct sub {
  struct cli_common c;
  json_t *in;
  const char *pos[4];
  int npos;
  struct app app;
  struct actor who;
  struct err e;
  int opened;
};

static int sub_begin(struct sub *s, const char *verb, int argc, char **argv,
                     const struct cli_opt *opts, int max_pos) {
  int rc;
  memset(s, 0, sizeof *s);
  rc = cli_parse(verb, argc, argv, 2, opts, &s->c, &s->in, s->pos, max_pos, &s->npos);
  if (rc) return rc;
  if (s->c.help) return 0;
  if ((rc = cli_open(verb, &s->c, APP_OPEN_EXISTING, &s->app, &s->who))) return rc;
  s->opened = 1;
  if (cli_resolve_units(&s->app, opts, s->in, &s->e)) return cli_fail(verb, &s->e);
  return 0;
}

static void sub_end(struct sub *s) {
  json_decref(s->in);
  if (s->opened) app_close(&s->app);
}

static int64_t parse_id(const char *verb, const char *s, const char *what, int *rc) {
  char *end;
  long long v = strtoll(s ? s : "", &end, 10);
  if (!s || !*s || *end || v <= 0) {
    *rc = cli_usage(verb, "%s must be a positive integer id", what);
    return 0;
  }
  return v;
}

/* Prints a use case's result: JSON, or a readable form. */
/* Takes the address of the result: the call that fills it is an argument,
** and argument evaluation order is unspecified. */
static int show(struct sub *s, const char *verb, int call_rc, json_t **outp, const char *columns) {
  json_t *out = *outp;
  if (call_rc) return cli_fail(verb, &s->e);
  if (s->c.json) cli_print_json(out);
  else if (json_is_array(json_object_get(out, "items")))
    cli_print_table(json_object_get(out, "items"), columns);
  else
    cli_print_object(out);
  json_decref(out);
  return 0;
}

/* ---- unit ---- */

static const struct cli_opt kUnitOpts[] = {
  {"name", "name", O_STR, "full name (unique)"},
  {"short", "short_name", O_STR, "short name (简称), e.g. 发计处"},
  {"kind", "kind", O_STR, "职能部门 | 学院 | 直属单位 | 外部"},
  {"parent", "parent_id", O_UNIT, "parent unit (id or name)"},
  {"aliases", "aliases", O_LIST, "other names, comma-separated (used by ingest)"},
  {"keywords", "keywords", O_LIST, "keywords, comma-separated (ingest and request routing)"},
  {"version", "version", O_INT, "update: the version you saw"},
  END_OPTS};

int cmd_unit(int argc, char **argv) {
  struct sub s;
  json_t *out = NULL;
  const char *sc = argc > 1 ? argv[1] : "";
  int rc;
  if (argc < 2 || !strcmp(sc, "--help")) {
    cli_help("duban unit add --name N [--short S] [--kind K] [--parent U] [--aliases A,B] [--keywords K,L]\n"
             "       duban unit list | show ID | update ID --version V [fields]",
             "Units (责任单位): the departments and schools that lead or cooperate on tasks.",
             kUnitOpts);
    return argc < 2 ? 2 : 0;
  }
  if ((rc = sub_begin(&s, "unit", argc, argv, kUnitOpts, 1)) || s.c.help) {
    if (s.c.help) cli_help("duban unit add|list|show|update", "Units (责任单位).", kUnitOpts);
    sub_end(&s);
    return rc;
  }
  if (!strcmp(sc, "add")) {
    rc = show(&s, "unit", app_unit_add(&s.app, &s.who, s.in, &out, &s.e), &out, "");
  } else if (!strcmp(sc, "list")) {
    rc = show(&s, "unit", app_unit_list(&s.app, &s.who, &out, &s.e), &out,
              "id:ID,name:名称,short_name:简称,kind:类型,aliases:别名,keywords:关键词");
  } else if (!strcmp(sc, "show") || !strcmp(sc, "update")) {
    int64_t id = parse_id("unit", s.npos ? s.pos[0] : NULL, "the unit", &rc);
    if (id) {
      if (!strcmp(sc, "show")) rc = show(&s, "unit", app_unit_get(&s.app, &s.who, id, &out, &s.e), &out, "");
      else rc = show(&s, "unit", app_unit_update(&s.app, &s.who, id, s.in, &out, &s.e), &out, "");
    }
  } else {
    rc = cli_usage("unit", "unknown subcommand \"%s\" (add, list, show, update)", sc);
  }
  sub_end(&s);
  return rc;
}

/* ---- user ---- */

static const struct cli_opt kUserOpts[] = {
  {"login", "login", O_STR, "login name (letters, digits, . _ -)"},
  {"name", "display_name", O_STR, "display name"},
  {"unit", "unit_id", O_UNIT, "unit (id or name); required for the unit role"},
  {"roles", "roles", O_STR, "comma-separated: admin, supervisor, leader, unit, member"},
  {"password", "password", O_STR, "password (at least 8 characters); or use --password-file"},
  {"password-file", NULL, O_FILE, "read the password from a file (- for stdin)"},
  {"version", "version", O_INT, "update: the version you saw"},
  {"active", "active", O_STR, "update: true | false"},
  END_OPTS};

static void take_password_file(json_t *in) {
  json_t *f = json_object_get(in, "password-file");
  if (json_is_string(f)) {
    char *p = strdup(json_string_value(f));
    size_t n = strlen(p);
    while (n && (p[n - 1] == '\n' || p[n - 1] == '\r')) p[--n] = 0;
    json_object_set_new(in, "password", json_string(p));
    json_object_del(in, "password-file");
    free(p);
  }
}

int cmd_user(int argc, char **argv) {
  struct sub s;
  json_t *out = NULL;
  const char *sc = argc > 1 ? argv[1] : "";
  int rc;
  if (argc < 2 || !strcmp(sc, "--help")) {
    cli_help("duban user add --login L --name N --roles R [--unit U] --password P\n"
             "       duban user list | show ID | passwd LOGIN|ID --password P | update ID --version V [fields]",
             "Users and their roles (SPEC §2). Passwords are stored as argon2id hashes.", kUserOpts);
    return argc < 2 ? 2 : 0;
  }
  if ((rc = sub_begin(&s, "user", argc, argv, kUserOpts, 1)) || s.c.help) {
    if (s.c.help) cli_help("duban user add|list|show|passwd|update", "Users.", kUserOpts);
    sub_end(&s);
    return rc;
  }
  take_password_file(s.in);
  if (!strcmp(sc, "add")) {
    rc = show(&s, "user", app_user_add(&s.app, &s.who, s.in, &out, &s.e), &out, "");
  } else if (!strcmp(sc, "list")) {
    rc = show(&s, "user", app_user_list(&s.app, &s.who, &out, &s.e), &out,
              "id:ID,login:登录名,display_name:姓名,unit_name:单位,roles:角色,active:启用");
  } else if (!strcmp(sc, "passwd")) {
    struct actor target;
    const char *pw = json_string_value(json_object_get(s.in, "password"));
    if (!s.npos) {
      rc = cli_usage("user", "passwd takes a login or id");
    } else if (app_actor_by_login(&s.app, s.pos[0], &target, &s.e) &&
               app_actor_by_id(&s.app, strtoll(s.pos[0], NULL, 10), &target, &s.e)) {
      rc = cli_fail("user", &s.e);
    } else if (app_user_passwd(&s.app, &s.who, target.user_id, pw, &s.e)) {
      rc = cli_fail("user", &s.e);
    } else {
      printf("password changed for %s\n", target.login);
    }
  } else if (!strcmp(sc, "show") || !strcmp(sc, "update")) {
    int64_t id = parse_id("user", s.npos ? s.pos[0] : NULL, "the user", &rc);
    if (id) {
      if (!strcmp(sc, "show")) rc = show(&s, "user", app_user_get(&s.app, &s.who, id, &out, &s.e), &out, "");
      else rc = show(&s, "user", app_user_update(&s.app, &s.who, id, s.in, &out, &s.e), &out, "");
    }
  } else {
    rc = cli_usage("user", "unknown subcommand \"%s\" (add, list, show, passwd, update)", sc);
  }
  sub_end(&s);
  return rc;
}

/* ---- source ---- */

static const struct cli_opt kSourceOpts[] = {
  {"kind", "kind", O_STR, "meeting | document | instruction | plan | rectification | request"},
  {"title", "title", O_STR, "title"},
  {"ref", "ref_no", O_STR, "reference number (文号)"},
  {"date", "date", O_STR, "date YYYY-MM-DD"},
  {"place", "place", O_STR, "place"},
  {"host", "host", O_STR, "who chaired"},
  {"attendees", "attendees", O_STR, "attendees"},
  {"documents", "documents", O_LIST, "documents approved, comma-separated"},
  {"text-file", "original_text", O_FILE, "the full original text, from a file"},
  END_OPTS};

int cmd_source(int argc, char **argv) {
  struct sub s;
  json_t *out = NULL;
  const char *sc = argc > 1 ? argv[1] : "";
  int rc;
  if (argc < 2 || !strcmp(sc, "--help")) {
    cli_help("duban source add --title T [--kind K] [--date D] ... | list | show ID",
             "Task sources (任务来源): meetings, documents, instructions, plans.", kSourceOpts);
    return argc < 2 ? 2 : 0;
  }
  if ((rc = sub_begin(&s, "source", argc, argv, kSourceOpts, 1)) || s.c.help) {
    if (s.c.help) cli_help("duban source add|list|show", "Task sources.", kSourceOpts);
    sub_end(&s);
    return rc;
  }
  if (!strcmp(sc, "add")) {
    rc = show(&s, "source", app_source_add(&s.app, &s.who, s.in, &out, &s.e), &out, "");
  } else if (!strcmp(sc, "list")) {
    rc = show(&s, "source", app_source_list(&s.app, &s.who, &out, &s.e), &out,
              "id:ID,kind:类型,title:标题,ref_no:文号,date:日期");
  } else if (!strcmp(sc, "show")) {
    int64_t id = parse_id("source", s.npos ? s.pos[0] : NULL, "the source", &rc);
    if (id) rc = show(&s, "source", app_source_get(&s.app, &s.who, id, &out, &s.e), &out, "");
  } else {
    rc = cli_usage("source", "unknown subcommand \"%s\" (add, list, show)", sc);
  }
  sub_end(&s);
  return rc;
}

/* ---- task ---- */

static const struct cli_opt kTaskAddOpts[] = {
  {"title", "title", O_STR, "short title (工作任务)"},
  {"requirement", "requirement", O_STR, "requirement and expected result (任务要求)"},
  {"source", "source_id", O_INT, "source id"},
  {"source-text", "source_text", O_STR, "the verbatim passage of the source"},
  {"parent", "parent_id", O_INT, "parent task id (a subtask)"},
  {"category", "category", O_STR, "会议决定事项 | 重点工作 | 领导批示 | 办实事 | 整改"},
  {"leader", "lead_leader", O_STR, "lead leader (牵头领导)"},
  {"lead-unit", "lead_unit_id", O_UNIT, "lead unit (牵头单位), id or name"},
  {"person", "lead_person", O_STR, "responsible person of the lead unit (责任人)"},
  {"coop", "coop_unit_ids", O_UNITS, "cooperating units, comma-separated (配合单位)"},
  {"deadline", "deadline", O_STR, "deadline YYYY-MM-DD"},
  {"workdays", "deadline_workdays", O_INT, "deadline in N working days from today (fixed now)"},
  {"milestones", "milestones", O_LIST, "DATE:PERCENT pairs, comma-separated (节点)"},
  {"report-freq", "report_freq", O_STR, "none | weekly[:1-7] | monthly[:1-31]"},
  {"remark", "remark", O_STR, "remark (备注)"},
  {"version", "version", O_INT, "edit: the version you saw"},
  END_OPTS};

static const struct cli_opt kTaskActOpts[] = {
  {"reason", "reason", O_STR, "grounds, reason or comment"},
  {"text", "text", O_STR, "report, evidence description or instruction text"},
  {"progress", "progress", O_INT, "progress 0-100"},
  {"evidence", "evidence", O_LIST, "evidence file names, comma-separated (佐证材料)"},
  {"date", "date", O_STR, "requested / permitted date, accountability date"},
  {"decision", "decision", O_STR, "approve | refuse (decide-extension)"},
  {"extension", "extension_id", O_INT, "which extension request (default: the pending one)"},
  {"evaluation", "evaluation", O_STR, "excellent|good|fair|poor or 优|良|中|差"},
  {"unit", "unit_id", O_UNIT, "the unit concerned (reassign: the new unit)"},
  {"from-unit", "from_unit_id", O_UNIT, "reassign: the unit that returned it"},
  {"kind", "kind", O_STR, "accountability kind: 提醒谈话|约谈|通报批评|责令整改|其他"},
  {"person", "person", O_STR, "responsible person"},
  {"message", "message", O_STR, "urging message"},
  {"level", "level", O_INT, "urging level (ladder step)"},
  {"version", "version", O_INT, "the version you saw (optimistic concurrency)"},
  END_OPTS};

static const struct cli_opt kTaskListOpts[] = {
  {"unit", "unit_id", O_UNIT, "tasks a unit takes part in"},
  {"status", "status", O_STR, "draft|assigned|in_progress|review|done|suspended|cancelled"},
  {"light", "light", O_STR, "red|yellow|green|none"},
  {"due-before", "due_before", O_STR, "deadline on or before DATE"},
  {"due-after", "due_after", O_STR, "deadline on or after DATE"},
  {"source", "source_id", O_INT, "from this source"},
  {"parent", "parent_id", O_INT, "subtasks of this task"},
  {"q", "q", O_STR, "title contains, or exact code"},
  {"category", "category", O_STR, "category"},
  {"sort", "sort", O_STR, "deadline | -deadline | code | updated"},
  {"limit", "limit", O_INT, "rows per page (1-200, default 50)"},
  {"cursor", "cursor", O_STR, "next page: the cursor printed by the previous page"},
  {"mine", "mine", O_BOOL, "only what waits for my action"},
  {"timeline", NULL, O_BOOL, "show: include the timeline"},
  END_OPTS};

static const struct {
  const char *verb;
  enum task_action act;
} kActionVerbs[] = {
  {"assign", ACT_ASSIGN}, {"accept", ACT_ACCEPT}, {"return", ACT_RETURN},
  {"reassign", ACT_REASSIGN}, {"insist", ACT_INSIST}, {"progress", ACT_PROGRESS},
  {"extend", ACT_REQUEST_EXTENSION}, {"decide-extension", ACT_DECIDE_EXTENSION},
  {"complete", ACT_COMPLETE}, {"approve", ACT_APPROVE}, {"reject", ACT_REJECT},
  {"evaluate", ACT_EVALUATE}, {"reopen", ACT_REOPEN}, {"suspend", ACT_SUSPEND},
  {"resume", ACT_RESUME}, {"cancel", ACT_CANCEL}, {"delete", ACT_DELETE},
  {"urge", ACT_URGE}, {"instruct", ACT_INSTRUCT}, {"accountability", ACT_ACCOUNTABILITY},
};

/* "2026-12-01:50,2026-12-20:80" (already split) → [{date, percent}]. */
static int convert_milestones(json_t *in, struct err *e) {
  json_t *list = json_object_get(in, "milestones"), *out, *v;
  size_t i;
  if (!list) return 0;
  out = json_array();
  json_array_foreach(list, i, v) {
    const char *s = json_string_value(v), *colon = strchr(s, ':');
    char date[16];
    char *end;
    long pct;
    if (!colon || colon - s >= (long)sizeof date) goto bad;
    snprintf(date, sizeof date, "%.*s", (int)(colon - s), s);
    pct = strtol(colon + 1, &end, 10);
    if (*end || !colon[1]) goto bad;
    json_array_append_new(out, json_pack("{s:s,s:i}", "date", date, "percent", (int)pct));
    continue;
  bad:
    json_decref(out);
    return err_set(e, ERR_INVALID, "milestones", "milestones are DATE:PERCENT pairs, e.g. 2026-12-01:50");
  }
  json_object_set_new(in, "milestones", out);
  return 0;
}

int cmd_task(int argc, char **argv) {
  struct sub s;
  json_t *out = NULL;
  const char *sc = argc > 1 ? argv[1] : "";
  const struct cli_opt *opts = kTaskActOpts;
  int rc, act = -1;
  static const char kColumns[] =
      "code:督办号,title:工作任务,lead_unit_name:牵头单位,deadline:现完成时限,"
      "status_label:状态,progress:进度,light:预警";

  if (argc < 2 || !strcmp(sc, "--help")) {
    printf("usage: duban task SUBCOMMAND ...\n\n"
           "  add --title T [--lead-unit U] [--coop U,V] [--deadline D | --workdays N] ...\n"
           "  list [--unit U] [--status S] [--light L] [--due-before D] [--source ID] [--json]\n"
           "  show ID|CODE [--timeline]\n"
           "  edit ID [fields of add] [--version V]\n"
           "  assign | accept | return | reassign | insist | progress | extend |\n"
           "  decide-extension | complete | approve | reject | evaluate | reopen |\n"
           "  suspend | resume | cancel | delete | urge | instruct | accountability  ID [options]\n"
           "\nEach action is checked against the lifecycle (SPEC §5) and the acting user's\n"
           "role: give --as LOGIN to act as a unit user. duban task ACTION --help lists\n"
           "the action options.\n");
    return argc < 2 ? 2 : 0;
  }
  for (size_t i = 0; i < sizeof kActionVerbs / sizeof kActionVerbs[0]; i++)
    if (!strcmp(sc, kActionVerbs[i].verb)) act = kActionVerbs[i].act;
  if (!strcmp(sc, "add") || !strcmp(sc, "edit")) opts = kTaskAddOpts;
  else if (!strcmp(sc, "list") || !strcmp(sc, "show")) opts = kTaskListOpts;
  else if (act < 0) return cli_usage("task", "unknown subcommand \"%s\"", sc);

  if ((rc = sub_begin(&s, "task", argc, argv, opts, 1)) || s.c.help) {
    if (s.c.help) {
      char syn[80];
      snprintf(syn, sizeof syn, "duban task %s %s", sc, strcmp(sc, "add") && strcmp(sc, "list") ? "ID [options]" : "[options]");
      cli_help(syn, "See duban task --help.", opts);
    }
    sub_end(&s);
    return rc;
  }
  if (!strcmp(sc, "add")) {
    if (convert_milestones(s.in, &s.e)) rc = cli_fail("task", &s.e);
    else rc = show(&s, "task", app_task_create(&s.app, &s.who, s.in, &out, &s.e), &out, "");
  } else if (!strcmp(sc, "list")) {
    json_object_del(s.in, "timeline");
    if (app_task_list(&s.app, &s.who, s.in, &out, &s.e)) {
      rc = cli_fail("task", &s.e);
    } else if (s.c.json) {
      cli_print_json(out);
    } else {
      cli_print_table(json_object_get(out, "items"), kColumns);
      if (json_is_string(json_object_get(out, "next_cursor")))
        printf("(more: --cursor '%s')\n", json_string_value(json_object_get(out, "next_cursor")));
      printf("%lld task(s)\n", (long long)json_integer_value(json_object_get(out, "total")));
    }
    json_decref(out);
  } else {
    int64_t id = 0;
    if (!s.npos) {
      rc = cli_usage("task", "%s needs a task id or code", sc);
    } else if (app_task_resolve(&s.app, s.pos[0], &id, &s.e)) {
      rc = cli_fail("task", &s.e);
    } else if (!strcmp(sc, "show")) {
      int tl = json_is_true(json_object_get(s.in, "timeline"));
      rc = show(&s, "task", app_task_get(&s.app, &s.who, id, tl, &out, &s.e), &out, "");
    } else if (!strcmp(sc, "edit")) {
      if (convert_milestones(s.in, &s.e)) rc = cli_fail("task", &s.e);
      else rc = show(&s, "task", app_task_action(&s.app, &s.who, id, ACT_EDIT, s.in, &out, &s.e), &out, "");
    } else {
      if (app_task_action(&s.app, &s.who, id, (enum task_action)act, s.in, &out, &s.e)) {
        rc = cli_fail("task", &s.e);
      } else if (s.c.json) {
        cli_print_json(out);
      } else if (act == ACT_DELETE) {
        printf("deleted task %lld\n", (long long)id);
      } else {
        printf("%s %s: %s, %s, progress %lld%%, light %s\n", sc,
               json_string_value(json_object_get(out, "code")),
               json_string_value(json_object_get(out, "title")),
               json_string_value(json_object_get(out, "status")),
               (long long)json_integer_value(json_object_get(out, "progress")),
               json_string_value(json_object_get(out, "light")));
      }
      json_decref(out);
    }
  }
  sub_end(&s);
  return rc;
}

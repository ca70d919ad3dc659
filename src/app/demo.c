/*
** demo.c — the demo institution: a sample university's units and users and
** one meeting whose ~17 tasks sit in every state of the lifecycle, with
** lights of every colour. All names and texts are invented for the demo.
**
** The story is played through the same use cases as real work (so the
** journal, events and counts are genuine), with the clock pinned back by
** DUBAN_NOW: the meeting happens 40 days ago, and the actions follow.
*/
#include "app/app_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEMO_PASSWORD "duban-demo"

static const struct {
  const char *name, *short_name, *kind, *aliases, *keywords;
} kUnits[] = {
  {"党政办公室", "党政办", "职能部门", "[\"校办\",\"督查室\"]", "[\"督查\",\"会议\",\"公文\"]"},
  {"发展规划处", "发计处", "职能部门", "[\"发规处\"]", "[\"规划\",\"十四五\",\"学科评估\"]"},
  {"教务处", "教务处", "职能部门", "[]", "[\"本科\",\"教学\",\"课程\",\"人才培养\"]"},
  {"科研处", "科研处", "职能部门", "[\"科技处\"]", "[\"科研\",\"项目\",\"平台\",\"成果\"]"},
  {"研究生院", "研究生院", "职能部门", "[\"研究生处\"]", "[\"研究生\",\"博士\",\"学位\",\"导师\"]"},
  {"人事处", "人事处", "职能部门", "[]", "[\"人事\",\"人才\",\"职称\",\"聘任\"]"},
  {"国际交流与合作处", "国际处", "职能部门", "[\"外事处\"]", "[\"国际\",\"留学生\",\"合作办学\"]"},
  {"审计处", "审计处", "职能部门", "[]", "[\"审计\",\"整改\"]"},
  {"网络信息中心", "网信中心", "直属单位", "[\"信息中心\"]", "[\"网络安全\",\"信息化\",\"智慧校园\"]"},
  {"保卫处", "保卫处", "职能部门", "[]", "[\"安全\",\"消防\",\"治安\"]"},
  {"后勤管理处", "后勤处", "职能部门", "[]", "[\"后勤\",\"食堂\",\"宿舍\",\"疫情\"]"},
  {"学生工作部", "学工部", "职能部门", "[\"学生处\"]", "[\"学生\",\"资助\",\"就业\"]"},
  {"机械工程学院", "机械学院", "学院", "[]", "[]"},
  {"信息技术工程学院", "信息学院", "学院", "[]", "[]"},
  {"经济与管理学院", "经管学院", "学院", "[]", "[]"},
};

static const struct {
  const char *login, *name, *roles;
  int unit;  /* index into kUnits, -1 none */
} kUsers[] = {
  {"admin", "系统管理员", "admin", -1},
  {"duchashi", "督查室 王敏", "supervisor", 0},
  {"leader", "副校长 李华", "leader", -1},
  {"fajichu", "发计处 赵磊", "unit", 1},
  {"jiaowu", "教务处 陈静", "unit", 2},
  {"keyan", "科研处 刘洋", "unit", 3},
  {"yanjiusheng", "研究生院 孙悦", "unit", 4},
  {"renshi", "人事处 周强", "unit", 5},
  {"guoji", "国际处 吴琳", "unit", 6},
  {"shenji", "审计处 郑博", "unit", 7},
  {"wangxin", "网信中心 冯涛", "unit", 8},
  {"baowei", "保卫处 何军", "unit", 9},
  {"houqin", "后勤处 韩梅", "unit", 10},
  {"xuegong", "学工部 杨帆", "unit", 11},
  {"jixie", "机械学院 许亮", "unit", 12},
  {"teacher", "教师 高远", "member", 13},
};

#define N_UNITS (sizeof kUnits / sizeof kUnits[0])
#define N_USERS (sizeof kUsers / sizeof kUsers[0])

static const char kMeetingText[] =
    "示范大学第三届委员会第五次全体（扩大）会议召开\n"
    "9月10日上午，中共示范大学第三届委员会第五次全体（扩大）会议在行政楼第一会议室召开。"
    "校党委常委会主持会议。全会审议通过了《示范大学第三届委员会第五次全体会议工作报告》。\n"
    "会议要求，下半年要重点抓好以下工作：一要全力做好博士学位授予单位申报工作，研究生院要牵头完善申报材料；"
    "二要深化人事制度改革，年底前出台岗位聘任实施方案；三要抓好审计整改，逐项销号；"
    "四要加强网络安全和校园安全管理；五要推进“我为群众办实事”实践活动，解决好师生反映的问题。\n";

struct demo {
  struct app *app;
  day_t day0;
  int64_t unit_id[N_UNITS];
  struct actor user[N_USERS];
  struct err *e;
};

static void at_day(struct demo *d, int offset, int hour) {
  char v[32], ds[11];
  snprintf(v, sizeof v, "%sT%02d:00", date_format(d->day0 + offset, ds), hour);
  setenv("DUBAN_NOW", v, 1);
}

static struct actor *who(struct demo *d, const char *login) {
  for (size_t i = 0; i < N_USERS; i++)
    if (!strcmp(kUsers[i].login, login)) return &d->user[i];
  return &d->user[0];
}

/* Runs an action; the demo is scripted, so any refusal is a bug: report it. */
static int act(struct demo *d, const char *login, int64_t task, enum task_action a, json_t *in) {
  json_t *out = NULL;
  int rc = app_task_action(d->app, who(d, login), task, a, in, &out, d->e);
  if (rc) {
    char msg[sizeof d->e->message];
    memcpy(msg, d->e->message, sizeof msg);
    err_set(d->e, d->e->code, d->e->field, "demo step %s on task %lld failed: %s",
            task_action_name(a), (long long)task, msg);
  }
  json_decref(in);
  json_decref(out);
  return rc;
}

static int64_t task(struct demo *d, int64_t source, int64_t parent, const char *title,
                    const char *req, int lead, int coop, int deadline_offset, const char *freq) {
  json_t *in = json_pack("{s:s,s:s,s:I,s:I,s:s,s:s}", "title", title, "requirement", req,
                         "source_id", (json_int_t)source, "lead_unit_id",
                         (json_int_t)d->unit_id[lead], "report_freq", freq, "lead_leader",
                         "副校长 李华");
  json_t *out = NULL;
  char ds[11];
  int64_t id = -1;
  json_object_set_new(in, "deadline", json_string(date_format(d->day0 + deadline_offset, ds)));
  if (coop >= 0)
    json_object_set_new(in, "coop_unit_ids", json_pack("[I]", (json_int_t)d->unit_id[coop]));
  if (parent) json_object_set_new(in, "parent_id", json_integer(parent));
  if (app_task_create(d->app, &d->user[1], in, &out, d->e) == 0)
    id = json_integer_value(json_object_get(out, "id"));
  json_decref(in);
  json_decref(out);
  return id;
}

#define TRY(x) do { if ((x) < 0) goto fail; } while (0)
#define J(...) json_pack(__VA_ARGS__)

int app_demo_populate(struct app *app, json_t **logins_out, struct err *e) {
  struct demo d;
  struct actor sys = actor_system();
  json_t *out = NULL, *logins = json_array();
  int64_t src, t[20];
  char *saved_now = getenv("DUBAN_NOW") ? strdup(getenv("DUBAN_NOW")) : NULL;
  int rc = -1;

  memset(&d, 0, sizeof d);
  d.app = app;
  d.e = e;
  setenv("DUBAN_FAST_HASH", "1", 0);
  /* Day 0 is the meeting, 40 days ago, moved to the Monday of its week. */
  d.day0 = date_today() - 40;
  d.day0 -= date_weekday(d.day0) - 1;
  at_day(&d, 0, 9);

  for (size_t i = 0; i < N_UNITS; i++) {
    json_t *in = json_pack("{s:s,s:s,s:s}", "name", kUnits[i].name, "short_name",
                           kUnits[i].short_name, "kind", kUnits[i].kind);
    json_object_set_new(in, "aliases", json_loads(kUnits[i].aliases, 0, NULL));
    json_object_set_new(in, "keywords", json_loads(kUnits[i].keywords, 0, NULL));
    rc = app_unit_add(app, &sys, in, &out, e);
    json_decref(in);
    if (rc) goto fail;
    d.unit_id[i] = json_integer_value(json_object_get(out, "id"));
    json_decref(out);
    out = NULL;
  }
  rc = -1;
  for (size_t i = 0; i < N_USERS; i++) {
    json_t *in = json_pack("{s:s,s:s,s:s,s:s}", "login", kUsers[i].login, "display_name",
                           kUsers[i].name, "roles", kUsers[i].roles, "password", DEMO_PASSWORD);
    if (kUsers[i].unit >= 0)
      json_object_set_new(in, "unit_id", json_integer(d.unit_id[kUsers[i].unit]));
    if (app_user_add(app, &sys, in, &out, e)) {
      json_decref(in);
      goto fail;
    }
    json_decref(in);
    d.user[i].user_id = json_integer_value(json_object_get(out, "id"));
    json_decref(out);
    out = NULL;
    if (app_actor_by_id(app, d.user[i].user_id, &d.user[i], e)) goto fail;
    json_array_append_new(logins, json_pack("{s:s,s:s,s:s,s:s}", "login", kUsers[i].login,
                                            "password", DEMO_PASSWORD, "roles", kUsers[i].roles,
                                            "name", kUsers[i].name));
  }
  {
    char ds[11];
    json_t *in = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:[s],s:s}", "kind", "meeting", "title",
                           "示范大学第三届委员会第五次全体（扩大）会议", "date",
                           date_format(d.day0, ds), "place", "行政楼第一会议室", "host",
                           "校党委常委会", "ref_no", "示大党〔2026〕12号", "documents",
                           "《示范大学第三届委员会第五次全体会议工作报告》", "original_text",
                           kMeetingText);
    rc = app_source_add(app, &d.user[1], in, &out, e);
    json_decref(in);
    if (rc) goto fail;
    rc = -1;
    src = json_integer_value(json_object_get(out, "id"));
    json_decref(out);
    out = NULL;
  }

  /* Units: 0 党政办 1 发计处 2 教务处 3 科研处 4 研究生院 5 人事处 6 国际处 7 审计处
  ** 8 网信中心 9 保卫处 10 后勤处 11 学工部 12 机械学院 13 信息学院 14 经管学院 */
  TRY(t[0] = task(&d, src, 0, "完成博士学位授予单位申报材料", "形成完整申报材料并通过校内论证", 4, 1, 75, "weekly:5"));
  TRY(t[1] = task(&d, src, t[0], "整理机械工程学科点建设材料", "学科点简况表、代表性成果清单", 12, -1, 35, "none"));
  TRY(t[2] = task(&d, src, t[0], "汇总近五年科研成果数据", "按申报口径核对数据", 3, -1, 30, "none"));
  TRY(t[3] = task(&d, src, 0, "出台岗位聘任实施方案", "年底前经党委常委会审议通过", 5, -1, 42, "monthly:28"));
  TRY(t[4] = task(&d, src, 0, "落实审计整改问题清单", "逐项整改销号，形成整改报告", 7, 1, 30, "weekly:5"));
  TRY(t[5] = task(&d, src, 0, "开展网络安全专项检查", "完成全校信息系统安全检查并整改高危漏洞", 8, -1, 45, "none"));
  TRY(t[6] = task(&d, src, 0, "做好秋季学期开学疫情防控", "制定方案并组织演练", 10, 11, 20, "none"));
  TRY(t[7] = task(&d, src, 0, "修订本科人才培养方案", "完成各专业培养方案修订", 2, -1, 25, "none"));
  TRY(t[8] = task(&d, src, 0, "推进国际合作办学项目", "完成合作协议签署", 6, -1, 70, "monthly:28"));
  TRY(t[9] = task(&d, src, 0, "加强校级科研平台建设", "完成平台中期评估", 3, -1, 60, "none"));
  TRY(t[10] = task(&d, src, 0, "推进“我为群众办实事”实践活动", "建立项目清单并定期公开进展", 11, -1, 80, "none"));
  TRY(t[11] = task(&d, src, 0, "完善校园安全管理制度", "修订安全管理办法", 9, -1, 55, "none"));
  TRY(t[12] = task(&d, src, 0, "组织学科评估自评材料", "按评估指标体系准备材料", 1, -1, 50, "none"));
  TRY(t[13] = task(&d, src, 0, "推进“十四五”规划中期检查", "形成中期检查报告", 1, 2, 44, "monthly:28"));
  TRY(t[14] = task(&d, src, 0, "建设智慧校园一期工程", "完成统一身份认证和数据中台建设", 13, 8, 90, "none"));
  TRY(t[15] = task(&d, src, 0, "加强研究生导师队伍建设", "出台导师遴选办法", 4, -1, 85, "none"));

  /* Issue everything but the two drafts (t10, t15). */
  for (int i = 0; i <= 14; i++) {
    if (i == 10) continue;
    TRY(act(&d, "duchashi", t[i], ACT_ASSIGN, NULL));
  }
  at_day(&d, 1, 10);
  TRY(act(&d, "yanjiusheng", t[0], ACT_ACCEPT, J("{s:s}", "person", "孙悦")));
  TRY(act(&d, "fajichu", t[0], ACT_ACCEPT, NULL));
  TRY(act(&d, "jixie", t[1], ACT_ACCEPT, NULL));
  TRY(act(&d, "keyan", t[2], ACT_ACCEPT, NULL));
  TRY(act(&d, "renshi", t[3], ACT_ACCEPT, NULL));
  TRY(act(&d, "shenji", t[4], ACT_ACCEPT, NULL));
  TRY(act(&d, "wangxin", t[5], ACT_ACCEPT, NULL));
  TRY(act(&d, "houqin", t[6], ACT_ACCEPT, NULL));
  TRY(act(&d, "xuegong", t[6], ACT_ACCEPT, NULL));
  TRY(act(&d, "jiaowu", t[7], ACT_ACCEPT, NULL));
  TRY(act(&d, "keyan", t[9], ACT_ACCEPT, NULL));
  TRY(act(&d, "baowei", t[11], ACT_ACCEPT, NULL));
  TRY(act(&d, "fajichu", t[12], ACT_ACCEPT, NULL));
  TRY(act(&d, "fajichu", t[13], ACT_ACCEPT, NULL));
  /* 网信中心 returns the smart-campus task: the 信息学院 should lead it. */
  TRY(act(&d, "wangxin", t[14], ACT_RETURN, J("{s:s}", "reason", "统一身份认证由我中心负责，建议由信息学院牵头数据中台建设")));

  at_day(&d, 8, 15);
  TRY(act(&d, "yanjiusheng", t[0], ACT_PROGRESS, J("{s:s,s:i}", "text", "已完成申报书初稿，正在组织专家论证。", "progress", 40)));
  TRY(act(&d, "keyan", t[2], ACT_PROGRESS, J("{s:s,s:i}", "text", "成果数据已汇总，待研究生院复核。", "progress", 90)));
  TRY(act(&d, "shenji", t[4], ACT_PROGRESS, J("{s:s,s:i}", "text", "12项问题已整改5项。", "progress", 40)));
  TRY(act(&d, "houqin", t[6], ACT_PROGRESS, J("{s:s,s:i}", "text", "方案已印发，演练已安排。", "progress", 70)));
  TRY(act(&d, "jiaowu", t[7], ACT_PROGRESS, J("{s:s,s:i}", "text", "已完成 28 个专业中的 15 个。", "progress", 50)));
  TRY(act(&d, "keyan", t[9], ACT_PROGRESS, J("{s:s,s:i}", "text", "平台自评报告撰写中。", "progress", 10)));

  at_day(&d, 12, 10);
  TRY(act(&d, "keyan", t[2], ACT_COMPLETE, J("{s:s,s:[s]}", "text", "数据已复核确认，见附件。", "evidence", "成果数据汇总表.xlsx")));
  TRY(act(&d, "duchashi", t[2], ACT_APPROVE, J("{s:s}", "evaluation", "excellent")));
  TRY(act(&d, "duchashi", t[12], ACT_CANCEL, J("{s:s}", "reason", "上级通知本轮学科评估延期，事项撤销")));

  at_day(&d, 18, 16);
  TRY(act(&d, "houqin", t[6], ACT_COMPLETE, J("{s:s}", "text", "开学防控方案落实到位，演练已完成。")));
  TRY(act(&d, "duchashi", t[6], ACT_APPROVE, J("{s:s,s:s}", "evaluation", "good", "reason", "按期完成")));
  TRY(act(&d, "duchashi", t[11], ACT_SUSPEND, J("{s:s}", "reason", "等待上级新版安全管理规定出台")));

  at_day(&d, 27, 11);
  /* Finished two days after its deadline: 逾期办结. */
  TRY(act(&d, "jiaowu", t[7], ACT_COMPLETE, J("{s:s}", "text", "全部专业培养方案已修订完成。")));
  TRY(act(&d, "duchashi", t[7], ACT_APPROVE, J("{s:s}", "evaluation", "fair")));
  TRY(act(&d, "wangxin", t[5], ACT_PROGRESS, J("{s:s,s:i}", "text", "完成 80% 系统的检查，发现高危漏洞 3 个并已整改。", "progress", 85)));
  TRY(act(&d, "wangxin", t[5], ACT_COMPLETE, J("{s:s}", "text", "专项检查完成，整改报告见附件。")));
  TRY(act(&d, "renshi", t[3], ACT_PROGRESS, J("{s:s,s:i}", "text", "方案征求意见稿已形成。", "progress", 60)));
  {
    char ds[11];
    TRY(act(&d, "fajichu", t[13], ACT_REQUEST_EXTENSION,
            J("{s:s,s:s}", "date", date_format(d.day0 + 60, ds), "reason", "需等待各学院数据上报")));
  }
  TRY(act(&d, "leader", t[4], ACT_INSTRUCT, J("{s:s}", "text", "审计整改要倒排工期，月底前全部销号。")));
  TRY(act(&d, "duchashi", t[4], ACT_URGE, J("{s:s}", "message", "请加快整改进度并按周反馈。")));
  TRY(act(&d, "jixie", t[1], ACT_PROGRESS, J("{s:s,s:i}", "text", "简况表已完成。", "progress", 60)));

  /* Back to the present: lights and escalations as of today. */
  if (saved_now) setenv("DUBAN_NOW", saved_now, 1); else unsetenv("DUBAN_NOW");
  TRY(app_tick(app, DATE_NONE, 1, &out, e));
  json_decref(out);
  out = NULL;
  *logins_out = logins;
  logins = NULL;
  rc = 0;
  goto done;
fail:
  rc = -1;
done:
  if (saved_now) setenv("DUBAN_NOW", saved_now, 1); else unsetenv("DUBAN_NOW");
  free(saved_now);
  json_decref(logins);
  json_decref(out);
  return rc;
}

/*
** extract.c — draft tasks from the segmented text. Pure: no I/O.
**
** The rules, in the order they apply (docs/ingest.md has the long form):
**
**  enum_item         An enumerated item (一是/二要/第三，/（四）/5./①, accepted only
**                    as part of a numbered run 1,2,…) gives one task: from the
**                    marker to the first 。 or ；, cut after the first clause
**                    when longer than 40 characters.
**  enum_named_unit   In the sentences that explain an item, a clause
**                    "ACTOR要…" naming a specific body (安全委员会, 发计处), or
**                    any unit when the item itself names another actor, gives
**                    its own task; a general audience (各学院…) becomes the
**                    item's unit instead.
**  semicolon_list    A directive sentence listing ≥3 short actions separated by
**                    ； gives one task per segment; "等N方面…工作安排" closes a
**                    group and its time phrase applies to that group.
**  directive_clause  In a directive paragraph (its first sentence is "会议/
**                    someone 强调/要求/指出/提出，" with forward-looking content:
**                    要…, 下半年…) or a directive sentence ("X要…"), each clause
**                    that starts with an action verb gives one task, except:
**                    the heading clause of a multi-sentence paragraph, the
**                    ideological preamble ending in "以…为指导/主题/动力…",
**                    purpose and goal clauses (确保…, 为…, 全面提升…水平,
**                    推动…发展), slogans (≤5 characters, or 、-lists of
**                    four-character phrases), mindset phrases (统一思想, 高度重视).
**  next_step_plan    A 下一步/今后 clause followed by actions: as directive_clause,
**                    with the paragraph's reporting unit as actor.
**  deployment_summary "会议还对…工作进行了部署" when no list follows.
**
** A sentence that introduces an enumeration is a heading: no task, but its time
** phrase (高质量完成下半年工作任务) sets the deadline of the paragraph's items. A
** leading time clause (会议指出，下半年，…) sets a section deadline that holds
** until the speaker changes. Paragraphs opening with praise or background
** (会议充分肯定, 半年来, 取得了…) give no tasks.
*/
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_int.h"

struct draft {
  size_t s, e;       /* span */
  size_t ts;         /* title start */
  size_t us, ue;     /* actor span, us == NPOS when none */
  day_t deadline;
  const char *rule;
};

struct mark { int kind, ord, ok; size_t len; };

struct ctx {
  const struct idoc *d;
  struct dl_ctx *dl;
  struct ingest_result *r;
  struct draft *v;
  size_t n, alloc;
  struct mark *mk;      /* per clause */
  size_t *cpara;        /* per clause: its paragraph */
};

/* ---- word lists: general vocabulary of Chinese official writing ---- */

static const char *const kTrigger[] = {
    "强调指出", "讲话指出", "指出", "强调", "要求", "提出", "表示", "认为",
    "希望", "部署", "说", NULL};
static const char *const kAdverb[] = {
    "进一步", "持续", "深入", "全面", "切实", "积极", "认真", "大力", "着力",
    "不断", "精心", "扎实", "扎扎实实", "稳步", "有序", "及时", "尽快", "继续",
    "坚决", "始终", "全力", "努力", "务必", "必须", "要", "还要", "也要", "更要",
    "并", "同时", "重点", "高质量", "高标准", "一体", "广泛", "有效", "充分",
    "主动", "严肃", "圆满", "加快", "抓紧", "统筹", "尽早", "牢牢", "主动", "真正",
    "既要", "又要", "还", "也", "下一步", "今后", "再", "要以", "更加",
    "认真地", "有针对性地", "共同", "逐步", "按期", "按时", "如期", "率先", NULL};
static const char *const kVerb[] = {
    "推进", "推动", "落实", "加强", "深化", "做好", "做细", "做实", "做强", "做优",
    "完善", "开展", "实施", "强化", "抓好", "抓实", "抓牢", "抓细", "加大", "建设",
    "建立", "建好", "健全", "办好", "组织", "制定", "制订", "成立", "形成", "召开",
    "举办", "贯彻", "学习", "把", "将", "优化", "构建", "打造", "规范", "明确",
    "压实", "细化", "落细", "研究", "出台", "修订", "编制", "启动", "完成", "扩大",
    "创新", "培育", "引进", "深耕", "开拓", "防范", "厘清", "践行", "树立", "营造",
    "推行", "保持", "夯实", "筑牢", "守牢", "严格", "查处", "整改", "排查", "清理",
    "梳理", "巩固", "拓展", "拓宽", "用好", "管好", "守好", "护好", "配合", "反馈",
    "报送", "上报", "报请", "提交", "审议", "组建", "设立", "编写", "发布", "印发",
    "宣传", "宣讲", "推广", "聚焦", "狠抓", "接受", "维护", "改进", "改革", "推出",
    "引导", "鼓励", "支持", "督促", "指导", "检查", "督查", "考核", "评估", "核查",
    "对接", "整合", "调整", "补齐", "补强", "解决", "化解", "处置", "应对", "扛起",
    "担起", "履行", "落地", "抓", "做", "办", "建", "开", "加快", "提速", "融入",
    "统筹", "谋划", "部署", "安排", "筹备", "举行", "承办", "协调", "监督", "严防",
    "严把", "严控", "杜绝", "坚持", "实行", "执行", "运用", "发展", "深挖", "挖掘",
    "凝练", "凝聚", "加紧", "抢抓", "完善", "保障", "确保", "提升", "提高", "增强",
    "促进", "实现", "发挥", "带领", "研读", "制作", "申报", "申请", "参加", "参与",
    "启用", "升级", "改造", "新建", "建成", "投入", "开发", "搭建", "修订", "总结",
    "汇报", "报告", "通报", "表彰", "评选", "选拔", "招聘", "培训", "培养", "招收",
    "录取", "开设", "建强", "配齐", "配强", "深耕", "开拓", "坚守", "守住", "筑起",
    "严肃", "惩治", "整治", "治理", "管控", "防控", "推介", "加速", "赋能", NULL};
static const char *const kPrep[] = {"按照", "根据", "结合", "针对", "通过", "对",
                                    "在", "围绕", "依托", "借助", "利用", "以", "于",
                                    "对于", "就", "从", "向", "为", NULL};
static const char *const kGoalStart[] = {
    "确保", "保证", "保障", "为", "助力", "服务", "奋力", "努力", "力争", "争取",
    "使", "让", "促进", "全面提升", "全面提高", "不断提高", "不断提升", "不断",
    "更好地", "更好", "充分发挥", "发挥", "以", "切实保障", "切实提高", "切实提升",
    "推动形成", "争做", "争创", "开创", "奋勇", "做到", "实现", "全力确保",
    "切实增强", "增强", "着力提升", "大力提升", NULL};
static const char *const kGoalNoun[] = {
    "水平", "能力", "质量", "意识", "实力", "影响力", "竞争力", "效能", "效率",
    "成效", "素质", "站位", "活力", "动力", "潜力", "获得感", "满意度", NULL};
static const char *const kGoalEnd[] = {"发展", "迈进", "前进", "奋斗", "贡献",
                                       "局面", "新篇章", "新成效", "新进展",
                                       "新突破", "新高潮", "保驾护航", NULL};
static const char *const kMindset[] = {
    "思想统一", "统一思想", "凝聚共识", "政治站位", "担当作为", "团结一致",
    "不忘初心", "牢记使命", "高度重视", "信心和决心", "信心", "决心", "思想认识",
    "站在", "精神状态", "责任感", "使命感", "紧迫感", NULL};
static const char *const kStance[] = {"主基调", "理念", "导向", "原则", "方针",
                                      "方向", "思想", "主线", "宗旨", NULL};
static const char *const kFrameNoun[] = {
    "指导", "主题", "动力", "引领", "主线", "抓手", "统领", "契机", "目标",
    "核心", "重点", "根本", "导向", "宗旨", "遵循", "中心", "保障", "支撑",
    "基础", "牵引", "根本任务", "指引", "载体", "突破口", NULL};
static const char *const kPraise[] = {
    "充分肯定", "半年来", "一年来", "两年来", "三年来", "多年来", "年以来",
    "今年以来", "近年来", "过去一年", "回顾", "取得了", "取得的成绩", "成效显著",
    "显著成效", NULL};
static const char *const kDeploy[] = {"进行了部署", "作出部署", "作了部署",
                                      "进行部署", "作出安排", "进行了安排",
                                      "进行了具体部署", NULL};

static int push(struct ctx *c, size_t s, size_t e, size_t ts, size_t us,
                size_t ue, day_t dl, const char *rule) {
  if (e <= s) return 0;
  if (c->n == c->alloc) {
    size_t na = c->alloc ? c->alloc * 2 : 32;
    struct draft *p = realloc(c->v, na * sizeof *p);
    if (!p) return -1;
    c->v = p;
    c->alloc = na;
  }
  c->v[c->n++] = (struct draft){s, e, ts, us, ue, dl, rule};
  return 0;
}

static size_t clen(const struct iclause *k) { return k->e - k->s; }

/* The deadline of [s,e), or `fallback` when the span names none; a limit the
** span names but that cannot be resolved (no calendar) gives none. */
static day_t find_dl(struct ctx *c, size_t s, size_t e, day_t fallback) {
  int unresolved = 0;
  day_t t = dl_find2(c->dl, c->d, s, e, &unresolved);
  if (t != DATE_NONE) return t;
  return unresolved ? DATE_NONE : fallback;
}

/* Skips connectives, adverbs and modal verbs at the head of [s,e). */
static size_t skip_adverbs(const struct idoc *d, size_t s, size_t e) {
  size_t n;
  int guard = 0;
  while (s < e && guard++ < 8 && (n = ix_at_any(d, s, e, kAdverb)) && s + n < e)
    s += n;
  return s;
}

/* 1 when clause k ends with a reporting verb (会议强调, 张金刚在会上指出). */
static int is_trigger_clause(const struct idoc *d, const struct iclause *k) {
  if (clen(k) > 40) return 0;
  for (const char *const *p = kTrigger; *p; p++)
    if (ix_ends(d, k->s, k->e, *p)) {
      /* "提出"/"部署"/"要求" mid-sentence may be content: accept only when the
      ** clause ends there and is followed by the content. */
      return 1;
    }
  return 0;
}

/* 1 when the clause carries a forward-looking modal: 要… at its head or after a
** short subject, 必须/务必/将… at its head, or 下一步/今后. */
static int is_forward(const struct idoc *d, const struct iclause *k) {
  size_t s = k->s, e = k->e;
  static const char *const kHead[] = {"要", "将",
                                      "下一步", "今后", "接下来", "还要", "也要",
                                      "同时要", NULL};
  static const char *const kNotYao[] = {"要求", "要点", "要素", "要害", "要闻",
                                        "要事", "要义", "要务", NULL};
  if (ix_at_any(d, s, e, kHead) && !ix_at_any(d, s, e, kNotYao)) return 1;
  size_t lim = e < s + 24 ? e : s + 24;
  for (size_t i = s + 1; i < lim; i++) {
    uint32_t c = d->cp[i];
    if (c == 0x8981) { /* 要 */
      uint32_t p = d->cp[i - 1];
      if (p == 0x5FC5 || p == 0x91CD || p == 0x4E3B || p == 0x9700 ||
          p == 0x53EA || p == 0x4E0D || p == 0x60F3 || p == 0x7D27 ||
          p == 0x9996 || p == 0x7EB2 || p == 0x6458 || p == 0x6982)
        continue; /* 必要 重要 主要 需要 只要 不要 想要 紧要 首要 纲要 摘要 概要 */
      if (ix_at_any(d, i, e, kNotYao)) continue;
      return 1;
    }
    if (c == 0x5C06 && i > s + 1) { /* X将… after a unit */
      if (unit_classify(d, s, i) != ACT_NONE) return 1;
    }
  }
  return 0;
}

/* 以…为指导 (ideological frame). */
static int is_frame(const struct idoc *d, const struct iclause *k) {
  size_t s = skip_adverbs(d, k->s, k->e);
  size_t n;
  if ((n = ix_at(d, s, k->e, "坚持"))) s += n;
  if (!ix_at(d, s, k->e, "以")) {
    /* "学校坚持以…为指导", "全校要以…为契机" */
    size_t p = ix_find(d, k->s, k->e, "以");
    if (p == NPOS || p > k->s + 12) return 0;
    s = p;
  }
  for (size_t i = s + 1; i < k->e; i++)
    if (d->cp[i] == 0x4E3A && ix_at_any(d, i + 1, k->e, kFrameNoun)) /* 为 */
      return 1;
  return 0;
}

/* All 、-separated parts at most 4 characters: a slogan string. */
static int is_slogan(const struct idoc *d, size_t s, size_t e) {
  size_t part = 0;
  if (e - s <= 5) return 1;
  for (size_t i = s; i <= e; i++) {
    if (i == e || d->cp[i] == 0x3001) {
      if (part > 4) return 0;
      part = 0;
    } else
      part++;
  }
  return 1;
}

static int is_goal(const struct idoc *d, size_t core, size_t e) {
  size_t n;
  if (ix_at_any(d, core, e, kGoalStart)) {
    /* 为/以 as a verb start only when a purpose: 为…提供, 以…为 */
    return 1;
  }
  if ((n = ix_at_any(d, core, e,
                     (const char *const[]){"提升", "提高", "增强", NULL})) &&
      ix_has_any(d, core, e, kGoalNoun))
    return 1;
  if (ix_at_any(d, core, e, (const char *const[]){"推进", "推动", NULL}) &&
      (ix_ends_any(d, core, e, kGoalEnd) || ix_has(d, core, e, "高质量发展") ||
       ix_has(d, core, e, "实现")))
    return 1;
  if (ix_ends_any(d, core, e, kGoalEnd) &&
      ix_has_any(d, core, e, (const char *const[]){"为", "向着", NULL}))
    return 1;
  if (ix_has(d, core, e, "取得") &&
      ix_has_any(d, core, e, (const char *const[]){"成效", "成果", "进展", "突破",
                                                   "成绩", NULL}))
    return 1;
  return 0;
}

static int is_mindset(const struct idoc *d, size_t core, size_t e) {
  if (ix_has_any(d, core, e, kMindset)) return 1;
  if (ix_at(d, core, e, "坚持") && ix_ends_any(d, core, e, kStance)) return 1;
  return 0;
}

static int starts_action(const struct idoc *d, size_t core, size_t e) {
  if (ix_at_any(d, core, e, kVerb)) return 1;
  if (ix_at_any(d, core, e, kPrep)) {
    for (size_t i = core + 1; i < e; i++)
      if (ix_at_any(d, i, e, kVerb)) return 1;
  }
  return 0;
}

/* ---- enumeration markers ---- */

static void find_markers(struct ctx *c) {
  const struct idoc *d = c->d;
  int last_ord[128], last_para[128];
  for (int k = 0; k < 128; k++) last_ord[k] = 0, last_para[k] = -1;
  for (size_t s = 0; s < d->nsent; s++) {
    const struct isent *st = &d->sents[s];
    for (size_t k = st->c0; k < st->c0 + st->nc; k++) {
      int kind, ord;
      size_t len = ix_enum_marker(d, d->cls[k].s, st->e, &kind, &ord);
      c->mk[k] = (struct mark){0, 0, 0, 0};
      if (!len || kind >= 128) continue;
      /* the marker must be followed by content */
      if (d->cls[k].s + len >= d->cls[k].e &&
          !(kind == 'F' || kind == 'Q'))
        continue;
      c->mk[k] = (struct mark){kind, ord, 0, len};
    }
  }
  for (size_t k = 0; k < d->ncl; k++) {
    struct mark *m = &c->mk[k];
    if (!m->len) continue;
    int para = (int)c->cpara[k];
    int same_para = (m->kind == 'S' || m->kind == 'Y' || m->kind == 'L' ||
                     m->kind == 'Q' || m->kind == 'F');
    if (m->ord == 1) {
      for (size_t j = k + 1; j < d->ncl && j < k + 400; j++) {
        if (!c->mk[j].len || c->mk[j].kind != m->kind) continue;
        if (c->mk[j].ord == 2) {
          if (same_para && (int)c->cpara[j] != para) break;
          m->ok = 1;
        }
        break;
      }
    } else if (last_ord[m->kind] == m->ord - 1 &&
               (!same_para || last_para[m->kind] == para)) {
      m->ok = 1;
    }
    if (m->ok) {
      last_ord[m->kind] = m->ord;
      last_para[m->kind] = para;
    }
  }
}

/* ---- paragraph processing ---- */

struct pstate {
  size_t spk_s, spk_e;    /* current speaker span (NPOS when none) */
  size_t sect_s, sect_e;  /* speaker of the section deadline */
  day_t sect_dl;
};

static int same_speaker(const struct idoc *d, size_t as, size_t ae, size_t bs,
                        size_t be) {
  if (as == NPOS || bs == NPOS) return 0;
  size_t la = ae - as, lb = be - bs, l = la < lb ? la : lb;
  if (l == 0) return 0;
  for (size_t i = 1; i <= l; i++)
    if (d->cp[ae - i] != d->cp[be - i]) return 0;
  return 1;
}

/* Index of the trigger clause in sentence st, or NPOS. */
static size_t trigger_in(const struct idoc *d, const struct isent *st) {
  for (size_t k = st->c0; k < st->c0 + st->nc && k < st->c0 + 4; k++)
    if (is_trigger_clause(d, &d->cls[k]) && k + 1 < st->c0 + st->nc) return k;
  return NPOS;
}

static size_t speaker_end(const struct idoc *d, const struct iclause *k) {
  static const char *const kCut[] = {"在", "就", "对", "通过", "作", "代表",
                                     "围绕", NULL};
  for (size_t i = k->s + 2; i < k->e; i++)
    if (ix_at_any(d, i, k->e, kCut)) return i;
  for (const char *const *p = kTrigger; *p; p++)
    if (ix_ends(d, k->s, k->e, *p)) {
      size_t e = k->e;
      for (const unsigned char *q = (const unsigned char *)*p; *q; q++)
        if ((*q & 0xC0) != 0x80) e--;
      return e;
    }
  return k->e;
}

static size_t item_end_clause(const struct ctx *c, const struct isent *st,
                              size_t k) {
  const struct idoc *d = c->d;
  size_t last = st->c0 + st->nc - 1;
  for (size_t j = k; j <= last; j++) {
    if (j > k && c->mk[j].ok) return j - 1;
    if (d->cls[j].delim == 0xFF1B) return j;
  }
  return last;
}

/* Span end including a following delimiter character. */
static size_t with_delim(const struct idoc *d, const struct iclause *k) {
  if (k->e < d->n && k->delim && k->e + 1 <= d->n) return k->e + 1;
  return k->e;
}

static int process(struct ctx *c) {
  const struct idoc *d = c->d;
  struct pstate ps = {NPOS, NPOS, NPOS, NPOS, DATE_NONE};
  size_t expl_until = 0;    /* clauses before this index explain an item */
  size_t item_unit_s = NPOS; /* actor of the current item */
  int item_inst = 0;
  size_t item_draft = NPOS; /* index of the current item draft */

  for (size_t p = 0; p < d->npara; p++) {
    const struct ipara *pa = &d->paras[p];
    if (!pa->ns || !d->sents[pa->s0].nc) continue;
    const struct isent *s0 = &d->sents[pa->s0];
    size_t trig = trigger_in(d, s0);
    int directive = 0, retro = 0;
    day_t pdl = DATE_NONE;
    size_t para_act_s = NPOS, para_act_e = NPOS;
    size_t content0 = s0->c0;

    /* speaker and section deadline */
    if (trig != NPOS) {
      const struct iclause *tk = &d->cls[trig];
      size_t ss = tk->s, se = speaker_end(d, tk);
      if (ix_at_any(d, ss, se, (const char *const[]){"他", "她", NULL}) &&
          se - ss <= 2) {
        /* same speaker */
      } else if (!same_speaker(d, ss, se, ps.spk_s, ps.spk_e)) {
        ps.spk_s = ss;
        ps.spk_e = se;
      }
      content0 = trig + 1;
      const struct iclause *ck = &d->cls[content0];
      if (dl_is_time_clause(d, ck->s, ck->e)) {
        ps.sect_dl = dl_find(c->dl, d, ck->s, ck->e);
        ps.sect_s = ps.spk_s;
        ps.sect_e = ps.spk_e;
        directive = 1;
      }
      for (size_t k = content0; k < s0->c0 + s0->nc && !directive; k++)
        if (is_forward(d, &d->cls[k])) directive = 1;
    } else if (is_forward(d, &d->cls[s0->c0])) {
      directive = 1;
    }
    if (ps.sect_dl != DATE_NONE &&
        same_speaker(d, ps.sect_s, ps.sect_e, ps.spk_s, ps.spk_e))
      pdl = ps.sect_dl;
    else
      ps.sect_dl = DATE_NONE;
    if (ix_has_any(d, s0->s, s0->e, kPraise) && !directive) retro = 1;

    for (size_t si = pa->s0; si < pa->s0 + pa->ns; si++) {
      const struct isent *st = &d->sents[si];
      size_t first = st->c0, last = st->c0 + st->nc;
      if (!st->nc) continue;
      /* paragraph actor: a unit as the subject of a sentence */
      {
        size_t k0 = first;
        if (clen(&d->cls[k0]) <= 4 && k0 + 1 < last) k0++;
        size_t ae;
        enum actor_kind ak = unit_subject(d, d->cls[k0].s, d->cls[k0].e, &ae);
        if (ak == ACT_SPECIFIC || ak == ACT_GENERAL) {
          para_act_s = d->cls[k0].s;
          para_act_e = ae;
        }
      }
      /* does the sentence hold enumeration markers? */
      size_t mk0 = NPOS;
      for (size_t k = first; k < last; k++)
        if (c->mk[k].ok) { mk0 = k; break; }

      /* heading: the next sentence (or this one's tail) opens a list */
      int heading = 0;
      if (mk0 == NPOS && si + 1 < pa->s0 + pa->ns) {
        const struct isent *nx = &d->sents[si + 1];
        if (nx->nc && c->mk[nx->c0].ok && c->mk[nx->c0].ord == 1) heading = 1;
      }
      if (mk0 == NPOS && si + 1 == pa->s0 + pa->ns && p + 1 < d->npara) {
        const struct isent *nx = &d->sents[d->paras[p + 1].s0];
        if (d->paras[p + 1].ns && nx->nc && c->mk[nx->c0].ok &&
            c->mk[nx->c0].ord == 1 && ix_ends(d, st->s, st->e, "："))
          heading = 1;
      }
      if (heading) {
        day_t h = dl_find(c->dl, d, st->s, st->e);
        if (h != DATE_NONE) pdl = h;
        continue;
      }
      if (retro) continue;

      /* ---- enumerated items ---- */
      if (mk0 != NPOS) {
        if (mk0 > first) { /* frame before the marker: time phrase applies */
          day_t h = dl_find(c->dl, d, d->cls[first].s, d->cls[mk0].s);
          if (h != DATE_NONE) pdl = h;
        }
        size_t prev_us = NPOS, prev_ue = NPOS;
        size_t k = mk0;
        while (k < last) {
          if (!c->mk[k].ok) { k++; continue; }
          size_t ke = item_end_clause(c, st, k);
          const struct iclause *a = &d->cls[k], *b = &d->cls[ke];
          size_t xs = a->s, xe = with_delim(d, b);
          size_t ms = a->s + c->mk[k].len;
          size_t end = xe;
          if (xe - xs > 40 && ke > k) {
            size_t cut = k;
            if (ix_at_any(d, ms, a->e, kPrep) && cut + 1 < ke) cut++;
            end = with_delim(d, &d->cls[cut]);
          }
          /* the item's own actor */
          size_t us = NPOS, ue = NPOS, after = ms;
          item_inst = 0;
          size_t actor_cl = k;
          for (size_t j = k; j <= ke && j < k + 2; j++) {
            actor_cl = j;
            size_t as, ae, af;
            size_t from = j == k ? ms : d->cls[j].s;
            enum actor_kind ak = unit_actor_at(d, from, d->cls[j].e, &as, &ae, &af);
            if (ak == ACT_INST) { item_inst = 1; break; }
            if (ak != ACT_NONE) {
              us = as; ue = ae;
              if (j == k) after = af;
              break;
            }
          }
          if (us == NPOS && !item_inst && prev_us != NPOS) {
            us = prev_us; ue = prev_ue;
          }
          prev_us = us; prev_ue = ue;
          day_t dl = find_dl(c, xs, xe, pdl);
          if (push(c, xs, end, after, us, ue, dl, "enum_item")) return -1;
          item_draft = c->n - 1;
          item_unit_s = us;
          /* explanation: rest of the sentence up to the next marker, then the
          ** following sentences until the next marker or paragraph end */
          size_t nk = ke + 1;
          while (nk < last && !c->mk[nk].ok) nk++;
          expl_until = 0;
          if (nk >= last) { /* explanation continues after this sentence */
            expl_until = NPOS;
          }
          /* named units inside the same sentence after the item */
          for (size_t j = actor_cl + 1; j < nk; j++) {
            size_t as, ae, af;
            enum actor_kind ak = unit_actor_at(d, d->cls[j].s, d->cls[j].e, &as, &ae, &af);
            if (ak == ACT_SPECIFIC ||
                (ak == ACT_GENERAL && (item_inst || us != NPOS))) {
              size_t te = j;
              while (te + 1 < nk && d->cls[te].delim != 0xFF1B) te++;
              day_t dl2 = find_dl(c, d->cls[j].s, d->cls[te].e, pdl);
              if (push(c, d->cls[j].s, with_delim(d, &d->cls[te]), af, as, ae, dl2,
                       "enum_named_unit"))
                return -1;
              break;
            }
            if (ak == ACT_GENERAL && us == NPOS && item_draft != NPOS) {
              c->v[item_draft].us = as;
              c->v[item_draft].ue = ae;
            }
          }
          k = nk;
        }
        continue;
      }

      /* ---- explanation sentences of an item ---- */
      if (expl_until == NPOS && item_draft != NPOS) {
        for (size_t j = first; j < last; j++) {
          size_t as, ae, af;
          enum actor_kind ak = unit_actor_at(d, d->cls[j].s, d->cls[j].e, &as, &ae, &af);
          size_t ts = af, from = j;
          if (ak == ACT_NONE && j == first) {
            /* subject form: 学校安全委员会肩负着…，要扛起… */
            size_t se;
            enum actor_kind sk = unit_subject(d, d->cls[j].s, d->cls[j].e, &se);
            if (sk == ACT_SPECIFIC) {
              for (size_t q = j + 1; q < last; q++)
                if (ix_at(d, d->cls[q].s, d->cls[q].e, "要")) {
                  ak = sk; as = d->cls[j].s; ae = se; from = q;
                  ts = d->cls[q].s + 1;
                  break;
                }
            }
          }
          if (ak == ACT_SPECIFIC ||
              (ak == ACT_GENERAL && (item_inst || item_unit_s != NPOS))) {
            size_t te = from;
            while (te + 1 < last && d->cls[te].delim != 0xFF1B) te++;
            day_t dl2 = find_dl(c, d->cls[from].s, d->cls[te].e, pdl);
            if (push(c, d->cls[from].s, with_delim(d, &d->cls[te]), ts, as, ae,
                     dl2, "enum_named_unit"))
              return -1;
            break;
          }
          if (ak == ACT_GENERAL && item_unit_s == NPOS &&
              c->v[item_draft].us == NPOS) {
            c->v[item_draft].us = as;
            c->v[item_draft].ue = ae;
          }
        }
        continue;
      }

      /* ---- semicolon lists ---- */
      size_t nsemi = 0;
      for (size_t k = first; k < last; k++)
        if (d->cls[k].delim == 0xFF1B) nsemi++;
      if (nsemi >= 2 && (directive || trigger_in(d, st) != NPOS ||
                         ix_has_any(d, st->s, st->e, (const char *const[]){
                                        "部署", "要求", "提出", NULL}))) {
        size_t gstart = c->n;
        size_t k = first;
        int long_seg = 0;
        while (k < last) {
          size_t ke = k;
          while (ke + 1 < last && d->cls[ke].delim != 0xFF1B) ke++;
          if (d->cls[ke].e - d->cls[k].s > 60) long_seg = 1;
          k = ke + 1;
        }
        if (!long_seg) {
          k = first;
          while (k < last) {
            size_t ke = k, closer = NPOS;
            while (ke + 1 < last && d->cls[ke].delim != 0xFF1B) {
              if (ix_has(d, d->cls[ke].s, d->cls[ke].e, "等") && closer == NPOS &&
                  ix_has_any(d, d->cls[ke].s, d->cls[ke].e,
                             (const char *const[]){"方面", "点", "项", "条", NULL}))
                closer = ke;
              if (closer != NPOS) break;
              ke++;
            }
            if (closer == NPOS && ix_has(d, d->cls[ke].s, d->cls[ke].e, "等") &&
                ix_has_any(d, d->cls[ke].s, d->cls[ke].e,
                           (const char *const[]){"方面", "点", "项", "条", NULL}))
              closer = ke;
            /* item start: after an introducing verb in the first segment */
            size_t is = d->cls[k].s;
            if (k == first) {
              size_t kk = k;
              for (size_t q = k; q <= ke; q++)
                for (size_t i = d->cls[q].s; i < d->cls[q].e; i++) {
                  size_t n2 = ix_at_any(d, i, d->cls[q].e, (const char *const[]){
                      "部署了", "提出了", "包括", "部署", "要求", "提出", NULL});
                  if (n2) { is = i + n2; kk = q; }
                }
              (void)kk;
            }
            size_t n2;
            if ((n2 = ix_at_any(d, is, d->cls[ke].e,
                                (const char *const[]){"以及", "和", "并", NULL})))
              is += n2;
            size_t ie = d->cls[ke].e;
            if (closer != NPOS) {
              size_t q = ix_find(d, d->cls[closer].s, d->cls[closer].e, "等");
              ie = q;
            }
            size_t ts = skip_adverbs(d, is, ie);
            day_t dl = dl_find(c->dl, d, is, ie);
            if (ie > is + 3 && push(c, is, ie, ts, NPOS, NPOS, dl, "semicolon_list"))
              return -1;
            if (closer != NPOS) {
              day_t g = dl_find(c->dl, d, d->cls[closer].s, d->cls[closer].e);
              for (size_t t = gstart; t < c->n; t++)
                if (c->v[t].deadline == DATE_NONE) c->v[t].deadline = g;
              gstart = c->n;
              k = closer + 1;
              continue;
            }
            k = ke + 1;
          }
          for (size_t t = gstart; t < c->n; t++)
            if (c->v[t].deadline == DATE_NONE) c->v[t].deadline = pdl;
          continue;
        }
      }

      /* ---- directive sentences ---- */
      size_t cs = first;
      int forward = directive;
      int next_step = 0;
      size_t tr = trigger_in(d, st);
      if (tr != NPOS) cs = tr + 1;
      if (si == pa->s0 && directive) cs = content0;
      if (!forward) {
        for (size_t k = cs; k < last; k++) {
          if (ix_at_any(d, d->cls[k].s, d->cls[k].e,
                        (const char *const[]){"下一步", "今后", "接下来", NULL})) {
            forward = 1; next_step = 1; cs = k; break;
          }
          if (is_forward(d, &d->cls[k])) { forward = 1; cs = k; break; }
        }
      }
      if (!forward) {
        if (ix_has_any(d, st->s, st->e, kDeploy) && !ix_has(d, st->s, st->e, "会议听取")) {
          if (push(c, st->s, st->e, st->s, NPOS, NPOS, pdl, "deployment_summary"))
            return -1;
        }
        continue;
      }
      /* heading clause of a multi-sentence directive paragraph */
      if (si == pa->s0 && directive && pa->ns >= 3 && cs < last &&
          is_forward(d, &d->cls[cs]) && !dl_is_time_clause(d, d->cls[cs].s, d->cls[cs].e))
        cs++;
      /* ideological preamble */
      for (size_t k = last; k-- > cs;)
        if (is_frame(d, &d->cls[k])) { cs = k + 1; break; }
      size_t sus = NPOS, sue = NPOS;
      day_t tdl = DATE_NONE;
      for (size_t k = cs; k < last; k++) {
        const struct iclause *kc = &d->cls[k];
        size_t core = kc->s, as, ae, af;
        size_t n2;
        if (dl_is_time_clause(d, kc->s, kc->e)) {
          day_t t = dl_find(c->dl, d, kc->s, kc->e);
          if (t != DATE_NONE) tdl = t;
          if (ix_at_any(d, kc->s, kc->e, (const char *const[]){"下一步", "今后", NULL}))
            next_step = 1;
          continue;
        }
        if ((n2 = ix_at_any(d, core, kc->e, (const char *const[]){"下一步", "今后",
                                                                 "接下来", NULL}))) {
          next_step = 1;
          core += n2;
        }
        enum actor_kind ak = unit_actor_at(d, core, kc->e, &as, &ae, &af);
        if (ak != ACT_NONE) {
          if (ak == ACT_INST) { sus = NPOS; sue = NPOS; }
          else { sus = as; sue = ae; }
          core = af;
        } else {
          size_t se;
          enum actor_kind sk = unit_subject(d, core, kc->e, &se);
          if ((sk == ACT_SPECIFIC || sk == ACT_GENERAL) && k + 1 < last &&
              is_forward(d, &d->cls[k + 1])) {
            sus = core; sue = se;
            continue;
          }
        }
        core = skip_adverbs(d, core, kc->e);
        if (kc->e - kc->s < 6 || is_slogan(d, core, kc->e)) continue;
        if (is_mindset(d, core, kc->e)) continue;
        if (is_goal(d, core, kc->e)) continue;
        if (!starts_action(d, core, kc->e)) continue;
        size_t us = sus, ue = sue;
        if (us == NPOS && next_step && para_act_s != NPOS) {
          us = para_act_s; ue = para_act_e;
        }
        day_t dl = find_dl(c, kc->s, kc->e, tdl != DATE_NONE ? tdl : pdl);
        if (push(c, kc->s, kc->e, core, us, ue, dl,
                 next_step ? "next_step_plan" : "directive_clause"))
          return -1;
      }
    }
    /* an item's explanation ends with its paragraph unless the list is of the
    ** heading kind （一）/一、/1. that spans paragraphs */
    expl_until = 0;
    item_draft = NPOS;
  }
  return 0;
}

/* Title: from ts to the first clause delimiter, at most 30 characters, trailing
** punctuation removed. */
static char *make_title(const struct idoc *d, const struct draft *t) {
  size_t s = t->ts < t->s || t->ts >= t->e ? t->s : t->ts;
  s = skip_adverbs(d, s, t->e);
  size_t e = s;
  while (e < t->e && d->cp[e] != 0xFF0C && d->cp[e] != 0xFF1B &&
         d->cp[e] != 0x3002 && d->cp[e] != 0xFF1A)
    e++;
  if (e - s < 4) { s = t->s; e = t->e; }
  if (e - s > 30) e = s + 30;
  while (e > s && (d->cp[e - 1] == 0xFF0C || d->cp[e - 1] == 0x3002 ||
                   d->cp[e - 1] == 0xFF1B || d->cp[e - 1] == 0x3001 ||
                   d->cp[e - 1] == ' '))
    e--;
  return ix_dup(d, s, e);
}

int extract_tasks(const struct idoc *d, struct dl_ctx *dl,
                  struct ingest_result *r, struct err *e) {
  struct ctx c = {d, dl, r, NULL, 0, 0, NULL, NULL};
  int rc = -1;
  c.mk = calloc(d->ncl + 1, sizeof *c.mk);
  c.cpara = calloc(d->ncl + 1, sizeof *c.cpara);
  if (!c.mk || !c.cpara) goto oom;
  for (size_t s = 0; s < d->nsent; s++)
    for (size_t k = d->sents[s].c0; k < d->sents[s].c0 + d->sents[s].nc; k++)
      c.cpara[k] = d->sents[s].para;
  find_markers(&c);
  if (process(&c)) goto oom;
  if (c.n) {
    r->tasks = calloc(c.n, sizeof *r->tasks);
    if (!r->tasks) goto oom;
  }
  for (size_t i = 0; i < c.n; i++) {
    struct draft *t = &c.v[i];
    struct ingest_task *o = &r->tasks[r->n_tasks];
    /* trim spaces at both ends so the span is clean */
    while (t->s < t->e && (d->cp[t->s] == ' ' || d->cp[t->s] == '\n')) t->s++;
    while (t->e > t->s && (d->cp[t->e - 1] == ' ' || d->cp[t->e - 1] == '\n')) t->e--;
    if (t->e <= t->s) continue;
    o->start = t->s;
    o->end = t->e;
    o->deadline = t->deadline;
    o->rule = t->rule;
    o->source_text = ix_dup(d, t->s, t->e);
    o->title = make_title(d, t);
    if (t->us != NPOS && t->ue > t->us) o->unit = ix_dup(d, t->us, t->ue);
    r->n_tasks++;
    if (!o->source_text || !o->title || (t->us != NPOS && t->ue > t->us && !o->unit))
      goto oom;
  }
  rc = 0;
  goto done;
oom:
  err_set(e, ERR_INTERNAL, "file", "out of memory extracting tasks");
done:
  free(c.v);
  free(c.mk);
  free(c.cpara);
  return rc;
}

/*
** units.c — actors named by the text, and the unit suggested from the
** institution's own list.
**
** An actor is a noun phrase that ends in an organisational head noun (委员会,
** 处, 部, 办, 学院, 中心, 小组, 单位, 部门, 班子成员, 负责人, 书记 …), found before
** the modal verb of a directive (发计处要…, 各学院要…, 学校会…). Its kind says how
** the rules use it: the institution itself (学校, 全校, 公司) gives no unit; a
** general audience (各学院, 各单位, 各级…) carries over; a vague one (相关负责人)
** is ignored; a specific body (安全委员会) gets its own task.
**
** The suggestion matches each unit's name, short name and aliases, then its
** keywords, against the task's text, and accepts a match only when both its
** ends fall on word boundaries from ICU's dictionary-based word break iterator
** (so 化学院 does not match inside 文化学院).
*/
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/ustring.h>

#include "ingest/ingest_int.h"

static const char *const kHead[] = {
    "委员会", "领导小组", "工作组", "小组", "班子成员", "班子", "办公室", "学院",
    "单位", "部门", "成员", "同志", "负责人", "书记", "院长", "校长", "主任",
    "处长", "部长", "党委", "党总支", "支部", "团委", "工会", "机关", "中心",
    "处", "部", "办", "院", "局", "科", "室", "馆", "组", "队", "会", "系",
    "干部", "党员", "公司", "集团", "企业", "基地", NULL};
static const char *const kInst[] = {"学校", "全校", "我校", "本校", "公司",
                                    "集团", "全校上下", "全公司", "全体",
                                    "会议", "全会", "大会", "学校党委", "校党委",
                                    "学校党委常委会", "我们", "大家", NULL};
static const char *const kNotActor[] = {"对", "在", "为", "从", "通过", "按照",
                                        "根据", "针对", "围绕", "把", "将", "以",
                                        "当前", "同时", "关于", NULL};

/* Verbs that never occur inside a unit's name: a phrase holding one is a
** predicate (提升国际化办学水平), not an actor. */
static const char *const kVerbIn[] = {
    "推进", "加强", "提升", "提高", "推动", "落实", "完善", "做好", "深化", "开展",
    "实施", "强化", "把握", "倡导", "引导", "坚持", "贯彻", "抓好", "加大", "扛起",
    "肩负", "履行", "发挥", "建立", "健全", "树立", NULL};

static int is_stop(uint32_t c) {
  return c == 0xFF0C || c == 0x3002 || c == 0xFF1B || c == 0xFF1A ||
         c == 0x201C || c == 0x201D || c == 0x300A || c == 0x7684 /* 的 */ ||
         c == 0x4E86 /* 了 */ || c == 0x662F /* 是 */;
}

enum actor_kind unit_classify(const struct idoc *d, size_t s, size_t e) {
  if (e <= s + 1 || e - s > 40) return ACT_NONE;
  for (size_t i = s; i < e; i++)
    if (is_stop(d->cp[i])) return ACT_NONE;
  if (ix_at_any(d, s, e, kNotActor)) return ACT_NONE;
  if (ix_has_any(d, s, e, kVerbIn)) return ACT_NONE;
  for (const char *const *p = kInst; *p; p++)
    if (ix_at(d, s, e, *p) == e - s) return ACT_INST;
  if (!ix_ends_any(d, s, e, kHead)) return ACT_NONE;
  if (ix_at(d, s, e, "各") || ix_at(d, s, e, "全体") || ix_at(d, s, e, "广大"))
    return ACT_GENERAL;
  if (ix_at(d, s, e, "相关") || ix_at(d, s, e, "有关")) return ACT_VAGUE;
  return ACT_SPECIFIC;
}

static const char *const kModal[] = {"要", "将", "会", "须", "必须", "应", "需",
                                     "牵头", NULL};
static const char *const kLeadIn[] = {"同时", "并且", "并", "还", "也", "此外",
                                      NULL};

enum actor_kind unit_actor_at(const struct idoc *d, size_t s, size_t e,
                              size_t *as, size_t *ae, size_t *after) {
  size_t n;
  while ((n = ix_at_any(d, s, e, kLeadIn)) && s + n < e) s += n;
  size_t lim = e < s + 41 ? e : s + 41;
  for (size_t i = s + 2; i < lim; i++) {
    if (is_stop(d->cp[i])) break;
    if ((n = ix_at_any(d, i, e, kModal))) {
      /* "还要/也要" after the actor */
      size_t ne = i;
      if (ne > s && (d->cp[ne - 1] == 0x8FD8 || d->cp[ne - 1] == 0x4E5F ||
                     d->cp[ne - 1] == 0x90FD)) /* 还 也 都 */
        ne--;
      enum actor_kind k = unit_classify(d, s, ne);
      if (k != ACT_NONE && k != ACT_INST && d->cp[i] == 0x4F1A) /* 会: 学校会… only */
        k = ACT_NONE;
      if (k != ACT_NONE) {
        *as = s;
        *ae = ne;
        *after = i + n;
        return k;
      }
    }
  }
  return ACT_NONE;
}

enum actor_kind unit_subject(const struct idoc *d, size_t s, size_t e,
                             size_t *ae) {
  size_t lim = e < s + 16 ? e : s + 16;
  for (size_t j = lim; j >= s + 2; j--) {
    enum actor_kind k = unit_classify(d, s, j);
    if (k == ACT_SPECIFIC || k == ACT_GENERAL) {
      *ae = j;
      return k;
    }
  }
  return ACT_NONE;
}

/* ---- suggestion ---- */

struct unit_name { UChar *s; int32_t n; int unit; int weight; };

struct unit_matcher {
  UBreakIterator *bi;
  struct unit_name *names;
  size_t nnames, alloc;
  UChar *text;            /* scratch UTF-16 */
  int32_t text_cap;
  unsigned char *bound;   /* scratch: 1 at word boundaries */
  int32_t bound_cap;
  int *score;             /* per unit */
  size_t nunits;
};

static int add_name(struct unit_matcher *m, const char *s, size_t len,
                    int unit, int weight) {
  UErrorCode st = U_ZERO_ERROR;
  int32_t n = 0;
  if (len == 0 || len > 400) return 0;
  u_strFromUTF8(NULL, 0, &n, s, (int32_t)len, &st);
  if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st)) return 0; /* skip bad */
  if (m->nnames == m->alloc) {
    size_t na = m->alloc ? m->alloc * 2 : 32;
    struct unit_name *p = realloc(m->names, na * sizeof *p);
    if (!p) return -1;
    m->names = p;
    m->alloc = na;
  }
  UChar *u = malloc(((size_t)n + 1) * sizeof *u);
  if (!u) return -1;
  st = U_ZERO_ERROR;
  u_strFromUTF8(u, n + 1, NULL, s, (int32_t)len, &st);
  if (U_FAILURE(st)) { free(u); return 0; }
  m->names[m->nnames++] = (struct unit_name){u, n, unit, weight};
  return 0;
}

static int add_list(struct unit_matcher *m, const char *s, int unit, int w) {
  if (!s) return 0;
  while (*s) {
    const char *bar = strchr(s, '|');
    size_t len = bar ? (size_t)(bar - s) : strlen(s);
    while (len && *s == ' ') { s++; len--; }
    while (len && s[len - 1] == ' ') len--;
    if (add_name(m, s, len, unit, w)) return -1;
    if (!bar) break;
    s = bar + 1;
  }
  return 0;
}

int unit_matcher_open(struct unit_matcher **out, const struct ingest_options *o,
                      struct err *e) {
  struct unit_matcher *m;
  UErrorCode st = U_ZERO_ERROR;
  *out = NULL;
  if (!o || !o->n_units || !o->units) return 0;
  m = calloc(1, sizeof *m);
  if (!m) goto oom;
  m->nunits = o->n_units;
  m->score = calloc(o->n_units, sizeof *m->score);
  if (!m->score) goto oom;
  for (size_t i = 0; i < o->n_units; i++) {
    const struct ingest_unit *u = &o->units[i];
    if ((u->name && add_name(m, u->name, strlen(u->name), (int)i, 4)) ||
        (u->short_name && add_name(m, u->short_name, strlen(u->short_name),
                                   (int)i, 3)) ||
        add_list(m, u->aliases, (int)i, 3) || add_list(m, u->keywords, (int)i, 1))
      goto oom;
  }
  m->bi = ubrk_open(UBRK_WORD, "zh", NULL, 0, &st);
  if (U_FAILURE(st)) {
    unit_matcher_close(m);
    return err_set(e, ERR_INTERNAL, "units",
                   "cannot open the ICU word break iterator: %s", u_errorName(st));
  }
  *out = m;
  return 0;
oom:
  unit_matcher_close(m);
  return err_set(e, ERR_INTERNAL, "units", "out of memory preparing unit names");
}

void unit_matcher_close(struct unit_matcher *m) {
  if (!m) return;
  if (m->bi) ubrk_close(m->bi);
  for (size_t i = 0; i < m->nnames; i++) free(m->names[i].s);
  free(m->names);
  free(m->text);
  free(m->bound);
  free(m->score);
  free(m);
}

/* Adds the scores of every boundary-aligned name occurrence in s. */
static int score_text(struct unit_matcher *m, const char *s, int mult,
                      struct err *e) {
  UErrorCode st = U_ZERO_ERROR;
  int32_t n = 0;
  size_t len = strlen(s);
  if (len == 0) return 0;
  if (len > (1u << 20)) len = 1u << 20;
  u_strFromUTF8(NULL, 0, &n, s, (int32_t)len, &st);
  if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st)) return 0;
  if (n + 1 > m->text_cap) {
    UChar *t = realloc(m->text, ((size_t)n + 1) * sizeof *t);
    if (!t) return err_set(e, ERR_INTERNAL, "units", "out of memory");
    m->text = t;
    m->text_cap = n + 1;
  }
  if (n + 1 > m->bound_cap) {
    unsigned char *b = realloc(m->bound, (size_t)n + 1);
    if (!b) return err_set(e, ERR_INTERNAL, "units", "out of memory");
    m->bound = b;
    m->bound_cap = n + 1;
  }
  st = U_ZERO_ERROR;
  u_strFromUTF8(m->text, n + 1, NULL, s, (int32_t)len, &st);
  if (U_FAILURE(st)) return 0;
  st = U_ZERO_ERROR;
  ubrk_setText(m->bi, m->text, n, &st);
  if (U_FAILURE(st))
    return err_set(e, ERR_INTERNAL, "units", "ICU word break failed: %s",
                   u_errorName(st));
  memset(m->bound, 0, (size_t)n + 1);
  for (int32_t b = ubrk_first(m->bi); b != UBRK_DONE; b = ubrk_next(m->bi))
    if (b >= 0 && b <= n) m->bound[b] = 1;
  for (size_t k = 0; k < m->nnames; k++) {
    const struct unit_name *nm = &m->names[k];
    for (int32_t i = 0; i + nm->n <= n; i++) {
      if (!m->bound[i] || !m->bound[i + nm->n]) continue;
      if (m->text[i] != nm->s[0]) continue;
      if (memcmp(m->text + i, nm->s, (size_t)nm->n * sizeof(UChar)) == 0)
        m->score[nm->unit] += nm->weight * mult;
    }
  }
  return 0;
}

int unit_suggest(struct unit_matcher *m, const char *unit, const char *text,
                 struct err *e) {
  int best = -1, bs = 0;
  if (!m) return -1;
  memset(m->score, 0, m->nunits * sizeof *m->score);
  if (unit && score_text(m, unit, 4, e)) return -2;
  if (text && score_text(m, text, 1, e)) return -2;
  for (size_t i = 0; i < m->nunits; i++)
    if (m->score[i] > bs) {
      bs = m->score[i];
      best = (int)i;
    }
  return best;
}

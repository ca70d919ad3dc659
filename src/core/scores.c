/*
** scores.c — see scores.h.
*/
#include "core/scores.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/types.h"

void score_weights_default(struct score_weights *w) {
  w->on_time = 40;
  w->evaluation = 25;
  w->reports = 15;
  w->escalations = 10;
  w->accountability = 10;
  w->min_tasks = 3;
}

double score_eval_points(int evaluation) {
  switch (evaluation) {
  case EVAL_EXCELLENT: return 100;
  case EVAL_GOOD: return 80;
  case EVAL_FAIR: return 60;
  case EVAL_POOR: return 40;
  default: return 0;
  }
}

static double clamp01(double v) { return v < 0 ? 0 : v > 1 ? 1 : v; }

static int weight_ok(double w) { return w >= 0 && w <= 1e6; }  /* NaN fails */

static double weight_sum(const struct score_weights *w) {
  return w->on_time + w->evaluation + w->reports + w->escalations +
         w->accountability;
}

/* Ranking key: the score to 1e-6, so that equal scores reached by different
** arithmetic tie. Scores are 0..100. */
static long long score_key(double s) { return (long long)(s * 1e6 + 0.5); }

struct rank_item {
  long long key;
  size_t i;
};

static int by_key_desc(const void *a, const void *b) {
  const struct rank_item *x = a, *y = b;
  if (x->key != y->key) return x->key > y->key ? -1 : 1;
  return x->i < y->i ? -1 : x->i > y->i;
}

static void rank(struct unit_score *out, size_t n) {
  struct rank_item *items = malloc((n ? n : 1) * sizeof *items);
  size_t i, m = 0;
  if (!items) {  /* out of memory: the quadratic way, no allocation */
    for (i = 0; i < n; i++) {
      size_t j;
      int r = 1;
      if (!out[i].ranked) continue;
      for (j = 0; j < n; j++)
        if (out[j].ranked && score_key(out[j].score) > score_key(out[i].score))
          r++;
      out[i].rank = r;
    }
    return;
  }
  for (i = 0; i < n; i++)
    if (out[i].ranked) {
      items[m].key = score_key(out[i].score);
      items[m].i = i;
      m++;
    }
  qsort(items, m, sizeof *items, by_key_desc);
  for (i = 0; i < m; i++)
    out[items[i].i].rank =
        i > 0 && items[i].key == items[i - 1].key ? out[items[i - 1].i].rank
                                                  : (int)i + 1;
  free(items);
}

int scores_compute(const struct unit_stats *in, size_t n,
                   const struct score_weights *w, struct unit_score *out) {
  double sum;
  size_t i;
  if (!weight_ok(w->on_time) || !weight_ok(w->evaluation) ||
      !weight_ok(w->reports) || !weight_ok(w->escalations) ||
      !weight_ok(w->accountability))
    return -1;
  sum = weight_sum(w);
  if (!(sum > 0)) return -1;
  for (i = 0; i < n; i++) {
    const struct unit_stats *u = &in[i];
    struct unit_score *o = &out[i];
    double tasks = u->tasks > 0 ? u->tasks : 1;
    double escal, account, total;
    memset(o, 0, sizeof *o);
    o->unit_id = u->unit_id;
    o->on_time_rate = u->tasks > 0 ? clamp01((double)u->done_on_time / u->tasks)
                                   : 1;
    o->eval_average = u->evaluations > 0
                          ? u->evaluation_sum / u->evaluations
                          : 100;
    if (o->eval_average < 0) o->eval_average = 0;
    if (o->eval_average > 100) o->eval_average = 100;
    o->report_timeliness =
        u->reports_expected > 0
            ? clamp01((double)u->reports_on_time / u->reports_expected)
            : 1;
    escal = clamp01(1 - u->escalations / tasks);
    account = clamp01(1 - u->accountabilities / tasks);
    total = w->on_time * o->on_time_rate +
            w->evaluation * o->eval_average / 100 +
            w->reports * o->report_timeliness + w->escalations * escal +
            w->accountability * account;
    o->score = total * 100 / sum;
    o->ranked = u->tasks >= w->min_tasks && u->tasks > 0;
  }
  rank(out, n);
  return 0;
}

/* Copies src into out[n], cutting at a UTF-8 character boundary. */
static void copy_utf8(char *out, size_t n, const char *src) {
  size_t len = strlen(src);
  if (!n) return;
  if (len >= n) {
    len = n - 1;
    while (len > 0 && ((unsigned char)src[len] & 0xc0) == 0x80) len--;
  }
  memcpy(out, src, len);
  out[len] = 0;
}

void score_formula_text(const struct score_weights *w, char *out, size_t n) {
  char buf[1024];
  double sum = weight_sum(w);
  int scaled = sum != 100;
  char tail[64] = "";
  if (scaled) snprintf(tail, sizeof tail, ")×100÷%g", sum);
  snprintf(buf, sizeof buf,
           "得分 = %s%g×按期办结率 + %g×评价均分÷100 + %g×报送及时率"
           " + %g×max(0, 1−催办次数÷事项数) + %g×max(0, 1−问责次数÷事项数)%s。"
           "按期办结率 = 按期办结数÷期内到期事项数（到期未办结计为逾期）；"
           "评价均分：优100、良80、中60、差40，未评价按满分计；"
           "报送及时率 = 按时报送数÷应报送数（无应报送计1）。"
           "期内事项少于%d项的单位计分但不排名。",
           scaled ? "(" : "", w->on_time, w->evaluation, w->reports,
           w->escalations, w->accountability, tail,
           w->min_tasks > 0 ? w->min_tasks : 0);
  copy_utf8(out, n, buf);
}

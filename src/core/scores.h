/*
** scores.h — unit scores for a period (SPEC §7).
**
** The formula (shown to users next to every score, see score_formula_text):
**
**   score = W_on_time  × on_time_rate
**         + W_eval     × eval_average / 100
**         + W_reports  × report_timeliness
**         + W_escal    × max(0, 1 − escalations / tasks)
**         + W_account  × max(0, 1 − accountabilities / tasks)
**
**   on_time_rate      = tasks done on time / tasks due in the period
**                       (a task due in the period and not done counts as late)
**   eval_average      = mean of evaluations, 优 100, 良 80, 中 60, 差 40
**                       (no evaluation yet: the component counts as full)
**   report_timeliness = reports on time / reports expected (none expected: 1)
**
** Default weights 40/25/15/10/10 (sum 100). Weights that sum to something
** else are scaled so that the score stays 0..100 (score = Σ W·c × 100 / ΣW;
** the identity when ΣW = 100, and the formula text then says so). Every
** component is clamped to 0..1; a unit with no task due in the period has
** on_time_rate 1 and the two last terms divide by max(tasks, 1).
**
** Units with fewer than `min_tasks` tasks in the period get a score but no
** rank (ranked = 0), so that one late task does not rank a small unit last;
** a unit with no task is never ranked.
** Ranks are 1-based among ranked units by descending score; ties (scores equal
** to 1e-6) share a rank and the next rank skips: 1, 2, 2, 4.
*/
#ifndef DUBAN_SCORES_H
#define DUBAN_SCORES_H

#include <stddef.h>
#include <stdint.h>

struct score_weights {
  double on_time, evaluation, reports, escalations, accountability;
  int min_tasks;  /* default 3 */
};

struct unit_stats {
  int64_t unit_id;
  int tasks;              /* tasks of the unit due in the period */
  int done_on_time;
  int evaluations;        /* how many evaluated */
  double evaluation_sum;  /* sum of 100/80/60/40 */
  int reports_expected;
  int reports_on_time;
  int escalations;
  int accountabilities;
};

struct unit_score {
  int64_t unit_id;
  double score;           /* 0..100 */
  double on_time_rate;      /* 0..1 */
  double eval_average;      /* 40..100; 100 when nothing was evaluated */
  double report_timeliness; /* 0..1 */
  int ranked;             /* 0 when below min_tasks */
  int rank;               /* 1.. among ranked units; 0 if unranked */
};

void score_weights_default(struct score_weights *w);

/* Computes out[i] for in[i] (same order), then ranks. Returns 0, or -1 when
** a weight is negative, not finite or above 1e6, or they sum to 0 (out
** untouched). */
int scores_compute(const struct unit_stats *in, size_t n,
                   const struct score_weights *w, struct unit_score *out);

/* The formula with the weights filled in, as one line of Chinese text (UTF-8,
** no newline), with the components' definitions and the min_tasks rule;
** truncated to n bytes (at a character boundary). */
void score_formula_text(const struct score_weights *w, char *out, size_t n);

/* Points for an evaluation: 100/80/60/40, 0 for EVAL_NONE. */
double score_eval_points(int evaluation);

#endif

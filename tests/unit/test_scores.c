/* test_scores.c — unit scores and rankings, with the arithmetic by hand. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/scores.h"
#include "core/types.h"
#include "testlib.h"

#define NEAR(a, b) CHECK(fabs((a) - (b)) < 1e-9)

static void eval_points(void) {
  CHECK(score_eval_points(EVAL_EXCELLENT) == 100);
  CHECK(score_eval_points(EVAL_GOOD) == 80);
  CHECK(score_eval_points(EVAL_FAIR) == 60);
  CHECK(score_eval_points(EVAL_POOR) == 40);
  CHECK(score_eval_points(EVAL_NONE) == 0);
  CHECK(score_eval_points(99) == 0);
}

static void formula_by_hand_and_ranking_with_ties(void) {
  struct score_weights w;
  struct unit_score out[5];
  const struct unit_stats in[5] = {
    /* A: 40×8/10 + 25×(100+100+80+60)/4/100 + 15×18/20 + 10×(1−2/10)
    **  + 10×(1−1/10) = 32 + 21.25 + 13.5 + 8 + 9 = 83.75 */
    {.unit_id = 1, .tasks = 10, .done_on_time = 8, .evaluations = 4,
     .evaluation_sum = 340, .reports_expected = 20, .reports_on_time = 18,
     .escalations = 2, .accountabilities = 1},
    /* B: all on time, nothing evaluated (full), no report expected (1),
    ** no escalation: 40 + 25 + 15 + 10 + 10 = 100 */
    {.unit_id = 2, .tasks = 5, .done_on_time = 5},
    /* C: 2 tasks < min 3 → score, no rank. 40×0 + 25×40/100 + 15×1/4
    **  + 10×max(0, 1−5/2) + 10×1 = 0 + 10 + 3.75 + 0 + 10 = 23.75 */
    {.unit_id = 3, .tasks = 2, .done_on_time = 0, .evaluations = 1,
     .evaluation_sum = 40, .reports_expected = 4, .reports_on_time = 1,
     .escalations = 5},
    /* D: the same as A → 83.75, ties with A */
    {.unit_id = 4, .tasks = 10, .done_on_time = 8, .evaluations = 4,
     .evaluation_sum = 340, .reports_expected = 20, .reports_on_time = 18,
     .escalations = 2, .accountabilities = 1},
    /* E: exactly min 3 tasks. 0 + 25 + 15×0/3 + 10×(1−3/3) + 10×(1−3/3) = 25 */
    {.unit_id = 5, .tasks = 3, .reports_expected = 3, .escalations = 3,
     .accountabilities = 3},
  };
  score_weights_default(&w);
  CHECK_INT(w.min_tasks, 3);
  CHECK_INT(scores_compute(in, 5, &w, out), 0);
  NEAR(out[0].score, 83.75);
  NEAR(out[0].on_time_rate, 0.8);
  NEAR(out[0].eval_average, 85);
  NEAR(out[0].report_timeliness, 0.9);
  NEAR(out[1].score, 100);
  NEAR(out[1].eval_average, 100);
  NEAR(out[1].report_timeliness, 1);
  NEAR(out[2].score, 23.75);
  NEAR(out[3].score, 83.75);
  NEAR(out[4].score, 25);
  CHECK_INT(out[4].unit_id, 5);
  /* Ranks: B 1, A and D 2, E 4 (competition ranking), C unranked. */
  CHECK_INT(out[1].rank, 1);
  CHECK_INT(out[0].rank, 2);
  CHECK_INT(out[3].rank, 2);
  CHECK_INT(out[4].rank, 4);
  CHECK_INT(out[4].ranked, 1);
  CHECK_INT(out[2].ranked, 0);
  CHECK_INT(out[2].rank, 0);
}

static void equal_scores_by_different_arithmetic_tie(void) {
  struct score_weights w;
  struct unit_score out[2];
  const struct unit_stats in[2] = {
    /* 40×1 + 25×60/100 + 15×1/3 + 10×1 + 10×0 = 40 + 15 + 5 + 10 + 0 = 70 */
    {.unit_id = 1, .tasks = 10, .done_on_time = 10, .evaluations = 1,
     .evaluation_sum = 60, .reports_expected = 3, .reports_on_time = 1,
     .accountabilities = 10},
    /* 40×5/10 + 25 + 15 + 10 + 10×(1−10/10) = 20 + 25 + 15 + 10 + 0 = 70 */
    {.unit_id = 2, .tasks = 10, .done_on_time = 5, .accountabilities = 10},
  };
  score_weights_default(&w);
  CHECK_INT(scores_compute(in, 2, &w, out), 0);
  NEAR(out[0].score, 70);
  NEAR(out[1].score, 70);
  CHECK_INT(out[0].rank, 1);
  CHECK_INT(out[1].rank, 1);
}

static void min_tasks_rule(void) {
  struct score_weights w;
  struct unit_score out[3];
  const struct unit_stats in[3] = {
    {.unit_id = 1, .tasks = 1, .done_on_time = 0},  /* one late task */
    {.unit_id = 2, .tasks = 0},                     /* nothing due */
    {.unit_id = 3, .tasks = 4, .done_on_time = 4},
  };
  score_weights_default(&w);
  CHECK_INT(scores_compute(in, 3, &w, out), 0);
  /* 1 task, late: 0 + 25 + 15 + 10 + 10 = 60, not ranked last: not ranked. */
  NEAR(out[0].score, 60);
  CHECK_INT(out[0].ranked, 0);
  /* No task: on-time rate counts as 1 → 100, never ranked. */
  NEAR(out[1].score, 100);
  NEAR(out[1].on_time_rate, 1);
  CHECK_INT(out[1].ranked, 0);
  CHECK_INT(out[2].rank, 1);
  /* min_tasks 1: the one-task unit is ranked, behind unit 3 (100). */
  w.min_tasks = 1;
  CHECK_INT(scores_compute(in, 3, &w, out), 0);
  CHECK_INT(out[0].ranked, 1);
  CHECK_INT(out[0].rank, 2);
  CHECK_INT(out[1].ranked, 0);
  /* min_tasks 0 still leaves out a unit with no task. */
  w.min_tasks = 0;
  CHECK_INT(scores_compute(in, 3, &w, out), 0);
  CHECK_INT(out[1].ranked, 0);
}

static void weights_are_scaled_and_checked(void) {
  struct score_weights w = {20, 0, 0, 0, 0, 3};
  struct unit_score out[1];
  const struct unit_stats in[1] = {{.unit_id = 1, .tasks = 10, .done_on_time = 8}};
  /* Only on-time counts: 20×0.8 = 16 of 20 → ×100/20 = 80. */
  CHECK_INT(scores_compute(in, 1, &w, out), 0);
  NEAR(out[0].score, 80);
  /* Counts outside their range are clamped: 12 of 10 on time is 1. */
  {
    const struct unit_stats over[1] = {{.unit_id = 1, .tasks = 10,
                                        .done_on_time = 12}};
    CHECK_INT(scores_compute(over, 1, &w, out), 0);
    NEAR(out[0].score, 100);
  }
  out[0].score = -1;
  w.on_time = -1;
  CHECK_INT(scores_compute(in, 1, &w, out), -1);
  CHECK(out[0].score == -1);  /* untouched */
  w.on_time = 0;
  CHECK_INT(scores_compute(in, 1, &w, out), -1);  /* sum 0 */
  w.on_time = NAN;
  CHECK_INT(scores_compute(in, 1, &w, out), -1);
  score_weights_default(&w);
  CHECK_INT(scores_compute(NULL, 0, &w, NULL), 0);  /* no units */
}

static void formula_text_shows_weights(void) {
  struct score_weights w;
  char buf[1024];
  score_weights_default(&w);
  score_formula_text(&w, buf, sizeof buf);
  CHECK(strstr(buf, "40×按期办结率") != NULL);
  CHECK(strstr(buf, "25×评价均分÷100") != NULL);
  CHECK(strstr(buf, "15×报送及时率") != NULL);
  CHECK(strstr(buf, "10×max(0, 1−催办次数÷事项数)") != NULL);
  CHECK(strstr(buf, "10×max(0, 1−问责次数÷事项数)") != NULL);
  CHECK(strstr(buf, "少于3项") != NULL);
  CHECK(strncmp(buf, "得分 = 40×", strlen("得分 = 40×")) == 0);  /* not scaled */
  CHECK(strstr(buf, ")×100÷") == NULL);
  CHECK(strchr(buf, '\n') == NULL);
  w.on_time = 30;  /* sum 90: scaled */
  w.evaluation = 22.5;
  w.min_tasks = 5;
  score_formula_text(&w, buf, sizeof buf);
  CHECK(strstr(buf, "得分 = (30×按期办结率 + 22.5×评价均分÷100") != NULL);
  CHECK(strstr(buf, ")×100÷87.5") != NULL);
  CHECK(strstr(buf, "少于5项") != NULL);
  /* Truncation stops at a character boundary: "得分 = " is 9 bytes. */
  score_formula_text(&w, buf, 10);
  CHECK_STR(buf, "得分 = ");
  score_formula_text(&w, buf, 5);
  CHECK_STR(buf, "得");
  score_formula_text(&w, buf, 1);
  CHECK_STR(buf, "");
}

int main(void) {
  RUN(eval_points);
  RUN(formula_by_hand_and_ranking_with_ties);
  RUN(equal_scores_by_different_arithmetic_tie);
  RUN(min_tasks_rule);
  RUN(weights_are_scaled_and_checked);
  RUN(formula_text_shows_weights);
  return test_summary("test_scores");
}

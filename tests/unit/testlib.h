/*
** testlib.h — a minimal unit-test harness, header only.
**
** Each tests/unit/test_*.c defines test functions and a main that calls
** RUN(fn) for each, then returns test_summary(). A check that fails prints
** file:line and the expression and marks the running test failed; the test
** goes on so that one run shows every broken check. The last line printed,
** "# <binary>: N passed, N failed", is read by tests/run.sh.
*/
#ifndef DUBAN_TESTLIB_H
#define DUBAN_TESTLIB_H

#include <stdio.h>
#include <string.h>

static int t_passed, t_failed, t_cur_failed;
static const char *t_cur;

#define CHECK(cond)                                                        \
  do {                                                                     \
    if (!(cond)) {                                                         \
      printf("    %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
      t_cur_failed = 1;                                                    \
    }                                                                      \
  } while (0)

#define CHECK_INT(a, b)                                                     \
  do {                                                                      \
    long long _a = (long long)(a), _b = (long long)(b);                     \
    if (_a != _b) {                                                         \
      printf("    %s:%d: %s == %lld, expected %s == %lld\n", __FILE__,      \
             __LINE__, #a, _a, #b, _b);                                     \
      t_cur_failed = 1;                                                     \
    }                                                                       \
  } while (0)

#define CHECK_STR(a, b)                                                        \
  do {                                                                         \
    const char *_a = (a), *_b = (b);                                           \
    if (!_a || !_b || strcmp(_a, _b) != 0) {                                   \
      printf("    %s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__, __LINE__, \
             #a, _a ? _a : "(null)", _b ? _b : "(null)");                      \
      t_cur_failed = 1;                                                        \
    }                                                                          \
  } while (0)

#define RUN(fn)                                  \
  do {                                           \
    t_cur = #fn;                                 \
    t_cur_failed = 0;                            \
    fn();                                        \
    if (t_cur_failed) {                          \
      t_failed++;                                \
      printf("not ok - %s\n", t_cur);            \
    } else {                                     \
      t_passed++;                                \
      printf("ok - %s\n", t_cur);                \
    }                                            \
  } while (0)

static inline int test_summary(const char *name) {
  printf("# %s: %d passed, %d failed\n", name, t_passed, t_failed);
  return t_failed ? 1 : 0;
}

#endif

/*
** deadline.c — time limits in the text, resolved against the meeting date.
**
**   YYYY年M月D日(前)  M月D日前            → that day (next year when M/D is
**                                            before the meeting)
**   (YYYY年)N月底(前) / N月末 / N月份前     → last day of month N (of the
**                                            meeting year; of the next year when
**                                            N is before the meeting month)
**   本月底 / 月底前                          → last day of the meeting month
**   下半年 全年 年内 今年内 年底(前) 年末 本年度 → 31 December
**   YYYY年下半年 / YYYY年底 / YYYY年(各项)工作 → 31 December of YYYY
**   上半年 (meeting in January–June)          → 30 June
**   本学期 / 这学期                          → 31 July (meeting Feb–Jul) or
**                                            31 January of the next year
**   N个工作日内                              → options.add_workdays
**   N日内 / N天内                            → meeting + N days
** Open periods (今后一个时期, “十四五”期间) give nothing.
*/
#include <string.h>

#include "ingest/ingest_int.h"

static int meeting_ymd(struct dl_ctx *c, int *y, int *m, int *dd) {
  if (c->meeting == DATE_NONE) {
    if (!c->warned_year) {
      c->warned_year = 1;
      result_warn(c->r, "the meeting date is unknown: relative deadlines were "
                        "left empty (give --meeting-date)");
    }
    return -1;
  }
  date_to_ymd(c->meeting, y, m, dd);
  return 0;
}

static day_t month_end(int y, int m) {
  return date_from_ymd(y, m, date_days_in_month(y, m));
}

/* A 4-digit year at i followed by 年: returns length including 年. */
static size_t year_at(const struct idoc *d, size_t i, size_t e, int *y) {
  int v = 0;
  size_t k = 0;
  while (i + k < e && k < 4 && d->cp[i + k] >= '0' && d->cp[i + k] <= '9')
    v = v * 10 + (int)(d->cp[i + k++] - '0');
  if (k != 4 || i + 4 >= e || d->cp[i + 4] != 0x5E74) return 0; /* 年 */
  if (i > 0 && d->cp[i - 1] >= '0' && d->cp[i - 1] <= '9') return 0;
  if (v < 1900 || v > 2999) return 0;
  *y = v;
  return 5;
}

static const char *const kYearEnd[] = {"下半年", "全年", "今年内", "年内",
                                       "年底", "年末", "本年度", "今年底",
                                       NULL};

/* Tries a time phrase at i; returns its length and sets *out (may be
** DATE_NONE when it needs an unknown meeting date). */
static size_t phrase_at(struct dl_ctx *c, const struct idoc *d, size_t i,
                        size_t e, day_t *out) {
  int y, m, dd, my, mm, md, v;
  size_t k, n;
  *out = DATE_NONE;
  /* YYYY年… */
  if ((k = year_at(d, i, e, &y))) {
    size_t j = i + k;
    if ((n = ix_at_any(d, j, e, (const char *const[]){"下半年", "底", "年底",
                                                      "全年", "末", NULL}))) {
      *out = date_from_ymd(y, 12, 31);
      return k + n;
    }
    if (ix_at(d, j, e, "工作") || ix_at(d, j, e, "各项工作") ||
        ix_at(d, j, e, "各项任务") || ix_at(d, j, e, "目标任务")) {
      *out = date_from_ymd(y, 12, 31);
      return k + 2;
    }
    if ((n = ix_number(d, j, e, &m)) && m >= 1 && m <= 12 && j + n < e &&
        d->cp[j + n] == 0x6708) { /* 月 */
      size_t t = j + n + 1;
      if (ix_at(d, t, e, "底") || ix_at(d, t, e, "末") ||
          ix_at(d, t, e, "份前")) {
        *out = month_end(y, m);
        return t + 1 - i;
      }
      if ((n = ix_number(d, t, e, &dd)) && t + n < e &&
          (d->cp[t + n] == 0x65E5 || d->cp[t + n] == 0x53F7) && /* 日 号 */
          ix_at_any(d, t + n + 1, e, (const char *const[]){"前", "之前", "以前",
                                                           "完成", "截止", NULL})) {
        if (date_valid(y, m, dd)) *out = date_from_ymd(y, m, dd);
        return t + n + 1 - i;
      }
    }
    return 0;
  }
  /* N月底前 / N月D日前 (meeting year, or the next one) */
  if (d->cp[i] >= '0' && d->cp[i] <= '9' ? 1 : ix_is_cjk_num(d->cp[i])) {
    if (i > 0 && ((d->cp[i - 1] >= '0' && d->cp[i - 1] <= '9') ||
                  d->cp[i - 1] == 0x5E74))
      return 0; /* part of a longer number or of YYYY年 handled above */
    if ((n = ix_number(d, i, e, &m)) && m >= 1 && m <= 12 && i + n < e &&
        d->cp[i + n] == 0x6708) {
      size_t t = i + n + 1;
      if (ix_at(d, t, e, "底") || ix_at(d, t, e, "末") ||
          ix_at(d, t, e, "份前") || ix_at(d, t, e, "前")) {
        if (meeting_ymd(c, &my, &mm, &md) == 0)
          *out = month_end(m < mm ? my + 1 : my, m);
        return t + 1 - i;
      }
      if ((k = ix_number(d, t, e, &dd)) && t + k < e &&
          (d->cp[t + k] == 0x65E5 || d->cp[t + k] == 0x53F7) &&
          ix_at_any(d, t + k + 1, e, (const char *const[]){"前", "之前", "以前",
                                                           "截止", NULL})) {
        if (meeting_ymd(c, &my, &mm, &md) == 0) {
          int yy = (m < mm || (m == mm && dd < md)) ? my + 1 : my;
          if (date_valid(yy, m, dd)) *out = date_from_ymd(yy, m, dd);
        }
        return t + k + 1 - i;
      }
    }
    /* N个工作日内 / N日内 / N天内 */
    if ((n = ix_number(d, i, e, &v)) && v > 0 && v < 1000) {
      size_t t = i + n;
      if (ix_at(d, t, e, "个工作日")) {
        if (meeting_ymd(c, &my, &mm, &md) == 0) {
          if (c->o && c->o->add_workdays) {
            struct err e2 = {0};
            day_t r;
            if (c->o->add_workdays(c->o->workdays_ctx, c->meeting, v, &r, &e2) == 0)
              *out = r;
            else
              result_warn(c->r, "working-day deadline not resolved: %s",
                          e2.message);
          } else if (!c->warned_workdays) {
            c->warned_workdays = 1;
            result_warn(c->r, "no working-day calendar: \"N个工作日内\" deadlines "
                              "were left empty");
          }
        }
        return n + 4;
      }
      if (ix_at(d, t, e, "日内") || ix_at(d, t, e, "天内")) {
        if (meeting_ymd(c, &my, &mm, &md) == 0) *out = c->meeting + v;
        return n + 2;
      }
    }
    return 0;
  }
  if ((n = ix_at_any(d, i, e, kYearEnd))) {
    if (i > 0 && ((d->cp[i - 1] >= '0' && d->cp[i - 1] <= '9') ||
                  ix_is_cjk_num(d->cp[i - 1]) || d->cp[i - 1] == 0x591A))
      return 0; /* 三年内, 5年底, 多年内: a span of years, not this year */
    if (meeting_ymd(c, &my, &mm, &md) == 0) *out = date_from_ymd(my, 12, 31);
    return n;
  }
  if ((n = ix_at(d, i, e, "上半年"))) {
    if (meeting_ymd(c, &my, &mm, &md) == 0 && mm <= 6)
      *out = date_from_ymd(my, 6, 30);
    return *out == DATE_NONE ? 0 : n;
  }
  if ((n = ix_at_any(d, i, e, (const char *const[]){"本月底", "月底前", NULL}))) {
    if (meeting_ymd(c, &my, &mm, &md) == 0) *out = month_end(my, mm);
    return n;
  }
  if ((n = ix_at_any(d, i, e, (const char *const[]){"本学期", "这学期", NULL}))) {
    if (meeting_ymd(c, &my, &mm, &md) == 0)
      *out = (mm >= 2 && mm <= 7) ? date_from_ymd(my, 7, 31)
                                  : date_from_ymd(mm == 1 ? my : my + 1, 1, 31);
    return n;
  }
  return 0;
}

day_t dl_find2(struct dl_ctx *c, const struct idoc *d, size_t s, size_t e,
               int *unresolved) {
  for (size_t i = s; i < e; i++) {
    day_t out;
    size_t n = phrase_at(c, d, i, e, &out);
    if (n) {
      if (out != DATE_NONE) return out;
      if (unresolved) *unresolved = 1;
      i += n - 1;
    }
  }
  return DATE_NONE;
}

day_t dl_find(struct dl_ctx *c, const struct idoc *d, size_t s, size_t e) {
  return dl_find2(c, d, s, e, NULL);
}

int dl_is_time_clause(const struct idoc *d, size_t s, size_t e) {
  static const char *const kLead[] = {"今年", "明年", "本年度", NULL};
  size_t i = s, n;
  int y;
  if ((n = year_at(d, i, e, &y))) i += n;
  else if ((n = ix_at_any(d, i, e, kLead)) && e - s > n) i += n;
  if (i >= e) return 0;
  n = ix_at_any(d, i, e, (const char *const[]){"下半年", "全年", "年内", "年底前",
                                               "年底", "本学期", "下一步", "今后",
                                               "上半年", "四季度", "第四季度", NULL});
  return n && i + n == e;
}

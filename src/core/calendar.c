/*
** calendar.c — see calendar.h.
**
** Representation. Overrides live in one array sorted by day (binary search),
** each with its `delta` against the ordinary Monday–Friday rule: -1 for a day
** off that would have been a working day, +1 for a make-up working day on a
** weekend, 0 for an override that changes nothing (a holiday on a Sunday).
** `cum[i]` is the sum of delta over ov[0..i), so the working days in (a, b]
** are weekdays(a, b] + cum[ub(b)] - cum[ub(a)], where ub(x) is the number of
** overrides dated <= x: two binary searches and a little arithmetic, whatever
** the span. Adding N working days is a binary search over that count.
**
** Covered years are a sorted array of distinct years. Every question checks
** that the days it depends on lie in covered years (the days counted: (a, b]
** for a count, (from, result] for an addition); the first uncovered year is
** named in the error.
**
** Mutation (load, set_day, cover_year) is single-threaded set-up; the query
** functions only read, so a loaded calendar may be shared between threads.
*/
#include "core/calendar.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define YEAR_MIN 1900
#define YEAR_MAX 2999

struct ovr {
  day_t day;
  signed char off;    /* 1 day off, 0 working day */
  signed char delta;  /* effect against the ordinary rule: -1, 0, +1 */
  char *name;         /* owned; NULL when none */
};

struct calendar {
  struct ovr *ov;     /* sorted by day, distinct days */
  int *cum;           /* n_ov + 1 prefix sums of delta */
  size_t n_ov, cap_ov;
  int *years;         /* sorted, distinct */
  size_t n_years, cap_years;
};

/*==== small helpers ====*/

static int year_of(day_t d) {
  int y;
  date_to_ymd(d, &y, NULL, NULL);
  return y;
}

static int is_weekday(day_t d) { return date_weekday(d) <= 5; }

static int ovr_delta(day_t d, int off) {
  if (off) return is_weekday(d) ? -1 : 0;
  return is_weekday(d) ? 0 : 1;
}

/* Weekdays (Mon–Fri) in [M0, x) for a Monday M0 far in the past; only
** differences are used. 1900-01-01 was a Monday. Floor division keeps it
** right for any x. */
static long weekdays_before(day_t x) {
  long k = (long)x - (long)date_from_ymd(1900, 1, 1);
  long w = k >= 0 ? k / 7 : -((-k + 6) / 7);
  long r = k - 7 * w;
  return 5 * w + (r < 5 ? r : 5);
}

/* Number of overrides with day <= x. */
static size_t ov_upper(const struct calendar *cal, day_t x) {
  size_t lo = 0, hi = cal->n_ov;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (cal->ov[mid].day <= x)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* Index of the override at day, or -1. */
static long ov_find(const struct calendar *cal, day_t day) {
  size_t i = ov_upper(cal, day);
  if (i > 0 && cal->ov[i - 1].day == day) return (long)(i - 1);
  return -1;
}

/* Working days in (a, b] for a <= b, coverage not checked. ua = ov_upper(a). */
static int count_from(const struct calendar *cal, day_t a, size_t ua, day_t b) {
  long w = weekdays_before(b + 1) - weekdays_before(a + 1);
  return (int)(w + cal->cum[ov_upper(cal, b)] - cal->cum[ua]);
}

static int count_raw(const struct calendar *cal, day_t a, day_t b) {
  return count_from(cal, a, ov_upper(cal, a), b);
}

static long year_index(const struct calendar *cal, int year) {
  size_t lo = 0, hi = cal->n_years;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (cal->years[mid] < year)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < cal->n_years && cal->years[lo] == year) return (long)lo;
  return -1;
}

static int err_uncovered(struct err *e, int year) {
  return err_set(e, ERR_INVALID, NULL,
                 "%d: the calendar does not cover this year; load the holiday "
                 "schedule of %d first", year, year);
}

/* The run of consecutive covered years around the year of `day`, as a day
** range [*lo, *hi]. -1 with e when that year is not covered. */
static int covered_block(const struct calendar *cal, day_t day, day_t *lo,
                         day_t *hi, struct err *e) {
  int y = year_of(day);
  long i = year_index(cal, y), j;
  if (i < 0) return err_uncovered(e, y);
  j = i;
  while (i > 0 && cal->years[i - 1] == cal->years[i] - 1) i--;
  while ((size_t)j + 1 < cal->n_years && cal->years[j + 1] == cal->years[j] + 1)
    j++;
  *lo = date_from_ymd(cal->years[i], 1, 1);
  *hi = date_from_ymd(cal->years[j], 12, 31);
  return 0;
}

static int day_in_range(day_t day) {
  return day >= date_from_ymd(YEAR_MIN, 1, 1) &&
         day <= date_from_ymd(YEAR_MAX, 12, 31);
}

/* Recomputes cum[from + 1 ..]; cum[0..from] must be right. */
static void rebuild_cum_from(struct calendar *cal, size_t from) {
  size_t i;
  cal->cum[0] = 0;
  for (i = from; i < cal->n_ov; i++)
    cal->cum[i + 1] = cal->cum[i] + cal->ov[i].delta;
}

static void rebuild_cum(struct calendar *cal) { rebuild_cum_from(cal, 0); }

/* Makes room for `more` overrides and `more_years` years. 0 or -1 (OOM). */
static int reserve(struct calendar *cal, size_t more, size_t more_years) {
  if (cal->n_ov + more > cal->cap_ov || !cal->cum) {
    size_t cap = cal->cap_ov ? cal->cap_ov : 64;
    struct ovr *ov;
    int *cum;
    while (cap < cal->n_ov + more) cap *= 2;
    ov = realloc(cal->ov, cap * sizeof *ov);
    if (!ov) return -1;
    cal->ov = ov;
    cum = realloc(cal->cum, (cap + 1) * sizeof *cum);
    if (!cum) return -1;
    cal->cum = cum;
    cal->cap_ov = cap;
  }
  if (cal->n_years + more_years > cal->cap_years) {
    size_t cap = cal->cap_years ? cal->cap_years : 16;
    int *ys;
    while (cap < cal->n_years + more_years) cap *= 2;
    ys = realloc(cal->years, cap * sizeof *ys);
    if (!ys) return -1;
    cal->years = ys;
    cal->cap_years = cap;
  }
  return 0;
}

/* Inserts or replaces; room must be reserved. Takes ownership of name.
** Returns the index of the day. Leaves cum stale from that index on: the
** caller rebuilds it. */
static size_t put_day(struct calendar *cal, day_t day, int off, char *name) {
  size_t i = ov_upper(cal, day);
  struct ovr *o;
  if (i > 0 && cal->ov[i - 1].day == day) {
    o = &cal->ov[--i];
    free(o->name);
  } else {
    memmove(&cal->ov[i + 1], &cal->ov[i], (cal->n_ov - i) * sizeof *cal->ov);
    cal->n_ov++;
    o = &cal->ov[i];
  }
  o->day = day;
  o->off = (signed char)(off != 0);
  o->delta = (signed char)ovr_delta(day, off);
  o->name = name;
  return i;
}

/* Adds a year; room must be reserved. */
static void put_year(struct calendar *cal, int year) {
  size_t i = 0;
  if (year_index(cal, year) >= 0) return;
  while (i < cal->n_years && cal->years[i] < year) i++;
  memmove(&cal->years[i + 1], &cal->years[i],
          (cal->n_years - i) * sizeof *cal->years);
  cal->years[i] = year;
  cal->n_years++;
}

static char *dup_name(const char *s) {
  size_t n;
  char *p;
  if (!s || !*s) return NULL;
  n = strlen(s);
  p = malloc(n + 1);
  if (p) memcpy(p, s, n + 1);
  return p;
}

/*==== construction ====*/

struct calendar *calendar_new(void) {
  struct calendar *cal = calloc(1, sizeof *cal);
  if (!cal) return NULL;
  if (reserve(cal, 0, 0) < 0) {
    calendar_free(cal);
    return NULL;
  }
  rebuild_cum(cal);
  return cal;
}

void calendar_free(struct calendar *cal) {
  size_t i;
  if (!cal) return;
  for (i = 0; i < cal->n_ov; i++) free(cal->ov[i].name);
  free(cal->ov);
  free(cal->cum);
  free(cal->years);
  free(cal);
}

struct pending {
  day_t day;
  int off;
  char *name;
};

int calendar_load_json(struct calendar *cal, const char *json, size_t n,
                       struct err *e) {
  json_error_t jerr;
  json_t *root, *jy, *jdays, *it;
  struct pending *pend = NULL;
  size_t i, m = 0;
  int year, rc = -1;
  char field[64];

  root = json_loadb(json, n, JSON_REJECT_DUPLICATES, &jerr);
  if (!root)
    return err_set(e, ERR_BAD_REQUEST, NULL,
                   "the holiday file is not valid JSON (line %d, column %d: %s)",
                   jerr.line, jerr.column, jerr.text);
  if (!json_is_object(root)) {
    err_set(e, ERR_INVALID, NULL, "the holiday file must be a JSON object");
    goto done;
  }
  jy = json_object_get(root, "year");
  if (!json_is_integer(jy) || json_integer_value(jy) < YEAR_MIN ||
      json_integer_value(jy) > YEAR_MAX) {
    err_set(e, ERR_INVALID, "year", "must be a year between %d and %d",
            YEAR_MIN, YEAR_MAX);
    goto done;
  }
  year = (int)json_integer_value(jy);
  jdays = json_object_get(root, "days");
  if (!json_is_array(jdays)) {
    err_set(e, ERR_INVALID, "days", "must be a list of days");
    goto done;
  }
  m = json_array_size(jdays);
  if (m) {
    pend = calloc(m, sizeof *pend);
    if (!pend) {
      err_set(e, ERR_INTERNAL, NULL, "out of memory");
      goto done;
    }
  }
  for (i = 0; i < m; i++) {
    json_t *jd, *jo, *jn;
    const char *ds;
    day_t day;
    int y;
    it = json_array_get(jdays, i);
    if (!json_is_object(it)) {
      snprintf(field, sizeof field, "days[%zu]", i);
      err_set(e, ERR_INVALID, field, "must be an object with date and isOffDay");
      goto done;
    }
    jd = json_object_get(it, "date");
    snprintf(field, sizeof field, "days[%zu].date", i);
    if (!json_is_string(jd)) {
      err_set(e, ERR_INVALID, field, "must be a date \"YYYY-MM-DD\"");
      goto done;
    }
    ds = json_string_value(jd);
    if (date_parse(ds, &day) < 0) {
      err_set(e, ERR_INVALID, field, "%.40s is not a date", ds);
      goto done;
    }
    y = year_of(day);
    if (y < year - 1 || y > year + 1) {
      err_set(e, ERR_INVALID, field, "%s lies outside the %d schedule", ds,
              year);
      goto done;
    }
    jo = json_object_get(it, "isOffDay");
    if (!json_is_boolean(jo)) {
      snprintf(field, sizeof field, "days[%zu].isOffDay", i);
      err_set(e, ERR_INVALID, field, "must be true or false");
      goto done;
    }
    jn = json_object_get(it, "name");
    if (jn && !json_is_string(jn) && !json_is_null(jn)) {
      snprintf(field, sizeof field, "days[%zu].name", i);
      err_set(e, ERR_INVALID, field, "must be a string");
      goto done;
    }
    pend[i].day = day;
    pend[i].off = json_is_true(jo);
    pend[i].name = dup_name(json_string_value(jn));  /* NULL for non-strings */
    if (json_is_string(jn) && json_string_length(jn) > 0 && !pend[i].name) {
      err_set(e, ERR_INTERNAL, NULL, "out of memory");
      goto done;
    }
  }
  if (reserve(cal, m, 1) < 0) {
    err_set(e, ERR_INTERNAL, NULL, "out of memory");
    goto done;
  }
  /* From here nothing can fail: the load is all or nothing. */
  for (i = 0; i < m; i++) {
    put_day(cal, pend[i].day, pend[i].off, pend[i].name);
    pend[i].name = NULL;
  }
  put_year(cal, year);
  rebuild_cum(cal);
  rc = 0;
done:
  if (pend)
    for (i = 0; i < m; i++) free(pend[i].name);
  free(pend);
  json_decref(root);
  return rc;
}

int calendar_set_day(struct calendar *cal, day_t day, int off, const char *name,
                     struct err *e) {
  char *nm = NULL;
  if (day == DATE_NONE || !day_in_range(day))
    return err_set(e, ERR_INVALID, "date", "must be a date between %d and %d",
                   YEAR_MIN, YEAR_MAX);
  if (name && *name && !(nm = dup_name(name)))
    return err_set(e, ERR_INTERNAL, NULL, "out of memory");
  if (reserve(cal, 1, 0) < 0) {
    free(nm);
    return err_set(e, ERR_INTERNAL, NULL, "out of memory");
  }
  /* Only the prefix sums from this day on change: loading days in date
  ** order (as from the database) costs O(1) each. */
  rebuild_cum_from(cal, put_day(cal, day, off, nm));
  return 0;
}

int calendar_cover_year(struct calendar *cal, int year, struct err *e) {
  if (year < YEAR_MIN || year > YEAR_MAX)
    return err_set(e, ERR_INVALID, "year", "must be a year between %d and %d",
                   YEAR_MIN, YEAR_MAX);
  if (reserve(cal, 0, 1) < 0)
    return err_set(e, ERR_INTERNAL, NULL, "out of memory");
  put_year(cal, year);
  return 0;
}

/*==== queries ====*/

int calendar_covers(const struct calendar *cal, int year) {
  return year_index(cal, year) >= 0;
}

size_t calendar_years(const struct calendar *cal, int *out, size_t max) {
  size_t i;
  for (i = 0; i < cal->n_years && i < max; i++) out[i] = cal->years[i];
  return i;
}

int calendar_is_workday(const struct calendar *cal, day_t day, struct err *e) {
  long i;
  int y;
  if (day == DATE_NONE) return err_set(e, ERR_INVALID, NULL, "no date given");
  y = year_of(day);
  if (!calendar_covers(cal, y)) return err_uncovered(e, y);
  i = ov_find(cal, day);
  if (i >= 0) return !cal->ov[i].off;
  return is_weekday(day);
}

int calendar_override(const struct calendar *cal, day_t day, int *off,
                      const char **name) {
  long i = ov_find(cal, day);
  if (i < 0) {
    if (name) *name = NULL;
    return 0;
  }
  if (off) *off = cal->ov[i].off;
  if (name) *name = cal->ov[i].name;
  return 1;
}

int calendar_add_workdays(const struct calendar *cal, day_t from, int n,
                          day_t *out, struct err *e) {
  day_t blo, bhi, lo, hi;
  long span;
  size_t ua;
  if (from == DATE_NONE || !day_in_range(from))
    return err_set(e, ERR_INVALID, NULL, "no valid date to count from");
  if (n == 0) {
    *out = from;
    return 0;
  }
  if (n > 0) {
    /* Smallest d > from with count(from, d] >= n; it is then == n and d is a
    ** working day. Days (from, d] must be covered. */
    if (covered_block(cal, from + 1, &blo, &bhi, e) < 0) return -1;
    ua = ov_upper(cal, from);
    span = (long)n + n / 2 + 10;
    for (;;) {
      hi = (long)from + span < (long)bhi ? (day_t)(from + span) : bhi;
      if (count_from(cal, from, ua, hi) >= n) break;
      if (hi == bhi) return err_uncovered(e, year_of(bhi) + 1);
      span *= 2;
    }
    lo = from;  /* count(from, lo] < n, count(from, hi] >= n */
    while (hi - lo > 1) {
      day_t mid = lo + (hi - lo) / 2;
      if (count_from(cal, from, ua, mid) >= n)
        hi = mid;
      else
        lo = mid;
    }
    *out = hi;
    return 0;
  }
  /* n < 0: largest d < from with m = -n working days in [d, from), i.e.
  ** count(d - 1, from - 1] >= m. Days [d, from) must be covered. */
  {
    long m = -(long)n;
    day_t top = from - 1;
    if (covered_block(cal, top, &blo, &bhi, e) < 0) return -1;
    span = m + m / 2 + 10;
    for (;;) {
      lo = (long)top - span > (long)blo ? (day_t)(top - span) : blo;
      if (count_raw(cal, lo - 1, top) >= m) break;
      if (lo == blo) return err_uncovered(e, year_of(blo) - 1);
      span *= 2;
    }
    hi = from;  /* count[lo, top] >= m, count[hi, top] < m */
    while (hi - lo > 1) {
      day_t mid = lo + (hi - lo) / 2;
      if (count_raw(cal, mid - 1, top) >= m)
        lo = mid;
      else
        hi = mid;
    }
    *out = lo;
    return 0;
  }
}

int calendar_workdays_between(const struct calendar *cal, day_t a, day_t b,
                              int *out, struct err *e) {
  day_t blo, bhi, x = a, y = b;
  if (a == DATE_NONE || b == DATE_NONE || !day_in_range(a) || !day_in_range(b))
    return err_set(e, ERR_INVALID, NULL, "no valid date to count between");
  if (a == b) {
    *out = 0;
    return 0;
  }
  if (b < a) {
    x = b;
    y = a;
  }
  if (covered_block(cal, x + 1, &blo, &bhi, e) < 0) return -1;
  if (y > bhi) return err_uncovered(e, year_of(bhi) + 1);
  *out = b < a ? -count_raw(cal, x, y) : count_raw(cal, x, y);
  return 0;
}

int calendar_next_override(const struct calendar *cal, size_t *cursor,
                           day_t *day, int *off, const char **name) {
  const struct ovr *o;
  if (*cursor >= cal->n_ov) return 0;
  o = &cal->ov[(*cursor)++];
  if (day) *day = o->day;
  if (off) *off = o->off;
  if (name) *name = o->name;
  return 1;
}

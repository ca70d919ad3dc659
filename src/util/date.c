/* date.c — see date.h. Civil-from-days after H. Hinnant's public algorithms. */
#include "util/date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int g_offset_min = 480;

day_t date_from_ymd(int y, int m, int d) {
  int era, yoe, doy, doe;
  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void date_to_ymd(day_t z, int *py, int *pm, int *pd) {
  int era, doe, yoe, y, doy, mp, d, m;
  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = yoe + era * 400;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp + (mp < 10 ? 3 : -9);
  if (py) *py = y + (m <= 2);
  if (pm) *pm = m;
  if (pd) *pd = d;
}

int date_days_in_month(int y, int m) {
  static const int k[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12) return 0;
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return k[m - 1];
}

int date_valid(int y, int m, int d) {
  return y >= 1900 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 &&
         d <= date_days_in_month(y, m);
}

int date_parse(const char *s, day_t *out) {
  int y, m, d, i;
  if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return -1;
  for (i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return -1;
  y = atoi(s);
  m = (s[5] - '0') * 10 + (s[6] - '0');
  d = (s[8] - '0') * 10 + (s[9] - '0');
  if (!date_valid(y, m, d)) return -1;
  *out = date_from_ymd(y, m, d);
  return 0;
}

char *date_format(day_t day, char out[11]) {
  int y, m, d;
  if (day == DATE_NONE) {
    out[0] = 0;
    return out;
  }
  date_to_ymd(day, &y, &m, &d);
  /* Day numbers come from dates of years 1900..2999, so the fields fit. */
  snprintf(out, 11, "%04d-%02d-%02d", (y % 10000 + 10000) % 10000, (m % 100 + 100) % 100,
           (d % 100 + 100) % 100);
  return out;
}

int date_weekday(day_t day) {
  int w = (int)((day % 7 + 7 + 3) % 7); /* 1970-01-01 was a Thursday (3) */
  return w + 1;
}

void date_set_utc_offset_minutes(int minutes) { g_offset_min = minutes; }
int date_utc_offset_minutes(void) { return g_offset_min; }

day_t date_of_unix(int64_t t) {
  int64_t local = t + (int64_t)g_offset_min * 60;
  int64_t d = local / 86400;
  if (local % 86400 < 0) d--;
  return (day_t)d;
}

int64_t unix_of_date(day_t day, int hour, int minute) {
  return (int64_t)day * 86400 + hour * 3600 + minute * 60 -
         (int64_t)g_offset_min * 60;
}

int64_t now_unix(void) {
  const char *pin = getenv("DUBAN_NOW");
  if (pin && *pin) {
    day_t d;
    char date[11];
    int hh = 9, mm = 0;
    if (strlen(pin) >= 10 && pin[4] == '-') {
      memcpy(date, pin, 10);
      date[10] = 0;
      if (date_parse(date, &d) == 0) {
        if (pin[10] == 'T' || pin[10] == ' ') sscanf(pin + 11, "%d:%d", &hh, &mm);
        return unix_of_date(d, hh, mm);
      }
    } else {
      return strtoll(pin, NULL, 10);
    }
  }
  return (int64_t)time(NULL);
}

day_t date_today(void) { return date_of_unix(now_unix()); }

int time_local_hour(int64_t t) {
  int64_t local = t + (int64_t)g_offset_min * 60;
  int64_t s = local % 86400;
  if (s < 0) s += 86400;
  return (int)(s / 3600);
}

/* Writes v as n decimal digits (zero-padded). */
static char *put_digits(char *p, int v, int n) {
  for (int i = n - 1; i >= 0; i--, v /= 10) p[i] = (char)('0' + v % 10);
  return p + n;
}

char *time_format(int64_t t, char out[32]) {
  int64_t local = t + (int64_t)g_offset_min * 60;
  day_t day = date_of_unix(t);
  int64_t s = local - (int64_t)day * 86400;
  int y, m, d, off = g_offset_min < 0 ? -g_offset_min : g_offset_min;
  char *p = out;
  /* Hand-formatted: lists render several times per row (snprintf was a
  ** visible share of a list's cost). Same text as "%04d-%02d-%02dT...".
  ** The last day's calendar date is remembered per thread: a page's
  ** timestamps mostly fall on a few days. */
  static __thread day_t t_day = DATE_NONE;
  static __thread int t_y, t_m, t_d;
  if (day != t_day) {
    date_to_ymd(day, &t_y, &t_m, &t_d);
    t_day = day;
  }
  y = t_y;
  m = t_m;
  d = t_d;
  p = put_digits(p, (y % 10000 + 10000) % 10000, 4);
  *p++ = '-';
  p = put_digits(p, m % 13, 2);
  *p++ = '-';
  p = put_digits(p, d % 32, 2);
  *p++ = 'T';
  p = put_digits(p, (int)(s / 3600) % 24, 2);
  *p++ = ':';
  p = put_digits(p, (int)(s / 60 % 60), 2);
  *p++ = ':';
  p = put_digits(p, (int)(s % 60), 2);
  *p++ = g_offset_min < 0 ? '-' : '+';
  p = put_digits(p, off / 60 % 24, 2);
  *p++ = ':';
  p = put_digits(p, off % 60, 2);
  *p = 0;
  return out;
}

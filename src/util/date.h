/*
** date.h — calendar dates as day numbers, and timestamps.
**
** A date is an `int` counting days since 1970-01-01 (proleptic Gregorian), so
** arithmetic is plain integer arithmetic and comparison is `<`. DATE_NONE marks
** "no date". Deadlines are dates in the institution's time zone; timestamps are
** Unix seconds (int64). The zone is a fixed UTC offset (Asia/Shanghai has had no
** DST since 1991), set once at start-up from settings.
*/
#ifndef DUBAN_DATE_H
#define DUBAN_DATE_H

#include <stdint.h>

#define DATE_NONE (-2147483647 - 1)

typedef int32_t day_t;

/* y-m-d → day number. No validation: use date_valid first for untrusted input. */
day_t date_from_ymd(int y, int m, int d);
void date_to_ymd(day_t day, int *y, int *m, int *d);
int date_valid(int y, int m, int d);        /* 1 if a real calendar date */
int date_days_in_month(int y, int m);

/* Parses exactly "YYYY-MM-DD" (a real date, years 1900..2999). 0 or -1. */
int date_parse(const char *s, day_t *out);

/* Writes "YYYY-MM-DD" (11 bytes with NUL) into out; DATE_NONE gives "". */
char *date_format(day_t day, char out[11]);

/* 1 = Monday … 7 = Sunday (ISO). */
int date_weekday(day_t day);

/* Timestamps. now_unix honours DUBAN_NOW (a Unix time or "YYYY-MM-DD[THH:MM]"
** in local time) so tests and `--today` can pin the clock. */
int64_t now_unix(void);
void date_set_utc_offset_minutes(int minutes);  /* default 480 (UTC+8) */
int date_utc_offset_minutes(void);
day_t date_of_unix(int64_t t);                  /* local date of a timestamp */
int64_t unix_of_date(day_t day, int hour, int minute);  /* local → Unix */
day_t date_today(void);                         /* date_of_unix(now_unix()) */
/* Formats t as ISO 8601 with the local offset: "2021-08-25T09:30:00+08:00". */
char *time_format(int64_t t, char out[32]);
/* Local hour of t (0..23). */
int time_local_hour(int64_t t);

#endif

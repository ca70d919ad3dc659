/*
** calendar.h — the working-day calendar (SPEC §6).
**
** Ordinary rule: Monday–Friday are working days, Saturday–Sunday are off.
** On top of it, per-date overrides: statutory holidays (off) and make-up
** working days (调休上班, on), loaded from the State Council schedule files
** (data/holidays-cn/YYYY.json, format in that folder's README) and amended by
** the admin. A year is "covered" once its file (or an explicit admin
** declaration) is loaded; any question about a date in an uncovered year fails
** with ERR_INVALID naming the year, never a silent weekday-only guess.
**
** Counting convention: adding N working days to day D counts the working days
** strictly after D: 2021-09-28 + 5 = 2021-10-11. N may be negative (counting
** back from D, strictly before it: 2021-10-11 - 5 = 2021-09-28). Working days
** between A and B count the working days in (A, B].
**
** Coverage is checked on the days a question depends on: the days counted
** ((A, B]; (D, result] or [result, D)), or the day asked about. D itself need
** not be covered. The error (ERR_INVALID, no field) names the first uncovered
** year: "2027: the calendar does not cover this year; ...". Dates are limited
** to the years 1900..2999 (those date_parse accepts).
**
** Cost: every query is a few binary searches (O(log overrides)), whatever the
** span; the calendar keeps prefix sums of the overrides' effect.
**
** A calendar is read-only after loading and may be shared between threads.
** The caller owns it (calendar_free).
*/
#ifndef DUBAN_CALENDAR_H
#define DUBAN_CALENDAR_H

#include <stddef.h>

#include "core/types.h"
#include "util/err.h"

struct calendar;

struct calendar *calendar_new(void);   /* NULL on OOM */
void calendar_free(struct calendar *cal);

/* Loads one year file (holidays-cn JSON text, n bytes). Marks its "year" as
** covered and applies its days as overrides (a later load of the same date
** replaces the earlier one: amendments; dates the later file omits keep their
** earlier override). Days may lie in the year before or after "year" (a late
** December make-up day in the next year's notice) but no further. All or
** nothing: on error the calendar is unchanged. 0, or -1 with e:
** ERR_BAD_REQUEST for text that is not JSON, ERR_INVALID with the field for
** a bad value (field "days[3].date", message "2021-02-30 is not a date"). */
int calendar_load_json(struct calendar *cal, const char *json, size_t n,
                       struct err *e);

/* Sets one override: off=1 a day off, off=0 a working day. name may be NULL
** (copied). Replaces an override of the same day. Does not change coverage. */
int calendar_set_day(struct calendar *cal, day_t day, int off, const char *name,
                     struct err *e);

/* Declares a year covered (e.g. an admin who has entered a year by hand). */
int calendar_cover_year(struct calendar *cal, int year, struct err *e);

int calendar_covers(const struct calendar *cal, int year);  /* 1 or 0 */

/* Covered years in ascending order into out[0..max); returns the count. */
size_t calendar_years(const struct calendar *cal, int *out, size_t max);

/* 1 working day, 0 day off, -1 (with e) if the year is not covered. */
int calendar_is_workday(const struct calendar *cal, day_t day, struct err *e);

/* Override at day: sets *off and *name (borrowed; NULL when none); returns 1
** if there is an override, 0 if the ordinary rule applies (then *name = NULL,
** *off untouched). Either pointer may be NULL. Ignores coverage. */
int calendar_override(const struct calendar *cal, day_t day, int *off,
                      const char **name);

/* from + n working days (see the counting convention). 0 or -1 with e. */
int calendar_add_workdays(const struct calendar *cal, day_t from, int n,
                          day_t *out, struct err *e);

/* Working days in (a, b]; negative when b < a. 0 or -1 with e. */
int calendar_workdays_between(const struct calendar *cal, day_t a, day_t b,
                              int *out, struct err *e);

/* Iterates overrides in date order: call with *cursor = 0 first; returns 1
** and fills the outputs while there are more, else 0. */
int calendar_next_override(const struct calendar *cal, size_t *cursor,
                           day_t *day, int *off, const char **name);

#endif

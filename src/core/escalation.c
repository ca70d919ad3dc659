/*
** escalation.c — see escalation.h.
*/
#include "core/escalation.h"

#include <stdio.h>
#include <string.h>

#define OFFSET_LIMIT 100
#define TEXT_MAX 1024

void escalation_ladder_default(struct escalation_ladder *l) {
  static const struct escalation_step k[] = {
    {1, "提醒", -3, 0},
    {2, "催办", 0, 0},
    {3, "督办", 3, 0},
    {4, "问责建议", 10, 1},
  };
  memset(l, 0, sizeof *l);
  l->n = sizeof k / sizeof k[0];
  memcpy(l->steps, k, sizeof k);
}

/* 1 if s[0..n) is well-formed UTF-8 without control characters. */
static int clean_utf8(const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s, *end = p + n;
  while (p < end) {
    unsigned c = *p;
    size_t len, i;
    unsigned cp;
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7f) return 0;
      p++;
      continue;
    }
    if (c >= 0xc2 && c <= 0xdf) len = 2, cp = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef) len = 3, cp = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4) len = 4, cp = c & 0x07;
    else return 0;
    if ((size_t)(end - p) < len) return 0;
    for (i = 1; i < len; i++) {
      if ((p[i] & 0xc0) != 0x80) return 0;
      cp = (cp << 6) | (p[i] & 0x3f);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
      return 0;
    p += len;
  }
  return 1;
}

static void trim(char **b, char **e) {
  while (*b < *e && (**b == ' ' || **b == '\t')) (*b)++;
  while (*e > *b && ((*e)[-1] == ' ' || (*e)[-1] == '\t')) (*e)--;
}

/* Parses one "name:offset[!]" item in [b, e) into st. */
static int parse_step(char *b, char *e, int pos, struct escalation_step *st,
                      struct err *err, const char *field) {
  char *colon, *nb, *ne, *ob, *oe;
  int sign = 1, v = 0, digits = 0;
  trim(&b, &e);
  *e = 0;
  if (b == e)
    return err_set(err, ERR_INVALID, field, "step %d is empty", pos);
  colon = memchr(b, ':', (size_t)(e - b));
  if (!colon)
    return err_set(err, ERR_INVALID, field,
                   "step %d (\"%.60s\") needs the form name:offset", pos, b);
  nb = b;
  ne = colon;
  trim(&nb, &ne);
  ob = colon + 1;
  oe = e;
  trim(&ob, &oe);
  if (nb == ne || ne - nb > 31 || memchr(nb, '!', (size_t)(ne - nb)) ||
      !clean_utf8(nb, (size_t)(ne - nb)))
    return err_set(err, ERR_INVALID, field,
                   "step %d (\"%.60s\"): the name must be 1 to 31 bytes of "
                   "text", pos, b);
  memset(st, 0, sizeof *st);
  memcpy(st->name, nb, (size_t)(ne - nb));
  st->level = pos;
  if (oe > ob && oe[-1] == '!') {
    st->flag_accountability = 1;
    oe--;
    trim(&ob, &oe);
  }
  if (ob < oe && (*ob == '-' || *ob == '+')) sign = *ob++ == '-' ? -1 : 1;
  while (ob < oe && *ob >= '0' && *ob <= '9' && digits < 4) {
    v = v * 10 + (*ob++ - '0');
    digits++;
  }
  if (!digits || ob != oe || v > OFFSET_LIMIT)
    return err_set(err, ERR_INVALID, field,
                   "step %d (\"%.60s\"): the offset must be a whole number of "
                   "working days from -%d to %d", pos, b, OFFSET_LIMIT,
                   OFFSET_LIMIT);
  st->offset_workdays = sign * v;
  return 0;
}

int escalation_ladder_parse(const char *s, struct escalation_ladder *l,
                            struct err *e, const char *field) {
  char buf[TEXT_MAX];
  struct escalation_ladder out;
  size_t i = 0, n = 0;
  char *p, *item;
  int pos = 0;
  if (!s) s = "";
  /* Copy, folding full-width ',' ':' (U+FF0C, U+FF1A) to ASCII. */
  while (*s) {
    if (n + 1 >= sizeof buf)
      return err_set(e, ERR_INVALID, field, "the ladder text is too long");
    if ((unsigned char)s[0] == 0xef && (unsigned char)s[1] == 0xbc &&
        ((unsigned char)s[2] == 0x8c || (unsigned char)s[2] == 0x9a)) {
      buf[n++] = (unsigned char)s[2] == 0x8c ? ',' : ':';
      s += 3;
    } else {
      buf[n++] = *s++;
    }
  }
  buf[n] = 0;
  memset(&out, 0, sizeof out);
  p = buf;
  for (;;) {
    char *end = strchr(p, ',');
    if (!end) end = p + strlen(p);
    item = p;
    pos++;
    if (out.n == ESCALATION_MAX_STEPS)
      return err_set(e, ERR_INVALID, field, "a ladder has at most %d steps",
                     ESCALATION_MAX_STEPS);
    {
      int last = *end == 0;
      if (parse_step(item, end, pos, &out.steps[out.n], e, field) < 0)
        return -1;
      out.n++;
      if (last) break;
      p = end + 1;
    }
  }
  for (i = 1; i < out.n; i++)
    if (out.steps[i].offset_workdays <= out.steps[i - 1].offset_workdays)
      return err_set(e, ERR_INVALID, field,
                     "step %zu (%s): offsets must rise from step to step",
                     i + 1, out.steps[i].name);
  *l = out;
  return 0;
}

void escalation_ladder_format(const struct escalation_ladder *l, char *out,
                              size_t n) {
  size_t i, used = 0;
  if (!n) return;
  out[0] = 0;
  for (i = 0; i < l->n && i < ESCALATION_MAX_STEPS; i++) {
    const struct escalation_step *st = &l->steps[i];
    int w = snprintf(out + used, n - used, "%s%.31s:%d%s", i ? "," : "",
                     st->name, st->offset_workdays,
                     st->flag_accountability ? "!" : "");
    if (w < 0 || (size_t)w >= n - used) {
      out[used] = 0;  /* drop a step that does not fit whole */
      return;
    }
    used += (size_t)w;
  }
}

int escalation_trigger_day(const struct escalation_step *s, day_t deadline,
                           const struct calendar *cal, day_t *out,
                           struct err *e) {
  if (deadline == DATE_NONE)
    return err_set(e, ERR_INVALID, "deadline", "the task has no deadline");
  return calendar_add_workdays(cal, deadline, s->offset_workdays, out, e);
}

static int is_open(enum task_status st) {
  return st == TS_ASSIGNED || st == TS_IN_PROGRESS || st == TS_REVIEW;
}

int escalation_due(const struct escalation_ladder *l, enum task_status status,
                   day_t deadline, day_t today, const struct calendar *cal,
                   size_t *idx_out, struct err *e) {
  size_t i, count = 0;
  if (!is_open(status) || deadline == DATE_NONE || today == DATE_NONE) return 0;
  for (i = 0; i < l->n && i < ESCALATION_MAX_STEPS; i++) {
    int off = l->steps[i].offset_workdays;
    long near = (long)deadline + off;  /* k working days span >= k days */
    day_t trig;
    /* off > 0: trigger >= near, so today < near means not yet due;
    ** off < 0: trigger <= near, so today >= near means due. Only the days
    ** in between need the calendar. */
    if (off > 0 && today < near) continue;
    if (!(off < 0 && today >= near)) {
      if (off == 0)
        trig = deadline;
      else if (calendar_add_workdays(cal, deadline, off, &trig, e) < 0)
        return -1;
      if (trig > today) continue;
    }
    idx_out[count++] = i;
  }
  return (int)count;
}

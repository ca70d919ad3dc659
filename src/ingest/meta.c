/*
** meta.c — meeting metadata: title, date, place, host, attendees and the
** documents approved.
**
**  date       the first "(YYYY年)M月D日" of the first three paragraphs; a missing
**             year is the first 4-digit "YYYY年" anywhere in the text
**             (8月25日 in a report on 2021年上半年 → 2021-08-25).
**  place      "在PLACE召开/举行/举办" (the last 在 before the verb, ≤ 30 chars).
**  host       the phrase before "主持" back to the previous ，。；.
**  attendees  the phrases before 出席/参加/列席(会议) in the first paragraphs.
**  documents  《…》 titles after 审议通过/审议并通过/通过了/审定/批准/印发 in the
**             same clause (not "审议通过的《…》", which refers back).
**  title      the first line when it is short and not a sentence; else the
**             meeting's name ("召开…会议" / "…会议在…召开").
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_int.h"

static int set_str(char **dst, const struct idoc *d, size_t s, size_t e) {
  char *x = ix_dup(d, s, e);
  if (!x) return -1;
  free(*dst);
  *dst = x;
  return 0;
}

static int find_date(const struct idoc *d, const struct ingest_result *r,
                     size_t lim, day_t *out, int *need_year) {
  *need_year = 0;
  for (size_t i = 0; i < lim; i++) {
    int y = 0, m, dd;
    size_t k = i, n;
    if (i > 0 && d->cp[i - 1] >= '0' && d->cp[i - 1] <= '9') continue;
    if (d->cp[i] < '0' || d->cp[i] > '9') continue;
    n = ix_number(d, k, lim, &y);
    if (n == 4 && k + 4 < lim && d->cp[k + 4] == 0x5E74) k += 5; /* 年 */
    else y = 0;
    if (!(n = ix_number(d, k, lim, &m)) || m < 1 || m > 12 || k + n >= lim ||
        d->cp[k + n] != 0x6708) /* 月 */
      continue;
    k += n + 1;
    if (!(n = ix_number(d, k, lim, &dd)) || dd < 1 || dd > 31 || k + n >= lim ||
        (d->cp[k + n] != 0x65E5 && d->cp[k + n] != 0x53F7)) /* 日 号 */
      continue;
    if (!y) {
      /* year from the text */
      for (size_t j = 0; j + 4 < d->n; j++) {
        int v;
        if (j > 0 && d->cp[j - 1] >= '0' && d->cp[j - 1] <= '9') continue;
        if (ix_number(d, j, d->n, &v) == 4 && d->cp[j + 4] == 0x5E74 &&
            v >= 1990 && v <= 2999) {
          y = v;
          break;
        }
      }
    }
    if (!y) { *need_year = 1; return 0; }
    if (!date_valid(y, m, dd)) continue;
    *out = date_from_ymd(y, m, dd);
    (void)r;
    return 0;
  }
  return 0;
}

static int is_delim(uint32_t c) {
  return c == 0xFF0C || c == 0x3002 || c == 0xFF1B || c == '\n' || c == 0xFF1A;
}

int meta_extract(const struct idoc *d, const struct ingest_options *o,
                 struct ingest_result *r, struct err *e) {
  size_t lim = d->npara ? d->paras[d->npara < 3 ? d->npara - 1 : 2].e : 0;
  size_t head = d->npara ? d->paras[d->npara < 2 ? d->npara - 1 : 1].e : 0;
  int need_year = 0;
  if (o && o->meeting_date != DATE_NONE) r->meeting_date = o->meeting_date;
  else {
    find_date(d, r, lim, &r->meeting_date, &need_year);
    if (need_year)
      result_warn(r, "the meeting date has no year and the text names none");
  }
  /* place and the meeting name */
  size_t name_s = NPOS, name_e = NPOS;
  for (size_t i = 0; i < lim; i++) {
    size_t n = ix_at_any(d, i, lim, (const char *const[]){"召开", "举行", "举办", NULL});
    if (!n) continue;
    size_t j = i, stop = i > 30 ? i - 30 : 0;
    while (j > stop && !is_delim(d->cp[j - 1]) && d->cp[j - 1] != 0x5728) j--; /* 在 */
    if (j > stop && d->cp[j - 1] == 0x5728 && i > j && !r->place) {
      if (set_str(&r->place, d, j, i)) goto oom;
      /* "X会议在PLACE召开": name before 在 */
      size_t q = j - 1, qs = q;
      while (qs > 0 && !is_delim(d->cp[qs - 1])) qs--;
      if (q > qs && ix_has(d, qs, q, "会") && name_s == NPOS) {
        name_s = qs; name_e = q;
      }
    }
    if (name_s == NPOS) { /* 召开X会议 */
      size_t a = i + n, b = a;
      while (b < lim && !is_delim(d->cp[b])) b++;
      if (b > a && ix_has(d, a, b, "会")) { name_s = a; name_e = b; }
    }
    if (r->place && name_s != NPOS) break;
  }
  /* host */
  for (size_t i = 0; i < lim; i++) {
    if (!ix_at(d, i, lim, "主持")) continue;
    size_t j = i;
    while (j > 0 && !is_delim(d->cp[j - 1])) j--;
    size_t n;
    if ((n = ix_at_any(d, j, i, (const char *const[]){"会议由", "由", NULL}))) j += n;
    if (i > j && i - j <= 40 && set_str(&r->host, d, j, i)) goto oom;
    break;
  }
  /* attendees */
  for (size_t i = 0; i < head; i++) {
    size_t n = ix_at_any(d, i, head, (const char *const[]){"出席会议", "参加会议",
                                                          "列席会议", "出席", "参加",
                                                          "列席", NULL});
    if (!n) continue;
    size_t j = i;
    while (j > 0 && !is_delim(d->cp[j - 1])) j--;
    if (i > j && i - j <= 200) {
      size_t a = j, b = i;
      if (ix_ends(d, a, b, "等")) b--;
      if (b > a) {
        char *x = ix_dup(d, a, b);
        if (!x || strv_push(&r->attendees, &r->n_attendees, x)) goto oom;
      }
    }
    i += n;
    while (i < head && !is_delim(d->cp[i])) i++;
  }
  /* documents approved */
  static const char *const kApprove[] = {"审议通过了", "审议并通过了", "审议通过",
                                         "审议并通过", "表决通过了", "表决通过",
                                         "通过了", "审定了", "审定", "批准了", "印发了",
                                         NULL};
  for (size_t i = 0; i < d->n; i++) {
    size_t n = ix_at_any(d, i, d->n, kApprove);
    if (!n) continue;
    size_t j = i + n;
    if (j < d->n && d->cp[j] == 0x7684) { i = j; continue; } /* 的 */
    while (j < d->n && !is_delim(d->cp[j])) {
      if (d->cp[j] == 0x300A) { /* 《 */
        size_t k = j + 1;
        int depth = 1;
        while (k < d->n && k - j < 200 && depth) {
          if (d->cp[k] == 0x300A) depth++;
          else if (d->cp[k] == 0x300B) depth--;
          else if (d->cp[k] == '\n') break;
          k++;
        }
        if (depth) break;
        char *x = ix_dup(d, j, k);
        if (!x) goto oom;
        int dup = 0;
        for (size_t t = 0; t < r->n_documents; t++)
          if (strcmp(r->documents[t], x) == 0) dup = 1;
        if (dup) free(x);
        else if (strv_push(&r->documents, &r->n_documents, x)) goto oom;
        j = k;
        continue;
      }
      j++;
    }
    i = j;
  }
  /* title */
  if (d->npara) {
    const struct ipara *p0 = &d->paras[0];
    if (p0->e - p0->s <= 40 && !ix_has(d, p0->s, p0->e, "。") &&
        !ix_has(d, p0->s, p0->e, "，")) {
      if (set_str(&r->title, d, p0->s, p0->e)) goto oom;
    } else if (name_s != NPOS && name_e - name_s <= 60) {
      if (set_str(&r->title, d, name_s, name_e)) goto oom;
    }
  }
  if (!r->title) {
    char b[11], buf[64];
    if (r->meeting_date != DATE_NONE)
      snprintf(buf, sizeof buf, "会议 %s", date_format(r->meeting_date, b));
    else
      snprintf(buf, sizeof buf, "会议");
    r->title = strdup(buf);
    if (!r->title) goto oom;
  }
  return 0;
oom:
  return err_set(e, ERR_INTERNAL, "file", "out of memory reading the metadata");
}

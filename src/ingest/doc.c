/*
** doc.c — normalised code point view of a text, literal matching, and
** segmentation into paragraphs (lines), sentences (。！？, and ： before an
** enumeration) and clauses (，；： outside quotes and brackets).
*/
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_int.h"

/* Decodes one code point of valid UTF-8 at *p, advancing it. */
static uint32_t dec(const unsigned char **p) {
  const unsigned char *s = *p;
  uint32_t c = s[0];
  if (c < 0x80) { *p = s + 1; return c; }
  if (c < 0xE0) { *p = s + 2; return ((c & 0x1F) << 6) | (s[1] & 0x3F); }
  if (c < 0xF0) {
    *p = s + 3;
    return ((c & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
  }
  *p = s + 4;
  return ((c & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
         ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
}

/* The folding used for matching; see ingest_int.h. */
static uint32_t norm(uint32_t c) {
  switch (c) {
    case ',': return 0xFF0C;
    case ';': return 0xFF1B;
    case ':': return 0xFF1A;
    case '(': return 0xFF08;
    case ')': return 0xFF09;
    case '!': return 0xFF01;
    case '?': return 0xFF1F;
    case '\r': return '\n';
    case '\t': return ' ';
    case 0x3000: case 0xA0: return ' ';
    case 0xFF0E: return '.';
    case 0xFF5E: return '~';
    case 0x3014: return 0xFF08; /* 〔 */
    case 0x3015: return 0xFF09; /* 〕 */
    default: break;
  }
  if (c >= 0xFF10 && c <= 0xFF19) return c - 0xFF10 + '0';
  if ((c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A))
    return c - 0xFF21 + 'A';
  return c;
}

static int is_open(uint32_t c) {
  return c == 0x201C || c == 0x2018 || c == 0x300A || c == 0xFF08 ||
         c == 0x300C || c == 0x300E || c == 0x3010;
}
static int is_close(uint32_t c) {
  return c == 0x201D || c == 0x2019 || c == 0x300B || c == 0xFF09 ||
         c == 0x300D || c == 0x300F || c == 0x3011;
}
static int is_space(uint32_t c) { return c == ' ' || c == 0xFEFF; }
static int is_sent_end(uint32_t c) {
  return c == 0x3002 || c == 0xFF01 || c == 0xFF1F;
}
static int is_clause_delim(uint32_t c) {
  return c == 0xFF0C || c == 0xFF1B || c == 0xFF1A;
}

size_t ix_at(const struct idoc *d, size_t i, size_t lim, const char *lit) {
  const unsigned char *p = (const unsigned char *)lit;
  size_t k = 0;
  if (lim > d->n) lim = d->n;
  while (*p) {
    if (i + k >= lim) return 0;
    if (d->cp[i + k] != dec(&p)) return 0;
    k++;
  }
  return k;
}

size_t ix_find(const struct idoc *d, size_t from, size_t to, const char *lit) {
  const unsigned char *p = (const unsigned char *)lit;
  uint32_t c0;
  if (!*p) return NPOS;
  c0 = dec(&p);
  if (to > d->n) to = d->n;
  for (size_t i = from; i < to; i++)
    if (d->cp[i] == c0 && ix_at(d, i, to, lit)) return i;
  return NPOS;
}

size_t ix_at_any(const struct idoc *d, size_t i, size_t lim,
                 const char *const *lits) {
  for (; *lits; lits++) {
    size_t k = ix_at(d, i, lim, *lits);
    if (k) return k;
  }
  return 0;
}

int ix_ends(const struct idoc *d, size_t s, size_t e, const char *lit) {
  const unsigned char *p = (const unsigned char *)lit;
  size_t n = 0;
  while (*p) { dec(&p); n++; }
  if (n == 0 || e < s + n) return 0;
  return ix_at(d, e - n, e, lit) == n;
}

int ix_ends_any(const struct idoc *d, size_t s, size_t e,
                const char *const *lits) {
  for (; *lits; lits++)
    if (ix_ends(d, s, e, *lits)) return 1;
  return 0;
}

int ix_has(const struct idoc *d, size_t s, size_t e, const char *lit) {
  return ix_find(d, s, e, lit) != NPOS;
}

int ix_has_any(const struct idoc *d, size_t s, size_t e,
               const char *const *lits) {
  for (; *lits; lits++)
    if (ix_has(d, s, e, *lits)) return 1;
  return 0;
}

char *ix_dup(const struct idoc *d, size_t s, size_t e) {
  size_t bs, be;
  char *r;
  if (e > d->n) e = d->n;
  if (s > e) s = e;
  bs = d->boff[s];
  be = d->boff[e];
  r = malloc(be - bs + 1);
  if (!r) return NULL;
  memcpy(r, d->text + bs, be - bs);
  r[be - bs] = 0;
  return r;
}

static const uint32_t kNum[] = {0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94,
                                0x516D, 0x4E03, 0x516B, 0x4E5D}; /* 一..九 */

int ix_cjk_num_val(uint32_t c) {
  for (int k = 0; k < 9; k++)
    if (kNum[k] == c) return k + 1;
  if (c == 0x5341) return 10; /* 十 */
  if (c == 0x4E24) return 2;  /* 两 */
  return 0;
}
int ix_is_cjk_num(uint32_t c) { return ix_cjk_num_val(c) != 0; }

size_t ix_number(const struct idoc *d, size_t i, size_t lim, int *val) {
  size_t k = i;
  int v = 0;
  if (lim > d->n) lim = d->n;
  if (k < lim && d->cp[k] >= '0' && d->cp[k] <= '9') {
    while (k < lim && d->cp[k] >= '0' && d->cp[k] <= '9' && k - i < 9)
      v = v * 10 + (int)(d->cp[k++] - '0');
    *val = v;
    return k - i;
  }
  /* Chinese numerals: 一..九, 十, 十一, 二十, 二十三 */
  while (k < lim && k - i < 3 && ix_is_cjk_num(d->cp[k])) {
    int x = ix_cjk_num_val(d->cp[k]);
    if (x == 10) v = (v ? v : 1) * 10;
    else v += x;
    k++;
  }
  *val = v;
  return k - i;
}

size_t ix_enum_marker(const struct idoc *d, size_t i, size_t lim, int *kind,
                      int *ord) {
  size_t k, m;
  int v = 0;
  if (lim > d->n) lim = d->n;
  if (i >= lim) return 0;
  uint32_t c = d->cp[i];
  if (c >= 0x2460 && c <= 0x2473) { /* ①.. */
    *kind = 'C';
    *ord = (int)(c - 0x2460) + 1;
    return 1;
  }
  if (c == 0xFF08) { /* （一） or （1） */
    m = ix_number(d, i + 1, lim, &v);
    if (m && i + 1 + m < lim && d->cp[i + 1 + m] == 0xFF09 && v > 0) {
      *kind = 'P';
      *ord = v;
      return m + 2;
    }
    return 0;
  }
  if (c == 0x7B2C) { /* 第N，/第N、/第N是 */
    m = ix_number(d, i + 1, lim, &v);
    if (!m || v <= 0 || i + 1 + m >= lim) return 0;
    k = i + 1 + m;
    if (d->cp[k] == 0xFF0C || d->cp[k] == 0x3001) {
      *kind = 'F'; *ord = v; return k + 1 - i;
    }
    if (d->cp[k] == 0x662F || d->cp[k] == 0x8981) { /* 是 要 */
      *kind = 'F'; *ord = v; return k + 1 - i;
    }
    return 0;
  }
  if (c == 0x5176) { /* 其一，其二 */
    m = ix_number(d, i + 1, lim, &v);
    if (m == 1 && v > 0 && i + 2 < lim &&
        (d->cp[i + 2] == 0xFF0C || d->cp[i + 2] == 0x662F)) {
      *kind = 'Q'; *ord = v; return 3;
    }
    return 0;
  }
  if (c >= '0' && c <= '9') {
    m = ix_number(d, i, lim, &v);
    if (m > 2 || i + m + 1 >= lim) return 0;
    k = i + m;
    if ((d->cp[k] == '.' || d->cp[k] == 0x3001 || d->cp[k] == 0xFF09) &&
        !(d->cp[k + 1] >= '0' && d->cp[k + 1] <= '9')) {
      *kind = 'N'; *ord = v; return m + 1;
    }
    return 0;
  }
  if (ix_is_cjk_num(c)) {
    m = ix_number(d, i, lim, &v);
    if (!m || v <= 0 || i + m >= lim) return 0;
    k = i + m;
    if (d->cp[k] == 0x662F) { /* 是, 是要 */
      *kind = 'S'; *ord = v;
      return m + 1;
    }
    if (d->cp[k] == 0x8981) { /* 要 */
      *kind = 'Y'; *ord = v; return m + 1;
    }
    if (d->cp[k] == 0x3001) { /* 一、 */
      *kind = 'D'; *ord = v; return m + 1;
    }
    if (d->cp[k] == 0x6765 && k + 1 < lim && d->cp[k + 1] == 0xFF0C) { /* 一来， */
      *kind = 'L'; *ord = v; return m + 1;
    }
  }
  return 0;
}

static int grow(void **p, size_t *alloc, size_t need, size_t size) {
  if (need <= *alloc) return 0;
  size_t n = *alloc ? *alloc * 2 : 64;
  while (n < need) n *= 2;
  void *q = realloc(*p, n * size);
  if (!q) return -1;
  *p = q;
  *alloc = n;
  return 0;
}

/* Splits paragraphs into sentences and sentences into clauses. */
static int segment(struct idoc *d, struct err *e) {
  size_t ap = 0, as = 0, ac = 0;
  size_t i = 0;
  while (i < d->n) {
    size_t ps, pe;
    while (i < d->n && (d->cp[i] == '\n' || is_space(d->cp[i]))) i++;
    if (i >= d->n) break;
    ps = i;
    while (i < d->n && d->cp[i] != '\n') i++;
    pe = i;
    while (pe > ps && is_space(d->cp[pe - 1])) pe--;
    if (grow((void **)&d->paras, &ap, d->npara + 1, sizeof *d->paras)) goto oom;
    struct ipara *p = &d->paras[d->npara];
    p->s = ps; p->e = pe; p->s0 = d->nsent; p->ns = 0;
    /* sentences */
    size_t j = ps;
    while (j < pe) {
      size_t ss = j, se;
      int depth = 0;
      while (j < pe) {
        uint32_t c = d->cp[j];
        if (is_open(c)) depth++;
        else if (is_close(c) && depth > 0) depth--;
        if (is_sent_end(c)) {
          j++;
          while (j < pe && (is_close(d->cp[j]) || is_sent_end(d->cp[j]))) j++;
          break;
        }
        if (c == 0xFF1A && depth == 0) { /* ： before an enumeration */
          int kk, oo;
          size_t t = j + 1;
          while (t < pe && is_space(d->cp[t])) t++;
          if (ix_enum_marker(d, t, pe, &kk, &oo)) { j++; break; }
        }
        j++;
      }
      se = j;
      while (j < pe && is_space(d->cp[j])) j++;
      if (grow((void **)&d->sents, &as, d->nsent + 1, sizeof *d->sents))
        goto oom;
      struct isent *s = &d->sents[d->nsent];
      s->s = ss; s->e = se; s->c0 = d->ncl; s->nc = 0; s->para = d->npara;
      /* clauses */
      size_t k = ss, cs = ss;
      depth = 0;
      while (k <= se) {
        uint32_t c = k < se ? d->cp[k] : 0;
        int cut = 0;
        if (k == se) cut = 1;
        else if (is_open(c)) depth++;
        else if (is_close(c) && depth > 0) depth--;
        else if (depth == 0 && (is_clause_delim(c) || is_sent_end(c))) cut = 1;
        if (cut) {
          size_t ce = k;
          while (cs < ce && is_space(d->cp[cs])) cs++;
          if (ce > cs) {
            if (grow((void **)&d->cls, &ac, d->ncl + 1, sizeof *d->cls)) goto oom;
            d->cls[d->ncl].s = cs;
            d->cls[d->ncl].e = ce;
            d->cls[d->ncl].delim = c;
            d->ncl++;
            s->nc++;
          }
          cs = k + 1;
        }
        k++;
      }
      d->nsent++;
      p->ns++;
    }
    d->npara++;
  }
  return 0;
oom:
  return err_set(e, ERR_INTERNAL, "file", "out of memory while segmenting the text");
}

int idoc_init(struct idoc *d, const char *text, size_t len, struct err *e) {
  const unsigned char *p = (const unsigned char *)text, *end = p + len;
  size_t n = 0;
  memset(d, 0, sizeof *d);
  d->text = text;
  d->len = len;
  d->cp = malloc((len + 1) * sizeof *d->cp);
  d->boff = malloc((len + 1) * sizeof *d->boff);
  if (!d->cp || !d->boff) {
    idoc_release(d);
    return err_set(e, ERR_INTERNAL, "file", "out of memory reading the text");
  }
  while (p < end) {
    d->boff[n] = (size_t)(p - (const unsigned char *)text);
    d->cp[n++] = norm(dec(&p));
  }
  d->boff[n] = len;
  d->cp[n] = 0;
  d->n = n;
  if (segment(d, e)) {
    idoc_release(d);
    return -1;
  }
  return 0;
}

void idoc_release(struct idoc *d) {
  free(d->cp);
  free(d->boff);
  free(d->paras);
  free(d->sents);
  free(d->cls);
  memset(d, 0, sizeof *d);
}

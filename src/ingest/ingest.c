/*
** ingest.c — the entry points: decode, segment, extract metadata and tasks,
** suggest units; and the result's lifetime.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_int.h"
#include "util/text.h"

int strv_push(char ***v, size_t *n, char *s) {
  char **p = realloc(*v, (*n + 1) * sizeof *p);
  if (!p) {
    free(s);
    return -1;
  }
  p[*n] = s;
  *v = p;
  (*n)++;
  return 0;
}

int result_warn(struct ingest_result *r, const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (r->n_warnings >= 100) return 0;
  char *s = strdup(buf);
  if (!s) return -1;
  return strv_push(&r->warnings, &r->n_warnings, s);
}

static void strv_free(char **v, size_t n) {
  for (size_t i = 0; i < n; i++) free(v[i]);
  free(v);
}

void ingest_result_release(struct ingest_result *r) {
  if (!r) return;
  free(r->text);
  free(r->title);
  free(r->place);
  free(r->host);
  strv_free(r->attendees, r->n_attendees);
  strv_free(r->documents, r->n_documents);
  strv_free(r->warnings, r->n_warnings);
  for (size_t i = 0; i < r->n_tasks; i++) {
    free(r->tasks[i].source_text);
    free(r->tasks[i].title);
    free(r->tasks[i].unit);
    free(r->tasks[i].suggested_unit);
  }
  free(r->tasks);
  memset(r, 0, sizeof *r);
}

static size_t max_bytes(const struct ingest_options *o) {
  return o && o->max_bytes ? o->max_bytes : INGEST_DEFAULT_MAX_BYTES;
}

/* Runs the pipeline on r->text (already decoded, owned by r). */
static int run(const struct ingest_options *o, struct ingest_result *r,
               struct err *e) {
  struct idoc d;
  struct unit_matcher *m = NULL;
  struct dl_ctx dl;
  int rc = -1;
  if (idoc_init(&d, r->text, r->text_len, e)) return -1;
  r->text_chars = d.n;
  r->meeting_date = DATE_NONE;
  if (meta_extract(&d, o, r, e)) goto done;
  memset(&dl, 0, sizeof dl);
  dl.meeting = r->meeting_date;
  dl.o = o;
  dl.r = r;
  if (extract_tasks(&d, &dl, r, e)) goto done;
  if (unit_matcher_open(&m, o, e)) goto done;
  for (size_t i = 0; m && i < r->n_tasks; i++) {
    struct ingest_task *t = &r->tasks[i];
    int u = unit_suggest(m, t->unit, t->source_text, e);
    if (u == -2) goto done;
    if (u >= 0) {
      t->suggested_unit = strdup(o->units[u].name ? o->units[u].name : "");
      if (!t->suggested_unit) {
        err_set(e, ERR_INTERNAL, "file", "out of memory");
        goto done;
      }
      t->suggested_unit_id = o->units[u].id;
    }
  }
  if (r->n_tasks == 0)
    result_warn(r, "no directive found: the draft has no tasks");
  rc = 0;
done:
  unit_matcher_close(m);
  idoc_release(&d);
  return rc;
}

int ingest_text(const char *bytes, size_t n, const struct ingest_options *o,
                struct ingest_result *out, struct err *e) {
  memset(out, 0, sizeof *out);
  out->meeting_date = DATE_NONE;
  if (!bytes && n)
    return err_set(e, ERR_INVALID, "file", "no text given");
  if (read_decode(bytes ? bytes : "", n, max_bytes(o), &out->text,
                  &out->text_len, &out->encoding, e))
    return -1;
  if (run(o, out, e)) {
    ingest_result_release(out);
    out->meeting_date = DATE_NONE;
    return -1;
  }
  return 0;
}

int ingest_file(const char *path, const struct ingest_options *o,
                struct ingest_result *out, struct err *e) {
  struct buf b;
  const char *why = NULL;
  size_t max = max_bytes(o);
  size_t cap = max > ((size_t)-1) / 4 ? max : max * 4;
  int rc;
  memset(out, 0, sizeof *out);
  out->meeting_date = DATE_NONE;
  buf_init(&b, cap);
  if (buf_read_file(&b, path, &why)) {
    buf_release(&b);
    if (why && strcmp(why, "too large") == 0)
      return err_set(e, ERR_TOO_LARGE, "file",
                     "%s is larger than the limit of %zu bytes", path, max);
    return err_set(e, ERR_NOT_FOUND, "file", "cannot read %s: %s", path,
                   why ? why : "error");
  }
  if (b.len >= 4 && memcmp(b.data, "PK\x03\x04", 4) == 0) {
    buf_release(&b);
    if (read_docx(path, max, &out->text, &out->text_len, e)) return -1;
    if (!utf8_valid(out->text, out->text_len, NULL)) {
      ingest_result_release(out);
      return err_set(e, ERR_UNSUPPORTED, "file", "the .docx text is not UTF-8");
    }
    out->encoding = "docx";
    if (run(o, out, e)) {
      ingest_result_release(out);
      return -1;
    }
    return 0;
  }
  if (b.len > max) {
    buf_release(&b);
    return err_set(e, ERR_TOO_LARGE, "file",
                   "%s is larger than the limit of %zu bytes", path, max);
  }
  rc = ingest_text(b.data, b.len, o, out, e);
  buf_release(&b);
  return rc;
}

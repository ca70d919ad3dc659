/*
** ingest_app.c — the ingest use cases: preview a report against this
** institution's units and calendar, and commit a reviewed draft (the source
** and its draft tasks) in one transaction. The reading and extraction are in
** src/ingest; this file only connects them to the store.
*/
#include "app/app_int.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest/ingest.h"
#include "util/buf.h"

/* Units of the institution, in the form ingest wants ('|'-joined lists). */
struct unit_table {
  struct ingest_unit *units;
  char **strings;   /* everything allocated, freed together */
  size_t n, n_strings;
};

static void unit_table_free(struct unit_table *t) {
  for (size_t i = 0; i < t->n_strings; i++) free(t->strings[i]);
  free(t->strings);
  free(t->units);
  memset(t, 0, sizeof *t);
}

static char *keep(struct unit_table *t, char *s) {
  if (s) t->strings[t->n_strings++] = s;
  return s;
}

static char *join_json_list(const char *json_text) {
  json_t *arr = json_loads(json_text, 0, NULL), *v;
  struct buf b;
  size_t i;
  buf_init(&b, 0);
  json_array_foreach(arr, i, v) {
    if (!json_is_string(v)) continue;
    if (b.len) buf_putc(&b, '|');
    buf_puts(&b, json_string_value(v));
  }
  json_decref(arr);
  return buf_detach(&b, NULL);
}

static int load_units(struct app *app, struct unit_table *t, struct err *e) {
  struct db_stmt *st;
  int64_t n = 0;
  int rc;
  memset(t, 0, sizeof *t);
  st = db_prepare(app->db, "SELECT COUNT(*) FROM unit WHERE active = 1", e);
  if (!st) return -1;
  rc = db_step_int(st, &n, e);
  db_done(st);
  if (rc < 0) return -1;
  t->units = calloc((size_t)n + 1, sizeof *t->units);
  t->strings = calloc((size_t)n * 4 + 1, sizeof *t->strings);
  if (!t->units || !t->strings) {
    unit_table_free(t);
    return err_set(e, ERR_INTERNAL, "", "out of memory");
  }
  st = db_prepare(app->db,
                  "SELECT id, name, short_name, aliases, keywords FROM unit WHERE active = 1 ORDER BY id", e);
  if (!st) return -1;
  while ((rc = db_step(st, e)) == DB_ROW && t->n < (size_t)n) {
    struct ingest_unit *u = &t->units[t->n++];
    u->id = db_col_int(st, 0);
    u->name = keep(t, strdup(db_col_text(st, 1)));
    u->short_name = keep(t, strdup(db_col_text(st, 2)));
    u->aliases = keep(t, join_json_list(db_col_text(st, 3)));
    u->keywords = keep(t, join_json_list(db_col_text(st, 4)));
  }
  db_done(st);
  if (rc < 0) {
    unit_table_free(t);
    return -1;
  }
  return 0;
}

static int add_workdays(void *ctx, day_t from, int n, day_t *out, struct err *e) {
  return calendar_add_workdays(ctx, from, n, out, e);
}

static void options_for(struct app *app, const struct unit_table *t, day_t meeting,
                        struct ingest_options *o) {
  memset(o, 0, sizeof *o);
  o->meeting_date = meeting;
  o->units = t->units;
  o->n_units = t->n;
  o->add_workdays = add_workdays;
  o->workdays_ctx = app->cal;
}

int app_ingest_preview(struct app *app, const struct actor *who, json_t *in, json_t **out,
                       struct err *e) {
  const char *text = NULL, *b64 = NULL;
  day_t meeting = DATE_NONE;
  struct unit_table units;
  struct ingest_options o;
  struct ingest_result r;
  int rc = -1;
  *out = NULL;
  memset(&r, 0, sizeof r);
  if (!IS_SUP(who)) return err_set(e, ERR_FORBIDDEN, "", "only supervisors ingest meeting reports");
  if (json_in_allow(in, "text,docx_base64,meeting_date", e)) return -1;
  /* text is checked by ingest itself (encoding detection happens there). */
  if (json_is_string(json_object_get(in, "text"))) text = json_string_value(json_object_get(in, "text"));
  else if (json_object_get(in, "text")) return err_set(e, ERR_INVALID, "text", "text must be a string");
  if (json_in_str(in, "docx_base64", 0, 0, 0, &b64, e) < 0) return -1;
  if (json_in_date(in, "meeting_date", 0, &meeting, e) < 0) return -1;
  if (!text == !b64) return err_set(e, ERR_INVALID, "text", "give either text or docx_base64");
  if (load_units(app, &units, e)) return -1;
  options_for(app, &units, meeting, &o);
  if (text) {
    rc = ingest_text(text, strlen(text), &o, &r, e);
  } else {
    size_t len = strlen(b64), bin_len = 0;
    unsigned char *bin = malloc(len / 4 * 3 + 4);
    char path[] = "/tmp/duban-ingest-XXXXXX";
    int fd = -1;
    if (!bin) {
      err_set(e, ERR_INTERNAL, "", "out of memory");
      goto done;
    }
    if (sodium_base642bin(bin, len / 4 * 3 + 4, b64, len, " \r\n", &bin_len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0) {
      free(bin);
      err_set(e, ERR_INVALID, "docx_base64", "docx_base64 is not valid base64");
      goto done;
    }
    /* ingest reads .docx from a file (libzip); a private temporary one. */
    fd = mkstemp(path);
    if (fd < 0 || write(fd, bin, bin_len) != (ssize_t)bin_len) {
      if (fd >= 0) close(fd);
      unlink(path);
      free(bin);
      err_set(e, ERR_INTERNAL, "", "could not stage the upload");
      goto done;
    }
    close(fd);
    free(bin);
    rc = ingest_file(path, &o, &r, e);
    unlink(path);
  }
  if (rc == 0) {
    *out = ingest_result_json(&r);
    if (!*out) rc = err_set(e, ERR_INTERNAL, "", "out of memory");
    else json_object_set_new(*out, "text", json_string(r.text));
  }
done:
  ingest_result_release(&r);
  unit_table_free(&units);
  return rc;
}

int app_ingest_commit(struct app *app, const struct actor *who, json_t *in, json_t **out,
                      struct err *e) {
  json_t *src_in, *tasks, *src = NULL, *ids = NULL, *t, *created = NULL;
  int64_t source_id;
  size_t i;
  *out = NULL;
  if (!IS_SUP(who)) return err_set(e, ERR_FORBIDDEN, "", "only supervisors commit drafts");
  if (json_in_allow(in, "source,tasks", e)) return -1;
  src_in = json_object_get(in, "source");
  if (!json_is_object(src_in)) return err_set(e, ERR_INVALID, "source", "source must be an object");
  if (json_in_array(in, "tasks", 1, &tasks, e)) return -1;
  if (app_tx_begin(app, e)) return -1;
  if (!json_object_get(src_in, "kind")) {
    src_in = json_deep_copy(src_in);
    json_object_set_new(src_in, "kind", json_string("meeting"));
  } else {
    json_incref(src_in);
  }
  if (app_source_add(app, who, src_in, &src, e)) {
    err_prefix_field(e, "source");
    json_decref(src_in);
    goto fail;
  }
  json_decref(src_in);
  source_id = json_integer_value(json_object_get(src, "id"));
  ids = json_array();
  json_array_foreach(tasks, i, t) {
    char field[32];
    json_t *ti;
    snprintf(field, sizeof field, "tasks[%zu]", i);
    if (!json_is_object(t)) {
      err_set(e, ERR_INVALID, field, "%s must be an object", field);
      goto fail;
    }
    ti = json_deep_copy(t);
    json_object_set_new(ti, "source_id", json_integer(source_id));
    if (app_task_create(app, who, ti, &created, e)) {
      json_decref(ti);
      err_prefix_field(e, field);
      goto fail;
    }
    json_decref(ti);
    json_array_append_new(ids, json_incref(json_object_get(created, "id")));
    json_decref(created);
    created = NULL;
  }
  if (app_tx_commit(app, e)) goto fail_nort;
  *out = json_pack("{s:I,s:o}", "source_id", (json_int_t)source_id, "task_ids", ids);
  json_decref(src);
  return 0;
fail:
  app_tx_rollback(app);
fail_nort:
  json_decref(src);
  json_decref(ids);
  return -1;
}

/* `duban ingest --commit`: the draft as extracted, with suggested units as
** lead units. A deadline already past (an old report) is kept in the remark
** rather than refused, so the reviewer sees it and sets a new one. */
int ingest_commit_hook(const struct ingest_result *r, const char *db_path, struct err *e) {
  struct app app;
  struct actor sys = actor_system();
  json_t *in, *tasks, *out = NULL, *docs;
  char ds[11];
  day_t today;
  int rc;
  if (app_open(&app, db_path, APP_OPEN_EXISTING, NULL, e)) return -1;
  today = date_today();
  docs = json_array();
  for (size_t i = 0; i < r->n_documents; i++) json_array_append_new(docs, json_string(r->documents[i]));
  in = json_pack("{s:{s:s,s:s,s:s?,s:s?,s:o,s:s},s:[]}", "source", "kind", "meeting", "title",
                 r->title ? r->title : "会议", "place", r->place, "host", r->host, "documents",
                 docs, "original_text", r->text, "tasks");
  if (r->meeting_date != DATE_NONE)
    json_object_set_new(json_object_get(in, "source"), "date",
                        json_string(date_format(r->meeting_date, ds)));
  tasks = json_object_get(in, "tasks");
  for (size_t i = 0; i < r->n_tasks; i++) {
    const struct ingest_task *t = &r->tasks[i];
    json_t *ti = json_pack("{s:s,s:s,s:I,s:I}", "title", t->title, "source_text", t->source_text,
                           "source_start", (json_int_t)t->start, "source_end", (json_int_t)t->end);
    char remark[480] = "";
    if (t->suggested_unit_id) json_object_set_new(ti, "lead_unit_id", json_integer(t->suggested_unit_id));
    if (t->deadline != DATE_NONE && t->deadline >= today)
      json_object_set_new(ti, "deadline", json_string(date_format(t->deadline, ds)));
    else if (t->deadline != DATE_NONE)
      snprintf(remark, sizeof remark, "原文期限 %s 已过，请重新确定", date_format(t->deadline, ds));
    if (t->unit) {
      size_t used = strlen(remark);
      snprintf(remark + used, sizeof remark - used, "%s原文责任主体：%s", used ? "；" : "", t->unit);
    }
    if (remark[0]) json_object_set_new(ti, "remark", json_string(remark));
    json_array_append_new(tasks, ti);
  }
  rc = app_ingest_commit(&app, &sys, in, &out, e);
  if (rc == 0)
    printf("stored source %lld with %zu draft task(s) in %s\n",
           (long long)json_integer_value(json_object_get(out, "source_id")),
           json_array_size(json_object_get(out, "task_ids")), db_path);
  json_decref(in);
  json_decref(out);
  app_close(&app);
  return rc;
}

int ingest_file_with_db(const char *path, const char *db_path, const struct ingest_options *base,
                        struct ingest_result *out, struct err *e) {
  struct app app;
  struct unit_table units;
  struct ingest_options o;
  int rc;
  if (!db_path) return ingest_file(path, base, out, e);
  if (app_open(&app, db_path, APP_OPEN_EXISTING, NULL, e)) return -1;
  if (load_units(&app, &units, e)) {
    app_close(&app);
    return -1;
  }
  options_for(&app, &units, base ? base->meeting_date : DATE_NONE, &o);
  if (base) o.max_bytes = base->max_bytes;
  rc = ingest_file(path, &o, out, e);
  unit_table_free(&units);
  app_close(&app);
  return rc;
}

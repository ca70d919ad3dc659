/* sources.c — task sources (任务来源): meetings, documents, instructions … */
#include "app/app_int.h"

#include <stdlib.h>
#include <string.h>

static const char *const kSourceKinds[] = {"meeting", "document", "instruction", "plan",
                                           "rectification", "request", NULL};

#define SOURCE_COLS \
  "id, kind, title, ref_no, date, place, host, attendees, documents, created_at, version"

static const struct col_spec kSourceCols[] = {
    COL("id", C_INT),
    COL("kind", C_STR),
    COL("title", C_STR),
    COL("ref_no", C_STR),
    COL("date", C_STR_OR_NULL),
    COL("place", C_STR),
    COL("host", C_STR),
    COL("attendees", C_STR),
    COL("documents", C_JSON),
    COL("created_at", C_TIME),
    COL("version", C_INT),
    COL_END};
static json_t *source_render(struct db_stmt *st) { return render_row(st, kSourceCols); }

static json_t *source_row(struct app *app, int64_t id, int with_text, struct err *e) {
  struct db_stmt *st = db_prepare(app->db,
                                  "SELECT " SOURCE_COLS ", original_text FROM source WHERE id = ?", e);
  json_t *o = NULL;
  int rc;
  if (!st) return NULL;
  db_bind_int(st, 1, id);
  rc = db_step(st, e);
  if (rc == DB_ROW) {
    o = source_render(st);
    if (with_text) jset_str(o, "original_text", st, 11);
  }
  db_done(st);
  if (rc == DB_DONE) err_set(e, ERR_NOT_FOUND, "source_id", "no source with id %lld", (long long)id);
  return o;
}

int app_source_add(struct app *app, const struct actor *who, json_t *in, json_t **out,
                   struct err *e) {
  const char *kind = "meeting", *title, *ref = "", *place = "", *host = "", *att = "",
             *text = "";
  char *docs = NULL, ds[11] = "";
  day_t date;
  int64_t id = 0;
  struct db_stmt *st;
  int rc, ok = 0;
  *out = NULL;
  if (!IS_SUP(who)) return err_set(e, ERR_FORBIDDEN, "", "only supervisors may add sources");
  if (json_in_allow(in, "kind,title,ref_no,date,place,host,attendees,documents,original_text", e))
    return -1;
  if (json_in_str(in, "kind", 0, 20, 0, &kind, e) < 0) return -1;
  for (int i = 0; kSourceKinds[i]; i++) ok |= !strcmp(kind, kSourceKinds[i]);
  if (!ok)
    return err_set(e, ERR_INVALID, "kind",
                   "kind must be one of meeting, document, instruction, plan, rectification, request");
  if (json_in_str(in, "title", 1, 200, 0, &title, e)) return -1;
  if (json_in_str(in, "ref_no", 0, 60, 0, &ref, e) < 0) return -1;
  rc = json_in_date(in, "date", 0, &date, e);
  if (rc < 0) return -1;
  if (rc == 0) date_format(date, ds);
  if (json_in_str(in, "place", 0, 100, 0, &place, e) < 0) return -1;
  if (json_in_str(in, "host", 0, 100, 0, &host, e) < 0) return -1;
  if (json_in_str(in, "attendees", 0, 2000, 1, &att, e) < 0) return -1;
  if (json_in_str(in, "original_text", 0, 0, 1, &text, e) < 0) return -1;
  if (json_in_str_list(in, "documents", 300, &docs, e) < 0) return -1;
  if (app_tx_begin(app, e)) goto done;
  st = db_prepare(app->db,
                  "INSERT INTO source (kind, title, ref_no, date, place, host, attendees, documents,"
                  " original_text, created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                  e);
  if (!st) goto fail;
  db_bind_text(st, 1, kind);
  db_bind_text(st, 2, title);
  db_bind_text(st, 3, ref);
  db_bind_text(st, 4, ds[0] ? ds : NULL);
  db_bind_text(st, 5, place);
  db_bind_text(st, 6, host);
  db_bind_text(st, 7, att);
  db_bind_text(st, 8, docs ? docs : "[]");
  db_bind_text(st, 9, text);
  db_bind_int(st, 10, who->user_id);
  db_bind_int(st, 11, now_unix());
  rc = db_step_int(st, &id, e);
  db_done(st);
  if (rc != DB_ROW) goto fail;
  *out = source_row(app, id, 0, e);
  if (!*out) goto fail;
  if (journal_append(app->db, who->user_id, "source", id, "create", NULL, *out, e) < 0) goto fail;
  if (app_tx_commit(app, e)) goto fail_nort;
  free(docs);
  return 0;
fail:
  app_tx_rollback(app);
fail_nort:
  json_decref(*out);
  *out = NULL;
done:
  free(docs);
  return -1;
}

int app_source_get(struct app *app, const struct actor *who, int64_t id, json_t **out,
                   struct err *e) {
  if (!SEES_ALL(who))
    return err_set(e, ERR_NOT_FOUND, "source_id", "no source with id %lld", (long long)id);
  *out = source_row(app, id, 1, e);
  return *out ? 0 : -1;
}

int app_source_list(struct app *app, const struct actor *who, json_t **out, struct err *e) {
  struct db_stmt *st;
  json_t *items;
  int rc;
  if (!SEES_ALL(who) && !(who->roles & ROLE_UNIT))
    return err_set(e, ERR_FORBIDDEN, "", "your role may not list sources");
  st = db_prepare(app->db, "SELECT " SOURCE_COLS " FROM source ORDER BY id DESC", e);
  if (!st) return -1;
  items = json_array();
  while ((rc = db_step(st, e)) == DB_ROW) json_array_append_new(items, source_render(st));
  db_done(st);
  if (rc < 0) {
    json_decref(items);
    return -1;
  }
  *out = json_pack("{s:o}", "items", items);
  return 0;
}

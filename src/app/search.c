/*
** search.c — the search use case and the index calls of the write paths;
** see search.h. The index itself is store/search_index.c.
**
** Query plans (newest document first, keyset pages by document id):
**   2 characters   search_gram (gram, doc_id) primary key, read backwards;
**   3+ characters  SQLite: FTS5 trigram phrase query ORDER BY rowid DESC;
**                  PostgreSQL: text ILIKE '%q%' on the pg_trgm GIN index, the
**                  page of documents taken before the join to task (else
**                  every match is joined before the sort: 60 ms → 9 ms).
** Either way the match is a substring match, ASCII case folded.
*/
#include "app/search.h"

#include <stdlib.h>
#include <string.h>

#include "app/app_int.h"
#include "store/search_index.h"
#include "util/buf.h"
#include "util/text.h"

#define Q_MAX_CHARS 100

int app_search_index(struct app *app, const char *kind, int64_t id, const char *text,
                     struct err *e) {
  if (app_tx_begin(app, e)) return -1;
  if (search_doc_put(app->db, kind, id, text, e)) {
    app_tx_rollback(app);
    return -1;
  }
  return app_tx_commit(app, e);
}

/* Byte length of the UTF-8 sequence at s. */
static size_t cp_len(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) return 2;
  if ((c & 0xF0) == 0xE0) return 3;
  if ((c & 0xF8) == 0xF0) return 4;
  return 1;
}

/* A few characters of text around the first match of q (folded). */
static json_t *snippet(const char *text, const char *fq) {
  size_t n = strlen(text), at = 0, start, end, i;
  char *ft = malloc(n + 1);
  const char *hit;
  struct buf b;
  json_t *out;
  int k;
  if (!ft) return json_string("");
  search_fold(text, ft, n + 1);
  hit = strstr(ft, fq);
  if (hit) at = (size_t)(hit - ft);
  free(ft);
  /* Back up to 12 code points before the match. */
  start = at;
  for (k = 0; k < 12 && start > 0; k++) {
    do start--; while (start > 0 && ((unsigned char)text[start] & 0xC0) == 0x80);
  }
  /* Forward: the match and up to 30 more code points. */
  end = at + (hit ? strlen(fq) : 0);
  for (k = 0; k < 30 && end < n; k++) end += cp_len((unsigned char)text[end]);
  if (end > n) end = n;
  buf_init(&b, 0);
  if (start > 0) buf_puts(&b, "…");
  for (i = start; i < end; i++) {
    char c = text[i];
    buf_append(&b, (unsigned char)c < 0x20 ? " " : &c, 1);
  }
  if (end < n) buf_puts(&b, "…");
  out = json_string(b.failed ? "" : b.data);
  buf_release(&b);
  return out ? out : json_string("");
}

int app_search(struct app *app, const struct actor *who, json_t *query, json_t **out,
               struct err *e) {
  const char *q_in = NULL, *kind = NULL, *cursor = NULL;
  int64_t limit = 25, after = 0;
  char q[4 * Q_MAX_CHARS + 8], fq[sizeof q], arg[2 * sizeof q + 8];
  size_t len, chars;
  int mode, rc, n = 0, bind_i = 1;
  int64_t last = 0;
  struct buf sql;
  struct db_stmt *st;
  json_t *items = NULL;

  *out = NULL;
  if (json_in_allow(query, "q,kind,limit,cursor", e)) return -1;
  if (json_in_str(query, "q", 0, Q_MAX_CHARS, 0, &q_in, e) < 0) return -1;
  if (json_in_str(query, "kind", 0, 20, 0, &kind, e) < 0) return -1;
  if (kind && !search_kind_known(kind))
    return err_set(e, ERR_INVALID, "kind", "kind must be one of: %s", search_kind_list());
  if (json_in_int(query, "limit", 0, 1, 100, &limit, e) < 0) return -1;
  if (json_in_str(query, "cursor", 0, 30, 0, &cursor, e) < 0) return -1;
  if (cursor && *cursor) {
    char *end;
    after = strtoll(cursor, &end, 10);
    if (*end || after <= 0)
      return err_set(e, ERR_INVALID, "cursor", "the cursor is not one this server gave out");
  }
  /* Trim ASCII white space; the rest is matched as given. */
  if (!q_in) q_in = "";
  while (*q_in == ' ' || *q_in == '\t') q_in++;
  len = strlen(q_in);
  while (len > 0 && (q_in[len - 1] == ' ' || q_in[len - 1] == '\t')) len--;
  if (len >= sizeof q) len = sizeof q - 1;
  memcpy(q, q_in, len);
  q[len] = 0;
  chars = utf8_chars(q);
  if (chars < 2)
    return err_set(e, ERR_INVALID, "q", "give at least 2 characters to search for");
  if (!SEES_ALL(who) && !(who->roles & ROLE_UNIT))
    return err_set(e, ERR_FORBIDDEN, "", "your role may not search tasks");
  search_fold(q, fq, sizeof fq);

  /* mode 0: grams; 1: SQLite FTS5; 2: PostgreSQL pg_trgm. */
  mode = chars == 2 ? 0 : db_kind(app->db) == DB_SQLITE ? 1 : 2;
  buf_init(&sql, 0);
  buf_puts(&sql, "SELECT d.id, d.kind, d.ref_id, d.task_id, t.code, t.title, d.text");
  if (mode == 2) /* the first page of documents first, then their tasks */
    buf_puts(&sql, " FROM (SELECT d.id, d.kind, d.ref_id, d.task_id, d.text");
  if (mode == 0) {
    buf_puts(&sql, " FROM search_gram g JOIN search_doc d ON d.id = g.doc_id"
                   " JOIN task t ON t.id = d.task_id WHERE g.gram = ?");
    snprintf(arg, sizeof arg, "%s", fq);
  } else if (mode == 1) {
    /* A phrase: the text in double quotes, inner quotes doubled. */
    char *w = arg;
    buf_puts(&sql, " FROM search_fts f JOIN search_doc d ON d.id = f.rowid"
                   " JOIN task t ON t.id = d.task_id WHERE search_fts MATCH ?");
    *w++ = '"';
    for (const char *p = q; *p; p++) {
      if (*p == '"') *w++ = '"';
      *w++ = *p;
    }
    *w++ = '"';
    *w = 0;
  } else {
    /* ILIKE pattern: % _ \ escaped with the default escape, backslash. */
    char *w = arg;
    buf_puts(&sql, " FROM search_doc d WHERE d.text ILIKE ?");
    *w++ = '%';
    for (const char *p = q; *p; p++) {
      if (*p == '%' || *p == '_' || *p == '\\') *w++ = '\\';
      *w++ = *p;
    }
    *w++ = '%';
    *w = 0;
  }
  if (kind) buf_puts(&sql, " AND d.kind = ?");
  if (!SEES_ALL(who))
    buf_puts(&sql, " AND EXISTS (SELECT 1 FROM assignment va WHERE va.task_id = d.task_id"
                   " AND va.unit_id = ?)");
  if (after) buf_puts(&sql, mode == 0 ? " AND g.doc_id < ?" : mode == 1 ? " AND f.rowid < ?" : " AND d.id < ?");
  buf_puts(&sql, mode == 0 ? " ORDER BY g.doc_id DESC" : mode == 1 ? " ORDER BY f.rowid DESC" : " ORDER BY d.id DESC");
  buf_puts(&sql, " LIMIT ?");
  if (mode == 2) buf_puts(&sql, ") d JOIN task t ON t.id = d.task_id ORDER BY d.id DESC");
  if (sql.failed) {
    buf_release(&sql);
    return err_set(e, ERR_INTERNAL, "", "out of memory");
  }
  st = db_prepare_text(app->db, sql.data, e);
  buf_release(&sql);
  if (!st) return -1;
  db_bind_text(st, bind_i++, arg);
  if (kind) db_bind_text(st, bind_i++, kind);
  if (!SEES_ALL(who)) db_bind_int(st, bind_i++, who->unit_id);
  if (after) db_bind_int(st, bind_i++, after);
  db_bind_int(st, bind_i++, limit + 1);
  items = json_array();
  while ((rc = db_step(st, e)) == DB_ROW) {
    json_t *it;
    if (n == limit) break;
    it = json_object();
    jset_str(it, "kind", st, 1);
    jset_int(it, "id", st, 2);
    jset_int(it, "task_id", st, 3);
    jset_str(it, "code", st, 4);
    jset_str(it, "title", st, 5);
    json_object_set_new(it, "snippet", snippet(db_col_text(st, 6), fq));
    json_array_append_new(items, it);
    last = db_col_int(st, 0);
    n++;
  }
  db_done(st);
  if (rc < 0) {
    json_decref(items);
    return -1;
  }
  *out = json_object();
  json_object_set_new(*out, "items", items);
  if (rc == DB_ROW) {
    char next[32];
    snprintf(next, sizeof next, "%lld", (long long)last);
    json_object_set_new(*out, "next_cursor", json_string(next));
  } else {
    json_object_set_new(*out, "next_cursor", json_null());
  }
  return 0;
}

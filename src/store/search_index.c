/*
** search_index.c — search documents and their 2-character grams; see
** search_index.h.
*/
#include "store/search_index.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/jw.h"

/* One searchable kind: how to read its text, and which rows lack a document. */
struct search_kind {
  const char *name;
  const char *load;     /* ? = ref_id → task_id, text, text (second may be '') */
  const char *missing;  /* ids of rows with no document, for backfill */
};

static const struct search_kind kKinds[] = {
  {"task", "SELECT id, title, requirement FROM task WHERE id = ?",
   "SELECT t.id FROM task t WHERE NOT EXISTS (SELECT 1 FROM search_doc d"
   " WHERE d.kind = 'task' AND d.ref_id = t.id) ORDER BY t.id"},
  {"progress", "SELECT task_id, text, '' FROM progress_report WHERE id = ?",
   "SELECT p.id FROM progress_report p WHERE NOT EXISTS (SELECT 1 FROM search_doc d"
   " WHERE d.kind = 'progress' AND d.ref_id = p.id) ORDER BY p.id"},
  /* A new kind (e.g. requests, 诉求) goes here. */
};
#define N_KINDS ((int)(sizeof kKinds / sizeof kKinds[0]))

static const struct search_kind *kind_find(const char *name) {
  for (int i = 0; i < N_KINDS; i++)
    if (!strcmp(kKinds[i].name, name)) return &kKinds[i];
  return NULL;
}

int search_kind_known(const char *kind) { return kind && kind_find(kind) != NULL; }

const char *search_kind_list(void) { return "task, progress"; }

void search_fold(const char *s, char *out, size_t cap) {
  size_t i = 0;
  if (!cap) return;
  for (; s[i] && i + 1 < cap; i++) {
    char c = s[i];
    out[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
  }
  out[i] = 0;
}

/* Length of the UTF-8 sequence starting with byte c (1 for invalid bytes). */
static size_t seq_len(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) return 2;
  if ((c & 0xF0) == 0xE0) return 3;
  if ((c & 0xF8) == 0xF0) return 4;
  return 1;
}

static int gram_cmp(const void *a, const void *b) { return strcmp(a, b); }

long search_grams(const char *text, char (**out)[SEARCH_GRAM_BYTES]) {
  size_t n = strlen(text), cap = 0, count = 0, i = 0;
  char (*g)[SEARCH_GRAM_BYTES] = NULL;
  *out = NULL;
  while (i < n) {
    size_t a = seq_len((unsigned char)text[i]), b;
    if (i + a > n) break;
    if (i + a >= n) break;
    b = seq_len((unsigned char)text[i + a]);
    if (i + a + b > n) break;
    /* Control characters (the newline between title and requirement) never
    ** occur in a query: no gram for them. */
    if ((unsigned char)text[i] >= 0x20 && (unsigned char)text[i + a] >= 0x20) {
      if (count == cap) {
        size_t nc = cap ? cap * 2 : 32;
        void *p = realloc(g, nc * sizeof *g);
        if (!p) {
          free(g);
          return -1;
        }
        g = p;
        cap = nc;
      }
      memcpy(g[count], text + i, a + b);
      g[count][a + b] = 0;
      search_fold(g[count], g[count], SEARCH_GRAM_BYTES);
      count++;
    }
    i += a;
  }
  if (count > 1) {
    size_t w = 1;
    qsort(g, count, sizeof *g, gram_cmp);
    for (size_t r = 1; r < count; r++)
      if (strcmp(g[r], g[w - 1])) memcpy(g[w++], g[r], SEARCH_GRAM_BYTES);
    count = w;
  }
  *out = g;
  return (long)count;
}

/* Inserts the n grams of doc, up to 64 rows a statement: a report's text
** has a dozen or more, and one statement per gram cost more than the rows.
** Four statement sizes, each a constant prepared once per connection. */
#define GRAM_ROW "(?, ?)"
#define GRAM_ROWS4 GRAM_ROW ", " GRAM_ROW ", " GRAM_ROW ", " GRAM_ROW
#define GRAM_ROWS16 GRAM_ROWS4 ", " GRAM_ROWS4 ", " GRAM_ROWS4 ", " GRAM_ROWS4
#define GRAM_ROWS64 GRAM_ROWS16 ", " GRAM_ROWS16 ", " GRAM_ROWS16 ", " GRAM_ROWS16
#define GRAM_INSERT "INSERT INTO search_gram (gram, doc_id) VALUES "
static int put_grams(struct db *db, int64_t doc, const char (*grams)[SEARCH_GRAM_BYTES], long n,
                     struct err *e) {
  static const struct {
    long rows;
    const char *sql;
  } kSizes[] = {{64, GRAM_INSERT GRAM_ROWS64},
                {16, GRAM_INSERT GRAM_ROWS16},
                {4, GRAM_INSERT GRAM_ROWS4},
                {1, GRAM_INSERT GRAM_ROW}};
  long i = 0;
  while (i < n) {
    int k = 0;
    struct db_stmt *st;
    while (kSizes[k].rows > n - i) k++;
    if (!(st = db_prepare(db, kSizes[k].sql, e))) return -1;
    for (long j = 0; j < kSizes[k].rows; j++) {
      db_bind_text(st, (int)(2 * j + 1), grams[i + j]);
      db_bind_int(st, (int)(2 * j + 2), doc);
    }
    if (db_run(st, e)) return -1;
    i += kSizes[k].rows;
  }
  return 0;
}

static int drop_grams(struct db *db, int64_t doc, struct err *e) {
  struct db_stmt *st = db_prepare(db, "DELETE FROM search_gram WHERE doc_id = ?", e);
  if (!st) return -1;
  db_bind_int(st, 1, doc);
  return db_run(st, e);
}

/* ---- the FTS5 index (SQLite), kept at commit ----
**
** FTS5 writes its pending terms to disk at every savepoint, and every
** statement that writes an FTS5 table inside a transaction opens one; the
** group commit also gives each request its own savepoint. Kept by triggers on
** search_doc, the index therefore grew by a segment per write, and its
** merging took a third, then half, of the writer thread as the ledger grew
** (docs/performance.md, S3). So search_doc_put only notes which documents
** changed and the text the index holds for them; just before COMMIT two
** statements bring the index in step: remove the old texts, add the current
** ones. A savepoint rolled back needs nothing: "remove what the index holds,
** add what the table holds" is right whatever happened in between, as long
** as the first note of a document (what the index held when the transaction
** began) is the one used. A rollback of the transaction drops the notes. */
struct fts_note {
  int64_t doc;
  size_t seq;          /* order of noting: the first note of a doc wins */
  char *old;           /* text the index holds; NULL: not indexed */
};
struct fts_pending {
  struct fts_note *a;
  size_t n, cap;
};

static void fts_discard(struct db *db, void *arg) {
  struct fts_pending *p = arg;
  (void)db;
  for (size_t i = 0; i < p->n; i++) free(p->a[i].old);
  p->n = 0;
}

static void fts_release(void *arg) {
  struct fts_pending *p = arg;
  fts_discard(NULL, p);
  free(p->a);
  free(p);
}

static int note_cmp(const void *x, const void *y) {
  const struct fts_note *a = x, *b = y;
  if (a->doc != b->doc) return a->doc < b->doc ? -1 : 1;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Runs sql, whose one placeholder takes the JSON text json. */
static int exec_with_json(struct db *db, const char *sql, const char *json, struct err *e) {
  struct db_stmt *st = db_prepare(db, sql, e);
  if (!st) return -1;
  db_bind_text(st, 1, json);
  return db_run(st, e);
}

static int fts_flush(struct db *db, void *arg, struct err *e) {
  struct fts_pending *p = arg;
  struct buf olds, ids;
  struct jw wo, wi;
  int rc = 0, any_old = 0;
  if (!p->n) return 0;
  qsort(p->a, p->n, sizeof *p->a, note_cmp);
  buf_init(&olds, 0);
  buf_init(&ids, 0);
  jw_init(&wo, &olds);
  jw_init(&wi, &ids);
  jw_arr(&wo);
  jw_arr(&wi);
  for (size_t i = 0; i < p->n; i++) {
    if (i && p->a[i].doc == p->a[i - 1].doc) continue;
    jw_int(&wi, p->a[i].doc);
    if (p->a[i].old) {
      jw_arr(&wo);
      jw_int(&wo, p->a[i].doc);
      jw_str(&wo, p->a[i].old);
      jw_end(&wo);
      any_old = 1;
    }
  }
  jw_end(&wo);
  jw_end(&wi);
  if (olds.failed || ids.failed) {
    rc = err_set(e, ERR_INTERNAL, "", "out of memory");
    goto done;
  }
  /* One statement each, so FTS5 flushes once per transaction. */
  if (any_old &&
      (rc = exec_with_json(db,
                           "INSERT INTO search_fts (search_fts, rowid, text) SELECT 'delete',"
                           " json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?)",
                           olds.data, e)) != 0)
    goto done;
  rc = exec_with_json(db,
                      "INSERT INTO search_fts (rowid, text) SELECT d.id, d.text FROM json_each(?) j"
                      " JOIN search_doc d ON d.id = j.value",
                      ids.data, e);
done:
  buf_release(&olds);
  buf_release(&ids);
  fts_discard(db, p);
  return rc;
}

static const struct db_commit_work kFtsWork = {fts_flush, fts_discard, fts_release};

/* Notes that doc changed; old: the text the index holds for it (NULL for a
** new document). Outside a transaction the index is brought in step now. */
static int fts_note(struct db *db, int64_t doc, const char *old, struct err *e) {
  struct fts_pending *p;
  if (db_kind(db) != DB_SQLITE) return 0;   /* PostgreSQL: pg_trgm on search_doc itself */
  if (!(p = db_commit_work_arg(db, &kFtsWork))) {
    if (!(p = calloc(1, sizeof *p))) return err_set(e, ERR_INTERNAL, "", "out of memory");
    if (db_add_commit_work(db, &kFtsWork, p, e)) {
      free(p);
      return -1;
    }
  }
  if (p->n == p->cap) {
    size_t nc = p->cap ? p->cap * 2 : 64;
    void *q = realloc(p->a, nc * sizeof *p->a);
    if (!q) return err_set(e, ERR_INTERNAL, "", "out of memory");
    p->a = q;
    p->cap = nc;
  }
  p->a[p->n].doc = doc;
  p->a[p->n].seq = p->n;
  p->a[p->n].old = NULL;
  if (old && !(p->a[p->n].old = strdup(old))) return err_set(e, ERR_INTERNAL, "", "out of memory");
  p->n++;
  return db_in_transaction(db) ? 0 : fts_flush(db, p, e);
}

/* Inserts the document of (kind, ref_id): DB_ROW with *doc its id, DB_DONE
** when it has one already (nothing written), -1. */
static int insert_doc(struct db *db, const char *kind, int64_t ref_id, int64_t task_id,
                      const char *text, int64_t *doc, struct err *e) {
  struct db_stmt *st = db_prepare(db,
                                  "INSERT INTO search_doc (kind, ref_id, task_id, text) VALUES (?, ?, ?, ?)"
                                  " ON CONFLICT (kind, ref_id) DO NOTHING RETURNING id",
                                  e);
  int rc;
  if (!st) return -1;
  db_bind_text(st, 1, kind);
  db_bind_int(st, 2, ref_id);
  db_bind_int(st, 3, task_id);
  db_bind_text(st, 4, text);
  rc = db_step_int(st, doc, e);
  db_done(st);
  return rc;
}

/* Writes the grams of doc's text (none of them there yet). */
static int index_grams(struct db *db, int64_t doc, const char *text, struct err *e) {
  char (*grams)[SEARCH_GRAM_BYTES] = NULL;
  long ng = search_grams(text, &grams);
  int rc;
  if (ng < 0) return err_set(e, ERR_INTERNAL, "", "out of memory");
  rc = put_grams(db, doc, (const char(*)[SEARCH_GRAM_BYTES])grams, ng, e);
  free(grams);
  return rc;
}

/* Brings both indexes in step with doc's new text; old: the text FTS5 holds
** for it (NULL: none). Its old grams must be gone already. */
static int index_doc(struct db *db, int64_t doc, const char *old, const char *text, struct err *e) {
  if (fts_note(db, doc, old, e)) return -1;
  return index_grams(db, doc, text, e);
}

int search_doc_put(struct db *db, const char *kind, int64_t ref_id, const char *text,
                   struct err *e) {
  const struct search_kind *k = kind_find(kind);
  struct db_stmt *st;
  struct buf t;
  int64_t task_id = 0, doc = 0;
  int rc, exists = 0, same = 0, found = 0;
  char *old = NULL;   /* the document's text before this change */

  if (!k) return err_set(e, ERR_INTERNAL, "kind", "unknown search kind \"%s\"", kind);
  buf_init(&t, 0);
  if (!(st = db_prepare(db, k->load, e))) return -1;
  db_bind_int(st, 1, ref_id);
  rc = db_step(st, e);
  if (rc == DB_ROW) {
    found = 1;
    task_id = db_col_int(st, 0);
    if (text) {
      buf_puts(&t, text);
    } else {
      buf_puts(&t, db_col_text(st, 1));
      if (*db_col_text(st, 2)) {
        buf_puts(&t, "\n");
        buf_puts(&t, db_col_text(st, 2));
      }
    }
  }
  db_done(st);
  if (rc < 0) goto fail;
  if (t.failed) {
    err_set(e, ERR_INTERNAL, "", "out of memory");
    goto fail;
  }

  if (!(st = db_prepare(db, "SELECT id, text FROM search_doc WHERE kind = ? AND ref_id = ?", e)))
    goto fail;
  db_bind_text(st, 1, kind);
  db_bind_int(st, 2, ref_id);
  if ((rc = db_step(st, e)) == DB_ROW) {
    exists = 1;
    doc = db_col_int(st, 0);
    same = found && !strcmp(db_col_text(st, 1), t.data);
    if (!same && !(old = strdup(db_col_text(st, 1)))) rc = err_set(e, ERR_INTERNAL, "", "out of memory");
  }
  db_done(st);
  if (rc < 0) goto fail;

  if (!found) { /* the row is gone: so is its document */
    if (exists) {
      if (fts_note(db, doc, old, e)) goto fail;
      if (drop_grams(db, doc, e)) goto fail;
      if (!(st = db_prepare(db, "DELETE FROM search_doc WHERE id = ?", e))) goto fail;
      db_bind_int(st, 1, doc);
      if (db_run(st, e)) goto fail;
    }
    free(old);
    buf_release(&t);
    return 0;
  }
  if (same) {
    buf_release(&t);
    return 0;
  }
  if (exists) {
    if (drop_grams(db, doc, e)) goto fail;
    if (!(st = db_prepare(db, "UPDATE search_doc SET task_id = ?, text = ? WHERE id = ?", e)))
      goto fail;
    db_bind_int(st, 1, task_id);
    db_bind_text(st, 2, t.data);
    db_bind_int(st, 3, doc);
    if (db_run(st, e)) goto fail;
  } else if ((rc = insert_doc(db, kind, ref_id, task_id, t.data, &doc, e)) != DB_ROW) {
    if (rc == DB_DONE) err_set(e, ERR_INTERNAL, "", "search document not inserted");
    goto fail;
  }
  if (index_doc(db, doc, old, t.data, e)) goto fail;
  free(old);
  buf_release(&t);
  return 0;
fail:
  free(old);
  buf_release(&t);
  return -1;
}

int search_doc_add(struct db *db, const char *kind, int64_t ref_id, int64_t task_id, const char *text,
                   struct err *e) {
  int64_t doc = 0;
  int rc;
  if (!kind_find(kind)) return err_set(e, ERR_INTERNAL, "kind", "unknown search kind \"%s\"", kind);
  rc = insert_doc(db, kind, ref_id, task_id, text, &doc, e);
  if (rc < 0) return -1;
  /* A document left by an earlier row with the same id: the general path
  ** rewrites it. */
  if (rc == DB_DONE) return search_doc_put(db, kind, ref_id, text, e);
  return index_doc(db, doc, NULL, text, e);
}

int search_backfill(struct db *db, int64_t *n, struct err *e) {
  int64_t done = 0;
  for (int k = 0; k < N_KINDS; k++) {
    int64_t *ids;
    size_t count;
    struct db_stmt *st = db_prepare(db, kKinds[k].missing, e);
    /* Collect first: the loop below writes the table the query reads. */
    if (!st || db_collect_ids(st, &ids, &count, e)) return -1;
    for (size_t i = 0; i < count; i++) {
      if (search_doc_put(db, kKinds[k].name, ids[i], NULL, e)) {
        free(ids);
        return -1;
      }
    }
    done += (int64_t)count;
    free(ids);
  }
  if (n) *n = done;
  return 0;
}

int search_rebuild(struct db *db, struct err *e) {
  struct db_stmt *st;
  int rc = 0;
  if (db_kind(db) == DB_SQLITE &&
      db_exec(db, "INSERT INTO search_fts (search_fts) VALUES ('rebuild')", e))
    return -1;
  if (db_exec(db, "DELETE FROM search_gram", e)) return -1;
  if (!(st = db_prepare(db, "SELECT id, text FROM search_doc ORDER BY id", e))) return -1;
  while (rc >= 0 && (rc = db_step(st, e)) == DB_ROW)
    if (index_grams(db, db_col_int(st, 0), db_col_text(st, 1), e)) rc = -1;
  db_done(st);
  return rc < 0 ? -1 : 0;
}

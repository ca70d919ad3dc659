/* task_units.c — see task_units.h. */
#include "store/task_units.h"

#include <stdlib.h>

#include "util/buf.h"
#include "util/jw.h"

/* The cooperating units of one task as JSON text, into out. */
static int coop_json(struct db *db, int64_t task_id, struct buf *out, struct err *e) {
  struct db_stmt *st = db_prepare(db,
                                  "SELECT u.id, u.name FROM assignment a JOIN unit u ON u.id = a.unit_id"
                                  " WHERE a.task_id = ? AND a.role = 'coop' ORDER BY a.id",
                                  e);
  struct jw w;
  int rc;
  if (!st) return -1;
  db_bind_int(st, 1, task_id);
  jw_init(&w, out);
  jw_arr(&w);
  while ((rc = db_step(st, e)) == DB_ROW) {
    jw_obj(&w);
    jw_key(&w, "id");
    jw_int(&w, db_col_int(st, 0));
    jw_key(&w, "name");
    jw_str(&w, db_col_text(st, 1));
    jw_end(&w);
  }
  db_done(st);
  jw_end(&w);
  if (rc < 0) return -1;
  if (out->failed) return err_set(e, ERR_INTERNAL, "", "out of memory");
  return 0;
}

int task_units_sync(struct db *db, int64_t task_id, struct err *e) {
  struct buf coops;
  struct db_stmt *st;
  int rc = -1;
  buf_init(&coops, 0);
  if (coop_json(db, task_id, &coops, e)) goto done;
  st = db_prepare(db,
                  "UPDATE task SET coop_units = ?, lead_unit_id = u.lead"
                  " FROM (SELECT (SELECT a.unit_id FROM assignment a WHERE a.task_id = ?"
                  " AND a.role = 'lead') AS lead) u"
                  " WHERE id = ? AND (coop_units IS DISTINCT FROM ? OR lead_unit_id IS DISTINCT FROM u.lead)",
                  e);
  /* Unchanged (most actions): no write, and no trigger noting the view. */
  if (!st) goto done;
  db_bind_text(st, 1, coops.data);
  db_bind_int(st, 2, task_id);
  db_bind_int(st, 3, task_id);
  db_bind_text(st, 4, coops.data);
  rc = db_run(st, e);
done:
  buf_release(&coops);
  return rc;
}

/* Calls task_units_sync for every task id the query yields (bound to id
** when id > 0). The ids are read first: the updates must not run while
** the query's cursor is open on the same tables. */
static int sync_each(struct db *db, const char *sql, int64_t id, struct err *e) {
  struct db_stmt *st = db_prepare(db, sql, e);
  int64_t *ids;
  size_t n;
  int rc = 0;
  if (!st) return -1;
  if (id > 0) db_bind_int(st, 1, id);
  if (db_collect_ids(st, &ids, &n, e)) return -1;
  for (size_t i = 0; rc == 0 && i < n; i++) rc = task_units_sync(db, ids[i], e);
  free(ids);
  return rc;
}

int task_units_unit_renamed(struct db *db, int64_t unit_id, struct err *e) {
  return sync_each(db,
                   "SELECT DISTINCT task_id FROM assignment WHERE unit_id = ? AND role = 'coop'"
                   " ORDER BY task_id",
                   unit_id, e);
}

int task_units_backfill(struct db *db, struct err *e) {
  struct db_stmt *st = db_prepare(db,
                                  "UPDATE task SET lead_unit_id = (SELECT a.unit_id FROM assignment a"
                                  " WHERE a.task_id = task.id AND a.role = 'lead')",
                                  e);
  if (!st || db_run(st, e)) return -1;
  return sync_each(db, "SELECT DISTINCT task_id FROM assignment WHERE role = 'coop' ORDER BY task_id",
                   0, e);
}

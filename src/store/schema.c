/*
** schema.c — migrations; see schema.h.
**
** Conventions: timestamps are BIGINT Unix seconds; dates are TEXT
** 'YYYY-MM-DD' (sortable, the same in both engines); booleans are INTEGER
** 0/1; enumerations are their English names (lifecycle.h); lists that are only
** ever read whole (aliases, evidence names) are JSON text.
*/
#include "store/schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/search_index.h"
#include "store/task_units.h"
#include "util/buf.h"
#include "util/date.h"

struct migration {
  int version;
  const char *common;   /* both backends, with @ID@ tokens */
  const char *sqlite;   /* SQLite only, may be NULL */
  const char *pg;       /* PostgreSQL only, may be NULL */
};

/* Migration 9's trigger steps: the view of task id expression x (may be
** NULL: then nothing), or of every id a query returns, is no longer current. */
#define DOC_STALE(x) " INSERT OR IGNORE INTO task_doc_dirty SELECT " x " WHERE " x " IS NOT NULL;"
#define DOC_STALE_ALL(q) " INSERT OR IGNORE INTO task_doc_dirty " q ";"

static const struct migration kMigrations[] = {
  {1,
   "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
   "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL);"
   "CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
   "CREATE TABLE counter (name TEXT PRIMARY KEY, value BIGINT NOT NULL);"
   "CREATE TABLE unit ("
   "  id @ID@, name TEXT NOT NULL UNIQUE, short_name TEXT NOT NULL DEFAULT '',"
   "  kind TEXT NOT NULL DEFAULT '职能部门', parent_id BIGINT REFERENCES unit(id),"
   "  aliases TEXT NOT NULL DEFAULT '[]', keywords TEXT NOT NULL DEFAULT '[]',"
   "  active INTEGER NOT NULL DEFAULT 1, version INTEGER NOT NULL DEFAULT 1,"
   "  created_at BIGINT NOT NULL);"
   "CREATE TABLE app_user ("
   "  id @ID@, login TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL,"
   "  unit_id BIGINT REFERENCES unit(id), roles TEXT NOT NULL,"
   "  password_hash TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1,"
   "  version INTEGER NOT NULL DEFAULT 1, created_at BIGINT NOT NULL);"
   "CREATE TABLE source ("
   "  id @ID@, kind TEXT NOT NULL, title TEXT NOT NULL, ref_no TEXT NOT NULL DEFAULT '',"
   "  date TEXT, place TEXT NOT NULL DEFAULT '', host TEXT NOT NULL DEFAULT '',"
   "  attendees TEXT NOT NULL DEFAULT '', documents TEXT NOT NULL DEFAULT '[]',"
   "  original_text TEXT NOT NULL DEFAULT '', created_by BIGINT NOT NULL DEFAULT 0,"
   "  created_at BIGINT NOT NULL, version INTEGER NOT NULL DEFAULT 1);"
   "CREATE TABLE task ("
   "  id @ID@, code TEXT NOT NULL UNIQUE, title TEXT NOT NULL,"
   "  requirement TEXT NOT NULL DEFAULT '', source_id BIGINT REFERENCES source(id),"
   "  source_text TEXT NOT NULL DEFAULT '', source_start INTEGER, source_end INTEGER,"
   "  parent_id BIGINT REFERENCES task(id), category TEXT NOT NULL,"
   "  lead_leader TEXT NOT NULL DEFAULT '', status TEXT NOT NULL,"
   "  suspended_from TEXT, progress INTEGER NOT NULL DEFAULT 0,"
   "  original_deadline TEXT, deadline TEXT, deadline_rule TEXT NOT NULL DEFAULT '',"
   "  report_freq TEXT NOT NULL DEFAULT 'none', evaluation TEXT,"
   "  light TEXT NOT NULL DEFAULT 'none', remark TEXT NOT NULL DEFAULT '',"
   "  created_by BIGINT NOT NULL DEFAULT 0, created_at BIGINT NOT NULL,"
   "  assigned_at BIGINT, review_at BIGINT, done_at BIGINT, done_late INTEGER,"
   "  extensions INTEGER NOT NULL DEFAULT 0, bounces INTEGER NOT NULL DEFAULT 0,"
   "  last_report_at BIGINT, updated_at BIGINT NOT NULL,"
   "  version INTEGER NOT NULL DEFAULT 1);"
   "CREATE INDEX task_status_deadline ON task(status, deadline);"
   "CREATE INDEX task_parent ON task(parent_id);"
   "CREATE INDEX task_source ON task(source_id);"
   "CREATE INDEX task_deadline ON task(deadline);"
   "CREATE TABLE assignment ("
   "  id @ID@, task_id BIGINT NOT NULL REFERENCES task(id) ON DELETE CASCADE,"
   "  unit_id BIGINT NOT NULL REFERENCES unit(id), role TEXT NOT NULL,"
   "  person TEXT NOT NULL DEFAULT '', state TEXT NOT NULL,"
   "  progress INTEGER NOT NULL DEFAULT 0, accepted_at BIGINT,"
   "  returned_reason TEXT, last_report_at BIGINT, UNIQUE (task_id, unit_id));"
   "CREATE INDEX assignment_unit ON assignment(unit_id, task_id);"
   "CREATE TABLE milestone ("
   "  id @ID@, task_id BIGINT NOT NULL REFERENCES task(id) ON DELETE CASCADE,"
   "  date TEXT NOT NULL, percent INTEGER NOT NULL, title TEXT NOT NULL DEFAULT '');"
   "CREATE INDEX milestone_task ON milestone(task_id, date);"
   "CREATE TABLE progress_report ("
   "  id @ID@, task_id BIGINT NOT NULL REFERENCES task(id) ON DELETE CASCADE,"
   "  unit_id BIGINT NOT NULL REFERENCES unit(id), author_id BIGINT NOT NULL,"
   "  text TEXT NOT NULL, progress INTEGER NOT NULL, evidence TEXT NOT NULL DEFAULT '[]',"
   "  on_time INTEGER NOT NULL DEFAULT 1, at BIGINT NOT NULL);"
   "CREATE INDEX progress_task ON progress_report(task_id, at);"
   "CREATE TABLE urging ("
   "  id @ID@, task_id BIGINT NOT NULL REFERENCES task(id) ON DELETE CASCADE,"
   "  unit_id BIGINT NOT NULL REFERENCES unit(id), level INTEGER NOT NULL,"
   "  level_name TEXT NOT NULL, channel TEXT NOT NULL DEFAULT 'system',"
   "  message TEXT NOT NULL DEFAULT '', automatic INTEGER NOT NULL,"
   "  deadline TEXT NOT NULL DEFAULT '', by_id BIGINT NOT NULL DEFAULT 0,"
   "  at BIGINT NOT NULL, acknowledged_at BIGINT);"
   "CREATE UNIQUE INDEX urging_auto_once ON urging(task_id, unit_id, level, deadline)"
   "  WHERE automatic = 1;"
   "CREATE INDEX urging_unit ON urging(unit_id, at);"
   "CREATE TABLE extension ("
   "  id @ID@, task_id BIGINT NOT NULL REFERENCES task(id) ON DELETE CASCADE,"
   "  unit_id BIGINT NOT NULL REFERENCES unit(id), requested_by BIGINT NOT NULL,"
   "  requested_date TEXT NOT NULL, reason TEXT NOT NULL, state TEXT NOT NULL,"
   "  permitted_date TEXT, decided_by BIGINT, decided_at BIGINT,"
   "  comment TEXT NOT NULL DEFAULT '', at BIGINT NOT NULL);"
   "CREATE TABLE review ("
   "  id @ID@, task_id BIGINT NOT NULL REFERENCES task(id) ON DELETE CASCADE,"
   "  kind TEXT NOT NULL, comment TEXT NOT NULL DEFAULT '', evaluation TEXT,"
   "  by_id BIGINT NOT NULL, at BIGINT NOT NULL);"
   "CREATE TABLE accountability ("
   "  id @ID@, task_id BIGINT NOT NULL REFERENCES task(id) ON DELETE CASCADE,"
   "  unit_id BIGINT NOT NULL REFERENCES unit(id), person TEXT NOT NULL DEFAULT '',"
   "  kind TEXT NOT NULL, reason TEXT NOT NULL, decided_by BIGINT NOT NULL,"
   "  date TEXT NOT NULL, at BIGINT NOT NULL);"
   "CREATE TABLE instruction ("
   "  id @ID@, task_id BIGINT NOT NULL REFERENCES task(id) ON DELETE CASCADE,"
   "  author_id BIGINT NOT NULL, text TEXT NOT NULL, at BIGINT NOT NULL);"
   "CREATE TABLE flag ("
   "  id @ID@, task_id BIGINT NOT NULL REFERENCES task(id) ON DELETE CASCADE,"
   "  unit_id BIGINT, reason TEXT NOT NULL, at BIGINT NOT NULL,"
   "  resolved_at BIGINT, UNIQUE (task_id, reason));"
   "CREATE TABLE task_event ("
   "  id @ID@, task_id BIGINT NOT NULL REFERENCES task(id) ON DELETE CASCADE,"
   "  at BIGINT NOT NULL, actor_id BIGINT NOT NULL, action TEXT NOT NULL,"
   "  from_status TEXT NOT NULL, to_status TEXT NOT NULL, unit_id BIGINT,"
   "  note TEXT NOT NULL DEFAULT '');"
   "CREATE INDEX task_event_task ON task_event(task_id, at);"
   "CREATE TABLE calendar_year (year INTEGER PRIMARY KEY, source TEXT NOT NULL);"
   "CREATE TABLE calendar_day (date TEXT PRIMARY KEY, off INTEGER NOT NULL,"
   "  name TEXT NOT NULL DEFAULT '');"
   "CREATE TABLE journal ("
   "  id BIGINT PRIMARY KEY, at BIGINT NOT NULL, actor_id BIGINT NOT NULL,"
   "  entity TEXT NOT NULL, entity_id BIGINT NOT NULL, action TEXT NOT NULL,"
   "  before TEXT, after TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
   "CREATE INDEX journal_entity ON journal(entity, entity_id);"
   "CREATE TABLE journal_head (id INTEGER PRIMARY KEY, last_id BIGINT NOT NULL,"
   "  last_hash TEXT NOT NULL);"
   "INSERT INTO journal_head (id, last_id, last_hash) VALUES (1, 0, '');"
   "CREATE TABLE outbox ("
   "  id @ID@, channel TEXT NOT NULL, target TEXT NOT NULL, payload TEXT NOT NULL,"
   "  created_at BIGINT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
   "  next_attempt_at BIGINT NOT NULL, delivered_at BIGINT, last_error TEXT);",
   /* The journal is append-only: refuse UPDATE and DELETE at the engine. */
   "CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal"
   "  BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;"
   "CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal"
   "  BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;",
   "CREATE FUNCTION journal_append_only() RETURNS trigger LANGUAGE plpgsql AS"
   "  $$ BEGIN RAISE EXCEPTION USING ERRCODE = 'restrict_violation',"
   "  MESSAGE = 'the journal is append-only'; END $$;"
   "CREATE TRIGGER journal_no_change BEFORE UPDATE OR DELETE ON journal"
   "  FOR EACH ROW EXECUTE FUNCTION journal_append_only();"},
  {2,
   /* Sessions, API tokens and login throttling for the HTTP server, and the
   ** per-(unit, status, light) counts that GET /stats reads instead of a
   ** GROUP BY over every task. unit_id 0 counts tasks with no lead unit. */
   "CREATE TABLE session ("
   "  digest TEXT PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES app_user(id),"
   "  csrf TEXT NOT NULL, created_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL);"
   "CREATE TABLE api_token ("
   "  id @ID@, user_id BIGINT NOT NULL REFERENCES app_user(id), name TEXT NOT NULL,"
   "  digest TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL, created_by BIGINT NOT NULL,"
   "  last_used_at BIGINT, revoked_at BIGINT);"
   "CREATE TABLE login_failure (key TEXT NOT NULL, at BIGINT NOT NULL);"
   "CREATE INDEX login_failure_key ON login_failure(key, at);"
   /* The ledger's default order (deadline, open-ended last) as an index, so
   ** a filtered first page is an index walk, not a sort of every match. */
   "CREATE INDEX task_status_due ON task(status, (COALESCE(deadline, '9999-12-31')), id);"
   "CREATE INDEX task_due ON task((COALESCE(deadline, '9999-12-31')), id);"
   /* A unit's view of the ledger ("my unit's tasks in progress by
   ** deadline") is the commonest list: each assignment carries its task's
   ** status and sort key, kept in step by the app in the same transaction,
   ** so that list and its count are one index range. */
   "ALTER TABLE assignment ADD COLUMN status TEXT NOT NULL DEFAULT 'draft';"
   "ALTER TABLE assignment ADD COLUMN due TEXT NOT NULL DEFAULT '9999-12-31';"
   "UPDATE assignment SET status = (SELECT t.status FROM task t WHERE t.id = assignment.task_id),"
   "  due = (SELECT COALESCE(t.deadline, '9999-12-31') FROM task t WHERE t.id = assignment.task_id);"
   "CREATE INDEX assignment_unit_status_due ON assignment(unit_id, status, due, task_id);"
   "CREATE INDEX assignment_unit_due ON assignment(unit_id, due, task_id);"
   "CREATE TABLE task_count ("
   "  unit_id BIGINT NOT NULL, status TEXT NOT NULL, light TEXT NOT NULL,"
   "  n BIGINT NOT NULL, PRIMARY KEY (unit_id, status, light));"
   "INSERT INTO task_count (unit_id, status, light, n)"
   "  SELECT COALESCE(a.unit_id, 0), t.status, t.light, COUNT(*)"
   "  FROM task t LEFT JOIN assignment a ON a.task_id = t.id AND a.role = 'lead'"
   "  GROUP BY COALESCE(a.unit_id, 0), t.status, t.light;",
   NULL, NULL},
  {3,
   /* Search (store/search_index.h): one document per searchable text, its
   ** 2-character grams for 2-character queries, and per backend a trigram
   ** index for longer ones. Existing rows are indexed by search_backfill
   ** in the same transaction. */
   "CREATE TABLE search_doc ("
   "  id @ID@, kind TEXT NOT NULL, ref_id BIGINT NOT NULL, task_id BIGINT NOT NULL,"
   "  text TEXT NOT NULL, UNIQUE (kind, ref_id));"
   "CREATE INDEX search_doc_task ON search_doc(task_id);",
   "CREATE TABLE search_gram (gram TEXT NOT NULL, doc_id BIGINT NOT NULL,"
   "  PRIMARY KEY (gram, doc_id)) WITHOUT ROWID;"
   /* Kept by search_index.c at commit (migration 8 dropped the triggers
   ** that kept it before; a database older than 3 never gets them). */
   "CREATE VIRTUAL TABLE search_fts USING fts5(text, content='search_doc',"
   "  content_rowid='id', tokenize='trigram');",
   /* pg_trgm ships in postgresql-contrib (in Debian's postgresql-15); it is
   ** a trusted extension: the database owner may create it. */
   "CREATE TABLE search_gram (gram TEXT NOT NULL, doc_id BIGINT NOT NULL,"
   "  PRIMARY KEY (gram, doc_id));"
   "CREATE EXTENSION IF NOT EXISTS pg_trgm;"
   "CREATE INDEX search_doc_trgm ON search_doc USING gin (text gin_trgm_ops);"},
  {4,
   /* How many tasks each unit takes part in, by status: the `total` of a
   ** unit's ledger page, kept in step by the app with every change of an
   ** assignment (app_unit_count_*), instead of counting the unit's range of
   ** assignment_unit_status_due on every request. */
   "CREATE TABLE unit_count (unit_id BIGINT NOT NULL, status TEXT NOT NULL,"
   "  n BIGINT NOT NULL, PRIMARY KEY (unit_id, status));"
   "INSERT INTO unit_count (unit_id, status, n)"
   "  SELECT unit_id, status, COUNT(*) FROM assignment GROUP BY unit_id, status;",
   NULL, NULL},
  {5,
   /* A task's lead unit and its cooperating units straight from an index:
   ** every row of a ledger page joins its lead assignment, and a page reads
   ** the cooperating units of its 25 tasks; without it each is a seek into
   ** the assignment table after the (task_id, unit_id) index. */
   "CREATE INDEX assignment_task_role ON assignment(task_id, role, id, unit_id);",
   NULL, NULL},
  {6,
   /* The ledger row's units carried by the task row (store/task_units.h);
   ** filled by task_units_backfill below. */
   "ALTER TABLE task ADD COLUMN lead_unit_id BIGINT;"
   "ALTER TABLE task ADD COLUMN coop_units TEXT NOT NULL DEFAULT '[]';",
   NULL, NULL},
  {7,
   /* A task's rows in the tables that lacked an index on task_id: the task
   ** view reads its extension requests and the timeline its reviews,
   ** urgings, instructions and accountability records, and deleting a task
   ** cascades into them; without these each was a scan of the whole table.
   ** urging_auto_once covers automatic urgings only. accountability by
   ** unit and date: the period counts of the scores. */
   "CREATE INDEX extension_task ON extension(task_id);"
   "CREATE INDEX review_task ON review(task_id);"
   "CREATE INDEX instruction_task ON instruction(task_id);"
   "CREATE INDEX urging_task ON urging(task_id);"
   "CREATE INDEX accountability_task ON accountability(task_id);"
   "CREATE INDEX accountability_unit_date ON accountability(unit_id, date);",
   NULL, NULL},
  {8,
   /* The FTS5 index is brought in step once per transaction by
   ** search_index.c instead of by these triggers, which made FTS5 write a
   ** segment per request (docs/performance.md, S3). */
   "",
   "DROP TRIGGER IF EXISTS search_doc_ai;"
   "DROP TRIGGER IF EXISTS search_doc_ad;"
   "DROP TRIGGER IF EXISTS search_doc_au;",
   NULL},
  {9,
   /* The stored task views (app/task_docs.c): SQLite only, a cache that
   ** PostgreSQL does without. Whatever changes what a view shows, the
   ** triggers note its task in task_doc_dirty, in the same transaction and
   ** whichever program writes; a noted or missing view is never served (the
   ** task is rendered live) until duban renders it again. */
   "",
   "CREATE TABLE task_doc ("
   "  task_id INTEGER PRIMARY KEY, body TEXT NOT NULL, status TEXT NOT NULL,"
   "  start INTEGER NOT NULL, deadline INTEGER, progress INTEGER NOT NULL,"
   "  report_freq TEXT NOT NULL, last_report_at INTEGER, milestones TEXT NOT NULL,"
   "  units TEXT NOT NULL, utc_offset INTEGER NOT NULL, row_len INTEGER NOT NULL,"
   "  light TEXT NOT NULL);"
   "CREATE TABLE task_doc_dirty (task_id INTEGER PRIMARY KEY);"
   "CREATE TRIGGER task_doc_task_ai AFTER INSERT ON task BEGIN"
   DOC_STALE("NEW.id") DOC_STALE("NEW.parent_id") "END;"
   "CREATE TRIGGER task_doc_task_au AFTER UPDATE ON task BEGIN"
   DOC_STALE("NEW.id") DOC_STALE("NEW.parent_id") DOC_STALE("OLD.parent_id") "END;"
   "CREATE TRIGGER task_doc_task_ad AFTER DELETE ON task BEGIN"
   DOC_STALE("OLD.id") DOC_STALE("OLD.parent_id") "END;"
   "CREATE TRIGGER task_doc_assignment_ai AFTER INSERT ON assignment BEGIN" DOC_STALE("NEW.task_id") "END;"
   "CREATE TRIGGER task_doc_assignment_au AFTER UPDATE ON assignment BEGIN"
   DOC_STALE("NEW.task_id") DOC_STALE("OLD.task_id") "END;"
   "CREATE TRIGGER task_doc_assignment_ad AFTER DELETE ON assignment BEGIN" DOC_STALE("OLD.task_id") "END;"
   "CREATE TRIGGER task_doc_milestone_ai AFTER INSERT ON milestone BEGIN" DOC_STALE("NEW.task_id") "END;"
   "CREATE TRIGGER task_doc_milestone_au AFTER UPDATE ON milestone BEGIN"
   DOC_STALE("NEW.task_id") DOC_STALE("OLD.task_id") "END;"
   "CREATE TRIGGER task_doc_milestone_ad AFTER DELETE ON milestone BEGIN" DOC_STALE("OLD.task_id") "END;"
   "CREATE TRIGGER task_doc_extension_ai AFTER INSERT ON extension BEGIN" DOC_STALE("NEW.task_id") "END;"
   "CREATE TRIGGER task_doc_extension_au AFTER UPDATE ON extension BEGIN"
   DOC_STALE("NEW.task_id") DOC_STALE("OLD.task_id") "END;"
   "CREATE TRIGGER task_doc_extension_ad AFTER DELETE ON extension BEGIN" DOC_STALE("OLD.task_id") "END;"
   "CREATE TRIGGER task_doc_unit_au AFTER UPDATE OF name ON unit WHEN NEW.name IS NOT OLD.name BEGIN"
   DOC_STALE_ALL("SELECT task_id FROM assignment WHERE unit_id = NEW.id"
                 " UNION SELECT task_id FROM extension WHERE unit_id = NEW.id") "END;"
   "CREATE TRIGGER task_doc_source_au AFTER UPDATE OF title ON source"
   " WHEN NEW.title IS NOT OLD.title BEGIN"
   DOC_STALE_ALL("SELECT id FROM task WHERE source_id = NEW.id") "END;",
   NULL},
  {10,
   /* No query reads search documents by task (search goes from the
   ** document to its task), and every report's document put a random page
   ** of this index into the write-ahead log (docs/performance.md, S3). */
   "DROP INDEX IF EXISTS search_doc_task;",
   NULL, NULL},
};

#define N_MIGRATIONS ((int)(sizeof kMigrations / sizeof kMigrations[0]))

static int expand(struct db *db, const char *tmpl, struct buf *out) {
  const char *id = db_kind(db) == DB_SQLITE ? "INTEGER PRIMARY KEY"
                                            : "BIGSERIAL PRIMARY KEY";
  const char *p = tmpl, *q;
  buf_reset(out);
  while ((q = strstr(p, "@ID@")) != NULL) {
    buf_append(out, p, (size_t)(q - p));
    buf_puts(out, id);
    p = q + 4;
  }
  buf_puts(out, p);
  return out->failed ? -1 : 0;
}

static int table_exists(struct db *db, const char *name, int *exists, struct err *e) {
  static const char *kSqlite =
      "SELECT COUNT(*) FROM sqlite_master WHERE type='table' AND name=?";
  static const char *kPg =
      "SELECT COUNT(*) FROM information_schema.tables "
      "WHERE table_schema = current_schema() AND table_name = ?";
  struct db_stmt *st = db_prepare(db, db_kind(db) == DB_SQLITE ? kSqlite : kPg, e);
  int64_t n = 0;
  int rc;
  if (!st) return -1;
  db_bind_text(st, 1, name);
  rc = db_step_int(st, &n, e);
  db_done(st);
  if (rc < 0) return -1;
  *exists = n > 0;
  return 0;
}

static int count_tables(struct db *db, int64_t *n, struct err *e) {
  static const char *kSqlite =
      "SELECT COUNT(*) FROM sqlite_master WHERE type='table'";
  static const char *kPg =
      "SELECT COUNT(*) FROM information_schema.tables "
      "WHERE table_schema = current_schema()";
  struct db_stmt *st = db_prepare(db, db_kind(db) == DB_SQLITE ? kSqlite : kPg, e);
  int rc;
  if (!st) return -1;
  rc = db_step_int(st, n, e);
  db_done(st);
  return rc < 0 ? -1 : 0;
}

int schema_inspect(struct db *db, int *version, struct err *e) {
  int has_meta = 0;
  int64_t tables = 0, v = 0;
  struct db_stmt *st;
  int rc;
  *version = 0;
  if (count_tables(db, &tables, e)) return -1;
  if (tables == 0) return SCHEMA_EMPTY;
  if (table_exists(db, "meta", &has_meta, e)) return -1;
  if (!has_meta) goto not_duban;
  st = db_prepare(db, "SELECT COUNT(*) FROM meta WHERE key='app' AND value='duban'", e);
  if (!st) return -1;
  rc = db_step_int(st, &v, e);
  db_done(st);
  if (rc < 0) return -1;
  if (v != 1) goto not_duban;
  st = db_prepare(db, "SELECT COALESCE(MAX(version), 0) FROM schema_version", e);
  if (!st) return -1;
  rc = db_step_int(st, &v, e);
  db_done(st);
  if (rc < 0) return -1;
  *version = (int)v;
  if (v > SCHEMA_VERSION)
    return err_set(e, ERR_DB_TOO_NEW, "db",
                   "%s has schema version %lld, newer than this duban (%d): "
                   "upgrade duban before using it",
                   db_target(db), (long long)v, SCHEMA_VERSION);
  return SCHEMA_OK;
not_duban:
  return err_set(e, ERR_NOT_DUBAN_DB, "db", "%s is not a duban database",
                 db_target(db));
}

int schema_migrate(struct db *db, int target, int *applied, struct err *e) {
  int version = 0, state, n = 0;
  struct buf sql;
  buf_init(&sql, 0);
  if (applied) *applied = 0;
  state = schema_inspect(db, &version, e);
  if (state < 0) goto fail;
  for (int i = 0; i < N_MIGRATIONS; i++) {
    const struct migration *m = &kMigrations[i];
    const char *extra = db_kind(db) == DB_SQLITE ? m->sqlite : m->pg;
    struct db_stmt *st;
    if (m->version <= version || m->version > target) continue;
    if (db_begin(db, DB_WRITE, e)) goto fail;
    if (*m->common && (expand(db, m->common, &sql) || db_exec(db, sql.data, e))) goto fail_tx;
    if (extra && db_exec(db, extra, e)) goto fail_tx;
    if (m->version == 1 &&
        db_exec(db, "INSERT INTO meta (key, value) VALUES ('app', 'duban')", e))
      goto fail_tx;
    if (m->version == 3 && search_backfill(db, NULL, e)) goto fail_tx;
    if (m->version == 6 && task_units_backfill(db, e)) goto fail_tx;
    st = db_prepare(db, "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)", e);
    if (!st) goto fail_tx;
    db_bind_int(st, 1, m->version);
    db_bind_int(st, 2, now_unix());
    if (db_run(st, e)) goto fail_tx;
    if (db_commit(db, e)) goto fail;
    n++;
  }
  buf_release(&sql);
  if (applied) *applied = n;
  return 0;
fail_tx:
  db_rollback(db);
fail:
  buf_release(&sql);
  return -1;
}

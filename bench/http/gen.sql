-- gen.sql — bulk data for the HTTP benchmark, run by the sqlite3 shell on a
-- database made by `duban init` (bench/http/gen.sh substitutes @UNITS@,
-- @USERS@, @TASKS@ and @HASH@). Deterministic: the same counts give the same
-- rows.
--
-- Units 1..@UNITS@. Users: user i belongs to unit (i % @UNITS@) + 1; the
-- first @UNITS@ users are each unit's liaison ("unit-<n>"), all with the
-- password hash @HASH@ (the admin's). Tasks: task id is led by unit
-- (id % @UNITS@) + 1 and, for a third of them, cooperated on by the next
-- unit. Status by (id / @UNITS@) % 10: 0-5 in_progress (lead part
-- accepted), 6 assigned, 7 review, 8 done, 9 draft. Deadlines spread over
-- 2026; lights follow the status.
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
PRAGMA foreign_keys = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @UNITS@)
INSERT INTO unit (id, name, short_name, kind, created_at)
SELECT i, printf('单位%03d', i), printf('U%03d', i), '职能部门', 1767225600 FROM n;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @USERS@)
INSERT INTO app_user (login, display_name, unit_id, roles, password_hash, created_at)
SELECT CASE WHEN i <= @UNITS@ THEN printf('unit-%d', i) ELSE printf('user-%d', i) END,
       printf('用户%d', i), ((i - 1) % @UNITS@) + 1,
       CASE WHEN i <= @UNITS@ OR i % 10 <> 0 THEN 'unit' ELSE 'member' END,
       '@HASH@', 1767225600 FROM n;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @TASKS@)
INSERT INTO task (id, code, title, requirement, category, status, progress, original_deadline,
                  deadline, light, created_at, assigned_at, updated_at, version)
SELECT i, printf('DB-2026-%07d', i), printf('落实会议决定事项第%d项：完善相关工作机制', i),
       '按期完成并报送书面材料', '重点工作',
       CASE (i / @UNITS@) % 10 WHEN 6 THEN 'assigned' WHEN 7 THEN 'review' WHEN 8 THEN 'done'
            WHEN 9 THEN 'draft' ELSE 'in_progress' END,
       (i * 7) % 100,
       date('2026-01-01', printf('+%d days', i % 365)), date('2026-01-01', printf('+%d days', i % 365)),
       CASE WHEN (i / @UNITS@) % 10 IN (8, 9) THEN 'none'
            WHEN i % 7 = 0 THEN 'red' WHEN i % 5 = 0 THEN 'yellow' ELSE 'green' END,
       1767225600, 1767225600, 1767225600 + i, 1
FROM n;

INSERT INTO assignment (task_id, unit_id, role, state, progress, accepted_at)
SELECT id, (id % @UNITS@) + 1, 'lead',
       CASE WHEN status IN ('in_progress', 'review', 'done') THEN 'accepted' ELSE 'assigned' END,
       progress, CASE WHEN status IN ('in_progress', 'review', 'done') THEN 1767225600 END
FROM task;
INSERT INTO assignment (task_id, unit_id, role, state, progress)
SELECT id, ((id + 1) % @UNITS@) + 1, 'coop', 'assigned', 0 FROM task WHERE id % 3 = 0;

INSERT INTO counter (name, value) VALUES ('task-2026', @TASKS@)
  ON CONFLICT (name) DO UPDATE SET value = excluded.value;
UPDATE assignment SET status = (SELECT t.status FROM task t WHERE t.id = assignment.task_id),
  due = (SELECT COALESCE(t.deadline, '9999-12-31') FROM task t WHERE t.id = assignment.task_id);
-- The units a task row carries (src/store/task_units.h); the JSON is what
-- task_units_sync writes (SQLite's json_object is compact, same text).
UPDATE task SET lead_unit_id = (SELECT a.unit_id FROM assignment a
  WHERE a.task_id = task.id AND a.role = 'lead');
UPDATE task SET coop_units = (SELECT json_group_array(json_object('id', c.unit_id, 'name', c.name))
  FROM (SELECT a.unit_id, u.name FROM assignment a JOIN unit u ON u.id = a.unit_id
        WHERE a.task_id = task.id AND a.role = 'coop' ORDER BY a.id) c)
  WHERE id IN (SELECT task_id FROM assignment WHERE role = 'coop');
DELETE FROM unit_count;
INSERT INTO unit_count (unit_id, status, n)
  SELECT unit_id, status, COUNT(*) FROM assignment GROUP BY unit_id, status;
DELETE FROM task_count;
INSERT INTO task_count (unit_id, status, light, n)
  SELECT COALESCE(a.unit_id, 0), t.status, t.light, COUNT(*)
  FROM task t LEFT JOIN assignment a ON a.task_id = t.id AND a.role = 'lead'
  GROUP BY COALESCE(a.unit_id, 0), t.status, t.light;
COMMIT;
-- No ANALYZE: duban never runs it, so a ledger in service has no planner
-- statistics, and the benchmark's must not either. Statistics taken here, before
-- any search document, said search_fts_data had 2 rows; SQLite keeps them until the
-- next ANALYZE, so FTS5 planned every segment deletion of its merges as a scan of
-- the whole index: 41 % of the writer's time in S3 on an aged ledger.

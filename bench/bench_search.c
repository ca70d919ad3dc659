/* bench_search.c — search latency over a large ledger (issue 5, item 4):
** p50/p99 of the first page (25) for 2-character and 3+-character queries
** through app_search, against a LIKE scan baseline (the same first page,
** newest first, `text LIKE '%q%'` over search_doc) measured in the same run.
**
**   make MODE=release BUILD=build-release benches
**   build-release/bench/bench_search [--db PATH|URL] [--n 1000000] [--rounds 10]
**
** The database is generated on first use (tasks with Chinese titles from the
** word lists below, a requirement on one task in four) and reused after.
** On SQLite the rows go through search_doc_put as the app writes them; on
** PostgreSQL they are generated server-side in SQL (row-by-row inserts over
** the network would take an hour), grams with the same definition. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app.h"
#include "app/search.h"
#include "store/db.h"
#include "store/schema.h"
#include "store/search_index.h"

static const char *kPrefix[] = {"", "", "", "2026年", "秋季学期", "春季学期", "第二批", "全校", "各学院", "暑期"};
static const char *kVerb[] = {"落实", "推进", "完成", "开展", "组织", "制定", "修订", "做好", "加强", "启动",
                              "筹备", "整理", "汇总", "督促", "建立", "完善", "部署", "召开", "编制", "审议"};
static const char *kObject[] = {
    "审计整改", "疫情防控", "招生宣传", "本科教学评估", "研究生招生", "实验室安全", "网络安全",
    "科研项目结题", "学科建设", "人才引进", "师资培训", "校园基础设施", "后勤保障", "财务预算",
    "国有资产清查", "党风廉政建设", "学生资助", "就业指导", "国际交流", "图书馆改造", "宿舍维修",
    "食堂食品安全", "档案数字化", "信息系统升级", "教材选用", "课程思政", "职称评审", "岗位聘任",
    "继续教育", "校友联络"};
static const char *kSuffix[] = {"工作", "专项检查", "实施方案", "问题清单", "自评报告", "材料报送", "年度总结",
                                "推进会", "调研", "培训", "整改销号", "督查", "验收", "评估", "规划"};
static const char *kReq[] = {"按期完成并报送督查室", "形成书面报告报校领导", "逐项整改销号，形成整改报告",
                             "会同相关单位制定方案并组织实施", "每周报送进展"};
#define N(a) ((int)(sizeof a / sizeof a[0]))

static const char *kQ2[] = {"审计", "疫情", "招生", "安全", "教学", "科研", "预算", "资助", "聘任", "档案",
                            "维修", "培训", "督查", "验收", "量子", "思政", "整改", "年度", "图书", "食堂"};
static const char *kQ3[] = {"审计整改", "疫情防控", "招生宣传", "网络安全", "实验室安全检查", "食堂食品安全验收",
                            "职称评审工作", "量子计算", "秋季学期落实", "档案数字化规划", "国有资产清查",
                            "党风廉政建设督查", "宿舍维修", "课程思政培训", "信息系统升级", "校友联络工作",
                            "学科建设", "本科教学评估自评报告", "就业指导", "人才引进实施方案"};

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what, const struct err *e) {
  fprintf(stderr, "bench_search: %s: %s %s\n", what, e->field, e->message);
  exit(1);
}

static unsigned long rng = 88172645463325252UL;
static unsigned long xr(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

static void generate_sqlite(struct db *db, long n) {
  struct err e = {0};
  double t0 = now();
  for (long i = 0; i < n; i++) {
    char title[160], code[32];
    struct db_stmt *st;
    int64_t id = 0;
    if (i % 20000 == 0 && db_begin(db, DB_WRITE, &e)) die("begin", &e);
    snprintf(title, sizeof title, "%s%s%s%s", kPrefix[xr() % N(kPrefix)], kVerb[xr() % N(kVerb)],
             kObject[xr() % N(kObject)], kSuffix[xr() % N(kSuffix)]);
    snprintf(code, sizeof code, "DB-B-%07ld", i + 1);
    st = db_prepare(db,
                    "INSERT INTO task (code, title, requirement, category, status, created_at, updated_at)"
                    " VALUES (?, ?, ?, '会议决定事项', 'in_progress', 0, 0) RETURNING id",
                    &e);
    if (!st) die("prepare", &e);
    db_bind_text(st, 1, code);
    db_bind_text(st, 2, title);
    db_bind_text(st, 3, xr() % 4 == 0 ? kReq[xr() % N(kReq)] : "");
    if (db_step_int(st, &id, &e) != DB_ROW) die("insert", &e);
    db_done(st);
    if (search_doc_put(db, "task", id, NULL, &e)) die("index", &e);
    if ((i + 1) % 20000 == 0 || i + 1 == n) {
      if (db_commit(db, &e)) die("commit", &e);
      if ((i + 1) % 200000 == 0) fprintf(stderr, "  %ld tasks, %.0f s\n", i + 1, now() - t0);
    }
  }
}

/* SQL text of an ARRAY[...] of the words. */
static void arr(char *out, size_t cap, const char **w, int n) {
  size_t k = (size_t)snprintf(out, cap, "ARRAY[");
  for (int i = 0; i < n; i++) k += (size_t)snprintf(out + k, cap - k, "%s'%s'", i ? "," : "", w[i]);
  snprintf(out + k, cap - k, "]");
}

static void generate_pg(struct db *db, long n) {
  struct err e = {0};
  char a[4][2048], *sql;
  double t0 = now();
  arr(a[0], sizeof a[0], kPrefix, N(kPrefix));
  arr(a[1], sizeof a[1], kVerb, N(kVerb));
  arr(a[2], sizeof a[2], kObject, N(kObject));
  arr(a[3], sizeof a[3], kSuffix, N(kSuffix));
  sql = malloc(16384);
  snprintf(sql, 16384,
           "INSERT INTO task (code, title, requirement, category, status, created_at, updated_at)"
           " SELECT 'DB-B-' || lpad(g::text, 7, '0'),"
           " (%s)[1 + floor(random() * %d)::int] || (%s)[1 + floor(random() * %d)::int] ||"
           " (%s)[1 + floor(random() * %d)::int] || (%s)[1 + floor(random() * %d)::int],"
           " CASE WHEN random() < 0.25 THEN '按期完成并报送督查室' ELSE '' END,"
           " '会议决定事项', 'in_progress', 0, 0 FROM generate_series(1, %ld) g;"
           "INSERT INTO search_doc (kind, ref_id, task_id, text) SELECT 'task', id, id,"
           " CASE WHEN requirement = '' THEN title ELSE title || chr(10) || requirement END"
           " FROM task ORDER BY id;"
           "INSERT INTO search_gram (gram, doc_id) SELECT DISTINCT"
           " translate(substr(d.text, i, 2), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), d.id"
           " FROM search_doc d, generate_series(1, length(d.text) - 1) i"
           " WHERE substr(d.text, i, 2) !~ '[[:cntrl:]]';"
           "ANALYZE;",
           a[0], N(kPrefix), a[1], N(kVerb), a[2], N(kObject), a[3], N(kSuffix), n);
  if (db_exec(db, sql, &e)) die("generate", &e);
  free(sql);
  fprintf(stderr, "  generated in %.0f s\n", now() - t0);
}

static int dcmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

struct stats {
  double p50, p99, max;
  long hits;
};

static struct stats summarise(double *t, int n, long hits) {
  struct stats s;
  qsort(t, (size_t)n, sizeof *t, dcmp);
  s.p50 = t[n / 2] * 1e3;
  s.p99 = t[(int)(n * 0.99) < n ? (int)(n * 0.99) : n - 1] * 1e3;
  s.max = t[n - 1] * 1e3;
  s.hits = hits;
  return s;
}

static struct stats run_search(struct app *app, const char **qs, int nq, int rounds) {
  struct actor admin = actor_system();
  double *t = malloc(sizeof(double) * (size_t)(nq * rounds));
  long hits = 0;
  int k = 0;
  struct stats s;
  for (int r = 0; r < rounds; r++)
    for (int i = 0; i < nq; i++) {
      struct err e = {0};
      json_t *in = json_pack("{s:s,s:i}", "q", qs[i], "limit", 25), *out = NULL;
      double t0 = now();
      if (app_search(app, &admin, in, &out, &e)) die(qs[i], &e);
      t[k++] = now() - t0;
      hits += (long)json_array_size(json_object_get(out, "items"));
      json_decref(in);
      json_decref(out);
    }
  s = summarise(t, k, hits);
  free(t);
  return s;
}

static struct stats run_like(struct db *db, const char **qs, int nq, int rounds) {
  double *t = malloc(sizeof(double) * (size_t)(nq * rounds));
  long hits = 0;
  int k = 0;
  struct stats s;
  for (int r = 0; r < rounds; r++)
    for (int i = 0; i < nq; i++) {
      struct err e = {0};
      char like[256];
      struct db_stmt *st;
      int rc;
      double t0 = now();
      snprintf(like, sizeof like, "%%%s%%", qs[i]);
      st = db_prepare(db,
                      "SELECT d.id, t.code, t.title, d.text FROM search_doc d JOIN task t ON t.id = d.task_id"
                      " WHERE d.text LIKE ? ORDER BY d.id DESC LIMIT 26",
                      &e);
      if (!st) die("like", &e);
      db_bind_text(st, 1, like);
      while ((rc = db_step(st, &e)) == DB_ROW) hits++;
      db_done(st);
      if (rc < 0) die("like", &e);
      t[k++] = now() - t0;
    }
  s = summarise(t, k, hits);
  free(t);
  return s;
}

int main(int argc, char **argv) {
  const char *target = "/tmp/duban-bench-search.db";
  long n = 1000000;
  int rounds = 10, like_rounds = 2, version = 0, state;
  struct err e = {0};
  struct app app;
  struct db *db;
  int64_t have = 0;
  struct db_stmt *st;
  struct stats s2, s3, l2, l3;

  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--db")) target = argv[i + 1];
    else if (!strcmp(argv[i], "--n")) n = atol(argv[i + 1]);
    else if (!strcmp(argv[i], "--rounds")) rounds = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--like-rounds")) like_rounds = atoi(argv[i + 1]);
  }
  if (!(db = db_open(target, &e))) die("open", &e);
  if ((state = schema_inspect(db, &version, &e)) < 0) die("inspect", &e);
  if (schema_migrate(db, SCHEMA_VERSION, NULL, &e)) die("migrate", &e);
  st = db_prepare(db, "SELECT COUNT(*) FROM task", &e);
  if (!st || db_step_int(st, &have, &e) < 0) die("count", &e);
  db_done(st);
  if (have == 0) {
    fprintf(stderr, "generating %ld tasks in %s\n", n, target);
    if (db_kind(db) == DB_SQLITE) generate_sqlite(db, n);
    else generate_pg(db, n);
  } else {
    n = (long)have;
  }
  db_close(db);
  if (app_open(&app, target, APP_OPEN_EXISTING, NULL, &e)) die("app_open", &e);
  /* Warm the cache as a running server would be. */
  run_search(&app, kQ2, N(kQ2), 1);
  run_search(&app, kQ3, N(kQ3), 1);
  s2 = run_search(&app, kQ2, N(kQ2), rounds);
  s3 = run_search(&app, kQ3, N(kQ3), rounds);
  l2 = run_like(app.db, kQ2, N(kQ2), like_rounds);
  l3 = run_like(app.db, kQ3, N(kQ3), like_rounds);
  printf("search over %ld tasks (%s), first page of 25, %d queries x %d rounds each\n", n,
         db_kind(app.db) == DB_SQLITE ? "SQLite" : "PostgreSQL", N(kQ2), rounds);
  printf("%-22s %9s %9s %9s %8s\n", "", "p50 ms", "p99 ms", "max ms", "rows");
  printf("%-22s %9.2f %9.2f %9.2f %8ld\n", "2 chars: index", s2.p50, s2.p99, s2.max, s2.hits);
  printf("%-22s %9.2f %9.2f %9.2f %8ld\n", "2 chars: LIKE scan", l2.p50, l2.p99, l2.max, l2.hits);
  printf("%-22s %9.2f %9.2f %9.2f %8ld\n", "3+ chars: index", s3.p50, s3.p99, s3.max, s3.hits);
  printf("%-22s %9.2f %9.2f %9.2f %8ld\n", "3+ chars: LIKE scan", l3.p50, l3.p99, l3.max, l3.hits);
  printf("speed-up at p99: 2 chars %.0fx, 3+ chars %.0fx\n", l2.p99 / s2.p99, l3.p99 / s3.p99);
  app_close(&app);
  return 0;
}

/* test_ingest.c — unit tests for src/ingest: reading (UTF-8, GB18030, .docx,
** caps), metadata, task rules, deadlines, units, JSON. Fixtures are in
** tests/fixtures/ingest/ (written for these tests); the dev corpus in
** ../shared is optional (skipped when absent). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unicode/ucnv.h>
#include <zip.h>

#include "ingest/ingest.h"
#include "testlib.h"
#include "util/text.h"

#define FIX "tests/fixtures/ingest/"

static char *slurp(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  char *b;
  long sz;
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  sz = ftell(f);
  fseek(f, 0, SEEK_SET);
  b = malloc((size_t)sz + 1);
  if (b && fread(b, 1, (size_t)sz, f) != (size_t)sz) { free(b); b = NULL; }
  if (b) b[sz] = 0;
  fclose(f);
  *n = (size_t)sz;
  return b;
}

/* Every task's source_text is the text between its character offsets. */
static int spans_exact(const struct ingest_result *r) {
  for (size_t i = 0; i < r->n_tasks; i++) {
    const struct ingest_task *t = &r->tasks[i];
    size_t cp = 0, bs = (size_t)-1, be = (size_t)-1;
    for (size_t b = 0; b <= r->text_len; b++) {
      if (b == r->text_len || ((unsigned char)r->text[b] & 0xC0) != 0x80) {
        if (cp == t->start) bs = b;
        if (cp == t->end) { be = b; break; }
        cp++;
      }
    }
    if (bs == (size_t)-1 || be == (size_t)-1 || be < bs) return 0;
    if (strlen(t->source_text) != be - bs) return 0;
    if (memcmp(r->text + bs, t->source_text, be - bs) != 0) return 0;
    if (utf8_chars(t->title) > 30) return 0;
  }
  return 1;
}

static const struct ingest_task *find_task(const struct ingest_result *r,
                                           const char *needle) {
  for (size_t i = 0; i < r->n_tasks; i++)
    if (strstr(r->tasks[i].source_text, needle)) return &r->tasks[i];
  return NULL;
}

static int add_workdays(void *ctx, day_t from, int n, day_t *out, struct err *e) {
  (void)ctx; (void)e;
  day_t d = from;
  while (n > 0) { d++; if (date_weekday(d) < 6) n--; }
  *out = d;
  return 0;
}

static const struct ingest_unit kUnits[] = {
    {10, "研究生院", NULL, "研究生处", "研究生教育|学位"},
    {11, "化学院", NULL, NULL, NULL},
    {12, "教务处", NULL, NULL, "课程|教学"},
    {13, "保卫处", NULL, NULL, "安全|门禁"}};

static void test_plenary(void) {
  struct ingest_options o = {0};
  struct ingest_result r;
  struct err e = {0};
  char b[11];
  o.meeting_date = DATE_NONE;
  o.units = kUnits;
  o.n_units = 4;
  o.add_workdays = add_workdays;
  CHECK_INT(ingest_file(FIX "plenary.txt", &o, &r, &e), 0);
  CHECK_STR(date_format(r.meeting_date, b), "2023-09-08"); /* year from text */
  CHECK_STR(r.place, "行政楼第一会议室");
  CHECK_STR(r.host, "校党委书记李明");
  CHECK_INT(r.n_documents, 1);
  if (r.n_documents) CHECK_STR(r.documents[0], "《某某大学教学质量提升方案》");
  CHECK(spans_exact(&r));
  CHECK(find_task(&r, "半年来") == NULL); /* praise excluded */
  const struct ingest_task *t = find_task(&r, "一是加强研究生教育管理");
  CHECK(t != NULL);
  if (t) {
    CHECK_STR(t->rule, "enum_item");
    CHECK_STR(date_format(t->deadline, b), "2023-12-31"); /* section: 下半年 */
    CHECK_STR(t->suggested_unit, "研究生院"); /* keyword 研究生教育 */
    CHECK_INT(t->suggested_unit_id, 10);
  }
  t = find_task(&r, "化学学院要在10月底前");
  CHECK(t != NULL);
  if (t) {
    CHECK_STR(t->unit, "化学学院");
    CHECK_STR(date_format(t->deadline, b), "2023-10-31");
    /* 化学院 is not a word of 化学学院: no raw substring match */
    CHECK(t->suggested_unit == NULL || strcmp(t->suggested_unit, "化学院") != 0);
  }
  t = find_task(&r, "三是做好本学期迎新工作");
  CHECK(t != NULL);
  if (t) CHECK_STR(date_format(t->deadline, b), "2024-01-31"); /* autumn term */
  t = find_task(&r, "5个工作日内");
  CHECK(t != NULL);
  if (t) {
    CHECK_STR(t->unit, "教务处");
    CHECK_STR(date_format(t->deadline, b), "2023-09-15");
  }
  json_t *j = ingest_result_json(&r);
  CHECK(j != NULL);
  if (j) {
    CHECK(json_array_size(json_object_get(j, "tasks")) == r.n_tasks);
    CHECK(json_is_string(json_object_get(json_array_get(json_object_get(j, "tasks"), 0), "rule")));
    json_decref(j);
  }
  ingest_result_release(&r);
  /* without a calendar: no deadline, a warning */
  o.add_workdays = NULL;
  CHECK_INT(ingest_file(FIX "plenary.txt", &o, &r, &e), 0);
  t = find_task(&r, "5个工作日内");
  CHECK(t && t->deadline == DATE_NONE);
  CHECK(r.n_warnings >= 1);
  ingest_result_release(&r);
}

static void test_empty_and_binary(void) {
  struct ingest_result r;
  struct err e = {0};
  CHECK_INT(ingest_text("", 0, NULL, &r, &e), -1);
  CHECK_STR(e.field, "file");
  CHECK(strstr(e.message, "empty") != NULL);
  ingest_result_release(&r);
  static const char bin[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0";
  err_clear(&e);
  CHECK_INT(ingest_text(bin, sizeof bin - 1, NULL, &r, &e), -1);
  CHECK(e.code == ERR_UNSUPPORTED);
  CHECK(strstr(e.message, "binary") != NULL);
  /* invalid in both UTF-8 and GB18030 */
  err_clear(&e);
  CHECK_INT(ingest_text("\xff\xfe\xff\xfe abc", 8, NULL, &r, &e), -1);
  CHECK(e.code == ERR_UNSUPPORTED);
  ingest_result_release(&r);
}

static void test_too_large(void) {
  size_t n = (size_t)60 << 20;
  char *big = malloc(n);
  struct ingest_result r;
  struct err e = {0};
  CHECK(big != NULL);
  if (!big) return;
  memset(big, 'a', n);
  CHECK_INT(ingest_text(big, n, NULL, &r, &e), -1);
  CHECK(e.code == ERR_TOO_LARGE);
  CHECK(strstr(e.message, "limit") != NULL);
  /* the same through a file */
  char path[] = "/tmp/duban_ingest_bigXXXXXX";
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  if (fd >= 0) {
    CHECK(write(fd, big, n) == (ssize_t)n);
    close(fd);
    err_clear(&e);
    CHECK_INT(ingest_file(path, NULL, &r, &e), -1);
    CHECK(e.code == ERR_TOO_LARGE);
    unlink(path);
  }
  free(big);
}

static void test_mixed_eol(void) {
  struct ingest_result r;
  struct err e = {0};
  CHECK_INT(ingest_file(FIX "mixed_eol.txt", NULL, &r, &e), 0);
  CHECK(spans_exact(&r));
  CHECK(find_task(&r, "一是加强门禁管理") != NULL);
  CHECK(find_task(&r, "二是完善巡逻制度") != NULL);
  CHECK(find_task(&r, "开展安全演练") != NULL);
  for (size_t i = 0; i < r.n_tasks; i++) {
    CHECK(strchr(r.tasks[i].source_text, '\r') == NULL);
    CHECK(strchr(r.tasks[i].source_text, '\n') == NULL);
  }
  ingest_result_release(&r);
}

static void test_no_tasks(void) {
  struct ingest_result r;
  struct err e = {0};
  CHECK_INT(ingest_file(FIX "no_tasks.txt", NULL, &r, &e), 0);
  CHECK_INT(r.n_tasks, 0);
  CHECK(r.n_warnings >= 1);
  ingest_result_release(&r);
}

static void test_gb18030(void) {
  size_t n;
  char *u = slurp(FIX "plenary.txt", &n);
  UErrorCode st = U_ZERO_ERROR;
  char gb[8192];
  struct ingest_result r, r2;
  struct err e = {0};
  CHECK(u != NULL);
  if (!u) return;
  int32_t gn = ucnv_convert("GB18030", "UTF-8", gb, sizeof gb, u, (int32_t)n, &st);
  CHECK(U_SUCCESS(st));
  CHECK_INT(ingest_text(gb, (size_t)gn, NULL, &r, &e), 0);
  CHECK_STR(r.encoding, "GB18030");
  CHECK_INT(ingest_text(u, n, NULL, &r2, &e), 0);
  CHECK_STR(r.text, r2.text);
  CHECK_INT(r.n_tasks, r2.n_tasks);
  ingest_result_release(&r);
  ingest_result_release(&r2);
  free(u);
}

static int write_docx(const char *path, const char *xml, size_t n) {
  int err = 0;
  zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (!z) return -1;
  zip_source_t *s = zip_source_buffer(z, xml, n, 0);
  if (!s || zip_file_add(z, "word/document.xml", s, ZIP_FL_OVERWRITE) < 0) {
    zip_source_free(s);
    zip_discard(z);
    return -1;
  }
  return zip_close(z);
}

static void test_docx(void) {
  static const char xml[] =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
      "<w:body><w:p><w:r><w:t>3月2日，学院在东楼会议室召开会议。</w:t></w:r></w:p>"
      "<w:p><w:r><w:t>会议强调，一是加强</w:t></w:r><w:r><w:t>教材管理；</w:t></w:r>"
      "<w:r><w:t>二是做好春季招生宣传。</w:t></w:r></w:p></w:body></w:document>";
  char path[] = "/tmp/duban_ingest_docxXXXXXX";
  struct ingest_result r;
  struct err e = {0};
  struct ingest_options o = {0};
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  if (fd < 0) return;
  close(fd);
  CHECK_INT(write_docx(path, xml, sizeof xml - 1), 0);
  o.meeting_date = date_from_ymd(2024, 3, 2);
  CHECK_INT(ingest_file(path, &o, &r, &e), 0);
  CHECK_STR(r.encoding, "docx");
  CHECK_STR(r.place, "东楼会议室");
  CHECK(find_task(&r, "一是加强教材管理") != NULL);
  CHECK(find_task(&r, "二是做好春季招生宣传") != NULL);
  CHECK(spans_exact(&r));
  ingest_result_release(&r);

  /* truncated archive */
  size_t n;
  char *z = slurp(path, &n);
  CHECK(z != NULL);
  if (z) {
    FILE *f = fopen(path, "wb");
    fwrite(z, 1, n / 2, f);
    fclose(f);
    err_clear(&e);
    CHECK_INT(ingest_file(path, NULL, &r, &e), -1);
    CHECK_STR(e.field, "file");
    CHECK(e.code == ERR_UNSUPPORTED || e.code == ERR_INVALID);
    free(z);
  }
  /* zip bomb: 64 MiB of one byte compresses to ~64 KiB; the cap stops it */
  size_t big = (size_t)64 << 20;
  char *bomb = malloc(big);
  CHECK(bomb != NULL);
  if (bomb) {
    memset(bomb, ' ', big);
    memcpy(bomb, "<w:document>", 12);
    CHECK_INT(write_docx(path, bomb, big), 0);
    free(bomb);
    o.max_bytes = 1 << 20; /* 1 MiB text, 4 MiB document.xml */
    err_clear(&e);
    CHECK_INT(ingest_file(path, &o, &r, &e), -1);
    CHECK(e.code == ERR_TOO_LARGE);
  }
  unlink(path);
}

static void test_deadlines(void) {
  static const char txt[] =
      "5月10日，会议在报告厅召开。\n"
      "会议要求，各学院要在6月底前完成课程评估，"
      "宣传部要于2024年9月1日前发布新版网站，"
      "人事处要在3月底前制定招聘计划，"
      "后勤处要在本学期完成食堂改造，"
      "图书馆要在今后一个时期加强数字资源建设。\n";
  struct ingest_options o = {0};
  struct ingest_result r;
  struct err e = {0};
  char b[11];
  o.meeting_date = date_from_ymd(2024, 5, 10);
  CHECK_INT(ingest_text(txt, sizeof txt - 1, &o, &r, &e), 0);
  const struct ingest_task *t;
  t = find_task(&r, "6月底前");
  CHECK(t && strcmp(date_format(t->deadline, b), "2024-06-30") == 0);
  if (t) CHECK_STR(t->unit, "各学院");
  t = find_task(&r, "2024年9月1日前");
  CHECK(t && strcmp(date_format(t->deadline, b), "2024-09-01") == 0);
  t = find_task(&r, "3月底前"); /* earlier than the meeting month: next year */
  CHECK(t && strcmp(date_format(t->deadline, b), "2025-03-31") == 0);
  t = find_task(&r, "本学期"); /* spring term */
  CHECK(t && strcmp(date_format(t->deadline, b), "2024-07-31") == 0);
  t = find_task(&r, "今后一个时期");
  CHECK(t && t->deadline == DATE_NONE);
  ingest_result_release(&r);
}

static void test_enumerations(void) {
  static const char txt[] =
      "会议就做好下一步工作提出要求。第一，加强课程思政建设；第二，完善教师考核办法。\n"
      "（一）推进校园网络升级\n（二）做好实验室安全检查\n"
      "会议强调，要提高政治站位，统一思想，凝聚共识，确保各项工作落到实处。\n";
  struct ingest_result r;
  struct err e = {0};
  CHECK_INT(ingest_text(txt, sizeof txt - 1, NULL, &r, &e), 0);
  CHECK(find_task(&r, "第一，加强课程思政建设") != NULL);
  CHECK(find_task(&r, "第二，完善教师考核办法") != NULL);
  CHECK(find_task(&r, "（一）推进校园网络升级") != NULL);
  CHECK(find_task(&r, "（二）做好实验室安全检查") != NULL);
  CHECK(find_task(&r, "统一思想") == NULL); /* slogans */
  CHECK(find_task(&r, "确保") == NULL);     /* purpose clause */
  CHECK(spans_exact(&r));
  ingest_result_release(&r);
}

/* The dev corpus, when present: offsets exact, no crash. */
static void test_corpus(void) {
  static const char *const docs[] = {"01", "02", "03", "04"};
  char path[256];
  if (access("../shared/corpus/meetings/01.txt", R_OK) != 0) {
    printf("    skip: ../shared/corpus/meetings not present\n");
    return;
  }
  for (size_t i = 0; i < 4; i++) {
    struct ingest_result r;
    struct err e = {0};
    snprintf(path, sizeof path, "../shared/corpus/meetings/%s.txt", docs[i]);
    CHECK_INT(ingest_file(path, NULL, &r, &e), 0);
    CHECK(r.n_tasks > 0);
    CHECK(spans_exact(&r));
    ingest_result_release(&r);
  }
}

int main(void) {
  RUN(test_plenary);
  RUN(test_empty_and_binary);
  RUN(test_too_large);
  RUN(test_mixed_eol);
  RUN(test_no_tasks);
  RUN(test_gb18030);
  RUN(test_docx);
  RUN(test_deadlines);
  RUN(test_enumerations);
  RUN(test_corpus);
  return test_summary("test_ingest");
}

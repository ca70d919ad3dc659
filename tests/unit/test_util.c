/* test_util.c — dates, UTF-8 checks, the buffer, the JSON writer, the audit hash. */
#include <jansson.h>
#include <stdlib.h>

#include "core/audit.h"
#include "testlib.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/err.h"
#include "util/jw.h"
#include "util/text.h"

static void test_dates_parse_strictly(void) {
  day_t d;
  char out[11];
  CHECK(date_parse("2021-09-28", &d) == 0);
  CHECK_STR(date_format(d, out), "2021-09-28");
  CHECK_INT(date_weekday(d), 2); /* a Tuesday */
  CHECK(date_parse("2021-02-30", &d) == -1);
  CHECK(date_parse("2020-02-29", &d) == 0);
  CHECK(date_parse("2021-02-29", &d) == -1);
  CHECK(date_parse("2021-9-28", &d) == -1);
  CHECK(date_parse("2021-09-28x", &d) == -1);
  CHECK(date_parse("", &d) == -1);
  CHECK(date_parse("0000-01-01", &d) == -1);
  CHECK_INT(date_from_ymd(1970, 1, 1), 0);
  CHECK_INT(date_from_ymd(2000, 3, 1) - date_from_ymd(2000, 2, 28), 2);
}

static void test_local_time_is_utc_plus_8(void) {
  char t[32];
  date_set_utc_offset_minutes(480);
  /* 2021-08-25 00:30 in Shanghai is 2021-08-24 16:30 UTC. */
  int64_t ts = unix_of_date(date_from_ymd(2021, 8, 25), 0, 30);
  CHECK_INT(ts, 1629822600);
  CHECK_INT(date_of_unix(ts), date_from_ymd(2021, 8, 25));
  CHECK_STR(time_format(ts, t), "2021-08-25T00:30:00+08:00");
  CHECK_INT(time_local_hour(ts), 0);
  setenv("DUBAN_NOW", "2021-08-25T10:00", 1);
  CHECK_INT(date_today(), date_from_ymd(2021, 8, 25));
  unsetenv("DUBAN_NOW");
}

static void test_utf8_validation(void) {
  size_t bad = 0;
  struct err e;
  CHECK(utf8_valid("督办", 6, NULL));
  CHECK(!utf8_valid("\xe7\x9d", 2, &bad));
  CHECK_INT(bad, 0);
  CHECK(!utf8_valid("ab\xc0\xaf", 4, &bad)); /* overlong '/' */
  CHECK_INT(bad, 2);
  CHECK(!utf8_valid("\xed\xa0\x80", 3, NULL)); /* a surrogate */
  CHECK_INT(utf8_chars("督办ab"), 4);
  err_clear(&e);
  CHECK(text_check(&e, "title", "督办事项", 3, 1, 0) == -1);
  CHECK_STR(e.field, "title");
  CHECK(text_check(&e, "title", "a\x01", 10, 1, 0) == -1);
  CHECK(text_check(&e, "title", "", 10, 1, 0) == -1);
  CHECK(text_check(&e, "title", "", 10, 0, 0) == 0);
  CHECK(text_check(&e, "text", "line\nline", 20, 1, 1) == 0);
}

static void test_buffer_cap_is_sticky(void) {
  struct buf b;
  buf_init(&b, 8);
  CHECK(b.data != NULL && b.data[0] == 0);
  CHECK(buf_puts(&b, "abcd") == 0);
  CHECK(buf_printf(&b, "%d", 123) == 0);
  CHECK_STR(b.data, "abcd123");
  CHECK(buf_puts(&b, "xy") == -1);
  CHECK(b.failed);
  CHECK(buf_puts(&b, "") == -1);
  buf_release(&b);
}

/* The writer's output is what jansson reads back, value for value. */
static void test_json_writer(void) {
  struct buf b;
  struct jw w;
  json_t *v;
  json_error_t je;
  buf_init(&b, 0);
  jw_init(&w, &b);
  jw_obj(&w);
  jw_key(&w, "s");
  jw_str(&w, "督办 \"q\" \\ \n\t\x01/");
  jw_key(&w, "bad");
  jw_strn(&w, "a\xff\xc3(b\xed\xa0\x80", 8);   /* stray byte, cut sequence, surrogate */
  jw_key(&w, "n");
  jw_int(&w, -9223372036854775807LL - 1);
  jw_key(&w, "z");
  jw_int(&w, 0);
  jw_key(&w, "a");
  jw_arr(&w);
  jw_int(&w, 1);
  jw_null(&w);
  jw_bool(&w, 1);
  jw_obj(&w);
  jw_end(&w);
  jw_arr(&w);
  jw_end(&w);
  jw_raw(&w, "{\"k\":[2]}", 9);
  jw_str(&w, NULL);
  jw_end(&w);
  jw_key(&w, "f");
  jw_bool(&w, 0);
  jw_end(&w);
  CHECK(!b.failed);
  CHECK_STR(b.data, "{\"s\":\"督办 \\\"q\\\" \\\\ \\n\\t\\u0001/\","
                    "\"bad\":\"a\xEF\xBF\xBD\xEF\xBF\xBD(b\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\","
                    "\"n\":-9223372036854775808,\"z\":0,"
                    "\"a\":[1,null,true,{},[],{\"k\":[2]},null],\"f\":false}");
  v = json_loadb(b.data, b.len, 0, &je);
  CHECK(v != NULL);
  CHECK_STR(json_string_value(json_object_get(v, "s")), "督办 \"q\" \\ \n\t\x01/");
  CHECK_INT(json_array_size(json_object_get(v, "a")), 7);
  json_decref(v);
  /* Closing more than was opened fails, stickily. */
  buf_reset(&b);
  jw_init(&w, &b);
  jw_end(&w);
  CHECK(b.failed);
  buf_release(&b);
}

static void test_audit_hash_chains(void) {
  struct audit_entry a = {1, 100, 0, "task", 7, "create", NULL, "{\"x\":1}"};
  char h1[AUDIT_HASH_HEX], h1b[AUDIT_HASH_HEX], h2[AUDIT_HASH_HEX], h3[AUDIT_HASH_HEX];
  CHECK(audit_hash(NULL, &a, h1) == 0);
  CHECK(audit_hash("", &a, h1b) == 0);
  CHECK_STR(h1, h1b);
  CHECK_INT(strlen(h1), 64);
  a.after = "{\"x\":2}";
  CHECK(audit_hash(NULL, &a, h2) == 0);
  CHECK(strcmp(h1, h2) != 0);
  a.after = "{\"x\":1}";
  CHECK(audit_hash(h2, &a, h3) == 0); /* another predecessor changes it */
  CHECK(strcmp(h1, h3) != 0);
  CHECK(audit_hash("zz", &a, h3) == -1);
  /* Moving the boundary between two adjacent fields (before | after)
  ** changes the hash: fields are separated, not concatenated. */
  {
    struct audit_entry b1 = {1, 100, 0, "task", 7, "edit", "{\"a\":1}x", "{}"};
    struct audit_entry b2 = {1, 100, 0, "task", 7, "edit", "{\"a\":1}", "x{}"};
    CHECK(audit_hash(NULL, &b1, h1) == 0 && audit_hash(NULL, &b2, h2) == 0);
    CHECK(strcmp(h1, h2) != 0);
  }
}

int main(void) {
  RUN(test_dates_parse_strictly);
  RUN(test_local_time_is_utc_plus_8);
  RUN(test_utf8_validation);
  RUN(test_buffer_cap_is_sticky);
  RUN(test_json_writer);
  RUN(test_audit_hash_chains);
  return test_summary("test_util");
}

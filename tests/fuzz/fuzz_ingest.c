/* fuzz_ingest.c — libFuzzer target for ingest_text (decode, segment, metadata,
** tasks, unit suggestion, JSON). See tests/fuzz/README.md for the command. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "ingest/ingest.h"

static int add3(void *ctx, day_t from, int n, day_t *out, struct err *e) {
  (void)ctx; (void)e;
  *out = from + n + n / 5 * 2;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const struct ingest_unit units[] = {
      {1, "研究生院", "研究院", "研究生处|研院", "研究生教育|学位", },
      {2, "发展规划处", "发计处", NULL, "规划|双一流"},
      {3, "安全委员会", NULL, "安委会", "安全|消防"}};
  struct ingest_options o = {0};
  struct ingest_result r;
  struct err e = {0};
  o.meeting_date = (size && data[0] & 1) ? date_from_ymd(2021, 8, 25) : DATE_NONE;
  o.units = units;
  o.n_units = 3;
  o.add_workdays = (size && data[0] & 2) ? add3 : NULL;
  o.max_bytes = 1 << 20;
  if (ingest_text((const char *)data, size, &o, &r, &e) == 0) {
    for (size_t i = 0; i < r.n_tasks; i++)
      if (r.tasks[i].end > r.text_chars || r.tasks[i].start >= r.tasks[i].end)
        abort();
    json_t *j = ingest_result_json(&r);
    json_decref(j);
  }
  ingest_result_release(&r);
  return 0;
}

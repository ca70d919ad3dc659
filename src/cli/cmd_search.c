/*
** cmd_search.c — duban search Q: the search use case (app/search.h) from
** the command line, as GET /api/v1/search?q= serves it.
*/
#include <stdio.h>
#include <string.h>

#include "app/search.h"
#include "cli/cli.h"

int cmd_search(int argc, char **argv) {
  static const struct cli_opt opts[] = {
      {"kind", "kind", O_STR, "only this kind: task or progress"},
      {"limit", "limit", O_INT, "results per page, 1..100 (default 25)"},
      {"cursor", "cursor", O_STR, "the next_cursor of the previous page"},
      {NULL, NULL, 0, NULL}};
  struct cli_common c;
  struct app app;
  struct actor who;
  json_t *in = NULL, *out = NULL;
  const char *pos[2];
  int npos = 0, rc;
  struct err e;
  err_clear(&e);
  if ((rc = cli_parse("search", argc, argv, 1, opts, &c, &in, pos, 1, &npos))) {
    json_decref(in);
    return rc;
  }
  if (c.help || npos != 1) {
    json_decref(in);
    if (!c.help) return cli_usage("search", "give the text to search for");
    cli_help("duban search TEXT [--kind task|progress] [--limit N] [--cursor C]",
             "Finds tasks whose title or requirement, and progress reports whose text,\n"
             "contain TEXT (2 characters or more), newest first. A unit user (--as)\n"
             "sees only the tasks its unit takes part in.",
             opts);
    return 0;
  }
  json_object_set_new(in, "q", json_string(pos[0]));
  if ((rc = cli_open("search", &c, APP_OPEN_EXISTING, &app, &who))) {
    json_decref(in);
    return rc;
  }
  if (app_search(&app, &who, in, &out, &e)) {
    rc = cli_fail("search", &e);
  } else if (c.json) {
    cli_print_json(out);
  } else {
    json_t *next = json_object_get(out, "next_cursor");
    cli_print_table(json_object_get(out, "items"), "code:编号,kind:类别,id:ID,snippet:摘要");
    if (json_is_string(next)) printf("(more: --cursor %s)\n", json_string_value(next));
  }
  json_decref(out);
  json_decref(in);
  app_close(&app);
  return rc;
}

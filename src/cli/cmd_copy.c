/*
** cmd_copy.c — duban copy --from FILE.db --to URL: move an institution's
** data, journal included, to another (empty) database; see app/copy.h.
*/
#include <stdio.h>
#include <string.h>

#include "app/copy.h"
#include "cli/cli.h"

int cmd_copy(int argc, char **argv) {
  static const struct cli_opt opts[] = {
      {"from", "from", O_STR, "the database to copy (a SQLite file)"},
      {"to", "to", O_STR, "the empty target database (postgres://…)"},
      {NULL, NULL, 0, NULL}};
  struct cli_common c;
  json_t *in = NULL, *out = NULL;
  const char *pos[1], *from, *to;
  int npos = 0, rc;
  struct err e;
  err_clear(&e);
  if ((rc = cli_parse("copy", argc, argv, 1, opts, &c, &in, pos, 0, &npos))) {
    json_decref(in);
    return rc;
  }
  from = json_string_value(json_object_get(in, "from"));
  to = json_string_value(json_object_get(in, "to"));
  if (c.help || !from || !to) {
    json_decref(in);
    if (!c.help) return cli_usage("copy", "give --from and --to");
    cli_help("duban copy --from FILE.db --to postgres://USER@HOST/DB",
             "Copies every table, the journal included, into an empty database in one\n"
             "transaction (ids kept), rebuilds the search index there, then compares\n"
             "the row counts per table and verifies the journal chain on the target.\n"
             "Exit code 1 when a count differs or the chain does not verify.",
             opts);
    return 0;
  }
  if (app_copy(from, to, &out, &e)) {
    rc = cli_fail("copy", &e);
  } else {
    json_t *j = json_object_get(out, "journal");
    if (c.json) {
      cli_print_json(out);
    } else {
      cli_print_table(json_object_get(out, "tables"), "table:table,source:source,target:target");
      printf("journal: %lld entries, %s\n",
             (long long)json_integer_value(json_object_get(j, "entries")),
             json_is_true(json_object_get(j, "ok")) ? "chain intact" : "CHAIN BROKEN");
    }
    if (!json_is_true(json_object_get(out, "ok"))) {
      fprintf(stderr, "duban copy: error: the copy does not match its source\n");
      rc = 1;
    } else if (!c.json) {
      printf("copied %s to %s\n", from, to);
    }
  }
  json_decref(out);
  json_decref(in);
  return rc;
}

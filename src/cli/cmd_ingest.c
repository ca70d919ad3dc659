/*
** cmd_ingest.c — `duban ingest FILE [--json] [--meeting-date DATE]
**                [--commit [--db PATH]]`
**
** Prints the draft ledger of a meeting report as a table (default) or as JSON;
** with --commit, hands it to ingest_commit_hook() (src/app) which stores the
** source and its tasks in one transaction. Exit codes: 0 ok, 1 error, 2 usage.
*/
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest/ingest.h"
#include "util/text.h"

/* Implemented by the application layer (src/app/ingest_app.c). */
extern int ingest_commit_hook(const struct ingest_result *r, const char *db_path,
                              struct err *e);

static const char kUsage[] =
    "usage: duban ingest FILE [--json] [--meeting-date YYYY-MM-DD]\n"
    "                    [--commit [--db PATH]]\n"
    "\n"
    "Reads a meeting report (.txt in UTF-8 or GB18030/GBK, or .docx) and prints\n"
    "its draft task ledger.\n"
    "  --json               print JSON (meeting, tasks with source_text, title,\n"
    "                       unit, deadline, suggested_unit, rule, start, end)\n"
    "  --meeting-date DATE  the meeting date, when the text lacks it or its year\n"
    "  --commit             store the source and its draft tasks\n"
    "  --db PATH            database for --commit (default: $DUBAN_DB or duban.db)\n"
    "  --help               show this help\n";

static int fail(const struct err *e) {
  fprintf(stderr, "duban ingest: error: %s: %s\n", e->field[0] ? e->field : "file",
          e->message);
  return e->code == ERR_USAGE ? 2 : 1;
}

/* Pads s with spaces to `width` display columns (CJK counts 2). */
static void put_col(const char *s, int width) {
  int w = 0;
  const unsigned char *p = (const unsigned char *)(s ? s : "-");
  const unsigned char *start = p;
  while (*p) {
    int cw = (*p >= 0xE0 && !(p[0] == 0xE2 && (p[1] == 0x80 || p[1] == 0x81))) ? 2 : 1;
    int len = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
    if (w + cw > width) break;
    w += cw;
    for (int k = 0; k < len && *p; k++) p++;
  }
  fwrite(start, 1, (size_t)(p - start), stdout);
  for (; w < width; w++) putchar(' ');
  putchar(' ');   /* a gap even when the cell fills its width */
}

static void print_table(const struct ingest_result *r) {
  char b[11];
  printf("title:     %s\n", r->title ? r->title : "-");
  printf("date:      %s\n", r->meeting_date == DATE_NONE ? "-" : date_format(r->meeting_date, b));
  printf("place:     %s\n", r->place ? r->place : "-");
  printf("host:      %s\n", r->host ? r->host : "-");
  for (size_t i = 0; i < r->n_documents; i++)
    printf("approved:  %s\n", r->documents[i]);
  printf("tasks:     %zu\n\n", r->n_tasks);
  printf(" #  ");
  put_col("title", 44);
  put_col("unit", 24);
  put_col("deadline", 11);
  printf("rule\n");
  for (size_t i = 0; i < r->n_tasks; i++) {
    const struct ingest_task *t = &r->tasks[i];
    printf("%2zu  ", i + 1);
    put_col(t->title, 44);
    put_col(t->unit ? t->unit : t->suggested_unit, 24);
    put_col(t->deadline == DATE_NONE ? "-" : date_format(t->deadline, b), 11);
    printf("%s\n", t->rule);
  }
  for (size_t i = 0; i < r->n_warnings; i++)
    printf("warning: %s\n", r->warnings[i]);
}

int cmd_ingest(int argc, char **argv) {
  static const struct option opts[] = {
      {"json", no_argument, NULL, 'j'},
      {"meeting-date", required_argument, NULL, 'd'},
      {"commit", no_argument, NULL, 'c'},
      {"db", required_argument, NULL, 'b'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  struct ingest_options o = {0};
  struct ingest_result r = {0};
  struct err e = {0};
  int json = 0, commit = 0, c, rc = 1;
  const char *db = NULL;
  o.meeting_date = DATE_NONE;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (c) {
      case 'j': json = 1; break;
      case 'c': commit = 1; break;
      case 'b': db = optarg; break;
      case 'd':
        if (date_parse(optarg, &o.meeting_date)) {
          err_set(&e, ERR_USAGE, "meeting-date", "\"%s\" is not a date (YYYY-MM-DD)",
                  optarg);
          return fail(&e);
        }
        break;
      case 'h': fputs(kUsage, stdout); return 0;
      default:
        err_set(&e, ERR_USAGE, "usage", "unknown option %s (see --help)",
                argv[optind - 1]);
        return fail(&e);
    }
  }
  if (optind != argc - 1) {
    err_set(&e, ERR_USAGE, "usage", "give exactly one FILE (see --help)");
    return fail(&e);
  }
  /* With a database (--db, $DUBAN_DB, or ./duban.db when present), units
  ** are suggested from it and working-day deadlines use its calendar. */
  if (!db) db = getenv("DUBAN_DB");
  if (!db && (commit || access("duban.db", F_OK) == 0)) db = "duban.db";
  if (ingest_file_with_db(argv[optind], db, &o, &r, &e)) return fail(&e);
  if (commit) {
    if (ingest_commit_hook(&r, db, &e)) {
      rc = fail(&e);
      goto done;
    }
  }
  if (json) {
    json_t *j = ingest_result_json(&r);
    char *s = j ? json_dumps(j, JSON_INDENT(1)) : NULL;
    json_decref(j);
    if (!s) {
      err_set(&e, ERR_INTERNAL, "json", "out of memory");
      rc = fail(&e);
      goto done;
    }
    puts(s);
    free(s);
  } else {
    print_table(&r);
  }
  if (commit && !json) printf("stored %zu draft tasks in %s\n", r.n_tasks, db);
  rc = 0;
done:
  ingest_result_release(&r);
  return rc;
}

/*
** main.c — the `duban` command: one table of verbs, each a cmd_NAME
** function in src/cli/cmd_*.c. Exit codes: 0 ok, 1 error, 2 usage.
*/
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const struct {
  const char *name;
  int (*fn)(int, char **);
  const char *help;
} kCommands[] = {
  {"init", cmd_init, "create a database"},
  {"demo", cmd_demo, "create a demo database and serve it"},
  {"serve", cmd_serve, "run the HTTP server and web UI"},
  {"unit", cmd_unit, "units: add, list, show, update"},
  {"user", cmd_user, "users: add, list, show, passwd"},
  {"source", cmd_source, "task sources (meetings, documents): add, list, show"},
  {"task", cmd_task, "tasks and their lifecycle actions"},
  {"ingest", cmd_ingest, "turn a meeting report into a draft ledger"},
  {"search", cmd_search, "find tasks and progress reports by text"},
  {"copy", cmd_copy, "copy a SQLite database into an empty PostgreSQL database"},
  {"tick", cmd_tick, "recompute lights and apply due escalation steps"},
  {"score", cmd_score, "unit scores for a period"},
  {"stats", cmd_stats, "task counts by unit, status and light"},
  {"audit", cmd_audit, "audit verify: check the journal's hash chain"},
  {"calendar", cmd_calendar, "working-day calendar: workdays, add, import, show, set"},
  {"settings", cmd_settings, "show or change settings"},
  {"backup", cmd_backup, "copy the database to a file (SQLite online backup)"},
  {"migrate", cmd_migrate, "apply pending schema migrations"},
  {"views", cmd_views, "stored task views: build, check"},
};

static void usage(FILE *f) {
  fprintf(f, "usage: duban COMMAND [options]   (duban COMMAND --help for details)\n\ncommands:\n");
  for (size_t i = 0; i < sizeof kCommands / sizeof kCommands[0]; i++)
    fprintf(f, "  %-10s %s\n", kCommands[i].name, kCommands[i].help);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
    usage(stdout);
    return 0;
  }
  if (!strcmp(argv[1], "--version")) {
    printf("duban 0.1\n");
    return 0;
  }
  for (size_t i = 0; i < sizeof kCommands / sizeof kCommands[0]; i++)
    if (!strcmp(argv[1], kCommands[i].name)) return kCommands[i].fn(argc - 1, argv + 1);
  fprintf(stderr, "duban: unknown command \"%s\"\n", argv[1]);
  usage(stderr);
  return 2;
}

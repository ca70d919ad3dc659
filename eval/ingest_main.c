/* ingest_main.c — a stand-alone driver for `cmd_ingest`, used by eval/run.sh
** and for manual runs until the lead's dispatcher registers the command. */
#include <stdio.h>
#include <string.h>

#include "ingest/ingest.h"

/* Stand-in for the application's hook (src/app implements the real one). */
int ingest_commit_hook(const struct ingest_result *r, const char *db_path,
                       struct err *e) {
  (void)r;
  return err_set(e, ERR_UNAVAILABLE, "commit",
                 "the stand-alone driver cannot store drafts in %s", db_path);
}

/* The stand-alone driver has no application layer: a database is not read
** (no suggested units from it, no database calendar); the eval scores only
** what the text itself gives. */
int ingest_file_with_db(const char *path, const char *db_path, const struct ingest_options *o,
                        struct ingest_result *out, struct err *e) {
  (void)db_path;
  return ingest_file(path, o, out, e);
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "ingest") == 0) return cmd_ingest(argc - 1, argv + 1);
  argv[0] = "ingest";
  return cmd_ingest(argc, argv);
}

/*
** cli.h — shared plumbing of the `duban` commands (src/cli/cmd_*.c).
**
** A command is `int cmd_NAME(int argc, char **argv)` returning the exit code:
** 0 ok, 1 error, 2 usage. Commands are thin: options become a JSON object
** (cli_parse), the app layer (app.h) does the work, and the result is printed
** as a table or, with --json, as JSON. Errors go to stderr as
**   duban VERB: error: FIELD: message
*/
#ifndef DUBAN_CLI_H
#define DUBAN_CLI_H

#include <jansson.h>

#include "app/app.h"

enum cli_opt_type {
  O_STR,     /* string member */
  O_INT,     /* integer member */
  O_UNIT,    /* unit id, name or short name → integer id */
  O_UNITS,   /* comma-separated unit refs → array of ids */
  O_LIST,    /* comma-separated strings → array of strings */
  O_BOOL,    /* flag without value → true */
  O_FILE,    /* read the named file (or - for stdin) into a string member */
};

struct cli_opt {
  const char *name;      /* long option without "--" */
  const char *key;       /* JSON member; NULL: handled by the command itself */
  enum cli_opt_type type;
  const char *help;
};

/* Global options every command takes: --db, --as, --json, --help. */
struct cli_common {
  const char *db;        /* --db, else $DUBAN_DB, else "duban.db" */
  const char *as;        /* --as LOGIN, else $DUBAN_USER, else the system actor */
  int json;              /* --json */
  int help;              /* --help */
};

/* Parses argv[first..] into common options, members of *obj (created) per
** opts, and positional arguments (pointers into argv, up to max_pos). Unit
** references are resolved later (cli_resolve_units) because they need the
** database. Returns 0, or 2 after printing a usage error. */
int cli_parse(const char *verb, int argc, char **argv, int first, const struct cli_opt *opts,
              struct cli_common *c, json_t **obj, const char **pos, int max_pos, int *n_pos);

/* Resolves O_UNIT / O_UNITS members of obj (names → ids) against the db. */
int cli_resolve_units(struct app *app, const struct cli_opt *opts, json_t *obj, struct err *e);

/* Opens the database and the acting user. Prints the error and returns 1 on failure. */
int cli_open(const char *verb, const struct cli_common *c, enum app_open_mode mode,
             struct app *app, struct actor *who);

/* Prints "duban VERB: error: field: message" to stderr; returns 1 (or 2 for ERR_USAGE). */
int cli_fail(const char *verb, const struct err *e);
int cli_usage(const char *verb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints help for a command: a synopsis line, a description and its options. */
void cli_help(const char *synopsis, const char *description, const struct cli_opt *opts);

/* Prints a JSON value (pretty) to stdout. */
void cli_print_json(json_t *v);

/* Prints rows of an array of objects as an aligned table of the given
** members (comma-separated "key:Header" pairs), CJK characters counted as
** two columns. */
void cli_print_table(json_t *items, const char *columns);

/* Prints an object as "key: value" lines. */
void cli_print_object(json_t *o);

/* The commands. */
int cmd_init(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_unit(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_source(int argc, char **argv);
int cmd_task(int argc, char **argv);
int cmd_tick(int argc, char **argv);
int cmd_views(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_calendar(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_settings(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_copy(int argc, char **argv);

#endif

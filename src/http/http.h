/*
** http.h — the HTTP server: JSON API under /api/v1, /healthz, /metrics and
** the static web UI, on libmicrohttpd.
**
** Configuration comes, lowest precedence first, from built-in defaults
** (http_config_init), a `key = value` file (http_config_load_file), the
** environment (http_config_from_env) and finally command-line flags, which
** the caller writes into the struct directly. docs/server-config.md lists
** every key with its environment variable and default.
*/
#ifndef DUBAN_HTTP_H
#define DUBAN_HTTP_H

#include <stddef.h>

#include "util/err.h"

struct http_config {
  char listen[128];        /* "host:port"; default 127.0.0.1:8080 */
  char db[1024];           /* SQLite path or postgres:// URL; default duban.db */
  char web_dir[1024];      /* static UI; "" = search (see http_config_init) */
  int threads;             /* worker threads; 0 (default): the number of cores */
  size_t body_limit;       /* bytes; default 1 MiB */
  unsigned connection_limit;   /* default 4096 */
  unsigned connection_timeout; /* seconds idle before a connection closes; default 30 */
  int session_idle;        /* seconds; default 1800 */
  int session_max;         /* seconds since login; default 43200 */
  int login_max_failures;  /* per account in the window; default 5 */
  int login_max_failures_addr; /* per client address in the window; default 20 */
  int login_window;        /* seconds; default 900 */
  int hash_concurrency;    /* argon2 hashes at once; default 1 */
  int access_log;          /* 1: one logfmt line per request on stderr; default 1 */
  int access_log_flush_ms; /* longest a line waits in the buffer; 0: written at once; default 1000 */
  int cookie_secure;       /* 1: mark the session cookie Secure; default 0 */
  int reload_interval;     /* seconds between settings/calendar reloads; default 60 */
  int group_commit;        /* 1: SQLite ledger writes share commits (writer.c); default 1 */
  int tick_interval;       /* seconds between automatic ticks (lights, escalation); 0 off; default 600 */
  int snapshot_reuse_us;   /* SQLite: a worker's read snapshot serves reads for up to this long
                              unless this process wrote; 0 off; default 1000 */
  int log_restart_pages;   /* SQLite: the write-ahead log is started afresh once it holds this many
                              pages (writer.c); default 4096 (16 MiB) */
};

/* Fills the defaults. */
void http_config_init(struct http_config *cfg);
/* Reads a `key = value` file (# comments). Unknown keys and bad values are
** errors naming the key. 0 or -1 with e. */
int http_config_load_file(struct http_config *cfg, const char *path, struct err *e);
/* Applies DUBAN_* environment variables. 0 or -1 with e naming the variable. */
int http_config_from_env(struct http_config *cfg, struct err *e);
/* Sets one setting by its file key ("listen", "session_idle", ...). */
int http_config_set(struct http_config *cfg, const char *key, const char *value,
                    struct err *e);

/* Serves until SIGTERM or SIGINT, then stops accepting, finishes the requests
** in flight and closes the databases. The database must exist (duban init).
** 0 after a clean stop, -1 with e when the server could not start. */
int http_serve(const struct http_config *cfg, struct err *e);

#endif

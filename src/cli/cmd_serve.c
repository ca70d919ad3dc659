/*
** cmd_serve.c — `duban serve`: run the HTTP server (src/http).
**
** Settings: defaults < --config FILE (or $DUBAN_CONFIG) < DUBAN_* environment
** < flags. See docs/server-config.md.
*/
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

static void usage(FILE *f) {
  fputs("usage: duban serve [--listen HOST:PORT] [--db PATH|URL] [--config FILE]\n"
        "                   [--web DIR] [--threads N]\n"
        "\n"
        "Serves the JSON API (/api/v1), /healthz, /metrics and the web UI until\n"
        "SIGTERM or SIGINT, then finishes the requests in flight and stops.\n"
        "\n"
        "  --listen HOST:PORT  address to listen on (default 127.0.0.1:8080; $DUBAN_LISTEN)\n"
        "  --db PATH|URL       SQLite file or postgres:// URL (default duban.db; $DUBAN_DB)\n"
        "  --config FILE       key = value settings file ($DUBAN_CONFIG)\n"
        "  --web DIR           built web UI (default: ../web/dist next to the binary,\n"
        "                      then ./web/dist; $DUBAN_WEB_DIR)\n"
        "  --threads N         worker threads (default: number of cores; $DUBAN_THREADS)\n"
        "Every setting and its environment variable: docs/server-config.md\n",
        f);
}

int cmd_serve(int argc, char **argv) {
  static const struct option kOpts[] = {
    {"listen", required_argument, NULL, 'l'}, {"db", required_argument, NULL, 'd'},
    {"config", required_argument, NULL, 'c'}, {"web", required_argument, NULL, 'w'},
    {"threads", required_argument, NULL, 't'}, {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  struct http_config cfg;
  struct err e;
  const char *listen = NULL, *db = NULL, *config = getenv("DUBAN_CONFIG"), *web = NULL,
             *threads = NULL;
  int c;
  err_clear(&e);
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", kOpts, NULL)) != -1) {
    switch (c) {
    case 'l': listen = optarg; break;
    case 'd': db = optarg; break;
    case 'c': config = optarg; break;
    case 'w': web = optarg; break;
    case 't': threads = optarg; break;
    case 'h': usage(stdout); return 0;
    default: usage(stderr); return 2;
    }
  }
  if (optind < argc) {
    fprintf(stderr, "error: unexpected argument %s\n", argv[optind]);
    usage(stderr);
    return 2;
  }
  http_config_init(&cfg);
  if ((config && *config && http_config_load_file(&cfg, config, &e)) ||
      http_config_from_env(&cfg, &e) ||
      (listen && http_config_set(&cfg, "listen", listen, &e)) ||
      (db && http_config_set(&cfg, "db", db, &e)) ||
      (web && http_config_set(&cfg, "web_dir", web, &e)) ||
      (threads && http_config_set(&cfg, "threads", threads, &e))) {
    fprintf(stderr, "error: %s\n", e.message);
    return 2;
  }
  if (http_serve(&cfg, &e)) {
    fprintf(stderr, "error: %s%s%s\n", e.field[0] ? e.field : "", e.field[0] ? ": " : "",
            e.message);
    return 1;
  }
  return 0;
}

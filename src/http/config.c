/*
** config.c — server settings: defaults, `key = value` file, environment.
** One table lists every setting with its file key, environment variable,
** type and bounds; docs/server-config.md mirrors it.
*/
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/http.h"
#include "util/buf.h"

enum cfg_type { T_STR, T_INT, T_UINT, T_SIZE, T_BOOL };

static const struct {
  const char *key, *env;
  enum cfg_type type;
  size_t off, size;
  long long min, max;
} kKeys[] = {
#define S(k, env) {#k, env, T_STR, offsetof(struct http_config, k), sizeof(((struct http_config *)0)->k), 0, 0}
#define N(k, env, t, lo, hi) {#k, env, t, offsetof(struct http_config, k), 0, lo, hi}
  S(listen, "DUBAN_LISTEN"),
  S(db, "DUBAN_DB"),
  S(web_dir, "DUBAN_WEB_DIR"),
  N(threads, "DUBAN_THREADS", T_INT, 0, 256),
  N(body_limit, "DUBAN_BODY_LIMIT", T_SIZE, 1024, 1LL << 30),
  N(connection_limit, "DUBAN_CONNECTION_LIMIT", T_UINT, 1, 1000000),
  N(connection_timeout, "DUBAN_CONNECTION_TIMEOUT", T_UINT, 1, 86400),
  N(session_idle, "DUBAN_SESSION_IDLE", T_INT, 1, 30 * 86400),
  N(session_max, "DUBAN_SESSION_MAX", T_INT, 1, 365 * 86400),
  N(login_max_failures, "DUBAN_LOGIN_MAX_FAILURES", T_INT, 1, 1000000),
  N(login_max_failures_addr, "DUBAN_LOGIN_MAX_FAILURES_ADDR", T_INT, 1, 1000000),
  N(login_window, "DUBAN_LOGIN_WINDOW", T_INT, 1, 86400),
  N(hash_concurrency, "DUBAN_HASH_CONCURRENCY", T_INT, 1, 64),
  N(access_log, "DUBAN_ACCESS_LOG", T_BOOL, 0, 1),
  N(access_log_flush_ms, "DUBAN_ACCESS_LOG_FLUSH_MS", T_INT, 0, 60000),
  N(cookie_secure, "DUBAN_COOKIE_SECURE", T_BOOL, 0, 1),
  N(reload_interval, "DUBAN_RELOAD_INTERVAL", T_INT, 1, 86400),
  N(group_commit, "DUBAN_GROUP_COMMIT", T_BOOL, 0, 1),
  N(tick_interval, "DUBAN_TICK_INTERVAL", T_INT, 0, 86400),
  N(snapshot_reuse_us, "DUBAN_SNAPSHOT_REUSE_US", T_INT, 0, 1000000),
  N(log_restart_pages, "DUBAN_LOG_RESTART_PAGES", T_INT, 16, 1 << 24),
#undef S
#undef N
};
#define N_KEYS (sizeof kKeys / sizeof kKeys[0])

void http_config_init(struct http_config *cfg) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  memset(cfg, 0, sizeof *cfg);
  snprintf(cfg->listen, sizeof cfg->listen, "127.0.0.1:8080");
  snprintf(cfg->db, sizeof cfg->db, "duban.db");
  (void)n;
  cfg->threads = 0;   /* automatic: see http_serve */
  cfg->body_limit = 1 << 20;
  cfg->connection_limit = 4096;
  cfg->connection_timeout = 30;
  cfg->session_idle = 30 * 60;
  cfg->session_max = 12 * 3600;
  cfg->login_max_failures = 5;
  cfg->login_max_failures_addr = 20;
  cfg->login_window = 15 * 60;
  cfg->hash_concurrency = 1;
  cfg->access_log = 1;
  cfg->access_log_flush_ms = 1000;
  cfg->cookie_secure = 0;
  cfg->reload_interval = 60;
  cfg->group_commit = 1;
  cfg->tick_interval = 600;
  cfg->snapshot_reuse_us = 1000;
  cfg->log_restart_pages = 4096;
}

static int set_one(struct http_config *cfg, size_t i, const char *value, const char *name,
                   struct err *e) {
  char *p = (char *)cfg + kKeys[i].off, *end;
  long long v;
  if (kKeys[i].type == T_STR) {
    if (strlen(value) >= kKeys[i].size)
      return err_set(e, ERR_INVALID, name, "%s is too long", name);
    memcpy(p, value, strlen(value) + 1);
    return 0;
  }
  if (kKeys[i].type == T_BOOL) {
    if (!strcmp(value, "1") || !strcmp(value, "true") || !strcmp(value, "yes") ||
        !strcmp(value, "on"))
      v = 1;
    else if (!strcmp(value, "0") || !strcmp(value, "false") || !strcmp(value, "no") ||
             !strcmp(value, "off"))
      v = 0;
    else
      return err_set(e, ERR_INVALID, name, "%s must be true or false", name);
    *(int *)p = (int)v;
    return 0;
  }
  errno = 0;
  v = strtoll(value, &end, 10);
  if (end != value && kKeys[i].type == T_SIZE) {
    if (*end == 'k' || *end == 'K') v <<= 10, end++;
    else if (*end == 'm' || *end == 'M') v <<= 20, end++;
  }
  if (end == value || *end || errno || v < kKeys[i].min || v > kKeys[i].max)
    return err_set(e, ERR_INVALID, name, "%s must be a number from %lld to %lld", name,
                   kKeys[i].min, kKeys[i].max);
  if (kKeys[i].type == T_INT) *(int *)p = (int)v;
  else if (kKeys[i].type == T_UINT) *(unsigned *)p = (unsigned)v;
  else *(size_t *)p = (size_t)v;
  return 0;
}

int http_config_set(struct http_config *cfg, const char *key, const char *value,
                    struct err *e) {
  for (size_t i = 0; i < N_KEYS; i++)
    if (!strcmp(kKeys[i].key, key)) return set_one(cfg, i, value, key, e);
  return err_set(e, ERR_INVALID, key, "unknown setting %s", key);
}

int http_config_from_env(struct http_config *cfg, struct err *e) {
  for (size_t i = 0; i < N_KEYS; i++) {
    const char *v = getenv(kKeys[i].env);
    if (v && *v && set_one(cfg, i, v, kKeys[i].env, e)) return -1;
  }
  return 0;
}

static char *trim(char *s) {
  char *end;
  while (isspace((unsigned char)*s)) s++;
  end = s + strlen(s);
  while (end > s && isspace((unsigned char)end[-1])) *--end = 0;
  return s;
}

int http_config_load_file(struct http_config *cfg, const char *path, struct err *e) {
  struct buf b;
  const char *why = "";
  char *line, *save = NULL;
  int lineno = 0, rc = 0;
  buf_init(&b, 1 << 20);
  if (buf_read_file(&b, path, &why)) {
    buf_release(&b);
    return err_set(e, ERR_INVALID, "config", "%s: %s", path, why);
  }
  for (line = strtok_r(b.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    char *eq, *key, *value, *hash;
    lineno++;
    if ((hash = strchr(line, '#')) != NULL) *hash = 0;
    line = trim(line);
    if (!*line) continue;
    if (!(eq = strchr(line, '='))) {
      rc = err_set(e, ERR_INVALID, "config", "%s:%d: expected key = value", path, lineno);
      break;
    }
    *eq = 0;
    key = trim(line);
    value = trim(eq + 1);
    if (http_config_set(cfg, key, value, e)) {
      char msg[2048];
      snprintf(msg, sizeof msg, "%s:%d: %s", path, lineno, e->message);
      rc = err_set(e, ERR_INVALID, key, "%s", msg);
      break;
    }
  }
  buf_release(&b);
  return rc;
}

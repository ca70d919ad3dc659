/*
** auth.c — who is asking: bearer tokens, session cookies, CSRF, and the
** semaphore that bounds concurrent argon2id hashing.
**
** Sessions: the cookie carries a random token; the database keeps its
** digest, the user, the CSRF token and two times. A session ends when idle
** longer than cfg->session_idle or older than cfg->session_max. last_seen_at
** is written at most every min(60 s, idle/4), so a busy browser does not turn
** every read into a write. Those writes (and deleting an expired session)
** are noted in the request and done by auth_flush after the request's read
** transaction, which authentication runs inside. Session and throttling times use the wall clock,
** never DUBAN_NOW (which pins the domain's "today" for tests and demos).
*/
#include <microhttpd.h>
#include <semaphore.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/password.h"
#include "http/http_int.h"
#include "store/auth_store.h"

static sem_t g_hash_sem;
static const struct http_config *g_cfg;

void auth_init(const struct http_config *cfg) {
  g_cfg = cfg;
  sem_init(&g_hash_sem, 0, (unsigned)(cfg->hash_concurrency > 0 ? cfg->hash_concurrency : 1));
  crypto_ready();
}

void auth_hash_enter(void) {
  while (sem_wait(&g_hash_sem) != 0) {
  }
}
void auth_hash_leave(void) { sem_post(&g_hash_sem); }

static int load_actor(struct req *r, int64_t user_id, struct err *e) {
  if (app_actor_by_id(r->app, user_id, &r->actor, e)) return -1;
  r->authed = 1;
  return 0;
}

static int by_bearer(struct req *r, const char *token, struct err *e) {
  int64_t tid = 0, last = 0, now = (int64_t)time(NULL);
  while (*token == ' ') token++;
  if (!*token) return err_set(e, ERR_UNAUTHENTICATED, "Authorization", "empty bearer token");
  if (app_actor_by_token(r->app, token, &r->actor, &tid, &last, e)) {
    if (e->code == ERR_NOT_FOUND)
      err_set(e, ERR_UNAUTHENTICATED, "Authorization", "invalid or revoked token");
    return -1;
  }
  r->authed = 1;
  if (now - last >= 60) r->touch_token = tid;
  return 0;
}

static int by_cookie(struct req *r, const char *token, struct err *e) {
  struct auth_session s;
  int64_t now = (int64_t)time(NULL);
  int64_t touch_every = g_cfg->session_idle / 4 < 60 ? g_cfg->session_idle / 4 : 60;
  int found;
  token_digest(token, r->session_digest);
  found = auth_session_find(r->app->db, r->session_digest, &s, e);
  if (found <= 0) {
    r->session_digest[0] = 0;
    return found;   /* unknown cookie: anonymous */
  }
  if (now - s.last_seen_at > g_cfg->session_idle || now - s.created_at > g_cfg->session_max) {
    memcpy(r->stale_session, r->session_digest, sizeof r->stale_session);
    r->session_digest[0] = 0;
    return 0;      /* expired: anonymous */
  }
  if (now - s.last_seen_at >= touch_every) r->touch_session = 1;
  if (load_actor(r, s.user_id, e)) {
    r->session_digest[0] = 0;
    if (e->code != ERR_NOT_FOUND) return -1;
    err_clear(e);
    return 0;
  }
  r->by_cookie = 1;
  snprintf(r->csrf, sizeof r->csrf, "%s", s.csrf);
  return 0;
}

int auth_request(struct req *r, struct err *e) {
  const char *authz = req_header(r, MHD_HTTP_HEADER_AUTHORIZATION);
  const char *cookie;
  if (authz) {
    if (strncasecmp(authz, "Bearer ", 7) != 0)
      return err_set(e, ERR_UNAUTHENTICATED, "Authorization",
                     "only Bearer authorization is accepted");
    return by_bearer(r, authz + 7, e);
  }
  cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "duban_session");
  if (cookie && *cookie) return by_cookie(r, cookie, e);
  return 0;
}

void auth_flush(struct req *r) {
  struct err e;
  int64_t now = (int64_t)time(NULL);
  err_clear(&e);
  /* Best effort: these only record use; a busy database here must not fail
  ** the request that was already answered from its snapshot. */
  if (r->touch_token && auth_token_touch(r->app->db, r->touch_token, now, &e)) err_clear(&e);
  if (r->touch_session && r->session_digest[0] &&
      auth_session_touch(r->app->db, r->session_digest, now, &e))
    err_clear(&e);
  if (r->stale_session[0] && auth_session_delete(r->app->db, r->stale_session, &e)) err_clear(&e);
  r->touch_token = 0;
  r->touch_session = 0;
  r->stale_session[0] = 0;
}

int auth_csrf(struct req *r, struct err *e) {
  const char *m = r->method, *got;
  size_t n;
  if (!r->by_cookie) return 0;
  if (!strcmp(m, "GET") || !strcmp(m, "HEAD") || !strcmp(m, "OPTIONS")) return 0;
  got = req_header(r, "X-CSRF-Token");
  n = strlen(r->csrf);
  if (!got || strlen(got) != n || n == 0 || sodium_memcmp(got, r->csrf, n) != 0)
    return err_set(e, ERR_FORBIDDEN, "X-CSRF-Token",
                   "missing or wrong CSRF token (X-CSRF-Token header)");
  return 0;
}

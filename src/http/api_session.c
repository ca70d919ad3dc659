/*
** api_session.c — sign in and out (session cookie + CSRF token) and API
** tokens (bearer).
**
**   POST   /api/v1/session       {login, password} → {user, csrf} + cookie
**   GET    /api/v1/session       → {user, csrf}
**   DELETE /api/v1/session
**   GET    /api/v1/tokens        [?user_id=] (others' tokens: admin)
**   POST   /api/v1/tokens        {name, user_id?} → {id, user_id, name, token} (shown once)
**   DELETE /api/v1/tokens/{id}   (owner or admin)
**
** Login throttling: failures are counted per account ("login:NAME") and per
** client address ("addr:IP") over cfg->login_window; at the limit every
** attempt, right or wrong, is refused with 429 and Retry-After until the
** oldest failure leaves the window. A success clears the account's count.
*/
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/lifecycle.h"
#include "core/password.h"
#include "http/http_int.h"
#include "store/auth_store.h"

#define COOKIE "duban_session"

static json_t *user_json(struct req *r) {
  char roles[128];
  json_t *u = NULL;
  struct err e2;
  err_clear(&e2);
  if (app_user_get(r->app, &r->actor, r->actor.user_id, &u, &e2) == 0 && u) return u;
  role_set_format(r->actor.roles, roles, sizeof roles);
  u = json_pack("{sI ss ss}", "id", (json_int_t)r->actor.user_id, "login", r->actor.login,
                "roles", roles);
  json_object_set_new(u, "unit_id",
                      r->actor.unit_id ? json_integer(r->actor.unit_id) : json_null());
  return u;
}

/* 1 when `key` is locked out (sets r->retry_after), 0 otherwise, -1 error. */
static int throttled(struct req *r, const char *key, int max, int64_t now, struct err *e) {
  int64_t n = 0, oldest = 0;
  if (auth_failure_count(r->app->db, key, now - r->cfg->login_window, &n, &oldest, e))
    return -1;
  if (n < max) return 0;
  r->retry_after = (int)(oldest + r->cfg->login_window - now);
  if (r->retry_after < 1) r->retry_after = 1;
  return 1;
}

int h_session_login(struct req *r, json_t **out, struct err *e) {
  static const char *const kAllowed[] = {"login", "password", NULL};
  json_t *in = NULL;
  const char *login, *password;
  char kuser[128], kaddr[96], addr[64], token[2 * 32 + 1], csrf[2 * 24 + 1], digest[65];
  int64_t now = (int64_t)time(NULL);
  int rc = -1, t;

  if (req_json(r, 0, &in, e) || req_members(in, kAllowed, e) ||
      req_string(in, "login", 1, &login, e) || req_string(in, "password", 1, &password, e))
    goto done;
  snprintf(kuser, sizeof kuser, "login:%.100s", login);
  req_client_addr(r, addr, sizeof addr);
  snprintf(kaddr, sizeof kaddr, "addr:%s", addr);
  if ((t = throttled(r, kuser, r->cfg->login_max_failures, now, e)) == 0)
    t = throttled(r, kaddr, r->cfg->login_max_failures_addr, now, e);
  if (t < 0) goto done;
  if (t > 0) {
    err_set(e, ERR_RATE_LIMITED, NULL,
            "too many failed sign-ins; try again in %d seconds", r->retry_after);
    goto done;
  }
  auth_hash_enter();
  rc = app_login(r->app, login, password, &r->actor, e);
  auth_hash_leave();
  if (rc) {
    if (e->code == ERR_UNAUTHENTICATED) {
      struct err e2;
      err_clear(&e2);
      if (auth_failure_add(r->app->db, kuser, now, &e2) ||
          auth_failure_add(r->app->db, kaddr, now, &e2))
        fprintf(stderr, "warning: cannot record a login failure: %s\n", e2.message);
    }
    goto done;
  }
  rc = -1;
  auth_failure_clear(r->app->db, kuser, e);
  /* Expired sessions and old failures are swept at sign-in time. */
  auth_session_purge(r->app->db, now - r->cfg->session_idle, now - r->cfg->session_max, e);
  auth_failure_purge(r->app->db, now - r->cfg->login_window, e);
  err_clear(e);
  random_token(token, 32);
  random_token(csrf, 24);
  token_digest(token, digest);
  if (auth_session_create(r->app->db, digest, r->actor.user_id, csrf, now, e)) goto done;
  r->authed = 1;
  snprintf(r->set_cookie, sizeof r->set_cookie,
           COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", token,
           r->cfg->session_max, r->cfg->cookie_secure ? "; Secure" : "");
  *out = json_pack("{so ss}", "user", user_json(r), "csrf", csrf);
  rc = 0;
done:
  json_decref(in);
  return rc;
}

int h_session_get(struct req *r, json_t **out, struct err *e) {
  *out = json_pack("{so}", "user", user_json(r));
  json_object_set_new(*out, "csrf", r->by_cookie ? json_string(r->csrf) : json_null());
  return 0;
}

int h_session_logout(struct req *r, json_t **out, struct err *e) {
  if (r->by_cookie && auth_session_delete(r->app->db, r->session_digest, e)) return -1;
  snprintf(r->set_cookie, sizeof r->set_cookie,
           COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
           r->cfg->cookie_secure ? "; Secure" : "");
  *out = NULL;
  return 0;
}

static int is_admin(struct req *r) { return (r->actor.roles & ROLE_ADMIN) != 0; }

int h_tokens_list(struct req *r, json_t **out, struct err *e) {
  static const char *const kAllowed[] = {"user_id", NULL};
  int64_t uid = r->actor.user_id;
  json_t *items;
  int has;
  if (req_query_only(r, kAllowed, e)) return -1;
  if ((has = req_query_int(r, "user_id", &uid, e)) < 0) return -1;
  if (uid != r->actor.user_id && !is_admin(r))
    return err_set(e, ERR_FORBIDDEN, "user_id", "only an admin may see others' tokens");
  if (auth_token_list(r->app->db, uid, &items, e)) return -1;
  *out = json_pack("{so}", "items", items);
  return 0;
}

int h_tokens_create(struct req *r, json_t **out, struct err *e) {
  static const char *const kAllowed[] = {"name", "user_id", NULL};
  json_t *in = NULL, *v;
  const char *name;
  int64_t uid = r->actor.user_id, id = 0;
  struct actor owner;
  char token[4 + 2 * 32 + 1], digest[65];
  int rc = -1;
  if (req_json(r, 0, &in, e) || req_members(in, kAllowed, e) ||
      req_string(in, "name", 1, &name, e))
    goto done;
  if (!*name || strlen(name) > 100) {
    err_set(e, ERR_INVALID, "name", "name must be 1 to 100 bytes");
    goto done;
  }
  if ((v = json_object_get(in, "user_id")) && !json_is_null(v)) {
    if (!json_is_integer(v)) {
      err_set(e, ERR_INVALID, "user_id", "user_id must be an integer");
      goto done;
    }
    uid = json_integer_value(v);
  }
  if (uid != r->actor.user_id && !is_admin(r)) {
    err_set(e, ERR_FORBIDDEN, "user_id", "only an admin may create tokens for others");
    goto done;
  }
  if (app_actor_by_id(r->app, uid, &owner, e)) {
    if (e->code == ERR_NOT_FOUND) err_set(e, ERR_INVALID, "user_id", "no such user");
    goto done;
  }
  memcpy(token, "dbn_", 4);
  random_token(token + 4, 32);
  token_digest(token, digest);
  if (auth_token_create(r->app->db, uid, name, digest, r->actor.user_id, (int64_t)time(NULL),
                        &id, e))
    goto done;
  *out = json_pack("{sI sI ss ss}", "id", (json_int_t)id, "user_id", (json_int_t)uid, "name",
                   name, "token", token);
  r->status = 201;
  rc = 0;
done:
  json_decref(in);
  return rc;
}

int h_tokens_revoke(struct req *r, json_t **out, struct err *e) {
  int64_t id, owner = 0;
  int found;
  if (req_id(r, 0, &id, e)) return -1;
  found = auth_token_owner(r->app->db, id, &owner, e);
  if (found < 0) return -1;
  if (!found || (owner != r->actor.user_id && !is_admin(r)))
    return err_set(e, ERR_NOT_FOUND, "id", "no such token");
  if (auth_token_revoke(r->app->db, id, r->actor.user_id, (int64_t)time(NULL), e)) return -1;
  *out = NULL;
  return 0;
}

/*
** auth_store.h — the SQL behind HTTP authentication: browser sessions, API
** tokens and login failures (tables of migration 2).
**
** Secrets are never stored: sessions and tokens are kept by their digest
** (token_digest, BLAKE2b-256 hex), so a copy of the database does not let
** anyone sign in. Every function runs its own short transaction (writes) or
** a single read; none may be called inside another transaction.
**
** Returns: 0 ok, -1 with e set; lookups return 1 found, 0 not found, -1 error.
*/
#ifndef DUBAN_AUTH_STORE_H
#define DUBAN_AUTH_STORE_H

#include <jansson.h>
#include <stdint.h>

#include "store/db.h"

/* One session row, as read back. */
struct auth_session {
  int64_t user_id;
  char csrf[64];         /* the CSRF token handed to the browser */
  int64_t created_at;    /* absolute expiry counts from here */
  int64_t last_seen_at;  /* idle expiry counts from here */
};

int auth_session_create(struct db *db, const char *digest, int64_t user_id,
                        const char *csrf, int64_t now, struct err *e);
/* Finds a session of an active user. */
int auth_session_find(struct db *db, const char *digest, struct auth_session *out,
                      struct err *e);
int auth_session_touch(struct db *db, const char *digest, int64_t now, struct err *e);
int auth_session_delete(struct db *db, const char *digest, struct err *e);
/* Deletes sessions idle since before idle_before or created before created_before. */
int auth_session_purge(struct db *db, int64_t idle_before, int64_t created_before,
                       struct err *e);

/* Creates a token row (and its journal entry); *id receives the new id. */
int auth_token_create(struct db *db, int64_t user_id, const char *name,
                      const char *digest, int64_t created_by, int64_t now,
                      int64_t *id, struct err *e);
int auth_token_touch(struct db *db, int64_t token_id, int64_t now, struct err *e);
/* Tokens of user_id (0: every user's), newest first, without digests.
** *out = [{id, user_id, name, created_at, created_by, last_used_at, revoked_at}] */
int auth_token_list(struct db *db, int64_t user_id, json_t **out, struct err *e);
/* Owner of a token: 1 with *user_id, 0 when there is no such token. */
int auth_token_owner(struct db *db, int64_t token_id, int64_t *user_id, struct err *e);
/* Marks a token revoked (idempotent) with a journal entry by actor_id. */
int auth_token_revoke(struct db *db, int64_t token_id, int64_t actor_id, int64_t now,
                      struct err *e);

/* Login throttling: one row per failed attempt, keyed "login:NAME" or
** "addr:IP". */
int auth_failure_add(struct db *db, const char *key, int64_t now, struct err *e);
/* Failures of key at or after `since`: *n and the oldest one's time. */
int auth_failure_count(struct db *db, const char *key, int64_t since, int64_t *n,
                       int64_t *oldest, struct err *e);
int auth_failure_clear(struct db *db, const char *key, struct err *e);
int auth_failure_purge(struct db *db, int64_t before, struct err *e);

/* A trivial read, for health checks. */
int auth_ping(struct db *db, struct err *e);

#endif

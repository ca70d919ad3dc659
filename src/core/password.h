/*
** password.h — password hashing with argon2id (libsodium crypto_pwhash_str)
** and random tokens. Hashing is deliberately slow (interactive limits, about
** 64 MiB and tens of milliseconds): callers on a server bound how many run at
** once (see http/ auth).
*/
#ifndef DUBAN_PASSWORD_H
#define DUBAN_PASSWORD_H

#include <stddef.h>

#define PASSWORD_HASH_MAX 128  /* crypto_pwhash_STRBYTES */
#define PASSWORD_MIN_CHARS 8

/* Initialises libsodium once; safe to call repeatedly and from threads. 0/-1. */
int crypto_ready(void);

/* Hashes password into out (NUL-terminated). 0, or -1 when out of memory. */
int password_hash(const char *password, char out[PASSWORD_HASH_MAX]);

/* 1 if password matches the stored hash, 0 otherwise. */
int password_verify(const char *stored_hash, const char *password);

/* Writes a random URL-safe token of `bytes` random bytes (base64url, no
** padding) into out, which must hold 2*bytes+1. */
void random_token(char *out, size_t bytes);

/* Hex BLAKE2b-256 of a token (how tokens are stored), out holds 65 bytes. */
void token_digest(const char *token, char out[65]);

#endif

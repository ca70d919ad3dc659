/* password.c — see password.h. */
#include "core/password.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static int g_ready = -1;

static void init_once(void) { g_ready = sodium_init() < 0 ? -1 : 0; }

int crypto_ready(void) {
  pthread_once(&g_once, init_once);
  return g_ready;
}

int password_hash(const char *password, char out[PASSWORD_HASH_MAX]) {
  if (crypto_ready()) return -1;
  /* Tests and the demo set DUBAN_FAST_HASH=1 so that many users can be made
  ** quickly; it still uses argon2id, with the minimum cost. */
  unsigned long long ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
  size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
  const char *fast = getenv("DUBAN_FAST_HASH");
  if (fast && *fast == '1') {
    ops = crypto_pwhash_OPSLIMIT_MIN;
    mem = crypto_pwhash_MEMLIMIT_MIN;
  }
  return crypto_pwhash_str_alg(out, password, strlen(password), ops, mem,
                               crypto_pwhash_ALG_ARGON2ID13) == 0 ? 0 : -1;
}

int password_verify(const char *stored_hash, const char *password) {
  if (crypto_ready() || !stored_hash || !*stored_hash) return 0;
  return crypto_pwhash_str_verify(stored_hash, password, strlen(password)) == 0;
}

void random_token(char *out, size_t bytes) {
  unsigned char raw[64];
  if (bytes > sizeof raw) bytes = sizeof raw;
  crypto_ready();
  randombytes_buf(raw, bytes);
  sodium_bin2base64(out, 2 * bytes + 1, raw, bytes,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void token_digest(const char *token, char out[65]) {
  unsigned char h[32];
  crypto_ready();
  crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
  sodium_bin2hex(out, 65, h, sizeof h);
}

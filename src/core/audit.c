/* audit.c — see audit.h. */
#include "core/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static void feed_sep(crypto_generichash_state *st) {
  static const unsigned char sep = 0x1F;
  crypto_generichash_update(st, &sep, 1);
}

static void feed_str(crypto_generichash_state *st, const char *s) {
  if (s) crypto_generichash_update(st, (const unsigned char *)s, strlen(s));
  feed_sep(st);
}

static void feed_int(crypto_generichash_state *st, int64_t v) {
  char tmp[32];
  snprintf(tmp, sizeof tmp, "%lld", (long long)v);
  feed_str(st, tmp);
}

int audit_hash(const char *prev_hex, const struct audit_entry *e,
               char out_hex[AUDIT_HASH_HEX]) {
  unsigned char prev[AUDIT_HASH_BYTES] = {0}, out[AUDIT_HASH_BYTES];
  crypto_generichash_state st;
  size_t got = 0;
  if (prev_hex && *prev_hex) {
    if (strlen(prev_hex) != 2 * AUDIT_HASH_BYTES ||
        sodium_hex2bin(prev, sizeof prev, prev_hex, strlen(prev_hex), NULL, &got,
                       NULL) != 0 ||
        got != AUDIT_HASH_BYTES)
      return -1;
  }
  if (crypto_generichash_init(&st, NULL, 0, sizeof out) != 0) return -1;
  crypto_generichash_update(&st, prev, sizeof prev);
  feed_int(&st, e->id);
  feed_int(&st, e->at);
  feed_int(&st, e->actor_id);
  feed_str(&st, e->entity);
  feed_int(&st, e->entity_id);
  feed_str(&st, e->action);
  feed_str(&st, e->before);
  feed_str(&st, e->after);
  if (crypto_generichash_final(&st, out, sizeof out) != 0) return -1;
  sodium_bin2hex(out_hex, AUDIT_HASH_HEX, out, sizeof out);
  return 0;
}

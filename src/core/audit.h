/*
** audit.h — the hash chain of the journal (SPEC §10).
**
** Each journal entry's hash is BLAKE2b-256 over the previous entry's hash
** and the entry's canonical bytes:
**
**   hash_n = BLAKE2b-256( hash_{n-1} || canonical_n )
**
** where hash_0 (before the first entry) is 32 zero bytes and canonical_n is
** the entry's fields joined by 0x1F (unit separator):
**   id, at (unix seconds), actor_id, entity, entity_id, action, before, after
** Integers in decimal, absent text as "". Changing any field, removing or
** reordering entries breaks every later hash; `duban audit verify` recomputes
** the chain and names the first entry whose stored hash does not match.
*/
#ifndef DUBAN_AUDIT_H
#define DUBAN_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#define AUDIT_HASH_BYTES 32
#define AUDIT_HASH_HEX 65   /* 64 hex digits + NUL */

struct audit_entry {
  int64_t id;
  int64_t at;
  int64_t actor_id;       /* 0 for the system */
  const char *entity;     /* "task", "unit", ... */
  int64_t entity_id;
  const char *action;     /* "create", "accept", ... */
  const char *before;     /* JSON text or NULL */
  const char *after;      /* JSON text or NULL */
};

/* Computes the entry hash from the previous one (hex, or NULL/"" for the
** first entry) into out_hex. Returns 0, or -1 if prev_hex is malformed or
** memory runs out. */
int audit_hash(const char *prev_hex, const struct audit_entry *e,
               char out_hex[AUDIT_HASH_HEX]);

#endif

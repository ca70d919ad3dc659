/*
** schema.h — versioned migrations and the "is this a duban database" check.
**
** The schema is a list of migrations, numbered from 1; table schema_version
** records those applied, table meta holds app=duban. Schema text is written
** once with dialect tokens (expanded per backend by schema.c):
**   @ID@      INTEGER PRIMARY KEY  |  BIGSERIAL PRIMARY KEY
** Backend-only statements (triggers) sit in per-backend parts of a migration.
*/
#ifndef DUBAN_SCHEMA_H
#define DUBAN_SCHEMA_H

#include "store/db.h"

#define SCHEMA_VERSION 10  /* the newest migration this binary knows */

/* State of a database before migration. */
enum schema_state {
  SCHEMA_EMPTY,        /* no tables at all: ready for init */
  SCHEMA_OK,           /* duban database at some version <= SCHEMA_VERSION */
};

/* Inspects db: *version gets the applied version (0 when empty). Returns
** SCHEMA_EMPTY / SCHEMA_OK, or -1 with e: ERR_NOT_DUBAN_DB (tables but no
** duban meta), ERR_DB_TOO_NEW (version > SCHEMA_VERSION). */
int schema_inspect(struct db *db, int *version, struct err *e);

/* Applies every migration after the current version up to `target` (use
** SCHEMA_VERSION), each in its own transaction. Refuses a non-duban or
** newer database. *applied gets the number of migrations run (may be NULL). */
int schema_migrate(struct db *db, int target, int *applied, struct err *e);

#endif

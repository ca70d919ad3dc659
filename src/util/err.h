/*
** err.h — the error every library function reports through.
**
** Library code never exits and never prints: a function that fails fills a
** caller-owned `struct err` and returns -1 (or NULL). The struct maps one-to-one
** onto the HTTP error envelope {"error":{"code","message","field"}} and onto the
** CLI's "error: field: message" line, so the same failure reads the same way
** everywhere. Codes are stable strings for clients; each has one HTTP status.
*/
#ifndef DUBAN_ERR_H
#define DUBAN_ERR_H

enum err_code {
  ERR_NONE = 0,
  ERR_BAD_REQUEST,     /* 400 malformed input: invalid JSON, invalid UTF-8 */
  ERR_UNAUTHENTICATED, /* 401 no or expired credentials */
  ERR_FORBIDDEN,       /* 403 role may not do this */
  ERR_NOT_FOUND,       /* 404 no such id (or not visible to the caller) */
  ERR_CONFLICT,        /* 409 stale version; duplicate key */
  ERR_TOO_LARGE,       /* 413 body or file over its limit */
  ERR_UNSUPPORTED,     /* 415 media type not accepted */
  ERR_INVALID,         /* 422 a field's value is not acceptable */
  ERR_STATE,           /* 422 action not allowed in the current state */
  ERR_RATE_LIMITED,    /* 429 too many attempts */
  ERR_INTERNAL,        /* 500 a bug or an I/O failure */
  ERR_UNAVAILABLE,     /* 503 database busy, locked or unreachable */
  ERR_NOT_DUBAN_DB,    /* 500 (CLI: exit 1) file is not a duban database */
  ERR_DB_TOO_NEW,      /* 500 (CLI: exit 1) schema newer than this binary */
  ERR_USAGE,           /* CLI only: exit code 2 */
  ERR__COUNT
};

struct err {
  enum err_code code;  /* ERR_NONE while no error was set */
  char field[64];      /* offending field ("deadline", "row 3: 牵头单位"), or "" */
  char message[512];   /* complete sentence for a person, no internal detail */
};

/* Clears e. Safe on a zeroed struct. */
void err_clear(struct err *e);

/* Sets code, field (may be NULL) and a printf-style message. Returns -1 so that
** `return err_set(e, ...)` reads naturally. A NULL e is allowed (error dropped). */
int err_set(struct err *e, enum err_code code, const char *field,
            const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Prefixes e->field with "prefix." (e.g. "milestones[2]" + "date"), so
** an error from a nested object names its full path. */
void err_prefix_field(struct err *e, const char *prefix);

/* Stable client-facing name of a code ("invalid", "not_found", ...). */
const char *err_code_name(enum err_code code);

/* HTTP status of a code (ERR_NONE → 200). */
int err_http_status(enum err_code code);

#endif

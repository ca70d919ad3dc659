/* err.c — see err.h. */
#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
  const char *name;
  int status;
} kErr[ERR__COUNT] = {
  [ERR_NONE] = {"ok", 200},
  [ERR_BAD_REQUEST] = {"bad_request", 400},
  [ERR_UNAUTHENTICATED] = {"unauthenticated", 401},
  [ERR_FORBIDDEN] = {"forbidden", 403},
  [ERR_NOT_FOUND] = {"not_found", 404},
  [ERR_CONFLICT] = {"conflict", 409},
  [ERR_TOO_LARGE] = {"too_large", 413},
  [ERR_UNSUPPORTED] = {"unsupported_media_type", 415},
  [ERR_INVALID] = {"invalid", 422},
  [ERR_STATE] = {"invalid_state", 422},
  [ERR_RATE_LIMITED] = {"rate_limited", 429},
  [ERR_INTERNAL] = {"internal", 500},
  [ERR_UNAVAILABLE] = {"unavailable", 503},
  [ERR_NOT_DUBAN_DB] = {"not_duban_db", 500},
  [ERR_DB_TOO_NEW] = {"db_too_new", 500},
  [ERR_USAGE] = {"usage", 400},
};

void err_clear(struct err *e) {
  if (!e) return;
  e->code = ERR_NONE;
  e->field[0] = 0;
  e->message[0] = 0;
}

int err_set(struct err *e, enum err_code code, const char *field,
            const char *fmt, ...) {
  va_list ap;
  if (!e) return -1;
  e->code = code;
  snprintf(e->field, sizeof e->field, "%s", field ? field : "");
  va_start(ap, fmt);
  vsnprintf(e->message, sizeof e->message, fmt, ap);
  va_end(ap);
  return -1;
}

const char *err_code_name(enum err_code code) {
  if ((int)code < 0 || code >= ERR__COUNT) return "internal";
  return kErr[code].name;
}

int err_http_status(enum err_code code) {
  if ((int)code < 0 || code >= ERR__COUNT) return 500;
  return kErr[code].status;
}

void err_prefix_field(struct err *e, const char *prefix) {
  char tmp[sizeof e->field];
  size_t n;
  if (!e) return;
  n = strlen(prefix);
  if (n + 1 + strlen(e->field) + 1 > sizeof tmp) return;
  memcpy(tmp, prefix, n);
  tmp[n] = '.';
  memcpy(tmp + n + 1, e->field, strlen(e->field) + 1);
  memcpy(e->field, tmp, sizeof tmp);
}

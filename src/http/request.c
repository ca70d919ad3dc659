/*
** request.c — reading a request: headers, query, path ids, JSON bodies.
*/
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/http_int.h"
#include "util/date.h"
#include "util/text.h"

const char *req_header(struct req *r, const char *name) {
  return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_query(struct req *r, const char *name) {
  return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* Content-Type must be application/json, optionally with parameters. */
static int check_type(struct req *r, struct err *e) {
  const char *ct = req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
  size_t n = strlen("application/json");
  if (!ct || strncasecmp(ct, "application/json", n) != 0 ||
      (ct[n] != 0 && ct[n] != ';' && ct[n] != ' '))
    return err_set(e, ERR_UNSUPPORTED, "Content-Type",
                   "the request body must be sent as application/json");
  return 0;
}

int req_json_text(struct req *r, struct buf *b, struct err *e) {
  size_t n;
  char *text;
  if (b->failed) return err_set(e, ERR_INTERNAL, NULL, "out of memory");
  text = buf_detach(b, &n);
  if (!text) return err_set(e, ERR_INTERNAL, NULL, "out of memory");
  free(r->raw);
  r->raw = text;
  r->raw_len = n;
  r->raw_type = "application/json";
  return 0;
}

int req_raw_json(struct req *r, const char **text, size_t *n, struct err *e) {
  size_t bad = 0;
  if (r->body_too_large)
    return err_set(e, ERR_TOO_LARGE, "body", "the request body is larger than %zu bytes",
                   r->cfg->body_limit);
  if (check_type(r, e)) return -1;
  if (!utf8_valid(r->body.data, r->body.len, &bad))
    return err_set(e, ERR_BAD_REQUEST, "body", "the body is not valid UTF-8 (byte %zu)", bad);
  *text = r->body.data;
  *n = r->body.len;
  return 0;
}

int req_json(struct req *r, int empty_ok, json_t **out, struct err *e) {
  json_error_t je;
  const char *text;
  size_t n;
  json_t *v;
  *out = NULL;
  if (r->body.len == 0 && !r->body_too_large) {
    if (!empty_ok) return err_set(e, ERR_BAD_REQUEST, "body", "a JSON body is required");
    *out = json_object();
    return 0;
  }
  if (req_raw_json(r, &text, &n, e)) return -1;
  v = json_loadb(text, n, JSON_REJECT_DUPLICATES, &je);
  if (!v)
    return err_set(e, ERR_BAD_REQUEST, "body",
                   "invalid JSON at line %d, column %d (byte %d): %s", je.line, je.column,
                   je.position, je.text);
  if (!json_is_object(v)) {
    json_decref(v);
    return err_set(e, ERR_BAD_REQUEST, "body", "the body must be a JSON object");
  }
  *out = v;
  return 0;
}

/* Strict positive decimal: no sign, no spaces, fits int64. */
static int parse_id(const char *s, int64_t *out) {
  char *end;
  long long v;
  if (!s || !isdigit((unsigned char)s[0])) return -1;
  errno = 0;
  v = strtoll(s, &end, 10);
  if (errno || *end || v <= 0) return -1;
  *out = v;
  return 0;
}

int req_id(struct req *r, int i, int64_t *id, struct err *e) {
  if (i >= r->n_param || parse_id(r->param[i], id))
    return err_set(e, ERR_NOT_FOUND, "id", "no such resource");
  return 0;
}

int req_query_int(struct req *r, const char *name, int64_t *v, struct err *e) {
  const char *s = req_query(r, name);
  char *end;
  long long x;
  if (!s) return 0;
  errno = 0;
  x = strtoll(s, &end, 10);
  if (!*s || errno || *end || isspace((unsigned char)*s))
    return err_set(e, ERR_INVALID, name, "%s must be an integer", name);
  *v = x;
  return 1;
}

int req_query_date(struct req *r, const char *name, day_t *v, struct err *e) {
  const char *s = req_query(r, name);
  if (!s) return 0;
  if (date_parse(s, v))
    return err_set(e, ERR_INVALID, name, "%s must be a date YYYY-MM-DD", name);
  return 1;
}

int req_version(struct req *r, json_t *in, struct err *e) {
  const char *im = req_header(r, MHD_HTTP_HEADER_IF_MATCH);
  char digits[24];
  size_t n = 0;
  int64_t v;
  if (!im || json_object_get(in, "version")) return 0;
  if (strncmp(im, "W/", 2) == 0) im += 2;
  for (; *im; im++) {
    if (*im == '"' || *im == ' ') continue;
    if (!isdigit((unsigned char)*im) || n + 1 >= sizeof digits)
      return err_set(e, ERR_INVALID, "If-Match", "If-Match must carry a version number");
    digits[n++] = *im;
  }
  digits[n] = 0;
  if (parse_id(digits, &v))
    return err_set(e, ERR_INVALID, "If-Match", "If-Match must carry a version number");
  json_object_set_new(in, "version", json_integer(v));
  return 0;
}

struct only_ctx {
  const char *const *allowed;
  const char *bad;
};

static enum MHD_Result only_iter(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value) {
  struct only_ctx *c = cls;
  (void)kind;
  (void)value;
  for (const char *const *a = c->allowed; *a; a++)
    if (strcmp(*a, key) == 0) return MHD_YES;
  c->bad = key;
  return MHD_NO;
}

int req_query_only(struct req *r, const char *const *allowed, struct err *e) {
  struct only_ctx c = {allowed, NULL};
  MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, only_iter, &c);
  if (c.bad) return err_set(e, ERR_INVALID, c.bad, "unknown query parameter %s", c.bad);
  return 0;
}

int req_members(json_t *in, const char *const *allowed, struct err *e) {
  const char *key;
  json_t *v;
  json_object_foreach(in, key, v) {
    const char *const *a = allowed;
    (void)v;
    for (; *a; a++)
      if (strcmp(*a, key) == 0) break;
    if (!*a) return err_set(e, ERR_INVALID, key, "unknown member %s", key);
  }
  return 0;
}

int req_string(json_t *in, const char *name, int required, const char **out,
               struct err *e) {
  json_t *v = json_object_get(in, name);
  *out = NULL;
  if (!v || json_is_null(v)) {
    if (required) return err_set(e, ERR_INVALID, name, "%s is required", name);
    return 0;
  }
  if (!json_is_string(v)) return err_set(e, ERR_INVALID, name, "%s must be a string", name);
  *out = json_string_value(v);
  return 0;
}

void req_client_addr(struct req *r, char *out, size_t n) {
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  const struct sockaddr *sa = ci ? ci->client_addr : NULL;
  snprintf(out, n, "-");
  if (sa && sa->sa_family == AF_INET)
    inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)n);
  else if (sa && sa->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)n);
}

/*
** respond.c — writing responses: JSON bodies, the error envelope, security
** headers, the access log line and metrics; and the static web UI.
*/
#include <fcntl.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "http/http_int.h"

/* The web UI's documents: what the Vue build needs and nothing more. */
#define CSP_UI "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " \
               "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "        \
               "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
/* API answers (JSON, metrics, errors) are data, never a document: they may
** load nothing and be framed by nothing. Shorter, and stricter. */
#define CSP_API "default-src 'none'; frame-ancestors 'none'"

void respond_security_headers(struct MHD_Response *resp, int api) {
  MHD_add_response_header(resp, "Content-Security-Policy", api ? CSP_API : CSP_UI);
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
  MHD_add_response_header(resp, "X-Frame-Options", "DENY");
  if (api) {
    MHD_add_response_header(resp, "Cache-Control", "no-store");
  } else {
    /* Cross-origin isolation of a browsing context: documents only. */
    MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
  }
}

/* Appends the decimal digits of v at p; returns the end. */
static char *put_uint(char *p, unsigned long long v) {
  char tmp[24], *q = tmp + sizeof tmp;
  do {
    *--q = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  memcpy(p, q, (size_t)(tmp + sizeof tmp - q));
  return p + (tmp + sizeof tmp - q);
}

/* Appends s, at most room bytes of it; returns the end. */
static char *put_str(char *p, const char *s, size_t room) {
  size_t n = strnlen(s, room);
  memcpy(p, s, n);
  return p + n;
}

/* One logfmt line: time method path status bytes us user, handed whole to
** accesslog.c so lines from several threads never interleave. Built by
** hand (the timestamp once a second per thread): one is written for every
** request, and snprintf/strftime were a visible share of a task view. */
static void access_log(struct req *r, int status, size_t bytes, uint64_t us) {
  static __thread time_t t_sec = -1;
  static __thread char t_stamp[24];
  char line[1024], *p = line;
  struct timespec now;
  const char *user = r->authed ? r->actor.login : "-";
  if (!r->cfg->access_log) return;
  clock_gettime(CLOCK_REALTIME, &now);
  if (now.tv_sec != t_sec) {
    struct tm tm;
    gmtime_r(&now.tv_sec, &tm);
    strftime(t_stamp, sizeof t_stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    t_sec = now.tv_sec;
  }
  p = put_str(p, "time=", 8);
  p = put_str(p, t_stamp, sizeof t_stamp);
  p = put_str(p, " method=", 8);
  p = put_str(p, r->method, 16);
  p = put_str(p, " path=\"", 8);
  /* Paths are URL-decoded by MHD: escape them so a quote or a control
  ** character in a path cannot forge a field or a line. */
  for (const char *q = r->url; *q && p - line < 600; q++) {
    static const char kHex[] = "0123456789abcdef";
    unsigned char c = (unsigned char)*q;
    if (c == '"' || c == '\\') {
      *p++ = '\\';
      *p++ = (char)c;
    } else if (c < 0x20 || c == 0x7f) {
      *p++ = '\\';
      *p++ = 'x';
      *p++ = kHex[c >> 4];
      *p++ = kHex[c & 15];
    } else {
      *p++ = (char)c;
    }
  }
  p = put_str(p, "\" status=", 9);
  p = put_uint(p, (unsigned)status);
  p = put_str(p, " bytes=", 7);
  p = put_uint(p, bytes);
  p = put_str(p, " us=", 4);
  p = put_uint(p, us);
  p = put_str(p, " user=", 6);
  p = put_str(p, user, 300);   /* logins are at most 64 bytes; 1024 is room enough */
  *p++ = '\n';
  access_log_emit(line, (size_t)(p - line));
}

static int queue(struct req *r, int status, struct MHD_Response *resp, size_t bytes,
                 int db_error) {
  uint64_t us = http_now_us() - r->t0_us;
  enum MHD_Result ok;
  if (!resp) return MHD_NO;
  r->responded = 1;
  ok = MHD_queue_response(r->conn, (unsigned)status, resp);
  MHD_destroy_response(resp);
  metrics_record(r->route, status, us, db_error);
  access_log(r, status, bytes, us);
  return ok;
}

static json_t *envelope(struct err *e) {
  return json_pack("{s:{s:s, s:s, s:s?}}", "error", "code", err_code_name(e->code),
                   "message", e->message, "field", e->field[0] ? e->field : NULL);
}

int respond(struct req *r, int rc, json_t *out, struct err *e) {
  struct MHD_Response *resp;
  char *text = NULL;
  size_t len = 0;
  int status = r->status ? r->status : 200, db_error = 0;
  char num[32];

  if (rc == 0 && r->raw) {
    len = r->raw_len ? r->raw_len : strlen(r->raw);
    resp = MHD_create_response_from_buffer(len, r->raw, MHD_RESPMEM_MUST_FREE);
    r->raw = NULL;
    if (!resp) return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                            r->raw_type ? r->raw_type : "text/plain; charset=utf-8");
    respond_security_headers(resp, 1);
    return queue(r, status, resp, len, 0);
  }
  if (rc != 0) {
    json_decref(out);
    out = NULL;
    if (e->code == ERR_NONE) err_set(e, ERR_INTERNAL, NULL, "internal error");
    status = err_http_status(e->code);
    if (status >= 500) {
      db_error = e->code == ERR_UNAVAILABLE || e->code == ERR_INTERNAL;
      /* The detail goes to the log, never to the client. */
      fprintf(stderr, "error method=%s path=\"%s\" code=%s field=\"%s\" message=\"%s\"\n",
              r->method, r->url, err_code_name(e->code), e->field, e->message);
      if (e->code == ERR_UNAVAILABLE) {
        err_set(e, ERR_UNAVAILABLE, NULL, "the service is busy; try again shortly");
        if (!r->retry_after) r->retry_after = 1;
      } else {
        err_set(e, ERR_INTERNAL, NULL, "internal error");
      }
    }
    out = envelope(e);
  }
  if (out) {
    text = json_dumps(out, JSON_COMPACT);
    json_decref(out);
    if (!text) return MHD_NO;
    len = strlen(text);
    resp = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
  } else {
    if (status == 200) status = 204;
    resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
  }
  if (!resp) {
    free(text);
    return MHD_NO;
  }
  if (out) MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
  respond_security_headers(resp, 1);
  if (r->set_cookie[0]) MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, r->set_cookie);
  if (r->retry_after > 0) {
    snprintf(num, sizeof num, "%d", r->retry_after);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, num);
  }
  if (status == 401) MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
  return queue(r, status, resp, len, db_error);
}

/* ---- static files ---- */

static const char *mime_of(const char *path) {
  static const struct { const char *ext, *type; } kTypes[] = {
    {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
    {".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
    {".jpg", "image/jpeg"}, {".ico", "image/x-icon"}, {".woff2", "font/woff2"},
    {".woff", "font/woff"}, {".ttf", "font/ttf"}, {".txt", "text/plain; charset=utf-8"},
    {".map", "application/json"}, {".webp", "image/webp"},
  };
  const char *dot = strrchr(path, '.');
  if (dot && !strchr(dot, '/'))
    for (size_t i = 0; i < sizeof kTypes / sizeof kTypes[0]; i++)
      if (strcmp(dot, kTypes[i].ext) == 0) return kTypes[i].type;
  return "application/octet-stream";
}

/* Opens web_dir + rel if it is a regular file. rel has no "..". */
static int open_file(const char *dir, const char *rel, struct stat *st, char *full, size_t n) {
  int fd;
  if ((size_t)snprintf(full, n, "%s/%s", dir, rel) >= n) return -1;
  fd = open(full, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  if (fstat(fd, st) || !S_ISREG(st->st_mode)) {
    close(fd);
    return -1;
  }
  return fd;
}

int respond_static(struct req *r) {
  struct err e;
  char full[2048];
  const char *rel = r->url;
  struct stat st;
  int fd = -1, fallback = 0;
  struct MHD_Response *resp;
  err_clear(&e);
  while (*rel == '/') rel++;
  if (strstr(rel, "..") || strchr(rel, '\\') || strncmp(r->url, "/api/", 5) == 0 ||
      strcmp(r->url, "/api") == 0 || !r->cfg->web_dir[0]) {
    err_set(&e, ERR_NOT_FOUND, NULL, "no such resource");
    return respond(r, -1, NULL, &e);
  }
  if (*rel) fd = open_file(r->cfg->web_dir, rel, &st, full, sizeof full);
  if (fd < 0) {
    /* SPA fallback: client-side routes get index.html; missing assets 404. */
    const char *base = strrchr(r->url, '/');
    if (*rel && base && strchr(base, '.') && strncmp(rel, "index.html", 10) != 0) {
      err_set(&e, ERR_NOT_FOUND, NULL, "no such file");
      return respond(r, -1, NULL, &e);
    }
    fd = open_file(r->cfg->web_dir, "index.html", &st, full, sizeof full);
    fallback = 1;
  }
  if (fd < 0) {
    err_set(&e, ERR_NOT_FOUND, NULL, "the web UI is not installed (see --web)");
    return respond(r, -1, NULL, &e);
  }
  resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
  if (!resp) {
    close(fd);
    return MHD_NO;
  }
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                          mime_of(fallback ? "index.html" : full));
  respond_security_headers(resp, 0);
  /* Vite puts content hashes in asset names: cache those; never index.html. */
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
                          strncmp(rel, "assets/", 7) == 0 ? "public, max-age=31536000, immutable"
                                                          : "no-cache");
  return queue(r, 200, resp, (size_t)st.st_size, 0);
}

/* cli.c — option parsing, opening, printing; see cli.h. */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/text.h"

int cli_usage(const char *verb, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "duban %s: usage error: ", verb);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, " (see duban %s --help)\n", verb);
  return 2;
}

int cli_fail(const char *verb, const struct err *e) {
  if (e->field[0])
    fprintf(stderr, "duban %s: error: %s: %s\n", verb, e->field, e->message);
  else
    fprintf(stderr, "duban %s: error: %s\n", verb, e->message);
  return e->code == ERR_USAGE ? 2 : 1;
}

static json_t *split_list(const char *s) {
  json_t *arr = json_array();
  const char *p = s;
  while (*p) {
    size_t n = strcspn(p, ",，");
    /* The full-width comma is three bytes; strcspn stops at its first byte. */
    if (n) json_array_append_new(arr, json_stringn(p, n));
    p += n;
    if (!strncmp(p, "，", 3)) p += 3;
    else if (*p == ',') p++;
  }
  return arr;
}

int cli_parse(const char *verb, int argc, char **argv, int first, const struct cli_opt *opts,
              struct cli_common *c, json_t **obj, const char **pos, int max_pos, int *n_pos) {
  memset(c, 0, sizeof *c);
  c->db = getenv("DUBAN_DB");
  if (!c->db || !*c->db) c->db = "duban.db";
  c->as = getenv("DUBAN_USER");
  *obj = json_object();
  *n_pos = 0;
  for (int i = first; i < argc; i++) {
    const char *arg = argv[i], *val = NULL, *eq;
    char name[64];
    const struct cli_opt *o = NULL;
    if (strncmp(arg, "--", 2) != 0 || !arg[2]) {
      if (*n_pos >= max_pos) return cli_usage(verb, "unexpected argument \"%s\"", arg);
      pos[(*n_pos)++] = arg;
      continue;
    }
    eq = strchr(arg, '=');
    snprintf(name, sizeof name, "%.*s", (int)(eq ? (size_t)(eq - arg - 2) : strlen(arg + 2)), arg + 2);
    if (!strcmp(name, "help")) { c->help = 1; continue; }
    if (!strcmp(name, "json")) { c->json = 1; continue; }
    for (const struct cli_opt *p = opts; p && p->name; p++)
      if (!strcmp(p->name, name)) o = p;
    if (!o && strcmp(name, "db") && strcmp(name, "as"))
      return cli_usage(verb, "unknown option --%s", name);
    if (o && o->type == O_BOOL) {
      if (o->key) json_object_set_new(*obj, o->key, json_true());
      else json_object_set_new(*obj, o->name, json_true());
      continue;
    }
    if (eq) val = eq + 1;
    else if (i + 1 < argc) val = argv[++i];
    else return cli_usage(verb, "--%s needs a value", name);
    if (!strcmp(name, "db")) { c->db = val; continue; }
    if (!strcmp(name, "as")) { c->as = val; continue; }
    {
      const char *key = o->key ? o->key : o->name;
      switch (o->type) {
        case O_INT: {
          char *end;
          long long v = strtoll(val, &end, 10);
          if (!*val || *end) return cli_usage(verb, "--%s takes an integer, not \"%s\"", name, val);
          json_object_set_new(*obj, key, json_integer(v));
          break;
        }
        case O_UNITS:
        case O_LIST:
          json_object_set_new(*obj, key, split_list(val));
          break;
        case O_FILE: {
          struct buf b;
          const char *why = NULL;
          buf_init(&b, 64u << 20);
          if (!strcmp(val, "-")) {
            char chunk[8192];
            size_t n;
            while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) buf_append(&b, chunk, n);
          } else if (buf_read_file(&b, val, &why)) {
            buf_release(&b);
            fprintf(stderr, "duban %s: error: %s: %s: %s\n", verb, name, val, why);
            return 1;
          }
          if (!utf8_valid(b.data, b.len, NULL)) {
            buf_release(&b);
            fprintf(stderr, "duban %s: error: %s: %s is not valid UTF-8 text\n", verb, name, val);
            return 1;
          }
          json_object_set_new(*obj, key, json_stringn(b.data, b.len));
          buf_release(&b);
          break;
        }
        default:
          {
            json_t *sv = json_string(val);  /* NULL when val is not UTF-8 */
            json_object_set_new(*obj, key, sv ? sv : json_null());
          }
          if (json_is_null(json_object_get(*obj, key))) {
            fprintf(stderr, "duban %s: error: %s: the value is not valid UTF-8\n", verb, name);
            return 1;
          }
      }
    }
  }
  return 0;
}

int cli_resolve_units(struct app *app, const struct cli_opt *opts, json_t *obj, struct err *e) {
  for (const struct cli_opt *o = opts; o && o->name; o++) {
    const char *key = o->key ? o->key : o->name;
    json_t *v = json_object_get(obj, key);
    int64_t id;
    if (!v) continue;
    if (o->type == O_UNIT && json_is_string(v)) {
      if (app_unit_resolve(app, json_string_value(v), &id, e, key)) return -1;
      json_object_set_new(obj, key, json_integer(id));
    } else if (o->type == O_UNITS && json_is_array(v)) {
      json_t *ids = json_array(), *it;
      size_t i;
      json_array_foreach(v, i, it) {
        if (app_unit_resolve(app, json_string_value(it), &id, e, key)) {
          json_decref(ids);
          return -1;
        }
        json_array_append_new(ids, json_integer(id));
      }
      json_object_set_new(obj, key, ids);
    }
  }
  return 0;
}

int cli_open(const char *verb, const struct cli_common *c, enum app_open_mode mode,
             struct app *app, struct actor *who) {
  struct err e;
  err_clear(&e);
  if (app_open(app, c->db, mode, NULL, &e)) return cli_fail(verb, &e);
  if (c->as && *c->as) {
    if (app_actor_by_login(app, c->as, who, &e)) {
      err_set(&e, ERR_INVALID, "as", "no active user with login %s", c->as);
      app_close(app);
      return cli_fail(verb, &e);
    }
  } else {
    *who = actor_system();
  }
  return 0;
}

void cli_help(const char *synopsis, const char *description, const struct cli_opt *opts) {
  printf("usage: %s\n\n%s\n", synopsis, description);
  if (opts && opts->name) printf("\noptions:\n");
  for (const struct cli_opt *o = opts; o && o->name; o++) printf("  --%-22s %s\n", o->name, o->help);
  printf("\ncommon options:\n"
         "  --db PATH|URL            database (default $DUBAN_DB, else ./duban.db)\n"
         "  --as LOGIN               act as this user (default $DUBAN_USER, else the system administrator)\n"
         "  --json                   print JSON\n"
         "  --help                   this help\n"
         "\nexit codes: 0 ok, 1 error, 2 usage\n");
}

void cli_print_json(json_t *v) {
  char *s = json_dumps(v, JSON_INDENT(2) | JSON_SORT_KEYS);
  if (s) {
    puts(s);
    free(s);
  }
}

/* Display width: East Asian wide characters take two columns. */
static int display_width(const char *s) {
  int w = 0;
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    if (*p < 0x80) { w++; p++; }
    else if ((*p & 0xE0) == 0xC0) { w++; p += 2; }
    else if ((*p & 0xF0) == 0xE0) {
      /* U+2000..U+206F (general punctuation: “ ” — …) is narrow. */
      w += (p[0] == 0xE2 && (p[1] == 0x80 || p[1] == 0x81)) ? 1 : 2;
      p += 3;
    }
    else { w += 2; p += 4; }
  }
  return w;
}

static char *cell_text(json_t *v) {
  char tmp[64];
  if (!v || json_is_null(v)) return strdup("-");
  if (json_is_string(v)) return strdup(json_string_value(v));
  if (json_is_integer(v)) {
    snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(v));
    return strdup(tmp);
  }
  if (json_is_real(v)) {
    snprintf(tmp, sizeof tmp, "%.1f", json_real_value(v));
    return strdup(tmp);
  }
  if (json_is_boolean(v)) return strdup(json_is_true(v) ? "yes" : "no");
  return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

void cli_print_table(json_t *items, const char *columns) {
  char keys[16][32], heads[16][64];
  int widths[16], nc = 0;
  size_t i;
  json_t *row;
  const char *p = columns;
  while (*p && nc < 16) {
    size_t n = strcspn(p, ","), k = strcspn(p, ":");
    if (k > n) k = n;
    snprintf(keys[nc], sizeof keys[nc], "%.*s", (int)k, p);
    snprintf(heads[nc], sizeof heads[nc], "%.*s", (int)(k < n ? n - k - 1 : k), k < n ? p + k + 1 : p);
    widths[nc] = display_width(heads[nc]);
    nc++;
    p += n;
    if (*p == ',') p++;
  }
  json_array_foreach(items, i, row) {
    for (int c = 0; c < nc; c++) {
      char *t = cell_text(json_object_get(row, keys[c]));
      int w = display_width(t);
      if (w > 40) w = 40;
      if (w > widths[c]) widths[c] = w;
      free(t);
    }
  }
  for (int c = 0; c < nc; c++) printf("%s%*s", heads[c], c + 1 < nc ? widths[c] - display_width(heads[c]) + 2 : 0, "");
  printf("\n");
  json_array_foreach(items, i, row) {
    for (int c = 0; c < nc; c++) {
      char *t = cell_text(json_object_get(row, keys[c]));
      /* Cut long cells at a character boundary to keep the table readable. */
      int w = 0;
      char *q = t;
      while (*q) {
        const unsigned char *uq = (const unsigned char *)q;
        int cw = (uq[0] >= 0xE0 && !(uq[0] == 0xE2 && (uq[1] == 0x80 || uq[1] == 0x81))) ? 2 : 1;
        int len = ((unsigned char)*q < 0x80) ? 1 : ((unsigned char)*q < 0xE0) ? 2 : ((unsigned char)*q < 0xF0) ? 3 : 4;
        if (w + cw > 40) { *q = 0; break; }
        w += cw;
        q += len;
      }
      printf("%s%*s", t, c + 1 < nc ? widths[c] - w + 2 : 0, "");
      free(t);
    }
    printf("\n");
  }
}

void cli_print_object(json_t *o) {
  const char *k;
  json_t *v;
  json_object_foreach(o, k, v) {
    char *t;
    if (json_is_array(v) || json_is_object(v)) {
      t = json_dumps(v, JSON_COMPACT);
    } else {
      t = cell_text(v);
    }
    printf("%-20s %s\n", k, t ? t : "");
    free(t);
  }
}

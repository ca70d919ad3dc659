/* json_in.c — see json_in.h. */
#include "app/json_in.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "util/text.h"

int json_in_allow(json_t *in, const char *allowed, struct err *e) {
  const char *key;
  json_t *v;
  if (!in) return 0;
  if (!json_is_object(in)) return err_set(e, ERR_INVALID, "", "the input must be a JSON object");
  json_object_foreach(in, key, v) {
    size_t n = strlen(key);
    const char *p = allowed;
    int ok = 0;
    while (p && *p) {
      size_t m = strcspn(p, ",");
      if (m == n && strncmp(p, key, n) == 0) {
        ok = 1;
        break;
      }
      p += m;
      if (*p == ',') p++;
    }
    if (!ok) return err_set(e, ERR_INVALID, key, "unknown field \"%s\"", key);
  }
  return 0;
}

int json_in_str(json_t *in, const char *key, int required, size_t max_chars,
                int multiline, const char **out, struct err *e) {
  json_t *v = in ? json_object_get(in, key) : NULL;
  const char *s;
  if (!v || json_is_null(v)) {
    if (required) return err_set(e, ERR_INVALID, key, "%s is required", key);
    return 1;
  }
  if (!json_is_string(v)) return err_set(e, ERR_INVALID, key, "%s must be a string", key);
  s = json_string_value(v);
  if (!*s) {
    if (required) return err_set(e, ERR_INVALID, key, "%s must not be empty", key);
    *out = s;
    return 0;
  }
  if (text_check(e, key, s, max_chars, required, multiline)) return -1;
  *out = s;
  return 0;
}

int json_in_int(json_t *in, const char *key, int required, int64_t lo, int64_t hi,
                int64_t *out, struct err *e) {
  json_t *v = in ? json_object_get(in, key) : NULL;
  int64_t x;
  if (!v || json_is_null(v)) {
    if (required) return err_set(e, ERR_INVALID, key, "%s is required", key);
    return 1;
  }
  if (json_is_integer(v)) {
    x = (int64_t)json_integer_value(v);
  } else if (json_is_string(v)) {
    const char *s = json_string_value(v);
    char *end;
    if (!*s) goto bad;
    x = strtoll(s, &end, 10);
    if (*end) goto bad;
  } else {
    goto bad;
  }
  if (x < lo || x > hi)
    return err_set(e, ERR_INVALID, key, "%s must be between %lld and %lld (got %lld)",
                   key, (long long)lo, (long long)hi, (long long)x);
  *out = x;
  return 0;
bad:
  return err_set(e, ERR_INVALID, key, "%s must be an integer", key);
}

int json_in_date(json_t *in, const char *key, int required, day_t *out, struct err *e) {
  json_t *v = in ? json_object_get(in, key) : NULL;
  if (!v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v))) {
    if (required) return err_set(e, ERR_INVALID, key, "%s is required", key);
    return 1;
  }
  if (!json_is_string(v) || date_parse(json_string_value(v), out))
    return err_set(e, ERR_INVALID, key, "%s must be a real date as YYYY-MM-DD (got %s)",
                   key, json_is_string(v) ? json_string_value(v) : "a non-string");
  return 0;
}

int json_in_bool(json_t *in, const char *key, int required, int *out, struct err *e) {
  json_t *v = in ? json_object_get(in, key) : NULL;
  if (!v || json_is_null(v)) {
    if (required) return err_set(e, ERR_INVALID, key, "%s is required", key);
    return 1;
  }
  if (json_is_boolean(v)) {
    *out = json_is_true(v);
    return 0;
  }
  if (json_is_string(v)) {
    const char *s = json_string_value(v);
    if (!strcmp(s, "1") || !strcmp(s, "true")) { *out = 1; return 0; }
    if (!strcmp(s, "0") || !strcmp(s, "false")) { *out = 0; return 0; }
  }
  if (json_is_integer(v) && (json_integer_value(v) == 0 || json_integer_value(v) == 1)) {
    *out = (int)json_integer_value(v);
    return 0;
  }
  return err_set(e, ERR_INVALID, key, "%s must be true or false", key);
}

int json_in_array(json_t *in, const char *key, int required, json_t **out, struct err *e) {
  json_t *v = in ? json_object_get(in, key) : NULL;
  if (!v || json_is_null(v)) {
    if (required) return err_set(e, ERR_INVALID, key, "%s is required", key);
    return 1;
  }
  if (!json_is_array(v)) return err_set(e, ERR_INVALID, key, "%s must be an array", key);
  *out = v;
  return 0;
}

int json_in_str_list(json_t *in, const char *key, size_t max_chars, char **out_json,
                     struct err *e) {
  json_t *arr, *v;
  size_t i;
  char field[80];
  int rc = json_in_array(in, key, 0, &arr, e);
  if (rc) return rc;
  json_array_foreach(arr, i, v) {
    snprintf(field, sizeof field, "%s[%zu]", key, i);
    if (!json_is_string(v)) return err_set(e, ERR_INVALID, field, "%s must be a string", field);
    if (text_check(e, field, json_string_value(v), max_chars, 1, 0)) return -1;
  }
  *out_json = json_dumps(arr, JSON_COMPACT);
  if (!*out_json) return err_set(e, ERR_INTERNAL, key, "out of memory");
  return 0;
}

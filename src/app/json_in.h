/*
** json_in.h — strict reading of input objects (API bodies, CLI options).
**
** Every use case starts with json_in_allow(in, "a,b,c", e): an unknown member
** is refused by name, so a typo never passes silently. The getters check the
** member's type and content and name it in the error. All getters return 0
** (present and valid), 1 (absent; *out untouched) or -1 (invalid; e set).
** Strings returned are borrowed from `in`.
*/
#ifndef DUBAN_JSON_IN_H
#define DUBAN_JSON_IN_H

#include <jansson.h>
#include <stdint.h>

#include "util/date.h"
#include "util/err.h"

/* `in` must be an object (NULL is treated as {}); members must be listed in
** the comma-separated `allowed`. 0 or -1. */
int json_in_allow(json_t *in, const char *allowed, struct err *e);

/* Text: valid UTF-8, no control characters (multiline allows \n\r\t),
** at most max_chars code points (0 = no limit). An empty string counts as
** absent when !required... required=1 makes absence an error. */
int json_in_str(json_t *in, const char *key, int required, size_t max_chars,
                int multiline, const char **out, struct err *e);
/* Integer within [lo, hi]. Accepts a JSON integer, or a string of digits
** (CLI convenience). */
int json_in_int(json_t *in, const char *key, int required, int64_t lo, int64_t hi,
                int64_t *out, struct err *e);
/* A date "YYYY-MM-DD" that exists. */
int json_in_date(json_t *in, const char *key, int required, day_t *out, struct err *e);
/* Boolean (true/false, or "1"/"0"/"true"/"false"). */
int json_in_bool(json_t *in, const char *key, int required, int *out, struct err *e);
/* Array (or absent). */
int json_in_array(json_t *in, const char *key, int required, json_t **out, struct err *e);
/* Array of strings → JSON text of the array (new string, caller frees) after
** checking each element (max_chars each). */
int json_in_str_list(json_t *in, const char *key, size_t max_chars, char **out_json,
                     struct err *e);

#endif

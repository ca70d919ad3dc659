/*
** embed.h — files compiled into the binary (scripts/embed.sh writes the
** tables at build time). Contents are NUL-terminated after `size` bytes.
*/
#ifndef DUBAN_EMBED_H
#define DUBAN_EMBED_H

#include <stddef.h>

struct embedded_file {
  const char *name;   /* base name, e.g. "2021.json" */
  const char *data;
  size_t size;
};

/* The State Council holiday schedule, data/holidays-cn/YYYY.json. */
extern const struct embedded_file embedded_holidays[];
extern const size_t embedded_holidays_count;

#endif

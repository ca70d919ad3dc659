#!/usr/bin/env bash
# embed.sh SYMBOL OUT.c FILE... — writes a C file holding the files' bytes as
#   const struct embedded_file SYMBOL[]; const size_t SYMBOL_count;
# (struct embedded_file is declared in src/util/embed.h). Used for data the
# binary must carry, such as the bundled holiday calendar.
set -euo pipefail
sym=$1; out=$2; shift 2
tmp="$out.tmp"
{
  echo '#include "util/embed.h"'
  i=0
  for f in "$@"; do
    echo "static const unsigned char ${sym}_$i[] = {"
    od -An -v -tx1 "$f" | sed -e 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g'
    echo "0x00};"
    i=$((i+1))
  done
  echo "const struct embedded_file ${sym}[] = {"
  i=0
  for f in "$@"; do
    size=$(stat -c %s "$f")
    echo "  {\"$(basename "$f")\", (const char *)${sym}_$i, $size},"
    i=$((i+1))
  done
  echo "};"
  echo "const size_t ${sym}_count = $i;"
} > "$tmp"
mv "$tmp" "$out"

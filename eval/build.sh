#!/bin/sh
# Builds the library (util + ingest) and the stand-alone ingest driver into
# ${BUILD:-build-ingest}. Used by eval/run.sh and bench.
set -e
cd "$(dirname "$0")/.."
B=${BUILD:-build-ingest}
make -s BUILD="$B" MODULES="util ingest" "$B/libduban.a" >/dev/null
PK="icu-uc icu-i18n libzip expat jansson"
${CC:-cc} -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter -O2 -g -Isrc \
  $(pkg-config --cflags $PK) eval/ingest_main.c src/cli/cmd_ingest.c "$B/libduban.a" \
  $(pkg-config --libs $PK) -lm -o "$B/ingest"

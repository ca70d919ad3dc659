#!/bin/sh
# Builds the libFuzzer target for the ingest entry point into build-fuzz-ingest/.
set -e
cd "$(dirname "$0")/../.."
B=build-fuzz-ingest
make -s MODE=fuzz BUILD=$B MODULES="util ingest" $B/libduban.a
PK="icu-uc icu-i18n libzip expat jansson"
clang -std=c11 -D_GNU_SOURCE -O1 -g -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=undefined -Isrc $(pkg-config --cflags $PK) \
  tests/fuzz/fuzz_ingest.c $B/libduban.a $(pkg-config --libs $PK) -lm -o $B/fuzz_ingest

#!/bin/sh
# eval/run.sh — builds the ingest driver, runs it on every report of
# ../shared/corpus/meetings (and on the seed), and scores the output with
# eval/score.py. Prints per-document and total P/R/F1, unit and deadline
# accuracy; the last line is F1=0.xxx. Skips cleanly when ../shared is absent.
#   CORPUS=dir SEEDS=dir eval/run.sh      to score another set laid out the same way
set -e
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CORPUS=${CORPUS:-$ROOT/../shared/corpus/meetings}
SEEDS=${SEEDS:-$ROOT/../shared/seeds}
if [ ! -d "$CORPUS" ]; then
  echo "skip: corpus not found at $CORPUS"
  exit 0
fi
BUILD=${BUILD:-build-ingest} "$ROOT/eval/build.sh"
BIN="$ROOT/${BUILD:-build-ingest}/ingest"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
LIST="$OUT/list.tsv"
: > "$LIST"
metadate() {  # meeting date from NN.meta.json, if any
  [ -f "$1" ] && /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])).get("date"); print(d or "")' "$1" || true
}
for gold in "$CORPUS"/*.gold.json; do
  name=$(basename "$gold" .gold.json)
  if [ "$name" = seed ]; then
    txt=$(ls "$SEEDS"/*.txt 2>/dev/null | head -1)
  else
    txt="$CORPUS/$name.txt"
  fi
  [ -f "$txt" ] || { echo "skip: $name (no text)"; continue; }
  md=$(metadate "$CORPUS/$name.meta.json")
  if [ -n "$md" ]; then
    "$BIN" "$txt" --json --meeting-date "$md" > "$OUT/$name.out.json" || true
  else
    "$BIN" "$txt" --json > "$OUT/$name.out.json" || true
  fi
  printf '%s\t%s\t%s\t%s\n' "$name" "$txt" "$gold" "$OUT/$name.out.json" >> "$LIST"
done
/usr/bin/python3 "$ROOT/eval/score.py" --list "$LIST"

#!/usr/bin/env bash
# Runs every test of duban and ends with one line "N passed, N failed".
#
#   1. installs what the build and the tests need (scripts/install-deps.sh --test)
#   2. builds with AddressSanitizer + UndefinedBehaviorSanitizer (make MODE=asan)
#   3. C unit tests (tests/unit), each binary under the sanitizers
#   4. CLI end-to-end tests (tests/cli) and HTTP API tests (tests/api) on SQLite
#   5. the store and API tests again on a throwaway PostgreSQL cluster
#   6. browser tests (tests/browser) in Debian's chromium, when present
#
# Environment: DUBAN_SKIP_PG=1 / DUBAN_SKIP_BROWSER=1 skip those parts
# (they are then reported as skipped, never as passed).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

passed=0; failed=0; skipped=0
note() { printf '\n=== %s\n' "$*"; }
count() {  # count PASSED FAILED SKIPPED
  passed=$((passed + $1)); failed=$((failed + $2)); skipped=$((skipped + ${3:-0}))
}

note "dependencies"
bash scripts/install-deps.sh --test || { echo "dependency installation failed"; echo "0 passed, 1 failed"; exit 1; }

note "build (asan + ubsan)"
if ! make -j2 MODE=asan >/tmp/duban-build.log 2>&1; then
  tail -50 /tmp/duban-build.log
  echo "0 passed, 1 failed"
  exit 1
fi
grep -E "warning:" /tmp/duban-build.log | sort -u | head -20
export DUBAN_BIN="$ROOT/build-asan/duban"
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export DUBAN_FAST_HASH=1
# Every task view served from its stored row is also rendered live and
# compared (src/app/task_docs.c): a write the triggers miss fails a test.
export DUBAN_CHECK_TASK_DOCS=1
export PYTHONDONTWRITEBYTECODE=1

# pytest's last line: "3 failed, 40 passed, 2 skipped in 9.1s"
pytest_counts() {
  local line; line=$(grep -E "^(=+ )?[0-9]+ (passed|failed|error|skipped)" "$1" | tail -1)
  local p f e s
  p=$(grep -oE "[0-9]+ passed" <<<"$line" | grep -oE "[0-9]+"); p=${p:-0}
  f=$(grep -oE "[0-9]+ failed" <<<"$line" | grep -oE "[0-9]+"); f=${f:-0}
  e=$(grep -oE "[0-9]+ errors?" <<<"$line" | grep -oE "[0-9]+"); e=${e:-0}
  s=$(grep -oE "[0-9]+ skipped" <<<"$line" | grep -oE "[0-9]+"); s=${s:-0}
  if [ -z "$line" ]; then f=1; fi   # pytest crashed or collected nothing
  count "$p" "$((f + e))" "$s"
}

run_unit_tests() {  # run_unit_tests LABEL
  for t in build-asan/tests/test_*; do
    [ -x "$t" ] || continue
    local out; out=$(mktemp)
    "$t" >"$out" 2>&1; local rc=$?
    grep -E "^(not ok|#)|failed|ERROR|runtime error" "$out" | head -30
    local line; line=$(grep -E "^# .*: [0-9]+ passed, [0-9]+ failed" "$out" | tail -1)
    local p f
    p=$(grep -oE "[0-9]+ passed" <<<"$line" | grep -oE "[0-9]+"); p=${p:-0}
    f=$(grep -oE "[0-9]+ failed" <<<"$line" | grep -oE "[0-9]+"); f=${f:-0}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "  $t ($1) exited $rc"; tail -20 "$out"; fi
    count "$p" "$f"
    rm -f "$out"
  done
}

note "C unit tests (SQLite)"
run_unit_tests sqlite

# Each suite runs in its own pytest process: they have conftest.py files of their own.
for suite in tests/cli tests/api; do
  note "$suite (SQLite)"
  out=$(mktemp)
  /usr/bin/python3 -m pytest -q -p no:cacheprovider "$suite" >"$out" 2>&1
  tail -40 "$out" | grep -vE "^\s*$" | tail -25
  pytest_counts "$out"; rm -f "$out"
done

# Ingest accuracy on the development corpus (../shared, read at run time):
# a drop below the targets of issue 4 fails the run. Skipped without ../shared.
note "ingest accuracy (eval/run.sh)"
if [ -d ../shared/corpus/meetings ]; then
  out=$(mktemp)
  if bash eval/run.sh >"$out" 2>&1; then
    grep -E "^TOTAL" "$out"
    if awk '/^TOTAL/ { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
            END { exit !(v["F1"] >= 0.85 && v["unit"] >= 0.8 && v["deadline"] >= 0.9) }' "$out"; then
      count 1 0
    else
      echo "ingest accuracy below target (F1 0.85, unit 0.8, deadline 0.9)"; count 0 1
    fi
  else
    tail -20 "$out"; count 0 1
  fi
  rm -f "$out"
else
  echo "skipped: ../shared/corpus/meetings not found"; count 0 0 1
fi

if [ "${DUBAN_SKIP_PG:-0}" = 1 ]; then
  note "PostgreSQL: skipped (DUBAN_SKIP_PG=1)"; count 0 0 1
else
  note "PostgreSQL"
  export DUBAN_PG_STATE=$(mktemp -u /tmp/duban-pg-state.XXXXXX)
  if PGURL=$(bash scripts/pg-test-cluster.sh start); then
    trap 'bash scripts/pg-test-cluster.sh stop >/dev/null 2>&1' EXIT
    echo "cluster at $PGURL"
    DUBAN_TEST_DB="$PGURL" ./build-asan/tests/test_store > /tmp/duban-store-pg.log 2>&1; rc=$?
    line=$(grep -E "^# .*passed" /tmp/duban-store-pg.log | tail -1); echo "$line (postgresql)"
    p=$(grep -oE "[0-9]+ passed" <<<"$line" | grep -oE "[0-9]+"); f=$(grep -oE "[0-9]+ failed" <<<"$line" | grep -oE "[0-9]+")
    p=${p:-0}; f=${f:-0}; if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; tail -20 /tmp/duban-store-pg.log; fi
    count "$p" "$f"
    out=$(mktemp)
    DUBAN_TEST_DB_URL="$PGURL" /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/api >"$out" 2>&1
    tail -25 "$out" | grep -vE "^\s*$" | tail -15
    pytest_counts "$out"; rm -f "$out"
    # The PostgreSQL-only CLI tests (copy; search compared with SQLite); each makes its own database.
    out=$(mktemp)
    DUBAN_TEST_DB_URL="$PGURL" /usr/bin/python3 -m pytest -q -p no:cacheprovider \
      tests/cli/test_copy_pg.py tests/cli/test_verbs_pg.py tests/cli/test_search.py -k "pg or postgresql" >"$out" 2>&1
    tail -25 "$out" | grep -vE "^\s*$" | tail -15
    pytest_counts "$out"; rm -f "$out"
    bash scripts/pg-test-cluster.sh stop >/dev/null 2>&1
    trap - EXIT
  else
    echo "could not start PostgreSQL"; count 0 1
  fi
fi

if [ "${DUBAN_SKIP_BROWSER:-0}" = 1 ] || [ ! -x tests/browser/run.sh ] && [ ! -f tests/browser/run.sh ]; then
  note "browser tests: skipped"; count 0 0 1
else
  note "browser tests (chromium)"
  out=$(mktemp)
  bash tests/browser/run.sh >"$out" 2>&1; rc=$?
  # the tests' own lines (a failure's name and cause), then the end
  grep -E "^(✔|✖|ℹ)|^ +(error|Error|expected|actual|at .*test\.mjs)" "$out" | head -60
  tail -15 "$out"
  p=$(grep -E "^(# |ℹ )pass [0-9]+" "$out" | tail -1 | grep -oE "[0-9]+"); p=${p:-0}
  f=$(grep -E "^(# |ℹ )fail [0-9]+" "$out" | tail -1 | grep -oE "[0-9]+"); f=${f:-0}
  if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  count "$p" "$f"; rm -f "$out"
fi

echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# Browser tests: real `duban serve` on a temporary demo database, Debian's
# chromium driven by playwright-core (no browser download), node's test runner.
#   DUBAN_BIN   server binary (default build/duban)
#   CHROMIUM    browser (default /usr/bin/chromium)
#   TESTS       test files (default tests/browser/*.test.mjs)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
DUBAN_BIN=${DUBAN_BIN:-build/duban}
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$DUBAN_BIN" ] || { echo "run.sh: no server binary at $DUBAN_BIN (set DUBAN_BIN)" >&2; exit 2; }
[ -x "$CHROMIUM" ] || { echo "run.sh: no browser at $CHROMIUM (apt-get install -y chromium)" >&2; exit 2; }

# Build the web UI when dist is missing or older than any source.
if [ ! -d web/node_modules ]; then (cd web && npm ci --no-audit --no-fund); fi
if [ ! -f web/dist/index.html ] || [ -n "$(find web/src web/index.html web/vite.config.js web/package-lock.json web/public -newer web/dist/index.html -print -quit)" ]; then
  (cd web && npm run build >/dev/null)
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/duban-browser.XXXXXX")
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [ -n "${KEEP_TMP:-}" ]; then echo "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

# Pin the domain's "today" inside the bundled calendar (2019-2026), so that the
# demo and the tests do not depend on the day they run.
export DUBAN_NOW=${DUBAN_NOW:-2026-11-25T10:00}
DB="$TMP/duban.db"
"$DUBAN_BIN" demo --db "$DB" --no-serve >"$TMP/demo.txt" 2>&1 || { cat "$TMP/demo.txt" >&2; exit 1; }
PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
"$DUBAN_BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" --web web/dist >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
URL="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do
  if node -e 'fetch(process.argv[1]+"/healthz").then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "$URL"; then break; fi
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "server exited:" >&2; cat "$TMP/server.log" >&2; exit 1; }
  sleep 0.1
done

export DUBAN_URL="$URL" DUBAN_DEMO="$TMP/demo.txt" DUBAN_TMP="$TMP"
set +e
# shellcheck disable=SC2086
node --test --test-concurrency=1 --test-reporter=spec ${TESTS:-tests/browser/*.test.mjs}
rc=$?
set -e
if [ $rc -ne 0 ]; then echo "--- server log (tail) ---"; tail -n 40 "$TMP/server.log"; fi
exit $rc

#!/usr/bin/env bash
# Web UI benchmark (not a test): bundle sizes, and ledger first render with
# 10,000 tasks on a real `duban serve`. DUBAN_BIN, BENCH_TASKS as in tests/browser/run.sh.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
DUBAN_BIN=${DUBAN_BIN:-build/duban}
[ -f web/dist/index.html ] || (cd web && npm run build)
node bench/web/size.mjs
TMP=$(mktemp -d "${TMPDIR:-/tmp}/duban-bench.XXXXXX")
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
"$DUBAN_BIN" demo --db "$TMP/d.db" --no-serve >"$TMP/demo.txt"
PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
"$DUBAN_BIN" serve --db "$TMP/d.db" --listen "127.0.0.1:$PORT" --web web/dist >"$TMP/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do node -e 'fetch(process.argv[1]+"/healthz").then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "http://127.0.0.1:$PORT" && break; sleep 0.1; done
DUBAN_URL="http://127.0.0.1:$PORT" DUBAN_DEMO="$TMP/demo.txt" DUBAN_TMP="$TMP" node bench/web/ledger.mjs

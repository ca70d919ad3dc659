#!/usr/bin/env bash
# pg.sh — the HTTP benchmark on PostgreSQL: a durable throwaway cluster
# (fsync on), the SQLite data set moved in with `duban copy`, then run.sh
# against it. Same env as run.sh (TASKS, DUR, LONG, DUBAN_BIN).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${DUBAN_BIN:-$root/build-release/duban}
TASKS=${TASKS:-1000000}
dir=${BENCH_DIR:-/tmp/duban-bench}
export DUBAN_PG_STATE="$dir/pg.state" DUBAN_PG_DURABLE=1
sqlite_db="$dir/bench-$TASKS.db"
[ -s "$sqlite_db" ] || { echo "run bench/http/run.sh first (it makes $sqlite_db)" >&2; exit 2; }
url=$(bash "$root/scripts/pg-test-cluster.sh" start)
trap 'bash "$root/scripts/pg-test-cluster.sh" stop >/dev/null 2>&1' EXIT
t0=$(date +%s)
"$bin" copy --from "$sqlite_db" --to "$url" >"$dir/copy.log"
echo "copied $TASKS tasks into PostgreSQL in $(( $(date +%s) - t0 )) s" >&2
DB_URL=$url DUBAN_BIN=$bin bash "$here/run.sh"

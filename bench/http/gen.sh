#!/usr/bin/env bash
# gen.sh DB [TASKS] [UNITS] [USERS] — a benchmark database: duban init, an
# admin (login admin / password bench-password), then gen.sql through the
# sqlite3 shell. Defaults: 1,000,000 tasks, 100 units, 50,000 users.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
db=${1:?usage: gen.sh DB [TASKS] [UNITS] [USERS]}
tasks=${2:-1000000}; units=${3:-100}; users=${4:-50000}
bin=${DUBAN_BIN:-$here/../../build-release/duban}
rm -f "$db" "$db-wal" "$db-shm"
"$bin" init --db "$db" >/dev/null
"$bin" user add --db "$db" --login admin --name 管理员 --roles admin,supervisor \
  --password bench-password >/dev/null
hash=$(sqlite3 "$db" "SELECT password_hash FROM app_user WHERE login='admin'")
t0=$(date +%s.%N)
sed -e "s/@TASKS@/$tasks/g" -e "s/@UNITS@/$units/g" -e "s/@USERS@/$users/g" \
    -e "s|@HASH@|$hash|g" "$here/gen.sql" | sqlite3 "$db" >/dev/null
t1=$(date +%s.%N)
printf 'generated %s tasks, %s units, %s users in %.1f s (%s MB)\n' "$tasks" "$units" "$users" \
  "$(echo "$t1 - $t0" | bc)" "$(( $(stat -c %s "$db") / 1048576 ))"
# The stored task views (docs/decisions/0006): the SQL load above marks every
# task; views build renders them, as an operator does after a bulk load.
t0=$(date +%s.%N)
"$bin" views build --db "$db"
t1=$(date +%s.%N)
printf 'stored views in %.1f s (%s MB)\n' "$(echo "$t1 - $t0" | bc)" "$(( $(stat -c %s "$db") / 1048576 ))"

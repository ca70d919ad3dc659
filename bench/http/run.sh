#!/usr/bin/env bash
# run.sh — the HTTP benchmark (not a test). See docs/performance.md.
#
#   bench/http/run.sh                 # 1,000,000 tasks, 30 s per scenario
#   TASKS=100000 DUR=10 bench/http/run.sh   # reduced scale
#
# Env: DUBAN_BIN (default build-release/duban), TASKS/UNITS/USERS (data size),
# DUR (seconds per run), ROUNDS (S0-S2: rounds of duban then nginx, default 3;
# the figures are medians and the ratio the median of the rounds' ratios, so
# one noisy second on the shared machine does not decide a ratio),
# LONG (seconds of the 256-connection run),
# BENCH_DIR (work folder, default /tmp/duban-bench; the database is kept
# there and reused while its size matches), PORT, NGINX_PORT.
# Scenarios (in this order): S0 GET /healthz (libmicrohttpd, one read
# transaction, a 15-byte body) vs nginx serving 15 bytes: the ceiling of any
# duban response on this machine; S1 GET one task by bearer token vs nginx serving a static file
# of the same size (same run, same wrk settings, the same client work per
# request: baseline.lua; and, for reference, nginx driven without a script);
# S2 filtered list 25/page vs the same nginx; S3 progress writes at 32 connections; S4 GET /stats
# latency; M RSS of the server under S1 with 256 connections (LONG seconds).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${DUBAN_BIN:-$root/build-release/duban}
TASKS=${TASKS:-1000000}; UNITS=${UNITS:-100}; USERS=${USERS:-50000}
DUR=${DUR:-30}; LONG=${LONG:-60}; ROUNDS=${ROUNDS:-3}
dir=${BENCH_DIR:-/tmp/duban-bench}
port=${PORT:-18480}; nport=${NGINX_PORT:-18481}
threads=$(nproc)
mkdir -p "$dir"

for tool in wrk nginx sqlite3 curl; do
  if ! command -v "$tool" >/dev/null && ! [ -x "/usr/sbin/$tool" ]; then
    echo "installing $tool" >&2
    case $tool in nginx) pkg=nginx-light ;; sqlite3) pkg=sqlite3 ;; *) pkg=$tool ;; esac
    DEBIAN_FRONTEND=noninteractive apt-get install -y "$pkg" >/dev/null
  fi
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

db="$dir/bench-$TASKS.db"
if ! [ -s "$db" ]; then
  DUBAN_BIN=$bin "$here/gen.sh" "$db" "$TASKS" "$UNITS" "$USERS"
fi
# PostgreSQL: DB_URL names a database that holds the same data set
# (bench/http/pg.sh makes one with `duban copy` from the SQLite file).
if [ -n "${DB_URL:-}" ]; then db=$DB_URL; fi

pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# --- duban ---
DUBAN_LOGIN_MAX_FAILURES_ADDR=100000 "$bin" serve --listen "127.0.0.1:$port" --db "$db" \
  2>"$dir/serve.log" &
srv=$!; pids+=("$srv")
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port"
token_for() {  # login password → a new bearer token
  local jar="$dir/jar.$1" csrf
  csrf=$(curl -sf -c "$jar" -H 'Content-Type: application/json' \
    -d "{\"login\":\"$1\",\"password\":\"bench-password\"}" "$base/api/v1/session" |
    sed 's/.*"csrf":"\([^"]*\)".*/\1/')
  curl -sf -b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -d '{"name":"bench"}' "$base/api/v1/tokens" | sed 's/.*"token":"\([^"]*\)".*/\1/'
}
ADMIN=$(token_for admin); UNIT1=$(token_for unit-1)
export BENCH_TASKS=$TASKS BENCH_UNITS=$UNITS

# --- nginx baseline: static files the size of S1's and S2's responses ---
mkdir -p "$dir/nginx/www" "$dir/nginx/tmp"
curl -sf "$base/healthz" >"$dir/nginx/www/s0.json"
curl -sf -H "Authorization: Bearer $ADMIN" "$base/api/v1/tasks/$((TASKS / 2))" >"$dir/nginx/www/s1.json"
curl -sf -H "Authorization: Bearer $ADMIN" \
  "$base/api/v1/tasks?unit_id=7&status=in_progress&sort=deadline&limit=25" >"$dir/nginx/www/s2.json"
cat >"$dir/nginx/nginx.conf" <<CONF
worker_processes $threads;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/nginx/tmp; proxy_temp_path $dir/nginx/tmp;
  fastcgi_temp_path $dir/nginx/tmp; uwsgi_temp_path $dir/nginx/tmp; scgi_temp_path $dir/nginx/tmp;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$nport; root $dir/nginx/www;
           location / { default_type application/json; } }
}
CONF
"$NGINX" -c "$dir/nginx/nginx.conf" -p "$dir/nginx" &
pids+=($!)
sleep 0.5

# wrk_rps: prints "requests/s non2xx p50_ms p99_ms" of one wrk run.
wrk_run() {  # conns seconds script url
  local out
  out=$(wrk -t2 -c"$1" -d"$2"s --latency ${3:+-s "$3"} "$4")
  echo "$out" >>"$dir/wrk.log"
  local rps non p50 p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  non=$(echo "$out" | awk '/Non-2xx/ {print $5}'); non=${non:-0}
  err=$(echo "$out" | awk '/Socket errors/ {gsub(",",""); print $4+$6+$8+$10}'); err=${err:-0}
  p50=$(echo "$out" | awk '$1=="50%" {print $2}'); p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  echo "$rps $non $err $p50 $p99"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

echo "# duban HTTP benchmark: $TASKS tasks, $UNITS units, $USERS users; $(nproc) cores;" \
     "server threads $threads; wrk -t2; $DUR s per run; $ROUNDS rounds for S0-S2 (medians)" | tee "$dir/summary.txt"
: >"$dir/wrk.log"

# CPU time (clock ticks, user + system) of a process and its threads, and of
# nginx's workers; with request counts they give CPU per request, steadier
# than req/s on a machine shared with wrk.
ticks() { awk '{ s += $14 + $15 } END { print s + 0 }' "$@" 2>/dev/null || echo 0; }
nginx_ticks() { ticks $(for p in $(pgrep -f "nginx: worker process"); do echo "/proc/$p/stat"; done); }
served() { curl -sf "$base/metrics" | awk '/^duban_http_requests_total/ { s += $2 } END { print s + 0 }'; }
hz=$(getconf CLK_TCK)
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# vs_nginx NAME SCRIPT URL FILE: ROUNDS rounds of duban, then nginx with
# the same client work (SCRIPT given: bench/http/baseline.lua, the same
# header and a Lua request() per request), then nginx driven without a
# script; sets r_duban r_nginx r_ratio (medians against the same-client
# nginx), r_plain r_pratio (against the scriptless one), r_p50 r_p99 r_non
# r_err (duban's, from its median round) and r_all (every round's ratio).
vs_nginx() {
  local name=$1 script=$2 url=$3 file=$4 i d n p rs=() ns=() ps=() qs=() pq=() lines=() dc=() nc=()
  local t0 t1 c0 c1
  for i in $(seq "$ROUNDS"); do
    t0=$(ticks "/proc/$srv/stat"); c0=$(served)
    d=$(BENCH_TOKEN=$ADMIN wrk_run 64 "$DUR" "$script" "$url")
    t1=$(ticks "/proc/$srv/stat"); c1=$(served)
    dc+=("$(awk -v t="$((t1 - t0))" -v n="$((c1 - c0))" -v hz="$hz" 'BEGIN { printf "%.1f", n ? t / hz * 1e6 / n : 0 }')")
    t0=$(nginx_ticks)
    if [ -n "$script" ]; then
      n=$(BENCH_TOKEN=$ADMIN BENCH_FILE=$file wrk_run 64 "$DUR" "$here/baseline.lua" "http://127.0.0.1:$nport/")
    else
      n=$(wrk_run 64 "$DUR" "" "http://127.0.0.1:$nport/$file")
    fi
    t1=$(nginx_ticks)
    nc+=("$(awk -v t="$((t1 - t0))" -v r="${n%% *}" -v d="$DUR" -v hz="$hz" 'BEGIN { printf "%.1f", r ? t / hz * 1e6 / (r * d) : 0 }')")
    p=$n
    if [ -n "$script" ]; then p=$(wrk_run 64 "$DUR" "" "http://127.0.0.1:$nport/$file"); fi
    rs+=("${d%% *}"); ns+=("${n%% *}"); ps+=("${p%% *}"); lines+=("$d")
    qs+=("$(ratio "${d%% *}" "${n%% *}")"); pq+=("$(ratio "${d%% *}" "${p%% *}")")
  done
  r_duban=$(echo "${rs[*]}" | median); r_nginx=$(echo "${ns[*]}" | median)
  r_ratio=$(echo "${qs[*]}" | median); r_all="${qs[*]}"
  r_plain=$(echo "${ps[*]}" | median); r_pratio=$(echo "${pq[*]}" | median)
  r_cpu=$(echo "${dc[*]}" | median); r_ncpu=$(echo "${nc[*]}" | median)
  for d in "${lines[@]}"; do
    if [ "${d%% *}" = "$r_duban" ] || [ -z "${r_p50:-}" ]; then read -r _ r_non r_err r_p50 r_p99 <<<"$d"; fi
  done
  echo "$name rounds: duban ${rs[*]} req/s; nginx (same client) ${ns[*]} req/s; ratios $r_all;" \
       "nginx (no script) ${ps[*]} req/s; ratios ${pq[*]}" >>"$dir/wrk.log"
}

r_p50=; vs_nginx S0 "" "$base/healthz" s0.json
echo "S0 GET /healthz (64 conns): duban $r_duban req/s; nginx $(stat -c %s "$dir/nginx/www/s0.json")-byte file" \
     "$r_nginx req/s; ratio $r_ratio (rounds: $r_all) — the ceiling for any response;" \
     "CPU per request: duban $r_cpu us, nginx $r_ncpu us" | tee -a "$dir/summary.txt"
r_p50=; vs_nginx S1 "$here/s1.lua" "$base/" s1.json
echo "S1 GET task (64 conns): duban $r_duban req/s (p50 $r_p50, p99 $r_p99, non-2xx $r_non, socket errors $r_err);" \
     "nginx $(stat -c %s "$dir/nginx/www/s1.json")-byte file, same client: $r_nginx req/s; ratio $r_ratio (rounds: $r_all) (target >= 0.6);" \
     "nginx without a script: $r_plain req/s, ratio $r_pratio;" \
     "CPU per request: duban $r_cpu us, nginx $r_ncpu us" |
  tee -a "$dir/summary.txt"

read -r s3 s3n s3e s3p50 s3p99 < <(BENCH_TOKEN=$UNIT1 wrk_run 32 "$DUR" "$here/s3.lua" "$base/")
echo "S3 progress writes (32 conns): $s3 writes/s acknowledged (p50 $s3p50, p99 $s3p99," \
     "non-2xx $s3n, socket errors $s3e) (target >= 2000/s, 0 errors)" | tee -a "$dir/summary.txt"

read -r s4 s4n _ s4p50 s4p99 < <(BENCH_TOKEN=$ADMIN wrk_run 8 "$DUR" "$here/s4.lua" "$base/api/v1/stats")
echo "S4 GET /stats (8 conns): $s4 req/s, p50 $s4p50, p99 $s4p99, non-2xx $s4n (target p99 <= 20 ms)" |
  tee -a "$dir/summary.txt"

# M: 256 connections for LONG seconds; RSS sampled every second.
# RSS counts the SQLite file's mmap'd pages (shared page cache, once per
# connection mapping); RssAnon is the server's own heap and stacks.
rss_max=0; anon_max=0
( BENCH_TOKEN=$ADMIN wrk_run 256 "$LONG" "$here/s1.lua" "$base/" >"$dir/m.out" ) &
wpid=$!
while kill -0 "$wpid" 2>/dev/null; do
  r=$(ps -o rss= -p "$srv" | tr -d ' '); [ "${r:-0}" -gt "$rss_max" ] && rss_max=$r
  a=$(awk '/^RssAnon/ {print $2}' "/proc/$srv/status" 2>/dev/null); [ "${a:-0}" -gt "$anon_max" ] && anon_max=$a
  sleep 1
done
read -r m mn me mp50 mp99 <"$dir/m.out"
echo "M S1 at 256 conns for $LONG s: $m req/s (p99 $mp99, non-2xx $mn, socket errors $me);" \
     "server RSS max $((rss_max / 1024)) MiB, of which anonymous $((anon_max / 1024)) MiB" | tee -a "$dir/summary.txt"
# S2 last: at full scale a slow list query keeps the workers busy after wrk stops.
r_p50=; vs_nginx S2 "$here/s2.lua" "$base/" s2.json
echo "S2 list 25/page (64 conns): duban $r_duban req/s (p50 $r_p50, p99 $r_p99, non-2xx $r_non);" \
     "nginx $(stat -c %s "$dir/nginx/www/s2.json")-byte file, same client: $r_nginx req/s; ratio $r_ratio (rounds: $r_all) (target >= 0.15);" \
     "nginx without a script: $r_plain req/s, ratio $r_pratio;" \
     "CPU per request: duban $r_cpu us, nginx $r_ncpu us" |
  tee -a "$dir/summary.txt"

curl -sf "$base/metrics" | grep duban_db_errors_total | grep -v '^#' | tee -a "$dir/summary.txt"

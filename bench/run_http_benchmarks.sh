#!/usr/bin/env bash
# HTTP benchmarks of `jiuzhu serve` at 1M open tasks (docs/BENCHMARKS.md, "HTTP API").
# Builds Release, generates the tasks into a SQLite file (reused when it already holds them),
# starts the server on a free local port, runs bench/http_load's inbox and walk scenarios at
# several connection counts, stops the server and prints one table per run, with the server's
# CPU time per request (http_load --server-pid) and the load average before and after.
#
#   bench/run_http_benchmarks.sh                      build, generate if needed, run everything
#   SKIP_BUILD=1 bench/run_http_benchmarks.sh         use the binaries in $BUILD_DIR
#   HTTP_BENCH_SECONDS=30 HTTP_BENCH_INBOX_CONNECTIONS="4" bench/run_http_benchmarks.sh
#
# Knobs (environment):
#   BUILD_DIR                       default build-release
#   HTTP_BENCH_DB                   SQLite file, default var/bench/http-1m.db (kept for reuse)
#   HTTP_BENCH_TASKS                open tasks to have, default 1000000 (generate_tasks --top-up)
#   HTTP_BENCH_SECONDS              timed seconds per run, default 20 (after HTTP_BENCH_WARMUP, 2)
#   HTTP_BENCH_INBOX_CONNECTIONS    default "1 4 8"
#   HTTP_BENCH_WALK_CONNECTIONS     default "2 8"
#   HTTP_BENCH_USERS                inbox users, default ten of the demo people (see below)
#   HTTP_BENCH_WORKERS              server --workers, default 8 (the server's default)
#   HTTP_BENCH_LOG_LEVEL            server --log-level, default info (access log to a file)
#   HTTP_BENCH_SCENARIOS            default "inbox walk"
# The walk scenario adds cases (each ends in monitor with a revisit task open), so the database
# grows by a few thousand open tasks per run; delete the file to start from exactly N again.
# Output also goes to $BUILD_DIR/http-bench-results.txt. Exit status: non-zero if a build, the
# generator, the server or a run failed, or any request got an error.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build=${BUILD_DIR:-build-release}
db=${HTTP_BENCH_DB:-$root/var/bench/http-1m.db}
tasks=${HTTP_BENCH_TASKS:-1000000}
seconds=${HTTP_BENCH_SECONDS:-20}
warmup=${HTTP_BENCH_WARMUP:-2}
inbox_conns=${HTTP_BENCH_INBOX_CONNECTIONS:-1 4 8}
walk_conns=${HTTP_BENCH_WALK_CONNECTIONS:-2 8}
users=${HTTP_BENCH_USERS:-li.na,zhang.qiang,zhao.lei,wu.fang,yang.fan,huang.wei,chen.jing,xu.li,he.ping,wang.hua}
workers=${HTTP_BENCH_WORKERS:-8}
log_level=${HTTP_BENCH_LOG_LEVEL:-info}
scenarios=${HTTP_BENCH_SCENARIOS:-inbox walk}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DJIUZHU_BUILD_TESTS=OFF >/dev/null
  ninja -C "$build" -j2 jiuzhu generate_tasks http_load
fi
for b in api/jiuzhu bench/generate_tasks bench/http_load; do
  [ -x "$build/$b" ] || { echo "run_http_benchmarks: $build/$b not built" >&2; exit 1; }
done

out=$root/$build/http-bench-results.txt
: >"$out"
say() { echo "$@" | tee -a "$out"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

say "== HTTP benchmarks $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' (+ uncommitted changes)')"
say "== $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/MemTotal/ {printf "%.1f GiB RAM", $2/1048576}' /proc/meminfo), load $(load)"

mkdir -p "$(dirname "$db")"
say ""
say "== data: $build/bench/generate_tasks --db sqlite:$db --tasks $tasks --top-up"
"$build/bench/generate_tasks" --db "sqlite:$db" --tasks "$tasks" --top-up 2>&1 | tee -a "$out"

server_pid=
server_log=$(mktemp /tmp/jiuzhu-http-bench-server-XXXXXX.log)
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=
}
cleanup() {
  stop_server
  rm -f "$server_log"
}
trap cleanup EXIT

"$build/api/jiuzhu" --db "sqlite:$db" serve --listen 127.0.0.1:0 --workers "$workers" \
  --log-level "$log_level" >"$server_log" 2>&1 &
server_pid=$!
port=
for _ in $(seq 1 300); do
  port=$(sed -n 's#.*serving on http://127\.0\.0\.1:\([0-9]*\)/.*#\1#p' "$server_log" | head -1)
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$server_log" >&2; echo "run_http_benchmarks: the server did not start" >&2; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "run_http_benchmarks: the server did not report its port" >&2; exit 1; }
url=http://127.0.0.1:$port
say ""
say "== server: $build/api/jiuzhu --db sqlite:$db serve --listen 127.0.0.1:$port --workers $workers --log-level $log_level"

status=0
run() {  # run SCENARIO CONNECTIONS [more http_load flags]
  local scenario=$1 conns=$2
  shift 2
  local args=(--url "$url" --scenario "$scenario" --connections "$conns" --seconds "$seconds"
              --warmup "$warmup" --server-pid "$server_pid" "$@")
  say ""
  say "== $scenario, $conns connection(s): $build/bench/http_load ${args[*]}"
  say "   load before: $(load)"
  local res rc=0
  res=$("$build/bench/http_load" "${args[@]}" 2>&1) || rc=$?
  say "$res"
  [ "$rc" = 0 ] || status=1
  say "   load after: $(load)"
}

for scenario in $scenarios; do
  case "$scenario" in
    inbox) for c in $inbox_conns; do run inbox "$c" --users "$users"; done ;;
    walk) for c in $walk_conns; do run walk "$c"; done ;;
    *) echo "run_http_benchmarks: unknown scenario $scenario (inbox, walk)" >&2; exit 2 ;;
  esac
done
stop_server
say ""
say "== done $(date -u +%Y-%m-%dT%H:%M:%SZ), load $(load)"
exit $status

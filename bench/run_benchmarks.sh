#!/usr/bin/env bash
# Builds command_throughput in Release and runs it on SQLite (WAL, synchronous=FULL) and on
# a private MariaDB server (innodb_flush_log_at_trx_commit=1), with 1 and 8 clients each,
# every engine run next to the raw single-row commit rate of the same database.
#
#   bench/run_benchmarks.sh                 build, then run both backends
#   BENCH_SECONDS=20 bench/run_benchmarks.sh
#   BENCH_BACKENDS=sqlite bench/run_benchmarks.sh   (or mariadb)
#   SKIP_BUILD=1 bench/run_benchmarks.sh    use the existing build-release/
#
# Other knobs: BENCH_CLIENTS (default 1,8), BENCH_CASES (default: the program's), BENCH_WARMUP,
# BENCH_ARGS (more flags for every run, e.g. "--profile"),
# BENCH_DIR (where the SQLite file and the MariaDB folder go; default a fresh folder under
# /tmp, removed at the end). The output is also written to build-release/bench-results.txt.
# Exit status: non-zero if a build, a server or a run failed, or if verification found a
# lost or duplicated command.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${BENCH_SECONDS:-10}
clients=${BENCH_CLIENTS:-1,8}
backends=${BENCH_BACKENDS:-sqlite mariadb}
warmup=${BENCH_WARMUP:-1}
extra=()
[ -n "${BENCH_CASES:-}" ] && extra+=(--cases "$BENCH_CASES")
# Passed through to every run, e.g. BENCH_ARGS="--profile" or "--writers 2".
read -r -a more <<<"${BENCH_ARGS:-}"
extra+=("${more[@]}")

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DJIUZHU_BUILD_TESTS=OFF >/dev/null
  ninja -C build-release -j2 command_throughput
fi
bin=$root/build-release/bench/command_throughput
[ -x "$bin" ] || { echo "run_benchmarks: $bin not built" >&2; exit 1; }

own_dir=0
if [ -n "${BENCH_DIR:-}" ]; then
  work=$BENCH_DIR
  mkdir -p "$work"
else
  work=$(mktemp -d /tmp/jiuzhu-bench-XXXXXX)
  own_dir=1
  # mariadbd runs as the mysql user when we are root: it must reach the folder inside.
  chmod 755 "$work"
fi
mariadb_dir=$work/mariadb
mariadb_started=0
cleanup() {
  if [ "$mariadb_started" = 1 ]; then "$root/scripts/mariadb-private.sh" stop "$mariadb_dir" || true; fi
  if [ "$own_dir" = 1 ]; then rm -rf "$work"; fi
}
trap cleanup EXIT

out=$root/build-release/bench-results.txt
: >"$out"
say() { echo "$@" | tee -a "$out"; }

say "== command_throughput $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
dirty=$(git status --short -- engine migrations api/runtime workflows 2>/dev/null | tr '\n' ' ')
[ -n "$dirty" ] && say "== uncommitted changes in the measured code: $dirty"
say "== $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load:$(uptime | sed 's/.*load average://')"
status=0
for backend in $backends; do
  case "$backend" in
    sqlite)
      rm -f "$work"/bench.db*
      say ""
      say "== SQLite: $bin --db sqlite:$work/bench.db --clients $clients --seconds $seconds"
      "$bin" --db "sqlite:$work/bench.db" --clients "$clients" --seconds "$seconds" \
        --warmup "$warmup" "${extra[@]}" 2>&1 | tee -a "$out" || status=1
      rm -f "$work"/bench.db*
      ;;
    mariadb)
      [ -x "$root/scripts/mariadb-private.sh" ] || {
        echo "run_benchmarks: scripts/mariadb-private.sh is missing" >&2
        exit 1
      }
      url=$("$root/scripts/mariadb-private.sh" start "$mariadb_dir")
      mariadb_started=1
      say ""
      say "== MariaDB (private server in $mariadb_dir): $bin --db mysql://... --clients $clients --seconds $seconds"
      "$bin" --db "$url" --clients "$clients" --seconds "$seconds" --warmup "$warmup" \
        "${extra[@]}" 2>&1 | tee -a "$out" || status=1
      "$root/scripts/mariadb-private.sh" stop "$mariadb_dir"
      mariadb_started=0
      ;;
    *)
      echo "run_benchmarks: unknown backend $backend (sqlite, mariadb)" >&2
      exit 2
      ;;
  esac
done
say ""
say "== load after:$(uptime | sed 's/.*load average://')"
exit $status

#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a running Jiuzhu on its
# embedded default: installs packages, builds, and starts `jiuzhu serve` on
# var/jiuzhu.db (SQLite), loading the demo org tree, people and cases the
# first time. Prints the address and the demo accounts. Stop with Ctrl-C.
#   scripts/run.sh [--fresh] [--listen HOST:PORT]
set -euo pipefail
cd "$(dirname "$0")/.."
fresh=0
listen=${JIUZHU_LISTEN:-127.0.0.1:8080}
while [ $# -gt 0 ]; do
  case "$1" in
    --fresh) fresh=1 ;;
    --listen) listen=$2; shift ;;
    *) echo "usage: scripts/run.sh [--fresh] [--listen HOST:PORT]" >&2; exit 2 ;;
  esac
  shift
done
scripts/install-deps.sh
[ -x web/build.sh ] && web/build.sh
scripts/build.sh build -DJIUZHU_BUILD_TESTS=OFF -DJIUZHU_BUILD_BENCH=OFF
if [ "$fresh" = 1 ]; then rm -f var/jiuzhu.db var/jiuzhu.db-wal var/jiuzhu.db-shm; fi
echo "Command-line program: build/api/jiuzhu --help (e.g. build/api/jiuzhu inbox --as li.na)"
exec build/api/jiuzhu --db sqlite:var/jiuzhu.db serve --demo --listen "$listen"

#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a working Jiuzhu on its
# embedded default: installs packages, builds, creates var/jiuzhu.db (SQLite)
# with the demo org tree, people and cases, and shows how to work a case.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} scripts/build.sh build -DJIUZHU_BUILD_TESTS=OFF -DJIUZHU_BUILD_BENCH=OFF
JZ=build/api/jiuzhu
DB=${JIUZHU_DB:-sqlite:var/jiuzhu.db}
if [ ! -f var/jiuzhu.db ] || [ "${1:-}" = "--fresh" ]; then
  rm -f var/jiuzhu.db var/jiuzhu.db-wal var/jiuzhu.db-shm
  "$JZ" --db "$DB" demo --cases 300
fi
"$JZ" --db "$DB" audit verify
cat <<TXT

Jiuzhu is ready: database var/jiuzhu.db (SQLite), program $JZ.
The command-line program acts as a named person (--as); the HTTP server and
browser sign-in come with the next releases. Demo people (all: $JZ users):
  li.na        street reviewer, 星海镇        chen.jing   district approver, 大武口区
  wang.hua     village officer, 星光村        he.ping     department handler, 大武口区残联
  liu.yang     district supervisor, 大武口区  sun.li      city supervisor, 石嘴山市

Try:
  $JZ inbox --as li.na
  $JZ case list --as chen.jing --state approve
  $JZ case discover --as wang.hua --programme dibao --id-number 640202198001011238 --name 王小梅 --village 640202100001
  $JZ case show --as li.na --case <id from above>
  $JZ audit verify
  $JZ --help
TXT
"$JZ" --db "$DB" inbox --as li.na --limit 5

#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to every test run: installs
# packages, builds, starts a private MariaDB and runs all suites with CTest.
# The MariaDB suites fail (not skip) if they cannot reach it.
# Set JIUZHU_SANITIZE=1 to also build and run the suites under ASan/UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build -DJIUZHU_BUILD_TESTS=ON -DJIUZHU_BUILD_BENCH=ON
web/build.sh

# One private MariaDB for the whole run (each test still gets its own fresh
# database); a test binary run on its own starts a server of its own instead.
mdb=$(mktemp -d /tmp/jiuzhu-test-mariadb-XXXXXX)
cleanup() { scripts/mariadb-private.sh stop "$mdb" >/dev/null 2>&1 || true; rm -rf "$mdb"; }
trap cleanup EXIT
JIUZHU_MARIADB_URL=$(scripts/mariadb-private.sh start "$mdb" | tail -n 1)
export JIUZHU_MARIADB_URL
unset JIUZHU_SKIP_MYSQL

ctest --test-dir build --output-on-failure -j2 --timeout 900
if [ "${JIUZHU_SANITIZE:-0}" = "1" ]; then
  BUILD_TYPE=Debug scripts/build.sh build-asan -DJIUZHU_SANITIZE=ON -DJIUZHU_BUILD_BENCH=OFF
  ctest --test-dir build-asan --output-on-failure -j2 --timeout 1800
fi
echo "all tests passed"

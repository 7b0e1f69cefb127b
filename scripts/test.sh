#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to every test run: installs
# packages, builds, and runs all suites with CTest. The MariaDB suites start
# a private server themselves and fail (not skip) if they cannot.
# Set JIUZHU_SANITIZE=1 to also build and run the suites under ASan/UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build -DJIUZHU_BUILD_BENCH=ON
ctest --test-dir build --output-on-failure -j2 --timeout 900
if [ "${JIUZHU_SANITIZE:-0}" = "1" ]; then
  BUILD_TYPE=Debug scripts/build.sh build-asan -DJIUZHU_SANITIZE=ON -DJIUZHU_BUILD_BENCH=OFF
  ctest --test-dir build-asan --output-on-failure -j2 --timeout 1800
fi
echo "all tests passed"

#!/usr/bin/env bash
# Browser tests of the web app: builds web/dist when it is missing or older than
# the sources, runs the unit tests, then every scenario in web/e2e against a real
# `jiuzhu serve --demo` (fresh temporary database, free loopback port) driven
# through headless Debian Chromium. Screenshots: <repo>/test-output/web/.
# Env: JIUZHU_BINARY (default ../build/api/jiuzhu, relative to web/),
#      CHROMIUM (default /usr/bin/chromium).
# Usage: web/test.sh [scenario …]; exit code 0 when everything passes.
set -euo pipefail
cd "$(dirname "$0")"

bin="${JIUZHU_BINARY:-../build/api/jiuzhu}"
[ -x "$bin" ] || { echo "web/test.sh: no jiuzhu binary at $bin (build it, or set JIUZHU_BINARY)" >&2; exit 1; }
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || {
  echo "web/test.sh: Chromium not found at ${CHROMIUM:-/usr/bin/chromium} (apt-get install --no-install-recommends chromium)" >&2
  exit 1
}

rebuild=0
if [ ! -f dist/index.html ] || [ ! -d node_modules/playwright-core ]; then
  rebuild=1
elif [ -n "$(find src public index.html vite.config.js package.json package-lock.json -newer dist/index.html -print -quit)" ]; then
  rebuild=1
fi
[ "$rebuild" = 1 ] && ./build.sh

npm run --silent test:unit
exec node e2e/run.mjs "$@"

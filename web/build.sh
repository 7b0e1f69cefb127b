#!/usr/bin/env bash
# Builds the browser app (Vue 3 + Element Plus, Vite) into web/dist, which
# `jiuzhu serve` serves. Installs the npm packages pinned in package-lock.json
# first (from npm's cache when it has them). Usage: web/build.sh
# JIUZHU_WEB_CLEAN=1 forces a clean `npm ci` even when node_modules looks current.
set -euo pipefail
cd "$(dirname "$0")"

command -v node >/dev/null && command -v npm >/dev/null || {
  echo "web/build.sh: node and npm are needed (Debian: apt-get install nodejs npm)" >&2
  exit 1
}
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)||(a===20&&b>=19)||a===21?0:1)' || {
  echo "web/build.sh: Vite 7 needs Node.js ^20.19 or >=22.12 (found $(node --version))" >&2
  exit 1
}

npm_flags=(--no-audit --no-fund --prefer-offline)
if [ ! -f package-lock.json ]; then
  npm install "${npm_flags[@]}"
elif [ "${JIUZHU_WEB_CLEAN:-0}" = 1 ] || [ ! -f node_modules/.package-lock.json ] ||
     [ package-lock.json -nt node_modules/.package-lock.json ] || [ package.json -nt node_modules/.package-lock.json ]; then
  # npm ci insists that the lock file lists every platform's optional binaries
  # (rollup's, esbuild's); a registry mirror that only carries some platforms
  # records only those, and npm ci then refuses the lock before touching
  # anything. npm install --no-save installs the same locked versions and
  # leaves the lock file as it is.
  if ! npm ci "${npm_flags[@]}"; then
    echo "web/build.sh: npm ci refused the lock file; installing the locked versions with npm install --no-save" >&2
    npm install --no-save "${npm_flags[@]}"
  fi
fi
npm run build

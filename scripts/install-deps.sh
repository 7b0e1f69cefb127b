#!/usr/bin/env bash
# Installs every Debian 12 package Jiuzhu needs to build, test and run.
# Idempotent; needs root (or sudo). Usage: scripts/install-deps.sh
set -euo pipefail
PKGS=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost-dev libmysqlcppconn-dev libcpp-jwt-dev nlohmann-json3-dev
  libspdlog-dev libsqlite3-dev sqlite3 libgtest-dev libgmock-dev libssl-dev zlib1g-dev unzip
  mariadb-server mariadb-client
  chromium fonts-wqy-microhei
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"

#!/usr/bin/env bash
# A private, throw-away MariaDB server in one folder, for manual runs and benchmarks.
# The test suites start their own (tests/support/private_mariadb.cpp); this is the same recipe.
#
#   scripts/mariadb-private.sh start <dir>  initialise (first time) and start; prints the URL
#   scripts/mariadb-private.sh url <dir>    prints mysql://jiuzhu:<password>@127.0.0.1:<port>/jiuzhu
#   scripts/mariadb-private.sh stop <dir>   stops the server (by its pid) and waits for it
#
# Everything lives under <dir>: my.cnf, data/, socket, pid and logs. `rm -rf <dir>` after stop
# removes every trace. The server listens on 127.0.0.1 only, on a free port chosen at the
# first start. Durability is MariaDB's default (flush at every commit), so benchmarks measure
# what production would see.
set -euo pipefail

usage() {
  echo "usage: $0 start|stop|url <dir>" >&2
  exit 2
}
[ $# -eq 2 ] || usage
cmd=$1
mkdir -p "$2"
dir=$(cd "$2" && pwd)
cnf=$dir/my.cnf

find_prog() {
  PATH="$PATH:/usr/sbin:/usr/local/sbin:/sbin" command -v "$1" || {
    echo "mariadb-private: '$1' not found; install mariadb-server (scripts/install-deps.sh)" >&2
    exit 1
  }
}

server_pid() {
  [ -f "$dir/mariadbd.pid" ] || return 1
  local pid
  pid=$(cat "$dir/mariadbd.pid")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

free_port() {
  # Binding port 0 lets the kernel choose a port nobody uses.
  perl -MIO::Socket::INET -e \
    '$s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => 0, Listen => 1)
       or die "cannot bind: $!\n"; print $s->sockport, "\n"'
}

write_cnf() {
  local port=$1
  cat >"$cnf" <<EOF
[client]
socket=$dir/mariadbd.sock
port=$port
user=root
default-character-set=utf8mb4

[mariadbd]
datadir=$dir/data
socket=$dir/mariadbd.sock
port=$port
bind-address=127.0.0.1
pid-file=$dir/mariadbd.pid
tmpdir=$dir/tmp
log-error=$dir/mariadbd.err
skip-name-resolve
character-set-server=utf8mb4
collation-server=utf8mb4_bin
innodb_buffer_pool_size=128M
max_connections=200
EOF
}

start() {
  if server_pid >/dev/null; then
    cat "$dir/url"
    return 0
  fi
  local install_db mariadbd admin client
  install_db=$(find_prog mariadb-install-db)
  mariadbd=$(find_prog mariadbd)
  admin=$(find_prog mariadb-admin)
  client=$(find_prog mariadb)

  local as_mysql=()
  if [ "$(id -u)" -eq 0 ]; then
    # mariadbd refuses to run as root: run it as the package's mysql user.
    getent passwd mysql >/dev/null || { echo "mariadb-private: no 'mysql' user" >&2; exit 1; }
    as_mysql=(runuser -u mysql --)
  fi

  # A port chosen earlier is kept so the URL stays the same across restarts.
  local port
  if [ -f "$cnf" ]; then
    port=$(sed -n 's/^port=//p' "$cnf" | head -n 1)
  else
    port=$(free_port)
  fi
  write_cnf "$port"
  mkdir -p "$dir/tmp"  # not /tmp: other servers' temporary-table names may collide there
  [ "$(id -u)" -eq 0 ] && chown -R mysql:mysql "$dir"

  if [ ! -d "$dir/data/mysql" ]; then
    "${as_mysql[@]}" "$install_db" --defaults-file="$cnf" --skip-test-db --skip-name-resolve \
      --auth-root-authentication-method=normal >"$dir/install.log" 2>&1 || {
      echo "mariadb-private: mariadb-install-db failed, see $dir/install.log" >&2
      exit 1
    }
  fi

  # setsid: the server outlives this shell and ignores its terminal's Ctrl-C.
  setsid "${as_mysql[@]}" "$mariadbd" --defaults-file="$cnf" >"$dir/mariadbd.out" 2>&1 </dev/null &

  local i
  for i in $(seq 1 300); do
    if "$admin" --defaults-file="$cnf" ping >/dev/null 2>&1; then break; fi
    if [ "$i" -eq 300 ]; then
      echo "mariadb-private: server did not start within 30 s, see $dir/mariadbd.err" >&2
      exit 1
    fi
    sleep 0.1
  done

  if [ ! -f "$dir/url" ]; then
    local password
    password=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
    "$client" --defaults-file="$cnf" <<EOF
CREATE USER IF NOT EXISTS 'jiuzhu'@'127.0.0.1' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON *.* TO 'jiuzhu'@'127.0.0.1';
CREATE DATABASE IF NOT EXISTS jiuzhu CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
EOF
    (umask 077 && echo "mysql://jiuzhu:$password@127.0.0.1:$port/jiuzhu" >"$dir/url")
  fi
  cat "$dir/url"
}

stop() {
  local pid
  pid=$(server_pid) || { echo "mariadb-private: not running in $dir" >&2; return 0; }
  kill -TERM "$pid"
  local i
  for i in $(seq 1 600); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  echo "mariadb-private: server $pid did not stop within 60 s" >&2
  exit 1
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  url)
    [ -f "$dir/url" ] || { echo "mariadb-private: not started in $dir" >&2; exit 1; }
    cat "$dir/url"
    ;;
  *) usage ;;
esac

#!/usr/bin/env bash
# A throwaway PostgreSQL server for fupin's tests.
#
#   source .ci/postgres.sh && fupin_pg_start     # sets FUPIN_TEST_PG_URL; fupin_pg_stop removes it all
#   bash .ci/postgres.sh                         # starts one and prints the lines to export and to stop it
#   bash .ci/postgres.sh stop DIR                # stops the server kept in DIR and deletes DIR
#
# Installs Debian's PostgreSQL if no server binaries are found (as root, non-interactive), then
# builds a new cluster in a temporary folder owned by the `postgres` user, listening on 127.0.0.1
# only, on the first free port from 54329, with fsync on. The test role may create databases and
# roles (the grants in docs/postgresql.md are tested with roles of their own):
# the tests make one database per test and drop it afterwards.

FUPIN_PG_USER=${FUPIN_PG_USER:-fupin}
FUPIN_PG_PASSWORD=${FUPIN_PG_PASSWORD:-fupin-test}
FUPIN_PG_DATABASE=${FUPIN_PG_DATABASE:-fupin_test}

_fupin_pg_bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
    echo "$dir"
  fi
}

_fupin_pg_install() {
  if [ -n "$(_fupin_pg_bindir)" ]; then
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "postgres.sh: PostgreSQL is not installed and installing it needs root" >&2
    return 1
  fi
  echo "postgres.sh: installing PostgreSQL from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # The package's own cluster is not used: tell postgresql-common not to create one.
  apt-get install -y -qq --no-install-recommends postgresql-common >/dev/null
  sed -ri 's/^#?\s*(create_main_cluster)\s*=.*$/\1 = false/' /etc/postgresql-common/createcluster.conf
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  [ -n "$(_fupin_pg_bindir)" ] || { echo "postgres.sh: PostgreSQL binaries not found after install" >&2; return 1; }
}

_fupin_pg_as_owner() {
  # Run a server command as the cluster's owner: `postgres` when we are root, else ourselves.
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

_fupin_pg_free_port() {
  local port
  for port in $(seq 54329 54429); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "postgres.sh: no free port between 54329 and 54429" >&2
  return 1
}

fupin_pg_start() {
  _fupin_pg_install || return 1
  local bindir port dir
  bindir=$(_fupin_pg_bindir)
  port=$(_fupin_pg_free_port) || return 1
  dir=$(mktemp -d "${TMPDIR:-/tmp}/fupin-pg.XXXXXX") || return 1
  chmod 0755 "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    chown postgres: "$dir"
  fi
  local pwfile="$dir/superuser.pw"
  _fupin_pg_as_owner bash -c "umask 077 && printf '%s\n' '$FUPIN_PG_PASSWORD' >'$pwfile'"
  # --no-sync only skips flushing initdb's own files: the cluster is thrown away after the run.
  # The server itself runs with fsync on, as in production.
  if ! _fupin_pg_as_owner "$bindir/initdb" -D "$dir/data" -U postgres --pwfile="$pwfile" \
      --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    return 1
  fi
  if ! _fupin_pg_as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$dir' -c fsync=on -c max_connections=200" \
      start >/dev/null; then
    cat "$dir/server.log" >&2
    return 1
  fi
  _fupin_pg_as_owner "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres <<SQL || return 1
CREATE ROLE "$FUPIN_PG_USER" LOGIN CREATEDB CREATEROLE PASSWORD '$FUPIN_PG_PASSWORD';
CREATE DATABASE "$FUPIN_PG_DATABASE" OWNER "$FUPIN_PG_USER";
SQL
  FUPIN_PG_DIR=$dir
  FUPIN_PG_BINDIR=$bindir
  FUPIN_TEST_PG_URL="postgresql://$FUPIN_PG_USER:$FUPIN_PG_PASSWORD@127.0.0.1:$port/$FUPIN_PG_DATABASE"
  export FUPIN_PG_DIR FUPIN_PG_BINDIR FUPIN_TEST_PG_URL
  echo "postgres.sh: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data in $dir" >&2
}

fupin_pg_stop() {
  local dir=${1:-${FUPIN_PG_DIR:-}}
  local bindir=${FUPIN_PG_BINDIR:-$(_fupin_pg_bindir)}
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  if [ -f "$dir/data/postmaster.pid" ]; then
    _fupin_pg_as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  [ "$dir" != "${FUPIN_PG_DIR:-}" ] || unset FUPIN_PG_DIR FUPIN_TEST_PG_URL
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-start}" in
    start)
      fupin_pg_start
      echo "export FUPIN_TEST_PG_URL=$FUPIN_TEST_PG_URL"
      echo "# to stop it: bash .ci/postgres.sh stop $FUPIN_PG_DIR"
      ;;
    stop)
      fupin_pg_stop "${2:?usage: postgres.sh stop DIR}"
      ;;
    *)
      echo "usage: postgres.sh [start | stop DIR]" >&2
      exit 2
      ;;
  esac
fi

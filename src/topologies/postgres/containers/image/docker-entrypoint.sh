#!/usr/bin/env bash
# faultline's PostgreSQL entrypoint. It follows the official postgres image's contract, so the
# containers provider (and anyone used to that image) can use either:
#   POSTGRES_PASSWORD / POSTGRES_PASSWORD_FILE, POSTGRES_USER (default postgres), POSTGRES_DB
#   (default = user), POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD; an empty $PGDATA is
#   initialised with initdb and a temporary server listening on the socket only; *.sh / *.sql in
#   /docker-entrypoint-initdb.d run once; then postgres runs as PID 1 as the postgres user.
# Written for this project (not a copy of the official script).
set -Eeo pipefail

die() { printf 'docker-entrypoint: %s\n' "$*" >&2; exit 1; }

# VAR or VAR_FILE (Docker secrets style), never both.
from_env_or_file() {
  local name="$1" default="${2:-}" file_name="${1}_FILE"
  if [ -n "${!name:-}" ] && [ -n "${!file_name:-}" ]; then die "both $name and $file_name are set; set only one"; fi
  local value="$default"
  if [ -n "${!name:-}" ]; then value="${!name}"
  elif [ -n "${!file_name:-}" ]; then value="$(<"${!file_name}")"; fi
  export "$name=$value"
  unset "$file_name"
}

read_settings() {
  from_env_or_file POSTGRES_PASSWORD
  from_env_or_file POSTGRES_USER postgres
  from_env_or_file POSTGRES_DB "$POSTGRES_USER"
  from_env_or_file POSTGRES_INITDB_ARGS
  : "${POSTGRES_HOST_AUTH_METHOD:=}"
  DATA_EXISTS=
  if [ -s "$PGDATA/PG_VERSION" ]; then DATA_EXISTS=yes; fi
}

# As root: create the directories and hand them to postgres (a volume may arrive root-owned).
prepare_directories() {
  mkdir -p "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA" || true
  chmod 3775 /var/run/postgresql || true
  if [ "$(id -u)" = 0 ]; then
    find "$PGDATA" /var/run/postgresql \! -user postgres -exec chown postgres:postgres '{}' +
  fi
}

check_can_initialise() {
  if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ]; then
    die "PGDATA is empty and no superuser password is given: set POSTGRES_PASSWORD (or POSTGRES_PASSWORD_FILE), or POSTGRES_HOST_AUTH_METHOD=trust"
  fi
  if [ "$POSTGRES_HOST_AUTH_METHOD" = trust ]; then
    echo "docker-entrypoint: WARNING: POSTGRES_HOST_AUTH_METHOD=trust lets any host connect without a password" >&2
  fi
}

run_initdb() {
  # POSTGRES_INITDB_ARGS is a shell-quoted string, as in the official image.
  eval 'initdb --username="$POSTGRES_USER" --pwfile=<(printf "%s\n" "$POSTGRES_PASSWORD") '"$POSTGRES_INITDB_ARGS"
}

# TCP clients authenticate with POSTGRES_HOST_AUTH_METHOD, else the password_encryption in force.
append_host_rule() {
  [ "${1:-}" = postgres ] && shift
  local method="$POSTGRES_HOST_AUTH_METHOD"
  [ -n "$method" ] || method="$(postgres -C password_encryption "$@")"
  printf '\nhost all all all %s\n' "$method" >>"$PGDATA/pg_hba.conf"
}

# The setup server: socket only, and with no synchronous standby named, since a config that names
# one would make CREATE DATABASE wait for a standby that cannot exist yet.
start_setup_server() {
  [ "${1:-}" = postgres ] && shift
  local options
  options="$(printf '%q ' "$@" -c listen_addresses= -c synchronous_standby_names= -p "${PGPORT:-5432}")"
  PGUSER="${PGUSER:-$POSTGRES_USER}" pg_ctl -D "$PGDATA" -o "$options" -w start
}

stop_setup_server() { PGUSER="${PGUSER:-$POSTGRES_USER}" pg_ctl -D "$PGDATA" -m fast -w stop; }

sql() {
  local args=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc)
  PGHOST= PGHOSTADDR= "${args[@]}" "$@"
}

create_database() {
  [ "$POSTGRES_DB" = postgres ] && return 0
  local exists
  exists="$(sql --dbname postgres --tuples-only --set db="$POSTGRES_DB" <<<"SELECT 1 FROM pg_database WHERE datname = :'db';")"
  if [ -z "${exists// /}" ]; then
    sql --dbname postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
  fi
}

run_init_files() {
  local f
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh) if [ -x "$f" ]; then echo "docker-entrypoint: running $f"; "$f"; else echo "docker-entrypoint: sourcing $f"; . "$f"; fi ;;
      *.sql) echo "docker-entrypoint: running $f"; sql --dbname "$POSTGRES_DB" -f "$f" ;;
      *.sql.gz) echo "docker-entrypoint: running $f"; gunzip -c "$f" | sql --dbname "$POSTGRES_DB" ;;
      *'/*') ;;
      *) echo "docker-entrypoint: ignoring $f" ;;
    esac
  done
}

wants_help() {
  local arg
  for arg; do case "$arg" in -'?'|--help|--describe-config|-V|--version) return 0 ;; esac; done
  return 1
}

main() {
  if [ "${1:0:1}" = - ]; then set -- postgres "$@"; fi
  if [ "$1" = postgres ] && ! wants_help "$@"; then
    read_settings
    prepare_directories
    if [ "$(id -u)" = 0 ]; then exec gosu postgres "$BASH_SOURCE" "$@"; fi
    if [ -z "$DATA_EXISTS" ]; then
      check_can_initialise
      ls /docker-entrypoint-initdb.d/ >/dev/null
      run_initdb
      append_host_rule "$@"
      export PGPASSWORD="${PGPASSWORD:-$POSTGRES_PASSWORD}"
      start_setup_server "$@"
      create_database
      run_init_files
      stop_setup_server
      unset PGPASSWORD
      echo "docker-entrypoint: PostgreSQL init process complete; ready for start up."
    else
      echo "docker-entrypoint: PostgreSQL data directory already holds a database; skipping initialisation"
    fi
  fi
  exec "$@"
}

main "$@"

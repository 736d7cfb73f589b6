#!/usr/bin/env bash
# The baseline for bench/bring-up.ts: a primary and two streaming replicas the way a person would
# script it with the stock tools, in the same base directory faultline uses (/dev/shm), so that
# the comparison is about the method and not about the disk.
#
#   bash bench/naive-bring-up.sh BASE PRIMARY_PORT REPLICA1_PORT REPLICA2_PORT
#
# Prints "bring-up-ns=N" (initdb through "2 replicas streaming"), then tears everything down;
# teardown is outside the measured span, as it is for faultline.
set -euo pipefail

base=$1
ports=("$2" "$3" "$4")
bin=${PG_BIN:-/usr/lib/postgresql/15/bin}

# initdb and postgres refuse to run as root; the harness is root, so is this script.
if [ "$(id -u)" = 0 ]; then
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

teardown() {
  for node in replica2 replica1 primary; do
    if [ -f "$base/$node/postmaster.pid" ]; then
      as_pg "$bin/pg_ctl" -D "$base/$node" -m fast -w -t 30 stop >/dev/null 2>&1 ||
        as_pg "$bin/pg_ctl" -D "$base/$node" -m immediate -w stop >/dev/null 2>&1 || true
    fi
  done
  rm -rf "$base"
}
# A TERM from the benchmark's timeout must still stop the servers: bash runs EXIT traps only on
# an ordinary exit, so the signals are turned into one.
trap teardown EXIT
trap 'exit 143' TERM INT

mkdir -m 0700 "$base"
if [ "$(id -u)" = 0 ]; then chown postgres: "$base"; fi

t0=$(date +%s%N)

as_pg "$bin/initdb" -D "$base/primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$base/initdb.log"
# initdb's defaults already have wal_level=replica, max_wal_senders=10 and trust for
# replication from 127.0.0.1; only where to listen is left to say.
cat >>"$base/primary/postgresql.conf" <<EOF
port = ${ports[0]}
listen_addresses = '127.0.0.1'
unix_socket_directories = '$base'
EOF
as_pg "$bin/pg_ctl" -D "$base/primary" -l "$base/primary.log" -w -t 60 start >/dev/null

for i in 1 2; do
  as_pg "$bin/pg_basebackup" -h 127.0.0.1 -p "${ports[0]}" -U postgres -D "$base/replica$i" \
    -R -C -S "replica$i" -X stream -c fast
  # The copied postgresql.conf names the primary's port; a later line wins.
  echo "port = ${ports[$i]}" >>"$base/replica$i/postgresql.conf"
done
for i in 1 2; do
  as_pg "$bin/pg_ctl" -D "$base/replica$i" -l "$base/replica$i.log" -w -t 60 start >/dev/null
done

deadline=$((SECONDS + 60))
until [ "$(as_pg "$bin/psql" -h "$base" -p "${ports[0]}" -U postgres -d postgres -XAtc \
  "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" = 2 ]; do
  if [ $SECONDS -gt $deadline ]; then
    echo "replicas not streaming after 60 s" >&2
    exit 1
  fi
  sleep 0.01
done

t1=$(date +%s%N)
echo "bring-up-ns=$((t1 - t0))"

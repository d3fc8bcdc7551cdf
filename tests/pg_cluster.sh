#!/usr/bin/env bash
# Runs a command (`make test-pg`: the suite) against a throwaway PostgreSQL cluster, then removes the cluster.
#
#   tests/pg_cluster.sh .venv/bin/pytest -q tests/test_csv_sql.py
#
# The cluster lives in one temporary directory (its data, its log and its unix socket), listens on a free
# loopback port and trades durability for speed (fsync off: nothing in it outlives the run). The command
# runs with DATABASE_URL pointing at it; the cluster is stopped and its directory removed however the
# command ends (a failure, Ctrl-C), and the command's exit status is this script's. PostgreSQL refuses to
# run as root: as root, the server runs as the `postgres` user.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
# Tried in turn until one is free; below the kernel's ephemeral range (32768-60999), where a port can be
# taken at any moment as some client's end of a connection.
PORTS=${PG_CLUSTER_PORTS:-$(seq 25432 25531)}

if [ $# -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGUMENT...]" >&2
    exit 2
fi

directory=$(mktemp -d "${TMPDIR:-/tmp}/pg-cluster.XXXXXX")

as_server_user() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

remove_cluster() {
    if [ -f "$directory/data/postmaster.pid" ]; then
        as_server_user "$PG_BIN/pg_ctl" -D "$directory/data" -m immediate -w -t 60 stop >/dev/null || true
    fi
    rm -rf "$directory"
}
trap remove_cluster EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$directory"
fi
as_server_user "$PG_BIN/initdb" -D "$directory/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
    >"$directory/initdb.log" || { cat "$directory/initdb.log" >&2; exit 1; }

started=
for port in $PORTS; do
    options="-p $port -k $directory -c listen_addresses=127.0.0.1 -c timezone=UTC"
    options+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    rm -f "$directory/server.log"  # this attempt's log alone
    if as_server_user "$PG_BIN/pg_ctl" -D "$directory/data" -o "$options" -l "$directory/server.log" \
        -w -t 60 start >/dev/null; then
        started=$port
        break
    fi
    grep -q "could not bind" "$directory/server.log" || { cat "$directory/server.log" >&2; exit 1; }
done
if [ -z "$started" ]; then
    echo "$0: no free port in PG_CLUSTER_PORTS" >&2
    exit 1
fi
"$PG_BIN/createdb" -h "$directory" -p "$started" -U postgres tracker

export DATABASE_URL="postgres://postgres@127.0.0.1:$started/tracker"
status=0
"$@" || status=$?
exit "$status"

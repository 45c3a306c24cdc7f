#!/usr/bin/env bash
# Start a throwaway PostgreSQL (Debian's `postgresql` package) for the scenario-store tests
# and print its SQLAlchemy URL on stdout, e.g.
#   export COMPCORE_TEST_PG_URL="$(bash .ci/start_postgres.sh)"
# Idempotent: a cluster already running in $COMPCORE_PG_DATA is reused. Listens on 127.0.0.1 only,
# trust auth, so never point it at a shared machine. The tests also need the psycopg driver
# (`pip install "psycopg[binary]"`). Stop it with:
#   runuser -u postgres -- "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pg_ctl" -D /tmp/compcore-pg stop
set -euo pipefail
PORT="${COMPCORE_PG_PORT:-54329}"
DATA="${COMPCORE_PG_DATA:-/tmp/compcore-pg}"
DB=compcore_test

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } >&2
fi
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ ! -f "$DATA/PG_VERSION" ]; then
  mkdir -p "$DATA"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$DATA"; fi
  as_pg "$BIN/initdb" -D "$DATA" -A trust -U postgres >&2
fi
if ! as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
    -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1" start >&2
fi
if ! as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -Atc \
    "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
  as_pg "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DB" >&2
fi
python -c "import psycopg" 2>/dev/null || echo "warning: psycopg is not installed: pip install 'psycopg[binary]'" >&2
echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/$DB"

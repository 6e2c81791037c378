#!/usr/bin/env bash
# Runs a command against a throw-away PostgreSQL server: initialises a cluster in a temporary directory, starts it
# on a free loopback port, exports TEST_DATABASE_URL, runs the command, then stops the server and removes the
# directory. Installs PostgreSQL with apt-get if its binaries are missing. Exits with the command's status.
#   usage: scripts/with-postgres.sh <command> [args...]
set -euo pipefail

find_pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

PG_BIN=$(find_pg_bin || true)
if [ -z "$PG_BIN" ]; then
  echo "PostgreSQL binaries not found; installing with apt-get" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
  PG_BIN=$(find_pg_bin)
fi

# initdb refuses to run as root: run the server as the postgres user (created if missing).
RUN_AS=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  RUN_AS=(runuser -u postgres --)
fi

PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
WORK=$(mktemp -d -t cronfa-pg.XXXXXX)
chmod 755 "$WORK"
[ ${#RUN_AS[@]} -gt 0 ] && chown postgres "$WORK"

stop_server() {
  "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$WORK/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap stop_server EXIT

"${RUN_AS[@]}" "$PG_BIN/initdb" -D "$WORK/data" -U cronfa --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
PG_OPTIONS="-p $PORT -k $WORK -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB -c fsync=on"
"${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w -t 60 start -o "$PG_OPTIONS" >/dev/null

export TEST_DATABASE_URL="postgres://cronfa@127.0.0.1:$PORT/postgres"
# Commands that stop and start this server again with the same options (for the database-fault tests).
TEST_PG_STOP="$(printf '%q ' "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$WORK/data" -m fast -w -t 60 stop)"
TEST_PG_START="$(printf '%q ' "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w -t 60 start -o "$PG_OPTIONS")"
export TEST_PG_STOP TEST_PG_START
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on port $PORT" >&2
set +e
"$@"
status=$?
set -e
exit $status

#!/usr/bin/env bash
# Page speed with a large year (Benchmarks/pages.py): 100,000 released answers and 43 items with evidence;
# dashboard, surveys page and an item page at 16 clients, on SQLite and on PostgreSQL.
#
#   bash Benchmarks/pages.sh [seconds]      (default 10 s per page; ENGINES="sqlite postgres")
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SECONDS_PER_PAGE=${1:-10}

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v psql >/dev/null || need+=(postgresql-client)
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
[ -n "$pg_bin" ] || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; fi
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

echo "building release…"
swift build -c release --product prongsai --scratch-path "$ROOT/.build-release" 2>&1 | grep -E "error|Build complete" || true
BIN="$ROOT/.build-release/release/prongsai"
WORK=$(mktemp -d /tmp/prongsai-pages.XXXXXX)
chmod 755 "$WORK"
PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
mkdir -p "$WORK/pg" && chown postgres "$WORK/pg"
runuser -u postgres -- "$pg_bin/initdb" -D "$WORK/pg/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/log" -w -o "-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1" start >/dev/null
runuser -u postgres -- "$pg_bin/createdb" -h /tmp -p "$PGPORT" pages
cleanup() {
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$WORK/pg/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB; $SECONDS_PER_PAGE s per page"
for engine in ${ENGINES:-sqlite postgres}; do
  case "$engine" in
    sqlite) python3 Benchmarks/pages.py --bin "$BIN" --database "sqlite:$WORK/pages.sqlite" --engine sqlite --seconds "$SECONDS_PER_PAGE" ;;
    postgres)
      "$BIN" migrate --database "postgres://postgres@127.0.0.1:$PGPORT/pages?sslmode=disable" >/dev/null 2>&1
      python3 Benchmarks/pages.py --bin "$BIN" --database "postgres://postgres@127.0.0.1:$PGPORT/pages?sslmode=disable" --engine postgres --seconds "$SECONDS_PER_PAGE" ;;
  esac
done

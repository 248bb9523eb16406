#!/usr/bin/env bash
# Page speed with a large year (Benchmarks/pages.py): 100,000 released answers and 43 items with evidence;
# dashboard, surveys page and an item page at 16 clients, on SQLite and on PostgreSQL.
#
#   bash Benchmarks/pages.sh [seconds]      (default 10 s per page; ENGINES="sqlite postgres")
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SECONDS_PER_PAGE=${1:-10}

. Benchmarks/lib.sh
bench_need wrk postgresql psql
bench_build
WORK=$(mktemp -d /tmp/prongsai-pages.XXXXXX)
chmod 755 "$WORK"
bench_start_postgres "$WORK/pg"
runuser -u postgres -- "$PG_BIN/createdb" -h /tmp -p "$PGPORT" pages
cleanup() {
  bench_stop_postgres "$WORK/pg"
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

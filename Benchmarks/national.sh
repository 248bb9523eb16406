#!/usr/bin/env bash
# The national recompute (issue 16): 8,300 agencies and 1.35 million survey answers in PostgreSQL, then
# `prongsai rescore --round 2568` timed, then `--verify` (every agency scored again one at a time, the
# way its dashboard does, and compared), and the table and index sizes for docs/scale.md.
#
#   bash Benchmarks/national.sh [agencies] [responses]     (default 8300 1350000; KEEP=1 leaves the database running)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
AGENCIES=${1:-8300}
RESPONSES=${2:-1350000}

. Benchmarks/lib.sh
bench_need postgresql psql time curl
bench_build
WORK=$(mktemp -d /tmp/prongsai-national.XXXXXX)
chmod 755 "$WORK"
bench_start_postgres "$WORK/pg" -c fsync=off -c shared_buffers=1GB -c work_mem=256MB -c max_wal_size=4GB
runuser -u postgres -- "$PG_BIN/createdb" -h /tmp -p "$PGPORT" national
cleanup() {
  if [ -n "${KEEP:-}" ]; then echo "kept: $URL (stop: runuser -u postgres -- $PG_BIN/pg_ctl -D $WORK/pg/data stop)"; return; fi
  bench_stop_postgres "$WORK/pg"
  rm -rf "$WORK"
}
trap cleanup EXIT
URL="postgres://postgres@127.0.0.1:$PGPORT/national?sslmode=disable"
PSQL=(psql -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d national)

echo "== $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB; $AGENCIES agencies, $RESPONSES answers"
"$BIN" migrate --database "$URL" >/dev/null
# A FY2568 framework: the FY2566 method under a new id and year, imported as an administrator would.
"$BIN" framework new --from ita-2566 --id ita-2568-national --fiscal-year 2568 --output "$WORK/ita-2568.json" >/dev/null
"$BIN" framework import "$WORK/ita-2568.json" --database "$URL" >/dev/null
# An administrator, so the app serves its pages (an install without one shows only its set-up page).
head -c 24 /dev/urandom | base64 > "$WORK/admin-password"
"$BIN" admin create --database "$URL" --username admin --password-file "$WORK/admin-password" >/dev/null
echo "generating the data set…"
start=$(date +%s)
python3 Benchmarks/national.py "$WORK/ita-2568.json" --agencies "$AGENCIES" --responses "$RESPONSES" --fiscal-year 2568 > "$WORK/data.sql"
"${PSQL[@]}" -f "$WORK/data.sql"
echo "generated in $(( $(date +%s) - start )) s"

echo "== rescore (three runs; the figures are replaced each time)"
for run in 1 2 3; do
  /usr/bin/time -f "   wall %e s, max RSS %M KB" "$BIN" rescore --round 2568 --database "$URL"
done
echo "== verify: every agency scored one at a time, compared with the stored figures"
start=$(date +%s)
"$BIN" rescore --round 2568 --database "$URL" --verify
echo "   (recompute and one-at-a-time check took $(( $(date +%s) - start )) s)"

echo "== rows and sizes"
"${PSQL[@]}" -c "SELECT relname AS table,
    (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I', relname), false, true, '')))[1]::text::bigint AS rows,
    pg_size_pretty(pg_table_size(relid)) AS data, pg_size_pretty(pg_indexes_size(relid)) AS indexes
  FROM pg_stat_user_tables WHERE n_live_tup > 0 ORDER BY pg_total_relation_size(relid) DESC;"
"${PSQL[@]}" -c "SELECT pg_size_pretty(pg_database_size('national')) AS database;"

echo "== public pages on the national data (one node, release build)"
PORT=$(bench_free_port)
"$BIN" serve --database "$URL" --host 127.0.0.1 --port "$PORT" > "$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
for page in "/results/national-2568.json" "/results/national-2568" "/results/national-2568?lang=en" "/t/ag00001/2568"; do
  for run in 1 2 3; do
    curl -s -o /dev/null -w "   $page: %{http_code} in %{time_total} s, %{size_download} bytes\n" "http://127.0.0.1:$PORT$page"
  done
done
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true

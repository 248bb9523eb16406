#!/usr/bin/env bash
# Survey submission throughput: accepted EIT part 1 submissions per second at 64 concurrent clients,
# on SQLite and on PostgreSQL, with p50/p99 latency, the same server's trivial endpoint for comparison,
# and a check that rows stored == acknowledged (2xx/3xx) responses. Load stays on loopback.
#
#   bash Benchmarks/survey-load.sh [seconds]      (default 15 s per run; ENGINES="sqlite sqlite-durable postgres")
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DURATION=${1:-15}
CONNECTIONS=64
THREADS=2

. Benchmarks/lib.sh
bench_need wrk postgresql psql
bench_build
WORK=$(mktemp -d /tmp/prongsai-bench.XXXXXX)
chmod 755 "$WORK"
bench_start_postgres "$WORK/pg" -c max_connections=100
runuser -u postgres -- "$PG_BIN/createdb" -h /tmp -p "$PGPORT" bench
PG_URL="postgres://postgres@127.0.0.1:$PGPORT/bench?sslmode=disable"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  bench_stop_postgres "$WORK/pg"
  rm -rf "$WORK"
}
trap cleanup EXIT

# Accepted answers: released, or still pending their batch (docs/anonymity.md).
count_rows() {
  case "$1" in
    sqlite:*) python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select (select count(*) from survey_responses) + (select count(*) from survey_pending)').fetchone()[0])" "${1#sqlite:}" ;;
    *) psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d bench -tAc 'select (select count(*) from survey_responses) + (select count(*) from survey_pending)' ;;
  esac
}

run() {
  local name=$1 database=$2
  shift 2
  [ "$name" = postgres ] && "$BIN" migrate --database "$database" >/dev/null 2>&1
  local port; port=$(bench_free_port)
  "$BIN" serve --demo --database "$database" --port "$port" --submissions-per-minute 0 ${EXTRA_SERVE_ARGS:-} "$@" > "$WORK/$name-serve.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  local path
  path=$(python3 - "$port" "$WORK/$name-serve.log" <<'PY'
import re, sys
sys.path.insert(0, "Tests/browser")
from http_client import Client
port, log = sys.argv[1], sys.argv[2]
accounts = dict(re.findall(r"^\s+(\w+)\s+(\w{12})\s+\(", open(log).read(), re.M))
client = Client(f"http://127.0.0.1:{port}")
client.sign_in("officer", accounts["officer"])
print(client.open_survey("eit1"))
PY
)
  local before; before=$(count_rows "$database")
  [ -n "${PROFILE:-}" ] && (sleep $(( DURATION / 2 )); top -b -n 1 -w 200 | head -20 > "$WORK/$name-top.txt") &
  PRONGSAI_SURVEY_PATH="$path" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s Benchmarks/submit.lua "http://127.0.0.1:$port" > "$WORK/$name-submit.txt"
  local after; after=$(count_rows "$database")
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$(( DURATION < 10 ? DURATION : 10 ))s" --latency "http://127.0.0.1:$port/healthz" > "$WORK/$name-health.txt"
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
  [ -n "${PROFILE:-}" ] && cat "$WORK/$name-top.txt"
  python3 - "$name" "$WORK/$name-submit.txt" "$WORK/$name-health.txt" "$(( after - before ))" <<'PY'
import re, sys
name, submit, health, stored = sys.argv[1], open(sys.argv[2]).read(), open(sys.argv[3]).read(), int(sys.argv[4])
def parse(text):
    total = int(re.search(r"(\d+) requests in", text).group(1))
    bad = int(re.search(r"Non-2xx or 3xx responses: (\d+)", text).group(1)) if "Non-2xx" in text else 0
    errors = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    def pct(p):
        v, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", text).groups()
        return float(v) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    return total, bad, errors, rate, pct(50), pct(99)
t, bad, err, rate, p50, p99 = parse(submit)
ok = t - bad
# wrk stops reading with one request in flight on each connection; the server still completes those.
inflight = stored - ok
note = "== accepted" if inflight == 0 else (f"== accepted + {inflight} in flight when wrk stopped (one per connection)" if 0 < inflight <= 64 else "!= accepted: LOST OR EXTRA ROWS")
print(f"{name:14} submissions: {rate:8.0f}/s accepted {ok}, refused {bad}, socket errors {err}, p50 {p50:.1f} ms, p99 {p99:.1f} ms; rows stored {stored} {note}")
ht, hbad, herr, hrate, hp50, hp99 = parse(health)
print(f"{name:14} /healthz:    {hrate:8.0f}/s, p50 {hp50:.1f} ms, p99 {hp99:.1f} ms")
PY
}

echo "== ${DURATION}s per run, $CONNECTIONS connections, $THREADS wrk threads, $(nproc) cores"
for engine in ${ENGINES:-sqlite sqlite-durable postgres}; do
  case "$engine" in
    sqlite) run sqlite "sqlite:$WORK/bench.sqlite" ;;
    # --durable: synchronous=FULL, each commit waits for the disk (README, "What a crash or a power cut can lose").
    sqlite-durable) run sqlite-durable "sqlite:$WORK/bench-durable.sqlite" --durable ;;
    postgres) run postgres "$PG_URL" ;;
  esac
done

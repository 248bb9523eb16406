#!/usr/bin/env bash
# Runs every test of Prongsai on SQLite and on a real PostgreSQL server, on a fresh Debian machine.
# Installs what the tests need from apt when missing, starts a throwaway PostgreSQL cluster in a
# temporary folder on a free port, runs the Swift tests and the browser tests, and stops the cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
mkdir -p "$ROOT/.build"

log() { printf '\n== %s\n' "$*"; }

# --- system packages --------------------------------------------------------------------------
need=()
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
[ -n "$pg_bin" ] && [ -x "$pg_bin/pg_ctl" ] || need+=(postgresql)
command -v chromium >/dev/null || need+=(chromium)
command -v curl >/dev/null || need+=(curl)
command -v zbarimg >/dev/null || need+=(zbar-tools)
command -v chromedriver >/dev/null || need+=(chromium-driver)
python3 -c 'import selenium' 2>/dev/null || need+=(python3-selenium)
# (grep -c reads all of fc-list's output: with pipefail, grep -q could make the pipe fail.)
[ "$(fc-list 2>/dev/null | grep -ci 'Loma\|Garuda\|Sarabun')" -gt 0 ] || need+=(fonts-thai-tlwg)
# DOCX → PDF for the agency's documents, and pdftotext/pdftoppm to read the PDFs back.
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null || need+=(poppler-utils)
# The load balancer in front of three app nodes (the multi-node test).
command -v nginx >/dev/null || need+=(nginx)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
python3 -c 'import pytest' 2>/dev/null || pip install -q pytest
python3 -c 'import axe_selenium_python' 2>/dev/null || pip install -q axe-selenium-python
python3 -c 'import openpyxl' 2>/dev/null || pip install -q openpyxl
python3 -c 'import docx' 2>/dev/null || pip install -q python-docx
# The open API's property-based test (Tests/browser/test_api.py runs it against a live demo server).
python3 -c 'import schemathesis' 2>/dev/null || pip install -q schemathesis
# Debian's python3-selenium lives in the system site-packages; make it visible to any python3.
export PYTHONPATH="/usr/lib/python3/dist-packages${PYTHONPATH:+:$PYTHONPATH}"

# --- a throwaway PostgreSQL cluster (PostgreSQL refuses to run as root: run it as postgres) ---------
# track_commit_timestamp lets the anonymity tests check that no answer is written in the second its
# one-time code was spent.
PGTMP=$(mktemp -d /tmp/prongsai-pg.XXXXXX)
chmod 755 "$PGTMP"
chown postgres:postgres "$PGTMP"
PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
stop_pg() {
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$PGTMP/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGTMP"
}
trap stop_pg EXIT
log "starting PostgreSQL ($pg_bin) on port $PGPORT"
runuser -u postgres -- "$pg_bin/initdb" -D "$PGTMP/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w \
  -o "-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c track_commit_timestamp=on" start >/dev/null
runuser -u postgres -- "$pg_bin/createdb" -h /tmp -p "$PGPORT" prongsai_test
export PRONGSAI_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PGPORT/prongsai_test?sslmode=disable"

# --- Swift tests: SQLite and PostgreSQL -----------------------------------------------------------
log "building"
set +e
swift build --build-tests > "$ROOT/.build/build.log" 2>&1
build_status=$?
set -e
grep -E 'error:|warning:|Build complete' "$ROOT/.build/build.log" | grep -v "unhandled; explicitly declare" || true
[ "$build_status" -eq 0 ] || { tail -n 40 "$ROOT/.build/build.log"; echo "build failed"; exit 1; }
# Our own code builds without warnings (dependencies' warnings are theirs).
if grep -E "^$ROOT/(Sources|Tests)/.*warning:" "$ROOT/.build/build.log"; then echo "warnings in Prongsai's own code"; exit 1; fi
log "swift test (SQLite and PostgreSQL)"
set +e
swift test --skip-build > "$ROOT/.build/swift-test.log" 2>&1
test_status=$?
set -e
grep -E '^(✘|✔ Suite|✔ Test run|✘ Test run)|error:' "$ROOT/.build/swift-test.log" || true
if [ "$test_status" -ne 0 ] || ! grep -q 'Test run with .* passed' "$ROOT/.build/swift-test.log"; then
  grep -E '✘|error' "$ROOT/.build/swift-test.log" | head -50
  echo "swift test failed"; exit 1
fi
swift_tests=$(grep -Eo 'Test run with [0-9]+ tests' "$ROOT/.build/swift-test.log" | grep -Eo '[0-9]+' | tail -n 1)

# --- the PostgreSQL deployment path end to end: migrate, then serve -------------------------------
log "prongsai migrate on PostgreSQL"
.build/debug/prongsai migrate --database "$PRONGSAI_TEST_POSTGRES_URL"
.build/debug/prongsai migrate --database "$PRONGSAI_TEST_POSTGRES_URL" | grep -q 'up to date'

log "prongsai serve --demo on PostgreSQL"
SERVE_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
.build/debug/prongsai serve --demo --database "$PRONGSAI_TEST_POSTGRES_URL" --port "$SERVE_PORT" > "$ROOT/.build/serve-pg.log" 2>&1 &
SERVE_PID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$SERVE_PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$SERVE_PORT/login" | grep -q 'เข้าสู่ระบบ' || { cat "$ROOT/.build/serve-pg.log"; echo "serve on PostgreSQL failed"; exit 1; }
kill "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null || true
grep -q 'officer' "$ROOT/.build/serve-pg.log"

# --- three app nodes behind nginx, two killed during a survey load and document jobs ----------------
log "three nodes on PostgreSQL behind nginx, two killed with SIGKILL"
python3 Benchmarks/nodes.py --bin "$ROOT/.build/debug/prongsai" --postgres "postgres://postgres@127.0.0.1:$PGPORT/postgres" --seconds 20 \
  | tee "$ROOT/.build/nodes-test.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "multi-node test failed"; exit 1; }
nodes_passed=1

# --- browser tests in headless Chromium -----------------------------------------------------------
log "browser tests (headless Chromium)"
export PRONGSAI_BIN="$ROOT/.build/debug/prongsai"
export PRONGSAI_SCREENSHOTS="$ROOT/.build/screenshots"
python3 -m pytest -q -p no:cacheprovider Tests/browser 2>&1 | tee "$ROOT/.build/browser-test.log"
browser_status=${PIPESTATUS[0]}
[ "$browser_status" -eq 0 ] || { echo "browser tests failed"; exit 1; }
browser_passed=$(grep -Eo '[0-9]+ passed' "$ROOT/.build/browser-test.log" | grep -Eo '[0-9]+' | tail -n 1)

echo
echo "swift: ${swift_tests} tests passed on SQLite and PostgreSQL; multi-node: passed; browser: ${browser_passed:-0} passed"
echo "$(( swift_tests + ${browser_passed:-0} + nodes_passed )) passed, 0 failed"

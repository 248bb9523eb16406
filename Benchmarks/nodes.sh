#!/usr/bin/env bash
# Three app nodes on PostgreSQL behind nginx, two killed with SIGKILL during a survey load and document
# jobs (Benchmarks/nodes.py says what is checked). Release build, a throwaway PostgreSQL cluster.
#
#   bash Benchmarks/nodes.sh [seconds]      (default 20 s of load)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
need=()
command -v nginx >/dev/null || need+=(nginx)
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
[ -n "$pg_bin" ] || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; fi
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

echo "building release…"
swift build -c release --product prongsai --scratch-path "$ROOT/.build-release" 2>&1 | grep -E "error|Build complete" || true
WORK=$(mktemp -d /tmp/prongsai-nodes.XXXXXX)
chmod 755 "$WORK"
PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
mkdir -p "$WORK/pg" && chown postgres "$WORK/pg"
runuser -u postgres -- "$pg_bin/initdb" -D "$WORK/pg/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/log" -w -o "-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
trap 'runuser -u postgres -- "$pg_bin/pg_ctl" -D "$WORK/pg/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
python3 Benchmarks/nodes.py --bin "$ROOT/.build-release/release/prongsai" --postgres "postgres://postgres@127.0.0.1:$PGPORT/postgres" --seconds "${1:-20}"

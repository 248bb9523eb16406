#!/usr/bin/env bash
# Three app nodes on PostgreSQL behind nginx, two killed with SIGKILL during a survey load and document
# jobs (Benchmarks/nodes.py says what is checked). Release build, a throwaway PostgreSQL cluster.
#
#   bash Benchmarks/nodes.sh [seconds]      (default 20 s of load)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
. Benchmarks/lib.sh
bench_need nginx postgresql
bench_build
WORK=$(mktemp -d /tmp/prongsai-nodes.XXXXXX)
chmod 755 "$WORK"
bench_start_postgres "$WORK/pg" -c max_connections=200
trap 'bench_stop_postgres "$WORK/pg"; rm -rf "$WORK"' EXIT
python3 Benchmarks/nodes.py --bin "$BIN" --postgres "postgres://postgres@127.0.0.1:$PGPORT/postgres" --seconds "${1:-20}"

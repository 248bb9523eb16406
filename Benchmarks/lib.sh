# Shared by the benchmark scripts (sourced, after `cd` to the repository and setting ROOT): tools from
# apt, the release build, free ports and a throwaway PostgreSQL cluster run as the postgres user
# (PostgreSQL refuses root), its socket in /tmp.

# Installs what is missing of the named tools from Debian's apt ("postgresql": a server, "psql": the client).
bench_need() {
  local need=() tool
  for tool in "$@"; do
    case "$tool" in
      postgresql) ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || need+=(postgresql) ;;
      time) [ -x /usr/bin/time ] || need+=(time) ;;
      psql) command -v psql >/dev/null || need+=(postgresql-client) ;;
      *) command -v "$tool" >/dev/null || need+=("$tool") ;;
    esac
  done
  if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
}

# Builds the release binary into .build-release and sets BIN.
bench_build() {
  echo "building release…"
  local log="$ROOT/.build-release/build.log"
  mkdir -p "$ROOT/.build-release"
  if ! swift build -c release --product prongsai --scratch-path "$ROOT/.build-release" > "$log" 2>&1; then
    grep -E "error" "$log" | head -20; echo "the release build failed (see $log)"; exit 1
  fi
  BIN="$ROOT/.build-release/release/prongsai"
}

bench_free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# Starts a cluster in $1 (a new folder) on a free port, with any further server options; sets PG_BIN and PGPORT.
bench_start_postgres() {
  local dir=$1
  shift
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  PGPORT=$(bench_free_port)
  mkdir -p "$dir" && chown postgres "$dir"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o "-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 $*" start >/dev/null
}

bench_stop_postgres() { runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$1/data" -m fast stop >/dev/null 2>&1 || true; }

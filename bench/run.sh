#!/usr/bin/env bash
# Prints the benchmark figures as markdown tables, each next to a baseline measured in the same run.
# usage: bench/run.sh [all|issuance|lookups|oprf|proofs|tokens|delivery]   (MIMI_BENCH_SECONDS=5 by default per figure)
# Starts a throw-away PostgreSQL and Redis on loopback ports unless MIMI_BENCH_POSTGRES / MIMI_BENCH_REDIS are set;
# the lookup figures use wrk (Debian package wrk). MIMI_BENCH_VERBOSE=1 adds the per-component rates of a lookup
# (service call, database query, Redis calls) and wrk's raw output; MIMI_BENCH_SIZES=10000,1000000 picks the sizes.
# The delivery figures start their own dnsmasq (dnsmasq-base) and use the ts-mls peer in tests/peers/mls (./test.sh installs both).
set -euo pipefail
cd "$(dirname "$0")/.."
pg_bin=/usr/lib/postgresql/15/bin
if [ -z "${MIMI_BENCH_POSTGRES:-}" ]; then
  [ -x "$pg_bin/pg_ctl" ] || { echo "PostgreSQL 15 is missing: run ./test.sh once (it installs it)" >&2; exit 1; }
  dir=$(mktemp -d /tmp/mimi-bench-pg.XXXXXX)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  as_pg=(); [ "$(id -u)" -eq 0 ] && { chown postgres:postgres "$dir"; as_pg=(runuser -u postgres --); }
  chmod 700 "$dir"
  echo bench > "$dir/pw"
  "${as_pg[@]}" "$pg_bin/initdb" -D "$dir/db" -U app --pwfile="$dir/pw" --auth-host=scram-sha-256 --auth-local=trust >/dev/null
  # Durable settings (fsync on): the issuance figure must include real commits.
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/db" -l "$dir/log" -w -o "-c listen_addresses=127.0.0.1 -p $port -k $dir" start >/dev/null
  trap '"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/db" -m immediate -w stop >/dev/null; rm -rf "$dir"' EXIT
  export MIMI_BENCH_POSTGRES="Host=127.0.0.1;Port=$port;Username=app;Password=bench;Database=postgres"
fi
if [ -z "${MIMI_BENCH_REDIS:-}" ] && command -v redis-server >/dev/null; then
  rport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  redis-server --bind 127.0.0.1 --port "$rport" --save '' --appendonly no >/dev/null &
  redis_pid=$!
  trap 'kill $redis_pid 2>/dev/null; [ -n "${dir:-}" ] && { "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/db" -m immediate -w stop >/dev/null; rm -rf "$dir"; }' EXIT
  export MIMI_BENCH_REDIS="127.0.0.1:$rport"
fi
dotnet run -c Release --project bench/Mimi.Discovery.Benchmarks -- "${1:-all}"

#!/usr/bin/env bash
# Prints the benchmark figures as markdown tables, each next to a baseline measured in the same run.
# usage: bench/run.sh [all|issuance|proofs|tokens]   (MIMI_BENCH_SECONDS=5 by default per figure)
# Starts a throw-away PostgreSQL on a loopback port unless MIMI_BENCH_POSTGRES is set.
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
dotnet run -c Release --project bench/Mimi.Discovery.Benchmarks -- "${1:-all}"

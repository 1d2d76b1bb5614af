#!/usr/bin/env bash
# Prints the benchmark figures as markdown tables, each next to a baseline measured in the same run.
# usage: bench/run.sh [all|issuance|import|lookups|oprf|vrf|proofs|monitor|tokens|consent|resolve|delivery]   (MIMI_BENCH_SECONDS=5 by default per figure)
# Starts a throw-away PostgreSQL and Redis on loopback ports unless MIMI_BENCH_POSTGRES / MIMI_BENCH_REDIS are set;
# the lookup figures use wrk (Debian package wrk). MIMI_BENCH_VERBOSE=1 adds the per-component rates of a lookup
# (service call, database query, Redis calls) and wrk's raw output; MIMI_BENCH_SIZES=10000,1000000 picks the sizes and
# MIMI_BENCH_ROUNDS=3 the alternating bare/service pairs per size (the median ratio is printed, with all of them).
# The import figure sends MIMI_BENCH_IMPORT_ROWS (200000) rows through POST /v1/authority/import into PostgreSQL;
# MIMI_BENCH_VERBOSE=1 adds the per-row component rates (X.509 credential, assertion) on every core.
# vrf measures on one thread MIMI_BENCH_ROUNDS rounds of ECDSA P-256 signing, raw P-256 multiplication and VRF evaluate,
# prove and verify, one after the other (the median rate and median ratio to ECDSA are printed).
# The monitor figure fills a log of MIMI_BENCH_MONITOR_ENTRIES (1000000) format-2 entries in PostgreSQL, then times one
# LogMonitor pass against downloading the same entry bundles.
# consent and resolve use SQLite and a dnsmasq started here (SRV records for two local instances and for
# MIMI_BENCH_RESOLVE_PROVIDERS=1000 providers p<i>.bench).
# The delivery figures start their own dnsmasq (dnsmasq-base) and use the ts-mls peer in tests/peers/mls (./test.sh installs both);
# they begin with the hub's MLS checks: commits of a 100-member room verified on one thread, next to their CPU bound.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-all}"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cleanups=()
trap 'for c in "${cleanups[@]}"; do eval "$c"; done' EXIT
if ! command -v wrk >/dev/null && [[ "$mode" == all || "$mode" == lookups ]]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get install -y -qq --no-install-recommends wrk >/dev/null || { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends wrk >/dev/null; }
fi
if [[ "$mode" == all || "$mode" == consent || "$mode" == resolve ]]; then
  [ -x /usr/sbin/dnsmasq ] || { echo "dnsmasq is missing: apt-get install dnsmasq-base (./test.sh installs it)" >&2; exit 1; }
  export MIMI_BENCH_ALPHA_PORT=$(free_port) MIMI_BENCH_BETA_PORT=$(free_port) MIMI_BENCH_RESOLVE_PROVIDERS=${MIMI_BENCH_RESOLVE_PROVIDERS:-1000}
  dport=$(free_port)
  dns_conf=$(mktemp /tmp/mimi-bench-dns.XXXXXX)
  {
    echo "srv-host=_mimi._tcp.alpha.bench,alpha.bench,$MIMI_BENCH_ALPHA_PORT,0,10"; echo "host-record=alpha.bench,127.0.0.1"
    echo "srv-host=_mimi._tcp.beta.bench,beta.bench,$MIMI_BENCH_BETA_PORT,0,10"; echo "host-record=beta.bench,127.0.0.1"
    for i in $(seq 0 $((MIMI_BENCH_RESOLVE_PROVIDERS - 1))); do
      echo "srv-host=_mimi._tcp.p$i.bench,mimi.p$i.bench,443,0,10"; echo "host-record=mimi.p$i.bench,127.0.3.$((i % 250 + 1))"
    done
  } > "$dns_conf"
  /usr/sbin/dnsmasq --no-daemon --conf-file="$dns_conf" --no-resolv --no-hosts --no-poll --pid-file= --port="$dport" \
    --listen-address=127.0.0.1 --bind-interfaces --log-facility=- --local=/bench/ --local-ttl=300 --cache-size=0 2>/dev/null &
  dns_pid=$!
  cleanups+=("kill $dns_pid 2>/dev/null; rm -f $dns_conf")
  export MIMI_BENCH_DNS="127.0.0.1:$dport"
  sleep 0.5
fi
if [[ "$mode" == consent || "$mode" == resolve || "$mode" == oprf || "$mode" == vrf || "$mode" == proofs || "$mode" == tokens ]]; then
  dotnet run -c Release --project bench/Mimi.Discovery.Benchmarks -- "$mode"
  exit 0
fi
pg_bin=/usr/lib/postgresql/15/bin
if [ -z "${MIMI_BENCH_POSTGRES:-}" ]; then
  [ -x "$pg_bin/pg_ctl" ] || { echo "PostgreSQL 15 is missing: run ./test.sh once (it installs it)" >&2; exit 1; }
  dir=$(mktemp -d /tmp/mimi-bench-pg.XXXXXX)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  as_pg=(); [ "$(id -u)" -eq 0 ] && { chown postgres:postgres "$dir"; as_pg=(runuser -u postgres --); }
  chmod 700 "$dir"
  echo bench > "$dir/pw"
  "${as_pg[@]}" "$pg_bin/initdb" -D "$dir/db" -U app --pwfile="$dir/pw" --auth-host=scram-sha-256 --auth-local=trust >/dev/null
  # Durable settings (fsync on): the issuance figure must include real commits. The delivery figure runs eleven
  # instances, each with its own connection pool: more than PostgreSQL's default 100 connections.
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/db" -l "$dir/log" -w -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=400" start >/dev/null
  cleanups+=('"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/db" -m immediate -w stop >/dev/null; rm -rf "$dir"')
  export MIMI_BENCH_POSTGRES="Host=127.0.0.1;Port=$port;Username=app;Password=bench;Database=postgres"
fi
if [ -z "${MIMI_BENCH_REDIS:-}" ] && command -v redis-server >/dev/null; then
  rport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  redis-server --bind 127.0.0.1 --port "$rport" --save '' --appendonly no >/dev/null &
  redis_pid=$!
  cleanups+=("kill $redis_pid 2>/dev/null")
  export MIMI_BENCH_REDIS="127.0.0.1:$rport"
fi
dotnet run -c Release --project bench/Mimi.Discovery.Benchmarks -- "$mode"

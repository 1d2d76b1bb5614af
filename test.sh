#!/usr/bin/env bash
# Runs the whole test suite. Installs what the tests need when it is missing (PostgreSQL, Redis, dnsmasq, openssl,
# Go with golang.org/x/mod for the independent log verifier, Python's cryptography for cosignatures, Prometheus and
# promtool for the metrics and alert-rule tests, Chromium for the console's browser tests, Node peers), then runs every
# test project.
# The test fixtures start their own servers on loopback ports; nothing is left running afterwards.
set -euo pipefail
cd "$(dirname "$0")"

need=()
[ -x /usr/lib/postgresql/15/bin/pg_ctl ] || need+=(postgresql)
command -v redis-server >/dev/null || need+=(redis-server)
command -v dnsmasq >/dev/null || need+=(dnsmasq-base)
command -v openssl >/dev/null || need+=(openssl)
command -v go >/dev/null || need+=(golang-go)
[ -d /usr/share/gocode/src/golang.org/x/mod/sumdb ] || need+=(golang-golang-x-mod-dev)
command -v node >/dev/null || need+=(nodejs npm)
python3 -c 'import cryptography' 2>/dev/null || need+=(python3 python3-cryptography)
{ [ -x /usr/bin/prometheus ] && [ -x /usr/bin/promtool ]; } || need+=(prometheus)
# The console's browser tests drive Debian's Chromium through Playwright, never a browser Playwright downloads.
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

for lock in tests/peers/*/package-lock.json; do
  peer=$(dirname "$lock")
  if [ ! -d "$peer/node_modules" ] || [ "$lock" -nt "$peer/node_modules" ]; then
    (cd "$peer" && npm ci --no-audit --no-fund --loglevel=error)
    touch "$peer/node_modules"
  fi
done

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test Mimi.Discovery.sln -c Release --nologo "$@" 2>&1 | tee "$log" || status=$?

# One closing line for the whole run, summed over the test projects.
awk '/(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { gsub(",", "", f); printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit $status

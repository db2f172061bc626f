#!/usr/bin/env bash
# Sign-in flood benchmark (issue 24 #4): 40 addresses × 1,000 wrong sign-ins against the demo
# admin's login while the admin signs in once a second from an address the account knows; the
# release server on SQLite behind a trusted proxy header. Reports the share of the admin's
# sign-ins that succeeded within 3 s and the server's peak memory (VmHWM).
# Usage: bench/flood/run.sh [attackers] [wrong-per-attacker] [binary]
set -euo pipefail
cd "$(dirname "$0")/../.."
attackers=${1:-40}
wrong=${2:-1000}
bin=${3:-target/release/orientir}
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
DATABASE_URL=sqlite://$work/flood.db ORIENTIR_ADDR=127.0.0.1:$port ORIENTIR_LOG=warn \
  ORIENTIR_SITE_ROOT=target/site ORIENTIR_TRUSTED_PROXIES=127.0.0.1 \
  "$bin" demo >"$work/out" 2>"$work/err" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 300); do grep -q "^listening on" "$work/out" 2>/dev/null && break; sleep 0.1; done
echo "server $bin, pid $server, $(nproc) cores; nothing else running by this script"
python3 bench/flood/flood.py "http://127.0.0.1:$port" admin admin-demo-2026 "$attackers" "$wrong"
echo "server memory: peak $(awk '/VmHWM/ {print $2, $3}' /proc/$server/status), now $(awk '/VmRSS/ {print $2, $3}' /proc/$server/status)"

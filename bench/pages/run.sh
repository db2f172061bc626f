#!/usr/bin/env bash
# Coordinator pages over the demo region with N more published student responses (default
# 1,000,000, spread over its six schools): the release server on SQLite, the admin reading the
# matrix, a school's profile, the change page and the monitor — the first request after the
# start (cold) and the 95th percentile of 20 more (warm; ORIENTIR_BENCH_REPEAT sets how many). Not yet the 1,000-school region of
# issue 13 (bench/scale). Usage: bench/pages/run.sh [responses] [orientir binary]
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/sign_in.sh
rows=${1:-1000000}
binary=${2:-target/release/orientir}
# Warm requests per page (ORIENTIR_BENCH_REPEAT), of which the 95th percentile is reported.
repeat=${ORIENTIR_BENCH_REPEAT:-20}
[ -x "$binary" ] || scripts/build.sh --release

work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
db=$work/pages.db
port=$((20000 + RANDOM % 20000))
run() {
  DATABASE_URL=sqlite://$db ORIENTIR_ADDR=127.0.0.1:$port ORIENTIR_LOG=warn ORIENTIR_SITE_ROOT=target/site \
    "$binary" "$@" >"$work/out" 2>"$work/err" &
  server=$!
  for _ in $(seq 300); do grep -q "^listening on" "$work/out" 2>/dev/null && break; sleep 0.1; done
}
run demo
kill "$server"; wait "$server" 2>/dev/null || true
python3 bench/export/fill.py "$db" "$rows"
# The rows were written around the server: rebuild the sums profiles are scored from.
DATABASE_URL=sqlite://$db ORIENTIR_LOG=warn "$binary" rescore demo-2026
run serve
base="http://127.0.0.1:$port"
jar=$work/cookies
sign_in "$base" "$jar" admin
read -r campaign previous school < <(python3 -c "
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
now = c.execute(\"select id from campaigns where code='demo-2026'\").fetchone()[0]
before = c.execute(\"select id from campaigns where code='demo-2025'\").fetchone()[0]
school = c.execute(\"select id from schools where code='demo-01'\").fetchone()[0]
print(now, before, school)" "$db")
time_of() { curl -s -b "$jar" -o "$work/page" -w '%{http_code} %{time_total}\n' "$base$1"; }
# name:what the page must hold:path
for page in "matrix:matrix-table:/work/campaigns/$campaign/matrix" "profile:class=\"factor\":/work/campaigns/$campaign/schools/$school" \
            "change:change-table:/work/change?before=$previous&after=$campaign" "monitor:class=\"monitor\":/work/campaigns/$campaign/monitor"; do
  name=${page%%:*}; rest=${page#*:}; marker=${rest%%:*}; path=${rest#*:}
  read -r code cold < <(time_of "$path")
  [ "$code" = 200 ] || { echo "$name: HTTP $code" >&2; exit 1; }
  warm=$(for _ in $(seq "$repeat"); do time_of "$path" | cut -d' ' -f2; done | sort -n | sed -n "$(( (repeat * 95 + 99) / 100 ))p")
  grep -q "$marker" "$work/page" || { echo "$name: the page lacks $marker" >&2; exit 1; }
  python3 -c "import sys; print(f'{sys.argv[1]:8} cold {float(sys.argv[2])*1000:8.0f} ms   warm p95 {float(sys.argv[3])*1000:8.0f} ms')" "$name" "$cold" "$warm"
done
echo "server RSS $(awk '/VmRSS/ {print int($2/1024)}' "/proc/$server/status") MB"

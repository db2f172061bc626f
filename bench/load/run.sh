#!/usr/bin/env bash
# Load benchmark of the respondent side: whole student questionnaires from many concurrent
# clients against the release build, filled the way a browser does it. `form` (a browser without
# JavaScript): each page fetched, then posted and redirected. `live` (with the wasm, whose island
# checks the form first): the first page fetched, then each page posted by the live form and
# answered with the next page; plus one fetch of the questionnaire's rules, which the browser
# keeps (not counted here).
# With ORIENTIR_COORDINATORS=N, N of the connections are a signed-in regional coordinator's
# instead, reading the region's pages and calling their server functions all the while.
# Usage: [ORIENTIR_BIN=path] [ORIENTIR_COORDINATORS=n] bench/load/run.sh [connections] [seconds] [database-url] [form|live]
#   default: 200 connections, 30 s, a fresh SQLite file, form. Prints wrk's figures, the completed
#   questionnaires per second, and checks that the stored count equals the acknowledged count.
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/sign_in.sh
conns=${1:-200}
seconds=${2:-30}
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
bin=${ORIENTIR_BIN:-target/release/orientir}   # another binary, e.g. an older build to compare
[ -x "$bin" ] || scripts/build.sh --release

work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
db=${3:-sqlite://$work/load.db}
flow=${4:-form}
port=$((20000 + RANDOM % 20000))
# Every questionnaire comes from this one address: the limit on drafts begun per address is off.
DATABASE_URL=$db ORIENTIR_ADDR=127.0.0.1:$port ORIENTIR_LOG=warn ORIENTIR_SITE_ROOT=target/site \
  ORIENTIR_DRAFTS_PER_ADDRESS_HOUR=0 "$bin" demo >"$work/out" 2>"$work/err" &
server=$!
for _ in $(seq 100); do grep -q "^listening on" "$work/out" 2>/dev/null && break; sleep 0.1; done
code=$(grep -o "Берёзовская СОШ»: parent [A-Z0-9-]*, principal [A-Z0-9-]*, student [A-Z0-9-]*" "$work/out" | awk '{print $NF}')
python3 bench/load/bodies.py student "$work/bodies.tsv" 50
script=bench/load/student.lua

count() {
  case "$db" in
    sqlite://*) python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"select count(*) from responses where respondent_group='student'\").fetchone()[0])" "${db#sqlite://}" ;;
    *) psql "$db" -Atqc "select count(*) from responses where respondent_group='student'" ;;
  esac
}
coordinators=${ORIENTIR_COORDINATORS:-0}
if [ "$coordinators" -gt 0 ]; then
  base=http://127.0.0.1:$port jar=$work/cookies
  sign_in "$base" "$jar" region
  cookie=$(awk -F'\t' 'NF >= 7 && $6 !~ /^#/ {printf "%s=%s; ", $6, $7}' "$jar")
  read -r previous campaign school < <(case "$db" in
    sqlite://*) python3 -c "import sqlite3,sys; print(*sqlite3.connect(sys.argv[1]).execute(\"select (select id from campaigns where code='demo-2025'), (select id from campaigns where code='demo-2026'), (select id from schools where code='demo-01')\").fetchone())" "${db#sqlite://}" ;;
    *) psql "$db" -Atq -F ' ' -c "select (select id from campaigns where code='demo-2025'), (select id from campaigns where code='demo-2026'), (select id from schools where code='demo-01')" ;;
  esac)
  wrk -t1 -c"$coordinators" -d"${seconds}s" --latency -s bench/load/coordinator.lua "$base" -- "$cookie" "$previous" "$campaign" "$school" >"$work/coordinators" &
  reader=$!
  conns=$((conns - coordinators))
fi
before=$(count)
wrk -t2 -c"$conns" -d"${seconds}s" --latency -s "$script" "http://127.0.0.1:$port" -- "$code" "$work/bodies.tsv" "$flow" | tee "$work/wrk"
if [ "$coordinators" -gt 0 ]; then
  wait "$reader"
  echo "== the coordinator's $coordinators connections"
  cat "$work/coordinators"
fi
sleep 1
after=$(count)
acknowledged=$(grep -o "completed questionnaires: [0-9]*" "$work/wrk" | awk '{print $3}')
echo "stored: $((after - before)), acknowledged: $acknowledged"

#!/usr/bin/env bash
# Raw-export benchmark: a campaign with N student responses (default 1,000,000) in a fresh SQLite
# database, the release server, and the admin downloading the raw CSV and XLSX. Reports rows per
# second and how much the server's resident memory grew (peak RSS during the download minus RSS
# before it). Usage: bench/export/run.sh [responses] [binary]
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/sign_in.sh
rows=${1:-1000000}
bin=${2:-target/release/orientir}   # another binary, e.g. an older build to compare
[ -x "$bin" ] || scripts/build.sh --release

work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
db=$work/export.db
port=$((20000 + RANDOM % 20000))
# The demo region first (schema, schools, accounts), then the bulk responses.
DATABASE_URL=sqlite://$db ORIENTIR_ADDR=127.0.0.1:$port ORIENTIR_LOG=warn ORIENTIR_SITE_ROOT=target/site \
  "$bin" demo >"$work/out" 2>"$work/err" &
server=$!
for _ in $(seq 100); do grep -q "^listening on" "$work/out" 2>/dev/null && break; sleep 0.1; done
kill "$server"; wait "$server" 2>/dev/null || true
python3 bench/export/fill.py "$db" "$rows"

DATABASE_URL=sqlite://$db ORIENTIR_ADDR=127.0.0.1:$port ORIENTIR_LOG=warn ORIENTIR_SITE_ROOT=target/site \
  "$bin" serve >"$work/out" 2>"$work/err" &
server=$!
for _ in $(seq 100); do grep -q "^listening on" "$work/out" 2>/dev/null && break; sleep 0.1; done
jar=$work/cookies
# The sign-in form's token comes with the page (and its cookie), as in a browser.
sign_in "http://127.0.0.1:$port" "$jar" admin
campaign=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"select id from campaigns where code='demo-2026'\").fetchone()[0])" "$db")

rss() { awk '/VmRSS/ {print $2}' "/proc/$server/status"; }
for format in csv xlsx; do
  before=$(rss)
  peak=$before
  start=$(date +%s.%N)
  curl -s -b "$jar" -o "$work/out.$format" "http://127.0.0.1:$port/export/campaigns/$campaign/responses.$format?group=student" &
  client=$!
  while kill -0 "$client" 2>/dev/null; do
    now=$(rss); [ "$now" -gt "$peak" ] && peak=$now
    sleep 0.05
  done
  wait "$client"
  end=$(date +%s.%N)
  size=$(stat -c %s "$work/out.$format")
  if [ "$format" = csv ]; then exported=$(($(wc -l <"$work/out.$format") - 1)); else exported=$rows; fi
  python3 - "$format" "$exported" "$start" "$end" "$before" "$peak" "$size" <<'PY'
import sys
fmt, n, start, end, before, peak, size = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
secs = end - start
print(f"{fmt}: {n} rows in {secs:.1f} s = {n / secs:,.0f} rows/s, {size / 1e6:.0f} MB; server RSS {before / 1024:.0f} MB -> peak {peak / 1024:.0f} MB (+{(peak - before) / 1024:.0f} MB)")
PY
done

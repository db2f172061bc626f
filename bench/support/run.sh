#!/usr/bin/env bash
# Support work at a region's size (issue 26): the demo grown by bench/support/fill.py to SCHOOLS
# more schools (default 1,000) with 10 questions, 4 visits, 8 recommendations and 3 event
# registrations each, and MAILS mails waiting (default 10,000). The release server on SQLite, with
# a local SMTP server (aiosmtpd, writing a Maildir): how long the queue takes to send, a
# respondent's page timed while it sends and after, and every role's start page (and its support
# summary) warm, as the 95th percentile of ORIENTIR_BENCH_REPEAT requests (default 20).
# Usage: bench/support/run.sh [schools] [mails] [orientir binary]
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/sign_in.sh
schools=${1:-1000}
mails=${2:-10000}
binary=${3:-target/release/orientir}
repeat=${ORIENTIR_BENCH_REPEAT:-20}
[ -x "$binary" ] || scripts/build.sh --release
command -v aiosmtpd >/dev/null || { echo "aiosmtpd is missing: run scripts/prereqs.sh" >&2; exit 1; }
work=$(mktemp -d)
server=""
smtp=""
trap 'kill "$server" "$smtp" 2>/dev/null || true; rm -rf "$work"' EXIT
port=$((20000 + RANDOM % 20000))
smtp_port=$((port + 1))
base="http://127.0.0.1:$port"
db="$work/support.db"

run() {
  env DATABASE_URL="sqlite://$db" ORIENTIR_ADDR=127.0.0.1:$port ORIENTIR_LOG=warn ORIENTIR_SITE_ROOT=target/site "$@" \
    "$binary" serve >"$work/out" 2>"$work/err" &
  server=$!
  for _ in $(seq 600); do grep -q "^listening on" "$work/out" 2>/dev/null && break; sleep 0.1; done
}
# p95 in ms of REPEAT timed requests: curl args.
p95() {
  for _ in $(seq "$repeat"); do curl -s -o /dev/null -w '%{time_total}\n' "$@"; done |
    sort -n | python3 -c "import sys; v=[float(x) for x in sys.stdin]; print(round(v[max(0, int(len(v)*0.95)-1)]*1000))"
}
count() { python3 -c "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$db" "$1"; }

env DATABASE_URL="sqlite://$db" ORIENTIR_ADDR=127.0.0.1:$port ORIENTIR_LOG=warn ORIENTIR_SITE_ROOT=target/site \
  "$binary" demo >"$work/out" 2>"$work/err" &
server=$!
for _ in $(seq 600); do grep -q "^listening on" "$work/out" 2>/dev/null && break; sleep 0.1; done
code=$(grep -o '[23456789A-Z]\{3\}-[23456789A-Z]\{3\}-[23456789A-Z]\{2\}' "$work/out" | head -1)
kill "$server"; wait "$server" 2>/dev/null || true
python3 bench/support/fill.py sqlite "$db" "$schools" "$mails"

mkdir -p "$work/mail"
aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$work/mail/box" 2>/dev/null &
smtp=$!
sleep 1
start=$(date +%s.%N)
run ORIENTIR_SMTP_URL="smtp://127.0.0.1:$smtp_port" ORIENTIR_MAIL_FROM=orientir@example.ru ORIENTIR_MAIL_DIGEST_HOUR=23
during=$(p95 "$base/s/$code")
while [ "$(count "SELECT COUNT(*) FROM mail_queue WHERE state IN ('waiting', 'sending')")" != 0 ]; do sleep 0.2; done
took=$(python3 -c "import sys; print(round(float(sys.argv[2]) - float(sys.argv[1]), 1))" "$start" "$(date +%s.%N)")
after=$(p95 "$base/s/$code")
echo "mail: $(count "SELECT COUNT(*) FROM mail_queue WHERE state = 'sent'") of $mails sent in $took s (received: $(ls "$work/mail/box/new" | wc -l)); respondent page p95 ${during} ms while sending, ${after} ms after"
for login in admin region north curator school; do
  jar="$work/$login.jar"
  sign_in "$base" "$jar" "$login"
  curl -s -b "$jar" -o /dev/null "$base/work"
  page=$(p95 -b "$jar" "$base/work")
  summary=$(p95 -b "$jar" -X POST "$base/api/work-support-summary")
  support=$(p95 -b "$jar" "$base/work/support")
  # A list filtered and sorted: the visits held, by school, descending.
  sorted="$base/work/support?show=visits&state=held&sort=school&dir=desc"
  visits=$(p95 -b "$jar" "$sorted")
  echo "$login: start page p95 ${page} ms, its support summary ${summary} ms, /work/support ${support} ms ($(curl -s -b "$jar" "$base/work/support" | wc -c) bytes), visits held by school ${visits} ms ($(curl -s -b "$jar" "$sorted" | wc -c) bytes)"
done

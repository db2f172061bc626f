#!/usr/bin/env bash
# A large region on each backend: the demo grown to SCHOOLS more schools (default 1,000) with
# 1,000 responses each in the current campaign and 100 in the earlier one (bench/scale/fill.py),
# their sums rebuilt by `orientir rescore`, then the release server timed as a regional
# coordinator meets it: publishing the open campaign, the first request of each page after a
# restart (cold), the 95th percentile of ORIENTIR_BENCH_REPEAT more (warm, default 20), the
# matrix workbook, and the server's memory. Three years of educational results (every school ×
# every assessment of the catalogue, bench/results/gen.py) are imported through the results page's
# form, each import timed; the results page (the candidate list) and a school's card are timed
# with the other pages. Every page is held to the budget of a page of rows (ORIENTIR_BENCH_BUDGET_KB,
# default 300 KB of HTML; the workbook aside): the run fails, naming the pages over it. Each
# page's line ends with the server's resident memory after it.
# Usage: bench/scale/run.sh [sqlite|postgres|both] [schools] [orientir binary]
# PostgreSQL: DATABASE_URL of a server where a database may be created (default the local one).
# ORIENTIR_BENCH_REUSE=1 (PostgreSQL) times the pages of the orientir_scale database a run kept
# with ORIENTIR_BENCH_KEEP=1, as it is: no filling, publishing or imports — two binaries, one
# after the other, on the very same data.
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/sign_in.sh
backends=${1:-both}
schools=${2:-1000}
binary=${3:-target/release/orientir}
repeat=${ORIENTIR_BENCH_REPEAT:-20}
[ -x "$binary" ] || scripts/build.sh --release
[ "$backends" = both ] && backends="sqlite postgres"

work=$(mktemp -d)
server=""
# ORIENTIR_BENCH_KEEP=1 keeps the databases for a closer look (SQLite's folder is printed;
# PostgreSQL's orientir_scale stays).
trap 'kill "$server" 2>/dev/null || true; if [ -n "${ORIENTIR_BENCH_KEEP:-}" ]; then echo "kept: $work"; else rm -rf "$work"; fi' EXIT
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
ms() { python3 -c "import sys; print(f'{float(sys.argv[1])*1000:.0f}')" "$1"; }

for backend in $backends; do
  case $backend in
    sqlite) url="sqlite://$work/scale.db"; target="$work/scale.db" ;;
    postgres)
      admin=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
      [ -n "${ORIENTIR_BENCH_REUSE:-}" ] ||
        psql -X -q "$admin" -c "DROP DATABASE IF EXISTS orientir_scale" -c "CREATE DATABASE orientir_scale"
      url="${admin%/*}/orientir_scale"; target=$url ;;
  esac
  run() {
    DATABASE_URL=$url ORIENTIR_ADDR=127.0.0.1:$port ORIENTIR_LOG=warn ORIENTIR_SITE_ROOT=target/site \
      "$binary" "$@" >"$work/out" 2>"$work/err" &
    server=$!
    for _ in $(seq 600); do grep -q "^listening on" "$work/out" 2>/dev/null && break; sleep 0.1; done
  }
  stop() { kill "$server"; wait "$server" 2>/dev/null || true; }
  # One row of a query, space-separated.
  q() {
    case $backend in
      sqlite) python3 -c "import sqlite3, sys; print(*sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone())" "$target" "$1" ;;
      postgres) psql -X -At -F ' ' "$url" -c "$1" ;;
    esac
  }
  echo "== $backend, $schools schools"
  reuse=""
  [ "$backend" = postgres ] && [ -n "${ORIENTIR_BENCH_REUSE:-}" ] && reuse=yes
  if [ -z "$reuse" ]; then
    run demo; stop
    start=$(date +%s.%N)
    python3 bench/scale/fill.py "$backend" "$target" "$schools"
    echo "filled in $(python3 -c "import sys; print(round(float(sys.argv[2]) - float(sys.argv[1])))" "$start" "$(date +%s.%N)") s"
    # (A binary from before the sums has no `rescore`: it is measured without them.)
    if "$binary" help rescore >/dev/null 2>&1; then
      for campaign in scale-2025 scale-2026; do
        DATABASE_URL=$url ORIENTIR_LOG=warn "$binary" rescore "$campaign"
      done
    fi
  fi
  run serve
  jar=$work/cookies; rm -f "$jar"
  sign_in "$base" "$jar" admin
  ids=$(q "select (select id from campaigns where code='scale-2026'), (select id from campaigns where code='scale-2025'), (select min(id) from schools where code like 'scale-%')")
  read -r campaign previous school <<<"$ids"
  results=""
  if [ -n "$reuse" ]; then
    if [ "$(q "select count(*) from results")" -gt 0 ]; then results=yes; fi
  else
    csrf=$(csrf_of "$base/work/campaigns/$campaign/monitor" "$jar")
    # Publishing the open campaign's snapshot (every group takes its answers in).
    read -r code took < <(curl -s -b "$jar" -o "$work/page" -w '%{http_code} %{time_total}\n' --data-urlencode "_csrf=$csrf" "$base/work/campaigns/$campaign/publish")
    [ "$code" = 303 ] || { echo "publish: HTTP $code" >&2; exit 1; }
    echo "publish      $(ms "$took") ms (tallied: $(q "select count(*) from publications where campaign_id = $campaign and tallied is not null" 2>/dev/null || echo "no sums") of 1)"
    # The earlier campaign is published at its close by its first reader.
    curl -s -b "$jar" -o /dev/null "$base/work/campaigns/$previous/matrix"
    # Three years of results, each imported through the page's form (a binary from before the
    # results has no such page: it is measured without them).
    if [ "$(curl -s -b "$jar" -o /dev/null -w '%{http_code}' "$base/work/results")" = 200 ]; then results=yes; fi
    results_csrf=""
    if [ -n "$results" ]; then results_csrf=$(csrf_of "$base/work/results" "$jar"); fi
    for year in ${results:+2024 2025 2026}; do
      python3 bench/results/gen.py "$backend" "$target" "$year" "$work/results-$year.csv" >/dev/null
      read -r code took < <(curl -s -b "$jar" -o /dev/null -w '%{http_code} %{time_total}\n' \
        -F "year=$year" -F "file=@$work/results-$year.csv" "$base/work/results/import?_csrf=$results_csrf")
      [ "$code" = 303 ] || { echo "results import $year: HTTP $code" >&2; exit 1; }
      echo "import $year  $(ms "$took") ms ($(q "select count(*) from results where year = $year") rows, $(( $(stat -c %s "$work/results-$year.csv") / 1024 )) KB)"
    done
  fi
  stop; run serve
  time_of() { curl -s -b "$jar" -o "$work/page" -w '%{http_code} %{time_total}\n' "$base$1"; }
  budget=${ORIENTIR_BENCH_BUDGET_KB:-300}
  over=""
  for page in "matrix:matrix-table:/work/campaigns/$campaign/matrix" "profile:class=\"factor\":/work/campaigns/$campaign/schools/$school" \
              "change:change-table:/work/change?before=$previous&after=$campaign" "monitor:class=\"monitor\":/work/campaigns/$campaign/monitor" \
              "monitor-q:class=\"monitor\":/work/campaigns/$campaign/monitor?sort=student&dir=desc&q=1&per=100" \
              "matrix-q:matrix-table:/work/campaigns/$campaign/matrix?level=high&sort=RF03&dir=desc&per=100" \
              "change-q:change-table:/work/change?before=$previous&after=$campaign&sort=improved&dir=desc&per=100" \
              "programmes:class=\"programmes\":/work/campaigns/$previous/programmes?state=none&sort=school&per=100" \
              "overview:overview-chart:/work/campaigns/$campaign/overview" \
              "workbook:PK:/export/campaigns/$campaign/matrix.xlsx" \
              ${results:+"results:class=\"candidates\":/work/results" "results-q:class=\"candidates\":/work/results?sort=school&dir=desc&per=100" "cohorts-q:class=\"tabs\":/work/results?show=cohorts&sort=school&per=100" "card:card-results:/work/schools/$school" "card-oge:card-results:/work/schools/$school?results=oge"}; do
    name=${page%%:*}; rest=${page#*:}; marker=${rest%%:*}; path=${rest#*:}
    read -r code cold < <(time_of "$path")
    # A binary from before a page has no such page: it is measured without it.
    if [ "$code" = 404 ]; then printf '%-12s not in this build\n' "$name"; continue; fi
    [ "$code" = 200 ] || { echo "$name: HTTP $code" >&2; exit 1; }
    grep -q "$marker" "$work/page" || { echo "$name: the answer lacks $marker" >&2; exit 1; }
    warm=$(for _ in $(seq "$repeat"); do time_of "$path" | cut -d' ' -f2; done | sort -n | sed -n "$(( (repeat * 95 + 99) / 100 ))p")
    bytes=$(stat -c %s "$work/page"); size=$(( bytes / 1024 ))
    rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$server/status")
    printf '%-12s cold %6s ms   warm p95 %6s ms   %6s KB   server %5s MB\n' "$name" "$(ms "$cold")" "$(ms "$warm")" "$size" "$rss"
    if [ "$name" != workbook ] && [ "$bytes" -gt $(( budget * 1024 )) ]; then over="$over $name"; fi
  done
  echo "server RSS $(awk '/VmRSS/ {print int($2/1024)}' "/proc/$server/status") MB, peak $(awk '/VmHWM/ {print int($2/1024)}' "/proc/$server/status") MB"
  stop
  if [ -n "$results" ]; then
    # A card as the first request after a restart: the region's results read, its contexts scored.
    run serve
    read -r code cold < <(time_of "/work/schools/$school")
    [ "$code" = 200 ] || { echo "card: HTTP $code" >&2; exit 1; }
    echo "card first after a restart  $(ms "$cold") ms"
    stop
  fi
  if [ "$backend" = postgres ] && [ -z "${ORIENTIR_BENCH_KEEP:-}${ORIENTIR_BENCH_REUSE:-}" ]; then psql -X -q "$admin" -c "DROP DATABASE orientir_scale"; fi
  if [ -n "$over" ]; then echo "over the budget of $budget KB:$over" >&2; exit 1; fi
  echo "every page within $budget KB"
done

#!/usr/bin/env bash
# Load benchmark of the respondent side: whole student questionnaires from many concurrent
# clients against the release build, filled the way a browser does it. `form` (a browser without
# JavaScript): each page fetched, then posted and redirected. `live` (with the wasm, whose island
# checks the form first): the first page fetched, then each page posted by the live form and
# answered with the next page; plus one fetch of the questionnaire's rules, which the browser
# keeps (not counted here).
# With ORIENTIR_COORDINATORS=N, N of the connections are a signed-in regional coordinator's
# instead, reading the region's pages and calling their server functions all the while.
# With ORIENTIR_PROXY=1, the clients go through Debian's nginx over TLS, configured by
# docs/nginx.conf (its ports and a self-signed certificate replaced), in front of
# ORIENTIR_INSTANCES instances (default 1; more than one needs a PostgreSQL database-url).
# Usage: [ORIENTIR_BIN=path] [ORIENTIR_COORDINATORS=n] [ORIENTIR_PROXY=1] [ORIENTIR_INSTANCES=n]
#        [ORIENTIR_SCHOOLS=one|all] bench/load/run.sh [connections] [seconds] [database-url] [form|live]
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
servers=()
nginx_pid=""
trap 'kill "${servers[@]}" 2>/dev/null || true; [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null; [ -n "${ORIENTIR_BENCH_KEEP:-}" ] || rm -rf "$work"' EXIT
db=${3:-sqlite://$work/load.db}
flow=${4:-form}
instances=${ORIENTIR_INSTANCES:-1}
# Every questionnaire comes from this one address: the limit on drafts begun per address is off.
# Each instance listens on a port the system gives it, and says which.
start_instance() { # command, number
  DATABASE_URL=$db ORIENTIR_ADDR=127.0.0.1:0 ORIENTIR_LOG=warn ORIENTIR_SITE_ROOT=target/site \
    ORIENTIR_DRAFTS_PER_ADDRESS_HOUR=0 ORIENTIR_TRUSTED_PROXIES=127.0.0.1 \
    env ${ORIENTIR_PROXY:+ORIENTIR_SECURE_COOKIES=1} "$bin" "$1" >"$work/out-$2" 2>"$work/err-$2" &
  servers+=($!)
  for _ in $(seq 200); do grep -q "^listening on" "$work/out-$2" 2>/dev/null && break; sleep 0.1; done
  ports+=("$(sed -n 's|^listening on http://127.0.0.1:||p' "$work/out-$2")")
  [ -n "${ports[-1]}" ] || { echo "instance $2 did not start: $(cat "$work/err-$2")" >&2; exit 1; }
}
ports=()
for n in $(seq "$instances"); do
  # The first makes the demo region, the others serve it.
  start_instance "$([ "$n" = 1 ] && echo demo || echo serve)" "$n"
done
port=${ports[0]}
# The student code of Берёзовская СОШ, or with ORIENTIR_SCHOOLS=all the student codes of every
# demo school (a region's respondents are spread over schools, and so are the sums they add to).
if [ "${ORIENTIR_SCHOOLS:-one}" = all ]; then
  code=$(grep -o "»: parent [A-Z0-9-]*, principal [A-Z0-9-]*, student [A-Z0-9-]*" "$work/out-1" | awk '{print $NF}' | paste -sd,)
else
  code=$(grep -o "Берёзовская СОШ»: parent [A-Z0-9-]*, principal [A-Z0-9-]*, student [A-Z0-9-]*" "$work/out-1" | awk '{print $NF}')
fi
target=http://127.0.0.1:$port
if [ -n "${ORIENTIR_PROXY:-}" ]; then
  command -v openssl >/dev/null && { command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; } || scripts/prereqs.sh
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=survey.example.ru \
    -keyout "$work/key.pem" -out "$work/cert.pem" >/dev/null 2>&1
  https=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  upstreams=""
  for p in "${ports[@]}"; do upstreams="$upstreams    server 127.0.0.1:$p max_fails=1 fail_timeout=5s;\n"; done
  python3 - "$work" "$https" "$upstreams" <<'PY'
import sys
work, https, upstreams = sys.argv[1], sys.argv[2], sys.argv[3].replace("\\n", "\n")
conf = open("docs/nginx.conf").read()
lines = [l for l in conf.splitlines(keepends=True) if "127.0.0.1:300" not in l]
conf = "".join(lines).replace("upstream orientir {\n", "upstream orientir {\n" + upstreams, 1)
conf = conf.replace("listen 443 ssl", f"listen 127.0.0.1:{https} ssl").replace("listen 80;", "listen unix:" + work + "/http.sock;")
conf = conf.replace("/etc/ssl/survey.example.ru.crt", f"{work}/cert.pem").replace("/etc/ssl/survey.example.ru.key", f"{work}/key.pem")
open(f"{work}/orientir.conf", "w").write(conf)
open(f"{work}/nginx.conf", "w").write(f"""daemon off;
worker_processes auto;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {work}/body; proxy_temp_path {work}/proxy; fastcgi_temp_path {work}/fastcgi;
  uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
  include {work}/orientir.conf;
}}
""")
PY
  chmod 755 "$work"
  $(command -v nginx || echo /usr/sbin/nginx) -p "$work" -c "$work/nginx.conf" &
  nginx_pid=$!
  for _ in $(seq 100); do (echo >"/dev/tcp/127.0.0.1/$https") 2>/dev/null && break; sleep 0.1; done
  target=https://127.0.0.1:$https
  echo "== through nginx (TLS) in front of $instances instance(s)"
fi
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
  base=$target jar=$work/cookies
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
wrk -t2 -c"$conns" -d"${seconds}s" --latency -s "$script" "$target" -- "$code" "$work/bodies.tsv" "$flow" | tee "$work/wrk"
if [ "$coordinators" -gt 0 ]; then
  wait "$reader"
  echo "== the coordinator's $coordinators connections"
  cat "$work/coordinators"
fi
sleep 1
after=$(count)
acknowledged=$(grep -o "completed questionnaires: [0-9]*" "$work/wrk" | awk '{print $3}')
echo "stored: $((after - before)), acknowledged: $acknowledged"

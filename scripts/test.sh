#!/usr/bin/env bash
# Runs Orientir's whole test suite on a fresh or a prepared Debian machine:
#   prerequisites (idempotent) → the release browser bundle beside the tests' build, both linted by
#   clippy as they compile → PostgreSQL for the storage tests (the local server on 127.0.0.1:5432
#   when it answers, otherwise a private cluster) → every package's tests under cargo-nextest, each
#   storage/HTTP case once on SQLite and once on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/prereqs.sh
site_pid=""
site_log=$(mktemp)
pg_dir=""
cleanup() {
  if [ -n "$site_pid" ]; then kill "$site_pid" 2>/dev/null || true; fi
  rm -f "$site_log"
  if [ -n "$pg_dir" ]; then
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
}
trap cleanup EXIT

# Clippy lints every workspace crate as it compiles, warnings denied: clippy-driver is the
# workspace's compiler wrapper (as `cargo clippy` makes it), so the bundles and the tests below are
# the lint run too, and no separate check pass compiles the dependencies once more.
# ORIENTIR_TEST_NO_LINT=1 leaves it out (then `cargo nextest` reuses a plain build).
if [ -z "${ORIENTIR_TEST_NO_LINT:-}" ]; then
  export RUSTC_WORKSPACE_WRAPPER="${CARGO_HOME:-$HOME/.cargo}/bin/clippy-driver"
  export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
fi

# The browser bundle every test serves is the optimized one users get (tests/src/lib.rs `site`):
# built beside the tests' own build (its link-time optimization and wasm-opt run mostly on one
# core; cargo locks each profile's own folder, so the two builds do not wait for each other).
ORIENTIR_SITE_OUT=target/site-release scripts/build.sh --release --site-only >"$site_log" 2>&1 &
site_pid=$!

if [ -z "${ORIENTIR_TEST_POSTGRES_URL:-}" ]; then
  # ORIENTIR_TEST_PRIVATE_PG=1 takes the private-cluster route even where a server runs.
  if [ -z "${ORIENTIR_TEST_PRIVATE_PG:-}" ] &&
    psql "postgres://postgres@127.0.0.1:5432/postgres" -Atqc 'select 1' >/dev/null 2>&1; then
    export ORIENTIR_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:5432/postgres"
  else
    # No server here: a throw-away cluster owned by the postgres user on a high loopback port.
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    pg_dir=$(mktemp -d /tmp/orientir-pg.XXXXXX)
    chown postgres "$pg_dir"
    port=55432
    while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    echo "[test] starting a private PostgreSQL cluster on 127.0.0.1:$port" >&2
    runuser -u postgres -- "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust >/dev/null
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -w -l "$pg_dir/log" \
      -o "-h 127.0.0.1 -p $port -k $pg_dir" start >/dev/null
    export ORIENTIR_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
  fi
fi

# Pages render as deep futures: tests' runtime threads get the 8 MiB stack `orientir` gives its
# own (also set in .cargo/config.toml for a test run by hand).
export RUST_MIN_STACK=8388608
# Every package's tests are built in one cargo invocation, so that their dependencies are resolved
# with one set of features and built once (the server, the crates' unit tests and the integration
# tests built apart compiled Leptos, axum, sqlx, the app and the server three times over); the
# benchmarks too, so that clippy reads them (naming one kind of target builds only the kinds named,
# hence all four). The server's own tests build `target/debug/orientir`, which the CLI and
# two-instance tests run.
cargo nextest run -p surveys -p app -p server -p tests --lib --bins --tests --benches --no-run
if ! wait "$site_pid"; then
  cat "$site_log" >&2
  echo "[test] the browser bundle did not build" >&2
  exit 1
fi
site_pid=""
# Then run, nothing left to build: the integration tests start a whole Orientir per test, each in
# a process of its own and several at once (.config/nextest.toml); each request has a deadline and
# each test a time limit. (nextest runs no doc-tests; the crates have none.)
cargo nextest run -p surveys -p app -p server -p tests --no-tests=fail "$@"

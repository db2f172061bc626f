#!/usr/bin/env bash
# Installs what building and testing Orientir needs on a fresh Debian machine. Idempotent: every
# step is skipped when its tool is already present, so CI can call it on every run.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

log() { printf '[prereqs] %s\n' "$*" >&2; }

# Debian packages, gathered first and installed with one `apt-get update`:
# - the browser and its driver for browser tests (and curl);
# - brotli: the release bundle is compressed once at build time, not on every request;
# - a real SMTP server for the mail tests (Python's aiosmtpd, run by the tests on a free port);
# - pg_dump and pg_restore: `orientir backup` and `restore` on PostgreSQL, and their tests;
# - nginx and openssl: the test of two instances behind a TLS proxy (nginx is started by that
#   test with a configuration of its own; the package's own service is not started on install);
# - PostgreSQL's server binaries for a private test cluster on machines where none is installed.
packages=()
{ command -v chromium && command -v chromedriver && command -v curl; } >/dev/null || packages+=(chromium chromium-driver curl)
command -v brotli >/dev/null || packages+=(brotli)
command -v aiosmtpd >/dev/null || packages+=(python3-aiosmtpd)
{ command -v pg_dump && command -v pg_restore; } >/dev/null || packages+=(postgresql-client)
{ command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; } || packages+=(nginx)
command -v openssl >/dev/null || packages+=(openssl)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || packages+=(postgresql)
if [ ${#packages[@]} -gt 0 ]; then
  log "apt-get install ${packages[*]}"
  $SUDO apt-get update -qq
  # No package's own service is started on install (nginx's or PostgreSQL's would take ports).
  blocker=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    blocker=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  if [ -n "$blocker" ]; then $SUDO rm -f /usr/sbin/policy-rc.d; fi
fi

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
# cargo-nextest runs the integration tests, a process per test (machines of this kind have it).
if ! cargo nextest --version >/dev/null 2>&1; then
  log "cargo install cargo-nextest (a few minutes, once)"
  cargo install cargo-nextest --locked
fi
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy

# wasm-bindgen-cli must match the wasm-bindgen crate exactly. Its published lock file pins a
# webpki-roots release the registry no longer has, so build it from a copy with that one pin moved.
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --locked >/dev/null 2>&1 || true
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
    src=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/wasm-bindgen-cli-"$WASM_BINDGEN_VERSION" | head -n 1)
    tmp=$(mktemp -d)
    cp -r "$src" "$tmp/cli"
    (cd "$tmp/cli" && cargo update -p webpki-roots --precise 1.0.10 && cargo install --path . --locked)
    rm -rf "$tmp"
  fi
fi
# From npm, pinned by their package-lock.json files: axe-core for the accessibility checks of the
# browser tests, and for release builds binaryen's wasm-opt (Debian's binaryen 108 produces wasm
# that fails to start with wasm-bindgen 0.2.130) and terser, which minifies the JavaScript.
for dir in tests tools; do
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
    command -v npm >/dev/null || { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq npm >/dev/null; }
    log "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund >/dev/null && touch node_modules)
  fi
done
log "ready: $(wasm-bindgen --version), $(chromium --version 2>/dev/null | head -n1)"

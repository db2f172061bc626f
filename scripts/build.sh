#!/usr/bin/env bash
# Builds Orientir: the browser bundle (wasm → wasm-bindgen → wasm-opt in release → site/pkg with
# the CSS) and the `orientir` server binary. Usage: scripts/build.sh [--release]
# Same layout as `cargo leptos build`, without needing cargo-leptos or network downloads.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=debug
cargo_profile=()
wasm_profile=()
if [ "${1:-}" = "--release" ]; then
  profile=release
  cargo_profile=(--release)
  wasm_profile=(--profile wasm-release)
fi

site=target/site
pkg=$site/pkg
mkdir -p "$pkg"

cargo build -p frontend --lib --target wasm32-unknown-unknown "${wasm_profile[@]}"
wasm_dir=target/wasm32-unknown-unknown/$([ "$profile" = release ] && echo wasm-release || echo debug)
wasm-bindgen --target web --no-typescript --out-dir "$pkg" --out-name orientir "$wasm_dir/frontend.wasm"
# Leptos asks for `<output-name>.wasm` when the output name is fixed at compile time.
mv -f "$pkg/orientir_bg.wasm" "$pkg/orientir.wasm"
if [ "$profile" = release ]; then
  tools/node_modules/.bin/wasm-opt -Oz --enable-reference-types --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-multivalue \
    "$pkg/orientir.wasm" -o "$pkg/orientir.wasm"
fi
cp style/main.css "$pkg/orientir.css"

cargo build -p server --bin orientir "${cargo_profile[@]}"
echo "built: target/$profile/orientir and $site" >&2

#!/usr/bin/env bash
# Builds Orientir: the browser bundle (wasm → wasm-bindgen → wasm-opt and minified JavaScript in
# release → site/pkg with the CSS and the islands' loader) and the `orientir` server binary.
# Usage: scripts/build.sh [--release] [--site-only]
#   --site-only builds the browser bundle alone; ORIENTIR_SITE_OUT sets where it goes
#   (default target/site; the tests check the release bundle in target/site-release).
# Same layout as `cargo leptos build`, without needing cargo-leptos or network downloads.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=debug
cargo_profile=()
wasm_profile=()
site_only=false
for arg in "$@"; do
  case "$arg" in
    --release)
      profile=release
      cargo_profile=(--release)
      wasm_profile=(--profile wasm-release)
      ;;
    --site-only) site_only=true ;;
    *) echo "unknown option $arg (--release, --site-only)" >&2; exit 2 ;;
  esac
done

site=${ORIENTIR_SITE_OUT:-target/site}
pkg=$site/pkg
mkdir -p "$pkg"

wasm_dir=target/wasm32-unknown-unknown/$([ "$profile" = release ] && echo wasm-release || echo debug)
# Two bundles: the whole app (`orientir`) and the respondents' pages alone (`respondent`, the
# frontend's `respondent` feature), which is all a respondent downloads.
for bundle in orientir respondent; do
  features=()
  [ "$bundle" = respondent ] && features=(--features respondent)
  cargo build -p frontend --lib --target wasm32-unknown-unknown "${wasm_profile[@]}" "${features[@]}"
  wasm-bindgen --target web --no-typescript --out-dir "$pkg" --out-name "$bundle" "$wasm_dir/frontend.wasm"
  # Leptos asks for `<output-name>.wasm` when the output name is fixed at compile time.
  mv -f "$pkg/${bundle}_bg.wasm" "$pkg/$bundle.wasm"
  if [ "$profile" = release ]; then
    # Every kilobyte of the respondents' bundle is downloaded on a slow line: it gets the passes
    # that shave a little more off (seconds on its size, minutes on the whole app's).
    passes=(-Oz)
    [ "$bundle" = respondent ] && passes=(--flatten --rereloop -Oz -Oz)
    tools/node_modules/.bin/wasm-opt "${passes[@]}" --enable-reference-types --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-multivalue \
      "$pkg/$bundle.wasm" -o "$pkg/$bundle.wasm"
    tools/node_modules/.bin/terser "$pkg/$bundle.js" --module --compress --mangle -o "$pkg/$bundle.js"
  fi
done
cp style/main.css "$pkg/orientir.css"
cp style/work.css "$pkg/work.css"
cp frontend/islands.js "$pkg/islands.js"
if [ "$profile" = release ]; then
  tools/node_modules/.bin/terser "$pkg/islands.js" --module --compress --mangle -o "$pkg/islands.js"
  python3 scripts/minify_css.py "$pkg/orientir.css"
  python3 scripts/minify_css.py "$pkg/work.css"
fi
# The release bundle goes out precompressed (served as is by the server); a debug bundle is
# compressed on the fly.
rm -f "$pkg"/*.br "$pkg"/*.gz
files=("$pkg"/orientir.js "$pkg"/orientir.wasm "$pkg"/respondent.js "$pkg"/respondent.wasm "$pkg"/orientir.css "$pkg"/work.css "$pkg"/islands.js)
if [ "$profile" = release ]; then
  for file in "${files[@]}"; do
    gzip -9 -k -f "$file"
    brotli -q 11 -f -o "$file.br" "$file"
  done
fi
# The same files under a folder named after their content (`pkg/<hash>/`), which the pages link
# to and browsers may keep for a year: a new build is a new address. `bundle.txt` (outside
# `pkg/`, not served) tells the server the folder's name.
find "$pkg" -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +
hash=$(cat "${files[@]}" | sha256sum | cut -c1-16)
mkdir -p "$pkg/$hash"
cp "$pkg"/orientir.* "$pkg"/work.* "$pkg"/respondent.* "$pkg"/islands.* "$pkg/$hash/"
echo "$hash" > "$site/bundle.txt"
if $site_only; then
  echo "built: $site" >&2
  exit 0
fi

cargo build -p server --bin orientir "${cargo_profile[@]}"
echo "built: target/$profile/orientir and $site" >&2

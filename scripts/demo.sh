#!/usr/bin/env bash
# Builds Orientir and starts it with the demo region on SQLite (./data/orientir.db).
# Extra arguments go to `orientir demo`, e.g. `scripts/demo.sh --addr 0.0.0.0:3000`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prereqs.sh
scripts/build.sh
exec target/debug/orientir demo "$@"

#!/usr/bin/env bash
# Installs what is missing (scripts/setup.sh), then serves Quorum with live rebuild at
# http://127.0.0.1:8080 (a dev build; trunk rebuilds when src/ changes).
# Extra arguments go to trunk, e.g. `bash scripts/serve.sh --release` for an optimized build.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash scripts/setup.sh

if [[ -d "$HOME/.cargo/bin" && ":$PATH:" != *":$HOME/.cargo/bin:"* ]]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi
# A --release build runs wasm-opt, which trunk cannot download offline: use binaryen@132 from npm.
export PATH="$ROOT/e2e/node_modules/.bin:$PATH"

echo "[serve] http://127.0.0.1:8080  (Ctrl-C to stop)"
exec trunk serve --offline --address 127.0.0.1 --port 8080 "$@"

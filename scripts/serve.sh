#!/usr/bin/env bash
# Installs what is missing (scripts/setup.sh), then serves Quorum with live rebuild at
# http://127.0.0.1:8080 (a dev build; trunk rebuilds when src/ changes).
# Extra arguments go to trunk, e.g. `bash scripts/serve.sh --release` for a release build.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash scripts/setup.sh

if [[ -d "$HOME/.cargo/bin" && ":$PATH:" != *":$HOME/.cargo/bin:"* ]]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi
# index.html sets data-wasm-opt="0" (trunk would try to download wasm-opt), so even a --release
# build here is not run through wasm-opt; scripts/test.sh optimizes the build it tests.

echo "[serve] http://127.0.0.1:8080  (Ctrl-C to stop)"
exec trunk serve --offline --address 127.0.0.1 --port 8080 "$@"

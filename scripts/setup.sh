#!/usr/bin/env bash
# Installs what Quorum's build and tests need, and only what is missing:
#   - the wasm32-unknown-unknown target, rustfmt and clippy (rustup)
#   - trunk 0.21.14 (cargo install --locked)
#   - the wasm-bindgen CLI of exactly the version in Cargo.lock (cargo install, not --locked)
#   - Chromium at /usr/bin/chromium (apt)
#   - playwright-core, binaryen (wasm-opt) and terser (the JS glue) in e2e/node_modules (npm ci)
# Safe to run again and again: everything already present is detected and skipped.
# Prints how long each step took.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TRUNK_VERSION="0.21.14"

if [[ -d "$HOME/.cargo/bin" && ":$PATH:" != *":$HOME/.cargo/bin:"* ]]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi

log() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

now() { printf '%s' "${EPOCHREALTIME/,/.}"; }

SUMMARY=()
STEP_NAME=""
STEP_START=""
STEP_RESULT=""
begin() { STEP_NAME="$1"; STEP_START="$(now)"; STEP_RESULT="present"; }
end() {
  local secs
  secs="$(awk -v a="$STEP_START" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')"
  SUMMARY+=("$(printf '%-26s %-10s %7ss' "$STEP_NAME" "$STEP_RESULT" "$secs")")
}
TOTAL_START="$(now)"

command -v cargo >/dev/null || die "cargo not found (install Rust with rustup first)"
command -v rustup >/dev/null || die "rustup not found"

# --- Rust target and components -------------------------------------------------------------
begin "rust target+components"
installed_targets="$(rustup target list --installed)"
if ! grep -qx 'wasm32-unknown-unknown' <<<"$installed_targets"; then
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
  STEP_RESULT="installed"
fi
installed_components="$(rustup component list --installed)"
for component in rustfmt clippy; do
  if ! grep -q "^${component}-" <<<"$installed_components"; then
    log "rustup component add $component"
    rustup component add "$component"
    STEP_RESULT="installed"
  fi
done
end

# --- trunk ----------------------------------------------------------------------------------
begin "trunk $TRUNK_VERSION"
have_trunk="$(trunk --version 2>/dev/null || true)"
if [[ "$have_trunk" != "trunk $TRUNK_VERSION" ]]; then
  log "trunk is '${have_trunk:-missing}'; cargo install --locked trunk@$TRUNK_VERSION (about 10 minutes on 2 cores)"
  cargo install --locked "trunk@$TRUNK_VERSION"
  STEP_RESULT="installed"
fi
end

# --- wasm-bindgen CLI, same version as the wasm-bindgen crate in Cargo.lock -------------------
begin "wasm-bindgen-cli"
if [[ ! -f Cargo.lock ]]; then
  log "no Cargo.lock; cargo generate-lockfile"
  cargo generate-lockfile
fi
WASM_BINDGEN_VERSION="$(awk '
  /^\[\[package\]\]/ { in_wb = 0 }
  /^name = "wasm-bindgen"$/ { in_wb = 1; next }
  in_wb && /^version = / { gsub(/"/, "", $3); print $3; exit }
' Cargo.lock)"
[[ -n "$WASM_BINDGEN_VERSION" ]] || die "could not find the wasm-bindgen version in Cargo.lock"
STEP_NAME="wasm-bindgen-cli $WASM_BINDGEN_VERSION"
have_wb="$(wasm-bindgen --version 2>/dev/null || true)"
if [[ "$have_wb" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
  # Not --locked: the CLI's own lock file pins a webpki-roots the registry here lacks.
  log "wasm-bindgen is '${have_wb:-missing}'; cargo install wasm-bindgen-cli@$WASM_BINDGEN_VERSION (about 7 minutes)"
  cargo install "wasm-bindgen-cli@$WASM_BINDGEN_VERSION"
  STEP_RESULT="installed"
fi
end

# --- Chromium -------------------------------------------------------------------------------
APT_UPDATED=0
apt_install() {
  if [[ "$APT_UPDATED" == 0 ]]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -q
    APT_UPDATED=1
  fi
  log "apt-get install -y $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
}

begin "chromium"
if [[ ! -x /usr/bin/chromium ]]; then
  apt_install chromium
  STEP_RESULT="installed"
fi
end

# --- Node.js and the e2e npm packages ---------------------------------------------------------
begin "node"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  apt_install nodejs npm
  STEP_RESULT="installed"
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
(( node_major >= 20 )) || die "node $(node --version) is too old; the browser tests need node >= 20"
end

begin "npm ci (e2e)"
STAMP="e2e/node_modules/.quorum-lock.sha256"
lock_sum="$(sha256sum e2e/package-lock.json | cut -d' ' -f1)"
if [[ ! -f "$STAMP" || "$(cat "$STAMP")" != "$lock_sum" \
      || ! -x e2e/node_modules/.bin/wasm-opt || ! -x e2e/node_modules/.bin/terser || ! -d e2e/node_modules/playwright-core ]]; then
  log "e2e/node_modules is missing or older than e2e/package-lock.json; npm ci"
  (cd e2e && npm ci --no-audit --no-fund --loglevel=error)
  printf '%s\n' "$lock_sum" >"$STAMP"
  STEP_RESULT="installed"
fi
end

# --- summary --------------------------------------------------------------------------------
total="$(awk -v a="$TOTAL_START" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')"
log "summary (step, result, time):"
for line in "${SUMMARY[@]}"; do
  printf '[setup]   %s\n' "$line"
done
log "total ${total}s"

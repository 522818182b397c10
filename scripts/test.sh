#!/usr/bin/env bash
# Everything CI checks, in order; stops at the first failure with a non-zero exit:
#   setup -> rustfmt -> clippy (host, wasm32) -> cargo test -> trunk release build
#   -> wasm-opt -Oz (+ seal: digests, bundle addresses) -> page weight budget
#   -> browser tests (node --test + playwright-core + Chromium)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash scripts/setup.sh

if [[ -d "$HOME/.cargo/bin" && ":$PATH:" != *":$HOME/.cargo/bin:"* ]]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi
# binaryen's wasm-opt (npm binaryen@132), which the wasm-opt step below runs; trunk itself does
# not (index.html sets data-wasm-opt="0", since offline it cannot download one).
export PATH="$ROOT/e2e/node_modules/.bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# Where the release build goes and what the browser tests serve (dist/ unless overridden,
# e.g. QUORUM_DIST=/tmp/quorum-dist while a `trunk serve` is writing dist/).
DIST="$(realpath -m "${QUORUM_DIST:-$ROOT/dist}")"
export QUORUM_DIST="$DIST"

# Flattening and re-looping the control flow before two -Oz passes run to a fixed point takes
# about 4 KB gzipped more off each page than one -Oz (measured 2026-12-02), for some 20 s a bundle.
WASM_OPT_FLAGS=(--low-memory-unused --flatten --rereloop -Oz -Oz --converge
  --enable-bulk-memory --enable-reference-types --enable-multivalue
  --enable-nontrapping-float-to-int --enable-sign-ext)

now() { printf '%s' "${EPOCHREALTIME/,/.}"; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

SUMMARY=()
CURRENT=""
STEP_START=""
TOTAL_START="$(now)"
step() {
  CURRENT="$1"
  STEP_START="$(now)"
  printf '\n==> %s\n' "$CURRENT"
}
done_step() {
  SUMMARY+=("$(printf '%-34s %7ss' "$CURRENT" "$(elapsed "$STEP_START")")")
  CURRENT=""
}
on_exit() {
  local rc=$?
  if [[ $rc -ne 0 && -n "$CURRENT" ]]; then
    printf '\n[test] FAILED at step: %s (exit %s)\n' "$CURRENT" "$rc" >&2
  fi
}
trap on_exit EXIT

step "cargo fmt --check"
cargo fmt --all -- --check
done_step

step "cargo clippy (host)"
cargo clippy --workspace --all-targets -- -D warnings
done_step

step "cargo clippy (wasm32)"
cargo clippy --target wasm32-unknown-unknown -p quorum -- -D warnings
done_step

step "cargo test --workspace"
cargo test --workspace
done_step

step "trunk build --release --offline"
trunk build --release --offline --dist "$DIST"
done_step

step "wasm-opt -Oz, terser + seal"
shopt -s nullglob
wasm_files=("$DIST"/*.wasm)
shopt -u nullglob
if [[ ${#wasm_files[@]} -eq 0 ]]; then
  echo "[test] no .wasm in $DIST/" >&2
  exit 1
fi
size_of() { wc -c <"$1" | tr -d ' '; }
gz_size_of() { gzip -9 -c "$1" | wc -c | tr -d ' '; }
# One bundle per core at a time (wasm-opt is single-threaded for these passes): on two cores the
# five bundles take about half as long as one after another.
JOBS="$(nproc 2>/dev/null || echo 2)"
optimize() {
  local WASM="$1" before_raw
  before_raw="$(size_of "$WASM")"
  wasm-opt "${WASM_OPT_FLAGS[@]}" "$WASM" -o "$WASM.opt" || return 1
  mv "$WASM.opt" "$WASM" || return 1
  printf '[test] %s: %s bytes as trunk built it, %s after wasm-opt (%s gzipped)\n' \
    "$(basename "$WASM")" "$before_raw" "$(size_of "$WASM")" "$(gz_size_of "$WASM")"
}
rm -f "$DIST/.wasm-opt-failed"
for WASM in "${wasm_files[@]}"; do
  while (( $(jobs -rp | wc -l) >= JOBS )); do wait -n || true; done
  { optimize "$WASM" || touch "$DIST/.wasm-opt-failed"; } &
done
wait
if [[ -e "$DIST/.wasm-opt-failed" ]]; then
  echo "[test] wasm-opt failed" >&2
  exit 1
fi
# The bundles' JS glue (wasm-bindgen's, which Trunk leaves as it is for a worker-type bundle),
# minified: about 2 KB gzipped of each page.
for JS in "$DIST"/quorum-*.js; do
  terser "$JS" --module --compress --mangle -o "$JS.min"
  mv "$JS.min" "$JS"
done
# The wasm and JS changed after trunk hashed them: index.html's digests and the bundles' addresses follow.
node scripts/seal.mjs "$DIST"
done_step

step "page weight budget"
node scripts/budget.mjs "$DIST" | tee "$DIST/.budget.txt"
done_step

step "build trace_hash example (host)"
cargo build --release -p quorum-sim --example trace_hash
done_step

step "browser tests (e2e)"
E2E_LOG="$(mktemp)"
set +e
(cd e2e && node --test --test-concurrency=1 --test-reporter=spec tests/) 2>&1 | tee "$E2E_LOG"
e2e_rc=${PIPESTATUS[0]}
set -e
e2e_pass="$(sed -n 's/^ℹ pass \([0-9]*\)$/\1/p' "$E2E_LOG" | tail -1)"
e2e_fail="$(sed -n 's/^ℹ fail \([0-9]*\)$/\1/p' "$E2E_LOG" | tail -1)"
rm -f "$E2E_LOG"
if [[ $e2e_rc -ne 0 ]]; then
  echo "[test] browser tests failed (screenshots and logs of failures: e2e/artifacts/)" >&2
  exit "$e2e_rc"
fi
done_step

printf '\n[test] summary (step, time):\n'
for line in "${SUMMARY[@]}"; do printf '[test]   %s\n' "$line"; done
sed 's/^/[test] /' "$DIST/.budget.txt"
printf '[test] total %ss\n' "$(elapsed "$TOTAL_START")"
printf 'browser-tests: %s passed, %s failed\n' "${e2e_pass:-?}" "${e2e_fail:-?}"

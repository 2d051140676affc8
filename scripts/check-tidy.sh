#!/usr/bin/env bash
# Runs clang-tidy with the tree's .clang-tidy (every warning an error) over every translation
# unit of ours in <build>/compile_commands.json, and fails if any file has a diagnostic.
# Run by .ci/run. Usage: scripts/check-tidy.sh [build-dir] [file-regex]
# (default: build-tidy, every source under src/, tests/ and bench/; the generated data source is
# left out). The build dir is configured here if needed: tidy parses, it never builds anything
# (the one generated header is written at configure time).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build-tidy}"
regex="${2:-^$root/(src|tests|bench)/}"
if [[ ! -f "$build/compile_commands.json" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
log="$build/clang-tidy.log"
status=0
run-clang-tidy -p "$build" -j "${LLMTAP_JOBS:-2}" -quiet "$regex" >"$log" 2>&1 || status=$?
# Keep the diagnostics, drop run-clang-tidy's command echo, the per-file tallies and the colour
# codes it always asks for.
noise='^(clang-tidy-?[0-9]* |[0-9]+ warnings? (and [0-9]+ errors? )?generated'
noise+='|Suppressed [0-9]+ warnings|Use -header-filter|Error while processing)'
sed -E 's/\x1b\[[0-9;]*m//g' "$log" | grep -v -E "$noise" >&2 || true
if ((status != 0)); then
  echo "check-tidy: clang-tidy found problems (full log: $log)" >&2
  exit 1
fi
echo "check-tidy: clean" >&2

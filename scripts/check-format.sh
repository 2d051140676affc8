#!/usr/bin/env bash
# Fails when a tracked C++ file (*.h, *.cc) differs from what clang-format makes of it with the
# tree's .clang-format, and lists those files. Run by .ci/run.
# Usage: scripts/check-format.sh [-v] [file ...]   (default: every tracked file; -v prints each
# offending line as clang-format reports it). To fix a file: `clang-format -i <file>`.
set -euo pipefail
cd "$(dirname "$0")/.."
verbose=0
if [[ "${1:-}" == "-v" ]]; then
  verbose=1
  shift
fi
if (($# > 0)); then
  files=("$@")
else
  mapfile -t files < <(git ls-files '*.h' '*.cc')
fi
bad=()
for f in "${files[@]}"; do
  if ! report="$(clang-format --dry-run --Werror "$f" 2>&1)"; then
    bad+=("$f")
    ((verbose)) && echo "$report" >&2
  fi
done
if ((${#bad[@]} > 0)); then
  echo "check-format: ${#bad[@]} of ${#files[@]} files need clang-format -i:" >&2
  printf '  %s\n' "${bad[@]}" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files formatted" >&2

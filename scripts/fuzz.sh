#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang + ASan + UBSan and runs each for a bounded
# time from its seed corpus. Usage: scripts/fuzz.sh [build-dir] [seconds-per-target]
# LLMTAP_FUZZ_TARGETS="a_fuzz b_fuzz" builds and runs only those (default: every target).
# Exits non-zero when a target finds a crash, a leak or undefined behaviour (the reproducer is
# left in the build dir as crash-* / leak-* / timeout-*).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# Absolute, since each target runs from inside it (a relative path would be resolved twice).
build="${1:-$root/build-fuzz}"
mkdir -p "$build"
build="$(cd "$build" && pwd)"
seconds="${2:-20}"
targets=(config_loader_fuzz request_parser_fuzz record_builder_fuzz sink_decoder_fuzz anthropic_stream_fuzz
  gemini_stream_fuzz cohere_stream_fuzz bedrock_stream_fuzz bedrock_eventstream_fuzz)
if [[ -n "${LLMTAP_FUZZ_TARGETS:-}" ]]; then
  read -r -a targets <<<"$LLMTAP_FUZZ_TARGETS"
fi

# Warnings are gcc's business (-Werror there); clang's extra ones must not stop the fuzz build.
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DLLMTAP_FUZZ=ON -DLLMTAP_WERROR=OFF -DLLMTAP_BUILD_TESTS=OFF -DLLMTAP_BUILD_BENCH=OFF >/dev/null
ninja -C "$build" -j"${LLMTAP_JOBS:-2}" "${targets[@]}"

status=0
for target in "${targets[@]}"; do
  name="${target%_fuzz}"
  corpus="$build/corpus/$name"
  mkdir -p "$corpus"
  echo "fuzz: $target for ${seconds}s" >&2
  # The seed corpus is read-only input; new finds go to the build dir's corpus.
  if ! (cd "$build" && "./tests/fuzz/$target" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 "$corpus" "$root/tests/fuzz/corpus/$name" 2>"$build/$target.log"); then
    echo "fuzz: $target FAILED; see $build/$target.log" >&2
    tail -40 "$build/$target.log" >&2
    status=1
  else
    grep -E "stat::number_of_executed_units|Done " "$build/$target.log" | tail -2 >&2 || true
  fi
done
exit $status

#!/usr/bin/env bash
# Builds the benchmarks in a Release tree and runs all of them (`make bench` calls this):
# the Google Benchmark micro-benchmarks (median of 5 repetitions each), then bench/gateway.sh.
#
#   bench/run.sh [BUILD_DIR]     default build-bench; MICRO_ONLY=1 / GATEWAY_ONLY=1 to run one half
#
# Nothing here runs under ctest. About 4 minutes in all on a 2-core machine.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:-$ROOT/build-bench}
[[ $BUILD == /* ]] || BUILD=$ROOT/$BUILD

cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
ninja -C "$BUILD" -j2 llmtap llmtap_benchmarks

if [[ ${GATEWAY_ONLY:-0} != 1 ]]; then
  for b in record_builder_benchmark translation_benchmark bedrock_eventstream_benchmark delivery_benchmark \
    dispatch_benchmark sigv4_benchmark router_benchmark handler_benchmark; do
    echo "== $b"
    "$BUILD/bench/$b" --benchmark_min_time=0.2 --benchmark_repetitions=5 \
      --benchmark_report_aggregates_only=true --benchmark_display_aggregates_only=true 2>&1 |
      grep -v '_mean\|_stddev' || true
  done
fi
if [[ ${MICRO_ONLY:-0} != 1 ]]; then
  echo "== gateway.sh"
  bash "$ROOT/bench/gateway.sh" "$BUILD"
fi

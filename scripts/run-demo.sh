#!/usr/bin/env bash
# `make run`: a local log receiver (llmtap sink) in the background and llmtap in the foreground on
# examples/config.yaml, plus one demo request so a newcomer sees a record arrive. Ctrl-C stops both.
set -euo pipefail
llmtap=${1:-build/llmtap}
config=examples/config.yaml
gateway_port=${LLMTAP_PORT:-4000}
sink_port=${LLMTAP_SINK_PORT:-4001}

"$llmtap" sink --host 127.0.0.1 --port "$sink_port" &
sink_pid=$!
cleanup() { kill "$sink_pid" 2>/dev/null || true; wait "$sink_pid" 2>/dev/null || true; }
trap cleanup EXIT

cat <<MSG

  llmtap on http://127.0.0.1:${gateway_port}, logging every call to the sink on port ${sink_port}.
  Try:
    curl -s http://127.0.0.1:${gateway_port}/v1/chat/completions \\
      -H 'Authorization: Bearer sk-1234' -H 'Content-Type: application/json' \\
      -d '{"model":"gpt-3.5-turbo","messages":[{"role":"user","content":"Hello"}]}'
  Each call's record appears below within a second ([sink] lines). Ctrl-C stops both.

MSG

# One demo call once the gateway answers, in the background.
(
  for _ in $(seq 1 50); do
    if curl -sf "http://127.0.0.1:${gateway_port}/health/liveliness" >/dev/null 2>&1; then
      curl -s "http://127.0.0.1:${gateway_port}/v1/chat/completions" \
        -H 'Authorization: Bearer sk-1234' -H 'Content-Type: application/json' \
        -d '{"model":"gpt-3.5-turbo","messages":[{"role":"user","content":"Hello from make run"}]}' \
        >/dev/null
      exit 0
    fi
    sleep 0.2
  done
) &

"$llmtap" --config "$config" --host 127.0.0.1 --port "$gateway_port"

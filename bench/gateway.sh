#!/usr/bin/env bash
# End-to-end benchmark (docs/PERFORMANCE.md, "Targets"), one command, everything on 127.0.0.1, everything it starts is
# stopped on exit, bounded in time (about 3 minutes with the defaults):
#
#   bench/gateway.sh [BUILD_DIR]          (default BUILD_DIR: build-bench; needs nginx and wrk:
#                                          LLMTAP_BENCH_DEPS=1 bash scripts/install-deps.sh)
#
# Pieces: nginx "upstream" (a fixed chat completion for any POST), nginx "proxy" (proxy_pass to the
# upstream, keep-alive: the baseline proxy), llmtap in front of the same upstream with an ndjson
# generic_api callback to nginx "receiver" (204 for every POST), and wrk. Servers run on core 0,
# load generators on core 1 (taskset), each server with one worker / thread; the receiver, a
# stand-in for a remote log platform, shares core 1 during the gateway runs (RECEIVER_CPU below).
#
# Reports, all from this one run (the machine is shared, so only ratios to baselines measured
# minutes apart in the same run mean anything):
#   1. requests/s at saturation (wrk -t1 -c$CONNS): direct, nginx proxy, llmtap; CPU µs/request
#      of the process under test, and of the whole server core (softirq included) with its busy %
#   2. latency p50/p99 at concurrency 1 (wrk -t1 -c1): direct, nginx proxy, llmtap; added latency
#   3. records delivered by llmtap's callback vs requests llmtap served (after a drain)
#   4. llmtap RSS: idle after start, idle after the first calls, after the load, peak (VmHWM);
#      and the memory a queued record holds (a second llmtap whose callback endpoint is down)
#   5. logger throughput (bench/logger_throughput through a real Dispatcher) per format vs wrk
#      posting same-sized bodies to the same receiver
#   6. whether `stream: true` is served
#   7. translation (TRANSLATION=1): req/s and llmtap CPU µs/request of an anthropic/ deployment
#      (nginx answering /v1/messages with a fixed Anthropic Messages answer) against an openai/
#      one (the same answer as a chat.completion), alternating, and the difference per request
#
# Knobs (environment): DURATION (s per wrk run, 8), ROUNDS (3; the median is reported), CONNS (32),
# RECORDS (logger records per format, 200000), OUT (also write the report to this file),
# PROFILE=FILE (perf-sample llmtap during its first saturation run, flat profile to FILE),
# TTFT_SAMPLES (300 curl calls), FIRST_BYTE_REQUESTS (5000 per kept-alive run), TRANSLATION (1: run
# part 7, 0: skip it), TRANSLATION_DURATION (s per wrk run of part 7, 4; ROUNDS rounds), ONLY
# (translation: start the servers, run part 7 alone and report it, ~30 s).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:-$ROOT/build-bench}
[[ $BUILD == /* ]] || BUILD=$ROOT/$BUILD
LLMTAP=$BUILD/llmtap
LOGGER=$BUILD/bench/logger_throughput
FIRST_BYTE=$BUILD/bench/first_byte
DURATION=${DURATION:-8}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-32}
RECORDS=${RECORDS:-200000}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
# The callback's receiver stands for a remote log platform: during the gateway runs it shares the
# load generator's core, so llmtap's core carries llmtap's work (encoding and sending batches)
# and not the receiver's too. For the logger-throughput runs it moves to the server core, where
# logger_throughput and wrk find it alike. RECEIVER_CPU=0 puts it on the server core throughout.
RECEIVER_CPU=${RECEIVER_CPU:-$LOAD_CPU}
OUT=${OUT:-}
PROFILE=${PROFILE:-}
TRANSLATION=${TRANSLATION:-1}
TRANSLATION_DURATION=${TRANSLATION_DURATION:-4}
ONLY=${ONLY:-}
[[ -z $ONLY || $ONLY == translation ]] || { echo "gateway.sh: ONLY must be empty or 'translation'" >&2; exit 2; }
[[ $ONLY != translation ]] || TRANSLATION=1

for tool in nginx wrk taskset curl python3; do
  command -v "$tool" >/dev/null || { echo "gateway.sh: $tool not found (LLMTAP_BENCH_DEPS=1 bash scripts/install-deps.sh)" >&2; exit 2; }
done
BINS=("$LLMTAP" "$LOGGER" "$FIRST_BYTE")
[[ $ONLY == translation ]] && BINS=("$LLMTAP")  # part 7 needs only the gateway
for bin in "${BINS[@]}"; do
  [[ -x $bin ]] || { echo "gateway.sh: $bin missing (ninja -C $BUILD llmtap logger_throughput)" >&2; exit 2; }
done

WORK=$(mktemp -d /tmp/llmtap-bench.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Free ports, chosen by the kernel (bound and released at once; the race is harmless here).
# P_DOWN is left closed: the queued-memory probe's callback endpoint, refusing connections.
read -r P_UP P_PROXY P_RECV P_GW P_HOLD P_DOWN < <(python3 -c '
import socket
ss = [socket.socket() for _ in range(6)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])')

CHAT_RESPONSE='{"id":"chatcmpl-bench","object":"chat.completion","created":1741569952,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"Batches are flushed by size or time; failed batches are retried with backoff and full jitter.","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":57,"completion_tokens":17,"total_tokens":74},"system_fingerprint":"fp_bench"}'
# The same answer as Anthropic's Messages API sends it, for the anthropic/ deployment (part 7).
ANTHROPIC_RESPONSE='{"id":"msg_bench","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"Batches are flushed by size or time; failed batches are retried with backoff and full jitter."}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":57,"output_tokens":17,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}'
CHAT_REQUEST='{"model":"bench-model","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Summarise in one sentence: log records are batched by size and time, retried with exponential backoff and full jitter, and only leave the queue on a 2xx."}],"temperature":0.2,"max_tokens":64,"user":"bench-user"}'

# nginx_conf NAME LISTEN_PORT LOCATION_BODY [HTTP_EXTRA]
nginx_conf() {
  local name=$1 port=$2 location=$3 extra=${4:-}
  local dir=$WORK/$name
  mkdir -p "$dir/tmp"
  cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
$( [[ $(id -u) -eq 0 ]] && echo "user root;" || true )
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  keepalive_requests 10000000;
  keepalive_timeout 120s;
  client_max_body_size 64m;
  $extra
  server {
    listen 127.0.0.1:$port;
    location / { $location }
  }
}
EOF
}

start_server() {  # start_server NAME CMD...: on the server core (CPU=N: core N), in the background
  local name=$1; shift
  taskset -c "${CPU:-$SERVER_CPU}" "$@" >"$WORK/$name.out" 2>&1 &
  PIDS+=($!)
}

pin_tree() {  # pin_tree PID CORE: the process and its children (an nginx master and its worker)
  local pid
  for pid in "$1" $(pgrep -P "$1" || true); do taskset -a -p -c "$2" "$pid" >/dev/null; done
}

wait_http() {  # wait_http URL: until it answers (any status), at most 10 s
  for _ in $(seq 100); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "gateway.sh: $1 did not come up" >&2
  return 1
}

# A stream (for the time-to-first-token probe) under /stream/, everything else the completion.
CHUNK='{"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"Batches"},"finish_reason":null}]}'
USAGE_CHUNK='{"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":57,"completion_tokens":1,"total_tokens":58}}'
SSE="data: $CHUNK\\n\\ndata: $USAGE_CHUNK\\n\\ndata: [DONE]\\n\\n"
# /v1/messages: the Anthropic answer; /v1/chat/completions: its pass-through twin, spelled out.
nginx_conf upstream "$P_UP" "default_type application/json; return 200 '$CHAT_RESPONSE'; }
    location = /v1/chat/completions { default_type application/json; return 200 '$CHAT_RESPONSE'; }
    location = /v1/messages { default_type application/json; return 200 '$ANTHROPIC_RESPONSE'; }
    location /stream/ { default_type text/event-stream; return 200 '$SSE';"
nginx_conf proxy "$P_PROXY" "proxy_pass http://bench_upstream; proxy_http_version 1.1; proxy_set_header Connection \"\";" \
  "upstream bench_upstream { server 127.0.0.1:$P_UP; keepalive 64; }"
nginx_conf receiver "$P_RECV" "access_log $WORK/receiver/access.log recv; return 204;" \
  "log_format recv '\$request_length';"

cat >"$WORK/config.yaml" <<EOF
model_list:
  - model_name: bench-model
    litellm_params:
      model: openai/gpt-4o-mini
      api_base: http://127.0.0.1:$P_UP/v1
      api_key: sk-upstream-bench
  - model_name: bench-stream
    litellm_params:
      model: openai/gpt-4o-mini
      api_base: http://127.0.0.1:$P_UP/stream/v1
      api_key: sk-upstream-bench
  - model_name: bench-anthropic
    litellm_params:
      model: anthropic/claude-sonnet-4-5
      api_base: http://127.0.0.1:$P_UP
      api_key: sk-ant-upstream-bench
litellm_settings:
  callbacks: ["bench_receiver"]
callback_settings:
  bench_receiver:
    callback_type: generic_api
    endpoint: http://127.0.0.1:$P_RECV/logs
    log_format: ndjson
    batch_size: 100
    flush_interval: 1
general_settings:
  master_key: sk-bench
EOF

for name in upstream proxy; do
  start_server "nginx-$name" nginx -p "$WORK/$name" -c "$WORK/$name/nginx.conf"
done
CPU=$RECEIVER_CPU start_server nginx-receiver nginx -p "$WORK/receiver" -c "$WORK/receiver/nginx.conf"
RECV_PID=${PIDS[-1]}
start_server llmtap "$LLMTAP" --config "$WORK/config.yaml" --host 127.0.0.1 --port "$P_GW" --threads 1
GW_PID=${PIDS[-1]}
wait_http "http://127.0.0.1:$P_UP/"
wait_http "http://127.0.0.1:$P_PROXY/"
wait_http "http://127.0.0.1:$P_RECV/"
wait_http "http://127.0.0.1:$P_GW/health/liveliness"

rss_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
START_RSS_KB=$(rss_kb "$GW_PID" VmRSS)  # before any LLM call: config loaded, listening
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }  # utime + stime of the process
# Busy and total ticks of core N (/proc/stat: busy is all but idle and iowait). A process's own
# utime + stime misses softirq work done on its behalf (the loopback receive side of its writes),
# so the server core's busy time per request is the fuller measure of what a request costs there.
us_per_request() { awk -v d="$1" -v n="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", d / hz * 1e6 / n }'; }  # TICKS REQUESTS
core_ticks() { awk -v c="cpu$1" '$1 == c { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }
nginx_worker() { pgrep -P "$(cat "$WORK/$1/nginx.pid")" | head -1; }
metric() {  # metric NAME_AND_LABELS_PREFIX: sum of matching lines of llmtap's /metrics
  curl -s "http://127.0.0.1:${METRICS_PORT:-$P_GW}/metrics" | awk -v m="$1" 'index($0, m) == 1 { s += $NF } END { printf "%.0f\n", s }'
}

URL_DIRECT="http://127.0.0.1:$P_UP/v1/chat/completions"
URL_PROXY="http://127.0.0.1:$P_PROXY/v1/chat/completions"
URL_GW="http://127.0.0.1:$P_GW/v1/chat/completions"

# Sanity: every path answers the chat completion.
for url in "$URL_DIRECT" "$URL_PROXY" "$URL_GW"; do
  body=$(curl -s -H 'Authorization: Bearer sk-bench' -H 'Content-Type: application/json' -d "$CHAT_REQUEST" "$url")
  [[ $body == *'"chat.completion"'* ]] || { echo "gateway.sh: $url answered: $body" >&2; exit 1; }
done
STREAM_REQUEST=${CHAT_REQUEST/bench-model/bench-stream}
STREAM_REQUEST="${STREAM_REQUEST%\}},\"stream\":true}"
STREAM_STATUS=$(curl -s -o "$WORK/stream.out" -w '%{http_code}' -N -H 'Authorization: Bearer sk-bench' \
  -H 'Content-Type: application/json' -d "$STREAM_REQUEST" "$URL_GW")
IDLE_RSS_KB=$(rss_kb "$GW_PID" VmRSS)

# wrk with a POST body; done() prints one machine-readable line.
cat >"$WORK/post.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-bench"
wrk.body = [[$CHAT_REQUEST]]
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d seconds=%.3f rps=%.1f p50_us=%.1f p99_us=%.1f max_us=%.1f errors=%d non2xx=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.timeout, e.status))
end
EOF

field() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" <<<"$2"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
med() { tr ' ' '\n' <<<"$1" | grep . | median; }
sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a - b }'; }

run_wrk() {  # run_wrk URL CONNS [BODY_LUA]: one RESULT line
  taskset -c "$LOAD_CPU" wrk -t1 -c"$2" -d"${DURATION}s" --latency -s "${3:-$WORK/post.lua}" "$1" | grep '^RESULT'
}

# Part 7, translation: the same call to llmtap, routed to the openai/ deployment (pass-through) and
# to the anthropic/ one (request and answer translated), alternating ROUNDS times; llmtap's own
# CPU per request, so the upstream nginx (the same static answer for both) does not count.
declare -A TR_RPS TR_CPU_US TR_CORE_US TR_ERR
TR_TARGETS=(openai anthropic)
if [[ $TRANSLATION == 1 ]]; then
  ANTHROPIC_REQUEST=${CHAT_REQUEST/bench-model/bench-anthropic}
  body=$(curl -s -H 'Authorization: Bearer sk-bench' -H 'Content-Type: application/json' -d "$ANTHROPIC_REQUEST" "$URL_GW")
  [[ $body == *'"chat.completion"'* ]] || { echo "gateway.sh: the anthropic/ deployment answered: $body" >&2; exit 1; }
  sed "s/\"model\":\"bench-model\"/\"model\":\"bench-anthropic\"/" "$WORK/post.lua" >"$WORK/post-anthropic.lua"
  declare -A TR_LUA=([openai]=$WORK/post.lua [anthropic]=$WORK/post-anthropic.lua)
  echo "gateway.sh: translation warm-up" >&2
  for t in "${TR_TARGETS[@]}"; do DURATION=1 run_wrk "$URL_GW" "$CONNS" "${TR_LUA[$t]}" >/dev/null; done
  for round in $(seq "$ROUNDS"); do
    for t in "${TR_TARGETS[@]}"; do
      echo "gateway.sh: translation round $round/$ROUNDS $t" >&2
      c0=$(cpu_ticks "$GW_PID")
      read -r core_busy0 _ < <(core_ticks "$SERVER_CPU")
      sat=$(DURATION=$TRANSLATION_DURATION run_wrk "$URL_GW" "$CONNS" "${TR_LUA[$t]}")
      c1=$(cpu_ticks "$GW_PID")
      read -r core_busy1 _ < <(core_ticks "$SERVER_CPU")
      TR_RPS[$t]+="$(field rps "$sat") "
      TR_CPU_US[$t]+="$(us_per_request $((c1 - c0)) "$(field requests "$sat")") "
      TR_CORE_US[$t]+="$(us_per_request $((core_busy1 - core_busy0)) "$(field requests "$sat")") "
      TR_ERR[$t]=$(( ${TR_ERR[$t]:-0} + $(field errors "$sat") + $(field non2xx "$sat") ))
    done
  done
fi
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'; }
translation_report() {
  echo "translation (part 7): llmtap, wrk -t1 -c$CONNS -d${TRANSLATION_DURATION}s, $ROUNDS alternating rounds (median shown); upstream nginx answers /v1/chat/completions (${#CHAT_RESPONSE} B) or /v1/messages (${#ANTHROPIC_RESPONSE} B) with the same text"
  echo
  echo "| deployment | req/s @ c=$CONNS | vs openai/ | llmtap CPU µs/req | server core µs/req | errors |"
  echo "| --- | --- | --- | --- | --- | --- |"
  local base; base=$(med "${TR_RPS[openai]}")
  for t in "${TR_TARGETS[@]}"; do
    local rps; rps=$(med "${TR_RPS[$t]}")
    echo "| $t/ | ${rps%.*} | $(ratio "$rps" "$base") | $(med "${TR_CPU_US[$t]}") | $(med "${TR_CORE_US[$t]}") | ${TR_ERR[$t]} |"
  done
  echo
  echo "translated minus pass-through, per request: llmtap CPU $(sub "$(med "${TR_CPU_US[anthropic]}")" "$(med "${TR_CPU_US[openai]}")") µs, server core $(sub "$(med "${TR_CORE_US[anthropic]}")" "$(med "${TR_CORE_US[openai]}")") µs"
  echo "per round (req/s openai/ | anthropic/): ${TR_RPS[openai]}| ${TR_RPS[anthropic]}"
  echo "per round (llmtap CPU µs/req openai/ | anthropic/): ${TR_CPU_US[openai]}| ${TR_CPU_US[anthropic]}"
}
if [[ $ONLY == translation ]]; then
  {
    echo "# llmtap gateway benchmark, translation only — $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(uname -r)"
    echo "command: ONLY=translation bench/gateway.sh $BUILD (ROUNDS=$ROUNDS CONNS=$CONNS TRANSLATION_DURATION=$TRANSLATION_DURATION)"
    echo
    translation_report
  } | if [[ -n $OUT ]]; then tee "$OUT"; else cat; fi
  exit 0
fi

declare -A URL=([direct]=$URL_DIRECT [nginx]=$URL_PROXY [llmtap]=$URL_GW)
declare -A RPS P50 P99 ERR CPU_US CORE_US CORE_BUSY
TARGETS=(direct nginx llmtap)
echo "gateway.sh: warming up" >&2
for t in "${TARGETS[@]}"; do
  DURATION=2 run_wrk "${URL[$t]}" "$CONNS" >/dev/null
done
REQ_BEFORE=$(metric 'llmtap_http_requests_total{route="chat_completions"')

for round in $(seq "$ROUNDS"); do
  for t in "${TARGETS[@]}"; do
    echo "gateway.sh: round $round/$ROUNDS $t" >&2
    lat=$(run_wrk "${URL[$t]}" 1)
    # CPU per request of the process under test (the proxy's worker; direct: the upstream's).
    case $t in
      direct) pid=$(nginx_worker upstream) ;;
      nginx) pid=$(nginx_worker proxy) ;;
      llmtap) pid=$GW_PID ;;
    esac
    c0=$(cpu_ticks "$pid")
    read -r core_busy0 core_all0 < <(core_ticks "$SERVER_CPU")
    if [[ -n $PROFILE && $t == llmtap && $round == 1 ]]; then
      # perf samples llmtap for the whole saturation run; the report goes to $PROFILE.
      perf record -q -F 1000 --call-graph dwarf,16384 -p "$GW_PID" -o "$WORK/perf.data" -- sleep "$DURATION" >/dev/null 2>&1 &
      perf_pid=$!
    fi
    sat=$(run_wrk "${URL[$t]}" "$CONNS")
    c1=$(cpu_ticks "$pid")
    read -r core_busy1 core_all1 < <(core_ticks "$SERVER_CPU")
    if [[ -n ${perf_pid:-} ]]; then
      wait "$perf_pid" || true
      cp "$WORK/perf.data" "$PROFILE.data" 2>/dev/null || true
      perf report -i "$WORK/perf.data" --no-children --percent-limit 0.7 --stdio -g none 2>/dev/null | grep -v '^#' | grep . >"$PROFILE" || true
      perf_pid=
    fi
    P50[$t]+="$(field p50_us "$lat") "
    P99[$t]+="$(field p99_us "$lat") "
    RPS[$t]+="$(field rps "$sat") "
    CPU_US[$t]+="$(us_per_request $((c1 - c0)) "$(field requests "$sat")") "
    CORE_US[$t]+="$(us_per_request $((core_busy1 - core_busy0)) "$(field requests "$sat")") "
    CORE_BUSY[$t]+="$(awk -v b=$((core_busy1 - core_busy0)) -v a=$((core_all1 - core_all0)) 'BEGIN { printf "%.0f", (a > 0) ? 100 * b / a : 0 }') "
    ERR[$t]=$(( ${ERR[$t]:-0} + $(field errors "$lat") + $(field non2xx "$lat") + $(field errors "$sat") + $(field non2xx "$sat") ))
  done
done
PEAK_RSS_KB=$(rss_kb "$GW_PID" VmHWM)
LOADED_RSS_KB=$(rss_kb "$GW_PID" VmRSS)

# Drain: every record llmtap enqueued must reach the receiver (flush_interval is 1 s).
ENQ=0; DELIVERED=-1
for _ in $(seq 150); do
  ENQ=$(metric 'llmtap_callback_records_enqueued_total')
  DELIVERED=$(metric 'llmtap_callback_records_delivered_total')
  HELD=$(metric 'llmtap_callback_queue_records')
  [[ $ENQ -eq $DELIVERED && $HELD -eq 0 ]] && break
  sleep 0.1
done
SERVED=$(metric 'llmtap_http_requests_total{route="chat_completions"')
DROPPED=$(metric 'llmtap_callback_records_dropped_total')
BYTES_SENT=$(metric 'llmtap_callback_bytes_sent_total')
BATCHES=$(wc -l <"$WORK/receiver/access.log")
AFTER_RSS_KB=$(rss_kb "$GW_PID" VmRSS)

# Added time-to-first-token: curl's time to the first response byte, direct vs through llmtap, at
# concurrency 1 (each call a new connection for both, so the connect cost cancels out).
TTFT_LINE="pending: llmtap answered stream: true with HTTP $STREAM_STATUS"
FIRST_BYTE_LINE="not measured"
if [[ $STREAM_STATUS == 200 ]]; then
  ttft() {  # ttft URL: p50 and p99 of time_starttransfer in µs over TTFT_SAMPLES calls
    for _ in $(seq "${TTFT_SAMPLES:-300}"); do
      taskset -c "$LOAD_CPU" curl -s -o /dev/null -w '%{time_starttransfer}\n' -N -H 'Authorization: Bearer sk-bench' \
        -H 'Content-Type: application/json' -d "$STREAM_REQUEST" "$1"
    done | awk '{ print $1 * 1e6 }' | sort -g | awk '{ v[NR] = $1 } END { printf "%.0f %.0f\n", v[int(NR * 0.5)], v[int(NR * 0.99)] }'
  }
  read -r T50D T99D < <(ttft "http://127.0.0.1:$P_UP/stream/v1/chat/completions")
  read -r T50G T99G < <(ttft "$URL_GW")
  TTFT_LINE="new connection per call (curl, ${TTFT_SAMPLES:-300} calls each): first byte p50/p99 µs direct $T50D/$T99D, llmtap $T50G/$T99G → added $((T50G - T50D))/$((T99G - T99D)) µs"
  # The same over one kept-alive connection (bench/first_byte): no process start or connection
  # set-up in the clock, ROUNDS alternating runs of FIRST_BYTE_REQUESTS, medians of each figure.
  printf '%s' "$STREAM_REQUEST" >"$WORK/stream.json"
  first_byte() {  # first_byte PORT PATH: one RESULT line
    taskset -c "$LOAD_CPU" "$FIRST_BYTE" --port "$1" --path "$2" --body-file "$WORK/stream.json" \
      --header 'Authorization: Bearer sk-bench' --requests "${FIRST_BYTE_REQUESTS:-5000}" | grep '^RESULT'
  }
  FB50D=""; FB99D=""; FB50G=""; FB99G=""
  for _ in $(seq "$ROUNDS"); do
    direct=$(first_byte "$P_UP" /stream/v1/chat/completions)
    through=$(first_byte "$P_GW" /v1/chat/completions)
    FB50D+="$(field first_byte_p50_us "$direct") "; FB99D+="$(field first_byte_p99_us "$direct") "
    FB50G+="$(field first_byte_p50_us "$through") "; FB99G+="$(field first_byte_p99_us "$through") "
  done
  FB50D=$(med "$FB50D"); FB99D=$(med "$FB99D"); FB50G=$(med "$FB50G"); FB99G=$(med "$FB99G")
  FIRST_BYTE_LINE="kept-alive connection (bench/first_byte, $ROUNDS × ${FIRST_BYTE_REQUESTS:-5000} requests each, medians): first byte p50/p99 µs direct $FB50D/$FB99D, llmtap $FB50G/$FB99G → added $(sub "$FB50G" "$FB50D")/$(sub "$FB99G" "$FB99D") µs"
fi

# Memory per queued record (target: at most 1.5x the serialized size). A second llmtap whose
# callback endpoint refuses connections holds every record it builds (retrying); its RSS growth
# over a short load run is set against the serialized bytes it holds (llmtap_callback_queue_bytes).
echo "gateway.sh: queued-record memory" >&2
sed -e "s|http://127.0.0.1:$P_RECV/logs|http://127.0.0.1:$P_DOWN/logs|" \
  -e 's|^    flush_interval: 1$|    flush_interval: 1\n    max_retry_time: 3600|' "$WORK/config.yaml" >"$WORK/config-down.yaml"
start_server llmtap-hold "$LLMTAP" --config "$WORK/config-down.yaml" --host 127.0.0.1 --port "$P_HOLD" --threads 1
HOLD_PID=${PIDS[-1]}
wait_http "http://127.0.0.1:$P_HOLD/health/liveliness"
URL_HOLD="http://127.0.0.1:$P_HOLD/v1/chat/completions"
DURATION=1 run_wrk "$URL_HOLD" 4 >/dev/null  # warm-up: parsers, buffers, the connection pool
sleep 0.5
HOLD_RSS0=$(rss_kb "$HOLD_PID" VmRSS)
HOLD_BYTES0=$(METRICS_PORT=$P_HOLD metric llmtap_callback_queue_bytes)
HOLD_N0=$(METRICS_PORT=$P_HOLD metric llmtap_callback_queue_records)
DURATION=2 run_wrk "$URL_HOLD" 8 >/dev/null  # ~40k records: inside the default queue bounds
sleep 0.5
HOLD_RSS1=$(rss_kb "$HOLD_PID" VmRSS)
HOLD_BYTES1=$(METRICS_PORT=$P_HOLD metric llmtap_callback_queue_bytes)
HOLD_N1=$(METRICS_PORT=$P_HOLD metric llmtap_callback_queue_records)
HOLD_DROPPED=$(METRICS_PORT=$P_HOLD metric llmtap_callback_records_dropped_total)
kill -KILL "$HOLD_PID" 2>/dev/null || true  # its held records are the probe's, not anyone's log
HOLD_LINE="$((HOLD_N1 - HOLD_N0)) more records held ($(awk -v b=$((HOLD_BYTES1 - HOLD_BYTES0)) 'BEGIN { printf "%.1f", b / 1048576 }') MiB serialized, $HOLD_DROPPED dropped): RSS $((HOLD_RSS0 / 1024)) -> $((HOLD_RSS1 / 1024)) MiB, $(awk -v r=$(((HOLD_RSS1 - HOLD_RSS0) * 1024)) -v b=$((HOLD_BYTES1 - HOLD_BYTES0)) 'BEGIN { printf "%.2f", (b > 0) ? r / b : 0 }')x the serialized bytes"

# Logger throughput per format, and wrk posting bodies of the same size to the same receiver.
pin_tree "$RECV_PID" "$SERVER_CPU"
RECV_URL="http://127.0.0.1:$P_RECV/logs"
LOGGER_LINES=()
WRK_LINES=()
for format in ndjson json_array single; do
  echo "gateway.sh: logger $format" >&2
  n=$RECORDS; [[ $format == single ]] && n=$((RECORDS / 10))
  line=$(taskset -c "$LOAD_CPU" "$LOGGER" --endpoint "$RECV_URL" --format "$format" --records "$n" --deadline-s 60 | grep '^RESULT') || true
  LOGGER_LINES+=("$line")
  # The same body wrk sends: 100 records of 1 KB in the format (single: one record).
  python3 - "$format" >"$WORK/body-$format" <<'EOF'
import sys
fmt = sys.argv[1]
rec = '{"id":"chatcmpl-0","call_type":"acompletion","model":"gpt-4o","messages":"'
rec += "x" * (1024 - len(rec) - 2) + '"}'
n = 1 if fmt == "single" else 100
if fmt == "ndjson": sys.stdout.write((rec + "\n") * n)
elif fmt == "json_array": sys.stdout.write("[" + ",".join([rec] * n) + "]")
else: sys.stdout.write(rec)
EOF
  cat >"$WORK/body-$format.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$WORK/body-$format", "rb"); wrk.body = f:read("*a"); f:close()
local body_bytes = #wrk.body
done = function(summary, latency, requests)
  local s = summary.duration / 1e6
  io.write(string.format("RESULT requests=%d rps=%.1f body_bytes_per_s=%.0f non2xx=%d\n",
    summary.requests, summary.requests / s, summary.requests * body_bytes / s, summary.errors.status))
end
EOF
  WRK_LINES+=("$(DURATION=5 run_wrk "$RECV_URL" 4 "$WORK/body-$format.lua")")
done

# ---- report ----
report() {
  echo "# llmtap gateway benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(uname -r)"
  echo "servers (nginx upstream and proxy, llmtap --threads 1) pinned to core $SERVER_CPU; wrk, curl and logger_throughput to core $LOAD_CPU; the callback's receiver to core $RECEIVER_CPU for the gateway runs, core $SERVER_CPU for the logger runs"
  echo "wrk -t1 -d${DURATION}s, $ROUNDS rounds (median shown), request body ${#CHAT_REQUEST} B, response ${#CHAT_RESPONSE} B"
  echo "command: bench/gateway.sh $BUILD (DURATION=$DURATION ROUNDS=$ROUNDS CONNS=$CONNS RECORDS=$RECORDS)"
  echo
  echo "| path | req/s @ c=$CONNS | vs nginx proxy | server CPU µs/req | server core µs/req (busy %) | p50 µs @ c=1 | p99 µs @ c=1 | added p50 µs | added p99 µs | errors |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  local d50 d99; d50=$(med "${P50[direct]}"); d99=$(med "${P99[direct]}")
  local nrps; nrps=$(med "${RPS[nginx]}")
  for t in "${TARGETS[@]}"; do
    local rps p50 p99; rps=$(med "${RPS[$t]}"); p50=$(med "${P50[$t]}"); p99=$(med "${P99[$t]}")
    echo "| $t | ${rps%.*} | $(ratio "$rps" "$nrps") | $(med "${CPU_US[$t]}") | $(med "${CORE_US[$t]}") ($(med "${CORE_BUSY[$t]}")) | $p50 | $p99 | $(sub "$p50" "$d50") | $(sub "$p99" "$d99") | ${ERR[$t]} |"
  done
  echo
  echo "per round (req/s direct | nginx | llmtap): ${RPS[direct]}| ${RPS[nginx]}| ${RPS[llmtap]}"
  echo "per round (p99 µs direct | nginx | llmtap): ${P99[direct]}| ${P99[nginx]}| ${P99[llmtap]}"
  echo
  echo "records: llmtap served $SERVED chat requests ($((SERVED - REQ_BEFORE)) measured + warm-up/sanity), callback enqueued $ENQ, delivered $DELIVERED, dropped $DROPPED, in $BATCHES POSTs to the receiver, $((BYTES_SENT / (DELIVERED > 0 ? DELIVERED : 1))) body bytes per record"
  echo "llmtap RSS: idle after start $((START_RSS_KB / 1024)).$(( (START_RSS_KB % 1024) * 10 / 1024 )) MiB, idle after the first calls $((IDLE_RSS_KB / 1024)).$(( (IDLE_RSS_KB % 1024) * 10 / 1024 )) MiB, after load $((LOADED_RSS_KB / 1024)) MiB, after drain $((AFTER_RSS_KB / 1024)) MiB, peak (VmHWM) $((PEAK_RSS_KB / 1024)) MiB"
  echo "queued-record memory (a second llmtap, callback endpoint refusing connections, wrk -c8 2 s): $HOLD_LINE"
  echo "streaming (stream: true), $FIRST_BYTE_LINE"
  echo "streaming (stream: true), $TTFT_LINE"
  echo
  echo "| logger format | records/s | body MB/s | CPU µs/record | wrk same body: req/s | wrk MB/s | logger/wrk bytes | complete |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
  local i=0
  for format in ndjson json_array single; do
    local l=${LOGGER_LINES[$i]} w=${WRK_LINES[$i]}
    local lb wb; lb=$(field body_bytes_per_s "$l"); wb=$(field body_bytes_per_s "$w")
    echo "| $format | $(field records_per_s "$l") | $(awk -v b="$lb" 'BEGIN { printf "%.0f", b / 1e6 }') | $(field cpu_us_per_record "$l") | $(field rps "$w") | $(awk -v b="$wb" 'BEGIN { printf "%.0f", b / 1e6 }') | $(ratio "$lb" "$wb") | $(field complete "$l") |"
    i=$((i + 1))
  done
  if [[ $TRANSLATION == 1 ]]; then
    echo
    translation_report
  fi
}
if [[ -n $OUT ]]; then report | tee "$OUT"; else report; fi

#!/usr/bin/env bash
# Installs every Debian 12 package llmtap needs to build, test and benchmark.
# Idempotent: checks with dpkg first and only calls apt-get for what is missing,
# so `make test` on a machine that has everything costs a fraction of a second.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ccache
  libboost1.81-dev        # Asio + Beast: the one async runtime (server and every client)
  libssl-dev              # TLS for Beast, HMAC and sha256
  openssl                 # http_tests make a throwaway CA and server certificate with it
  libsimdjson-dev         # parsing requests, responses and price maps
  libyaml-cpp-dev         # config.yaml
  libfmt-dev libspdlog-dev
  libcli11-dev            # command line
  zlib1g-dev libzstd-dev  # gzip / zstd bodies
  libgtest-dev libgmock-dev googletest
  libbenchmark-dev
  curl                    # `make run` waits for the gateway with it and sends the demo call
  clang libclang-rt-14-dev  # libFuzzer targets (scripts/fuzz.sh, run by .ci/run)
  clang-format clang-tidy   # scripts/check-format.sh and check-tidy.sh (run by .ci/run)
  # ClickHouse 18.16: tests/integration/clickhouse_e2e_test.cc starts its own server from this
  # package on loopback with a temporary data folder (it never uses the system service; the tests
  # talk HTTP, so clickhouse-client is not needed).
  clickhouse-server
)
# Node.js runs the official `openai` and `@anthropic-ai/sdk` npm clients in the integration tests.
# Debian 12's nodejs (18) is enough for `openai`; @anthropic-ai/sdk asks for Node.js 20 or later
# (what the project's machines have). A newer Node.js already on the machine is kept.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi
if [[ "${LLMTAP_BENCH_DEPS:-0}" == "1" ]]; then
  packages+=(wrk nginx-light python3)  # bench/gateway.sh picks free ports with python3
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} > 0)); then
  echo "install-deps: installing ${missing[*]}" >&2
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The npm packages the integration tests use, pinned by package-lock.json.
client_dir="$(cd "$(dirname "$0")/.." && pwd)/tests/integration/openai_client"
if [[ ! -d "$client_dir/node_modules/openai" ]]; then
  echo "install-deps: npm ci in tests/integration/openai_client" >&2
  (cd "$client_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
# The providers' official SDKs that check llmtap's provider mocks (*_sdk_test.cc). Any one
# missing (a package added to package.json since the last install) reinstalls them all.
sdks_dir="$(cd "$(dirname "$0")/.." && pwd)/tests/integration/provider_sdks"
sdks_missing=0
for sdk in @anthropic-ai/sdk anthropic-sdk-v0 @google/genai cohere-ai cloudflare \
  @aws-sdk/client-bedrock-runtime @smithy/node-http-handler google-auth-library \
  @anthropic-ai/vertex-sdk; do
  [[ -d "$sdks_dir/node_modules/$sdk" ]] || sdks_missing=1
done
if [[ $sdks_missing -eq 1 ]]; then
  echo "install-deps: npm ci in tests/integration/provider_sdks" >&2
  (cd "$sdks_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

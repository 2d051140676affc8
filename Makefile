# Two commands do all set-up on a fresh Debian 12 machine:
#   make run    install deps, build, start a local log sink and llmtap on examples/config.yaml
#   make test   install deps, build, run every test
BUILD ?= build
BUILD_TYPE ?= RelWithDebInfo
CMAKE_FLAGS ?=

.PHONY: all deps configure build run test bench clean

all: build

deps:
	bash scripts/install-deps.sh

configure: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS)

build: configure
	cmake --build $(BUILD)

run: build
	bash scripts/run-demo.sh $(BUILD)/llmtap

test: build
	ctest --test-dir $(BUILD) --output-on-failure --timeout 300

clean:
	rm -rf $(BUILD)

# Benchmarks (bench/README.md, docs/PERFORMANCE.md): installs nginx and wrk, builds a Release tree
# in $(BENCH_BUILD), runs the micro-benchmarks and bench/gateway.sh. Not part of `make test`.
BENCH_BUILD ?= build-bench
bench:
	LLMTAP_BENCH_DEPS=1 bash scripts/install-deps.sh
	bash bench/run.sh $(BENCH_BUILD)

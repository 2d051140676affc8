// Bedrock's event stream framing (providers/bedrock/eventstream.h): decoding a ConverseStream
// answer of 1,000 contentBlockDelta events (~100-byte JSON payloads) fed in pieces of the given
// size (4 KiB as a socket read hands them over, 64 B to stress the buffered path, the whole
// stream at once for the in-place path), against zlib's CRC-32 over the same bytes — the one
// pass the decoder cannot avoid — as the baseline; and encoding one event.
#include <benchmark/benchmark.h>
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "providers/bedrock/eventstream.h"

namespace llmtap::providers::bedrock {
namespace {

constexpr int kEvents = 1000;

std::string delta_payload(int i) {
  // {"contentBlockIndex":0,"delta":{"text":"…"},"p":"…"}: Bedrock's shape, ~100 bytes.
  return R"({"contentBlockIndex":0,"delta":{"text":" token)" + std::to_string(i % 10) +
         R"( of the answer, a few words"},"p":"abcdefghijklmnopqrstu"})";
}

const std::string& converse_stream() {
  static const std::string stream = [] {
    std::string s;
    for (int i = 0; i < kEvents; ++i) s += encode_event("contentBlockDelta", delta_payload(i));
    return s;
  }();
  return stream;
}

void BM_DecodeConverseStream(benchmark::State& state) {
  const std::string_view stream = converse_stream();
  const auto piece = static_cast<std::size_t>(state.range(0));
  std::size_t payload_bytes = 0;
  const EventStreamDecoder::OnMessage on_message = [&payload_bytes](const EventMessage& m) {
    payload_bytes += m.payload.size();
  };
  for (auto _ : state) {
    EventStreamDecoder decoder;
    for (std::size_t at = 0; at < stream.size(); at += piece) {
      if (!decoder.feed(stream.substr(at, piece), on_message)) state.SkipWithError("decode failed");
    }
    benchmark::DoNotOptimize(payload_bytes);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * stream.size()));
  state.SetItemsProcessed(state.iterations() * kEvents);
  state.counters["stream_bytes"] = static_cast<double>(stream.size());
}
BENCHMARK(BM_DecodeConverseStream)->Arg(64)->Arg(4096)->Arg(1 << 20);

void BM_Crc32Baseline(benchmark::State& state) {
  const std::string_view stream = converse_stream();
  for (auto _ : state) {
    benchmark::DoNotOptimize(::crc32(0, reinterpret_cast<const Bytef*>(stream.data()),
                                     static_cast<uInt>(stream.size())));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * stream.size()));
  state.SetItemsProcessed(state.iterations() * kEvents);
}
BENCHMARK(BM_Crc32Baseline);

void BM_EncodeEvent(benchmark::State& state) {
  const std::string payload = delta_payload(0);
  for (auto _ : state) benchmark::DoNotOptimize(encode_event("contentBlockDelta", payload));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EncodeEvent);

}  // namespace
}  // namespace llmtap::providers::bedrock

BENCHMARK_MAIN();

// libFuzzer target: the sink's body decoder (Content-Encoding undone under a bound, then JSON
// array / NDJSON / single object split into records). The first input byte picks the headers.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sink/decode_body.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static constexpr std::string_view kTypes[] = {"application/json", "application/x-ndjson",
                                                "text/plain", ""};
  static constexpr std::string_view kEncodings[] = {"",        "gzip",     "zstd",
                                                    "deflate", "identity", "br"};
  const std::uint8_t selector = data[0];
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  llmtap::sink::DecodeOptions options;
  options.max_decompressed_bytes = 1 << 20;  // keeps bombs cheap while still testing the bound
  const auto decoded = llmtap::sink::decode_body(body, kTypes[selector % 4],
                                                 kEncodings[(selector / 4) % 6], options);
  (void)decoded;
  return 0;
}

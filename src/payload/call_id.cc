#include "payload/call_id.h"

#include <cstring>
#include <random>
#include <string_view>

namespace llmtap::payload {
namespace {

std::mt19937_64& generator() {
  thread_local std::mt19937_64 engine{[] {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
  }()};
  return engine;
}

}  // namespace

std::uint64_t thread_random() { return generator()(); }

CallId new_call_id() {
  std::uint64_t hi = generator()();
  std::uint64_t lo = generator()();
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  char id[36];
  std::memset(id, '-', sizeof id);
  int pos = 0;
  auto put = [&](std::uint64_t value, int nibbles) {
    for (int i = nibbles - 1; i >= 0; --i) {
      if (pos == 8 || pos == 13 || pos == 18 || pos == 23) ++pos;
      id[pos++] = kHex[(value >> (i * 4)) & 0xf];
    }
  };
  put(hi, 16);
  put(lo, 16);
  return CallId(std::string_view(id, sizeof id));
}

}  // namespace llmtap::payload

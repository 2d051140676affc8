// after_prefix(): what is left of a short gather list once its first bytes are written, for a
// write that went out in part at once and finishes asynchronously. Private to src/http/.
#pragma once

#include <array>
#include <boost/asio/buffer.hpp>
#include <cstddef>

namespace llmtap::http {

// The bytes of `buffers` after the first `skip`, packed to the front (unused slots empty).
template <std::size_t N>
std::array<boost::asio::const_buffer, N> after_prefix(
    const std::array<boost::asio::const_buffer, N>& buffers, std::size_t skip) {
  std::array<boost::asio::const_buffer, N> rest{};
  std::size_t count = 0;
  for (const auto& buffer : buffers) {
    if (skip >= buffer.size()) {
      skip -= buffer.size();
      continue;
    }
    rest[count++] = buffer + skip;
    skip = 0;
  }
  return rest;
}

}  // namespace llmtap::http

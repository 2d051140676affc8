// CallId: a call's id (litellm_call_id, x-litellm-call-id) held inside the object, and
// new_call_id(), which makes one: a random RFC 4122 version-4 UUID.
//
// A Record is copied into each callback's queue, its batch and its disk frame, and it crosses from
// the request thread to the delivery thread; held in a std::string the 36-byte UUID cost one heap
// allocation per copy (and a free on the other thread). Inline, copying a Record costs none.
//
// Our ids are RFC 4122 UUIDs (36 bytes). A longer id — only a disk-buffer file written by something
// else could hold one — is cut to kCapacity bytes: the id names a record in logs, nothing matches
// on it.
//
// A CallId is a plain value. new_call_id() and thread_random() are thread-safe: each thread has its
// own generator, seeded once from std::random_device.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace llmtap::payload {

class CallId {
 public:
  static constexpr std::size_t kCapacity = 63;

  CallId() = default;
  explicit CallId(std::string_view text) { assign(text); }
  CallId& operator=(std::string_view text) {
    assign(text);
    return *this;
  }

  void assign(std::string_view text) {
    size_ = static_cast<unsigned char>(std::min(text.size(), kCapacity));
    if (size_ != 0) std::memcpy(bytes_.data(), text.data(), size_);
  }

  std::string_view view() const { return {bytes_.data(), size_}; }
  operator std::string_view() const { return view(); }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  friend bool operator==(const CallId& a, const CallId& b) { return a.view() == b.view(); }
  friend bool operator==(const CallId& a, std::string_view b) { return a.view() == b; }

 private:
  std::array<char, kCapacity> bytes_{};
  unsigned char size_ = 0;
};

// A new random version-4 UUID, e.g. 9f6b5e2a-3c1d-4e8f-a7b6-1d2c3e4f5a6b.
CallId new_call_id();

// A uniformly distributed value from the same per-thread generator (the router's deployment
// shuffle draws from it).
std::uint64_t thread_random();

}  // namespace llmtap::payload

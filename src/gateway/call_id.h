// Call ids: random RFC 4122 version-4 UUIDs, one per LLM call (litellm_call_id, x-litellm-call-id).
// Thread-safe: each thread has its own generator, seeded once from std::random_device.
#pragma once

#include <cstdint>

#include "payload/call_id.h"

namespace llmtap::gateway {

payload::CallId new_call_id();

// A uniformly distributed value from the same per-thread generator (for deployment shuffle).
std::uint64_t thread_random();

}  // namespace llmtap::gateway

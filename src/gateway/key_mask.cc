#include "gateway/key_mask.h"

namespace llmtap::gateway {

void mask_key(std::string& text, std::string_view key) {
  constexpr std::size_t kMinKeyBytes = 6;
  if (key.size() < kMinKeyBytes) return;
  for (auto at = text.find(key); at != std::string::npos;
       at = text.find(key, at + kMaskedKey.size())) {
    text.replace(at, key.size(), kMaskedKey);
  }
}

}  // namespace llmtap::gateway

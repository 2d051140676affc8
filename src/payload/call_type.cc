#include "payload/call_type.h"

namespace llmtap::payload {

std::string_view to_string(CallType type) {
  switch (type) {
    case CallType::completion:
      return "acompletion";
    case CallType::text_completion:
      return "atext_completion";
    case CallType::embedding:
      return "aembedding";
  }
  return "acompletion";
}

}  // namespace llmtap::payload

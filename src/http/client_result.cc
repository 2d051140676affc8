#include "http/client_result.h"

namespace llmtap::http {

const char* to_string(ClientError error) {
  switch (error) {
    case ClientError::none:
      return "none";
    case ClientError::bad_url:
      return "bad_url";
    case ClientError::resolve:
      return "resolve";
    case ClientError::connect:
      return "connect";
    case ClientError::tls:
      return "tls";
    case ClientError::timeout:
      return "timeout";
    case ClientError::io:
      return "io";
    case ClientError::protocol:
      return "protocol";
    case ClientError::too_large:
      return "too_large";
    case ClientError::cancelled:
      return "cancelled";
  }
  return "unknown";
}

std::string_view errc_message(ClientError error) { return to_string(error); }

}  // namespace llmtap::http

// parse_answer_object(): a 2xx answer body as the JSON object the answer translators read, or why
// it cannot be translated — not a JSON object, or an `error` object in a 2xx body (LiteLLM raises
// then too). The problem's text is what each provider's AnswerProblem carries:
//   "the answer is not a JSON object (<simdjson's error>)", "the answer is an error: <message>".
//
// The object lives in the calling thread's parser: valid until the next call on this thread.
// Thread-safe (one parser per thread).
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>

#include "base/result.h"

namespace llmtap::providers {

Result<simdjson::dom::object, std::string> parse_answer_object(std::string_view body);

}  // namespace llmtap::providers

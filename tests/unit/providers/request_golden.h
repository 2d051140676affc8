// Test helpers for the request translators' golden tests: canonical_json(), a JSON document with
// its object keys sorted (and no whitespace), so that two bodies compare by meaning (LiteLLM does
// not fix their key order) — a document that is not JSON is a test failure (and ""); and
// chat_body(), a client's chat request; run_chat_request(), canonical_body() and problem_of(),
// a provider's to_*_request() run on a parsed chat body, its body or its problem. Header-only,
// for providers_tests.
#pragma once

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "payload/request_summary.h"

namespace llmtap::providers::test_support {

inline void append_canonical(simdjson::dom::element e, std::string& out) {
  switch (e.type()) {
    case simdjson::dom::element_type::OBJECT: {
      std::vector<std::pair<std::string_view, simdjson::dom::element>> fields;
      for (auto field : simdjson::dom::object(e)) fields.emplace_back(field.key, field.value);
      std::sort(fields.begin(), fields.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      out += '{';
      for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i != 0) out += ',';
        out += '"';
        out += fields[i].first;
        out += "\":";
        append_canonical(fields[i].second, out);
      }
      out += '}';
      return;
    }
    case simdjson::dom::element_type::ARRAY: {
      out += '[';
      bool first = true;
      for (auto child : simdjson::dom::array(e)) {
        if (!first) out += ',';
        first = false;
        append_canonical(child, out);
      }
      out += ']';
      return;
    }
    default:
      out += simdjson::minify(e);
  }
}

inline std::string canonical_json(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::element e;
  if (auto error = parser.parse(padded).get(e)) {
    ADD_FAILURE() << "not JSON (" << simdjson::error_message(error) << "): " << json;
    return {};
  }
  std::string out;
  append_canonical(e, out);
  return out;
}

// `{"model":<model>,"messages":<messages>[,<extra>]}`: a client's chat body.
inline std::string chat_body(std::string_view model, std::string_view messages,
                             std::string_view extra = "") {
  std::string body = R"({"model":")";
  body += model;
  body += R"(","messages":)";
  body += messages;
  if (!extra.empty()) {
    body += ',';
    body += extra;
  }
  body += '}';
  return body;
}

// `translate(summary)` for the parse of `body` (a provider's to_*_request() with its options);
// a parse failure is a test failure and a problem.
template <typename Translate>
auto run_chat_request(const std::string& body, Translate translate)
    -> decltype(translate(std::declval<const payload::RequestSummary&>())) {
  using Out = decltype(translate(std::declval<const payload::RequestSummary&>()));
  auto summary = payload::parse_request(body, payload::CallType::completion);
  EXPECT_TRUE(summary) << (summary ? "" : summary.error().message);
  if (!summary) return Out(typename Out::error_type{"parse failed", ""});
  return translate(*summary);
}

// A translation's body, canonical; a test failure (and "") when it is a problem.
template <typename Out>
std::string canonical_body(const Out& out) {
  EXPECT_TRUE(out) << (out ? "" : out.error().message);
  return out ? canonical_json(out->body) : std::string();
}

// A translation's problem; a test failure (and an empty problem) when it succeeded.
template <typename Out>
typename Out::error_type problem_of(const Out& out) {
  EXPECT_FALSE(out) << (out ? out->body : "");
  return out ? typename Out::error_type{} : out.error();
}

}  // namespace llmtap::providers::test_support

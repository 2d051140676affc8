#include "providers/cohere/chat_answer.h"

#include <fmt/format.h>
#include <simdjson.h>

#include "payload/json_writer.h"
#include "providers/cohere/usage.h"
#include "providers/finish_reason.h"
#include "providers/json/answer_object.h"
#include "providers/json/chat_completion_writer.h"
#include "providers/json/dom_members.h"

namespace llmtap::providers::cohere {
namespace {

namespace dom = simdjson::dom;

void write_tool_calls(payload::JsonWriter& w, dom::array calls) {
  w.key("tool_calls");
  w.begin_array();
  std::int64_t index = 0;
  for (dom::element element : calls) {
    dom::object call;
    if (element.get(call) != simdjson::SUCCESS) continue;
    dom::object function;
    const bool has_function = call["function"].get(function) == simdjson::SUCCESS;
    w.begin_object();
    w.key("id");
    w.string(string_member(call, "id"));
    w.key("type");
    w.string("function");
    w.key("function");
    w.begin_object();
    w.key("name");
    w.string(has_function ? string_member(function, "name") : std::string_view());
    w.key("arguments");
    w.string(has_function ? string_member(function, "arguments") : std::string_view());
    w.end_object();
    w.key("index");
    w.integer(index++);
    w.end_object();
  }
  w.end_array();
}

// LiteLLM's _translate_citations_to_openai_annotations; false when no source makes one.
bool has_document_source(dom::array citations) {
  for (dom::element citation : citations) {
    dom::array sources;
    if (citation["sources"].get(sources) != simdjson::SUCCESS) continue;
    for (dom::element source : sources) {
      dom::object object;
      if (source.get(object) == simdjson::SUCCESS && string_member(object, "type") == "document" &&
          object["document"].error() == simdjson::SUCCESS) {
        return true;
      }
    }
  }
  return false;
}

void write_annotations(payload::JsonWriter& w, dom::array citations) {
  w.key("annotations");
  w.begin_array();
  for (dom::element element : citations) {
    dom::object citation;
    dom::array sources;
    if (element.get(citation) != simdjson::SUCCESS ||
        citation["sources"].get(sources) != simdjson::SUCCESS) {
      continue;
    }
    std::int64_t start = 0;
    std::int64_t end = 0;
    if (citation["start"].get(start) != simdjson::SUCCESS) start = 0;
    if (citation["end"].get(end) != simdjson::SUCCESS) end = 0;
    for (dom::element source_element : sources) {
      dom::object source;
      dom::object document;
      if (source_element.get(source) != simdjson::SUCCESS ||
          string_member(source, "type") != "document" ||
          source["document"].get(document) != simdjson::SUCCESS) {
        continue;
      }
      w.begin_object();
      w.key("type");
      w.string("url_citation");
      w.key("url_citation");
      w.begin_object();
      w.key("start_index");
      w.integer(start);
      w.key("end_index");
      w.integer(end);
      w.key("title");
      w.string(string_member(document, "title"));
      w.key("url");
      const std::string_view url = string_member(source, "url");
      if (!url.empty()) {
        w.string(url);
      } else {
        const std::string_view id = string_member(source, "id");
        w.string(fmt::format("source:{}", id.empty() ? std::string_view("unknown") : id));
      }
      w.end_object();
      w.end_object();
    }
  }
  w.end_array();
}

}  // namespace

Result<std::string, AnswerProblem> to_chat_completion(std::string_view body,
                                                      const AnswerIdentity& identity) {
  auto parsed = parse_answer_object(body);
  if (!parsed) return AnswerProblem{parsed.error()};
  const dom::object answer = *parsed;
  dom::object message;
  if (answer["message"].get(message) != simdjson::SUCCESS) {
    return AnswerProblem{fmt::format("the answer has no message object: {}", body.substr(0, 200))};
  }
  dom::array calls;
  const bool has_calls = message["tool_calls"].get(calls) == simdjson::SUCCESS && calls.size() > 0;
  dom::array citations;
  const bool annotated =
      message["citations"].get(citations) == simdjson::SUCCESS && has_document_source(citations);

  std::string out;
  out.reserve(body.size() + 256);
  payload::JsonWriter w(out);
  begin_chat_completion(w, identity.id, identity.created, identity.model);
  // The choice is written here, not by write_choice(): it carries Cohere's citations as
  // annotations, which no other provider's message has.
  w.begin_object();
  w.key("index");
  w.integer(0);
  w.key("message");
  w.begin_object();
  w.key("role");
  w.string("assistant");
  w.key("content");
  dom::array content;
  if (!has_calls && message["content"].get(content) == simdjson::SUCCESS) {
    std::string text;
    for (dom::element element : content) {
      dom::object item;
      if (element.get(item) == simdjson::SUCCESS) text.append(string_member(item, "text"));
    }
    w.string(text);
  } else {
    w.null();
  }
  if (has_calls) write_tool_calls(w, calls);
  if (annotated) write_annotations(w, citations);
  w.end_object();
  w.key("finish_reason");
  w.string(has_calls ? std::string_view("tool_calls")
                     : map_finish_reason(string_member(answer, "finish_reason")));
  w.end_object();
  end_choices(w);

  dom::object usage;
  w.key("usage");
  write_usage(w, answer["usage"].get(usage) == simdjson::SUCCESS ? read_usage(usage) : Usage{});
  w.end_object();
  w.finish();
  return Result<std::string, AnswerProblem>(boost::system::in_place_value, std::move(out));
}

}  // namespace llmtap::providers::cohere

#include "providers/gemini/embed_answer.h"

#include <simdjson.h>

#include <bit>
#include <cstdint>
#include <cstring>
#include <utility>

#include "base/base64.h"
#include "payload/json_writer.h"
#include "providers/json/answer_object.h"
#include "providers/json/dom_copy.h"

namespace llmtap::providers::gemini {
namespace {

namespace dom = simdjson::dom;

// The vector as OpenAI's base64 form: float32 little-endian bytes, base64.
std::optional<std::string> base64_floats(dom::array values) {
  std::string bytes;
  bytes.reserve(values.size() * 4);
  for (dom::element value : values) {
    double number = 0;
    if (value.get(number) != simdjson::SUCCESS) return std::nullopt;
    std::uint32_t bits = std::bit_cast<std::uint32_t>(static_cast<float>(number));
    if constexpr (std::endian::native == std::endian::big) bits = __builtin_bswap32(bits);
    char little[4];
    std::memcpy(little, &bits, 4);
    bytes.append(little, 4);
  }
  return base64_encode(bytes);
}

}  // namespace

Result<std::string, AnswerProblem> to_embedding_list(std::string_view body,
                                                     const EmbeddingIdentity& identity) {
  auto root = parse_answer_object(body);
  if (!root) return AnswerProblem{root.error()};
  dom::array embeddings;
  if ((*root)["embeddings"].get(embeddings) != simdjson::SUCCESS) {
    return AnswerProblem{"the answer has no embeddings list"};
  }
  std::string out;
  out.reserve(body.size() + 128);
  {
    payload::JsonWriter w(out);
    w.begin_object();
    w.key("object");
    w.string("list");
    w.key("data");
    w.begin_array();
    std::int64_t index = 0;
    for (dom::element embedding : embeddings) {
      dom::array values;
      if (embedding["values"].get(values) != simdjson::SUCCESS) {
        return AnswerProblem{"an embedding has no values list"};
      }
      w.begin_object();
      w.key("object");
      w.string("embedding");
      w.key("index");
      w.integer(index++);
      w.key("embedding");
      if (identity.base64) {
        std::optional<std::string> encoded = base64_floats(values);
        if (!encoded) return AnswerProblem{"an embedding value is not a number"};
        w.string(*encoded);
      } else {
        copy_element(w, embedding["values"].value_unsafe());
      }
      w.end_object();
    }
    w.end_array();
    w.key("model");
    w.string(identity.model);
    w.key("usage");
    w.raw(R"({"prompt_tokens":0,"total_tokens":0})");
    w.end_object();
  }
  // in_place: an AnswerProblem is constructible from a string too.
  return Result<std::string, AnswerProblem>(boost::system::in_place_value, std::move(out));
}

}  // namespace llmtap::providers::gemini

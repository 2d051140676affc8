#include "stream_translator_check.h"

#include <simdjson.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <string_view>

namespace llmtap::fuzz {
namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

// Where the passed-through event starting at `pos` ends: after its first blank line, by the SSE
// line grammar (LF, CRLF or a lone CR), or at the end of the output (a tail finish() passed on).
std::size_t passthrough_end(std::string_view out, std::size_t pos) {
  std::size_t line = pos;
  for (;;) {
    const std::size_t end = out.find_first_of("\r\n", line);
    if (end == std::string_view::npos) return out.size();
    const std::size_t next =
        out[end] == '\r' && end + 1 < out.size() && out[end + 1] == '\n' ? end + 2 : end + 1;
    if (end == line && line != pos) return next;
    line = next;
  }
}

void check_output(std::string_view out, std::string_view stream) {
  static simdjson::dom::parser parser;
  std::size_t pos = 0;
  bool ended = false;
  while (pos < out.size()) {
    check(!ended);
    const std::string_view rest = out.substr(pos);
    if (rest.substr(0, 6) == "data: ") {
      const std::size_t end = rest.find("\n\n");
      check(end != std::string_view::npos);
      const std::string_view data = rest.substr(6, end - 6);
      if (data == "[DONE]") {
        ended = true;
      } else {
        simdjson::dom::object chunk;
        check(parser.parse(data.data(), data.size()).get(chunk) == simdjson::SUCCESS);
        simdjson::dom::element unused;
        if (chunk["error"].get(unused) == simdjson::SUCCESS) {
          ended = true;
        } else {
          simdjson::dom::array choices;
          check(chunk["choices"].get(choices) == simdjson::SUCCESS);
        }
      }
      pos += end + 2;
      continue;
    }
    const std::size_t end = passthrough_end(out, pos);
    check(stream.find(out.substr(pos, end - pos)) != std::string_view::npos);
    pos = end;
  }
}

}  // namespace

int check_stream_translator(const std::uint8_t* data, std::size_t size,
                            const StreamTranslatorFactory& make) {
  if (size == 0) return 0;
  const std::size_t sizes = std::min<std::size_t>(data[0] % 8, size - 1);
  const std::uint8_t* piece_sizes = data + 1;
  const std::string_view stream(reinterpret_cast<const char*>(data + 1 + sizes), size - 1 - sizes);

  auto whole = make();
  std::string whole_out;
  whole->feed(stream, whole_out);
  whole->finish(whole_out);

  auto cut = make();
  std::string cut_out;
  std::size_t pos = 0;
  for (std::size_t i = 0; pos < stream.size(); ++i) {
    const std::size_t n = sizes == 0 ? stream.size() : 1 + piece_sizes[i % sizes];
    cut->feed(stream.substr(pos, n), cut_out);
    pos += std::min(n, stream.size() - pos);
  }
  cut->finish(cut_out);

  if (!whole->overflow() && !cut->overflow()) check(whole_out == cut_out);
  check_output(whole_out, stream);
  check_output(cut_out, stream);
  return 0;
}

}  // namespace llmtap::fuzz

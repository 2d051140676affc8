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

enum class Ending { none, done, error };

// Checks the output's events (passed-through ones only when `passthrough_allowed`); returns how
// the output ends.
Ending check_output(std::string_view out, std::string_view stream, bool passthrough_allowed) {
  static simdjson::dom::parser parser;
  std::size_t pos = 0;
  Ending ending = Ending::none;
  while (pos < out.size()) {
    check(ending == Ending::none);
    const std::string_view rest = out.substr(pos);
    if (rest.substr(0, 6) == "data: ") {
      const std::size_t end = rest.find("\n\n");
      check(end != std::string_view::npos);
      const std::string_view data = rest.substr(6, end - 6);
      if (data == "[DONE]") {
        ending = Ending::done;
      } else {
        simdjson::dom::object chunk;
        check(parser.parse(data.data(), data.size()).get(chunk) == simdjson::SUCCESS);
        simdjson::dom::element unused;
        if (chunk["error"].get(unused) == simdjson::SUCCESS) {
          ending = Ending::error;
        } else {
          simdjson::dom::array choices;
          check(chunk["choices"].get(choices) == simdjson::SUCCESS);
        }
      }
      pos += end + 2;
      continue;
    }
    check(passthrough_allowed);
    const std::size_t end = passthrough_end(out, pos);
    check(stream.find(out.substr(pos, end - pos)) != std::string_view::npos);
    pos = end;
  }
  return ending;
}

// Feeds `piece` unless the translator has already failed (then checks nothing more comes).
void feed_checked(providers::StreamTranslator& translator, std::string_view piece,
                  std::string& out) {
  const bool failed = translator.stream_error() != nullptr || translator.overflow();
  const std::size_t before = out.size();
  translator.feed(piece, out);
  if (failed) check(out.size() == before);
}

void finish_checked(providers::StreamTranslator& translator, std::string& out) {
  const bool failed = translator.stream_error() != nullptr || translator.overflow();
  const std::size_t before = out.size();
  translator.finish(out);
  if (failed) check(out.size() == before);
}

void check_result(const providers::StreamTranslator& translator, std::string_view out,
                  std::string_view stream, const StreamCheckOptions& options) {
  if (options.max_output_per_input_byte != 0) {
    check(out.size() <= options.max_output_per_input_byte * stream.size() + 4096);
  }
  if (options.passes_through && options.passes_through(stream)) {
    check(out == stream);
    return;
  }
  const Ending ending = check_output(out, stream, !options.passes_through);
  if (translator.stream_error() != nullptr) check(ending == Ending::error);
}

}  // namespace

void check_translation(std::string_view stream, std::span<const std::uint8_t> piece_sizes,
                       const StreamTranslatorFactory& make, const StreamCheckOptions& options) {
  auto whole = make();
  std::string whole_out;
  feed_checked(*whole, stream, whole_out);
  finish_checked(*whole, whole_out);

  auto cut = make();
  std::string cut_out;
  std::size_t pos = 0;
  for (std::size_t i = 0; pos < stream.size(); ++i) {
    const std::size_t n =
        piece_sizes.empty() ? stream.size() : 1 + piece_sizes[i % piece_sizes.size()];
    feed_checked(*cut, stream.substr(pos, n), cut_out);
    pos += std::min(n, stream.size() - pos);
  }
  finish_checked(*cut, cut_out);

  if (!whole->overflow() && !cut->overflow()) check(whole_out == cut_out);
  check_result(*whole, whole_out, stream, options);
  check_result(*cut, cut_out, stream, options);
}

int check_stream_translator(const std::uint8_t* data, std::size_t size,
                            const StreamTranslatorFactory& make,
                            const StreamCheckOptions& options) {
  if (size == 0) return 0;
  const std::size_t sizes = std::min<std::size_t>(data[0] % 8, size - 1);
  const std::string_view stream(reinterpret_cast<const char*>(data + 1 + sizes), size - 1 - sizes);
  check_translation(stream, {data + 1, sizes}, make, options);
  return 0;
}

}  // namespace llmtap::fuzz

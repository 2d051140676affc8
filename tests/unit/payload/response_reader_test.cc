#include "payload/response_reader.h"

#include <gtest/gtest.h>

#include <string>

#include "payload/json_scanner.h"

namespace llmtap::payload {
namespace {

bool points_into(std::string_view view, const std::string& owner) {
  return view.data() >= owner.data() && view.data() + view.size() <= owner.data() + owner.size();
}

// Verifies that id and usage are views of the caller's body, not of the thread's parser buffer:
// the gateway keeps the facts from before it answers until the record is built, and other
// parses on the thread run in between.
TEST(ResponseReaderTest, ViewsPointIntoTheBodyAndOutliveTheNextParse) {
  const std::string body =
      R"({"id":"chatcmpl-1","choices":[],"usage":{"prompt_tokens":7,"completion_tokens":3,"total_tokens":10}})";
  const ResponseFacts facts = read_response(body, {});
  ASSERT_TRUE(facts.valid) << facts.problem;
  simdjson::ondemand::document doc;
  ASSERT_EQ(JsonScanner::local().iterate(R"({"id":"other","usage":{"prompt_tokens":99}})", doc),
            simdjson::SUCCESS);
  EXPECT_EQ(facts.id_raw, R"("chatcmpl-1")");
  EXPECT_EQ(facts.usage_raw, R"({"prompt_tokens":7,"completion_tokens":3,"total_tokens":10})");
  EXPECT_TRUE(points_into(facts.id_raw, body));
  EXPECT_TRUE(points_into(facts.usage_raw, body));
  EXPECT_TRUE(points_into(facts.json, body));
  EXPECT_EQ(facts.prompt_tokens, 7);
  EXPECT_EQ(facts.completion_tokens, 3);
  EXPECT_EQ(facts.total_tokens, 10);
}

// Verifies that cache reads and writes are read from prompt_tokens_details (OpenAI's and
// LiteLLM's shape), else from Anthropic-style top-level counts.
TEST(ResponseReaderTest, ReadsCacheTokensFromEitherShape) {
  const ResponseFacts details =
      read_response(R"({"usage":{"prompt_tokens":50,"cache_read_input_tokens":1,)"
                    R"("prompt_tokens_details":{"cached_tokens":30,"cache_creation_tokens":5,)"
                    R"("cache_creation_token_details":{"ephemeral_5m_input_tokens":5}}}})",
                    {});
  ASSERT_TRUE(details.valid) << details.problem;
  EXPECT_EQ(details.cache_read_tokens, 30);
  EXPECT_EQ(details.cache_creation_tokens, 5);
  const ResponseFacts top_level = read_response(
      R"({"usage":{"prompt_tokens":50,"cache_read_input_tokens":4,"cache_creation_input_tokens":2}})",
      {});
  EXPECT_EQ(top_level.cache_read_tokens, 4);
  EXPECT_EQ(top_level.cache_creation_tokens, 2);
  const ResponseFacts none = read_response(R"({"usage":{"prompt_tokens":50}})", {});
  EXPECT_EQ(none.cache_read_tokens, 0);
  EXPECT_EQ(none.cache_creation_tokens, 0);
}

// Verifies the verdict and its reason for bodies the gateway must turn into a 502.
TEST(ResponseReaderTest, SaysWhyABodyIsNoAnswer) {
  struct Case {
    std::string body;
    std::string_view problem;
  };
  for (const Case& c :
       {Case{"[1,2]", "the top-level value is not an object"}, Case{R"({"a":1} x)", ""},
        Case{R"({"a":)", ""}, Case{"<html>oops</html>", ""}, Case{R"({"a":tru})", ""},
        // A bad number where a token count is read (found by record_builder_fuzz):
        // the usage slice is copied into the record as it is.
        Case{R"({"usage":{"prompt_tokens":4b,"total_tokens":4}})", ""},
        Case{R"({"usage":{"completion_tokens":-}})", ""}}) {
    const ResponseFacts facts = read_response(c.body, {});
    EXPECT_FALSE(facts.valid) << c.body;
    EXPECT_FALSE(facts.problem.empty()) << c.body;
    if (!c.problem.empty()) {
      EXPECT_EQ(facts.problem, c.problem) << c.body;
    }
    EXPECT_TRUE(facts.id_raw.empty() && facts.usage_raw.empty() && facts.rewritten.empty())
        << c.body;
  }
}

// Verifies that valid numbers which are no 64-bit count (a real, an integer past 2^64) keep the
// answer valid: the count is read as well as it can be, the raw usage is kept.
TEST(ResponseReaderTest, CountsThatAreNumbersButNoIntegersAreKept) {
  const std::string body =
      R"({"usage":{"prompt_tokens":12.0,"completion_tokens":99999999999999999999999}})";
  const ResponseFacts facts = read_response(body, {});
  ASSERT_TRUE(facts.valid) << facts.problem;
  EXPECT_EQ(facts.prompt_tokens, 12);
  EXPECT_EQ(facts.completion_tokens, 0);
  EXPECT_EQ(facts.usage_raw,
            R"({"prompt_tokens":12.0,"completion_tokens":99999999999999999999999})");
}

// Verifies the repair path: the facts say the body was repaired, and their views point into the
// copy they own, which survives moving the facts.
TEST(ResponseReaderTest, InvalidUtf8IsReadFromARepairedCopyThatTheFactsOwn) {
  const std::string body = "{\"id\":\"x\xFFy\",\"usage\":{\"prompt_tokens\":1}}";
  ResponseFacts read = read_response(body, {});
  const ResponseFacts facts = std::move(read);
  ASSERT_TRUE(facts.valid) << facts.problem;
  EXPECT_TRUE(facts.repaired);
  ASSERT_NE(facts.repaired_body, nullptr);
  EXPECT_TRUE(points_into(facts.id_raw, *facts.repaired_body));
  EXPECT_EQ(facts.id_raw, "\"x\xEF\xBF\xBDy\"");
  EXPECT_EQ(facts.prompt_tokens, 1);
}

// Verifies the two rewrites (vectors dropped, content redacted) and that the options are kept.
TEST(ResponseReaderTest, RewritesOnlyWhenAsked) {
  const std::string embedding =
      R"({"data":[{"index":0,"embedding":[0.1,0.2]}],"usage":{"prompt_tokens":2}})";
  const ResponseFacts dropped = read_response(embedding, {.drop_vectors = true, .redact = false});
  EXPECT_EQ(dropped.rewritten, R"({"data":[{"index":0}],"usage":{"prompt_tokens":2}})");
  EXPECT_TRUE(dropped.options.drop_vectors);
  EXPECT_TRUE(read_response(embedding, {}).rewritten.empty());
  const std::string chat =
      R"({"choices":[{"index":0,"message":{"role":"assistant","content":"secret"}}]})";
  const ResponseFacts redacted = read_response(chat, {.drop_vectors = false, .redact = true});
  EXPECT_EQ(redacted.rewritten.find("secret"), std::string::npos) << redacted.rewritten;
  EXPECT_NE(redacted.rewritten.find("redacted-by-litellm"), std::string::npos)
      << redacted.rewritten;
}

}  // namespace
}  // namespace llmtap::payload

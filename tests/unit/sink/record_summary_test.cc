#include "sink/record_summary.h"

#include <gtest/gtest.h>

namespace llmtap::sink {
namespace {

// Verifies that a success record prints its status, model, call id, tokens and cost.
TEST(RecordSummaryTest, SummarizesSuccess) {
  EXPECT_EQ(
      summarize_record(R"({"status":"success","model":"gpt-3.5-turbo","litellm_call_id":"c1",)"
                       R"("total_tokens":30,"response_cost":0.000045})"),
      "status=success model=gpt-3.5-turbo call_id=c1 tokens=30 cost=0.000045");
}

// Verifies that a failure record adds its error, on one line, and missing fields print as '-'.
TEST(RecordSummaryTest, SummarizesFailure) {
  EXPECT_EQ(
      summarize_record(
          R"({"status":"failure","id":"x","usage":{"total_tokens":0},"cost":0,)"
          R"("error_information":{"error_class":"RateLimitError","error_message":"slow\ndown"}})"),
      "status=failure model=- call_id=x tokens=0 cost=0 error=RateLimitError: slow down");
}

// Verifies that a record that is not a JSON object is said to be so.
TEST(RecordSummaryTest, ReportsNonObject) {
  EXPECT_EQ(summarize_record("[1]"), "(not a JSON object)");
}

}  // namespace
}  // namespace llmtap::sink

#include "router/failure.h"

#include <gtest/gtest.h>

#include <string_view>

namespace llmtap::router {
namespace {

// Verifies that the specific LiteLLM classes win over the status they came with.
TEST(FailureTest, SpecificClassWinsOverStatus) {
  EXPECT_EQ(classify_failure(400, "ContextWindowExceededError"), FailureKind::context_window);
  EXPECT_EQ(classify_failure(400, "ContentPolicyViolationError"), FailureKind::content_policy);
  EXPECT_EQ(classify_failure(500, "APIConnectionError"), FailureKind::connection);
  EXPECT_EQ(classify_failure(502, "APIConnectionError"), FailureKind::connection);
  EXPECT_EQ(classify_failure(504, "Timeout"), FailureKind::timeout);
  EXPECT_EQ(classify_failure(500, "RateLimitError"), FailureKind::rate_limit);
  EXPECT_EQ(classify_failure(400, "NotFoundError"), FailureKind::not_found);
  EXPECT_EQ(classify_failure(400, "AuthenticationError"), FailureKind::authentication);
}

// Verifies that every other class is classified by its status.
TEST(FailureTest, OtherClassesFollowTheStatus) {
  struct Row {
    int status;
    std::string_view error_class;
    FailureKind kind;
  };
  const Row rows[] = {
      {400, "BadRequestError", FailureKind::bad_request},
      {400, "UnsupportedParamsError", FailureKind::bad_request},
      {401, "APIError", FailureKind::authentication},
      {403, "PermissionDeniedError", FailureKind::authentication},
      {404, "APIError", FailureKind::not_found},
      {408, "APIError", FailureKind::timeout},
      {409, "APIError", FailureKind::bad_request},
      {422, "UnprocessableEntityError", FailureKind::bad_request},
      {429, "APIError", FailureKind::rate_limit},
      {500, "InternalServerError", FailureKind::server},
      {502, "APIError", FailureKind::server},
      {503, "ServiceUnavailableError", FailureKind::server},
      {200, "APIError", FailureKind::server},
      {0, "", FailureKind::server},
      {399, "", FailureKind::server},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(classify_failure(row.status, row.error_class), row.kind)
        << row.status << " " << row.error_class;
  }
}

// Verifies LiteLLM's _is_cooldown_required: 429/401/404/408/5xx/non-4xx may cool, other 4xx,
// connection errors and local refusals never do.
TEST(FailureTest, MayCoolDownTable) {
  struct Row {
    FailureKind kind;
    int status;
    bool cools;
  };
  const Row rows[] = {
      {FailureKind::rate_limit, 429, true},      {FailureKind::authentication, 401, true},
      {FailureKind::not_found, 404, true},       {FailureKind::timeout, 408, true},
      {FailureKind::server, 500, true},          {FailureKind::server, 503, true},
      {FailureKind::server, 200, true},          {FailureKind::bad_request, 400, false},
      {FailureKind::authentication, 403, false}, {FailureKind::bad_request, 422, false},
      {FailureKind::bad_request, 409, false},    {FailureKind::context_window, 400, false},
      {FailureKind::connection, 502, false},     {FailureKind::connection, 500, false},
      {FailureKind::local, 500, false},          {FailureKind::local, 429, false},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(may_cool_down(AttemptFailure{row.kind, row.status, std::nullopt}), row.cools)
        << static_cast<int>(row.kind) << " " << row.status;
  }
}

// Verifies litellm._should_retry: 408, 409, 429 and 5xx only.
TEST(FailureTest, RetryableStatuses) {
  for (const int status : {408, 409, 429, 500, 502, 503, 504, 599}) {
    EXPECT_TRUE(retryable_status(status)) << status;
  }
  for (const int status : {200, 400, 401, 403, 404, 422}) {
    EXPECT_FALSE(retryable_status(status)) << status;
  }
}

}  // namespace
}  // namespace llmtap::router

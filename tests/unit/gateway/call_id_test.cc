#include "gateway/call_id.h"

#include <regex>
#include <set>

#include <gtest/gtest.h>

namespace llmtap::gateway {
namespace {

// Verifies that call ids are distinct RFC 4122 version-4 UUIDs.
TEST(CallIdTest, IdsAreDistinctVersion4Uuids) {
  std::regex uuid4("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) {
    std::string id(new_call_id().view());
    ASSERT_TRUE(std::regex_match(id, uuid4)) << id;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 1000u);
}

}  // namespace
}  // namespace llmtap::gateway

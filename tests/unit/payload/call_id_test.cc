#include "payload/call_id.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>
#include <string_view>

#include "payload/record.h"

namespace llmtap::payload {
namespace {

// Verifies that a CallId holds a UUID's bytes and compares by them.
TEST(CallIdTest, HoldsAUuidAndComparesByItsBytes) {
  const std::string_view uuid = "9f6b5e2a-3c1d-4e8f-a7b6-1d2c3e4f5a6b";
  CallId id(uuid);
  EXPECT_EQ(id.view(), uuid);
  EXPECT_EQ(id.size(), 36u);
  EXPECT_TRUE(id == uuid);
  EXPECT_FALSE(id == CallId("9f6b5e2a"));
  EXPECT_TRUE(CallId().empty());
  EXPECT_EQ(CallId().view(), "");
}

// Verifies that assigning a shorter id leaves nothing of the longer one.
TEST(CallIdTest, ReassignmentReplacesTheWholeId) {
  CallId id("a-much-longer-first-id");
  id = "short";
  EXPECT_EQ(id.view(), "short");
  id = std::string_view();
  EXPECT_TRUE(id.empty());
}

// Verifies that an id past the capacity (only a foreign disk-buffer file could hold one) keeps its
// first bytes.
TEST(CallIdTest, LongerIdsAreCutToTheCapacity) {
  const std::string long_id(100, 'x');
  CallId id(long_id);
  EXPECT_EQ(id.size(), CallId::kCapacity);
  EXPECT_EQ(id.view(), std::string_view(long_id).substr(0, CallId::kCapacity));
  const std::string exact(CallId::kCapacity, 'y');
  EXPECT_EQ(CallId(exact).view(), exact);
}

// Verifies the reason the id is inline: a copied Record shares its bytes and owns an equal id.
TEST(CallIdTest, ACopiedRecordCarriesItsId) {
  Record record;
  record.json = std::make_shared<const std::string>("{}");
  record.call_id = "call-1";
  Record copy = record;
  record.call_id = "call-2";
  EXPECT_EQ(copy.call_id.view(), "call-1");
  EXPECT_EQ(copy.json.get(), record.json.get());
}

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
}  // namespace llmtap::payload

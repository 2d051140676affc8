#include "payload/call_id.h"

#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "payload/record.h"

namespace llmtap::payload {
namespace {

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

TEST(CallIdTest, ReassignmentReplacesTheWholeId) {
  CallId id("a-much-longer-first-id");
  id = "short";
  EXPECT_EQ(id.view(), "short");
  id = std::string_view();
  EXPECT_TRUE(id.empty());
}

// An id past the capacity (only a foreign spool file could hold one) keeps its first bytes.
TEST(CallIdTest, LongerIdsAreCutToTheCapacity) {
  const std::string long_id(100, 'x');
  CallId id(long_id);
  EXPECT_EQ(id.size(), CallId::kCapacity);
  EXPECT_EQ(id.view(), std::string_view(long_id).substr(0, CallId::kCapacity));
  const std::string exact(CallId::kCapacity, 'y');
  EXPECT_EQ(CallId(exact).view(), exact);
}

// The reason the id is inline: a copied Record shares its bytes and owns an equal id.
TEST(CallIdTest, ACopiedRecordCarriesItsId) {
  Record record;
  record.json = std::make_shared<const std::string>("{}");
  record.call_id = "call-1";
  Record copy = record;
  record.call_id = "call-2";
  EXPECT_EQ(copy.call_id.view(), "call-1");
  EXPECT_EQ(copy.json.get(), record.json.get());
}

}  // namespace
}  // namespace llmtap::payload

#include "gateway/dispatcher_record_sink.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "delivery/pipeline.h"

namespace llmtap::gateway {
namespace {

// Verifies that a dispatcher without pipelines (no callback configured) wants no records, so the
// handler does not build them, and a record handed to it anyway goes nowhere.
TEST(DispatcherRecordSinkTest, NoPipelinesWantNoRecords) {
  delivery::Dispatcher dispatcher{std::vector<std::unique_ptr<delivery::Pipeline>>{}};
  DispatcherRecordSink sink(dispatcher);
  EXPECT_FALSE(sink.wants_records());
  sink.dispatch(payload::Record{});
  EXPECT_EQ(sink.metrics_text(), dispatcher.metrics_text());
}

}  // namespace
}  // namespace llmtap::gateway

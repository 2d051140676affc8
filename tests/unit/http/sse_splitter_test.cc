#include "http/sse_splitter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace llmtap::http {
namespace {

struct Seen {
  std::string raw;
  std::string data;
  bool has_data = false;
  bool operator==(const Seen&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Seen& seen) {
  return os << "{raw=" << testing::PrintToString(seen.raw)
            << " data=" << testing::PrintToString(seen.data) << " has_data=" << seen.has_data
            << "}";
}

// Feeds `pieces` one by one and collects every event (copied: views die at the next append).
std::vector<Seen> split(SseSplitter& splitter, const std::vector<std::string>& pieces) {
  std::vector<Seen> out;
  for (const auto& piece : pieces) {
    splitter.append(piece);
    SseEvent event;
    while (splitter.next(event))
      out.push_back({std::string(event.raw), std::string(event.data), event.has_data});
  }
  return out;
}

std::vector<Seen> split(const std::vector<std::string>& pieces) {
  SseSplitter splitter;
  return split(splitter, pieces);
}

// Verifies that several events in one piece come out one by one, raw bytes and data each.
TEST(SseSplitterTest, SplitsSeveralEventsInOnePiece) {
  auto events = split({"data: {\"a\":1}\n\ndata: [DONE]\n\n"});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0], (Seen{"data: {\"a\":1}\n\n", "{\"a\":1}", true}));
  EXPECT_EQ(events[1], (Seen{"data: [DONE]\n\n", "[DONE]", true}));
}

// Verifies that an event cut at every possible byte boundary (and byte by byte) is reassembled.
TEST(SseSplitterTest, ReassemblesEventsSplitAtAnyBoundary) {
  const std::string stream = "data: {\"x\":\"hello\"}\r\n\r\n: ping\n\ndata: [DONE]\n\n";
  const std::vector<Seen> expected = {
      {"data: {\"x\":\"hello\"}\r\n\r\n", "{\"x\":\"hello\"}", true},
      {": ping\n\n", "", false},
      {"data: [DONE]\n\n", "[DONE]", true},
  };
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    EXPECT_EQ(split({stream.substr(0, cut), stream.substr(cut)}), expected) << "cut at " << cut;
  }
  std::vector<std::string> bytes;
  for (char c : stream) bytes.emplace_back(1, c);
  EXPECT_EQ(split(bytes), expected);
}

// Verifies that CRLF, lone CR and LF all end lines, including a CR that ends a piece.
TEST(SseSplitterTest, AcceptsEveryLineEnding) {
  auto events = split({"data: a\r", "\r", "data: b\r\rdata: c\n\n"});
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].data, "a");
  EXPECT_EQ(events[0].raw, "data: a\r\r");
  EXPECT_EQ(events[1].data, "b");
  EXPECT_EQ(events[2].data, "c");
}

// Verifies that multi-line data is joined with '\n' and that only one leading space is removed.
TEST(SseSplitterTest, JoinsMultiLineData) {
  auto events = split({"data: first\ndata:second\ndata:  third\nevent: x\nid: 7\n\n"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "first\nsecond\n third");
  EXPECT_EQ(events[0].raw, "data: first\ndata:second\ndata:  third\nevent: x\nid: 7\n\n");
}

// Verifies that the joined data of one event survives while the next event is built.
TEST(SseSplitterTest, JoinedDataStaysValidUntilNextCall) {
  SseSplitter splitter;
  splitter.append("data: a\ndata: b\n\ndata: c\ndata: d\n\n");
  SseEvent first;
  ASSERT_TRUE(splitter.next(first));
  const std::string first_data(first.data);
  SseEvent second;
  ASSERT_TRUE(splitter.next(second));
  EXPECT_EQ(first_data, "a\nb");
  EXPECT_EQ(second.data, "c\nd");
}

// Verifies that comment-only events (keep-alives) come out without data, and stray blank lines
// are not events.
TEST(SseSplitterTest, CommentsAreDatalessEventsAndBlankLinesAreSkipped) {
  auto events = split({"\n\n: keep-alive\n\n\ndata\n\n"});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0], (Seen{": keep-alive\n\n", "", false}));
  EXPECT_EQ(events[1], (Seen{"data\n\n", "", true}));
}

// Verifies that an incomplete event is held (and counted) until its blank line arrives.
TEST(SseSplitterTest, HoldsIncompleteEvent) {
  SseSplitter splitter;
  splitter.append("data: partial");
  SseEvent event;
  EXPECT_FALSE(splitter.next(event));
  EXPECT_EQ(splitter.pending_bytes(), 13u);
  splitter.append("\n");
  EXPECT_FALSE(splitter.next(event));
  splitter.append("\n");
  ASSERT_TRUE(splitter.next(event));
  EXPECT_EQ(event.data, "partial");
  EXPECT_EQ(splitter.pending_bytes(), 0u);
}

// Verifies that an event counts as SSE when any line is a comment or a data/event/id/retry
// field, and not when every line is something else (a JSON body, an HTML page).
TEST(SseSplitterTest, TellsSseFromOtherLines) {
  SseSplitter splitter;
  splitter.append(": ping\n\nevent: x\n\nid\n\ndata\n\n{\"id\":1}\n\n<html>\nretry-after: 1\n\n");
  std::vector<bool> sse;
  SseEvent event;
  while (splitter.next(event)) sse.push_back(event.sse);
  EXPECT_EQ(sse, (std::vector<bool>{true, true, true, true, false, false}));
}

// Verifies that an event that never ends stops the splitter once it exceeds the limit.
TEST(SseSplitterTest, OverflowsOnOversizedEvent) {
  SseSplitter splitter(16);
  splitter.append("data: 0123456789");
  SseEvent event;
  EXPECT_FALSE(splitter.next(event));
  EXPECT_FALSE(splitter.overflow());
  splitter.append("abcdef\ndata: more");
  EXPECT_FALSE(splitter.next(event));
  EXPECT_TRUE(splitter.overflow());
  splitter.append("\n\n");
  EXPECT_FALSE(splitter.next(event));
}

}  // namespace
}  // namespace llmtap::http

#include "delivery/clickhouse_row.h"

#include <simdjson.h>

#include <algorithm>
#include <array>

#include "payload/json_scanner.h"
#include "payload/json_writer.h"

namespace llmtap::delivery {
namespace {

namespace od = simdjson::ondemand;

// Top-level scalar members that become columns (the table's names, deploy/clickhouse/schema.sql).
constexpr std::array<std::string_view, 22> kTopScalars{"id",
                                                       "litellm_call_id",
                                                       "trace_id",
                                                       "call_type",
                                                       "stream",
                                                       "status",
                                                       "model",
                                                       "model_group",
                                                       "model_id",
                                                       "custom_llm_provider",
                                                       "api_base",
                                                       "prompt_tokens",
                                                       "completion_tokens",
                                                       "total_tokens",
                                                       "response_cost",
                                                       "startTime",
                                                       "endTime",
                                                       "completionStartTime",
                                                       "response_time",
                                                       "end_user",
                                                       "cache_hit",
                                                       "saved_cache_cost"};
// Members of nested objects that become columns under their own name.
constexpr std::array<std::string_view, 2> kMetadataScalars{"user_api_key_hash",
                                                           "requester_ip_address"};
constexpr std::array<std::string_view, 3> kErrorScalars{"error_class", "error_code",
                                                        "llm_provider"};

template <std::size_t N>
bool wanted(const std::array<std::string_view, N>& names, std::string_view key) {
  return std::find(names.begin(), names.end(), key) != names.end();
}

bool is_scalar(od::json_type type) {
  return type == od::json_type::string || type == od::json_type::number ||
         type == od::json_type::boolean;
}

void append_column(std::string& row, std::string_view name, std::string_view raw) {
  row.push_back('"');
  row.append(name);
  row.append("\":");
  row.append(payload::trim_json_space(raw));
  row.push_back(',');
}

// Copies the wanted scalar members of a nested object (metadata, error_information).
template <std::size_t N>
simdjson::error_code copy_nested(od::value& value, const std::array<std::string_view, N>& names,
                                 std::string& row) {
  return payload::JsonScanner::for_each_member(
      value, [&](std::string_view key, od::json_type type, od::value& item) {
        if (is_scalar(type) && wanted(names, key)) append_column(row, key, item.raw_json_token());
        return simdjson::SUCCESS;
      });
}

simdjson::error_code copy_columns(std::string_view record, std::string& row) {
  payload::JsonScanner& scanner = payload::JsonScanner::local();
  od::document doc;
  if (auto error = scanner.iterate(record, doc)) return error;
  return payload::JsonScanner::for_each_member(
      doc, [&](std::string_view key, od::json_type type, od::value& value) -> simdjson::error_code {
        if (is_scalar(type) && wanted(kTopScalars, key)) {
          append_column(row, key, value.raw_json_token());
        } else if (type == od::json_type::object && key == "metadata") {
          if (auto error = copy_nested(value, kMetadataScalars, row)) return error;
        } else if (type == od::json_type::object && key == "error_information") {
          if (auto error = copy_nested(value, kErrorScalars, row)) return error;
        } else if (type == od::json_type::array && key == "request_tags") {
          // Array(String): only an array of strings fits the column.
          std::string tags = "[";
          od::array array;
          if (auto error = value.get_array().get(array)) return error;
          bool all_strings = true;
          for (auto element : array) {
            std::string_view tag;
            if (element.get_string().get(tag) != simdjson::SUCCESS) {
              all_strings = false;
              break;
            }
            if (tags.size() > 1) tags.push_back(',');
            tags.push_back('"');
            payload::append_escaped(tags, tag);
            tags.push_back('"');
          }
          if (all_strings) {
            tags.push_back(']');
            append_column(row, key, tags);
          }
        }
        return simdjson::SUCCESS;
      });
}

}  // namespace

std::string clickhouse_row(std::string_view record) {
  std::string row;
  row.reserve(record.size() + record.size() / 8 + 1024);
  row.push_back('{');
  if (copy_columns(record, row) != simdjson::SUCCESS)
    row.resize(1);  // a broken record: "record" alone
  row.append("\"record\":\"");
  payload::append_escaped(row, record);
  row.append("\"}");
  return row;
}

}  // namespace llmtap::delivery

// ClickHouseRow: turns one record into one ClickHouse JSONEachRow row (the `clickhouse` envelope,
// deploy/clickhouse/schema.sql): the record's scalar fields as columns, plus the whole record as
// one JSON string column `record`, so nothing is lost and nested fields stay queryable with
// visitParamExtract*.
//
// Row: {<top-level scalars>,"user_api_key_hash":…,"error_class":…,"error_code":…,
//       "request_tags":[…],"record":"<the record, escaped>"}
// Values are copied as their raw JSON bytes (one on-demand pass over the record); null and
// values of an unexpected type are left out, so the column takes its default (NULL for Nullable
// columns). Booleans stay true/false: ClickHouse 18.16 reads them into UInt8 as 1/0.
// A record that is not a JSON object still yields a row: just "record".
//
// Thread-safety: a pure function; uses the calling thread's JsonScanner.
#pragma once

#include <string>
#include <string_view>

namespace llmtap::delivery {

std::string clickhouse_row(std::string_view record);

}  // namespace llmtap::delivery

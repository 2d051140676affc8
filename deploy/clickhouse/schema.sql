-- llmtap → ClickHouse: the table the `clickhouse` envelope (generic_api preset `clickhouse`) inserts
-- into with FORMAT JSONEachRow. One row per LLM call; docs/CLICKHOUSE.md has ready queries.
--
-- Works on ClickHouse 18.16 (Debian 12's clickhouse-server) and later:
--   * times are Float64 epoch seconds (18.16 has no DateTime64); `day` and `start_time` are
--     MATERIALIZED from startTime because 18.16's JSONEachRow does not evaluate DEFAULTs for
--     omitted columns (input_format_defaults_for_omitted_fields came later);
--   * Nullable where the record can carry null or omit the field (the envelope leaves nulls out,
--     so those columns read NULL, and non-Nullable ones their type's zero);
--   * booleans arrive as true/false and are stored as UInt8 1/0;
--   * `record` is the whole StandardLoggingPayload as a JSON string: nothing is lost, and nested
--     fields are read with visitParamExtract* (18.16) or JSONExtract* (19.3+).
-- Change the table name here and in CLICKHOUSE_TABLE together.
CREATE TABLE IF NOT EXISTS llm_logs
(
    id                   String,
    litellm_call_id      String,
    trace_id             Nullable(String),
    call_type            String,
    stream               UInt8,
    status               String,
    model                String,
    model_group          Nullable(String),
    model_id             Nullable(String),
    custom_llm_provider  Nullable(String),
    api_base             Nullable(String),
    prompt_tokens        UInt64,
    completion_tokens    UInt64,
    total_tokens         UInt64,
    response_cost        Float64,
    startTime            Float64,
    endTime              Nullable(Float64),
    completionStartTime  Nullable(Float64),
    response_time        Nullable(Float64),
    end_user             Nullable(String),
    user_api_key_hash    Nullable(String),
    requester_ip_address Nullable(String),
    cache_hit            Nullable(UInt8),
    saved_cache_cost     Nullable(Float64),
    error_class          Nullable(String),
    error_code           Nullable(String),
    llm_provider         Nullable(String),
    request_tags         Array(String),
    record               String,
    start_time           DateTime MATERIALIZED toDateTime(toUInt32(startTime)),
    day                  Date MATERIALIZED toDate(toDateTime(toUInt32(startTime)))
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (start_time, model, id);

// CallbackReader::finish_callbacks(): each listed name to a logger, a warning or an error
// (README "Resolving callback names").
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <set>

#include "config/callbacks.h"
#include "config/diagnostics.h"

namespace llmtap::config {
namespace {

constexpr std::string_view kGenericApi = "generic_api";

// LiteLLM's own callback names that llmtap does not implement: real configs list them, so they
// are warned about and skipped rather than refused.
constexpr std::array<std::string_view, 58> kLitellmBuiltinCallbacks{"langfuse",
                                                                    "langfuse_otel",
                                                                    "langsmith",
                                                                    "prometheus",
                                                                    "otel",
                                                                    "datadog",
                                                                    "datadog_llm_observability",
                                                                    "s3",
                                                                    "s3_v2",
                                                                    "gcs_bucket",
                                                                    "gcs_pubsub",
                                                                    "azure_storage",
                                                                    "dynamodb",
                                                                    "sqs",
                                                                    "aws_sqs",
                                                                    "sentry",
                                                                    "lunary",
                                                                    "helicone",
                                                                    "traceloop",
                                                                    "athina",
                                                                    "openmeter",
                                                                    "lago",
                                                                    "logfire",
                                                                    "literalai",
                                                                    "braintrust",
                                                                    "arize",
                                                                    "arize_phoenix",
                                                                    "langtrace",
                                                                    "galileo",
                                                                    "opik",
                                                                    "argilla",
                                                                    "mlflow",
                                                                    "humanloop",
                                                                    "pagerduty",
                                                                    "posthog",
                                                                    "weights_biases",
                                                                    "wandb",
                                                                    "promptlayer",
                                                                    "llmonitor",
                                                                    "supabase",
                                                                    "greenscale",
                                                                    "clickhouse",
                                                                    "custom_callback_api",
                                                                    "dynamic_rate_limiter",
                                                                    "dynamic_rate_limiter_v3",
                                                                    "agentops",
                                                                    "deepeval",
                                                                    "cloudzero",
                                                                    "resend_email",
                                                                    "smtp_email",
                                                                    "slack",
                                                                    "email",
                                                                    "berrispend",
                                                                    "anthropic_cache_control_hook",
                                                                    "bedrock_vector_store",
                                                                    "vector_store_pre_call_hook",
                                                                    "dotprompt",
                                                                    "levo"};

}  // namespace

std::vector<std::string_view> CallbackReader::known_callbacks() const {
  std::vector<std::string_view> names;
  for (const auto& entry : entries_) names.push_back(entry.name);
  std::vector<std::string_view> preset_names;
  for (const auto& preset : presets_) {
    if (std::find(names.begin(), names.end(), preset.name) == names.end()) {
      preset_names.push_back(preset.name);
    }
  }
  std::sort(preset_names.begin(), preset_names.end());
  names.insert(names.end(), preset_names.begin(), preset_names.end());
  names.push_back(kGenericApi);
  return names;
}

void CallbackReader::finish_callbacks(Config& config) {
  if (presets_.empty()) presets_ = builtin_presets();
  std::set<std::string> used_entries;
  for (const CallbackUse& use : uses_) {
    auto entry = std::find_if(entries_.begin(), entries_.end(),
                              [&](const RawLogger& raw) { return raw.name == use.name; });
    std::optional<CallbackConfig> built;
    if (entry != entries_.end()) {
      used_entries.insert(use.name);
      built = build(*entry, use.success, use.failure);
    } else if (auto other = other_entries_.find(use.name); other != other_entries_.end()) {
      diagnostics_.warn(
          other->second,
          fmt::format("callback_type '{}' is not supported by llmtap; callback '{}' ignored",
                      other_types_[use.name], use.name));
    } else if (const Preset* preset = find_preset(use.name)) {
      RawLogger raw;
      raw.name = use.name;
      raw.where = use.where;
      layer_preset(*preset, use.where, raw);
      built = build(raw, use.success, use.failure);
    } else if (use.name == kGenericApi) {
      RawLogger raw;
      raw.name = use.name;
      raw.where = use.where;
      built = build(raw, use.success, use.failure);
    } else if (std::find(kLitellmBuiltinCallbacks.begin(), kLitellmBuiltinCallbacks.end(),
                         use.name) != kLitellmBuiltinCallbacks.end()) {
      diagnostics_.warn(use.where,
                        fmt::format("callback '{}' is not supported by llmtap; ignored", use.name));
    } else if (use.name.find('.') != std::string::npos) {
      diagnostics_.warn(
          use.where,
          fmt::format("custom Python callback '{}' is not supported by llmtap; ignored", use.name));
    } else {
      const auto known = known_callbacks();
      diagnostics_.error(use.where,
                         fmt::format("unknown callback '{}'{} (known: {})", use.name,
                                     did_you_mean(use.name, known), fmt::join(known, ", ")));
    }
    if (built) config.callbacks.push_back(std::move(*built));
  }
  for (const RawLogger& raw : entries_) {
    if (used_entries.count(raw.name) != 0) continue;
    // Still validated, so a typo in an unused entry is found before it is switched on.
    build(raw, true, true);
    diagnostics_.warn(raw.where,
                      fmt::format("callback '{}' is not listed in litellm_settings.callbacks, "
                                  "success_callback or failure_callback; ignored",
                                  raw.name));
  }
}

}  // namespace llmtap::config

// describe(): check-config's report. Every secret goes through config/mask.h; a callback's
// settings are printed by config/callback_schema.h's table.
#include "config/describe.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <vector>

#include "base/ascii.h"
#include "config/callback_schema.h"
#include "config/mask.h"

namespace llmtap::config {
namespace {

constexpr std::size_t kLineWidth = 100;

std::string seconds(std::chrono::milliseconds d) {
  return fmt::format("{}s", std::chrono::duration<double>(d).count());
}

// "name value" of one key, as check-config prints it.
std::string key_text(const CallbackKey& key, const CallbackConfig& cb) {
  std::string value = value_text(key, cb);
  if (key.kind == KeyKind::secret) value = mask_secret(value);
  if (key.kind == KeyKind::duration || key.kind == KeyKind::duration_or_zero) value += "s";
  if (std::holds_alternative<Field<Envelope>>(key.field)) {
    for (const auto& [name, field] : cb.envelope_fields)
      value += fmt::format(" {}={}", name, field);
  }
  if (key.kind == KeyKind::flag && !cb.tls.verify && key.name == "tls.verify") {
    value += " (certificates NOT checked)";
  }
  return fmt::format("{} {}", key.name, value);
}

bool is_shown(const CallbackKey& key, const CallbackConfig& cb) {
  switch (key.shown) {
    case KeyShown::always:
      return true;
    case KeyShown::with_disk_buffer:
      return cb.buffer == BufferKind::disk;
    case KeyShown::when_set:
      return value_text(key, cb) != default_text(key) && value_text(key, cb) != "none";
    case KeyShown::hidden:
      return false;
  }
  return false;
}

void describe_callback(const CallbackConfig& cb, std::vector<std::string>& lines) {
  std::vector<std::string_view> events;
  if (cb.log_success) events.push_back("llm_api_success");
  if (cb.log_failure) events.push_back("llm_api_failure");
  lines.push_back(fmt::format("  {} -> {}", cb.name, mask_url(cb.endpoint)));
  lines.push_back(fmt::format("    events {}", fmt::join(events, ", ")));
  // The usual keys, wrapped; those set away from their defaults on lines of their own.
  std::string line;
  std::vector<std::string> set_away;
  for (const CallbackKey& key : callback_keys()) {
    if (!is_shown(key, cb)) continue;
    if (key.shown == KeyShown::when_set) {
      set_away.push_back(key_text(key, cb));
      continue;
    }
    std::string part = key_text(key, cb);
    if (!line.empty() && line.size() + part.size() + 2 > kLineWidth) {
      lines.push_back(line + ",");
      line.clear();
    }
    line += line.empty() ? "    " + part : ", " + part;
  }
  if (!line.empty()) lines.push_back(line);
  for (const auto& [name, value] : cb.headers) {
    const bool is_public = ascii::iequals(name, "content-type");
    lines.push_back(fmt::format("    {}: {}", name, is_public ? value : mask_secret(value)));
  }
  if (!set_away.empty()) lines.push_back(fmt::format("    {}", fmt::join(set_away, ", ")));
}

void describe_deployments(const Config& config, std::vector<std::string>& lines) {
  lines.push_back(fmt::format("deployments ({}):", config.deployments.size()));
  for (const Deployment& d : config.deployments) {
    std::string target = d.mock_response ? std::string("mock_response (answered locally)")
                                         : fmt::format("{}/{} @ {}", d.provider, d.upstream_model,
                                                       mask_url(d.api_base));
    lines.push_back(fmt::format("  {} -> {}", d.model_name, target));
    std::string details = fmt::format("id {}, timeout {}, api_key {}", d.id, seconds(d.timeout),
                                      d.api_key.empty() ? "none" : mask_secret(d.api_key));
    if (d.auth == UpstreamAuth::aws_sigv4) {
      details += fmt::format(", region {}, signed with access key {}", d.aws.region,
                             mask_secret(d.aws.access_key_id));
    }
    if (d.input_cost_per_token || d.output_cost_per_token) {
      details += fmt::format(", cost/token in {} out {}", d.input_cost_per_token.value_or(0),
                             d.output_cost_per_token.value_or(0));
    }
    lines.push_back("    " + details);
  }
  std::vector<std::string> unroutable;
  for (const std::string& name : config.model_names) {
    if (std::none_of(config.deployments.begin(), config.deployments.end(),
                     [&](const Deployment& d) { return d.model_name == name; })) {
      unroutable.push_back(name);
    }
  }
  if (!unroutable.empty()) {
    lines.push_back(
        fmt::format("models with no usable deployment: {}", fmt::join(unroutable, ", ")));
  }
}

}  // namespace

std::string describe(const Config& config) {
  std::vector<std::string> lines;
  lines.push_back(fmt::format("config: {}", config.source_path));
  lines.push_back(fmt::format("master_key: {}", config.master_key.empty()
                                                    ? "none (no client auth)"
                                                    : mask_secret(config.master_key)));
  describe_deployments(config, lines);
  lines.push_back(fmt::format("callbacks ({}):", config.callbacks.size()));
  for (const CallbackConfig& cb : config.callbacks) describe_callback(cb, lines);
  if (config.turn_off_message_logging) lines.emplace_back("turn_off_message_logging: true");
  if (!config.excluded_fields.empty()) {
    lines.push_back(fmt::format("standard_logging_payload_excluded_fields: {}",
                                fmt::join(config.excluded_fields, ", ")));
  }
  if (!config.model_prices_file.empty()) {
    lines.push_back("model_prices_file: " + config.model_prices_file);
  }
  lines.push_back(fmt::format("shutdown_timeout: {}", seconds(config.shutdown_timeout)));
  lines.push_back(fmt::format("request_read_timeout: {}", seconds(config.request_read_timeout)));
  if (!config.environment_variables.empty()) {
    std::vector<std::string> names;
    for (const auto& [name, value] : config.environment_variables) names.push_back(name);
    lines.push_back(fmt::format("environment_variables set: {}", fmt::join(names, ", ")));
  }
  std::string out;
  for (const std::string& line : lines) out += line + '\n';
  return out;
}

}  // namespace llmtap::config

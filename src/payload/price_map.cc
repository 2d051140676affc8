#include "payload/price_map.h"

#include <array>
#include <cstring>
#include <utility>

#include "llmtap_data.h"
#include "payload/json_scanner.h"
#include "payload/json_writer.h"

namespace llmtap::payload {

namespace od = simdjson::ondemand;

namespace {

// Reads one entry's object, keeping the prices and provider; every other key is only validated.
simdjson::error_code read_entry(od::value& value, ModelPrice& price) {
  const char* start = value.raw_json_token().data();
  auto read_member = [&price](std::string_view key, od::json_type type,
                              od::value& item) -> simdjson::error_code {
    double* cost = key == "input_cost_per_token"          ? &price.input_cost_per_token
                   : key == "output_cost_per_token"       ? &price.output_cost_per_token
                   : key == "cache_read_input_token_cost" ? &price.cache_read_input_token_cost
                   : key == "cache_creation_input_token_cost"
                       ? &price.cache_creation_input_token_cost
                       : nullptr;
    if (cost && type == od::json_type::number) {
      if (auto error = item.get_double().get(*cost)) return error;
    } else if (key == "max_output_tokens" && type == od::json_type::number) {
      double tokens = 0;  // some entries write 8192.0
      if (auto error = item.get_double().get(tokens)) return error;
      if (tokens >= 1 && tokens < 1e12) price.max_output_tokens = static_cast<std::int64_t>(tokens);
    } else if (key == "litellm_provider" && type == od::json_type::string) {
      std::string_view provider;
      if (auto error = item.get_string().get(provider)) return error;
      price.litellm_provider.assign(provider);
    } else if (auto error = JsonScanner::validate(item, 2)) {
      return error;
    }
    return simdjson::SUCCESS;
  };
  if (auto error = JsonScanner::for_each_member(value, read_member)) return error;
  std::string_view raw;
  if (auto error = JsonScanner::slice_to_here(value, start, &raw)) return error;
  // Stored compact once here, so records copy it without the per-record compaction slow path.
  price.raw_json.clear();
  JsonWriter(price.raw_json).raw(raw);
  return simdjson::SUCCESS;
}

}  // namespace

Result<PriceMap, std::string> PriceMap::parse(std::string_view json) {
  auto fail = [](simdjson::error_code code) -> Result<PriceMap, std::string> {
    if (code == simdjson::INCORRECT_TYPE) {
      return std::string("model price map: expected a JSON object of model entries");
    }
    return std::string("model price map: invalid JSON (") + simdjson::error_message(code) + ")";
  };
  // A private scanner: the map can be megabytes, and the per-thread buffer should not keep that.
  JsonScanner scanner;
  od::document doc;
  if (auto code = scanner.iterate(json, doc)) return fail(code);
  od::object root;
  if (auto code = doc.get_object().get(root)) return fail(code);
  PriceMap map;
  for (auto field_result : root) {
    od::field field;
    std::string_view key;
    od::json_type type;
    if (auto code = JsonScanner::member(std::move(field_result), field, key, type)) {
      return fail(code);
    }
    od::value& value = field.value();
    if (key == "sample_spec" || type != od::json_type::object) {
      if (auto code = JsonScanner::validate(value, 1)) return fail(code);
      continue;
    }
    ModelPrice price;
    price.key.assign(key);
    if (auto code = read_entry(value, price)) return fail(code);
    map.entries_.insert_or_assign(price.key, std::move(price));
  }
  if (!JsonScanner::at_end(doc)) return fail(simdjson::TRAILING_CONTENT);
  return map;
}

std::shared_ptr<const PriceMap> PriceMap::builtin() {
  // A function-local static is initialized once, thread-safely, on first use.
  static const std::shared_ptr<const PriceMap> kMap = [] {
    auto parsed = parse(llmtap::data::model_prices_json());
    // The embedded file is checked by the tests; an empty map (every model costs 0) is the safe
    // fallback should it ever not parse.
    return std::make_shared<const PriceMap>(parsed ? std::move(*parsed) : PriceMap());
  }();
  return kMap;
}

const ModelPrice* PriceMap::find(std::string_view provider, std::string_view model) const {
  if (!provider.empty()) {
    std::array<char, 256> buffer;
    if (provider.size() + 1 + model.size() <= buffer.size()) {
      std::memcpy(buffer.data(), provider.data(), provider.size());
      buffer[provider.size()] = '/';
      std::memcpy(buffer.data() + provider.size() + 1, model.data(), model.size());
      const std::string_view key(buffer.data(), provider.size() + 1 + model.size());
      if (auto it = entries_.find(key); it != entries_.end()) return &it->second;
    }
  }
  auto it = entries_.find(model);
  return it == entries_.end() ? nullptr : &it->second;
}

}  // namespace llmtap::payload

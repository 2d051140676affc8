// PriceMap: per-token prices by model, read from a JSON file in LiteLLM's
// model_prices_and_context_window.json format (the default one is compiled into the binary).
//
// Entries without prices are kept with 0 (they still fill model_map_information); `sample_spec`
// (the format's documentation entry) is skipped. Immutable after load; lookups are safe from any
// thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/result.h"
namespace llmtap::payload {

struct ModelPrice {
  std::string key;  // the map key that matched, for model_map_information
  std::string litellm_provider;
  double input_cost_per_token = 0;
  double output_cost_per_token = 0;
  double cache_read_input_token_cost = 0;      // a prompt token read from the provider's cache
  double cache_creation_input_token_cost = 0;  // a prompt token written to it
  std::int64_t max_output_tokens = 0;          // 0: the map does not say
  std::string raw_json;                        // the entry as found in the file (model_map_value)
};

class PriceMap {
 public:
  // Parses a LiteLLM price map; the error says what is wrong with the JSON.
  static Result<PriceMap, std::string> parse(std::string_view json);
  // The built-in map (data/model_prices.json), parsed once.
  static std::shared_ptr<const PriceMap> builtin();

  // Looks up `provider/model` then `model`.
  const ModelPrice* find(std::string_view provider, std::string_view model) const;
  std::size_t size() const { return entries_.size(); }

 private:
  // Transparent hashing lets find() look up a string_view without building a std::string.
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const {
      return std::hash<std::string_view>{}(key);
    }
  };
  std::unordered_map<std::string, ModelPrice, KeyHash, std::equal_to<>> entries_;
};

}  // namespace llmtap::payload

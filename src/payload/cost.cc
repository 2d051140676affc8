#include "payload/cost.h"

#include <algorithm>
#include <cstdint>

namespace llmtap::payload {

Cost compute_cost(const CallInfo& call, const ResponseFacts& response, const PriceMap* prices) {
  Cost cost;
  const std::string_view model = call.price_model.empty() ? call.model : call.price_model;
  cost.price = prices != nullptr ? prices->find(call.custom_llm_provider, model) : nullptr;
  // A deployment that sets one of its prices sets both: the other one is 0, not the map's.
  const bool custom_pricing =
      call.input_cost_per_token.has_value() || call.output_cost_per_token.has_value();
  cost.known = custom_pricing || cost.price != nullptr;
  if (call.error.has_value()) return cost;
  const ModelPrice* price = cost.price;
  const double input_price = custom_pricing ? call.input_cost_per_token.value_or(0)
                                            : (price ? price->input_cost_per_token : 0);
  const double output_price = custom_pricing ? call.output_cost_per_token.value_or(0)
                                             : (price ? price->output_cost_per_token : 0);
  // Cache reads and writes are priced as LiteLLM prices them (generic_cost_per_token) when the
  // map gives their prices: prompt = text × input + read × cache read + write × cache write, the
  // text tokens being the prompt tokens neither read nor written. A price the map does not give
  // (or a deployment's own prices) leaves those tokens at the input price.
  const double read_price = !custom_pricing && price && price->cache_read_input_token_cost > 0
                                ? price->cache_read_input_token_cost
                                : input_price;
  const double write_price = !custom_pricing && price && price->cache_creation_input_token_cost > 0
                                 ? price->cache_creation_input_token_cost
                                 : input_price;
  const std::int64_t cached = std::max<std::int64_t>(0, response.cache_read_tokens);
  const std::int64_t written = std::max<std::int64_t>(0, response.cache_creation_tokens);
  const std::int64_t text = std::max<std::int64_t>(0, response.prompt_tokens - cached - written);
  cost.input = static_cast<double>(text) * input_price + static_cast<double>(cached) * read_price +
               static_cast<double>(written) * write_price;
  cost.output = static_cast<double>(response.completion_tokens) * output_price;
  cost.total = cost.input + cost.output;
  return cost;
}

}  // namespace llmtap::payload

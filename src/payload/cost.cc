#include "payload/cost.h"

namespace llmtap::payload {

Cost compute_cost(const CallInfo& call, const ResponseFacts& response, const PriceMap* prices) {
  Cost cost;
  cost.price = prices != nullptr ? prices->find(call.custom_llm_provider, call.model) : nullptr;
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
  cost.input = static_cast<double>(response.prompt_tokens) * input_price;
  cost.output = static_cast<double>(response.completion_tokens) * output_price;
  cost.total = cost.input + cost.output;
  return cost;
}

}  // namespace llmtap::payload

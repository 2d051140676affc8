// compute_cost: what one call cost, from its token counts and a per-token price — the deployment's
// own prices when it sets either of them, else the price map's entry for the model. A failed call
// costs 0 (LiteLLM records no cost for it) but still names the map entry it would have used.
//
// Pure: no state, safe from any thread. The result points into the PriceMap passed in.
#pragma once

#include "payload/call_info.h"
#include "payload/price_map.h"
#include "payload/response_reader.h"

namespace llmtap::payload {

struct Cost {
  double input = 0;   // prompt tokens × input price (cache reads and writes at their prices)
  double output = 0;  // completion tokens × output price
  double total = 0;   // input + output
  // The price map's entry for the call's model (model_map_information), whether or not the
  // deployment's own prices were used; null when the model is not in the map.
  const ModelPrice* price = nullptr;
  // Whether any price applies: the deployment sets one, or the model is in the map. When not, a
  // successful call's record explains why its cost is 0 (response_cost_failure_debug_info).
  bool known = false;
};

// `prices` may be null: then only the deployment's own prices apply.
Cost compute_cost(const CallInfo& call, const ResponseFacts& response, const PriceMap* prices);

}  // namespace llmtap::payload

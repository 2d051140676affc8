// make_dispatcher: the production Dispatcher, its pipelines wired to the real runtime (timers,
// posted work) and one http::Client per callback. Lives in llmtap_delivery, apart from the
// Dispatcher itself, so the delivery core (and its tests) link without the Asio http library.
//
// Start-up only; the result is used as dispatcher.h describes.
#pragma once

#include <memory>
#include <vector>

#include "config/config.h"
#include "delivery/dispatcher.h"
#include "http/runtime.h"

namespace llmtap::delivery {

// One Pipeline per callback, each sending through its own http::Client on `runtime`, with the
// disk buffer and dead-letter store its config asks for. Throws std::runtime_error when a disk
// buffer cannot be opened.
std::unique_ptr<Dispatcher> make_dispatcher(http::Runtime& runtime,
                                            std::vector<config::CallbackConfig> callbacks);

}  // namespace llmtap::delivery

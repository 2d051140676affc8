// Private to src/http/: what the Runtime holds, so the server and client can reach its io_context.
//
// Lifecycle: owned by Runtime. Thread-safety: io_context is thread-safe; the rest is guarded by mu.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "http/runtime.h"

namespace llmtap::http {

struct Runtime::Impl {
  boost::asio::io_context io;
  std::mutex mu;
  // Keeps run() from returning while there is nothing to do; stop() drops it.
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work;
  bool stopped = false;  // guarded by mu
  std::vector<std::unique_ptr<boost::asio::signal_set>> signals;  // guarded by mu
};

}  // namespace llmtap::http

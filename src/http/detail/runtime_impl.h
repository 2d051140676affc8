// Private to src/http/: what the Runtime holds, so the server and client can reach its io_context.
//
// Lifecycle: owned by Runtime. Thread-safety: io_context is thread-safe; the rest is guarded by mu.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "http/runtime.h"

namespace llmtap::http {

struct Runtime::Impl {
  // The concurrency hint lets Asio skip work meant for several run() threads when there is one.
  explicit Impl(unsigned run_threads) : io(static_cast<int>(run_threads)), threads(run_threads) {}

  // The executor for one connection (or any other chain of handlers that must not run
  // concurrently): a strand when several threads run the loop; with one thread every handler
  // is already serialised, and a strand would only add a lock and a queue hop per handler.
  boost::asio::any_io_executor serial_executor() {
    if (threads == 1) return io.get_executor();
    return boost::asio::make_strand(io);
  }

  boost::asio::io_context io;
  const unsigned threads;
  std::mutex mu;
  // Keeps run() from returning while there is nothing to do; stop() drops it.
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work;
  bool stopped = false;                                           // guarded by mu
  std::vector<std::unique_ptr<boost::asio::signal_set>> signals;  // guarded by mu
};

}  // namespace llmtap::http

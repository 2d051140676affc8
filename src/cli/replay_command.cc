// `llmtap replay`: sends again what a callback kept on disk — its dead-letter files (batches an
// endpoint rejected) and/or its disk buffer (records a stopped server had not delivered) — with
// the callback's format, headers, signing and retries, to its endpoint or to --endpoint.
// A dead-letter file is deleted once every record in it got a 2xx; records from the disk buffer
// leave it the same way. Batches rejected again go back to the dead-letter store. Run it while
// no server uses the buffer (the buffer folder is locked by a running server).
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <memory>
#include <thread>

#include "cli/commands.h"
#include "config/loader.h"
#include "delivery/dead_letter.h"
#include "delivery/durable_options.h"
#include "delivery/http_transport.h"
#include "delivery/pipeline.h"
#include "delivery/runtime_scheduler.h"
#include "http/runtime.h"

namespace llmtap::cli {
namespace {

constexpr int kExitIncomplete = 1;
constexpr int kExitBadConfig = 2;

struct Totals {
  std::uint64_t sent = 0;       // records delivered with a 2xx
  std::uint64_t remaining = 0;  // records still on disk (dead letters or buffer)
  std::uint64_t files_done = 0;
};

// Pushes `records` (none for a buffer replay: the disk buffer brings its own), drains until
// everything is acked or `deadline`, and returns the drain report.
delivery::PipelineDrain drain_through(http::Runtime& runtime,
                                      const config::CallbackConfig& callback,
                                      delivery::PipelineOptions options,
                                      const std::vector<std::string>& records,
                                      std::chrono::steady_clock::time_point deadline,
                                      delivery::PipelineStats* stats) {
  auto scheduler = std::make_shared<delivery::RuntimeScheduler>(runtime);
  auto pipeline = std::make_unique<delivery::Pipeline>(
      callback, std::make_unique<delivery::HttpTransport>(runtime, callback), scheduler,
      std::move(options));
  for (const auto& json : records) {
    payload::Record record;
    record.json = std::make_shared<const std::string>(json);
    pipeline->push(record);
  }
  std::promise<delivery::PipelineDrain> done;
  auto future = done.get_future();
  pipeline->shutdown(deadline,
                     [&done](delivery::PipelineDrain drain) { done.set_value(std::move(drain)); });
  auto drain = future.get();
  *stats = pipeline->stats();
  return drain;
}

// Sends what `callback`'s disk buffer holds; false when the buffer could not be opened.
bool replay_buffer(http::Runtime& runtime, const config::CallbackConfig& callback,
                   std::chrono::steady_clock::time_point deadline, Totals& totals) {
  delivery::PipelineOptions pipeline_options;
  try {
    pipeline_options = delivery::durable_pipeline_options(callback);
    if (!pipeline_options.disk_buffer) {
      pipeline_options.disk_buffer = delivery::open_disk_buffer(callback);
    }
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return false;
  }
  delivery::PipelineStats stats;
  auto drain = drain_through(runtime, callback, std::move(pipeline_options), {}, deadline, &stats);
  std::printf("%s: buffer: %llu record(s) delivered to %s, %llu left on disk\n",
              callback.name.c_str(), static_cast<unsigned long long>(stats.batcher.delivered),
              callback.endpoint.c_str(), static_cast<unsigned long long>(drain.kept_on_disk));
  totals.sent += stats.batcher.delivered;
  totals.remaining += drain.kept_on_disk;
  return true;
}

// Sends `callback`'s dead-letter files, deleting each once all of it lands; false when a file
// could not be read.
bool replay_dead_letters(http::Runtime& runtime, const config::CallbackConfig& callback,
                         std::chrono::milliseconds timeout, Totals& totals) {
  bool ok = true;
  std::uint64_t sent = 0, left = 0, files = 0;
  for (const auto& path : delivery::list_dead_letter_files(callback.dead_letter_path)) {
    auto file = delivery::read_dead_letter_file(path);
    if (!file) {
      spdlog::error("{}: {}", path, file.error().message());
      ok = false;
      continue;
    }
    // Rejected again: logged, not re-filed; the original file stays until all of it lands.
    delivery::PipelineOptions pipeline_options;
    pipeline_options.dead_letter = std::make_shared<delivery::LoggingDeadLetterSink>();
    delivery::PipelineStats stats;
    drain_through(runtime, callback, std::move(pipeline_options), file->records,
                  std::chrono::steady_clock::now() + timeout, &stats);
    sent += stats.batcher.delivered;
    if (stats.batcher.delivered == file->records.size()) {
      std::error_code ec;
      std::filesystem::remove(path, ec);
      ++files;
    } else {
      left += file->records.size();
    }
  }
  std::printf(
      "%s: dead letters: %llu record(s) delivered to %s (%llu file(s) done), %llu record(s) "
      "left\n",
      callback.name.c_str(), static_cast<unsigned long long>(sent), callback.endpoint.c_str(),
      static_cast<unsigned long long>(files), static_cast<unsigned long long>(left));
  totals.sent += sent;
  totals.remaining += left;
  totals.files_done += files;
  return ok;
}

}  // namespace

int run_replay(const ReplayOptions& options) {
  auto loaded = config::load_config(options.config_path, config::process_environment());
  if (!loaded.config) {
    for (const auto& e : loaded.errors) spdlog::error("{}", e.to_string());
    return kExitBadConfig;
  }
  std::vector<config::CallbackConfig> callbacks;
  for (const auto& cb : loaded.config->callbacks) {
    if (options.callback.empty() || cb.name == options.callback) callbacks.push_back(cb);
  }
  if (callbacks.empty()) {
    spdlog::error("{}: no callback named '{}'", options.config_path, options.callback);
    return kExitBadConfig;
  }
  if (!options.endpoint.empty() && options.endpoint.rfind("http://", 0) != 0 &&
      options.endpoint.rfind("https://", 0) != 0) {
    spdlog::error("--endpoint: expected an http:// or https:// URL, got '{}'", options.endpoint);
    return kExitBadConfig;
  }
  const bool both = !options.dead_letter && !options.buffer;

  http::Runtime runtime(1);
  std::thread loop([&runtime] { runtime.run(); });
  Totals totals;
  int exit_code = 0;
  const auto timeout =
      std::chrono::milliseconds(static_cast<std::int64_t>(options.timeout_seconds * 1000));
  for (auto callback : callbacks) {
    if (!options.endpoint.empty()) callback.endpoint = options.endpoint;
    if ((options.buffer || both) && std::filesystem::exists(callback.buffer_path + "/id") &&
        !replay_buffer(runtime, callback, std::chrono::steady_clock::now() + timeout, totals)) {
      exit_code = kExitIncomplete;
      continue;
    }
    if ((options.dead_letter || both) && !callback.dead_letter_path.empty() &&
        !replay_dead_letters(runtime, callback, timeout, totals)) {
      exit_code = kExitIncomplete;
    }
  }
  std::fflush(stdout);
  runtime.stop();
  loop.join();
  if (totals.remaining > 0) exit_code = kExitIncomplete;
  std::printf("replay: %llu record(s) delivered, %llu left\n",
              static_cast<unsigned long long>(totals.sent),
              static_cast<unsigned long long>(totals.remaining));
  return exit_code;
}

}  // namespace llmtap::cli

// `llmtap serve`: builds the pieces in dependency order, serves until SIGTERM/SIGINT, then shuts
// down in order: stop accepting → finish in-flight requests → drain every callback (bounded by
// litellm_settings.shutdown_timeout) → report what could not be delivered → exit.
#include <pthread.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <system_error>
#include <thread>

#include "cli/commands.h"
#include "config/loader.h"
#include "delivery/dispatcher.h"
#include "delivery/dispatcher_runtime.h"
#include "gateway/dispatcher_record_sink.h"
#include "gateway/http_upstream_transport.h"
#include "gateway/request_handler.h"
#include "http/client.h"
#include "http/runtime.h"
#include "http/server.h"
#include "payload/price_map.h"
#include "payload/record_builder.h"

namespace llmtap::cli {
namespace {

constexpr int kExitFailure = 1;
constexpr int kExitBadConfig = 2;

std::shared_ptr<const payload::PriceMap> load_prices(const std::string& path) {
  if (path.empty()) return payload::PriceMap::builtin();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    spdlog::error("{}: cannot read the model price map (litellm_settings.model_prices_file)", path);
    return nullptr;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto map = payload::PriceMap::parse(text.str());
  if (!map) {
    spdlog::error("{}: invalid model price map: {}", path, map.error());
    return nullptr;
  }
  return std::make_shared<const payload::PriceMap>(std::move(*map));
}

// The shutdown summary: per callback what was lost or kept on disk, then the totals. "Lost"
// counts records given up while running too, so it is never 0 when records were dropped.
void log_drain_report(const delivery::DrainReport& report) {
  for (const auto& entry : report.callbacks) {
    const std::uint64_t lost = entry.undelivered - std::min(entry.undelivered, entry.kept_on_disk);
    if (lost > 0) {
      spdlog::error(
          "callback '{}': {} record(s) could not be delivered before the deadline and are lost",
          entry.callback, lost);
    }
    if (entry.given_up > 0) {
      spdlog::error(
          "callback '{}': {} record(s) were given up while running (dropped, or rejected without "
          "a dead-letter file) and are lost",
          entry.callback, entry.given_up);
    }
    if (entry.kept_on_disk > 0) {
      spdlog::warn(
          "callback '{}': {} record(s) not delivered yet are kept in the disk buffer and will be "
          "sent after a restart",
          entry.callback, entry.kept_on_disk);
    }
  }
  spdlog::info("drained; {} record(s) undelivered at the end, {} kept on disk; {} lost in all",
               report.total_undelivered(), report.total_kept_on_disk(), report.total_lost());
}

// The config, with its environment_variables set into the process; nullopt (errors logged)
// when it does not load.
std::optional<config::Config> load_serve_config(const std::string& path) {
  auto loaded = config::load_config(path, config::process_environment());
  for (const auto& w : loaded.warnings) spdlog::warn("{}", w.to_string());
  if (!loaded.config) {
    for (const auto& e : loaded.errors) spdlog::error("{}", e.to_string());
    spdlog::error("{}: {} error(s); not starting", path, loaded.errors.size());
    return std::nullopt;
  }
  for (const auto& [name, value] : loaded.config->environment_variables) {
    ::setenv(name.c_str(), value.c_str(), 1);
  }
  return std::move(loaded.config);
}

}  // namespace

void init_logging() {
  auto logger = spdlog::stderr_color_mt("llmtap");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  spdlog::set_default_logger(logger);
}

int run_serve(const ServeOptions& options) {
  const std::optional<config::Config> loaded = load_serve_config(options.config_path);
  if (!loaded) return kExitBadConfig;
  const config::Config& cfg = *loaded;

  auto prices = load_prices(cfg.model_prices_file);
  if (!prices) return kExitBadConfig;
  payload::RecordBuilder builder(
      payload::BuilderOptions{cfg.turn_off_message_logging, cfg.excluded_fields, prices});

  unsigned threads =
      options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  http::Runtime runtime(threads);
  // Delivery (encoding a batch, compressing and signing it, the sends, disk-buffer reads) runs on
  // a loop and thread of its own: a 100-record batch is hundreds of KB to encode and write, and
  // on the request loop every such batch would hold up whichever client request came next.
  http::Runtime delivery_runtime(1);
  http::Client upstream(runtime, http::ClientOptions{});
  std::unique_ptr<delivery::Dispatcher> dispatcher_owner;
  try {
    // Opens every disk buffer (recovering what a previous run left) and dead-letter store.
    dispatcher_owner = delivery::make_dispatcher(delivery_runtime, cfg.callbacks);
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return kExitFailure;
  }
  delivery::Dispatcher& dispatcher = *dispatcher_owner;
  gateway::HttpUpstreamTransport upstream_transport(upstream, runtime);
  gateway::DispatcherRecordSink record_sink(dispatcher);
  auto handler =
      std::make_shared<gateway::RequestHandler>(cfg, upstream_transport, builder, record_sink);

  http::ServerOptions server_options;
  server_options.host = options.host;
  server_options.port = options.port;
  server_options.read_timeout = cfg.request_read_timeout;  // at least 1 ms (config/validators.h)
  http::Server server(runtime, server_options,
                      [handler](http::Request request, std::shared_ptr<http::Responder> responder) {
                        handler->handle(std::move(request), std::move(responder));
                      });
  handler->set_server(server);
  try {
    server.listen();
  } catch (const std::system_error& e) {
    spdlog::error("cannot listen on {}:{}: {}", options.host, options.port, e.what());
    return kExitFailure;
  }
  spdlog::info("{} deployment(s), {} callback(s)", cfg.deployments.size(), cfg.callbacks.size());

  // Lifetimes: every local the handler captures outlives runtime.run(), which returns only after
  // the drain called runtime.stop(); the handler runs on the runtime's threads only.
  std::atomic<int> signals_seen{0};
  runtime.on_signals({SIGINT, SIGTERM}, [&](int signal) {
    if (signals_seen.fetch_add(1) > 0) {
      spdlog::warn("second signal ({}): exiting without waiting for the drain", signal);
      runtime.stop();
      return;
    }
    auto deadline = std::chrono::steady_clock::now() + cfg.shutdown_timeout;
    spdlog::info("signal {}: stopping (drain deadline {}s)", signal,
                 std::chrono::duration<double>(cfg.shutdown_timeout).count());
    handler->set_draining();
    server.stop_accepting();
    server.wait_idle(deadline, [&, deadline] {
      dispatcher.shutdown(deadline, [&](delivery::DrainReport report) {
        log_drain_report(report);
        runtime.stop();
      });
    });
  });

  // Announced only once the signal handlers are in place: whoever waits for this line (a test, a
  // supervisor) may send SIGTERM right away.
  spdlog::info("llmtap listening on {}:{}", options.host, server.port());
  std::thread delivery_thread([&delivery_runtime] {
    ::pthread_setname_np(::pthread_self(), "llmtap-deliver");
    delivery_runtime.run();
  });
  runtime.run();
  // The drain is over (or given up): nothing runs on either loop while the pieces are destroyed.
  delivery_runtime.stop();
  delivery_thread.join();
  return 0;
}

}  // namespace llmtap::cli

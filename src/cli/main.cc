// llmtap's entry point: parses the command line and runs one sub-command.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "cli/commands.h"
#include "sink/sink_server.h"

namespace {

constexpr int kExitUsage = 2;

void add_serve_options(CLI::App& app, llmtap::cli::ServeOptions& options) {
  app.add_option("--config", options.config_path, "LiteLLM-style config.yaml");
  app.add_option("--host", options.host, "address to listen on")->capture_default_str();
  app.add_option("--port", options.port, "port to listen on (0: any free port)")
      ->capture_default_str();
  app.add_option("--threads", options.threads, "event-loop threads (default: one per core)");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"llmtap: an OpenAI-compatible LLM gateway that logs every call to HTTP endpoints"};
  app.set_version_flag("--version", std::string("llmtap ") + LLMTAP_VERSION);
  app.require_subcommand(0, 1);

  llmtap::cli::ServeOptions serve_options;
  add_serve_options(app, serve_options);
  auto* serve = app.add_subcommand("serve", "serve the gateway (the default command)");
  add_serve_options(*serve, serve_options);

  llmtap::cli::CheckConfigOptions check_options;
  auto* check = app.add_subcommand("check-config",
                                   "load and validate a config, print the resolved callbacks");
  check->add_option("--config", check_options.config_path, "config.yaml to check")->required();
  check->add_flag("--strict", check_options.strict, "treat unusable deployments as errors");

  llmtap::sink::SinkOptions sink_options;
  auto* sink = app.add_subcommand(
      "sink", "receive log records over HTTP and print them (for trying configs and tests)");
  sink->add_option("--host", sink_options.host, "address to listen on")->capture_default_str();
  sink->add_option("--port", sink_options.port, "port to listen on (0: any free port)")
      ->capture_default_str();
  sink->add_option("--out", sink_options.out_path,
                   "append each record as one NDJSON line to this file");
  sink->add_option(
      "--requests-out", sink_options.requests_out_path,
      "append one JSON line per HTTP request (method, path, headers, count) to this file");
  sink->add_option(
      "--signing-secret", sink_options.signing_secret,
      "whsec_… secret: require a valid Standard Webhooks signature on every POST (else 401)");
  sink->add_option("--tls-cert", sink_options.tls.cert_file,
                   "PEM certificate chain: serve HTTPS only (with --tls-key)");
  sink->add_option("--tls-key", sink_options.tls.key_file, "PEM private key of --tls-cert");
  sink->add_option("--tls-client-ca", sink_options.tls.client_ca_file,
                   "PEM CA file: require a client certificate issued by it (mutual TLS)");

  llmtap::cli::ReplayOptions replay_options;
  auto* replay =
      app.add_subcommand("replay", "re-send a callback's dead letters and/or disk buffer");
  replay->add_option("--config", replay_options.config_path, "config.yaml naming the callbacks")
      ->required();
  replay->add_option("--callback", replay_options.callback, "only this callback (default: all)");
  replay->add_option("--endpoint", replay_options.endpoint,
                     "send to this URL instead of the callback's endpoint");
  replay->add_flag("--dead-letter", replay_options.dead_letter, "replay the dead-letter files");
  replay->add_flag("--buffer", replay_options.buffer, "replay the disk buffer");
  replay->add_option("--timeout", replay_options.timeout_seconds, "seconds per file or buffer")
      ->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : kExitUsage;
  }

  llmtap::cli::init_logging();
  if (*check) return llmtap::cli::run_check_config(check_options);
  if (*replay) return llmtap::cli::run_replay(replay_options);
  if (*sink) return llmtap::sink::run_sink(sink_options);
  if (serve_options.config_path.empty()) {
    std::fputs("llmtap: --config FILE is required to serve (see llmtap --help)\n", stderr);
    return kExitUsage;
  }
  return llmtap::cli::run_serve(serve_options);
}

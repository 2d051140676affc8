#include "support/fault_receiver.h"

#include <stdexcept>

#include "sink/decode_body.h"
#include "sink/json_text.h"

namespace llmtap::test {
namespace {

bool parse_int(const std::string& text, int& out) {
  if (text.empty() || text.size() > 9) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  out = std::stoi(text);
  return true;
}

}  // namespace

std::vector<FaultStep> parse_fault_plan(const std::string& plan, std::string* error) {
  std::vector<FaultStep> steps;
  std::size_t start = 0;
  while (start <= plan.size()) {
    std::size_t end = plan.find(',', start);
    if (end == std::string::npos) end = plan.size();
    std::string item = plan.substr(start, end - start);
    start = end + 1;
    int repeat = 1;
    if (auto x = item.rfind('x'); x != std::string::npos && x > 0) {
      if (!parse_int(item.substr(x + 1), repeat)) {
        if (error) *error = "bad repeat count in '" + item + "'";
        return {};
      }
      item = item.substr(0, x);
    }
    FaultStep step;
    step.text = item;
    bool ok = true;
    if (item == "reset") {
      step.kind = FaultStep::Kind::reset;
    } else if (item.rfind("slow-", 0) == 0) {
      step.kind = FaultStep::Kind::slow;
      ok = parse_int(item.substr(5), step.delay_ms);
    } else if (auto at = item.find('@'); at != std::string::npos) {
      ok = parse_int(item.substr(0, at), step.status) &&
           parse_int(item.substr(at + 1), step.retry_after);
    } else {
      ok = parse_int(item, step.status);
    }
    if (!ok || (step.kind == FaultStep::Kind::status && (step.status < 100 || step.status > 599))) {
      if (error) *error = "bad step '" + item + "'";
      return {};
    }
    for (int i = 0; i < repeat; ++i) steps.push_back(step);
    if (end == plan.size()) break;
  }
  if (steps.empty() && error) *error = "empty plan";
  return steps;
}

FaultReceiver::FaultReceiver(http::Runtime& runtime, FaultReceiverOptions options)
    : runtime_(runtime) {
  std::string error;
  plan_ = parse_fault_plan(options.plan, &error);
  if (plan_.empty()) throw std::invalid_argument("--plan: " + error);
  if (!options.out_path.empty()) out_.open(options.out_path);
  if (!options.requests_out_path.empty()) requests_out_.open(options.requests_out_path);
  http::ServerOptions server_options;
  server_options.host = options.host;
  server_options.port = options.port;
  server_ = std::make_unique<http::Server>(
      runtime, server_options,
      [this](http::Request request, std::shared_ptr<http::Responder> responder) {
        handle(std::move(request), std::move(responder));
      });
}

FaultReceiver::~FaultReceiver() = default;

FaultStep FaultReceiver::next_step() {
  FaultStep step = plan_[std::min(position_, plan_.size() - 1)];
  if (position_ < plan_.size()) ++position_;
  return step;
}

void FaultReceiver::handle(http::Request request, std::shared_ptr<http::Responder> responder) {
  if (request.method == "GET") {
    std::lock_guard lock(mu_);
    responder->respond(sink::json_response(
        200, "{\"requests\":" + std::to_string(requests_) +
                 ",\"accepted_records\":" + std::to_string(accepted_records_) + "}"));
    return;
  }
  if (request.path() == "/__plan") {
    std::string error;
    auto plan = parse_fault_plan(request.body, &error);
    if (plan.empty()) {
      responder->respond(sink::json_response(400, "{\"error\":" + sink::json_string(error) + "}"));
      return;
    }
    {
      std::lock_guard lock(mu_);
      plan_ = std::move(plan);
      position_ = 0;
    }
    responder->respond(sink::json_response(200, "{\"status\":\"ok\"}"));
    return;
  }
  const auto decoded = sink::decode_body(request.body, request.header("Content-Type"),
                                         request.header("Content-Encoding"));
  FaultStep step;
  std::uint64_t n = 0;
  {
    std::lock_guard lock(mu_);
    step = next_step();
    n = ++requests_;
  }
  const int status = step.kind == FaultStep::Kind::status ? step.status : 200;
  const bool accepted =
      step.kind != FaultStep::Kind::reset && status >= 200 && status < 300 && decoded.ok();
  std::string line =
      "{\"n\":" + std::to_string(n) + ",\"step\":" + sink::json_string(step.text) +
      ",\"status\":" + std::to_string(step.kind == FaultStep::Kind::reset ? 0 : status) +
      ",\"records\":" + std::to_string(decoded.records.size()) +
      ",\"idempotency_key\":" + sink::json_string(request.header("Idempotency-Key")) + "}\n";
  requests_out_.append(line);

  auto answer = [this, responder, step, status, accepted, records = decoded.records] {
    if (step.kind == FaultStep::Kind::reset) {
      // The head goes out, the body never completes: the client sees a broken connection.
      responder->begin_stream(200, {{"Content-Type", "application/json"}});
      return;
    }
    if (accepted) {
      std::string lines;
      for (const auto& r : records) {
        lines += r;
        lines += '\n';
      }
      out_.append(lines);
      std::lock_guard lock(mu_);
      accepted_records_ += records.size();
    }
    http::Response response = sink::json_response(
        status, status < 300 ? "{\"status\":\"ok\"}" : "{\"error\":\"fault injected\"}");
    if (step.retry_after >= 0)
      response.headers.push_back({"Retry-After", std::to_string(step.retry_after)});
    responder->respond(std::move(response));
  };
  if (step.kind == FaultStep::Kind::slow) {
    std::shared_ptr<http::Timer> timer = runtime_.make_timer();
    timer->expire_after(std::chrono::milliseconds(step.delay_ms),
                        [timer, answer](bool) { answer(); });
    return;
  }
  answer();
}

}  // namespace llmtap::test

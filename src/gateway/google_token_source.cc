#include "gateway/google_token_source.h"

#include <utility>

#include "providers/vertex/service_account.h"

namespace llmtap::gateway {

GoogleTokenSource::GoogleTokenSource(const std::string& credentials_json,
                                     const std::string& problem, UpstreamTransport& transport,
                                     std::chrono::milliseconds timeout)
    : transport_(transport), timeout_(timeout), problem_(problem) {
  if (!problem_.empty()) return;
  auto account = providers::vertex::read_service_account(credentials_json);
  if (!account) {
    problem_ = "the service account key is unusable: " + account.error().message();
    return;
  }
  auto signer = providers::vertex::ServiceAccountSigner::create(*account);
  if (!signer) {
    problem_ = "the service account key is unusable: " + signer.error().message();
    return;
  }
  signer_.emplace(std::move(*signer));
}

void GoogleTokenSource::with_token(Done done) {
  if (!signer_) return done(TokenResult(boost::system::in_place_error, problem_));
  using Action = providers::vertex::TokenCache::Action;
  providers::vertex::TokenCache::Decision decision;
  bool waits = false;
  bool refused = false;
  {
    std::lock_guard lock(mutex_);
    decision = cache_.acquire(providers::vertex::TokenCache::Clock::now());
    // Without a valid token the call waits for the fetch (in flight, or started below).
    waits = decision.action == Action::wait ||
            (decision.action == Action::start_fetch && decision.token.empty());
    refused = waits && waiting_.size() >= kMaxWaiting;  // refuse rather than grow
    if (waits && !refused) enqueue(done);
  }
  if (refused) {
    return done(TokenResult(boost::system::in_place_error, "too many calls waiting for a token"));
  }
  if (waits) {
    if (decision.action == Action::start_fetch) fetch();
    return;
  }
  switch (decision.action) {
    case Action::use_token:
      return done(TokenResult(boost::system::in_place_value, std::move(decision.token)));
    case Action::start_fetch:
      // Refresh ahead: this call goes on with the still-valid token while the fetch runs.
      done(TokenResult(boost::system::in_place_value, std::move(decision.token)));
      return fetch();
    case Action::fail:
      return done(TokenResult(boost::system::in_place_error, decision.error.message()));
    case Action::wait:
      return;
  }
}

void GoogleTokenSource::enqueue(Done& done) { waiting_.push_back(std::move(done)); }

void GoogleTokenSource::fetch() {
  const auto now =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  auto assertion = signer_->assertion(now);
  if (!assertion) {
    http::ClientResult failed;
    failed.error = http::ClientError::connect;
    failed.error_message = "could not sign the assertion";
    return fetched(std::move(failed));
  }
  http::ClientRequest request;
  request.method = "POST";
  request.url = signer_->token_uri();
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  request.body = providers::vertex::token_request_body(*assertion);
  request.timeout = timeout_;
  auto self = shared_from_this();
  transport_.send(std::move(request),
                  [self](http::ClientResult result) { self->fetched(std::move(result)); });
}

void GoogleTokenSource::fetched(http::ClientResult result) {
  Result<providers::vertex::AccessToken, providers::vertex::AuthError> answer =
      result.ok()
          ? providers::vertex::parse_token_answer(result.response.status, result.response.body)
          : Result<providers::vertex::AccessToken, providers::vertex::AuthError>(
                boost::system::in_place_error,
                providers::vertex::AuthError{
                    providers::vertex::auth_errc::token_endpoint_unavailable,
                    0,
                    {},
                    result.error_message});
  std::vector<Done> waiting;
  std::optional<Result<std::string, providers::vertex::AuthError>> outcome;
  {
    std::lock_guard lock(mutex_);
    outcome.emplace(cache_.fetched(answer, providers::vertex::TokenCache::Clock::now()));
    waiting.swap(waiting_);
  }
  for (Done& done : waiting) {
    if (*outcome) {
      done(TokenResult(boost::system::in_place_value, **outcome));
    } else {
      done(TokenResult(boost::system::in_place_error,
                       "could not get an access token: " + outcome->error().message()));
    }
  }
}

}  // namespace llmtap::gateway

// GoogleTokenSource: the access token of one Google service account, for the Vertex AI
// deployments that use it (config::UpstreamAuth::google_service_account) — the async shell over
// providers::vertex::TokenCache. A call asks with_token(); it gets the cached token at once, or
// waits for the one fetch in flight (an RS256 JWT assertion POSTed to the key file's token_uri
// through the UpstreamTransport, as google-auth does), refreshed five minutes ahead so calls
// rarely wait. A key file that could not be read or parsed, or a fetch that failed, answers every
// waiting call with the error (the cache's back-off keeps a broken endpoint from being hammered).
//
// Bounded: at most kMaxWaiting calls wait on a fetch; more fail at once. Thread-safety: with_token
// from any thread; `done` runs on the caller's thread (cached token) or the transport's (fetched).
// The key, the assertion and the token are never logged.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "gateway/upstream_transport.h"
#include "providers/vertex/auth_error.h"
#include "providers/vertex/jwt_assertion.h"
#include "providers/vertex/token_cache.h"

namespace llmtap::gateway {

class GoogleTokenSource : public std::enable_shared_from_this<GoogleTokenSource> {
 public:
  using TokenResult = Result<std::string, std::string>;  // the token, or why there is none
  using Done = std::function<void(TokenResult)>;

  static constexpr std::size_t kMaxWaiting = 4096;

  // `credentials_json` is the key file's text; `problem`, when not empty, is why there is none.
  GoogleTokenSource(const std::string& credentials_json, const std::string& problem,
                    UpstreamTransport& transport, std::chrono::milliseconds timeout);

  void with_token(Done done);

 private:
  // Moves `done` into the waiting calls (the caller holds mutex_).
  void enqueue(Done& done);
  void fetch();
  void fetched(http::ClientResult result);

  UpstreamTransport& transport_;
  std::chrono::milliseconds timeout_;
  std::optional<providers::vertex::ServiceAccountSigner> signer_;
  std::string problem_;  // set when there is no signer: every call fails with it

  std::mutex mutex_;
  providers::vertex::TokenCache cache_;
  std::vector<Done> waiting_;
};

}  // namespace llmtap::gateway

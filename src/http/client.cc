#include "http/client.h"

#include <openssl/ssl.h>

#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <unordered_map>

#include "http/detail/buffer_suffix.h"
#include "http/detail/lazy_deadline.h"
#include "http/detail/message_reader.h"
#include "http/detail/runtime_impl.h"
#include "http/detail/wire.h"
#include "http/url.h"

namespace llmtap::http {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

constexpr std::uint32_t kMaxResponseHeaderBytes = 64 * 1024;
constexpr std::size_t kStreamPieceBytes = 16 * 1024;
constexpr std::size_t kResponseReadBytes = 16 * 1024;
// Servers commonly drop idle keep-alive connections after 5–60 s; an older one is likely dead.
constexpr std::chrono::seconds kMaxIdleAge{30};

// One open connection, plain or TLS, with the bytes read past the last response.
struct Connection {
  std::string key;
  std::unique_ptr<PlainStream> plain;
  std::unique_ptr<TlsStream> tls;
  beast::flat_buffer buffer;
  Clock::time_point idle_since;
  // The exchange's deadline (instead of tcp_stream's per-operation timer: see lazy_deadline.h);
  // cancels the socket's operations when it passes.
  std::optional<LazyDeadline> deadline;

  beast::tcp_stream& tcp() { return tls ? beast::get_lowest_layer(*tls) : *plain; }
  asio::any_io_executor executor() { return tcp().get_executor(); }
};

// One request in progress: what was asked, where, by when, and whom to tell.
struct Exchange {
  ClientRequest request;
  std::shared_ptr<const Target> target;  // request.target, or request.url parsed
  Clock::time_point deadline;
  bool streaming = false;
  std::function<void(ClientResult)> done;  // send()
  StreamCallbacks callbacks;               // send_streaming()
};

enum class Outcome { keep, close, stale };

ClientResult failure(ClientError error, std::string message) {
  ClientResult result;
  result.error = error;
  result.error_message = std::move(message);
  return result;
}

bool is_http_error(const boost::system::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::end_of_stream).category();
}

// Errors after the connection is up: where they happen decides the class.
ClientError classify_exchange_error(const boost::system::error_code& ec,
                                    Clock::time_point deadline) {
  // The deadline cancels the socket's operations (operation_aborted): the clock tells it apart.
  if (Clock::now() >= deadline) return ClientError::timeout;
  if (ec == bhttp::error::body_limit) return ClientError::too_large;
  if (is_http_error(ec) && ec != bhttp::error::end_of_stream &&
      ec != bhttp::error::partial_message) {
    return ClientError::protocol;
  }
  return ClientError::io;
}

// A reused connection that the peer closed while it sat idle fails like this before any byte.
bool looks_stale(const boost::system::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == ssl::error::stream_truncated;
}

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

Headers to_headers(const bhttp::fields& fields) {
  Headers headers;
  for (const auto& field : fields) {
    headers.push_back(Header{std::string(field.name_string()), std::string(field.value())});
  }
  return headers;
}

}  // namespace

struct Client::Impl : std::enable_shared_from_this<Client::Impl> {
  Impl(Runtime& rt, ClientOptions opts)
      : runtime(rt.impl()), io(runtime.io), options(std::move(opts)) {}

  std::unique_ptr<Connection> take_idle(const std::string& key) {
    std::lock_guard lock(mu);
    auto it = idle.find(key);
    if (it == idle.end()) return nullptr;
    auto& connections = it->second;
    const auto now = Clock::now();
    while (!connections.empty()) {
      auto connection = std::move(connections.back());
      connections.pop_back();
      if (now - connection->idle_since < kMaxIdleAge) return connection;
    }
    return nullptr;
  }

  void give_back(std::unique_ptr<Connection> connection) {
    connection->idle_since = Clock::now();
    connection->deadline->expires_never();
    std::lock_guard lock(mu);
    auto& connections = idle[connection->key];
    if (connections.size() >= options.max_idle_per_host)
      connections.pop_front();  // drop the oldest
    connections.push_back(std::move(connection));
  }

  Runtime::Impl& runtime;
  asio::io_context& io;
  const ClientOptions options;
  // Built on the first https exchange, or by the constructor when TLS files are configured (so
  // a bad file is a start-up error): a context with the system CA store costs ~4 MB of resident
  // memory that a deployment speaking only plain HTTP never needs. See tls_context_of().
  std::once_flag tls_once;
  std::optional<ssl::context> tls_context;
  std::string tls_error;  // why tls_context could not be built
  std::atomic<std::uint64_t> connections_opened{0};

  std::mutex mu;
  std::unordered_map<std::string, std::deque<std::unique_ptr<Connection>>> idle;  // guarded by mu
};

namespace {

ssl::context make_tls_context(const TlsOptions& tls) {
  ssl::context context(ssl::context::tls_client);
  context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                      ssl::context::no_sslv3);
  if (tls.verify) {
    context.set_verify_mode(ssl::verify_peer);
    if (tls.ca_file.empty()) {
      context.set_default_verify_paths();
    } else {
      context.load_verify_file(tls.ca_file);
    }
  } else {
    context.set_verify_mode(ssl::verify_none);
  }
  if (!tls.cert_file.empty()) context.use_certificate_chain_file(tls.cert_file);
  if (!tls.key_file.empty()) context.use_private_key_file(tls.key_file, ssl::context::pem);
  return context;
}

// The client's TLS context, built once on first use; nullptr (and impl.tls_error) if it cannot be.
ssl::context* tls_context_of(Client::Impl& impl) {
  std::call_once(impl.tls_once, [&impl] {
    try {
      impl.tls_context.emplace(make_tls_context(impl.options.tls));
    } catch (const boost::system::system_error& error) {
      impl.tls_error = error.what();
    }
  });
  return impl.tls_context ? &*impl.tls_context : nullptr;
}

// Resolves, connects and (for https) handshakes, all before ex.deadline.
asio::awaitable<std::unique_ptr<Connection>> open_connection(Client::Impl& impl, const Exchange& ex,
                                                             ClientResult& result) {
  auto executor = co_await asio::this_coro::executor;
  // The resolver has no expiry of its own: a timer cancels it. Shared so a timer callback that is
  // already queued when the resolve finishes still finds it alive.
  struct ResolveState {
    explicit ResolveState(const asio::any_io_executor& e) : resolver(e), timer(e) {}
    tcp::resolver resolver;
    asio::steady_timer timer;
    bool timed_out = false;
  };
  auto state = std::make_shared<ResolveState>(executor);
  state->timer.expires_at(ex.deadline);
  state->timer.async_wait([state](boost::system::error_code ec) {
    if (ec) return;
    state->timed_out = true;
    state->resolver.cancel();
  });
  auto [resolve_ec, endpoints] = co_await state->resolver.async_resolve(
      ex.target->url.host, std::to_string(ex.target->url.port), kUseTuple);
  state->timer.cancel();
  if (state->timed_out) {
    result = failure(ClientError::timeout, "timed out resolving " + ex.target->url.host);
    co_return nullptr;
  }
  if (resolve_ec) {
    result = failure(ClientError::resolve,
                     "cannot resolve " + ex.target->url.host + ": " + resolve_ec.message());
    co_return nullptr;
  }

  auto connection = std::make_unique<Connection>();
  connection->key = ex.target->pool_key;
  // Beast reads at most max(512, free capacity) bytes per call: an empty buffer made the typical
  // ~600-byte answer take two reads. The capacity stays with the connection while it is pooled.
  connection->buffer.reserve(kResponseReadBytes);
  if (ex.target->url.tls()) {
    connection->tls = std::make_unique<TlsStream>(executor, *impl.tls_context);
  } else {
    connection->plain = std::make_unique<PlainStream>(executor);
  }
  auto& tcp_stream = connection->tcp();
  connection->deadline.emplace(executor, [&tcp_stream] { tcp_stream.cancel(); });
  connection->deadline->expires_at(ex.deadline);
  auto [connect_ec, endpoint] = co_await tcp_stream.async_connect(endpoints, kUseTuple);
  if (connect_ec) {
    const bool timed_out = Clock::now() >= ex.deadline;
    result = failure(timed_out ? ClientError::timeout : ClientError::connect,
                     "cannot connect to " + ex.target->authority + ": " + connect_ec.message());
    co_return nullptr;
  }
  boost::system::error_code ignored;
  tcp_stream.socket().set_option(tcp::no_delay(true), ignored);
  // transact_on writes a plain connection's request in place first: it must not block.
  if (!connection->tls) tcp_stream.socket().non_blocking(true, ignored);
  ++impl.connections_opened;

  if (connection->tls) {
    auto& tls = *connection->tls;
    if (!is_ip_literal(ex.target->url.host))
      SSL_set_tlsext_host_name(tls.native_handle(), ex.target->url.host.c_str());
    if (impl.options.tls.verify)
      tls.set_verify_callback(ssl::host_name_verification(ex.target->url.host));
    auto [handshake_ec] = co_await tls.async_handshake(ssl::stream_base::client, kUseTuple);
    if (handshake_ec) {
      const bool timed_out = Clock::now() >= ex.deadline;
      result = failure(
          timed_out ? ClientError::timeout : ClientError::tls,
          "TLS handshake with " + ex.target->authority + " failed: " + handshake_ec.message());
      co_return nullptr;
    }
  }
  co_return connection;
}

// Writes the request and reads the response on an open connection. Fills `result` (or the
// streaming callbacks) and says what to do with the connection.
template <class Stream>
asio::awaitable<Outcome> transact_on(Client::Impl& impl, Exchange& ex, Connection& connection,
                                     Stream& stream, ClientResult& result, bool reused) {
  // The head is formatted by hand and written with the body in one gather write: the body (a
  // whole delivery batch, possibly megabytes) is sent from where it is, never copied.
  const ClientRequest& in = ex.request;
  std::string request_head;
  request_head.reserve(256);
  wire::append_request_head(request_head, in.method, ex.target->url.target, in.headers,
                            ex.target->authority, impl.options.user_agent, in.body.size());
  const std::array<asio::const_buffer, 2> request_bytes{asio::buffer(request_head),
                                                        asio::buffer(in.body)};
  connection.deadline->expires_at(ex.deadline);
  // A plain connection mostly takes the whole request at once: written in place (the socket is
  // non-blocking), it skips the trip through the loop of an async write's completion. What the
  // socket does not take goes asynchronously.
  boost::system::error_code write_ec;
  std::size_t sent = 0;
  if constexpr (std::is_same_v<Stream, PlainStream>) {
    sent = stream.socket().write_some(request_bytes, write_ec);
    if (write_ec == asio::error::would_block || write_ec == asio::error::try_again) write_ec = {};
  }
  if (!write_ec && sent < asio::buffer_size(request_bytes)) {
    auto [ec, written] =
        co_await asio::async_write(stream, after_prefix(request_bytes, sent), kUseTuple);
    write_ec = ec;
  }
  if (write_ec) {
    if (reused && looks_stale(write_ec)) co_return Outcome::stale;
    result = failure(classify_exchange_error(write_ec, ex.deadline),
                     "sending request: " + write_ec.message());
    co_return Outcome::close;
  }
  const bool head = in.method == "HEAD";

  if (!ex.streaming) {
    MessageReader<false> parser;
    parser.header_limit(kMaxResponseHeaderBytes);
    parser.body_limit(impl.options.max_response_bytes);
    if (head) parser.skip(true);
    auto [read_ec, read] = co_await bhttp::async_read(stream, connection.buffer, parser, kUseTuple);
    if (read_ec) {
      if (reused && !parser.got_some() && looks_stale(read_ec)) co_return Outcome::stale;
      result = failure(classify_exchange_error(read_ec, ex.deadline),
                       "reading response: " + read_ec.message());
      co_return Outcome::close;
    }
    result.response = std::move(parser.message());
    co_return parser.keep_alive() ? Outcome::keep : Outcome::close;
  }

  bhttp::response_parser<bhttp::buffer_body> parser;
  parser.header_limit(kMaxResponseHeaderBytes);
  parser.body_limit(impl.options.max_response_bytes);
  if (head) parser.skip(true);
  auto [header_ec, header_read] =
      co_await bhttp::async_read_header(stream, connection.buffer, parser, kUseTuple);
  if (header_ec) {
    if (reused && !parser.got_some() && looks_stale(header_ec)) co_return Outcome::stale;
    result = failure(classify_exchange_error(header_ec, ex.deadline),
                     "reading response head: " + header_ec.message());
    co_return Outcome::close;
  }
  result.response.status = parser.get().result_int();
  result.response.headers = to_headers(parser.get().base());
  if (ex.callbacks.on_head) ex.callbacks.on_head(result.response.status, result.response.headers);

  // On the heap, not in the coroutine's frame: a frame holding it would be a 17 KB allocation
  // for every exchange, streamed or not (Asio recycles frames only up to ~1 KB).
  const auto piece_storage = std::make_unique<std::array<char, kStreamPieceBytes>>();
  std::array<char, kStreamPieceBytes>& piece = *piece_storage;
  while (!parser.is_done()) {
    parser.get().body().data = piece.data();
    parser.get().body().size = piece.size();
    auto [read_ec, read] =
        co_await bhttp::async_read_some(stream, connection.buffer, parser, kUseTuple);
    if (read_ec && read_ec != bhttp::error::need_buffer) {
      result.error = classify_exchange_error(read_ec, ex.deadline);
      result.error_message = "reading response body: " + read_ec.message();
      co_return Outcome::close;
    }
    const std::size_t got = piece.size() - parser.get().body().size;
    if (got != 0 && ex.callbacks.on_data &&
        !ex.callbacks.on_data(std::string_view(piece.data(), got))) {
      result.error = ClientError::cancelled;
      result.error_message = "the consumer stopped reading";
      co_return Outcome::close;
    }
  }
  co_return parser.get().keep_alive() ? Outcome::keep : Outcome::close;
}

void finish(Exchange& ex, ClientResult result) {
  if (ex.streaming) {
    if (ex.callbacks.on_done) ex.callbacks.on_done(std::move(result));
  } else if (ex.done) {
    ex.done(std::move(result));
  }
}

asio::awaitable<void> run_exchange(std::shared_ptr<Client::Impl> impl, std::shared_ptr<Exchange> ex,
                                   std::unique_ptr<Connection> connection) {
  ClientResult result;
  bool reused = connection != nullptr;
  Outcome outcome = Outcome::close;
  for (;;) {
    if (!connection) {
      connection = co_await open_connection(*impl, *ex, result);
      if (!connection) break;
    }
    result = ClientResult{};
    if (connection->tls) {
      outcome = co_await transact_on(*impl, *ex, *connection, *connection->tls, result, reused);
    } else {
      outcome = co_await transact_on(*impl, *ex, *connection, *connection->plain, result, reused);
    }
    if (outcome != Outcome::stale) break;
    // Closed by the peer while idle, before it saw our request: once more on a fresh connection.
    connection.reset();
    reused = false;
  }
  if (connection && outcome == Outcome::keep && result.ok() && connection->buffer.size() == 0) {
    impl->give_back(std::move(connection));
  }
  if (ex->streaming) result.response.body.clear();
  finish(*ex, std::move(result));
}

void start(const std::shared_ptr<Client::Impl>& impl, std::shared_ptr<Exchange> ex) {
  ex->target = ex->request.target ? std::move(ex->request.target) : make_target(ex->request.url);
  if (!ex->target) {
    asio::post(impl->io, [ex] {
      finish(*ex, failure(ClientError::bad_url, "not an http(s) URL: " + ex->request.url));
    });
    return;
  }
  ex->deadline = Clock::now() + ex->request.timeout;
  if (ex->target->url.tls() && tls_context_of(*impl) == nullptr) {
    asio::post(impl->io, [ex, why = impl->tls_error] {
      finish(*ex, failure(ClientError::tls, "TLS setup failed: " + why));
    });
    return;
  }
  auto connection = impl->take_idle(ex->target->pool_key);
  // A pooled connection keeps its executor; a new one gets its own (a strand with several threads).
  auto executor = connection ? connection->executor() : impl->runtime.serial_executor();
  asio::co_spawn(executor, run_exchange(impl, std::move(ex), std::move(connection)),
                 [](const std::exception_ptr& error) {
                   if (error) std::rethrow_exception(error);  // a bug in a callback
                 });
}

}  // namespace

Client::Client(Runtime& runtime, ClientOptions options)
    : impl_(std::make_shared<Impl>(runtime, std::move(options))) {
  const TlsOptions& tls = impl_->options.tls;
  const bool files_configured =
      !tls.ca_file.empty() || !tls.cert_file.empty() || !tls.key_file.empty();
  if (files_configured && tls_context_of(*impl_) == nullptr) {
    throw std::runtime_error("TLS setup failed (ca_file/cert_file/key_file): " + impl_->tls_error);
  }
}

Client::~Client() = default;

void Client::send(ClientRequest request, std::function<void(ClientResult)> done) {
  auto ex = std::make_shared<Exchange>();
  ex->request = std::move(request);
  ex->done = std::move(done);
  start(impl_, std::move(ex));
}

void Client::send_streaming(ClientRequest request, StreamCallbacks callbacks) {
  auto ex = std::make_shared<Exchange>();
  ex->request = std::move(request);
  ex->streaming = true;
  ex->callbacks = std::move(callbacks);
  start(impl_, std::move(ex));
}

std::uint64_t Client::connections_opened() const { return impl_->connections_opened.load(); }

}  // namespace llmtap::http

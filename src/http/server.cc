#include "http/server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <deque>
#include <mutex>
#include <optional>
#include <system_error>
#include <type_traits>
#include <unordered_map>

#include "base/ascii.h"
#include "base/json_escape.h"
#include "http/detail/buffer_suffix.h"
#include "http/detail/lazy_deadline.h"
#include "http/detail/message_reader.h"
#include "http/detail/runtime_impl.h"
#include "http/detail/wire.h"

namespace llmtap::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

constexpr std::size_t kReadChunk = 16 * 1024;
// After an early error answer (413, 400) the client may still be sending; reading a bounded amount
// before closing keeps the kernel from resetting the connection and discarding our answer.
constexpr std::size_t kDrainBytes = 1024 * 1024;
constexpr std::chrono::seconds kDrainTime{2};
constexpr std::chrono::milliseconds kAcceptBackoff{50};

// What a Responder asks of its connection, queued on the connection's strand in call order.
struct Command {
  enum class Kind { respond, begin_stream, write, end_stream, dropped };
  explicit Command(Kind k, Response r = {}, std::string data = {},
                   std::function<void(bool)> written_callback = {})
      : kind(k),
        response(std::move(r)),
        chunk(std::move(data)),
        on_written(std::move(written_callback)) {}

  Kind kind;
  Response response;  // respond, begin_stream (status + headers)
  std::string chunk;  // write
  std::function<void(bool)> on_written;

  // Filled by Session::wire_bytes, the first time the command is put on the wire: the head we
  // format (status line and headers, or a chunk's size line), whether the connection stays open
  // after the answer, and how much went out already (see Session::write_now).
  std::string head;
  bool formatted = false;
  bool keep = false;
  std::size_t written = 0;
  boost::system::error_code write_error;
};

// Whether the calling thread is the one `executor` runs its handlers on right now (a strand's,
// or the only thread of a one-thread loop): then a Responder can hand a command over directly.
bool running_in(const asio::any_io_executor& executor) {
  if (const auto* strand = executor.target<asio::strand<asio::io_context::executor_type>>()) {
    return strand->running_in_this_thread();
  }
  if (const auto* plain = executor.target<asio::io_context::executor_type>())
    return plain->running_in_this_thread();
  return false;
}

std::string error_json(std::string_view message, int status) {
  std::string body = R"({"error":{"message":")";
  json::append_escaped(body, message);
  return body + R"(","type":"invalid_request_error","param":null,"code":")" +
         std::to_string(status) + R"("}})";
}

// Built outside the coroutines: g++ 12 miscompiles string-literal brace-init inside co_await.
Response json_error(int status, std::string_view message) {
  Response response;
  response.status = status;
  response.headers.push_back(Header{"Content-Type", "application/json"});
  response.body = error_json(message, status);
  return response;
}

unsigned status_code(int status) {
  return status >= 100 && status <= 999 ? static_cast<unsigned>(status) : 500U;
}

}  // namespace

class SessionBase;

struct Server::Impl : std::enable_shared_from_this<Server::Impl> {
  Impl(Runtime& rt, ServerOptions opts, Handler h)
      : runtime(rt.impl()),
        io(runtime.io),
        options(std::move(opts)),
        handler(std::move(h)),
        strand(runtime.serial_executor()),
        acceptor(strand) {
    if (options.tls.enabled()) tls_context.emplace(make_tls_context(options.tls));
  }
  static ssl::context make_tls_context(const ServerTlsOptions& tls);

  void begin_request() {
    std::lock_guard lock(mu);
    ++in_flight;
  }
  void end_request();

  Runtime::Impl& runtime;
  asio::io_context& io;
  const ServerOptions options;
  const Handler handler;
  asio::any_io_executor strand;  // the acceptor's (a strand when the loop has several threads)
  tcp::acceptor acceptor;
  std::atomic<std::uint16_t> port{0};
  std::atomic<bool> closed{false};  // the Server object is gone: call no more handlers
  std::atomic<std::uint64_t> connections_accepted{0};
  std::atomic<std::uint64_t> handler_exceptions{0};
  std::atomic<std::uint64_t> tls_handshake_failures{0};
  std::optional<ssl::context> tls_context;  // set when options.tls is

  std::mutex mu;
  std::unordered_map<SessionBase*, std::weak_ptr<SessionBase>> sessions;  // guarded by mu
  bool stopping = false;                                                  // guarded by mu
  std::size_t in_flight = 0;                                              // guarded by mu
  std::vector<std::function<void()>> idle_waiters;                        // guarded by mu
};

void Server::Impl::end_request() {
  std::vector<std::function<void()>> ready;
  {
    std::lock_guard lock(mu);
    if (--in_flight == 0) ready.swap(idle_waiters);
  }
  for (auto& fn : ready) fn();
}

// What the server and the Responders see of a connection, whatever its stream (TCP or TLS).
class SessionBase : public std::enable_shared_from_this<SessionBase> {
 public:
  explicit SessionBase(asio::any_io_executor strand) : strand_(std::move(strand)) {}
  virtual ~SessionBase() = default;

  const asio::any_io_executor& strand() const { return strand_; }
  bool gone() const { return gone_.load(); }
  // On strand_: queues a Responder's command and wakes the coroutine waiting for it.
  virtual void push(Command command) = 0;
  // On strand_: finish the request in flight (if any), then close; close now when idle.
  virtual void stop() = 0;

  // Commands posted to strand_ and not yet pushed (see ServerResponder::enqueue).
  std::atomic<unsigned> posted_commands{0};

 protected:
  asio::any_io_executor strand_;
  std::atomic<bool> gone_{false};
};

// One accepted connection: reads a request, hands it to the handler, writes what the Responder
// asks for, and only then reads the next (so pipelined requests are answered in order).
// Stream is beast::tcp_stream or TlsStream (handshake first). All members are touched on strand_
// only, except gone_ (atomic).
template <class Stream>
class Session final : public SessionBase {
 public:
  // `remote_address`: the peer's IP, as accept() reported it (no getpeername call per connection).
  // `tls` (TlsStream only): the server's TLS context.
  template <class... Tls>
  Session(std::shared_ptr<Server::Impl> server, tcp::socket socket, std::string remote_address,
          Tls&... tls)
      : SessionBase(socket.get_executor()),
        server_(std::move(server)),
        stream_(std::move(socket), tls...),
        wake_(strand_),
        remote_address_(std::move(remote_address)) {
    boost::system::error_code ec;
    // write_now's write_some must return would_block instead of waiting. Asio puts the socket in
    // non-blocking mode for its first async operation anyway: this is the same one ioctl.
    if constexpr (!kTls) tcp().socket().non_blocking(true, ec);
  }

  void push(Command command) override {
    if (can_write_now(command)) write_now(command);
    commands_.push_back(std::move(command));
    wake_.cancel();
  }

  void stop() override {
    stopping_ = true;
    if (idle_) tcp().cancel();
  }

  asio::awaitable<void> run();

 private:
  struct RequestInfo {
    unsigned version = 11;
    bool keep_alive = true;
    bool head = false;
  };

  // The bytes a command puts on the wire, in order (formatting its head on first use): at most a
  // head, a body and a chunk's end.
  using WireBytes = std::array<asio::const_buffer, 3>;
  WireBytes wire_bytes(Command& command);
  // Plain TCP while serve() waits for a command: writes what the socket takes at once, so an
  // answer leaves before the Responder's caller goes on (the gateway builds the record then, off
  // the client's latency) instead of after a post and the coroutine's resumption.
  bool can_write_now(const Command& command) const;
  void write_now(Command& command);
  // Writes the bytes of `command` that write_now did not; the error, if any.
  asio::awaitable<boost::system::error_code> write_rest(Command& command);
  asio::awaitable<bool> serve();
  // Feeds buffer_ to the parser until it has the header or the whole request, reading more only
  // when it needs more: a request that arrived whole (the usual case) is parsed in place, where
  // Beast's async_read would post its completion through the loop even with nothing to read.
  using RequestParser = MessageReader<true>;
  enum class Until { header, whole };
  asio::awaitable<boost::system::error_code> parse(RequestParser& parser, Until until);
  // After the last write of an answer (respond, end_stream): whether the connection stays open.
  bool answered(const Command& command, const boost::system::error_code& ec);
  // An answer of our own (an error, an empty 200) for the request in request_info_.
  asio::awaitable<bool> write_whole(Response response);
  asio::awaitable<void> answer_error(int status, std::string_view message);
  // TLS only: the handshake (false: failed, counted) and the close_notify before closing.
  asio::awaitable<bool> handshake();
  asio::awaitable<void> tls_shutdown();
  Command next_command_or_none();
  void close();
  beast::tcp_stream& tcp() { return beast::get_lowest_layer(stream_); }

  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

  std::shared_ptr<Server::Impl> server_;
  Stream stream_;
  beast::flat_buffer buffer_;
  asio::steady_timer wake_;
  // The read/write deadline (instead of tcp_stream's per-operation timer: see lazy_deadline.h).
  // Set up by run(), where the session's shared_ptr exists for the expiry to hold on to.
  std::optional<LazyDeadline> deadline_;
  std::deque<Command> commands_;
  std::string remote_address_;
  RequestInfo request_info_;  // of the request being served
  bool streaming_ = false;    // its streamed answer has begun
  bool parked_ = false;       // serve() waits for a command
  bool idle_ = false;
  bool stopping_ = false;
};

namespace {

// Forwards each call to the connection's strand; answers 500 if dropped without answering.
class ServerResponder final : public Responder {
 public:
  explicit ServerResponder(std::shared_ptr<SessionBase> session) : session_(std::move(session)) {}
  ~ServerResponder() override {
    if (!finished_) enqueue(Command{Command::Kind::dropped, {}, {}, {}});
  }

  void respond(Response response) override {
    if (finished_.exchange(true)) return;
    enqueue(Command{Command::Kind::respond, std::move(response), {}, {}});
  }
  void begin_stream(int status, Headers headers) override {
    if (finished_) return;
    enqueue(Command{Command::Kind::begin_stream, Response{status, std::move(headers), {}}, {}, {}});
  }
  void write(std::string chunk, std::function<void(bool ok)> on_written) override {
    if (finished_) {
      if (on_written) on_written(false);
      return;
    }
    enqueue(Command{Command::Kind::write, {}, std::move(chunk), std::move(on_written)});
  }
  void end_stream() override {
    if (finished_.exchange(true)) return;
    enqueue(Command{Command::Kind::end_stream, {}, {}, {}});
  }
  bool client_gone() const override { return session_->gone(); }

 private:
  void enqueue(Command command) {
    // On the connection's own thread, with none of its commands still in a post (order is kept),
    // the command goes over directly: no post, and the answer can leave at once.
    if (session_->posted_commands == 0 && running_in(session_->strand())) {
      session_->push(std::move(command));
      return;
    }
    ++session_->posted_commands;
    asio::post(session_->strand(), [session = session_, command = std::move(command)]() mutable {
      --session->posted_commands;
      session->push(std::move(command));
    });
  }

  std::shared_ptr<SessionBase> session_;
  std::atomic<bool> finished_{false};
};

}  // namespace

template <class Stream>
asio::awaitable<bool> Session<Stream>::handshake() {
  if constexpr (kTls) {
    deadline_->expires_after(server_->options.read_timeout);
    auto [ec] = co_await stream_.async_handshake(ssl::stream_base::server, kUseTuple);
    if (ec) ++server_->tls_handshake_failures;
    co_return !ec;
  }
  co_return true;
}

template <class Stream>
asio::awaitable<void> Session<Stream>::tls_shutdown() {
  if constexpr (kTls) {
    if (gone_) co_return;
    // Bounded: a peer that never answers close_notify must not hold the connection.
    deadline_->expires_after(kDrainTime);
    co_await stream_.async_shutdown(kUseTuple);
  }
}

template <class Stream>
asio::awaitable<void> Session<Stream>::run() {
  auto self = shared_from_this();
  deadline_.emplace(strand_, [this, weak = std::weak_ptr<SessionBase>(self)] {
    if (const auto alive = weak.lock()) tcp().cancel();
  });
  const ServerOptions& options = server_->options;
  const bool secured = co_await handshake();
  while (secured) {  // NOLINT(bugprone-infinite-loop): the body breaks out
    if (stopping_) break;
    if (buffer_.size() == 0) {
      // Idle keep-alive wait: only the first byte of the next request ends it.
      idle_ = true;
      deadline_->expires_after(options.idle_timeout);
      auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(kReadChunk), kUseTuple);
      idle_ = false;
      if (ec) break;
      buffer_.commit(n);
    }

    RequestParser parser;
    parser.header_limit(
        static_cast<std::uint32_t>(std::min<std::size_t>(options.max_header_bytes, UINT32_MAX)));
    parser.body_limit(options.max_body_bytes);
    deadline_->expires_after(options.read_timeout);
    boost::system::error_code ec = co_await parse(parser, Until::header);
    if (!ec && !parser.is_done()) {
      if (ascii::iequals(find_header(parser.message().headers, "expect"), "100-continue")) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        auto [write_ec, written] =
            co_await asio::async_write(stream_, asio::buffer(kContinue), kUseTuple);
        ec = write_ec;
      }
      if (!ec) ec = co_await parse(parser, Until::whole);
    }
    if (ec == bhttp::error::body_limit) {
      co_await answer_error(413, "request body too large");
      break;
    }
    if (ec == bhttp::error::header_limit) {
      co_await answer_error(431, "request headers too large");
      break;
    }
    if (ec && ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
        ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
      co_await answer_error(400, "malformed HTTP request");
      break;
    }
    if (ec) break;  // timeout, reset, or the client closed mid-request: nobody to answer
    if (server_->closed) break;

    request_info_ = RequestInfo{parser.version(), parser.keep_alive(), parser.head_request()};
    Request request = std::move(parser.message());
    request.remote_address = remote_address_;

    server_->begin_request();
    {
      auto responder = std::make_shared<ServerResponder>(self);
      try {
        server_->handler(std::move(request), std::move(responder));
      } catch (const std::exception& e) {
        // A handler bug must not take the connection's coroutine down; the dropped responder
        // answers 500. Counted (llmtap_http_handler_exceptions_total) and logged so it shows up.
        ++server_->handler_exceptions;
        spdlog::error("request handler threw: {}; answering 500", e.what());
      }
    }
    const bool keep = co_await serve();
    server_->end_request();
    if (!keep) break;
  }
  if (secured) co_await tls_shutdown();
  close();
  std::lock_guard lock(server_->mu);
  server_->sessions.erase(this);
}

template <class Stream>
asio::awaitable<boost::system::error_code> Session<Stream>::parse(RequestParser& parser,
                                                                  Until until) {
  parser.eager(until == Until::whole);
  for (;;) {
    if (until == Until::whole ? parser.is_done() : parser.is_header_done())
      co_return boost::system::error_code();
    boost::system::error_code ec;
    if (buffer_.size() != 0) {
      const std::size_t used = parser.put(buffer_.data(), ec);
      buffer_.consume(used);
      if (!ec && used != 0) continue;
      if (ec && ec != bhttp::error::need_more) co_return ec;
    }
    auto [read_ec, n] = co_await stream_.async_read_some(buffer_.prepare(kReadChunk), kUseTuple);
    if (read_ec == asio::error::eof) {
      // As Beast's read: nothing of a request yet is a clean end, a cut-off one is partial.
      if (!parser.got_some()) co_return bhttp::error::end_of_stream;
      parser.put_eof(ec);
      const bool done = until == Until::whole ? parser.is_done() : parser.is_header_done();
      if (!ec && !done) ec = bhttp::error::partial_message;
      co_return ec;
    }
    if (read_ec) co_return read_ec;
    buffer_.commit(n);
  }
}

template <class Stream>
Command Session<Stream>::next_command_or_none() {
  if (commands_.empty()) return Command{Command::Kind::dropped, {}, {}, {}};
  Command command = std::move(commands_.front());
  commands_.pop_front();
  return command;
}

template <class Stream>
typename Session<Stream>::WireBytes Session<Stream>::wire_bytes(Command& command) {
  const RequestInfo& info = request_info_;
  const bool chunked = info.version >= 11;
  const bool first = !command.formatted;
  command.formatted = true;
  switch (command.kind) {
    case Command::Kind::respond: {
      const unsigned status = status_code(command.response.status);
      if (first) {
        command.keep = info.keep_alive && !stopping_;
        command.head.reserve(256);
        wire::append_response_head(command.head, info.version, status, command.response.headers,
                                   command.response.body.size(), command.keep);
      }
      const bool no_body = info.head || wire::status_without_body(status);
      return {asio::buffer(command.head),
              no_body ? asio::const_buffer() : asio::buffer(command.response.body),
              {}};
    }
    case Command::Kind::begin_stream:
      if (first) {
        command.keep = chunked && info.keep_alive && !stopping_;
        command.head.reserve(256);
        wire::append_stream_head(command.head, info.version, status_code(command.response.status),
                                 command.response.headers, chunked, command.keep);
      }
      return {asio::buffer(command.head), {}, {}};
    case Command::Kind::write:
      // An empty chunk would read as the last one: nothing goes out.
      if (command.chunk.empty()) return {};
      if (!chunked) return {asio::buffer(command.chunk), {}, {}};
      if (first) wire::append_chunk_size(command.head, command.chunk.size());
      return {asio::buffer(command.head), asio::buffer(command.chunk),
              asio::buffer(wire::kChunkEnd)};
    case Command::Kind::end_stream:
      if (first) command.keep = info.keep_alive && !stopping_;
      return {asio::buffer(wire::kLastChunk), {}, {}};
    case Command::Kind::dropped:
      break;
  }
  return {};
}

template <class Stream>
bool Session<Stream>::can_write_now(const Command& command) const {
  if (kTls || !parked_ || !commands_.empty() || gone_) return false;
  // The same conditions under which serve() writes the command.
  switch (command.kind) {
    case Command::Kind::respond:
    case Command::Kind::begin_stream:
      return !streaming_;
    case Command::Kind::write:
      return streaming_ && !command.chunk.empty();
    case Command::Kind::end_stream:
      return streaming_ && request_info_.version >= 11;
    case Command::Kind::dropped:
      return false;
  }
  return false;
}

template <class Stream>
void Session<Stream>::write_now(Command& command) {
  const WireBytes bytes = wire_bytes(command);
  if (asio::buffer_size(bytes) == 0) return;
  boost::system::error_code ec;
  const std::size_t n = tcp().socket().write_some(bytes, ec);  // non-blocking: see the constructor
  if (!ec) {
    command.written = n;
  } else if (ec != asio::error::would_block && ec != asio::error::try_again) {
    command.write_error = ec;
  }
}

template <class Stream>
asio::awaitable<boost::system::error_code> Session<Stream>::write_rest(Command& command) {
  if (command.write_error) co_return command.write_error;
  const WireBytes rest = after_prefix(wire_bytes(command), command.written);
  if (asio::buffer_size(rest) == 0) co_return boost::system::error_code();
  deadline_->expires_after(server_->options.read_timeout);
  auto [ec, n] = co_await asio::async_write(stream_, rest, kUseTuple);
  co_return ec;
}

// Carries out the Responder's commands for one request; returns whether to keep the connection.
template <class Stream>
asio::awaitable<bool> Session<Stream>::serve() {
  streaming_ = false;
  for (;;) {
    while (commands_.empty()) {
      deadline_->expires_never();
      wake_.expires_at(asio::steady_timer::time_point::max());
      parked_ = true;
      co_await wake_.async_wait(kUseTuple);
      parked_ = false;
    }
    Command command = next_command_or_none();
    switch (command.kind) {
      case Command::Kind::respond: {
        const auto ec = co_await write_rest(command);
        co_return answered(command, ec);
      }
      case Command::Kind::dropped:
        if (streaming_) co_return false;  // the stream is incomplete: closing tells the client so
        co_return co_await write_whole(json_error(500, "handler gave no response"));
      case Command::Kind::begin_stream:
        if (streaming_) break;
        streaming_ = true;
        if (co_await write_rest(command)) gone_ = true;
        break;
      case Command::Kind::write: {
        bool ok = !gone_ && streaming_;
        if (ok) {
          const auto ec = co_await write_rest(command);
          if (ec) gone_ = true;
          ok = !ec;
        }
        if (command.on_written) command.on_written(ok);
        break;
      }
      case Command::Kind::end_stream: {
        if (!streaming_) {
          // end_stream() without begin_stream(): an empty answer is the least surprising.
          co_return co_await write_whole(Response{200, {}, {}});
        }
        if (gone_ || request_info_.version < 11) co_return false;
        const auto ec = co_await write_rest(command);
        co_return answered(command, ec);
      }
    }
  }
}

template <class Stream>
bool Session<Stream>::answered(const Command& command, const boost::system::error_code& ec) {
  if (ec) gone_ = true;
  return !ec && command.keep;
}

template <class Stream>
asio::awaitable<bool> Session<Stream>::write_whole(Response response) {
  Command command(Command::Kind::respond, std::move(response));
  const auto ec = co_await write_rest(command);
  co_return answered(command, ec);
}

template <class Stream>
asio::awaitable<void> Session<Stream>::answer_error(int status, std::string_view message) {
  request_info_ = RequestInfo{11, false, false};  // the request could not be read: close after this
  co_await write_whole(json_error(status, message));
  if (gone_) co_return;
  boost::system::error_code ignored;
  if constexpr (!kTls)
    tcp().socket().shutdown(tcp::socket::shutdown_send, ignored);  // TLS: no half-close
  deadline_->expires_after(kDrainTime);
  std::size_t drained = 0;
  while (drained < kDrainBytes) {
    buffer_.clear();
    auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(kReadChunk), kUseTuple);
    if (ec) break;
    drained += n;
  }
}

template <class Stream>
void Session<Stream>::close() {
  gone_ = true;
  boost::system::error_code ignored;
  tcp().socket().shutdown(tcp::socket::shutdown_both, ignored);
  tcp().socket().close(ignored);
}

namespace {

void start_session(const std::shared_ptr<Server::Impl>& server, tcp::socket socket,
                   std::string remote_address) {
  // Responses and stream chunks are written whole; Nagle would only add delayed-ACK latency.
  boost::system::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  std::shared_ptr<SessionBase> session;
  std::optional<asio::awaitable<void>> run;
  if (server->tls_context) {
    auto tls = std::make_shared<Session<TlsStream>>(
        server, std::move(socket), std::move(remote_address), *server->tls_context);
    run.emplace(tls->run());
    session = std::move(tls);
  } else {
    auto plain = std::make_shared<Session<beast::tcp_stream>>(server, std::move(socket),
                                                              std::move(remote_address));
    run.emplace(plain->run());
    session = std::move(plain);
  }
  {
    std::lock_guard lock(server->mu);
    if (server->stopping) return;
    server->sessions.emplace(session.get(), session);
  }
  ++server->connections_accepted;
  asio::co_spawn(session->strand(), std::move(*run), [](const std::exception_ptr& error) {
    if (error)
      std::rethrow_exception(error);  // only a bug gets here: Session::run catches the rest
  });
}

asio::awaitable<void> accept_loop(std::shared_ptr<Server::Impl> server) {
  tcp::endpoint peer;  // filled by accept itself: no getpeername per connection
  for (;;) {
    auto [ec, socket] =
        co_await server->acceptor.async_accept(server->runtime.serial_executor(), peer, kUseTuple);
    if (!server->acceptor.is_open()) co_return;
    if (ec) {
      // Out of descriptors and the like: wait a little instead of spinning.
      asio::steady_timer backoff(server->strand, kAcceptBackoff);
      co_await backoff.async_wait(kUseTuple);
      continue;
    }
    start_session(server, std::move(socket), peer.address().to_string());
  }
}

[[noreturn]] void throw_bind_error(const boost::system::error_code& ec, const std::string& what) {
  throw std::system_error(ec.value(), std::system_category(), what);
}

}  // namespace

Server::Server(Runtime& runtime, ServerOptions options, Handler handler)
    : impl_(std::make_shared<Impl>(runtime, std::move(options), std::move(handler))) {}

Server::~Server() {
  impl_->closed = true;
  stop_accepting();
}

void Server::listen() {
  const auto& options = impl_->options;
  const std::string where = options.host + ":" + std::to_string(options.port);
  boost::system::error_code ec;
  tcp::endpoint endpoint;
  const auto address = asio::ip::make_address(options.host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, options.port);
  } else {
    tcp::resolver resolver(impl_->io);
    const auto results = resolver.resolve(options.host, std::to_string(options.port), ec);
    if (ec || results.empty()) throw_bind_error(ec, "cannot resolve listen address " + where);
    endpoint = results.begin()->endpoint();
  }
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (ec) throw_bind_error(ec, "cannot open socket for " + where);
  acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) throw_bind_error(ec, "SO_REUSEADDR on " + where);
  acceptor.bind(endpoint, ec);
  if (ec) throw_bind_error(ec, "cannot bind " + where);
  acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw_bind_error(ec, "cannot listen on " + where);
  impl_->port = acceptor.local_endpoint().port();
  asio::co_spawn(impl_->strand, accept_loop(impl_), [](const std::exception_ptr& error) {
    if (error) std::rethrow_exception(error);
  });
}

std::uint16_t Server::port() const { return impl_->port.load(); }

std::uint64_t Server::connections_accepted() const { return impl_->connections_accepted.load(); }

std::uint64_t Server::tls_handshake_failures() const {
  return impl_->tls_handshake_failures.load();
}

std::uint64_t Server::handler_exceptions() const { return impl_->handler_exceptions.load(); }

ssl::context Server::Impl::make_tls_context(const ServerTlsOptions& tls) {
  ssl::context context(ssl::context::tls_server);
  context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                      ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                      ssl::context::single_dh_use);
  context.use_certificate_chain_file(tls.cert_file);
  context.use_private_key_file(tls.key_file, ssl::context::pem);
  if (!tls.client_ca_file.empty()) {
    context.load_verify_file(tls.client_ca_file);
    context.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  }
  return context;
}

std::size_t Server::open_connections() const {
  std::lock_guard lock(impl_->mu);
  return impl_->sessions.size();
}

void Server::stop_accepting() {
  std::vector<std::shared_ptr<SessionBase>> sessions;
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
    for (auto& [key, weak] : impl_->sessions) {
      if (auto session = weak.lock()) sessions.push_back(std::move(session));
    }
  }
  asio::post(impl_->strand, [impl = impl_] {
    boost::system::error_code ignored;
    impl->acceptor.close(ignored);
  });
  for (auto& session : sessions) {
    asio::post(session->strand(), [session] { session->stop(); });
  }
}

void Server::wait_idle(std::chrono::steady_clock::time_point deadline, std::function<void()> done) {
  // Whichever comes first, going idle or the deadline, calls `done`; the other finds it spent.
  struct Waiter {
    explicit Waiter(Runtime::Impl& runtime) : timer(runtime.serial_executor()) {}
    asio::steady_timer timer;
    std::function<void()> done;
    bool fired = false;  // on timer's strand
    void fire() {
      if (fired) return;
      fired = true;
      timer.cancel();
      auto fn = std::move(done);
      fn();
    }
  };
  auto waiter = std::make_shared<Waiter>(impl_->runtime);
  waiter->done = std::move(done);
  auto on_strand = [waiter] {
    asio::post(waiter->timer.get_executor(), [waiter] { waiter->fire(); });
  };
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->in_flight != 0) impl_->idle_waiters.push_back(on_strand);
  }
  asio::post(waiter->timer.get_executor(), [waiter, deadline, impl = impl_] {
    if (waiter->fired) return;
    bool idle = false;
    {
      std::lock_guard lock(impl->mu);
      idle = impl->in_flight == 0;
    }
    if (idle) {
      waiter->fire();
      return;
    }
    waiter->timer.expires_at(deadline);
    waiter->timer.async_wait([waiter](boost::system::error_code) { waiter->fire(); });
  });
}

}  // namespace llmtap::http

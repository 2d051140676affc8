#include "http/runtime.h"

#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <thread>

#include "http/detail/runtime_impl.h"

namespace llmtap::http {
namespace {

namespace asio = boost::asio;

// A steady_timer whose callbacks stop once the timer object is destroyed, so a callback that
// captured its owner never runs after the owner is gone (a cancellation from re-arming still runs).
class SteadyTimer final : public Timer {
 public:
  explicit SteadyTimer(asio::io_context& io)
      : timer_(io), alive_(std::make_shared<std::atomic<bool>>(true)) {}
  ~SteadyTimer() override {
    alive_->store(false);
    timer_.cancel();
  }

  void expire_after(std::chrono::nanoseconds delay,
                    std::function<void(bool cancelled)> fn) override {
    timer_.expires_after(delay);
    timer_.async_wait([alive = alive_, fn = std::move(fn)](boost::system::error_code ec) {
      if (alive->load()) fn(ec == asio::error::operation_aborted);
    });
  }

  void cancel() override { timer_.cancel(); }

 private:
  asio::steady_timer timer_;
  std::shared_ptr<std::atomic<bool>> alive_;
};

void wait_for_signal(asio::signal_set& set, std::shared_ptr<std::function<void(int)>> fn) {
  set.async_wait([&set, fn](boost::system::error_code ec, int signal) {
    if (ec) return;  // the set was cancelled or destroyed
    (*fn)(signal);
    wait_for_signal(set, fn);
  });
}

}  // namespace

Runtime::Runtime(unsigned threads)
    : threads_(threads == 0 ? 1 : threads), impl_(std::make_unique<Impl>(threads_)) {
  impl_->work.emplace(impl_->io.get_executor());
}

Runtime::~Runtime() {
  {
    std::lock_guard lock(impl_->mu);
    for (auto& set : impl_->signals) {
      boost::system::error_code ignored;
      set->cancel(ignored);
    }
  }
  impl_->work.reset();
}

void Runtime::post(std::function<void()> fn) { asio::post(impl_->io, std::move(fn)); }

std::unique_ptr<Timer> Runtime::make_timer() { return std::make_unique<SteadyTimer>(impl_->io); }

void Runtime::on_signals(std::vector<int> signals, std::function<void(int signal)> fn) {
  auto set = std::make_unique<asio::signal_set>(impl_->io);
  for (int signal : signals) set->add(signal);
  wait_for_signal(*set, std::make_shared<std::function<void(int)>>(std::move(fn)));
  std::lock_guard lock(impl_->mu);
  impl_->signals.push_back(std::move(set));
}

void Runtime::run() {
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->stopped) return;
  }
  std::vector<std::thread> helpers;
  helpers.reserve(threads_ - 1);
  for (unsigned i = 1; i < threads_; ++i) helpers.emplace_back([this] { impl_->io.run(); });
  impl_->io.run();
  for (auto& helper : helpers) helper.join();
}

void Runtime::stop() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopped = true;
  }
  impl_->io.stop();
}

}  // namespace llmtap::http

// The process-wide database-credential cache (DESIGN.md section 3): single-flight minting,
// refresh ahead of expiry in the background, a still-valid token kept when a refresh fails.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>

#include "auth/clock.h"
#include "auth/token.h"
#include "auth/workspace_api.h"

namespace lakebase::auth {

struct TokenCacheOptions {
  // Refresh in the background once less than this remains (TokenRefreshMargin). Capped at half
  // the token's lifetime, so short-lived tokens (a test rig's) are not refreshed continuously.
  std::chrono::seconds refresh_margin{300};
  // Bound for GetToken(min_validity) called without a deadline.
  std::chrono::seconds default_timeout{30};
  // Bound for one background refresh (its retries included).
  std::chrono::seconds background_timeout{60};
  // After a failed background refresh the next one waits this long, doubling up to the maximum.
  std::chrono::seconds refresh_retry_initial{5};
  std::chrono::seconds refresh_retry_max{120};
};

// One background thread that runs refresh jobs in order. Started on the first Post, stopped and
// joined by Stop (auth::Shutdown, before the driver library can be unloaded). After fork() the
// child never joins or signals the parent's thread: it starts its own on demand.
class RefreshWorker {
 public:
  using Job = std::function<void(std::stop_token)>;

  RefreshWorker() = default;
  ~RefreshWorker();
  RefreshWorker(const RefreshWorker&) = delete;
  RefreshWorker& operator=(const RefreshWorker&) = delete;

  void Post(Job job);
  // Requests stop (aborting an HTTP exchange in flight), joins the thread, then runs the jobs
  // still queued with stop already requested (so they only clean up). A later Post starts a new
  // thread.
  void Stop();
  // Waits until the queue is empty and no job runs (tests); false on timeout.
  bool WaitIdle(std::chrono::milliseconds timeout);

 private:
  // Everything the thread shares, owned by the process that made it. After fork() the child
  // must not lock, signal or join any of it (glibc's condition variables can block on waiters
  // that only existed in the parent), so the child abandons it whole and makes its own.
  struct State {
    explicit State(int owner) : pid(owner) {}
    const int pid;
    std::mutex mutex;
    std::condition_variable_any cv;
    std::condition_variable_any idle_cv;
    std::deque<Job> jobs;
    bool running_job = false;
    std::unique_ptr<std::jthread> thread;
  };
  // This process's state, made on first use (and again in a forked child).
  State& Current();
  static void Run(State& state, std::stop_token stop);

  std::atomic<State*> state_{nullptr};
};

class CachingTokenProvider final : public TokenProvider,
                                   public std::enable_shared_from_this<CachingTokenProvider> {
 public:
  // worker may be null: no refresh ahead, a token is minted when the cached one is too short.
  CachingTokenProvider(std::shared_ptr<CredentialMinter> minter, std::string identity,
                       std::shared_ptr<Clock> clock, std::shared_ptr<RefreshWorker> worker,
                       TokenCacheOptions options = {});

  Token GetToken(std::chrono::seconds min_validity) override;
  Token GetToken(std::chrono::seconds min_validity,
                 std::chrono::steady_clock::time_point deadline) override;
  void Invalidate(const Token& rejected) override;
  std::string Identity() const override { return identity_; }

  struct Stats {
    uint64_t mints = 0;  // successful mints (foreground and background)
    uint64_t failed_mints = 0;
    uint64_t background_refreshes = 0;  // successful background mints
    uint64_t served_from_cache = 0;
  };
  Stats stats() const;
  // The cached token's expiry, if any (tests, diagnostics).
  std::optional<std::chrono::system_clock::time_point> cached_expiry() const;
  std::string Describe() const { return minter_->Describe(); }

 private:
  void MaybeScheduleRefresh(std::chrono::system_clock::time_point now);
  void RunBackgroundRefresh(std::stop_token stop);
  std::chrono::seconds EffectiveMargin() const;
  // min_validity capped for short-lived tokens (see the definition). Needs mutex_.
  std::chrono::seconds NeededValidity(std::chrono::seconds asked) const;
  std::chrono::system_clock::time_point MintedAt(const Token& token) const;

  const std::shared_ptr<CredentialMinter> minter_;
  const std::string identity_;
  const std::shared_ptr<Clock> clock_;
  const std::shared_ptr<RefreshWorker> worker_;
  const TokenCacheOptions options_;
  const int pid_;  // the process whose cache this is; a forked child bypasses it

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::optional<Token> current_;
  std::chrono::system_clock::time_point current_minted_at_{};
  bool in_flight_ = false;          // a mint (foreground or background) is under way
  bool refresh_scheduled_ = false;  // a background job is queued
  uint64_t generation_ = 0;         // completed mints, successful or not
  bool last_flight_background_ = false;
  std::optional<AuthError> last_error_;  // of the last completed flight; nullopt when it succeeded
  int background_failures_ = 0;
  std::chrono::steady_clock::time_point next_background_attempt_{};
  Stats stats_;
};

}  // namespace lakebase::auth

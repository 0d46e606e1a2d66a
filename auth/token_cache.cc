#include "auth/token_cache.h"

#include <unistd.h>

#include <algorithm>
#include <random>

#include "auth/encoding.h"
#include "common/log.h"

namespace lakebase::auth {

// ---------------------------------------------------------------------------------------------
// RefreshWorker

RefreshWorker::~RefreshWorker() { Stop(); }

void RefreshWorker::Post(Job job) {
  std::lock_guard lock(mutex_);
  if (thread_ && pid_ != getpid()) {
    // Inherited across fork(): the thread does not exist here, and joining or destroying its
    // handle would be undefined. Abandon it (a few bytes) and start our own.
    (void)thread_.release();
  }
  jobs_.push_back(std::move(job));
  if (!thread_) {
    pid_ = getpid();
    thread_ = std::make_unique<std::jthread>([this](std::stop_token stop) { Run(stop); });
  }
  cv_.notify_one();
}

void RefreshWorker::Stop() {
  std::unique_ptr<std::jthread> thread;
  {
    std::lock_guard lock(mutex_);
    jobs_.clear();
    if (thread_ && pid_ != getpid()) {
      (void)thread_.release();  // the parent's thread: never join it from a child
      return;
    }
    thread = std::move(thread_);
  }
  if (thread) {
    thread->request_stop();
    thread->join();
  }
  std::lock_guard lock(mutex_);
  running_job_ = false;
  idle_cv_.notify_all();
}

bool RefreshWorker::WaitIdle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_cv_.wait_for(lock, timeout, [&] { return jobs_.empty() && !running_job_; });
}

void RefreshWorker::Run(std::stop_token stop) {
  std::unique_lock lock(mutex_);
  while (true) {
    if (!cv_.wait(lock, stop, [&] { return !jobs_.empty(); })) break;  // stop requested
    Job job = std::move(jobs_.front());
    jobs_.pop_front();
    running_job_ = true;
    lock.unlock();
    try {
      job(stop);
    } catch (...) {
      // Jobs report their own failures; nothing may escape a thread function.
    }
    lock.lock();
    running_job_ = false;
    if (jobs_.empty()) idle_cv_.notify_all();
  }
  running_job_ = false;
  idle_cv_.notify_all();
}

// ---------------------------------------------------------------------------------------------
// CachingTokenProvider

CachingTokenProvider::CachingTokenProvider(std::shared_ptr<CredentialMinter> minter,
                                           std::string identity, std::shared_ptr<Clock> clock,
                                           std::shared_ptr<RefreshWorker> worker,
                                           TokenCacheOptions options)
    : minter_(std::move(minter)),
      identity_(std::move(identity)),
      clock_(std::move(clock)),
      worker_(std::move(worker)),
      options_(options) {}

Token CachingTokenProvider::GetToken(std::chrono::seconds min_validity) {
  return GetToken(min_validity, clock_->SteadyNow() + options_.default_timeout);
}

std::chrono::seconds CachingTokenProvider::EffectiveMargin() const {
  if (!current_) return options_.refresh_margin;
  auto lifetime =
      std::chrono::duration_cast<std::chrono::seconds>(current_->expires_at - current_minted_at_);
  return std::min(options_.refresh_margin, lifetime / 2);
}

void CachingTokenProvider::MaybeScheduleRefresh(std::chrono::system_clock::time_point now) {
  if (!worker_ || !current_ || in_flight_ || refresh_scheduled_) return;
  if (current_->expires_at - now >= EffectiveMargin()) return;
  if (clock_->SteadyNow() < next_background_attempt_) return;  // backing off after a failure
  refresh_scheduled_ = true;
  std::weak_ptr<CachingTokenProvider> weak = weak_from_this();
  if (weak.expired()) {
    refresh_scheduled_ = false;  // not owned by a shared_ptr: cannot hand ourselves to a thread
    return;
  }
  log::Debug("auth: refreshing the database credential for {} ({}) in the background",
             minter_->Describe(), identity_);
  worker_->Post([weak](std::stop_token stop) {
    if (auto self = weak.lock()) self->RunBackgroundRefresh(stop);
  });
}

Token CachingTokenProvider::GetToken(std::chrono::seconds min_validity,
                                     std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  while (true) {
    auto now = clock_->SystemNow();
    if (current_ && current_->expires_at - now > min_validity) {
      MaybeScheduleRefresh(now);
      ++stats_.served_from_cache;
      Token token = *current_;
      token.from_cache = true;
      return token;
    }
    if (in_flight_) {
      // Single flight: someone is minting; share its result instead of asking again.
      uint64_t seen = generation_;
      // The wait is on the real clock: cv waits cannot be faked, and deadlines built from a
      // FakeClock start at the real now.
      if (!cv_.wait_until(lock, deadline, [&] { return generation_ != seen; })) {
        throw AuthError(AuthErrorKind::kTimeout,
                        "timed out waiting for the database credential for " + minter_->Describe() +
                            " being minted by another connection");
      }
      if (last_error_ && !last_flight_background_ &&
          !(current_ && current_->expires_at - clock_->SystemNow() > min_validity)) {
        throw *last_error_;  // the flight we waited for failed: its error is ours too
      }
      continue;
    }
    // Our turn to mint.
    in_flight_ = true;
    last_flight_background_ = false;
    lock.unlock();
    std::optional<Token> minted;
    std::optional<AuthError> error;
    try {
      minted = minter_->Mint(CallContext{deadline, {}});
    } catch (const AuthError& e) {
      error = e;
    } catch (const std::exception& e) {
      error =
          AuthError(AuthErrorKind::kWorkspace, "minting a database credential for " +
                                                   minter_->Describe() + " failed: " + e.what());
    } catch (...) {
      error = AuthError(AuthErrorKind::kWorkspace,
                        "minting a database credential for " + minter_->Describe() + " failed");
    }
    lock.lock();
    in_flight_ = false;
    ++generation_;
    last_error_ = error;
    if (minted) {
      current_ = *minted;
      current_minted_at_ = clock_->SystemNow();
      background_failures_ = 0;
      next_background_attempt_ = {};
      ++stats_.mints;
    } else {
      ++stats_.failed_mints;
    }
    cv_.notify_all();
    if (error) throw *error;
    if (minted->expires_at - clock_->SystemNow() <= min_validity) {
      log::Warn("auth: the database credential minted for {} is valid for less than the {} s asked",
                minter_->Describe(), min_validity.count());
    }
    log::Debug("auth: minted a database credential for {} ({}), expires {}", minter_->Describe(),
               identity_, FormatRfc3339(minted->expires_at));
    minted->from_cache = false;
    return *minted;
  }
}

void CachingTokenProvider::RunBackgroundRefresh(std::stop_token stop) {
  {
    std::lock_guard lock(mutex_);
    refresh_scheduled_ = false;
    if (in_flight_ || stop.stop_requested()) return;
    in_flight_ = true;
    last_flight_background_ = true;
  }
  std::optional<Token> minted;
  std::optional<AuthError> error;
  try {
    minted = minter_->Mint(CallContext{clock_->SteadyNow() + options_.background_timeout, stop});
  } catch (const AuthError& e) {
    error = e;
  } catch (const std::exception& e) {
    error = AuthError(AuthErrorKind::kWorkspace, e.what());
  } catch (...) {
    error = AuthError(AuthErrorKind::kWorkspace, "unknown error");
  }
  std::lock_guard lock(mutex_);
  in_flight_ = false;
  ++generation_;
  last_error_ = error;
  if (minted) {
    current_ = *minted;
    current_minted_at_ = clock_->SystemNow();
    background_failures_ = 0;
    next_background_attempt_ = {};
    ++stats_.mints;
    ++stats_.background_refreshes;
    log::Debug("auth: refreshed the database credential for {} ({}) in the background, expires {}",
               minter_->Describe(), identity_, FormatRfc3339(minted->expires_at));
  } else {
    ++stats_.failed_mints;
    ++background_failures_;
    // The still-valid token stays in use; try again later, backing off so a workspace outage is
    // not hammered by every process on the machine.
    auto backoff = options_.refresh_retry_initial * (1LL << std::min(background_failures_ - 1, 10));
    backoff = std::min<std::chrono::seconds>(backoff, options_.refresh_retry_max);
    thread_local std::minstd_rand rng{std::random_device{}()};
    std::uniform_int_distribution<int64_t> dist(backoff.count() * 500, backoff.count() * 1000);
    next_background_attempt_ = clock_->SteadyNow() + std::chrono::milliseconds(dist(rng));
    log::Warn(
        "auth: background refresh of the database credential for {} failed ({}); the "
        "cached token stays in use until it expires",
        minter_->Describe(), error->what());
  }
  cv_.notify_all();
}

void CachingTokenProvider::Invalidate(const Token& rejected) {
  std::lock_guard lock(mutex_);
  if (current_ && current_->value == rejected.value) {
    log::Info("auth: dropping a rejected database credential for {} ({})", minter_->Describe(),
              identity_);
    current_.reset();
  }
}

CachingTokenProvider::Stats CachingTokenProvider::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

std::optional<std::chrono::system_clock::time_point> CachingTokenProvider::cached_expiry() const {
  std::lock_guard lock(mutex_);
  if (!current_) return std::nullopt;
  return current_->expires_at;
}

}  // namespace lakebase::auth

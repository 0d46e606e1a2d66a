#include "auth/token_cache.h"

#include <unistd.h>

#include <algorithm>
#include <random>

#include "auth/encoding.h"
#include "common/log.h"

namespace lakebase::auth {

// ---------------------------------------------------------------------------------------------
// RefreshWorker

RefreshWorker::~RefreshWorker() {
  Stop();
  State* state = state_.load(std::memory_order_acquire);
  if (state != nullptr && state->pid == getpid()) delete state;  // a parent's is leaked on purpose
}

RefreshWorker::State& RefreshWorker::Current() {
  while (true) {
    State* state = state_.load(std::memory_order_acquire);
    if (state != nullptr && state->pid == getpid()) return *state;
    auto* fresh = new State(getpid());
    if (state_.compare_exchange_strong(state, fresh, std::memory_order_acq_rel)) return *fresh;
    delete fresh;  // another thread of this process installed one first
  }
}

void RefreshWorker::Post(Job job) {
  State& s = Current();
  std::lock_guard lock(s.mutex);
  s.jobs.push_back(std::move(job));
  if (!s.thread) {
    State* state = &s;
    s.thread = std::make_unique<std::jthread>([state](std::stop_token stop) { Run(*state, stop); });
  }
  s.cv.notify_one();
}

void RefreshWorker::Stop() {
  State* state = state_.load(std::memory_order_acquire);
  if (state == nullptr || state->pid != getpid()) return;  // nothing of this process's to stop
  State& s = *state;
  std::unique_ptr<std::jthread> thread;
  {
    std::lock_guard lock(s.mutex);
    thread = std::move(s.thread);
  }
  if (thread) {
    thread->request_stop();
    thread->join();
  }
  std::deque<Job> dropped;
  {
    std::lock_guard lock(s.mutex);
    dropped.swap(s.jobs);
    s.running_job = false;
  }
  // Queued jobs still run, here, with stop already requested: each then only resets its
  // provider's "refresh scheduled" mark (so a later refresh can be scheduled) without any HTTP.
  std::stop_source stopped;
  stopped.request_stop();
  for (auto& job : dropped) {
    try {
      job(stopped.get_token());
    } catch (...) {
    }
  }
  std::lock_guard lock(s.mutex);
  s.idle_cv.notify_all();
}

bool RefreshWorker::WaitIdle(std::chrono::milliseconds timeout) {
  State& s = Current();
  std::unique_lock lock(s.mutex);
  return s.idle_cv.wait_for(lock, timeout, [&] { return s.jobs.empty() && !s.running_job; });
}

void RefreshWorker::Run(State& s, std::stop_token stop) {
  std::unique_lock lock(s.mutex);
  while (true) {
    if (!s.cv.wait(lock, stop, [&] { return !s.jobs.empty(); })) break;  // stop requested
    Job job = std::move(s.jobs.front());
    s.jobs.pop_front();
    s.running_job = true;
    lock.unlock();
    try {
      job(stop);
    } catch (...) {
      // Jobs report their own failures; nothing may escape a thread function.
    }
    lock.lock();
    s.running_job = false;
    if (s.jobs.empty()) s.idle_cv.notify_all();
  }
  s.running_job = false;
  s.idle_cv.notify_all();
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
      options_(options),
      pid_(getpid()) {}

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
  if (pid_ != getpid()) {
    // Inherited across fork(): this cache's lock and condition variable may be held or waited on
    // by threads that exist only in the parent. Mint directly; PlanLogin in the child hands out
    // providers of the child's own.
    Token token = minter_->Mint(CallContext{deadline, {}});
    token.from_cache = false;
    return token;
  }
  std::unique_lock lock(mutex_);
  const std::chrono::seconds asked = min_validity;
  while (true) {
    min_validity = NeededValidity(asked);
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
          !(current_ && current_->expires_at - clock_->SystemNow() > NeededValidity(asked))) {
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
      current_minted_at_ = MintedAt(*minted);
      background_failures_ = 0;
      next_background_attempt_ = {};
      ++stats_.mints;
    } else {
      ++stats_.failed_mints;
    }
    cv_.notify_all();
    if (error) throw *error;
    if (minted->expires_at - clock_->SystemNow() <= NeededValidity(asked)) {
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
    current_minted_at_ = MintedAt(*minted);
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
  if (pid_ != getpid()) return;  // nothing cached for this process (see GetToken)
  {
    std::lock_guard lock(mutex_);
    if (current_ && current_->value == rejected.value) {
      log::Info("auth: dropping a rejected database credential for {} ({})", minter_->Describe(),
                identity_);
      current_.reset();
    }
  }
  // A cache shared with other processes must forget it too (outside our lock: it takes a file
  // lock).
  minter_->Invalidate(rejected);
}

std::chrono::system_clock::time_point CachingTokenProvider::MintedAt(const Token& token) const {
  auto now = clock_->SystemNow();
  if (token.issued_at.time_since_epoch().count() > 0 && token.issued_at <= now) {
    return token.issued_at;
  }
  return now;
}

std::chrono::seconds CachingTokenProvider::NeededValidity(std::chrono::seconds asked) const {
  // A caller asking for more validity than a token can ever have (30 s of a 20-second token)
  // would force a mint on every call; a quarter of the token's lifetime is then enough, and it
  // leaves the background refresh (at half the lifetime) time to finish first.
  if (!current_) return asked;
  auto lifetime =
      std::chrono::duration_cast<std::chrono::seconds>(current_->expires_at - current_minted_at_);
  if (lifetime <= std::chrono::seconds::zero()) return asked;
  return std::min(asked, lifetime / 4);
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

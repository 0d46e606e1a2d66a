#include "auth/token_cache.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <future>
#include <thread>

#include "auth/context.h"

namespace lakebase::auth {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

// A gate a test opens once: minters block on it to hold a mint "in flight".
class Gate {
 public:
  void Open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    cv_.notify_all();
  }
  // Waits until open or stop; false on stop.
  bool Wait(std::stop_token stop = {}) {
    std::unique_lock lock(mutex_);
    return cv_.wait(lock, stop, [&] { return open_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable_any cv_;
  bool open_ = false;
};

class FakeMinter : public CredentialMinter {
 public:
  explicit FakeMinter(std::shared_ptr<FakeClock> clock) : clock_(std::move(clock)) {}
  Token Mint(const CallContext& ctx) override {
    int n = ++calls_;
    if (hook_) hook_(n, ctx);
    Token t;
    t.value = SecretString("db-token-" + std::to_string(n));
    t.expires_at = clock_->SystemNow() + lifetime_;
    return t;
  }
  std::string Describe() const override { return "endpoint projects/p/branches/b/endpoints/e"; }

  std::shared_ptr<FakeClock> clock_;
  std::chrono::seconds lifetime_{3600};
  std::function<void(int, const CallContext&)> hook_;  // may throw or block
  std::atomic<int> calls_{0};
};

class TokenCacheTest : public ::testing::Test {
 protected:
  std::shared_ptr<CachingTokenProvider> Make(bool background = true) {
    return std::make_shared<CachingTokenProvider>(minter_, "pat:ws.example.com:abcd1234", clock_,
                                                  background ? worker_ : nullptr, options_);
  }
  void TearDown() override { worker_->Stop(); }

  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  std::shared_ptr<FakeMinter> minter_ = std::make_shared<FakeMinter>(clock_);
  std::shared_ptr<RefreshWorker> worker_ = std::make_shared<RefreshWorker>();
  TokenCacheOptions options_;
};

TEST_F(TokenCacheTest, MintsOnceThenServesFromCache) {
  auto p = Make();
  Token first = p->GetToken(30s);
  EXPECT_EQ(first.value.Reveal(), "db-token-1");
  EXPECT_FALSE(first.from_cache);
  Token second = p->GetToken(30s);
  EXPECT_EQ(second.value.Reveal(), "db-token-1");
  EXPECT_TRUE(second.from_cache);
  EXPECT_EQ(minter_->calls_, 1);
  EXPECT_EQ(p->Identity(), "pat:ws.example.com:abcd1234");
}

TEST_F(TokenCacheTest, ExpiryHonoursMinValidity) {
  auto p = Make(/*background=*/false);
  p->GetToken(30s);
  clock_->Advance(3600s - 31s);
  EXPECT_EQ(p->GetToken(30s).value.Reveal(), "db-token-1");  // 31 s left > 30 s
  clock_->Advance(2s);
  EXPECT_EQ(p->GetToken(30s).value.Reveal(), "db-token-2");  // 29 s left: mint, waiting
  EXPECT_EQ(minter_->calls_, 2);
}

TEST_F(TokenCacheTest, LargerMinValidityForcesAMint) {
  auto p = Make(false);
  p->GetToken(30s);
  clock_->Advance(3000s);
  EXPECT_EQ(p->GetToken(30s).value.Reveal(), "db-token-1");
  EXPECT_EQ(p->GetToken(900s).value.Reveal(), "db-token-2");
}

TEST_F(TokenCacheTest, RefreshesAheadInTheBackground) {
  auto p = Make();
  p->GetToken(30s);
  clock_->Advance(3600s - 301s);  // outside the 300 s margin: nothing happens
  p->GetToken(30s);
  ASSERT_TRUE(worker_->WaitIdle(5s));
  EXPECT_EQ(minter_->calls_, 1);

  clock_->Advance(2s);  // inside the margin
  Token served = p->GetToken(30s);
  EXPECT_EQ(served.value.Reveal(), "db-token-1");  // the caller is not kept waiting
  ASSERT_TRUE(worker_->WaitIdle(5s));
  EXPECT_EQ(minter_->calls_, 2);
  EXPECT_EQ(p->GetToken(30s).value.Reveal(), "db-token-2");
  EXPECT_EQ(p->stats().background_refreshes, 1u);
}

TEST_F(TokenCacheTest, CallersNeverWaitOnABackgroundRefresh) {
  auto p = Make();
  p->GetToken(30s);
  auto gate = std::make_shared<Gate>();
  minter_->hook_ = [gate](int n, const CallContext& ctx) { gate->Wait(ctx.stop); };
  clock_->Advance(3600s - 100s);
  // The refresh now blocks in "HTTP"; many connects meanwhile all get the valid token at once.
  auto result = std::async(std::launch::async, [&] {
    for (int i = 0; i < 100; ++i) EXPECT_EQ(p->GetToken(30s).value.Reveal(), "db-token-1");
  });
  ASSERT_EQ(result.wait_for(5s), std::future_status::ready);
  // The worker may pick the job up only now; it then blocks in the gate.
  auto until = std::chrono::steady_clock::now() + 5s;
  while (minter_->calls_ < 2 && std::chrono::steady_clock::now() < until) std::this_thread::yield();
  for (int i = 0; i < 100; ++i) p->GetToken(30s);
  EXPECT_EQ(minter_->calls_, 2);  // exactly one background refresh in flight
  gate->Open();
  ASSERT_TRUE(worker_->WaitIdle(5s));
  EXPECT_EQ(p->GetToken(30s).value.Reveal(), "db-token-2");
}

TEST_F(TokenCacheTest, FailedRefreshKeepsTheValidTokenAndBacksOff) {
  auto p = Make();
  p->GetToken(30s);
  minter_->hook_ = [](int n, const CallContext&) {
    if (n == 2) throw AuthError(AuthErrorKind::kWorkspace, "HTTP 503 busy");
  };
  clock_->Advance(3600s - 200s);
  EXPECT_EQ(p->GetToken(30s).value.Reveal(), "db-token-1");
  ASSERT_TRUE(worker_->WaitIdle(5s));
  EXPECT_EQ(minter_->calls_, 2);
  EXPECT_EQ(p->stats().failed_mints, 1u);

  // Still valid: served, and no new refresh before the backoff (>= 2.5 s) has passed.
  EXPECT_EQ(p->GetToken(30s).value.Reveal(), "db-token-1");
  ASSERT_TRUE(worker_->WaitIdle(5s));
  EXPECT_EQ(minter_->calls_, 2);

  clock_->Advance(6s);  // past the first backoff (5 s, jittered to 2.5..5 s)
  EXPECT_EQ(p->GetToken(30s).value.Reveal(), "db-token-1");
  ASSERT_TRUE(worker_->WaitIdle(5s));
  EXPECT_EQ(minter_->calls_, 3);
  EXPECT_EQ(p->GetToken(30s).value.Reveal(), "db-token-3");
}

TEST_F(TokenCacheTest, ExpiredTokenAfterFailedRefreshesMintsInForeground) {
  auto p = Make();
  p->GetToken(30s);
  minter_->hook_ = [](int n, const CallContext&) {
    if (n == 2) throw AuthError(AuthErrorKind::kWorkspace, "HTTP 503 busy");
  };
  clock_->Advance(3600s - 200s);
  p->GetToken(30s);
  ASSERT_TRUE(worker_->WaitIdle(5s));
  clock_->Advance(190s);  // 10 s left: not enough
  EXPECT_EQ(p->GetToken(30s).value.Reveal(), "db-token-3");
}

TEST_F(TokenCacheTest, ShortLivedTokensAreNotRefreshedContinuously) {
  minter_->lifetime_ = 60s;  // a test rig's lifetime, far below the 300 s margin
  auto p = Make();
  p->GetToken(10s);
  for (int i = 0; i < 10; ++i) p->GetToken(10s);
  ASSERT_TRUE(worker_->WaitIdle(5s));
  EXPECT_EQ(minter_->calls_, 1);  // the margin is capped at half the lifetime (30 s)
  clock_->Advance(31s);
  p->GetToken(10s);
  ASSERT_TRUE(worker_->WaitIdle(5s));
  EXPECT_EQ(minter_->calls_, 2);
}

void SingleFlight(TokenCacheTest* test, std::shared_ptr<FakeMinter> minter,
                  std::shared_ptr<CachingTokenProvider> p, int threads) {
  auto gate = std::make_shared<Gate>();
  minter->hook_ = [gate](int, const CallContext&) { gate->Wait(); };
  std::atomic<int> started{0};
  std::vector<std::future<Token>> results;
  for (int i = 0; i < threads; ++i) {
    results.push_back(std::async(std::launch::async, [&] {
      ++started;
      return p->GetToken(30s, std::chrono::steady_clock::now() + 30s);
    }));
  }
  while (started < threads) std::this_thread::yield();
  std::this_thread::sleep_for(50ms);  // let them all reach the cache
  gate->Open();
  for (auto& r : results) EXPECT_EQ(r.get().value.Reveal(), "db-token-1");
  EXPECT_EQ(minter->calls_, 1);
}

TEST_F(TokenCacheTest, SingleFlight16Threads) { SingleFlight(this, minter_, Make(), 16); }
TEST_F(TokenCacheTest, SingleFlight64Threads) { SingleFlight(this, minter_, Make(), 64); }

TEST_F(TokenCacheTest, SingleFlightSharesTheError) {
  auto p = Make();
  auto gate = std::make_shared<Gate>();
  minter_->hook_ = [gate](int, const CallContext&) {
    gate->Wait();
    throw AuthError(AuthErrorKind::kWorkspace, "HTTP 403 PERMISSION_DENIED: no");
  };
  std::vector<std::future<void>> results;
  for (int i = 0; i < 16; ++i) {
    results.push_back(std::async(std::launch::async, [&] {
      try {
        p->GetToken(30s, std::chrono::steady_clock::now() + 30s);
        ADD_FAILURE() << "no error";
      } catch (const AuthError& e) {
        EXPECT_EQ(e.kind(), AuthErrorKind::kWorkspace);
        EXPECT_THAT(e.what(), HasSubstr("PERMISSION_DENIED"));
      }
    }));
  }
  std::this_thread::sleep_for(50ms);
  gate->Open();
  for (auto& r : results) r.get();
  EXPECT_EQ(minter_->calls_, 1);
}

TEST_F(TokenCacheTest, WaiterHonoursItsOwnDeadline) {
  auto p = Make();
  auto gate = std::make_shared<Gate>();
  minter_->hook_ = [gate](int, const CallContext&) { gate->Wait(); };
  auto first = std::async(std::launch::async, [&] { return p->GetToken(30s); });
  while (minter_->calls_ == 0) std::this_thread::yield();
  try {
    p->GetToken(30s, std::chrono::steady_clock::now() + 50ms);
    ADD_FAILURE() << "no timeout";
  } catch (const AuthError& e) {
    EXPECT_EQ(e.kind(), AuthErrorKind::kTimeout);
  }
  gate->Open();
  EXPECT_EQ(first.get().value.Reveal(), "db-token-1");
}

TEST_F(TokenCacheTest, InvalidateDropsExactlyThatToken) {
  auto p = Make();
  Token t1 = p->GetToken(30s);
  Token stranger;
  stranger.value = SecretString("some-other-token");
  p->Invalidate(stranger);
  EXPECT_EQ(p->GetToken(30s).value.Reveal(), "db-token-1");
  p->Invalidate(t1);
  Token t2 = p->GetToken(30s);
  EXPECT_EQ(t2.value.Reveal(), "db-token-2");
  EXPECT_FALSE(t2.from_cache);
  p->Invalidate(t1);  // stale rejection of the old token: the new one stays
  EXPECT_EQ(p->GetToken(30s).value.Reveal(), "db-token-2");
  EXPECT_EQ(minter_->calls_, 2);
}

TEST_F(TokenCacheTest, StopInterruptsABlockedBackgroundRefresh) {
  auto p = Make();
  p->GetToken(30s);
  auto gate = std::make_shared<Gate>();  // never opened
  minter_->hook_ = [gate](int, const CallContext& ctx) {
    if (!gate->Wait(ctx.stop)) throw AuthError(AuthErrorKind::kTimeout, "cancelled");
  };
  clock_->Advance(3600s - 100s);
  p->GetToken(30s);
  while (minter_->calls_ < 2) std::this_thread::yield();
  auto stopped = std::async(std::launch::async, [&] { worker_->Stop(); });
  ASSERT_EQ(stopped.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(p->GetToken(30s).value.Reveal(), "db-token-1");  // still valid, still served
}

TEST_F(TokenCacheTest, WorkerRestartsAfterStop) {
  auto p = Make();
  p->GetToken(30s);
  worker_->Stop();
  clock_->Advance(3600s - 100s);
  p->GetToken(30s);
  ASSERT_TRUE(worker_->WaitIdle(5s));
  EXPECT_EQ(minter_->calls_, 2);
}

TEST_F(TokenCacheTest, ProviderDestroyedWithRefreshQueuedIsSafe) {
  auto gate = std::make_shared<Gate>();
  {
    auto p = Make();
    p->GetToken(30s);
    minter_->hook_ = [gate](int, const CallContext& ctx) { gate->Wait(ctx.stop); };
    clock_->Advance(3600s - 100s);
    p->GetToken(30s);
  }
  gate->Open();
  EXPECT_TRUE(worker_->WaitIdle(5s));
}

TEST_F(TokenCacheTest, StopWithARefreshQueuedLetsALaterRefreshBeScheduled) {
  auto p = Make();
  p->GetToken(30s);
  minter_->lifetime_ = 3600s;
  // Hold the worker busy with a job of our own so the refresh stays queued behind it.
  auto gate = std::make_shared<Gate>();
  worker_->Post([gate](std::stop_token stop) { gate->Wait(stop); });
  clock_->Advance(3600s - 100s);
  p->GetToken(30s);  // queues a refresh
  worker_->Stop();   // the blocker is stopped; the queued refresh is dropped
  EXPECT_EQ(minter_->calls_, 1);
  p->GetToken(30s);  // must be able to schedule again
  ASSERT_TRUE(worker_->WaitIdle(5s));
  EXPECT_EQ(minter_->calls_, 2);
}

// After fork() the child must neither join nor signal the parent's refresh thread, and gets a
// default context of its own.
TEST(ForkSafety, ChildNeverTouchesParentThreads) {
#if defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "ThreadSanitizer cannot start threads after a multi-threaded fork";
#endif
  auto worker = std::make_shared<RefreshWorker>();
  auto clock = std::make_shared<FakeClock>();
  auto minter = std::make_shared<FakeMinter>(clock);
  auto provider = std::make_shared<CachingTokenProvider>(minter, "id", clock, worker);
  provider->GetToken(30s);
  std::atomic<int> ran{0};
  worker->Post([&](std::stop_token) { ++ran; });
  ASSERT_TRUE(worker->WaitIdle(5s));
  AuthContext* parent_default = &AuthContext::Default();
  fflush(nullptr);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    int code = 0;
    worker->Stop();  // must return at once: the thread is the parent's
    std::atomic<int> child_ran{0};
    worker->Post([&](std::stop_token) { ++child_ran; });  // a thread of the child's own
    if (!worker->WaitIdle(std::chrono::milliseconds(5000)) || child_ran != 1) code |= 1;
    worker->Stop();
    if (&AuthContext::Default() == parent_default) code |= 2;
    // A provider made in the parent mints directly in the child instead of using its cache.
    int before = minter->calls_;
    if (provider->GetToken(30s).from_cache || minter->calls_ != before + 1) code |= 4;
    Shutdown();
    _exit(code);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  // The parent's worker is untouched and still works.
  worker->Post([&](std::stop_token) { ++ran; });
  ASSERT_TRUE(worker->WaitIdle(5s));
  EXPECT_EQ(ran, 2);
  worker->Stop();
}

}  // namespace
}  // namespace lakebase::auth

// The cross-process token cache (TokenCache=file) and the refresh timing of short-lived tokens.
#include "auth/file_token_cache.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <regex>
#include <thread>

#include "auth/token_cache.h"
#include "tests/unit/auth/test_util.h"

namespace lakebase::auth {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::TempDir;
using namespace std::chrono_literals;

class CountingMinter : public CredentialMinter {
 public:
  CountingMinter(std::shared_ptr<Clock> clock, std::chrono::seconds lifetime)
      : clock_(std::move(clock)), lifetime_(lifetime) {}
  Token Mint(const CallContext&) override {
    int n = ++calls_;
    std::this_thread::sleep_for(delay_);
    Token t;
    t.value = SecretString("db-secret-" + std::to_string(n));
    t.issued_at = clock_->SystemNow();
    t.expires_at = t.issued_at + lifetime_;
    return t;
  }
  std::string Describe() const override { return "endpoint projects/p/branches/b/endpoints/e"; }
  std::shared_ptr<Clock> clock_;
  std::chrono::seconds lifetime_;
  std::chrono::milliseconds delay_{0};
  std::atomic<int> calls_{0};
};

class FileCacheTest : public ::testing::Test {
 protected:
  std::shared_ptr<FileTokenStore> Store() {
    return std::make_shared<FileTokenStore>(platform_, tmp_.path() + "/cache");
  }
  std::shared_ptr<FileCachedMinter> Minter(std::shared_ptr<CountingMinter> inner,
                                           std::chrono::seconds margin = 300s) {
    // A new store object each time: as another process would have.
    return std::make_shared<FileCachedMinter>(inner, Store(), kKey, clock_, margin);
  }
  CallContext Ctx() { return CallContext{clock_->SteadyNow() + 5s, {}}; }

  static constexpr char kKey[] = "https://ws|endpoint|projects/p/branches/b/endpoints/e|pat:abc";
  TempDir tmp_;
  std::shared_ptr<PosixPlatform> platform_ = std::make_shared<PosixPlatform>();
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
};

TEST_F(FileCacheTest, ASecondProcessUsesTheFirstOnesToken) {
  auto inner_a = std::make_shared<CountingMinter>(clock_, 3600s);
  auto inner_b = std::make_shared<CountingMinter>(clock_, 3600s);
  Token a = Minter(inner_a)->Mint(Ctx());
  Token b = Minter(inner_b)->Mint(Ctx());
  EXPECT_EQ(a.value, b.value);
  EXPECT_TRUE(b.from_cache);
  EXPECT_EQ(inner_a->calls_ + inner_b->calls_, 1);
  EXPECT_EQ(b.issued_at, std::chrono::time_point_cast<std::chrono::seconds>(a.issued_at));
}

TEST_F(FileCacheTest, FilesArePrivateAndNamedByAHash) {
  auto inner = std::make_shared<CountingMinter>(clock_, 3600s);
  Minter(inner)->Mint(Ctx());
  std::string dir = tmp_.path() + "/cache";
  struct stat st;
  ASSERT_EQ(::stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700);
  int files = 0;
  for (auto& e : std::filesystem::directory_iterator(dir)) {
    ++files;
    std::string name = e.path().filename();
    EXPECT_TRUE(std::regex_match(name, std::regex("[0-9a-f]{48}\\.(token|lock)"))) << name;
    EXPECT_THAT(name, Not(HasSubstr("db-secret")));
    ASSERT_EQ(::stat(e.path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600) << name;
  }
  EXPECT_EQ(files, 2);
}

TEST_F(FileCacheTest, ConcurrentProcessesMintOnce) {
  auto inner = std::make_shared<CountingMinter>(clock_, 3600s);
  inner->delay_ = 50ms;  // a slow mint: everyone else arrives while it runs
  std::vector<std::thread> threads;
  std::vector<std::string> got(16);
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] { got[i] = Minter(inner)->Mint(Ctx()).value.Reveal(); });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(inner->calls_, 1);
  for (const auto& g : got) EXPECT_EQ(g, "db-secret-1");
}

TEST_F(FileCacheTest, ATokenInsideTheRefreshMarginIsNotReused) {
  auto inner = std::make_shared<CountingMinter>(clock_, 20s);
  Minter(inner)->Mint(Ctx());
  clock_->Advance(9s);  // 11 s left of 20: more than half the lifetime, still good
  EXPECT_EQ(Minter(inner)->Mint(Ctx()).value.Reveal(), "db-secret-1");
  clock_->Advance(2s);  // 9 s left: inside the margin (capped at 10 s): mint
  EXPECT_EQ(Minter(inner)->Mint(Ctx()).value.Reveal(), "db-secret-2");
  EXPECT_EQ(inner->calls_, 2);
}

TEST_F(FileCacheTest, ARejectedTokenIsRemovedForEveryone) {
  auto inner = std::make_shared<CountingMinter>(clock_, 3600s);
  auto a = Minter(inner);
  Token t = a->Mint(Ctx());
  a->Invalidate(t);
  EXPECT_EQ(Minter(inner)->Mint(Ctx()).value.Reveal(), "db-secret-2");
}

TEST_F(FileCacheTest, AStoreForAnotherKeyOrCorruptFileIsIgnored) {
  auto inner = std::make_shared<CountingMinter>(clock_, 3600s);
  Minter(inner)->Mint(Ctx());
  auto store = Store();
  EXPECT_EQ(store->Load("another key"), std::nullopt);
  platform_->WritePrivateFile(store->PathFor(kKey), "{not json");
  EXPECT_EQ(store->Load(kKey), std::nullopt);
  EXPECT_EQ(Minter(inner)->Mint(Ctx()).value.Reveal(), "db-secret-2");
}

TEST_F(FileCacheTest, ALooseFileIsRefused) {
  auto inner = std::make_shared<CountingMinter>(clock_, 3600s);
  Minter(inner)->Mint(Ctx());
  ::chmod(Store()->PathFor(kKey).c_str(), 0644);
  EXPECT_THROW(Minter(inner)->Mint(Ctx()), AuthError);
}

// --- refresh timing of short-lived tokens ---

TEST(ShortTokenTest, AskingForMoreValidityThanATokenHasDoesNotMintEveryTime) {
  auto clock = std::make_shared<FakeClock>();
  auto inner = std::make_shared<CountingMinter>(clock, 20s);
  auto provider = std::make_shared<CachingTokenProvider>(inner, "pat:ws:x", clock, nullptr,
                                                         TokenCacheOptions{});
  // The driver asks for 30 s of validity; a 20-second token can never have that.
  EXPECT_EQ(provider->GetToken(30s).value.Reveal(), "db-secret-1");
  clock->Advance(10s);
  EXPECT_EQ(provider->GetToken(30s).value.Reveal(), "db-secret-1");
  clock->Advance(5s);  // 5 s left: a quarter of the lifetime; no longer enough
  EXPECT_EQ(provider->GetToken(30s).value.Reveal(), "db-secret-2");
  EXPECT_EQ(inner->calls_, 2);
}

TEST(ShortTokenTest, RefreshRunsInTheBackgroundAtHalfTheLifetime) {
  auto clock = std::make_shared<FakeClock>();
  auto inner = std::make_shared<CountingMinter>(clock, 20s);
  auto worker = std::make_shared<RefreshWorker>();
  auto provider =
      std::make_shared<CachingTokenProvider>(inner, "pat:ws:x", clock, worker, TokenCacheOptions{});
  provider->GetToken(30s);
  clock->Advance(9s);
  provider->GetToken(30s);  // 11 s left: no refresh yet
  ASSERT_TRUE(worker->WaitIdle(2000ms));
  EXPECT_EQ(inner->calls_, 1);
  clock->Advance(2s);  // 9 s left: inside half the lifetime
  EXPECT_EQ(provider->GetToken(30s).value.Reveal(), "db-secret-1");  // served at once
  ASSERT_TRUE(worker->WaitIdle(2000ms));
  EXPECT_EQ(inner->calls_, 2);
  EXPECT_EQ(provider->GetToken(30s).value.Reveal(), "db-secret-2");
  EXPECT_EQ(provider->stats().background_refreshes, 1u);
  worker->Stop();
}

}  // namespace
}  // namespace lakebase::auth

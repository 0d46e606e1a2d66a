#include "auth/workspace_token.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "auth/encoding.h"
#include "auth/workspace_api.h"
#include "tests/unit/auth/fakes.h"

namespace lakebase::auth {
namespace {

using testing::ErrorJson;
using testing::FakeHttp;
using ::testing::HasSubstr;
using testing::Json;
using ::testing::Not;
using namespace std::chrono_literals;

constexpr char kClientId[] = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
constexpr char kSecret[] = "dose-client-secret-xyz";

class M2MTest : public ::testing::Test {
 protected:
  void SetUp() override {
    http_->On(HttpMethod::kPost, "/oidc/v1/token", [this](const HttpRequest&) {
      int n = ++issued_;
      return Json(200, R"({"access_token":"ws-access-)" + std::to_string(n) +
                           R"(","token_type":"Bearer","expires_in":3600})");
    });
  }
  std::chrono::steady_clock::time_point Deadline() { return clock_->SteadyNow() + 30s; }

  std::shared_ptr<FakeHttp> http_ = std::make_shared<FakeHttp>();
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  std::shared_ptr<WorkspaceClient> client_ =
      std::make_shared<WorkspaceClient>(testing::kWorkspace, http_, clock_);
  M2MTokenSource source_{client_, kClientId, SecretString(kSecret)};
  std::atomic<int> issued_{0};
};

TEST_F(M2MTest, RequestShape) {
  WorkspaceToken token = source_.Get(Deadline(), {});
  EXPECT_EQ(token.value.Reveal(), "ws-access-1");
  ASSERT_TRUE(token.expires_at);
  EXPECT_EQ(*token.expires_at, clock_->SystemNow() + 3600s);
  auto r = http_->Requests().at(0);
  EXPECT_EQ(r.method, HttpMethod::kPost);
  EXPECT_EQ(r.url, "https://ws.example.com/oidc/v1/token");
  EXPECT_EQ(r.body, "grant_type=client_credentials&scope=all-apis");
  EXPECT_EQ(r.authorization.Reveal(),
            "Basic " + Base64Encode(std::string(kClientId) + ":" + kSecret));
  EXPECT_THAT(r.headers, ::testing::Contains(std::pair<std::string, std::string>(
                             "Content-Type", "application/x-www-form-urlencoded")));
  EXPECT_THAT(r.body, Not(HasSubstr(kSecret)));
  EXPECT_EQ(source_.Principal(), kClientId);
  EXPECT_TRUE(source_.CanRenew());
}

TEST_F(M2MTest, CachedUntil40SecondsBeforeExpiry) {
  EXPECT_EQ(source_.Get(Deadline(), {}).value.Reveal(), "ws-access-1");
  clock_->Advance(3600s - 41s);
  WorkspaceToken cached = source_.Get(Deadline(), {});
  EXPECT_EQ(cached.value.Reveal(), "ws-access-1");
  EXPECT_TRUE(cached.from_cache);
  clock_->Advance(2s);  // 39 s left: refresh
  EXPECT_EQ(source_.Get(Deadline(), {}).value.Reveal(), "ws-access-2");
  EXPECT_EQ(issued_, 2);
}

TEST_F(M2MTest, ConcurrentCallersShareOneRequest) {
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) threads.emplace_back([&] { source_.Get(Deadline(), {}); });
  for (auto& t : threads) t.join();
  EXPECT_EQ(issued_, 1);
}

TEST_F(M2MTest, InvalidateDropsOnlyThatToken) {
  source_.Get(Deadline(), {});
  source_.Invalidate(SecretString("some-other-token"));
  EXPECT_EQ(source_.Get(Deadline(), {}).value.Reveal(), "ws-access-1");
  source_.Invalidate(SecretString("ws-access-1"));
  EXPECT_EQ(source_.Get(Deadline(), {}).value.Reveal(), "ws-access-2");
}

TEST_F(M2MTest, RevokedCachedTokenIsReplacedOnceOn401) {
  source_.Get(Deadline(), {});  // cache ws-access-1
  http_->On(HttpMethod::kPost, "/api/2.0/postgres/credentials", [](const HttpRequest& r) {
    if (r.authorization.Reveal() == "Bearer ws-access-1") {
      return ErrorJson(401, "UNAUTHENTICATED", "revoked");
    }
    return Json(200, R"({"token":"db","expire_time":"2030-01-01T00:00:00Z"})");
  });
  Token t = MintPostgresCredential(*client_, source_, "projects/p/branches/b/endpoints/e",
                                   CallContext{Deadline(), {}});
  EXPECT_EQ(t.value.Reveal(), "db");
  EXPECT_EQ(issued_, 2);
}

TEST_F(M2MTest, Fresh401IsAnErrorWithoutLoop) {
  http_->On(HttpMethod::kPost, "/api/2.0/postgres/credentials",
            [](const HttpRequest&) { return ErrorJson(401, "UNAUTHENTICATED", "no"); });
  try {
    MintPostgresCredential(*client_, source_, "projects/p/branches/b/endpoints/e",
                           CallContext{Deadline(), {}});
    FAIL();
  } catch (const AuthError& e) {
    EXPECT_EQ(e.kind(), AuthErrorKind::kWorkspace);
    EXPECT_THAT(e.what(), Not(HasSubstr("ws-access")));
  }
  EXPECT_EQ(issued_, 1);
}

TEST_F(M2MTest, BadClientSecretMessageHasNoSecret) {
  http_->Enqueue(HttpMethod::kPost, "/oidc/v1/token",
                 Json(401, std::string(R"({"error":"invalid_client","error_description":"bad )") +
                               kSecret + "\"}"));
  try {
    source_.Get(Deadline(), {});
    FAIL();
  } catch (const AuthError& e) {
    EXPECT_EQ(e.kind(), AuthErrorKind::kWorkspace);
    EXPECT_THAT(e.what(), HasSubstr("invalid_client"));
    EXPECT_THAT(e.what(), HasSubstr(kClientId));
    EXPECT_THAT(e.what(), Not(HasSubstr(kSecret)));
  }
}

TEST_F(M2MTest, MissingAccessTokenIsClear) {
  http_->Enqueue(HttpMethod::kPost, "/oidc/v1/token", Json(200, R"({"token_type":"Bearer"})"));
  try {
    source_.Get(Deadline(), {});
    FAIL();
  } catch (const AuthError& e) {
    EXPECT_EQ(e.kind(), AuthErrorKind::kWorkspace);
    EXPECT_THAT(e.what(), HasSubstr("access_token"));
  }
}

TEST_F(M2MTest, ExpiresInAsString) {
  http_->Enqueue(HttpMethod::kPost, "/oidc/v1/token",
                 Json(200, R"({"access_token":"x","expires_in":"120"})"));
  EXPECT_EQ(*source_.Get(Deadline(), {}).expires_at, clock_->SystemNow() + 120s);
}

std::string MakeJwt(int64_t exp) {
  auto b64url = [](std::string s) {
    std::string b = Base64Encode(s);
    for (char& c : b) {
      if (c == '+') c = '-';
      if (c == '/') c = '_';
    }
    while (!b.empty() && b.back() == '=') b.pop_back();
    return b;
  };
  return b64url(R"({"alg":"RS256"})") + "." +
         b64url(R"({"sub":"x","exp":)" + std::to_string(exp) + "}") + ".c2ln";
}

TEST(AccessToken, JwtExpiryIsRead) {
  auto clock = std::make_shared<FakeClock>();
  auto now = std::chrono::duration_cast<std::chrono::seconds>(clock->SystemNow().time_since_epoch())
                 .count();
  std::string jwt = MakeJwt(now + 600);
  AccessTokenSource source(SecretString(jwt), clock);
  ASSERT_TRUE(source.expires_at());
  EXPECT_EQ(source.Get({}, {}).value.Reveal(), jwt);
  EXPECT_FALSE(source.CanRenew());
  clock->Advance(601s);
  try {
    source.Get({}, {});
    FAIL();
  } catch (const AuthError& e) {
    EXPECT_EQ(e.kind(), AuthErrorKind::kExpired);
    EXPECT_THAT(e.what(), Not(HasSubstr(jwt)));
    EXPECT_THAT(e.what(), HasSubstr("AccessToken"));
  }
}

TEST(AccessToken, OpaqueTokenHasNoExpiry) {
  auto clock = std::make_shared<FakeClock>();
  AccessTokenSource source(SecretString("opaque"), clock);
  EXPECT_FALSE(source.expires_at());
  EXPECT_FALSE(JwtExpiry("a.b"));
  EXPECT_FALSE(JwtExpiry("a.!!!.c"));
}

TEST(Fingerprint, IsShortHashNotTheSecret) {
  SecretString pat("dapi0123456789abcdef");
  std::string fp = Fingerprint(pat);
  EXPECT_EQ(fp.size(), 8u);
  EXPECT_EQ(fp, Sha256Hex("dapi0123456789abcdef").substr(0, 8));
  EXPECT_EQ(PatTokenSource(pat).Principal(), fp);
}

}  // namespace
}  // namespace lakebase::auth

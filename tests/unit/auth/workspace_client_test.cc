#include "auth/workspace_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/unit/auth/fakes.h"

namespace lakebase::auth {
namespace {

using testing::ErrorJson;
using testing::FakeHttp;
using ::testing::HasSubstr;
using testing::Json;
using namespace std::chrono_literals;

constexpr char kPath[] = "/api/2.0/postgres/credentials";

class WorkspaceClientTest : public ::testing::Test {
 protected:
  WorkspaceCall Call(std::chrono::steady_clock::duration budget = 60s) {
    WorkspaceCall call;
    call.method = HttpMethod::kPost;
    call.path = kPath;
    call.content_type = "application/json";
    call.body = "{}";
    call.authorization = SecretString("Bearer sekrit-bearer");
    call.scrub = {SecretString("sekrit-bearer")};
    call.action = "minting";
    call.deadline = clock_->SteadyNow() + budget;
    return call;
  }
  AuthError SendExpectingError(const WorkspaceCall& call) {
    try {
      client_.Send(call);
    } catch (const AuthError& e) {
      EXPECT_THAT(e.what(), ::testing::Not(HasSubstr("sekrit")));
      return e;
    }
    ADD_FAILURE() << "no AuthError";
    return AuthError(AuthErrorKind::kConfiguration, "none");
  }

  std::shared_ptr<FakeHttp> http_ = std::make_shared<FakeHttp>();
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  WorkspaceClient client_{testing::kWorkspace, http_, clock_, RetryPolicy{}};
};

TEST_F(WorkspaceClientTest, SendsRequestAsGiven) {
  http_->Enqueue(HttpMethod::kPost, kPath, Json(200, "{}"));
  client_.Send(Call());
  auto requests = http_->Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].url, "https://ws.example.com/api/2.0/postgres/credentials");
  EXPECT_EQ(requests[0].authorization.Reveal(), "Bearer sekrit-bearer");
  EXPECT_EQ(requests[0].body, "{}");
  EXPECT_THAT(requests[0].headers, ::testing::Contains(std::pair<std::string, std::string>(
                                       "Accept", "application/json")));
  EXPECT_THAT(requests[0].headers, ::testing::Contains(std::pair<std::string, std::string>(
                                       "Content-Type", "application/json")));
}

TEST_F(WorkspaceClientTest, Retries429HonouringRetryAfter) {
  http_->Enqueue(HttpMethod::kPost, kPath,
                 ErrorJson(429, "TOO_MANY_REQUESTS", "slow down", {{"retry-after", "7"}}));
  http_->Enqueue(HttpMethod::kPost, kPath, Json(200, "{\"ok\":1}"));
  EXPECT_EQ(client_.Send(Call()).body, "{\"ok\":1}");
  EXPECT_EQ(http_->Total(), 2u);
  ASSERT_EQ(clock_->Sleeps().size(), 1u);
  EXPECT_EQ(clock_->Sleeps()[0], 7s);
}

TEST_F(WorkspaceClientTest, Retries503WithDefaultOneSecond) {
  http_->Enqueue(HttpMethod::kPost, kPath, ErrorJson(503, "TEMPORARILY_UNAVAILABLE", "busy"));
  http_->Enqueue(HttpMethod::kPost, kPath, Json(200, "{}"));
  client_.Send(Call());
  ASSERT_EQ(clock_->Sleeps().size(), 1u);
  EXPECT_GE(clock_->Sleeps()[0], 1s);
  EXPECT_LE(clock_->Sleeps()[0], 1s);  // first backoff is 1 s, jittered down, raised to 1 s
}

TEST_F(WorkspaceClientTest, ConnectionErrorsRetryWithGrowingJitteredBackoff) {
  for (int i = 0; i < 4; ++i) {
    http_->Enqueue(HttpMethod::kPost, kPath,
                   TransportError(TransportErrorKind::kConnect, "connection refused"));
  }
  http_->Enqueue(HttpMethod::kPost, kPath, Json(200, "{}"));
  client_.Send(Call());
  auto sleeps = clock_->Sleeps();
  ASSERT_EQ(sleeps.size(), 4u);
  // Backoff upper bounds 1, 2, 4, 8 s; jitter draws from [b/2, b].
  std::chrono::milliseconds bound = 1000ms;
  for (auto s : sleeps) {
    EXPECT_GE(s, bound / 2);
    EXPECT_LE(s, bound);
    bound *= 2;
  }
}

TEST_F(WorkspaceClientTest, BackoffIsCapped) {
  for (int i = 0; i < 8; ++i) {
    http_->Enqueue(HttpMethod::kPost, kPath,
                   TransportError(TransportErrorKind::kConnect, "connection reset"));
  }
  http_->Enqueue(HttpMethod::kPost, kPath, Json(200, "{}"));
  client_.Send(Call(600s));
  for (auto s : clock_->Sleeps()) EXPECT_LE(s, 10s);
}

TEST_F(WorkspaceClientTest, RetryBoundedByDeadline) {
  http_->On(HttpMethod::kPost, kPath,
            [](const HttpRequest&) { return ErrorJson(503, "TEMPORARILY_UNAVAILABLE", "busy"); });
  AuthError e = SendExpectingError(Call(10s));
  EXPECT_EQ(e.kind(), AuthErrorKind::kTimeout);
  EXPECT_THAT(e.what(), HasSubstr("HTTP 503"));
  EXPECT_THAT(e.what(), HasSubstr("busy"));
  EXPECT_LT(clock_->TotalSlept(), 10s);  // never slept past the deadline
}

TEST_F(WorkspaceClientTest, RetryAfterBeyondDeadlineFailsAtOnce) {
  http_->Enqueue(HttpMethod::kPost, kPath,
                 ErrorJson(429, "TOO_MANY_REQUESTS", "later", {{"retry-after", "120"}}));
  AuthError e = SendExpectingError(Call(10s));
  EXPECT_EQ(e.kind(), AuthErrorKind::kTimeout);
  EXPECT_EQ(http_->Total(), 1u);
  EXPECT_TRUE(clock_->Sleeps().empty());
}

TEST_F(WorkspaceClientTest, TransportTimeoutIsTimeout) {
  http_->Enqueue(HttpMethod::kPost, kPath,
                 TransportError(TransportErrorKind::kTimeout, "operation timed out"));
  AuthError e = SendExpectingError(Call());
  EXPECT_EQ(e.kind(), AuthErrorKind::kTimeout);
  EXPECT_EQ(http_->Total(), 1u);
}

TEST_F(WorkspaceClientTest, PassedDeadlineIsTimeoutWithoutARequest) {
  AuthError e = SendExpectingError(Call(-1s));
  EXPECT_EQ(e.kind(), AuthErrorKind::kTimeout);
  EXPECT_EQ(http_->Total(), 0u);
}

TEST_F(WorkspaceClientTest, TlsFailureIsNotRetried) {
  http_->Enqueue(HttpMethod::kPost, kPath,
                 TransportError(TransportErrorKind::kTls, "certificate verify failed"));
  AuthError e = SendExpectingError(Call());
  EXPECT_EQ(e.kind(), AuthErrorKind::kWorkspace);
  EXPECT_THAT(e.what(), HasSubstr("certificate verify failed"));
  EXPECT_EQ(http_->Total(), 1u);
}

class NoRetryStatus : public WorkspaceClientTest, public ::testing::WithParamInterface<long> {};

TEST_P(NoRetryStatus, FailsAtOnceWithWorkspaceMessage) {
  http_->Enqueue(HttpMethod::kPost, kPath, ErrorJson(GetParam(), "SOME_CODE", "the reason"));
  http_->Enqueue(HttpMethod::kPost, kPath, Json(200, "{}"));
  AuthError e = SendExpectingError(Call());
  EXPECT_EQ(e.kind(), AuthErrorKind::kWorkspace);
  EXPECT_THAT(e.what(), HasSubstr("HTTP " + std::to_string(GetParam())));
  EXPECT_THAT(e.what(), HasSubstr("SOME_CODE"));
  EXPECT_THAT(e.what(), HasSubstr("the reason"));
  EXPECT_THAT(e.what(), HasSubstr("minting"));
  EXPECT_EQ(http_->Total(), 1u);
  EXPECT_TRUE(clock_->Sleeps().empty());
}

INSTANTIATE_TEST_SUITE_P(ClientErrors, NoRetryStatus,
                         ::testing::Values(400L, 401L, 403L, 404L, 409L, 500L));

TEST_F(WorkspaceClientTest, EchoedSecretIsScrubbed) {
  http_->Enqueue(HttpMethod::kPost, kPath,
                 ErrorJson(400, "INVALID", "bad token sekrit-bearer given"));
  AuthError e = SendExpectingError(Call());
  EXPECT_THAT(e.what(), HasSubstr("bad token *** given"));
}

TEST_F(WorkspaceClientTest, NonJsonErrorBodyIsQuotedShortly) {
  http_->Enqueue(HttpMethod::kPost, kPath, Json(400, "<html>" + std::string(1000, 'x')));
  AuthError e = SendExpectingError(Call());
  EXPECT_THAT(e.what(), HasSubstr("HTTP 400: <html>"));
  EXPECT_LT(std::string(e.what()).size(), 400u);
}

TEST_F(WorkspaceClientTest, OAuthStyleErrorIsDescribed) {
  http_->Enqueue(
      HttpMethod::kPost, kPath,
      Json(401, R"({"error":"invalid_client","error_description":"Client auth failed"})"));
  AuthError e = SendExpectingError(Call());
  EXPECT_THAT(e.what(), HasSubstr("invalid_client: Client auth failed"));
}

TEST_F(WorkspaceClientTest, MaxAttemptsStopsRetryAfterZeroLoops) {
  http_->On(HttpMethod::kPost, kPath, [](const HttpRequest&) {
    return ErrorJson(429, "TOO_MANY_REQUESTS", "again", {{"retry-after", "0"}});
  });
  AuthError e = SendExpectingError(Call());
  EXPECT_EQ(e.kind(), AuthErrorKind::kWorkspace);
  EXPECT_EQ(http_->Total(), 10u);
}

TEST(WorkspaceUrl, Normalises) {
  EXPECT_EQ(NormalizeWorkspaceUrl("ws.example.com"), "https://ws.example.com");
  EXPECT_EQ(NormalizeWorkspaceUrl("https://ws.example.com/"), "https://ws.example.com");
  EXPECT_EQ(NormalizeWorkspaceUrl("https://ws.example.com:8443//"), "https://ws.example.com:8443");
  EXPECT_EQ(WorkspaceHost("https://ws.example.com:8443"), "ws.example.com:8443");
}

}  // namespace
}  // namespace lakebase::auth

// Browser sign-in (U2M) with a fake workspace and a fake browser: PKCE, the state check, the
// stored refresh token, timeouts.
#include "auth/u2m.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "auth/encoding.h"
#include "tests/unit/auth/fakes.h"
#include "tests/unit/auth/test_util.h"

namespace lakebase::auth {
namespace {

using testing::FakeHttp;
using ::testing::HasSubstr;
using testing::Json;
using ::testing::Not;
using namespace std::chrono_literals;

TEST(PkceTest, VerifierAndChallengeFollowRfc7636) {
  // RFC 7636 appendix B.
  EXPECT_EQ(PkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  Pkce a = MakePkce(), b = MakePkce();
  EXPECT_EQ(a.verifier.size(), 43u);
  EXPECT_NE(a.verifier, b.verifier);
  EXPECT_EQ(a.challenge, PkceChallenge(a.verifier));
  for (char c : a.verifier)
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
}

TEST(PkceTest, ParseQueryDecodesAndKeepsTheFirstValue) {
  auto q = ParseQuery("/?code=a%2Bb&state=s1&state=s2&error_description=user+said+no&empty=#frag");
  EXPECT_EQ(q["code"], "a+b");
  EXPECT_EQ(q["state"], "s1");
  EXPECT_EQ(q["error_description"], "user said no");
  EXPECT_EQ(q["empty"], "");
  EXPECT_TRUE(ParseQuery("/favicon.ico").empty());
  EXPECT_EQ(ParseQuery("/?bad=%zz&ok=1").count("bad"), 0u);
  EXPECT_EQ(HtmlEscape("<script>\"x\"&'y'</script>"),
            "&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;&lt;/script&gt;");
}

// Plays the browser: takes the authorize URL, "signs in" and calls the redirect.
class FakeBrowserPlatform : public PosixPlatform {
 public:
  enum class Mode { kSignIn, kForgedFirst, kDeny, kNothing, kUnavailable };
  Mode mode = Mode::kSignIn;
  std::atomic<int> opened{0};
  std::string last_url;
  std::vector<std::string> responses;
  std::mutex mutex;
  std::vector<std::thread> threads;

  ~FakeBrowserPlatform() override { Join(); }
  // Waits for the browser to have read every page (the driver may return before it has).
  void Join() {
    for (auto& t : threads) {
      if (t.joinable()) t.join();
    }
  }
  std::optional<std::string> GetEnv(std::string_view) const override { return std::nullopt; }

  bool OpenBrowser(const std::string& url) override {
    ++opened;
    last_url = url;
    if (mode == Mode::kUnavailable) return false;
    auto q = ParseQuery(url);
    std::string redirect = q["redirect_uri"];
    int port = std::stoi(redirect.substr(redirect.rfind(':') + 1));
    std::string state = q["state"];
    threads.emplace_back([this, port, state] {
      auto get = [&](const std::string& target) {
        std::string r = testing::HttpGetLoopback(port, target);
        std::lock_guard lock(mutex);
        responses.push_back(r);
      };
      switch (mode) {
        case Mode::kSignIn:
          get("/?code=the-code&state=" + state);
          break;
        case Mode::kForgedFirst:
          get("/?code=evil-code&state=forged");
          get("/favicon.ico");
          get("/?code=the-code&state=" + state);
          break;
        case Mode::kDeny:
          get("/?error=access_denied&error_description=%3Cb%3Eno%3C%2Fb%3E&state=" + state);
          break;
        default:
          break;
      }
    });
    return true;
  }
};

class U2MTest : public ::testing::Test {
 protected:
  void SetUp() override {
    http_->On(
        HttpMethod::kGet, "/oidc/.well-known/oauth-authorization-server", [](const HttpRequest&) {
          return Json(200, std::string(R"({"authorization_endpoint":")") + testing::kWorkspace +
                               R"(/oidc/v1/authorize","token_endpoint":")" + testing::kWorkspace +
                               R"(/oidc/v1/token"})");
        });
    http_->On(HttpMethod::kPost, "/oidc/v1/token", [this](const HttpRequest& r) {
      auto form = ParseQuery("/?" + r.body);
      if (form["grant_type"] == "authorization_code") {
        ++code_exchanges_;
        // The code must come with the verifier whose challenge went to the browser.
        auto authorize = ParseQuery(platform_->last_url);
        if (form["code"] != "the-code" || form["client_id"] != "databricks-cli" ||
            PkceChallenge(form["code_verifier"]) != authorize["code_challenge"] ||
            form["redirect_uri"] != authorize["redirect_uri"]) {
          return Json(400, R"({"error":"invalid_grant","error_description":"bad code"})");
        }
        return Json(
            200,
            R"({"access_token":"u2m-access-1","refresh_token":"u2m-refresh-1","expires_in":3600})");
      }
      if (form["grant_type"] == "refresh_token") {
        ++refreshes_;
        if (form["refresh_token"] != "u2m-refresh-1" || refresh_rejected_) {
          return Json(400,
                      R"({"error":"invalid_grant","error_description":"refresh token expired"})");
        }
        return Json(200, R"({"access_token":"u2m-access-2","expires_in":3600})");
      }
      return Json(400, R"({"error":"unsupported_grant_type"})");
    });
  }
  std::shared_ptr<U2MTokenSource> Source() {
    U2MOptions o;
    o.first_port = 48020;
    o.cache_dir = tmp_.path() + "/cache";
    return std::make_shared<U2MTokenSource>(client_, platform_, o);
  }
  // Deadlines on the fake clock (which starts at the real now): after Advance they stay ahead of
  // the workspace client's idea of now.
  WorkspaceToken Get(U2MTokenSource& s, std::chrono::milliseconds timeout = 5000ms) {
    return s.Get(clock_->SteadyNow() + timeout, {});
  }

  testing::TempDir tmp_;
  std::shared_ptr<FakeHttp> http_ = std::make_shared<FakeHttp>();
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  std::shared_ptr<WorkspaceClient> client_ =
      std::make_shared<WorkspaceClient>(testing::kWorkspace, http_, clock_);
  std::shared_ptr<FakeBrowserPlatform> platform_ = std::make_shared<FakeBrowserPlatform>();
  std::atomic<int> code_exchanges_{0}, refreshes_{0};
  bool refresh_rejected_ = false;
};

TEST_F(U2MTest, SignsInOnceThenUsesTheStoredRefreshToken) {
  auto source = Source();
  WorkspaceToken t = Get(*source);
  EXPECT_EQ(t.value.Reveal(), "u2m-access-1");
  EXPECT_EQ(platform_->opened, 1);
  auto q = ParseQuery(platform_->last_url);
  EXPECT_EQ(q["response_type"], "code");
  EXPECT_EQ(q["client_id"], "databricks-cli");
  EXPECT_EQ(q["scope"], "all-apis offline_access");
  EXPECT_EQ(q["code_challenge_method"], "S256");
  EXPECT_EQ(q["redirect_uri"], "http://localhost:" + q["redirect_uri"].substr(17));
  EXPECT_GE(q["state"].size(), 32u);
  platform_->Join();
  EXPECT_THAT(platform_->responses[0], HasSubstr("Signed in"));
  // Cached in memory.
  EXPECT_EQ(Get(*source).value.Reveal(), "u2m-access-1");
  EXPECT_EQ(code_exchanges_, 1);

  // The session file: 0600, named by a hash, holding the refresh token.
  std::string file = source->SessionFile();
  EXPECT_THAT(file, Not(HasSubstr("u2m-refresh-1")));
  EXPECT_EQ(std::filesystem::status(file).permissions(),
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);

  // A new process (a new source) whose stored access token is too old: refresh, no browser.
  clock_->Advance(3590s);
  auto again = Source();
  EXPECT_EQ(Get(*again).value.Reveal(), "u2m-access-2");
  EXPECT_EQ(platform_->opened, 1);
  EXPECT_EQ(refreshes_, 1);
  EXPECT_EQ(again->stats().loaded_from_file, 1);
}

TEST_F(U2MTest, AStoredAccessTokenStillValidIsUsedAsIs) {
  Get(*Source());
  auto next = Source();
  EXPECT_EQ(Get(*next).value.Reveal(), "u2m-access-1");
  EXPECT_EQ(refreshes_, 0);
  EXPECT_EQ(platform_->opened, 1);
}

TEST_F(U2MTest, ARejectedRefreshTokenFallsBackToTheBrowser) {
  Get(*Source());
  clock_->Advance(3590s);
  refresh_rejected_ = true;
  auto next = Source();
  EXPECT_EQ(Get(*next).value.Reveal(), "u2m-access-1");
  EXPECT_EQ(platform_->opened, 2);
}

TEST_F(U2MTest, ForgedStateIsAnsweredWithAnErrorPageAndTheRealOneAccepted) {
  platform_->mode = FakeBrowserPlatform::Mode::kForgedFirst;
  auto source = Source();
  EXPECT_EQ(Get(*source).value.Reveal(), "u2m-access-1");
  platform_->Join();
  std::lock_guard lock(platform_->mutex);
  ASSERT_EQ(platform_->responses.size(), 3u);
  EXPECT_THAT(platform_->responses[0], HasSubstr("400"));
  EXPECT_THAT(platform_->responses[0], HasSubstr("does not match"));
  EXPECT_THAT(platform_->responses[1], HasSubstr("404"));
  EXPECT_THAT(platform_->responses[2], HasSubstr("Signed in"));
  EXPECT_EQ(code_exchanges_, 1);  // the forged code never reached the workspace
}

TEST_F(U2MTest, DeniedSignInFailsWithTheErrorAndEscapesThePage) {
  platform_->mode = FakeBrowserPlatform::Mode::kDeny;
  auto source = Source();
  try {
    Get(*source);
    FAIL();
  } catch (const AuthError& e) {
    EXPECT_EQ(e.kind(), AuthErrorKind::kWorkspace);
    EXPECT_THAT(e.what(), HasSubstr("access_denied"));
  }
  platform_->Join();
  std::lock_guard lock(platform_->mutex);
  EXPECT_THAT(platform_->responses[0], HasSubstr("&lt;b&gt;no&lt;/b&gt;"));
}

TEST_F(U2MTest, NobodySigningInTimesOutAndIsNotReopenedAtOnce) {
  platform_->mode = FakeBrowserPlatform::Mode::kNothing;
  auto source = Source();
  auto t0 = std::chrono::steady_clock::now();
  try {
    Get(*source, 300ms);
    FAIL();
  } catch (const AuthError& e) {
    EXPECT_EQ(e.kind(), AuthErrorKind::kTimeout);
    EXPECT_THAT(e.what(), HasSubstr("ConnectTimeout"));
  }
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
  EXPECT_THROW(Get(*source, 300ms), AuthError);
  EXPECT_EQ(platform_->opened, 1);  // the repeat failed fast, without a second browser
}

TEST_F(U2MTest, TokenEndpointOnAnotherHostIsRefused) {
  http_->On(HttpMethod::kGet, "/oidc/.well-known/oauth-authorization-server", [](const HttpRequest&) {
    return Json(
        200,
        R"({"authorization_endpoint":"https://evil.example/a","token_endpoint":"https://evil.example/token"})");
  });
  auto source = Source();
  try {
    Get(*source);
    FAIL();
  } catch (const AuthError& e) {
    EXPECT_THAT(e.what(), HasSubstr("refusing"));
  }
  EXPECT_EQ(platform_->opened, 0);
}

TEST_F(U2MTest, NoDiscoveryDocumentUsesTheDocumentedPaths) {
  http_->On(HttpMethod::kGet, "/oidc/.well-known/oauth-authorization-server",
            [](const HttpRequest&) { return testing::ErrorJson(404, "NOT_FOUND", "no"); });
  EXPECT_EQ(Get(*Source()).value.Reveal(), "u2m-access-1");
  EXPECT_THAT(platform_->last_url,
              HasSubstr(std::string(testing::kWorkspace) + "/oidc/v1/authorize?"));
}

TEST_F(U2MTest, ConcurrentCallersShareOneSignIn) {
  auto source = Source();
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (Get(*source).value.Reveal() == "u2m-access-1") ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 8);
  EXPECT_EQ(platform_->opened, 1);
}

}  // namespace
}  // namespace lakebase::auth

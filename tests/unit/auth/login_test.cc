#include "auth/login.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "auth/context.h"
#include "auth/encoding.h"
#include "tests/unit/auth/fakes.h"

namespace lakebase::auth {
namespace {

using setup::AuthType;
using setup::ConnectionConfig;
using testing::ErrorJson;
using testing::FakeHttp;
using ::testing::HasSubstr;
using testing::Json;
using ::testing::Not;
using namespace std::chrono_literals;

constexpr char kEndpoint[] = "projects/p/branches/b/endpoints/e";
constexpr char kPat[] = "dapi-pat-secret-value-0001";
constexpr char kPat2[] = "dapi-pat-secret-value-0002";
constexpr char kClientId[] = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
constexpr char kClientSecret[] = "dose-client-secret-value";
constexpr char kAccessToken[] = "eyJ-passed-in-access-token";
constexpr char kPassword[] = "native-pg-password";
const char* const kSecrets[] = {kPat,      kPat2,       kClientSecret, kAccessToken,
                                kPassword, "db-token-", "ws-m2m-token"};

class LoginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    http_->On(HttpMethod::kGet, std::string("/api/2.0/postgres/") + kEndpoint,
              [](const HttpRequest&) {
                return Json(200, R"({"status":{"hosts":{"host":"ep.db.example.com"}}})");
              });
    http_->On(HttpMethod::kGet, "/api/2.0/database/instances/inst", [](const HttpRequest&) {
      return Json(200, R"({"read_write_dns":"inst.db.example.com"})");
    });
    http_->On(HttpMethod::kGet, "/api/2.0/preview/scim/v2/Me", [](const HttpRequest& r) {
      return Json(200, r.authorization.Reveal() == std::string("Bearer ") + kPat2
                           ? R"({"userName":"bob@example.com"})"
                           : R"({"userName":"ada@example.com"})");
    });
    http_->On(HttpMethod::kPost, "/oidc/v1/token", [this](const HttpRequest&) {
      ++m2m_tokens_;
      return Json(200, R"({"access_token":"ws-m2m-token","expires_in":3600})");
    });
    auto mint = [this](const char* field) {
      return [this, field](const HttpRequest& r) {
        int n = ++mints_;
        last_mint_bearer_ = r.authorization.Reveal();
        return Json(200, std::string(R"({"token":"db-token-)") + std::to_string(n) + R"(",")" +
                             field + R"(":")" + FormatRfc3339(clock_->SystemNow() + 3600s) + "\"}");
      };
    };
    http_->On(HttpMethod::kPost, "/api/2.0/postgres/credentials", mint("expire_time"));
    http_->On(HttpMethod::kPost, "/api/2.0/database/credentials", mint("expiration_time"));
  }

  static ConnectionConfig Pat() {
    ConnectionConfig cfg;
    cfg.workspace = testing::kWorkspace;
    cfg.endpoint = kEndpoint;
    cfg.token = SecretString(kPat);
    return cfg;
  }
  static ConnectionConfig M2M() {
    ConnectionConfig cfg;
    cfg.workspace = testing::kWorkspace;
    cfg.endpoint = kEndpoint;
    cfg.client_id = kClientId;
    cfg.client_secret = SecretString(kClientSecret);
    return cfg;
  }
  AuthContextOptions Options() {
    AuthContextOptions options;
    options.http_factory = [this](const std::string& ca) {
      ca_files_.push_back(ca);
      return http_;
    };
    options.clock = clock_;
    return options;
  }
  LoginPlan Plan(const ConnectionConfig& cfg) {
    return PlanLogin(cfg, clock_->SteadyNow() + 30s, context_);
  }
  AuthError PlanError(const ConnectionConfig& cfg) {
    try {
      Plan(cfg);
    } catch (const AuthError& e) {
      for (const char* secret : kSecrets) EXPECT_THAT(e.what(), Not(HasSubstr(secret)));
      return e;
    }
    ADD_FAILURE() << "no AuthError";
    return AuthError(AuthErrorKind::kWorkspace, "none");
  }

  std::shared_ptr<FakeHttp> http_ = std::make_shared<FakeHttp>();
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  std::vector<std::string> ca_files_;
  AuthContext context_{Options()};
  std::atomic<int> mints_{0};
  std::atomic<int> m2m_tokens_{0};
  std::string last_mint_bearer_;
};

// --- the credential chain ---

TEST_F(LoginTest, ChainPasswordAloneIsNative) {
  ConnectionConfig cfg;
  cfg.password = SecretString(kPassword);
  EXPECT_EQ(ResolveAuthType(cfg), AuthType::kPassword);
}

TEST_F(LoginTest, ChainPasswordNextToDatabricksCredentialsIsIgnored) {
  ConnectionConfig cfg = Pat();
  cfg.password = SecretString(kPassword);
  EXPECT_EQ(ResolveAuthType(cfg), AuthType::kPat);
}

TEST_F(LoginTest, ChainOrder) {
  ConnectionConfig cfg = M2M();
  EXPECT_EQ(ResolveAuthType(cfg), AuthType::kOAuthM2M);
  cfg.token = SecretString(kPat);
  EXPECT_EQ(ResolveAuthType(cfg), AuthType::kPat);
  cfg.access_token = SecretString(kAccessToken);
  EXPECT_EQ(ResolveAuthType(cfg), AuthType::kAccessToken);
  cfg.access_token = SecretString();
  cfg.user_access_token = SecretString(kAccessToken);
  EXPECT_EQ(ResolveAuthType(cfg), AuthType::kAccessToken);
}

TEST_F(LoginTest, ChainWithNothingNamesEveryOption) {
  ConnectionConfig cfg;
  cfg.workspace = testing::kWorkspace;
  AuthError e = PlanError(cfg);
  EXPECT_EQ(e.kind(), AuthErrorKind::kConfiguration);
  EXPECT_THAT(e.what(), HasSubstr("Token (DATABRICKS_TOKEN)"));
  EXPECT_THAT(e.what(), HasSubstr("DATABRICKS_CLIENT_ID"));
  EXPECT_THAT(e.what(), HasSubstr("AccessToken"));
  EXPECT_THAT(e.what(), HasSubstr("PWD"));
}

TEST_F(LoginTest, ChainClientIdWithoutSecret) {
  ConnectionConfig cfg = M2M();
  cfg.client_secret = SecretString();
  AuthError e = PlanError(cfg);
  EXPECT_EQ(e.kind(), AuthErrorKind::kConfiguration);
  EXPECT_THAT(e.what(), HasSubstr("ClientSecret (DATABRICKS_CLIENT_SECRET)"));
}

struct Forced {
  AuthType type;
  const char* expect;
};

class ForcedAuthType : public LoginTest, public ::testing::WithParamInterface<Forced> {};

TEST_P(ForcedAuthType, MissingIngredientNamesKeyAndEnvVar) {
  ConnectionConfig cfg;
  cfg.workspace = testing::kWorkspace;
  cfg.endpoint = kEndpoint;
  cfg.auth_type = GetParam().type;
  // Credentials for every other method are present; the forced one still wins and fails.
  if (GetParam().type != AuthType::kPat) cfg.token = SecretString(kPat);
  if (GetParam().type != AuthType::kOAuthM2M) {
    cfg.client_id = kClientId;
    cfg.client_secret = SecretString(kClientSecret);
  }
  AuthError e = PlanError(cfg);
  EXPECT_EQ(e.kind(), AuthErrorKind::kConfiguration);
  EXPECT_THAT(e.what(), HasSubstr(GetParam().expect));
}

INSTANTIATE_TEST_SUITE_P(Types, ForcedAuthType,
                         ::testing::Values(Forced{AuthType::kPat, "Token (DATABRICKS_TOKEN)"},
                                           Forced{AuthType::kOAuthM2M,
                                                  "ClientId (DATABRICKS_CLIENT_ID)"},
                                           Forced{AuthType::kAccessToken, "AccessToken"},
                                           Forced{AuthType::kPassword, "PWD (PGPASSWORD)"}));

TEST_F(LoginTest, ForcedM2MMissingSecret) {
  ConnectionConfig cfg = M2M();
  cfg.auth_type = AuthType::kOAuthM2M;
  cfg.client_secret = SecretString();
  cfg.token = SecretString(kPat);
  EXPECT_THAT(PlanError(cfg).what(), HasSubstr("ClientSecret (DATABRICKS_CLIENT_SECRET)"));
}

TEST_F(LoginTest, ForcedTypeOverridesChain) {
  ConnectionConfig cfg = M2M();
  cfg.token = SecretString(kPat);
  cfg.auth_type = AuthType::kOAuthM2M;
  EXPECT_EQ(ResolveAuthType(cfg), AuthType::kOAuthM2M);
  cfg.auth_type = AuthType::kPassword;
  EXPECT_EQ(ResolveAuthType(cfg), AuthType::kPassword);
}

// --- plans ---

TEST_F(LoginTest, PatPlanResolvesHostUserAndMintsWithPat) {
  LoginPlan plan = Plan(Pat());
  EXPECT_EQ(plan.host, "ep.db.example.com");
  EXPECT_EQ(plan.port, 5432);
  EXPECT_EQ(plan.user, "ada@example.com");
  EXPECT_EQ(plan.identity, "pat:ws.example.com:" + Sha256Hex(kPat).substr(0, 8));
  ASSERT_TRUE(plan.tokens);
  EXPECT_TRUE(plan.password.empty());
  EXPECT_EQ(plan.tokens->Identity(), plan.identity);
  EXPECT_EQ(mints_, 0);  // planning does not mint; the first GetToken does
  Token t = plan.tokens->GetToken(30s);
  EXPECT_EQ(t.value.Reveal(), "db-token-1");
  EXPECT_EQ(last_mint_bearer_, std::string("Bearer ") + kPat);
  EXPECT_EQ(ca_files_, std::vector<std::string>{""});
}

TEST_F(LoginTest, ExplicitHostAndUserNeedNoHttp) {
  ConnectionConfig cfg = Pat();
  cfg.host = "direct.db.example.com";
  cfg.user = "someone@example.com";
  cfg.port = 6543;
  LoginPlan plan = Plan(cfg);
  EXPECT_EQ(plan.host, "direct.db.example.com");
  EXPECT_EQ(plan.user, "someone@example.com");
  EXPECT_EQ(plan.port, 6543);
  EXPECT_EQ(http_->Total(), 0u);
}

TEST_F(LoginTest, M2MUserIsClientIdAndOAuthTokenIsShared) {
  LoginPlan plan = Plan(M2M());
  EXPECT_EQ(plan.user, kClientId);
  EXPECT_EQ(plan.identity, std::string("m2m:ws.example.com:") + kClientId);
  EXPECT_EQ(http_->Count(HttpMethod::kGet, "/api/2.0/preview/scim/v2/Me"), 0);
  plan.tokens->GetToken(30s);
  EXPECT_EQ(last_mint_bearer_, "Bearer ws-m2m-token");
  EXPECT_EQ(m2m_tokens_, 1);  // one OAuth token served the host lookup and the mint
  auto requests = http_->Requests();
  EXPECT_EQ(requests.front().url, "https://ws.example.com/oidc/v1/token");
}

TEST_F(LoginTest, ProvisionedInstance) {
  ConnectionConfig cfg = Pat();
  cfg.endpoint.clear();
  cfg.instance = "inst";
  LoginPlan plan = Plan(cfg);
  EXPECT_EQ(plan.host, "inst.db.example.com");
  plan.tokens->GetToken(30s);
  EXPECT_EQ(http_->Count(HttpMethod::kPost, "/api/2.0/database/credentials"), 1);
  EXPECT_EQ(http_->Count(HttpMethod::kPost, "/api/2.0/postgres/credentials"), 0);
}

TEST_F(LoginTest, UsernameOrder) {
  // Explicit UID wins over everything.
  ConnectionConfig cfg = M2M();
  cfg.user = "explicit";
  EXPECT_EQ(Plan(cfg).user, "explicit");
  // M2M: the client id.
  EXPECT_EQ(Plan(M2M()).user, kClientId);
  // Otherwise SCIM Me.
  EXPECT_EQ(Plan(Pat()).user, "ada@example.com");
}

TEST_F(LoginTest, OnBehalfOfUserIgnoresTheAppsPgUser) {
  ConnectionConfig cfg = M2M();
  cfg.user = kClientId;  // PGUSER of the app's service principal
  cfg.sources["UID"] = setup::Source::kEnvironment;
  cfg.user_access_token = SecretString(kPat2);
  LoginPlan plan = Plan(cfg);
  EXPECT_EQ(plan.user, "bob@example.com");
  // On-behalf-of identities name the user (pool partitions and logs per user).
  EXPECT_EQ(plan.identity, "obo:ws.example.com:bob@example.com");
  // An explicit UID in the connection string is still honoured.
  cfg.sources["UID"] = setup::Source::kConnectionString;
  EXPECT_EQ(Plan(cfg).user, kClientId);
}

TEST_F(LoginTest, LookupsAndProvidersAreCached) {
  LoginPlan a = Plan(Pat());
  size_t after_first = http_->Total();
  EXPECT_EQ(after_first, 2u);  // endpoint + SCIM
  LoginPlan b = Plan(Pat());
  EXPECT_EQ(http_->Total(), after_first);  // a pooled connect pays no HTTP
  EXPECT_EQ(a.tokens.get(), b.tokens.get());
  a.tokens->GetToken(30s);
  b.tokens->GetToken(30s);
  EXPECT_EQ(mints_, 1);

  // Another identity gets its own lookups and its own cached provider.
  ConnectionConfig other = Pat();
  other.token = SecretString(kPat2);
  LoginPlan c = Plan(other);
  EXPECT_NE(c.tokens.get(), a.tokens.get());
  EXPECT_EQ(c.user, "bob@example.com");
  EXPECT_NE(c.identity, a.identity);
}

TEST_F(LoginTest, LookupCacheExpires) {
  Plan(Pat());
  clock_->Advance(3601s);
  size_t before = http_->Total();
  Plan(Pat());
  EXPECT_EQ(http_->Total(), before + 2);
}

TEST_F(LoginTest, ShutdownClearsCaches) {
  LoginPlan a = Plan(Pat());
  context_.Shutdown();
  LoginPlan b = Plan(Pat());
  EXPECT_NE(a.tokens.get(), b.tokens.get());
  EXPECT_EQ(http_->Total(), 4u);
}

TEST_F(LoginTest, PasswordPlan) {
  ConnectionConfig cfg;
  cfg.host = "pg.example.com";
  cfg.user = "alice";
  cfg.password = SecretString(kPassword);
  LoginPlan plan = Plan(cfg);
  EXPECT_FALSE(plan.tokens);
  EXPECT_EQ(plan.password.Reveal(), kPassword);
  EXPECT_EQ(plan.host, "pg.example.com");
  EXPECT_EQ(plan.user, "alice");
  EXPECT_EQ(plan.identity, "password:pg.example.com:alice");
  EXPECT_EQ(http_->Total(), 0u);
}

TEST_F(LoginTest, PasswordPlanNeedsUserAndHost) {
  ConnectionConfig cfg;
  cfg.password = SecretString(kPassword);
  cfg.host = "pg.example.com";
  EXPECT_THAT(PlanError(cfg).what(), HasSubstr("UID (PGUSER)"));
  cfg.user = "alice";
  cfg.host.clear();
  EXPECT_THAT(PlanError(cfg).what(), HasSubstr("Host (PGHOST)"));
}

TEST_F(LoginTest, ConfigurationErrors) {
  ConnectionConfig cfg = Pat();
  cfg.workspace.clear();
  EXPECT_THAT(PlanError(cfg).what(), HasSubstr("Workspace (DATABRICKS_HOST)"));
  cfg = Pat();
  cfg.instance = "inst";
  EXPECT_THAT(PlanError(cfg).what(), HasSubstr("not both"));
  cfg = Pat();
  cfg.endpoint.clear();
  EXPECT_THAT(PlanError(cfg).what(), HasSubstr("Endpoint (LAKEBASE_ENDPOINT)"));
  cfg = Pat();
  cfg.raw["TokenRefreshMargin"] = "soon";
  EXPECT_THAT(PlanError(cfg).what(), HasSubstr("TokenRefreshMargin"));
  EXPECT_EQ(http_->Total(), 0u);
}

TEST_F(LoginTest, WorkspaceCaFileReachesTheHttpFactory) {
  ConnectionConfig cfg = Pat();
  cfg.workspace_ca_file = "/etc/ssl/private-ca.pem";
  Plan(cfg);
  EXPECT_EQ(ca_files_, std::vector<std::string>{"/etc/ssl/private-ca.pem"});
}

TEST_F(LoginTest, IdentitiesCarryNoSecret) {
  std::vector<ConnectionConfig> configs = {Pat(), M2M()};
  ConnectionConfig token = Pat();
  token.access_token = SecretString(kAccessToken);
  configs.push_back(token);
  ConnectionConfig password;
  password.host = "h";
  password.user = "u";
  password.password = SecretString(kPassword);
  configs.push_back(password);
  for (const auto& cfg : configs) {
    LoginPlan plan = Plan(cfg);
    for (const char* secret : kSecrets) EXPECT_THAT(plan.identity, Not(HasSubstr(secret)));
    if (plan.tokens) {
      for (const char* secret : kSecrets) {
        EXPECT_THAT(plan.tokens->Identity(), Not(HasSubstr(secret)));
      }
    }
  }
}

TEST_F(LoginTest, WorkspaceFailuresCarryNoSecret) {
  // Every workspace route fails, echoing the credentials it was given.
  auto echo = [](const HttpRequest& r) {
    return ErrorJson(403, "PERMISSION_DENIED", "denied for " + r.authorization.Reveal());
  };
  http_->On(HttpMethod::kGet, std::string("/api/2.0/postgres/") + kEndpoint, echo);
  http_->On(HttpMethod::kPost, "/oidc/v1/token", [](const HttpRequest& r) {
    return Json(401, R"({"error":"invalid_client","error_description":"secret )" +
                         std::string(kClientSecret) + " " + r.authorization.Reveal() + "\"}");
  });
  for (const auto& cfg : {Pat(), M2M()}) {
    AuthError e = PlanError(cfg);
    EXPECT_EQ(e.kind(), AuthErrorKind::kWorkspace) << e.what();
  }
  // Failing mint, through the provider.
  ConnectionConfig cfg = Pat();
  cfg.host = "h";
  cfg.user = "u";
  http_->On(HttpMethod::kPost, "/api/2.0/postgres/credentials", echo);
  LoginPlan plan = Plan(cfg);
  try {
    plan.tokens->GetToken(30s);
    FAIL();
  } catch (const AuthError& e) {
    for (const char* secret : kSecrets) EXPECT_THAT(e.what(), Not(HasSubstr(secret)));
    EXPECT_THAT(e.what(), HasSubstr("PERMISSION_DENIED"));
  }
}

TEST_F(LoginTest, RefreshMarginFromConfig) {
  ConnectionConfig cfg = Pat();
  cfg.raw["TokenRefreshMargin"] = "0";
  LoginPlan plan = Plan(cfg);
  plan.tokens->GetToken(30s);
  clock_->Advance(3600s - 60s);
  plan.tokens->GetToken(30s);
  ASSERT_TRUE(context_.worker()->WaitIdle(5s));
  EXPECT_EQ(mints_, 1);  // margin 0: no refresh ahead
}

TEST_F(LoginTest, DefaultContextIsPerProcessAndShutdownIsIdempotent) {
  AuthContext& a = AuthContext::Default();
  EXPECT_EQ(&a, &AuthContext::Default());
  Shutdown();
  Shutdown();
}

}  // namespace
}  // namespace lakebase::auth

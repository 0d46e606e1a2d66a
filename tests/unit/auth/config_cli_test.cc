// The Databricks config file (INI parsing, profile choice, filling a configuration), the CLI's
// token JSON and a stub `databricks` executable, and PlanLogin over profiles.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "auth/cli_token.h"
#include "auth/context.h"
#include "auth/databricks_config.h"
#include "auth/encoding.h"
#include "auth/login.h"
#include "tests/unit/auth/fakes.h"
#include "tests/unit/auth/test_util.h"

namespace lakebase::auth {
namespace {

using setup::AuthType;
using setup::ConnectionConfig;
using ::testing::ElementsAre;
using testing::FakeHttp;
using ::testing::HasSubstr;
using testing::Json;
using ::testing::Not;
using testing::TempDir;
using namespace std::chrono_literals;

TEST(IniTest, ParsesCommentsWhitespaceCaseAndDelimiters) {
  IniFile f = ParseIni(
      "\xEF\xBB\xBF"
      "orphan = ignored\r\n"
      "; comment\r\n"
      "  # another\n"
      "[DEFAULT]\n"
      "  HOST =  https://a.example.com/  \n"
      "Token=dapi#not-a-comment\n"
      "\n"
      "[ prod ]\n"
      "client_id: abc\n"
      "client_secret = s=e=c\n"
      "[broken\n"
      "lost = x\n"
      "[prod]\n"
      "auth_type = oauth-m2m\n"
      "=novalue\n"
      "just words\n");
  EXPECT_THAT(f.Names(), ElementsAre("DEFAULT", "prod"));
  const IniSection* d = f.Find("DEFAULT");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->values.at("host"), "https://a.example.com/");
  EXPECT_EQ(d->values.at("token"), "dapi#not-a-comment");
  const IniSection* p = f.Find("prod");
  EXPECT_EQ(p->values.at("client_id"), "abc");
  EXPECT_EQ(p->values.at("client_secret"), "s=e=c");
  EXPECT_EQ(p->values.at("auth_type"), "oauth-m2m");  // a repeated section merges
  EXPECT_EQ(p->values.count("lost"), 0u);
  EXPECT_EQ(f.Find("Prod"), nullptr);  // profile names are case-sensitive
}

TEST(IniTest, NeverThrowsOnGarbage) {
  std::string junk;
  for (int i = 0; i < 5000; ++i) junk.push_back(static_cast<char>((i * 7919) % 256));
  for (size_t n = 0; n < junk.size(); n += 97) EXPECT_NO_THROW(ParseIni(junk.substr(0, n)));
  EXPECT_NO_THROW(ParseIni("[\n]\n[]\n=\n:\n[a]\n:b\n"));
}

class FilePlatform : public PosixPlatform {
 public:
  std::map<std::string, std::string> env;
  std::optional<std::string> GetEnv(std::string_view name) const override {
    auto it = env.find(std::string(name));
    if (it == env.end()) return std::nullopt;
    return it->second;
  }
  std::string HomeDir() const override { return env.count("HOME") ? env.at("HOME") : ""; }
};

class ProfileTest : public ::testing::Test {
 protected:
  void Write(const std::string& text) { std::ofstream(tmp_.path() + "/.databrickscfg") << text; }
  TempDir tmp_;
  FilePlatform platform_;
  void SetUp() override { platform_.env["HOME"] = tmp_.path(); }
};

constexpr char kCfg[] =
    "[DEFAULT]\nhost = https://default.example.com\ntoken = dapi-default\n"
    "[prod]\nhost = prod.example.com/\nclient_id = cid\nclient_secret = csecret\n"
    "[cli]\nhost = https://cli.example.com\nauth_type = databricks-cli\n";

TEST_F(ProfileTest, ChoiceOrder) {
  Write(kCfg);
  ConnectionConfig cfg;
  EXPECT_EQ(SelectProfile(cfg, platform_)->name, "DEFAULT");
  EXPECT_FALSE(SelectProfile(cfg, platform_)->explicitly_chosen);
  Write(std::string("[__settings__]\ndefault_profile = cli\n") + kCfg);
  EXPECT_EQ(SelectProfile(cfg, platform_)->name, "cli");
  cfg.profile = "prod";  // Profile key or DATABRICKS_CONFIG_PROFILE (setup folds both)
  auto p = SelectProfile(cfg, platform_);
  EXPECT_EQ(p->name, "prod");
  EXPECT_EQ(p->file, tmp_.path() + "/.databrickscfg");
  EXPECT_EQ(p->values.at("client_id"), "cid");
}

TEST_F(ProfileTest, MissingNamedProfileNamesTheFileAndItsProfiles) {
  Write(kCfg);
  ConnectionConfig cfg;
  cfg.profile = "staging";
  try {
    SelectProfile(cfg, platform_);
    FAIL();
  } catch (const AuthError& e) {
    EXPECT_EQ(e.kind(), AuthErrorKind::kConfiguration);
    EXPECT_THAT(e.what(), HasSubstr("\"staging\""));
    EXPECT_THAT(e.what(), HasSubstr(tmp_.path() + "/.databrickscfg"));
    EXPECT_THAT(e.what(), HasSubstr("DEFAULT, prod, cli"));
  }
  Write("[__settings__]\ndefault_profile = gone\n[a]\n");
  cfg.profile.clear();
  EXPECT_THROW(SelectProfile(cfg, platform_), AuthError);
}

TEST_F(ProfileTest, NoFileOrNoDefaultIsNoProfile) {
  ConnectionConfig cfg;
  EXPECT_EQ(SelectProfile(cfg, platform_), std::nullopt);
  Write("[prod]\nhost = x\n");
  EXPECT_EQ(SelectProfile(cfg, platform_), std::nullopt);
  cfg.config_file = tmp_.path() + "/missing";
  EXPECT_THROW(SelectProfile(cfg, platform_), AuthError);
  cfg.config_file = "~/.databrickscfg";
  EXPECT_EQ(ConfigFilePath(cfg, platform_), tmp_.path() + "/.databrickscfg");
}

TEST_F(ProfileTest, ApplyFillsOnlyWhatIsMissing) {
  Write(kCfg);
  ConnectionConfig cfg;
  cfg.profile = "prod";
  ConnectionConfig out = ApplyProfile(cfg, *SelectProfile(cfg, platform_));
  EXPECT_EQ(out.workspace, "https://prod.example.com");
  EXPECT_EQ(out.client_id, "cid");
  EXPECT_EQ(out.client_secret.Reveal(), "csecret");
  // Credentials of the DSN win over the profile's, wholesale.
  cfg.token = SecretString("dapi-mine");
  out = ApplyProfile(cfg, *SelectProfile(cfg, platform_));
  EXPECT_EQ(out.token.Reveal(), "dapi-mine");
  EXPECT_TRUE(out.client_id.empty());
  // auth_type applies when AuthType is auto and the DSN has no credentials.
  ConnectionConfig c2;
  c2.profile = "cli";
  EXPECT_EQ(ApplyProfile(c2, *SelectProfile(c2, platform_)).auth_type, AuthType::kDatabricksCli);
  c2.auth_type = AuthType::kPat;
  EXPECT_EQ(ApplyProfile(c2, *SelectProfile(c2, platform_)).auth_type, AuthType::kPat);
}

TEST_F(ProfileTest, AnImplicitProfileForAnotherWorkspaceIsIgnored) {
  Write(kCfg);
  ConnectionConfig cfg;
  cfg.workspace = "https://other.example.com";
  ConnectionConfig out = ApplyProfile(cfg, *SelectProfile(cfg, platform_));
  EXPECT_TRUE(out.token.empty());  // DEFAULT's token is never sent to another host
  cfg.workspace = "https://default.example.com/";
  EXPECT_EQ(ApplyProfile(cfg, *SelectProfile(cfg, platform_)).token.Reveal(), "dapi-default");
}

TEST_F(ProfileTest, UnsupportedAuthTypeIsAnError) {
  Write("[DEFAULT]\nhost = h\nauth_type = azure-cli\n");
  ConnectionConfig cfg;
  EXPECT_THROW(ApplyProfile(cfg, *SelectProfile(cfg, platform_)), AuthError);
  EXPECT_EQ(ParseProfileAuthType("external-browser"), AuthType::kOAuthU2M);
}

// --- the CLI ---

TEST(CliJsonTest, ParsesTheCliOutput) {
  WorkspaceToken t = ParseCliTokenJson(
      R"({"access_token":"cli-tok","token_type":"Bearer","expiry":"2026-11-23T17:04:05.123456789+01:00"})",
      "databricks auth token");
  EXPECT_EQ(t.value.Reveal(), "cli-tok");
  ASSERT_TRUE(t.expires_at);
  EXPECT_EQ(FormatRfc3339(*t.expires_at), "2026-11-23T16:04:05Z");
  for (const char* bad : {"not json cli-secret-token", R"({"token_type":"Bearer"})",
                          R"({"access_token":"x","expiry":"tomorrow"})",
                          R"({"access_token":"x","token_type":"mac"})"}) {
    try {
      ParseCliTokenJson(bad, "databricks auth token");
      ADD_FAILURE() << bad;
    } catch (const AuthError& e) {
      EXPECT_THAT(e.what(), Not(HasSubstr("cli-secret-token")));
    }
  }
}

class CliTest : public ::testing::Test {
 protected:
  // A stub `databricks` that records its arguments and prints the CLI's JSON (or fails).
  std::string Stub(const std::string& body) {
    std::string path = tmp_.path() + "/databricks";
    std::ofstream(path) << "#!/bin/sh\necho \"$@\" >> " << tmp_.path() << "/args\n" << body;
    ::chmod(path.c_str(), 0755);
    return path;
  }
  std::string Args() {
    std::ifstream f(tmp_.path() + "/args");
    return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  }
  TempDir tmp_;
  std::shared_ptr<FilePlatform> platform_ = std::make_shared<FilePlatform>();
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
};

TEST_F(CliTest, RunsTheCliWithTheProfileAndCachesItsToken) {
  std::string expiry = FormatRfc3339(clock_->SystemNow() + 3600s);
  CliTokenOptions o;
  o.cli_path =
      Stub("printf '{\"access_token\":\"cli-tok\",\"token_type\":\"Bearer\",\"expiry\":\"" +
           expiry + "\"}'\n");
  o.profile = "prod";
  o.host = "https://ws.example.com";
  o.config_file = "/etc/dbcfg";
  CliTokenSource source(platform_, clock_, o);
  EXPECT_EQ(source.Get(clock_->SteadyNow() + 5s, {}).value.Reveal(), "cli-tok");
  EXPECT_EQ(source.Get(clock_->SteadyNow() + 5s, {}).value.Reveal(), "cli-tok");
  EXPECT_EQ(Args(), "auth token --profile prod\n");  // run once
  clock_->Advance(3590s);
  source.Get(clock_->SteadyNow() + 5s, {});
  EXPECT_EQ(Args(), "auth token --profile prod\nauth token --profile prod\n");
}

TEST_F(CliTest, PassesTheConfigFileAndUsesHostWithoutProfile) {
  CliTokenOptions o;
  o.cli_path = Stub(
      "printf '{\"access_token\":\"%s\",\"token_type\":\"Bearer\"}' \"$DATABRICKS_CONFIG_FILE\"\n");
  o.host = "https://ws.example.com";
  o.config_file = "/etc/dbcfg";
  CliTokenSource source(platform_, clock_, o);
  EXPECT_EQ(source.Get(clock_->SteadyNow() + 5s, {}).value.Reveal(), "/etc/dbcfg");
  EXPECT_EQ(Args(), "auth token --host https://ws.example.com\n");
}

TEST_F(CliTest, FailuresSayWhatTheCliSaid) {
  CliTokenOptions o;
  o.cli_path = Stub("echo 'Error: cannot load profile: run databricks auth login' >&2\nexit 1\n");
  o.profile = "prod";
  CliTokenSource source(platform_, clock_, o);
  try {
    source.Get(clock_->SteadyNow() + 5s, {});
    FAIL();
  } catch (const AuthError& e) {
    EXPECT_EQ(e.kind(), AuthErrorKind::kWorkspace);
    EXPECT_THAT(e.what(), HasSubstr("exit status 1"));
    EXPECT_THAT(e.what(), HasSubstr("run databricks auth login"));
  }
  o.cli_path = tmp_.path() + "/not-installed";
  CliTokenSource missing(platform_, clock_, o);
  try {
    missing.Get(clock_->SteadyNow() + 5s, {});
    FAIL();
  } catch (const AuthError& e) {
    EXPECT_EQ(e.kind(), AuthErrorKind::kConfiguration);
    EXPECT_THAT(e.what(), HasSubstr("DATABRICKS_CLI_PATH"));
  }
  o.cli_path = Stub("sleep 30\n");
  CliTokenSource slow(platform_, clock_, o);
  auto t0 = std::chrono::steady_clock::now();
  try {
    slow.Get(std::chrono::steady_clock::now() + 300ms, {});
    FAIL();
  } catch (const AuthError& e) {
    EXPECT_EQ(e.kind(), AuthErrorKind::kTimeout);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
}

// --- PlanLogin over profiles and the CLI ---

class ProfileLoginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    platform_->env["HOME"] = tmp_.path();
    http_->On(HttpMethod::kGet, "/api/2.0/postgres/projects/p/branches/b/endpoints/e",
              [](const HttpRequest&) {
                return Json(200, R"({"status":{"hosts":{"host":"ep.example.com"}}})");
              });
    http_->On(HttpMethod::kGet, "/api/2.0/preview/scim/v2/Me", [](const HttpRequest& r) {
      return Json(200, r.authorization.Reveal() == "Bearer cli-tok"
                           ? R"({"userName":"cli-user@example.com"})"
                           : R"({"userName":"pat-user@example.com"})");
    });
    http_->On(HttpMethod::kPost, "/api/2.0/postgres/credentials", [this](const HttpRequest&) {
      return Json(200, R"({"token":"db-1","expire_time":")" +
                           FormatRfc3339(clock_->SystemNow() + 3600s) + "\"}");
    });
  }
  AuthContextOptions Options() {
    AuthContextOptions o;
    o.http_factory = [this](const std::string&) { return http_; };
    o.clock = clock_;
    o.platform = platform_;
    o.background_refresh = false;
    return o;
  }
  ConnectionConfig Cfg() {
    ConnectionConfig cfg;
    cfg.endpoint = "projects/p/branches/b/endpoints/e";
    return cfg;
  }
  TempDir tmp_;
  std::shared_ptr<FakeHttp> http_ = std::make_shared<FakeHttp>();
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  std::shared_ptr<FilePlatform> platform_ = std::make_shared<FilePlatform>();
  AuthContext context_{Options()};
};

TEST_F(ProfileLoginTest, DefaultProfileGivesWorkspaceAndToken) {
  std::ofstream(tmp_.path() + "/.databrickscfg")
      << "[DEFAULT]\nhost = " << testing::kWorkspace << "\ntoken = dapi-from-profile\n";
  LoginPlan plan = PlanLogin(Cfg(), clock_->SteadyNow() + 10s, context_);
  EXPECT_EQ(plan.user, "pat-user@example.com");
  EXPECT_EQ(plan.host, "ep.example.com");
  EXPECT_EQ(http_->Requests().back().authorization.Reveal(), "Bearer dapi-from-profile");
  EXPECT_THAT(plan.identity, HasSubstr("pat:ws.example.com:"));
}

TEST_F(ProfileLoginTest, CliProfileRunsTheCliAndNamesTheUser) {
  std::string cli = tmp_.path() + "/databricks";
  std::ofstream(cli) << "#!/bin/sh\nprintf '{\"access_token\":\"cli-tok\",\"token_type\":"
                        "\"Bearer\",\"expiry\":\""
                     << FormatRfc3339(clock_->SystemNow() + 3600s) << "\"}'\n";
  ::chmod(cli.c_str(), 0755);
  platform_->env["DATABRICKS_CLI_PATH"] = cli;
  std::ofstream(tmp_.path() + "/.databrickscfg")
      << "[dev]\nhost = " << testing::kWorkspace << "\nauth_type = databricks-cli\n";
  ConnectionConfig cfg = Cfg();
  cfg.profile = "dev";
  LoginPlan plan = PlanLogin(cfg, clock_->SteadyNow() + 10s, context_);
  EXPECT_EQ(plan.user, "cli-user@example.com");
  EXPECT_EQ(plan.identity, "cli:ws.example.com:cli-user@example.com");
  EXPECT_EQ(plan.tokens->GetToken(30s).value.Reveal(), "db-1");
}

TEST_F(ProfileLoginTest, NativePasswordLoginsIgnoreTheConfigFile) {
  std::ofstream(tmp_.path() + "/.databrickscfg") << "[DEFAULT]\nhost = h\ntoken = dapi-x\n";
  ConnectionConfig cfg;
  cfg.host = "pg.example.com";
  cfg.user = "app";
  cfg.password = SecretString("pw");
  LoginPlan plan = PlanLogin(cfg, clock_->SteadyNow() + 10s, context_);
  EXPECT_EQ(plan.tokens, nullptr);
  EXPECT_EQ(http_->Total(), 0u);
}

TEST_F(ProfileLoginTest, FileCacheDirectoryWithLoosePermissionsIsRefusedBeforeAnyHttp) {
  std::string dir = tmp_.path() + "/loose";
  ::mkdir(dir.c_str(), 0755);
  ConnectionConfig cfg = Cfg();
  cfg.workspace = testing::kWorkspace;
  cfg.token = SecretString("dapi-x");
  cfg.raw["TokenCache"] = "file";
  cfg.raw["TokenCacheDir"] = dir;
  try {
    PlanLogin(cfg, clock_->SteadyNow() + 10s, context_);
    FAIL();
  } catch (const AuthError& e) {
    EXPECT_EQ(e.kind(), AuthErrorKind::kConfiguration);
    EXPECT_THAT(e.what(), HasSubstr("chmod 700"));
  }
  EXPECT_EQ(http_->Total(), 0u);
}

TEST_F(ProfileLoginTest, ReplacePassedInTokenSwapsTheTokenAndRefusesAnExpiredOne) {
  auto jwt = [](int64_t exp) {
    return "h." + Base64UrlEncode("{\"exp\":" + std::to_string(exp) + "}") + ".s";
  };
  auto now =
      std::chrono::duration_cast<std::chrono::seconds>(clock_->SystemNow().time_since_epoch())
          .count();
  ConnectionConfig cfg = Cfg();
  cfg.workspace = testing::kWorkspace;
  cfg.access_token = SecretString(jwt(now + 600));
  LoginPlan first = PlanLogin(cfg, clock_->SteadyNow() + 10s, context_);
  ReplacePassedInToken(cfg, SecretString(jwt(now + 3600)), context_);
  EXPECT_EQ(cfg.access_token.Reveal(), jwt(now + 3600));
  LoginPlan second = PlanLogin(cfg, clock_->SteadyNow() + 10s, context_);
  EXPECT_NE(first.tokens, second.tokens);  // a new cache entry for the new token
  try {
    ReplacePassedInToken(cfg, SecretString(jwt(now - 5)), context_);
    FAIL();
  } catch (const AuthError& e) {
    EXPECT_EQ(e.kind(), AuthErrorKind::kExpired);
  }
  EXPECT_EQ(cfg.access_token.Reveal(), jwt(now + 3600));  // unchanged
  // On behalf of: the user's token is the one replaced.
  cfg.user_access_token = SecretString(jwt(now + 60));
  ReplacePassedInToken(cfg, SecretString(jwt(now + 120)), context_);
  EXPECT_EQ(cfg.user_access_token.Reveal(), jwt(now + 120));
  EXPECT_EQ(cfg.access_token.Reveal(), jwt(now + 3600));
  EXPECT_THROW(ReplacePassedInToken(cfg, SecretString(), context_), AuthError);
}

}  // namespace
}  // namespace lakebase::auth

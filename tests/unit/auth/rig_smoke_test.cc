// The real libcurl client and PlanLogin against the rig's HTTPS workspace emulator
// (tests/rig/README.md). Skipped unless the rig's environment (LBRIG_*) is set, e.g. by
// tests/run.sh or `. DIR/rig.env` after `tests/rig/rig.py start --dir DIR`.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdlib>
#include <future>
#include <thread>

#include "auth/context.h"
#include "auth/login.h"

namespace lakebase::auth {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

class RigSmoke : public ::testing::Test {
 protected:
  void SetUp() override {
    if (Env("LBRIG_WORKSPACE").empty()) GTEST_SKIP() << "rig not running (LBRIG_WORKSPACE unset)";
  }
  static setup::ConnectionConfig Base() {
    setup::ConnectionConfig cfg;
    cfg.workspace = Env("LBRIG_WORKSPACE");
    cfg.workspace_ca_file = Env("LBRIG_CA_FILE");
    cfg.endpoint = Env("LBRIG_ENDPOINT");
    return cfg;
  }
  static std::chrono::steady_clock::time_point Deadline() {
    return std::chrono::steady_clock::now() + 20s;
  }
  // A control call to the emulator (no auth, loopback only).
  static HttpResponse Control(HttpMethod method, const std::string& op, const std::string& body) {
    auto http = MakeCurlHttpClient({.ca_file = Env("LBRIG_CA_FILE")});
    HttpRequest r;
    r.method = method;
    r.url = Env("LBRIG_WORKSPACE") + "/_rig/" + op;
    r.body = body;
    if (!body.empty()) r.headers.emplace_back("Content-Type", "application/json");
    r.deadline = Deadline();
    return http->Send(r);
  }
  static int Mints(const std::string& identity) {
    rapidjson::Document doc;
    doc.Parse(Control(HttpMethod::kGet, "stats", "").body.c_str());
    if (!doc.IsObject() || !doc.HasMember("mints")) return -1;
    auto it = doc["mints"].FindMember(identity.c_str());
    return it == doc["mints"].MemberEnd() ? 0 : it->value.GetInt();
  }

  AuthContext context_;  // real clock, real curl, caches of its own
};

TEST_F(RigSmoke, PatLoginOverRealHttps) {
  setup::ConnectionConfig cfg = Base();
  cfg.token = SecretString(Env("LBRIG_ALICE_PAT"));
  LoginPlan plan = PlanLogin(cfg, Deadline(), context_);
  EXPECT_FALSE(plan.host.empty());
  EXPECT_EQ(plan.user, Env("LBRIG_ALICE"));
  EXPECT_THAT(plan.identity, HasSubstr("pat:localhost:"));
  EXPECT_THAT(plan.identity, Not(HasSubstr(Env("LBRIG_ALICE_PAT"))));
  Token token = plan.tokens->GetToken(30s, Deadline());
  EXPECT_FALSE(token.value.empty());
  EXPECT_GT(token.expires_at, std::chrono::system_clock::now() + 60s);
  EXPECT_EQ(plan.tokens->GetToken(30s, Deadline()).value, token.value);
}

TEST_F(RigSmoke, M2MLoginOverRealHttps) {
  setup::ConnectionConfig cfg = Base();
  cfg.client_id = Env("LBRIG_SP_CLIENT_ID");
  cfg.client_secret = SecretString(Env("LBRIG_SP_CLIENT_SECRET"));
  LoginPlan plan = PlanLogin(cfg, Deadline(), context_);
  EXPECT_EQ(plan.user, Env("LBRIG_SP_CLIENT_ID"));
  EXPECT_FALSE(plan.tokens->GetToken(30s, Deadline()).value.empty());
}

TEST_F(RigSmoke, ProvisionedInstance) {
  setup::ConnectionConfig cfg = Base();
  cfg.endpoint.clear();
  cfg.instance = Env("LBRIG_INSTANCE");
  cfg.token = SecretString(Env("LBRIG_BOB_PAT"));
  LoginPlan plan = PlanLogin(cfg, Deadline(), context_);
  EXPECT_FALSE(plan.host.empty());
  EXPECT_EQ(plan.user, Env("LBRIG_BOB"));
  EXPECT_FALSE(plan.tokens->GetToken(30s, Deadline()).value.empty());
}

TEST_F(RigSmoke, SingleFlightOverRealHttps) {
  setup::ConnectionConfig cfg = Base();
  cfg.token = SecretString(Env("LBRIG_BOB_PAT"));
  cfg.host = "localhost";
  cfg.user = Env("LBRIG_BOB");
  int before = Mints(Env("LBRIG_BOB"));
  ASSERT_GE(before, 0);
  LoginPlan plan = PlanLogin(cfg, Deadline(), context_);
  std::vector<std::future<std::string>> results;
  for (int i = 0; i < 16; ++i) {
    results.push_back(std::async(
        std::launch::async, [&] { return plan.tokens->GetToken(30s, Deadline()).value.Reveal(); }));
  }
  std::string first = results[0].get();
  for (size_t i = 1; i < results.size(); ++i) EXPECT_EQ(results[i].get(), first);
  EXPECT_EQ(Mints(Env("LBRIG_BOB")), before + 1);
}

TEST_F(RigSmoke, RetriesInjected503) {
  Control(HttpMethod::kPost, "fault",
          R"({"path":"/api/2.0/postgres/credentials","kind":"503","count":1})");
  setup::ConnectionConfig cfg = Base();
  cfg.token = SecretString(Env("LBRIG_ALICE_PAT"));
  cfg.host = "localhost";
  cfg.user = Env("LBRIG_ALICE");
  LoginPlan plan = PlanLogin(cfg, Deadline(), context_);
  EXPECT_FALSE(plan.tokens->GetToken(30s, Deadline()).value.empty());
}

TEST_F(RigSmoke, UntrustedCertificateIsATlsError) {
  setup::ConnectionConfig cfg = Base();
  cfg.workspace_ca_file.clear();  // the system bundle does not know the rig's CA
  cfg.token = SecretString(Env("LBRIG_ALICE_PAT"));
  try {
    PlanLogin(cfg, Deadline(), context_);
    FAIL() << "no error";
  } catch (const AuthError& e) {
    EXPECT_EQ(e.kind(), AuthErrorKind::kWorkspace);
    EXPECT_THAT(e.what(), HasSubstr("WorkspaceCAFile"));
    EXPECT_THAT(e.what(), Not(HasSubstr(Env("LBRIG_ALICE_PAT"))));
  }
}

TEST_F(RigSmoke, WrongPatIsAWorkspaceError) {
  setup::ConnectionConfig cfg = Base();
  cfg.token = SecretString("dapi-not-a-real-token-000");
  try {
    PlanLogin(cfg, Deadline(), context_);
    FAIL() << "no error";
  } catch (const AuthError& e) {
    EXPECT_EQ(e.kind(), AuthErrorKind::kWorkspace);
    EXPECT_THAT(e.what(), HasSubstr("HTTP 401"));
    EXPECT_THAT(e.what(), Not(HasSubstr("dapi-not-a-real-token-000")));
  }
}

}  // namespace
}  // namespace lakebase::auth

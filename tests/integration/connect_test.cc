// Connecting through unixODBC with every credential the foundation supports, and what happens
// when a credential is wrong or a token goes stale. Each test asserts the logged-in identity.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <thread>
#include <vector>

#include "tests/integration/rig_env.h"

namespace lakebase::testing {
namespace {

std::string WithPat(const std::string& pat) {
  return BaseConnectionString() + "Token=" + pat + ";";
}

TEST(Connect, PatThroughDsnInOdbcIni) {
  Connection c;
  ASSERT_ODBC_OK(c.Connect("LakebaseRig"), c.diag());
  EXPECT_EQ(c.Scalar("SELECT current_user"), Env("LBRIG_ALICE"));
  // The connection really is TLS.
  EXPECT_EQ(c.Scalar("SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()"), "true");
}

TEST(Connect, PatDsnLessWithHostResolvedFromEndpoint) {
  Connection c;
  std::string out;
  ASSERT_ODBC_OK(c.DriverConnect(WithPat(Env("LBRIG_ALICE_PAT")), &out), c.diag());
  EXPECT_EQ(c.Scalar("SELECT current_user"), Env("LBRIG_ALICE"));
  // The output connection string reconnects without carrying the secret.
  EXPECT_EQ(out.find(Env("LBRIG_ALICE_PAT")), std::string::npos) << out;
  EXPECT_NE(out.find("Endpoint="), std::string::npos) << out;
}

TEST(Connect, PatWithExplicitHost) {
  Connection c;
  ASSERT_ODBC_OK(c.DriverConnect(WithPat(Env("LBRIG_ALICE_PAT")) + "Host=localhost;"), c.diag());
  EXPECT_EQ(c.Scalar("SELECT current_user"), Env("LBRIG_ALICE"));
}

TEST(Connect, OAuthM2MClientCredentials) {
  Connection c;
  ASSERT_ODBC_OK(c.DriverConnect(BaseConnectionString() +
                                 "AuthType=oauth-m2m;ClientId=" + Env("LBRIG_SP_CLIENT_ID") +
                                 ";ClientSecret=" + Env("LBRIG_SP_CLIENT_SECRET") + ";"),
                 c.diag());
  EXPECT_EQ(c.Scalar("SELECT current_user"), Env("LBRIG_SP_CLIENT_ID"));
}

TEST(Connect, M2MChosenByTheDefaultChain) {
  Connection c;
  ASSERT_ODBC_OK(c.DriverConnect(BaseConnectionString() + "ClientId=" + Env("LBRIG_SP_CLIENT_ID") +
                                 ";ClientSecret={" + Env("LBRIG_SP_CLIENT_SECRET") + "};"),
                 c.diag());
  EXPECT_EQ(c.Scalar("SELECT current_user"), Env("LBRIG_SP_CLIENT_ID"));
}

TEST(Connect, PassedInAccessToken) {
  // A workspace OAuth token the application obtained itself (here from the emulator's M2M flow).
  std::string cmd =
      "/usr/bin/python3 -c \"import json,sys; sys.path.insert(0,'" LAKEBASE_SOURCE_DIR
      "/tests/rig'); import rigclient,base64,os; "
      "auth=base64.b64encode((os.environ['LBRIG_SP_CLIENT_ID']+':'+os.environ['LBRIG_SP_CLIENT_"
      "SECRET']).encode()).decode(); "
      "r=rigclient.request('POST', os.environ['LBRIG_WORKSPACE']+'/oidc/v1/token', "
      "headers={'Authorization':'Basic '+auth,'Content-Type':'application/x-www-form-urlencoded'}, "
      "body='grant_type=client_credentials&scope=all-apis'); print(r.json()['access_token'])\"";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  char buf[4096] = {0};
  size_t n = fread(buf, 1, sizeof buf - 1, p);
  pclose(p);
  std::string token(buf, n);
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  ASSERT_FALSE(token.empty());
  Connection c;
  ASSERT_ODBC_OK(c.DriverConnect(BaseConnectionString() + "AuthType=access-token;AccessToken=" +
                                 token + ";UID=" + Env("LBRIG_SP_CLIENT_ID") + ";"),
                 c.diag());
  EXPECT_EQ(c.Scalar("SELECT current_user"), Env("LBRIG_SP_CLIENT_ID"));
  setenv("LBIT_PASSED_TOKEN", token.c_str(), 1);  // the secret-hygiene test looks for it
}

TEST(Connect, NewPassedInTokenThroughSqlAttrCredentials) {
  std::string first = Env("LBIT_PASSED_TOKEN");
  if (first.empty()) GTEST_SKIP() << "needs Connect.PassedInAccessToken first";
  Connection c;
  ASSERT_ODBC_OK(c.DriverConnect(BaseConnectionString() + "AuthType=access-token;AccessToken=" +
                                 first + ";UID=" + Env("LBRIG_SP_CLIENT_ID") + ";Pooling=0;"),
                 c.diag());
  // An application hands in a fresh token (SQL_ATTR_CREDENTIALS, 122) and asks for the
  // connection to be refreshed (SQL_ATTR_REFRESH_CONNECTION, 123): the open session stays.
  std::string pid = c.Scalar("SELECT pg_backend_pid()");
  ASSERT_ODBC_OK(SQLSetConnectAttr(c.dbc(), 122, (SQLPOINTER)first.c_str(), SQL_NTS), c.diag());
  ASSERT_ODBC_OK(SQLSetConnectAttr(c.dbc(), 123, (SQLPOINTER)1, 0), c.diag());
  EXPECT_EQ(c.Scalar("SELECT pg_backend_pid()"), pid);
  EXPECT_EQ(SQLSetConnectAttr(c.dbc(), 122, (SQLPOINTER) "", SQL_NTS), SQL_ERROR);
}

TEST(Connect, NativePostgresPassword) {
  Connection c;
  ASSERT_ODBC_OK(c.DriverConnect("Driver=Lakebase;Host=localhost;Port=" + Env("LBRIG_PG_PORT") +
                                 ";SSLRootCert=" + Env("LBRIG_CA_FILE") +
                                 ";AuthType=password;UID=" + Env("LBRIG_NATIVE_USER") +
                                 ";PWD=" + Env("LBRIG_NATIVE_PASSWORD") +
                                 ";LogLevel=trace;LogFile=" + LogFilePath()),
                 c.diag());
  EXPECT_EQ(c.Scalar("SELECT current_user"), Env("LBRIG_NATIVE_USER"));
}

TEST(Connect, NativePasswordThroughSqlConnectArguments) {
  Connection c;
  // SQLConnect's UID/PWD arguments override the DSN's PAT: AuthType comes from the password.
  ASSERT_ODBC_OK(c.DriverConnect("Driver=Lakebase;Host=localhost;Port=" + Env("LBRIG_PG_PORT") +
                                 ";SSLRootCert=" + Env("LBRIG_CA_FILE") + ";UID=" +
                                 Env("LBRIG_LONG_USER") + ";PWD={" + Env("LBRIG_LONG_TOKEN") + "}"),
                 c.diag());
  // A 4 KB secret arrives whole (a truncated one would be refused by SCRAM).
  EXPECT_EQ(c.Scalar("SELECT current_user"), Env("LBRIG_LONG_USER"));
}

TEST(Connect, WrongNativePasswordIs28P01WithoutTheSecret) {
  Connection c;
  const std::string bad = "not-the-password-4711";
  SQLRETURN rc =
      c.DriverConnect("Driver=Lakebase;Host=localhost;Port=" + Env("LBRIG_PG_PORT") +
                      ";SSLRootCert=" + Env("LBRIG_CA_FILE") +
                      ";AuthType=password;UID=" + Env("LBRIG_NATIVE_USER") + ";PWD=" + bad);
  ASSERT_EQ(rc, SQL_ERROR);
  EXPECT_EQ(FirstState(SQL_HANDLE_DBC, c.dbc()), "28P01") << c.diag();
  EXPECT_EQ(c.diag().find(bad), std::string::npos) << c.diag();
}

TEST(Connect, WrongPatIsACleanErrorNamingTheCause) {
  Connection c;
  const std::string bad = "dapi00000000000000000000000000000bad";
  SQLRETURN rc = c.DriverConnect(WithPat(bad));
  ASSERT_EQ(rc, SQL_ERROR);
  std::string d = c.diag();
  EXPECT_EQ(FirstState(SQL_HANDLE_DBC, c.dbc()), "08001") << d;
  EXPECT_NE(d.find("401"), std::string::npos) << d;
  EXPECT_EQ(d.find(bad), std::string::npos) << d;
  EXPECT_NE(d.find("[Lakebase ODBC]"), std::string::npos) << d;
}

TEST(Connect, MissingHostAndEndpointNamesTheKeys) {
  Connection c;
  unsetenv("PGHOST");
  unsetenv("LAKEBASE_ENDPOINT");
  SQLRETURN rc = c.DriverConnect("Driver=Lakebase;Token=x;Workspace=" + Env("LBRIG_WORKSPACE"));
  ASSERT_EQ(rc, SQL_ERROR);
  std::string d = c.diag();
  EXPECT_NE(d.find("Endpoint"), std::string::npos) << d;
  EXPECT_NE(d.find("PGHOST"), std::string::npos) << d;
}

TEST(Connect, OnlyTheEnvironment) {
  // A Databricks App gets PG* and DATABRICKS_* in its environment; a DSN-less connection string
  // naming nothing but the driver must work (the rig's private CA is the one extra).
  std::vector<std::pair<const char*, std::string>> vars = {
      {"PGPORT", Env("LBRIG_PG_PORT")},
      {"PGDATABASE", Env("LBRIG_DATABASE")},
      {"PGSSLROOTCERT", Env("LBRIG_CA_FILE")},
      {"LAKEBASE_ENDPOINT", Env("LBRIG_ENDPOINT")},
      {"DATABRICKS_HOST", Env("LBRIG_WORKSPACE")},
      {"DATABRICKS_CLIENT_ID", Env("LBRIG_SP_CLIENT_ID")},
      {"DATABRICKS_CLIENT_SECRET", Env("LBRIG_SP_CLIENT_SECRET")}};
  for (auto& [k, v] : vars) setenv(k, v.c_str(), 1);
  Connection c;
  SQLRETURN rc = c.DriverConnect("Driver=Lakebase;WorkspaceCAFile=" + Env("LBRIG_CA_FILE"));
  for (auto& [k, v] : vars) unsetenv(k);
  ASSERT_ODBC_OK(rc, c.diag());
  EXPECT_EQ(c.Scalar("SELECT current_user"), Env("LBRIG_SP_CLIENT_ID"));
}

TEST(Connect, PatFromTheEnvironmentWithPgHost) {
  setenv("PGHOST", "localhost", 1);
  setenv("PGPORT", Env("LBRIG_PG_PORT").c_str(), 1);
  setenv("PGSSLROOTCERT", Env("LBRIG_CA_FILE").c_str(), 1);
  setenv("LAKEBASE_ENDPOINT", Env("LBRIG_ENDPOINT").c_str(), 1);
  setenv("DATABRICKS_HOST", Env("LBRIG_WORKSPACE").c_str(), 1);
  setenv("DATABRICKS_TOKEN", Env("LBRIG_ALICE_PAT").c_str(), 1);
  Connection c;
  SQLRETURN rc = c.DriverConnect("Driver=Lakebase;WorkspaceCAFile=" + Env("LBRIG_CA_FILE"));
  for (const char* k : {"PGHOST", "PGPORT", "PGSSLROOTCERT", "LAKEBASE_ENDPOINT", "DATABRICKS_HOST",
                        "DATABRICKS_TOKEN"}) {
    unsetenv(k);
  }
  ASSERT_ODBC_OK(rc, c.diag());
  EXPECT_EQ(c.Scalar("SELECT current_user"), Env("LBRIG_ALICE"));
}

TEST(Connect, TokenExpiredEarlyIsReplacedByOneFreshMint) {
  {
    Connection warm;
    ASSERT_ODBC_OK(warm.DriverConnect(WithPat(Env("LBRIG_ALICE_PAT"))), warm.diag());
  }
  int before = Mints(Env("LBRIG_ALICE"));
  ASSERT_GE(before, 1);
  // The rig expires every token alice holds: Postgres now refuses the cached one at login.
  // Pooling=0: the point is a new physical login (a pooled session needs no token at all).
  RigClient("expire " + Env("LBRIG_ALICE"));
  Connection c;
  ASSERT_ODBC_OK(c.DriverConnect(WithPat(Env("LBRIG_ALICE_PAT")) + "Pooling=0;"), c.diag());
  EXPECT_EQ(c.Scalar("SELECT current_user"), Env("LBRIG_ALICE"));
  EXPECT_EQ(Mints(Env("LBRIG_ALICE")), before + 1);
}

TEST(Connect, OpenConnectionOutlivesItsToken) {
  Connection c;
  ASSERT_ODBC_OK(c.DriverConnect(WithPat(Env("LBRIG_ALICE_PAT"))), c.diag());
  RigClient("expire " + Env("LBRIG_ALICE"));
  EXPECT_EQ(c.Scalar("SELECT 41 + 1"), "42");
}

TEST(Connect, SixteenThreadsColdCacheMintOnce) {
  // Bob's identity has not connected before in this process: the cache is cold for it.
  const std::string cs = WithPat(Env("LBRIG_BOB_PAT"));
  const int before = Mints(Env("LBRIG_BOB"));  // a reused rig may have minted for bob before
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  std::atomic<bool> go{false};
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&] {
      while (!go.load()) std::this_thread::yield();
      Connection c;
      if (SQL_SUCCEEDED(c.DriverConnect(cs)) &&
          c.Scalar("SELECT current_user") == Env("LBRIG_BOB")) {
        ++ok;
      }
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 16);
  EXPECT_EQ(Mints(Env("LBRIG_BOB")), before + 1);
}

TEST(Connect, UnknownKeywordIsA01S00Warning) {
  Connection c;
  SQLRETURN rc = c.DriverConnect(WithPat(Env("LBRIG_ALICE_PAT")) + "NoSuchKey=1;");
  ASSERT_EQ(rc, SQL_SUCCESS_WITH_INFO) << c.diag();
  EXPECT_NE(c.diag().find("01S00"), std::string::npos) << c.diag();
}

TEST(Connect, DisconnectTwiceIs08003) {
  Connection c;
  ASSERT_ODBC_OK(c.DriverConnect(WithPat(Env("LBRIG_ALICE_PAT"))), c.diag());
  EXPECT_EQ(SQLDisconnect(c.dbc()), SQL_SUCCESS);
  EXPECT_EQ(SQLDisconnect(c.dbc()), SQL_ERROR);
}

// Runs last (gtest runs tests in declaration order within a file, files in link order; the
// types tests come after and log more, so the hygiene test lives in types_test.cc's end too).
TEST(ZSecrets, NoSecretInTheTraceLog) {
  std::string log = ReadFile(LogFilePath());
  ASSERT_FALSE(log.empty()) << "LogLevel=trace wrote nothing to " << LogFilePath();
  std::vector<std::string> secrets = {Env("LBRIG_ALICE_PAT"), Env("LBRIG_BOB_PAT"),
                                      Env("LBRIG_SP_CLIENT_SECRET"), Env("LBRIG_NATIVE_PASSWORD"),
                                      Env("LBRIG_LONG_TOKEN")};
  if (!Env("LBIT_PASSED_TOKEN").empty()) secrets.push_back(Env("LBIT_PASSED_TOKEN"));
  for (const auto& t : MintedTokens()) secrets.push_back(t);
  ASSERT_GT(MintedTokens().size(), 0u);
  for (const auto& s : secrets) {
    ASSERT_FALSE(s.empty());
    EXPECT_EQ(log.find(s), std::string::npos) << "secret found in the trace log";
  }
}

}  // namespace
}  // namespace lakebase::testing

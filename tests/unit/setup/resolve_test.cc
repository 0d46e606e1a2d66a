#include "setup/resolve.h"

#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

namespace lakebase::setup {
namespace {

// A fake environment and a fake odbc.ini, so precedence is tested without touching the process.
class ResolveTest : public ::testing::Test {
 protected:
  ConnectionConfig Resolve(std::string_view conn_str) {
    return ResolveConfig(ParseConnectionString(conn_str), Options());
  }

  ResolveOptions Options() {
    ResolveOptions o;
    o.env = [this](std::string_view name) -> std::optional<std::string> {
      auto it = env_.find(std::string(name));
      if (it == env_.end()) return std::nullopt;
      return it->second;
    };
    o.dsn_reader = [this](std::string_view name) -> std::optional<DsnEntries> {
      dsn_reads_.push_back(std::string(name));
      auto it = dsns_.find(std::string(name));
      if (it == dsns_.end()) return std::nullopt;
      return it->second;
    };
    o.ca_bundle_paths = ca_paths_;
    o.file_exists = [this](const std::string& path) { return existing_files_.count(path) > 0; };
    return o;
  }

  std::string ErrorOf(std::string_view conn_str, std::string* sqlstate = nullptr,
                      std::string* key = nullptr) {
    try {
      Resolve(conn_str);
    } catch (const ConfigError& e) {
      if (sqlstate) *sqlstate = e.sqlstate();
      if (key) *key = e.key();
      return e.what();
    }
    ADD_FAILURE() << "no error for " << conn_str;
    return "";
  }

  std::map<std::string, std::string> env_;
  std::map<std::string, DsnEntries> dsns_;
  std::vector<std::string> dsn_reads_;
  std::vector<std::string> ca_paths_ = {"/fake/debian.crt", "/fake/rhel.crt"};
  std::set<std::string> existing_files_ = {"/fake/debian.crt", "/fake/rhel.crt"};
};

TEST_F(ResolveTest, DefaultsWhenNothingIsSet) {
  ConnectionConfig cfg = Resolve("");
  EXPECT_EQ(cfg.port, 5432);
  EXPECT_EQ(cfg.database, "databricks_postgres");
  EXPECT_EQ(cfg.ssl_mode, "verify-full");
  EXPECT_EQ(cfg.application_name, "lakebase-odbc");
  EXPECT_EQ(cfg.auth_type, AuthType::kAuto);
  EXPECT_TRUE(cfg.pooling);
  EXPECT_EQ(cfg.connect_timeout, std::chrono::seconds(10));
  EXPECT_EQ(cfg.log_level, "");
  EXPECT_TRUE(cfg.host.empty());
  EXPECT_TRUE(cfg.user.empty());
  EXPECT_TRUE(cfg.unknown_keys.empty());
  EXPECT_EQ(cfg.sources.at("Port"), Source::kDefault);
  EXPECT_EQ(cfg.sources.count("Host"), 0u);
  EXPECT_EQ(cfg.raw.at("PoolMaxSize"), "10");
  EXPECT_EQ(cfg.raw.at("MaxVarcharSize"), "255");
  EXPECT_EQ(cfg.raw.at("TextAsLongVarchar"), "1");
  EXPECT_TRUE(dsn_reads_.empty()) << "no DSN, no lookup";
}

TEST_F(ResolveTest, ConnectionStringBeatsDsnBeatsEnvironmentBeatsDefault) {
  dsns_["Mine"] = {{"Host", "dsn-host"}, {"Port", "6000"}, {"Database", "dsn-db"}};
  env_ = {
      {"PGHOST", "env-host"}, {"PGPORT", "7000"}, {"PGDATABASE", "env-db"}, {"PGUSER", "env-user"}};
  ConnectionConfig cfg = Resolve("DSN=Mine;Host=cs-host");
  EXPECT_EQ(cfg.host, "cs-host");
  EXPECT_EQ(cfg.sources.at("Host"), Source::kConnectionString);
  EXPECT_EQ(cfg.port, 6000);
  EXPECT_EQ(cfg.sources.at("Port"), Source::kDsn);
  EXPECT_EQ(cfg.database, "dsn-db");
  EXPECT_EQ(cfg.user, "env-user");
  EXPECT_EQ(cfg.sources.at("UID"), Source::kEnvironment);
  EXPECT_EQ(cfg.application_name, "lakebase-odbc");
  EXPECT_EQ(cfg.sources.at("ApplicationName"), Source::kDefault);
  EXPECT_EQ(cfg.dsn, "Mine");
  EXPECT_EQ(dsn_reads_, std::vector<std::string>{"Mine"});
}

TEST_F(ResolveTest, EmptyValuesDoNotHideLowerSources) {
  dsns_["Mine"] = {{"Host", ""}, {"Port", "6000"}, {"UID", ""}};
  env_ = {{"PGHOST", "env-host"}, {"PGUSER", ""}};
  ConnectionConfig cfg = Resolve("DSN=Mine;Port=;Database=");
  EXPECT_EQ(cfg.host, "env-host");
  EXPECT_EQ(cfg.port, 6000);
  EXPECT_EQ(cfg.database, "databricks_postgres");
  EXPECT_TRUE(cfg.user.empty());
  EXPECT_EQ(cfg.sources.count("UID"), 0u);
}

TEST_F(ResolveTest, DsnKeysAreCaseInsensitiveAndAliased) {
  dsns_["Mine"] = {{"server", "dsn-host"},
                   {"DBNAME", "d"},
                   {"username", "u"},
                   {"Auth_Client_ID", "cid"},
                   {"driver", "Lakebase"}};
  ConnectionConfig cfg = Resolve("dsn=Mine");
  EXPECT_EQ(cfg.host, "dsn-host");
  EXPECT_EQ(cfg.database, "d");
  EXPECT_EQ(cfg.user, "u");
  EXPECT_EQ(cfg.client_id, "cid");
  EXPECT_EQ(cfg.driver, "Lakebase");
}

TEST_F(ResolveTest, SqlConnectArgumentsActAsConnectionString) {
  dsns_["Mine"] = {{"Host", "h"}, {"UID", "dsn-user"}, {"PWD", "dsn-pw"}};
  ResolveOptions o = Options();
  ConnectionConfig cfg = ResolveConfig(AttributesForSqlConnect("Mine", "arg-user", "arg-pw"), o);
  EXPECT_EQ(cfg.user, "arg-user");
  EXPECT_EQ(cfg.password.Reveal(), "arg-pw");
  ConnectionConfig cfg2 = ResolveConfig(AttributesForSqlConnect("Mine", "", ""), o);
  EXPECT_EQ(cfg2.user, "dsn-user");
  EXPECT_EQ(cfg2.password.Reveal(), "dsn-pw");
  EXPECT_EQ(cfg2.sources.at("PWD"), Source::kDsn);
}

TEST_F(ResolveTest, EveryDocumentedEnvironmentVariable) {
  env_ = {{"PGHOST", "h"},
          {"PGPORT", "5433"},
          {"PGDATABASE", "db"},
          {"PGUSER", "u"},
          {"PGPASSWORD", "pw"},
          {"PGSSLMODE", "require"},
          {"PGSSLROOTCERT", "/ca.pem"},
          {"PGAPPNAME", "app"},
          {"LAKEBASE_ENDPOINT", "projects/p/branches/b/endpoints/e"},
          {"DATABRICKS_HOST", "adb-1.azuredatabricks.net/"},
          {"DATABRICKS_TOKEN", "dapi"},
          {"DATABRICKS_CLIENT_ID", "cid"},
          {"DATABRICKS_CLIENT_SECRET", "csec"},
          {"DATABRICKS_AUTH_TYPE", "oauth-m2m"},
          {"DATABRICKS_CONFIG_PROFILE", "prof"},
          {"DATABRICKS_CONFIG_FILE", "/cfg"}};
  ConnectionConfig cfg = Resolve("");
  EXPECT_EQ(cfg.host, "h");
  EXPECT_EQ(cfg.port, 5433);
  EXPECT_EQ(cfg.database, "db");
  EXPECT_EQ(cfg.user, "u");  // from PGUSER, never from DATABRICKS_CLIENT_ID
  EXPECT_EQ(cfg.password.Reveal(), "pw");
  EXPECT_EQ(cfg.ssl_mode, "require");
  EXPECT_EQ(cfg.ssl_root_cert, "/ca.pem");
  EXPECT_EQ(cfg.application_name, "app");
  EXPECT_EQ(cfg.endpoint, "projects/p/branches/b/endpoints/e");
  EXPECT_EQ(cfg.workspace, "https://adb-1.azuredatabricks.net");
  EXPECT_EQ(cfg.token.Reveal(), "dapi");
  EXPECT_EQ(cfg.client_id, "cid");
  EXPECT_EQ(cfg.client_secret.Reveal(), "csec");
  EXPECT_EQ(cfg.auth_type, AuthType::kOAuthM2M);
  EXPECT_EQ(cfg.profile, "prof");
  EXPECT_EQ(cfg.config_file, "/cfg");
  for (auto key : {"Host", "Port", "PWD", "Workspace", "AuthType", "ClientSecret"}) {
    EXPECT_EQ(cfg.sources.at(key), Source::kEnvironment) << key;
  }
}

TEST_F(ResolveTest, DatabricksClientIdIsNotAUserName) {
  env_ = {{"DATABRICKS_CLIENT_ID", "cid"}};
  ConnectionConfig cfg = Resolve("");
  EXPECT_TRUE(cfg.user.empty());
  EXPECT_EQ(cfg.client_id, "cid");
}

TEST_F(ResolveTest, DatabricksAppEnvironmentAloneIsEnough) {
  // LAKEBASE.md section 6: a DSN-less connection in a Databricks App.
  env_ = {{"PGHOST", "ep.database.cloud.databricks.com"},
          {"PGDATABASE", "databricks_postgres"},
          {"PGPORT", "5432"},
          {"PGUSER", "6f1c2d3e-0000-4000-8000-123456789abc"},
          {"PGSSLMODE", "require"},
          {"PGAPPNAME", "my-app"},
          {"DATABRICKS_HOST", "https://adb-1.azuredatabricks.net"},
          {"DATABRICKS_CLIENT_ID", "6f1c2d3e-0000-4000-8000-123456789abc"},
          {"DATABRICKS_CLIENT_SECRET", "secret"},
          {"LAKEBASE_ENDPOINT", "projects/p/branches/production/endpoints/primary"},
          {"HOME", "/nonexistent-home"}};
  ConnectionConfig cfg = Resolve("Driver=Lakebase");
  EXPECT_NO_THROW(ValidateForConnect(cfg, Options().env));
  EXPECT_EQ(cfg.ssl_mode, "require");
  EXPECT_TRUE(cfg.ssl_root_cert.empty()) << "require does not verify: no CA bundle filled in";
}

TEST_F(ResolveTest, SecretsStayOutOfRawButHaveSources) {
  ConnectionConfig cfg =
      Resolve("PWD=p;Token=t;ClientSecret=c;AccessToken=a;UserAccessToken=u;Host=h");
  for (auto key : {"PWD", "Token", "ClientSecret", "AccessToken", "UserAccessToken"}) {
    EXPECT_EQ(cfg.raw.count(key), 0u) << key;
    EXPECT_EQ(cfg.sources.at(key), Source::kConnectionString) << key;
  }
  for (const auto& [k, v] : cfg.raw) {
    for (auto secret : {"p", "t", "c", "a", "u"}) {
      if (k != "Host" && k != "Port") {
        EXPECT_NE(v, secret) << k;
      }
    }
  }
  EXPECT_EQ(cfg.password.Reveal(), "p");
  EXPECT_EQ(cfg.token.Reveal(), "t");
  EXPECT_EQ(cfg.client_secret.Reveal(), "c");
  EXPECT_EQ(cfg.access_token.Reveal(), "a");
  EXPECT_EQ(cfg.user_access_token.Reveal(), "u");
}

TEST_F(ResolveTest, RawHoldsNormalisedValuesOfLaterKeys) {
  ConnectionConfig cfg = Resolve(
      "PoolMaxSize=20;PoolMinIdle=2;PoolIdleTimeout=5m;PoolMaxLifetime=1h;LoginRetries=5;"
      "TokenRefreshMargin=120s;TokenCache=FILE;TokenCacheDir=/c;OAuthRedirectPort=8030;"
      "FetchSize=500;MaxVarcharSize=8000;TextAsLongVarchar=no;BoolsAsChar=on;LogMaxSize=20;"
      "LogMaxFiles=3;QueryTimeout=30;OAuthScope={all-apis offline_access}");
  EXPECT_EQ(cfg.raw.at("PoolIdleTimeout"), "300");
  EXPECT_EQ(cfg.raw.at("PoolMaxLifetime"), "3600");
  EXPECT_EQ(cfg.raw.at("TokenCache"), "file");
  EXPECT_EQ(cfg.raw.at("TextAsLongVarchar"), "0");
  EXPECT_EQ(cfg.raw.at("BoolsAsChar"), "1");
  EXPECT_EQ(ConfigInt(cfg, "PoolMaxSize"), 20);
  EXPECT_EQ(ConfigInt(cfg, "PoolMinIdle"), 2);
  EXPECT_EQ(ConfigSeconds(cfg, "PoolIdleTimeout"), std::chrono::minutes(5));
  EXPECT_EQ(ConfigSeconds(cfg, "TokenRefreshMargin"), std::chrono::seconds(120));
  EXPECT_EQ(ConfigInt(cfg, "LoginRetries"), 5);
  EXPECT_EQ(ConfigString(cfg, "TokenCache"), "file");
  EXPECT_EQ(ConfigString(cfg, "TokenCacheDir"), "/c");
  EXPECT_EQ(ConfigInt(cfg, "OAuthRedirectPort"), 8030);
  EXPECT_EQ(ConfigInt(cfg, "FetchSize"), 500);
  EXPECT_EQ(ConfigInt(cfg, "MaxVarcharSize"), 8000);
  EXPECT_FALSE(ConfigBool(cfg, "TextAsLongVarchar"));
  EXPECT_TRUE(ConfigBool(cfg, "BoolsAsChar"));
  EXPECT_EQ(ConfigInt(cfg, "LogMaxSize"), 20);
  EXPECT_EQ(ConfigInt(cfg, "LogMaxFiles"), 3);
  EXPECT_EQ(ConfigSeconds(cfg, "QueryTimeout"), std::chrono::seconds(30));
  EXPECT_EQ(ConfigString(cfg, "OAuthScope"), "all-apis offline_access");
}

TEST_F(ResolveTest, TypedAccessorsFallBackToDefaultsAndRejectMisuse) {
  ConnectionConfig empty;  // not resolved: raw is empty
  EXPECT_EQ(ConfigInt(empty, "PoolMaxSize"), 10);
  EXPECT_EQ(ConfigSeconds(empty, "PoolMaxLifetime"), std::chrono::seconds(2700));
  EXPECT_TRUE(ConfigBool(empty, "TextAsLongVarchar"));
  EXPECT_EQ(ConfigString(empty, "TokenCache"), "memory");
  EXPECT_EQ(ConfigString(empty, "TokenCacheDir"), "");
  EXPECT_THROW(ConfigInt(empty, "NoSuchKey"), std::logic_error);
  EXPECT_THROW(ConfigInt(empty, "Pooling"), std::logic_error);
  EXPECT_THROW(ConfigBool(empty, "Port"), std::logic_error);
}

TEST_F(ResolveTest, BooleansAcceptAllSpellings) {
  for (auto [text, expected] : std::vector<std::pair<std::string, bool>>{{"1", true},
                                                                         {"yes", true},
                                                                         {"TRUE", true},
                                                                         {"On", true},
                                                                         {"0", false},
                                                                         {"No", false},
                                                                         {"false", false},
                                                                         {"OFF", false}}) {
    EXPECT_EQ(Resolve("Pooling=" + text).pooling, expected) << text;
  }
}

TEST_F(ResolveTest, BadTypedValuesNameTheKeySourceAndAcceptedValues) {
  std::string state, key;
  std::string e = ErrorOf("Pooling=maybe", &state, &key);
  EXPECT_EQ(state, "HY024");
  EXPECT_EQ(key, "Pooling");
  EXPECT_NE(e.find("[Lakebase ODBC]"), std::string::npos) << e;
  EXPECT_NE(e.find("'maybe'"), std::string::npos) << e;
  EXPECT_NE(e.find("Pooling"), std::string::npos) << e;
  EXPECT_NE(e.find("yes/no"), std::string::npos) << e;
  EXPECT_NE(e.find("the connection string"), std::string::npos) << e;
  EXPECT_NE(e.find("e.g. Pooling="), std::string::npos) << e;

  e = ErrorOf("Port=abc", &state, &key);
  EXPECT_EQ(key, "Port");
  EXPECT_NE(e.find("an integer from 1 to 65535"), std::string::npos) << e;

  e = ErrorOf("LogLevel=verbose");
  EXPECT_NE(e.find("off, error, warn, info, debug, trace"), std::string::npos) << e;

  e = ErrorOf("SSLMode=strict");
  EXPECT_NE(e.find("verify-full"), std::string::npos) << e;

  e = ErrorOf("AuthType=kerberos");
  EXPECT_NE(e.find("oauth-m2m"), std::string::npos) << e;

  e = ErrorOf("AuthMech=3", &state, &key);
  EXPECT_EQ(key, "AuthMech");
  EXPECT_NE(e.find("11"), std::string::npos) << e;

  e = ErrorOf("ConnectTimeout=forever");
  EXPECT_NE(e.find("seconds"), std::string::npos) << e;
}

TEST_F(ResolveTest, BadValuesFromTheEnvironmentAndDsnNameTheirOrigin) {
  env_ = {{"PGPORT", "five"}};
  std::string e = ErrorOf("");
  EXPECT_NE(e.find("environment variable PGPORT"), std::string::npos) << e;
  env_.clear();
  dsns_["Mine"] = {{"Port", "-1"}};
  e = ErrorOf("DSN=Mine");
  EXPECT_NE(e.find("DSN 'Mine'"), std::string::npos) << e;
  env_ = {{"DATABRICKS_AUTH_TYPE", "azure-cli"}};
  dsns_.clear();
  e = ErrorOf("");
  EXPECT_NE(e.find("DATABRICKS_AUTH_TYPE"), std::string::npos) << e;
}

TEST_F(ResolveTest, AValueSetAboveABadEnvironmentValueWins) {
  env_ = {{"PGPORT", "five"}};
  EXPECT_EQ(Resolve("Port=5433").port, 5433);
}

TEST_F(ResolveTest, LongBadValuesAreShortenedInMessages) {
  std::string e = ErrorOf("Port=" + std::string(500, '9'));
  EXPECT_LT(e.size(), 400u) << e;
}

TEST_F(ResolveTest, UnknownKeysFromConnectionStringAndDsnAreReported) {
  dsns_["Mine"] = {{"Host", "h"}, {"Servername", "x"}, {"Description", "fine"}};
  ConnectionConfig cfg = Resolve("DSN=Mine;FooBar=1;foobar=2;Trace=yes;SERVERNAME=y");
  EXPECT_EQ(cfg.unknown_keys, (std::vector<std::string>{"FooBar", "Trace", "SERVERNAME"}));
  EXPECT_EQ(cfg.raw.count("FooBar"), 0u);
}

TEST_F(ResolveTest, MissingDsnIsAnIm002ErrorUnlessThereIsADefault) {
  std::string state, key;
  std::string e = ErrorOf("DSN=Nope", &state, &key);
  EXPECT_EQ(state, "IM002");
  EXPECT_EQ(key, "DSN");
  EXPECT_NE(e.find("'Nope'"), std::string::npos) << e;
  EXPECT_NE(e.find("odbc.ini"), std::string::npos) << e;

  dsns_["DEFAULT"] = {{"Host", "default-host"}};
  ConnectionConfig cfg = Resolve("DSN=Nope");
  EXPECT_EQ(cfg.host, "default-host");
  EXPECT_EQ(cfg.dsn, "DEFAULT");
  ASSERT_EQ(cfg.warnings.size(), 1u);
  EXPECT_NE(cfg.warnings[0].find("'Nope'"), std::string::npos);
  EXPECT_NE(cfg.warnings[0].find("DEFAULT"), std::string::npos);
}

TEST_F(ResolveTest, DsnValueNearUnixOdbcLineLimitIsAWarning) {
  dsns_["Mine"] = {{"Token", std::string(kOdbcIniMaxValue - 6, 'x')}};
  ConnectionConfig cfg = Resolve("DSN=Mine");
  ASSERT_EQ(cfg.warnings.size(), 1u);
  EXPECT_NE(cfg.warnings[0].find("Token"), std::string::npos);
  EXPECT_EQ(cfg.warnings[0].find("xxxx"), std::string::npos) << "no secret in a warning";
}

TEST_F(ResolveTest, WorkspaceIsNormalised) {
  EXPECT_EQ(Resolve("Workspace=adb-1.azuredatabricks.net").workspace,
            "https://adb-1.azuredatabricks.net");
  EXPECT_EQ(Resolve("Workspace=https://adb-1.azuredatabricks.net/").workspace,
            "https://adb-1.azuredatabricks.net");
  EXPECT_EQ(Resolve("Workspace=adb-1.azuredatabricks.net///").workspace,
            "https://adb-1.azuredatabricks.net");
  EXPECT_EQ(Resolve("Workspace=http://127.0.0.1:8443/").workspace, "http://127.0.0.1:8443");
  EXPECT_EQ(Resolve("DatabricksHost={  https://x.cloud.databricks.com/ }").workspace,
            "https://x.cloud.databricks.com");
  EXPECT_EQ(Resolve("Workspace=https://x.cloud.databricks.com/").raw.at("Workspace"),
            "https://x.cloud.databricks.com");
  ConnectionConfig slash_only = Resolve("Workspace=/");
  EXPECT_TRUE(slash_only.workspace.empty());
  EXPECT_EQ(slash_only.sources.count("Workspace"), 0u);
}

TEST(NormaliseWorkspace, Cases) {
  EXPECT_EQ(NormaliseWorkspace("h"), "https://h");
  EXPECT_EQ(NormaliseWorkspace("h/"), "https://h");
  EXPECT_EQ(NormaliseWorkspace(" https://h/ "), "https://h");
  EXPECT_EQ(NormaliseWorkspace("https://h/path/"), "https://h/path");
  EXPECT_EQ(NormaliseWorkspace(""), "");
  EXPECT_EQ(NormaliseWorkspace("//"), "");
}

TEST_F(ResolveTest, VerifyModesGetTheFirstExistingSystemCaBundle) {
  ConnectionConfig cfg = Resolve("");
  EXPECT_EQ(cfg.ssl_root_cert, "/fake/debian.crt");
  EXPECT_EQ(cfg.sources.at("SSLRootCert"), Source::kDefault);
  EXPECT_EQ(cfg.raw.at("SSLRootCert"), "/fake/debian.crt");

  existing_files_ = {"/fake/rhel.crt"};
  EXPECT_EQ(Resolve("SSLMode=verify-ca").ssl_root_cert, "/fake/rhel.crt");

  existing_files_ = {"/fake/rhel.crt", "/custom.pem"};
  env_ = {{"SSL_CERT_FILE", "/custom.pem"}};
  EXPECT_EQ(Resolve("").ssl_root_cert, "/custom.pem");
}

TEST_F(ResolveTest, ExplicitRootCertIsKeptAndOtherModesGetNone) {
  EXPECT_EQ(Resolve("SSLRootCert=/my/ca.pem").ssl_root_cert, "/my/ca.pem");
  EXPECT_EQ(Resolve("SSLRootCert=/my/ca.pem").sources.at("SSLRootCert"), Source::kConnectionString);
  for (auto mode : {"require", "prefer", "allow", "disable"}) {
    ConnectionConfig cfg = Resolve(std::string("SSLMode=") + mode);
    EXPECT_TRUE(cfg.ssl_root_cert.empty()) << mode;
    EXPECT_TRUE(cfg.warnings.empty()) << mode;
  }
}

TEST_F(ResolveTest, NoCaBundleIsAWarning) {
  existing_files_.clear();
  ConnectionConfig cfg = Resolve("");
  EXPECT_TRUE(cfg.ssl_root_cert.empty());
  ASSERT_EQ(cfg.warnings.size(), 1u);
  EXPECT_NE(cfg.warnings[0].find("SSLRootCert"), std::string::npos);
}

TEST(ResolveRealFiles, DefaultCaBundleOnThisMachine) {
  // Debian's bundle exists on the build machines; the real file check must find it.
  if (!std::filesystem::exists("/etc/ssl/certs/ca-certificates.crt")) GTEST_SKIP();
  ResolveOptions o;
  o.env = [](std::string_view) { return std::optional<std::string>(); };
  o.dsn_reader = [](std::string_view) { return std::optional<DsnEntries>(); };
  EXPECT_EQ(ResolveConfig(Attributes{}, o).ssl_root_cert, "/etc/ssl/certs/ca-certificates.crt");
}

// --- AuthType and the Databricks ODBC keys --------------------------------------------------

TEST_F(ResolveTest, AuthTypeFromKey) {
  EXPECT_EQ(Resolve("AuthType=pat").auth_type, AuthType::kPat);
  EXPECT_EQ(Resolve("authtype=OAUTH-U2M").auth_type, AuthType::kOAuthU2M);
  EXPECT_EQ(Resolve("AuthType=databricks-cli").auth_type, AuthType::kDatabricksCli);
  EXPECT_EQ(Resolve("AuthType=access-token").auth_type, AuthType::kAccessToken);
  EXPECT_EQ(Resolve("AuthType=password").auth_type, AuthType::kPassword);
  EXPECT_EQ(Resolve("AuthType=auto").auth_type, AuthType::kAuto);
}

TEST_F(ResolveTest, AuthTypeFromDatabricksAuthTypeEnvironment) {
  env_ = {{"DATABRICKS_AUTH_TYPE", "external-browser"}};
  ConnectionConfig cfg = Resolve("");
  EXPECT_EQ(cfg.auth_type, AuthType::kOAuthU2M);
  EXPECT_EQ(cfg.raw.at("AuthType"), "oauth-u2m");
  EXPECT_EQ(Resolve("AuthType=pat").auth_type, AuthType::kPat);  // the key beats the env
}

TEST_F(ResolveTest, AuthMechAndAuthFlowMapToAuthType) {
  EXPECT_EQ(Resolve("AuthMech=11;Auth_Flow=0").auth_type, AuthType::kAccessToken);
  EXPECT_EQ(Resolve("AuthMech=11;Auth_Flow=1").auth_type, AuthType::kOAuthM2M);
  EXPECT_EQ(Resolve("AuthMech=11;Auth_Flow=2").auth_type, AuthType::kOAuthU2M);
  ConnectionConfig cfg = Resolve("AuthMech=11;Auth_Flow=1");
  EXPECT_EQ(cfg.raw.at("AuthType"), "oauth-m2m");
  EXPECT_EQ(cfg.sources.at("AuthType"), Source::kConnectionString);
  // AuthMech alone leaves the default chain.
  EXPECT_EQ(Resolve("AuthMech=11").auth_type, AuthType::kAuto);
}

TEST_F(ResolveTest, DatabricksOdbcStyleConnectionString) {
  ConnectionConfig cfg =
      Resolve("Host=h;AuthMech=11;Auth_Flow=1;Auth_Client_ID=cid;Auth_Client_Secret={s;ec}");
  EXPECT_EQ(cfg.auth_type, AuthType::kOAuthM2M);
  EXPECT_EQ(cfg.client_id, "cid");
  EXPECT_EQ(cfg.client_secret.Reveal(), "s;ec");
  cfg = Resolve("AuthMech=11;Auth_Flow=0;Auth_AccessToken=tok");
  EXPECT_EQ(cfg.auth_type, AuthType::kAccessToken);
  EXPECT_EQ(cfg.access_token.Reveal(), "tok");
  cfg = Resolve("AuthMech=11;Auth_Flow=2;OAuth2RedirectUrlPort=8100");
  EXPECT_EQ(cfg.auth_type, AuthType::kOAuthU2M);
  EXPECT_EQ(ConfigInt(cfg, "OAuthRedirectPort"), 8100);
}

TEST_F(ResolveTest, AuthFlowVersusAuthTypeByPrecedence) {
  // Auth_Flow in the connection string beats AuthType from the DSN and the environment.
  dsns_["Mine"] = {{"AuthType", "pat"}};
  EXPECT_EQ(Resolve("DSN=Mine;Auth_Flow=1").auth_type, AuthType::kOAuthM2M);
  env_ = {{"DATABRICKS_AUTH_TYPE", "pat"}};
  EXPECT_EQ(Resolve("Auth_Flow=2").auth_type, AuthType::kOAuthU2M);
  // AuthType in the connection string beats Auth_Flow from the DSN.
  dsns_["Mine"] = {{"Auth_Flow", "1"}};
  EXPECT_EQ(Resolve("DSN=Mine;AuthType=pat").auth_type, AuthType::kPat);
  // Both at the same level: AuthType wins, with a warning when they disagree.
  ConnectionConfig cfg = Resolve("AuthType=pat;Auth_Flow=1");
  EXPECT_EQ(cfg.auth_type, AuthType::kPat);
  ASSERT_EQ(cfg.warnings.size(), 1u);
  EXPECT_NE(cfg.warnings[0].find("Auth_Flow"), std::string::npos);
  EXPECT_TRUE(Resolve("AuthType=oauth-m2m;Auth_Flow=1").warnings.empty());
}

TEST_F(ResolveTest, SourcesCoverEverySetKey) {
  dsns_["Mine"] = {{"Database", "d"}};
  env_ = {{"PGUSER", "u"}};
  ConnectionConfig cfg = Resolve("DSN=Mine;Host=h");
  EXPECT_EQ(cfg.sources.at("DSN"), Source::kConnectionString);
  EXPECT_EQ(cfg.sources.at("Host"), Source::kConnectionString);
  EXPECT_EQ(cfg.sources.at("Database"), Source::kDsn);
  EXPECT_EQ(cfg.sources.at("UID"), Source::kEnvironment);
  EXPECT_EQ(cfg.sources.at("PoolMaxSize"), Source::kDefault);
  EXPECT_EQ(cfg.sources.count("Endpoint"), 0u);
}

TEST_F(ResolveTest, LoggingKeys) {
  env_ = {{"LAKEBASE_ODBC_LOGLEVEL", "debug"}, {"LAKEBASE_ODBC_LOGFILE", "/tmp/l.log"}};
  ConnectionConfig cfg = Resolve("");
  EXPECT_EQ(cfg.log_level, "debug");
  EXPECT_EQ(cfg.log_file, "/tmp/l.log");
  EXPECT_EQ(Resolve("LogLevel=TRACE").log_level, "trace");
}

TEST_F(ResolveTest, BriefSignatureOverloadWorks) {
  EnvLookup env = [](std::string_view n) -> std::optional<std::string> {
    if (n == "PGHOST") return "from-env";
    return std::nullopt;
  };
  DsnReader dsn = [](std::string_view) { return std::optional<DsnEntries>(); };
  EXPECT_EQ(ResolveConfig(Attributes{}, env, dsn).host, "from-env");
}

// --- ValidateForConnect ---------------------------------------------------------------------

class ValidateTest : public ResolveTest {
 protected:
  void SetUp() override {
    env_["HOME"] = "/nonexistent-home";
    // Validation checks certificate files on disk: fill in no (fake) bundle here.
    existing_files_.clear();
  }

  std::string ValidateError(std::string_view conn_str, std::string* state = nullptr,
                            std::string* key = nullptr) {
    ConnectionConfig cfg = Resolve(conn_str);
    try {
      ValidateForConnect(cfg, Options().env);
    } catch (const ConfigError& e) {
      if (state) *state = e.sqlstate();
      if (key) *key = e.key();
      return e.what();
    }
    ADD_FAILURE() << "valid: " << conn_str;
    return "";
  }
  void ExpectValid(std::string_view conn_str) {
    ConnectionConfig cfg = Resolve(conn_str);
    EXPECT_NO_THROW(ValidateForConnect(cfg, Options().env)) << conn_str;
  }

  static constexpr const char* kEp = "Endpoint=projects/p/branches/b/endpoints/e;";
  static constexpr const char* kWs = "Workspace=adb-1.azuredatabricks.net;";
};

TEST_F(ValidateTest, NoHostNamesHostEndpointAndTheirVariables) {
  std::string state, key;
  std::string e = ValidateError("", &state, &key);
  EXPECT_EQ(state, "08001");
  EXPECT_EQ(key, "Host");
  EXPECT_NE(e.find("[Lakebase ODBC] No host: set Host (or PGHOST), or Endpoint (or "
                   "LAKEBASE_ENDPOINT) with Workspace (DATABRICKS_HOST)"),
            std::string::npos)
      << e;
}

TEST_F(ValidateTest, OAuthNeedsEndpointOrInstanceAndWorkspace) {
  std::string key;
  std::string e = ValidateError("Host=h;Token=t", nullptr, &key);
  EXPECT_EQ(key, "Endpoint");
  EXPECT_NE(e.find("LAKEBASE_ENDPOINT"), std::string::npos) << e;
  e = ValidateError(std::string(kEp) + "Token=t", nullptr, &key);
  EXPECT_EQ(key, "Workspace");
  EXPECT_NE(e.find("DATABRICKS_HOST"), std::string::npos) << e;
  EXPECT_NE(e.find("e.g. Workspace=https://"), std::string::npos) << e;
  ExpectValid(std::string(kEp) + kWs + "Token=t");
  ExpectValid(std::string(kWs) + "Instance=inst;Token=t");
  ExpectValid(std::string(kEp) + kWs);  // auto chain may still find the CLI
}

TEST_F(ValidateTest, AProfileMaySupplyTheWorkspaceAndCredentials) {
  ExpectValid(std::string(kEp) + "Profile=prod");
  ExpectValid(std::string(kEp) + "ConfigFile=/etc/databrickscfg;AuthType=pat");
  ExpectValid(std::string(kEp) + "AuthType=databricks-cli");
  // ~/.databrickscfg in HOME counts too.
  auto home = std::filesystem::temp_directory_path() /
              ("setup-validate-home-" + std::to_string(::getpid()));
  std::filesystem::create_directories(home);
  std::ofstream(home / ".databrickscfg") << "[DEFAULT]\nhost = https://x\n";
  env_["HOME"] = home.string();
  ExpectValid(std::string(kEp) + "AuthType=oauth-m2m");
  std::filesystem::remove_all(home);
}

TEST_F(ValidateTest, PerAuthTypeCredentials) {
  std::string key;
  std::string e = ValidateError(std::string(kEp) + kWs + "AuthType=pat", nullptr, &key);
  EXPECT_EQ(key, "Token");
  EXPECT_NE(e.find("DATABRICKS_TOKEN"), std::string::npos) << e;
  e = ValidateError(std::string(kEp) + kWs + "AuthType=oauth-m2m;ClientId=c", nullptr, &key);
  EXPECT_EQ(key, "ClientSecret");
  EXPECT_NE(e.find("DATABRICKS_CLIENT_SECRET"), std::string::npos) << e;
  e = ValidateError(std::string(kEp) + kWs + "AuthType=oauth-m2m", nullptr, &key);
  EXPECT_EQ(key, "ClientId");
  e = ValidateError(std::string(kEp) + kWs + "AuthMech=11;Auth_Flow=0", nullptr, &key);
  EXPECT_EQ(key, "AccessToken");
  ExpectValid(std::string(kEp) + kWs + "AuthType=oauth-m2m;ClientId=c;ClientSecret=s");
  ExpectValid(std::string(kEp) + kWs + "AuthMech=11;Auth_Flow=0;Auth_AccessToken=t");
  ExpectValid(std::string(kEp) + kWs + "AuthType=oauth-u2m");
}

TEST_F(ValidateTest, NativePassword) {
  std::string key;
  ValidateError("Host=h;AuthType=password;UID=u", nullptr, &key);
  EXPECT_EQ(key, "PWD");
  ValidateError("Host=h;AuthType=password;PWD=p", nullptr, &key);
  EXPECT_EQ(key, "UID");
  ValidateError(std::string(kEp) + kWs + "AuthType=password;PWD=p;UID=u", nullptr, &key);
  EXPECT_EQ(key, "Host");
  ExpectValid("Host=h;AuthType=password;UID=u;PWD=p");
  // The default chain takes a given password first: no workspace needed.
  ExpectValid("Host=h;UID=u;PWD=p");
}

TEST_F(ValidateTest, EndpointShapeAndExclusivity) {
  std::string state, key;
  std::string e = ValidateError(std::string(kWs) + "Endpoint=primary", &state, &key);
  EXPECT_EQ(state, "HY024");
  EXPECT_EQ(key, "Endpoint");
  EXPECT_NE(e.find("projects/<project>/branches/<branch>/endpoints/<endpoint>"), std::string::npos);
  for (auto bad : {"projects/p/branches/b/endpoints/", "projects/p/branches/b",
                   "projects//branches/b/endpoints/e", "project/p/branches/b/endpoints/e",
                   "projects/p/branches/b/endpoints/e/x"}) {
    ValidateError(std::string(kWs) + "Endpoint=" + bad, &state);
    EXPECT_EQ(state, "HY024") << bad;
  }
  ValidateError(std::string(kEp) + kWs + "Instance=i", &state, &key);
  EXPECT_EQ(state, "HY024");
}

TEST_F(ValidateTest, WorkspaceMustBeHttpsExceptOnLoopback) {
  std::string state;
  std::string e = ValidateError(std::string(kEp) + "Workspace=http://adb-1.example.com", &state);
  EXPECT_EQ(state, "HY024");
  EXPECT_NE(e.find("https://"), std::string::npos);
  ExpectValid(std::string(kEp) + "Workspace=http://127.0.0.1:8080");
  ExpectValid(std::string(kEp) + "Workspace=http://localhost:8080");
  ValidateError(std::string(kEp) + "Workspace=http://localhost.evil.com", &state);
  EXPECT_EQ(state, "HY024");
}

TEST_F(ValidateTest, CertificateFilesMustExist) {
  std::string key;
  std::string e = ValidateError("Host=h;PWD=p;SSLRootCert=/no/such/ca.pem", nullptr, &key);
  EXPECT_EQ(key, "SSLRootCert");
  EXPECT_NE(e.find("PGSSLROOTCERT"), std::string::npos) << e;
  ValidateError("Host=h;PWD=p;WorkspaceCAFile=/no/such/ca.pem", nullptr, &key);
  EXPECT_EQ(key, "WorkspaceCAFile");
}

TEST_F(ValidateTest, PoolSizes) {
  std::string key;
  ValidateError("Host=h;PWD=p;PoolMinIdle=5;PoolMaxSize=2", nullptr, &key);
  EXPECT_EQ(key, "PoolMinIdle");
  ExpectValid("Host=h;PWD=p;PoolMinIdle=2;PoolMaxSize=2");
}

TEST_F(ValidateTest, MessagesNeverContainSecrets) {
  for (std::string cs : {"Token=SECRET-T;AuthType=pat", "PWD=SECRET-P;AuthType=password",
                         "ClientSecret=SECRET-C;AuthType=oauth-m2m"}) {
    ConnectionConfig cfg = Resolve(cs);
    try {
      ValidateForConnect(cfg, Options().env);
    } catch (const ConfigError& e) {
      EXPECT_EQ(std::string(e.what()).find("SECRET"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace lakebase::setup

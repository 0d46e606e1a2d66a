#include "setup/keywords.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "setup/config.h"

namespace lakebase::setup {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

TEST(KeywordTable, EveryNameAndAliasIsUnique) {
  std::set<std::string> seen;
  for (const Keyword& k : AllKeywords()) {
    EXPECT_TRUE(seen.insert(Lower(k.name)).second) << k.name;
    for (auto alias : k.aliases) EXPECT_TRUE(seen.insert(Lower(alias)).second) << alias;
  }
}

TEST(KeywordTable, EveryKeyIsDocumentedWithAValidExampleAndDefault) {
  for (const Keyword& k : AllKeywords()) {
    SCOPED_TRACE(std::string(k.name));
    EXPECT_FALSE(k.help.empty());
    EXPECT_FALSE(k.example.empty());
    EXPECT_EQ(k.help.find('\n'), std::string_view::npos);
    // The example must be accepted by the key's own type (braces are connection-string quoting).
    std::string_view example = k.example;
    if (example.front() == '{') example = example.substr(1, example.size() - 2);
    EXPECT_TRUE(NormaliseValue(k, example).has_value()) << example;
    if (!k.default_value.empty()) {
      EXPECT_TRUE(NormaliseValue(k, k.default_value).has_value());
    }
    if (k.type == KeyType::kEnum) {
      EXPECT_FALSE(k.allowed_values.empty());
    }
    if (k.type == KeyType::kInt || k.type == KeyType::kSeconds) {
      EXPECT_LE(k.min_value, k.max_value);
    }
    if (k.sensitive) {
      EXPECT_TRUE(k.default_value.empty()) << "a secret has no default";
    }
  }
}

TEST(KeywordTable, HasEveryKeyTheBriefAndLakebaseMdName) {
  for (std::string_view name : {"Driver",
                                "DSN",
                                "Endpoint",
                                "Host",
                                "Port",
                                "Database",
                                "UID",
                                "PWD",
                                "SSLMode",
                                "SSLRootCert",
                                "Workspace",
                                "AuthType",
                                "Token",
                                "ClientId",
                                "ClientSecret",
                                "AccessToken",
                                "UserAccessToken",
                                "Profile",
                                "ConfigFile",
                                "Instance",
                                "ApplicationName",
                                "Pooling",
                                "ConnectTimeout",
                                "LogLevel",
                                "LogFile",
                                "WorkspaceCAFile",
                                "PoolMaxSize",
                                "PoolMinIdle",
                                "PoolIdleTimeout",
                                "PoolMaxLifetime",
                                "LoginRetries",
                                "TokenRefreshMargin",
                                "TokenCache",
                                "TokenCacheDir",
                                "OAuthRedirectPort",
                                "FetchSize",
                                "MaxVarcharSize",
                                "TextAsLongVarchar",
                                "BoolsAsChar",
                                "LogMaxSize",
                                "LogMaxFiles",
                                "QueryTimeout",
                                "AuthMech",
                                "Auth_Flow",
                                "OAuthScope"}) {
    const Keyword* k = FindKeyword(name);
    ASSERT_NE(k, nullptr) << name;
    EXPECT_EQ(k->name, name);
  }
}

TEST(KeywordTable, DefaultsMatchTheConfigStructAndTheBrief) {
  ConnectionConfig cfg;
  EXPECT_EQ(GetKeyword("Port").default_value, std::to_string(cfg.port));
  EXPECT_EQ(GetKeyword("Database").default_value, cfg.database);
  EXPECT_EQ(GetKeyword("SSLMode").default_value, cfg.ssl_mode);
  EXPECT_EQ(GetKeyword("ApplicationName").default_value, cfg.application_name);
  EXPECT_EQ(GetKeyword("ConnectTimeout").default_value,
            std::to_string(cfg.connect_timeout.count()));
  EXPECT_EQ(GetKeyword("Pooling").default_value, cfg.pooling ? "1" : "0");
  EXPECT_EQ(GetKeyword("AuthType").default_value, AuthTypeName(cfg.auth_type));
  EXPECT_EQ(GetKeyword("PoolMaxSize").default_value, "10");
  EXPECT_EQ(GetKeyword("PoolMinIdle").default_value, "0");
  EXPECT_EQ(GetKeyword("PoolIdleTimeout").default_value, "300");
  EXPECT_EQ(GetKeyword("PoolMaxLifetime").default_value, "2700");
  EXPECT_EQ(GetKeyword("LoginRetries").default_value, "10");
  EXPECT_EQ(GetKeyword("TokenRefreshMargin").default_value, "300");
  EXPECT_EQ(GetKeyword("TokenCache").default_value, "memory");
  EXPECT_EQ(GetKeyword("OAuthRedirectPort").default_value, "8020");
  EXPECT_EQ(GetKeyword("FetchSize").default_value, "1000");
  EXPECT_EQ(GetKeyword("MaxVarcharSize").default_value, "255");
  EXPECT_EQ(GetKeyword("TextAsLongVarchar").default_value, "1");
  EXPECT_EQ(GetKeyword("BoolsAsChar").default_value, "0");
}

TEST(KeywordTable, SensitiveKeysAreExactlyTheSecrets) {
  std::set<std::string> sensitive;
  for (const Keyword& k : AllKeywords()) {
    if (k.sensitive) sensitive.insert(std::string(k.name));
  }
  EXPECT_EQ(sensitive, (std::set<std::string>{"PWD", "Token", "ClientSecret", "AccessToken",
                                              "UserAccessToken"}));
}

TEST(KeywordTable, EnvironmentFallbacks) {
  auto env = [](std::string_view name) {
    return std::vector<std::string_view>(GetKeyword(name).env_vars);
  };
  EXPECT_EQ(env("Host"), std::vector<std::string_view>{"PGHOST"});
  EXPECT_EQ(env("Port"), std::vector<std::string_view>{"PGPORT"});
  EXPECT_EQ(env("Database"), std::vector<std::string_view>{"PGDATABASE"});
  EXPECT_EQ(env("UID"), std::vector<std::string_view>{"PGUSER"});
  EXPECT_EQ(env("PWD"), std::vector<std::string_view>{"PGPASSWORD"});
  EXPECT_EQ(env("SSLMode"), std::vector<std::string_view>{"PGSSLMODE"});
  EXPECT_EQ(env("SSLRootCert"), std::vector<std::string_view>{"PGSSLROOTCERT"});
  EXPECT_EQ(env("ApplicationName"), std::vector<std::string_view>{"PGAPPNAME"});
  EXPECT_EQ(env("Endpoint"), std::vector<std::string_view>{"LAKEBASE_ENDPOINT"});
  EXPECT_EQ(env("Workspace"), std::vector<std::string_view>{"DATABRICKS_HOST"});
  EXPECT_EQ(env("Token"), std::vector<std::string_view>{"DATABRICKS_TOKEN"});
  EXPECT_EQ(env("ClientId"), std::vector<std::string_view>{"DATABRICKS_CLIENT_ID"});
  EXPECT_EQ(env("ClientSecret"), std::vector<std::string_view>{"DATABRICKS_CLIENT_SECRET"});
  EXPECT_EQ(env("AuthType"), std::vector<std::string_view>{"DATABRICKS_AUTH_TYPE"});
  EXPECT_EQ(env("Profile"), std::vector<std::string_view>{"DATABRICKS_CONFIG_PROFILE"});
  EXPECT_EQ(env("ConfigFile"), std::vector<std::string_view>{"DATABRICKS_CONFIG_FILE"});
  // DATABRICKS_CLIENT_ID is a user-name fallback only in auth/, never through UID.
  for (const Keyword& k : AllKeywords()) {
    for (auto var : k.env_vars) {
      if (var == "DATABRICKS_CLIENT_ID") {
        EXPECT_EQ(k.name, "ClientId");
      }
    }
  }
}

TEST(FindKeyword, CaseInsensitiveNamesAndAliases) {
  EXPECT_EQ(FindKeyword("host")->name, "Host");
  EXPECT_EQ(FindKeyword("SERVER")->name, "Host");
  EXPECT_EQ(FindKeyword("  server  ")->name, "Host");
  EXPECT_EQ(FindKeyword("dbname")->name, "Database");
  EXPECT_EQ(FindKeyword("user")->name, "UID");
  EXPECT_EQ(FindKeyword("UserName")->name, "UID");
  EXPECT_EQ(FindKeyword("password")->name, "PWD");
  EXPECT_EQ(FindKeyword("databrickshost")->name, "Workspace");
  EXPECT_EQ(FindKeyword("AUTH_CLIENT_ID")->name, "ClientId");
  EXPECT_EQ(FindKeyword("auth_client_secret")->name, "ClientSecret");
  EXPECT_EQ(FindKeyword("Auth_AccessToken")->name, "AccessToken");
  EXPECT_EQ(FindKeyword("Auth_Scope")->name, "OAuthScope");
  EXPECT_EQ(FindKeyword("OAuth2RedirectUrlPort")->name, "OAuthRedirectPort");
  EXPECT_EQ(FindKeyword("nosuchkey"), nullptr);
  EXPECT_EQ(FindKeyword(""), nullptr);
  EXPECT_THROW(GetKeyword("nosuchkey"), std::logic_error);
}

TEST(ParseBool, AcceptsTheUsualSpellings) {
  for (auto t : {"1", "yes", "YES", "true", "True", "on", "ON", " on "}) {
    EXPECT_EQ(ParseBool(t), true) << t;
  }
  for (auto f : {"0", "no", "No", "false", "FALSE", "off", "Off"}) {
    EXPECT_EQ(ParseBool(f), false) << f;
  }
  for (auto bad : {"", "2", "y", "n", "yess", "enable", "-1", "truee"}) {
    EXPECT_EQ(ParseBool(bad), std::nullopt) << bad;
  }
}

TEST(NormaliseValue, Types) {
  EXPECT_EQ(NormaliseValue(GetKeyword("Pooling"), "Yes"), "1");
  EXPECT_EQ(NormaliseValue(GetKeyword("Pooling"), "off"), "0");
  EXPECT_EQ(NormaliseValue(GetKeyword("Pooling"), "maybe"), std::nullopt);
  EXPECT_EQ(NormaliseValue(GetKeyword("Port"), "5433"), "5433");
  EXPECT_EQ(NormaliseValue(GetKeyword("Port"), " +5433 "), "5433");
  EXPECT_EQ(NormaliseValue(GetKeyword("Port"), "0"), std::nullopt);
  EXPECT_EQ(NormaliseValue(GetKeyword("Port"), "65536"), std::nullopt);
  EXPECT_EQ(NormaliseValue(GetKeyword("Port"), "54x"), std::nullopt);
  EXPECT_EQ(NormaliseValue(GetKeyword("Port"), ""), std::nullopt);
  EXPECT_EQ(NormaliseValue(GetKeyword("Port"), "99999999999999999999999"), std::nullopt);
  EXPECT_EQ(NormaliseValue(GetKeyword("SSLMode"), "VERIFY-FULL"), "verify-full");
  EXPECT_EQ(NormaliseValue(GetKeyword("SSLMode"), "verify_full"), std::nullopt);
  EXPECT_EQ(NormaliseValue(GetKeyword("LogLevel"), "Debug"), "debug");
  EXPECT_EQ(NormaliseValue(GetKeyword("LogLevel"), "verbose"), std::nullopt);
  EXPECT_EQ(NormaliseValue(GetKeyword("AuthType"), "OAuth-M2M"), "oauth-m2m");
  EXPECT_EQ(NormaliseValue(GetKeyword("AuthType"), "external-browser"), "oauth-u2m");
  EXPECT_EQ(NormaliseValue(GetKeyword("AuthType"), "azure-cli"), std::nullopt);
  EXPECT_EQ(NormaliseValue(GetKeyword("ConnectTimeout"), "30"), "30");
  EXPECT_EQ(NormaliseValue(GetKeyword("ConnectTimeout"), "30s"), "30");
  EXPECT_EQ(NormaliseValue(GetKeyword("ConnectTimeout"), "2m"), "120");
  EXPECT_EQ(NormaliseValue(GetKeyword("ConnectTimeout"), "1H"), "3600");
  EXPECT_EQ(NormaliseValue(GetKeyword("ConnectTimeout"), "2h"), std::nullopt);  // > 3600
  EXPECT_EQ(NormaliseValue(GetKeyword("ConnectTimeout"), "-1"), std::nullopt);
  EXPECT_EQ(NormaliseValue(GetKeyword("ConnectTimeout"), "s"), std::nullopt);
  EXPECT_EQ(NormaliseValue(GetKeyword("ConnectTimeout"), "1.5"), std::nullopt);
  EXPECT_EQ(NormaliseValue(GetKeyword("Host"), " h "), " h ");  // strings are kept as given
  EXPECT_EQ(NormaliseValue(GetKeyword("AuthMech"), "11"), "11");
  EXPECT_EQ(NormaliseValue(GetKeyword("AuthMech"), "3"), std::nullopt);
  EXPECT_EQ(NormaliseValue(GetKeyword("Auth_Flow"), "2"), "2");
  EXPECT_EQ(NormaliseValue(GetKeyword("Auth_Flow"), "3"), std::nullopt);
}

TEST(DescribeAccepted, NamesTheAcceptedValues) {
  EXPECT_EQ(DescribeAccepted(GetKeyword("Port")), "an integer from 1 to 65535");
  EXPECT_EQ(DescribeAccepted(GetKeyword("LogLevel")),
            "one of: off, error, warn, info, debug, trace");
  EXPECT_NE(DescribeAccepted(GetKeyword("Pooling")).find("yes/no"), std::string::npos);
}

TEST(IsSensitiveKey, KnownKeysByTableAndUnknownByName) {
  for (auto k : {"PWD", "pwd", "Password", "Token", "ClientSecret", "Auth_Client_Secret",
                 "AccessToken", "auth_accesstoken", "UserAccessToken"}) {
    EXPECT_TRUE(IsSensitiveKey(k)) << k;
  }
  for (auto k : {"MySecretThing", "api_token", "DbPassword", "x_pwd", "refresh_TOKEN",
                 "Credentials", "ApiKey"}) {
    EXPECT_TRUE(IsSensitiveKey(k)) << k;
  }
  // Known, non-secret keys whose names merely contain "token".
  for (auto k : {"TokenCache", "TokenCacheDir", "TokenRefreshMargin", "UID", "Host", "ClientId",
                 "Auth_Client_ID", "Unknown", "Workspace"}) {
    EXPECT_FALSE(IsSensitiveKey(k)) << k;
  }
}

TEST(AuthTypeNames, RoundTrip) {
  for (AuthType t : {AuthType::kAuto, AuthType::kPat, AuthType::kOAuthM2M, AuthType::kOAuthU2M,
                     AuthType::kDatabricksCli, AuthType::kAccessToken, AuthType::kPassword}) {
    EXPECT_EQ(ParseAuthType(AuthTypeName(t)), t);
  }
  EXPECT_EQ(ParseAuthType("PAT"), AuthType::kPat);
  EXPECT_EQ(ParseAuthType("external-browser"), AuthType::kOAuthU2M);
  EXPECT_EQ(ParseAuthType("nope"), std::nullopt);
}

}  // namespace
}  // namespace lakebase::setup

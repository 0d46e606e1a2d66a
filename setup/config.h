// The resolved configuration of one connection: every DSN keyword, after the connection string,
// the DSN in odbc.ini, the environment and the defaults have been applied (in that order of
// precedence). Built by setup::ResolveConfig; consumed by auth/ and driver/.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/secret.h"

namespace lakebase::setup {

enum class AuthType {
  kAuto,           // the default chain: native password, passed-in token, PAT, M2M, CLI
  kPat,            // pat
  kOAuthM2M,       // oauth-m2m
  kOAuthU2M,       // oauth-u2m
  kDatabricksCli,  // databricks-cli
  kAccessToken,    // access-token (passed in, cannot be renewed)
  kPassword,       // password (native Postgres password, no OAuth)
};

// Where a value came from; the `check` tool prints it and errors name it.
enum class Source { kDefault, kEnvironment, kDsn, kConnectionString, kAttribute };

struct ConnectionConfig {
  std::string dsn;
  std::string driver;

  // PostgreSQL
  std::string endpoint;  // projects/p/branches/b/endpoints/e
  std::string instance;  // Lakebase Provisioned instance name
  std::string host;      // empty: resolved from endpoint/instance through the workspace API
  int port = 5432;
  std::string database = "databricks_postgres";
  std::string user;       // empty: resolved (PGUSER, DATABRICKS_CLIENT_ID, SCIM Me)
  SecretString password;  // native Postgres password
  std::string ssl_mode = "verify-full";
  std::string ssl_root_cert;  // empty: the system CA bundle
  std::string application_name = "lakebase-odbc";

  // Databricks workspace
  std::string workspace;  // normalised: https://host, no trailing '/'
  AuthType auth_type = AuthType::kAuto;
  SecretString token;  // PAT
  std::string client_id;
  SecretString client_secret;
  SecretString access_token;       // passed-in workspace OAuth token
  SecretString user_access_token;  // on-behalf-of user token
  std::string profile;
  std::string config_file;
  std::string workspace_ca_file;

  // Driver behaviour
  bool pooling = true;
  std::chrono::seconds connect_timeout{10};
  std::string log_level;  // empty: unchanged
  std::string log_file;

  // Keywords the driver does not know (each becomes a 01S00 warning), canonical-cased as given.
  std::vector<std::string> unknown_keys;
  // Things the user should know that did not stop resolution (a DSN that fell back to DEFAULT, no
  // system CA bundle found, AuthType overriding Auth_Flow); the driver posts each as a warning.
  // Never contains a secret.
  std::vector<std::string> warnings;
  // Every keyword that has a value, by canonical name, with where the value came from
  // (Source::kDefault for a default, or a value derived from one like the system CA bundle).
  std::map<std::string, Source> sources;
  // Every non-sensitive keyword's final value by canonical name (including keys later issues add:
  // pool sizes, token cache, ...). Sensitive keys (PWD, Token, ClientSecret, AccessToken,
  // UserAccessToken) are never stored here, only in their SecretString fields.
  std::map<std::string, std::string> raw;
};

// "auto", "pat", "oauth-m2m", ...: the AuthType keyword's spelling.
std::string_view AuthTypeName(AuthType type);
// The inverse (case-insensitive; also the Databricks SDK's "external-browser"); nullopt if unknown.
std::optional<AuthType> ParseAuthType(std::string_view name);

}  // namespace lakebase::setup

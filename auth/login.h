// What the driver needs to open a PostgreSQL session for a configuration: the resolved host and
// user, and either a token provider (OAuth database credentials) or a native password.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "auth/token.h"
#include "common/secret.h"
#include "setup/config.h"

namespace lakebase::auth {

struct LoginPlan {
  std::string host;  // resolved from Endpoint/Instance through the workspace API when not set
  int port = 5432;
  std::string user;      // explicit, PGUSER (already in config), DATABRICKS_CLIENT_ID, SCIM Me
  std::string identity;  // non-secret: "<auth method>:<workspace>:<principal>"; pool/cache key part
  std::shared_ptr<TokenProvider> tokens;  // null for AuthType::kPassword
  SecretString password;                  // the native password when tokens is null
};

// Resolves the credential chain for cfg. May call the workspace API (endpoint lookup, SCIM Me,
// OAuth), all bounded by deadline. The TokenProvider returned is the process-wide cached one for
// (workspace, endpoint or instance, identity): single-flight minting, refresh ahead of expiry.
// Throws AuthError.
LoginPlan PlanLogin(const setup::ConnectionConfig& cfg,
                    std::chrono::steady_clock::time_point deadline);

class AuthContext;  // auth/context.h
// The same against an explicit context: the seam tests use to inject a fake HttpClient and
// Clock (and get caches of their own).
LoginPlan PlanLogin(const setup::ConnectionConfig& cfg,
                    std::chrono::steady_clock::time_point deadline, AuthContext& context);

// An application hands in a new passed-in access token (ODBC 4.0 SQL_ATTR_CREDENTIALS, then
// SQL_ATTR_REFRESH_CONNECTION): it replaces cfg's UserAccessToken when that is set, else its
// AccessToken, and drops the cached providers of the old token. Open sessions are unaffected
// (Lakebase checks a credential only at login); the next PlanLogin(cfg) mints with the new
// token. Throws AuthError(kExpired) for a JWT that has already expired and
// AuthError(kConfiguration) for an empty one, leaving cfg unchanged.
void ReplacePassedInToken(setup::ConnectionConfig& cfg, SecretString token);
void ReplacePassedInToken(setup::ConnectionConfig& cfg, SecretString token, AuthContext& context);

// The login method the credential chain picks for cfg, without any I/O (the `check` tool and
// tests use it). kAuto never comes back. Throws AuthError(kConfiguration) naming the missing key
// and its environment variable when a forced AuthType lacks an ingredient, or when nothing in
// cfg can log in.
setup::AuthType ResolveAuthType(const setup::ConnectionConfig& cfg);

}  // namespace lakebase::auth

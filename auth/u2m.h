// OAuth U2M: the browser sign-in of a person (authorization code with PKCE S256, client id
// databricks-cli, redirect to a loopback listener; LAKEBASE.md section 4). The refresh token is
// kept in the token cache directory, so a user signs in once and later connects (in this process
// or the next) renew the access token silently with grant_type=refresh_token.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "auth/platform.h"
#include "auth/workspace_client.h"
#include "auth/workspace_token.h"

namespace lakebase::auth {

struct Pkce {
  std::string verifier;   // 43 characters of base64url (32 random bytes)
  std::string challenge;  // BASE64URL(SHA256(verifier)), method S256
};
Pkce MakePkce();
std::string PkceChallenge(std::string_view verifier);

// The query parameters of a request target ("/?code=a&state=b"), decoded; a parameter given
// twice keeps its first value (a second "state" cannot override the first).
std::map<std::string, std::string> ParseQuery(std::string_view target);

// Escapes text for an HTML page (the listener echoes what the redirect carried).
std::string HtmlEscape(std::string_view text);

struct OAuthEndpoints {
  std::string authorization_endpoint;  // absolute URL, opened in the browser
  std::string token_path;              // path on the workspace ("/oidc/v1/token")
};

// GET {ws}/oidc/.well-known/oauth-authorization-server. The token endpoint must be on the
// workspace itself (codes and refresh tokens are sent there); when discovery is not available
// the documented /oidc/v1/authorize and /oidc/v1/token are used.
OAuthEndpoints DiscoverOAuthEndpoints(const WorkspaceClient& client,
                                      std::chrono::steady_clock::time_point deadline,
                                      std::stop_token stop);

struct U2MOptions {
  std::string client_id = "databricks-cli";
  std::string scopes = "all-apis offline_access";
  int first_port = 8020;  // OAuthRedirectPort; the next free one up to +20 is taken
  int port_span = 20;
  // Where the refresh token is kept (TokenCacheDir or the default); empty: memory only.
  std::string cache_dir;
};

class U2MTokenSource final : public WorkspaceTokenSource {
 public:
  static constexpr std::chrono::seconds kRefreshMargin{40};
  static constexpr std::chrono::seconds kNoRepromptWindow{10};

  U2MTokenSource(std::shared_ptr<WorkspaceClient> client, std::shared_ptr<Platform> platform,
                 U2MOptions options);
  WorkspaceToken Get(std::chrono::steady_clock::time_point deadline, std::stop_token stop) override;
  void Invalidate(const SecretString& rejected) override;
  bool CanRenew() const override { return true; }
  setup::AuthType Method() const override { return setup::AuthType::kOAuthU2M; }
  std::string Principal() const override { return options_.client_id; }

  // The file the session (refresh token) of this workspace and client id is kept in; its name is
  // a hash of both, never a secret. Empty without a cache directory.
  std::string SessionFile() const;

  struct Stats {
    int browser_sign_ins = 0;
    int refreshes = 0;
    int loaded_from_file = 0;
  };
  Stats stats() const;

 private:
  struct Session {
    SecretString access_token;
    std::optional<std::chrono::system_clock::time_point> expires_at;
    std::optional<std::chrono::system_clock::time_point> issued_at;
    SecretString refresh_token;
    bool Fresh(std::chrono::system_clock::time_point now) const {
      return !access_token.empty() && FreshEnough(expires_at, issued_at, now, kRefreshMargin);
    }
  };
  WorkspaceToken Fetch(std::chrono::steady_clock::time_point deadline, std::stop_token stop);
  std::optional<Session> LoadSession();
  void SaveSession(const Session& session);
  void ForgetSession();
  // grant_type=refresh_token; nullopt when the server rejected the refresh token.
  std::optional<Session> Refresh(const SecretString& refresh_token,
                                 std::chrono::steady_clock::time_point deadline,
                                 std::stop_token stop);
  Session BrowserSignIn(std::chrono::steady_clock::time_point deadline, std::stop_token stop);
  Session ParseTokenResponse(const HttpResponse& response, const std::string& action,
                             std::chrono::system_clock::time_point requested_at,
                             const SecretString& previous_refresh);
  const OAuthEndpoints& Endpoints(std::chrono::steady_clock::time_point deadline,
                                  std::stop_token stop);

  std::shared_ptr<WorkspaceClient> client_;
  std::shared_ptr<Platform> platform_;
  U2MOptions options_;

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool fetching_ = false;
  std::optional<Session> session_;
  std::optional<OAuthEndpoints> endpoints_;
  // A browser sign-in that just failed or timed out is not started again at once: some clients
  // (pyodbc) repeat a failed SQLDriverConnectW as SQLDriverConnect, which would open a second
  // browser tab and double the wait.
  std::optional<std::pair<std::chrono::steady_clock::time_point, AuthError>> last_failure_;
  Stats stats_;
};

}  // namespace lakebase::auth

// Workspace credentials: where the bearer for the workspace REST API comes from (LAKEBASE.md
// section 4). The database credential is then minted with that bearer (auth/credential.h).
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>

#include "auth/workspace_client.h"
#include "common/secret.h"
#include "setup/config.h"

namespace lakebase::auth {

struct WorkspaceToken {
  SecretString value;
  std::optional<std::chrono::system_clock::time_point> expires_at;  // nullopt: unknown
  bool from_cache = false;
  // When it was obtained (nullopt: unknown); with expires_at, its lifetime.
  std::optional<std::chrono::system_clock::time_point> issued_at;
};

// Whether a cached workspace token is still good to hand out at now: more than margin left,
// the margin capped at half the token's lifetime (a workspace that issues 30-second tokens must
// not make every call fetch a new one).
bool FreshEnough(const std::optional<std::chrono::system_clock::time_point>& expires_at,
                 const std::optional<std::chrono::system_clock::time_point>& issued_at,
                 std::chrono::system_clock::time_point now, std::chrono::seconds margin);

class WorkspaceTokenSource {
 public:
  virtual ~WorkspaceTokenSource() = default;
  // A bearer for the workspace API. Thread-safe. Throws AuthError.
  virtual WorkspaceToken Get(std::chrono::steady_clock::time_point deadline,
                             std::stop_token stop) = 0;
  // The workspace answered 401 to this bearer: drop it if it was cached.
  virtual void Invalidate(const SecretString& rejected) {}
  // Whether a rejected bearer can be replaced by a new one (false for PAT and passed-in tokens).
  virtual bool CanRenew() const { return false; }
  virtual setup::AuthType Method() const = 0;
  // Non-secret principal: client id for M2M, a short fingerprint for tokens.
  virtual std::string Principal() const = 0;
};

// "pat", "oauth-m2m", ...: the names setup parses for AuthType.
std::string_view AuthMethodName(setup::AuthType type);
// Short, non-secret name for identity strings: "pat", "m2m", "token", "password", ...
std::string_view AuthMethodTag(setup::AuthType type);
// First 8 hex digits of SHA-256(secret): tells two tokens apart without revealing either.
std::string Fingerprint(const SecretString& secret);

// A personal access token, used as the bearer as it is.
class PatTokenSource final : public WorkspaceTokenSource {
 public:
  explicit PatTokenSource(SecretString token) : token_(std::move(token)) {}
  WorkspaceToken Get(std::chrono::steady_clock::time_point, std::stop_token) override;
  setup::AuthType Method() const override { return setup::AuthType::kPat; }
  std::string Principal() const override { return Fingerprint(token_); }

 private:
  SecretString token_;
};

// A workspace OAuth access token handed to the driver (AccessToken / UserAccessToken). The
// driver cannot renew it: if it is a JWT its "exp" is read so an expired one fails fast with
// AuthErrorKind::kExpired instead of a confusing 401.
class AccessTokenSource final : public WorkspaceTokenSource {
 public:
  AccessTokenSource(SecretString token, std::shared_ptr<Clock> clock);
  WorkspaceToken Get(std::chrono::steady_clock::time_point, std::stop_token) override;
  setup::AuthType Method() const override { return setup::AuthType::kAccessToken; }
  std::string Principal() const override { return Fingerprint(token_); }
  std::optional<std::chrono::system_clock::time_point> expires_at() const { return expires_at_; }

 private:
  SecretString token_;
  std::shared_ptr<Clock> clock_;
  std::optional<std::chrono::system_clock::time_point> expires_at_;
};

// OAuth machine-to-machine (client credentials): POST {ws}/oidc/v1/token with HTTP Basic
// client_id:client_secret and grant_type=client_credentials&scope=all-apis. The access token is
// cached and replaced once less than kM2MRefreshMargin of it remains.
class M2MTokenSource final : public WorkspaceTokenSource {
 public:
  static constexpr std::chrono::seconds kM2MRefreshMargin{40};

  M2MTokenSource(std::shared_ptr<WorkspaceClient> client, std::string client_id,
                 SecretString client_secret);
  WorkspaceToken Get(std::chrono::steady_clock::time_point deadline, std::stop_token stop) override;
  void Invalidate(const SecretString& rejected) override;
  bool CanRenew() const override { return true; }
  setup::AuthType Method() const override { return setup::AuthType::kOAuthM2M; }
  std::string Principal() const override { return client_id_; }

 private:
  WorkspaceToken Fetch(std::chrono::steady_clock::time_point deadline, std::stop_token stop);

  std::shared_ptr<WorkspaceClient> client_;
  std::string client_id_;
  SecretString client_secret_;
  // Concurrent callers share one request: the first fetches (without holding the mutex), the
  // others wait on cv_ up to their own deadline.
  std::mutex mutex_;
  std::condition_variable cv_;
  bool fetching_ = false;
  std::optional<WorkspaceToken> cached_;
};

// Parses a JWT's "exp" claim without verifying the signature (only to know when it expires).
std::optional<std::chrono::system_clock::time_point> JwtExpiry(const std::string& token);

}  // namespace lakebase::auth

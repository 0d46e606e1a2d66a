// Tokens and the provider interface the driver logs in with (see DESIGN.md section 3).
// auth/ knows neither ODBC nor libpq.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>

#include "common/secret.h"

namespace lakebase::auth {

struct Token {
  SecretString value;
  std::chrono::system_clock::time_point expires_at{};
  // When it was minted (epoch when unknown): with expires_at, its lifetime, which scales the
  // refresh margin for short-lived tokens.
  std::chrono::system_clock::time_point issued_at{};
  bool from_cache = false;  // true when served from a cache: a rejection then earns one retry
};

// Why auth failed; driver/ maps it to an SQLSTATE.
enum class AuthErrorKind {
  kConfiguration,  // something missing or contradictory in the DSN (08001)
  kWorkspace,      // the workspace API refused or failed (08001), message carries its message
  kTimeout,        // the login timeout ran out while talking to the workspace (HYT00)
  kExpired,        // a passed-in token that cannot be renewed has expired (08006)
};

class AuthError : public std::runtime_error {
 public:
  AuthError(AuthErrorKind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  AuthErrorKind kind() const { return kind_; }

 private:
  AuthErrorKind kind_;
};

class TokenProvider {
 public:
  virtual ~TokenProvider() = default;
  // A token valid for at least min_validity. Thread-safe. Throws AuthError.
  virtual Token GetToken(std::chrono::seconds min_validity) = 0;
  // The same, but any HTTP it needs is bounded by deadline (the connection's login timeout); the
  // one-argument form uses the provider's own default timeout. Providers that never do I/O need
  // not override it.
  virtual Token GetToken(std::chrono::seconds min_validity,
                         std::chrono::steady_clock::time_point deadline) {
    return GetToken(min_validity);
  }
  // The server rejected this token: the next GetToken must not return it.
  virtual void Invalidate(const Token& rejected) = 0;
  // Non-secret identity, for cache and pool keys and logs.
  virtual std::string Identity() const = 0;
};

}  // namespace lakebase::auth

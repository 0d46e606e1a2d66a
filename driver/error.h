// Errors of the PostgreSQL engine. Server errors keep their SQLSTATE (PG_DIAG_SQLSTATE); failures
// of the connection itself are 08001 (connect) or 08S01 (communication link failure).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace lakebase::pg {

class PgError : public std::runtime_error {
 public:
  PgError(std::string sqlstate, const std::string& message)
      : std::runtime_error(message), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const { return sqlstate_; }

 private:
  std::string sqlstate_;
};

// Why a physical connect failed. libpq reports no SQLSTATE for a failed connection attempt, only
// CONNECTION_BAD and text, so this is decided from the message (EXAMPLES.md, "Tokens").
enum class ConnectFailure {
  kPasswordRejected,  // the server refused the password/token: invalidate it and retry once
  kRetryable,         // refused/reset/starting up/too many connections: retry with backoff
  kTimeout,           // the connect timeout ran out
  kOther,             // TLS verification, unknown host, missing role ...: fail now
};

// One function, one test table. used_password: PQconnectionUsedPassword().
ConnectFailure ClassifyConnectError(std::string_view message, bool used_password);

class ConnectError : public std::runtime_error {
 public:
  ConnectError(ConnectFailure failure, const std::string& message)
      : std::runtime_error(message), failure_(failure) {}
  ConnectFailure failure() const { return failure_; }

 private:
  ConnectFailure failure_;
};

// libpq's error text, trimmed of its trailing newline and of the "connection to server at ...
// failed: " noise that repeats for each address tried is kept (it names host and port).
std::string TrimMessage(std::string_view message);

}  // namespace lakebase::pg

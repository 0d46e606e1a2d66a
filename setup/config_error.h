// The one error type of the setup layer. The driver turns it into a diagnostic record with the
// SQLSTATE it suggests; the message already carries the "[Lakebase ODBC]" prefix, names the key
// (and its environment variable) and gives an example, and never contains a secret value.
#pragma once

#include <stdexcept>
#include <string>

namespace lakebase::setup {

// SQLSTATEs the setup layer suggests (ODBC 3.8 appendix A).
inline constexpr const char* kSqlStateGeneral = "HY000";        // malformed connection string
inline constexpr const char* kSqlStateInvalidValue = "HY024";   // a value of the wrong type/range
inline constexpr const char* kSqlStateCannotConnect = "08001";  // a required value is missing
inline constexpr const char* kSqlStateDsnNotFound = "IM002";    // DSN not in odbc.ini

class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string sqlstate, std::string key, const std::string& message)
      : std::runtime_error(message), sqlstate_(std::move(sqlstate)), key_(std::move(key)) {}

  const std::string& sqlstate() const { return sqlstate_; }
  // The canonical key the error is about; empty when it is about no single key.
  const std::string& key() const { return key_; }

 private:
  std::string sqlstate_;
  std::string key_;
};

}  // namespace lakebase::setup

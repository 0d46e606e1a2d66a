// Diagnostic records (ODBC 3.8, "Diagnostics" chapter). Every handle owns one Diagnostics.
#pragma once

#include <sql.h>
#include <sqlext.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace lakebase::odbc {

// Prefix every message with the component, as the spec asks of drivers ("[vendor][driver]").
inline constexpr std::string_view kMessagePrefix = "[Lakebase ODBC]";

struct DiagRecord {
  std::string sqlstate;  // 5 characters
  std::string message;   // UTF-8, already prefixed
  SQLINTEGER native_error = 0;
  SQLLEN row_number = SQL_NO_ROW_NUMBER;
  SQLINTEGER column_number = SQL_NO_COLUMN_NUMBER;
  std::string class_origin() const;  // "ISO 9075" or "ODBC 3.0" per the SQLSTATE
  std::string subclass_origin() const;
};

// An error that ends the current call with SQL_ERROR and one record.
class OdbcError : public std::runtime_error {
 public:
  OdbcError(std::string sqlstate, const std::string& message, SQLINTEGER native = 0)
      : std::runtime_error(message), sqlstate_(std::move(sqlstate)), native_(native) {}
  const std::string& sqlstate() const { return sqlstate_; }
  SQLINTEGER native() const { return native_; }

 private:
  std::string sqlstate_;
  SQLINTEGER native_;
};

class Diagnostics {
 public:
  void Clear() {
    records_.clear();
    row_count_ = 0;
    return_code_ = SQL_SUCCESS;
  }
  // Adds a record; the message gets the prefix if it lacks one.
  void Add(std::string_view sqlstate, std::string_view message, SQLINTEGER native = 0,
           SQLLEN row = SQL_NO_ROW_NUMBER, SQLINTEGER column = SQL_NO_COLUMN_NUMBER);
  void AddWarning(std::string_view sqlstate, std::string_view message) { Add(sqlstate, message); }
  bool HasWarnings() const { return !records_.empty(); }

  // Returns rc, turned into SQL_SUCCESS_WITH_INFO when records were posted on success.
  SQLRETURN Finish(SQLRETURN rc);
  SQLRETURN Post(const OdbcError& e);
  SQLRETURN Post(std::string_view sqlstate, std::string_view message);

  const std::vector<DiagRecord>& records() const { return records_; }
  std::vector<DiagRecord>& records() { return records_; }
  SQLLEN cursor_row_count = 0;  // SQL_DIAG_CURSOR_ROW_COUNT
  SQLLEN row_count_ = 0;        // SQL_DIAG_ROW_COUNT
  SQLRETURN return_code_ = SQL_SUCCESS;
  std::string dynamic_function;  // SQL_DIAG_DYNAMIC_FUNCTION
  SQLINTEGER dynamic_function_code = 0;

 private:
  std::vector<DiagRecord> records_;
};

}  // namespace lakebase::odbc

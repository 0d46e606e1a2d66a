#include "odbc/diag.h"

#include <array>

namespace lakebase::odbc {
namespace {

// SQLSTATEs that ODBC defines inside ISO classes (ODBC "SQLGetDiagField", SQL_DIAG_SUBCLASS_ORIGIN).
constexpr std::array<std::string_view, 20> kOdbcSubclasses = {
    "01S00", "01S01", "01S02", "01S06", "01S07", "07S01", "08S01", "21S01", "21S02", "25S01",
    "25S02", "25S03", "42S01", "42S02", "42S11", "42S12", "42S21", "42S22", "HY095", "HY097"};
constexpr std::array<std::string_view, 10> kOdbcHySubclasses = {
    "HY098", "HY099", "HY100", "HY101", "HY105", "HY107", "HY109", "HY110", "HY111", "HYC00"};

bool IsOdbcClass(std::string_view state) { return state.substr(0, 2) == "IM"; }

}  // namespace

std::string DiagRecord::class_origin() const {
  return IsOdbcClass(sqlstate) ? "ODBC 3.0" : "ISO 9075";
}

std::string DiagRecord::subclass_origin() const {
  std::string_view s = sqlstate;
  if (IsOdbcClass(s) || s.substr(0, 3) == "HYT") return "ODBC 3.0";
  for (auto v : kOdbcSubclasses)
    if (v == s) return "ODBC 3.0";
  for (auto v : kOdbcHySubclasses)
    if (v == s) return "ODBC 3.0";
  return "ISO 9075";
}

void Diagnostics::Add(std::string_view sqlstate, std::string_view message, SQLINTEGER native,
                      SQLLEN row, SQLINTEGER column) {
  DiagRecord r;
  r.sqlstate = std::string(sqlstate);
  if (message.substr(0, kMessagePrefix.size()) == kMessagePrefix) {
    r.message = std::string(message);
  } else {
    r.message.reserve(kMessagePrefix.size() + message.size());
    r.message.append(kMessagePrefix);
    r.message.append(message);
  }
  r.native_error = native;
  r.row_number = row;
  r.column_number = column;
  records_.push_back(std::move(r));
}

SQLRETURN Diagnostics::Finish(SQLRETURN rc) {
  if (rc == SQL_SUCCESS && !records_.empty()) rc = SQL_SUCCESS_WITH_INFO;
  return_code_ = rc;
  return rc;
}

SQLRETURN Diagnostics::Post(const OdbcError& e) {
  Add(e.sqlstate(), e.what(), e.native());
  return_code_ = SQL_ERROR;
  return SQL_ERROR;
}

SQLRETURN Diagnostics::Post(std::string_view sqlstate, std::string_view message) {
  Add(sqlstate, message);
  return_code_ = SQL_ERROR;
  return SQL_ERROR;
}

}  // namespace lakebase::odbc

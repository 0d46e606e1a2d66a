#include "odbc/diag.h"

namespace lakebase::odbc {

std::string DiagRecord::class_origin() const {
  // ODBC "SQLGetDiagField": class "IM" and ODBC-specific classes report "ODBC 3.0".
  if (sqlstate.size() >= 2 && sqlstate.compare(0, 2, "IM") == 0) return "ODBC 3.0";
  return "ISO 9075";
}

std::string DiagRecord::subclass_origin() const {
  static const char* const kOdbcStates[] = {
      "01S00", "01S01", "01S02", "01S06", "01S07", "07S01", "08S01", "21S01", "21S02",
      "25S01", "25S02", "25S03", "42S01", "42S02", "42S11", "42S12", "42S21", "42S22",
      "HY095", "HY097", "HY098", "HY099", "HY100", "HY101", "HY105", "HY107", "HY109",
      "HY110", "HY111", "HYT00", "HYT01", "IM001", "IM002", "IM003", "IM004", "IM005",
      "IM006", "IM007", "IM008", "IM010", "IM011", "IM012"};
  for (const char* s : kOdbcStates) {
    if (sqlstate == s) return "ODBC 3.0";
  }
  return "ISO 9075";
}

void Diagnostics::Add(std::string_view sqlstate, std::string_view message, SQLINTEGER native,
                      SQLLEN row, SQLINTEGER column) {
  DiagRecord r;
  r.sqlstate = std::string(sqlstate.substr(0, 5));
  if (r.sqlstate.size() < 5) r.sqlstate.resize(5, '0');
  if (message.substr(0, kMessagePrefix.size()) == kMessagePrefix) {
    r.message = std::string(message);
  } else {
    r.message.reserve(kMessagePrefix.size() + 1 + message.size());
    r.message.append(kMessagePrefix).append(" ").append(message);
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

// Helpers shared by the exported entry points: A and W differ only in how text comes in and out.
#pragma once

#include <sql.h>
#include <sqlext.h>
#include <sqlucode.h>

#include <string>
#include <string_view>

#include "odbc/diag.h"
#include "odbc/guard.h"
#include "odbc/handles.h"
#include "odbc/text.h"

namespace lakebase::odbc::api {

struct Narrow {
  using Char = SQLCHAR;
  static constexpr bool kWide = false;
  static std::string In(const SQLCHAR* s, SQLLEN n) { return NarrowIn(s, n); }
};
struct Wide {
  using Char = SQLWCHAR;
  static constexpr bool kWide = true;
  static std::string In(const SQLWCHAR* s, SQLLEN n) { return WideIn(s, n); }
};

// Output text whose buffer length and returned length count characters (SQLDescribeCol,
// SQLGetDiagRec, SQLDriverConnect...). Posts 01004 when truncated.
template <class E, class LenT>
void OutChars(Diagnostics& diag, std::string_view value, void* buffer, SQLLEN buffer_chars,
              LenT* out_len) {
  if (buffer_chars < 0) throw OdbcError("HY090", "invalid string or buffer length");
  SQLLEN bytes = E::kWide ? buffer_chars * static_cast<SQLLEN>(sizeof(SQLWCHAR)) : buffer_chars;
  if (WriteOutText(value, buffer, bytes, out_len, OutTextOptions{E::kWide, false})) {
    diag.Add("01004", "string data, right truncated");
  }
}

// Output text whose lengths count bytes (SQLGetInfo, SQLGetConnectAttr, SQLColAttribute...).
template <class E, class LenT>
void OutBytes(Diagnostics& diag, std::string_view value, void* buffer, SQLLEN buffer_bytes,
              LenT* out_len) {
  if (buffer_bytes < 0) throw OdbcError("HY090", "invalid string or buffer length");
  if (WriteOutText(value, buffer, buffer_bytes, out_len, OutTextOptions{E::kWide, true})) {
    diag.Add("01004", "string data, right truncated");
  }
}

// An optional catalog-function argument: null pointer means "absent".
template <class E>
std::optional<std::string> OptionalIn(const typename E::Char* s, SQLSMALLINT n) {
  if (s == nullptr) return std::nullopt;
  return E::In(s, n);
}

}  // namespace lakebase::odbc::api

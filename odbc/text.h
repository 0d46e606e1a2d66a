// Text at the API boundary: unixODBC's SQLWCHAR is UTF-16 (2 bytes); the driver is UTF-8 inside.
#pragma once

#include <sql.h>
#include <sqlext.h>
#include <sqlucode.h>

#include <string>
#include <string_view>

namespace lakebase::odbc {

static_assert(sizeof(SQLWCHAR) == 2, "unixODBC SQLWCHAR is UTF-16");

// Invalid sequences become U+FFFD; never throws on bad input.
std::u16string Utf8ToUtf16(std::string_view utf8);
std::string Utf16ToUtf8(std::u16string_view utf16);

// Input text from an application: length in characters (W) or bytes (A), or SQL_NTS.
// A null pointer gives an empty string.
std::string NarrowIn(const SQLCHAR* text, SQLLEN length);
std::string WideIn(const SQLWCHAR* text, SQLLEN length_chars);

// Writes UTF-8 `value` to an application string buffer following the ODBC output rules
// (ODBC "Character Data and C/C++"): always NUL-terminated when there is room for the NUL,
// truncated on a character boundary, the full length (before truncation) returned through
// `out_length`. Returns true when it truncated (the caller posts 01004).
// wide: the buffer holds SQLWCHAR. length_in_bytes: buffer_length and *out_length count bytes
// (SQLGetInfoW, SQLGetConnectAttrW...) rather than characters (SQLDescribeColW, SQLGetDiagRecW...).
struct OutTextOptions {
  bool wide = false;
  bool length_in_bytes = false;
};
bool WriteOutText(std::string_view value, void* buffer, SQLLEN buffer_length, SQLLEN* out_length,
                  OutTextOptions options);
// Same for SQLSMALLINT / SQLINTEGER length pointers.
bool WriteOutText(std::string_view value, void* buffer, SQLLEN buffer_length,
                  SQLSMALLINT* out_length, OutTextOptions options);
bool WriteOutText(std::string_view value, void* buffer, SQLLEN buffer_length,
                  SQLINTEGER* out_length, OutTextOptions options);

}  // namespace lakebase::odbc

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

// Low-level pieces, shared with the conversions (odbc/convert). No allocation.
// Decodes the code point at utf8[pos] and advances pos past it; an invalid sequence gives
// U+FFFD and advances past its maximal valid prefix (at least one byte), as Unicode 3.9 suggests.
char32_t DecodeUtf8(std::string_view utf8, size_t& pos);
// UTF-16 code units needed for utf8 (invalid sequences count as U+FFFD).
size_t Utf16Length(std::string_view utf8);
// Encodes utf8 from pos into out as UTF-16, whole characters only (a surrogate pair is never
// split), at most `capacity` units; advances pos and returns the units written.
size_t EncodeUtf16(std::string_view utf8, size_t& pos, SQLWCHAR* out, size_t capacity);
// The longest prefix of utf8 no longer than max_bytes that does not split a UTF-8 sequence.
size_t Utf8Boundary(std::string_view utf8, size_t max_bytes);

}  // namespace lakebase::odbc

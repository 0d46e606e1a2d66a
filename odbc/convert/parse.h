// Locale-independent parsers for PostgreSQL text output (and application text), used by the
// conversion leaves. Nothing here allocates except the escape-format bytea decoder.
#pragma once

#include <sql.h>
#include <sqlext.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace lakebase::odbc::conv {

std::string_view Trim(std::string_view s);  // spaces, tabs, CR/LF at both ends

// A decimal literal viewed in place: [+-]digits[.digits][e[+-]digits], or NaN / [+-]Infinity.
struct Decimal {
  enum class Special : uint8_t { kFinite, kNaN, kPosInf, kNegInf };
  Special special = Special::kFinite;
  bool negative = false;
  std::string_view int_digits;   // may be empty ("" in ".5")
  std::string_view frac_digits;  // may be empty
  int exponent = 0;
  bool IsZero() const;
};
// Whole string (after Trim) must be the literal. Accepts "inf"/"infinity"/"nan" in any case.
bool ParseDecimal(std::string_view s, Decimal& out);

// |value| * 10^scale as an integer. Digits dropped below the units make `inexact` true; with
// `round` the result is rounded half away from zero, else truncated. False when it needs more
// than 128 bits.
bool ScaleToU128(const Decimal& d, int scale, bool round, unsigned __int128& out, bool& inexact);

// Plain integer text ("-123"), the fast path for int2/int4/int8/oid.
bool ParseInt64(std::string_view s, int64_t& out);

enum class Parse : uint8_t { kOk, kInvalid, kOutOfRange };
// A float8 literal, including NaN and [+-]Infinity; kOutOfRange on overflow.
Parse ParseDouble(std::string_view s, double& out);

// Date, time, timestamp, with an optional UTC offset (ISO DateStyle output, or ODBC literals).
struct DateTime {
  bool has_date = false, has_time = false, has_offset = false;
  int year = 0, month = 0, day = 0;
  int hour = 0, minute = 0, second = 0;
  uint32_t nanos = 0;      // fraction of the second
  int offset_seconds = 0;  // east of UTC
};
// kOutOfRange for valid values ODBC cannot hold: BC dates, [-]infinity, years beyond 32767.
Parse ParseDateTime(std::string_view s, DateTime& out);

// interval in IntervalStyle postgres ("1 year 2 mons -3 days +04:05:06.5") or postgres_verbose
// ("@ 1 year 2 mons ago").
struct Interval {
  int64_t months = 0, days = 0, micros = 0;
};
bool ParseInterval(std::string_view s, Interval& out);

// "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", braces and hyphens optional.
bool ParseUuid(std::string_view s, SQLGUID& out);

// bytea text output. Hex form "\x0a1b": decoded in place; escape form: decoded into a string.
bool IsHexBytea(std::string_view s);
// Decodes hex digits (no "\x") pairwise into out; false on a bad digit.
bool DecodeHex(std::string_view hex, unsigned char* out);
bool DecodeEscapeBytea(std::string_view s, std::string& out);
// Hex digits of bytes, lowercase.
void AppendHex(std::string& out, std::string_view bytes);

}  // namespace lakebase::odbc::conv

// SQL -> C conversions (ODBC appendix D, "Converting Data from SQL to C Data Types") as a table
// of (pg::ValueKind x SQL_C_*) leaves. Values arrive in PostgreSQL's text output format.
//
// Rules applied in the leaves (one place each):
//  - character targets NUL-terminate and truncate on a character boundary with 01004; binary
//    targets truncate anywhere with 01004; SQLGetData continues at GetDataState::offset and
//    reports the remaining length each call;
//  - numbers, dates, times, timestamps, GUIDs and bits to character targets: the buffer must
//    hold the whole part (the whole digits; the date; hh:mm:ss; the date and time to the
//    second; the GUID; the bit) or it is 22003; only what follows (fractional digits) may be
//    truncated with 01004;
//  - to SQL_C_BINARY: character and binary values truncate with 01004; every other value is
//    returned whole or not at all (22003): dates, times and timestamps as their
//    SQL_*_STRUCT, GUIDs as the 16-byte SQLGUID, the rest in their character form;
//  - fixed-size targets: fractional truncation 01S07, out of range 22003, not a number 22018;
//  - date/time: dropped time or fraction 01S07, BC / infinity / 24:00 22008, not a date 22018;
//  - NULL: SQL_NULL_DATA through the indicator, 22002 without one.
// The fixed-size paths (integers, floats, dates into bound buffers) never allocate.
#include "odbc/convert/convert.h"

#include <array>
#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstring>
#include <ctime>
#include <limits>

#include "odbc/convert/parse.h"
#include "odbc/text.h"

namespace lakebase::odbc {
namespace {

using pg::ValueKind;
static_assert(sizeof(SQLGUID) == 16, "SQLGUID layout");

enum Target : uint8_t {
  kTChar,
  kTWChar,
  kTBinary,
  kTBit,
  kTSTinyInt,
  kTUTinyInt,
  kTSShort,
  kTUShort,
  kTSLong,
  kTULong,
  kTSBigInt,
  kTUBigInt,
  kTFloat,
  kTDouble,
  kTNumeric,
  kTDate,
  kTTime,
  kTTimestamp,
  kTGuid,
  kTIntervalYear,
  kTIntervalMonth,
  kTIntervalYearToMonth,
  kTIntervalDay,
  kTIntervalHour,
  kTIntervalMinute,
  kTIntervalSecond,
  kTIntervalDayToHour,
  kTIntervalDayToMinute,
  kTIntervalDayToSecond,
  kTIntervalHourToMinute,
  kTIntervalHourToSecond,
  kTIntervalMinuteToSecond,
  kTargetCount
};

constexpr size_t kKindCount = static_cast<size_t>(ValueKind::kUuid) + 1;

int TargetOf(SQLSMALLINT c_type) {
  switch (c_type) {
    case SQL_C_CHAR:
      return kTChar;
    case SQL_C_WCHAR:
      return kTWChar;
    case SQL_C_BINARY:
      return kTBinary;
    case SQL_C_BIT:
      return kTBit;
    case SQL_C_STINYINT:
    case SQL_C_TINYINT:  // ODBC 2: signed
      return kTSTinyInt;
    case SQL_C_UTINYINT:
      return kTUTinyInt;
    case SQL_C_SSHORT:
    case SQL_C_SHORT:
      return kTSShort;
    case SQL_C_USHORT:
      return kTUShort;
    case SQL_C_SLONG:
    case SQL_C_LONG:
      return kTSLong;
    case SQL_C_ULONG:
      return kTULong;
    case SQL_C_SBIGINT:
      return kTSBigInt;
    case SQL_C_UBIGINT:
      return kTUBigInt;
    case SQL_C_FLOAT:
      return kTFloat;
    case SQL_C_DOUBLE:
      return kTDouble;
    case SQL_C_NUMERIC:
      return kTNumeric;
    case SQL_C_TYPE_DATE:
    case SQL_C_DATE:
      return kTDate;
    case SQL_C_TYPE_TIME:
    case SQL_C_TIME:
      return kTTime;
    case SQL_C_TYPE_TIMESTAMP:
    case SQL_C_TIMESTAMP:
      return kTTimestamp;
    case SQL_C_GUID:
      return kTGuid;
    case SQL_C_INTERVAL_YEAR:
      return kTIntervalYear;
    case SQL_C_INTERVAL_MONTH:
      return kTIntervalMonth;
    case SQL_C_INTERVAL_YEAR_TO_MONTH:
      return kTIntervalYearToMonth;
    case SQL_C_INTERVAL_DAY:
      return kTIntervalDay;
    case SQL_C_INTERVAL_HOUR:
      return kTIntervalHour;
    case SQL_C_INTERVAL_MINUTE:
      return kTIntervalMinute;
    case SQL_C_INTERVAL_SECOND:
      return kTIntervalSecond;
    case SQL_C_INTERVAL_DAY_TO_HOUR:
      return kTIntervalDayToHour;
    case SQL_C_INTERVAL_DAY_TO_MINUTE:
      return kTIntervalDayToMinute;
    case SQL_C_INTERVAL_DAY_TO_SECOND:
      return kTIntervalDayToSecond;
    case SQL_C_INTERVAL_HOUR_TO_MINUTE:
      return kTIntervalHourToMinute;
    case SQL_C_INTERVAL_HOUR_TO_SECOND:
      return kTIntervalHourToSecond;
    case SQL_C_INTERVAL_MINUTE_TO_SECOND:
      return kTIntervalMinuteToSecond;
    default:
      return -1;
  }
}

// Everything a leaf needs.
struct Ctx {
  const Cell& cell;
  ValueKind kind;
  const CTarget& t;
  GetDataState* gd;
  CellPosition where;
  Diagnostics& diag;
  std::string_view text() const { return {cell.data, cell.len}; }
};
using Leaf = SQLRETURN (*)(Ctx&);

SQLRETURN Error(Ctx& c, std::string_view state, std::string_view message) {
  c.diag.Add(state, message, 0, c.where.row, c.where.column);
  return SQL_ERROR;
}
void Warn(Ctx& c, std::string_view state, std::string_view message) {
  c.diag.Add(state, message, 0, c.where.row, c.where.column);
}
SQLRETURN OutOfRange(Ctx& c) {
  return Error(c, "22003", "Numeric value out of range for the target type");
}
SQLRETURN NotANumber(Ctx& c) {
  return Error(c, "22018", "Invalid character value for cast specification: not a number");
}
SQLRETURN Truncated01004(Ctx& c) {
  Warn(c, "01004", "String data, right truncated");
  return SQL_SUCCESS_WITH_INFO;
}

// Length and indicator (ODBC "Buffers": when the two pointers differ, the indicator only says
// "not NULL" and the length goes to the octet-length buffer).
void SetLengths(Ctx& c, SQLLEN length) {
  if (c.t.octet_length != nullptr) *c.t.octet_length = length;
  if (c.t.indicator != nullptr && c.t.indicator != c.t.octet_length) *c.t.indicator = 0;
}

enum class Exact : bool { kYes, kFractionDropped };

template <class T>
SQLRETURN PutFixed(Ctx& c, const T& value, Exact exact = Exact::kYes) {
  if (c.t.data != nullptr) std::memcpy(c.t.data, &value, sizeof value);
  SetLengths(c, static_cast<SQLLEN>(sizeof value));
  if (c.gd != nullptr) c.gd->finished = true;
  if (exact == Exact::kFractionDropped) {
    Warn(c, "01S07", "Fractional truncation");
    return SQL_SUCCESS_WITH_INFO;
  }
  return SQL_SUCCESS;
}

// ---------------------------------------------------------------------------------------------
// Character and binary targets.

// Bytes to a character (nul = true) or binary buffer, from GetDataState::offset on.
// boundary: never cut a UTF-8 sequence; pairs: cut at an even count (hex digits).
struct PutOptions {
  bool nul = true;
  bool utf8_boundary = true;
  bool pairs = false;
  bool trim_dot = false;  // a cut never ends on a decimal point ("1234.56" in 5 -> "1234")
};
SQLRETURN PutBytes(Ctx& c, std::string_view bytes, PutOptions o) {
  size_t off = c.gd != nullptr ? std::min(c.gd->offset, bytes.size()) : 0;
  std::string_view rest = bytes.substr(off);
  SetLengths(c, static_cast<SQLLEN>(rest.size()));
  size_t cap = c.t.data != nullptr && c.t.buffer_length > 0 ? c.t.buffer_length : 0;
  if (cap == 0) {  // only the length was asked for
    if (rest.empty()) {
      if (c.gd != nullptr) c.gd->finished = true;
      return SQL_SUCCESS;
    }
    return Truncated01004(c);
  }
  auto* out = static_cast<char*>(c.t.data);
  size_t room = o.nul ? cap - 1 : cap;
  if (rest.size() <= room) {
    std::memcpy(out, rest.data(), rest.size());
    if (o.nul) out[rest.size()] = '\0';
    if (c.gd != nullptr) c.gd->finished = true;
    return SQL_SUCCESS;
  }
  size_t n = o.utf8_boundary ? Utf8Boundary(rest, room) : room;
  if (o.pairs) n &= ~size_t{1};
  if (o.trim_dot && n > 0 && rest[n - 1] == '.') --n;
  std::memcpy(out, rest.data(), n);
  if (o.nul) out[n] = '\0';
  if (c.gd != nullptr) c.gd->offset = off + n;
  return Truncated01004(c);
}

// UTF-8 text to a SQLWCHAR buffer; offsets count UTF-16 bytes, never splitting a surrogate pair.
SQLRETURN PutWide(Ctx& c, std::string_view text, bool trim_dot = false) {
  size_t total, off = 0, src = 0;
  if (c.gd != nullptr && c.gd->offset > 0) {
    total = c.gd->total;
    off = c.gd->offset;
    src = c.gd->source_offset;
  } else {
    total = Utf16Length(text) * sizeof(SQLWCHAR);
    if (c.gd != nullptr) c.gd->total = total;
  }
  size_t remaining = total - off;
  SetLengths(c, static_cast<SQLLEN>(remaining));
  size_t cap_units = c.t.data != nullptr && c.t.buffer_length > 0
                         ? static_cast<size_t>(c.t.buffer_length) / sizeof(SQLWCHAR)
                         : 0;
  if (cap_units == 0) {
    if (remaining == 0) {
      if (c.gd != nullptr) c.gd->finished = true;
      return SQL_SUCCESS;
    }
    return Truncated01004(c);
  }
  auto* out = static_cast<SQLWCHAR*>(c.t.data);
  size_t pos = src;
  size_t n = EncodeUtf16(text, pos, out, cap_units - 1);
  if (trim_dot && n > 0 && pos < text.size() && text[pos - 1] == '.') {
    --n;  // '.' is one byte and one unit
    --pos;
  }
  const SQLWCHAR nul = 0;
  std::memcpy(out + n, &nul, sizeof nul);
  if (n * sizeof(SQLWCHAR) >= remaining) {
    if (c.gd != nullptr) c.gd->finished = true;
    return SQL_SUCCESS;
  }
  if (c.gd != nullptr) {
    c.gd->offset = off + n * sizeof(SQLWCHAR);
    c.gd->source_offset = pos;
  }
  return Truncated01004(c);
}

bool ParseBool(std::string_view s, bool& v) {
  s = conv::Trim(s);
  if (s == "t" || s == "true" || s == "1" || s == "TRUE" || s == "True") {
    v = true;
  } else if (s == "f" || s == "false" || s == "0" || s == "FALSE" || s == "False") {
    v = false;
  } else {
    return false;
  }
  return true;
}

// The character form of a value: what SQL_C_CHAR / SQL_C_WCHAR receive, and SQL_C_BINARY for
// kinds other than bytea. Bool is "1"/"0" (ODBC SQL_BIT -> SQL_C_CHAR); bytea is hex digits.
struct CharForm {
  std::string_view view;
  std::string owned;
  bool hex = false;
};
bool GetCharForm(Ctx& c, CharForm& f) {
  std::string_view s = c.text();
  if (c.kind == ValueKind::kBool) {
    bool v;
    if (!ParseBool(s, v)) return NotANumber(c), false;
    f.view = v ? "1" : "0";
  } else if (c.kind == ValueKind::kBytea) {
    f.hex = true;
    if (conv::IsHexBytea(s)) {
      f.view = s.substr(2);
    } else {
      std::string raw;
      if (!conv::DecodeEscapeBytea(s, raw)) {
        Error(c, "22018", "Invalid bytea value");
        return false;
      }
      conv::AppendHex(f.owned, raw);
      f.view = f.owned;
    }
  } else {
    f.view = s;
  }
  return true;
}

bool IsNumberKind(ValueKind k) {
  switch (k) {
    case ValueKind::kInt16:
    case ValueKind::kInt32:
    case ValueKind::kInt64:
    case ValueKind::kFloat32:
    case ValueKind::kFloat64:
    case ValueKind::kNumeric:
    case ValueKind::kMoney:
      return true;
    default:
      return false;
  }
}

// The leading part of a value's character form that a character buffer must hold whole
// (appendix D: below it the conversion is 22003, not 01004); 0 for kinds that may be cut
// anywhere (character, binary, interval). Only what follows may be truncated:
//  - numbers: the whole digits (sign, currency and grouping included), the text up to the
//    decimal point; with an exponent, NaN or Infinity all of it (a cut would change the value);
//  - bit: "0"/"1"; date and GUID: all of it (the BufferLength minimums 11 and 37);
//  - time: hh:mm:ss (minimum 9); timestamp: the date and time to the second (minimum 20).
//    What may go is the fractional seconds (and, with them, a time zone offset); a BC suffix
//    never goes.
size_t WholeLength(ValueKind kind, std::string_view s) {
  switch (kind) {
    case ValueKind::kBool:
    case ValueKind::kDate:
    case ValueKind::kUuid:
      return s.size();
    case ValueKind::kTime:
    case ValueKind::kTimeTz:
    case ValueKind::kTimestamp:
    case ValueKind::kTimestampTz: {
      size_t colon = s.find(':');
      if (colon == std::string_view::npos || s.ends_with("BC")) return s.size();
      return std::min(s.size(), colon + 6);  // "hh" then ":mm:ss"
    }
    default:
      break;
  }
  if (!IsNumberKind(kind)) return 0;
  if (s.find_first_of("eEnN") != std::string_view::npos) return s.size();  // 1e+300, NaN, Inf
  size_t dot = s.find('.');
  return dot == std::string_view::npos ? s.size() : dot;
}

// The fractional part of these kinds may be cut (01004); a cut does not end on the point.
bool HasFraction(ValueKind kind) {
  return IsNumberKind(kind) || kind == ValueKind::kTime || kind == ValueKind::kTimeTz ||
         kind == ValueKind::kTimestamp || kind == ValueKind::kTimestampTz;
}

SQLRETURN BufferTooSmall(Ctx& c) {
  return Error(c, "22003",
               "Numeric value out of range: the buffer cannot hold the whole value (its whole "
               "digits or its full date/time form)");
}

// The first call of a value into a real buffer (not a length-only request, not a later
// SQLGetData piece) checks the whole part against the room for characters.
bool FirstPiece(const Ctx& c) {
  return c.t.data != nullptr && c.t.buffer_length > 0 && (c.gd == nullptr || c.gd->offset == 0);
}

SQLRETURN CharLeaf(Ctx& c) {
  CharForm f;
  if (!GetCharForm(c, f)) return SQL_ERROR;
  if (FirstPiece(c) && WholeLength(c.kind, f.view) > static_cast<size_t>(c.t.buffer_length) - 1)
    return BufferTooSmall(c);
  return PutBytes(
      c, f.view,
      {.nul = true, .utf8_boundary = !f.hex, .pairs = f.hex, .trim_dot = HasFraction(c.kind)});
}

SQLRETURN WCharLeaf(Ctx& c) {
  CharForm f;
  if (!GetCharForm(c, f)) return SQL_ERROR;
  if (FirstPiece(c)) {
    size_t whole = WholeLength(c.kind, f.view);
    size_t units = static_cast<size_t>(c.t.buffer_length) / sizeof(SQLWCHAR);
    if (whole > 0 && Utf16Length(f.view.substr(0, whole)) + 1 > units) return BufferTooSmall(c);
  }
  return PutWide(c, f.view, HasFraction(c.kind));
}

// bytea hex text decodes straight into the application's buffer, a chunk at a time.
SQLRETURN ByteaHexToBinary(Ctx& c, std::string_view hex) {
  if (hex.size() % 2 != 0) return Error(c, "22018", "Invalid bytea value");
  size_t total = hex.size() / 2;
  size_t off = c.gd != nullptr ? std::min(c.gd->offset, total) : 0;
  size_t rest = total - off;
  SetLengths(c, static_cast<SQLLEN>(rest));
  size_t cap = c.t.data != nullptr && c.t.buffer_length > 0 ? c.t.buffer_length : 0;
  size_t n = std::min(rest, cap);
  if (n > 0 && !conv::DecodeHex(hex.substr(off * 2, n * 2), static_cast<unsigned char*>(c.t.data)))
    return Error(c, "22018", "Invalid bytea value");
  if (n == rest) {
    if (c.gd != nullptr) c.gd->finished = true;
    return SQL_SUCCESS;
  }
  if (c.gd != nullptr) c.gd->offset = off + n;
  return Truncated01004(c);
}

SQLRETURN DateLeaf(Ctx& c);
SQLRETURN TimeLeaf(Ctx& c);
SQLRETURN TimestampLeaf(Ctx& c);
SQLRETURN GuidLeaf(Ctx& c);

// A value that goes to SQL_C_BINARY whole or not at all (appendix D: "Byte length of data >
// BufferLength" is 22003). A null data pointer asks for the length only.
bool BinaryFits(Ctx& c, size_t bytes) {
  if (c.t.data == nullptr || (c.gd != nullptr && c.gd->offset > 0)) return true;
  if (static_cast<size_t>(c.t.buffer_length < 0 ? 0 : c.t.buffer_length) >= bytes) return true;
  BufferTooSmall(c);
  return false;
}

SQLRETURN BinaryLeaf(Ctx& c) {
  switch (c.kind) {
    case ValueKind::kBytea: {
      std::string_view s = c.text();
      if (conv::IsHexBytea(s)) return ByteaHexToBinary(c, s.substr(2));
      std::string raw;
      if (!conv::DecodeEscapeBytea(s, raw)) return Error(c, "22018", "Invalid bytea value");
      return PutBytes(c, raw, {.nul = false, .utf8_boundary = false});
    }
    case ValueKind::kText:
      return PutBytes(c, c.text(), {.nul = false, .utf8_boundary = false});
    // The C structures (SQL to C: Date, Time, Timestamp, GUID -> SQL_C_BINARY).
    case ValueKind::kDate:
      return BinaryFits(c, sizeof(SQL_DATE_STRUCT)) ? DateLeaf(c) : SQL_ERROR;
    case ValueKind::kTime:
    case ValueKind::kTimeTz:
      return BinaryFits(c, sizeof(SQL_TIME_STRUCT)) ? TimeLeaf(c) : SQL_ERROR;
    case ValueKind::kTimestamp:
    case ValueKind::kTimestampTz:
      return BinaryFits(c, sizeof(SQL_TIMESTAMP_STRUCT)) ? TimestampLeaf(c) : SQL_ERROR;
    case ValueKind::kUuid:
      return BinaryFits(c, sizeof(SQLGUID)) ? GuidLeaf(c) : SQL_ERROR;
    default:
      break;
  }
  // Numbers, bit, interval: the character form, whole.
  CharForm f;
  if (!GetCharForm(c, f)) return SQL_ERROR;
  if (!BinaryFits(c, f.view.size())) return SQL_ERROR;
  return PutBytes(c, f.view, {.nul = false, .utf8_boundary = false});
}

// ---------------------------------------------------------------------------------------------
// Numbers.

// A numeric source decoded without allocation: an integer, a double, or a decimal literal
// viewed in place (in the cell, or in buf for money and formatted doubles).
struct Number {
  enum class Type : uint8_t { kInt, kDouble, kDecimal } type = Type::kInt;
  int64_t i = 0;
  double d = 0;
  conv::Decimal dec;
  std::string_view literal;  // the decimal's text, for conversion to double
  char buf[64];
  Number() = default;
  Number(const Number&) = delete;
  Number& operator=(const Number&) = delete;

  bool Negative() const {
    switch (type) {
      case Type::kInt:
        return i < 0;
      case Type::kDouble:
        return d < 0;
      case Type::kDecimal:
        return dec.negative && !dec.IsZero();
    }
    return false;
  }
};

bool SetDecimal(Number& n, std::string_view literal) {
  n.type = Number::Type::kDecimal;
  n.literal = literal;
  return conv::ParseDecimal(literal, n.dec);
}

// money in lc_monetary C: "$1,234.56", "-$1,234.56" (also "($1.00)" from other locales).
bool CleanMoney(std::string_view s, Number& n) {
  size_t len = 0;
  bool negative = false;
  for (char ch : conv::Trim(s)) {
    if ((ch >= '0' && ch <= '9') || ch == '.') {
      if (len + 2 >= sizeof n.buf) return false;
      n.buf[1 + len++] = ch;
    } else if (ch == '-' || ch == '(') {
      negative = true;
    } else if (ch != '$' && ch != ',' && ch != ')' && ch != ' ') {
      return false;
    }
  }
  n.buf[0] = negative ? '-' : '+';
  return len > 0 && SetDecimal(n, std::string_view(n.buf, len + 1));
}

bool GetNumber(Ctx& c, Number& n) {
  std::string_view s = c.text();
  bool ok = true;
  switch (c.kind) {
    case ValueKind::kInt16:
    case ValueKind::kInt32:
    case ValueKind::kInt64:
      n.type = Number::Type::kInt;
      ok = conv::ParseInt64(s, n.i);
      break;
    case ValueKind::kFloat32:
    case ValueKind::kFloat64:
      n.type = Number::Type::kDouble;
      if (conv::ParseDouble(s, n.d) != conv::Parse::kOk) ok = false;
      break;
    case ValueKind::kNumeric:
      ok = SetDecimal(n, s);
      break;
    case ValueKind::kMoney:
      ok = CleanMoney(s, n);
      break;
    case ValueKind::kBool: {
      bool v;
      ok = ParseBool(s, v);
      n.type = Number::Type::kInt;
      n.i = v ? 1 : 0;
      break;
    }
    case ValueKind::kText:
      s = conv::Trim(s);  // bpchar pads with spaces
      if (conv::ParseInt64(s, n.i)) {
        n.type = Number::Type::kInt;
      } else {
        ok = SetDecimal(n, s);
      }
      break;
    default:
      ok = false;
  }
  if (!ok) NotANumber(c);
  return ok;
}

// The value truncated toward zero as a 128-bit integer; false: NaN, infinite or too large.
bool IntegerPart(const Number& n, __int128& v, Exact& exact) {
  exact = Exact::kYes;
  switch (n.type) {
    case Number::Type::kInt:
      v = n.i;
      return true;
    case Number::Type::kDouble: {
      if (!std::isfinite(n.d)) return false;
      double t = std::trunc(n.d);
      if (t != n.d) exact = Exact::kFractionDropped;
      if (std::fabs(t) >= 1.8446744073709552e19) return false;  // 2^64
      v = static_cast<__int128>(t);
      return true;
    }
    case Number::Type::kDecimal: {
      if (n.dec.special != conv::Decimal::Special::kFinite) return false;
      unsigned __int128 u;
      bool inexact;
      if (!conv::ScaleToU128(n.dec, 0, false, u, inexact)) return false;
      if (u > (static_cast<unsigned __int128>(1) << 100)) return false;
      if (inexact) exact = Exact::kFractionDropped;
      v = n.dec.negative ? -static_cast<__int128>(u) : static_cast<__int128>(u);
      return true;
    }
  }
  return false;
}

template <class T>
SQLRETURN IntLeaf(Ctx& c) {
  Number n;
  if (!GetNumber(c, n)) return SQL_ERROR;
  T out;
  if (n.type == Number::Type::kInt) {  // the hot path: int2/int4/int8 columns
    if (n.i < static_cast<int64_t>(std::numeric_limits<T>::min()) ||
        (n.i > 0 && static_cast<uint64_t>(n.i) > std::numeric_limits<T>::max()))
      return OutOfRange(c);
    out = static_cast<T>(n.i);
    return PutFixed(c, out);
  }
  __int128 v;
  Exact exact;
  if (!IntegerPart(n, v, exact) || v < static_cast<__int128>(std::numeric_limits<T>::min()) ||
      v > static_cast<__int128>(std::numeric_limits<T>::max()))
    return OutOfRange(c);
  out = static_cast<T>(v);
  return PutFixed(c, out, exact);
}

// ODBC: 0 and 1 convert; 0 < x < 2 truncates with 01S07; anything else is 22003.
SQLRETURN BitLeaf(Ctx& c) {
  if (c.kind == ValueKind::kText) {
    bool b;
    if (ParseBool(c.text(), b)) return PutFixed(c, static_cast<unsigned char>(b ? 1 : 0));
  }
  Number n;
  if (!GetNumber(c, n)) return SQL_ERROR;
  __int128 v;
  Exact exact;
  if (!IntegerPart(n, v, exact) || n.Negative() || v > 1) return OutOfRange(c);
  return PutFixed(c, static_cast<unsigned char>(v), exact);
}

template <class T>
SQLRETURN FloatLeaf(Ctx& c) {
  Number n;
  if (!GetNumber(c, n)) return SQL_ERROR;
  double d;
  switch (n.type) {
    case Number::Type::kInt:
      d = static_cast<double>(n.i);
      break;
    case Number::Type::kDouble:
      d = n.d;
      break;
    default:
      switch (conv::ParseDouble(n.literal, d)) {
        case conv::Parse::kOk:
          break;
        case conv::Parse::kOutOfRange:
          return OutOfRange(c);
        case conv::Parse::kInvalid:
          return NotANumber(c);
      }
  }
  if constexpr (sizeof(T) == sizeof(float)) {
    if (std::isfinite(d) && std::fabs(d) > FLT_MAX) return OutOfRange(c);
  }
  return PutFixed(c, static_cast<T>(d));
}

// SQL_NUMERIC_STRUCT with the target's precision and scale (SQL_DESC_PRECISION/SCALE of the ARD;
// precision 0 means 38), rounded half away from zero; dropped digits give 01S07.
SQLRETURN NumericLeaf(Ctx& c) {
  Number n;
  if (!GetNumber(c, n)) return SQL_ERROR;
  if (n.type == Number::Type::kInt) {
    auto [end, ec] = std::to_chars(n.buf, n.buf + sizeof n.buf, n.i);
    SetDecimal(n, std::string_view(n.buf, static_cast<size_t>(end - n.buf)));
  } else if (n.type == Number::Type::kDouble) {
    if (!std::isfinite(n.d)) return OutOfRange(c);
    auto [end, ec] = std::to_chars(n.buf, n.buf + sizeof n.buf, n.d);  // shortest round trip
    SetDecimal(n, std::string_view(n.buf, static_cast<size_t>(end - n.buf)));
  }
  if (n.dec.special != conv::Decimal::Special::kFinite) return OutOfRange(c);
  int precision = c.t.precision > 0 && c.t.precision <= 38 ? c.t.precision : 38;
  int scale = c.t.scale;
  if (scale > precision || scale < -precision) scale = 0;
  unsigned __int128 u;
  bool inexact;
  if (!conv::ScaleToU128(n.dec, scale, true, u, inexact)) return OutOfRange(c);
  unsigned __int128 limit = 1;  // 10^precision
  for (int i = 0; i < precision && i < 38; ++i) limit *= 10;
  if (precision < 39 && u >= limit) return OutOfRange(c);
  SQL_NUMERIC_STRUCT ns{};
  ns.precision = static_cast<SQLCHAR>(precision);
  ns.scale = static_cast<SQLSCHAR>(scale);
  ns.sign = n.dec.negative && u != 0 ? 0 : 1;
  for (int i = 0; i < SQL_MAX_NUMERIC_LEN; ++i) {
    ns.val[i] = static_cast<SQLCHAR>(u & 0xFF);
    u >>= 8;
  }
  return PutFixed(c, ns, inexact ? Exact::kFractionDropped : Exact::kYes);
}

// ---------------------------------------------------------------------------------------------
// Dates and times.

bool GetDateTime(Ctx& c, conv::DateTime& dt) {
  switch (conv::ParseDateTime(c.text(), dt)) {
    case conv::Parse::kOk:
      return true;
    case conv::Parse::kOutOfRange:
      Error(c, "22008", "Datetime field overflow: the value has no ODBC representation");
      return false;
    case conv::Parse::kInvalid:
      break;
  }
  Error(c, "22018", "Invalid character value for cast specification: not a datetime");
  return false;
}

SQLRETURN NotADate(Ctx& c) {
  return Error(c, "22018", "Invalid character value for cast specification: not a date");
}

SQLRETURN DateLeaf(Ctx& c) {
  conv::DateTime dt;
  if (!GetDateTime(c, dt)) return SQL_ERROR;
  if (!dt.has_date) return NotADate(c);
  SQL_DATE_STRUCT d{static_cast<SQLSMALLINT>(dt.year), static_cast<SQLUSMALLINT>(dt.month),
                    static_cast<SQLUSMALLINT>(dt.day)};
  bool time_dropped = dt.hour != 0 || dt.minute != 0 || dt.second != 0 || dt.nanos != 0;
  return PutFixed(c, d, time_dropped ? Exact::kFractionDropped : Exact::kYes);
}

SQLRETURN TimeLeaf(Ctx& c) {
  conv::DateTime dt;
  if (!GetDateTime(c, dt)) return SQL_ERROR;
  if (!dt.has_time) return Error(c, "22018", "Invalid character value: not a time");
  // timetz / timestamptz: the wall-clock time as the server rendered it (session TimeZone).
  SQL_TIME_STRUCT t{static_cast<SQLUSMALLINT>(dt.hour), static_cast<SQLUSMALLINT>(dt.minute),
                    static_cast<SQLUSMALLINT>(dt.second)};
  return PutFixed(c, t, dt.nanos != 0 ? Exact::kFractionDropped : Exact::kYes);
}

SQLRETURN TimestampLeaf(Ctx& c) {
  conv::DateTime dt;
  if (!GetDateTime(c, dt)) return SQL_ERROR;
  if (!dt.has_date) {  // a time: ODBC says the date fields take the current date
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    dt.year = tm.tm_year + 1900;
    dt.month = tm.tm_mon + 1;
    dt.day = tm.tm_mday;
  }
  SQL_TIMESTAMP_STRUCT ts{static_cast<SQLSMALLINT>(dt.year),
                          static_cast<SQLUSMALLINT>(dt.month),
                          static_cast<SQLUSMALLINT>(dt.day),
                          static_cast<SQLUSMALLINT>(dt.hour),
                          static_cast<SQLUSMALLINT>(dt.minute),
                          static_cast<SQLUSMALLINT>(dt.second),
                          dt.nanos};
  return PutFixed(c, ts);
}

SQLRETURN GuidLeaf(Ctx& c) {
  SQLGUID g;
  if (!conv::ParseUuid(c.text(), g))
    return Error(c, "22018", "Invalid character value for cast specification: not a GUID");
  return PutFixed(c, g);
}

// ---------------------------------------------------------------------------------------------
// Intervals.

constexpr bool YearMonthType(SQLINTERVAL t) {
  return t == SQL_IS_YEAR || t == SQL_IS_MONTH || t == SQL_IS_YEAR_TO_MONTH;
}
constexpr bool SingleField(SQLINTERVAL t) { return t <= SQL_IS_SECOND; }

constexpr int64_t kMicrosPerSecond = 1000000;
constexpr int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;
constexpr int64_t kMicrosPerHour = 60 * kMicrosPerMinute;
constexpr int64_t kMicrosPerDay = 24 * kMicrosPerHour;

// A single-field interval from an exact number (ODBC: exact numeric -> single-field interval).
bool NumberToInterval(Ctx& c, SQLINTERVAL type, conv::Interval& iv, Exact& exact) {
  Number n;
  if (!GetNumber(c, n)) return false;
  __int128 v;
  if (!IntegerPart(n, v, exact) || v > INT32_MAX || v < -static_cast<__int128>(INT32_MAX)) {
    OutOfRange(c);
    return false;
  }
  int64_t x = static_cast<int64_t>(v);
  switch (type) {
    case SQL_IS_YEAR:
      iv.months = x * 12;
      break;
    case SQL_IS_MONTH:
      iv.months = x;
      break;
    case SQL_IS_DAY:
      iv.days = x;
      break;
    case SQL_IS_HOUR:
      iv.micros = x * kMicrosPerHour;
      break;
    case SQL_IS_MINUTE:
      iv.micros = x * kMicrosPerMinute;
      break;
    default:
      iv.micros = x * kMicrosPerSecond;
  }
  return true;
}

template <SQLINTERVAL kType>
SQLRETURN IntervalLeaf(Ctx& c) {
  conv::Interval iv;
  Exact exact = Exact::kYes;
  bool numeric_source = c.kind != ValueKind::kInterval && c.kind != ValueKind::kText;
  if (numeric_source || (c.kind == ValueKind::kText && !conv::ParseInterval(c.text(), iv))) {
    if (c.kind == ValueKind::kText && !SingleField(kType))
      return Error(c, "22018", "Invalid character value: not an interval");
    if (!NumberToInterval(c, kType, iv, exact)) return SQL_ERROR;
  } else if (c.kind == ValueKind::kInterval && !conv::ParseInterval(c.text(), iv)) {
    return Error(c, "22018", "Invalid interval value");
  }
  SQL_INTERVAL_STRUCT s;
  std::memset(&s, 0, sizeof s);  // `{}` would zero only the union's first member
  s.interval_type = kType;
  auto overflow = [&] { return Error(c, "22015", "Interval field overflow"); };
  constexpr uint64_t kFieldMax = UINT32_MAX;
  if constexpr (YearMonthType(kType)) {
    if (iv.days != 0 || iv.micros != 0) exact = Exact::kFractionDropped;
    s.interval_sign = iv.months < 0 ? SQL_TRUE : SQL_FALSE;
    uint64_t a = iv.months < 0 ? 0 - static_cast<uint64_t>(iv.months) : iv.months;
    if (kType == SQL_IS_MONTH) {
      if (a > kFieldMax) return overflow();
      s.intval.year_month.month = static_cast<SQLUINTEGER>(a);
    } else {
      if (a / 12 > kFieldMax) return overflow();
      s.intval.year_month.year = static_cast<SQLUINTEGER>(a / 12);
      if (kType == SQL_IS_YEAR_TO_MONTH) {
        s.intval.year_month.month = static_cast<SQLUINTEGER>(a % 12);
      } else if (a % 12 != 0) {
        exact = Exact::kFractionDropped;
      }
    }
  } else {
    if (iv.months != 0)  // a month has no fixed length in days
      return Error(c, "22015", "Interval field overflow: the interval has months");
    __int128 total = static_cast<__int128>(iv.days) * kMicrosPerDay + iv.micros;
    s.interval_sign = total < 0 ? SQL_TRUE : SQL_FALSE;
    unsigned __int128 a = total < 0 ? -total : total;
    auto& ds = s.intval.day_second;
    // Leading field takes all that is above it; later fields take their usual range.
    constexpr bool kDay = kType == SQL_IS_DAY || kType == SQL_IS_DAY_TO_HOUR ||
                          kType == SQL_IS_DAY_TO_MINUTE || kType == SQL_IS_DAY_TO_SECOND;
    constexpr bool kHour = kType == SQL_IS_HOUR || kType == SQL_IS_DAY_TO_HOUR ||
                           kType == SQL_IS_DAY_TO_MINUTE || kType == SQL_IS_DAY_TO_SECOND ||
                           kType == SQL_IS_HOUR_TO_MINUTE || kType == SQL_IS_HOUR_TO_SECOND;
    constexpr bool kMinute = kType == SQL_IS_MINUTE || kType == SQL_IS_DAY_TO_MINUTE ||
                             kType == SQL_IS_DAY_TO_SECOND || kType == SQL_IS_HOUR_TO_MINUTE ||
                             kType == SQL_IS_HOUR_TO_SECOND || kType == SQL_IS_MINUTE_TO_SECOND;
    constexpr bool kSecond = kType == SQL_IS_SECOND || kType == SQL_IS_DAY_TO_SECOND ||
                             kType == SQL_IS_HOUR_TO_SECOND || kType == SQL_IS_MINUTE_TO_SECOND;
    bool leading = true;
    auto take = [&](SQLUINTEGER& field, int64_t unit) {
      unsigned __int128 v = a / unit;
      if (v > kFieldMax && leading) return false;
      field = static_cast<SQLUINTEGER>(v);
      a %= unit;
      leading = false;
      return true;
    };
    if constexpr (kDay)
      if (!take(ds.day, kMicrosPerDay)) return overflow();
    if constexpr (kHour)
      if (!take(ds.hour, kMicrosPerHour)) return overflow();
    if constexpr (kMinute)
      if (!take(ds.minute, kMicrosPerMinute)) return overflow();
    if constexpr (kSecond) {
      if (!take(ds.second, kMicrosPerSecond)) return overflow();
      // fraction in units of the fractional seconds precision (ARD SQL_DESC_PRECISION;
      // 0 taken as the default 6)
      int p = c.t.precision > 0 && c.t.precision <= 9 ? c.t.precision : 6;
      uint64_t micros = static_cast<uint64_t>(a);
      a = 0;
      if (p <= 6) {
        uint64_t div = 1;
        for (int i = p; i < 6; ++i) div *= 10;
        if (micros % div != 0) exact = Exact::kFractionDropped;
        ds.fraction = static_cast<SQLUINTEGER>(micros / div);
      } else {
        uint64_t mul = 1;
        for (int i = 6; i < p; ++i) mul *= 10;
        ds.fraction = static_cast<SQLUINTEGER>(micros * mul);
      }
    }
    if (a != 0) exact = Exact::kFractionDropped;
  }
  return PutFixed(c, s, exact);
}

// ---------------------------------------------------------------------------------------------
// The table.

using Row = std::array<Leaf, kTargetCount>;
using Table = std::array<Row, kKindCount>;

constexpr size_t K(ValueKind k) { return static_cast<size_t>(k); }

constexpr void SetNumberTargets(Row& r) {
  r[kTBit] = BitLeaf;
  r[kTSTinyInt] = IntLeaf<int8_t>;
  r[kTUTinyInt] = IntLeaf<uint8_t>;
  r[kTSShort] = IntLeaf<int16_t>;
  r[kTUShort] = IntLeaf<uint16_t>;
  r[kTSLong] = IntLeaf<int32_t>;
  r[kTULong] = IntLeaf<uint32_t>;
  r[kTSBigInt] = IntLeaf<int64_t>;
  r[kTUBigInt] = IntLeaf<uint64_t>;
  r[kTFloat] = FloatLeaf<float>;
  r[kTDouble] = FloatLeaf<double>;
  r[kTNumeric] = NumericLeaf;
}

constexpr void SetSingleFieldIntervals(Row& r) {
  r[kTIntervalYear] = IntervalLeaf<SQL_IS_YEAR>;
  r[kTIntervalMonth] = IntervalLeaf<SQL_IS_MONTH>;
  r[kTIntervalDay] = IntervalLeaf<SQL_IS_DAY>;
  r[kTIntervalHour] = IntervalLeaf<SQL_IS_HOUR>;
  r[kTIntervalMinute] = IntervalLeaf<SQL_IS_MINUTE>;
  r[kTIntervalSecond] = IntervalLeaf<SQL_IS_SECOND>;
}

constexpr void SetAllIntervals(Row& r) {
  SetSingleFieldIntervals(r);
  r[kTIntervalYearToMonth] = IntervalLeaf<SQL_IS_YEAR_TO_MONTH>;
  r[kTIntervalDayToHour] = IntervalLeaf<SQL_IS_DAY_TO_HOUR>;
  r[kTIntervalDayToMinute] = IntervalLeaf<SQL_IS_DAY_TO_MINUTE>;
  r[kTIntervalDayToSecond] = IntervalLeaf<SQL_IS_DAY_TO_SECOND>;
  r[kTIntervalHourToMinute] = IntervalLeaf<SQL_IS_HOUR_TO_MINUTE>;
  r[kTIntervalHourToSecond] = IntervalLeaf<SQL_IS_HOUR_TO_SECOND>;
  r[kTIntervalMinuteToSecond] = IntervalLeaf<SQL_IS_MINUTE_TO_SECOND>;
}

// Which pairs convert; every other pair is 07006 (ODBC appendix D tables, SQL -> C).
constexpr Table BuildTable() {
  Table t{};
  for (Row& r : t) {  // every value has a character form
    r[kTChar] = CharLeaf;
    r[kTWChar] = WCharLeaf;
    r[kTBinary] = BinaryLeaf;
  }
  for (ValueKind k : {ValueKind::kBool, ValueKind::kInt16, ValueKind::kInt32, ValueKind::kInt64,
                      ValueKind::kFloat32, ValueKind::kFloat64, ValueKind::kNumeric,
                      ValueKind::kMoney, ValueKind::kText})
    SetNumberTargets(t[K(k)]);
  for (ValueKind k : {ValueKind::kInt16, ValueKind::kInt32, ValueKind::kInt64, ValueKind::kNumeric})
    SetSingleFieldIntervals(t[K(k)]);
  SetAllIntervals(t[K(ValueKind::kInterval)]);
  SetAllIntervals(t[K(ValueKind::kText)]);

  t[K(ValueKind::kDate)][kTDate] = DateLeaf;
  t[K(ValueKind::kDate)][kTTimestamp] = TimestampLeaf;
  for (ValueKind k : {ValueKind::kTime, ValueKind::kTimeTz}) {
    t[K(k)][kTTime] = TimeLeaf;
    t[K(k)][kTTimestamp] = TimestampLeaf;
  }
  for (ValueKind k : {ValueKind::kTimestamp, ValueKind::kTimestampTz, ValueKind::kText}) {
    t[K(k)][kTDate] = DateLeaf;
    t[K(k)][kTTime] = TimeLeaf;
    t[K(k)][kTTimestamp] = TimestampLeaf;
  }
  t[K(ValueKind::kUuid)][kTGuid] = GuidLeaf;
  t[K(ValueKind::kText)][kTGuid] = GuidLeaf;
  return t;
}

constexpr Table kTable = BuildTable();

}  // namespace

SQLSMALLINT DefaultCType(ValueKind kind, SQLSMALLINT sql_type) {
  switch (sql_type) {
    case SQL_CHAR:
    case SQL_VARCHAR:
    case SQL_LONGVARCHAR:
    case SQL_DECIMAL:
    case SQL_NUMERIC:
      return SQL_C_CHAR;
    case SQL_WCHAR:
    case SQL_WVARCHAR:
    case SQL_WLONGVARCHAR:
      return SQL_C_WCHAR;
    case SQL_BIT:
      return SQL_C_BIT;
    case SQL_TINYINT:
      return SQL_C_STINYINT;
    case SQL_SMALLINT:
      return SQL_C_SSHORT;
    case SQL_INTEGER:
      return SQL_C_SLONG;
    case SQL_BIGINT:
      return SQL_C_SBIGINT;
    case SQL_REAL:
      return SQL_C_FLOAT;
    case SQL_FLOAT:
    case SQL_DOUBLE:
      return SQL_C_DOUBLE;
    case SQL_BINARY:
    case SQL_VARBINARY:
    case SQL_LONGVARBINARY:
      return SQL_C_BINARY;
    case SQL_TYPE_DATE:
    case SQL_DATE:
      return SQL_C_TYPE_DATE;
    case SQL_TYPE_TIME:
    case SQL_TIME:
      return SQL_C_TYPE_TIME;
    case SQL_TYPE_TIMESTAMP:
    case SQL_TIMESTAMP:
      return SQL_C_TYPE_TIMESTAMP;
    case SQL_GUID:
      return SQL_C_GUID;
    case SQL_INTERVAL_YEAR:
    case SQL_INTERVAL_MONTH:
    case SQL_INTERVAL_YEAR_TO_MONTH:
    case SQL_INTERVAL_DAY:
    case SQL_INTERVAL_HOUR:
    case SQL_INTERVAL_MINUTE:
    case SQL_INTERVAL_SECOND:
    case SQL_INTERVAL_DAY_TO_HOUR:
    case SQL_INTERVAL_DAY_TO_MINUTE:
    case SQL_INTERVAL_DAY_TO_SECOND:
    case SQL_INTERVAL_HOUR_TO_MINUTE:
    case SQL_INTERVAL_HOUR_TO_SECOND:
    case SQL_INTERVAL_MINUTE_TO_SECOND:
      return sql_type;  // the C interval codes equal the SQL ones
    default:
      break;
  }
  switch (kind) {
    case ValueKind::kBool:
      return SQL_C_BIT;
    case ValueKind::kInt16:
      return SQL_C_SSHORT;
    case ValueKind::kInt32:
      return SQL_C_SLONG;
    case ValueKind::kInt64:
      return SQL_C_SBIGINT;
    case ValueKind::kFloat32:
      return SQL_C_FLOAT;
    case ValueKind::kFloat64:
      return SQL_C_DOUBLE;
    case ValueKind::kBytea:
      return SQL_C_BINARY;
    case ValueKind::kDate:
      return SQL_C_TYPE_DATE;
    case ValueKind::kTime:
    case ValueKind::kTimeTz:
      return SQL_C_TYPE_TIME;
    case ValueKind::kTimestamp:
    case ValueKind::kTimestampTz:
      return SQL_C_TYPE_TIMESTAMP;
    case ValueKind::kUuid:
      return SQL_C_GUID;
    default:  // numeric, money, text, interval
      return SQL_C_CHAR;
  }
}

bool ConversionSupported(ValueKind kind, SQLSMALLINT c_type) {
  if (c_type == SQL_C_DEFAULT) c_type = DefaultCType(kind, 0);
  int target = TargetOf(c_type);
  return target >= 0 && K(kind) < kKindCount && kTable[K(kind)][target] != nullptr;
}

SQLRETURN WriteValue(const Cell& cell, ValueKind kind, const CTarget& target, GetDataState* getdata,
                     CellPosition where, Diagnostics& diag) {
  if (getdata != nullptr && getdata->finished) return SQL_NO_DATA;
  Ctx c{cell, kind, target, getdata, where, diag};
  SQLSMALLINT c_type = target.c_type == SQL_C_DEFAULT ? DefaultCType(kind, 0) : target.c_type;
  int t = TargetOf(c_type);
  Leaf leaf = t >= 0 && K(kind) < kKindCount ? kTable[K(kind)][t] : nullptr;
  if (leaf == nullptr)
    return Error(c, "07006",
                 "Restricted data type attribute violation: no conversion to the "
                 "requested C type");
  if (cell.is_null) {
    if (target.indicator == nullptr)
      return Error(c, "22002", "Indicator variable required but not supplied");
    *target.indicator = SQL_NULL_DATA;
    if (getdata != nullptr) getdata->finished = true;
    return SQL_SUCCESS;
  }
  return leaf(c);
}

}  // namespace lakebase::odbc

// C -> SQL conversions for parameters (ODBC appendix D, "Converting Data from C to SQL Data
// Types"). A reader per C type turns the application's buffer into a Source (its canonical
// PostgreSQL text plus the typed value); a (Source kind x SQL type family) table of leaves
// validates and produces what libpq sends. Unlisted pairs are 07006, in one place.
#include <array>
#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstring>
#include <ctime>

#include "odbc/convert/convert.h"
#include "odbc/convert/parse.h"
#include "odbc/text.h"

namespace lakebase::odbc {
namespace {

enum class Family : uint8_t {
  kChar,
  kInt2,
  kInt4,
  kInt8,
  kNumeric,
  kFloat4,
  kFloat8,
  kBool,
  kDate,
  kTime,
  kTimestamp,
  kGuid,
  kBytea,
  kInterval,
  kCount
};

struct FamilyInfo {
  Family family;
  pg::Oid oid;
};

FamilyInfo FamilyOf(SQLSMALLINT sql_type) {
  switch (sql_type) {
    case SQL_TINYINT:
    case SQL_SMALLINT:
      return {Family::kInt2, pg::oid::kInt2};
    case SQL_INTEGER:
      return {Family::kInt4, pg::oid::kInt4};
    case SQL_BIGINT:
      return {Family::kInt8, pg::oid::kInt8};
    case SQL_NUMERIC:
    case SQL_DECIMAL:
      return {Family::kNumeric, pg::oid::kNumeric};
    case SQL_REAL:
      return {Family::kFloat4, pg::oid::kFloat4};
    case SQL_FLOAT:
    case SQL_DOUBLE:
      return {Family::kFloat8, pg::oid::kFloat8};
    case SQL_BIT:
      return {Family::kBool, pg::oid::kBool};
    case SQL_TYPE_DATE:
    case SQL_DATE:
      return {Family::kDate, pg::oid::kDate};
    case SQL_TYPE_TIME:
    case SQL_TIME:
      return {Family::kTime, pg::oid::kTime};
    case SQL_TYPE_TIMESTAMP:
    case SQL_TIMESTAMP:
      return {Family::kTimestamp, pg::oid::kTimestamp};
    case SQL_GUID:
      return {Family::kGuid, pg::oid::kUuid};
    case SQL_BINARY:
    case SQL_VARBINARY:
    case SQL_LONGVARBINARY:
      return {Family::kBytea, pg::oid::kBytea};
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
      return {Family::kInterval, pg::oid::kInterval};
    default:  // character types and anything else: text, typed by the server
      return {Family::kChar, 0};
  }
}

// The application's value, read from its C type.
struct Source {
  enum Kind : uint8_t {
    kText,
    kBytes,
    kSigned,
    kUnsigned,
    kDouble,
    kDecimal,
    kBit,
    kDate,
    kTime,
    kTimestamp,
    kGuid,
    kInterval,
    kKindCount
  } kind = kText;
  std::string text;  // the canonical PostgreSQL text (kBytes: the raw bytes)
  // kDate/kTime/kTimestamp: false when the structure holds no valid value (then `text` is
  // empty): 22007 into a datetime type, 22008 into character data, 07006 before either.
  bool valid = true;
  SQL_DATE_STRUCT date{};
  SQL_TIME_STRUCT time{};
  SQL_TIMESTAMP_STRUCT ts{};
  SQL_INTERVAL_STRUCT interval{};
};

[[noreturn]] void Fail(const char* state, const std::string& message) {
  throw OdbcError(state, message);  // Diagnostics adds the "[Lakebase ODBC]" prefix
}

// ---------------------------------------------------------------------------------------------
// Formatting (locale-independent).

template <class T>
void AppendNumber(std::string& out, T v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

void AppendPadded(std::string& out, uint64_t v, int width) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  for (int i = static_cast<int>(end - buf); i < width; ++i) out.push_back('0');
  out.append(buf, end);
}

template <class T>
std::string FormatFloat(T v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v < 0 ? "-Infinity" : "Infinity";
  std::string s;
  AppendNumber(s, v);  // shortest representation that round-trips
  return s;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
bool ValidDate(const SQL_DATE_STRUCT& d) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d.year < 1 || d.month < 1 || d.month > 12 || d.day < 1) return false;
  int days = d.month == 2 && IsLeap(d.year) ? 29 : kDays[d.month - 1];
  return d.day <= days;
}

void AppendDate(std::string& out, const SQL_DATE_STRUCT& d) {
  if (!ValidDate(d)) Fail("22008", "Datetime field overflow: invalid date");
  AppendPadded(out, static_cast<uint64_t>(d.year), 4);
  out.push_back('-');
  AppendPadded(out, d.month, 2);
  out.push_back('-');
  AppendPadded(out, d.day, 2);
}

bool ValidTime(SQLUSMALLINT h, SQLUSMALLINT m, SQLUSMALLINT s, SQLUINTEGER nanos) {
  return h <= 23 && m <= 59 && s <= 59 && nanos <= 999999999;
}

void AppendTime(std::string& out, SQLUSMALLINT h, SQLUSMALLINT m, SQLUSMALLINT s,
                SQLUINTEGER nanos) {
  if (!ValidTime(h, m, s, nanos)) Fail("22008", "Datetime field overflow: invalid time");
  AppendPadded(out, h, 2);
  out.push_back(':');
  AppendPadded(out, m, 2);
  out.push_back(':');
  AppendPadded(out, s, 2);
  if (nanos != 0) {
    std::string frac;
    AppendPadded(frac, nanos, 9);
    while (frac.back() == '0') frac.pop_back();
    out.push_back('.');
    out += frac;
  }
}

void AppendTimestamp(std::string& out, const SQL_TIMESTAMP_STRUCT& ts) {
  AppendDate(out, SQL_DATE_STRUCT{ts.year, ts.month, ts.day});
  out.push_back(' ');
  AppendTime(out, ts.hour, ts.minute, ts.second, ts.fraction);
}

void AppendGuid(std::string& out, const SQLGUID& g) {
  static constexpr char kHex[] = "0123456789abcdef";
  auto hex = [&](uint64_t v, int digits) {
    for (int i = digits - 1; i >= 0; --i) out.push_back(kHex[(v >> (4 * i)) & 15]);
  };
  hex(g.Data1, 8);
  out.push_back('-');
  hex(g.Data2, 4);
  out.push_back('-');
  hex(g.Data3, 4);
  out.push_back('-');
  hex(g.Data4[0], 2);
  hex(g.Data4[1], 2);
  out.push_back('-');
  for (int i = 2; i < 8; ++i) hex(g.Data4[i], 2);
}

// PostgreSQL interval input: "-1 years -2 mons", "-3 days -04:05:06.5".
void AppendInterval(std::string& out, const SQL_INTERVAL_STRUCT& iv, int precision) {
  const char* sign = iv.interval_sign == SQL_TRUE ? "-" : "";
  switch (iv.interval_type) {
    case SQL_IS_YEAR:
    case SQL_IS_MONTH:
    case SQL_IS_YEAR_TO_MONTH:
      out += sign;
      AppendNumber(out, iv.intval.year_month.year);
      out += " years ";
      out += sign;
      AppendNumber(out, iv.intval.year_month.month);
      out += " mons";
      return;
    default:
      break;
  }
  const auto& ds = iv.intval.day_second;
  if (ds.minute > 59 && iv.interval_type != SQL_IS_MINUTE) Fail("22015", "Interval field overflow");
  if (ds.second > 59 && iv.interval_type != SQL_IS_SECOND &&
      iv.interval_type != SQL_IS_MINUTE_TO_SECOND && iv.interval_type != SQL_IS_MINUTE)
    Fail("22015", "Interval field overflow");
  out += sign;
  AppendNumber(out, ds.day);
  out += " days ";
  out += sign;
  AppendNumber(out, ds.hour);
  out += " hours ";
  out += sign;
  AppendNumber(out, ds.minute);
  out += " mins ";
  out += sign;
  AppendNumber(out, ds.second);
  if (ds.fraction != 0) {
    int p = precision > 0 && precision <= 9 ? precision : 6;
    std::string frac;
    AppendPadded(frac, ds.fraction, p);
    if (static_cast<int>(frac.size()) > p) Fail("22015", "Interval field overflow: fraction");
    while (frac.back() == '0') frac.pop_back();
    out.push_back('.');
    out += frac;
  }
  out += " secs";
}

// SQL_NUMERIC_STRUCT: a little-endian 128-bit magnitude scaled by 10^scale.
std::string FormatNumericStruct(const SQL_NUMERIC_STRUCT& ns) {
  unsigned __int128 u = 0;
  for (int i = SQL_MAX_NUMERIC_LEN - 1; i >= 0; --i) u = (u << 8) | ns.val[i];
  char digits[48];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + static_cast<int>(u % 10));
    u /= 10;
  } while (u != 0);
  std::string out;
  if (ns.sign == 0 && !(n == 1 && digits[0] == '0')) out.push_back('-');
  int scale = ns.scale;
  if (scale <= 0) {
    for (int i = n - 1; i >= 0; --i) out.push_back(digits[i]);
    if (!(n == 1 && digits[0] == '0'))
      for (int i = 0; i < -scale; ++i) out.push_back('0');
    return out;
  }
  if (n <= scale) {
    out += "0.";
    for (int i = n; i < scale; ++i) out.push_back('0');
    for (int i = n - 1; i >= 0; --i) out.push_back(digits[i]);
  } else {
    for (int i = n - 1; i >= 0; --i) {
      out.push_back(digits[i]);
      if (i == scale) out.push_back('.');
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Readers: the application's buffer -> Source.

template <class T>
T Load(const void* p) {
  T v;
  std::memcpy(&v, p, sizeof v);  // parameter buffers need not be aligned
  return v;
}

SQLLEN LengthOf(const ParamSource& s) {
  if (s.octet_length == nullptr) return SQL_NTS;
  SQLLEN n = *s.octet_length;
  if (n == SQL_DATA_AT_EXEC || n <= SQL_LEN_DATA_AT_EXEC_OFFSET)
    Fail("HY000", "Data-at-execution parameter reached the encoder without its data");
  if (n < 0 && n != SQL_NTS) Fail("HY090", "Invalid string or buffer length");
  return n;
}

SQLINTERVAL IntervalTypeOf(SQLSMALLINT c_type) {
  return static_cast<SQLINTERVAL>(c_type - SQL_C_INTERVAL_YEAR + SQL_IS_YEAR);
}

void Read(const ParamSource& s, SQLSMALLINT c_type, Source& v) {
  const void* p = s.data;
  switch (c_type) {
    case SQL_C_CHAR: {
      SQLLEN n = LengthOf(s);
      auto* chars = static_cast<const char*>(p);
      v.kind = Source::kText;
      v.text = n == SQL_NTS ? std::string(chars) : std::string(chars, static_cast<size_t>(n));
      return;
    }
    case SQL_C_WCHAR: {
      SQLLEN n = LengthOf(s);
      auto* w = static_cast<const SQLWCHAR*>(p);
      v.kind = Source::kText;
      v.text = WideIn(w, n == SQL_NTS ? SQL_NTS : n / static_cast<SQLLEN>(sizeof(SQLWCHAR)));
      return;
    }
    case SQL_C_BINARY: {
      SQLLEN n = s.octet_length != nullptr ? LengthOf(s) : s.buffer_length;
      if (n == SQL_NTS) n = static_cast<SQLLEN>(std::strlen(static_cast<const char*>(p)));
      v.kind = Source::kBytes;
      v.text.assign(static_cast<const char*>(p), static_cast<size_t>(n));
      return;
    }
    case SQL_C_BIT: {
      // C Data Types: a SQL_C_BIT holds 0 or 1; anything else is out of range.
      unsigned char bit = Load<unsigned char>(p);
      if (bit > 1) Fail("22003", "Numeric value out of range: SQL_C_BIT value is not 0 or 1");
      v.kind = Source::kBit;
      v.text = bit != 0 ? "1" : "0";
      return;
    }
    case SQL_C_STINYINT:
    case SQL_C_TINYINT:
      v.kind = Source::kSigned;
      AppendNumber(v.text, static_cast<int>(Load<signed char>(p)));
      return;
    case SQL_C_UTINYINT:
      v.kind = Source::kUnsigned;
      AppendNumber(v.text, static_cast<unsigned>(Load<unsigned char>(p)));
      return;
    case SQL_C_SSHORT:
    case SQL_C_SHORT:
      v.kind = Source::kSigned;
      AppendNumber(v.text, Load<SQLSMALLINT>(p));
      return;
    case SQL_C_USHORT:
      v.kind = Source::kUnsigned;
      AppendNumber(v.text, Load<SQLUSMALLINT>(p));
      return;
    case SQL_C_SLONG:
    case SQL_C_LONG:
      v.kind = Source::kSigned;
      AppendNumber(v.text, Load<SQLINTEGER>(p));
      return;
    case SQL_C_ULONG:
      v.kind = Source::kUnsigned;
      AppendNumber(v.text, Load<SQLUINTEGER>(p));
      return;
    case SQL_C_SBIGINT:
      v.kind = Source::kSigned;
      AppendNumber(v.text, Load<SQLBIGINT>(p));
      return;
    case SQL_C_UBIGINT:
      v.kind = Source::kUnsigned;
      AppendNumber(v.text, Load<SQLUBIGINT>(p));
      return;
    case SQL_C_FLOAT:
      v.kind = Source::kDouble;
      v.text = FormatFloat(Load<float>(p));
      return;
    case SQL_C_DOUBLE:
      v.kind = Source::kDouble;
      v.text = FormatFloat(Load<double>(p));
      return;
    case SQL_C_NUMERIC:
      v.kind = Source::kDecimal;
      v.text = FormatNumericStruct(Load<SQL_NUMERIC_STRUCT>(p));
      return;
    case SQL_C_TYPE_DATE:
    case SQL_C_DATE:
      v.kind = Source::kDate;
      v.date = Load<SQL_DATE_STRUCT>(p);
      v.valid = ValidDate(v.date);
      if (v.valid) AppendDate(v.text, v.date);
      return;
    case SQL_C_TYPE_TIME:
    case SQL_C_TIME:
      v.kind = Source::kTime;
      v.time = Load<SQL_TIME_STRUCT>(p);
      v.valid = ValidTime(v.time.hour, v.time.minute, v.time.second, 0);
      if (v.valid) AppendTime(v.text, v.time.hour, v.time.minute, v.time.second, 0);
      return;
    case SQL_C_TYPE_TIMESTAMP:
    case SQL_C_TIMESTAMP:
      v.kind = Source::kTimestamp;
      v.ts = Load<SQL_TIMESTAMP_STRUCT>(p);
      v.valid = ValidDate(SQL_DATE_STRUCT{v.ts.year, v.ts.month, v.ts.day}) &&
                ValidTime(v.ts.hour, v.ts.minute, v.ts.second, v.ts.fraction);
      if (v.valid) AppendTimestamp(v.text, v.ts);
      return;
    case SQL_C_GUID:
      v.kind = Source::kGuid;
      AppendGuid(v.text, Load<SQLGUID>(p));
      return;
    case SQL_C_INTERVAL_YEAR:
    case SQL_C_INTERVAL_MONTH:
    case SQL_C_INTERVAL_YEAR_TO_MONTH:
    case SQL_C_INTERVAL_DAY:
    case SQL_C_INTERVAL_HOUR:
    case SQL_C_INTERVAL_MINUTE:
    case SQL_C_INTERVAL_SECOND:
    case SQL_C_INTERVAL_DAY_TO_HOUR:
    case SQL_C_INTERVAL_DAY_TO_MINUTE:
    case SQL_C_INTERVAL_DAY_TO_SECOND:
    case SQL_C_INTERVAL_HOUR_TO_MINUTE:
    case SQL_C_INTERVAL_HOUR_TO_SECOND:
    case SQL_C_INTERVAL_MINUTE_TO_SECOND:
      v.kind = Source::kInterval;
      v.interval = Load<SQL_INTERVAL_STRUCT>(p);
      v.interval.interval_type = IntervalTypeOf(c_type);  // the C type decides, not the struct
      AppendInterval(v.text, v.interval, s.precision);
      return;
    default:
      Fail("07006", "Restricted data type attribute violation: unsupported C type");
  }
}

// ---------------------------------------------------------------------------------------------
// Leaves: Source -> what is sent, for one SQL type family.

using Leaf = void (*)(Source&, const ParamSource&, EncodedParam&);

void AsText(Source& v, const ParamSource&, EncodedParam& out) { out.value = std::move(v.text); }

[[noreturn]] void NotANumber() {
  Fail("22018", "Invalid character value for cast specification: not a number");
}

template <int64_t kMin, int64_t kMax>
void ToInteger(Source& v, const ParamSource&, EncodedParam& out) {
  std::string_view s = conv::Trim(v.text);
  int64_t i;
  if (!conv::ParseInt64(s, i)) {
    conv::Decimal d;
    if (!conv::ParseDecimal(s, d)) NotANumber();
    unsigned __int128 u;
    bool inexact;
    if (d.special != conv::Decimal::Special::kFinite ||
        !conv::ScaleToU128(d, 0, false, u, inexact) ||
        u > static_cast<unsigned __int128>(INT64_MAX))
      Fail("22003", "Numeric value out of range");
    if (inexact) Fail("22001", "String data, right truncated: fractional digits would be lost");
    i = d.negative ? -static_cast<int64_t>(u) : static_cast<int64_t>(u);
  }
  if (i < kMin || i > kMax) Fail("22003", "Numeric value out of range");
  out.value.clear();
  AppendNumber(out.value, i);
}

void ToNumeric(Source& v, const ParamSource&, EncodedParam& out) {
  conv::Decimal d;
  if (!conv::ParseDecimal(v.text, d)) NotANumber();
  out.value = std::string(conv::Trim(v.text));
}

template <bool kSingle>
void ToFloat(Source& v, const ParamSource&, EncodedParam& out) {
  double d;
  switch (conv::ParseDouble(v.text, d)) {
    case conv::Parse::kInvalid:
      NotANumber();
    case conv::Parse::kOutOfRange:
      Fail("22003", "Numeric value out of range");
    case conv::Parse::kOk:
      break;
  }
  if (kSingle && std::isfinite(d) && std::fabs(d) > FLT_MAX)
    Fail("22003", "Numeric value out of range");
  if (v.kind == Source::kText) {
    out.value = std::string(conv::Trim(v.text));
  } else if (kSingle && v.kind == Source::kDouble) {
    out.value = FormatFloat(static_cast<float>(d));
  } else {
    out.value = std::move(v.text);
  }
}

// ODBC: 0 and 1 convert; 0 < x < 2 is 22001; anything else 22003. PostgreSQL's words
// (true/false/t/f/yes/no/on/off) are accepted from character data too.
void ToBool(Source& v, const ParamSource&, EncodedParam& out) {
  std::string_view s = conv::Trim(v.text);
  std::string lower;
  for (char ch : s) lower.push_back(ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch + 32) : ch);
  if (v.kind == Source::kText) {
    for (const char* w : {"t", "true", "y", "yes", "on"})
      if (lower == w) return void(out.value = "t");
    for (const char* w : {"f", "false", "n", "no", "off"})
      if (lower == w) return void(out.value = "f");
  }
  conv::Decimal d;
  if (!conv::ParseDecimal(s, d)) NotANumber();
  unsigned __int128 u;
  bool inexact;
  if (d.special != conv::Decimal::Special::kFinite || !conv::ScaleToU128(d, 0, false, u, inexact) ||
      (d.negative && !d.IsZero()) || u > 1)
    Fail("22003", "Numeric value out of range");
  if (inexact) Fail("22001", "String data, right truncated");
  out.value = u == 1 ? "t" : "f";
}

void CurrentDate(SQLSMALLINT& y, SQLUSMALLINT& m, SQLUSMALLINT& d) {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  y = static_cast<SQLSMALLINT>(tm.tm_year + 1900);
  m = static_cast<SQLUSMALLINT>(tm.tm_mon + 1);
  d = static_cast<SQLUSMALLINT>(tm.tm_mday);
}

void TimestampToDate(Source& v, const ParamSource&, EncodedParam& out) {
  const auto& ts = v.ts;
  if (ts.hour != 0 || ts.minute != 0 || ts.second != 0 || ts.fraction != 0)
    Fail("22008", "Datetime field overflow: the timestamp has a time part");
  AppendDate(out.value, SQL_DATE_STRUCT{ts.year, ts.month, ts.day});
}

// PostgreSQL time holds microseconds, so the fraction is kept (ODBC would truncate it).
void TimestampToTime(Source& v, const ParamSource&, EncodedParam& out) {
  AppendTime(out.value, v.ts.hour, v.ts.minute, v.ts.second, v.ts.fraction);
}

void TimeToTimestamp(Source& v, const ParamSource&, EncodedParam& out) {
  SQL_TIMESTAMP_STRUCT ts{};
  CurrentDate(ts.year, ts.month, ts.day);  // ODBC: the date is the current date
  ts.hour = v.time.hour;
  ts.minute = v.time.minute;
  ts.second = v.time.second;
  AppendTimestamp(out.value, ts);
}

// C to SQL: Character -> binary: each pair of hex digits is a byte; an odd last digit is not
// converted.
void HexToBytea(Source& v, const ParamSource&, EncodedParam& out) {
  std::string_view s = conv::Trim(v.text);
  if (conv::IsHexBytea(s)) s.remove_prefix(2);
  if (s.size() % 2 != 0) s.remove_suffix(1);
  out.value.resize(s.size() / 2);
  if (!conv::DecodeHex(s, reinterpret_cast<unsigned char*>(out.value.data())))
    Fail("22018", "Invalid character value for cast specification: not hexadecimal");
  out.format = 1;
}

void RawBytea(Source& v, const ParamSource&, EncodedParam& out) {
  out.value = std::move(v.text);
  out.format = 1;
}

// An ODBC escape around a literal ("{d '2024-01-02'}", "{ts '...'}") is taken off.
std::string_view UnwrapEscape(std::string_view s) {
  if (s.size() < 2 || s.front() != '{' || s.back() != '}') return s;
  std::string_view in = conv::Trim(s.substr(1, s.size() - 2));
  size_t q = in.find('\'');
  if (q == std::string_view::npos || in.size() < q + 2 || in.back() != '\'') return s;
  std::string_view keyword = conv::Trim(in.substr(0, q));
  if (keyword != "d" && keyword != "D" && keyword != "ts" && keyword != "TS" && keyword != "t" &&
      keyword != "T")
    return s;
  return in.substr(q + 1, in.size() - q - 2);
}

// C to SQL: Character -> SQL_TYPE_DATE: a date literal, or a timestamp literal whose time is
// zero; a nonzero time would be truncated (22008); anything else is not a date (22018).
// Leading and trailing blanks are ignored. Values PostgreSQL holds and ODBC's structures do not
// (BC dates, [-]infinity) go to the server as written.
void TextToDate(Source& v, const ParamSource&, EncodedParam& out) {
  std::string_view s = UnwrapEscape(conv::Trim(v.text));
  conv::DateTime dt;
  switch (conv::ParseDateTime(s, dt)) {
    case conv::Parse::kOutOfRange:
      out.value = std::string(s);
      return;
    case conv::Parse::kInvalid:
      Fail("22018", "Invalid character value for cast specification: not a date");
    case conv::Parse::kOk:
      break;
  }
  if (!dt.has_date) Fail("22018", "Invalid character value for cast specification: not a date");
  if (dt.hour != 0 || dt.minute != 0 || dt.second != 0 || dt.nanos != 0)
    Fail("22008", "Datetime field overflow: the value's time part would be truncated");
  out.value.clear();
  AppendDate(out.value,
             SQL_DATE_STRUCT{static_cast<SQLSMALLINT>(dt.year), static_cast<SQLUSMALLINT>(dt.month),
                             static_cast<SQLUSMALLINT>(dt.day)});
}

// C to SQL: Binary -> numeric, bit, date, time, timestamp: the bytes are the SQL type's value
// in its C representation, and must be exactly its length (22003 otherwise).
void BytesToValue(Source& v, const ParamSource& s, EncodedParam& out) {
  const std::string& b = v.text;
  auto need = [&](size_t n) {
    if (b.size() != n)
      Fail("22003",
           "Numeric value out of range: the binary value's length does not match the SQL type");
  };
  out.value.clear();
  switch (FamilyOf(s.sql_type).family) {
    case Family::kInt2:
      if (s.sql_type == SQL_TINYINT) {
        need(1);
        AppendNumber(out.value, static_cast<int>(Load<signed char>(b.data())));
      } else {
        need(2);
        AppendNumber(out.value, Load<int16_t>(b.data()));
      }
      return;
    case Family::kInt4:
      need(4);
      AppendNumber(out.value, Load<int32_t>(b.data()));
      return;
    case Family::kInt8:
      need(8);
      AppendNumber(out.value, Load<int64_t>(b.data()));
      return;
    case Family::kFloat4:
      need(4);
      out.value = FormatFloat(Load<float>(b.data()));
      return;
    case Family::kFloat8:
      need(8);
      out.value = FormatFloat(Load<double>(b.data()));
      return;
    case Family::kNumeric:
      need(sizeof(SQL_NUMERIC_STRUCT));
      out.value = FormatNumericStruct(Load<SQL_NUMERIC_STRUCT>(b.data()));
      return;
    case Family::kBool: {
      need(1);
      unsigned char bit = Load<unsigned char>(b.data());
      if (bit > 1) Fail("22003", "Numeric value out of range: a bit is 0 or 1");
      out.value = bit != 0 ? "t" : "f";
      return;
    }
    case Family::kDate: {
      need(sizeof(SQL_DATE_STRUCT));
      auto d = Load<SQL_DATE_STRUCT>(b.data());
      if (!ValidDate(d)) Fail("22007", "Invalid datetime format: not a valid date");
      AppendDate(out.value, d);
      return;
    }
    case Family::kTime: {
      need(sizeof(SQL_TIME_STRUCT));
      auto t = Load<SQL_TIME_STRUCT>(b.data());
      if (!ValidTime(t.hour, t.minute, t.second, 0))
        Fail("22007", "Invalid datetime format: not a valid time");
      AppendTime(out.value, t.hour, t.minute, t.second, 0);
      return;
    }
    case Family::kTimestamp: {
      need(sizeof(SQL_TIMESTAMP_STRUCT));
      auto ts = Load<SQL_TIMESTAMP_STRUCT>(b.data());
      if (!ValidDate(SQL_DATE_STRUCT{ts.year, ts.month, ts.day}) ||
          !ValidTime(ts.hour, ts.minute, ts.second, ts.fraction))
        Fail("22007", "Invalid datetime format: not a valid timestamp");
      AppendTimestamp(out.value, ts);
      return;
    }
    default:
      Fail("07006",
           "Restricted data type attribute violation: binary data does not convert to the "
           "parameter's SQL type");
  }
}

// An exact number into a single-field interval ("5" -> "5 days" for SQL_INTERVAL_DAY).
void NumberToInterval(Source& v, const ParamSource& s, EncodedParam& out) {
  const char* unit;
  switch (s.sql_type) {
    case SQL_INTERVAL_YEAR:
      unit = " years";
      break;
    case SQL_INTERVAL_MONTH:
      unit = " mons";
      break;
    case SQL_INTERVAL_DAY:
      unit = " days";
      break;
    case SQL_INTERVAL_HOUR:
      unit = " hours";
      break;
    case SQL_INTERVAL_MINUTE:
      unit = " mins";
      break;
    case SQL_INTERVAL_SECOND:
      unit = " secs";
      break;
    default:
      Fail("07006",
           "Restricted data type attribute violation: a number needs a single-field "
           "interval type");
  }
  conv::Decimal d;
  if (!conv::ParseDecimal(v.text, d) || d.special != conv::Decimal::Special::kFinite) NotANumber();
  out.value = std::string(conv::Trim(v.text)) + unit;
}

using Row = std::array<Leaf, static_cast<size_t>(Family::kCount)>;
using Table = std::array<Row, Source::kKindCount>;

constexpr size_t F(Family f) { return static_cast<size_t>(f); }

constexpr void SetNumeric(Row& r) {
  r[F(Family::kChar)] = AsText;
  r[F(Family::kInt2)] = ToInteger<-32768, 32767>;
  r[F(Family::kInt4)] = ToInteger<INT32_MIN, INT32_MAX>;
  r[F(Family::kInt8)] = ToInteger<INT64_MIN, INT64_MAX>;
  r[F(Family::kNumeric)] = ToNumeric;
  r[F(Family::kFloat4)] = ToFloat<true>;
  r[F(Family::kFloat8)] = ToFloat<false>;
  r[F(Family::kBool)] = ToBool;
}

// Which pairs convert (ODBC appendix D, C -> SQL); every other pair is 07006.
constexpr Table BuildTable() {
  Table t{};
  for (Source::Kind k : {Source::kText, Source::kSigned, Source::kUnsigned, Source::kDouble,
                         Source::kDecimal, Source::kBit})
    SetNumeric(t[k]);
  for (Source::Kind k : {Source::kSigned, Source::kUnsigned, Source::kDecimal})
    t[k][F(Family::kInterval)] = NumberToInterval;
  t[Source::kText][F(Family::kDate)] = TextToDate;
  for (Family f : {Family::kTime, Family::kTimestamp, Family::kGuid, Family::kInterval})
    t[Source::kText][F(f)] = AsText;  // the server parses and validates these literals
  t[Source::kText][F(Family::kBytea)] = HexToBytea;
  t[Source::kBytes][F(Family::kChar)] = AsText;
  t[Source::kBytes][F(Family::kBytea)] = RawBytea;
  for (Family f :
       {Family::kInt2, Family::kInt4, Family::kInt8, Family::kNumeric, Family::kFloat4,
        Family::kFloat8, Family::kBool, Family::kDate, Family::kTime, Family::kTimestamp})
    t[Source::kBytes][F(f)] = BytesToValue;
  t[Source::kDate][F(Family::kChar)] = AsText;
  t[Source::kDate][F(Family::kDate)] = AsText;
  t[Source::kDate][F(Family::kTimestamp)] = AsText;
  t[Source::kTime][F(Family::kChar)] = AsText;
  t[Source::kTime][F(Family::kTime)] = AsText;
  t[Source::kTime][F(Family::kTimestamp)] = TimeToTimestamp;
  t[Source::kTimestamp][F(Family::kChar)] = AsText;
  t[Source::kTimestamp][F(Family::kDate)] = TimestampToDate;
  t[Source::kTimestamp][F(Family::kTime)] = TimestampToTime;
  t[Source::kTimestamp][F(Family::kTimestamp)] = AsText;
  t[Source::kGuid][F(Family::kChar)] = AsText;
  t[Source::kGuid][F(Family::kGuid)] = AsText;
  t[Source::kInterval][F(Family::kChar)] = AsText;
  t[Source::kInterval][F(Family::kInterval)] = AsText;
  return t;
}

constexpr Table kTable = BuildTable();

bool IsCharacterSqlType(SQLSMALLINT t) {
  return t == SQL_CHAR || t == SQL_VARCHAR || t == SQL_LONGVARCHAR || t == SQL_WCHAR ||
         t == SQL_WVARCHAR || t == SQL_WLONGVARCHAR;
}

size_t CodePoints(std::string_view utf8) {
  size_t n = 0;
  for (char ch : utf8)
    if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++n;
  return n;
}

// Appendix D, C to SQL: data longer than the parameter's column size (ColumnSize in
// SQLBindParameter, the IPD's SQL_DESC_LENGTH; 0: not given) is 22001 for character and binary
// SQL types. Character data is measured in characters, since PostgreSQL's char(n) and
// varchar(n) limit characters (and the driver describes them so); raw bytes in bytes.
void CheckColumnSize(const ParamSource& s, const Source& v, Family family,
                     const EncodedParam& out) {
  if (s.column_size == 0 || out.is_null) return;
  size_t length;
  if (family == Family::kBytea) {
    length = out.value.size();
  } else if (family == Family::kChar && IsCharacterSqlType(s.sql_type)) {
    length = v.kind == Source::kBytes ? out.value.size() : CodePoints(out.value);
  } else {
    return;
  }
  if (length > s.column_size)
    Fail("22001", "String data, right truncated: the value is longer than the column size " +
                      std::to_string(s.column_size));
}

SQLSMALLINT DefaultCTypeForSql(SQLSMALLINT sql_type) {
  // ODBC "Default C Data Types"; character data by default.
  switch (sql_type) {
    case SQL_WCHAR:
    case SQL_WVARCHAR:
    case SQL_WLONGVARCHAR:
      return SQL_C_WCHAR;
    default:
      return DefaultCType(pg::ValueKind::kText, sql_type);
  }
}

}  // namespace

void EncodeParam(const ParamSource& source, EncodedParam& out) {
  FamilyInfo fam = FamilyOf(source.sql_type);
  out = EncodedParam{};
  out.type = fam.oid;
  const SQLLEN* ind = source.indicator != nullptr ? source.indicator : source.octet_length;
  if (ind != nullptr && *ind == SQL_NULL_DATA) {
    out.is_null = true;
    return;
  }
  if (source.data == nullptr) Fail("HY009", "Invalid use of null pointer: parameter data");
  SQLSMALLINT c_type =
      source.c_type == SQL_C_DEFAULT ? DefaultCTypeForSql(source.sql_type) : source.c_type;
  Source v;
  Read(source, c_type, v);
  Leaf leaf = kTable[v.kind][F(fam.family)];
  if (leaf == nullptr)
    Fail("07006",
         "Restricted data type attribute violation: the C type does not convert to "
         "the parameter's SQL type");
  if (!v.valid) {  // a struct with no valid date or time (C to SQL: Date, Time, Timestamp)
    if (fam.family == Family::kChar)
      Fail("22008", "Datetime field overflow: the structure holds no valid date or time");
    Fail("22007", "Invalid datetime format: the structure holds no valid date or time");
  }
  leaf(v, source, out);
  CheckColumnSize(source, v, fam.family, out);
}

}  // namespace lakebase::odbc

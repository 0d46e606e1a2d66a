// WriteValue: every (ValueKind x SQL_C_*) cell, chunked SQLGetData, NULLs, SQL_C_NUMERIC,
// dates and intervals, and locale independence.
#include <gtest/gtest.h>

#include <clocale>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <limits>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "odbc/convert/convert.h"

// Counts heap allocations, to prove the bound fixed-size paths allocate nothing. (GCC's
// -Wmismatched-new-delete misfires once these replacements are inlined: malloc/free do match.)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
static long g_allocations = 0;
void* operator new(size_t n) {
  ++g_allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }

namespace lakebase::odbc {
namespace {

using K = pg::ValueKind;
using Bytes = std::vector<unsigned char>;
constexpr SQLLEN kAnyLength = -9999;

constexpr K kAllKinds[] = {K::kBool,     K::kInt16,   K::kInt32,  K::kInt64,     K::kFloat32,
                           K::kFloat64,  K::kNumeric, K::kMoney,  K::kText,      K::kBytea,
                           K::kDate,     K::kTime,    K::kTimeTz, K::kTimestamp, K::kTimestampTz,
                           K::kInterval, K::kUuid};
constexpr SQLSMALLINT kAllCTypes[] = {SQL_C_CHAR,
                                      SQL_C_WCHAR,
                                      SQL_C_BINARY,
                                      SQL_C_BIT,
                                      SQL_C_STINYINT,
                                      SQL_C_UTINYINT,
                                      SQL_C_TINYINT,
                                      SQL_C_SSHORT,
                                      SQL_C_USHORT,
                                      SQL_C_SHORT,
                                      SQL_C_SLONG,
                                      SQL_C_ULONG,
                                      SQL_C_LONG,
                                      SQL_C_SBIGINT,
                                      SQL_C_UBIGINT,
                                      SQL_C_FLOAT,
                                      SQL_C_DOUBLE,
                                      SQL_C_NUMERIC,
                                      SQL_C_TYPE_DATE,
                                      SQL_C_DATE,
                                      SQL_C_TYPE_TIME,
                                      SQL_C_TIME,
                                      SQL_C_TYPE_TIMESTAMP,
                                      SQL_C_TIMESTAMP,
                                      SQL_C_GUID,
                                      SQL_C_INTERVAL_YEAR,
                                      SQL_C_INTERVAL_MONTH,
                                      SQL_C_INTERVAL_YEAR_TO_MONTH,
                                      SQL_C_INTERVAL_DAY,
                                      SQL_C_INTERVAL_HOUR,
                                      SQL_C_INTERVAL_MINUTE,
                                      SQL_C_INTERVAL_SECOND,
                                      SQL_C_INTERVAL_DAY_TO_HOUR,
                                      SQL_C_INTERVAL_DAY_TO_MINUTE,
                                      SQL_C_INTERVAL_DAY_TO_SECOND,
                                      SQL_C_INTERVAL_HOUR_TO_MINUTE,
                                      SQL_C_INTERVAL_HOUR_TO_SECOND,
                                      SQL_C_INTERVAL_MINUTE_TO_SECOND,
                                      SQL_C_DEFAULT};

// The ODBC 2 aliases convert exactly as their ODBC 3 names.
SQLSMALLINT Canonical(SQLSMALLINT c) {
  switch (c) {
    case SQL_C_TINYINT:
      return SQL_C_STINYINT;
    case SQL_C_SHORT:
      return SQL_C_SSHORT;
    case SQL_C_LONG:
      return SQL_C_SLONG;
    case SQL_C_DATE:
      return SQL_C_TYPE_DATE;
    case SQL_C_TIME:
      return SQL_C_TYPE_TIME;
    case SQL_C_TIMESTAMP:
      return SQL_C_TYPE_TIMESTAMP;
    default:
      return c;
  }
}

template <class T>
Bytes B(const T& v) {
  Bytes b(sizeof v);
  std::memcpy(b.data(), &v, sizeof v);
  return b;
}
Bytes S(std::string_view s) {  // character data with its NUL
  Bytes b(s.begin(), s.end());
  b.push_back(0);
  return b;
}
Bytes R(std::string_view s) { return Bytes(s.begin(), s.end()); }
Bytes W(std::u16string_view s) {  // UTF-16 with its NUL
  Bytes b;
  for (char16_t u : s) {
    SQLWCHAR w = u;
    auto* p = reinterpret_cast<unsigned char*>(&w);
    b.insert(b.end(), p, p + 2);
  }
  b.push_back(0);
  b.push_back(0);
  return b;
}
Bytes Num(int precision, int scale, bool positive, unsigned __int128 v) {
  SQL_NUMERIC_STRUCT n{};
  n.precision = static_cast<SQLCHAR>(precision);
  n.scale = static_cast<SQLSCHAR>(scale);
  n.sign = positive ? 1 : 0;
  for (int i = 0; i < 16; ++i, v >>= 8) n.val[i] = static_cast<SQLCHAR>(v & 0xFF);
  return B(n);
}
Bytes Iv(SQLINTERVAL type, bool negative, SQLUINTEGER a, SQLUINTEGER b = 0, SQLUINTEGER c = 0,
         SQLUINTEGER d = 0, SQLUINTEGER e = 0) {
  SQL_INTERVAL_STRUCT s;
  std::memset(&s, 0, sizeof s);
  s.interval_type = type;
  s.interval_sign = negative ? SQL_TRUE : SQL_FALSE;
  if (type == SQL_IS_YEAR || type == SQL_IS_YEAR_TO_MONTH) {
    s.intval.year_month.year = a;
    s.intval.year_month.month = b;
  } else if (type == SQL_IS_MONTH) {
    s.intval.year_month.month = a;
  } else {
    SQLUINTEGER* f[] = {&s.intval.day_second.day, &s.intval.day_second.hour,
                        &s.intval.day_second.minute, &s.intval.day_second.second,
                        &s.intval.day_second.fraction};
    int first =
        type == SQL_IS_DAY || type == SQL_IS_DAY_TO_HOUR || type == SQL_IS_DAY_TO_MINUTE ||
                type == SQL_IS_DAY_TO_SECOND
            ? 0
        : type == SQL_IS_HOUR || type == SQL_IS_HOUR_TO_MINUTE || type == SQL_IS_HOUR_TO_SECOND ? 1
        : type == SQL_IS_MINUTE || type == SQL_IS_MINUTE_TO_SECOND                              ? 2
                                                                                                : 3;
    SQLUINTEGER vals[] = {a, b, c, d, e};
    for (int i = 0; first + i < 5; ++i) *f[first + i] = vals[i];
  }
  return B(s);
}

struct Result {
  SQLRETURN rc = SQL_ERROR;
  std::string state;
  SQLLEN ind = 0;
  unsigned char buf[80];
};

Result Convert(K kind, const char* text, SQLSMALLINT c_type, SQLLEN buffer_length = 76,
               SQLSMALLINT precision = 0, SQLSMALLINT scale = 0) {
  Result r;
  std::memset(r.buf, 0xCC, sizeof r.buf);
  r.ind = 12345;
  Cell cell{text, text != nullptr ? std::strlen(text) : 0, text == nullptr};
  CTarget t;
  t.c_type = c_type;
  t.data = r.buf;
  t.buffer_length = buffer_length;
  t.octet_length = &r.ind;
  t.indicator = &r.ind;
  t.precision = precision;
  t.scale = scale;
  Diagnostics diag;
  r.rc = WriteValue(cell, kind, t, nullptr, CellPosition{}, diag);
  if (!diag.records().empty()) r.state = diag.records().front().sqlstate;
  return r;
}

struct Case {
  K kind;
  const char* text;
  SQLSMALLINT c_type;
  SQLRETURN rc;
  const char* state;  // "" for none
  Bytes bytes;        // expected leading bytes of the buffer (empty: not checked)
  SQLLEN ind = kAnyLength;
  SQLSMALLINT precision = 0, scale = 0;
};

Case Ok(K k, const char* text, SQLSMALLINT c, Bytes b, SQLLEN ind = kAnyLength) {
  return {k, text, c, SQL_SUCCESS, "", std::move(b), ind};
}
Case Info(K k, const char* text, SQLSMALLINT c, const char* state, Bytes b,
          SQLLEN ind = kAnyLength) {
  return {k, text, c, SQL_SUCCESS_WITH_INFO, state, std::move(b), ind};
}
Case Err(K k, const char* text, SQLSMALLINT c, const char* state) {
  return {k, text, c, SQL_ERROR, state, {}};
}

// All the integer targets receiving `v` (exact, or with 01S07 when `state` is given).
void Ints(std::vector<Case>& cases, K k, const char* text, int64_t v, const char* state = "") {
  auto add = [&](SQLSMALLINT c, bool fits, Bytes b) {
    if (!fits) {
      cases.push_back(Err(k, text, c, "22003"));
    } else if (*state) {
      cases.push_back(Info(k, text, c, state, std::move(b)));
    } else {
      cases.push_back(Ok(k, text, c, std::move(b)));
    }
  };
  auto in = [&](auto type_tag) {
    using T = decltype(type_tag);
    return v >= static_cast<int64_t>(std::numeric_limits<T>::min()) &&
           (v < 0 || static_cast<uint64_t>(v) <= std::numeric_limits<T>::max());
  };
  add(SQL_C_STINYINT, in(int8_t{}), B(static_cast<int8_t>(v)));
  add(SQL_C_UTINYINT, in(uint8_t{}), B(static_cast<uint8_t>(v)));
  add(SQL_C_SSHORT, in(int16_t{}), B(static_cast<int16_t>(v)));
  add(SQL_C_USHORT, in(uint16_t{}), B(static_cast<uint16_t>(v)));
  add(SQL_C_SLONG, in(int32_t{}), B(static_cast<int32_t>(v)));
  add(SQL_C_ULONG, in(uint32_t{}), B(static_cast<uint32_t>(v)));
  add(SQL_C_SBIGINT, true, B(v));
  add(SQL_C_UBIGINT, v >= 0, B(static_cast<uint64_t>(v)));
}

void CharOnly(std::vector<Case>& cases, K k, const char* text, std::string_view chars,
              std::u16string_view wide) {
  cases.push_back(Ok(k, text, SQL_C_CHAR, S(chars), static_cast<SQLLEN>(chars.size())));
  cases.push_back(Ok(k, text, SQL_C_WCHAR, W(wide), static_cast<SQLLEN>(wide.size() * 2)));
}
void CharForms(std::vector<Case>& cases, K k, const char* text, std::string_view chars,
               std::u16string_view wide, std::string_view binary) {
  CharOnly(cases, k, text, chars, wide);
  cases.push_back(Ok(k, text, SQL_C_BINARY, R(binary), static_cast<SQLLEN>(binary.size())));
}

SQL_TIMESTAMP_STRUCT Ts(int y, int mo, int d, int h, int mi, int s, unsigned frac) {
  return {static_cast<SQLSMALLINT>(y),
          static_cast<SQLUSMALLINT>(mo),
          static_cast<SQLUSMALLINT>(d),
          static_cast<SQLUSMALLINT>(h),
          static_cast<SQLUSMALLINT>(mi),
          static_cast<SQLUSMALLINT>(s),
          frac};
}
SQL_DATE_STRUCT Date(int y, int m, int d) {
  return {static_cast<SQLSMALLINT>(y), static_cast<SQLUSMALLINT>(m), static_cast<SQLUSMALLINT>(d)};
}
SQL_TIME_STRUCT Time(int h, int m, int s) {
  return {static_cast<SQLUSMALLINT>(h), static_cast<SQLUSMALLINT>(m), static_cast<SQLUSMALLINT>(s)};
}
SQL_TIMESTAMP_STRUCT Today(int h, int mi, int s) {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  return Ts(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, h, mi, s, 0);
}

const char* kUuidText = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
SQLGUID UuidStruct() {
  SQLGUID g{};
  g.Data1 = 0xa0eebc99;
  g.Data2 = 0x9c0b;
  g.Data3 = 0x4ef8;
  const unsigned char d4[] = {0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38, 0x0a, 0x11};
  std::memcpy(g.Data4, d4, 8);
  return g;
}

std::vector<Case> MatrixCases() {
  std::vector<Case> c;
  // bool
  CharForms(c, K::kBool, "t", "1", u"1", "1");
  c.push_back(Ok(K::kBool, "f", SQL_C_BIT, B<unsigned char>(0), 1));
  c.push_back(Ok(K::kBool, "t", SQL_C_BIT, B<unsigned char>(1), 1));
  Ints(c, K::kBool, "t", 1);
  c.push_back(Ok(K::kBool, "t", SQL_C_FLOAT, B(1.0f), 4));
  c.push_back(Ok(K::kBool, "t", SQL_C_DOUBLE, B(1.0), 8));
  c.push_back(Ok(K::kBool, "t", SQL_C_NUMERIC, Num(38, 0, true, 1)));
  // int2
  CharForms(c, K::kInt16, "-12", "-12", u"-12", "-12");
  c.push_back(Err(K::kInt16, "-12", SQL_C_BIT, "22003"));
  Ints(c, K::kInt16, "-12", -12);
  c.push_back(Ok(K::kInt16, "-12", SQL_C_FLOAT, B(-12.0f)));
  c.push_back(Ok(K::kInt16, "-12", SQL_C_DOUBLE, B(-12.0)));
  c.push_back(Ok(K::kInt16, "-12", SQL_C_NUMERIC, Num(38, 0, false, 12)));
  c.push_back(Ok(K::kInt16, "-12", SQL_C_INTERVAL_YEAR, Iv(SQL_IS_YEAR, true, 12)));
  c.push_back(Ok(K::kInt16, "-12", SQL_C_INTERVAL_MONTH, Iv(SQL_IS_MONTH, true, 12)));
  c.push_back(Ok(K::kInt16, "-12", SQL_C_INTERVAL_DAY, Iv(SQL_IS_DAY, true, 12)));
  c.push_back(Ok(K::kInt16, "-12", SQL_C_INTERVAL_HOUR, Iv(SQL_IS_HOUR, true, 12)));
  c.push_back(Ok(K::kInt16, "-12", SQL_C_INTERVAL_MINUTE, Iv(SQL_IS_MINUTE, true, 12)));
  c.push_back(Ok(K::kInt16, "-12", SQL_C_INTERVAL_SECOND, Iv(SQL_IS_SECOND, true, 12)));
  // int4
  CharForms(c, K::kInt32, "100000", "100000", u"100000", "100000");
  c.push_back(Ok(K::kInt32, "1", SQL_C_BIT, B<unsigned char>(1)));
  Ints(c, K::kInt32, "100000", 100000);
  Ints(c, K::kInt32, "200", 200);
  c.push_back(Ok(K::kInt32, "100000", SQL_C_FLOAT, B(100000.0f)));
  c.push_back(Ok(K::kInt32, "100000", SQL_C_DOUBLE, B(100000.0)));
  c.push_back(Ok(K::kInt32, "100000", SQL_C_NUMERIC, Num(38, 0, true, 100000)));
  c.push_back(Ok(K::kInt32, "5", SQL_C_INTERVAL_YEAR, Iv(SQL_IS_YEAR, false, 5)));
  c.push_back(Ok(K::kInt32, "5", SQL_C_INTERVAL_MONTH, Iv(SQL_IS_MONTH, false, 5)));
  c.push_back(Ok(K::kInt32, "5", SQL_C_INTERVAL_DAY, Iv(SQL_IS_DAY, false, 5)));
  c.push_back(Ok(K::kInt32, "5", SQL_C_INTERVAL_HOUR, Iv(SQL_IS_HOUR, false, 5)));
  c.push_back(Ok(K::kInt32, "5", SQL_C_INTERVAL_MINUTE, Iv(SQL_IS_MINUTE, false, 5)));
  c.push_back(Ok(K::kInt32, "5", SQL_C_INTERVAL_SECOND, Iv(SQL_IS_SECOND, false, 5)));
  // int8
  const char* big = "9223372036854775807";
  CharForms(c, K::kInt64, big, big, u"9223372036854775807", big);
  c.push_back(Err(K::kInt64, big, SQL_C_BIT, "22003"));
  Ints(c, K::kInt64, big, INT64_MAX);
  Ints(c, K::kInt64, "-9223372036854775808", INT64_MIN);
  c.push_back(Ok(K::kInt64, big, SQL_C_FLOAT, B(9.223372036854775807e18f)));
  c.push_back(Ok(K::kInt64, big, SQL_C_DOUBLE, B(9.223372036854775807e18)));
  c.push_back(Ok(K::kInt64, big, SQL_C_NUMERIC, Num(38, 0, true, INT64_MAX)));
  c.push_back(Ok(K::kInt64, "7", SQL_C_INTERVAL_YEAR, Iv(SQL_IS_YEAR, false, 7)));
  c.push_back(Ok(K::kInt64, "7", SQL_C_INTERVAL_MONTH, Iv(SQL_IS_MONTH, false, 7)));
  c.push_back(Ok(K::kInt64, "7", SQL_C_INTERVAL_DAY, Iv(SQL_IS_DAY, false, 7)));
  c.push_back(Ok(K::kInt64, "7", SQL_C_INTERVAL_HOUR, Iv(SQL_IS_HOUR, false, 7)));
  c.push_back(Ok(K::kInt64, "7", SQL_C_INTERVAL_MINUTE, Iv(SQL_IS_MINUTE, false, 7)));
  c.push_back(Ok(K::kInt64, "7", SQL_C_INTERVAL_SECOND, Iv(SQL_IS_SECOND, false, 7)));
  c.push_back(Err(K::kInt64, big, SQL_C_INTERVAL_DAY, "22003"));
  // float4
  CharForms(c, K::kFloat32, "1.5", "1.5", u"1.5", "1.5");
  c.push_back(Info(K::kFloat32, "1.5", SQL_C_BIT, "01S07", B<unsigned char>(1)));
  Ints(c, K::kFloat32, "1.5", 1, "01S07");
  Ints(c, K::kFloat32, "-300", -300);
  c.push_back(Ok(K::kFloat32, "1.5", SQL_C_FLOAT, B(1.5f)));
  c.push_back(Ok(K::kFloat32, "1.5", SQL_C_DOUBLE, B(1.5)));
  c.push_back(Info(K::kFloat32, "1.5", SQL_C_NUMERIC, "01S07", Num(38, 0, true, 2)));
  // float8
  CharForms(c, K::kFloat64, "-Infinity", "-Infinity", u"-Infinity", "-Infinity");
  c.push_back(Err(K::kFloat64, "-Infinity", SQL_C_BIT, "22003"));
  Ints(c, K::kFloat64, "-2.75", -2, "01S07");
  for (SQLSMALLINT t : {SQL_C_STINYINT, SQL_C_UTINYINT, SQL_C_SSHORT, SQL_C_USHORT, SQL_C_SLONG,
                        SQL_C_ULONG, SQL_C_SBIGINT, SQL_C_UBIGINT})
    c.push_back(Err(K::kFloat64, "NaN", t, "22003"));
  c.push_back(
      Ok(K::kFloat64, "-Infinity", SQL_C_FLOAT, B(-std::numeric_limits<float>::infinity())));
  c.push_back(
      Ok(K::kFloat64, "-Infinity", SQL_C_DOUBLE, B(-std::numeric_limits<double>::infinity())));
  c.push_back(Err(K::kFloat64, "1e300", SQL_C_FLOAT, "22003"));
  c.push_back(Ok(K::kFloat64, "0.1", SQL_C_DOUBLE, B(0.1)));
  c.push_back(Err(K::kFloat64, "-Infinity", SQL_C_NUMERIC, "22003"));
  c.push_back(Ok(K::kFloat64, "0.25", SQL_C_NUMERIC, Num(38, 0, true, 0)) /* below */);
  c.back().rc = SQL_SUCCESS_WITH_INFO;
  c.back().state = "01S07";
  // numeric
  CharForms(c, K::kNumeric, "123.456", "123.456", u"123.456", "123.456");
  c.push_back(Err(K::kNumeric, "123.456", SQL_C_BIT, "22003"));
  c.push_back(Info(K::kNumeric, "0.5", SQL_C_BIT, "01S07", B<unsigned char>(0)));
  Ints(c, K::kNumeric, "123.456", 123, "01S07");
  Ints(c, K::kNumeric, "-129", -129);
  for (SQLSMALLINT t : {SQL_C_STINYINT, SQL_C_SLONG, SQL_C_SBIGINT, SQL_C_NUMERIC, SQL_C_BIT})
    c.push_back(Err(K::kNumeric, "NaN", t, "22003"));
  c.push_back(Ok(K::kNumeric, "NaN", SQL_C_DOUBLE, B(std::numeric_limits<double>::quiet_NaN())));
  c.push_back(Ok(K::kNumeric, "123.456", SQL_C_FLOAT, B(123.456f)));
  c.push_back(Ok(K::kNumeric, "123.456", SQL_C_DOUBLE, B(123.456)));
  c.push_back(Info(K::kNumeric, "123.456", SQL_C_NUMERIC, "01S07", Num(38, 0, true, 123)));
  c.push_back(Info(K::kNumeric, "2.5", SQL_C_INTERVAL_YEAR, "01S07", Iv(SQL_IS_YEAR, false, 2)));
  c.push_back(Ok(K::kNumeric, "2", SQL_C_INTERVAL_MONTH, Iv(SQL_IS_MONTH, false, 2)));
  c.push_back(Ok(K::kNumeric, "2", SQL_C_INTERVAL_DAY, Iv(SQL_IS_DAY, false, 2)));
  c.push_back(Ok(K::kNumeric, "2", SQL_C_INTERVAL_HOUR, Iv(SQL_IS_HOUR, false, 2)));
  c.push_back(Ok(K::kNumeric, "-2", SQL_C_INTERVAL_MINUTE, Iv(SQL_IS_MINUTE, true, 2)));
  c.push_back(Ok(K::kNumeric, "2", SQL_C_INTERVAL_SECOND, Iv(SQL_IS_SECOND, false, 2)));
  // money
  CharForms(c, K::kMoney, "$1,234.56", "$1,234.56", u"$1,234.56", "$1,234.56");
  c.push_back(Err(K::kMoney, "$1,234.56", SQL_C_BIT, "22003"));
  Ints(c, K::kMoney, "$1,234.56", 1234, "01S07");
  Ints(c, K::kMoney, "-$5.00", -5);
  c.push_back(Ok(K::kMoney, "$1,234.56", SQL_C_FLOAT, B(1234.56f)));
  c.push_back(Ok(K::kMoney, "$1,234.56", SQL_C_DOUBLE, B(1234.56)));
  c.push_back(Info(K::kMoney, "$1,234.56", SQL_C_NUMERIC, "01S07", Num(38, 0, true, 1235)));
  // text
  CharForms(c, K::kText, "  42 ", "  42 ", u"  42 ", "  42 ");
  CharForms(c, K::kText, "caf\xC3\xA9", "caf\xC3\xA9", u"caf\u00e9", "caf\xC3\xA9");
  c.push_back(Ok(K::kText, "1", SQL_C_BIT, B<unsigned char>(1)));
  c.push_back(Ok(K::kText, "true", SQL_C_BIT, B<unsigned char>(1)));
  c.push_back(Info(K::kText, "1.5", SQL_C_BIT, "01S07", B<unsigned char>(1)));
  c.push_back(Err(K::kText, "2", SQL_C_BIT, "22003"));
  c.push_back(Err(K::kText, "maybe", SQL_C_BIT, "22018"));
  Ints(c, K::kText, "  42 ", 42);
  Ints(c, K::kText, "4.2e1", 42);
  for (SQLSMALLINT t :
       {SQL_C_STINYINT, SQL_C_UTINYINT, SQL_C_SSHORT, SQL_C_USHORT, SQL_C_SLONG, SQL_C_ULONG,
        SQL_C_SBIGINT, SQL_C_UBIGINT, SQL_C_FLOAT, SQL_C_DOUBLE, SQL_C_NUMERIC})
    c.push_back(Err(K::kText, "abc", t, "22018"));
  c.push_back(Ok(K::kText, "2.5", SQL_C_FLOAT, B(2.5f)));
  c.push_back(Ok(K::kText, "2.5", SQL_C_DOUBLE, B(2.5)));
  c.push_back(Err(K::kText, "1e999", SQL_C_DOUBLE, "22003"));
  c.push_back(Ok(K::kText, "-2.5", SQL_C_NUMERIC, Num(38, 0, false, 3)));
  c.back().rc = SQL_SUCCESS_WITH_INFO;
  c.back().state = "01S07";
  c.push_back(Ok(K::kText, "2024-01-02", SQL_C_TYPE_DATE, B(Date(2024, 1, 2))));
  c.push_back(Info(K::kText, "2024-01-02 10:00:00", SQL_C_TYPE_DATE, "01S07", B(Date(2024, 1, 2))));
  c.push_back(Err(K::kText, "not a date", SQL_C_TYPE_DATE, "22018"));
  c.push_back(Err(K::kText, "10:00:00", SQL_C_TYPE_DATE, "22018"));
  c.push_back(Ok(K::kText, "2024-01-02 03:04:05", SQL_C_TYPE_TIME, B(Time(3, 4, 5))));
  c.push_back(Err(K::kText, "2024-01-02", SQL_C_TYPE_TIME, "22018"));
  c.push_back(Ok(K::kText, "2024-01-02T03:04:05.5", SQL_C_TYPE_TIMESTAMP,
                 B(Ts(2024, 1, 2, 3, 4, 5, 500000000))));
  c.push_back(Ok(K::kText, "2024-01-02", SQL_C_TYPE_TIMESTAMP, B(Ts(2024, 1, 2, 0, 0, 0, 0))));
  c.push_back(Err(K::kText, "2024-13-02", SQL_C_TYPE_TIMESTAMP, "22018"));
  c.push_back(Ok(K::kText, kUuidText, SQL_C_GUID, B(UuidStruct())));
  c.push_back(Ok(K::kText, "{A0EEBC999C0B4EF8BB6D6BB9BD380A11}", SQL_C_GUID, B(UuidStruct())));
  c.push_back(Err(K::kText, "a0eebc99", SQL_C_GUID, "22018"));
  c.push_back(Ok(K::kText, "3 days", SQL_C_INTERVAL_DAY, Iv(SQL_IS_DAY, false, 3)));
  c.push_back(Ok(K::kText, "4", SQL_C_INTERVAL_HOUR, Iv(SQL_IS_HOUR, false, 4)));
  c.push_back(Ok(K::kText, "1 year", SQL_C_INTERVAL_YEAR, Iv(SQL_IS_YEAR, false, 1)));
  c.push_back(Ok(K::kText, "1 mon", SQL_C_INTERVAL_MONTH, Iv(SQL_IS_MONTH, false, 1)));
  c.push_back(Ok(K::kText, "-1 year -2 mons", SQL_C_INTERVAL_YEAR_TO_MONTH,
                 Iv(SQL_IS_YEAR_TO_MONTH, true, 1, 2)));
  c.push_back(Ok(K::kText, "00:05:00", SQL_C_INTERVAL_MINUTE, Iv(SQL_IS_MINUTE, false, 5)));
  c.push_back(Ok(K::kText, "00:00:07", SQL_C_INTERVAL_SECOND, Iv(SQL_IS_SECOND, false, 7)));
  c.push_back(Ok(K::kText, "1 day 02:00:00", SQL_C_INTERVAL_DAY_TO_HOUR,
                 Iv(SQL_IS_DAY_TO_HOUR, false, 1, 2)));
  c.push_back(Ok(K::kText, "1 day 02:03:00", SQL_C_INTERVAL_DAY_TO_MINUTE,
                 Iv(SQL_IS_DAY_TO_MINUTE, false, 1, 2, 3)));
  c.push_back(Ok(K::kText, "1 day 02:03:04", SQL_C_INTERVAL_DAY_TO_SECOND,
                 Iv(SQL_IS_DAY_TO_SECOND, false, 1, 2, 3, 4, 0)));
  c.push_back(Ok(K::kText, "02:03:00", SQL_C_INTERVAL_HOUR_TO_MINUTE,
                 Iv(SQL_IS_HOUR_TO_MINUTE, false, 2, 3)));
  c.push_back(Ok(K::kText, "02:03:04", SQL_C_INTERVAL_HOUR_TO_SECOND,
                 Iv(SQL_IS_HOUR_TO_SECOND, false, 2, 3, 4, 0)));
  c.push_back(Ok(K::kText, "00:03:04", SQL_C_INTERVAL_MINUTE_TO_SECOND,
                 Iv(SQL_IS_MINUTE_TO_SECOND, false, 3, 4, 0)));
  c.push_back(Err(K::kText, "soon", SQL_C_INTERVAL_DAY_TO_SECOND, "22018"));
  // bytea: hex digits as characters, raw bytes as binary
  CharForms(c, K::kBytea, "\\x0506ff", "0506ff", u"0506ff", "\x05\x06\xff");
  CharForms(c, K::kBytea, "a\\\\b\\000", "615c6200", u"615c6200", std::string("a\\b\0", 4));
  // date
  CharOnly(c, K::kDate, "2024-01-02", "2024-01-02", u"2024-01-02");
  // SQL to C: Date -> SQL_C_BINARY is the SQL_DATE_STRUCT.
  c.push_back(Ok(K::kDate, "2024-01-02", SQL_C_BINARY, B(Date(2024, 1, 2)), 6));
  c.push_back(Ok(K::kDate, "2024-02-29", SQL_C_TYPE_DATE, B(Date(2024, 2, 29)), 6));
  c.push_back(Err(K::kDate, "0044-03-15 BC", SQL_C_TYPE_DATE, "22008"));
  c.push_back(Err(K::kDate, "infinity", SQL_C_TYPE_DATE, "22008"));
  c.push_back(Err(K::kDate, "-infinity", SQL_C_TYPE_TIMESTAMP, "22008"));
  c.push_back(Ok(K::kDate, "2024-01-02", SQL_C_TYPE_TIMESTAMP, B(Ts(2024, 1, 2, 0, 0, 0, 0)), 16));
  // time
  CharOnly(c, K::kTime, "03:04:05.5", "03:04:05.5", u"03:04:05.5");
  c.push_back(Info(K::kTime, "03:04:05.5", SQL_C_BINARY, "01S07", B(Time(3, 4, 5)), 6));
  c.push_back(Ok(K::kTime, "03:04:05", SQL_C_BINARY, B(Time(3, 4, 5)), 6));
  c.push_back(Info(K::kTime, "03:04:05.5", SQL_C_TYPE_TIME, "01S07", B(Time(3, 4, 5)), 6));
  c.push_back(Ok(K::kTime, "23:59:59", SQL_C_TYPE_TIME, B(Time(23, 59, 59))));
  c.push_back(Err(K::kTime, "24:00:00", SQL_C_TYPE_TIME, "22008"));
  c.push_back(Ok(K::kTime, "03:04:05", SQL_C_TYPE_TIMESTAMP, B(Today(3, 4, 5))));
  // timetz: the time as rendered, offset dropped
  CharOnly(c, K::kTimeTz, "03:04:05+02", "03:04:05+02", u"03:04:05+02");
  c.push_back(Ok(K::kTimeTz, "03:04:05+02", SQL_C_BINARY, B(Time(3, 4, 5)), 6));
  c.push_back(Ok(K::kTimeTz, "03:04:05+02", SQL_C_TYPE_TIME, B(Time(3, 4, 5))));
  c.push_back(Ok(K::kTimeTz, "03:04:05-05:30", SQL_C_TYPE_TIMESTAMP, B(Today(3, 4, 5))));
  // timestamp
  const char* ts = "2024-01-02 03:04:05.123456";
  CharOnly(c, K::kTimestamp, ts, ts, u"2024-01-02 03:04:05.123456");
  c.push_back(Ok(K::kTimestamp, ts, SQL_C_BINARY, B(Ts(2024, 1, 2, 3, 4, 5, 123456000)), 16));
  c.push_back(Info(K::kTimestamp, ts, SQL_C_TYPE_DATE, "01S07", B(Date(2024, 1, 2))));
  c.push_back(Ok(K::kTimestamp, "2024-01-02 00:00:00", SQL_C_TYPE_DATE, B(Date(2024, 1, 2))));
  c.push_back(Info(K::kTimestamp, ts, SQL_C_TYPE_TIME, "01S07", B(Time(3, 4, 5))));
  c.push_back(Ok(K::kTimestamp, "2024-01-02 03:04:05", SQL_C_TYPE_TIME, B(Time(3, 4, 5))));
  c.push_back(
      Ok(K::kTimestamp, ts, SQL_C_TYPE_TIMESTAMP, B(Ts(2024, 1, 2, 3, 4, 5, 123456000)), 16));
  c.push_back(Ok(K::kTimestamp, "12345-01-02 03:04:05", SQL_C_TYPE_TIMESTAMP,
                 B(Ts(12345, 1, 2, 3, 4, 5, 0))));
  c.push_back(Err(K::kTimestamp, "40000-01-02 03:04:05", SQL_C_TYPE_TIMESTAMP, "22008"));
  c.push_back(Err(K::kTimestamp, "2024-01-02 03:04:05 BC", SQL_C_TYPE_TIMESTAMP, "22008"));
  c.push_back(Err(K::kTimestamp, "infinity", SQL_C_TYPE_TIMESTAMP, "22008"));
  // timestamptz: the wall-clock time as rendered in the session time zone
  const char* tstz = "2024-01-02 03:04:05.123456+00";
  CharOnly(c, K::kTimestampTz, tstz, tstz, u"2024-01-02 03:04:05.123456+00");
  c.push_back(Ok(K::kTimestampTz, tstz, SQL_C_BINARY, B(Ts(2024, 1, 2, 3, 4, 5, 123456000)), 16));
  c.push_back(Info(K::kTimestampTz, tstz, SQL_C_TYPE_DATE, "01S07", B(Date(2024, 1, 2))));
  c.push_back(Info(K::kTimestampTz, tstz, SQL_C_TYPE_TIME, "01S07", B(Time(3, 4, 5))));
  c.push_back(
      Ok(K::kTimestampTz, tstz, SQL_C_TYPE_TIMESTAMP, B(Ts(2024, 1, 2, 3, 4, 5, 123456000))));
  c.push_back(Ok(K::kTimestampTz, "2024-06-30 23:59:59.5-07:00", SQL_C_TYPE_TIMESTAMP,
                 B(Ts(2024, 6, 30, 23, 59, 59, 500000000))));
  c.push_back(Ok(K::kTimestampTz, "1900-01-01 00:00:00+05:53:28", SQL_C_TYPE_TIMESTAMP,
                 B(Ts(1900, 1, 1, 0, 0, 0, 0))));
  // interval
  const char* ym = "1 year 2 mons 3 days 04:05:06.5";
  CharForms(c, K::kInterval, ym, ym, u"1 year 2 mons 3 days 04:05:06.5", ym);
  c.push_back(Info(K::kInterval, ym, SQL_C_INTERVAL_YEAR, "01S07", Iv(SQL_IS_YEAR, false, 1)));
  c.push_back(Info(K::kInterval, ym, SQL_C_INTERVAL_MONTH, "01S07", Iv(SQL_IS_MONTH, false, 14)));
  c.push_back(Info(K::kInterval, ym, SQL_C_INTERVAL_YEAR_TO_MONTH, "01S07",
                   Iv(SQL_IS_YEAR_TO_MONTH, false, 1, 2)));
  c.push_back(Ok(K::kInterval, "-1 years -2 mons", SQL_C_INTERVAL_YEAR_TO_MONTH,
                 Iv(SQL_IS_YEAR_TO_MONTH, true, 1, 2)));
  c.push_back(Err(K::kInterval, ym, SQL_C_INTERVAL_DAY_TO_SECOND, "22015"));
  const char* ds = "3 days 04:05:06.5";
  c.push_back(Info(K::kInterval, ds, SQL_C_INTERVAL_DAY, "01S07", Iv(SQL_IS_DAY, false, 3)));
  c.push_back(Info(K::kInterval, ds, SQL_C_INTERVAL_HOUR, "01S07", Iv(SQL_IS_HOUR, false, 76)));
  c.push_back(
      Info(K::kInterval, ds, SQL_C_INTERVAL_MINUTE, "01S07", Iv(SQL_IS_MINUTE, false, 4565)));
  c.push_back(
      Ok(K::kInterval, ds, SQL_C_INTERVAL_SECOND, Iv(SQL_IS_SECOND, false, 273906, 500000)));
  c.push_back(Info(K::kInterval, ds, SQL_C_INTERVAL_DAY_TO_HOUR, "01S07",
                   Iv(SQL_IS_DAY_TO_HOUR, false, 3, 4)));
  c.push_back(Info(K::kInterval, ds, SQL_C_INTERVAL_DAY_TO_MINUTE, "01S07",
                   Iv(SQL_IS_DAY_TO_MINUTE, false, 3, 4, 5)));
  c.push_back(Ok(K::kInterval, ds, SQL_C_INTERVAL_DAY_TO_SECOND,
                 Iv(SQL_IS_DAY_TO_SECOND, false, 3, 4, 5, 6, 500000)));
  c.push_back(Ok(K::kInterval, "-1 days +02:00:00", SQL_C_INTERVAL_DAY_TO_SECOND,
                 Iv(SQL_IS_DAY_TO_SECOND, true, 0, 22, 0, 0, 0)));
  c.push_back(Ok(K::kInterval, "@ 1 day 2 hours ago", SQL_C_INTERVAL_DAY_TO_SECOND,
                 Iv(SQL_IS_DAY_TO_SECOND, true, 1, 2, 0, 0, 0)));
  c.push_back(Info(K::kInterval, ds, SQL_C_INTERVAL_HOUR_TO_MINUTE, "01S07",
                   Iv(SQL_IS_HOUR_TO_MINUTE, false, 76, 5)));
  c.push_back(Ok(K::kInterval, ds, SQL_C_INTERVAL_HOUR_TO_SECOND,
                 Iv(SQL_IS_HOUR_TO_SECOND, false, 76, 5, 6, 500000)));
  c.push_back(Ok(K::kInterval, ds, SQL_C_INTERVAL_MINUTE_TO_SECOND,
                 Iv(SQL_IS_MINUTE_TO_SECOND, false, 4565, 6, 500000)));
  // uuid
  CharOnly(c, K::kUuid, kUuidText, kUuidText, u"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  // SQL to C: GUID -> SQL_C_BINARY is the 16-byte SQLGUID.
  c.push_back(Ok(K::kUuid, kUuidText, SQL_C_BINARY, B(UuidStruct()), 16));
  c.push_back(Ok(K::kUuid, kUuidText, SQL_C_GUID, B(UuidStruct()), 16));
  // SQL_C_DEFAULT: by kind
  c.push_back(Ok(K::kInt32, "7", SQL_C_DEFAULT, B<int32_t>(7), 4));
  c.push_back(Ok(K::kNumeric, "1.5", SQL_C_DEFAULT, S("1.5"), 3));
  c.push_back(Ok(K::kUuid, kUuidText, SQL_C_DEFAULT, B(UuidStruct())));
  c.push_back(Ok(K::kBytea, "\\x01", SQL_C_DEFAULT, R("\x01"), 1));
  return c;
}

std::string Describe(const Case& c) {
  return "kind " + std::to_string(static_cast<int>(c.kind)) + " text '" +
         (c.text ? c.text : "NULL") + "' c_type " + std::to_string(c.c_type);
}

TEST(WriteValueMatrix, EveryCase) {
  for (const Case& c : MatrixCases()) {
    SCOPED_TRACE(Describe(c));
    Result r = Convert(c.kind, c.text, c.c_type, 76, c.precision, c.scale);
    EXPECT_EQ(r.rc, c.rc);
    EXPECT_EQ(r.state, c.state);
    if (c.ind != kAnyLength) {
      EXPECT_EQ(r.ind, c.ind);
    }
    if (!c.bytes.empty()) {
      ASSERT_LE(c.bytes.size(), sizeof r.buf);
      EXPECT_EQ(Bytes(r.buf, r.buf + c.bytes.size()), c.bytes);
      if (c.rc != SQL_ERROR && c.c_type != SQL_C_CHAR && c.c_type != SQL_C_WCHAR &&
          c.c_type != SQL_C_BINARY && c.c_type != SQL_C_DEFAULT) {
        EXPECT_EQ(r.ind, static_cast<SQLLEN>(c.bytes.size())) << "fixed-size length";
      }
      EXPECT_EQ(r.buf[c.bytes.size()], 0xCC) << "wrote past the value";
    }
    if (c.rc == SQL_ERROR) {
      EXPECT_EQ(r.ind, 12345) << "an error writes no length";
    }
  }
}

// Every supported pair has a case above; every other pair answers 07006.
TEST(WriteValueMatrix, EveryCellCoveredOrRejected) {
  std::set<std::pair<int, int>> covered;
  for (const Case& c : MatrixCases())
    if (c.rc != SQL_ERROR || std::string(c.state) != "07006")
      covered.insert({static_cast<int>(c.kind), Canonical(c.c_type)});
  for (K kind : kAllKinds) {
    for (SQLSMALLINT c : kAllCTypes) {
      SCOPED_TRACE("kind " + std::to_string(static_cast<int>(kind)) + " c_type " +
                   std::to_string(c));
      if (ConversionSupported(kind, c)) {
        if (c != SQL_C_DEFAULT) {
          EXPECT_TRUE(covered.count({static_cast<int>(kind), Canonical(c)})) << "no test case";
        }
      } else {
        Result r = Convert(kind, "1", c);
        EXPECT_EQ(r.rc, SQL_ERROR);
        EXPECT_EQ(r.state, "07006");
      }
    }
  }
  // Spot checks of the table's shape.
  EXPECT_FALSE(ConversionSupported(K::kBytea, SQL_C_SLONG));
  EXPECT_FALSE(ConversionSupported(K::kDate, SQL_C_TYPE_TIME));
  EXPECT_FALSE(ConversionSupported(K::kUuid, SQL_C_SLONG));
  EXPECT_FALSE(ConversionSupported(K::kInterval, SQL_C_SLONG));
  EXPECT_FALSE(ConversionSupported(K::kInt32, SQL_C_TYPE_DATE));
  EXPECT_FALSE(ConversionSupported(K::kInt32, SQL_C_INTERVAL_DAY_TO_SECOND));
  EXPECT_FALSE(ConversionSupported(K::kInt32, 9999));
  EXPECT_TRUE(ConversionSupported(K::kText, SQL_C_GUID));
}

TEST(WriteValue, UnknownCTypeIs07006) {
  Result r = Convert(K::kInt32, "1", 12345);
  EXPECT_EQ(r.rc, SQL_ERROR);
  EXPECT_EQ(r.state, "07006");
}

// ---------------------------------------------------------------------------------------------
// NULLs and the indicator / length pointers.

TEST(WriteValueNull, WritesNullDataToIndicator) {
  for (SQLSMALLINT c : {SQL_C_CHAR, SQL_C_TYPE_DATE, SQL_C_TYPE_TIMESTAMP}) {
    Result r = Convert(K::kTimestamp, nullptr, c);
    EXPECT_EQ(r.rc, SQL_SUCCESS);
    EXPECT_EQ(r.ind, SQL_NULL_DATA);
    EXPECT_EQ(r.buf[0], 0xCC);
  }
}

TEST(WriteValueNull, NoIndicatorIs22002) {
  SQLLEN len = 7;
  CTarget t;
  t.c_type = SQL_C_SLONG;
  int32_t v = 0;
  t.data = &v;
  t.octet_length = &len;
  Diagnostics diag;
  Cell cell;  // NULL
  EXPECT_EQ(WriteValue(cell, K::kInt32, t, nullptr, {5, 2}, diag), SQL_ERROR);
  ASSERT_EQ(diag.records().size(), 1u);
  EXPECT_EQ(diag.records()[0].sqlstate, "22002");
  EXPECT_EQ(diag.records()[0].row_number, 5);
  EXPECT_EQ(diag.records()[0].column_number, 2);
}

TEST(WriteValueNull, GetDataThenNoData) {
  SQLLEN ind = 0;
  CTarget t;
  t.c_type = SQL_C_CHAR;
  char buf[8];
  t.data = buf;
  t.buffer_length = sizeof buf;
  t.indicator = t.octet_length = &ind;
  GetDataState gd;
  Diagnostics diag;
  Cell cell;
  EXPECT_EQ(WriteValue(cell, K::kText, t, &gd, {}, diag), SQL_SUCCESS);
  EXPECT_EQ(ind, SQL_NULL_DATA);
  EXPECT_EQ(WriteValue(cell, K::kText, t, &gd, {}, diag), SQL_NO_DATA);
}

TEST(WriteValue, SeparateIndicatorAndLength) {
  SQLLEN ind = 99, len = 99;
  CTarget t;
  t.c_type = SQL_C_CHAR;
  char buf[16];
  t.data = buf;
  t.buffer_length = sizeof buf;
  t.indicator = &ind;
  t.octet_length = &len;
  Diagnostics diag;
  Cell cell{"hello", 5, false};
  EXPECT_EQ(WriteValue(cell, K::kText, t, nullptr, {}, diag), SQL_SUCCESS);
  EXPECT_EQ(ind, 0);
  EXPECT_EQ(len, 5);
  Cell null_cell;
  len = 99;
  EXPECT_EQ(WriteValue(null_cell, K::kText, t, nullptr, {}, diag), SQL_SUCCESS);
  EXPECT_EQ(ind, SQL_NULL_DATA);
  EXPECT_EQ(len, 99);
  // No length pointer at all: the value is still written.
  t.octet_length = nullptr;
  EXPECT_EQ(WriteValue(cell, K::kText, t, nullptr, {}, diag), SQL_SUCCESS);
  EXPECT_STREQ(buf, "hello");
}

TEST(WriteValue, NullDataPointerReportsLengthOnly) {
  SQLLEN ind = 0;
  CTarget t;
  t.c_type = SQL_C_CHAR;
  t.indicator = t.octet_length = &ind;
  Diagnostics diag;
  Cell cell{"hello", 5, false};
  EXPECT_EQ(WriteValue(cell, K::kText, t, nullptr, {}, diag), SQL_SUCCESS_WITH_INFO);
  EXPECT_EQ(ind, 5);
  t.c_type = SQL_C_SLONG;
  Cell num{"5", 1, false};
  EXPECT_EQ(WriteValue(num, K::kInt32, t, nullptr, {}, diag), SQL_SUCCESS);
  EXPECT_EQ(ind, 4);
}

// ---------------------------------------------------------------------------------------------
// Truncation and chunked SQLGetData.

struct Chunk {
  SQLRETURN rc;
  SQLLEN ind;
  Bytes data;
};

// Calls WriteValue with a getdata state until SQL_NO_DATA.
std::vector<Chunk> GetAll(K kind, std::string_view value, SQLSMALLINT c_type,
                          SQLLEN buffer_length) {
  std::vector<Chunk> out;
  GetDataState gd;
  gd.column = 1;
  std::string storage(value);
  Cell cell{storage.c_str(), storage.size(), false};
  for (int guard = 0; guard < 1000; ++guard) {
    Bytes buf(static_cast<size_t>(buffer_length) + 4, 0xCC);
    SQLLEN ind = 0;
    CTarget t;
    t.c_type = c_type;
    t.data = buf.data();
    t.buffer_length = buffer_length;
    t.indicator = t.octet_length = &ind;
    Diagnostics diag;
    SQLRETURN rc = WriteValue(cell, kind, t, &gd, {}, diag);
    if (rc == SQL_NO_DATA) break;
    EXPECT_TRUE(rc == SQL_SUCCESS || rc == SQL_SUCCESS_WITH_INFO) << rc;
    if (rc == SQL_SUCCESS_WITH_INFO) {
      EXPECT_EQ(diag.records().at(0).sqlstate, "01004");
    }
    EXPECT_EQ(buf[static_cast<size_t>(buffer_length)], 0xCC) << "overran the buffer";
    buf.resize(static_cast<size_t>(buffer_length));
    out.push_back({rc, ind, buf});
  }
  return out;
}

std::string CString(const Bytes& b) { return std::string(reinterpret_cast<const char*>(b.data())); }
std::u16string WString(const Bytes& b) {
  std::u16string s;
  for (size_t i = 0; i + 1 < b.size(); i += 2) {
    SQLWCHAR w;
    std::memcpy(&w, &b[i], 2);
    if (w == 0) break;
    s.push_back(static_cast<char16_t>(w));
  }
  return s;
}

TEST(GetDataChunks, CharAsciiOddBuffer) {
  auto chunks = GetAll(K::kText, "abcdefghij", SQL_C_CHAR, 4);  // 3 bytes + NUL per call
  ASSERT_EQ(chunks.size(), 4u);
  EXPECT_EQ(CString(chunks[0].data), "abc");
  EXPECT_EQ(chunks[0].ind, 10);
  EXPECT_EQ(chunks[0].rc, SQL_SUCCESS_WITH_INFO);
  EXPECT_EQ(chunks[1].ind, 7);
  EXPECT_EQ(CString(chunks[2].data), "ghi");
  EXPECT_EQ(CString(chunks[3].data), "j");
  EXPECT_EQ(chunks[3].ind, 1);
  EXPECT_EQ(chunks[3].rc, SQL_SUCCESS);
}

TEST(GetDataChunks, CharNeverSplitsUtf8) {
  // "a€b😀c": 1 + 3 + 1 + 4 + 1 bytes.
  std::string v =
      "a\xE2\x82\xAC"
      "b\xF0\x9F\x98\x80"
      "c";
  for (SQLLEN size : {5, 6, 7, 8}) {
    SCOPED_TRACE(size);
    auto chunks = GetAll(K::kText, v, SQL_C_CHAR, size);
    std::string joined;
    size_t remaining = v.size();
    for (const Chunk& c : chunks) {
      EXPECT_EQ(c.ind, static_cast<SQLLEN>(remaining));
      std::string part = CString(c.data);
      remaining -= part.size();
      joined += part;
    }
    EXPECT_EQ(joined, v);
  }
  auto chunks = GetAll(K::kText, v, SQL_C_CHAR, 4);  // "a" then "€" then "b"...
  ASSERT_GE(chunks.size(), 2u);
  EXPECT_EQ(CString(chunks[0].data), "a");
  EXPECT_EQ(CString(chunks[1].data), "\xE2\x82\xAC");
}

TEST(GetDataChunks, WideNeverSplitsSurrogatePairs) {
  std::string v =
      "a\xF0\x9F\x98\x80"
      "b\xE2\x82\xAC\xF0\x9F\x98\x81";         // a 😀 b € 😁: 7 units
  for (SQLLEN size : {6, 7, 8, 9, 11, 100}) {  // a pair and the NUL need 6 bytes
    SCOPED_TRACE(size);
    auto chunks = GetAll(K::kText, v, SQL_C_WCHAR, size);
    std::u16string joined;
    size_t remaining = 14;
    for (const Chunk& c : chunks) {
      EXPECT_EQ(c.ind, static_cast<SQLLEN>(remaining));
      std::u16string part = WString(c.data);
      if (!part.empty()) {
        EXPECT_FALSE(part.back() >= 0xD800 && part.back() <= 0xDBFF);
      }
      remaining -= part.size() * 2;
      joined += part;
    }
    EXPECT_EQ(joined, u"a\U0001F600b\u20ac\U0001F601");
  }
}

TEST(GetDataChunks, BinaryFromByteaOddBuffer) {
  auto chunks = GetAll(K::kBytea, "\\x00010203040506", SQL_C_BINARY, 3);
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[0].data, (Bytes{0, 1, 2}));
  EXPECT_EQ(chunks[0].ind, 7);
  EXPECT_EQ(chunks[0].rc, SQL_SUCCESS_WITH_INFO);
  EXPECT_EQ(chunks[1].data, (Bytes{3, 4, 5}));
  EXPECT_EQ(chunks[1].ind, 4);
  EXPECT_EQ(chunks[2].data[0], 6);
  EXPECT_EQ(chunks[2].ind, 1);
  EXPECT_EQ(chunks[2].rc, SQL_SUCCESS);
}

TEST(GetDataChunks, BinaryFromTextAndEscapeBytea) {
  auto chunks = GetAll(K::kText, "hello", SQL_C_BINARY, 2);
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[0].data, R("he"));
  EXPECT_EQ(chunks[2].ind, 1);
  chunks = GetAll(K::kBytea, "ab\\001", SQL_C_BINARY, 2);
  ASSERT_EQ(chunks.size(), 2u);
  EXPECT_EQ(chunks[1].data[0], 1);
}

TEST(GetDataChunks, ByteaAsCharKeepsHexPairs) {
  auto chunks = GetAll(K::kBytea, "\\x0a1b2c", SQL_C_CHAR, 4);  // room for 3: takes 2 digits
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(CString(chunks[0].data), "0a");
  EXPECT_EQ(chunks[0].ind, 6);
  EXPECT_EQ(CString(chunks[1].data), "1b");
  EXPECT_EQ(CString(chunks[2].data), "2c");
}

TEST(GetDataChunks, EmptyStringThenNoData) {
  auto chunks = GetAll(K::kText, "", SQL_C_CHAR, 4);
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0].rc, SQL_SUCCESS);
  EXPECT_EQ(chunks[0].ind, 0);
  EXPECT_EQ(chunks[0].data[0], 0);
  chunks = GetAll(K::kText, "", SQL_C_WCHAR, 4);
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0].ind, 0);
}

TEST(GetDataChunks, FixedSizeThenNoData) {
  auto chunks = GetAll(K::kInt32, "42", SQL_C_SLONG, 4);
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0].ind, 4);
}

TEST(GetDataChunks, ZeroBufferReportsLengthWithoutConsuming) {
  GetDataState gd;
  SQLLEN ind = 0;
  char buf[8];
  CTarget t;
  t.c_type = SQL_C_CHAR;
  t.data = buf;
  t.buffer_length = 0;
  t.indicator = t.octet_length = &ind;
  Diagnostics diag;
  Cell cell{"hello", 5, false};
  EXPECT_EQ(WriteValue(cell, K::kText, t, &gd, {}, diag), SQL_SUCCESS_WITH_INFO);
  EXPECT_EQ(ind, 5);
  t.buffer_length = sizeof buf;
  EXPECT_EQ(WriteValue(cell, K::kText, t, &gd, {}, diag), SQL_SUCCESS);
  EXPECT_STREQ(buf, "hello");
  EXPECT_EQ(WriteValue(cell, K::kText, t, &gd, {}, diag), SQL_NO_DATA);
}

TEST(BoundColumn, TruncatesOnceWithFullLength) {
  Result r = Convert(K::kText, "hello world", SQL_C_CHAR, 6);
  EXPECT_EQ(r.rc, SQL_SUCCESS_WITH_INFO);
  EXPECT_EQ(r.state, "01004");
  EXPECT_EQ(r.ind, 11);
  EXPECT_STREQ(reinterpret_cast<char*>(r.buf), "hello");
  EXPECT_EQ(r.buf[6], 0xCC);
  r = Convert(K::kText, "hello", SQL_C_WCHAR, 7);  // 3 units: "he" + NUL
  EXPECT_EQ(r.rc, SQL_SUCCESS_WITH_INFO);
  EXPECT_EQ(r.ind, 10);
  EXPECT_EQ(WString(Bytes(r.buf, r.buf + 8)), u"he");
  r = Convert(K::kBytea, "\\x010203", SQL_C_BINARY, 2);
  EXPECT_EQ(r.rc, SQL_SUCCESS_WITH_INFO);
  EXPECT_EQ(r.ind, 3);
  EXPECT_EQ(r.buf[2], 0xCC);
}

// ---------------------------------------------------------------------------------------------
// Appendix D, small character buffers: a number must keep its whole digits, a date/time/
// timestamp its full form to the second, a GUID and a bit all of it (22003 otherwise); only
// fractional digits are truncated with 01004.

struct Small {
  K kind;
  const char* text;
  SQLSMALLINT c_type;
  SQLLEN buffer;
  const char* state;     // "" success, "01004", "22003"
  const char* expected;  // the characters written (success and 01004)
  SQLLEN ind = kAnyLength;
};

std::string Written(const Result& r, SQLSMALLINT c_type) {
  if (c_type == SQL_C_WCHAR) {
    std::u16string w = WString(Bytes(r.buf, r.buf + sizeof r.buf));
    return std::string(w.begin(), w.end());  // ASCII in these cases
  }
  return reinterpret_cast<const char*>(r.buf);
}

TEST(SmallCharBuffer, WholePartOr22003) {
  const Small cases[] = {
      // exact numerics: "Number of whole digits >= BufferLength" is 22003
      {K::kInt32, "123", SQL_C_CHAR, 4, "", "123", 3},
      {K::kInt32, "123", SQL_C_CHAR, 3, "22003", nullptr},
      {K::kInt32, "-123", SQL_C_CHAR, 4, "22003", nullptr},
      {K::kInt16, "-5", SQL_C_CHAR, 3, "", "-5", 2},
      {K::kInt64, "9223372036854775807", SQL_C_CHAR, 19, "22003", nullptr},
      {K::kNumeric, "123.45", SQL_C_CHAR, 7, "", "123.45", 6},
      {K::kNumeric, "123.45", SQL_C_CHAR, 6, "01004", "123.4", 6},
      {K::kNumeric, "123.45", SQL_C_CHAR, 5, "01004", "123", 6},  // never ends on the point
      {K::kNumeric, "123.45", SQL_C_CHAR, 4, "01004", "123", 6},
      {K::kNumeric, "123.45", SQL_C_CHAR, 3, "22003", nullptr},
      {K::kNumeric, "-123.45", SQL_C_CHAR, 5, "01004", "-123", 7},
      {K::kNumeric, "-123.45", SQL_C_CHAR, 4, "22003", nullptr},
      {K::kNumeric, "0.125", SQL_C_CHAR, 2, "01004", "0", 5},
      {K::kNumeric, "NaN", SQL_C_CHAR, 3, "22003", nullptr},
      {K::kMoney, "$1,234.56", SQL_C_CHAR, 7, "01004", "$1,234", 9},
      {K::kMoney, "$1,234.56", SQL_C_CHAR, 6, "22003", nullptr},
      // approximate numerics: an exponent or a special value is whole
      {K::kFloat64, "1.5", SQL_C_CHAR, 2, "01004", "1", 3},
      {K::kFloat64, "1e+300", SQL_C_CHAR, 6, "22003", nullptr},
      {K::kFloat64, "1.25e-05", SQL_C_CHAR, 8, "22003", nullptr},
      {K::kFloat64, "-Infinity", SQL_C_CHAR, 9, "22003", nullptr},
      {K::kFloat32, "-Infinity", SQL_C_CHAR, 10, "", "-Infinity", 9},
      // bit: BufferLength <= 1 is 22003
      {K::kBool, "t", SQL_C_CHAR, 2, "", "1", 1},
      {K::kBool, "t", SQL_C_CHAR, 1, "22003", nullptr},
      // date: BufferLength < 11 is 22003
      {K::kDate, "2024-02-29", SQL_C_CHAR, 11, "", "2024-02-29", 10},
      {K::kDate, "2024-02-29", SQL_C_CHAR, 10, "22003", nullptr},
      {K::kDate, "2024-02-29", SQL_C_CHAR, 5, "22003", nullptr},
      // time: BufferLength < 9 is 22003; the fraction may go
      {K::kTime, "12:34:56", SQL_C_CHAR, 9, "", "12:34:56", 8},
      {K::kTime, "12:34:56", SQL_C_CHAR, 8, "22003", nullptr},
      {K::kTime, "12:34:56.5", SQL_C_CHAR, 10, "01004", "12:34:56", 10},
      {K::kTime, "12:34:56.5", SQL_C_CHAR, 9, "01004", "12:34:56", 10},
      {K::kTimeTz, "12:34:56+02", SQL_C_CHAR, 9, "01004", "12:34:56", 11},
      {K::kTimeTz, "12:34:56+02", SQL_C_CHAR, 8, "22003", nullptr},
      // timestamp: BufferLength < 20 is 22003; the fractional seconds may go
      {K::kTimestamp, "2024-01-02 03:04:05.5", SQL_C_CHAR, 22, "", "2024-01-02 03:04:05.5", 21},
      {K::kTimestamp, "2024-01-02 03:04:05.5", SQL_C_CHAR, 21, "01004", "2024-01-02 03:04:05", 21},
      {K::kTimestamp, "2024-01-02 03:04:05.5", SQL_C_CHAR, 20, "01004", "2024-01-02 03:04:05", 21},
      {K::kTimestamp, "2024-01-02 03:04:05.5", SQL_C_CHAR, 19, "22003", nullptr},
      {K::kTimestamp, "2024-01-02 03:04:05.5", SQL_C_CHAR, 12, "22003", nullptr},
      {K::kTimestamp, "1992-12-31 23:45:55.12", SQL_C_CHAR, 22, "01004", "1992-12-31 23:45:55.1",
       22},
      {K::kTimestamp, "2024-01-02 03:04:05 BC", SQL_C_CHAR, 21, "22003", nullptr},
      {K::kTimestampTz, "2024-01-02 03:04:05.25+00", SQL_C_CHAR, 22, "01004",
       "2024-01-02 03:04:05.2", 25},
      {K::kTimestampTz, "2024-01-02 03:04:05+00", SQL_C_CHAR, 19, "22003", nullptr},
      // guid: BufferLength < 37 is 22003
      {K::kUuid, kUuidText, SQL_C_CHAR, 37, "", kUuidText, 36},
      {K::kUuid, kUuidText, SQL_C_CHAR, 36, "22003", nullptr},
      // SQL_C_WCHAR: the same rules in characters (BufferLength counts bytes)
      {K::kNumeric, "123.45", SQL_C_WCHAR, 10, "01004", "123", 12},
      {K::kNumeric, "123.45", SQL_C_WCHAR, 8, "01004", "123", 12},
      {K::kNumeric, "123.45", SQL_C_WCHAR, 7, "22003", nullptr},
      {K::kDate, "2024-02-29", SQL_C_WCHAR, 22, "", "2024-02-29", 20},
      {K::kDate, "2024-02-29", SQL_C_WCHAR, 21, "22003", nullptr},
      {K::kTimestamp, "2024-01-02 03:04:05.5", SQL_C_WCHAR, 40, "01004", "2024-01-02 03:04:05", 42},
      {K::kTimestamp, "2024-01-02 03:04:05.5", SQL_C_WCHAR, 39, "22003", nullptr},
      {K::kUuid, kUuidText, SQL_C_WCHAR, 72, "22003", nullptr},
      {K::kUuid, kUuidText, SQL_C_WCHAR, 74, "", kUuidText, 72},
      // character, binary and interval data may be cut anywhere
      {K::kText, "abcdef", SQL_C_CHAR, 2, "01004", "a", 6},
      {K::kText, "abcdef", SQL_C_WCHAR, 1, "01004", nullptr, 12},  // no whole unit: length only
      {K::kText, "abcdef", SQL_C_WCHAR, 2, "01004", "", 12},
      {K::kBytea, "\\xdeadbeef", SQL_C_CHAR, 3, "01004", "de", 8},
      {K::kInterval, "3 days 04:05:06", SQL_C_CHAR, 4, "01004", "3 d", 15},
  };
  for (const Small& c : cases) {
    SCOPED_TRACE(std::string(c.text) + " c_type " + std::to_string(c.c_type) + " buffer " +
                 std::to_string(c.buffer));
    Result r = Convert(c.kind, c.text, c.c_type, c.buffer);
    EXPECT_EQ(r.state, c.state);
    std::string state = c.state;
    EXPECT_EQ(r.rc, state.empty()      ? SQL_SUCCESS
                    : state == "01004" ? SQL_SUCCESS_WITH_INFO
                                       : SQL_ERROR);
    if (state == "22003") {
      EXPECT_EQ(r.ind, 12345) << "an error writes no length";
      continue;
    }
    if (c.expected != nullptr) {
      EXPECT_EQ(Written(r, c.c_type), c.expected);
    } else {
      EXPECT_EQ(r.buf[0], 0xCC) << "a length-only request writes nothing";
    }
    if (c.ind != kAnyLength) {
      EXPECT_EQ(r.ind, c.ind);
    }
    EXPECT_EQ(r.buf[c.buffer], 0xCC) << "overran the buffer";
  }
}

TEST(SmallCharBuffer, LengthOnlyRequestIsNotAnError) {
  // BufferLength 0 (or no buffer) asks for the length: no conversion happens, so no 22003.
  Result r = Convert(K::kNumeric, "123.45", SQL_C_CHAR, 0);
  EXPECT_EQ(r.rc, SQL_SUCCESS_WITH_INFO);
  EXPECT_EQ(r.ind, 6);
  r = Convert(K::kDate, "2024-02-29", SQL_C_WCHAR, 0);
  EXPECT_EQ(r.rc, SQL_SUCCESS_WITH_INFO);
  EXPECT_EQ(r.ind, 20);
}

TEST(SmallCharBuffer, GetDataReturnsTheFractionInLaterPieces) {
  auto chunks = GetAll(K::kNumeric, "123.456", SQL_C_CHAR, 5);
  ASSERT_EQ(chunks.size(), 2u);
  EXPECT_EQ(CString(chunks[0].data), "123");
  EXPECT_EQ(chunks[0].ind, 7);
  EXPECT_EQ(chunks[0].rc, SQL_SUCCESS_WITH_INFO);
  EXPECT_EQ(CString(chunks[1].data), ".456");
  EXPECT_EQ(chunks[1].ind, 4);
  EXPECT_EQ(chunks[1].rc, SQL_SUCCESS);
  auto wide = GetAll(K::kTimestamp, "2024-01-02 03:04:05.123", SQL_C_WCHAR, 42);
  ASSERT_EQ(wide.size(), 2u);
  EXPECT_EQ(WString(wide[0].data), u"2024-01-02 03:04:05");
  EXPECT_EQ(wide[0].ind, 46);
  EXPECT_EQ(WString(wide[1].data), u".123");
  EXPECT_EQ(wide[1].ind, 8);
}

TEST(BinaryTarget, StructsAndWholeValuesOr22003) {
  // Date/time/timestamp/GUID: their C structures; a smaller buffer is 22003 (never 01004).
  Result r = Convert(K::kDate, "2024-02-29", SQL_C_BINARY, 6);
  EXPECT_EQ(r.rc, SQL_SUCCESS);
  EXPECT_EQ(r.ind, 6);
  EXPECT_EQ(Bytes(r.buf, r.buf + 6), B(Date(2024, 2, 29)));
  EXPECT_EQ(r.buf[6], 0xCC);
  r = Convert(K::kDate, "2024-02-29", SQL_C_BINARY, 5);
  EXPECT_EQ(r.rc, SQL_ERROR);
  EXPECT_EQ(r.state, "22003");
  EXPECT_EQ(r.buf[0], 0xCC);
  r = Convert(K::kDate, "infinity", SQL_C_BINARY, 16);
  EXPECT_EQ(r.state, "22008");
  r = Convert(K::kTime, "12:34:56", SQL_C_BINARY, 5);
  EXPECT_EQ(r.state, "22003");
  r = Convert(K::kTimestamp, "2024-01-02 03:04:05.5", SQL_C_BINARY, 15);
  EXPECT_EQ(r.state, "22003");
  r = Convert(K::kTimestampTz, "2024-01-02 03:04:05.5+00", SQL_C_BINARY, 16);
  EXPECT_EQ(r.rc, SQL_SUCCESS);
  EXPECT_EQ(Bytes(r.buf, r.buf + 16), B(Ts(2024, 1, 2, 3, 4, 5, 500000000)));
  r = Convert(K::kUuid, kUuidText, SQL_C_BINARY, 16);
  EXPECT_EQ(r.rc, SQL_SUCCESS);
  EXPECT_EQ(Bytes(r.buf, r.buf + 16), B(UuidStruct()));
  r = Convert(K::kUuid, kUuidText, SQL_C_BINARY, 15);
  EXPECT_EQ(r.rc, SQL_ERROR);
  EXPECT_EQ(r.state, "22003");
  // Numbers, bits and intervals: their character form, whole or 22003.
  r = Convert(K::kInt32, "100000", SQL_C_BINARY, 6);
  EXPECT_EQ(r.rc, SQL_SUCCESS);
  EXPECT_EQ(Bytes(r.buf, r.buf + 6), R("100000"));
  r = Convert(K::kInt32, "100000", SQL_C_BINARY, 5);
  EXPECT_EQ(r.state, "22003");
  r = Convert(K::kNumeric, "1.5", SQL_C_BINARY, 2);
  EXPECT_EQ(r.state, "22003");
  r = Convert(K::kBool, "t", SQL_C_BINARY, 0);
  EXPECT_EQ(r.state, "22003");
  r = Convert(K::kInterval, "3 days", SQL_C_BINARY, 3);
  EXPECT_EQ(r.state, "22003");
  // Character and binary data still truncate with 01004.
  r = Convert(K::kText, "abcdef", SQL_C_BINARY, 4);
  EXPECT_EQ(r.state, "01004");
  EXPECT_EQ(r.ind, 6);
  r = Convert(K::kBytea, "\\x010203", SQL_C_BINARY, 2);
  EXPECT_EQ(r.state, "01004");
  // No buffer: the length only.
  SQLLEN ind = 0;
  CTarget t;
  t.c_type = SQL_C_BINARY;
  t.indicator = t.octet_length = &ind;
  Diagnostics diag;
  Cell cell{"2024-02-29", 10, false};
  EXPECT_EQ(WriteValue(cell, K::kDate, t, nullptr, {}, diag), SQL_SUCCESS);
  EXPECT_EQ(ind, 6);
}

TEST(BinaryTarget, GetDataStructThenNoData) {
  auto chunks = GetAll(K::kUuid, kUuidText, SQL_C_BINARY, 16);
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0].ind, 16);
  EXPECT_EQ(chunks[0].data, B(UuidStruct()));
}

TEST(HotPath, FixedSizeTargetsDoNotAllocate) {
  struct Sample {
    K kind;
    const char* text;
    SQLSMALLINT c_type;
  };
  const Sample samples[] = {
      {K::kInt32, "-123456", SQL_C_SLONG},
      {K::kInt64, "9000000000", SQL_C_SBIGINT},
      {K::kInt16, "12", SQL_C_SSHORT},
      {K::kFloat64, "1.25", SQL_C_DOUBLE},
      {K::kFloat32, "1.25", SQL_C_FLOAT},
      {K::kNumeric, "12.5", SQL_C_DOUBLE},
      {K::kNumeric, "12", SQL_C_NUMERIC},
      {K::kBool, "t", SQL_C_BIT},
      {K::kDate, "2024-01-02", SQL_C_TYPE_DATE},
      {K::kTime, "03:04:05", SQL_C_TYPE_TIME},
      {K::kTimestamp, "2024-01-02 03:04:05.5", SQL_C_TYPE_TIMESTAMP},
      {K::kUuid, kUuidText, SQL_C_GUID},
      {K::kUuid, kUuidText, SQL_C_BINARY},
      {K::kDate, "2024-01-02", SQL_C_BINARY},
      {K::kTimestamp, "2024-01-02 03:04:05.5", SQL_C_BINARY},
      {K::kNumeric, "123.45", SQL_C_CHAR},
      {K::kTimestamp, "2024-01-02 03:04:05.5", SQL_C_CHAR},
      {K::kText, "hello", SQL_C_CHAR},
      {K::kText, nullptr, SQL_C_SLONG},
  };
  unsigned char buf[64];
  SQLLEN ind;
  Diagnostics diag;
  for (const Sample& s : samples) {
    Cell cell{s.text, s.text ? std::strlen(s.text) : 0, s.text == nullptr};
    CTarget t;
    t.c_type = s.c_type;
    t.data = buf;
    t.buffer_length = sizeof buf;
    t.indicator = t.octet_length = &ind;
    long before = g_allocations;
    SQLRETURN rc = WriteValue(cell, s.kind, t, nullptr, {}, diag);
    long after = g_allocations;
    EXPECT_EQ(rc, SQL_SUCCESS) << s.c_type;
    EXPECT_EQ(after, before) << "allocated converting to C type " << s.c_type;
  }
}

// ---------------------------------------------------------------------------------------------
// SQL_C_NUMERIC.

SQL_NUMERIC_STRUCT NumericOf(const char* text, int precision, int scale, SQLRETURN* rc = nullptr,
                             std::string* state = nullptr) {
  Result r = Convert(K::kNumeric, text, SQL_C_NUMERIC, 64, static_cast<SQLSMALLINT>(precision),
                     static_cast<SQLSMALLINT>(scale));
  if (rc) *rc = r.rc;
  if (state) *state = r.state;
  SQL_NUMERIC_STRUCT n;
  std::memcpy(&n, r.buf, sizeof n);
  return n;
}

unsigned __int128 Magnitude(const SQL_NUMERIC_STRUCT& n) {
  unsigned __int128 v = 0;
  for (int i = 15; i >= 0; --i) v = (v << 8) | n.val[i];
  return v;
}

TEST(Numeric, PrecisionAndScaleFromTarget) {
  SQLRETURN rc;
  std::string state;
  auto n = NumericOf("123.45", 5, 2, &rc, &state);
  EXPECT_EQ(rc, SQL_SUCCESS);
  EXPECT_EQ(n.precision, 5);
  EXPECT_EQ(n.scale, 2);
  EXPECT_EQ(n.sign, 1);
  EXPECT_EQ(Magnitude(n), 12345u);
  n = NumericOf("-123.456", 10, 2, &rc, &state);
  EXPECT_EQ(rc, SQL_SUCCESS_WITH_INFO);
  EXPECT_EQ(state, "01S07");
  EXPECT_EQ(n.sign, 0);
  EXPECT_EQ(Magnitude(n), 12346u);  // rounded half away from zero
  n = NumericOf("0.001", 10, 5, &rc);
  EXPECT_EQ(Magnitude(n), 100u);
  n = NumericOf("12300", 10, -2, &rc);
  EXPECT_EQ(Magnitude(n), 123u);
  NumericOf("123456", 5, 0, &rc, &state);
  EXPECT_EQ(rc, SQL_ERROR);
  EXPECT_EQ(state, "22003");
  n = NumericOf("-0.0001", 5, 2, &rc);
  EXPECT_EQ(n.sign, 1);  // rounds to zero: no negative zero
  EXPECT_EQ(Magnitude(n), 0u);
  n = NumericOf("99999999999999999999999999999999999999", 38, 0, &rc);
  EXPECT_EQ(rc, SQL_SUCCESS);
  EXPECT_EQ(Magnitude(n), (unsigned __int128)10000000000000000000ULL * 10000000000000000000ULL - 1);
  NumericOf("1e40", 38, 0, &rc, &state);
  EXPECT_EQ(state, "22003");
}

TEST(Numeric, RoundTripThroughEncodeParam) {
  for (const char* text : {"123.45", "-0.5", "99999999999999999999.999999", "0", "-42"}) {
    SCOPED_TRACE(text);
    std::string s(text);
    int scale = s.find('.') == std::string::npos ? 0 : static_cast<int>(s.size() - s.find('.') - 1);
    SQLRETURN rc;
    auto n = NumericOf(text, 38, scale, &rc);
    EXPECT_EQ(rc, SQL_SUCCESS);
    ParamSource p;
    p.c_type = SQL_C_NUMERIC;
    p.sql_type = SQL_NUMERIC;
    p.data = &n;
    EncodedParam e;
    EncodeParam(p, e);
    EXPECT_EQ(e.value, text);
    EXPECT_EQ(e.type, pg::oid::kNumeric);
  }
}

// ---------------------------------------------------------------------------------------------
// Locale independence: a host (Excel, R) may set LC_NUMERIC to a decimal-comma locale.

class GermanLocale : public ::testing::Test {
 protected:
  void SetUp() override {
    saved_ = std::setlocale(LC_ALL, nullptr);
    if (std::setlocale(LC_ALL, "de_DE.UTF-8") == nullptr) {
      const char* dir = std::getenv("LAKEBASE_TEST_LOCPATH");
      if (dir != nullptr) {
        setenv("LOCPATH", dir, 1);
        if (std::setlocale(LC_ALL, "de_DE.UTF-8") == nullptr) unsetenv("LOCPATH");
      }
    }
    const char* now = std::setlocale(LC_ALL, nullptr);
    if (now == nullptr || std::string(now).find("de_DE") == std::string::npos)
      GTEST_SKIP() << "de_DE.UTF-8 is not available";
    ASSERT_STREQ(std::localeconv()->decimal_point, ",");
  }
  void TearDown() override { std::setlocale(LC_ALL, saved_.c_str()); }
  std::string saved_;
};

TEST_F(GermanLocale, ConversionsIgnoreLcNumeric) {
  Result r = Convert(K::kFloat64, "1234.5", SQL_C_DOUBLE);
  EXPECT_EQ(r.rc, SQL_SUCCESS);
  double d;
  std::memcpy(&d, r.buf, sizeof d);
  EXPECT_EQ(d, 1234.5);
  r = Convert(K::kNumeric, "1234.5", SQL_C_FLOAT);
  float f;
  std::memcpy(&f, r.buf, sizeof f);
  EXPECT_EQ(f, 1234.5f);
  r = Convert(K::kText, "0.25", SQL_C_DOUBLE);
  std::memcpy(&d, r.buf, sizeof d);
  EXPECT_EQ(d, 0.25);
  r = Convert(K::kMoney, "$1,234.56", SQL_C_DOUBLE);
  std::memcpy(&d, r.buf, sizeof d);
  EXPECT_EQ(d, 1234.56);

  double value = 1234.5;
  ParamSource p;
  p.c_type = SQL_C_DOUBLE;
  p.sql_type = SQL_DOUBLE;
  p.data = &value;
  EncodedParam e;
  EncodeParam(p, e);
  EXPECT_EQ(e.value, "1234.5");
  const char* text = "0.5";
  p.c_type = SQL_C_CHAR;
  p.sql_type = SQL_REAL;
  p.data = text;
  EncodeParam(p, e);
  EXPECT_EQ(e.value, "0.5");
  float fv = 0.1f;
  p.c_type = SQL_C_FLOAT;
  p.data = &fv;
  EncodeParam(p, e);
  EXPECT_EQ(e.value, "0.1");
}

}  // namespace
}  // namespace lakebase::odbc

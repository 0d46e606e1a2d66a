// EncodeParam: every C type, the OID chosen from the SQL type, NULLs, lengths and errors.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "odbc/convert/convert.h"

namespace lakebase::odbc {
namespace {

namespace oid = pg::oid;

struct Encoded {
  EncodedParam p;
  std::string error;  // SQLSTATE when it threw
};

template <class T>
Encoded Encode(SQLSMALLINT c_type, SQLSMALLINT sql_type, const T& value,
               const SQLLEN* octet_length = nullptr, SQLSMALLINT precision = 0,
               SQLULEN column_size = 0) {
  ParamSource s;
  s.c_type = c_type;
  s.sql_type = sql_type;
  s.column_size = column_size;
  s.data = &value;
  s.buffer_length = sizeof value;
  s.octet_length = octet_length;
  s.indicator = octet_length;
  s.precision = precision;
  Encoded e;
  try {
    EncodeParam(s, e.p);
  } catch (const OdbcError& err) {
    e.error = err.sqlstate();
  }
  return e;
}

Encoded EncodeText(SQLSMALLINT sql_type, const char* text, SQLLEN length = SQL_NTS,
                   SQLULEN column_size = 0) {
  ParamSource s;
  s.c_type = SQL_C_CHAR;
  s.sql_type = sql_type;
  s.column_size = column_size;
  s.data = text;
  SQLLEN len = length;
  s.octet_length = &len;
  s.indicator = &len;
  Encoded e;
  try {
    EncodeParam(s, e.p);
  } catch (const OdbcError& err) {
    e.error = err.sqlstate();
  }
  return e;
}

#define EXPECT_SENT(e, text, oid_)        \
  do {                                    \
    EXPECT_EQ((e).error, "");             \
    EXPECT_FALSE((e).p.is_null);          \
    EXPECT_EQ((e).p.value, (text));       \
    EXPECT_EQ((e).p.type, (pg::Oid)oid_); \
  } while (0)

TEST(EncodeParam, SqlTypePicksOid) {
  int32_t v = 5;
  EXPECT_SENT(Encode(SQL_C_SLONG, SQL_INTEGER, v), "5", oid::kInt4);
  EXPECT_SENT(Encode(SQL_C_SLONG, SQL_SMALLINT, v), "5", oid::kInt2);
  EXPECT_SENT(Encode(SQL_C_SLONG, SQL_TINYINT, v), "5", oid::kInt2);
  EXPECT_SENT(Encode(SQL_C_SLONG, SQL_BIGINT, v), "5", oid::kInt8);
  EXPECT_SENT(Encode(SQL_C_SLONG, SQL_NUMERIC, v), "5", oid::kNumeric);
  EXPECT_SENT(Encode(SQL_C_SLONG, SQL_DECIMAL, v), "5", oid::kNumeric);
  EXPECT_SENT(Encode(SQL_C_SLONG, SQL_REAL, v), "5", oid::kFloat4);
  EXPECT_SENT(Encode(SQL_C_SLONG, SQL_FLOAT, v), "5", oid::kFloat8);
  EXPECT_SENT(Encode(SQL_C_SLONG, SQL_DOUBLE, v), "5", oid::kFloat8);
  EXPECT_SENT(Encode(SQL_C_SLONG, SQL_VARCHAR, v), "5", 0);
  EXPECT_SENT(Encode(SQL_C_SLONG, SQL_WLONGVARCHAR, v), "5", 0);
  EXPECT_SENT(Encode(SQL_C_SLONG, SQL_INTERVAL_DAY, v), "5 days", oid::kInterval);
  int32_t one = 1;
  EXPECT_SENT(Encode(SQL_C_SLONG, SQL_BIT, one), "t", oid::kBool);
}

TEST(EncodeParam, CharInputLengths) {
  EXPECT_SENT(EncodeText(SQL_VARCHAR, "hello"), "hello", 0);
  EXPECT_SENT(EncodeText(SQL_VARCHAR, "hello", 3), "hel", 0);
  EXPECT_SENT(EncodeText(SQL_VARCHAR, "", 0), "", 0);
  EXPECT_EQ(EncodeText(SQL_VARCHAR, "hello", -5).error, "HY090");
  EXPECT_EQ(EncodeText(SQL_VARCHAR, "hello", SQL_DATA_AT_EXEC).error, "HY000");
  // No length pointer: NUL-terminated.
  ParamSource s;
  s.c_type = SQL_C_CHAR;
  s.sql_type = SQL_CHAR;
  s.data = "abc";
  EncodedParam p;
  EncodeParam(s, p);
  EXPECT_EQ(p.value, "abc");
}

TEST(EncodeParam, NullData) {
  SQLLEN ind = SQL_NULL_DATA;
  int32_t v = 0;
  Encoded e = Encode(SQL_C_SLONG, SQL_INTEGER, v, &ind);
  EXPECT_TRUE(e.p.is_null);
  EXPECT_EQ(e.p.type, oid::kInt4);
  e = Encode(SQL_C_CHAR, SQL_VARCHAR, v, &ind);
  EXPECT_TRUE(e.p.is_null);
  // A separate indicator says NULL even with a length.
  ParamSource s;
  s.c_type = SQL_C_CHAR;
  s.sql_type = SQL_VARCHAR;
  SQLLEN len = 3;
  s.octet_length = &len;
  s.indicator = &ind;
  s.data = nullptr;
  EncodedParam p;
  EncodeParam(s, p);
  EXPECT_TRUE(p.is_null);
  s.indicator = nullptr;
  EXPECT_THROW(EncodeParam(s, p), OdbcError);  // HY009: data needed
}

TEST(EncodeParam, WideChar) {
  SQLWCHAR w[] = {'h', 0x00E9, 0xD83D, 0xDE00, 0};
  ParamSource s;
  s.c_type = SQL_C_WCHAR;
  s.sql_type = SQL_WVARCHAR;
  s.data = w;
  EncodedParam p;
  EncodeParam(s, p);
  EXPECT_EQ(p.value, "h\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_EQ(p.type, 0u);
  SQLLEN bytes = 4;  // octet length counts bytes: two units
  s.octet_length = &bytes;
  EncodeParam(s, p);
  EXPECT_EQ(p.value, "h\xC3\xA9");
  SQLLEN nts = SQL_NTS;
  s.octet_length = &nts;
  s.sql_type = SQL_INTEGER;
  SQLWCHAR digits[] = {' ', '4', '2', 0};
  s.data = digits;
  EncodeParam(s, p);
  EXPECT_EQ(p.value, "42");
  EXPECT_EQ(p.type, oid::kInt4);
}

TEST(EncodeParam, CharToNumericTypes) {
  EXPECT_SENT(EncodeText(SQL_INTEGER, " 42 "), "42", oid::kInt4);
  EXPECT_SENT(EncodeText(SQL_INTEGER, "4.0"), "4", oid::kInt4);
  EXPECT_SENT(EncodeText(SQL_INTEGER, "-2147483648"), "-2147483648", oid::kInt4);
  EXPECT_EQ(EncodeText(SQL_INTEGER, "2147483648").error, "22003");
  EXPECT_EQ(EncodeText(SQL_SMALLINT, "40000").error, "22003");
  EXPECT_EQ(EncodeText(SQL_INTEGER, "4.5").error, "22001");
  EXPECT_EQ(EncodeText(SQL_INTEGER, "four").error, "22018");
  EXPECT_SENT(EncodeText(SQL_BIGINT, "9223372036854775807"), "9223372036854775807", oid::kInt8);
  EXPECT_EQ(EncodeText(SQL_BIGINT, "9223372036854775808").error, "22003");
  EXPECT_SENT(EncodeText(SQL_NUMERIC, " 123.450 "), "123.450", oid::kNumeric);
  EXPECT_SENT(EncodeText(SQL_NUMERIC, "NaN"), "NaN", oid::kNumeric);
  EXPECT_EQ(EncodeText(SQL_NUMERIC, "12,5").error, "22018");
  EXPECT_SENT(EncodeText(SQL_DOUBLE, "1e300"), "1e300", oid::kFloat8);
  EXPECT_SENT(EncodeText(SQL_DOUBLE, "-Infinity"), "-Infinity", oid::kFloat8);
  EXPECT_EQ(EncodeText(SQL_DOUBLE, "1e999").error, "22003");
  EXPECT_EQ(EncodeText(SQL_REAL, "1e300").error, "22003");
  EXPECT_EQ(EncodeText(SQL_DOUBLE, "x").error, "22018");
  EXPECT_SENT(EncodeText(SQL_BIT, "1"), "t", oid::kBool);
  EXPECT_SENT(EncodeText(SQL_BIT, "false"), "f", oid::kBool);
  EXPECT_SENT(EncodeText(SQL_BIT, "YES"), "t", oid::kBool);
  EXPECT_EQ(EncodeText(SQL_BIT, "2").error, "22003");
  EXPECT_EQ(EncodeText(SQL_BIT, "0.5").error, "22001");
  EXPECT_EQ(EncodeText(SQL_BIT, "maybe").error, "22018");
}

TEST(EncodeParam, CharToDatetimeUuidIntervalPassesThrough) {
  EXPECT_SENT(EncodeText(SQL_TYPE_DATE, "2024-01-02"), "2024-01-02", oid::kDate);
  EXPECT_SENT(EncodeText(SQL_TYPE_DATE, "infinity"), "infinity", oid::kDate);
  EXPECT_SENT(EncodeText(SQL_TYPE_DATE, "0044-03-15 BC"), "0044-03-15 BC", oid::kDate);
  EXPECT_SENT(EncodeText(SQL_TYPE_TIME, "03:04:05"), "03:04:05", oid::kTime);
  EXPECT_SENT(EncodeText(SQL_TYPE_TIMESTAMP, "2024-01-02 03:04:05"), "2024-01-02 03:04:05",
              oid::kTimestamp);
  EXPECT_SENT(EncodeText(SQL_GUID, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
              "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", oid::kUuid);
  EXPECT_SENT(EncodeText(SQL_INTERVAL_DAY_TO_SECOND, "1 day"), "1 day", oid::kInterval);
}

// C to SQL: Character -> SQL_TYPE_DATE: a date or a timestamp with a zero time; a time part
// is 22008, anything else 22018; blanks around are ignored.
TEST(EncodeParam, CharToDate) {
  EXPECT_SENT(EncodeText(SQL_TYPE_DATE, " 2024-02-29 "), "2024-02-29", oid::kDate);
  EXPECT_SENT(EncodeText(SQL_TYPE_DATE, "2024-02-28 00:00:00"), "2024-02-28", oid::kDate);
  EXPECT_SENT(EncodeText(SQL_TYPE_DATE, "{d '2024-01-02'}"), "2024-01-02", oid::kDate);
  EXPECT_SENT(EncodeText(SQL_TYPE_DATE, "{ts '2024-01-02 00:00:00'}"), "2024-01-02", oid::kDate);
  EXPECT_SENT(EncodeText(SQL_DATE, "2024-01-02"), "2024-01-02", oid::kDate);
  EXPECT_EQ(EncodeText(SQL_TYPE_DATE, "2024-02-28 10:00:00").error, "22008");
  EXPECT_EQ(EncodeText(SQL_TYPE_DATE, "2024-02-28 00:00:00.5").error, "22008");
  EXPECT_EQ(EncodeText(SQL_TYPE_DATE, "{ts '2024-01-02 00:00:01'}").error, "22008");
  EXPECT_EQ(EncodeText(SQL_TYPE_DATE, "not a date").error, "22018");
  EXPECT_EQ(EncodeText(SQL_TYPE_DATE, "2024-02-30").error, "22018");
  EXPECT_EQ(EncodeText(SQL_TYPE_DATE, "2023-02-29").error, "22018");
  EXPECT_EQ(EncodeText(SQL_TYPE_DATE, "10:00:00").error, "22018");
  EXPECT_EQ(EncodeText(SQL_TYPE_DATE, "").error, "22018");
  EXPECT_EQ(EncodeText(SQL_TYPE_DATE, "{d 2024-01-02}").error, "22018");
}

// C to SQL, character and binary SQL types: longer than the column size is 22001.
TEST(EncodeParam, ColumnSizeLimitsCharacterAndBinaryData) {
  EXPECT_EQ(EncodeText(SQL_VARCHAR, "abc", SQL_NTS, 2).error, "22001");
  EXPECT_EQ(EncodeText(SQL_CHAR, "abc", SQL_NTS, 2).error, "22001");
  EXPECT_EQ(EncodeText(SQL_LONGVARCHAR, "abc", SQL_NTS, 2).error, "22001");
  EXPECT_EQ(EncodeText(SQL_WVARCHAR, "abc", SQL_NTS, 2).error, "22001");
  EXPECT_SENT(EncodeText(SQL_VARCHAR, "abc", SQL_NTS, 3), "abc", 0);
  EXPECT_SENT(EncodeText(SQL_VARCHAR, "abc", SQL_NTS, 0), "abc", 0);  // 0: not given
  EXPECT_SENT(EncodeText(SQL_VARCHAR, "abcdef", 3, 3), "abc", 0);     // the octet length counts
  // Characters, not bytes: PostgreSQL's varchar(n) holds n characters.
  EXPECT_SENT(EncodeText(SQL_VARCHAR, "caf\xC3\xA9", SQL_NTS, 4), "caf\xC3\xA9", 0);
  EXPECT_EQ(EncodeText(SQL_VARCHAR, "caf\xC3\xA9", SQL_NTS, 3).error, "22001");
  // Not a character or binary SQL type: no length test.
  EXPECT_SENT(EncodeText(SQL_INTEGER, "12345", SQL_NTS, 2), "12345", oid::kInt4);
  // Other C types into character data (C to SQL: Numeric, Date: 22001 when it does not fit).
  EXPECT_EQ(Encode(SQL_C_SLONG, SQL_VARCHAR, static_cast<SQLINTEGER>(12345), nullptr, 0, 4).error,
            "22001");
  EXPECT_SENT(Encode(SQL_C_SLONG, SQL_VARCHAR, static_cast<SQLINTEGER>(12345), nullptr, 0, 5),
              "12345", 0);
  SQL_DATE_STRUCT d{2024, 2, 29};
  EXPECT_EQ(Encode(SQL_C_TYPE_DATE, SQL_CHAR, d, nullptr, 0, 9).error, "22001");
  EXPECT_SENT(Encode(SQL_C_TYPE_DATE, SQL_CHAR, d, nullptr, 0, 10), "2024-02-29", 0);
  // Binary data into binary and character columns: bytes.
  const unsigned char raw[] = {1, 2, 3};
  SQLLEN three = 3;
  EXPECT_EQ(Encode(SQL_C_BINARY, SQL_VARBINARY, raw, &three, 0, 2).error, "22001");
  EXPECT_EQ(Encode(SQL_C_BINARY, SQL_BINARY, raw, &three, 0, 3).error, "");
  EXPECT_EQ(Encode(SQL_C_BINARY, SQL_VARCHAR, raw, &three, 0, 2).error, "22001");
  // Hex text into binary: the decoded bytes count.
  EXPECT_EQ(EncodeText(SQL_VARBINARY, "0a0b0c", SQL_NTS, 2).error, "22001");
  EXPECT_EQ(EncodeText(SQL_VARBINARY, "0a0b0c", SQL_NTS, 3).error, "");
}

TEST(EncodeParam, CharToBinaryIsHex) {
  Encoded e = EncodeText(SQL_VARBINARY, "0a1B");
  EXPECT_EQ(e.error, "");
  EXPECT_EQ(e.p.value, std::string("\x0a\x1b", 2));
  EXPECT_EQ(e.p.format, 1);
  EXPECT_EQ(e.p.type, oid::kBytea);
  e = EncodeText(SQL_LONGVARBINARY, "\\x00ff");
  EXPECT_EQ(e.p.value, std::string("\x00\xff", 2));
  EXPECT_EQ(EncodeText(SQL_BINARY, "0g").error, "22018");
  // An odd last digit is not converted (C to SQL: Character).
  e = EncodeText(SQL_BINARY, "abc");
  EXPECT_EQ(e.error, "");
  EXPECT_EQ(e.p.value, std::string("\xab", 1));
}

TEST(EncodeParam, Binary) {
  const char raw[] = {'\x00', '\x01', '\xff'};
  ParamSource s;
  s.c_type = SQL_C_BINARY;
  s.sql_type = SQL_VARBINARY;
  s.data = raw;
  SQLLEN len = 3;
  s.octet_length = &len;
  EncodedParam p;
  EncodeParam(s, p);
  EXPECT_EQ(p.value, std::string(raw, 3));
  EXPECT_EQ(p.format, 1);
  EXPECT_EQ(p.type, oid::kBytea);
  s.sql_type = SQL_VARCHAR;  // binary into character data: the bytes as they are
  EncodeParam(s, p);
  EXPECT_EQ(p.value, std::string(raw, 3));
  EXPECT_EQ(p.format, 0);
  s.sql_type = SQL_GUID;
  EXPECT_THROW(EncodeParam(s, p), OdbcError);  // 07006
  s.octet_length = nullptr;                    // no length: the buffer length
  s.buffer_length = 2;
  s.sql_type = SQL_BINARY;
  EncodeParam(s, p);
  EXPECT_EQ(p.value.size(), 2u);
}

// C to SQL: Binary -> numeric, bit, date, time, timestamp: the bytes are the value's C form
// and must be exactly its size, else 22003.
TEST(EncodeParam, BinaryToFixedSizeTypes) {
  auto bytes = [](SQLSMALLINT sql_type, const void* p, SQLLEN n) {
    ParamSource s;
    s.c_type = SQL_C_BINARY;
    s.sql_type = sql_type;
    s.data = p;
    s.buffer_length = n;
    s.octet_length = &n;
    Encoded e;
    try {
      EncodeParam(s, e.p);
    } catch (const OdbcError& err) {
      e.error = err.sqlstate();
    }
    return e;
  };
  SQLINTEGER i = -123456;
  EXPECT_SENT(bytes(SQL_INTEGER, &i, 4), "-123456", oid::kInt4);
  EXPECT_EQ(bytes(SQL_INTEGER, &i, 3).error, "22003");
  EXPECT_EQ(bytes(SQL_INTEGER, &i, 8).error, "22003");
  const unsigned char three[] = {1, 2, 3};
  EXPECT_EQ(bytes(SQL_INTEGER, three, 3).error, "22003");
  SQLSMALLINT sh = -2;
  EXPECT_SENT(bytes(SQL_SMALLINT, &sh, 2), "-2", oid::kInt2);
  signed char tiny = -7;
  EXPECT_SENT(bytes(SQL_TINYINT, &tiny, 1), "-7", oid::kInt2);
  EXPECT_EQ(bytes(SQL_TINYINT, &sh, 2).error, "22003");
  SQLBIGINT big = INT64_MIN;
  EXPECT_SENT(bytes(SQL_BIGINT, &big, 8), "-9223372036854775808", oid::kInt8);
  float f = 0.5f;
  EXPECT_SENT(bytes(SQL_REAL, &f, 4), "0.5", oid::kFloat4);
  double d = 0.1;
  EXPECT_SENT(bytes(SQL_DOUBLE, &d, 8), "0.1", oid::kFloat8);
  EXPECT_EQ(bytes(SQL_FLOAT, &f, 4).error, "22003");
  SQL_NUMERIC_STRUCT n{};
  n.precision = 10;
  n.scale = 2;
  n.sign = 1;
  n.val[0] = 0x39;
  n.val[1] = 0x30;
  EXPECT_SENT(bytes(SQL_NUMERIC, &n, sizeof n), "123.45", oid::kNumeric);
  EXPECT_EQ(bytes(SQL_DECIMAL, &n, 4).error, "22003");
  unsigned char one = 1, two = 2;
  EXPECT_SENT(bytes(SQL_BIT, &one, 1), "t", oid::kBool);
  EXPECT_EQ(bytes(SQL_BIT, &two, 1).error, "22003");
  SQL_DATE_STRUCT date{2024, 2, 29}, bad_date{2023, 2, 29};
  EXPECT_SENT(bytes(SQL_TYPE_DATE, &date, 6), "2024-02-29", oid::kDate);
  EXPECT_EQ(bytes(SQL_TYPE_DATE, &date, 5).error, "22003");
  EXPECT_EQ(bytes(SQL_TYPE_DATE, &bad_date, 6).error, "22007");
  SQL_TIME_STRUCT time{12, 34, 56};
  EXPECT_SENT(bytes(SQL_TYPE_TIME, &time, 6), "12:34:56", oid::kTime);
  SQL_TIMESTAMP_STRUCT ts{2024, 1, 2, 3, 4, 5, 500000000};
  EXPECT_SENT(bytes(SQL_TYPE_TIMESTAMP, &ts, 16), "2024-01-02 03:04:05.5", oid::kTimestamp);
  EXPECT_EQ(bytes(SQL_TYPE_TIMESTAMP, &ts, 6).error, "22003");
  // Not in the "C to SQL: Binary" table: 07006.
  EXPECT_EQ(bytes(SQL_GUID, &ts, 16).error, "07006");
  EXPECT_EQ(bytes(SQL_INTERVAL_DAY, &i, 4).error, "07006");
}

TEST(EncodeParam, Integers) {
  EXPECT_SENT(Encode(SQL_C_STINYINT, SQL_INTEGER, static_cast<signed char>(-5)), "-5", oid::kInt4);
  EXPECT_SENT(Encode(SQL_C_TINYINT, SQL_INTEGER, static_cast<signed char>(-5)), "-5", oid::kInt4);
  EXPECT_SENT(Encode(SQL_C_UTINYINT, SQL_INTEGER, static_cast<unsigned char>(250)), "250",
              oid::kInt4);
  EXPECT_SENT(Encode(SQL_C_SSHORT, SQL_SMALLINT, static_cast<SQLSMALLINT>(-32768)), "-32768",
              oid::kInt2);
  EXPECT_SENT(Encode(SQL_C_SHORT, SQL_SMALLINT, static_cast<SQLSMALLINT>(7)), "7", oid::kInt2);
  EXPECT_EQ(Encode(SQL_C_USHORT, SQL_SMALLINT, static_cast<SQLUSMALLINT>(65535)).error, "22003");
  EXPECT_SENT(Encode(SQL_C_USHORT, SQL_INTEGER, static_cast<SQLUSMALLINT>(65535)), "65535",
              oid::kInt4);
  EXPECT_SENT(Encode(SQL_C_LONG, SQL_INTEGER, static_cast<SQLINTEGER>(-1)), "-1", oid::kInt4);
  EXPECT_EQ(Encode(SQL_C_ULONG, SQL_INTEGER, static_cast<SQLUINTEGER>(4000000000u)).error, "22003");
  EXPECT_SENT(Encode(SQL_C_ULONG, SQL_BIGINT, static_cast<SQLUINTEGER>(4000000000u)), "4000000000",
              oid::kInt8);
  EXPECT_SENT(Encode(SQL_C_SBIGINT, SQL_BIGINT, static_cast<SQLBIGINT>(INT64_MIN)),
              "-9223372036854775808", oid::kInt8);
  EXPECT_EQ(Encode(SQL_C_UBIGINT, SQL_BIGINT, static_cast<SQLUBIGINT>(UINT64_MAX)).error, "22003");
  EXPECT_SENT(Encode(SQL_C_UBIGINT, SQL_NUMERIC, static_cast<SQLUBIGINT>(UINT64_MAX)),
              "18446744073709551615", oid::kNumeric);
  EXPECT_SENT(Encode(SQL_C_SBIGINT, SQL_DOUBLE, static_cast<SQLBIGINT>(3)), "3", oid::kFloat8);
  EXPECT_EQ(Encode(SQL_C_SLONG, SQL_BIT, static_cast<SQLINTEGER>(2)).error, "22003");
  EXPECT_EQ(Encode(SQL_C_SLONG, SQL_TYPE_DATE, static_cast<SQLINTEGER>(2)).error, "07006");
  EXPECT_EQ(Encode(SQL_C_SLONG, SQL_GUID, static_cast<SQLINTEGER>(2)).error, "07006");
  EXPECT_EQ(Encode(SQL_C_SLONG, SQL_VARBINARY, static_cast<SQLINTEGER>(2)).error, "07006");
  EXPECT_EQ(Encode(SQL_C_SLONG, SQL_INTERVAL_DAY_TO_SECOND, static_cast<SQLINTEGER>(2)).error,
            "07006");
}

TEST(EncodeParam, FloatsShortestRoundTrip) {
  EXPECT_SENT(Encode(SQL_C_DOUBLE, SQL_DOUBLE, 0.1), "0.1", oid::kFloat8);
  EXPECT_SENT(Encode(SQL_C_DOUBLE, SQL_DOUBLE, 1e300), "1e+300", oid::kFloat8);
  EXPECT_SENT(Encode(SQL_C_DOUBLE, SQL_DOUBLE, std::numeric_limits<double>::quiet_NaN()), "NaN",
              oid::kFloat8);
  EXPECT_SENT(Encode(SQL_C_DOUBLE, SQL_DOUBLE, -std::numeric_limits<double>::infinity()),
              "-Infinity", oid::kFloat8);
  EXPECT_SENT(Encode(SQL_C_FLOAT, SQL_REAL, 0.1f), "0.1", oid::kFloat4);
  EXPECT_SENT(Encode(SQL_C_FLOAT, SQL_DOUBLE, 0.1f), "0.1", oid::kFloat8);
  EXPECT_SENT(Encode(SQL_C_DOUBLE, SQL_REAL, 0.1), "0.1", oid::kFloat4);
  EXPECT_EQ(Encode(SQL_C_DOUBLE, SQL_REAL, 1e300).error, "22003");
  EXPECT_SENT(Encode(SQL_C_DOUBLE, SQL_INTEGER, 42.0), "42", oid::kInt4);
  EXPECT_EQ(Encode(SQL_C_DOUBLE, SQL_INTEGER, 42.5).error, "22001");
  EXPECT_EQ(Encode(SQL_C_DOUBLE, SQL_INTEGER, 1e10).error, "22003");
  EXPECT_EQ(Encode(SQL_C_DOUBLE, SQL_BIGINT, std::numeric_limits<double>::quiet_NaN()).error,
            "22003");
  EXPECT_SENT(Encode(SQL_C_DOUBLE, SQL_NUMERIC, 2.5), "2.5", oid::kNumeric);
  EXPECT_SENT(Encode(SQL_C_DOUBLE, SQL_VARCHAR, 2.5), "2.5", 0);
  EXPECT_SENT(Encode(SQL_C_DOUBLE, SQL_BIT, 0.0), "f", oid::kBool);
  EXPECT_EQ(Encode(SQL_C_DOUBLE, SQL_TYPE_TIMESTAMP, 0.0).error, "07006");
}

TEST(EncodeParam, Numeric) {
  SQL_NUMERIC_STRUCT n{};
  n.precision = 10;
  n.scale = 3;
  n.sign = 0;
  n.val[0] = 0x39;  // 12345
  n.val[1] = 0x30;
  EXPECT_SENT(Encode(SQL_C_NUMERIC, SQL_NUMERIC, n), "-12.345", oid::kNumeric);
  EXPECT_SENT(Encode(SQL_C_NUMERIC, SQL_DOUBLE, n), "-12.345", oid::kFloat8);
  EXPECT_EQ(Encode(SQL_C_NUMERIC, SQL_INTEGER, n).error, "22001");
  n.scale = 0;
  EXPECT_SENT(Encode(SQL_C_NUMERIC, SQL_INTEGER, n), "-12345", oid::kInt4);
  n.scale = -2;
  n.sign = 1;
  EXPECT_SENT(Encode(SQL_C_NUMERIC, SQL_NUMERIC, n), "1234500", oid::kNumeric);
  n.scale = 7;
  EXPECT_SENT(Encode(SQL_C_NUMERIC, SQL_VARCHAR, n), "0.0012345", 0);
  EXPECT_SENT(Encode(SQL_C_NUMERIC, SQL_INTERVAL_SECOND, n), "0.0012345 secs", oid::kInterval);
}

TEST(EncodeParam, Bit) {
  unsigned char t = 1, f = 0;
  EXPECT_SENT(Encode(SQL_C_BIT, SQL_BIT, t), "t", oid::kBool);
  EXPECT_SENT(Encode(SQL_C_BIT, SQL_BIT, f), "f", oid::kBool);
  EXPECT_SENT(Encode(SQL_C_BIT, SQL_INTEGER, t), "1", oid::kInt4);
  EXPECT_SENT(Encode(SQL_C_BIT, SQL_CHAR, f), "0", 0);
  EXPECT_EQ(Encode(SQL_C_BIT, SQL_TYPE_DATE, t).error, "07006");
  // A SQL_C_BIT holds 0 or 1: anything else is out of range, whatever the SQL type.
  unsigned char two = 2, all = 0xff;
  EXPECT_EQ(Encode(SQL_C_BIT, SQL_BIT, two).error, "22003");
  EXPECT_EQ(Encode(SQL_C_BIT, SQL_INTEGER, all).error, "22003");
  EXPECT_EQ(Encode(SQL_C_BIT, SQL_VARCHAR, two).error, "22003");
}

TEST(EncodeParam, DatesAndTimes) {
  SQL_DATE_STRUCT d{2024, 2, 29};
  EXPECT_SENT(Encode(SQL_C_TYPE_DATE, SQL_TYPE_DATE, d), "2024-02-29", oid::kDate);
  EXPECT_SENT(Encode(SQL_C_DATE, SQL_TYPE_TIMESTAMP, d), "2024-02-29", oid::kTimestamp);
  EXPECT_SENT(Encode(SQL_C_TYPE_DATE, SQL_VARCHAR, d), "2024-02-29", 0);
  EXPECT_EQ(Encode(SQL_C_TYPE_DATE, SQL_TYPE_TIME, d).error, "07006");
  EXPECT_EQ(Encode(SQL_C_TYPE_DATE, SQL_INTEGER, d).error, "07006");
  // C to SQL: Date: not a valid date is 22007 into datetime types, 22008 into character data;
  // a pair that does not convert stays 07006.
  SQL_DATE_STRUCT bad{2023, 2, 29};
  EXPECT_EQ(Encode(SQL_C_TYPE_DATE, SQL_TYPE_DATE, bad).error, "22007");
  SQL_DATE_STRUCT feb30{2024, 2, 30};
  EXPECT_EQ(Encode(SQL_C_TYPE_DATE, SQL_TYPE_DATE, feb30).error, "22007");
  EXPECT_EQ(Encode(SQL_C_DATE, SQL_TYPE_TIMESTAMP, bad).error, "22007");
  EXPECT_EQ(Encode(SQL_C_TYPE_DATE, SQL_VARCHAR, bad).error, "22008");
  EXPECT_EQ(Encode(SQL_C_TYPE_DATE, SQL_WCHAR, bad).error, "22008");
  EXPECT_EQ(Encode(SQL_C_TYPE_DATE, SQL_INTEGER, bad).error, "07006");

  SQL_TIME_STRUCT t{23, 59, 58};
  EXPECT_SENT(Encode(SQL_C_TYPE_TIME, SQL_TYPE_TIME, t), "23:59:58", oid::kTime);
  EXPECT_SENT(Encode(SQL_C_TIME, SQL_CHAR, t), "23:59:58", 0);
  Encoded e = Encode(SQL_C_TYPE_TIME, SQL_TYPE_TIMESTAMP, t);  // today's date
  EXPECT_EQ(e.error, "");
  EXPECT_EQ(e.p.value.size(), 19u);
  EXPECT_EQ(e.p.value.substr(10), " 23:59:58");
  SQL_TIME_STRUCT bad_time{24, 0, 0};
  EXPECT_EQ(Encode(SQL_C_TYPE_TIME, SQL_TYPE_TIME, bad_time).error, "22007");
  EXPECT_EQ(Encode(SQL_C_TYPE_TIME, SQL_TYPE_TIMESTAMP, bad_time).error, "22007");
  EXPECT_EQ(Encode(SQL_C_TYPE_TIME, SQL_CHAR, bad_time).error, "22008");

  SQL_TIMESTAMP_STRUCT ts{2024, 1, 2, 3, 4, 5, 123456000};
  EXPECT_SENT(Encode(SQL_C_TYPE_TIMESTAMP, SQL_TYPE_TIMESTAMP, ts), "2024-01-02 03:04:05.123456",
              oid::kTimestamp);
  EXPECT_SENT(Encode(SQL_C_TIMESTAMP, SQL_TYPE_TIME, ts), "03:04:05.123456", oid::kTime);
  EXPECT_EQ(Encode(SQL_C_TYPE_TIMESTAMP, SQL_TYPE_DATE, ts).error, "22008");
  SQL_TIMESTAMP_STRUCT midnight{2024, 1, 2, 0, 0, 0, 0};
  EXPECT_SENT(Encode(SQL_C_TYPE_TIMESTAMP, SQL_TYPE_DATE, midnight), "2024-01-02", oid::kDate);
  EXPECT_SENT(Encode(SQL_C_TYPE_TIMESTAMP, SQL_VARCHAR, midnight), "2024-01-02 00:00:00", 0);
  SQL_TIMESTAMP_STRUCT nanos{2024, 1, 2, 0, 0, 0, 1};
  EXPECT_SENT(Encode(SQL_C_TYPE_TIMESTAMP, SQL_TYPE_TIMESTAMP, nanos),
              "2024-01-02 00:00:00.000000001", oid::kTimestamp);
  SQL_TIMESTAMP_STRUCT bad_ts{2024, 13, 2, 0, 0, 0, 0};
  EXPECT_EQ(Encode(SQL_C_TYPE_TIMESTAMP, SQL_TYPE_TIMESTAMP, bad_ts).error, "22007");
  EXPECT_EQ(Encode(SQL_C_TYPE_TIMESTAMP, SQL_TYPE_DATE, bad_ts).error, "22007");
  EXPECT_EQ(Encode(SQL_C_TYPE_TIMESTAMP, SQL_TYPE_TIME, bad_ts).error, "22007");
  EXPECT_EQ(Encode(SQL_C_TYPE_TIMESTAMP, SQL_VARCHAR, bad_ts).error, "22008");
  SQL_TIMESTAMP_STRUCT bad_frac{2024, 1, 2, 0, 0, 0, 1000000000};
  EXPECT_EQ(Encode(SQL_C_TYPE_TIMESTAMP, SQL_TYPE_TIMESTAMP, bad_frac).error, "22007");
}

TEST(EncodeParam, Guid) {
  SQLGUID g{};
  g.Data1 = 0xa0eebc99;
  g.Data2 = 0x9c0b;
  g.Data3 = 0x4ef8;
  const unsigned char d4[] = {0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38, 0x0a, 0x11};
  std::memcpy(g.Data4, d4, 8);
  EXPECT_SENT(Encode(SQL_C_GUID, SQL_GUID, g), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", oid::kUuid);
  EXPECT_SENT(Encode(SQL_C_GUID, SQL_WVARCHAR, g), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", 0);
  EXPECT_EQ(Encode(SQL_C_GUID, SQL_INTEGER, g).error, "07006");
}

TEST(EncodeParam, Intervals) {
  SQL_INTERVAL_STRUCT iv;
  std::memset(&iv, 0, sizeof iv);
  iv.interval_sign = SQL_TRUE;
  iv.intval.year_month.year = 1;
  iv.intval.year_month.month = 2;
  EXPECT_SENT(Encode(SQL_C_INTERVAL_YEAR_TO_MONTH, SQL_INTERVAL_YEAR_TO_MONTH, iv),
              "-1 years -2 mons", oid::kInterval);
  std::memset(&iv, 0, sizeof iv);
  iv.intval.day_second.day = 3;
  iv.intval.day_second.hour = 4;
  iv.intval.day_second.minute = 5;
  iv.intval.day_second.second = 6;
  iv.intval.day_second.fraction = 500000;
  EXPECT_SENT(Encode(SQL_C_INTERVAL_DAY_TO_SECOND, SQL_INTERVAL_DAY_TO_SECOND, iv),
              "3 days 4 hours 5 mins 6.5 secs", oid::kInterval);
  EXPECT_SENT(Encode(SQL_C_INTERVAL_DAY_TO_SECOND, SQL_VARCHAR, iv),
              "3 days 4 hours 5 mins 6.5 secs", 0);
  // Fractional precision 3 (APD SQL_DESC_PRECISION): 500 means .5
  iv.intval.day_second.fraction = 500;
  EXPECT_SENT(Encode(SQL_C_INTERVAL_DAY_TO_SECOND, SQL_INTERVAL_DAY_TO_SECOND, iv, nullptr, 3),
              "3 days 4 hours 5 mins 6.5 secs", oid::kInterval);
  std::memset(&iv, 0, sizeof iv);
  iv.intval.day_second.hour = 100;  // a leading field may exceed its usual range
  EXPECT_SENT(Encode(SQL_C_INTERVAL_HOUR, SQL_INTERVAL_HOUR, iv), "0 days 100 hours 0 mins 0 secs",
              oid::kInterval);
  iv.intval.day_second.minute = 60;
  EXPECT_EQ(Encode(SQL_C_INTERVAL_HOUR_TO_MINUTE, SQL_INTERVAL_HOUR_TO_MINUTE, iv).error, "22015");
  iv.intval.day_second.minute = 0;
  EXPECT_EQ(Encode(SQL_C_INTERVAL_HOUR, SQL_INTEGER, iv).error, "07006");
}

TEST(EncodeParam, DefaultCTypeFollowsSqlType) {
  const char* text = "12";
  ParamSource s;
  s.c_type = SQL_C_DEFAULT;
  s.sql_type = SQL_VARCHAR;
  s.data = text;
  EncodedParam p;
  EncodeParam(s, p);
  EXPECT_EQ(p.value, "12");
  int32_t v = 9;
  s.sql_type = SQL_INTEGER;
  s.data = &v;
  EncodeParam(s, p);
  EXPECT_EQ(p.value, "9");
  EXPECT_EQ(p.type, oid::kInt4);
}

TEST(EncodeParam, UnknownCTypeIs07006) {
  int32_t v = 0;
  EXPECT_EQ(Encode(static_cast<SQLSMALLINT>(1234), SQL_INTEGER, v).error, "07006");
}

}  // namespace
}  // namespace lakebase::odbc

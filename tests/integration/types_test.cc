// Values of every foundation type, there and back: as SELECT results read with SQLGetData and
// with bound columns (ANSI and Unicode entry points), and as bound parameters.
#include <gtest/gtest.h>
#include <sql.h>
#include <sqlext.h>
#include <sqlucode.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "tests/integration/rig_env.h"

namespace lakebase::testing {
namespace {

class Types : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_ODBC_OK(c_.DriverConnect(BaseConnectionString() + "Token=" + Env("LBRIG_ALICE_PAT")),
                   c_.diag());
  }
  Connection c_;
};

struct TextCase {
  const char* expr;
  const char* expected;  // SQL_C_CHAR rendering
};

// Text renderings through SQL_C_CHAR: the PostgreSQL text form (ODBC appendix D: character
// targets get the value's character representation).
const TextCase kTextCases[] = {
    {"32767::int2", "32767"},
    {"'-2147483648'::int4", "-2147483648"},
    {"9223372036854775807::int8", "9223372036854775807"},
    {"12345.67::numeric(12,2)", "12345.67"},
    {"'-0.000000000000000000001'::numeric", "-0.000000000000000000001"},
    {"1.5::float4", "1.5"},
    {"0.1::float8", "0.1"},
    {"true", "1"},
    {"false", "0"},
    {"'héllo 漢字 🎉'::text", "héllo 漢字 🎉"},
    {"'abc'::varchar(10)", "abc"},
    {"'\\xdeadbeef'::bytea", "deadbeef"},
    {"date '2024-02-29'", "2024-02-29"},
    {"time '23:59:58.123456'", "23:59:58.123456"},
    {"timestamp '2024-01-02 03:04:05.5'", "2024-01-02 03:04:05.5"},
    {"'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
    {"'{\"k\": [1, 2]}'::json", "{\"k\": [1, 2]}"},
};

TEST_F(Types, GetDataAsCharForEveryType) {
  for (const auto& tc : kTextCases) {
    Statement st(c_);
    std::string sql = std::string("SELECT ") + tc.expr;
    ASSERT_ODBC_OK(SQLExecDirect(st.h(), (SQLCHAR*)sql.c_str(), SQL_NTS), st.diag());
    ASSERT_EQ(SQLFetch(st.h()), SQL_SUCCESS) << st.diag();
    char buf[256] = {0};
    SQLLEN ind = 0;
    ASSERT_ODBC_OK(SQLGetData(st.h(), 1, SQL_C_CHAR, buf, sizeof buf, &ind), st.diag());
    EXPECT_STREQ(buf, tc.expected) << tc.expr;
    EXPECT_EQ(ind, static_cast<SQLLEN>(std::strlen(tc.expected))) << tc.expr;
  }
}

std::u16string ToUtf16(const std::string& s) {
  std::u16string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    char32_t cp;
    int n = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
    cp = n == 1 ? c : n == 2 ? c & 0x1f : n == 3 ? c & 0x0f : c & 0x07;
    for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    i += n;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xd800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xdc00 + (cp & 0x3ff)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
  }
  return out;
}

// The same values through the Unicode entry points, bound as SQL_C_WCHAR and as SQL_C_CHAR
// columns of one row (SQLBindCol then SQLFetch).
TEST_F(Types, BoundColumnsWideAndNarrowForEveryType) {
  std::string sql = "SELECT ";
  for (size_t i = 0; i < std::size(kTextCases); ++i) {
    if (i) sql += ", ";
    sql += kTextCases[i].expr;
  }
  sql += ", NULL::text";
  std::u16string wsql = ToUtf16(sql);
  const size_t n = std::size(kTextCases);
  for (bool wide : {true, false}) {
    Statement st(c_);
    ASSERT_ODBC_OK(SQLExecDirectW(st.h(), (SQLWCHAR*)wsql.c_str(), SQL_NTS), st.diag());
    std::vector<std::vector<char>> bufs(n + 1, std::vector<char>(512));
    std::vector<SQLLEN> inds(n + 1);
    for (size_t i = 0; i <= n; ++i) {
      ASSERT_ODBC_OK(SQLBindCol(st.h(), static_cast<SQLUSMALLINT>(i + 1),
                                wide ? SQL_C_WCHAR : SQL_C_CHAR, bufs[i].data(), 512, &inds[i]),
                     st.diag());
    }
    ASSERT_EQ(SQLFetch(st.h()), SQL_SUCCESS) << st.diag();
    for (size_t i = 0; i < n; ++i) {
      if (wide) {
        std::u16string got(reinterpret_cast<const char16_t*>(bufs[i].data()));
        EXPECT_EQ(got, ToUtf16(kTextCases[i].expected)) << kTextCases[i].expr;
        EXPECT_EQ(inds[i], static_cast<SQLLEN>(got.size() * 2)) << kTextCases[i].expr;
      } else {
        EXPECT_STREQ(bufs[i].data(), kTextCases[i].expected) << kTextCases[i].expr;
      }
    }
    EXPECT_EQ(inds[n], SQL_NULL_DATA);
    EXPECT_EQ(SQLFetch(st.h()), SQL_NO_DATA);
  }
}

TEST_F(Types, GetDataAsNativeCTypes) {
  Statement st(c_);
  const char* sql =
      "SELECT 32767::int2, -7::int4, 9223372036854775807::int8, 2.5::float8, 1.25::float4, "
      "true, date '2024-02-29', time '13:14:15', timestamp '2024-01-02 03:04:05.123456', "
      "timestamptz '2024-01-02 03:04:05+00', '\\x00ff10'::bytea, "
      "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, 12.34::numeric(6,2), NULL::int4";
  ASSERT_ODBC_OK(SQLExecDirect(st.h(), (SQLCHAR*)sql, SQL_NTS), st.diag());
  ASSERT_EQ(SQLFetch(st.h()), SQL_SUCCESS) << st.diag();
  SQLLEN ind;
  SQLSMALLINT i16;
  ASSERT_ODBC_OK(SQLGetData(st.h(), 1, SQL_C_SSHORT, &i16, 0, &ind), st.diag());
  EXPECT_EQ(i16, 32767);
  SQLINTEGER i32;
  ASSERT_ODBC_OK(SQLGetData(st.h(), 2, SQL_C_SLONG, &i32, 0, &ind), st.diag());
  EXPECT_EQ(i32, -7);
  SQLBIGINT i64;
  ASSERT_ODBC_OK(SQLGetData(st.h(), 3, SQL_C_SBIGINT, &i64, 0, &ind), st.diag());
  EXPECT_EQ(i64, 9223372036854775807LL);
  double d;
  ASSERT_ODBC_OK(SQLGetData(st.h(), 4, SQL_C_DOUBLE, &d, 0, &ind), st.diag());
  EXPECT_EQ(d, 2.5);
  float f;
  ASSERT_ODBC_OK(SQLGetData(st.h(), 5, SQL_C_FLOAT, &f, 0, &ind), st.diag());
  EXPECT_EQ(f, 1.25f);
  unsigned char bit;
  ASSERT_ODBC_OK(SQLGetData(st.h(), 6, SQL_C_BIT, &bit, 0, &ind), st.diag());
  EXPECT_EQ(bit, 1);
  SQL_DATE_STRUCT date;
  ASSERT_ODBC_OK(SQLGetData(st.h(), 7, SQL_C_TYPE_DATE, &date, 0, &ind), st.diag());
  EXPECT_EQ(date.year, 2024);
  EXPECT_EQ(date.month, 2);
  EXPECT_EQ(date.day, 29);
  SQL_TIME_STRUCT tm;
  ASSERT_ODBC_OK(SQLGetData(st.h(), 8, SQL_C_TYPE_TIME, &tm, 0, &ind), st.diag());
  EXPECT_EQ(tm.hour, 13);
  EXPECT_EQ(tm.minute, 14);
  EXPECT_EQ(tm.second, 15);
  SQL_TIMESTAMP_STRUCT ts;
  ASSERT_ODBC_OK(SQLGetData(st.h(), 9, SQL_C_TYPE_TIMESTAMP, &ts, 0, &ind), st.diag());
  EXPECT_EQ(ts.year, 2024);
  EXPECT_EQ(ts.hour, 3);
  EXPECT_EQ(ts.fraction, 123456000u);
  ASSERT_ODBC_OK(SQLGetData(st.h(), 10, SQL_C_TYPE_TIMESTAMP, &ts, 0, &ind), st.diag());
  EXPECT_EQ(ts.day, 2);
  unsigned char bytes[8];
  ASSERT_ODBC_OK(SQLGetData(st.h(), 11, SQL_C_BINARY, bytes, sizeof bytes, &ind), st.diag());
  ASSERT_EQ(ind, 3);
  EXPECT_EQ(bytes[0], 0x00);
  EXPECT_EQ(bytes[1], 0xff);
  EXPECT_EQ(bytes[2], 0x10);
  SQLGUID guid;
  ASSERT_ODBC_OK(SQLGetData(st.h(), 12, SQL_C_GUID, &guid, 0, &ind), st.diag());
  EXPECT_EQ(guid.Data1, 0xa0eebc99u);
  EXPECT_EQ(guid.Data4[7], 0x11);
  SQL_NUMERIC_STRUCT num{};
  ASSERT_ODBC_OK(SQLGetData(st.h(), 13, SQL_C_CHAR, bytes, sizeof bytes, &ind), st.diag());
  EXPECT_STREQ(reinterpret_cast<char*>(bytes), "12.34");
  (void)num;
  ASSERT_ODBC_OK(SQLGetData(st.h(), 14, SQL_C_SLONG, &i32, 0, &ind), st.diag());
  EXPECT_EQ(ind, SQL_NULL_DATA);
}

TEST_F(Types, UnicodeEntryPointsAndWideData) {
  Statement st(c_);
  std::u16string sql = u"SELECT 'héllo 漢字 🎉'::text AS \"名前\"";
  ASSERT_ODBC_OK(SQLExecDirectW(st.h(), (SQLWCHAR*)sql.c_str(), SQL_NTS), st.diag());
  SQLWCHAR name[32];
  SQLSMALLINT name_len, type, digits, nullable;
  SQLULEN size;
  ASSERT_ODBC_OK(SQLDescribeColW(st.h(), 1, name, 32, &name_len, &type, &size, &digits, &nullable),
                 st.diag());
  EXPECT_EQ(std::u16string(reinterpret_cast<char16_t*>(name), name_len), u"名前");
  EXPECT_TRUE(type == SQL_WLONGVARCHAR || type == SQL_WVARCHAR) << type;
  ASSERT_EQ(SQLFetch(st.h()), SQL_SUCCESS);
  SQLWCHAR buf[64];
  SQLLEN ind;
  ASSERT_ODBC_OK(SQLGetData(st.h(), 1, SQL_C_WCHAR, buf, sizeof buf, &ind), st.diag());
  std::u16string expected = u"héllo 漢字 🎉";
  EXPECT_EQ(std::u16string(reinterpret_cast<char16_t*>(buf)), expected);
  EXPECT_EQ(ind, static_cast<SQLLEN>(expected.size() * 2));
}

TEST_F(Types, ChunkedGetDataForLongTextAndBytea) {
  Statement st(c_);
  const char* sql = "SELECT repeat('ab€', 10000), decode(repeat('00ff', 50000), 'hex')";
  ASSERT_ODBC_OK(SQLExecDirect(st.h(), (SQLCHAR*)sql, SQL_NTS), st.diag());
  ASSERT_EQ(SQLFetch(st.h()), SQL_SUCCESS);
  std::string text;
  char buf[1001];
  SQLLEN ind;
  SQLRETURN rc;
  while ((rc = SQLGetData(st.h(), 1, SQL_C_CHAR, buf, sizeof buf, &ind)) != SQL_NO_DATA) {
    ASSERT_TRUE(SQL_SUCCEEDED(rc)) << st.diag();
    text += buf;
  }
  std::string expected;
  for (int i = 0; i < 10000; ++i) expected += "ab€";
  EXPECT_EQ(text, expected);
  std::string bin;
  unsigned char b[777];
  while ((rc = SQLGetData(st.h(), 2, SQL_C_BINARY, b, sizeof b, &ind)) != SQL_NO_DATA) {
    ASSERT_TRUE(SQL_SUCCEEDED(rc)) << st.diag();
    size_t got = (ind == SQL_NO_TOTAL || ind > static_cast<SQLLEN>(sizeof b)) ? sizeof b : ind;
    bin.append(reinterpret_cast<char*>(b), got);
  }
  ASSERT_EQ(bin.size(), 100000u);
  EXPECT_EQ(static_cast<unsigned char>(bin[0]), 0x00);
  EXPECT_EQ(static_cast<unsigned char>(bin[1]), 0xff);
}

TEST_F(Types, BoundColumnsWithRowArray) {
  Statement st(c_);
  const char* sql =
      "SELECT g::int4, (g * 1.5)::float8, 'row ' || g, g % 2 = 0, date '2024-01-01' + g "
      "FROM generate_series(1, 25) g ORDER BY g";
  ASSERT_ODBC_OK(SQLExecDirect(st.h(), (SQLCHAR*)sql, SQL_NTS), st.diag());
  constexpr int kRows = 10;
  SQLINTEGER ids[kRows];
  double vals[kRows];
  char names[kRows][16];
  unsigned char even[kRows];
  SQL_DATE_STRUCT dates[kRows];
  SQLLEN ind[5][kRows];
  SQLULEN fetched = 0;
  SQLUSMALLINT status[kRows];
  SQLSetStmtAttr(st.h(), SQL_ATTR_ROW_ARRAY_SIZE, reinterpret_cast<SQLPOINTER>(kRows), 0);
  SQLSetStmtAttr(st.h(), SQL_ATTR_ROWS_FETCHED_PTR, &fetched, 0);
  SQLSetStmtAttr(st.h(), SQL_ATTR_ROW_STATUS_PTR, status, 0);
  SQLBindCol(st.h(), 1, SQL_C_SLONG, ids, 0, ind[0]);
  SQLBindCol(st.h(), 2, SQL_C_DOUBLE, vals, 0, ind[1]);
  SQLBindCol(st.h(), 3, SQL_C_CHAR, names, sizeof names[0], ind[2]);
  SQLBindCol(st.h(), 4, SQL_C_BIT, even, 0, ind[3]);
  SQLBindCol(st.h(), 5, SQL_C_TYPE_DATE, dates, 0, ind[4]);
  int seen = 0;
  SQLRETURN rc;
  while ((rc = SQLFetch(st.h())) != SQL_NO_DATA) {
    ASSERT_TRUE(SQL_SUCCEEDED(rc)) << st.diag();
    for (SQLULEN r = 0; r < fetched; ++r) {
      ++seen;
      EXPECT_EQ(status[r], SQL_ROW_SUCCESS);
      EXPECT_EQ(ids[r], seen);
      EXPECT_EQ(vals[r], seen * 1.5);
      EXPECT_EQ(std::string(names[r]), "row " + std::to_string(seen));
      EXPECT_EQ(even[r], seen % 2 == 0 ? 1 : 0);
      EXPECT_EQ(dates[r].day, 1 + seen);
    }
  }
  EXPECT_EQ(seen, 25);
}

TEST_F(Types, ParametersOfEveryTypeRoundTrip) {
  std::string table = "it_params_" + std::to_string(getpid());
  c_.Exec("DROP TABLE IF EXISTS " + table);
  c_.Exec("CREATE TABLE " + table +
          " (i2 int2, i4 int4, i8 int8, n numeric(12,2), f4 float4, f8 float8, b bool, t text, "
          "v varchar(40), by bytea, d date, tm time, ts timestamp, tz timestamptz, u uuid, "
          "j json, z int4)");
  Statement st(c_);
  std::string ins = "INSERT INTO " + table + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
  ASSERT_ODBC_OK(SQLPrepare(st.h(), (SQLCHAR*)ins.c_str(), SQL_NTS), st.diag());
  SQLSMALLINT nparams = 0;
  ASSERT_ODBC_OK(SQLNumParams(st.h(), &nparams), st.diag());
  EXPECT_EQ(nparams, 17);
  SQLSMALLINT i2 = -12;
  SQLINTEGER i4 = 123456;
  SQLBIGINT i8 = -9000000000LL;
  char num[] = "1234.56";
  float f4 = 0.5f;
  double f8 = -1.25;
  unsigned char b = 1;
  std::u16string wtext = u"wide 漢字 ✓";
  char vtext[] = "narrow é";
  unsigned char bytes[] = {0, 1, 2, 255};
  SQL_DATE_STRUCT d{2023, 12, 31};
  SQL_TIME_STRUCT tm{8, 9, 10};
  SQL_TIMESTAMP_STRUCT ts{2024, 5, 6, 7, 8, 9, 250000000};
  SQL_TIMESTAMP_STRUCT tz{2024, 5, 6, 7, 8, 9, 0};
  char uuid[] = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
  char json[] = "{\"a\": 1}";
  SQLLEN nts = SQL_NTS, null_ind = SQL_NULL_DATA, wlen = wtext.size() * 2, blen = sizeof bytes;
  SQLLEN zero = 0;
  int k = 1;
  auto bind = [&](SQLSMALLINT c, SQLSMALLINT s, SQLULEN size, SQLSMALLINT dd, void* p, SQLLEN bl,
                  SQLLEN* ind) {
    SQLRETURN rc = SQLBindParameter(st.h(), k++, SQL_PARAM_INPUT, c, s, size, dd, p, bl, ind);
    EXPECT_ODBC_OK(rc, st.diag());
  };
  bind(SQL_C_SSHORT, SQL_SMALLINT, 0, 0, &i2, 0, &zero);
  bind(SQL_C_SLONG, SQL_INTEGER, 0, 0, &i4, 0, &zero);
  bind(SQL_C_SBIGINT, SQL_BIGINT, 0, 0, &i8, 0, &zero);
  bind(SQL_C_CHAR, SQL_NUMERIC, 12, 2, num, sizeof num, &nts);
  bind(SQL_C_FLOAT, SQL_REAL, 0, 0, &f4, 0, &zero);
  bind(SQL_C_DOUBLE, SQL_DOUBLE, 0, 0, &f8, 0, &zero);
  bind(SQL_C_BIT, SQL_BIT, 0, 0, &b, 0, &zero);
  bind(SQL_C_WCHAR, SQL_WVARCHAR, 40, 0, wtext.data(), wlen, &wlen);
  bind(SQL_C_CHAR, SQL_VARCHAR, 40, 0, vtext, sizeof vtext, &nts);
  bind(SQL_C_BINARY, SQL_VARBINARY, 4, 0, bytes, sizeof bytes, &blen);
  bind(SQL_C_TYPE_DATE, SQL_TYPE_DATE, 0, 0, &d, 0, &zero);
  bind(SQL_C_TYPE_TIME, SQL_TYPE_TIME, 0, 0, &tm, 0, &zero);
  bind(SQL_C_TYPE_TIMESTAMP, SQL_TYPE_TIMESTAMP, 26, 6, &ts, 0, &zero);
  bind(SQL_C_TYPE_TIMESTAMP, SQL_TYPE_TIMESTAMP, 26, 6, &tz, 0, &zero);
  bind(SQL_C_CHAR, SQL_GUID, 36, 0, uuid, sizeof uuid, &nts);
  bind(SQL_C_CHAR, SQL_VARCHAR, 100, 0, json, sizeof json, &nts);
  bind(SQL_C_SLONG, SQL_INTEGER, 0, 0, &i4, 0, &null_ind);
  ASSERT_ODBC_OK(SQLExecute(st.h()), st.diag());
  SQLLEN count = 0;
  ASSERT_ODBC_OK(SQLRowCount(st.h(), &count), st.diag());
  EXPECT_EQ(count, 1);

  std::string got = c_.Scalar(
      "SELECT concat_ws('|', i2, i4, i8, n, f4, f8, b, t, v, encode(by, 'hex'), d, tm, ts, "
      "tz AT TIME ZONE 'UTC', u, j::text, coalesce(z::text, 'NULL')) FROM " +
      table);
  EXPECT_EQ(got,
            "-12|123456|-9000000000|1234.56|0.5|-1.25|t|wide 漢字 ✓|narrow é|000102ff|2023-12-31|"
            "08:09:10|2024-05-06 07:08:09.25|2024-05-06 07:08:09|"
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|{\"a\": 1}|NULL");
  c_.Exec("DROP TABLE " + table);
}

TEST_F(Types, ServerErrorKeepsItsSqlstate) {
  Statement st(c_);
  EXPECT_EQ(SQLExecDirect(st.h(), (SQLCHAR*)"SELECT * FROM no_such_table_x", SQL_NTS), SQL_ERROR);
  EXPECT_EQ(FirstState(SQL_HANDLE_STMT, st.h()), "42P01") << st.diag();
  Statement st2(c_);
  EXPECT_EQ(SQLExecDirect(st2.h(), (SQLCHAR*)"SELECT 1/0", SQL_NTS), SQL_ERROR);
  EXPECT_EQ(FirstState(SQL_HANDLE_STMT, st2.h()), "22012") << st2.diag();
}

TEST_F(Types, ManualCommitAndRollback) {
  std::string table = "it_tx_" + std::to_string(getpid());
  c_.Exec("CREATE TABLE " + table + " (x int)");
  ASSERT_ODBC_OK(SQLSetConnectAttr(c_.dbc(), SQL_ATTR_AUTOCOMMIT,
                                   reinterpret_cast<SQLPOINTER>(SQL_AUTOCOMMIT_OFF), 0),
                 c_.diag());
  c_.Exec("INSERT INTO " + table + " VALUES (1)");
  ASSERT_ODBC_OK(SQLEndTran(SQL_HANDLE_DBC, c_.dbc(), SQL_ROLLBACK), c_.diag());
  c_.Exec("INSERT INTO " + table + " VALUES (2)");
  ASSERT_ODBC_OK(SQLEndTran(SQL_HANDLE_DBC, c_.dbc(), SQL_COMMIT), c_.diag());
  SQLSetConnectAttr(c_.dbc(), SQL_ATTR_AUTOCOMMIT, reinterpret_cast<SQLPOINTER>(SQL_AUTOCOMMIT_ON),
                    0);
  {
    Connection other;
    ASSERT_ODBC_OK(other.DriverConnect(BaseConnectionString() + "Token=" + Env("LBRIG_ALICE_PAT")),
                   other.diag());
    EXPECT_EQ(other.Scalar("SELECT string_agg(x::text, ',') FROM " + table), "2");
  }
  c_.Exec("DROP TABLE " + table);
}

TEST_F(Types, MultipleResultSets) {
  Statement st(c_);
  ASSERT_ODBC_OK(SQLExecDirect(st.h(), (SQLCHAR*)"SELECT 1; SELECT 'two', 3", SQL_NTS), st.diag());
  SQLSMALLINT cols = 0;
  SQLNumResultCols(st.h(), &cols);
  EXPECT_EQ(cols, 1);
  ASSERT_EQ(SQLMoreResults(st.h()), SQL_SUCCESS);
  SQLNumResultCols(st.h(), &cols);
  EXPECT_EQ(cols, 2);
  ASSERT_EQ(SQLFetch(st.h()), SQL_SUCCESS);
  char buf[16];
  SQLLEN ind;
  SQLGetData(st.h(), 1, SQL_C_CHAR, buf, sizeof buf, &ind);
  EXPECT_STREQ(buf, "two");
  EXPECT_EQ(SQLMoreResults(st.h()), SQL_NO_DATA);
}

TEST_F(Types, TablesAndColumnsCatalog) {
  Statement st(c_);
  ASSERT_ODBC_OK(SQLTables(st.h(), nullptr, 0, (SQLCHAR*)"public", SQL_NTS, (SQLCHAR*)"rig_rls",
                           SQL_NTS, (SQLCHAR*)"TABLE", SQL_NTS),
                 st.diag());
  ASSERT_EQ(SQLFetch(st.h()), SQL_SUCCESS) << st.diag();
  char name[64];
  SQLLEN ind;
  SQLGetData(st.h(), 3, SQL_C_CHAR, name, sizeof name, &ind);
  EXPECT_STREQ(name, "rig_rls");
  SQLFreeStmt(st.h(), SQL_CLOSE);
  ASSERT_ODBC_OK(SQLColumns(st.h(), nullptr, 0, (SQLCHAR*)"public", SQL_NTS, (SQLCHAR*)"rig_rls",
                            SQL_NTS, nullptr, 0),
                 st.diag());
  int n = 0;
  while (SQLFetch(st.h()) == SQL_SUCCESS) {
    SQLSMALLINT type;
    SQLGetData(st.h(), 5, SQL_C_SSHORT, &type, 0, &ind);
    SQLGetData(st.h(), 4, SQL_C_CHAR, name, sizeof name, &ind);
    if (std::string(name) == "id") EXPECT_EQ(type, SQL_INTEGER);
    ++n;
  }
  EXPECT_GE(n, 2);
}

}  // namespace
}  // namespace lakebase::testing

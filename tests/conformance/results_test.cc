// ODBC "Retrieving Results": SQLNumResultCols, SQLDescribeCol and SQLColAttribute for the
// PostgreSQL types (appendix D "Column Size", "Decimal Digits", "Transfer Octet Length",
// "Display Size"), SQLBindCol column-wise and row-wise with bind offsets, row status and
// rows-fetched arrays, SQLGetData in parts, SQLFetchScroll's cursor positioning rules on static
// cursors, SQL_ATTR_MAX_ROWS, SQL_ATTR_MAX_LENGTH and forward-only cursors.
#include "tests/conformance/conformance.h"

namespace lakebase::conformance {
namespace {

class Results : public ConformanceTest {
 protected:
  void SetUp() override {
    ConformanceTest::SetUp();
    Run("DROP TABLE IF EXISTS conf_results");
    Run("CREATE TABLE conf_results (id int GENERATED ALWAYS AS IDENTITY, i2 int2 NOT NULL, "
        "i4 int4, i8 int8, n numeric(10,2), f4 float4, f8 float8, b bool, vc varchar(20), "
        "ch char(5), t text, by bytea, d date, tm time, tm0 time(0), ts timestamp, ts3 "
        "timestamp(3), tstz timestamptz, u uuid, m money)");
    Run("INSERT INTO conf_results (i2, i4, vc) VALUES (1, 10, 'x')");
  }
  void TearDown() override { Run("DROP TABLE IF EXISTS conf_results"); }

  struct Described {
    SQLSMALLINT type = 0, digits = -1, nullable = -1;
    SQLULEN size = 0;
    std::string name;
  };
  Described Describe(Stmt& st, SQLUSMALLINT col) {
    Described d;
    char name[128] = {0};
    SQLSMALLINT name_len = 0;
    EXPECT_EQ(SQLDescribeCol(st.h(), col, (SQLCHAR*)name, sizeof name, &name_len, &d.type, &d.size,
                             &d.digits, &d.nullable),
              SQL_SUCCESS)
        << st.diag();
    d.name = name;
    return d;
  }
  SQLLEN Num(Stmt& st, SQLUSMALLINT col, SQLUSMALLINT field) {
    SQLLEN v = -12345;
    EXPECT_EQ(SQLColAttribute(st.h(), col, field, nullptr, 0, nullptr, &v), SQL_SUCCESS)
        << st.diag();
    return v;
  }
  std::string Text(Stmt& st, SQLUSMALLINT col, SQLUSMALLINT field) {
    char buf[256] = {0};
    SQLSMALLINT len = 0;
    EXPECT_EQ(SQLColAttribute(st.h(), col, field, buf, sizeof buf, &len, nullptr), SQL_SUCCESS)
        << st.diag();
    EXPECT_EQ(len, static_cast<SQLSMALLINT>(std::strlen(buf)));
    return buf;
  }
};

bool IsChar(SQLSMALLINT t) { return t == SQL_CHAR || t == SQL_WCHAR; }
bool IsVarchar(SQLSMALLINT t) { return t == SQL_VARCHAR || t == SQL_WVARCHAR; }

TEST_F(Results, DescribeColEveryType) {
  Stmt st(c_);
  ASSERT_EQ(st.Exec("SELECT i2, i4, i8, n, f4, f8, b, vc, ch, t, by, d, tm, tm0, ts, ts3, u "
                    "FROM conf_results"),
            SQL_SUCCESS)
      << st.diag();
  SQLSMALLINT cols = 0;
  ASSERT_EQ(SQLNumResultCols(st.h(), &cols), SQL_SUCCESS);
  EXPECT_EQ(cols, 17);
  struct Want {
    SQLUSMALLINT col;
    const char* name;
    SQLSMALLINT type;
    SQLULEN size;
    SQLSMALLINT digits;
  };
  // Appendix D: "Column Size" and "Decimal Digits".
  const Want wants[] = {
      {1, "i2", SQL_SMALLINT, 5, 0},
      {2, "i4", SQL_INTEGER, 10, 0},
      {3, "i8", SQL_BIGINT, 19, 0},
      {4, "n", SQL_NUMERIC, 10, 2},
      {5, "f4", SQL_REAL, 7, 0},
      {6, "f8", SQL_DOUBLE, 15, 0},
      {7, "b", SQL_BIT, 1, 0},
      {12, "d", SQL_TYPE_DATE, 10, 0},
      {13, "tm", SQL_TYPE_TIME, 15, 6},
      {14, "tm0", SQL_TYPE_TIME, 8, 0},
      {15, "ts", SQL_TYPE_TIMESTAMP, 26, 6},
      {16, "ts3", SQL_TYPE_TIMESTAMP, 23, 3},
      {17, "u", SQL_GUID, 36, 0},
  };
  for (const auto& w : wants) {
    Described d = Describe(st, w.col);
    EXPECT_EQ(d.name, w.name);
    EXPECT_EQ(d.type, w.type) << w.name;
    EXPECT_EQ(d.size, w.size) << w.name;
    EXPECT_EQ(d.digits, w.digits) << w.name;
  }
  Described vc = Describe(st, 8);
  EXPECT_TRUE(IsVarchar(vc.type)) << vc.type;
  EXPECT_EQ(vc.size, 20u);
  Described ch = Describe(st, 9);
  EXPECT_TRUE(IsChar(ch.type)) << ch.type;
  EXPECT_EQ(ch.size, 5u);
  Described t = Describe(st, 10);
  EXPECT_TRUE(IsVarchar(t.type) || t.type == SQL_LONGVARCHAR || t.type == SQL_WLONGVARCHAR)
      << t.type;
  EXPECT_GT(t.size, 0u);
  Described by = Describe(st, 11);
  EXPECT_TRUE(by.type == SQL_VARBINARY || by.type == SQL_LONGVARBINARY) << by.type;
}

// Regression (was a driver bug): SQLDescribeCol nullability: the driver reports
// SQL_NULLABLE_UNKNOWN (or the libpq default) for table columns; PostgreSQL's attnotnull of the
// column's table is not consulted.
TEST_F(Results, DescribeColNullability) {
  // SQLDescribeCol: SQL_NO_NULLS for a NOT NULL column, SQL_NULLABLE for a nullable one.
  Stmt st(c_);
  ASSERT_EQ(st.Exec("SELECT i2, i4 FROM conf_results"), SQL_SUCCESS);
  EXPECT_EQ(Describe(st, 1).nullable, SQL_NO_NULLS);
  EXPECT_EQ(Describe(st, 2).nullable, SQL_NULLABLE);
}

TEST_F(Results, DescribeColNameTruncation) {
  Stmt st(c_);
  ASSERT_EQ(st.Exec("SELECT 1 AS a_rather_long_column_name"), SQL_SUCCESS);
  char name[6];
  SQLSMALLINT len = 0, type;
  SQLULEN size;
  SQLSMALLINT digits, nullable;
  EXPECT_EQ(SQLDescribeCol(st.h(), 1, (SQLCHAR*)name, sizeof name, &len, &type, &size, &digits,
                           &nullable),
            SQL_SUCCESS_WITH_INFO);
  EXPECT_STREQ(name, "a_rat");
  EXPECT_EQ(len, 25);
  EXPECT_EQ(st.states(), "01004");
}

TEST_F(Results, DescribeBeforeExecute) {
  // SQLNumResultCols/SQLDescribeCol may be called after SQLPrepare, before SQLExecute.
  Stmt st(c_);
  ASSERT_EQ(st.Prepare("SELECT i4, vc FROM conf_results WHERE i2 = ?"), SQL_SUCCESS);
  SQLSMALLINT cols = 0;
  ASSERT_EQ(SQLNumResultCols(st.h(), &cols), SQL_SUCCESS) << st.diag();
  EXPECT_EQ(cols, 2);
  EXPECT_EQ(Describe(st, 1).type, SQL_INTEGER);
}

TEST_F(Results, DescribeNonQueryIs07005) {
  // A statement that is not a query has no columns; describing one is 07005.
  Stmt st(c_);
  SQLSMALLINT cols = -1;
  ASSERT_EQ(st.Prepare("UPDATE conf_results SET i4 = 1 WHERE false"), SQL_SUCCESS);
  ASSERT_EQ(SQLNumResultCols(st.h(), &cols), SQL_SUCCESS) << st.diag();
  EXPECT_EQ(cols, 0);
  SQLSMALLINT type;
  EXPECT_EQ(SQLDescribeCol(st.h(), 1, nullptr, 0, nullptr, &type, nullptr, nullptr, nullptr),
            SQL_ERROR);
  EXPECT_EQ(st.state(), "07005");
}

// Regression (was a driver bug): Stmt::Prepare keeps prepared_param_types from the previous
// SQLPrepare on the handle: re-preparing "SELECT ... WHERE x = ?" as a statement without markers
// fails in SQLNumResultCols with 42P18 "could not determine data type of parameter $1".
TEST_F(Results, RePrepareOnTheSameHandle) {
  Stmt st(c_);
  ASSERT_EQ(st.Prepare("SELECT i4 FROM conf_results WHERE i2 = ?"), SQL_SUCCESS);
  SQLSMALLINT cols = 0;
  ASSERT_EQ(SQLNumResultCols(st.h(), &cols), SQL_SUCCESS) << st.diag();
  ASSERT_EQ(st.Prepare("SELECT 1, 2"), SQL_SUCCESS);
  ASSERT_EQ(SQLNumResultCols(st.h(), &cols), SQL_SUCCESS) << st.diag();
  EXPECT_EQ(cols, 2);
}

TEST_F(Results, ColAttributeNumericFields) {
  Stmt st(c_);
  ASSERT_EQ(st.Exec("SELECT i2, i4, i8, n, f8, b, vc, d, ts, u, f4, m FROM conf_results"),
            SQL_SUCCESS);
  EXPECT_EQ(Num(st, 1, SQL_DESC_COUNT), 12);
  // Appendix D "Display Size".
  EXPECT_EQ(Num(st, 1, SQL_DESC_DISPLAY_SIZE), 6);
  EXPECT_EQ(Num(st, 2, SQL_DESC_DISPLAY_SIZE), 11);
  EXPECT_EQ(Num(st, 3, SQL_DESC_DISPLAY_SIZE), 20);
  EXPECT_EQ(Num(st, 4, SQL_DESC_DISPLAY_SIZE), 12);
  EXPECT_EQ(Num(st, 5, SQL_DESC_DISPLAY_SIZE), 24);
  EXPECT_EQ(Num(st, 6, SQL_DESC_DISPLAY_SIZE), 1);
  EXPECT_EQ(Num(st, 7, SQL_DESC_DISPLAY_SIZE), 20);
  EXPECT_EQ(Num(st, 8, SQL_DESC_DISPLAY_SIZE), 10);
  EXPECT_EQ(Num(st, 9, SQL_DESC_DISPLAY_SIZE), 26);
  EXPECT_EQ(Num(st, 10, SQL_DESC_DISPLAY_SIZE), 36);
  EXPECT_EQ(Num(st, 11, SQL_DESC_DISPLAY_SIZE), 14);
  // Appendix D "Transfer Octet Length".
  EXPECT_EQ(Num(st, 1, SQL_DESC_OCTET_LENGTH), 2);
  EXPECT_EQ(Num(st, 2, SQL_DESC_OCTET_LENGTH), 4);
  EXPECT_EQ(Num(st, 3, SQL_DESC_OCTET_LENGTH), 8);
  EXPECT_EQ(Num(st, 4, SQL_DESC_OCTET_LENGTH), 12);
  EXPECT_EQ(Num(st, 5, SQL_DESC_OCTET_LENGTH), 8);
  EXPECT_EQ(Num(st, 8, SQL_DESC_OCTET_LENGTH), 6);
  EXPECT_EQ(Num(st, 9, SQL_DESC_OCTET_LENGTH), 16);
  EXPECT_EQ(Num(st, 10, SQL_DESC_OCTET_LENGTH), 16);
  // Types: verbose type and subcode for datetimes.
  EXPECT_EQ(Num(st, 8, SQL_DESC_CONCISE_TYPE), SQL_TYPE_DATE);
  EXPECT_EQ(Num(st, 8, SQL_DESC_TYPE), SQL_DATETIME);
  EXPECT_EQ(Num(st, 8, SQL_DESC_DATETIME_INTERVAL_CODE), SQL_CODE_DATE);
  EXPECT_EQ(Num(st, 9, SQL_DESC_DATETIME_INTERVAL_CODE), SQL_CODE_TIMESTAMP);
  EXPECT_EQ(Num(st, 2, SQL_DESC_TYPE), SQL_INTEGER);
  EXPECT_EQ(Num(st, 4, SQL_DESC_PRECISION), 10);
  EXPECT_EQ(Num(st, 4, SQL_DESC_SCALE), 2);
  EXPECT_EQ(Num(st, 7, SQL_DESC_LENGTH), 20);
  EXPECT_EQ(Num(st, 2, SQL_DESC_NUM_PREC_RADIX), 10);
  EXPECT_EQ(Num(st, 4, SQL_DESC_NUM_PREC_RADIX), 10);
  EXPECT_EQ(Num(st, 7, SQL_DESC_NUM_PREC_RADIX), 0);
  EXPECT_EQ(Num(st, 2, SQL_DESC_UNSIGNED), SQL_FALSE);
  EXPECT_EQ(Num(st, 2, SQL_DESC_CASE_SENSITIVE), SQL_FALSE);
  EXPECT_EQ(Num(st, 7, SQL_DESC_CASE_SENSITIVE), SQL_TRUE);
  EXPECT_EQ(Num(st, 4, SQL_DESC_FIXED_PREC_SCALE), SQL_FALSE);
  EXPECT_EQ(Num(st, 12, SQL_DESC_FIXED_PREC_SCALE), SQL_TRUE);
  EXPECT_EQ(Num(st, 7, SQL_DESC_SEARCHABLE), SQL_PRED_SEARCHABLE);
  EXPECT_EQ(Num(st, 1, SQL_DESC_UNNAMED), SQL_NAMED);
}

// Regression (was a driver bug): SQLColAttribute(SQL_DESC_UNSIGNED) is SQL_FALSE for character/date
// columns; the spec says SQL_TRUE "if the column is unsigned (or not numeric)".
TEST_F(Results, ColAttributeUnsignedForNonNumeric) {
  Stmt st(c_);
  ASSERT_EQ(st.Exec("SELECT vc, d FROM conf_results"), SQL_SUCCESS);
  EXPECT_EQ(Num(st, 1, SQL_DESC_UNSIGNED), SQL_TRUE);
  EXPECT_EQ(Num(st, 2, SQL_DESC_UNSIGNED), SQL_TRUE);
}

// Regression (was a driver bug): SQLColAttribute(SQL_DESC_PRECISION) for datetime columns returns
// the column size (26); the spec: "For datetime data types, the number of digits in the fractional
// seconds".
TEST_F(Results, ColAttributePrecisionOfDatetimes) {
  Stmt st(c_);
  ASSERT_EQ(st.Exec("SELECT ts, ts3, d FROM conf_results"), SQL_SUCCESS);
  EXPECT_EQ(Num(st, 1, SQL_DESC_PRECISION), 6);
  EXPECT_EQ(Num(st, 2, SQL_DESC_PRECISION), 3);
  EXPECT_EQ(Num(st, 3, SQL_DESC_PRECISION), 0);
}

// Regression (was a driver bug): SQLColAttribute(SQL_DESC_BASE_TABLE_NAME / SQL_DESC_TABLE_NAME /
// SQL_DESC_SCHEMA_NAME / SQL_DESC_CATALOG_NAME) return "" for a table column (PQftable is known);
// SQL_DESC_AUTO_UNIQUE_VALUE is SQL_FALSE for an identity column.
TEST_F(Results, ColAttributeBaseTableAndAutoUnique) {
  Stmt st(c_);
  ASSERT_EQ(st.Exec("SELECT id, i4 AS alias FROM conf_results"), SQL_SUCCESS);
  EXPECT_EQ(Text(st, 2, SQL_DESC_BASE_TABLE_NAME), "conf_results");
  EXPECT_EQ(Text(st, 2, SQL_DESC_TABLE_NAME), "conf_results");
  EXPECT_EQ(Text(st, 2, SQL_DESC_SCHEMA_NAME), "public");
  EXPECT_EQ(Text(st, 2, SQL_DESC_BASE_COLUMN_NAME), "i4");
  EXPECT_EQ(Num(st, 1, SQL_DESC_AUTO_UNIQUE_VALUE), SQL_TRUE);
  EXPECT_EQ(Num(st, 2, SQL_DESC_AUTO_UNIQUE_VALUE), SQL_FALSE);
}

TEST_F(Results, ColAttributeStringFields) {
  Stmt st(c_);
  ASSERT_EQ(st.Exec("SELECT i4 AS alias, vc FROM conf_results"), SQL_SUCCESS);
  EXPECT_EQ(Text(st, 1, SQL_DESC_NAME), "alias");
  EXPECT_EQ(Text(st, 1, SQL_DESC_LABEL), "alias");
  EXPECT_FALSE(Text(st, 1, SQL_DESC_TYPE_NAME).empty());
  EXPECT_EQ(Text(st, 2, SQL_DESC_LITERAL_PREFIX), "'");
  EXPECT_EQ(Text(st, 2, SQL_DESC_LITERAL_SUFFIX), "'");
  // Column 0 without bookmarks and a column past the end: 07009.
  SQLLEN v;
  EXPECT_EQ(SQLColAttribute(st.h(), 3, SQL_DESC_TYPE, nullptr, 0, nullptr, &v), SQL_ERROR);
  EXPECT_EQ(st.state(), "07009");
  EXPECT_EQ(SQLColAttribute(st.h(), 1, 9999, nullptr, 0, nullptr, &v), SQL_ERROR);
  EXPECT_EQ(st.state(), "HY091");
}

// ---------------------------------------------------------------------------------------------
// Binding
TEST_F(Results, BindColColumnWiseWithStatusAndRowsFetched) {
  Stmt st(c_);
  constexpr SQLULEN kSize = 4;
  SQLINTEGER ids[kSize];
  char names[kSize][8];
  SQLLEN id_ind[kSize], name_ind[kSize];
  SQLUSMALLINT status[kSize];
  SQLULEN fetched = 0;
  ASSERT_EQ(SQLSetStmtAttr(st.h(), SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)kSize, 0), SQL_SUCCESS);
  ASSERT_EQ(SQLSetStmtAttr(st.h(), SQL_ATTR_ROW_STATUS_PTR, status, 0), SQL_SUCCESS);
  ASSERT_EQ(SQLSetStmtAttr(st.h(), SQL_ATTR_ROWS_FETCHED_PTR, &fetched, 0), SQL_SUCCESS);
  ASSERT_EQ(
      st.Exec(
          "SELECT g, CASE WHEN g % 3 = 0 THEN NULL ELSE 'r' || g END FROM generate_series(1, 6) g"),
      SQL_SUCCESS);
  ASSERT_EQ(SQLBindCol(st.h(), 1, SQL_C_SLONG, ids, 0, id_ind), SQL_SUCCESS);
  ASSERT_EQ(SQLBindCol(st.h(), 2, SQL_C_CHAR, names, sizeof names[0], name_ind), SQL_SUCCESS);
  ASSERT_EQ(SQLFetch(st.h()), SQL_SUCCESS);
  EXPECT_EQ(fetched, 4u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(ids[i], i + 1);
    EXPECT_EQ(status[i], SQL_ROW_SUCCESS);
  }
  EXPECT_STREQ(names[0], "r1");
  EXPECT_EQ(name_ind[0], 2);
  EXPECT_EQ(name_ind[2], SQL_NULL_DATA);
  ASSERT_EQ(SQLFetch(st.h()), SQL_SUCCESS);
  EXPECT_EQ(fetched, 2u);
  EXPECT_EQ(ids[0], 5);
  EXPECT_EQ(ids[1], 6);
  EXPECT_EQ(name_ind[1], SQL_NULL_DATA);
  EXPECT_EQ(status[0], SQL_ROW_SUCCESS);
  EXPECT_EQ(status[2], SQL_ROW_NOROW);
  EXPECT_EQ(status[3], SQL_ROW_NOROW);
  EXPECT_EQ(SQLFetch(st.h()), SQL_NO_DATA);
}

TEST_F(Results, BindColRowWiseWithBindOffset) {
  struct Row {
    SQLINTEGER id;
    SQLLEN id_ind;
    char name[8];
    SQLLEN name_ind;
  };
  Row buffers[2][3];
  SQLLEN offset = 0;
  Stmt st(c_);
  SQLSetStmtAttr(st.h(), SQL_ATTR_ROW_BIND_TYPE, (SQLPOINTER)sizeof(Row), 0);
  SQLSetStmtAttr(st.h(), SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)3, 0);
  SQLSetStmtAttr(st.h(), SQL_ATTR_ROW_BIND_OFFSET_PTR, &offset, 0);
  ASSERT_EQ(st.Exec("SELECT g, 'n' || g FROM generate_series(1, 6) g"), SQL_SUCCESS);
  SQLBindCol(st.h(), 1, SQL_C_SLONG, &buffers[0][0].id, 0, &buffers[0][0].id_ind);
  SQLBindCol(st.h(), 2, SQL_C_CHAR, buffers[0][0].name, sizeof buffers[0][0].name,
             &buffers[0][0].name_ind);
  ASSERT_EQ(SQLFetch(st.h()), SQL_SUCCESS);
  offset = sizeof buffers[0];  // the second rowset lands in the second buffer set
  ASSERT_EQ(SQLFetch(st.h()), SQL_SUCCESS);
  for (int s = 0; s < 2; ++s) {
    for (int r = 0; r < 3; ++r) {
      int want = s * 3 + r + 1;
      EXPECT_EQ(buffers[s][r].id, want);
      EXPECT_EQ(buffers[s][r].id_ind, static_cast<SQLLEN>(sizeof(SQLINTEGER)));
      EXPECT_EQ(std::string(buffers[s][r].name), "n" + std::to_string(want));
      EXPECT_EQ(buffers[s][r].name_ind, 2);
    }
  }
}

TEST_F(Results, BoundCharTruncationIsRowSuccessWithInfo) {
  Stmt st(c_);
  char buf[4];
  SQLLEN ind = 0;
  ASSERT_EQ(st.Exec("SELECT 'abcdef'"), SQL_SUCCESS);
  SQLBindCol(st.h(), 1, SQL_C_CHAR, buf, sizeof buf, &ind);
  EXPECT_EQ(SQLFetch(st.h()), SQL_SUCCESS_WITH_INFO);
  EXPECT_EQ(st.states(), "01004");
  EXPECT_STREQ(buf, "abc");
  EXPECT_EQ(ind, 6);
}

// ---------------------------------------------------------------------------------------------
// SQLGetData
TEST_F(Results, GetDataInPartsCharBinaryAndWide) {
  Stmt st(c_);
  ASSERT_EQ(st.Exec("SELECT 'abcdefghij', '\\x00010203040506'::bytea, 'αβγδε'"), SQL_SUCCESS);
  ASSERT_EQ(SQLFetch(st.h()), SQL_SUCCESS);
  // Character data: each part NUL-terminated, the indicator the length left (or SQL_NO_TOTAL).
  char part[4];
  SQLLEN ind = 0;
  std::string all;
  SQLLEN remaining = 10;
  for (;;) {
    SQLRETURN rc = SQLGetData(st.h(), 1, SQL_C_CHAR, part, sizeof part, &ind);
    if (rc == SQL_NO_DATA) break;
    ASSERT_TRUE(SQL_SUCCEEDED(rc)) << st.diag();
    EXPECT_TRUE(ind == remaining || ind == SQL_NO_TOTAL) << ind;
    if (rc == SQL_SUCCESS_WITH_INFO) EXPECT_EQ(st.states(), "01004");
    all += part;
    remaining -= static_cast<SQLLEN>(std::strlen(part));
  }
  EXPECT_EQ(all, "abcdefghij");
  // Binary: no terminator.
  unsigned char bin[3];
  std::vector<unsigned char> bytes;
  for (;;) {
    SQLRETURN rc = SQLGetData(st.h(), 2, SQL_C_BINARY, bin, sizeof bin, &ind);
    if (rc == SQL_NO_DATA) break;
    ASSERT_TRUE(SQL_SUCCEEDED(rc));
    SQLLEN n = (ind == SQL_NO_TOTAL || ind > 3) ? 3 : ind;
    bytes.insert(bytes.end(), bin, bin + n);
  }
  EXPECT_EQ(bytes, (std::vector<unsigned char>{0, 1, 2, 3, 4, 5, 6}));
  // Wide: whole characters per part, lengths in bytes.
  SQLWCHAR w[3];
  std::u16string ws;
  for (;;) {
    SQLRETURN rc = SQLGetData(st.h(), 3, SQL_C_WCHAR, w, sizeof w, &ind);
    if (rc == SQL_NO_DATA) break;
    ASSERT_TRUE(SQL_SUCCEEDED(rc));
    ws += reinterpret_cast<char16_t*>(w);
  }
  EXPECT_EQ(ws, u"αβγδε");
}

TEST_F(Results, GetDataLengthOnlyAndFixedTypesOnce) {
  Stmt st(c_);
  ASSERT_EQ(st.Exec("SELECT 'hello', 42"), SQL_SUCCESS);
  ASSERT_EQ(SQLFetch(st.h()), SQL_SUCCESS);
  // BufferLength 0: nothing written, the length returned, 01004.
  SQLLEN ind = 0;
  char c;
  EXPECT_EQ(SQLGetData(st.h(), 1, SQL_C_CHAR, &c, 0, &ind), SQL_SUCCESS_WITH_INFO);
  EXPECT_EQ(ind, 5);
  // A fixed-length column: the value once, then SQL_NO_DATA.
  SQLINTEGER v = 0;
  EXPECT_EQ(SQLGetData(st.h(), 2, SQL_C_SLONG, &v, 0, &ind), SQL_SUCCESS);
  EXPECT_EQ(v, 42);
  EXPECT_EQ(SQLGetData(st.h(), 2, SQL_C_SLONG, &v, 0, &ind), SQL_NO_DATA);
  // SQL_GD_ANY_ORDER: going back to an earlier column is allowed and starts it afresh.
  char buf[16];
  EXPECT_EQ(SQLGetData(st.h(), 1, SQL_C_CHAR, buf, sizeof buf, &ind), SQL_SUCCESS);
  EXPECT_STREQ(buf, "hello");
}

TEST_F(Results, GetDataNullWithoutIndicatorIs22002) {
  Stmt st(c_);
  ASSERT_EQ(st.Exec("SELECT NULL::int"), SQL_SUCCESS);
  ASSERT_EQ(SQLFetch(st.h()), SQL_SUCCESS);
  SQLINTEGER v;
  EXPECT_EQ(SQLGetData(st.h(), 1, SQL_C_SLONG, &v, 0, nullptr), SQL_ERROR);
  EXPECT_EQ(st.state(), "22002");
}

TEST_F(Results, GetDataErrors) {
  Stmt st(c_);
  ASSERT_EQ(st.Exec("SELECT 1"), SQL_SUCCESS);
  SQLINTEGER v;
  SQLLEN ind;
  // Before the first fetch: 24000.
  EXPECT_EQ(SQLGetData(st.h(), 1, SQL_C_SLONG, &v, 0, &ind), SQL_ERROR);
  EXPECT_EQ(st.state(), "24000");
  ASSERT_EQ(SQLFetch(st.h()), SQL_SUCCESS);
  EXPECT_EQ(SQLGetData(st.h(), 2, SQL_C_SLONG, &v, 0, &ind), SQL_ERROR);
  EXPECT_EQ(st.state(), "07009");
  EXPECT_EQ(SQLGetData(st.h(), 0, SQL_C_SLONG, &v, 0, &ind), SQL_ERROR);
  EXPECT_EQ(st.state(), "07009");
  EXPECT_EQ(SQLGetData(st.h(), 1, 12345, &v, 0, &ind), SQL_ERROR);
  EXPECT_EQ(st.state(), "HY003");
}

TEST_F(Results, FetchWithoutResultSet) {
  Stmt st(c_);
  // SQLFetch: HY010 before anything was executed; 24000 after a statement without results.
  EXPECT_EQ(SQLFetch(st.h()), SQL_ERROR);
  EXPECT_EQ(st.state(), "HY010");
  ASSERT_EQ(st.Exec("SET application_name = 'conf'"), SQL_SUCCESS);
  EXPECT_EQ(SQLFetch(st.h()), SQL_ERROR);
  EXPECT_EQ(st.state(), "24000");
}

TEST_F(Results, MaxRows) {
  Stmt st(c_);
  ASSERT_EQ(SQLSetStmtAttr(st.h(), SQL_ATTR_MAX_ROWS, (SQLPOINTER)3, 0), SQL_SUCCESS);
  ASSERT_EQ(st.Exec("SELECT g FROM generate_series(1, 10) g"), SQL_SUCCESS);
  int rows = 0;
  while (SQLFetch(st.h()) == SQL_SUCCESS) ++rows;
  EXPECT_EQ(rows, 3);
}

// Regression (was a driver bug): SQL_ATTR_MAX_LENGTH is applied as if it were the buffer length:
// Stmt::FillRowset caps buffer_length, so 3 characters + NUL come back with 01004; the spec returns
// MAX_LENGTH bytes of data ("abcd") and SQL_SUCCESS.
TEST_F(Results, MaxLengthTruncatesSilently) {
  Stmt st(c_);
  // SQL_ATTR_MAX_LENGTH truncates character data silently (no 01004).
  ASSERT_EQ(SQLSetStmtAttr(st.h(), SQL_ATTR_MAX_LENGTH, (SQLPOINTER)4, 0), SQL_SUCCESS);
  ASSERT_EQ(st.Exec("SELECT 'abcdefgh'"), SQL_SUCCESS);
  char buf[32];
  SQLLEN ind = 0;
  SQLBindCol(st.h(), 1, SQL_C_CHAR, buf, sizeof buf, &ind);
  EXPECT_EQ(SQLFetch(st.h()), SQL_SUCCESS) << st.diag();
  EXPECT_EQ(std::string(buf).size(), 4u) << buf;
}

// ---------------------------------------------------------------------------------------------
// SQLFetchScroll: "Cursor positioning rules" of the SQLFetchScroll reference page.
class Scroll : public Results {
 protected:
  // A static cursor over 1..10 with a bound int column and rowset size `size`.
  void Open(SQLULEN size) {
    st_ = std::make_unique<Stmt>(c_);
    ASSERT_EQ(SQLSetStmtAttr(st_->h(), SQL_ATTR_CURSOR_TYPE, (SQLPOINTER)SQL_CURSOR_STATIC, 0),
              SQL_SUCCESS);
    ASSERT_EQ(SQLSetStmtAttr(st_->h(), SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)size, 0), SQL_SUCCESS);
    SQLSetStmtAttr(st_->h(), SQL_ATTR_ROW_STATUS_PTR, status_, 0);
    SQLSetStmtAttr(st_->h(), SQL_ATTR_ROWS_FETCHED_PTR, &fetched_, 0);
    ASSERT_EQ(st_->Exec("SELECT g FROM generate_series(1, 10) g"), SQL_SUCCESS) << st_->diag();
    SQLBindCol(st_->h(), 1, SQL_C_SLONG, values_, 0, ind_);
  }
  // The rows of the rowset as "a,b,c" (after a successful fetch).
  std::string Fetch(SQLSMALLINT orientation, SQLLEN offset, SQLRETURN expected = SQL_SUCCESS) {
    SQLRETURN rc = SQLFetchScroll(st_->h(), orientation, offset);
    EXPECT_EQ(rc, expected) << orientation << "," << offset << ": " << st_->diag();
    if (rc == SQL_NO_DATA) return "no data";
    if (!SQL_SUCCEEDED(rc)) return "error";
    std::string out;
    for (SQLULEN i = 0; i < fetched_; ++i) {
      if (!out.empty()) out += ",";
      out += std::to_string(values_[i]);
    }
    return out;
  }
  std::unique_ptr<Stmt> st_;
  SQLINTEGER values_[20];
  SQLLEN ind_[20];
  SQLUSMALLINT status_[20];
  SQLULEN fetched_ = 0;
};

TEST_F(Scroll, NextFirstLastAbsoluteRelativeWithRowsetOne) {
  Open(1);
  EXPECT_EQ(Fetch(SQL_FETCH_NEXT, 0), "1");
  EXPECT_EQ(Fetch(SQL_FETCH_NEXT, 0), "2");
  EXPECT_EQ(Fetch(SQL_FETCH_LAST, 0), "10");
  EXPECT_EQ(Fetch(SQL_FETCH_PRIOR, 0), "9");
  EXPECT_EQ(Fetch(SQL_FETCH_FIRST, 0), "1");
  EXPECT_EQ(Fetch(SQL_FETCH_PRIOR, 0, SQL_NO_DATA), "no data");  // before start
  EXPECT_EQ(Fetch(SQL_FETCH_NEXT, 0), "1");                      // from before start
  EXPECT_EQ(Fetch(SQL_FETCH_ABSOLUTE, 4), "4");
  SQLULEN row = 0;
  ASSERT_EQ(SQLGetStmtAttr(st_->h(), SQL_ATTR_ROW_NUMBER, &row, 0, nullptr), SQL_SUCCESS);
  EXPECT_EQ(row, 4u);
  EXPECT_EQ(Fetch(SQL_FETCH_RELATIVE, 3), "7");
  EXPECT_EQ(Fetch(SQL_FETCH_RELATIVE, -2), "5");
  EXPECT_EQ(Fetch(SQL_FETCH_RELATIVE, 0), "5");
  EXPECT_EQ(Fetch(SQL_FETCH_ABSOLUTE, -1), "10");
  EXPECT_EQ(Fetch(SQL_FETCH_ABSOLUTE, -10), "1");
  EXPECT_EQ(Fetch(SQL_FETCH_ABSOLUTE, -11, SQL_NO_DATA), "no data");
  EXPECT_EQ(Fetch(SQL_FETCH_ABSOLUTE, 0, SQL_NO_DATA), "no data");
  EXPECT_EQ(Fetch(SQL_FETCH_ABSOLUTE, 11, SQL_NO_DATA), "no data");  // after end
  EXPECT_EQ(Fetch(SQL_FETCH_PRIOR, 0), "10");                        // from after end
  EXPECT_EQ(Fetch(SQL_FETCH_RELATIVE, 1, SQL_NO_DATA), "no data");   // after end
  EXPECT_EQ(Fetch(SQL_FETCH_RELATIVE, -3), "8");                     // from after end
}

TEST_F(Scroll, RowsetThreeBoundaries) {
  Open(3);
  EXPECT_EQ(Fetch(SQL_FETCH_NEXT, 0), "1,2,3");
  EXPECT_EQ(Fetch(SQL_FETCH_NEXT, 0), "4,5,6");
  EXPECT_EQ(Fetch(SQL_FETCH_NEXT, 0), "7,8,9");
  EXPECT_EQ(Fetch(SQL_FETCH_NEXT, 0), "10");
  EXPECT_EQ(status_[0], SQL_ROW_SUCCESS);
  EXPECT_EQ(status_[1], SQL_ROW_NOROW);
  EXPECT_EQ(status_[2], SQL_ROW_NOROW);
  EXPECT_EQ(Fetch(SQL_FETCH_NEXT, 0, SQL_NO_DATA), "no data");
  // PRIOR from after end with LastResultRow >= RowsetSize: LastResultRow - RowsetSize + 1.
  EXPECT_EQ(Fetch(SQL_FETCH_PRIOR, 0), "8,9,10");
  EXPECT_EQ(Fetch(SQL_FETCH_LAST, 0), "8,9,10");
  EXPECT_EQ(Fetch(SQL_FETCH_ABSOLUTE, -2), "9,10");
  EXPECT_EQ(fetched_, 2u);
  EXPECT_EQ(Fetch(SQL_FETCH_ABSOLUTE, 5), "5,6,7");
  EXPECT_EQ(Fetch(SQL_FETCH_RELATIVE, -3), "2,3,4");
  EXPECT_EQ(Fetch(SQL_FETCH_RELATIVE, -5, SQL_NO_DATA), "no data");  // |-5| > RowsetSize
  EXPECT_EQ(Fetch(SQL_FETCH_RELATIVE, 2), "2,3,4");  // from before start: like ABSOLUTE 2
  EXPECT_EQ(Fetch(SQL_FETCH_ABSOLUTE, -11, SQL_NO_DATA), "no data");  // |n| > rows and > rowset
}

// Regression (was a driver bug): SQLFetchScroll does not post 01S06 ("Attempt to fetch before the
// result set returned the first rowset") with SQL_SUCCESS_WITH_INFO when PRIOR/RELATIVE/ABSOLUTE
// overlap the start; it returns SQL_SUCCESS for the first rowset.
TEST_F(Scroll, OverlappingTheStartIs01S06) {
  Open(3);
  EXPECT_EQ(Fetch(SQL_FETCH_ABSOLUTE, 2), "2,3,4");
  // PRIOR with 1 < CurrRowsetStart <= RowsetSize: the first rowset, 01S06.
  EXPECT_EQ(Fetch(SQL_FETCH_PRIOR, 0, SQL_SUCCESS_WITH_INFO), "1,2,3");
  EXPECT_EQ(st_->states(), "01S06");
  EXPECT_EQ(Fetch(SQL_FETCH_ABSOLUTE, 3), "3,4,5");
  // RELATIVE with CurrRowsetStart + offset < 1 and |offset| <= RowsetSize: 1, 01S06.
  EXPECT_EQ(Fetch(SQL_FETCH_RELATIVE, -3, SQL_SUCCESS_WITH_INFO), "1,2,3");
  EXPECT_EQ(st_->states(), "01S06");
}

TEST_F(Scroll, RowsetLargerThanResult) {
  Open(15);
  EXPECT_EQ(Fetch(SQL_FETCH_LAST, 0), "1,2,3,4,5,6,7,8,9,10");  // RowsetSize > LastResultRow: 1
  EXPECT_EQ(fetched_, 10u);
  EXPECT_EQ(status_[10], SQL_ROW_NOROW);
  EXPECT_EQ(Fetch(SQL_FETCH_FIRST, 0), "1,2,3,4,5,6,7,8,9,10");
}

TEST_F(Scroll, ForwardOnlyCursorRejectsScrolling) {
  Stmt st(c_);
  ASSERT_EQ(st.Exec("SELECT g FROM generate_series(1, 3) g"), SQL_SUCCESS);
  for (SQLSMALLINT o :
       {SQL_FETCH_PRIOR, SQL_FETCH_FIRST, SQL_FETCH_LAST, SQL_FETCH_ABSOLUTE, SQL_FETCH_RELATIVE}) {
    EXPECT_EQ(SQLFetchScroll(st.h(), o, 1), SQL_ERROR) << o;
    EXPECT_EQ(st.state(), "HY106") << o;
  }
  EXPECT_EQ(SQLFetchScroll(st.h(), SQL_FETCH_NEXT, 0), SQL_SUCCESS);
  // An orientation that does not exist at all: HY106.
  EXPECT_EQ(SQLFetchScroll(st.h(), 99, 0), SQL_ERROR);
  EXPECT_EQ(st.state(), "HY106");
}

TEST_F(Scroll, CursorTypeAttributes) {
  Stmt st(c_);
  SQLULEN v = 99;
  ASSERT_EQ(SQLGetStmtAttr(st.h(), SQL_ATTR_CURSOR_TYPE, &v, 0, nullptr), SQL_SUCCESS);
  EXPECT_EQ(v, static_cast<SQLULEN>(SQL_CURSOR_FORWARD_ONLY));
  ASSERT_EQ(SQLGetStmtAttr(st.h(), SQL_ATTR_CONCURRENCY, &v, 0, nullptr), SQL_SUCCESS);
  EXPECT_EQ(v, static_cast<SQLULEN>(SQL_CONCUR_READ_ONLY));
  // Unsupported cursor types are substituted: 01S02, and the attribute reads back the
  // substitute (SQL_SCROLL_OPTIONS does not list keyset-driven or dynamic).
  SQLUINTEGER options = 0;
  ASSERT_EQ(SQLGetInfo(dbc(), SQL_SCROLL_OPTIONS, &options, sizeof options, nullptr), SQL_SUCCESS);
  EXPECT_FALSE(options & SQL_SO_DYNAMIC);
  EXPECT_EQ(SQLSetStmtAttr(st.h(), SQL_ATTR_CURSOR_TYPE, (SQLPOINTER)SQL_CURSOR_DYNAMIC, 0),
            SQL_SUCCESS_WITH_INFO);
  EXPECT_EQ(st.states(), "01S02");
  ASSERT_EQ(SQLGetStmtAttr(st.h(), SQL_ATTR_CURSOR_TYPE, &v, 0, nullptr), SQL_SUCCESS);
  EXPECT_TRUE(v == SQL_CURSOR_STATIC || v == SQL_CURSOR_KEYSET_DRIVEN) << v;
}

}  // namespace
}  // namespace lakebase::conformance

// ODBC "Executing Statements": SQLPrepare/SQLExecute/SQLExecDirect, SQLNumParams,
// SQLDescribeParam, SQLBindParameter for every C type, parameter arrays (column-wise and
// row-wise, status arrays, SQL_DIAG_ROW_NUMBER), data at execution, multiple results,
// SQLRowCount and SQL_NO_DATA for a searched UPDATE/DELETE that touches nothing.
#include <cmath>

#include "tests/conformance/conformance.h"

namespace lakebase::conformance {
namespace {

class Execution : public ConformanceTest {
 protected:
  void SetUp() override {
    ConformanceTest::SetUp();
    Run("DROP TABLE IF EXISTS conf_exec");
    Run("CREATE TABLE conf_exec (id int PRIMARY KEY, name varchar(20), amount numeric(10,2), "
        "d date, b bytea)");
  }
  void TearDown() override { Run("DROP TABLE IF EXISTS conf_exec"); }
};

TEST_F(Execution, PrepareOnceExecuteMany) {
  Stmt st(c_);
  ASSERT_EQ(st.Prepare("INSERT INTO conf_exec (id, name) VALUES (?, ?)"), SQL_SUCCESS) << st.diag();
  SQLINTEGER id = 0;
  char name[21];
  SQLLEN nts = SQL_NTS, zero = 0;
  ASSERT_EQ(
      SQLBindParameter(st.h(), 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &id, 0, &zero),
      SQL_SUCCESS);
  ASSERT_EQ(SQLBindParameter(st.h(), 2, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 20, 0, name,
                             sizeof name, &nts),
            SQL_SUCCESS);
  for (id = 1; id <= 3; ++id) {
    std::snprintf(name, sizeof name, "n%d", id);
    ASSERT_EQ(SQLExecute(st.h()), SQL_SUCCESS) << st.diag();
    SQLLEN rows = -1;
    ASSERT_EQ(SQLRowCount(st.h(), &rows), SQL_SUCCESS);
    EXPECT_EQ(rows, 1);
  }
  EXPECT_EQ(Scalar("SELECT string_agg(name, ',' ORDER BY id) FROM conf_exec"), "n1,n2,n3");
}

TEST_F(Execution, ExecuteWithoutPrepareIsSequenceError) {
  Stmt st(c_);
  EXPECT_EQ(SQLExecute(st.h()), SQL_ERROR);
  EXPECT_EQ(st.state(), "HY010");
}

TEST_F(Execution, UnboundParameterIs07002) {
  Stmt st(c_);
  EXPECT_EQ(st.Exec("SELECT ?"), SQL_ERROR);
  EXPECT_EQ(st.state(), "07002");
}

TEST_F(Execution, NumParamsCountsOnlyRealMarkers) {
  Stmt st(c_);
  ASSERT_EQ(st.Prepare("SELECT ?, '?', \"?\", $$?$$, ? /* ? */ -- ?\n, ?::int"), SQL_SUCCESS)
      << st.diag();
  SQLSMALLINT n = -1;
  ASSERT_EQ(SQLNumParams(st.h(), &n), SQL_SUCCESS);
  EXPECT_EQ(n, 3);
  ASSERT_EQ(st.Prepare("SELECT 1"), SQL_SUCCESS);
  ASSERT_EQ(SQLNumParams(st.h(), &n), SQL_SUCCESS);
  EXPECT_EQ(n, 0);
}

TEST_F(Execution, DescribeParamReportsColumnTypes) {
  Stmt st(c_);
  ASSERT_EQ(st.Prepare("INSERT INTO conf_exec (id, name, amount, d, b) VALUES (?, ?, ?, ?, ?)"),
            SQL_SUCCESS);
  SQLSMALLINT type = 0, digits = 0, nullable = 0;
  SQLULEN size = 0;
  ASSERT_EQ(SQLDescribeParam(st.h(), 1, &type, &size, &digits, &nullable), SQL_SUCCESS)
      << st.diag();
  EXPECT_EQ(type, SQL_INTEGER);
  ASSERT_EQ(SQLDescribeParam(st.h(), 2, &type, &size, &digits, &nullable), SQL_SUCCESS);
  EXPECT_TRUE(type == SQL_VARCHAR || type == SQL_WVARCHAR) << type;
  ASSERT_EQ(SQLDescribeParam(st.h(), 3, &type, &size, &digits, &nullable), SQL_SUCCESS);
  EXPECT_TRUE(type == SQL_NUMERIC || type == SQL_DECIMAL) << type;
  ASSERT_EQ(SQLDescribeParam(st.h(), 4, &type, &size, &digits, &nullable), SQL_SUCCESS);
  EXPECT_EQ(type, SQL_TYPE_DATE);
  ASSERT_EQ(SQLDescribeParam(st.h(), 5, &type, &size, &digits, &nullable), SQL_SUCCESS);
  EXPECT_TRUE(type == SQL_VARBINARY || type == SQL_LONGVARBINARY) << type;
  // SQLDescribeParam: 07009 for a parameter number beyond the markers.
  EXPECT_EQ(SQLDescribeParam(st.h(), 6, &type, &size, &digits, &nullable), SQL_ERROR);
  EXPECT_EQ(st.state(), "07009");
}

// Every C type, bound as an input parameter, compared with the value on the server.
TEST_F(Execution, BindParameterEveryCType) {
  struct Case {
    SQLSMALLINT c_type, sql_type;
    std::vector<unsigned char> bytes;
    const char* check;  // SQL with one marker; must return 1
  };
  auto raw = [](const auto& v) {
    const auto* p = reinterpret_cast<const unsigned char*>(&v);
    return std::vector<unsigned char>(p, p + sizeof v);
  };
  SQL_NUMERIC_STRUCT num{};
  num.precision = 10;
  num.scale = 2;
  num.sign = 0;       // negative
  num.val[0] = 0x39;  // 12345 = 0x3039
  num.val[1] = 0x30;
  SQL_DATE_STRUCT date{2024, 2, 29};
  SQL_TIME_STRUCT time{23, 59, 58};
  SQL_TIMESTAMP_STRUCT ts{2024, 1, 2, 3, 4, 5, 500000000};
  SQLGUID guid{0xa0eebc99, 0x9c0b, 0x4ef8, {0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38, 0x0a, 0x11}};
  SQL_INTERVAL_STRUCT iv{};
  iv.interval_type = SQL_IS_DAY_TO_SECOND;
  iv.intval.day_second = {1, 2, 3, 4, 0};
  const Case cases[] = {
      {SQL_C_CHAR, SQL_VARCHAR, {'a', 'b', 'c', 0}, "SELECT CASE WHEN ? = 'abc' THEN 1 END"},
      {SQL_C_WCHAR, SQL_WVARCHAR, {'a', 0, 0xe9, 0, 0, 0}, "SELECT CASE WHEN ? = 'aé' THEN 1 END"},
      {SQL_C_BINARY,
       SQL_VARBINARY,
       {0xde, 0xad, 0x00, 0xef},
       "SELECT CASE WHEN ? = '\\xdead00ef'::bytea THEN 1 END"},
      {SQL_C_BIT, SQL_BIT, {1}, "SELECT CASE WHEN ? = true THEN 1 END"},
      {SQL_C_STINYINT, SQL_SMALLINT, {0xf6}, "SELECT CASE WHEN ? = -10 THEN 1 END"},
      {SQL_C_UTINYINT, SQL_SMALLINT, {250}, "SELECT CASE WHEN ? = 250 THEN 1 END"},
      {SQL_C_SSHORT, SQL_SMALLINT, raw(SQLSMALLINT{-300}), "SELECT CASE WHEN ? = -300 THEN 1 END"},
      {SQL_C_USHORT, SQL_INTEGER, raw(SQLUSMALLINT{65000}),
       "SELECT CASE WHEN ? = 65000 THEN 1 END"},
      {SQL_C_SLONG, SQL_INTEGER, raw(SQLINTEGER{-70000}), "SELECT CASE WHEN ? = -70000 THEN 1 END"},
      {SQL_C_ULONG, SQL_BIGINT, raw(SQLUINTEGER{4000000000u}),
       "SELECT CASE WHEN ? = 4000000000 THEN 1 END"},
      {SQL_C_SBIGINT, SQL_BIGINT, raw(SQLBIGINT{-9000000000000000000LL}),
       "SELECT CASE WHEN ? = -9000000000000000000 THEN 1 END"},
      {SQL_C_UBIGINT, SQL_NUMERIC, raw(SQLUBIGINT{18000000000000000000ULL}),
       "SELECT CASE WHEN ? = 18000000000000000000 THEN 1 END"},
      {SQL_C_FLOAT, SQL_REAL, raw(SQLREAL{1.5f}), "SELECT CASE WHEN ? = 1.5 THEN 1 END"},
      {SQL_C_DOUBLE, SQL_DOUBLE, raw(SQLDOUBLE{-2.25}), "SELECT CASE WHEN ? = -2.25 THEN 1 END"},
      {SQL_C_NUMERIC, SQL_NUMERIC, raw(num), "SELECT CASE WHEN ? = -123.45 THEN 1 END"},
      {SQL_C_TYPE_DATE, SQL_TYPE_DATE, raw(date),
       "SELECT CASE WHEN ? = DATE '2024-02-29' THEN 1 END"},
      {SQL_C_TYPE_TIME, SQL_TYPE_TIME, raw(time),
       "SELECT CASE WHEN ? = TIME '23:59:58' THEN 1 END"},
      {SQL_C_TYPE_TIMESTAMP, SQL_TYPE_TIMESTAMP, raw(ts),
       "SELECT CASE WHEN ? = TIMESTAMP '2024-01-02 03:04:05.5' THEN 1 END"},
      {SQL_C_GUID, SQL_GUID, raw(guid),
       "SELECT CASE WHEN ? = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid THEN 1 END"},
      {SQL_C_INTERVAL_DAY_TO_SECOND, SQL_INTERVAL_DAY_TO_SECOND, raw(iv),
       "SELECT CASE WHEN ? = interval '1 day 02:03:04' THEN 1 END"},
  };
  for (const auto& c : cases) {
    Stmt st(c_);
    std::vector<unsigned char> buf = c.bytes;
    SQLLEN ind = c.c_type == SQL_C_CHAR || c.c_type == SQL_C_WCHAR
                     ? SQL_NTS
                     : static_cast<SQLLEN>(buf.size());
    SQLSMALLINT digits = c.sql_type == SQL_NUMERIC ? 2 : c.sql_type == SQL_TYPE_TIMESTAMP ? 6 : 0;
    ASSERT_EQ(SQLBindParameter(st.h(), 1, SQL_PARAM_INPUT, c.c_type, c.sql_type, 20, digits,
                               buf.data(), static_cast<SQLLEN>(buf.size()), &ind),
              SQL_SUCCESS)
        << c.c_type << ": " << st.diag();
    EXPECT_EQ(st.Scalar(c.check), "1")
        << "C type " << c.c_type << " -> SQL type " << c.sql_type << ": " << st.diag();
  }
}

TEST_F(Execution, NullParameterAndDefaultCType) {
  Stmt st(c_);
  SQLLEN null_ind = SQL_NULL_DATA;
  SQLINTEGER dummy = 0;
  ASSERT_EQ(SQLBindParameter(st.h(), 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &dummy, 0,
                             &null_ind),
            SQL_SUCCESS);
  EXPECT_EQ(st.Scalar("SELECT CASE WHEN ? IS NULL THEN 1 END"), "1");
  // SQL_C_DEFAULT: the C type is the default for the SQL type (SQL_INTEGER -> SQL_C_SLONG).
  SQLINTEGER v = 77;
  SQLLEN len = sizeof v;
  ASSERT_EQ(
      SQLBindParameter(st.h(), 1, SQL_PARAM_INPUT, SQL_C_DEFAULT, SQL_INTEGER, 0, 0, &v, 0, &len),
      SQL_SUCCESS);
  EXPECT_EQ(st.Scalar("SELECT ? + 1"), "78");
}

TEST_F(Execution, ParameterArrayColumnWise) {
  constexpr SQLULEN kRows = 5;
  SQLINTEGER ids[kRows] = {1, 2, 3, 4, 5};
  char names[kRows][11] = {"a", "bb", "ccc", "dddd", "eeeee"};
  SQLLEN id_ind[kRows] = {0, 0, 0, 0, 0};
  SQLLEN name_ind[kRows] = {SQL_NTS, SQL_NTS, SQL_NULL_DATA, SQL_NTS, 2};  // row 5: "ee"
  SQLUSMALLINT status[kRows];
  SQLULEN processed = 0;
  Stmt st(c_);
  ASSERT_EQ(
      SQLSetStmtAttr(st.h(), SQL_ATTR_PARAM_BIND_TYPE, (SQLPOINTER)SQL_PARAM_BIND_BY_COLUMN, 0),
      SQL_SUCCESS);
  ASSERT_EQ(SQLSetStmtAttr(st.h(), SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)kRows, 0), SQL_SUCCESS);
  ASSERT_EQ(SQLSetStmtAttr(st.h(), SQL_ATTR_PARAM_STATUS_PTR, status, 0), SQL_SUCCESS);
  ASSERT_EQ(SQLSetStmtAttr(st.h(), SQL_ATTR_PARAMS_PROCESSED_PTR, &processed, 0), SQL_SUCCESS);
  SQLBindParameter(st.h(), 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, ids, 0, id_ind);
  SQLBindParameter(st.h(), 2, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 10, 0, names, 11, name_ind);
  ASSERT_EQ(st.Exec("INSERT INTO conf_exec (id, name) VALUES (?, ?)"), SQL_SUCCESS) << st.diag();
  EXPECT_EQ(processed, kRows);
  for (SQLULEN i = 0; i < kRows; ++i) EXPECT_EQ(status[i], SQL_PARAM_SUCCESS) << i;
  // SQL_PARAM_ARRAY_ROW_COUNTS = SQL_PARC_NO_BATCH: one row count for the whole array.
  SQLLEN rows = 0;
  ASSERT_EQ(SQLRowCount(st.h(), &rows), SQL_SUCCESS);
  EXPECT_EQ(rows, 5);
  EXPECT_EQ(Scalar("SELECT string_agg(coalesce(name, 'NULL'), ',' ORDER BY id) FROM conf_exec"),
            "a,bb,NULL,dddd,ee");
}

TEST_F(Execution, ParameterArrayRowWiseWithOffset) {
  struct Row {
    SQLINTEGER id;
    SQLLEN id_ind;
    char name[12];
    SQLLEN name_ind;
  };
  Row rows[4 + 2] = {};  // two leading rows skipped through the bind offset
  for (int i = 0; i < 6; ++i) {
    rows[i].id = 10 + i;
    std::snprintf(rows[i].name, sizeof rows[i].name, "row%d", i);
    rows[i].name_ind = SQL_NTS;
  }
  SQLLEN offset = 2 * sizeof(Row);
  SQLUSMALLINT status[4];
  Stmt st(c_);
  SQLSetStmtAttr(st.h(), SQL_ATTR_PARAM_BIND_TYPE, (SQLPOINTER)sizeof(Row), 0);
  SQLSetStmtAttr(st.h(), SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)4, 0);
  SQLSetStmtAttr(st.h(), SQL_ATTR_PARAM_STATUS_PTR, status, 0);
  SQLSetStmtAttr(st.h(), SQL_ATTR_PARAM_BIND_OFFSET_PTR, &offset, 0);
  SQLBindParameter(st.h(), 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &rows[0].id, 0,
                   &rows[0].id_ind);
  SQLBindParameter(st.h(), 2, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 11, 0, rows[0].name,
                   sizeof rows[0].name, &rows[0].name_ind);
  ASSERT_EQ(st.Exec("INSERT INTO conf_exec (id, name) VALUES (?, ?)"), SQL_SUCCESS) << st.diag();
  EXPECT_EQ(Scalar("SELECT string_agg(id || ':' || name, ',' ORDER BY id) FROM conf_exec"),
            "12:row2,13:row3,14:row4,15:row5");
}

TEST_F(Execution, ParameterArrayWithAFailingRow) {
  Run("INSERT INTO conf_exec (id) VALUES (3)");
  SQLINTEGER ids[5] = {1, 2, 3, 4, 5};  // 3 violates the primary key
  SQLUSMALLINT status[5] = {99, 99, 99, 99, 99};
  SQLULEN processed = 0;
  Stmt st(c_);
  SQLSetStmtAttr(st.h(), SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)5, 0);
  SQLSetStmtAttr(st.h(), SQL_ATTR_PARAM_STATUS_PTR, status, 0);
  SQLSetStmtAttr(st.h(), SQL_ATTR_PARAMS_PROCESSED_PTR, &processed, 0);
  SQLBindParameter(st.h(), 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, ids, 0, nullptr);
  SQLRETURN rc = st.Exec("INSERT INTO conf_exec (id) VALUES (?)");
  // "Using Arrays of Parameters": some sets succeeded, one failed: SQL_SUCCESS_WITH_INFO.
  EXPECT_EQ(rc, SQL_SUCCESS_WITH_INFO) << st.diag();
  EXPECT_EQ(status[0], SQL_PARAM_SUCCESS);
  EXPECT_EQ(status[1], SQL_PARAM_SUCCESS);
  EXPECT_EQ(status[2], SQL_PARAM_ERROR);
  for (int i = 3; i < 5; ++i) {
    EXPECT_TRUE(status[i] == SQL_PARAM_SUCCESS || status[i] == SQL_PARAM_UNUSED ||
                status[i] == SQL_PARAM_ERROR)
        << i << ": " << status[i];
  }
  EXPECT_GE(processed, 3u);
  // The error record names the parameter set (SQL_DIAG_ROW_NUMBER, 1-based).
  bool found = false;
  for (SQLSMALLINT r = 1;; ++r) {
    SQLCHAR state[6] = {0};
    if (!SQL_SUCCEEDED(SQLGetDiagField(SQL_HANDLE_STMT, st.h(), r, SQL_DIAG_SQLSTATE, state,
                                       sizeof state, nullptr)))
      break;
    SQLLEN row = -99;
    ASSERT_TRUE(SQL_SUCCEEDED(
        SQLGetDiagField(SQL_HANDLE_STMT, st.h(), r, SQL_DIAG_ROW_NUMBER, &row, 0, nullptr)));
    if (std::string((char*)state) == "23505") {
      EXPECT_EQ(row, 3);
      found = true;
    }
  }
  EXPECT_TRUE(found) << st.diag();
  EXPECT_EQ(Scalar("SELECT count(*) FROM conf_exec WHERE id IN (1, 2)"), "2");
}

// Regression (was a driver bug): SQL_ATTR_PARAM_OPERATION_PTR is stored (APD
// SQL_DESC_ARRAY_STATUS_PTR) but Stmt::ExecuteBatch never reads it: SQL_PARAM_IGNORE rows are
// executed anyway.
TEST_F(Execution, ParameterArrayIgnoredRows) {
  SQLINTEGER ids[3] = {1, 2, 3};
  SQLUSMALLINT ops[3] = {SQL_PARAM_PROCEED, SQL_PARAM_IGNORE, SQL_PARAM_PROCEED};
  SQLUSMALLINT status[3] = {99, 99, 99};
  Stmt st(c_);
  SQLSetStmtAttr(st.h(), SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)3, 0);
  SQLSetStmtAttr(st.h(), SQL_ATTR_PARAM_OPERATION_PTR, ops, 0);
  SQLSetStmtAttr(st.h(), SQL_ATTR_PARAM_STATUS_PTR, status, 0);
  SQLBindParameter(st.h(), 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, ids, 0, nullptr);
  ASSERT_TRUE(SQL_SUCCEEDED(st.Exec("INSERT INTO conf_exec (id) VALUES (?)"))) << st.diag();
  EXPECT_EQ(status[1], SQL_PARAM_UNUSED);
  EXPECT_EQ(Scalar("SELECT string_agg(id::text, ',' ORDER BY id) FROM conf_exec"), "1,3");
}

TEST_F(Execution, ParameterArrayOfSelectsGivesOneResultPerSet) {
  // SQL_PARAM_ARRAY_SELECTS = SQL_PAS_BATCH: one result set per parameter set.
  SQLUINTEGER pas = 0;
  ASSERT_EQ(SQLGetInfo(dbc(), SQL_PARAM_ARRAY_SELECTS, &pas, sizeof pas, nullptr), SQL_SUCCESS);
  ASSERT_EQ(pas, static_cast<SQLUINTEGER>(SQL_PAS_BATCH));
  SQLINTEGER v[3] = {10, 20, 30};
  Stmt st(c_);
  SQLSetStmtAttr(st.h(), SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)3, 0);
  SQLBindParameter(st.h(), 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, v, 0, nullptr);
  ASSERT_TRUE(SQL_SUCCEEDED(st.Exec("SELECT ? + 1"))) << st.diag();
  for (const char* expected : {"11", "21", "31"}) {
    ASSERT_EQ(SQLFetch(st.h()), SQL_SUCCESS);
    EXPECT_EQ(st.Str(1), expected);
    EXPECT_EQ(SQLFetch(st.h()), SQL_NO_DATA);
    SQLRETURN rc = SQLMoreResults(st.h());
    if (std::string(expected) != "31")
      ASSERT_EQ(rc, SQL_SUCCESS);
    else
      EXPECT_EQ(rc, SQL_NO_DATA);
  }
}

TEST_F(Execution, DataAtExecution) {
  Stmt st(c_);
  ASSERT_EQ(st.Prepare("INSERT INTO conf_exec (id, name, b) VALUES (?, ?, ?)"), SQL_SUCCESS);
  SQLINTEGER id = 7;
  SQLLEN name_len = SQL_LEN_DATA_AT_EXEC(0), bin_len = SQL_DATA_AT_EXEC;
  SQLBindParameter(st.h(), 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &id, 0, nullptr);
  SQLBindParameter(st.h(), 2, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 20, 0, (SQLPOINTER)2, 0,
                   &name_len);
  SQLBindParameter(st.h(), 3, SQL_PARAM_INPUT, SQL_C_BINARY, SQL_VARBINARY, 20, 0, (SQLPOINTER)3, 0,
                   &bin_len);
  ASSERT_EQ(SQLExecute(st.h()), SQL_NEED_DATA) << st.diag();
  SQLPOINTER token = nullptr;
  ASSERT_EQ(SQLParamData(st.h(), &token), SQL_NEED_DATA);
  EXPECT_EQ(token, (SQLPOINTER)2);  // the ParameterValuePtr the application bound
  // Another function than SQLPutData/SQLParamData/SQLCancel is a sequence error now.
  SQLSMALLINT cols;
  EXPECT_EQ(SQLNumResultCols(st.h(), &cols), SQL_ERROR);
  EXPECT_EQ(st.state(), "HY010");
  ASSERT_EQ(SQLPutData(st.h(), (SQLPOINTER) "hel", 3), SQL_SUCCESS) << st.diag();
  ASSERT_EQ(SQLPutData(st.h(), (SQLPOINTER) "lo", SQL_NTS), SQL_SUCCESS);
  ASSERT_EQ(SQLParamData(st.h(), &token), SQL_NEED_DATA);
  EXPECT_EQ(token, (SQLPOINTER)3);
  ASSERT_EQ(SQLPutData(st.h(), (SQLPOINTER) "\x01\x00", 2), SQL_SUCCESS);
  ASSERT_EQ(SQLPutData(st.h(), (SQLPOINTER) "\xff", 1), SQL_SUCCESS);
  ASSERT_EQ(SQLParamData(st.h(), &token), SQL_SUCCESS) << st.diag();
  EXPECT_EQ(Scalar("SELECT name || ' ' || encode(b, 'hex') FROM conf_exec WHERE id = 7"),
            "hello 0100ff");
}

TEST_F(Execution, DataAtExecutionCancelled) {
  Stmt st(c_);
  ASSERT_EQ(st.Prepare("INSERT INTO conf_exec (id, name) VALUES (1, ?)"), SQL_SUCCESS);
  SQLLEN len = SQL_DATA_AT_EXEC;
  SQLBindParameter(st.h(), 1, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 20, 0, (SQLPOINTER)1, 0,
                   &len);
  ASSERT_EQ(SQLExecute(st.h()), SQL_NEED_DATA);
  ASSERT_EQ(SQLCancel(st.h()), SQL_SUCCESS);
  // SQLCancel ends the sequence: the statement can run again from the start.
  EXPECT_EQ(SQLExecute(st.h()), SQL_NEED_DATA) << st.diag();
  SQLCancel(st.h());
  EXPECT_EQ(Scalar("SELECT count(*) FROM conf_exec"), "0");
}

TEST_F(Execution, PutDataWithoutParamDataIsSequenceError) {
  Stmt st(c_);
  EXPECT_EQ(SQLPutData(st.h(), (SQLPOINTER) "x", 1), SQL_ERROR);
  EXPECT_EQ(st.state(), "HY010");
}

TEST_F(Execution, MultipleResults) {
  Run("INSERT INTO conf_exec (id) VALUES (1), (2)");
  Stmt st(c_);
  ASSERT_TRUE(
      SQL_SUCCEEDED(st.Exec("SELECT 1 AS a; UPDATE conf_exec SET name = 'x'; SELECT 'p', 'q'")))
      << st.diag();
  SQLSMALLINT cols = 0;
  ASSERT_EQ(SQLNumResultCols(st.h(), &cols), SQL_SUCCESS);
  EXPECT_EQ(cols, 1);
  ASSERT_EQ(SQLFetch(st.h()), SQL_SUCCESS);
  EXPECT_EQ(st.Str(1), "1");
  ASSERT_EQ(SQLMoreResults(st.h()), SQL_SUCCESS);
  ASSERT_EQ(SQLNumResultCols(st.h(), &cols), SQL_SUCCESS);
  EXPECT_EQ(cols, 0);
  SQLLEN rows = -1;
  ASSERT_EQ(SQLRowCount(st.h(), &rows), SQL_SUCCESS);
  EXPECT_EQ(rows, 2);
  ASSERT_EQ(SQLMoreResults(st.h()), SQL_SUCCESS);
  ASSERT_EQ(SQLNumResultCols(st.h(), &cols), SQL_SUCCESS);
  EXPECT_EQ(cols, 2);
  ASSERT_EQ(SQLFetch(st.h()), SQL_SUCCESS);
  EXPECT_EQ(st.Str(2), "q");
  EXPECT_EQ(SQLMoreResults(st.h()), SQL_NO_DATA);
}

TEST_F(Execution, RowCountForInsertUpdateDelete) {
  Stmt st(c_);
  ASSERT_EQ(st.Exec("INSERT INTO conf_exec (id) VALUES (1), (2), (3)"), SQL_SUCCESS);
  SQLLEN rows = -1;
  ASSERT_EQ(SQLRowCount(st.h(), &rows), SQL_SUCCESS);
  EXPECT_EQ(rows, 3);
  ASSERT_EQ(st.Exec("UPDATE conf_exec SET name = 'u' WHERE id >= 2"), SQL_SUCCESS);
  ASSERT_EQ(SQLRowCount(st.h(), &rows), SQL_SUCCESS);
  EXPECT_EQ(rows, 2);
  ASSERT_EQ(st.Exec("DELETE FROM conf_exec"), SQL_SUCCESS);
  ASSERT_EQ(SQLRowCount(st.h(), &rows), SQL_SUCCESS);
  EXPECT_EQ(rows, 3);
}

TEST_F(Execution, SearchedUpdateOrDeleteTouchingNothingIsNoData) {
  // SQLExecDirect/SQLExecute: "If SQL_ATTR_... a searched update or delete statement that does
  // not affect any rows at the data source, returns SQL_NO_DATA" (ODBC 3).
  Stmt st(c_);
  EXPECT_EQ(st.Exec("UPDATE conf_exec SET name = 'x' WHERE id = -1"), SQL_NO_DATA);
  SQLLEN rows = -1;
  ASSERT_EQ(SQLRowCount(st.h(), &rows), SQL_SUCCESS);
  EXPECT_EQ(rows, 0);
  EXPECT_EQ(st.Exec("DELETE FROM conf_exec WHERE id = -1"), SQL_NO_DATA);
  ASSERT_EQ(st.Prepare("UPDATE conf_exec SET name = 'x' WHERE id = ?"), SQL_SUCCESS);
  SQLINTEGER id = -5;
  SQLBindParameter(st.h(), 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &id, 0, nullptr);
  EXPECT_EQ(SQLExecute(st.h()), SQL_NO_DATA);
  // An INSERT ... SELECT of nothing is not a searched update: SQL_SUCCESS.
  EXPECT_EQ(st.Exec("INSERT INTO conf_exec (id) SELECT 1 WHERE false"), SQL_SUCCESS);
}

TEST_F(Execution, PrepareWithCursorOpenIs24000) {
  Stmt st(c_);
  ASSERT_EQ(st.Exec("SELECT 1"), SQL_SUCCESS);
  EXPECT_EQ(st.Exec("SELECT 2"), SQL_ERROR);
  EXPECT_EQ(st.state(), "24000");
  ASSERT_EQ(SQLCloseCursor(st.h()), SQL_SUCCESS);
  EXPECT_EQ(st.Exec("SELECT 2"), SQL_SUCCESS);
}

}  // namespace
}  // namespace lakebase::conformance

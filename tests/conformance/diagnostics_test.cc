// ODBC "Diagnostics": SQLGetDiagRec and SQLGetDiagField (header and record fields), every record
// in order, the server's SQLSTATE with its DETAIL and HINT, and ODBC 2 SQLSTATEs for an
// application that asked for SQL_OV_ODBC2 ("SQLSTATE Mappings").
#include "tests/conformance/conformance.h"

namespace lakebase::conformance {
namespace {

class Diagnostics : public ConformanceTest {
 protected:
  std::string Field(SQLSMALLINT type, SQLHANDLE h, SQLSMALLINT rec, SQLSMALLINT field) {
    char buf[1024] = {0};
    SQLSMALLINT len = 0;
    SQLRETURN rc = SQLGetDiagField(type, h, rec, field, buf, sizeof buf, &len);
    if (!SQL_SUCCEEDED(rc)) return "<rc " + std::to_string(rc) + ">";
    EXPECT_EQ(len, static_cast<SQLSMALLINT>(std::strlen(buf)));
    return buf;
  }
};

TEST_F(Diagnostics, ServerErrorWithDetailAndHint) {
  Stmt st(c_);
  ASSERT_EQ(st.Exec("DO $$ BEGIN RAISE EXCEPTION 'boom here' USING DETAIL = 'the detail', "
                    "HINT = 'the hint', ERRCODE = '22023'; END $$"),
            SQL_ERROR);
  SQLCHAR state[6] = {0}, msg[1024] = {0};
  SQLINTEGER native = -1;
  SQLSMALLINT len = 0;
  ASSERT_EQ(SQLGetDiagRec(SQL_HANDLE_STMT, st.h(), 1, state, &native, msg, sizeof msg, &len),
            SQL_SUCCESS);
  EXPECT_STREQ((char*)state, "22023");  // the server's SQLSTATE, unchanged
  std::string m = (char*)msg;
  EXPECT_EQ(len, static_cast<SQLSMALLINT>(m.size()));
  EXPECT_EQ(m.rfind("[", 0), 0u) << m;  // "[vendor][component]" prefix
  EXPECT_NE(m.find("boom here"), std::string::npos) << m;
  EXPECT_NE(m.find("the detail"), std::string::npos) << m;
  EXPECT_NE(m.find("the hint"), std::string::npos) << m;
  EXPECT_EQ(SQLGetDiagRec(SQL_HANDLE_STMT, st.h(), 2, state, &native, msg, sizeof msg, &len),
            SQL_NO_DATA);
}

TEST_F(Diagnostics, ConstraintViolationDetail) {
  Run("DROP TABLE IF EXISTS conf_diag");
  Run("CREATE TABLE conf_diag (id int PRIMARY KEY)");
  Run("INSERT INTO conf_diag VALUES (1)");
  Stmt st(c_);
  ASSERT_EQ(st.Exec("INSERT INTO conf_diag VALUES (1)"), SQL_ERROR);
  EXPECT_EQ(st.state(), "23505");
  EXPECT_NE(st.diag().find("Key (id)=(1) already exists"), std::string::npos) << st.diag();
  Run("DROP TABLE conf_diag");
}

TEST_F(Diagnostics, HeaderFields) {
  Run("DROP TABLE IF EXISTS conf_diag");
  Run("CREATE TABLE conf_diag (id int)");
  Stmt st(c_);
  ASSERT_EQ(st.Exec("INSERT INTO conf_diag VALUES (1), (2), (3)"), SQL_SUCCESS);
  SQLINTEGER number = -1;
  ASSERT_EQ(SQLGetDiagField(SQL_HANDLE_STMT, st.h(), 0, SQL_DIAG_NUMBER, &number, 0, nullptr),
            SQL_SUCCESS);
  EXPECT_EQ(number, 0);
  SQLRETURN retcode = -99;
  ASSERT_EQ(SQLGetDiagField(SQL_HANDLE_STMT, st.h(), 0, SQL_DIAG_RETURNCODE, &retcode, 0, nullptr),
            SQL_SUCCESS);
  EXPECT_EQ(retcode, SQL_SUCCESS);
  SQLLEN rows = -1;
  ASSERT_EQ(SQLGetDiagField(SQL_HANDLE_STMT, st.h(), 0, SQL_DIAG_ROW_COUNT, &rows, 0, nullptr),
            SQL_SUCCESS);
  EXPECT_EQ(rows, 3);
  // Header fields of a failing call.
  EXPECT_EQ(st.Exec("SELECT * FROM conf_no_such_table"), SQL_ERROR);
  ASSERT_EQ(SQLGetDiagField(SQL_HANDLE_STMT, st.h(), 0, SQL_DIAG_NUMBER, &number, 0, nullptr),
            SQL_SUCCESS);
  EXPECT_EQ(number, 1);
  ASSERT_EQ(SQLGetDiagField(SQL_HANDLE_STMT, st.h(), 0, SQL_DIAG_RETURNCODE, &retcode, 0, nullptr),
            SQL_SUCCESS);
  EXPECT_EQ(retcode, SQL_ERROR);
  // Row count is a statement field: on a connection handle it is an error.
  EXPECT_EQ(SQLGetDiagField(SQL_HANDLE_DBC, dbc(), 0, SQL_DIAG_ROW_COUNT, &rows, 0, nullptr),
            SQL_ERROR);
  Run("DROP TABLE conf_diag");
}

// Regression (was a driver bug): SQL_DIAG_DYNAMIC_FUNCTION / SQL_DIAG_DYNAMIC_FUNCTION_CODE are
// never set (always "" and 0) after SQLExecDirect/SQLExecute; the spec lists "INSERT INTO" /
// SQL_DIAG_INSERT etc.
TEST_F(Diagnostics, DynamicFunction) {
  Run("DROP TABLE IF EXISTS conf_diag");
  Stmt st(c_);
  struct C {
    const char* sql;
    const char* name;
    SQLINTEGER code;
  };
  const C cases[] = {
      {"CREATE TABLE conf_diag (id int)", "CREATE TABLE", SQL_DIAG_CREATE_TABLE},
      {"INSERT INTO conf_diag VALUES (1)", "INSERT INTO", SQL_DIAG_INSERT},
      {"UPDATE conf_diag SET id = 2 WHERE id = 1", "UPDATE WHERE", SQL_DIAG_UPDATE_WHERE},
      {"SELECT * FROM conf_diag", "SELECT CURSOR", SQL_DIAG_SELECT_CURSOR},
      {"DELETE FROM conf_diag WHERE id = 2", "DELETE WHERE", SQL_DIAG_DELETE_WHERE},
      {"DROP TABLE conf_diag", "DROP TABLE", SQL_DIAG_DROP_TABLE},
  };
  for (const auto& c : cases) {
    st.Close();
    ASSERT_TRUE(SQL_SUCCEEDED(st.Exec(c.sql))) << c.sql << st.diag();
    EXPECT_EQ(Field(SQL_HANDLE_STMT, st.h(), 0, SQL_DIAG_DYNAMIC_FUNCTION), c.name) << c.sql;
    SQLINTEGER code = -1;
    ASSERT_EQ(SQLGetDiagField(SQL_HANDLE_STMT, st.h(), 0, SQL_DIAG_DYNAMIC_FUNCTION_CODE, &code, 0,
                              nullptr),
              SQL_SUCCESS);
    EXPECT_EQ(code, c.code) << c.sql;
  }
}

TEST_F(Diagnostics, RecordFields) {
  Stmt st(c_);
  ASSERT_EQ(st.Exec("SELECT * FROM conf_no_such_table"), SQL_ERROR);
  EXPECT_EQ(Field(SQL_HANDLE_STMT, st.h(), 1, SQL_DIAG_SQLSTATE), "42P01");
  EXPECT_EQ(Field(SQL_HANDLE_STMT, st.h(), 1, SQL_DIAG_CLASS_ORIGIN), "ISO 9075");
  std::string text = Field(SQL_HANDLE_STMT, st.h(), 1, SQL_DIAG_MESSAGE_TEXT);
  EXPECT_NE(text.find("conf_no_such_table"), std::string::npos) << text;
  SQLINTEGER native = -1;
  EXPECT_EQ(SQLGetDiagField(SQL_HANDLE_STMT, st.h(), 1, SQL_DIAG_NATIVE, &native, 0, nullptr),
            SQL_SUCCESS);
  SQLLEN row = -99;
  EXPECT_EQ(SQLGetDiagField(SQL_HANDLE_STMT, st.h(), 1, SQL_DIAG_ROW_NUMBER, &row, 0, nullptr),
            SQL_SUCCESS);
  EXPECT_TRUE(row == SQL_NO_ROW_NUMBER || row == SQL_ROW_NUMBER_UNKNOWN) << row;
  SQLINTEGER col = -99;
  EXPECT_EQ(SQLGetDiagField(SQL_HANDLE_STMT, st.h(), 1, SQL_DIAG_COLUMN_NUMBER, &col, 0, nullptr),
            SQL_SUCCESS);
  EXPECT_TRUE(col == SQL_NO_COLUMN_NUMBER || col == SQL_COLUMN_NUMBER_UNKNOWN) << col;
  EXPECT_NE(Field(SQL_HANDLE_STMT, st.h(), 1, SQL_DIAG_SERVER_NAME).rfind("<rc", 0), 0u);
  EXPECT_NE(Field(SQL_HANDLE_STMT, st.h(), 1, SQL_DIAG_CONNECTION_NAME).rfind("<rc", 0), 0u);
  // ODBC-defined subclasses report "ODBC 3.0" as their origin.
  Stmt st2(c_);
  EXPECT_EQ(SQLSetStmtAttr(st2.h(), SQL_ATTR_CURSOR_TYPE, (SQLPOINTER)SQL_CURSOR_DYNAMIC, 0),
            SQL_SUCCESS_WITH_INFO);
  EXPECT_EQ(Field(SQL_HANDLE_STMT, st2.h(), 1, SQL_DIAG_SQLSTATE), "01S02");
  EXPECT_EQ(Field(SQL_HANDLE_STMT, st2.h(), 1, SQL_DIAG_SUBCLASS_ORIGIN), "ODBC 3.0");
  EXPECT_EQ(Field(SQL_HANDLE_STMT, st2.h(), 1, SQL_DIAG_CLASS_ORIGIN), "ISO 9075");
  // Past the last record: SQL_NO_DATA.
  SQLCHAR s[6];
  EXPECT_EQ(SQLGetDiagField(SQL_HANDLE_STMT, st2.h(), 2, SQL_DIAG_SQLSTATE, s, sizeof s, nullptr),
            SQL_NO_DATA);
}

TEST_F(Diagnostics, AllRecordsInOrderWithColumnNumbers) {
  // Two truncated columns in one fetch: two 01004 records, column 1 then column 2, row 1.
  Stmt st(c_);
  ASSERT_EQ(st.Exec("SELECT 'abcdef', 'ghijkl'"), SQL_SUCCESS);
  char a[3], b[3];
  SQLLEN ia, ib;
  SQLBindCol(st.h(), 1, SQL_C_CHAR, a, sizeof a, &ia);
  SQLBindCol(st.h(), 2, SQL_C_CHAR, b, sizeof b, &ib);
  ASSERT_EQ(SQLFetch(st.h()), SQL_SUCCESS_WITH_INFO);
  EXPECT_EQ(st.states(), "01004,01004");
  for (SQLSMALLINT r = 1; r <= 2; ++r) {
    SQLINTEGER col = 0;
    SQLLEN row = 0;
    ASSERT_EQ(SQLGetDiagField(SQL_HANDLE_STMT, st.h(), r, SQL_DIAG_COLUMN_NUMBER, &col, 0, nullptr),
              SQL_SUCCESS);
    ASSERT_EQ(SQLGetDiagField(SQL_HANDLE_STMT, st.h(), r, SQL_DIAG_ROW_NUMBER, &row, 0, nullptr),
              SQL_SUCCESS);
    EXPECT_EQ(col, r);
    EXPECT_EQ(row, 1);
  }
  SQLINTEGER number = 0;
  ASSERT_EQ(SQLGetDiagField(SQL_HANDLE_STMT, st.h(), 0, SQL_DIAG_NUMBER, &number, 0, nullptr),
            SQL_SUCCESS);
  EXPECT_EQ(number, 2);
}

TEST_F(Diagnostics, GetDiagRecArguments) {
  Stmt st(c_);
  ASSERT_EQ(st.Exec("SELECT * FROM conf_no_such_table"), SQL_ERROR);
  SQLCHAR state[6], msg[8];
  SQLINTEGER native;
  SQLSMALLINT len = 0;
  // RecNumber 0 and a negative BufferLength: SQL_ERROR; past the end: SQL_NO_DATA.
  EXPECT_EQ(SQLGetDiagRec(SQL_HANDLE_STMT, st.h(), 0, state, &native, msg, sizeof msg, &len),
            SQL_ERROR);
  EXPECT_EQ(SQLGetDiagRec(SQL_HANDLE_STMT, st.h(), 1, state, &native, msg, -1, &len), SQL_ERROR);
  EXPECT_EQ(SQLGetDiagRec(SQL_HANDLE_STMT, st.h(), 5, state, &native, msg, sizeof msg, &len),
            SQL_NO_DATA);
  // A message longer than the buffer: SQL_SUCCESS_WITH_INFO, NUL-terminated, full length.
  ASSERT_EQ(SQLGetDiagRec(SQL_HANDLE_STMT, st.h(), 1, state, &native, msg, sizeof msg, &len),
            SQL_SUCCESS_WITH_INFO);
  EXPECT_EQ(std::strlen((char*)msg), sizeof msg - 1);
  EXPECT_GT(len, 8);
  // Reading diagnostics does not clear them.
  EXPECT_EQ(st.state(), "42P01");
  // The next call on the handle does.
  SQLSMALLINT cols;
  SQLNumResultCols(st.h(), &cols);
  EXPECT_NE(st.state(), "42P01");
}

TEST_F(Diagnostics, WideDiagnostics) {
  Stmt st(c_);
  ASSERT_EQ(st.Exec("SELECT 1/0"), SQL_ERROR);
  SQLWCHAR state[6] = {0}, msg[256] = {0};
  SQLINTEGER native;
  SQLSMALLINT len = 0;
  ASSERT_EQ(SQLGetDiagRecW(SQL_HANDLE_STMT, st.h(), 1, state, &native, msg, 256, &len),
            SQL_SUCCESS);
  EXPECT_EQ(std::u16string(reinterpret_cast<char16_t*>(state)), u"22012");
  EXPECT_EQ(len, static_cast<SQLSMALLINT>(
                     std::char_traits<char16_t>::length(reinterpret_cast<char16_t*>(msg))));
}

// ---------------------------------------------------------------------------------------------
// ODBC 2 applications ("SQLSTATE Mappings"): HY000 -> S1000, 42S02 -> S0002, HY009 -> S1009...
class Odbc2Diagnostics : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env_), SQL_SUCCESS);
    ASSERT_EQ(SQLSetEnvAttr(env_, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC2, 0), SQL_SUCCESS);
    ASSERT_EQ(SQLAllocHandle(SQL_HANDLE_DBC, env_, &dbc_), SQL_SUCCESS);
    ASSERT_TRUE(SQL_SUCCEEDED(SQLDriverConnect(dbc_, nullptr, (SQLCHAR*)ConnStr().c_str(), SQL_NTS,
                                               nullptr, 0, nullptr, SQL_DRIVER_NOPROMPT)));
    ASSERT_EQ(SQLAllocHandle(SQL_HANDLE_STMT, dbc_, &stmt_), SQL_SUCCESS);
  }
  void TearDown() override {
    SQLFreeHandle(SQL_HANDLE_STMT, stmt_);
    SQLDisconnect(dbc_);
    SQLFreeHandle(SQL_HANDLE_DBC, dbc_);
    SQLFreeHandle(SQL_HANDLE_ENV, env_);
  }
  // The ODBC 2 way: SQLError.
  std::string ErrorState() {
    SQLCHAR state[6] = {0}, msg[512];
    SQLINTEGER native;
    SQLSMALLINT len;
    if (!SQL_SUCCEEDED(SQLError(env_, dbc_, stmt_, state, &native, msg, sizeof msg, &len)))
      return "";
    return (char*)state;
  }
  SQLHENV env_ = nullptr;
  SQLHDBC dbc_ = nullptr;
  SQLHSTMT stmt_ = nullptr;
};

TEST_F(Odbc2Diagnostics, DriverStatesAreMapped) {
  // HY009 -> S1009 (null pointer)
  EXPECT_EQ(SQLExecDirect(stmt_, nullptr, SQL_NTS), SQL_ERROR);
  EXPECT_EQ(ErrorState(), "S1009");
  // HY010 -> S1010 (sequence)
  EXPECT_EQ(SQLExecute(stmt_), SQL_ERROR);
  EXPECT_EQ(ErrorState(), "S1010");
  // HY092 -> S1092 (option)
  EXPECT_EQ(SQLSetStmtAttr(stmt_, 987654, (SQLPOINTER)1, 0), SQL_ERROR);
  EXPECT_EQ(ErrorState(), "S1092");
  // 07009 -> S1002 for a column number (SQLGetData / SQLDescribeCol)
  ASSERT_EQ(SQLExecDirect(stmt_, (SQLCHAR*)"SELECT 1", SQL_NTS), SQL_SUCCESS);
  ASSERT_EQ(SQLFetch(stmt_), SQL_SUCCESS);
  SQLINTEGER v;
  SQLLEN ind;
  EXPECT_EQ(SQLGetData(stmt_, 5, SQL_C_SLONG, &v, 0, &ind), SQL_ERROR);
  EXPECT_EQ(ErrorState(), "S1002");
  SQLFreeStmt(stmt_, SQL_CLOSE);
}

TEST_F(Odbc2Diagnostics, SyntaxAndInfoStatesAreMapped) {
  // 42000 -> 37000 (syntax error or access violation)
  EXPECT_EQ(SQLExecDirect(stmt_, (SQLCHAR*)"SELECT {bogus 1}", SQL_NTS), SQL_ERROR);
  EXPECT_EQ(ErrorState(), "37000");
  // HY096 -> S1096 on the connection
  char buf[8];
  EXPECT_EQ(SQLGetInfo(dbc_, 4321, buf, sizeof buf, nullptr), SQL_ERROR);
  SQLCHAR state[6] = {0}, msg[256];
  SQLINTEGER native;
  SQLSMALLINT len;
  ASSERT_TRUE(
      SQL_SUCCEEDED(SQLError(env_, dbc_, SQL_NULL_HSTMT, state, &native, msg, sizeof msg, &len)));
  EXPECT_STREQ((char*)state, "S1096");
}

TEST_F(Odbc2Diagnostics, SqlErrorConsumesRecords) {
  EXPECT_EQ(SQLExecDirect(stmt_, nullptr, SQL_NTS), SQL_ERROR);
  EXPECT_NE(ErrorState(), "");
  EXPECT_EQ(ErrorState(), "");  // SQLError removes the record it returned
}

}  // namespace
}  // namespace lakebase::conformance

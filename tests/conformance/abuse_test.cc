// Misuse of the API: wrong handle types, null and freed handles, null pointers, negative
// lengths, function sequence errors and freeing in any order. Every case must end in an error
// code (SQL_INVALID_HANDLE, or SQL_ERROR with the SQLSTATE the function's reference page lists),
// never a crash.
#include <thread>

#include "tests/conformance/conformance.h"

namespace lakebase::conformance {
namespace {

class Abuse : public ConformanceTest {};

TEST_F(Abuse, NullHandles) {
  EXPECT_EQ(SQLExecDirect(SQL_NULL_HSTMT, (SQLCHAR*)"SELECT 1", SQL_NTS), SQL_INVALID_HANDLE);
  EXPECT_EQ(SQLFetch(SQL_NULL_HSTMT), SQL_INVALID_HANDLE);
  EXPECT_EQ(SQLGetInfo(SQL_NULL_HDBC, SQL_DBMS_NAME, nullptr, 0, nullptr), SQL_INVALID_HANDLE);
  EXPECT_EQ(SQLDisconnect(SQL_NULL_HDBC), SQL_INVALID_HANDLE);
  EXPECT_EQ(SQLSetEnvAttr(SQL_NULL_HENV, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0),
            SQL_INVALID_HANDLE);
  EXPECT_EQ(SQLFreeHandle(SQL_HANDLE_STMT, SQL_NULL_HSTMT), SQL_INVALID_HANDLE);
  EXPECT_EQ(
      SQLGetDiagRec(SQL_HANDLE_STMT, SQL_NULL_HSTMT, 1, nullptr, nullptr, nullptr, 0, nullptr),
      SQL_INVALID_HANDLE);
  EXPECT_EQ(SQLEndTran(SQL_HANDLE_DBC, SQL_NULL_HDBC, SQL_COMMIT), SQL_INVALID_HANDLE);
}

TEST_F(Abuse, WrongHandleTypes) {
  // A connection handle where a statement is expected, and the like.
  EXPECT_EQ(SQLExecDirect((SQLHSTMT)dbc(), (SQLCHAR*)"SELECT 1", SQL_NTS), SQL_INVALID_HANDLE);
  EXPECT_EQ(SQLGetInfo((SQLHDBC)c_.env(), SQL_DBMS_NAME, nullptr, 0, nullptr), SQL_INVALID_HANDLE);
  EXPECT_EQ(SQLFreeHandle(SQL_HANDLE_STMT, dbc()), SQL_INVALID_HANDLE);
  EXPECT_EQ(SQLFreeHandle(SQL_HANDLE_DBC, c_.env()), SQL_INVALID_HANDLE);
  EXPECT_EQ(SQLGetDiagRec(SQL_HANDLE_STMT, dbc(), 1, nullptr, nullptr, nullptr, 0, nullptr),
            SQL_INVALID_HANDLE);
  // An unknown handle type: an error code (the driver manager answers SQL_INVALID_HANDLE).
  SQLRETURN rc = SQLFreeHandle(99, dbc());
  EXPECT_TRUE(rc == SQL_ERROR || rc == SQL_INVALID_HANDLE) << rc;
  // The connection still works.
  EXPECT_EQ(Scalar("SELECT 1"), "1");
}

TEST_F(Abuse, NullPointersAndNegativeLengths) {
  Stmt st(c_);
  EXPECT_EQ(SQLExecDirect(st.h(), nullptr, SQL_NTS), SQL_ERROR);
  EXPECT_EQ(st.state(), "HY009");
  EXPECT_EQ(SQLExecDirect(st.h(), (SQLCHAR*)"SELECT 1", -7), SQL_ERROR);
  EXPECT_EQ(st.state(), "HY090");
  EXPECT_EQ(SQLPrepare(st.h(), nullptr, SQL_NTS), SQL_ERROR);
  EXPECT_EQ(st.state(), "HY009");
  EXPECT_EQ(SQLPrepare(st.h(), (SQLCHAR*)"SELECT 1", -7), SQL_ERROR);
  EXPECT_EQ(st.state(), "HY090");
  ASSERT_EQ(st.Exec("SELECT 1"), SQL_SUCCESS);
  char buf[8];
  SQLLEN ind;
  EXPECT_EQ(SQLBindCol(st.h(), 1, SQL_C_CHAR, buf, -1, &ind), SQL_ERROR);
  EXPECT_EQ(st.state(), "HY090");
  ASSERT_EQ(SQLFetch(st.h()), SQL_SUCCESS);
  EXPECT_EQ(SQLGetData(st.h(), 1, SQL_C_CHAR, buf, -1, &ind), SQL_ERROR);
  EXPECT_EQ(st.state(), "HY090");
  // SQLGetInfo: a negative BufferLength for a string is HY090; null output pointers are fine.
  SQLSMALLINT len = 0;
  EXPECT_EQ(SQLGetInfo(dbc(), SQL_DBMS_NAME, buf, -1, &len), SQL_ERROR);
  EXPECT_EQ(States(SQL_HANDLE_DBC, dbc()), "HY090");
  EXPECT_EQ(SQLGetInfo(dbc(), SQL_DBMS_NAME, nullptr, 0, &len), SQL_SUCCESS);
  EXPECT_EQ(len, 10);
  EXPECT_EQ(SQLGetInfo(dbc(), SQL_TXN_CAPABLE, nullptr, 0, nullptr), SQL_SUCCESS);
  // SQLAllocHandle with a null output pointer.
  EXPECT_EQ(SQLAllocHandle(SQL_HANDLE_STMT, dbc(), nullptr), SQL_ERROR);
}

TEST_F(Abuse, BindingErrors) {
  Stmt st(c_);
  SQLINTEGER v = 0;
  SQLLEN ind = 0;
  EXPECT_EQ(
      SQLBindParameter(st.h(), 0, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &v, 0, &ind),
      SQL_ERROR);
  EXPECT_EQ(st.state(), "07009");
  EXPECT_EQ(SQLBindParameter(st.h(), 1, SQL_PARAM_INPUT, 12345, SQL_INTEGER, 0, 0, &v, 0, &ind),
            SQL_ERROR);
  EXPECT_EQ(st.state(), "HY003");
  EXPECT_EQ(SQLBindParameter(st.h(), 1, 77, SQL_C_SLONG, SQL_INTEGER, 0, 0, &v, 0, &ind),
            SQL_ERROR);
  EXPECT_EQ(st.state(), "HY105");
  EXPECT_EQ(SQLBindCol(st.h(), 1, 12345, &v, 0, &ind), SQL_ERROR);
  EXPECT_EQ(st.state(), "HY003");
  EXPECT_EQ(SQLBindCol(st.h(), 0, SQL_C_SLONG, &v, 0, &ind), SQL_ERROR);  // bookmarks off
  EXPECT_EQ(st.state(), "07009");
  EXPECT_EQ(SQLSetStmtAttr(st.h(), 987654, (SQLPOINTER)1, 0), SQL_ERROR);
  EXPECT_EQ(st.state(), "HY092");
  EXPECT_EQ(SQLSetStmtAttr(st.h(), SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)0, 0), SQL_ERROR);
  EXPECT_EQ(st.state(), "HY024");
  EXPECT_EQ(SQLFreeStmt(st.h(), 77), SQL_ERROR);
  EXPECT_EQ(st.state(), "HY092");
}

TEST_F(Abuse, FunctionSequenceErrors) {
  Stmt st(c_);
  SQLSMALLINT n;
  // Nothing prepared or executed.
  EXPECT_EQ(SQLNumResultCols(st.h(), &n), SQL_ERROR);
  EXPECT_EQ(st.state(), "HY010");
  EXPECT_EQ(SQLNumParams(st.h(), &n), SQL_ERROR);
  EXPECT_EQ(st.state(), "HY010");
  EXPECT_EQ(SQLFetch(st.h()), SQL_ERROR);
  EXPECT_EQ(st.state(), "HY010");
  SQLLEN rows;
  EXPECT_EQ(SQLRowCount(st.h(), &rows), SQL_ERROR);
  EXPECT_EQ(st.state(), "HY010");
  SQLPOINTER token;
  EXPECT_EQ(SQLParamData(st.h(), &token), SQL_ERROR);
  EXPECT_EQ(st.state(), "HY010");
  // No cursor to close.
  EXPECT_EQ(SQLCloseCursor(st.h()), SQL_ERROR);
  EXPECT_EQ(st.state(), "24000");
  // Closing with SQLFreeStmt(SQL_CLOSE) when no cursor is open is fine.
  EXPECT_EQ(SQLFreeStmt(st.h(), SQL_CLOSE), SQL_SUCCESS);
  // A statement on a connection that is not open.
  Connection idle;
  SQLHSTMT s = SQL_NULL_HSTMT;
  EXPECT_EQ(SQLAllocHandle(SQL_HANDLE_STMT, idle.dbc(), &s), SQL_ERROR);
  EXPECT_EQ(States(SQL_HANDLE_DBC, idle.dbc()), "08003");
}

TEST_F(Abuse, FreeingInAnyOrder) {
  // Free the connection while connected: HY010; disconnect frees the statements with it.
  SQLHENV env;
  SQLHDBC dbc;
  SQLHSTMT s1, s2;
  ASSERT_EQ(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env), SQL_SUCCESS);
  SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0);
  ASSERT_EQ(SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc), SQL_SUCCESS);
  ASSERT_TRUE(SQL_SUCCEEDED(SQLDriverConnect(dbc, nullptr, (SQLCHAR*)ConnStr().c_str(), SQL_NTS,
                                             nullptr, 0, nullptr, SQL_DRIVER_NOPROMPT)));
  ASSERT_EQ(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &s1), SQL_SUCCESS);
  ASSERT_EQ(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &s2), SQL_SUCCESS);
  ASSERT_EQ(SQLExecDirect(s1, (SQLCHAR*)"SELECT 1", SQL_NTS), SQL_SUCCESS);  // open cursor
  EXPECT_EQ(SQLFreeHandle(SQL_HANDLE_DBC, dbc), SQL_ERROR);
  EXPECT_EQ(States(SQL_HANDLE_DBC, dbc), "HY010");
  EXPECT_EQ(SQLFreeHandle(SQL_HANDLE_ENV, env), SQL_ERROR);
  EXPECT_EQ(States(SQL_HANDLE_ENV, env), "HY010");
  EXPECT_EQ(SQLFreeHandle(SQL_HANDLE_STMT, s2), SQL_SUCCESS);
  EXPECT_EQ(SQLDisconnect(dbc), SQL_SUCCESS);
  EXPECT_EQ(SQLFreeHandle(SQL_HANDLE_DBC, dbc), SQL_SUCCESS);
  EXPECT_EQ(SQLFreeHandle(SQL_HANDLE_ENV, env), SQL_SUCCESS);
}

TEST_F(Abuse, FreeStatementWithPendingDataAtExecution) {
  Stmt st(c_);
  ASSERT_EQ(st.Prepare("SELECT ?"), SQL_SUCCESS);
  SQLLEN len = SQL_DATA_AT_EXEC;
  SQLBindParameter(st.h(), 1, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 10, 0, (SQLPOINTER)1, 0,
                   &len);
  ASSERT_EQ(SQLExecute(st.h()), SQL_NEED_DATA);
  // Freed in the middle of the sequence: fine.
}

TEST_F(Abuse, ResetParamsThenExecuteIs07002) {
  Stmt st(c_);
  ASSERT_EQ(st.Prepare("SELECT ?"), SQL_SUCCESS);
  SQLINTEGER v = 1;
  SQLBindParameter(st.h(), 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &v, 0, nullptr);
  ASSERT_EQ(SQLFreeStmt(st.h(), SQL_RESET_PARAMS), SQL_SUCCESS);
  EXPECT_EQ(SQLExecute(st.h()), SQL_ERROR);
  EXPECT_EQ(st.state(), "07002");
}

TEST_F(Abuse, UnbindThenFetchWritesNothing) {
  Stmt st(c_);
  SQLINTEGER v = -1;
  SQLLEN ind = 0;
  ASSERT_EQ(st.Exec("SELECT 5"), SQL_SUCCESS);
  SQLBindCol(st.h(), 1, SQL_C_SLONG, &v, 0, &ind);
  ASSERT_EQ(SQLFreeStmt(st.h(), SQL_UNBIND), SQL_SUCCESS);
  ASSERT_EQ(SQLFetch(st.h()), SQL_SUCCESS);
  EXPECT_EQ(v, -1);
}

TEST_F(Abuse, MalformedSqlAndHugeStatements) {
  Stmt st(c_);
  for (const char* sql : {"", "   ", "SELECT '", "SELECT \"", "SELECT $$", "SELECT /* unterminated",
                          "{", "}", "{fn}", "{call}", "{?=}", "{d}", "SELECT {fn CONCAT(}",
                          "--(*vendor(Microsoft),product(ODBC) fn", "SELECT ?::"}) {
    st.Close();
    SQLRETURN rc = st.Exec(sql);
    EXPECT_TRUE(rc == SQL_ERROR || SQL_SUCCEEDED(rc) || rc == SQL_NO_DATA || rc == SQL_NEED_DATA)
        << sql << " rc=" << rc;
    if (rc == SQL_ERROR) EXPECT_EQ(st.state().size(), 5u) << sql;
  }
  // A 1 MB statement.
  std::string big = "SELECT length('" + std::string(1 << 20, 'x') + "')";
  EXPECT_EQ(st.Scalar(big), std::to_string(1 << 20));
  // An explicit length that stops before the end (the rest is not part of the statement).
  st.Close();
  const char text[] = "SELECT 42; this is garbage";
  ASSERT_EQ(SQLExecDirect(st.h(), (SQLCHAR*)text, 9), SQL_SUCCESS) << st.diag();
  ASSERT_EQ(SQLFetch(st.h()), SQL_SUCCESS);
  EXPECT_EQ(st.Str(1), "42");
}

TEST_F(Abuse, CancelWhenIdleAndFromAnotherThread) {
  Stmt st(c_);
  EXPECT_EQ(SQLCancel(st.h()), SQL_SUCCESS);  // nothing running: no effect
  std::thread t([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    SQLCancel(st.h());
  });
  SQLRETURN rc = st.Exec("SELECT pg_sleep(10)");
  t.join();
  EXPECT_EQ(rc, SQL_ERROR);
  EXPECT_TRUE(st.state() == "HY008" || st.state() == "57014") << st.diag();
  EXPECT_EQ(Scalar("SELECT 1"), "1");
}

TEST_F(Abuse, EndTranOnStatementHandleType) {
  EXPECT_NE(SQLEndTran(SQL_HANDLE_STMT, dbc(), SQL_COMMIT), SQL_SUCCESS);
}

}  // namespace
}  // namespace lakebase::conformance

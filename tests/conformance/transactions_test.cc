// ODBC "Transactions": autocommit, SQLEndTran, isolation levels, read-only access mode, and an
// error inside a manual-commit transaction (PostgreSQL's aborted state, 25P02, reported as such).
#include "tests/conformance/conformance.h"

namespace lakebase::conformance {
namespace {

class Transactions : public ConformanceTest {
 protected:
  void SetUp() override {
    ConformanceTest::SetUp();
    Run("DROP TABLE IF EXISTS conf_txn");
    Run("CREATE TABLE conf_txn (id int PRIMARY KEY)");
    ASSERT_TRUE(SQL_SUCCEEDED(other_.DriverConnect(ConnStr()))) << other_.diag();
  }
  void TearDown() override {
    SQLSetConnectAttr(dbc(), SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_ON, 0);
    Run("DROP TABLE IF EXISTS conf_txn");
  }
  void Manual() {
    ASSERT_EQ(SQLSetConnectAttr(dbc(), SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0),
              SQL_SUCCESS)
        << c_.diag();
  }
  std::string Seen() {  // what another connection sees
    Stmt st(other_);
    return st.Scalar("SELECT count(*) FROM conf_txn");
  }
  Connection other_;
};

TEST_F(Transactions, AutocommitCommitsEachStatement) {
  Run("INSERT INTO conf_txn VALUES (1)");
  EXPECT_EQ(Seen(), "1");
  // SQLEndTran in autocommit mode: nothing to do, SQL_SUCCESS.
  EXPECT_EQ(SQLEndTran(SQL_HANDLE_DBC, dbc(), SQL_ROLLBACK), SQL_SUCCESS);
  EXPECT_EQ(Seen(), "1");
}

TEST_F(Transactions, ManualCommitAndRollback) {
  Manual();
  Run("INSERT INTO conf_txn VALUES (1)");
  EXPECT_EQ(Seen(), "0");
  EXPECT_EQ(Scalar("SELECT count(*) FROM conf_txn"), "1");
  ASSERT_EQ(SQLEndTran(SQL_HANDLE_DBC, dbc(), SQL_ROLLBACK), SQL_SUCCESS) << c_.diag();
  EXPECT_EQ(Scalar("SELECT count(*) FROM conf_txn"), "0");
  Run("INSERT INTO conf_txn VALUES (2)");
  ASSERT_EQ(SQLEndTran(SQL_HANDLE_DBC, dbc(), SQL_COMMIT), SQL_SUCCESS) << c_.diag();
  EXPECT_EQ(Seen(), "1");
  // The environment form ends the transactions of every connection.
  Run("INSERT INTO conf_txn VALUES (3)");
  ASSERT_EQ(SQLEndTran(SQL_HANDLE_ENV, c_.env(), SQL_COMMIT), SQL_SUCCESS);
  EXPECT_EQ(Seen(), "2");
}

TEST_F(Transactions, SwitchingAutocommitOnCommits) {
  // SQLSetConnectAttr(SQL_ATTR_AUTOCOMMIT): turning it on commits the open transaction.
  Manual();
  Run("INSERT INTO conf_txn VALUES (1)");
  ASSERT_EQ(SQLSetConnectAttr(dbc(), SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_ON, 0),
            SQL_SUCCESS);
  EXPECT_EQ(Seen(), "1");
}

TEST_F(Transactions, InvalidCompletionTypeIsHY012) {
  EXPECT_EQ(SQLEndTran(SQL_HANDLE_DBC, dbc(), 7), SQL_ERROR);
  EXPECT_EQ(States(SQL_HANDLE_DBC, dbc()), "HY012");
}

TEST_F(Transactions, IsolationLevelsReachTheServer) {
  const std::pair<SQLUINTEGER, const char*> levels[] = {
      {SQL_TXN_SERIALIZABLE, "serializable"},
      {SQL_TXN_REPEATABLE_READ, "repeatable read"},
      {SQL_TXN_READ_COMMITTED, "read committed"},
      {SQL_TXN_READ_UNCOMMITTED, "read uncommitted"}};
  Manual();
  for (auto [level, name] : levels) {
    ASSERT_EQ(SQLSetConnectAttr(dbc(), SQL_ATTR_TXN_ISOLATION, (SQLPOINTER)(uintptr_t)level, 0),
              SQL_SUCCESS)
        << c_.diag();
    EXPECT_EQ(Scalar("SHOW transaction_isolation"), name);  // inside the new transaction
    ASSERT_EQ(SQLEndTran(SQL_HANDLE_DBC, dbc(), SQL_COMMIT), SQL_SUCCESS);
  }
}

TEST_F(Transactions, IsolationCannotChangeInsideATransaction) {
  // SQLSetConnectAttr: HY011 for SQL_ATTR_TXN_ISOLATION while a transaction is open.
  Manual();
  Run("INSERT INTO conf_txn VALUES (1)");
  EXPECT_EQ(SQLSetConnectAttr(dbc(), SQL_ATTR_TXN_ISOLATION, (SQLPOINTER)SQL_TXN_SERIALIZABLE, 0),
            SQL_ERROR);
  EXPECT_EQ(States(SQL_HANDLE_DBC, dbc()), "HY011");
  SQLEndTran(SQL_HANDLE_DBC, dbc(), SQL_ROLLBACK);
}

TEST_F(Transactions, ReadOnlyAccessMode) {
  ASSERT_EQ(SQLSetConnectAttr(dbc(), SQL_ATTR_ACCESS_MODE, (SQLPOINTER)SQL_MODE_READ_ONLY, 0),
            SQL_SUCCESS);
  Stmt st(c_);
  EXPECT_EQ(st.Exec("INSERT INTO conf_txn VALUES (1)"), SQL_ERROR);
  EXPECT_EQ(st.state(), "25006");                           // read_only_sql_transaction
  EXPECT_EQ(Scalar("SELECT count(*) FROM conf_txn"), "0");  // reading is fine
  ASSERT_EQ(SQLSetConnectAttr(dbc(), SQL_ATTR_ACCESS_MODE, (SQLPOINTER)SQL_MODE_READ_WRITE, 0),
            SQL_SUCCESS);
  Stmt st2(c_);
  EXPECT_EQ(st2.Exec("INSERT INTO conf_txn VALUES (1)"), SQL_SUCCESS) << st2.diag();
}

TEST_F(Transactions, ReadOnlyAlsoInManualCommitMode) {
  Manual();
  ASSERT_EQ(SQLSetConnectAttr(dbc(), SQL_ATTR_ACCESS_MODE, (SQLPOINTER)SQL_MODE_READ_ONLY, 0),
            SQL_SUCCESS);
  Stmt st(c_);
  EXPECT_EQ(st.Exec("INSERT INTO conf_txn VALUES (1)"), SQL_ERROR);
  EXPECT_EQ(st.state(), "25006");
  SQLEndTran(SQL_HANDLE_DBC, dbc(), SQL_ROLLBACK);
  ASSERT_EQ(SQLSetConnectAttr(dbc(), SQL_ATTR_ACCESS_MODE, (SQLPOINTER)SQL_MODE_READ_WRITE, 0),
            SQL_SUCCESS);
}

TEST_F(Transactions, ErrorInsideManualTransactionAbortsIt) {
  Manual();
  Run("INSERT INTO conf_txn VALUES (1)");
  Stmt st(c_);
  EXPECT_EQ(st.Exec("INSERT INTO conf_txn VALUES (1)"), SQL_ERROR);
  EXPECT_EQ(st.state(), "23505");
  // PostgreSQL now refuses everything but ROLLBACK, and the diagnostics say so.
  EXPECT_EQ(st.Exec("SELECT 1"), SQL_ERROR);
  EXPECT_EQ(st.state(), "25P02");
  EXPECT_NE(st.diag().find("current transaction is aborted"), std::string::npos) << st.diag();
  // A commit cannot commit it: the work is rolled back and SQLEndTran does not report success.
  SQLRETURN rc = SQLEndTran(SQL_HANDLE_DBC, dbc(), SQL_COMMIT);
  EXPECT_NE(rc, SQL_SUCCESS);
  EXPECT_EQ(Seen(), "0");
  // The connection is usable again.
  Run("INSERT INTO conf_txn VALUES (5)");
  ASSERT_EQ(SQLEndTran(SQL_HANDLE_DBC, dbc(), SQL_COMMIT), SQL_SUCCESS);
  EXPECT_EQ(Seen(), "1");
}

TEST_F(Transactions, RollbackAfterErrorRecovers) {
  Manual();
  Stmt st(c_);
  EXPECT_EQ(st.Exec("SELECT 1/0"), SQL_ERROR);
  EXPECT_EQ(st.state(), "22012");
  ASSERT_EQ(SQLEndTran(SQL_HANDLE_DBC, dbc(), SQL_ROLLBACK), SQL_SUCCESS);
  EXPECT_EQ(Scalar("SELECT 2"), "2");
}

TEST_F(Transactions, ErrorInAutocommitDoesNotPoisonTheNext) {
  Stmt st(c_);
  EXPECT_EQ(st.Exec("SELECT 1/0"), SQL_ERROR);
  EXPECT_EQ(Scalar("SELECT 3"), "3");
}

TEST_F(Transactions, DisconnectWithOpenTransactionLeavesNothingCommitted) {
  {
    Connection c;
    ASSERT_TRUE(SQL_SUCCEEDED(c.DriverConnect(ConnStr())));
    SQLSetConnectAttr(c.dbc(), SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0);
    c.Exec("INSERT INTO conf_txn VALUES (9)");
    // SQLDisconnect with an open transaction: 25000, or the driver rolls back; never a commit.
    SQLRETURN rc = SQLDisconnect(c.dbc());
    if (rc == SQL_ERROR) {
      EXPECT_EQ(States(SQL_HANDLE_DBC, c.dbc()), "25000");
      SQLEndTran(SQL_HANDLE_DBC, c.dbc(), SQL_ROLLBACK);
    }
  }
  EXPECT_EQ(Seen(), "0");
}

}  // namespace
}  // namespace lakebase::conformance

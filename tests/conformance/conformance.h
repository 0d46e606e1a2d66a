// Shared helpers of the ODBC conformance suite. Every expectation in this directory comes from
// the ODBC 3.8 specification (function reference pages, appendix D conversions, appendix E
// scalar functions); where the driver does not yet do what the spec says, the test is kept as
// the spec says and disabled with a "KNOWN:" line naming the bug.
#pragma once

#include <gtest/gtest.h>
#include <sql.h>
#include <sqlext.h>
#include <sqlucode.h>

#include <cstring>
#include <string>
#include <vector>

#include "tests/integration/rig_env.h"

namespace lakebase::conformance {

using lakebase::testing::BaseConnectionString;
using lakebase::testing::Connection;
using lakebase::testing::Env;

inline std::string ConnStr() {
  return BaseConnectionString() + "Token=" + Env("LBRIG_ALICE_PAT") + ";";
}

// Every SQLSTATE posted on a handle, in record order, joined by ','.
inline std::string States(SQLSMALLINT type, SQLHANDLE h) {
  std::string out;
  for (SQLSMALLINT i = 1;; ++i) {
    SQLCHAR state[6] = {0}, msg[2048];
    SQLINTEGER native = 0;
    SQLSMALLINT len = 0;
    if (!SQL_SUCCEEDED(SQLGetDiagRec(type, h, i, state, &native, msg, sizeof msg, &len))) break;
    if (!out.empty()) out += ",";
    out += reinterpret_cast<char*>(state);
  }
  return out;
}

inline std::string Messages(SQLSMALLINT type, SQLHANDLE h) {
  return lakebase::testing::Diag(type, h);
}

// An owned statement with the usual one-liners.
class Stmt {
 public:
  explicit Stmt(const Connection& c) { SQLAllocHandle(SQL_HANDLE_STMT, c.dbc(), &h_); }
  explicit Stmt(SQLHDBC dbc) { SQLAllocHandle(SQL_HANDLE_STMT, dbc, &h_); }
  ~Stmt() {
    if (h_ != SQL_NULL_HSTMT) SQLFreeHandle(SQL_HANDLE_STMT, h_);
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  SQLHSTMT h() const { return h_; }
  void Release() { h_ = SQL_NULL_HSTMT; }

  SQLRETURN Exec(const std::string& sql) {
    return SQLExecDirect(h_, (SQLCHAR*)sql.c_str(), static_cast<SQLINTEGER>(sql.size()));
  }
  SQLRETURN Prepare(const std::string& sql) {
    return SQLPrepare(h_, (SQLCHAR*)sql.c_str(), static_cast<SQLINTEGER>(sql.size()));
  }
  SQLRETURN Close() { return SQLFreeStmt(h_, SQL_CLOSE); }
  std::string diag() const { return Messages(SQL_HANDLE_STMT, h_); }
  std::string states() const { return States(SQL_HANDLE_STMT, h_); }
  std::string state() const { return lakebase::testing::FirstState(SQL_HANDLE_STMT, h_); }

  // Column `col` of the current row as text; "<null>" for NULL; "<error STATE>" on failure.
  std::string Str(SQLUSMALLINT col) {
    std::string out;
    char buf[4096];
    SQLLEN ind = 0;
    for (;;) {
      SQLRETURN rc = SQLGetData(h_, col, SQL_C_CHAR, buf, sizeof buf, &ind);
      if (rc == SQL_NO_DATA) break;
      if (!SQL_SUCCEEDED(rc)) return "<error " + state() + ">";
      if (ind == SQL_NULL_DATA) return "<null>";
      if (rc == SQL_SUCCESS) {
        out += buf;
        break;
      }
      out += buf;  // 01004: a part
    }
    return out;
  }
  // Executes, fetches the first row and returns column 1 as text ("<no row>" when empty).
  std::string Scalar(const std::string& sql) {
    Close();
    SQLRETURN rc = Exec(sql);
    if (!SQL_SUCCEEDED(rc)) return "<exec error " + states() + ">";
    rc = SQLFetch(h_);
    if (rc == SQL_NO_DATA) return "<no row>";
    if (!SQL_SUCCEEDED(rc)) return "<fetch error " + states() + ">";
    std::string v = Str(1);
    Close();
    return v;
  }

 private:
  SQLHSTMT h_ = SQL_NULL_HSTMT;
};

// A test with one connection as alice (autocommit on, ODBC 3 environment).
class ConformanceTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(SQL_SUCCEEDED(c_.DriverConnect(ConnStr()))) << c_.diag(); }
  SQLHDBC dbc() const { return c_.dbc(); }
  std::string Scalar(const std::string& sql) {
    Stmt s(c_);
    return s.Scalar(sql);
  }
  // Runs a statement that must succeed (SQL_NO_DATA allowed for DML that touches nothing).
  void Run(const std::string& sql) {
    Stmt s(c_);
    SQLRETURN rc = s.Exec(sql);
    ASSERT_TRUE(SQL_SUCCEEDED(rc) || rc == SQL_NO_DATA) << sql << ": " << s.diag();
  }
  Connection c_;
};

inline std::u16string U16(const std::string& ascii) {
  return std::u16string(ascii.begin(), ascii.end());
}

}  // namespace lakebase::conformance

#define EXPECT_RC(expected, rc, why) EXPECT_EQ((rc), (expected)) << why

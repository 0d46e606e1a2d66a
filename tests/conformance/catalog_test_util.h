// Helpers for the catalog-function conformance tests (ODBC 3.8 "Catalog Functions"): a schema
// of our own per process, result-set readers, and the spec's result-set layouts.
#pragma once

#include <gtest/gtest.h>
#include <sql.h>
#include <sqlext.h>
#include <sqlucode.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <string>
#include <vector>

#include "tests/integration/rig_env.h"

namespace lakebase::testing::catalog {

using Row = std::vector<std::string>;
inline constexpr const char* kNull = "<null>";

// Every row of the current result set as text (SQL_C_CHAR); NULL as "<null>".
inline std::vector<Row> FetchAll(SQLHSTMT h) {
  std::vector<Row> rows;
  SQLSMALLINT ncols = 0;
  SQLNumResultCols(h, &ncols);
  for (;;) {
    SQLRETURN rc = SQLFetch(h);
    if (rc == SQL_NO_DATA) break;
    if (!SQL_SUCCEEDED(rc)) {
      ADD_FAILURE() << "SQLFetch: " << Diag(SQL_HANDLE_STMT, h);
      break;
    }
    Row row;
    for (SQLSMALLINT c = 1; c <= ncols; ++c) {
      char buf[4096];
      SQLLEN ind = 0;
      rc = SQLGetData(h, c, SQL_C_CHAR, buf, sizeof buf, &ind);
      EXPECT_TRUE(SQL_SUCCEEDED(rc)) << Diag(SQL_HANDLE_STMT, h);
      row.push_back(ind == SQL_NULL_DATA ? kNull : std::string(buf));
    }
    rows.push_back(std::move(row));
  }
  SQLCloseCursor(h);
  return rows;
}

// Selected columns of every row (0-based indexes).
inline std::vector<Row> Project(const std::vector<Row>& rows, std::vector<int> cols) {
  std::vector<Row> out;
  for (const auto& r : rows) {
    Row p;
    for (int c : cols) p.push_back(r.at(c));
    out.push_back(std::move(p));
  }
  return out;
}

// The spec's result-set layout: "NAME:K" with K = S (SQL_SMALLINT), I (SQL_INTEGER), V (a
// character type: the spec's Varchar, reported by a Unicode driver as SQL_WVARCHAR), C (char).
inline void ExpectLayout(SQLHSTMT h, const std::vector<std::string>& layout) {
  SQLSMALLINT ncols = 0;
  ASSERT_ODBC_OK(SQLNumResultCols(h, &ncols), Diag(SQL_HANDLE_STMT, h));
  ASSERT_EQ(ncols, static_cast<SQLSMALLINT>(layout.size()));
  for (SQLSMALLINT i = 1; i <= ncols; ++i) {
    SQLCHAR name[256];
    SQLSMALLINT name_len = 0, type = 0, digits = 0, nullable = 0;
    SQLULEN size = 0;
    ASSERT_ODBC_OK(
        SQLDescribeCol(h, i, name, sizeof name, &name_len, &type, &size, &digits, &nullable),
        Diag(SQL_HANDLE_STMT, h));
    const std::string& want = layout[i - 1];
    std::string want_name = want.substr(0, want.find(':'));
    char kind = want.back();
    EXPECT_EQ(std::string(reinterpret_cast<char*>(name)), want_name) << "column " << i;
    switch (kind) {
      case 'S':
        EXPECT_EQ(type, SQL_SMALLINT) << want_name;
        break;
      case 'I':
        EXPECT_EQ(type, SQL_INTEGER) << want_name;
        break;
      case 'V':
        EXPECT_TRUE(type == SQL_VARCHAR || type == SQL_WVARCHAR) << want_name << " " << type;
        break;
      case 'C':
        EXPECT_TRUE(type == SQL_CHAR || type == SQL_WCHAR) << want_name << " " << type;
        break;
    }
  }
}

// ASCII to SQLWCHAR (UTF-16) for the W entry points.
class W {
 public:
  explicit W(const std::string& s) {
    for (unsigned char c : s) w_.push_back(c);
    w_.push_back(0);
  }
  SQLWCHAR* p() { return w_.data(); }

 private:
  std::vector<SQLWCHAR> w_;
};

inline SQLCHAR* A(const std::string& s) {
  return reinterpret_cast<SQLCHAR*>(const_cast<char*>(s.c_str()));
}

// Runs SQL as the rig's superuser (psql over the socket): creating a schema needs CREATE on the
// database, which the Databricks identities do not have.
inline void AdminSql(const std::string& sql) {
  std::string cmd = Env("LBRIG_PSQL") + " -q -v ON_ERROR_STOP=1 -c \"" + sql + "\" >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << sql;
}

}  // namespace lakebase::testing::catalog

namespace lakebase::testing::catalog {

// A connection as alice and a schema of this process (owned by alice), dropped at the end.
class CatalogTest : public ::testing::Test {
 protected:
  // `suffix` keeps the schemas of several suites apart; `ddl` runs as alice.
  static void CreateSchema(const std::string& suffix, const std::vector<std::string>& ddl) {
    schema_ = "lbcat_" + std::to_string(getpid()) + "_" + suffix;
    AdminSql("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE; CREATE SCHEMA " + schema_ +
             " AUTHORIZATION \\\"" + Env("LBRIG_ALICE") + "\\\"");
    Connection c;
    ASSERT_ODBC_OK(c.DriverConnect(BaseConnectionString() + "Token=" + Env("LBRIG_ALICE_PAT")),
                   c.diag());
    for (const auto& sql : ddl) c.Exec(Replace(sql));
  }
  static void DropSchema() { AdminSql("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE"); }
  // "S." in a statement stands for the schema.
  static std::string Replace(std::string sql) {
    for (size_t at = 0; (at = sql.find("S.", at)) != std::string::npos;) {
      if (at > 0 && (std::isalnum(static_cast<unsigned char>(sql[at - 1])) || sql[at - 1] == '_')) {
        at += 2;
        continue;
      }
      sql.replace(at, 2, schema_ + ".");
      at += schema_.size() + 1;
    }
    return sql;
  }

  void SetUp() override {
    ASSERT_ODBC_OK(c_.DriverConnect(BaseConnectionString() + "Token=" + Env("LBRIG_ALICE_PAT")),
                   c_.diag());
  }

  Connection c_;
  static inline std::string schema_;
};

}  // namespace lakebase::testing::catalog

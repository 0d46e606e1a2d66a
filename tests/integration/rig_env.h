// Test support for the integration tests: the rig, an ODBC configuration of our own, and small
// RAII wrappers over the ODBC API (through unixODBC's driver manager).
#pragma once

#include <sql.h>
#include <sqlext.h>

#include <string>
#include <vector>

namespace lakebase::testing {

std::string Env(const char* name);  // "" when unset
// The connection string prefix every test starts from: workspace, endpoint, port, CA files and
// trace logging into the suite's log file. No credentials.
std::string BaseConnectionString();
std::string LogFilePath();
// Mint counters of the emulator, by Postgres user.
int Mints(const std::string& user);
// Runs `rigclient.py ARGS` (expire USER, fault ..., reset).
void RigClient(const std::string& args);
// Every diagnostic record of a handle: "SQLSTATE message" lines.
std::string Diag(SQLSMALLINT type, SQLHANDLE handle);
std::string FirstState(SQLSMALLINT type, SQLHANDLE handle);

class Connection {
 public:
  Connection();
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  SQLRETURN DriverConnect(const std::string& connection_string, std::string* out = nullptr);
  SQLRETURN Connect(const std::string& dsn, const std::string& uid = "",
                    const std::string& pwd = "");
  SQLHDBC dbc() const { return dbc_; }
  SQLHENV env() const { return env_; }
  std::string diag() const { return Diag(SQL_HANDLE_DBC, dbc_); }
  // Runs SQL and returns the first column of the first row as text ("" for none; NULL -> "<null>").
  std::string Scalar(const std::string& sql);
  void Exec(const std::string& sql);  // fails the test on error

 private:
  SQLHENV env_ = SQL_NULL_HENV;
  SQLHDBC dbc_ = SQL_NULL_HDBC;
  bool connected_ = false;
};

class Statement {
 public:
  explicit Statement(const Connection& c);
  ~Statement();
  SQLHSTMT h() const { return stmt_; }
  std::string diag() const { return Diag(SQL_HANDLE_STMT, stmt_); }

 private:
  SQLHSTMT stmt_ = SQL_NULL_HSTMT;
};

// Every minted database token so far (the rig's token files).
std::vector<std::string> MintedTokens();
std::string ReadFile(const std::string& path);

}  // namespace lakebase::testing

#define ASSERT_ODBC_OK(rc, what) ASSERT_TRUE(SQL_SUCCEEDED(rc)) << "rc=" << (rc) << " " << (what)
#define EXPECT_ODBC_OK(rc, what) EXPECT_TRUE(SQL_SUCCEEDED(rc)) << "rc=" << (rc) << " " << (what)

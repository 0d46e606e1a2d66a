// The connection pool through unixODBC: what one logical connection leaves behind is invisible
// to the next, the pool holds its size under contention, and it survives a restarted or sleeping
// server (issue 4 acceptance).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <set>
#include <thread>
#include <vector>

#include "tests/integration/rig_env.h"

namespace lakebase::testing {
namespace {

std::string PooledAlice(const std::string& app, const std::string& extra = "") {
  return BaseConnectionString() + "Token=" + Env("LBRIG_ALICE_PAT") + ";ApplicationName=" + app +
         ";" + extra;
}

// Stops/starts PostgreSQL through the rig's control API (it knows where the server's files are
// and which user runs it): "suspend" is scale-to-zero, "resume" brings it back.
void RigPg(const std::string& action) { RigClient(action); }

int Backends(Connection& admin, const std::string& app) {
  return std::atoi(
      admin.Scalar("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + app + "'")
          .c_str());
}

TEST(Pool, NothingLeaksToTheNextLogicalConnection) {
  const std::string cs = PooledAlice("pool-leak", "PoolMaxSize=1;");
  std::string pid;
  {
    Connection c;
    ASSERT_ODBC_OK(c.DriverConnect(cs), c.diag());
    pid = c.Scalar("SELECT pg_backend_pid()");
    c.Exec("SET TIME ZONE 'Asia/Tokyo'");
    c.Exec("SET search_path = pg_catalog");
    c.Exec("CREATE TEMP TABLE leak_me (x int)");
    c.Exec("PREPARE leak_stmt AS SELECT 1");
    c.Exec("SELECT pg_advisory_lock(4242)");
    c.Exec("LISTEN leak_channel");
    ASSERT_ODBC_OK(SQLSetConnectAttr(c.dbc(), SQL_ATTR_AUTOCOMMIT,
                                     reinterpret_cast<SQLPOINTER>(SQL_AUTOCOMMIT_OFF), 0),
                   c.diag());
    c.Exec("CREATE TABLE public.pool_uncommitted_" + pid + " (x int)");
  }
  Connection c;
  ASSERT_ODBC_OK(c.DriverConnect(cs), c.diag());
  // The same physical session came back (PoolMaxSize=1) ...
  EXPECT_EQ(c.Scalar("SELECT pg_backend_pid()"), pid);
  // ... and nothing of the previous user is in it.
  EXPECT_NE(c.Scalar("SHOW TIME ZONE"), "Asia/Tokyo");
  EXPECT_NE(c.Scalar("SHOW search_path"), "pg_catalog");
  EXPECT_EQ(c.Scalar("SELECT count(*) FROM pg_class WHERE relname = 'leak_me' AND "
                     "relnamespace = pg_my_temp_schema()"),
            "0");
  EXPECT_EQ(c.Scalar("SELECT count(*) FROM pg_prepared_statements WHERE name = 'leak_stmt'"), "0");
  EXPECT_EQ(c.Scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = "
                     "pg_backend_pid()"),
            "0");
  EXPECT_EQ(c.Scalar("SELECT count(*) FROM pg_listening_channels()"), "0");
  EXPECT_EQ(
      c.Scalar("SELECT count(*) FROM pg_class WHERE relname = 'pool_uncommitted_" + pid + "'"),
      "0");
  EXPECT_EQ(c.Scalar("SELECT current_setting('transaction_read_only')"), "off");
}

TEST(Pool, PostgresRestartedWhileSessionsIdle) {
  const std::string cs = PooledAlice("pool-restart");
  std::string before;
  {
    Connection c;
    ASSERT_ODBC_OK(c.DriverConnect(cs), c.diag());
    before = c.Scalar("SELECT pg_backend_pid()");
  }
  RigPg("suspend");
  RigPg("resume");
  for (int i = 0; i < 3; ++i) {
    Connection c;
    ASSERT_ODBC_OK(c.DriverConnect(cs), c.diag());
    EXPECT_EQ(c.Scalar("SELECT 1"), "1");
    EXPECT_NE(c.Scalar("SELECT pg_backend_pid()"), before);
  }
}

TEST(Pool, ConnectWaitsForAServerThatIsWakingUp) {
  // Scale-to-zero: the endpoint refuses connections for a few seconds, then accepts.
  const std::string cs = PooledAlice("pool-wake", "Pooling=0;ConnectTimeout=20;");
  // Suspended now, back by itself in 3 s.
  RigClient("suspend --seconds 3");
  std::thread waker([] {});
  Connection c;
  auto t0 = std::chrono::steady_clock::now();
  SQLRETURN rc = c.DriverConnect(cs);
  auto waited = std::chrono::steady_clock::now() - t0;
  waker.join();
  ASSERT_ODBC_OK(rc, c.diag());
  EXPECT_EQ(c.Scalar("SELECT 1"), "1");
  EXPECT_GE(waited, std::chrono::seconds(2));
}

TEST(Pool, SessionPastMaxLifetimeIsReplacedWithAFreshToken) {
  const std::string app = "pool-lifetime";
  const std::string cs = PooledAlice(app, "PoolMaxLifetime=2;");
  std::string first;
  {
    Connection c;
    ASSERT_ODBC_OK(c.DriverConnect(cs), c.diag());
    first = c.Scalar("SELECT pg_backend_pid()");
  }
  // Every token alice holds is now refused: the replacement session needs a fresh mint.
  RigClient("expire " + Env("LBRIG_ALICE"));
  int mints = Mints(Env("LBRIG_ALICE"));
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  Connection c;
  ASSERT_ODBC_OK(c.DriverConnect(cs), c.diag());
  EXPECT_NE(c.Scalar("SELECT pg_backend_pid()"), first);
  EXPECT_EQ(Mints(Env("LBRIG_ALICE")), mints + 1);
}

TEST(Pool, ConnectionDeadAnswersWithoutARoundTrip) {
  Connection c;
  ASSERT_ODBC_OK(c.DriverConnect(PooledAlice("pool-dead")), c.diag());
  SQLUINTEGER dead = 99;
  ASSERT_ODBC_OK(SQLGetConnectAttr(c.dbc(), SQL_ATTR_CONNECTION_DEAD, &dead, 0, nullptr), c.diag());
  EXPECT_EQ(dead, static_cast<SQLUINTEGER>(SQL_CD_FALSE));
}

TEST(Pool, AFullPoolTimesOutWithHYT00) {
  const std::string cs = PooledAlice("pool-full", "PoolMaxSize=1;ConnectTimeout=1;");
  Connection holder;
  ASSERT_ODBC_OK(holder.DriverConnect(cs), holder.diag());
  Connection c;
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(c.DriverConnect(cs), SQL_ERROR);
  EXPECT_EQ(FirstState(SQL_HANDLE_DBC, c.dbc()), "HYT00") << c.diag();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(3));
}

}  // namespace
}  // namespace lakebase::testing

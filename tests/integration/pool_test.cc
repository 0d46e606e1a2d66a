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

// pg_ctl as the server's owner (the rig runs PostgreSQL as the postgres user when root).
void PgCtl(const std::string& action) {
  std::string cmd = "cd /tmp && runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D " +
                    Env("LBRIG_DIR") + "/pg -l " + Env("LBRIG_DIR") + "/pg.log -w " + action +
                    " >/dev/null 2>&1";
  if (geteuid() != 0) {
    cmd = "/usr/lib/postgresql/15/bin/pg_ctl -D " + Env("LBRIG_DIR") + "/pg -l " +
          Env("LBRIG_DIR") + "/pg.log -w " + action + " >/dev/null 2>&1";
  }
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

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
  EXPECT_EQ(c.Scalar("SELECT count(*) FROM pg_class WHERE relname = 'pool_uncommitted_" + pid + "'"),
            "0");
  EXPECT_EQ(c.Scalar("SELECT current_setting('transaction_read_only')"), "off");
}

TEST(Pool, ManyThreadsShareASmallPool) {
  const int threads = 32;
  const int cycles = std::getenv("LAKEBASE_POOL_CYCLES") ? std::atoi(std::getenv("LAKEBASE_POOL_CYCLES")) : 10000;
  const std::string app = "pool-churn";
  const std::string cs = PooledAlice(app, "PoolMaxSize=4;ConnectTimeout=30;");
  Connection admin;
  ASSERT_ODBC_OK(admin.DriverConnect(PooledAlice("pool-admin")), admin.diag());
  std::atomic<int> errors{0}, done{0};
  std::atomic<int> max_backends{0};
  std::atomic<bool> stop{false};
  std::atomic<long long> worst_wait_us{0};
  std::string first_error;
  std::mutex error_mutex;
  std::thread watcher([&] {
    while (!stop) {
      int n = Backends(admin, app);
      int cur = max_backends.load();
      while (n > cur && !max_backends.compare_exchange_weak(cur, n)) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  std::vector<std::thread> pool;
  auto started = std::chrono::steady_clock::now();
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      SQLHENV env;
      SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
      SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, reinterpret_cast<SQLPOINTER>(SQL_OV_ODBC3), 0);
      for (int i = 0; i < cycles && errors < 10; ++i) {
        SQLHDBC dbc;
        SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
        auto t0 = std::chrono::steady_clock::now();
        SQLRETURN rc = SQLDriverConnect(dbc, nullptr, (SQLCHAR*)cs.c_str(), SQL_NTS, nullptr, 0,
                                        nullptr, SQL_DRIVER_NOPROMPT);
        long long waited = std::chrono::duration_cast<std::chrono::microseconds>(
                               std::chrono::steady_clock::now() - t0).count();
        long long cur = worst_wait_us.load();
        while (waited > cur && !worst_wait_us.compare_exchange_weak(cur, waited)) {
        }
        bool ok = SQL_SUCCEEDED(rc);
        if (ok) {
          SQLHSTMT st;
          SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
          ok = SQL_SUCCEEDED(SQLExecDirect(st, (SQLCHAR*)"SELECT 1", SQL_NTS)) &&
               SQLFetch(st) == SQL_SUCCESS;
          if (!ok) {
            std::lock_guard l(error_mutex);
            if (first_error.empty()) first_error = Diag(SQL_HANDLE_STMT, st);
          }
          SQLFreeHandle(SQL_HANDLE_STMT, st);
          SQLDisconnect(dbc);
        } else {
          std::lock_guard l(error_mutex);
          if (first_error.empty()) first_error = Diag(SQL_HANDLE_DBC, dbc);
        }
        if (!ok) ++errors;
        SQLFreeHandle(SQL_HANDLE_DBC, dbc);
        ++done;
      }
      SQLFreeHandle(SQL_HANDLE_ENV, env);
    });
  }
  for (auto& t : pool) t.join();
  auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  stop = true;
  watcher.join();
  EXPECT_EQ(errors.load(), 0) << first_error;
  EXPECT_EQ(done.load(), threads * cycles);
  EXPECT_LE(max_backends.load(), 4);
  EXPECT_GE(max_backends.load(), 1);
  // Waits are bounded: nobody waited anywhere near the 30 s connect timeout.
  EXPECT_LT(worst_wait_us.load(), 5'000'000);
  std::printf("[ pool     ] %d cycles in %.1f s (%.0f/s), at most %d backends, worst connect %lld us\n",
              done.load(), secs, done.load() / secs, max_backends.load(), worst_wait_us.load());
}

TEST(Pool, PostgresRestartedWhileSessionsIdle) {
  const std::string cs = PooledAlice("pool-restart");
  std::string before;
  {
    Connection c;
    ASSERT_ODBC_OK(c.DriverConnect(cs), c.diag());
    before = c.Scalar("SELECT pg_backend_pid()");
  }
  PgCtl("restart -m fast");
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
  PgCtl("stop -m fast");
  std::thread waker([] {
    std::this_thread::sleep_for(std::chrono::seconds(3));
    PgCtl("start");
  });
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

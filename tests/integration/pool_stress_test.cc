// The pool under contention (issue 4): 32 threads x LAKEBASE_POOL_CYCLES (default 10,000)
// connect/query/disconnect cycles against PoolMaxSize=4. Its own process, without trace logging
// (the log level is process-wide), so the measurement is of the pool, not of the log file.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include "tests/integration/rig_env.h"

namespace lakebase::testing {
namespace {

int Backends(Connection& admin, const std::string& app) {
  return std::atoi(
      admin.Scalar("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + app + "'")
          .c_str());
}

std::string Untraced(const std::string& app, const std::string& extra) {
  return "Driver=Lakebase;Workspace=" + Env("LBRIG_WORKSPACE") +
         ";Endpoint=" + Env("LBRIG_ENDPOINT") + ";Port=" + Env("LBRIG_PG_PORT") +
         ";SSLRootCert=" + Env("LBRIG_CA_FILE") + ";WorkspaceCAFile=" + Env("LBRIG_CA_FILE") +
         ";Token=" + Env("LBRIG_ALICE_PAT") + ";ApplicationName=" + app + ";" + extra;
}

TEST(Pool, ManyThreadsShareASmallPool) {
  const int threads = 32;
  const int cycles =
      std::getenv("LAKEBASE_POOL_CYCLES") ? std::atoi(std::getenv("LAKEBASE_POOL_CYCLES")) : 10000;
  const std::string app = "pool-churn";
  const std::string cs = Untraced(app, "PoolMaxSize=4;ConnectTimeout=30;");
  Connection admin;
  ASSERT_ODBC_OK(admin.DriverConnect(Untraced("pool-admin", "")), admin.diag());
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
                               std::chrono::steady_clock::now() - t0)
                               .count();
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
  std::printf(
      "[ pool     ] %d cycles in %.1f s (%.0f/s), at most %d backends, worst connect %lld us\n",
      done.load(), secs, done.load() / secs, max_backends.load(), worst_wait_us.load());
}

}  // namespace
}  // namespace lakebase::testing

// lakebase_bench SCENARIO MODE TARGET [options]
//   SCENARIO: fetch | getdata | churn | point | insert
//   MODE:     odbc (TARGET is an ODBC connection string) | libpq (TARGET is a libpq conninfo)
//   options:  --rows N (fetch/insert), --seconds S (churn/point), --array N (row/param array size)
// Prints one line of JSON: {"scenario", "mode", "ops", "seconds", "rate", "peak_rss_kib", ...}.
// A benchmark, not a test: bench/run.sh runs it side by side for each target and reports ratios.
#include <libpq-fe.h>
#include <sql.h>
#include <sqlext.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string scenario, mode, target;
  long rows = 1000000;
  double seconds = 5;
  long array = 1000;
};

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "lakebase_bench: %s\n", what.c_str());
  std::exit(2);
}

std::string OdbcError(SQLSMALLINT type, SQLHANDLE h) {
  SQLCHAR state[6] = {0}, msg[1024] = {0};
  SQLINTEGER native;
  SQLSMALLINT len;
  SQLGetDiagRec(type, h, 1, state, &native, msg, sizeof msg, &len);
  return std::string((char*)state) + " " + (char*)msg;
}

#define CHECK(rc, type, h, what)                                                \
  do {                                                                          \
    if (!SQL_SUCCEEDED(rc)) Die(std::string(what) + ": " + OdbcError(type, h)); \
  } while (0)

long PeakRssKib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

void Report(const Options& o, long ops, double secs, const char* unit) {
  std::printf(
      "{\"scenario\":\"%s\",\"mode\":\"%s\",\"ops\":%ld,\"seconds\":%.3f,\"rate\":%.1f,"
      "\"unit\":\"%s\",\"peak_rss_kib\":%ld}\n",
      o.scenario.c_str(), o.mode.c_str(), ops, secs, ops / secs, unit, PeakRssKib());
}

double Since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// ---------------------------------------------------------------------------------------------
// ODBC
struct Odbc {
  SQLHENV env = SQL_NULL_HENV;
  SQLHDBC dbc = SQL_NULL_HDBC;
  Odbc() {
    SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
    SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0);
  }
  void Connect(const std::string& cs) {
    SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
    SQLRETURN rc = SQLDriverConnect(dbc, nullptr, (SQLCHAR*)cs.c_str(), SQL_NTS, nullptr, 0,
                                    nullptr, SQL_DRIVER_NOPROMPT);
    CHECK(rc, SQL_HANDLE_DBC, dbc, "connect");
  }
  void Disconnect() {
    SQLDisconnect(dbc);
    SQLFreeHandle(SQL_HANDLE_DBC, dbc);
    dbc = SQL_NULL_HDBC;
  }
  ~Odbc() {
    if (dbc) Disconnect();
    SQLFreeHandle(SQL_HANDLE_ENV, env);
  }
};

const char* kFetchSql =
    "SELECT g::int4, g::int8 * 3, g * 1.5::float8, (g % 100000)::numeric(12,2) / 7, "
    "lpad(g::text, 20, 'x'), timestamp '2024-01-01' + g * interval '1 second', g % 2 = 0 "
    "FROM generate_series(1, %ld) g";

void OdbcFetch(const Options& o, bool getdata) {
  Odbc c;
  c.Connect(o.target);
  SQLHSTMT st;
  SQLAllocHandle(SQL_HANDLE_STMT, c.dbc, &st);
  char sql[512];
  std::snprintf(sql, sizeof sql, kFetchSql, o.rows);
  auto t0 = Clock::now();
  CHECK(SQLExecDirect(st, (SQLCHAR*)sql, SQL_NTS), SQL_HANDLE_STMT, st, "execute");
  long rows = 0;
  if (!getdata) {
    const long n = o.array;
    std::vector<SQLINTEGER> c1(n);
    std::vector<SQLBIGINT> c2(n);
    std::vector<double> c3(n);
    std::vector<char> c4(n * 32), c5(n * 32), c6(n * 32);
    std::vector<unsigned char> c7(n);
    std::vector<SQLLEN> ind(n * 7);
    SQLULEN fetched = 0;
    SQLSetStmtAttr(st, SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)(intptr_t)n, 0);
    SQLSetStmtAttr(st, SQL_ATTR_ROWS_FETCHED_PTR, &fetched, 0);
    SQLBindCol(st, 1, SQL_C_SLONG, c1.data(), 0, &ind[0]);
    SQLBindCol(st, 2, SQL_C_SBIGINT, c2.data(), 0, &ind[n]);
    SQLBindCol(st, 3, SQL_C_DOUBLE, c3.data(), 0, &ind[2 * n]);
    SQLBindCol(st, 4, SQL_C_CHAR, c4.data(), 32, &ind[3 * n]);
    SQLBindCol(st, 5, SQL_C_CHAR, c5.data(), 32, &ind[4 * n]);
    SQLBindCol(st, 6, SQL_C_CHAR, c6.data(), 32, &ind[5 * n]);
    SQLBindCol(st, 7, SQL_C_BIT, c7.data(), 0, &ind[6 * n]);
    SQLRETURN rc;
    while ((rc = SQLFetch(st)) != SQL_NO_DATA) {
      CHECK(rc, SQL_HANDLE_STMT, st, "fetch");
      rows += static_cast<long>(fetched);
    }
  } else {
    SQLINTEGER i4;
    SQLBIGINT i8;
    double f8;
    char buf[64];
    unsigned char b;
    SQLLEN ind;
    SQLRETURN rc;
    while ((rc = SQLFetch(st)) != SQL_NO_DATA) {
      CHECK(rc, SQL_HANDLE_STMT, st, "fetch");
      SQLGetData(st, 1, SQL_C_SLONG, &i4, 0, &ind);
      SQLGetData(st, 2, SQL_C_SBIGINT, &i8, 0, &ind);
      SQLGetData(st, 3, SQL_C_DOUBLE, &f8, 0, &ind);
      SQLGetData(st, 4, SQL_C_CHAR, buf, sizeof buf, &ind);
      SQLGetData(st, 5, SQL_C_CHAR, buf, sizeof buf, &ind);
      SQLGetData(st, 6, SQL_C_CHAR, buf, sizeof buf, &ind);
      SQLGetData(st, 7, SQL_C_BIT, &b, 0, &ind);
      ++rows;
    }
  }
  double secs = Since(t0);
  SQLFreeHandle(SQL_HANDLE_STMT, st);
  if (rows != o.rows) Die("fetched " + std::to_string(rows) + " rows");
  Report(o, rows, secs, "rows/s");
}

void OdbcChurn(const Options& o) {
  Odbc c;
  long cycles = 0;
  auto t0 = Clock::now();
  while (Since(t0) < o.seconds) {
    c.Connect(o.target);
    SQLHSTMT st;
    SQLAllocHandle(SQL_HANDLE_STMT, c.dbc, &st);
    CHECK(SQLExecDirect(st, (SQLCHAR*)"SELECT 1", SQL_NTS), SQL_HANDLE_STMT, st, "select");
    SQLINTEGER v = 0;
    SQLLEN ind;
    CHECK(SQLFetch(st), SQL_HANDLE_STMT, st, "fetch");
    SQLGetData(st, 1, SQL_C_SLONG, &v, 0, &ind);
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    c.Disconnect();
    if (v != 1) Die("SELECT 1 gave " + std::to_string(v));
    ++cycles;
  }
  Report(o, cycles, Since(t0), "cycles/s");
}

void OdbcPoint(const Options& o) {
  Odbc c;
  c.Connect(o.target);
  SQLHSTMT st;
  SQLAllocHandle(SQL_HANDLE_STMT, c.dbc, &st);
  CHECK(SQLPrepare(st, (SQLCHAR*)"SELECT id, name, score FROM bench_point WHERE id = ?", SQL_NTS),
        SQL_HANDLE_STMT, st, "prepare");
  SQLINTEGER key = 0, id = 0;
  char name[64];
  double score;
  SQLLEN kind = 0, ind[3];
  SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &key, 0, &kind);
  SQLBindCol(st, 1, SQL_C_SLONG, &id, 0, &ind[0]);
  SQLBindCol(st, 2, SQL_C_CHAR, name, sizeof name, &ind[1]);
  SQLBindCol(st, 3, SQL_C_DOUBLE, &score, 0, &ind[2]);
  long ops = 0;
  auto t0 = Clock::now();
  while (Since(t0) < o.seconds) {
    for (int i = 0; i < 100; ++i) {
      key = static_cast<SQLINTEGER>((ops % 10000) + 1);
      CHECK(SQLExecute(st), SQL_HANDLE_STMT, st, "execute");
      CHECK(SQLFetch(st), SQL_HANDLE_STMT, st, "fetch");
      if (id != key) Die("point query returned the wrong row");
      SQLCloseCursor(st);
      ++ops;
    }
  }
  Report(o, ops, Since(t0), "queries/s");
}

void OdbcInsert(const Options& o) {
  Odbc c;
  c.Connect(o.target);
  SQLHSTMT st;
  SQLAllocHandle(SQL_HANDLE_STMT, c.dbc, &st);
  SQLExecDirect(st, (SQLCHAR*)"DROP TABLE IF EXISTS bench_insert_odbc", SQL_NTS);
  CHECK(SQLExecDirect(st, (SQLCHAR*)"CREATE TABLE bench_insert_odbc (a int4, b text, c float8)",
                      SQL_NTS),
        SQL_HANDLE_STMT, st, "create");
  const long n = o.array;
  std::vector<SQLINTEGER> a(n);
  std::vector<char> b(n * 32);
  std::vector<double> cc(n);
  std::vector<SQLLEN> ia(n, 0), ib(n, SQL_NTS), ic(n, 0);
  std::vector<SQLUSMALLINT> status(n);
  SQLULEN processed = 0;
  CHECK(SQLPrepare(st, (SQLCHAR*)"INSERT INTO bench_insert_odbc VALUES (?, ?, ?)", SQL_NTS),
        SQL_HANDLE_STMT, st, "prepare");
  SQLSetStmtAttr(st, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)(intptr_t)n, 0);
  SQLSetStmtAttr(st, SQL_ATTR_PARAM_STATUS_PTR, status.data(), 0);
  SQLSetStmtAttr(st, SQL_ATTR_PARAMS_PROCESSED_PTR, &processed, 0);
  SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, a.data(), 0, ia.data());
  SQLBindParameter(st, 2, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 32, 0, b.data(), 32, ib.data());
  SQLBindParameter(st, 3, SQL_PARAM_INPUT, SQL_C_DOUBLE, SQL_DOUBLE, 0, 0, cc.data(), 0, ic.data());
  long done = 0;
  auto t0 = Clock::now();
  while (done < o.rows) {
    for (long i = 0; i < n; ++i) {
      a[i] = static_cast<SQLINTEGER>(done + i);
      std::snprintf(&b[i * 32], 32, "row-%ld", done + i);
      cc[i] = (done + i) * 0.5;
    }
    CHECK(SQLExecute(st), SQL_HANDLE_STMT, st, "execute");
    done += n;
  }
  double secs = Since(t0);
  SQLSetStmtAttr(st, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)1, 0);
  SQLFreeStmt(st, SQL_RESET_PARAMS);
  CHECK(SQLExecDirect(st, (SQLCHAR*)"SELECT count(*) FROM bench_insert_odbc", SQL_NTS),
        SQL_HANDLE_STMT, st, "count");
  SQLFetch(st);
  SQLBIGINT count = 0;
  SQLLEN ind;
  SQLGetData(st, 1, SQL_C_SBIGINT, &count, 0, &ind);
  if (count != done) Die("inserted " + std::to_string(count) + " of " + std::to_string(done));
  Report(o, done, secs, "rows/s");
}

// ---------------------------------------------------------------------------------------------
// libpq
PGconn* PqConnect(const Options& o) {
  PGconn* c = PQconnectdb(o.target.c_str());
  if (PQstatus(c) != CONNECTION_OK) Die(std::string("libpq connect: ") + PQerrorMessage(c));
  return c;
}

void PqFetch(const Options& o) {
  PGconn* c = PqConnect(o);
  char sql[512];
  std::snprintf(sql, sizeof sql, kFetchSql, o.rows);
  auto t0 = Clock::now();
  if (!PQsendQuery(c, sql) || !PQsetSingleRowMode(c)) Die(PQerrorMessage(c));
  long rows = 0;
  long sink = 0;
  while (PGresult* r = PQgetResult(c)) {
    if (PQresultStatus(r) == PGRES_SINGLE_TUPLE) {
      // Decode as an application would: numbers parsed, text copied.
      sink += std::atol(PQgetvalue(r, 0, 0)) + std::atoll(PQgetvalue(r, 0, 1));
      sink += static_cast<long>(std::strtod(PQgetvalue(r, 0, 2), nullptr));
      char buf[64];
      for (int col = 3; col < 6; ++col) std::strncpy(buf, PQgetvalue(r, 0, col), sizeof buf - 1);
      sink += PQgetvalue(r, 0, 6)[0] == 't';
      ++rows;
    } else if (PQresultStatus(r) != PGRES_TUPLES_OK) {
      Die(PQresultErrorMessage(r));
    }
    PQclear(r);
  }
  if (sink == 42) std::fprintf(stderr, " ");  // keeps the decoding from being optimised away
  Report(o, rows, Since(t0), "rows/s");
  PQfinish(c);
}

void PqChurn(const Options& o) {
  long cycles = 0;
  auto t0 = Clock::now();
  while (Since(t0) < o.seconds) {
    PGconn* c = PqConnect(o);
    PGresult* r = PQexec(c, "SELECT 1");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) Die(PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(c);
    ++cycles;
  }
  Report(o, cycles, Since(t0), "cycles/s");
}

void PqPoint(const Options& o) {
  PGconn* c = PqConnect(o);
  PGresult* p =
      PQprepare(c, "pt", "SELECT id, name, score FROM bench_point WHERE id = $1", 1, nullptr);
  if (PQresultStatus(p) != PGRES_COMMAND_OK) Die(PQresultErrorMessage(p));
  PQclear(p);
  long ops = 0;
  auto t0 = Clock::now();
  char key[16];
  while (Since(t0) < o.seconds) {
    for (int i = 0; i < 100; ++i) {
      std::snprintf(key, sizeof key, "%ld", (ops % 10000) + 1);
      const char* v[1] = {key};
      PGresult* r = PQexecPrepared(c, "pt", 1, v, nullptr, nullptr, 0);
      if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) Die("point query");
      PQclear(r);
      ++ops;
    }
  }
  Report(o, ops, Since(t0), "queries/s");
  PQfinish(c);
}

void PqInsert(const Options& o, bool copy) {
  PGconn* c = PqConnect(o);
  PQclear(PQexec(c, "DROP TABLE IF EXISTS bench_insert_pq"));
  PQclear(PQexec(c, "CREATE TABLE bench_insert_pq (a int4, b text, c float8)"));
  auto t0 = Clock::now();
  if (copy) {
    PQclear(PQexec(c, "COPY bench_insert_pq FROM STDIN"));
    std::string chunk;
    for (long i = 0; i < o.rows; ++i) {
      char line[96];
      int n = std::snprintf(line, sizeof line, "%ld\trow-%ld\t%.1f\n", i, i, i * 0.5);
      chunk.append(line, n);
      if (chunk.size() > 65536) {
        PQputCopyData(c, chunk.data(), static_cast<int>(chunk.size()));
        chunk.clear();
      }
    }
    PQputCopyData(c, chunk.data(), static_cast<int>(chunk.size()));
    PQputCopyEnd(c, nullptr);
    PGresult* r = PQgetResult(c);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) Die(PQresultErrorMessage(r));
    PQclear(r);
    while (PGresult* x = PQgetResult(c)) PQclear(x);
  } else {
    PGresult* p =
        PQprepare(c, "ins", "INSERT INTO bench_insert_pq VALUES ($1, $2, $3)", 3, nullptr);
    PQclear(p);
    PQenterPipelineMode(c);
    long sent = 0;
    while (sent < o.rows) {
      long batch = std::min(o.array, o.rows - sent);
      for (long i = 0; i < batch; ++i) {
        char a[16], b[32], cc[32];
        std::snprintf(a, sizeof a, "%ld", sent + i);
        std::snprintf(b, sizeof b, "row-%ld", sent + i);
        std::snprintf(cc, sizeof cc, "%.1f", (sent + i) * 0.5);
        const char* v[3] = {a, b, cc};
        PQsendQueryPrepared(c, "ins", 3, v, nullptr, nullptr, 0);
      }
      PQpipelineSync(c);
      for (long i = 0; i < batch; ++i) {
        PGresult* r = PQgetResult(c);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) Die(PQresultErrorMessage(r));
        PQclear(r);
        PQgetResult(c);  // NULL
      }
      PGresult* s = PQgetResult(c);  // sync
      PQclear(s);
      sent += batch;
    }
    PQexitPipelineMode(c);
  }
  Report(o, o.rows, Since(t0), "rows/s");
  PQfinish(c);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr,
                 "usage: %s fetch|getdata|churn|point|insert|copy odbc|libpq TARGET "
                 "[--rows N] [--seconds S] [--array N]\n",
                 argv[0]);
    return 2;
  }
  Options o;
  o.scenario = argv[1];
  o.mode = argv[2];
  o.target = argv[3];
  for (int i = 4; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k == "--rows")
      o.rows = std::atol(argv[i + 1]);
    else if (k == "--seconds")
      o.seconds = std::atof(argv[i + 1]);
    else if (k == "--array")
      o.array = std::atol(argv[i + 1]);
    else
      Die("unknown option " + k);
  }
  bool odbc = o.mode == "odbc";
  if (o.scenario == "fetch")
    odbc ? OdbcFetch(o, false) : PqFetch(o);
  else if (o.scenario == "getdata")
    odbc ? OdbcFetch(o, true) : PqFetch(o);
  else if (o.scenario == "churn")
    odbc ? OdbcChurn(o) : PqChurn(o);
  else if (o.scenario == "point")
    odbc ? OdbcPoint(o) : PqPoint(o);
  else if (o.scenario == "insert")
    odbc ? OdbcInsert(o) : PqInsert(o, false);
  else if (o.scenario == "copy")
    PqInsert(o, true);
  else
    Die("unknown scenario " + o.scenario);
  return 0;
}

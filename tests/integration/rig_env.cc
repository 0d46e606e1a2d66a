#include "tests/integration/rig_env.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

namespace fs = std::filesystem;

namespace lakebase::testing {

namespace {

std::string g_tmp;
bool g_own_rig = false;

std::string Run(const std::string& cmd) {
  std::string out;
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
  if (!p) return out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p.get())) > 0) out.append(buf.data(), n);
  return out;
}

void LoadRigEnv(const std::string& file) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("export ", 0) != 0) continue;
    line = line.substr(7);
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string k = line.substr(0, eq), v = line.substr(eq + 1);
    if (v.size() >= 2 && v.front() == '\'' && v.back() == '\'') v = v.substr(1, v.size() - 2);
    setenv(k.c_str(), v.c_str(), 1);
  }
}

class RigEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    char tmpl[] = "/tmp/lakebase-it-XXXXXX";
    g_tmp = mkdtemp(tmpl);
    if (Env("LBRIG_DIR").empty()) {
      g_own_rig = true;
      std::string dir = g_tmp + "/rig";
      std::string out = Run(
          "/usr/bin/python3 " LAKEBASE_SOURCE_DIR "/tests/rig/rig.py start --dir " + dir + " 2>&1");
      if (!fs::exists(dir + "/rig.env")) {
        std::fprintf(stderr, "rig failed to start:\n%s\n", out.c_str());
        std::abort();
      }
      setenv("LBRIG_DIR", dir.c_str(), 1);
    }
    LoadRigEnv(Env("LBRIG_DIR") + "/rig.env");
    // Our own driver manager configuration: the system odbcinst.ini is never touched.
    std::ofstream(g_tmp + "/odbcinst.ini") << "[Lakebase]\nDriver=" LAKEBASE_DRIVER_PATH "\n";
    std::ofstream(g_tmp + "/odbc.ini")
        << "[LakebaseRig]\nDriver=Lakebase\nWorkspace=" << Env("LBRIG_WORKSPACE")
        << "\nEndpoint=" << Env("LBRIG_ENDPOINT") << "\nPort=" << Env("LBRIG_PG_PORT")
        << "\nSSLRootCert=" << Env("LBRIG_CA_FILE") << "\nWorkspaceCAFile=" << Env("LBRIG_CA_FILE")
        << "\nToken=" << Env("LBRIG_ALICE_PAT") << "\nLogLevel=trace\nLogFile=" << LogFilePath()
        << "\n";
    setenv("ODBCSYSINI", g_tmp.c_str(), 1);
    setenv("ODBCINI", (g_tmp + "/odbc.ini").c_str(), 1);
  }
  void TearDown() override {
    if (g_own_rig) {
      Run("/usr/bin/python3 " LAKEBASE_SOURCE_DIR "/tests/rig/rig.py stop --dir " +
          Env("LBRIG_DIR") + " 2>&1");
    }
    if (std::getenv("LAKEBASE_KEEP_TEST_DIR") == nullptr) {
      std::error_code ec;
      fs::remove_all(g_tmp, ec);
    }
  }
};

const auto* const kRigEnvironment = ::testing::AddGlobalTestEnvironment(new RigEnvironment());

}  // namespace

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string LogFilePath() { return g_tmp + "/driver-trace.log"; }

std::string BaseConnectionString() {
  return "Driver=Lakebase;Workspace=" + Env("LBRIG_WORKSPACE") +
         ";Endpoint=" + Env("LBRIG_ENDPOINT") + ";Port=" + Env("LBRIG_PG_PORT") +
         ";SSLRootCert=" + Env("LBRIG_CA_FILE") + ";WorkspaceCAFile=" + Env("LBRIG_CA_FILE") +
         ";LogLevel=trace;LogFile=" + LogFilePath() + ";";
}

int Mints(const std::string& user) {
  std::string out = Run("/usr/bin/python3 " LAKEBASE_SOURCE_DIR "/tests/rig/rigclient.py stats");
  rapidjson::Document d;
  d.Parse(out.c_str());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("mints")) {
    ADD_FAILURE() << "rig stats unreadable: " << out;
    return -1;
  }
  const auto& m = d["mints"];
  if (!m.HasMember(user.c_str())) return 0;
  return m[user.c_str()].GetInt();
}

void RigClient(const std::string& args) {
  Run("/usr/bin/python3 " LAKEBASE_SOURCE_DIR "/tests/rig/rigclient.py " + args +
      " >/dev/null 2>&1");
}

std::string Diag(SQLSMALLINT type, SQLHANDLE handle) {
  std::string out;
  for (SQLSMALLINT i = 1;; ++i) {
    SQLCHAR state[6] = {0}, msg[4096] = {0};
    SQLINTEGER native = 0;
    SQLSMALLINT len = 0;
    SQLRETURN rc = SQLGetDiagRec(type, handle, i, state, &native, msg, sizeof msg, &len);
    if (!SQL_SUCCEEDED(rc)) break;
    out += std::string(reinterpret_cast<char*>(state)) + " " + reinterpret_cast<char*>(msg) + "\n";
  }
  return out;
}

std::string FirstState(SQLSMALLINT type, SQLHANDLE handle) {
  SQLCHAR state[6] = {0}, msg[1024];
  SQLINTEGER native;
  SQLSMALLINT len;
  if (!SQL_SUCCEEDED(SQLGetDiagRec(type, handle, 1, state, &native, msg, sizeof msg, &len))) {
    return "";
  }
  return reinterpret_cast<char*>(state);
}

Connection::Connection() {
  SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env_);
  SQLSetEnvAttr(env_, SQL_ATTR_ODBC_VERSION, reinterpret_cast<SQLPOINTER>(SQL_OV_ODBC3), 0);
  SQLAllocHandle(SQL_HANDLE_DBC, env_, &dbc_);
}

Connection::~Connection() {
  if (connected_) SQLDisconnect(dbc_);
  SQLFreeHandle(SQL_HANDLE_DBC, dbc_);
  SQLFreeHandle(SQL_HANDLE_ENV, env_);
}

SQLRETURN Connection::DriverConnect(const std::string& cs, std::string* out) {
  SQLCHAR buf[4096] = {0};
  SQLSMALLINT len = 0;
  SQLRETURN rc = SQLDriverConnect(dbc_, nullptr, (SQLCHAR*)cs.c_str(), SQL_NTS, buf, sizeof buf,
                                  &len, SQL_DRIVER_NOPROMPT);
  if (SQL_SUCCEEDED(rc)) connected_ = true;
  if (out) *out = reinterpret_cast<char*>(buf);
  return rc;
}

SQLRETURN Connection::Connect(const std::string& dsn, const std::string& uid,
                              const std::string& pwd) {
  SQLRETURN rc = SQLConnect(dbc_, (SQLCHAR*)dsn.c_str(), SQL_NTS, (SQLCHAR*)uid.c_str(), SQL_NTS,
                            (SQLCHAR*)pwd.c_str(), SQL_NTS);
  if (SQL_SUCCEEDED(rc)) connected_ = true;
  return rc;
}

std::string Connection::Scalar(const std::string& sql) {
  Statement st(*this);
  SQLRETURN rc = SQLExecDirect(st.h(), (SQLCHAR*)sql.c_str(), SQL_NTS);
  if (!SQL_SUCCEEDED(rc)) {
    ADD_FAILURE() << sql << ": " << st.diag();
    return "";
  }
  rc = SQLFetch(st.h());
  if (rc == SQL_NO_DATA) return "";
  char buf[8192];
  SQLLEN ind = 0;
  rc = SQLGetData(st.h(), 1, SQL_C_CHAR, buf, sizeof buf, &ind);
  if (!SQL_SUCCEEDED(rc)) {
    ADD_FAILURE() << sql << ": " << st.diag();
    return "";
  }
  return ind == SQL_NULL_DATA ? "<null>" : std::string(buf);
}

void Connection::Exec(const std::string& sql) {
  Statement st(*this);
  SQLRETURN rc = SQLExecDirect(st.h(), (SQLCHAR*)sql.c_str(), SQL_NTS);
  EXPECT_TRUE(SQL_SUCCEEDED(rc) || rc == SQL_NO_DATA) << sql << ": " << st.diag();
}

Statement::Statement(const Connection& c) { SQLAllocHandle(SQL_HANDLE_STMT, c.dbc(), &stmt_); }
Statement::~Statement() { SQLFreeHandle(SQL_HANDLE_STMT, stmt_); }

std::vector<std::string> MintedTokens() {
  std::vector<std::string> out;
  std::string dir = Env("LBRIG_TOKENS_DIR");
  if (dir.empty() || !fs::exists(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  return out;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace lakebase::testing

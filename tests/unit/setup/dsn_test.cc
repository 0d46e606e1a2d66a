// DSNs read through the real odbcinst API from temporary odbc.ini files (ODBCSYSINI and ODBCINI
// point at a temp dir, set before the first odbcinst call), so unixODBC's own INI rules are what
// is tested, never the system's /etc/odbc.ini.
#include "setup/dsn.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "setup/connection_string.h"
#include "setup/keywords.h"
#include "setup/resolve.h"

namespace lakebase::setup {
namespace {

namespace fs = std::filesystem;

class OdbcIniTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() /
                        ("lakebase-setup-dsn-" + std::to_string(::getpid())));
    fs::create_directories(*dir_);
    std::ofstream(*dir_ / "odbcinst.ini") << "[Lakebase]\nDriver = /nonexistent/lib.so\n";
    std::ofstream(*dir_ / "odbc.ini") << "[ODBC]\nTrace = No\n\n"
                                         "[SysDsn]\n"
                                         "Driver = Lakebase\n"
                                         "Description = A system DSN\n"
                                         "Server = sys-host.example.com\n"
                                         "Port=6543\n"
                                         "DBName   =   sysdb  \n"
                                         "  Indented = ignored\n"
                                         "PWD = sys;pass=word\n"
                                         "SSLMode = require\n"
                                         "FooUnknown = 1\n"
                                         "\n"
                                         "[Shared]\n"
                                         "Driver = Lakebase\n"
                                         "Host = system-shared\n"
                                         "Database = system-db\n"
                                         "\n"
                                         "[Empty]\n"
                                         "\n"
                                         "[DEFAULTLESS]\n"
                                         "Host = x\n";
    std::ofstream(*dir_ / "user.odbc.ini") << "[UserDsn]\n"
                                              "Driver = Lakebase\n"
                                              "Host = user-host\n"
                                              "UID = someone@example.com\n"
                                              "\n"
                                              "[Shared]\n"
                                              "Driver = Lakebase\n"
                                              "Host = user-shared\n";
    ::setenv("ODBCSYSINI", dir_->c_str(), 1);
    ::setenv("ODBCINI", (*dir_ / "user.odbc.ini").c_str(), 1);
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }

  static std::string Value(const DsnEntries& entries, std::string_view key) {
    for (const auto& [k, v] : entries) {
      if (EqualsIgnoreCase(k, key)) return v;
    }
    return "<absent>";
  }

  static fs::path* dir_;
};
fs::path* OdbcIniTest::dir_ = nullptr;

TEST_F(OdbcIniTest, ReadsASystemDsn) {
  std::optional<DsnEntries> e = ReadDsnFromOdbcIni("SysDsn");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(Value(*e, "Driver"), "Lakebase");
  EXPECT_EQ(Value(*e, "Server"), "sys-host.example.com");
  EXPECT_EQ(Value(*e, "Port"), "6543");
  EXPECT_EQ(Value(*e, "DBName"), "sysdb");
  EXPECT_EQ(Value(*e, "PWD"), "sys;pass=word");  // odbc.ini values are literal
  EXPECT_EQ(Value(*e, "FooUnknown"), "1");
  // unixODBC's INI reader skips indented lines: worth knowing when a DSN "loses" a key.
  EXPECT_EQ(Value(*e, "Indented"), "<absent>");
}

TEST_F(OdbcIniTest, ReadsAUserDsn) {
  std::optional<DsnEntries> e = ReadDsnFromOdbcIni("UserDsn");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(Value(*e, "Host"), "user-host");
  EXPECT_EQ(Value(*e, "UID"), "someone@example.com");
}

TEST_F(OdbcIniTest, UserDsnShadowsSystemDsn) {
  std::optional<DsnEntries> e = ReadDsnFromOdbcIni("Shared");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(Value(*e, "Host"), "user-shared");
}

TEST_F(OdbcIniTest, DsnNamesAreCaseInsensitive) {
  std::optional<DsnEntries> e = ReadDsnFromOdbcIni("sysdsn");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(Value(*e, "Port"), "6543");
}

TEST_F(OdbcIniTest, MissingAndEmptyDsns) {
  EXPECT_FALSE(ReadDsnFromOdbcIni("NoSuchDsn").has_value());
  std::optional<DsnEntries> e = ReadDsnFromOdbcIni("Empty");
  ASSERT_TRUE(e.has_value());
  EXPECT_TRUE(e->empty());
}

TEST_F(OdbcIniTest, ResolvesThroughTheRealReader) {
  ResolveOptions o;
  o.env = [](std::string_view name) -> std::optional<std::string> {
    if (name == "PGUSER") return "env-user";
    return std::nullopt;
  };
  ConnectionConfig cfg =
      ResolveConfig(ParseConnectionString("DSN=SysDsn;Port=7000;SSLMode=verify-full"), o);
  EXPECT_EQ(cfg.dsn, "SysDsn");
  EXPECT_EQ(cfg.driver, "Lakebase");
  EXPECT_EQ(cfg.host, "sys-host.example.com");
  EXPECT_EQ(cfg.sources.at("Host"), Source::kDsn);
  EXPECT_EQ(cfg.port, 7000);
  EXPECT_EQ(cfg.database, "sysdb");
  EXPECT_EQ(cfg.password.Reveal(), "sys;pass=word");
  EXPECT_EQ(cfg.ssl_mode, "verify-full");
  EXPECT_EQ(cfg.user, "env-user");
  EXPECT_EQ(cfg.unknown_keys, std::vector<std::string>{"FooUnknown"});
  std::string out = BuildOutputConnectionString(cfg);
  EXPECT_EQ(out.find("sys;pass"), std::string::npos) << out;
  EXPECT_EQ(out.find("PWD"), std::string::npos) << out;
}

TEST_F(OdbcIniTest, SqlConnectWithAMissingDsnIsIm002) {
  ResolveOptions o;
  o.env = [](std::string_view) { return std::optional<std::string>(); };
  try {
    ResolveConfig(AttributesForSqlConnect("NoSuchDsn", "", ""), o);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.sqlstate(), "IM002");
    EXPECT_NE(std::string(e.what()).find("NoSuchDsn"), std::string::npos);
  }
}

}  // namespace
}  // namespace lakebase::setup

#include "setup/dsn_reference.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace lakebase::setup {
namespace {

TEST(DsnReferenceMarkdown, ListsEveryKeyAliasAndEnvironmentVariable) {
  std::string md = DsnReferenceMarkdown();
  for (const Keyword& k : AllKeywords()) {
    EXPECT_NE(md.find("| `" + std::string(k.name) + "` |"), std::string::npos) << k.name;
    for (auto alias : k.aliases) {
      EXPECT_NE(md.find("`" + std::string(alias) + "`"), std::string::npos) << alias;
    }
    for (auto var : k.env_vars) {
      EXPECT_NE(md.find("`" + std::string(var) + "`"), std::string::npos) << var;
    }
  }
}

TEST(DsnReferenceMarkdown, EveryTableRowHasFiveCells) {
  std::istringstream in(DsnReferenceMarkdown());
  std::string line;
  int rows = 0;
  while (std::getline(in, line)) {
    if (line.rfind("| `", 0) != 0) continue;
    ++rows;
    int pipes = 0;
    for (size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++pipes;
    }
    EXPECT_EQ(pipes, 6) << line;
  }
  EXPECT_EQ(rows, static_cast<int>(AllKeywords().size()));
}

TEST(DsnReferenceMarkdown, MarksSecretsAndShowsDefaults) {
  std::string md = DsnReferenceMarkdown();
  EXPECT_NE(md.find("| `PWD` | `Password` | `PGPASSWORD` |  |"), std::string::npos);
  EXPECT_NE(md.find("**Secret**"), std::string::npos);
  EXPECT_NE(md.find("| `Port` |  | `PGPORT` | `5432` |"), std::string::npos);
  EXPECT_NE(md.find("do not edit by hand"), std::string::npos);
}

TEST(SampleOdbcIni, HasEveryKeyCommentedOut) {
  std::string ini = SampleOdbcIni("MyDsn", "Lakebase");
  EXPECT_NE(ini.find("[MyDsn]\nDriver = Lakebase\n"), std::string::npos);
  for (const Keyword& k : AllKeywords()) {
    if (k.name == "DSN" || k.name == "Driver") continue;
    EXPECT_NE(ini.find("\n;" + std::string(k.name) + " = "), std::string::npos) << k.name;
  }
  EXPECT_NE(ini.find(";Port = 5432\n"), std::string::npos);
}

}  // namespace
}  // namespace lakebase::setup

// lakebase-dsn-reference: prints the DSN keyword reference as Markdown (default) for the README,
// or a commented sample odbc.ini section (--odbc-ini), both from the keyword table.
#include <cstdio>
#include <string_view>

#include "setup/dsn_reference.h"

int main(int argc, char** argv) {
  std::string_view mode = argc > 1 ? argv[1] : "--markdown";
  std::string text;
  if (mode == "--markdown") {
    text = lakebase::setup::DsnReferenceMarkdown();
  } else if (mode == "--odbc-ini") {
    text = lakebase::setup::SampleOdbcIni();
  } else {
    std::fprintf(stderr, "usage: %s [--markdown | --odbc-ini]\n", argv[0]);
    return 2;
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}

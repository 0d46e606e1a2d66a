// Documentation generated from the keyword table, so the README's DSN reference and the sample
// odbc.ini can never drift from what the driver accepts.
#pragma once

#include <string>
#include <string_view>

#include "setup/keywords.h"

namespace lakebase::setup {

// A title for each group, as the reference prints it.
std::string_view GroupTitle(KeyGroup group);

// The keyword table as Markdown: one table per group with columns Key, Aliases, Environment,
// Default, Description (the help text, accepted values and an example).
std::string DsnReferenceMarkdown();

// A commented sample DSN section for odbc.ini: every key with its help, defaults commented out.
std::string SampleOdbcIni(std::string_view dsn_name = "Lakebase",
                          std::string_view driver_name = "Lakebase");

}  // namespace lakebase::setup

// Reading a DSN from odbc.ini through the odbcinst API, so unixODBC's rules apply unchanged:
// user DSNs (~/.odbc.ini or $ODBCINI) before system ones ($ODBCSYSINI/odbc.ini or /etc/odbc.ini).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lakebase::setup {

// The key=value lines of one DSN section, keys as written in the file.
using DsnEntries = std::vector<std::pair<std::string, std::string>>;

// Reads a DSN; nullopt when no such DSN exists. Injectable so resolution is tested without files.
using DsnReader = std::function<std::optional<DsnEntries>(std::string_view dsn)>;

// The real reader: SQLGetPrivateProfileString(dsn, NULL, ...) lists the section's keys, then each
// value is read. Serialised by a mutex, since odbcinst keeps process-wide state.
std::optional<DsnEntries> ReadDsnFromOdbcIni(std::string_view dsn);
DsnReader OdbcInstDsnReader();

// unixODBC keeps INI values in fixed buffers of this many bytes (INI_MAX_PROPERTY_VALUE): a longer
// value in odbc.ini comes back cut short. Values that reach it are reported as possibly truncated.
inline constexpr size_t kOdbcIniMaxValue = 1000;

}  // namespace lakebase::setup

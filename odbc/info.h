// SQLGetInfo answers and the list of supported functions (SQLGetFunctions).
#pragma once

#include <sql.h>
#include <sqlext.h>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "odbc/handles.h"

namespace lakebase::odbc {

// A SQLGetInfo answer: a string, a 16-bit value or a 32-bit value/bitmask.
using InfoValue = std::variant<std::string, SQLUSMALLINT, SQLUINTEGER>;

// nullopt: not an info type this driver knows (HY096).
std::optional<InfoValue> GetInfoValue(Dbc& dbc, SQLUSMALLINT type);

// The functions this driver implements (SQLGetFunctions).
bool IsFunctionSupported(SQLUSMALLINT function);

}  // namespace lakebase::odbc

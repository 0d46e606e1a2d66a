// Catalog functions (ODBC "Catalog Functions"): pg_catalog queries whose rows the driver shapes
// into the result sets the spec defines (column names, types, order).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "driver/result.h"
#include "driver/session.h"
#include "driver/types.h"

namespace lakebase::pg {

// An argument of a catalog function: absent (null pointer), and whether it is a search pattern
// (SQL_ATTR_METADATA_ID false and the argument accepts patterns) or an identifier.
struct CatalogArg {
  std::optional<std::string> value;
  bool pattern = true;
};

std::unique_ptr<ResultSet> Tables(Session& s, const CatalogArg& catalog, const CatalogArg& schema,
                                  const CatalogArg& table, const CatalogArg& types);
std::unique_ptr<ResultSet> Columns(Session& s, const CatalogArg& catalog, const CatalogArg& schema,
                                   const CatalogArg& table, const CatalogArg& column,
                                   const DescribeOptions& options);
// SQLGetTypeInfo: all types (SQL_ALL_TYPES = 0) or one SQL type, ordered by DATA_TYPE then how
// closely the type maps (spec: "ordered by DATA_TYPE and then by how closely ...").
std::unique_ptr<ResultSet> TypeInfo(short sql_type, const DescribeOptions& options);

// Turns an ODBC search pattern (% _ with \ as escape) into a LIKE pattern with the same meaning,
// or an identifier into an exact-match (case as given; quoted identifiers unquoted).
std::string ToLikePattern(const std::string& odbc_pattern);

}  // namespace lakebase::pg

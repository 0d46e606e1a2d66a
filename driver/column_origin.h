// Where a result column comes from (its table, schema and column, whether it is NOT NULL or
// auto-generated), for SQLDescribeCol's nullability and SQLColAttribute's SQL_DESC_BASE_* /
// SQL_DESC_TABLE_NAME / SQL_DESC_AUTO_UNIQUE_VALUE. libpq gives only the table OID and column
// number; one catalog query per new table fills a per-session cache (OIDs are stable).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "driver/session.h"
#include "driver/types.h"

namespace lakebase::pg {

// Looks up every (table OID, column number) not yet cached on the session. Columns with table
// OID 0 (expressions) are skipped. Throws PgError only for a lost connection; a catalog error
// leaves the columns unknown.
void ResolveColumnOrigins(Session& s, const std::vector<std::pair<Oid, int>>& columns);

}  // namespace lakebase::pg

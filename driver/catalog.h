// Catalog functions (ODBC 3.8 "Catalog Functions"): pg_catalog queries whose rows the driver shapes
// into the result sets the spec defines (column names, SQL types, order). Every application string
// reaches the server as a query parameter, never as SQL text.
//
// Argument rules shared by all functions ("Arguments in Catalog Functions"):
//  - an absent argument (null pointer) does not restrict;
//  - a pattern value (CatalogArg::pattern) is matched with LIKE ... ESCAPE '\' (% _ and \ as the
//    ODBC search-pattern escape); an ordinary or identifier argument is compared exactly;
//  - every PostgreSQL object has a catalog (the current database) and a schema, so the spec's
//    "empty string denotes objects without catalogs/schemas" would always select nothing; as
//    psqlODBC and most tools expect, an empty catalog or schema does not restrict. An empty
//    table, column or procedure name selects nothing;
//  - a catalog other than the current database selects nothing (one database per connection).
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

std::unique_ptr<ResultSet> PrimaryKeys(Session& s, const CatalogArg& catalog,
                                       const CatalogArg& schema, const CatalogArg& table);
// SQLForeignKeys: the keys referring to the PK table, the keys of the FK table, or the keys of the
// FK table that refer to the PK table (an absent table argument does not restrict).
std::unique_ptr<ResultSet> ForeignKeys(Session& s, const CatalogArg& pk_catalog,
                                       const CatalogArg& pk_schema, const CatalogArg& pk_table,
                                       const CatalogArg& fk_catalog, const CatalogArg& fk_schema,
                                       const CatalogArg& fk_table);
// unique: SQL_INDEX_UNIQUE / SQL_INDEX_ALL; accuracy: SQL_QUICK / SQL_ENSURE.
std::unique_ptr<ResultSet> Statistics(Session& s, const CatalogArg& catalog,
                                      const CatalogArg& schema, const CatalogArg& table, int unique,
                                      int accuracy);
// identifier_type: SQL_BEST_ROWID / SQL_ROWVER; scope: SQL_SCOPE_*; nullable: SQL_NO_NULLS /
// SQL_NULLABLE.
std::unique_ptr<ResultSet> SpecialColumns(Session& s, int identifier_type,
                                          const CatalogArg& catalog, const CatalogArg& schema,
                                          const CatalogArg& table, int scope, int nullable,
                                          const DescribeOptions& options);
std::unique_ptr<ResultSet> Procedures(Session& s, const CatalogArg& catalog,
                                      const CatalogArg& schema, const CatalogArg& procedure);
std::unique_ptr<ResultSet> ProcedureColumns(Session& s, const CatalogArg& catalog,
                                            const CatalogArg& schema, const CatalogArg& procedure,
                                            const CatalogArg& column,
                                            const DescribeOptions& options);
std::unique_ptr<ResultSet> TablePrivileges(Session& s, const CatalogArg& catalog,
                                           const CatalogArg& schema, const CatalogArg& table);
std::unique_ptr<ResultSet> ColumnPrivileges(Session& s, const CatalogArg& catalog,
                                            const CatalogArg& schema, const CatalogArg& table,
                                            const CatalogArg& column);

// Turns an ODBC search pattern (% _ with \ as escape) into a LIKE pattern with the same meaning.
std::string ToLikePattern(const std::string& odbc_pattern);

// A column default as SQLColumns' COLUMN_DEF presents it: a string literal in single quotes
// without PostgreSQL's "::type" cast, a number bare, anything else as the server prints it.
std::string ColumnDefault(const std::string& expr, bool numeric);

}  // namespace lakebase::pg

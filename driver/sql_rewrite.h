// ODBC SQL -> PostgreSQL SQL: `?` parameter markers become $1..$n and ODBC escape sequences
// ({d}, {t}, {ts}, {guid}, {fn}, {oj}, {call}, {?= call}, {escape}, {INTERVAL}, and the long form
// --(*vendor(Microsoft),product(ODBC) ... *)--) become PostgreSQL syntax.
// The lexer knows '...', E'...', "...", $tag$...$tag$, -- and nested /* */ comments and `::`
// casts, so markers and braces inside them are left alone (ODBC "Escape Sequences in ODBC",
// appendix E "Scalar Functions").
#pragma once

#include <string>
#include <string_view>

namespace lakebase::pg {

struct RewrittenSql {
  std::string sql;
  // ODBC parameter markers in the statement. For {?= call ...} this counts the return value
  // (ODBC parameter 1), which is not sent: the SQL's $1 is then ODBC parameter 2.
  int param_count = 0;
  bool is_call = false;           // {call ...} or {?= call ...}
  bool has_return_value = false;  // {?= call ...}: parameter 1 is the function's result
};

struct RewriteOptions {
  // SQL_ATTR_NOSCAN = SQL_NOSCAN_ON: escape sequences are passed through untouched; parameter
  // markers are still numbered (the server needs $n).
  bool escapes = true;
};

// Throws PgError("42000") for a malformed escape (unbalanced braces, unknown escape keyword,
// unknown CONVERT type or TIMESTAMPADD/DIFF interval).
RewrittenSql RewriteSql(std::string_view odbc_sql, const RewriteOptions& options = {});

// Counts parameter markers (as RewriteSql().param_count would) without failing on a malformed
// escape: then every `?` outside quotes and comments counts.
int CountParameterMarkers(std::string_view odbc_sql);

}  // namespace lakebase::pg

// ODBC SQL -> PostgreSQL SQL: `?` parameter markers become $1..$n and ODBC escape sequences
// ({d}, {t}, {ts}, {fn}, {oj}, {call}, {?= call}, {escape}, {INTERVAL}) become PostgreSQL syntax.
// The lexer knows '...', E'...', "...", $tag$...$tag$, -- and nested /* */ comments and `::`
// casts, so markers and braces inside them are left alone (ODBC "Escape Sequences in ODBC").
#pragma once

#include <string>
#include <string_view>

namespace lakebase::pg {

struct RewrittenSql {
  std::string sql;
  int param_count = 0;
  bool is_call = false;           // {call ...} or {?= call ...}
  bool has_return_value = false;  // {?= call ...}: parameter 1 is the function's result
};

// Throws PgError("42000") for a malformed escape (unbalanced braces, unknown escape keyword).
RewrittenSql RewriteSql(std::string_view odbc_sql);

// Counts parameter markers without rewriting (SQLNumParams before a rewrite).
int CountParameterMarkers(std::string_view odbc_sql);

}  // namespace lakebase::pg

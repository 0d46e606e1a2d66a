// The ODBC -> PostgreSQL rewriter without a server: marker numbering, the lexer's opaque tokens,
// and the exact text of every escape. The conformance suite (tests/conformance/escapes_test.cc)
// runs the same escapes against the real server and checks their values.
#include "driver/sql_rewrite.h"

#include <gtest/gtest.h>

#include "driver/error.h"

namespace lakebase::pg {
namespace {

std::string R(std::string_view sql) { return RewriteSql(sql).sql; }

TEST(SqlRewrite, MarkersBecomePositionalParameters) {
  auto r = RewriteSql("SELECT * FROM t WHERE a = ? AND b IN (?, ?)");
  EXPECT_EQ(r.sql, "SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)");
  EXPECT_EQ(r.param_count, 3);
  EXPECT_FALSE(r.is_call);
}

TEST(SqlRewrite, QuotesCommentsAndDollarQuotesAreOpaque) {
  EXPECT_EQ(R("SELECT '?', \"a?\", ? -- ? {fn x}\n, ?"),
            "SELECT '?', \"a?\", $1 -- ? {fn x}\n, $2");
  EXPECT_EQ(R("SELECT /* ? /* nested ? */ { */ ?"), "SELECT /* ? /* nested ? */ { */ $1");
  EXPECT_EQ(R("SELECT $$ ? {d} $$, $tag$ it's ? $tag$, ?"),
            "SELECT $$ ? {d} $$, $tag$ it's ? $tag$, $1");
  EXPECT_EQ(R("SELECT E'\\' ?', ?"), "SELECT E'\\' ?', $1");
  EXPECT_EQ(R("SELECT 'it''s ?', ?"), "SELECT 'it''s ?', $1");
  EXPECT_EQ(R("SELECT \"we\"\"ird?\" FROM t"), "SELECT \"we\"\"ird?\" FROM t");
  // A plain string with a backslash before the quote is not an E'' string.
  EXPECT_EQ(R("SELECT 'a\\', ?"), "SELECT 'a\\', $1");
  // Identifiers ending in E and $ inside names.
  EXPECT_EQ(R("SELECT some' ?' FROM a$b WHERE x = ?"), "SELECT some' ?' FROM a$b WHERE x = $1");
  EXPECT_EQ(R("SELECT '{1,2}'::int[], ?::text, a::varchar"),
            "SELECT '{1,2}'::int[], $1::text, a::varchar");
  EXPECT_EQ(R("SELECT $1"), "SELECT $1");
}

TEST(SqlRewrite, CountParameterMarkers) {
  EXPECT_EQ(CountParameterMarkers("SELECT ?, '?', {fn UCASE(?)}"), 2);
  EXPECT_EQ(CountParameterMarkers("{?= call f(?, ?)}"), 3);
  EXPECT_EQ(CountParameterMarkers("SELECT {bogus ?} ?"), 2);  // malformed escape: raw count
}

TEST(SqlRewrite, DateTimeLiterals) {
  EXPECT_EQ(R("SELECT {d '2024-02-29'}"), "SELECT DATE '2024-02-29'");
  EXPECT_EQ(R("SELECT {t '23:59:58'}"), "SELECT TIME '23:59:58'");
  EXPECT_EQ(R("SELECT {ts '2024-01-02 03:04:05.5'}"), "SELECT TIMESTAMP '2024-01-02 03:04:05.5'");
  EXPECT_EQ(R("SELECT { D  '2024-02-29' }"), "SELECT DATE '2024-02-29'");
  EXPECT_EQ(R("SELECT {d ?}"), "SELECT CAST($1 AS DATE)");
  EXPECT_EQ(R("SELECT {guid 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'}"),
            "SELECT CAST('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' AS uuid)");
}

TEST(SqlRewrite, LongFormEscape) {
  EXPECT_EQ(R("SELECT --(*vendor(Microsoft),product(ODBC) d '2024-01-01' *)--, ?"),
            "SELECT DATE '2024-01-01', $1");
  EXPECT_EQ(R("SELECT --(* VENDOR(microsoft), PRODUCT(odbc) fn UCASE('a') *)--"),
            "SELECT upper(CAST('a' AS text))");
  // An ordinary comment that merely starts with --( stays a comment.
  EXPECT_EQ(R("SELECT 1 --(* not an escape ?\n, ?"), "SELECT 1 --(* not an escape ?\n, $1");
}

TEST(SqlRewrite, OuterJoinEscapeAndLikeEscape) {
  EXPECT_EQ(R("SELECT * FROM {oj a LEFT OUTER JOIN b ON a.id = b.id AND b.x = ?}"),
            "SELECT * FROM a LEFT OUTER JOIN b ON a.id = b.id AND b.x = $1");
  EXPECT_EQ(
      R("SELECT * FROM {oj a LEFT OUTER JOIN {oj b LEFT OUTER JOIN c ON b.k = c.k} ON a.k = b.k}"),
      "SELECT * FROM a LEFT OUTER JOIN b LEFT OUTER JOIN c ON b.k = c.k ON a.k = b.k");
  EXPECT_EQ(R("SELECT 1 WHERE 'a_b' LIKE 'a\\_b' {escape '\\'}"),
            "SELECT 1 WHERE 'a_b' LIKE 'a\\_b' ESCAPE '\\'");
}

TEST(SqlRewrite, Calls) {
  auto r = RewriteSql("{call f(?, ?)}");
  EXPECT_EQ(r.sql, "SELECT * FROM f($1, $2)");
  EXPECT_EQ(r.param_count, 2);
  EXPECT_TRUE(r.is_call);
  EXPECT_FALSE(r.has_return_value);
  r = RewriteSql("  { ? = CALL s.f(?) }  ");
  EXPECT_EQ(r.sql, "SELECT * FROM s.f($1)");
  EXPECT_EQ(r.param_count, 2);  // the return value is ODBC parameter 1, not sent
  EXPECT_TRUE(r.has_return_value);
  EXPECT_EQ(R("{call now}"), "SELECT * FROM now()");
  EXPECT_EQ(R("{call \"My Proc\"}"), "SELECT * FROM \"My Proc\"()");
}

TEST(SqlRewrite, IntervalLiterals) {
  EXPECT_EQ(R("SELECT {INTERVAL '1' DAY}"), "SELECT INTERVAL '1' DAY");
  EXPECT_EQ(R("SELECT {interval -'1-2' year to month}"), "SELECT (-INTERVAL '1-2' YEAR TO MONTH)");
  EXPECT_EQ(R("SELECT {INTERVAL +'163' HOUR(3)}"), "SELECT INTERVAL '163' HOUR");
  EXPECT_EQ(R("SELECT {INTERVAL '1 02:03:04.5' DAY(2) TO SECOND(3)}"),
            "SELECT INTERVAL '1 02:03:04.5' DAY TO SECOND(3)");
  EXPECT_EQ(R("SELECT {INTERVAL '20.123' SECOND(2,3)}"), "SELECT INTERVAL '20.123' SECOND(3)");
  EXPECT_EQ(R("SELECT {INTERVAL '20' SECOND(2)}"), "SELECT INTERVAL '20' SECOND");
}

TEST(SqlRewrite, MarkersInsideEscapesInTextualOrder) {
  // INSERT's arguments are reordered for overlay(), but $n follow the text.
  EXPECT_EQ(R("SELECT ?, {fn INSERT(?, ?, ?, ?)}, ?"),
            "SELECT $1, overlay(CAST($2 AS text) placing CAST($5 AS text) from CAST($3 AS integer) "
            "for CAST($4 AS integer)), $6");
  EXPECT_EQ(R("SELECT {fn LOCATE(?, ?)}"), "SELECT strpos(CAST($2 AS text), CAST($1 AS text))");
  EXPECT_EQ(R("SELECT {fn UCASE({fn LEFT(?, 2)})}, ?"),
            "SELECT upper(left(CAST($1 AS text), 2)), $2");
}

TEST(SqlRewrite, StringFunctions) {
  EXPECT_EQ(R("{fn ASCII(s)}"), "ascii(s)");
  EXPECT_EQ(R("{fn CHAR(65)}"), "chr(65)");
  EXPECT_EQ(R("{fn CONCAT(a, b)}"), "(CAST(a AS text) || CAST(b AS text))");
  EXPECT_EQ(R("{fn LENGTH(s)}"), "char_length(rtrim(s))");
  EXPECT_EQ(R("{fn LCASE(s)}"), "lower(s)");
  EXPECT_EQ(R("{fn SPACE(3)}"), "repeat(' ', 3)");
  EXPECT_EQ(R("{fn SUBSTRING(s, 2, 3)}"), "substr(s, 2, 3)");
  EXPECT_EQ(R("{fn POSITION('b' IN s)}"), "position(CAST('b' AS text) in s)");
  EXPECT_EQ(R("{fn LOCATE('b', s, 2)}"),
            "(CASE WHEN strpos(substr(s, greatest(CAST(2 AS integer), 1)), CAST('b' AS text)) = 0 "
            "THEN 0 ELSE strpos(substr(s, greatest(CAST(2 AS integer), 1)), CAST('b' AS text)) + "
            "greatest(CAST(2 AS integer), 1) - 1 END)");
  // A function ODBC does not define passes through.
  EXPECT_EQ(R("{fn my_func(a, 'x,y')}"), "my_func(a, 'x,y')");
}

TEST(SqlRewrite, NumericFunctions) {
  EXPECT_EQ(R("{fn CEILING(x)}"), "ceil(x)");
  EXPECT_EQ(R("{fn LOG(x)}"), "ln(x)");
  EXPECT_EQ(R("{fn LOG10(x)}"), "log(x)");
  EXPECT_EQ(R("{fn ROUND(x, 2)}"), "round(CAST(x AS numeric), 2)");
  EXPECT_EQ(R("{fn TRUNCATE(x, 2)}"), "trunc(CAST(x AS numeric), 2)");
  EXPECT_EQ(R("{fn PI()}"), "pi()");
  EXPECT_EQ(R("{fn RAND()}"), "random()");
  EXPECT_EQ(R("{fn ABS(?)}"), "abs(CAST($1 AS numeric))");
}

TEST(SqlRewrite, TimeDateFunctions) {
  EXPECT_EQ(R("{fn CURDATE()}"), "current_date");
  EXPECT_EQ(R("{fn CURRENT_DATE}"), "current_date");
  EXPECT_EQ(R("{fn CURRENT_TIMESTAMP(3)}"), "localtimestamp(3)");
  EXPECT_EQ(R("{fn NOW()}"), "localtimestamp");
  EXPECT_EQ(R("{fn YEAR(d)}"), "CAST(EXTRACT(YEAR FROM d) AS integer)");
  EXPECT_EQ(R("{fn DAYOFWEEK(d)}"), "(CAST(EXTRACT(DOW FROM d) AS integer) + 1)");
  EXPECT_EQ(R("{fn HOUR(?)}"), "CAST(EXTRACT(HOUR FROM CAST($1 AS time)) AS integer)");
  EXPECT_EQ(R("{fn DAYNAME(d)}"), "to_char(d, 'FMDay')");
  EXPECT_EQ(R("{fn EXTRACT(YEAR FROM d)}"), "EXTRACT(YEAR FROM d)");
  EXPECT_EQ(R("{fn TIMESTAMPADD(SQL_TSI_DAY, 1, ts)}"),
            "(ts + CAST(1 AS integer) * INTERVAL '1 day')");
  EXPECT_EQ(R("{fn TIMESTAMPADD(SQL_TSI_QUARTER, ?, ?)}"),
            "(CAST($2 AS timestamp) + CAST($1 AS integer) * INTERVAL '3 months')");
  EXPECT_EQ(R("{fn TIMESTAMPDIFF(SQL_TSI_HOUR, a, b)}"),
            "CAST(trunc(EXTRACT(EPOCH FROM (CAST(b AS timestamp) - CAST(a AS timestamp))) / 3600) "
            "AS integer)");
  EXPECT_THROW(R("{fn TIMESTAMPADD(SQL_TSI_FORTNIGHT, 1, ts)}"), PgError);
}

TEST(SqlRewrite, SystemAndConversionFunctions) {
  EXPECT_EQ(R("{fn DATABASE()}"), "current_database()");
  EXPECT_EQ(R("{fn USER()}"), "current_user");
  EXPECT_EQ(R("{fn IFNULL(a, ?)}"), "coalesce(a, $1)");
  EXPECT_EQ(R("{fn CONVERT(x, SQL_VARCHAR)}"), "CAST(x AS varchar)");
  EXPECT_EQ(R("{fn CONVERT(?, SQL_INTEGER)}"), "CAST($1 AS integer)");
  EXPECT_EQ(R("{fn convert(x, sql_interval_day_to_second)}"), "CAST(x AS interval day to second)");
  EXPECT_EQ(R("{fn CONVERT(x, SQL_GUID)}"), "CAST(x AS uuid)");
  EXPECT_THROW(R("{fn CONVERT(x, SQL_NOPE)}"), PgError);
}

TEST(SqlRewrite, Malformed) {
  EXPECT_THROW(R("SELECT {fn UCASE('a')"), PgError);
  EXPECT_THROW(R("SELECT {nonsense 1}"), PgError);
  try {
    R("SELECT {nonsense 1}");
  } catch (const PgError& e) {
    EXPECT_EQ(e.sqlstate(), "42000");
  }
}

TEST(SqlRewrite, NoScanLeavesEscapesButNumbersMarkers) {
  RewriteOptions o;
  o.escapes = false;
  auto r = RewriteSql("SELECT {fn UCASE(?)}, ?", o);
  EXPECT_EQ(r.sql, "SELECT {fn UCASE($1)}, $2");
  EXPECT_EQ(r.param_count, 2);
  r = RewriteSql("{call f(?)}", o);
  EXPECT_FALSE(r.is_call);
  EXPECT_EQ(r.sql, "{call f($1)}");
}

}  // namespace
}  // namespace lakebase::pg

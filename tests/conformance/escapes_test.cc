// ODBC "Escape Sequences in ODBC" and appendix E "Scalar Functions", run against the server:
// every scalar function SQLGetInfo advertises, the literal escapes, outer joins, procedure
// calls, LIKE escapes, interval literals, markers inside escapes, SQL_ATTR_NOSCAN and
// SQLNativeSql.
#include "tests/conformance/conformance.h"

namespace lakebase::conformance {
namespace {

class Escapes : public ConformanceTest {
 protected:
  SQLUINTEGER Info(SQLUSMALLINT type) {
    SQLUINTEGER v = 0;
    EXPECT_EQ(SQLGetInfo(dbc(), type, &v, sizeof v, nullptr), SQL_SUCCESS);
    return v;
  }
};

struct FnCase {
  SQLUSMALLINT info;  // SQL_STRING_FUNCTIONS ...
  SQLUINTEGER bit;
  const char* sql;       // SELECT list expression
  const char* expected;  // SQL_C_CHAR rendering
};

// Values follow the definitions of appendix E.
const FnCase kFunctions[] = {
    // String functions
    {SQL_STRING_FUNCTIONS, SQL_FN_STR_ASCII, "{fn ASCII('A')}", "65"},
    {SQL_STRING_FUNCTIONS, SQL_FN_STR_BIT_LENGTH, "{fn BIT_LENGTH('ab')}", "16"},
    {SQL_STRING_FUNCTIONS, SQL_FN_STR_CHAR, "{fn CHAR(97)}", "a"},
    {SQL_STRING_FUNCTIONS, SQL_FN_STR_CHAR_LENGTH, "{fn CHAR_LENGTH('héllo')}", "5"},
    {SQL_STRING_FUNCTIONS, SQL_FN_STR_CHARACTER_LENGTH, "{fn CHARACTER_LENGTH('abc')}", "3"},
    {SQL_STRING_FUNCTIONS, SQL_FN_STR_CONCAT, "{fn CONCAT('ab', 'cd')}", "abcd"},
    {SQL_STRING_FUNCTIONS, SQL_FN_STR_CONCAT, "{fn CONCAT('ab', NULL)}", "<null>"},
    {SQL_STRING_FUNCTIONS, SQL_FN_STR_INSERT, "{fn INSERT('abcdef', 2, 3, 'XY')}", "aXYef"},
    {SQL_STRING_FUNCTIONS, SQL_FN_STR_LCASE, "{fn LCASE('AbC')}", "abc"},
    {SQL_STRING_FUNCTIONS, SQL_FN_STR_LEFT, "{fn LEFT('abcdef', 2)}", "ab"},
    {SQL_STRING_FUNCTIONS, SQL_FN_STR_LENGTH, "{fn LENGTH('abc  ')}", "3"},
    {SQL_STRING_FUNCTIONS, SQL_FN_STR_LOCATE, "{fn LOCATE('b', 'abcabc')}", "2"},
    {SQL_STRING_FUNCTIONS, SQL_FN_STR_LOCATE, "{fn LOCATE('z', 'abcabc')}", "0"},
    {SQL_STRING_FUNCTIONS, SQL_FN_STR_LOCATE_2, "{fn LOCATE('b', 'abcabc', 3)}", "5"},
    {SQL_STRING_FUNCTIONS, SQL_FN_STR_LOCATE_2, "{fn LOCATE('b', 'abcabc', 6)}", "0"},
    {SQL_STRING_FUNCTIONS, SQL_FN_STR_LTRIM, "{fn LTRIM('  ab ')}", "ab "},
    {SQL_STRING_FUNCTIONS, SQL_FN_STR_OCTET_LENGTH, "{fn OCTET_LENGTH('é')}", "2"},
    {SQL_STRING_FUNCTIONS, SQL_FN_STR_POSITION, "{fn POSITION('c' IN 'abcd')}", "3"},
    {SQL_STRING_FUNCTIONS, SQL_FN_STR_REPEAT, "{fn REPEAT('ab', 3)}", "ababab"},
    {SQL_STRING_FUNCTIONS, SQL_FN_STR_REPLACE, "{fn REPLACE('abcabc', 'b', 'X')}", "aXcaXc"},
    {SQL_STRING_FUNCTIONS, SQL_FN_STR_RIGHT, "{fn RIGHT('abcdef', 2)}", "ef"},
    {SQL_STRING_FUNCTIONS, SQL_FN_STR_RTRIM, "{fn RTRIM(' ab  ')}", " ab"},
    {SQL_STRING_FUNCTIONS, SQL_FN_STR_SOUNDEX, "{fn SOUNDEX('Robert')}", "R163"},
    {SQL_STRING_FUNCTIONS, SQL_FN_STR_DIFFERENCE, "{fn DIFFERENCE('Robert', 'Rupert')}", "4"},
    {SQL_STRING_FUNCTIONS, SQL_FN_STR_SPACE, "'[' || {fn SPACE(3)} || ']'", "[   ]"},
    {SQL_STRING_FUNCTIONS, SQL_FN_STR_SUBSTRING, "{fn SUBSTRING('abcdef', 2, 3)}", "bcd"},
    {SQL_STRING_FUNCTIONS, SQL_FN_STR_UCASE, "{fn UCASE('aBc')}", "ABC"},
    // Numeric functions
    {SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_ABS, "{fn ABS(-3)}", "3"},
    {SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_ACOS, "{fn ACOS(1)}", "0"},
    {SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_ASIN, "{fn ASIN(0)}", "0"},
    {SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_ATAN, "{fn ATAN(0)}", "0"},
    {SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_ATAN2, "round(CAST({fn ATAN2(1, 1)} AS numeric), 4)",
     "0.7854"},
    {SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_CEILING, "{fn CEILING(1.2)}", "2"},
    {SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_COS, "{fn COS(0)}", "1"},
    {SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_COT, "round(CAST({fn COT(1)} AS numeric), 4)", "0.6421"},
    {SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_DEGREES, "round(CAST({fn DEGREES(pi())} AS numeric), 4)",
     "180.0000"},
    {SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_EXP, "{fn EXP(0)}", "1"},
    {SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_FLOOR, "{fn FLOOR(-1.5)}", "-2"},
    {SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_LOG, "round(CAST({fn LOG(exp(2))} AS numeric), 4)",
     "2.0000"},
    {SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_LOG10, "{fn LOG10(1000)}", "3"},
    {SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_MOD, "{fn MOD(17, 5)}", "2"},
    {SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_PI, "round(CAST({fn PI()} AS numeric), 5)", "3.14159"},
    {SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_POWER, "{fn POWER(2, 10)}", "1024"},
    {SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_RADIANS, "round(CAST({fn RADIANS(180)} AS numeric), 5)",
     "3.14159"},
    {SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_RAND, "{fn RAND()} BETWEEN 0 AND 1", "1"},
    {SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_RAND, "{fn RAND(7)} BETWEEN 0 AND 1", "1"},
    {SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_ROUND, "{fn ROUND(12.345, 2)}", "12.35"},
    {SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_ROUND, "{fn ROUND(1234.5, -2)}", "1200"},
    {SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_ROUND, "{fn ROUND(CAST(2.5 AS float8), 0)}", "3"},
    {SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_SIGN, "{fn SIGN(-7)}", "-1"},
    {SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_SIN, "{fn SIN(0)}", "0"},
    {SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_SQRT, "{fn SQRT(16)}", "4"},
    {SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_TAN, "{fn TAN(0)}", "0"},
    {SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_TRUNCATE, "{fn TRUNCATE(12.345, 1)}", "12.3"},
    {SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_TRUNCATE, "{fn TRUNCATE(CAST(-12.345 AS float8), 2)}",
     "-12.34"},
    // Time and date functions
    {SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_CURDATE, "{fn CURDATE()} = current_date", "1"},
    {SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_CURRENT_DATE, "{fn CURRENT_DATE()} = current_date", "1"},
    {SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_CURTIME, "pg_typeof({fn CURTIME()})::text",
     "time without time zone"},
    {SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_CURRENT_TIME, "pg_typeof({fn CURRENT_TIME(0)})::text",
     "time without time zone"},
    {SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_CURRENT_TIMESTAMP,
     "length(to_char({fn CURRENT_TIMESTAMP(3)}, 'US')) = 6 AND extract(microseconds FROM "
     "{fn CURRENT_TIMESTAMP(3)})::int % 1000 = 0",
     "1"},
    {SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_CURRENT_TIMESTAMP,
     "{fn CURRENT_TIMESTAMP()} = localtimestamp", "1"},
    {SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_NOW, "{fn NOW()} = localtimestamp", "1"},
    {SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_DAYNAME, "{fn DAYNAME({d '2024-01-01'})}", "Monday"},
    {SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_DAYOFMONTH, "{fn DAYOFMONTH({d '2024-02-29'})}", "29"},
    {SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_DAYOFWEEK, "{fn DAYOFWEEK({d '2024-01-07'})}",
     "1"},  // Sunday
    {SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_DAYOFWEEK, "{fn DAYOFWEEK({d '2024-01-06'})}",
     "7"},  // Saturday
    {SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_DAYOFYEAR, "{fn DAYOFYEAR({d '2024-12-31'})}", "366"},
    {SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_EXTRACT, "{fn EXTRACT(YEAR FROM {d '2024-02-29'})}", "2024"},
    {SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_EXTRACT, "{fn EXTRACT(MONTH FROM '2024-02-29')}", "2"},
    {SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_EXTRACT, "{fn EXTRACT(MINUTE FROM {t '10:11:12'})}", "11"},
    {SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_HOUR, "{fn HOUR({ts '2024-01-02 13:14:15'})}", "13"},
    {SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_HOUR, "{fn HOUR('13:14:15')}", "13"},
    {SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_MINUTE, "{fn MINUTE({t '13:14:15'})}", "14"},
    {SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_MONTH, "{fn MONTH('2024-03-04')}", "3"},
    {SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_MONTHNAME, "{fn MONTHNAME({d '2024-03-04'})}", "March"},
    {SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_QUARTER, "{fn QUARTER({d '2024-08-01'})}", "3"},
    {SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_SECOND, "{fn SECOND({ts '2024-01-02 13:14:15.9'})}", "15"},
    {SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_WEEK, "{fn WEEK({d '2024-01-10'})} BETWEEN 1 AND 53", "1"},
    {SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_YEAR, "{fn YEAR({ts '1999-12-31 23:59:59'})}", "1999"},
    {SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_TIMESTAMPADD,
     "{fn TIMESTAMPADD(SQL_TSI_DAY, 1, {ts '2024-02-28 10:00:00'})}", "2024-02-29 10:00:00"},
    {SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_TIMESTAMPADD,
     "{fn TIMESTAMPADD(SQL_TSI_MONTH, 1, {ts '2024-01-31 00:00:00'})}", "2024-02-29 00:00:00"},
    {SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_TIMESTAMPDIFF,
     "{fn TIMESTAMPDIFF(SQL_TSI_DAY, {ts '2024-01-01 10:00:00'}, {ts '2024-01-03 09:00:00'})}",
     "1"},
    {SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_TIMESTAMPDIFF,
     "{fn TIMESTAMPDIFF(SQL_TSI_DAY, {ts '2024-01-03 10:00:00'}, {ts '2024-01-01 10:00:00'})}",
     "-2"},
    // System functions
    {SQL_SYSTEM_FUNCTIONS, SQL_FN_SYS_DBNAME, "{fn DATABASE()} = current_database()", "1"},
    {SQL_SYSTEM_FUNCTIONS, SQL_FN_SYS_IFNULL, "{fn IFNULL(NULL, 'x')}", "x"},
    {SQL_SYSTEM_FUNCTIONS, SQL_FN_SYS_USERNAME, "{fn USER()} = current_user", "1"},
    // Conversion
    {SQL_CONVERT_FUNCTIONS, SQL_FN_CVT_CONVERT, "{fn CONVERT(12345, SQL_VARCHAR)}", "12345"},
    {SQL_CONVERT_FUNCTIONS, SQL_FN_CVT_CONVERT, "{fn CONVERT(12345, SQL_CHAR)}", "12345"},
    {SQL_CONVERT_FUNCTIONS, SQL_FN_CVT_CONVERT, "{fn CONVERT('42', SQL_INTEGER)} + 1", "43"},
    {SQL_CONVERT_FUNCTIONS, SQL_FN_CVT_CONVERT, "{fn CONVERT('2024-02-29', SQL_DATE)}",
     "2024-02-29"},
    {SQL_CONVERT_FUNCTIONS, SQL_FN_CVT_CONVERT, "{fn CONVERT('2.5', SQL_DOUBLE)} * 2", "5"},
    {SQL_CONVERT_FUNCTIONS, SQL_FN_CVT_CAST, "CAST('7' AS integer)", "7"},
};

std::string Canon(std::string s) {
  // Booleans come back as "1"/"0" through SQL_C_CHAR; numeric text as the server prints it.
  if (s == "true") return "1";
  if (s == "false") return "0";
  return s;
}

TEST_F(Escapes, EveryAdvertisedScalarFunctionWorks) {
  Stmt st(c_);
  int checked = 0;
  for (const auto& f : kFunctions) {
    bool advertised = Info(f.info) & f.bit;
    std::string sql = std::string("SELECT ") + f.sql;
    std::string got = st.Scalar(sql);
    if (advertised) {
      EXPECT_EQ(Canon(got), f.expected) << sql;
      ++checked;
    }
  }
  EXPECT_GT(checked, 80);
}

TEST_F(Escapes, ScalarFunctionsWorkInLowerCase) {
  EXPECT_EQ(Scalar("SELECT {fn ucase('x')}"), "X");
  EXPECT_EQ(Scalar("SELECT {FN Ucase('x')}"), "X");
}

TEST_F(Escapes, EveryTimestampAddInterval) {
  SQLUINTEGER add = Info(SQL_TIMEDATE_ADD_INTERVALS);
  struct C {
    SQLUINTEGER bit;
    const char* tsi;
    const char* expected;
  };
  const C cases[] = {
      {SQL_FN_TSI_FRAC_SECOND, "SQL_TSI_FRAC_SECOND", "2024-01-01 00:00:00.000002"},  // 2000 ns
      {SQL_FN_TSI_SECOND, "SQL_TSI_SECOND", "2024-01-01 00:00:02"},
      {SQL_FN_TSI_MINUTE, "SQL_TSI_MINUTE", "2024-01-01 00:02:00"},
      {SQL_FN_TSI_HOUR, "SQL_TSI_HOUR", "2024-01-01 02:00:00"},
      {SQL_FN_TSI_DAY, "SQL_TSI_DAY", "2024-01-03 00:00:00"},
      {SQL_FN_TSI_WEEK, "SQL_TSI_WEEK", "2024-01-15 00:00:00"},
      {SQL_FN_TSI_MONTH, "SQL_TSI_MONTH", "2024-03-01 00:00:00"},
      {SQL_FN_TSI_QUARTER, "SQL_TSI_QUARTER", "2024-07-01 00:00:00"},
      {SQL_FN_TSI_YEAR, "SQL_TSI_YEAR", "2026-01-01 00:00:00"},
  };
  for (const auto& c : cases) {
    ASSERT_TRUE(add & c.bit) << c.tsi;
    std::string amount = c.bit == SQL_FN_TSI_FRAC_SECOND ? "2000" : "2";
    EXPECT_EQ(Scalar(std::string("SELECT {fn TIMESTAMPADD(") + c.tsi + ", " + amount +
                     ", {ts '2024-01-01 00:00:00'})}"),
              c.expected)
        << c.tsi;
  }
}

TEST_F(Escapes, EveryTimestampDiffInterval) {
  // Whole intervals by which the second timestamp is greater than the first.
  SQLUINTEGER diff = Info(SQL_TIMEDATE_DIFF_INTERVALS);
  struct C {
    SQLUINTEGER bit;
    const char* tsi;
    const char* expected;
  };
  const char* a = "{ts '2023-11-15 10:20:30.5'}";
  const char* b = "{ts '2025-02-14 09:10:20.25'}";
  const C cases[] = {
      // 456 days 22:49:49.75 apart (2024 is a leap year); 1 year 2 months 29 days by calendar.
      {SQL_FN_TSI_FRAC_SECOND, "SQL_TSI_FRAC_SECOND", "39480589750000000"},
      {SQL_FN_TSI_SECOND, "SQL_TSI_SECOND", "39480589"},
      {SQL_FN_TSI_MINUTE, "SQL_TSI_MINUTE", "658009"},
      {SQL_FN_TSI_HOUR, "SQL_TSI_HOUR", "10966"},
      {SQL_FN_TSI_DAY, "SQL_TSI_DAY", "456"},
      {SQL_FN_TSI_WEEK, "SQL_TSI_WEEK", "65"},
      {SQL_FN_TSI_MONTH, "SQL_TSI_MONTH", "14"},
      {SQL_FN_TSI_QUARTER, "SQL_TSI_QUARTER", "4"},
      {SQL_FN_TSI_YEAR, "SQL_TSI_YEAR", "1"},
  };
  for (const auto& c : cases) {
    ASSERT_TRUE(diff & c.bit) << c.tsi;
    EXPECT_EQ(Scalar(std::string("SELECT {fn TIMESTAMPDIFF(") + c.tsi + ", " + a + ", " + b + ")}"),
              c.expected)
        << c.tsi;
  }
  EXPECT_EQ(Scalar("SELECT {fn TIMESTAMPDIFF(SQL_TSI_MONTH, {d '2024-01-31'}, {d '2024-02-29'})}"),
            "0");
  EXPECT_EQ(Scalar("SELECT {fn TIMESTAMPDIFF(SQL_TSI_YEAR, {d '2025-01-01'}, {d '2024-01-02'})}"),
            "0");
}

TEST_F(Escapes, DateTimeTimestampAndGuidLiterals) {
  EXPECT_EQ(Scalar("SELECT {d '2024-02-29'}"), "2024-02-29");
  EXPECT_EQ(Scalar("SELECT {t '23:59:58'}"), "23:59:58");
  EXPECT_EQ(Scalar("SELECT {ts '2024-01-02 03:04:05.5'}"), "2024-01-02 03:04:05.5");
  EXPECT_EQ(Scalar("SELECT pg_typeof({d '2024-02-29'})::text"), "date");
  EXPECT_EQ(Scalar("SELECT pg_typeof({t '23:59:58'})::text"), "time without time zone");
  EXPECT_EQ(Scalar("SELECT pg_typeof({ts '2024-01-02 03:04:05'})::text"),
            "timestamp without time zone");
  EXPECT_EQ(Scalar("SELECT {guid 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'}"),
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  // The long form of the same escape (ODBC "Escape Sequences in ODBC").
  EXPECT_EQ(Scalar("SELECT --(*vendor(Microsoft),product(ODBC) d '2024-02-29' *)--"), "2024-02-29");
}

TEST_F(Escapes, IntervalLiterals) {
  EXPECT_EQ(Scalar("SELECT {INTERVAL '1' DAY} = interval '1 day'"), "1");
  EXPECT_EQ(Scalar("SELECT {INTERVAL '163' HOUR(3)} = interval '163 hours'"), "1");
  EXPECT_EQ(Scalar("SELECT {INTERVAL -'1-2' YEAR TO MONTH} = interval '-1 year -2 months'"), "1");
  EXPECT_EQ(Scalar("SELECT {INTERVAL '1 02:03:04.5' DAY TO SECOND} = interval '1 day 02:03:04.5'"),
            "1");
  EXPECT_EQ(Scalar("SELECT {INTERVAL '20.123' SECOND(2,3)} = interval '20.123 seconds'"), "1");
  EXPECT_EQ(Scalar("SELECT {INTERVAL '10:30' MINUTE TO SECOND} = interval '10 min 30 sec'"), "1");
  EXPECT_EQ(Scalar("SELECT {ts '2024-01-01 00:00:00'} + {INTERVAL '2' MONTH}"),
            "2024-03-01 00:00:00");
}

TEST_F(Escapes, OuterJoinsNestedAndWithFunctions) {
  const std::string sql =
      "SELECT a.x, b.y, c.z FROM {oj (VALUES (1), (2)) a(x) LEFT OUTER JOIN "
      "(VALUES (1, 'b1')) b(x, y) ON a.x = b.x LEFT OUTER JOIN (VALUES ('B1', 'c')) c(k, z) "
      "ON {fn UCASE(b.y)} = c.k} ORDER BY a.x";
  Stmt st(c_);
  ASSERT_TRUE(SQL_SUCCEEDED(st.Exec(sql))) << st.diag();
  ASSERT_EQ(SQLFetch(st.h()), SQL_SUCCESS);
  EXPECT_EQ(st.Str(2), "b1");
  EXPECT_EQ(st.Str(3), "c");
  ASSERT_EQ(SQLFetch(st.h()), SQL_SUCCESS);
  EXPECT_EQ(st.Str(2), "<null>");
  EXPECT_EQ(SQLFetch(st.h()), SQL_NO_DATA);
}

TEST_F(Escapes, LikeEscapeClause) {
  EXPECT_EQ(
      Scalar(
          "SELECT count(*) FROM (VALUES ('a_b'), ('axb')) v(s) WHERE s LIKE 'a\\_b' {escape '\\'}"),
      "1");
  EXPECT_EQ(
      Scalar(
          "SELECT count(*) FROM (VALUES ('a%b'), ('axb')) v(s) WHERE s LIKE 'a!%b' {escape '!'}"),
      "1");
}

TEST_F(Escapes, NestedEscapes) {
  EXPECT_EQ(Scalar("SELECT {fn UCASE({fn LEFT({fn CONCAT('ab', 'cd')}, 3)})}"), "ABC");
  EXPECT_EQ(
      Scalar("SELECT {fn YEAR({fn TIMESTAMPADD(SQL_TSI_YEAR, 1, {ts '2024-06-01 00:00:00'})})}"),
      "2025");
}

TEST_F(Escapes, QuotesCommentsDollarQuotesAndCastsAreLeftAlone) {
  EXPECT_EQ(Scalar("SELECT '{fn UCASE(x)} ?'"), "{fn UCASE(x)} ?");
  EXPECT_EQ(Scalar("SELECT $$ {d '2024-01-01'} ? $$"), " {d '2024-01-01'} ? ");
  EXPECT_EQ(Scalar("SELECT $q$it's {oj} ?$q$"), "it's {oj} ?");
  EXPECT_EQ(Scalar("SELECT E'a\\'{fn x}?'"), "a'{fn x}?");
  EXPECT_EQ(Scalar("SELECT 1 /* { ? } */ -- {fn nope( ?\n + 1"), "2");
  EXPECT_EQ(Scalar("SELECT '{1,2,3}'::int[]"), "{1,2,3}");
  EXPECT_EQ(Scalar("SELECT \"?col?\" FROM (SELECT 5 AS \"?col?\") s"), "5");
}

TEST_F(Escapes, MarkersInsideEscapesAreNumberedInTextualOrder) {
  // INSERT(str, start, length, newstr): four markers, bound 1..4 in the order they are written.
  Stmt st(c_);
  ASSERT_TRUE(SQL_SUCCEEDED(st.Prepare("SELECT ?, {fn INSERT(?, ?, ?, ?)}, {fn LOCATE(?, ?, ?)}")))
      << st.diag();
  SQLSMALLINT n = 0;
  ASSERT_EQ(SQLNumParams(st.h(), &n), SQL_SUCCESS);
  ASSERT_EQ(n, 8);
  char s1[] = "first", s2[] = "abcdef", s5[] = "XY", s6[] = "b", s7[] = "abcabc";
  SQLINTEGER start = 2, len = 3, from = 3;
  SQLLEN nts = SQL_NTS, zero = 0;
  SQLBindParameter(st.h(), 1, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 10, 0, s1, 0, &nts);
  SQLBindParameter(st.h(), 2, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 10, 0, s2, 0, &nts);
  SQLBindParameter(st.h(), 3, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &start, 0, &zero);
  SQLBindParameter(st.h(), 4, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &len, 0, &zero);
  SQLBindParameter(st.h(), 5, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 10, 0, s5, 0, &nts);
  SQLBindParameter(st.h(), 6, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 10, 0, s6, 0, &nts);
  SQLBindParameter(st.h(), 7, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 10, 0, s7, 0, &nts);
  SQLBindParameter(st.h(), 8, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &from, 0, &zero);
  ASSERT_TRUE(SQL_SUCCEEDED(SQLExecute(st.h()))) << st.diag();
  ASSERT_EQ(SQLFetch(st.h()), SQL_SUCCESS);
  EXPECT_EQ(st.Str(1), "first");
  EXPECT_EQ(st.Str(2), "aXYef");
  EXPECT_EQ(st.Str(3), "5");
}

TEST_F(Escapes, MarkersInDateAndConvertEscapes) {
  Stmt st(c_);
  ASSERT_TRUE(
      SQL_SUCCEEDED(st.Prepare("SELECT {fn YEAR(?)}, {fn CONVERT(?, SQL_INTEGER)} + 1, "
                               "{fn TIMESTAMPADD(SQL_TSI_DAY, ?, ?)}")))
      << st.diag();
  char d[] = "2024-02-29", i[] = "41", ts[] = "2024-02-28 12:00:00";
  SQLINTEGER days = 1;
  SQLLEN nts = SQL_NTS, zero = 0;
  SQLBindParameter(st.h(), 1, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 20, 0, d, 0, &nts);
  SQLBindParameter(st.h(), 2, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 20, 0, i, 0, &nts);
  SQLBindParameter(st.h(), 3, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &days, 0, &zero);
  SQLBindParameter(st.h(), 4, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 20, 0, ts, 0, &nts);
  ASSERT_TRUE(SQL_SUCCEEDED(SQLExecute(st.h()))) << st.diag();
  ASSERT_EQ(SQLFetch(st.h()), SQL_SUCCESS);
  EXPECT_EQ(st.Str(1), "2024");
  EXPECT_EQ(st.Str(2), "42");
  EXPECT_EQ(st.Str(3), "2024-02-29 12:00:00");
}

class EscapeCalls : public Escapes {
 protected:
  void SetUp() override {
    Escapes::SetUp();
    Run("CREATE OR REPLACE FUNCTION conf_add(a int, b int) RETURNS int LANGUAGE sql AS 'SELECT a + "
        "b'");
    Run("CREATE OR REPLACE FUNCTION conf_rows(n int) RETURNS TABLE(i int, s text) LANGUAGE sql "
        "AS 'SELECT g, ''r'' || g FROM generate_series(1, n) g'");
  }
};

TEST_F(EscapeCalls, CallReturnsTheFunctionsResultSet) {
  Stmt st(c_);
  ASSERT_TRUE(SQL_SUCCEEDED(st.Exec("{call conf_rows(3)}"))) << st.diag();
  SQLSMALLINT cols = 0;
  SQLNumResultCols(st.h(), &cols);
  EXPECT_EQ(cols, 2);
  int rows = 0;
  while (SQLFetch(st.h()) == SQL_SUCCESS) ++rows;
  EXPECT_EQ(rows, 3);
}

TEST_F(EscapeCalls, CallWithInputParameters) {
  Stmt st(c_);
  ASSERT_TRUE(SQL_SUCCEEDED(st.Prepare("{CALL conf_add(?, ?)}"))) << st.diag();
  SQLINTEGER a = 40, b = 2;
  SQLLEN zero = 0;
  SQLBindParameter(st.h(), 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &a, 0, &zero);
  SQLBindParameter(st.h(), 2, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &b, 0, &zero);
  ASSERT_TRUE(SQL_SUCCEEDED(SQLExecute(st.h()))) << st.diag();
  ASSERT_EQ(SQLFetch(st.h()), SQL_SUCCESS);
  EXPECT_EQ(st.Str(1), "42");
}

// Regression (was a driver bug): {?= call} return value: Stmt::ExecuteBatch does not write the
// function's result into the SQL_PARAM_OUTPUT buffer bound as parameter 1 (output parameters are
// not implemented).
TEST_F(EscapeCalls, ReturnValueGoesToParameterOne) {
  // ODBC "Procedure Calls": {?= call proc(...)}; the return value is an output parameter 1.
  Stmt st(c_);
  ASSERT_TRUE(SQL_SUCCEEDED(st.Prepare("{? = call conf_add(?, ?)}"))) << st.diag();
  SQLSMALLINT n = 0;
  ASSERT_EQ(SQLNumParams(st.h(), &n), SQL_SUCCESS);
  EXPECT_EQ(n, 3);
  SQLINTEGER ret = 0, a = 40, b = 2;
  SQLLEN ret_ind = 0, zero = 0;
  SQLBindParameter(st.h(), 1, SQL_PARAM_OUTPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &ret, 0, &ret_ind);
  SQLBindParameter(st.h(), 2, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &a, 0, &zero);
  SQLBindParameter(st.h(), 3, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &b, 0, &zero);
  ASSERT_TRUE(SQL_SUCCEEDED(SQLExecute(st.h()))) << st.diag();
  while (SQLMoreResults(st.h()) == SQL_SUCCESS) {
  }
  EXPECT_EQ(ret, 42);
  EXPECT_EQ(ret_ind, static_cast<SQLLEN>(sizeof(SQLINTEGER)));
}

TEST_F(EscapeCalls, ReturnValueCallExecutesWithTheInputs) {
  // The SQL the driver sends must number the inputs from $1 (the return value is not sent).
  Stmt st(c_);
  ASSERT_TRUE(SQL_SUCCEEDED(st.Prepare("{?= call conf_add(?, ?)}"))) << st.diag();
  SQLINTEGER ret = 0, a = 40, b = 2;
  SQLLEN ret_ind = 0, zero = 0;
  SQLBindParameter(st.h(), 1, SQL_PARAM_OUTPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &ret, 0, &ret_ind);
  SQLBindParameter(st.h(), 2, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &a, 0, &zero);
  SQLBindParameter(st.h(), 3, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &b, 0, &zero);
  EXPECT_TRUE(SQL_SUCCEEDED(SQLExecute(st.h()))) << st.diag();
}

TEST_F(Escapes, MalformedEscapesAreSyntaxErrors) {
  Stmt st(c_);
  EXPECT_EQ(st.Exec("SELECT {fn UCASE('a')"), SQL_ERROR);
  EXPECT_EQ(st.state(), "42000");
  EXPECT_EQ(st.Exec("SELECT {bogus 1}"), SQL_ERROR);
  EXPECT_EQ(st.state(), "42000");
  EXPECT_EQ(st.Exec("SELECT {fn CONVERT(1, SQL_NOT_A_TYPE)}"), SQL_ERROR);
  EXPECT_EQ(st.state(), "42000");
}

// Regression (was a driver bug): SQL_ATTR_NOSCAN is stored but ignored: Stmt::Prepare always calls
// pg::RewriteSql(sql) without RewriteOptions{.escapes = (noscan == SQL_NOSCAN_OFF)}.
TEST_F(Escapes, NoScanSendsEscapesUnchanged) {
  // SQL_ATTR_NOSCAN = SQL_NOSCAN_ON: the driver does not scan for escape sequences, so the
  // server sees the braces (a syntax error in PostgreSQL); markers still work.
  Stmt st(c_);
  ASSERT_EQ(SQLSetStmtAttr(st.h(), SQL_ATTR_NOSCAN, (SQLPOINTER)SQL_NOSCAN_ON, 0), SQL_SUCCESS);
  EXPECT_EQ(st.Exec("SELECT {fn UCASE('a')}"), SQL_ERROR);
  EXPECT_EQ(st.state(), "42601");
  EXPECT_EQ(st.Scalar("SELECT 'ok'"), "ok");
}

TEST_F(Escapes, NoScanOffByDefault) {
  Stmt st(c_);
  SQLULEN v = 99;
  ASSERT_EQ(SQLGetStmtAttr(st.h(), SQL_ATTR_NOSCAN, &v, 0, nullptr), SQL_SUCCESS);
  EXPECT_EQ(v, static_cast<SQLULEN>(SQL_NOSCAN_OFF));
}

TEST_F(Escapes, NativeSqlShowsTheTranslation) {
  const char* in = "SELECT {fn UCASE(?)}, {d '2024-01-01'} FROM t WHERE x = ?";
  char out[512] = {0};
  SQLINTEGER len = 0;
  ASSERT_EQ(SQLNativeSql(dbc(), (SQLCHAR*)in, SQL_NTS, (SQLCHAR*)out, sizeof out, &len),
            SQL_SUCCESS)
      << c_.diag();
  EXPECT_STREQ(out, "SELECT upper(CAST($1 AS text)), DATE '2024-01-01' FROM t WHERE x = $2");
  EXPECT_EQ(len, static_cast<SQLINTEGER>(std::strlen(out)));
  // Length only.
  SQLINTEGER len2 = 0;
  ASSERT_EQ(SQLNativeSql(dbc(), (SQLCHAR*)in, SQL_NTS, nullptr, 0, &len2), SQL_SUCCESS);
  EXPECT_EQ(len2, len);
  // Truncation: 01004, the full length, NUL-terminated.
  char small[8] = {0};
  SQLINTEGER len3 = 0;
  EXPECT_EQ(SQLNativeSql(dbc(), (SQLCHAR*)in, SQL_NTS, (SQLCHAR*)small, sizeof small, &len3),
            SQL_SUCCESS_WITH_INFO);
  EXPECT_STREQ(small, "SELECT ");
  EXPECT_EQ(len3, len);
  EXPECT_EQ(States(SQL_HANDLE_DBC, dbc()), "01004");
  // Explicit input length.
  ASSERT_EQ(SQLNativeSql(dbc(), (SQLCHAR*)"SELECT ?, ?", 8, (SQLCHAR*)out, sizeof out, &len),
            SQL_SUCCESS);
  EXPECT_STREQ(out, "SELECT $1");
}

TEST_F(Escapes, NativeSqlWide) {
  std::u16string in = u"SELECT {fn LCASE('X')}";
  SQLWCHAR out[128] = {0};
  SQLINTEGER len = 0;
  ASSERT_EQ(SQLNativeSqlW(dbc(), (SQLWCHAR*)in.c_str(), SQL_NTS, out, 128, &len), SQL_SUCCESS)
      << c_.diag();
  EXPECT_EQ(std::u16string(reinterpret_cast<char16_t*>(out)), u"SELECT lower(CAST('X' AS text))");
  EXPECT_EQ(len, 31);  // characters
}

TEST_F(Escapes, NativeSqlErrors) {
  char out[64];
  SQLINTEGER len;
  EXPECT_EQ(SQLNativeSql(dbc(), nullptr, SQL_NTS, (SQLCHAR*)out, sizeof out, &len), SQL_ERROR);
  EXPECT_EQ(States(SQL_HANDLE_DBC, dbc()), "HY009");
  EXPECT_EQ(SQLNativeSql(dbc(), (SQLCHAR*)"SELECT 1", -5, (SQLCHAR*)out, sizeof out, &len),
            SQL_ERROR);
  EXPECT_EQ(States(SQL_HANDLE_DBC, dbc()), "HY090");
  EXPECT_EQ(SQLNativeSql(dbc(), (SQLCHAR*)"SELECT {oops", SQL_NTS, (SQLCHAR*)out, sizeof out, &len),
            SQL_ERROR);
  EXPECT_EQ(States(SQL_HANDLE_DBC, dbc()), "42000");
}

}  // namespace
}  // namespace lakebase::conformance

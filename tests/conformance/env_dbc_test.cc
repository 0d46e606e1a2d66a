// ODBC chapters "Environment and connection handles", "SQLGetEnvAttr/SQLSetEnvAttr",
// "SQLGetConnectAttr/SQLSetConnectAttr", "SQLGetInfo" and "SQLGetFunctions".
#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

#include "tests/conformance/conformance.h"

namespace lakebase::conformance {
namespace {

// ---------------------------------------------------------------------------------------------
// Environment
TEST(EnvAttr, OdbcVersionRoundTrips) {
  SQLHENV env;
  ASSERT_EQ(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env), SQL_SUCCESS);
  for (SQLINTEGER v : {SQL_OV_ODBC2, SQL_OV_ODBC3_80, SQL_OV_ODBC3}) {
    ASSERT_EQ(SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)(intptr_t)v, 0), SQL_SUCCESS);
    SQLINTEGER got = 0;
    ASSERT_EQ(SQLGetEnvAttr(env, SQL_ATTR_ODBC_VERSION, &got, 0, nullptr), SQL_SUCCESS);
    EXPECT_EQ(got, v);
  }
  // SQLSetEnvAttr: an invalid value for SQL_ATTR_ODBC_VERSION is HY024.
  EXPECT_EQ(SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)(intptr_t)12345, 0), SQL_ERROR);
  EXPECT_EQ(States(SQL_HANDLE_ENV, env), "HY024");
  SQLINTEGER nts = 0;
  ASSERT_EQ(SQLGetEnvAttr(env, SQL_ATTR_OUTPUT_NTS, &nts, 0, nullptr), SQL_SUCCESS);
  EXPECT_EQ(nts, SQL_TRUE);
  SQLFreeHandle(SQL_HANDLE_ENV, env);
}

TEST(EnvAttr, ConnectionHandleNeedsAnOdbcVersion) {
  // SQLAllocHandle: HY010 when SQL_ATTR_ODBC_VERSION was not set before allocating a connection.
  SQLHENV env;
  ASSERT_EQ(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env), SQL_SUCCESS);
  SQLHDBC dbc = SQL_NULL_HDBC;
  EXPECT_EQ(SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc), SQL_ERROR);
  EXPECT_EQ(States(SQL_HANDLE_ENV, env), "HY010");
  SQLFreeHandle(SQL_HANDLE_ENV, env);
}

TEST(EnvAttr, FreeEnvWithLiveConnectionIsSequenceError) {
  Connection c;  // allocated, not connected
  EXPECT_EQ(SQLFreeHandle(SQL_HANDLE_ENV, c.env()), SQL_ERROR);
  EXPECT_EQ(States(SQL_HANDLE_ENV, c.env()), "HY010");
}

// ---------------------------------------------------------------------------------------------
// Connection attributes
class ConnectAttr : public ConformanceTest {
 protected:
  SQLUINTEGER Get(SQLINTEGER attr) {
    SQLUINTEGER v = 0xdeadbeef;
    SQLRETURN rc = SQLGetConnectAttr(dbc(), attr, &v, sizeof v, nullptr);
    EXPECT_EQ(rc, SQL_SUCCESS) << attr << ": " << c_.diag();
    return v;
  }
};

TEST_F(ConnectAttr, Defaults) {
  // SQLSetConnectAttr: autocommit is on by default, access mode read-write; the default
  // isolation is what SQL_DEFAULT_TXN_ISOLATION says.
  EXPECT_EQ(Get(SQL_ATTR_AUTOCOMMIT), static_cast<SQLUINTEGER>(SQL_AUTOCOMMIT_ON));
  EXPECT_EQ(Get(SQL_ATTR_ACCESS_MODE), static_cast<SQLUINTEGER>(SQL_MODE_READ_WRITE));
  SQLUINTEGER def = 0;
  ASSERT_EQ(SQLGetInfo(dbc(), SQL_DEFAULT_TXN_ISOLATION, &def, sizeof def, nullptr), SQL_SUCCESS);
  EXPECT_EQ(Get(SQL_ATTR_TXN_ISOLATION), def);
  EXPECT_EQ(Get(SQL_ATTR_CONNECTION_DEAD), static_cast<SQLUINTEGER>(SQL_CD_FALSE));
  EXPECT_EQ(Get(SQL_ATTR_ASYNC_ENABLE), static_cast<SQLUINTEGER>(SQL_ASYNC_ENABLE_OFF));
  EXPECT_EQ(Get(SQL_ATTR_METADATA_ID), static_cast<SQLUINTEGER>(SQL_FALSE));
  EXPECT_EQ(Get(SQL_ATTR_AUTO_IPD), static_cast<SQLUINTEGER>(SQL_FALSE));
}

TEST_F(ConnectAttr, CurrentCatalogIsTheDatabase) {
  char buf[256] = {0};
  SQLINTEGER len = 0;
  ASSERT_EQ(SQLGetConnectAttr(dbc(), SQL_ATTR_CURRENT_CATALOG, buf, sizeof buf, &len), SQL_SUCCESS);
  EXPECT_EQ(std::string(buf), Scalar("SELECT current_database()"));
  EXPECT_EQ(len, static_cast<SQLINTEGER>(std::strlen(buf)));
}

TEST_F(ConnectAttr, SettableAttributesRoundTrip) {
  struct Case {
    SQLINTEGER attr;
    SQLUINTEGER value;
  };
  for (Case c :
       {Case{SQL_ATTR_LOGIN_TIMEOUT, 17}, Case{SQL_ATTR_CONNECTION_TIMEOUT, 9},
        Case{SQL_ATTR_METADATA_ID, SQL_TRUE}, Case{SQL_ATTR_AUTOCOMMIT, SQL_AUTOCOMMIT_OFF},
        Case{SQL_ATTR_AUTOCOMMIT, SQL_AUTOCOMMIT_ON},
        Case{SQL_ATTR_TXN_ISOLATION, SQL_TXN_SERIALIZABLE},
        Case{SQL_ATTR_TXN_ISOLATION, SQL_TXN_READ_COMMITTED},
        Case{SQL_ATTR_ACCESS_MODE, SQL_MODE_READ_ONLY},
        Case{SQL_ATTR_ACCESS_MODE, SQL_MODE_READ_WRITE}}) {
    ASSERT_TRUE(SQL_SUCCEEDED(SQLSetConnectAttr(dbc(), c.attr, (SQLPOINTER)(uintptr_t)c.value, 0)))
        << c.attr << ": " << c_.diag();
    EXPECT_EQ(Get(c.attr), c.value) << c.attr;
  }
}

TEST_F(ConnectAttr, InvalidAttributeAndValue) {
  // SQLSetConnectAttr: HY092 for an attribute that is not valid; HY024 for a bad value.
  EXPECT_EQ(SQLSetConnectAttr(dbc(), 987654, (SQLPOINTER)1, 0), SQL_ERROR);
  EXPECT_EQ(States(SQL_HANDLE_DBC, dbc()), "HY092");
  EXPECT_EQ(SQLSetConnectAttr(dbc(), SQL_ATTR_TXN_ISOLATION, (SQLPOINTER)12345, 0), SQL_ERROR);
  EXPECT_EQ(States(SQL_HANDLE_DBC, dbc()), "HY024");
}

TEST_F(ConnectAttr, AlreadyConnectedIs08002) {
  SQLRETURN rc = SQLDriverConnect(dbc(), nullptr, (SQLCHAR*)ConnStr().c_str(), SQL_NTS, nullptr, 0,
                                  nullptr, SQL_DRIVER_NOPROMPT);
  EXPECT_EQ(rc, SQL_ERROR);
  EXPECT_EQ(States(SQL_HANDLE_DBC, dbc()), "08002");
}

TEST(Connect, DisconnectWhenNotConnectedIs08003) {
  Connection c;
  EXPECT_EQ(SQLDisconnect(c.dbc()), SQL_ERROR);
  EXPECT_EQ(States(SQL_HANDLE_DBC, c.dbc()), "08003");
}

// ---------------------------------------------------------------------------------------------
// SQLGetInfo
enum class Kind { kString, kU16, kU32 };
struct InfoType {
  SQLUSMALLINT type;
  Kind kind;
  const char* name;
};
#define S(x) \
  InfoType { x, Kind::kString, #x }
#define U16(x) \
  InfoType { x, Kind::kU16, #x }
#define U32(x) \
  InfoType { x, Kind::kU32, #x }
// Every information type of the SQLGetInfo reference page that a driver answers (SQL_DM_VER and
// SQL_ODBC_VER are the driver manager's; SQL_DRIVER_H* are handles).
const InfoType kInfoTypes[] = {
    S(SQL_ACCESSIBLE_PROCEDURES),
    S(SQL_ACCESSIBLE_TABLES),
    U16(SQL_ACTIVE_ENVIRONMENTS),
    U32(SQL_AGGREGATE_FUNCTIONS),
    U32(SQL_ALTER_DOMAIN),
    U32(SQL_ALTER_TABLE),
    U32(SQL_ASYNC_DBC_FUNCTIONS),
    U32(SQL_ASYNC_MODE),
    U32(SQL_ASYNC_NOTIFICATION),
    U32(SQL_BATCH_ROW_COUNT),
    U32(SQL_BATCH_SUPPORT),
    U32(SQL_BOOKMARK_PERSISTENCE),
    U16(SQL_CATALOG_LOCATION),
    S(SQL_CATALOG_NAME),
    S(SQL_CATALOG_NAME_SEPARATOR),
    S(SQL_CATALOG_TERM),
    U32(SQL_CATALOG_USAGE),
    S(SQL_COLLATION_SEQ),
    S(SQL_COLUMN_ALIAS),
    U16(SQL_CONCAT_NULL_BEHAVIOR),
    U32(SQL_CONVERT_BIGINT),
    U32(SQL_CONVERT_BINARY),
    U32(SQL_CONVERT_BIT),
    U32(SQL_CONVERT_CHAR),
    U32(SQL_CONVERT_DATE),
    U32(SQL_CONVERT_DECIMAL),
    U32(SQL_CONVERT_DOUBLE),
    U32(SQL_CONVERT_FLOAT),
    U32(SQL_CONVERT_GUID),
    U32(SQL_CONVERT_INTEGER),
    U32(SQL_CONVERT_INTERVAL_DAY_TIME),
    U32(SQL_CONVERT_INTERVAL_YEAR_MONTH),
    U32(SQL_CONVERT_LONGVARBINARY),
    U32(SQL_CONVERT_LONGVARCHAR),
    U32(SQL_CONVERT_NUMERIC),
    U32(SQL_CONVERT_REAL),
    U32(SQL_CONVERT_SMALLINT),
    U32(SQL_CONVERT_TIME),
    U32(SQL_CONVERT_TIMESTAMP),
    U32(SQL_CONVERT_TINYINT),
    U32(SQL_CONVERT_VARBINARY),
    U32(SQL_CONVERT_VARCHAR),
    U32(SQL_CONVERT_WCHAR),
    U32(SQL_CONVERT_WLONGVARCHAR),
    U32(SQL_CONVERT_WVARCHAR),
    U32(SQL_CONVERT_FUNCTIONS),
    U16(SQL_CORRELATION_NAME),
    U32(SQL_CREATE_ASSERTION),
    U32(SQL_CREATE_CHARACTER_SET),
    U32(SQL_CREATE_COLLATION),
    U32(SQL_CREATE_DOMAIN),
    U32(SQL_CREATE_SCHEMA),
    U32(SQL_CREATE_TABLE),
    U32(SQL_CREATE_TRANSLATION),
    U32(SQL_CREATE_VIEW),
    U16(SQL_CURSOR_COMMIT_BEHAVIOR),
    U16(SQL_CURSOR_ROLLBACK_BEHAVIOR),
    U32(SQL_CURSOR_SENSITIVITY),
    S(SQL_DATA_SOURCE_NAME),
    S(SQL_DATA_SOURCE_READ_ONLY),
    S(SQL_DATABASE_NAME),
    U32(SQL_DATETIME_LITERALS),
    S(SQL_DBMS_NAME),
    S(SQL_DBMS_VER),
    U32(SQL_DDL_INDEX),
    U32(SQL_DEFAULT_TXN_ISOLATION),
    S(SQL_DESCRIBE_PARAMETER),
    S(SQL_DRIVER_NAME),
    S(SQL_DRIVER_ODBC_VER),
    S(SQL_DRIVER_VER),
    U32(SQL_DRIVER_AWARE_POOLING_SUPPORTED),
    U32(SQL_DROP_ASSERTION),
    U32(SQL_DROP_CHARACTER_SET),
    U32(SQL_DROP_COLLATION),
    U32(SQL_DROP_DOMAIN),
    U32(SQL_DROP_SCHEMA),
    U32(SQL_DROP_TABLE),
    U32(SQL_DROP_TRANSLATION),
    U32(SQL_DROP_VIEW),
    U32(SQL_DYNAMIC_CURSOR_ATTRIBUTES1),
    U32(SQL_DYNAMIC_CURSOR_ATTRIBUTES2),
    S(SQL_EXPRESSIONS_IN_ORDERBY),
    U16(SQL_FILE_USAGE),
    U32(SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES1),
    U32(SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES2),
    U32(SQL_GETDATA_EXTENSIONS),
    U16(SQL_GROUP_BY),
    U16(SQL_IDENTIFIER_CASE),
    S(SQL_IDENTIFIER_QUOTE_CHAR),
    U32(SQL_INDEX_KEYWORDS),
    U32(SQL_INFO_SCHEMA_VIEWS),
    U32(SQL_INSERT_STATEMENT),
    S(SQL_INTEGRITY),
    U32(SQL_KEYSET_CURSOR_ATTRIBUTES1),
    U32(SQL_KEYSET_CURSOR_ATTRIBUTES2),
    S(SQL_KEYWORDS),
    S(SQL_LIKE_ESCAPE_CLAUSE),
    U32(SQL_MAX_ASYNC_CONCURRENT_STATEMENTS),
    U32(SQL_MAX_BINARY_LITERAL_LEN),
    U16(SQL_MAX_CATALOG_NAME_LEN),
    U32(SQL_MAX_CHAR_LITERAL_LEN),
    U16(SQL_MAX_COLUMN_NAME_LEN),
    U16(SQL_MAX_COLUMNS_IN_GROUP_BY),
    U16(SQL_MAX_COLUMNS_IN_INDEX),
    U16(SQL_MAX_COLUMNS_IN_ORDER_BY),
    U16(SQL_MAX_COLUMNS_IN_SELECT),
    U16(SQL_MAX_COLUMNS_IN_TABLE),
    U16(SQL_MAX_CONCURRENT_ACTIVITIES),
    U16(SQL_MAX_CURSOR_NAME_LEN),
    U16(SQL_MAX_DRIVER_CONNECTIONS),
    U16(SQL_MAX_IDENTIFIER_LEN),
    U32(SQL_MAX_INDEX_SIZE),
    U16(SQL_MAX_PROCEDURE_NAME_LEN),
    U32(SQL_MAX_ROW_SIZE),
    S(SQL_MAX_ROW_SIZE_INCLUDES_LONG),
    U16(SQL_MAX_SCHEMA_NAME_LEN),
    U32(SQL_MAX_STATEMENT_LEN),
    U16(SQL_MAX_TABLE_NAME_LEN),
    U16(SQL_MAX_TABLES_IN_SELECT),
    U16(SQL_MAX_USER_NAME_LEN),
    S(SQL_MULT_RESULT_SETS),
    S(SQL_MULTIPLE_ACTIVE_TXN),
    S(SQL_NEED_LONG_DATA_LEN),
    U16(SQL_NON_NULLABLE_COLUMNS),
    U16(SQL_NULL_COLLATION),
    U32(SQL_NUMERIC_FUNCTIONS),
    U32(SQL_ODBC_INTERFACE_CONFORMANCE),
    U32(SQL_OJ_CAPABILITIES),
    S(SQL_ORDER_BY_COLUMNS_IN_SELECT),
    U32(SQL_PARAM_ARRAY_ROW_COUNTS),
    U32(SQL_PARAM_ARRAY_SELECTS),
    S(SQL_PROCEDURE_TERM),
    S(SQL_PROCEDURES),
    U16(SQL_QUOTED_IDENTIFIER_CASE),
    S(SQL_ROW_UPDATES),
    S(SQL_SCHEMA_TERM),
    U32(SQL_SCHEMA_USAGE),
    U32(SQL_SCROLL_OPTIONS),
    S(SQL_SEARCH_PATTERN_ESCAPE),
    S(SQL_SERVER_NAME),
    S(SQL_SPECIAL_CHARACTERS),
    U32(SQL_SQL_CONFORMANCE),
    U32(SQL_SQL92_DATETIME_FUNCTIONS),
    U32(SQL_SQL92_FOREIGN_KEY_DELETE_RULE),
    U32(SQL_SQL92_FOREIGN_KEY_UPDATE_RULE),
    U32(SQL_SQL92_GRANT),
    U32(SQL_SQL92_NUMERIC_VALUE_FUNCTIONS),
    U32(SQL_SQL92_PREDICATES),
    U32(SQL_SQL92_RELATIONAL_JOIN_OPERATORS),
    U32(SQL_SQL92_REVOKE),
    U32(SQL_SQL92_ROW_VALUE_CONSTRUCTOR),
    U32(SQL_SQL92_STRING_FUNCTIONS),
    U32(SQL_SQL92_VALUE_EXPRESSIONS),
    U32(SQL_STANDARD_CLI_CONFORMANCE),
    U32(SQL_STATIC_CURSOR_ATTRIBUTES1),
    U32(SQL_STATIC_CURSOR_ATTRIBUTES2),
    U32(SQL_STRING_FUNCTIONS),
    U32(SQL_SUBQUERIES),
    U32(SQL_SYSTEM_FUNCTIONS),
    S(SQL_TABLE_TERM),
    U32(SQL_TIMEDATE_ADD_INTERVALS),
    U32(SQL_TIMEDATE_DIFF_INTERVALS),
    U32(SQL_TIMEDATE_FUNCTIONS),
    U16(SQL_TXN_CAPABLE),
    U32(SQL_TXN_ISOLATION_OPTION),
    U32(SQL_UNION),
    S(SQL_USER_NAME),
    S(SQL_XOPEN_CLI_YEAR),
    // ODBC 2 information types a 3.x driver still answers (SQLGetInfo, "Information Types").
    U32(SQL_FETCH_DIRECTION),
    U32(SQL_LOCK_TYPES),
    U16(SQL_ODBC_API_CONFORMANCE),
    U16(SQL_ODBC_SQL_CONFORMANCE),
    U32(SQL_POS_OPERATIONS),
    U32(SQL_POSITIONED_STATEMENTS),
    U32(SQL_SCROLL_CONCURRENCY),
    U32(SQL_STATIC_SENSITIVITY),
    S(SQL_OUTER_JOINS),
    U16(SQL_ODBC_SAG_CLI_CONFORMANCE),
};
#undef S
#undef U16
#undef U32

class GetInfo : public ConformanceTest {
 protected:
  std::string Str(SQLUSMALLINT type) {
    char buf[8192] = {0};
    SQLSMALLINT len = -1;
    SQLRETURN rc = SQLGetInfo(dbc(), type, buf, sizeof buf, &len);
    EXPECT_EQ(rc, SQL_SUCCESS) << type << ": " << c_.diag();
    EXPECT_EQ(len, static_cast<SQLSMALLINT>(std::strlen(buf))) << type;
    return buf;
  }
  SQLUINTEGER U32(SQLUSMALLINT type) {
    SQLUINTEGER v = 0;
    SQLSMALLINT len = -1;
    EXPECT_EQ(SQLGetInfo(dbc(), type, &v, sizeof v, &len), SQL_SUCCESS)
        << type << ": " << c_.diag();
    return v;
  }
  SQLUSMALLINT U16(SQLUSMALLINT type) {
    SQLUSMALLINT v = 0;
    EXPECT_EQ(SQLGetInfo(dbc(), type, &v, sizeof v, nullptr), SQL_SUCCESS)
        << type << ": " << c_.diag();
    return v;
  }
};

TEST_F(GetInfo, EveryInformationTypeIsAnsweredWithItsSize) {
  for (const auto& t : kInfoTypes) {
    unsigned char buf[8192];
    std::memset(buf, 0xab, sizeof buf);
    SQLSMALLINT len = -1;
    SQLRETURN rc = SQLGetInfo(dbc(), t.type, buf, sizeof buf, &len);
    ASSERT_EQ(rc, SQL_SUCCESS) << t.name << ": " << c_.diag();
    switch (t.kind) {
      case Kind::kString:
        EXPECT_EQ(len, static_cast<SQLSMALLINT>(std::strlen(reinterpret_cast<char*>(buf))))
            << t.name;
        break;
      case Kind::kU16:
        EXPECT_EQ(len, 2) << t.name;
        break;
      case Kind::kU32:
        EXPECT_EQ(len, 4) << t.name;
        break;
    }
  }
}

TEST_F(GetInfo, UnknownInformationTypeIsHY096) {
  char buf[64];
  SQLSMALLINT len;
  EXPECT_EQ(SQLGetInfo(dbc(), 4321, buf, sizeof buf, &len), SQL_ERROR);
  EXPECT_EQ(States(SQL_HANDLE_DBC, dbc()), "HY096");
}

TEST_F(GetInfo, StringTruncationIs01004WithTheFullLength) {
  char buf[5] = {0};
  SQLSMALLINT len = 0;
  EXPECT_EQ(SQLGetInfo(dbc(), SQL_DBMS_NAME, buf, sizeof buf, &len), SQL_SUCCESS_WITH_INFO);
  EXPECT_STREQ(buf, "Post");
  EXPECT_EQ(len, 10);
  EXPECT_EQ(States(SQL_HANDLE_DBC, dbc()), "01004");
}

TEST_F(GetInfo, WideVariantCountsBytes) {
  SQLWCHAR buf[64] = {0};
  SQLSMALLINT len = 0;
  ASSERT_EQ(SQLGetInfoW(dbc(), SQL_DBMS_NAME, buf, sizeof buf, &len), SQL_SUCCESS);
  EXPECT_EQ(len, 20);  // "PostgreSQL": 10 characters, 20 bytes
  EXPECT_EQ(std::u16string(reinterpret_cast<char16_t*>(buf)), u"PostgreSQL");
}

TEST_F(GetInfo, DriverAndServerIdentity) {
  EXPECT_EQ(Str(SQL_DRIVER_ODBC_VER), "03.80");
  EXPECT_EQ(Str(SQL_DBMS_NAME), "PostgreSQL");
  // SQL_DBMS_VER and SQL_DRIVER_VER: ##.##.#### optionally followed by vendor text.
  std::string dbms = Str(SQL_DBMS_VER);
  ASSERT_GE(dbms.size(), 10u);
  for (size_t i : {0, 1, 3, 4, 6, 7, 8, 9})
    EXPECT_TRUE(std::isdigit((unsigned char)dbms[i])) << dbms;
  EXPECT_EQ(dbms[2], '.');
  EXPECT_EQ(dbms[5], '.');
  std::string num = Scalar("SHOW server_version_num");
  EXPECT_EQ(std::stoi(dbms.substr(0, 2)), std::stoi(num) / 10000) << dbms;
  std::string drv = Str(SQL_DRIVER_VER);
  ASSERT_GE(drv.size(), 10u) << drv;
  EXPECT_EQ(drv[2], '.');
  EXPECT_EQ(drv[5], '.');
  EXPECT_EQ(Str(SQL_DATABASE_NAME), Scalar("SELECT current_database()"));
  EXPECT_EQ(Str(SQL_USER_NAME), Scalar("SELECT current_user"));
  EXPECT_EQ(Str(SQL_IDENTIFIER_QUOTE_CHAR), "\"");
  EXPECT_EQ(U16(SQL_IDENTIFIER_CASE), SQL_IC_LOWER);
  EXPECT_EQ(U16(SQL_QUOTED_IDENTIFIER_CASE), SQL_IC_SENSITIVE);
  EXPECT_EQ(U16(SQL_MAX_IDENTIFIER_LEN), std::stoi(Scalar("SHOW max_identifier_length")));
  EXPECT_EQ(U16(SQL_MAX_COLUMN_NAME_LEN), std::stoi(Scalar("SHOW max_identifier_length")));
  EXPECT_EQ(U16(SQL_MAX_TABLE_NAME_LEN), std::stoi(Scalar("SHOW max_identifier_length")));
  EXPECT_EQ(U32(SQL_ODBC_INTERFACE_CONFORMANCE) >= SQL_OIC_CORE, true);
  EXPECT_EQ(Str(SQL_DATA_SOURCE_READ_ONLY), "N");
  EXPECT_EQ(U16(SQL_NULL_COLLATION), SQL_NC_HIGH);  // NULLs sort last ascending in PostgreSQL
  EXPECT_EQ(U16(SQL_CONCAT_NULL_BEHAVIOR), SQL_CB_NULL);
  EXPECT_EQ(Scalar("SELECT CASE WHEN NULL || 'a' IS NULL THEN 'null' END"), "null");
}

TEST_F(GetInfo, ReadOnlyFollowsAccessMode) {
  ASSERT_TRUE(SQL_SUCCEEDED(
      SQLSetConnectAttr(dbc(), SQL_ATTR_ACCESS_MODE, (SQLPOINTER)SQL_MODE_READ_ONLY, 0)));
  EXPECT_EQ(Str(SQL_DATA_SOURCE_READ_ONLY), "Y");
}

TEST_F(GetInfo, KeywordsAreThePostgresReservedWordsOdbcDoesNotReserve) {
  // SQL_KEYWORDS: data-source-specific keywords only, i.e. not those on ODBC's reserved list
  // (appendix C, "Reserved Keywords").
  static const std::set<std::string> kOdbc = {"ABSOLUTE",
                                              "ACTION",
                                              "ADA",
                                              "ADD",
                                              "ALL",
                                              "ALLOCATE",
                                              "ALTER",
                                              "AND",
                                              "ANY",
                                              "ARE",
                                              "AS",
                                              "ASC",
                                              "ASSERTION",
                                              "AT",
                                              "AUTHORIZATION",
                                              "AVG",
                                              "BEGIN",
                                              "BETWEEN",
                                              "BIT",
                                              "BIT_LENGTH",
                                              "BOTH",
                                              "BY",
                                              "CASCADE",
                                              "CASCADED",
                                              "CASE",
                                              "CAST",
                                              "CATALOG",
                                              "CHAR",
                                              "CHAR_LENGTH",
                                              "CHARACTER",
                                              "CHARACTER_LENGTH",
                                              "CHECK",
                                              "CLOSE",
                                              "COALESCE",
                                              "COLLATE",
                                              "COLLATION",
                                              "COLUMN",
                                              "COMMIT",
                                              "CONNECT",
                                              "CONNECTION",
                                              "CONSTRAINT",
                                              "CONSTRAINTS",
                                              "CONTINUE",
                                              "CONVERT",
                                              "CORRESPONDING",
                                              "COUNT",
                                              "CREATE",
                                              "CROSS",
                                              "CURRENT",
                                              "CURRENT_DATE",
                                              "CURRENT_TIME",
                                              "CURRENT_TIMESTAMP",
                                              "CURRENT_USER",
                                              "CURSOR",
                                              "DATE",
                                              "DAY",
                                              "DEALLOCATE",
                                              "DEC",
                                              "DECIMAL",
                                              "DECLARE",
                                              "DEFAULT",
                                              "DEFERRABLE",
                                              "DEFERRED",
                                              "DELETE",
                                              "DESC",
                                              "DESCRIBE",
                                              "DESCRIPTOR",
                                              "DIAGNOSTICS",
                                              "DISCONNECT",
                                              "DISTINCT",
                                              "DOMAIN",
                                              "DOUBLE",
                                              "DROP",
                                              "ELSE",
                                              "END",
                                              "END-EXEC",
                                              "ESCAPE",
                                              "EXCEPT",
                                              "EXCEPTION",
                                              "EXEC",
                                              "EXECUTE",
                                              "EXISTS",
                                              "EXTERNAL",
                                              "EXTRACT",
                                              "FALSE",
                                              "FETCH",
                                              "FIRST",
                                              "FLOAT",
                                              "FOR",
                                              "FOREIGN",
                                              "FORTRAN",
                                              "FOUND",
                                              "FROM",
                                              "FULL",
                                              "GET",
                                              "GLOBAL",
                                              "GO",
                                              "GOTO",
                                              "GRANT",
                                              "GROUP",
                                              "HAVING",
                                              "HOUR",
                                              "IDENTITY",
                                              "IMMEDIATE",
                                              "IN",
                                              "INCLUDE",
                                              "INDEX",
                                              "INDICATOR",
                                              "INITIALLY",
                                              "INNER",
                                              "INPUT",
                                              "INSENSITIVE",
                                              "INSERT",
                                              "INT",
                                              "INTEGER",
                                              "INTERSECT",
                                              "INTERVAL",
                                              "INTO",
                                              "IS",
                                              "ISOLATION",
                                              "JOIN",
                                              "KEY",
                                              "LANGUAGE",
                                              "LAST",
                                              "LEADING",
                                              "LEFT",
                                              "LEVEL",
                                              "LIKE",
                                              "LOCAL",
                                              "LOWER",
                                              "MATCH",
                                              "MAX",
                                              "MIN",
                                              "MINUTE",
                                              "MODULE",
                                              "MONTH",
                                              "NAMES",
                                              "NATIONAL",
                                              "NATURAL",
                                              "NCHAR",
                                              "NEXT",
                                              "NO",
                                              "NONE",
                                              "NOT",
                                              "NULL",
                                              "NULLIF",
                                              "NUMERIC",
                                              "OCTET_LENGTH",
                                              "OF",
                                              "ON",
                                              "ONLY",
                                              "OPEN",
                                              "OPTION",
                                              "OR",
                                              "ORDER",
                                              "OUTER",
                                              "OUTPUT",
                                              "OVERLAPS",
                                              "PAD",
                                              "PARTIAL",
                                              "PASCAL",
                                              "POSITION",
                                              "PRECISION",
                                              "PREPARE",
                                              "PRESERVE",
                                              "PRIMARY",
                                              "PRIOR",
                                              "PRIVILEGES",
                                              "PROCEDURE",
                                              "PUBLIC",
                                              "READ",
                                              "REAL",
                                              "REFERENCES",
                                              "RELATIVE",
                                              "RESTRICT",
                                              "REVOKE",
                                              "RIGHT",
                                              "ROLLBACK",
                                              "ROWS",
                                              "SCHEMA",
                                              "SCROLL",
                                              "SECOND",
                                              "SECTION",
                                              "SELECT",
                                              "SESSION",
                                              "SESSION_USER",
                                              "SET",
                                              "SIZE",
                                              "SMALLINT",
                                              "SOME",
                                              "SPACE",
                                              "SQL",
                                              "SQLCA",
                                              "SQLCODE",
                                              "SQLERROR",
                                              "SQLSTATE",
                                              "SQLWARNING",
                                              "SUBSTRING",
                                              "SUM",
                                              "SYSTEM_USER",
                                              "TABLE",
                                              "TEMPORARY",
                                              "THEN",
                                              "TIME",
                                              "TIMESTAMP",
                                              "TIMEZONE_HOUR",
                                              "TIMEZONE_MINUTE",
                                              "TO",
                                              "TRAILING",
                                              "TRANSACTION",
                                              "TRANSLATE",
                                              "TRANSLATION",
                                              "TRIM",
                                              "TRUE",
                                              "UNION",
                                              "UNIQUE",
                                              "UNKNOWN",
                                              "UPDATE",
                                              "UPPER",
                                              "USAGE",
                                              "USER",
                                              "USING",
                                              "VALUE",
                                              "VALUES",
                                              "VARCHAR",
                                              "VARYING",
                                              "VIEW",
                                              "WHEN",
                                              "WHENEVER",
                                              "WHERE",
                                              "WITH",
                                              "WORK",
                                              "WRITE",
                                              "YEAR",
                                              "ZONE"};
  std::set<std::string> advertised;
  std::stringstream ss(Str(SQL_KEYWORDS));
  for (std::string w; std::getline(ss, w, ',');) advertised.insert(w);
  std::set<std::string> expected;
  std::stringstream server(
      Scalar("SELECT string_agg(upper(word), ',' ORDER BY word) FROM pg_get_keywords() "
             "WHERE catcode IN ('R', 'T')"));
  for (std::string w; std::getline(server, w, ',');) {
    if (!kOdbc.count(w)) expected.insert(w);
  }
  EXPECT_EQ(advertised, expected);
}

TEST_F(GetInfo, ConvertBitmasksMatchWhatConvertDoes) {
  // SQL_CONVERT_<from>: bit SQL_CVT_<to> set exactly when {fn CONVERT(<from value>, SQL_<to>)}
  // works (SQLGetInfo; appendix E "Explicit Data Type Conversion").
  struct T {
    SQLUSMALLINT info;
    SQLUINTEGER bit;
    const char* pg;    // a PostgreSQL type of that SQL type (nullptr: there is none)
    const char* name;  // SQL_<name> for CONVERT
  };
  const T types[] = {
      {SQL_CONVERT_BIGINT, SQL_CVT_BIGINT, "int8", "BIGINT"},
      {SQL_CONVERT_BINARY, SQL_CVT_BINARY, "bytea", "BINARY"},
      {SQL_CONVERT_BIT, SQL_CVT_BIT, "boolean", "BIT"},
      {SQL_CONVERT_CHAR, SQL_CVT_CHAR, "char(10)", "CHAR"},
      {SQL_CONVERT_DATE, SQL_CVT_DATE, "date", "DATE"},
      {SQL_CONVERT_DECIMAL, SQL_CVT_DECIMAL, "numeric(10,2)", "DECIMAL"},
      {SQL_CONVERT_DOUBLE, SQL_CVT_DOUBLE, "float8", "DOUBLE"},
      {SQL_CONVERT_FLOAT, SQL_CVT_FLOAT, "float8", "FLOAT"},
      {SQL_CONVERT_INTEGER, SQL_CVT_INTEGER, "int4", "INTEGER"},
      {SQL_CONVERT_INTERVAL_DAY_TIME, SQL_CVT_INTERVAL_DAY_TIME, "interval day to second",
       "INTERVAL_DAY_TO_SECOND"},
      {SQL_CONVERT_INTERVAL_YEAR_MONTH, SQL_CVT_INTERVAL_YEAR_MONTH, "interval year to month",
       "INTERVAL_YEAR_TO_MONTH"},
      {SQL_CONVERT_LONGVARBINARY, SQL_CVT_LONGVARBINARY, "bytea", "LONGVARBINARY"},
      {SQL_CONVERT_LONGVARCHAR, SQL_CVT_LONGVARCHAR, "text", "LONGVARCHAR"},
      {SQL_CONVERT_NUMERIC, SQL_CVT_NUMERIC, "numeric", "NUMERIC"},
      {SQL_CONVERT_REAL, SQL_CVT_REAL, "float4", "REAL"},
      {SQL_CONVERT_SMALLINT, SQL_CVT_SMALLINT, "int2", "SMALLINT"},
      {SQL_CONVERT_TIME, SQL_CVT_TIME, "time", "TIME"},
      {SQL_CONVERT_TIMESTAMP, SQL_CVT_TIMESTAMP, "timestamp", "TIMESTAMP"},
      {SQL_CONVERT_TINYINT, SQL_CVT_TINYINT, nullptr, "TINYINT"},
      {SQL_CONVERT_VARBINARY, SQL_CVT_VARBINARY, "bytea", "VARBINARY"},
      {SQL_CONVERT_VARCHAR, SQL_CVT_VARCHAR, "varchar(20)", "VARCHAR"},
      {SQL_CONVERT_WCHAR, SQL_CVT_WCHAR, "char(10)", "WCHAR"},
      {SQL_CONVERT_WLONGVARCHAR, SQL_CVT_WLONGVARCHAR, "text", "WLONGVARCHAR"},
      {SQL_CONVERT_WVARCHAR, SQL_CVT_WVARCHAR, "varchar(20)", "WVARCHAR"},
      {SQL_CONVERT_GUID, SQL_CVT_GUID, "uuid", "GUID"},
  };
  Stmt st(c_);
  for (const auto& from : types) {
    SQLUINTEGER mask = U32(from.info);
    if (from.pg == nullptr) {
      EXPECT_EQ(mask, 0u) << "PostgreSQL has no " << from.name << " type";
      continue;
    }
    // A type converts to itself (SQLGetInfo: a zero bitmask means not even that).
    EXPECT_TRUE(mask & from.bit) << from.name;
    for (const auto& to : types) {
      if (to.pg == nullptr) {
        EXPECT_FALSE(mask & to.bit) << from.name << " -> " << to.name;
        continue;
      }
      std::string sql =
          std::string("SELECT {fn CONVERT(CAST(NULL AS ") + from.pg + "), SQL_" + to.name + ")}";
      st.Close();
      bool works = SQL_SUCCEEDED(st.Exec(sql));
      EXPECT_EQ(static_cast<bool>(mask & to.bit), works)
          << "SQL_CONVERT_" << from.name << " bit SQL_CVT_" << to.name << ": " << st.diag();
    }
  }
}

TEST_F(GetInfo, InformationSchemaViewsExist) {
  struct V {
    SQLUINTEGER bit;
    const char* view;
  };
  const V views[] = {
      {SQL_ISV_ASSERTIONS, "assertions"},
      {SQL_ISV_CHARACTER_SETS, "character_sets"},
      {SQL_ISV_CHECK_CONSTRAINTS, "check_constraints"},
      {SQL_ISV_COLLATIONS, "collations"},
      {SQL_ISV_COLUMN_DOMAIN_USAGE, "column_domain_usage"},
      {SQL_ISV_COLUMN_PRIVILEGES, "column_privileges"},
      {SQL_ISV_COLUMNS, "columns"},
      {SQL_ISV_CONSTRAINT_COLUMN_USAGE, "constraint_column_usage"},
      {SQL_ISV_CONSTRAINT_TABLE_USAGE, "constraint_table_usage"},
      {SQL_ISV_DOMAIN_CONSTRAINTS, "domain_constraints"},
      {SQL_ISV_DOMAINS, "domains"},
      {SQL_ISV_KEY_COLUMN_USAGE, "key_column_usage"},
      {SQL_ISV_REFERENTIAL_CONSTRAINTS, "referential_constraints"},
      {SQL_ISV_SCHEMATA, "schemata"},
      {SQL_ISV_SQL_LANGUAGES, "sql_languages"},
      {SQL_ISV_TABLE_CONSTRAINTS, "table_constraints"},
      {SQL_ISV_TABLE_PRIVILEGES, "table_privileges"},
      {SQL_ISV_TABLES, "tables"},
      {SQL_ISV_TRANSLATIONS, "translations"},
      {SQL_ISV_USAGE_PRIVILEGES, "usage_privileges"},
      {SQL_ISV_VIEW_COLUMN_USAGE, "view_column_usage"},
      {SQL_ISV_VIEW_TABLE_USAGE, "view_table_usage"},
      {SQL_ISV_VIEWS, "views"},
  };
  SQLUINTEGER mask = U32(SQL_INFO_SCHEMA_VIEWS);
  for (const auto& v : views) {
    std::string n = Scalar(std::string("SELECT count(*) FROM pg_views WHERE schemaname = "
                                       "'information_schema' AND viewname = '") +
                           v.view + "'");
    EXPECT_EQ(static_cast<bool>(mask & v.bit), n == "1") << v.view;
  }
}

TEST_F(GetInfo, AdvertisedIsolationLevelsCanBeSet) {
  SQLUINTEGER levels = U32(SQL_TXN_ISOLATION_OPTION);
  const std::pair<SQLUINTEGER, const char*> all[] = {{SQL_TXN_READ_UNCOMMITTED, "read uncommitted"},
                                                     {SQL_TXN_READ_COMMITTED, "read committed"},
                                                     {SQL_TXN_REPEATABLE_READ, "repeatable read"},
                                                     {SQL_TXN_SERIALIZABLE, "serializable"}};
  for (auto [bit, name] : all) {
    if (!(levels & bit)) continue;
    ASSERT_TRUE(SQL_SUCCEEDED(
        SQLSetConnectAttr(dbc(), SQL_ATTR_TXN_ISOLATION, (SQLPOINTER)(uintptr_t)bit, 0)))
        << c_.diag();
    EXPECT_EQ(Scalar("SHOW default_transaction_isolation"), name);
  }
}

TEST_F(GetInfo, CatalogUsageAdvertisedWorks) {
  // SQL_CATALOG_USAGE: DML and table definitions accept the catalog (database) name.
  SQLUINTEGER usage = U32(SQL_CATALOG_USAGE);
  std::string db = "\"" + Scalar("SELECT current_database()") + "\"";
  if (usage & SQL_CU_TABLE_DEFINITION) {
    Run("DROP TABLE IF EXISTS conf_catalog_usage");
    Run("CREATE TABLE " + db + ".public.conf_catalog_usage (i int)");
  }
  if (usage & SQL_CU_DML_STATEMENTS) {
    EXPECT_EQ(Scalar("SELECT count(*) FROM " + db + ".public.conf_catalog_usage"), "0");
  }
  Run("DROP TABLE IF EXISTS conf_catalog_usage");
  EXPECT_EQ(Str(SQL_CATALOG_NAME_SEPARATOR), ".");
  EXPECT_EQ(U16(SQL_CATALOG_LOCATION), SQL_CL_START);
}

TEST_F(GetInfo, SpecialCharactersAreUsableInIdentifiers) {
  // SQL_SPECIAL_CHARACTERS: characters other than a-z, A-Z, 0-9 and _ usable in an identifier.
  std::string special = Str(SQL_SPECIAL_CHARACTERS);
  for (char ch : special) {
    EXPECT_FALSE(std::isalnum((unsigned char)ch) || ch == '_') << special;
    std::string sql = std::string("SELECT 1 AS a") + ch + "b";
    EXPECT_EQ(Scalar(sql), "1") << sql;
  }
}

TEST_F(GetInfo, CursorBehaviourAtCommitIsWhatTheDriverDoes) {
  // SQL_CURSOR_COMMIT_BEHAVIOR: CLOSE means a cursor is closed by SQLEndTran (fetch: 24000) but
  // the prepared statement can run again; PRESERVE means it stays open.
  SQLUSMALLINT behaviour = U16(SQL_CURSOR_COMMIT_BEHAVIOR);
  ASSERT_TRUE(SQL_SUCCEEDED(
      SQLSetConnectAttr(dbc(), SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0)));
  Stmt st(c_);
  ASSERT_TRUE(SQL_SUCCEEDED(st.Prepare("SELECT g FROM generate_series(1, 3) g")));
  ASSERT_TRUE(SQL_SUCCEEDED(SQLExecute(st.h())));
  ASSERT_EQ(SQLFetch(st.h()), SQL_SUCCESS);
  ASSERT_EQ(SQLEndTran(SQL_HANDLE_DBC, dbc(), SQL_COMMIT), SQL_SUCCESS);
  SQLRETURN rc = SQLFetch(st.h());
  if (behaviour == SQL_CB_PRESERVE) {
    EXPECT_EQ(rc, SQL_SUCCESS) << st.diag();
  } else {
    // The cursor is closed: fetching is a sequence error (the driver manager's state tables
    // say HY010 for a statement back in the prepared state; a driver alone would say 24000).
    EXPECT_EQ(rc, SQL_ERROR);
    EXPECT_TRUE(st.states() == "24000" || st.states() == "HY010") << st.states();
    if (behaviour == SQL_CB_CLOSE) EXPECT_TRUE(SQL_SUCCEEDED(SQLExecute(st.h()))) << st.diag();
  }
}

// ---------------------------------------------------------------------------------------------
// SQLGetFunctions
class GetFunctions : public ConformanceTest {};

TEST_F(GetFunctions, BitmapAgreesWithSingleQueries) {
  SQLUSMALLINT bitmap[SQL_API_ODBC3_ALL_FUNCTIONS_SIZE] = {0};
  ASSERT_EQ(SQLGetFunctions(dbc(), SQL_API_ODBC3_ALL_FUNCTIONS, bitmap), SQL_SUCCESS);
  for (SQLUSMALLINT f : {SQL_API_SQLPREPARE, SQL_API_SQLEXECUTE, SQL_API_SQLFETCHSCROLL,
                         SQL_API_SQLGETINFO, SQL_API_SQLBINDPARAMETER, SQL_API_SQLGETDIAGFIELD,
                         SQL_API_SQLNATIVESQL, SQL_API_SQLSETPOS, SQL_API_SQLBULKOPERATIONS,
                         SQL_API_SQLBROWSECONNECT, SQL_API_SQLCOPYDESC, SQL_API_SQLGETDESCFIELD}) {
    SQLUSMALLINT one = 99;
    ASSERT_EQ(SQLGetFunctions(dbc(), f, &one), SQL_SUCCESS);
    EXPECT_EQ(one == SQL_TRUE, SQL_FUNC_EXISTS(bitmap, f) == SQL_TRUE) << f;
  }
  SQLUSMALLINT odbc2[100] = {0};
  ASSERT_EQ(SQLGetFunctions(dbc(), SQL_API_ALL_FUNCTIONS, odbc2), SQL_SUCCESS);
  EXPECT_EQ(odbc2[SQL_API_SQLPREPARE], SQL_TRUE);
  EXPECT_EQ(odbc2[SQL_API_SQLEXECUTE], SQL_TRUE);
}

// Regression (was a driver bug): SQL_ODBC_INTERFACE_CONFORMANCE says SQL_OIC_CORE, but the Core
// functions SQLGetCursorName and SQLSetCursorName are not implemented (SQLGetFunctions says
// SQL_FALSE).
TEST_F(GetFunctions, EveryCoreFunctionIsSupported) {
  // "Interface Conformance Levels": a Core-level driver supports all of these.
  const std::pair<SQLUSMALLINT, const char*> core[] = {
      {SQL_API_SQLALLOCHANDLE, "SQLAllocHandle"},
      {SQL_API_SQLBINDCOL, "SQLBindCol"},
      {SQL_API_SQLBINDPARAMETER, "SQLBindParameter"},
      {SQL_API_SQLCANCEL, "SQLCancel"},
      {SQL_API_SQLCLOSECURSOR, "SQLCloseCursor"},
      {SQL_API_SQLCOLATTRIBUTE, "SQLColAttribute"},
      {SQL_API_SQLCOLUMNS, "SQLColumns"},
      {SQL_API_SQLCONNECT, "SQLConnect"},
      {SQL_API_SQLCOPYDESC, "SQLCopyDesc"},
      {SQL_API_SQLDESCRIBECOL, "SQLDescribeCol"},
      {SQL_API_SQLDISCONNECT, "SQLDisconnect"},
      {SQL_API_SQLDRIVERCONNECT, "SQLDriverConnect"},
      {SQL_API_SQLENDTRAN, "SQLEndTran"},
      {SQL_API_SQLEXECDIRECT, "SQLExecDirect"},
      {SQL_API_SQLEXECUTE, "SQLExecute"},
      {SQL_API_SQLFETCH, "SQLFetch"},
      {SQL_API_SQLFETCHSCROLL, "SQLFetchScroll"},
      {SQL_API_SQLFREEHANDLE, "SQLFreeHandle"},
      {SQL_API_SQLFREESTMT, "SQLFreeStmt"},
      {SQL_API_SQLGETCONNECTATTR, "SQLGetConnectAttr"},
      {SQL_API_SQLGETCURSORNAME, "SQLGetCursorName"},
      {SQL_API_SQLGETDATA, "SQLGetData"},
      {SQL_API_SQLGETDESCFIELD, "SQLGetDescField"},
      {SQL_API_SQLGETDESCREC, "SQLGetDescRec"},
      {SQL_API_SQLGETDIAGFIELD, "SQLGetDiagField"},
      {SQL_API_SQLGETDIAGREC, "SQLGetDiagRec"},
      {SQL_API_SQLGETENVATTR, "SQLGetEnvAttr"},
      {SQL_API_SQLGETFUNCTIONS, "SQLGetFunctions"},
      {SQL_API_SQLGETINFO, "SQLGetInfo"},
      {SQL_API_SQLGETSTMTATTR, "SQLGetStmtAttr"},
      {SQL_API_SQLGETTYPEINFO, "SQLGetTypeInfo"},
      {SQL_API_SQLNATIVESQL, "SQLNativeSql"},
      {SQL_API_SQLNUMPARAMS, "SQLNumParams"},
      {SQL_API_SQLNUMRESULTCOLS, "SQLNumResultCols"},
      {SQL_API_SQLPARAMDATA, "SQLParamData"},
      {SQL_API_SQLPREPARE, "SQLPrepare"},
      {SQL_API_SQLPUTDATA, "SQLPutData"},
      {SQL_API_SQLROWCOUNT, "SQLRowCount"},
      {SQL_API_SQLSETCONNECTATTR, "SQLSetConnectAttr"},
      {SQL_API_SQLSETCURSORNAME, "SQLSetCursorName"},
      {SQL_API_SQLSETDESCFIELD, "SQLSetDescField"},
      {SQL_API_SQLSETDESCREC, "SQLSetDescRec"},
      {SQL_API_SQLSETENVATTR, "SQLSetEnvAttr"},
      {SQL_API_SQLSETSTMTATTR, "SQLSetStmtAttr"},
      {SQL_API_SQLSPECIALCOLUMNS, "SQLSpecialColumns"},
      {SQL_API_SQLSTATISTICS, "SQLStatistics"},
      {SQL_API_SQLTABLES, "SQLTables"}};
  for (auto [f, name] : core) {
    SQLUSMALLINT one = 0;
    ASSERT_EQ(SQLGetFunctions(dbc(), f, &one), SQL_SUCCESS);
    EXPECT_EQ(one, SQL_TRUE) << name;
  }
}

}  // namespace
}  // namespace lakebase::conformance

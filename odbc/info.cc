#include "odbc/info.h"

#include <array>
#include <cstdio>

#include "lakebase_version.h"

namespace lakebase::odbc {

namespace {

std::string DbmsVersion(Dbc& dbc) {
  // "##.##.####" (SQLGetInfo, SQL_DBMS_VER) from server_version_num, then the server's own text.
  if (!dbc.session) return "";
  int v = dbc.session->ServerVersion();  // e.g. 150018
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d.%02d.%04d", v / 10000, 0, v % 10000);
  return std::string(buf) + " " + dbc.session->ServerVersionString();
}

// PostgreSQL's reserved keywords (pg_get_keywords() catcode R and T) that are not ODBC reserved
// keywords (SQL_KEYWORDS lists only data-source-specific ones; ODBC appendix C "Reserved
// Keywords"). The conformance suite checks this against the server.
constexpr const char* kKeywords =
    "ANALYSE,ANALYZE,ARRAY,ASYMMETRIC,BINARY,CONCURRENTLY,CURRENT_CATALOG,CURRENT_ROLE,"
    "CURRENT_SCHEMA,DO,FREEZE,ILIKE,ISNULL,LATERAL,LIMIT,LOCALTIME,LOCALTIMESTAMP,NOTNULL,"
    "OFFSET,PLACING,RETURNING,SIMILAR,SYMMETRIC,TABLESAMPLE,VARIADIC,VERBOSE,WINDOW";

// SQL_CONVERT_<type>: the conversions CONVERT (and CAST) performs, i.e. the casts PostgreSQL
// has between the types the SQL types map to (pg_cast plus the I/O conversions every type has
// to and from the string types). Probed with CAST(CAST(NULL AS a) AS b) on PostgreSQL 15.
enum PgType : int {
  kPgInt8,
  kPgBytea,
  kPgBool,
  kPgBpchar,
  kPgDate,
  kPgNumeric,
  kPgFloat8,
  kPgInt4,
  kPgInterval,
  kPgText,
  kPgReal,
  kPgInt2,
  kPgTime,
  kPgTimestamp,
  kPgVarchar,
  kPgUuid,
  kPgNone
};
constexpr unsigned Bit(PgType t) { return 1u << t; }
constexpr unsigned kNumbers =
    Bit(kPgInt8) | Bit(kPgNumeric) | Bit(kPgFloat8) | Bit(kPgInt4) | Bit(kPgReal) | Bit(kPgInt2);
constexpr unsigned kStrings = Bit(kPgBpchar) | Bit(kPgText) | Bit(kPgVarchar);
constexpr unsigned kEverything = (1u << kPgNone) - 1;

unsigned PgCastsFrom(PgType from) {
  switch (from) {
    case kPgInt8:
    case kPgNumeric:
    case kPgFloat8:
    case kPgReal:
    case kPgInt2:
      return kNumbers | kStrings;
    case kPgInt4:
      return kNumbers | kStrings | Bit(kPgBool);
    case kPgBool:
      return Bit(kPgBool) | Bit(kPgInt4) | kStrings;
    case kPgBytea:
      return Bit(kPgBytea) | kStrings;
    case kPgBpchar:
    case kPgText:
    case kPgVarchar:
      return kEverything;
    case kPgDate:
      return Bit(kPgDate) | Bit(kPgTimestamp) | kStrings;
    case kPgInterval:
      return Bit(kPgInterval) | Bit(kPgTime) | kStrings;
    case kPgTime:
      return Bit(kPgTime) | Bit(kPgInterval) | kStrings;
    case kPgTimestamp:
      return Bit(kPgTimestamp) | Bit(kPgDate) | Bit(kPgTime) | kStrings;
    case kPgUuid:
      return Bit(kPgUuid) | kStrings;
    default:
      return 0;
  }
}

struct SqlTypeMapping {
  SQLUSMALLINT info_type;  // SQL_CONVERT_<type>
  SQLUINTEGER cvt_bit;     // SQL_CVT_<type>
  PgType pg;               // what {fn CONVERT(x, SQL_<type>)} casts to (kPgNone: no such type)
};
constexpr std::array<SqlTypeMapping, 25> kSqlTypes = {{
    {SQL_CONVERT_BIGINT, SQL_CVT_BIGINT, kPgInt8},
    {SQL_CONVERT_BINARY, SQL_CVT_BINARY, kPgBytea},
    {SQL_CONVERT_BIT, SQL_CVT_BIT, kPgBool},
    {SQL_CONVERT_CHAR, SQL_CVT_CHAR, kPgBpchar},
    {SQL_CONVERT_DATE, SQL_CVT_DATE, kPgDate},
    {SQL_CONVERT_DECIMAL, SQL_CVT_DECIMAL, kPgNumeric},
    {SQL_CONVERT_DOUBLE, SQL_CVT_DOUBLE, kPgFloat8},
    {SQL_CONVERT_FLOAT, SQL_CVT_FLOAT, kPgFloat8},
    {SQL_CONVERT_INTEGER, SQL_CVT_INTEGER, kPgInt4},
    {SQL_CONVERT_INTERVAL_DAY_TIME, SQL_CVT_INTERVAL_DAY_TIME, kPgInterval},
    {SQL_CONVERT_INTERVAL_YEAR_MONTH, SQL_CVT_INTERVAL_YEAR_MONTH, kPgInterval},
    {SQL_CONVERT_LONGVARBINARY, SQL_CVT_LONGVARBINARY, kPgBytea},
    {SQL_CONVERT_LONGVARCHAR, SQL_CVT_LONGVARCHAR, kPgText},
    {SQL_CONVERT_NUMERIC, SQL_CVT_NUMERIC, kPgNumeric},
    {SQL_CONVERT_REAL, SQL_CVT_REAL, kPgReal},
    {SQL_CONVERT_SMALLINT, SQL_CVT_SMALLINT, kPgInt2},
    {SQL_CONVERT_TIME, SQL_CVT_TIME, kPgTime},
    {SQL_CONVERT_TIMESTAMP, SQL_CVT_TIMESTAMP, kPgTimestamp},
    // PostgreSQL has no one-byte integer: nothing converts from or to TINYINT.
    {SQL_CONVERT_TINYINT, SQL_CVT_TINYINT, kPgNone},
    {SQL_CONVERT_VARBINARY, SQL_CVT_VARBINARY, kPgBytea},
    {SQL_CONVERT_VARCHAR, SQL_CVT_VARCHAR, kPgVarchar},
    {SQL_CONVERT_WCHAR, SQL_CVT_WCHAR, kPgBpchar},
    {SQL_CONVERT_WLONGVARCHAR, SQL_CVT_WLONGVARCHAR, kPgText},
    {SQL_CONVERT_WVARCHAR, SQL_CVT_WVARCHAR, kPgVarchar},
    {SQL_CONVERT_GUID, SQL_CVT_GUID, kPgUuid},
}};

std::optional<SQLUINTEGER> ConvertBitmask(SQLUSMALLINT info_type) {
  for (const auto& from : kSqlTypes) {
    if (from.info_type != info_type) continue;
    if (from.pg == kPgNone) return SQLUINTEGER{0};
    unsigned casts = PgCastsFrom(from.pg);
    SQLUINTEGER mask = 0;
    for (const auto& to : kSqlTypes) {
      if (to.pg != kPgNone && (casts & Bit(to.pg))) mask |= to.cvt_bit;
    }
    return mask;
  }
  return std::nullopt;
}

}  // namespace

std::optional<InfoValue> GetInfoValue(Dbc& dbc, SQLUSMALLINT type) {
  using U16 = SQLUSMALLINT;
  using U32 = SQLUINTEGER;
  const bool read_only = dbc.access_mode == SQL_MODE_READ_ONLY;
  if (auto mask = ConvertBitmask(type)) return U32{*mask};
  switch (type) {
    // Driver and data source
    case SQL_DRIVER_NAME:
      return std::string("liblakebaseodbc.so");
    case SQL_DRIVER_VER:
      return std::string(LAKEBASE_ODBC_VERSION_ODBC);
    case SQL_DRIVER_ODBC_VER:
      return std::string("03.80");
    case SQL_ODBC_VER:
      return std::string("03.80.0000");
    case SQL_DBMS_NAME:
      return std::string("PostgreSQL");
    case SQL_DBMS_VER:
      return DbmsVersion(dbc);
    case SQL_SERVER_NAME:
      return dbc.session ? dbc.session->host() : dbc.config.host;
    case SQL_DATA_SOURCE_NAME:
      return dbc.config.dsn;
    case SQL_DATABASE_NAME:
      return dbc.session ? dbc.session->database() : dbc.config.database;
    case SQL_USER_NAME:
      return dbc.session ? dbc.session->user() : dbc.config.user;
    case SQL_DATA_SOURCE_READ_ONLY:
      return std::string(read_only ? "Y" : "N");
    // Neither is checked: tables and functions are listed whatever the user's privileges.
    case SQL_ACCESSIBLE_PROCEDURES:
      return std::string("N");
    case SQL_ACCESSIBLE_TABLES:
      return std::string("N");
    case SQL_ACTIVE_ENVIRONMENTS:
      return U16{0};
    case SQL_MAX_DRIVER_CONNECTIONS:
      return U16{0};
    // Results are read whole, so any number of statements can be active on a connection.
    case SQL_MAX_CONCURRENT_ACTIVITIES:
      return U16{0};
    case SQL_ODBC_INTERFACE_CONFORMANCE:
      return U32{SQL_OIC_CORE};
    case SQL_ODBC_API_CONFORMANCE:
      return U16{SQL_OAC_LEVEL1};
    case SQL_ODBC_SQL_CONFORMANCE:
      return U16{SQL_OSC_CORE};
    case SQL_ODBC_SAG_CLI_CONFORMANCE:
      return U16{SQL_OSCC_COMPLIANT};
    case SQL_SQL_CONFORMANCE:
      return U32{SQL_SC_SQL92_ENTRY};
    case SQL_STANDARD_CLI_CONFORMANCE:
      return U32{SQL_SCC_XOPEN_CLI_VERSION1 | SQL_SCC_ISO92_CLI};
    case SQL_XOPEN_CLI_YEAR:
      return std::string("1995");
    case SQL_DM_VER:
      return std::string("03.80.0000.0000");
    case SQL_ASYNC_MODE:
      return U32{SQL_AM_NONE};
    case SQL_MAX_ASYNC_CONCURRENT_STATEMENTS:
      return U32{0};
    case SQL_ASYNC_DBC_FUNCTIONS:
      return U32{SQL_ASYNC_DBC_NOT_CAPABLE};
    case SQL_ASYNC_NOTIFICATION:
      return U32{SQL_ASYNC_NOTIFICATION_NOT_CAPABLE};
    case SQL_DRIVER_AWARE_POOLING_SUPPORTED:
      return U32{SQL_DRIVER_AWARE_POOLING_NOT_CAPABLE};
    case SQL_FILE_USAGE:
      return U16{SQL_FILE_NOT_SUPPORTED};
    case SQL_DTC_TRANSITION_COST:
      return U32{0};

    // Names and terms
    case SQL_IDENTIFIER_QUOTE_CHAR:
      return std::string("\"");
    case SQL_IDENTIFIER_CASE:
      return U16{SQL_IC_LOWER};
    case SQL_QUOTED_IDENTIFIER_CASE:
      return U16{SQL_IC_SENSITIVE};
    // A catalog is a database; PostgreSQL accepts the current database's name as a qualifier.
    case SQL_CATALOG_NAME:
      return std::string("Y");
    case SQL_CATALOG_NAME_SEPARATOR:
      return std::string(".");
    case SQL_CATALOG_TERM:
      return std::string("database");
    case SQL_CATALOG_LOCATION:
      return U16{SQL_CL_START};
    case SQL_CATALOG_USAGE:
      return U32{SQL_CU_DML_STATEMENTS | SQL_CU_TABLE_DEFINITION};
    case SQL_SCHEMA_TERM:
      return std::string("schema");
    case SQL_SCHEMA_USAGE:
      return U32{SQL_SU_DML_STATEMENTS | SQL_SU_PROCEDURE_INVOCATION | SQL_SU_TABLE_DEFINITION |
                 SQL_SU_INDEX_DEFINITION | SQL_SU_PRIVILEGE_DEFINITION};
    case SQL_TABLE_TERM:
      return std::string("table");
    case SQL_PROCEDURE_TERM:
      return std::string("function");
    case SQL_PROCEDURES:
      return std::string("Y");
    case SQL_SEARCH_PATTERN_ESCAPE:
      return std::string("\\");
    // Characters beyond a-z, A-Z, 0-9 and _ allowed in unquoted identifiers: $ (not first),
    // and every non-ASCII letter, which cannot be listed.
    case SQL_SPECIAL_CHARACTERS:
      return std::string("$");
    case SQL_KEYWORDS:
      return std::string(kKeywords);
    case SQL_LIKE_ESCAPE_CLAUSE:
      return std::string("Y");
    case SQL_COLLATION_SEQ:
      return std::string("");
    case SQL_COLUMN_ALIAS:
      return std::string("Y");
    case SQL_DESCRIBE_PARAMETER:
      return std::string("Y");
    case SQL_EXPRESSIONS_IN_ORDERBY:
      return std::string("Y");
    case SQL_INTEGRITY:
      return std::string("Y");
    case SQL_MULT_RESULT_SETS:
      return std::string("Y");
    case SQL_MULTIPLE_ACTIVE_TXN:
      return std::string("Y");
    case SQL_NEED_LONG_DATA_LEN:
      return std::string("N");
    case SQL_ORDER_BY_COLUMNS_IN_SELECT:
      return std::string("N");
    case SQL_OUTER_JOINS:
      return std::string("Y");
    case SQL_ROW_UPDATES:
      return std::string("N");
    case SQL_MAX_ROW_SIZE_INCLUDES_LONG:
      return std::string("Y");

    // Limits (NAMEDATALEN - 1 = 63 bytes)
    case SQL_MAX_CATALOG_NAME_LEN:
    case SQL_MAX_SCHEMA_NAME_LEN:
    case SQL_MAX_TABLE_NAME_LEN:
    case SQL_MAX_COLUMN_NAME_LEN:
    case SQL_MAX_CURSOR_NAME_LEN:
    case SQL_MAX_PROCEDURE_NAME_LEN:
    case SQL_MAX_USER_NAME_LEN:
    case SQL_MAX_IDENTIFIER_LEN:
      return U16{63};
    case SQL_MAX_COLUMNS_IN_TABLE:
      return U16{1600};
    case SQL_MAX_COLUMNS_IN_SELECT:
      return U16{1664};
    case SQL_MAX_COLUMNS_IN_INDEX:
      return U16{32};
    case SQL_MAX_COLUMNS_IN_GROUP_BY:
    case SQL_MAX_COLUMNS_IN_ORDER_BY:
    case SQL_MAX_TABLES_IN_SELECT:
      return U16{0};
    case SQL_MAX_INDEX_SIZE:
    case SQL_MAX_ROW_SIZE:
    case SQL_MAX_STATEMENT_LEN:
    case SQL_MAX_CHAR_LITERAL_LEN:
    case SQL_MAX_BINARY_LITERAL_LEN:
      return U32{0};

    // Transactions and cursors
    case SQL_TXN_CAPABLE:
      return U16{SQL_TC_ALL};
    case SQL_DEFAULT_TXN_ISOLATION:
      return U32{SQL_TXN_READ_COMMITTED};
    case SQL_TXN_ISOLATION_OPTION:
      return U32{SQL_TXN_READ_UNCOMMITTED | SQL_TXN_READ_COMMITTED | SQL_TXN_REPEATABLE_READ |
                 SQL_TXN_SERIALIZABLE};
    // SQLEndTran closes every cursor of the connection (Dbc::EndTran); prepared statements
    // stay prepared. Results are held by the driver, so PRESERVE would be possible if EndTran
    // left them open.
    case SQL_CURSOR_COMMIT_BEHAVIOR:
    case SQL_CURSOR_ROLLBACK_BEHAVIOR:
      return U16{SQL_CB_CLOSE};
    case SQL_CURSOR_SENSITIVITY:
      return U32{SQL_INSENSITIVE};
    case SQL_SCROLL_OPTIONS:
      return U32{SQL_SO_FORWARD_ONLY | SQL_SO_STATIC};
    case SQL_SCROLL_CONCURRENCY:
      return U32{SQL_SCCO_READ_ONLY};
    case SQL_FETCH_DIRECTION:
      return U32{SQL_FD_FETCH_NEXT | SQL_FD_FETCH_FIRST | SQL_FD_FETCH_LAST | SQL_FD_FETCH_PRIOR |
                 SQL_FD_FETCH_ABSOLUTE | SQL_FD_FETCH_RELATIVE};
    case SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES1:
      return U32{SQL_CA1_NEXT};
    case SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES2:
      return U32{SQL_CA2_READ_ONLY_CONCURRENCY | SQL_CA2_MAX_ROWS_SELECT | SQL_CA2_CRC_EXACT};
    case SQL_STATIC_CURSOR_ATTRIBUTES1:
      return U32{SQL_CA1_NEXT | SQL_CA1_ABSOLUTE | SQL_CA1_RELATIVE};
    case SQL_STATIC_CURSOR_ATTRIBUTES2:
      return U32{SQL_CA2_READ_ONLY_CONCURRENCY | SQL_CA2_MAX_ROWS_SELECT | SQL_CA2_CRC_EXACT};
    case SQL_KEYSET_CURSOR_ATTRIBUTES1:
    case SQL_KEYSET_CURSOR_ATTRIBUTES2:
    case SQL_DYNAMIC_CURSOR_ATTRIBUTES1:
    case SQL_DYNAMIC_CURSOR_ATTRIBUTES2:
      return U32{0};
    case SQL_STATIC_SENSITIVITY:
      return U32{0};
    case SQL_POS_OPERATIONS:
      return U32{0};
    case SQL_POSITIONED_STATEMENTS:
      return U32{0};
    case SQL_LOCK_TYPES:
      return U32{0};
    case SQL_BOOKMARK_PERSISTENCE:
      return U32{0};
    case SQL_GETDATA_EXTENSIONS: {
      // SQL_GD_BLOCK needs SQLSetPos to position within a rowset.
      SQLUINTEGER v = SQL_GD_ANY_COLUMN | SQL_GD_ANY_ORDER | SQL_GD_BOUND;
      if (IsFunctionSupported(SQL_API_SQLSETPOS)) v |= SQL_GD_BLOCK;
      return U32{v};
    }
    case SQL_BATCH_SUPPORT:
      return U32{SQL_BS_SELECT_EXPLICIT | SQL_BS_ROW_COUNT_EXPLICIT};
    case SQL_BATCH_ROW_COUNT:
      return U32{SQL_BRC_EXPLICIT};
    // Parameter arrays: one cumulative row count; one result set per parameter set.
    case SQL_PARAM_ARRAY_ROW_COUNTS:
      return U32{SQL_PARC_NO_BATCH};
    case SQL_PARAM_ARRAY_SELECTS:
      return U32{SQL_PAS_BATCH};

    // SQL language
    case SQL_CONCAT_NULL_BEHAVIOR:
      return U16{SQL_CB_NULL};
    case SQL_NULL_COLLATION:
      return U16{SQL_NC_HIGH};
    case SQL_NON_NULLABLE_COLUMNS:
      return U16{SQL_NNC_NON_NULL};
    case SQL_CORRELATION_NAME:
      return U16{SQL_CN_ANY};
    case SQL_GROUP_BY:
      return U16{SQL_GB_GROUP_BY_CONTAINS_SELECT};
    case SQL_OJ_CAPABILITIES:
      return U32{SQL_OJ_LEFT | SQL_OJ_RIGHT | SQL_OJ_FULL | SQL_OJ_NESTED | SQL_OJ_NOT_ORDERED |
                 SQL_OJ_INNER | SQL_OJ_ALL_COMPARISON_OPS};
    case SQL_UNION:
      return U32{SQL_U_UNION | SQL_U_UNION_ALL};
    case SQL_SUBQUERIES:
      return U32{SQL_SQ_CORRELATED_SUBQUERIES | SQL_SQ_COMPARISON | SQL_SQ_EXISTS | SQL_SQ_IN |
                 SQL_SQ_QUANTIFIED};
    case SQL_AGGREGATE_FUNCTIONS:
      return U32{SQL_AF_ALL | SQL_AF_AVG | SQL_AF_COUNT | SQL_AF_DISTINCT | SQL_AF_MAX |
                 SQL_AF_MIN | SQL_AF_SUM};
    case SQL_ALTER_DOMAIN:
      return U32{SQL_AD_ADD_DOMAIN_CONSTRAINT | SQL_AD_ADD_DOMAIN_DEFAULT |
                 SQL_AD_CONSTRAINT_NAME_DEFINITION | SQL_AD_DROP_DOMAIN_CONSTRAINT |
                 SQL_AD_DROP_DOMAIN_DEFAULT};
    case SQL_ALTER_TABLE:
      return U32{SQL_AT_ADD_COLUMN | SQL_AT_DROP_COLUMN | SQL_AT_ADD_CONSTRAINT |
                 SQL_AT_ADD_COLUMN_SINGLE | SQL_AT_ADD_COLUMN_DEFAULT |
                 SQL_AT_ADD_COLUMN_COLLATION | SQL_AT_SET_COLUMN_DEFAULT |
                 SQL_AT_DROP_COLUMN_DEFAULT | SQL_AT_DROP_COLUMN_CASCADE |
                 SQL_AT_DROP_COLUMN_RESTRICT | SQL_AT_ADD_TABLE_CONSTRAINT |
                 SQL_AT_DROP_TABLE_CONSTRAINT_CASCADE | SQL_AT_DROP_TABLE_CONSTRAINT_RESTRICT |
                 SQL_AT_CONSTRAINT_NAME_DEFINITION | SQL_AT_CONSTRAINT_INITIALLY_DEFERRED |
                 SQL_AT_CONSTRAINT_INITIALLY_IMMEDIATE | SQL_AT_CONSTRAINT_DEFERRABLE |
                 SQL_AT_CONSTRAINT_NON_DEFERRABLE};
    case SQL_CREATE_TABLE:
      return U32{SQL_CT_CREATE_TABLE | SQL_CT_TABLE_CONSTRAINT | SQL_CT_CONSTRAINT_NAME_DEFINITION |
                 SQL_CT_COMMIT_DELETE | SQL_CT_COMMIT_PRESERVE | SQL_CT_LOCAL_TEMPORARY |
                 SQL_CT_COLUMN_CONSTRAINT | SQL_CT_COLUMN_DEFAULT | SQL_CT_COLUMN_COLLATION |
                 SQL_CT_CONSTRAINT_INITIALLY_DEFERRED | SQL_CT_CONSTRAINT_INITIALLY_IMMEDIATE |
                 SQL_CT_CONSTRAINT_DEFERRABLE | SQL_CT_CONSTRAINT_NON_DEFERRABLE};
    case SQL_CREATE_VIEW:
      return U32{SQL_CV_CREATE_VIEW | SQL_CV_CHECK_OPTION | SQL_CV_CASCADED | SQL_CV_LOCAL};
    case SQL_CREATE_SCHEMA:
      return U32{SQL_CS_CREATE_SCHEMA | SQL_CS_AUTHORIZATION};
    case SQL_CREATE_DOMAIN:
      // Domain constraints cannot be deferrable in PostgreSQL.
      return U32{SQL_CDO_CREATE_DOMAIN | SQL_CDO_DEFAULT | SQL_CDO_CONSTRAINT | SQL_CDO_COLLATION |
                 SQL_CDO_CONSTRAINT_NAME_DEFINITION};
    case SQL_CREATE_COLLATION:
      return U32{SQL_CCOL_CREATE_COLLATION};
    case SQL_CREATE_ASSERTION:
    case SQL_CREATE_CHARACTER_SET:
    case SQL_CREATE_TRANSLATION:
    case SQL_DROP_ASSERTION:
    case SQL_DROP_CHARACTER_SET:
    case SQL_DROP_TRANSLATION:
      return U32{0};
    case SQL_DROP_COLLATION:
      return U32{SQL_DC_DROP_COLLATION};
    case SQL_DROP_DOMAIN:
      return U32{SQL_DD_DROP_DOMAIN | SQL_DD_RESTRICT | SQL_DD_CASCADE};
    case SQL_DROP_TABLE:
      return U32{SQL_DT_DROP_TABLE | SQL_DT_RESTRICT | SQL_DT_CASCADE};
    case SQL_DROP_VIEW:
      return U32{SQL_DV_DROP_VIEW | SQL_DV_RESTRICT | SQL_DV_CASCADE};
    case SQL_DROP_SCHEMA:
      return U32{SQL_DS_DROP_SCHEMA | SQL_DS_RESTRICT | SQL_DS_CASCADE};
    case SQL_DDL_INDEX:
      return U32{SQL_DI_CREATE_INDEX | SQL_DI_DROP_INDEX};
    case SQL_INDEX_KEYWORDS:
      return U32{SQL_IK_ASC | SQL_IK_DESC};
    case SQL_INSERT_STATEMENT:
      return U32{SQL_IS_INSERT_LITERALS | SQL_IS_INSERT_SEARCHED | SQL_IS_SELECT_INTO};
    case SQL_DATETIME_LITERALS:
      return U32{SQL_DL_SQL92_DATE | SQL_DL_SQL92_TIME | SQL_DL_SQL92_TIMESTAMP |
                 SQL_DL_SQL92_INTERVAL_YEAR | SQL_DL_SQL92_INTERVAL_MONTH |
                 SQL_DL_SQL92_INTERVAL_DAY | SQL_DL_SQL92_INTERVAL_HOUR |
                 SQL_DL_SQL92_INTERVAL_MINUTE | SQL_DL_SQL92_INTERVAL_SECOND |
                 SQL_DL_SQL92_INTERVAL_YEAR_TO_MONTH | SQL_DL_SQL92_INTERVAL_DAY_TO_HOUR |
                 SQL_DL_SQL92_INTERVAL_DAY_TO_MINUTE | SQL_DL_SQL92_INTERVAL_DAY_TO_SECOND |
                 SQL_DL_SQL92_INTERVAL_HOUR_TO_MINUTE | SQL_DL_SQL92_INTERVAL_HOUR_TO_SECOND |
                 SQL_DL_SQL92_INTERVAL_MINUTE_TO_SECOND};

    // Scalar functions: exactly those driver/sql_rewrite.cc maps (appendix E). SOUNDEX and
    // DIFFERENCE need the fuzzystrmatch extension, which a database does not have by default.
    case SQL_CONVERT_FUNCTIONS:
      return U32{SQL_FN_CVT_CAST | SQL_FN_CVT_CONVERT};
    case SQL_NUMERIC_FUNCTIONS:
      return U32{SQL_FN_NUM_ABS | SQL_FN_NUM_ACOS | SQL_FN_NUM_ASIN | SQL_FN_NUM_ATAN |
                 SQL_FN_NUM_ATAN2 | SQL_FN_NUM_CEILING | SQL_FN_NUM_COS | SQL_FN_NUM_COT |
                 SQL_FN_NUM_DEGREES | SQL_FN_NUM_EXP | SQL_FN_NUM_FLOOR | SQL_FN_NUM_LOG |
                 SQL_FN_NUM_LOG10 | SQL_FN_NUM_MOD | SQL_FN_NUM_PI | SQL_FN_NUM_POWER |
                 SQL_FN_NUM_RADIANS | SQL_FN_NUM_RAND | SQL_FN_NUM_ROUND | SQL_FN_NUM_SIGN |
                 SQL_FN_NUM_SIN | SQL_FN_NUM_SQRT | SQL_FN_NUM_TAN | SQL_FN_NUM_TRUNCATE};
    case SQL_STRING_FUNCTIONS:
      return U32{SQL_FN_STR_ASCII | SQL_FN_STR_BIT_LENGTH | SQL_FN_STR_CHAR |
                 SQL_FN_STR_CHAR_LENGTH | SQL_FN_STR_CHARACTER_LENGTH | SQL_FN_STR_CONCAT |
                 SQL_FN_STR_INSERT | SQL_FN_STR_LCASE | SQL_FN_STR_LEFT | SQL_FN_STR_LENGTH |
                 SQL_FN_STR_LOCATE | SQL_FN_STR_LOCATE_2 | SQL_FN_STR_LTRIM |
                 SQL_FN_STR_OCTET_LENGTH | SQL_FN_STR_POSITION | SQL_FN_STR_REPEAT |
                 SQL_FN_STR_REPLACE | SQL_FN_STR_RIGHT | SQL_FN_STR_RTRIM | SQL_FN_STR_SPACE |
                 SQL_FN_STR_SUBSTRING | SQL_FN_STR_UCASE};
    case SQL_TIMEDATE_FUNCTIONS:
      return U32{SQL_FN_TD_CURDATE | SQL_FN_TD_CURTIME | SQL_FN_TD_NOW | SQL_FN_TD_DAYOFMONTH |
                 SQL_FN_TD_DAYOFWEEK | SQL_FN_TD_DAYOFYEAR | SQL_FN_TD_MONTH | SQL_FN_TD_QUARTER |
                 SQL_FN_TD_WEEK | SQL_FN_TD_YEAR | SQL_FN_TD_HOUR | SQL_FN_TD_MINUTE |
                 SQL_FN_TD_SECOND | SQL_FN_TD_DAYNAME | SQL_FN_TD_MONTHNAME |
                 SQL_FN_TD_CURRENT_DATE | SQL_FN_TD_CURRENT_TIME | SQL_FN_TD_CURRENT_TIMESTAMP |
                 SQL_FN_TD_EXTRACT | SQL_FN_TD_TIMESTAMPADD | SQL_FN_TD_TIMESTAMPDIFF};
    case SQL_SYSTEM_FUNCTIONS:
      return U32{SQL_FN_SYS_DBNAME | SQL_FN_SYS_IFNULL | SQL_FN_SYS_USERNAME};
    case SQL_TIMEDATE_ADD_INTERVALS:
    case SQL_TIMEDATE_DIFF_INTERVALS:
      return U32{SQL_FN_TSI_FRAC_SECOND | SQL_FN_TSI_SECOND | SQL_FN_TSI_MINUTE | SQL_FN_TSI_HOUR |
                 SQL_FN_TSI_DAY | SQL_FN_TSI_WEEK | SQL_FN_TSI_MONTH | SQL_FN_TSI_QUARTER |
                 SQL_FN_TSI_YEAR};

    // SQL-92 (the server's grammar, not escapes)
    case SQL_SQL92_PREDICATES:
      // No UNIQUE or MATCH predicates in PostgreSQL.
      return U32{SQL_SP_BETWEEN | SQL_SP_COMPARISON | SQL_SP_EXISTS | SQL_SP_IN | SQL_SP_ISNOTNULL |
                 SQL_SP_ISNULL | SQL_SP_LIKE | SQL_SP_OVERLAPS | SQL_SP_QUANTIFIED_COMPARISON};
    case SQL_SQL92_RELATIONAL_JOIN_OPERATORS:
      // No UNION JOIN and no CORRESPONDING.
      return U32{SQL_SRJO_CROSS_JOIN | SQL_SRJO_EXCEPT_JOIN | SQL_SRJO_FULL_OUTER_JOIN |
                 SQL_SRJO_INNER_JOIN | SQL_SRJO_INTERSECT_JOIN | SQL_SRJO_LEFT_OUTER_JOIN |
                 SQL_SRJO_NATURAL_JOIN | SQL_SRJO_RIGHT_OUTER_JOIN};
    case SQL_SQL92_VALUE_EXPRESSIONS:
      return U32{SQL_SVE_CASE | SQL_SVE_CAST | SQL_SVE_COALESCE | SQL_SVE_NULLIF};
    case SQL_SQL92_STRING_FUNCTIONS:
      // SQL-92 CONVERT(... USING ...) and TRANSLATE(... USING ...) are not PostgreSQL syntax.
      return U32{SQL_SSF_LOWER | SQL_SSF_UPPER | SQL_SSF_SUBSTRING | SQL_SSF_TRIM_BOTH |
                 SQL_SSF_TRIM_LEADING | SQL_SSF_TRIM_TRAILING};
    case SQL_SQL92_NUMERIC_VALUE_FUNCTIONS:
      return U32{SQL_SNVF_BIT_LENGTH | SQL_SNVF_CHAR_LENGTH | SQL_SNVF_CHARACTER_LENGTH |
                 SQL_SNVF_EXTRACT | SQL_SNVF_OCTET_LENGTH | SQL_SNVF_POSITION};
    case SQL_SQL92_DATETIME_FUNCTIONS:
      return U32{SQL_SDF_CURRENT_DATE | SQL_SDF_CURRENT_TIME | SQL_SDF_CURRENT_TIMESTAMP};
    case SQL_SQL92_ROW_VALUE_CONSTRUCTOR:
      return U32{SQL_SRVC_VALUE_EXPRESSION | SQL_SRVC_NULL | SQL_SRVC_DEFAULT |
                 SQL_SRVC_ROW_SUBQUERY};
    case SQL_SQL92_GRANT:
      return U32{SQL_SG_DELETE_TABLE | SQL_SG_INSERT_COLUMN | SQL_SG_INSERT_TABLE |
                 SQL_SG_REFERENCES_COLUMN | SQL_SG_REFERENCES_TABLE | SQL_SG_SELECT_TABLE |
                 SQL_SG_UPDATE_COLUMN | SQL_SG_UPDATE_TABLE | SQL_SG_USAGE_ON_DOMAIN |
                 SQL_SG_WITH_GRANT_OPTION};
    case SQL_SQL92_REVOKE:
      return U32{SQL_SR_CASCADE | SQL_SR_RESTRICT | SQL_SR_GRANT_OPTION_FOR | SQL_SR_DELETE_TABLE |
                 SQL_SR_INSERT_COLUMN | SQL_SR_INSERT_TABLE | SQL_SR_REFERENCES_COLUMN |
                 SQL_SR_REFERENCES_TABLE | SQL_SR_SELECT_TABLE | SQL_SR_UPDATE_COLUMN |
                 SQL_SR_UPDATE_TABLE | SQL_SR_USAGE_ON_DOMAIN};
    case SQL_SQL92_FOREIGN_KEY_DELETE_RULE:
      return U32{SQL_SFKD_CASCADE | SQL_SFKD_NO_ACTION | SQL_SFKD_SET_DEFAULT | SQL_SFKD_SET_NULL};
    case SQL_SQL92_FOREIGN_KEY_UPDATE_RULE:
      return U32{SQL_SFKU_CASCADE | SQL_SFKU_NO_ACTION | SQL_SFKU_SET_DEFAULT | SQL_SFKU_SET_NULL};
    case SQL_INFO_SCHEMA_VIEWS:
      // The views PostgreSQL's information_schema has (no ASSERTIONS, SQL_LANGUAGES,
      // TRANSLATIONS).
      return U32{SQL_ISV_CHARACTER_SETS | SQL_ISV_CHECK_CONSTRAINTS | SQL_ISV_COLLATIONS |
                 SQL_ISV_COLUMN_DOMAIN_USAGE | SQL_ISV_COLUMN_PRIVILEGES | SQL_ISV_COLUMNS |
                 SQL_ISV_CONSTRAINT_COLUMN_USAGE | SQL_ISV_CONSTRAINT_TABLE_USAGE |
                 SQL_ISV_DOMAIN_CONSTRAINTS | SQL_ISV_DOMAINS | SQL_ISV_KEY_COLUMN_USAGE |
                 SQL_ISV_REFERENTIAL_CONSTRAINTS | SQL_ISV_SCHEMATA | SQL_ISV_TABLE_CONSTRAINTS |
                 SQL_ISV_TABLE_PRIVILEGES | SQL_ISV_TABLES | SQL_ISV_USAGE_PRIVILEGES |
                 SQL_ISV_VIEW_COLUMN_USAGE | SQL_ISV_VIEW_TABLE_USAGE | SQL_ISV_VIEWS};
    default:
      return std::nullopt;
  }
}

namespace {
// The driver manager asks for the whole bitmap on every connect: build it once.
struct FunctionTable {
  bool supported[SQL_API_ODBC3_ALL_FUNCTIONS_SIZE * 16] = {};
  FunctionTable() {
    static constexpr SQLUSMALLINT kSupported[] = {
        SQL_API_SQLALLOCCONNECT, SQL_API_SQLALLOCENV, SQL_API_SQLALLOCHANDLE, SQL_API_SQLALLOCSTMT,
        SQL_API_SQLBINDCOL, SQL_API_SQLBINDPARAM, SQL_API_SQLBINDPARAMETER, SQL_API_SQLCANCEL,
        SQL_API_SQLCLOSECURSOR, SQL_API_SQLCOLATTRIBUTE, SQL_API_SQLCOLUMNS, SQL_API_SQLCONNECT,
        SQL_API_SQLDESCRIBECOL, SQL_API_SQLDESCRIBEPARAM, SQL_API_SQLDISCONNECT,
        SQL_API_SQLDRIVERCONNECT, SQL_API_SQLENDTRAN, SQL_API_SQLERROR, SQL_API_SQLEXECDIRECT,
        SQL_API_SQLEXECUTE, SQL_API_SQLFETCH, SQL_API_SQLFETCHSCROLL, SQL_API_SQLFREECONNECT,
        SQL_API_SQLFREEENV, SQL_API_SQLFREEHANDLE, SQL_API_SQLFREESTMT, SQL_API_SQLGETCONNECTATTR,
        SQL_API_SQLGETDATA, SQL_API_SQLGETDIAGFIELD, SQL_API_SQLGETDIAGREC, SQL_API_SQLGETENVATTR,
        SQL_API_SQLGETFUNCTIONS, SQL_API_SQLGETINFO, SQL_API_SQLGETSTMTATTR, SQL_API_SQLGETTYPEINFO,
        SQL_API_SQLMORERESULTS, SQL_API_SQLNATIVESQL, SQL_API_SQLNUMPARAMS,
        SQL_API_SQLNUMRESULTCOLS, SQL_API_SQLPREPARE, SQL_API_SQLROWCOUNT,
        SQL_API_SQLSETCONNECTATTR, SQL_API_SQLSETENVATTR, SQL_API_SQLSETSTMTATTR, SQL_API_SQLTABLES,
        SQL_API_SQLTRANSACT, SQL_API_SQLCOLATTRIBUTES, SQL_API_SQLCANCELHANDLE,
        SQL_API_SQLPARAMDATA, SQL_API_SQLPUTDATA, SQL_API_SQLGETDESCFIELD, SQL_API_SQLSETDESCFIELD,
        SQL_API_SQLGETDESCREC, SQL_API_SQLSETDESCREC, SQL_API_SQLCOPYDESC, SQL_API_SQLSETCURSORNAME,
        SQL_API_SQLGETCURSORNAME,
        // Catalog functions (catalog_api.cc)
        SQL_API_SQLPRIMARYKEYS, SQL_API_SQLFOREIGNKEYS, SQL_API_SQLSTATISTICS,
        SQL_API_SQLSPECIALCOLUMNS, SQL_API_SQLPROCEDURES, SQL_API_SQLPROCEDURECOLUMNS,
        SQL_API_SQLTABLEPRIVILEGES, SQL_API_SQLCOLUMNPRIVILEGES};
    for (auto s : kSupported) supported[s] = true;
  }
};
}  // namespace

bool IsFunctionSupported(SQLUSMALLINT f) {
  static const FunctionTable table;
  return f < SQL_API_ODBC3_ALL_FUNCTIONS_SIZE * 16 && table.supported[f];
}

}  // namespace lakebase::odbc

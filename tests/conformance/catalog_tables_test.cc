// ODBC 3.8 SQLTables, SQLColumns and SQLGetTypeInfo: the enumeration special cases, table-type
// lists, search patterns and their escape, SQL_ATTR_METADATA_ID, and every column of SQLColumns
// for the built-in types (appendix D for sizes).
#include "tests/conformance/catalog_test_util.h"

namespace lakebase::testing::catalog {
namespace {

class CatalogTables : public CatalogTest {
 protected:
  static void SetUpTestSuite() {
    CreateSchema(
        "tabs",
        {
            "CREATE TYPE S.mood AS ENUM ('sad', 'ok', 'happy')",
            "CREATE DOMAIN S.posint AS int4 NOT NULL CHECK (VALUE > 0)",
            "CREATE TABLE S.types (c_int2 int2, c_int4 int4 NOT NULL DEFAULT 42,"
            " c_int8 int8 DEFAULT -1, c_num numeric(12,3), c_num_free numeric, c_real float4,"
            " c_dbl float8, c_bool bool DEFAULT true, c_char char(5) DEFAULT 'ab',"
            " c_vc varchar(40), c_text text DEFAULT 'it''s', c_bytea bytea, c_date date,"
            " c_time time(3), c_ts timestamp(0), c_tstz timestamptz, c_interval interval,"
            " c_uuid uuid, c_json json, c_arr int4[], c_enum S.mood, c_dom S.posint,"
            " c_money money, c_serial serial)",
            "COMMENT ON TABLE S.types IS 'every type'",
            "COMMENT ON COLUMN S.types.c_int4 IS 'an int'",
            "CREATE TABLE S.dropped (a int4, b int4, c int4)",
            "ALTER TABLE S.dropped DROP COLUMN b",
            "CREATE VIEW S.v_types AS SELECT c_int4 FROM S.types",
            "CREATE MATERIALIZED VIEW S.mv AS SELECT 1 AS one",
            "CREATE TABLE S.t_1 (k int4)",
            "CREATE TABLE S.tx1 (k int4)",
            "CREATE TABLE S.\"MixedCase\" (\"Id\" int4)",
            "CREATE TABLE S.mixedcase (id int4)",
        });
  }
  static void TearDownTestSuite() { DropSchema(); }
  std::string S() const { return schema_; }
  std::string Db() { return c_.Scalar("SELECT current_database()"); }

  std::vector<Row> Tables(const char* cat, const char* sch, const char* tab, const char* type) {
    Statement st(c_);
    auto p = [](const char* s) { return reinterpret_cast<SQLCHAR*>(const_cast<char*>(s)); };
    SQLRETURN rc = SQLTables(st.h(), p(cat), cat ? SQL_NTS : 0, p(sch), sch ? SQL_NTS : 0, p(tab),
                             tab ? SQL_NTS : 0, p(type), type ? SQL_NTS : 0);
    EXPECT_ODBC_OK(rc, st.diag());
    return FetchAll(st.h());
  }
};

const std::vector<std::string> kTablesLayout = {"TABLE_CAT:V", "TABLE_SCHEM:V", "TABLE_NAME:V",
                                                "TABLE_TYPE:V", "REMARKS:V"};

TEST_F(CatalogTables, TablesOfASchemaOrderedByTypeThenName) {
  Statement st(c_);
  ASSERT_ODBC_OK(SQLTables(st.h(), nullptr, 0, A(S()), SQL_NTS, A("%"), SQL_NTS, nullptr, 0),
                 st.diag());
  ExpectLayout(st.h(), kTablesLayout);
  const std::string db = Db();
  EXPECT_EQ(FetchAll(st.h()), (std::vector<Row>{
                                  {db, S(), "mv", "MATERIALIZED VIEW", kNull},
                                  {db, S(), "MixedCase", "TABLE", kNull},
                                  {db, S(), "dropped", "TABLE", kNull},
                                  {db, S(), "mixedcase", "TABLE", kNull},
                                  {db, S(), "t_1", "TABLE", kNull},
                                  {db, S(), "tx1", "TABLE", kNull},
                                  {db, S(), "types", "TABLE", "every type"},
                                  {db, S(), "v_types", "VIEW", kNull},
                              }));
}

TEST_F(CatalogTables, TableTypeListsWithAndWithoutQuotes) {
  for (const char* types : {"VIEW,MATERIALIZED VIEW", "'VIEW','MATERIALIZED VIEW'",
                            " 'VIEW' , 'MATERIALIZED VIEW' ", "view,materialized view"}) {
    EXPECT_EQ(Project(Tables(nullptr, S().c_str(), "%", types), {2}),
              (std::vector<Row>{{"mv"}, {"v_types"}}))
        << types;
  }
  EXPECT_TRUE(Tables(nullptr, S().c_str(), "%", "SYSTEM TABLE").empty());
  EXPECT_EQ(Tables(nullptr, S().c_str(), "%", "%").size(), 8u);
  EXPECT_EQ(Tables(nullptr, S().c_str(), "%", "").size(), 8u);
  // pg_catalog's tables are SYSTEM TABLEs.
  auto sys = Tables(nullptr, "pg_catalog", "pg_class", nullptr);
  EXPECT_EQ(Project(sys, {3}), (std::vector<Row>{{"SYSTEM TABLE"}}));
}

TEST_F(CatalogTables, PatternsAndTheirEscape) {
  // "_" matches any one character; "\_" only an underscore.
  EXPECT_EQ(Project(Tables(nullptr, S().c_str(), "t_1", nullptr), {2}),
            (std::vector<Row>{{"t_1"}, {"tx1"}}));
  EXPECT_EQ(Project(Tables(nullptr, S().c_str(), "t\\_1", nullptr), {2}),
            (std::vector<Row>{{"t_1"}}));
  EXPECT_EQ(Project(Tables(nullptr, S().c_str(), "t%", nullptr), {2}),
            (std::vector<Row>{{"t_1"}, {"tx1"}, {"types"}}));
  // Patterns are case-sensitive.
  EXPECT_EQ(Project(Tables(nullptr, S().c_str(), "Mixed%", nullptr), {2}),
            (std::vector<Row>{{"MixedCase"}}));
  // The schema is a pattern too ("lbcat\_%" escapes the underscore).
  std::string esc = S();
  for (size_t at = 0; (at = esc.find('_', at)) != std::string::npos; at += 2) esc.insert(at, "\\");
  EXPECT_EQ(Tables(nullptr, esc.c_str(), "types", nullptr).size(), 1u);
  // The current database matches as a catalog pattern; another catalog has no tables.
  EXPECT_EQ(Tables(Db().c_str(), S().c_str(), "types", nullptr).size(), 1u);
  EXPECT_EQ(Tables("%", S().c_str(), "types", nullptr).size(), 1u);
  EXPECT_TRUE(Tables("no_such_db", S().c_str(), "%", nullptr).empty());
  // An empty table name selects nothing.
  EXPECT_TRUE(Tables(nullptr, S().c_str(), "", nullptr).empty());
}

TEST_F(CatalogTables, EnumerationSpecialCases) {
  // SQL_ALL_CATALOGS: the one catalog, other columns NULL.
  EXPECT_EQ(Tables(SQL_ALL_CATALOGS, "", "", nullptr),
            (std::vector<Row>{{Db(), kNull, kNull, kNull, kNull}}));
  // SQL_ALL_SCHEMAS: every schema, ours among them.
  auto schemas = Tables("", SQL_ALL_SCHEMAS, "", nullptr);
  EXPECT_NE(std::find(schemas.begin(), schemas.end(), Row{kNull, S(), kNull, kNull, kNull}),
            schemas.end());
  EXPECT_NE(std::find(schemas.begin(), schemas.end(), Row{kNull, "public", kNull, kNull, kNull}),
            schemas.end());
  // SQL_ALL_TABLE_TYPES: the types the driver reports.
  auto types = Project(Tables("", "", "", SQL_ALL_TABLE_TYPES), {0, 1, 2, 3});
  for (const char* t : {"TABLE", "VIEW", "SYSTEM TABLE", "LOCAL TEMPORARY", "MATERIALIZED VIEW"}) {
    EXPECT_NE(std::find(types.begin(), types.end(), Row{kNull, kNull, kNull, t}), types.end()) << t;
  }
}

TEST_F(CatalogTables, TablesMetadataIdAndWide) {
  Statement st(c_);
  ASSERT_ODBC_OK(SQLSetStmtAttr(st.h(), SQL_ATTR_METADATA_ID, (SQLPOINTER)SQL_TRUE, 0), st.diag());
  // Identifiers: "_" and "%" are literal, unquoted names fold to lower case.
  W s(S()), t("T_1"), q("\"MixedCase\""), pct("t%"), cat(Db());
  ASSERT_ODBC_OK(SQLTablesW(st.h(), cat.p(), SQL_NTS, s.p(), SQL_NTS, t.p(), SQL_NTS, nullptr, 0),
                 st.diag());
  EXPECT_EQ(Project(FetchAll(st.h()), {2}), (std::vector<Row>{{"t_1"}}));
  ASSERT_ODBC_OK(SQLTablesW(st.h(), cat.p(), SQL_NTS, s.p(), SQL_NTS, q.p(), SQL_NTS, nullptr, 0),
                 st.diag());
  EXPECT_EQ(Project(FetchAll(st.h()), {2}), (std::vector<Row>{{"MixedCase"}}));
  ASSERT_ODBC_OK(SQLTablesW(st.h(), cat.p(), SQL_NTS, s.p(), SQL_NTS, pct.p(), SQL_NTS, nullptr, 0),
                 st.diag());
  EXPECT_TRUE(FetchAll(st.h()).empty());
  // A null identifier argument: HY009.
  EXPECT_EQ(SQLTablesW(st.h(), cat.p(), SQL_NTS, s.p(), SQL_NTS, nullptr, 0, nullptr, 0),
            SQL_ERROR);
  EXPECT_EQ(FirstState(SQL_HANDLE_STMT, st.h()), "HY009");
}

TEST_F(CatalogTables, TablesErrors) {
  Statement st(c_);
  EXPECT_EQ(SQLTables(st.h(), nullptr, 0, A(S()), -7, nullptr, 0, nullptr, 0), SQL_ERROR);
  EXPECT_EQ(FirstState(SQL_HANDLE_STMT, st.h()), "HY090");
  ASSERT_ODBC_OK(SQLExecDirect(st.h(), A("SELECT 1"), SQL_NTS), st.diag());
  EXPECT_EQ(SQLTables(st.h(), nullptr, 0, A(S()), SQL_NTS, nullptr, 0, nullptr, 0), SQL_ERROR);
  EXPECT_EQ(FirstState(SQL_HANDLE_STMT, st.h()), "24000");
  // After closing the cursor the statement is usable again. (SQLFreeStmt(SQL_CLOSE): unixODBC
  // puts the statement back in its "allocated" state after the failed call, so it would answer
  // SQLCloseCursor itself with 24000.)
  ASSERT_ODBC_OK(SQLFreeStmt(st.h(), SQL_CLOSE), st.diag());
  ASSERT_ODBC_OK(SQLTables(st.h(), nullptr, 0, A(S()), SQL_NTS, A("types"), SQL_NTS, nullptr, 0),
                 st.diag());
  EXPECT_EQ(FetchAll(st.h()).size(), 1u);
}

const std::vector<std::string> kColumnsLayout = {
    "TABLE_CAT:V",        "TABLE_SCHEM:V",    "TABLE_NAME:V",       "COLUMN_NAME:V",
    "DATA_TYPE:S",        "TYPE_NAME:V",      "COLUMN_SIZE:I",      "BUFFER_LENGTH:I",
    "DECIMAL_DIGITS:S",   "NUM_PREC_RADIX:S", "NULLABLE:S",         "REMARKS:V",
    "COLUMN_DEF:V",       "SQL_DATA_TYPE:S",  "SQL_DATETIME_SUB:S", "CHAR_OCTET_LENGTH:I",
    "ORDINAL_POSITION:I", "IS_NULLABLE:V"};

std::string N(long v) { return std::to_string(v); }

TEST_F(CatalogTables, ColumnsEveryBuiltInType) {
  Statement st(c_);
  ASSERT_ODBC_OK(SQLColumns(st.h(), nullptr, 0, A(S()), SQL_NTS, A("types"), SQL_NTS, nullptr, 0),
                 st.diag());
  ExpectLayout(st.h(), kColumnsLayout);
  auto rows = FetchAll(st.h());
  ASSERT_EQ(rows.size(), 24u);
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i][0], Db());
    EXPECT_EQ(rows[i][1], S());
    EXPECT_EQ(rows[i][2], "types");
    EXPECT_EQ(rows[i][16], N(static_cast<long>(i) + 1));  // ORDINAL_POSITION
  }
  // COLUMN_NAME, DATA_TYPE, TYPE_NAME, COLUMN_SIZE, BUFFER_LENGTH, DECIMAL_DIGITS,
  // NUM_PREC_RADIX, NULLABLE, COLUMN_DEF, SQL_DATA_TYPE, SQL_DATETIME_SUB, IS_NULLABLE for the
  // types whose description does not depend on the DSN's text options.
  auto got = Project(rows, {3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 17});
  const std::string null = kNull, yes = "YES", no = "NO", nl = N(SQL_NULLABLE),
                    nn = N(SQL_NO_NULLS);
  std::vector<Row> want = {
      {"c_int2", N(SQL_SMALLINT), "int2", "5", "2", "0", "10", nl, null, N(SQL_SMALLINT), null,
       yes},
      {"c_int4", N(SQL_INTEGER), "int4", "10", "4", "0", "10", nn, "42", N(SQL_INTEGER), null, no},
      {"c_int8", N(SQL_BIGINT), "int8", "19", "8", "0", "10", nl, "-1", N(SQL_BIGINT), null, yes},
      {"c_num", N(SQL_NUMERIC), "numeric", "12", "14", "3", "10", nl, null, N(SQL_NUMERIC), null,
       yes},
  };
  for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(got[i], want[i]) << want[i][0];
  auto by = [&](const std::string& name) {
    for (const auto& r : got)
      if (r[0] == name) return r;
    ADD_FAILURE() << name;
    return Row(12);
  };
  // Floats: no DECIMAL_DIGITS.
  EXPECT_EQ(by("c_real"), (Row{"c_real", N(SQL_REAL), "float4", "7", "4", null, "10", nl, null,
                               N(SQL_REAL), null, yes}));
  EXPECT_EQ(by("c_dbl"), (Row{"c_dbl", N(SQL_DOUBLE), "float8", "15", "8", null, "10", nl, null,
                              N(SQL_DOUBLE), null, yes}));
  EXPECT_EQ(by("c_bool"), (Row{"c_bool", N(SQL_BIT), "bool", "1", "1", null, null, nl, "true",
                               N(SQL_BIT), null, yes}));
  // Datetime: SQL_DATA_TYPE SQL_DATETIME with the subcode; DECIMAL_DIGITS the seconds precision.
  EXPECT_EQ(by("c_date"), (Row{"c_date", N(SQL_TYPE_DATE), "date", "10", "6", null, null, nl, null,
                               N(SQL_DATETIME), N(SQL_CODE_DATE), yes}));
  EXPECT_EQ(by("c_time"), (Row{"c_time", N(SQL_TYPE_TIME), "time", "12", "6", "3", null, nl, null,
                               N(SQL_DATETIME), N(SQL_CODE_TIME), yes}));
  EXPECT_EQ(by("c_ts"), (Row{"c_ts", N(SQL_TYPE_TIMESTAMP), "timestamp", "19", "16", "0", null, nl,
                             null, N(SQL_DATETIME), N(SQL_CODE_TIMESTAMP), yes}));
  EXPECT_EQ(by("c_tstz"), (Row{"c_tstz", N(SQL_TYPE_TIMESTAMP), "timestamptz", "26", "16", "6",
                               null, nl, null, N(SQL_DATETIME), N(SQL_CODE_TIMESTAMP), yes}));
  EXPECT_EQ(by("c_uuid"), (Row{"c_uuid", N(SQL_GUID), "uuid", "36", "16", null, null, nl, null,
                               N(SQL_GUID), null, yes}));
  EXPECT_EQ(by("c_money")[1], N(SQL_DECIMAL));
  EXPECT_EQ(by("c_money")[5], "2");
  // Character types: CHAR_OCTET_LENGTH equals BUFFER_LENGTH; none for other types.
  for (const auto& r : rows) {
    short type = static_cast<short>(std::stoi(r[4]));
    bool character = type == SQL_CHAR || type == SQL_VARCHAR || type == SQL_LONGVARCHAR ||
                     type == SQL_WCHAR || type == SQL_WVARCHAR || type == SQL_WLONGVARCHAR ||
                     type == SQL_BINARY || type == SQL_VARBINARY || type == SQL_LONGVARBINARY;
    EXPECT_EQ(r[15], character ? r[7] : null) << r[3];
  }
  Row vc = by("c_vc");
  EXPECT_TRUE(vc[1] == N(SQL_VARCHAR) || vc[1] == N(SQL_WVARCHAR)) << vc[1];
  EXPECT_EQ(vc[2], "varchar");
  EXPECT_EQ(vc[3], "40");
  Row ch = by("c_char");
  EXPECT_TRUE(ch[1] == N(SQL_CHAR) || ch[1] == N(SQL_WCHAR)) << ch[1];
  EXPECT_EQ(ch[3], "5");
  // String defaults in quotes without the server's cast.
  EXPECT_EQ(ch[8], "'ab'");
  EXPECT_EQ(by("c_text")[8], "'it''s'");
  EXPECT_EQ(by("c_serial")[8].rfind("nextval(", 0), 0u);
  // Enums and domains: described as their underlying type, named as themselves; a NOT NULL
  // domain is not nullable.
  Row en = by("c_enum");
  EXPECT_TRUE(en[1] == N(SQL_VARCHAR) || en[1] == N(SQL_WVARCHAR)) << en[1];
  EXPECT_EQ(en[2], "mood");
  EXPECT_EQ(by("c_dom"), (Row{"c_dom", N(SQL_INTEGER), "posint", "10", "4", "0", "10", nn, null,
                              N(SQL_INTEGER), null, no}));
  EXPECT_EQ(by("c_arr")[2], "_int4");
  // REMARKS from the column comment.
  EXPECT_EQ(rows[1][11], "an int");
}

TEST_F(CatalogTables, ColumnsOrdinalsPatternsAndViews) {
  Statement st(c_);
  // ORDINAL_POSITION counts live columns (b was dropped).
  ASSERT_ODBC_OK(SQLColumns(st.h(), nullptr, 0, A(S()), SQL_NTS, A("dropped"), SQL_NTS, nullptr, 0),
                 st.diag());
  EXPECT_EQ(Project(FetchAll(st.h()), {3, 16}), (std::vector<Row>{{"a", "1"}, {"c", "2"}}));
  ASSERT_ODBC_OK(
      SQLColumns(st.h(), nullptr, 0, A(S()), SQL_NTS, A("dropped"), SQL_NTS, A("c"), SQL_NTS),
      st.diag());
  EXPECT_EQ(Project(FetchAll(st.h()), {3, 16}), (std::vector<Row>{{"c", "2"}}));
  // Column-name pattern with an escaped underscore; ordered by table then position.
  ASSERT_ODBC_OK(
      SQLColumns(st.h(), nullptr, 0, A(S()), SQL_NTS, A("%types"), SQL_NTS, A("c\\_int4"), SQL_NTS),
      st.diag());
  EXPECT_EQ(Project(FetchAll(st.h()), {2, 3}),
            (std::vector<Row>{{"types", "c_int4"}, {"v_types", "c_int4"}}));
  // CatalogName is an ordinary argument: another database has no columns.
  ASSERT_ODBC_OK(
      SQLColumns(st.h(), A("other"), SQL_NTS, A(S()), SQL_NTS, A("types"), SQL_NTS, nullptr, 0),
      st.diag());
  EXPECT_TRUE(FetchAll(st.h()).empty());
  // W, with METADATA_ID: unquoted identifiers fold.
  ASSERT_ODBC_OK(SQLSetStmtAttr(st.h(), SQL_ATTR_METADATA_ID, (SQLPOINTER)SQL_TRUE, 0), st.diag());
  W cat(Db()), s(S()), t("MIXEDCASE"), c("ID"), qt("\"MixedCase\""), qc("\"Id\"");
  ASSERT_ODBC_OK(
      SQLColumnsW(st.h(), cat.p(), SQL_NTS, s.p(), SQL_NTS, t.p(), SQL_NTS, c.p(), SQL_NTS),
      st.diag());
  EXPECT_EQ(Project(FetchAll(st.h()), {2, 3}), (std::vector<Row>{{"mixedcase", "id"}}));
  ASSERT_ODBC_OK(
      SQLColumnsW(st.h(), cat.p(), SQL_NTS, s.p(), SQL_NTS, qt.p(), SQL_NTS, qc.p(), SQL_NTS),
      st.diag());
  EXPECT_EQ(Project(FetchAll(st.h()), {2, 3}), (std::vector<Row>{{"MixedCase", "Id"}}));
  EXPECT_EQ(SQLColumnsW(st.h(), cat.p(), SQL_NTS, s.p(), SQL_NTS, t.p(), SQL_NTS, nullptr, 0),
            SQL_ERROR);
  EXPECT_EQ(FirstState(SQL_HANDLE_STMT, st.h()), "HY009");
}

const std::vector<std::string> kTypeInfoLayout = {
    "TYPE_NAME:V",        "DATA_TYPE:S",          "COLUMN_SIZE:I",       "LITERAL_PREFIX:V",
    "LITERAL_SUFFIX:V",   "CREATE_PARAMS:V",      "NULLABLE:S",          "CASE_SENSITIVE:S",
    "SEARCHABLE:S",       "UNSIGNED_ATTRIBUTE:S", "FIXED_PREC_SCALE:S",  "AUTO_UNIQUE_VALUE:S",
    "LOCAL_TYPE_NAME:V",  "MINIMUM_SCALE:S",      "MAXIMUM_SCALE:S",     "SQL_DATA_TYPE:S",
    "SQL_DATETIME_SUB:S", "NUM_PREC_RADIX:I",     "INTERVAL_PRECISION:S"};

TEST_F(CatalogTables, GetTypeInfoAllTypesOrderedByDataType) {
  Statement st(c_);
  ASSERT_ODBC_OK(SQLGetTypeInfo(st.h(), SQL_ALL_TYPES), st.diag());
  ExpectLayout(st.h(), kTypeInfoLayout);
  auto rows = FetchAll(st.h());
  ASSERT_GE(rows.size(), 20u);
  for (size_t i = 1; i < rows.size(); ++i) {
    EXPECT_LE(std::stoi(rows[i - 1][1]), std::stoi(rows[i][1])) << rows[i][0];
  }
  std::vector<std::string> names;
  for (const auto& r : rows) names.push_back(r[0]);
  for (const char* t :
       {"bool", "int2", "int4", "int8", "numeric", "float4", "float8", "varchar", "bpchar", "text",
        "bytea", "date", "time", "timestamp", "timestamptz", "uuid", "interval", "json", "jsonb"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), t), names.end()) << t;
  }
  for (const auto& r : rows) {
    // Datetime types report SQL_DATETIME and a subcode; others SQL_DATA_TYPE = DATA_TYPE.
    short type = static_cast<short>(std::stoi(r[1]));
    if (type == SQL_TYPE_DATE || type == SQL_TYPE_TIME || type == SQL_TYPE_TIMESTAMP) {
      EXPECT_EQ(r[15], N(SQL_DATETIME)) << r[0];
      EXPECT_EQ(r[16], N(type - 90)) << r[0];
    } else {
      EXPECT_EQ(r[15], r[1]) << r[0];
    }
  }
}

TEST_F(CatalogTables, GetTypeInfoOneTypeClosestFirst) {
  Statement st(c_);
  ASSERT_ODBC_OK(SQLGetTypeInfo(st.h(), SQL_INTEGER), st.diag());
  auto rows = FetchAll(st.h());
  ASSERT_GE(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "int4");
  EXPECT_EQ(Project({rows[0]}, {1, 2, 9, 10, 11, 13, 14, 17})[0],
            (Row{N(SQL_INTEGER), "10", "0", "0", "0", "0", "0", "10"}));
  ASSERT_ODBC_OK(SQLGetTypeInfo(st.h(), SQL_NUMERIC), st.diag());
  rows = FetchAll(st.h());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(Project(rows, {0, 2, 5, 13, 14})[0],
            (Row{"numeric", "1000", "precision,scale", "0", "1000"}));
  ASSERT_ODBC_OK(SQLGetTypeInfo(st.h(), SQL_TYPE_TIMESTAMP), st.diag());
  EXPECT_EQ(Project(FetchAll(st.h()), {0, 2, 3, 4}),
            (std::vector<Row>{{"timestamp", "26", "'", "'"}, {"timestamptz", "26", "'", "'"}}));
  // A type the driver does not map: no rows.
  ASSERT_ODBC_OK(SQLGetTypeInfo(st.h(), SQL_TINYINT), st.diag());
  EXPECT_TRUE(FetchAll(st.h()).empty());
  // The W entry point and the varchar family: varchar first.
  ASSERT_ODBC_OK(SQLGetTypeInfoW(st.h(), SQL_WVARCHAR), st.diag());
  rows = FetchAll(st.h());
  if (!rows.empty()) EXPECT_EQ(rows[0][0], "varchar");
  ASSERT_ODBC_OK(SQLGetTypeInfo(st.h(), SQL_VARCHAR), st.diag());
  auto narrow = FetchAll(st.h());
  ASSERT_FALSE(rows.empty() && narrow.empty());
  if (!narrow.empty()) EXPECT_EQ(narrow[0][0], "varchar");
}

}  // namespace
}  // namespace lakebase::testing::catalog

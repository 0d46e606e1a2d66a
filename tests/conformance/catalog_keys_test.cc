// ODBC 3.8 catalog functions about keys, indexes, procedures and privileges: SQLPrimaryKeys,
// SQLForeignKeys, SQLStatistics, SQLSpecialColumns, SQLProcedures, SQLProcedureColumns,
// SQLTablePrivileges, SQLColumnPrivileges. Expectations come from each function's reference page
// (result-set columns, order, argument rules, SQLSTATEs).
#include "tests/conformance/catalog_test_util.h"

namespace lakebase::testing::catalog {
namespace {

class CatalogKeys : public CatalogTest {
 protected:
  static void SetUpTestSuite() {
    CreateSchema(
        "keys",
        {
            "CREATE TABLE S.parent (id int4 PRIMARY KEY, code varchar(10) NOT NULL UNIQUE, note "
            "text)",
            "CREATE TABLE S.multi (a int4, b text, c date, PRIMARY KEY (b, a))",
            "CREATE TABLE S.child (id int4 CONSTRAINT child_pk PRIMARY KEY,"
            " parent_id int4 CONSTRAINT child_parent_fk REFERENCES S.parent (id) ON DELETE CASCADE,"
            " code varchar(10), ma int4, mb text,"
            " CONSTRAINT child_code_fk FOREIGN KEY (code) REFERENCES S.parent (code)"
            "   ON UPDATE SET NULL ON DELETE RESTRICT DEFERRABLE INITIALLY DEFERRED,"
            " CONSTRAINT child_multi_fk FOREIGN KEY (mb, ma) REFERENCES S.multi (b, a)"
            "   ON UPDATE CASCADE ON DELETE SET DEFAULT DEFERRABLE)",
            "CREATE TABLE S.nokey (x int4, y text)",
            "CREATE TABLE S.uniq (u int4 NOT NULL, v int4, w int4)",
            "CREATE UNIQUE INDEX uniq_v ON S.uniq (v)",
            "CREATE UNIQUE INDEX uniq_u ON S.uniq (u)",
            "CREATE TABLE S.nullkey (v int4)",
            "CREATE UNIQUE INDEX nullkey_v ON S.nullkey (v)",
            "CREATE INDEX parent_note_desc ON S.parent (note DESC, id)",
            "CREATE INDEX parent_lower ON S.parent (lower(note))",
            "CREATE INDEX parent_partial ON S.parent (id) WHERE id > 10",
            "CREATE INDEX parent_hash ON S.parent USING hash (code)",
            "CREATE VIEW S.v_parent AS SELECT id, code FROM S.parent",
            "CREATE TABLE S.\"MixedCase\" (\"Id\" int4 PRIMARY KEY)",
            "CREATE TABLE S.mixedcase (lower_id int4 PRIMARY KEY)",
            "CREATE TABLE S.t_1 (k int4 PRIMARY KEY)",
            "CREATE TABLE S.tx1 (k int4 PRIMARY KEY)",
            "INSERT INTO S.parent VALUES (1, 'a', 'x'), (2, 'b', 'y'), (3, 'c', NULL)",
            "CREATE FUNCTION S.add_one(x int4) RETURNS int4 LANGUAGE sql AS 'SELECT x + 1'",
            "COMMENT ON FUNCTION S.add_one(int4) IS 'adds one'",
            "CREATE FUNCTION S.outs(IN a int4, INOUT b text, OUT c int8) LANGUAGE sql"
            " AS 'SELECT b, a::int8'",
            "CREATE FUNCTION S.tab(n int4) RETURNS TABLE (k int4, label text) LANGUAGE sql"
            " AS 'SELECT g, g::text FROM generate_series(1, n) g'",
            "CREATE FUNCTION S.series(n int4 DEFAULT 3) RETURNS SETOF int8 LANGUAGE sql"
            " AS 'SELECT generate_series(1, n)::int8'",
            "CREATE FUNCTION S.parents() RETURNS SETOF S.parent LANGUAGE sql"
            " AS 'SELECT * FROM S.parent'",
            "CREATE FUNCTION S.noop() RETURNS void LANGUAGE sql AS ''",
            "CREATE PROCEDURE S.proc(a int4, INOUT b int4) LANGUAGE sql AS 'SELECT a + b'",
            "CREATE TABLE S.granted (a int4, b int4)",
            "GRANT SELECT ON S.granted TO \"" + Env("LBRIG_BOB") + "\"",
            "GRANT UPDATE (b) ON S.granted TO \"" + Env("LBRIG_BOB") + "\" WITH GRANT OPTION",
            "GRANT INSERT ON S.granted TO PUBLIC",
        });
  }
  static void TearDownTestSuite() { DropSchema(); }

  std::string S() const { return schema_; }
  std::string Db() { return c_.Scalar("SELECT current_database()"); }
};

const std::vector<std::string> kPrimaryKeysLayout = {
    "TABLE_CAT:V", "TABLE_SCHEM:V", "TABLE_NAME:V", "COLUMN_NAME:V", "KEY_SEQ:S", "PK_NAME:V"};

TEST_F(CatalogKeys, PrimaryKeysSingleAndMultiColumn) {
  Statement st(c_);
  ASSERT_ODBC_OK(SQLPrimaryKeys(st.h(), nullptr, 0, A(S()), SQL_NTS, A("parent"), SQL_NTS),
                 st.diag());
  ExpectLayout(st.h(), kPrimaryKeysLayout);
  EXPECT_EQ(FetchAll(st.h()), (std::vector<Row>{{Db(), S(), "parent", "id", "1", "parent_pkey"}}));

  // KEY_SEQ is the column's position in the key, not in the table.
  ASSERT_ODBC_OK(SQLPrimaryKeys(st.h(), A(Db()), SQL_NTS, A(S()), SQL_NTS, A("multi"), SQL_NTS),
                 st.diag());
  EXPECT_EQ(FetchAll(st.h()), (std::vector<Row>{{Db(), S(), "multi", "b", "1", "multi_pkey"},
                                                {Db(), S(), "multi", "a", "2", "multi_pkey"}}));
  // No primary key, a view, another catalog: no rows.
  for (const char* t : {"nokey", "v_parent"}) {
    ASSERT_ODBC_OK(SQLPrimaryKeys(st.h(), nullptr, 0, A(S()), SQL_NTS, A(t), SQL_NTS), st.diag());
    EXPECT_TRUE(FetchAll(st.h()).empty()) << t;
  }
  ASSERT_ODBC_OK(
      SQLPrimaryKeys(st.h(), A("other_db"), SQL_NTS, A(S()), SQL_NTS, A("parent"), SQL_NTS),
      st.diag());
  EXPECT_TRUE(FetchAll(st.h()).empty());
}

TEST_F(CatalogKeys, PrimaryKeysTableNameIsNotAPattern) {
  Statement st(c_);
  // An ordinary argument: "t_1" is the table t_1, "_" is not a wildcard, "%" matches nothing.
  ASSERT_ODBC_OK(SQLPrimaryKeys(st.h(), nullptr, 0, A(S()), SQL_NTS, A("t_1"), SQL_NTS), st.diag());
  EXPECT_EQ(Project(FetchAll(st.h()), {2}), (std::vector<Row>{{"t_1"}}));
  ASSERT_ODBC_OK(SQLPrimaryKeys(st.h(), nullptr, 0, A(S()), SQL_NTS, A("%"), SQL_NTS), st.diag());
  EXPECT_TRUE(FetchAll(st.h()).empty());
  // Case is significant for an ordinary argument.
  ASSERT_ODBC_OK(SQLPrimaryKeys(st.h(), nullptr, 0, A(S()), SQL_NTS, A("MixedCase"), SQL_NTS),
                 st.diag());
  EXPECT_EQ(Project(FetchAll(st.h()), {2, 3}), (std::vector<Row>{{"MixedCase", "Id"}}));
}

TEST_F(CatalogKeys, PrimaryKeysMetadataIdFoldsUnquotedNames) {
  Statement st(c_);
  ASSERT_ODBC_OK(SQLSetStmtAttr(st.h(), SQL_ATTR_METADATA_ID, (SQLPOINTER)SQL_TRUE, 0), st.diag());
  ASSERT_ODBC_OK(SQLPrimaryKeys(st.h(), A(Db()), SQL_NTS, A(S()), SQL_NTS, A("MixedCase"), SQL_NTS),
                 st.diag());
  EXPECT_EQ(Project(FetchAll(st.h()), {2, 3}), (std::vector<Row>{{"mixedcase", "lower_id"}}));
  ASSERT_ODBC_OK(
      SQLPrimaryKeys(st.h(), A(Db()), SQL_NTS, A(S()), SQL_NTS, A("\"MixedCase\""), SQL_NTS),
      st.diag());
  EXPECT_EQ(Project(FetchAll(st.h()), {2, 3}), (std::vector<Row>{{"MixedCase", "Id"}}));
  // Identifier arguments may not be null pointers (HY009).
  EXPECT_EQ(SQLPrimaryKeys(st.h(), nullptr, 0, A(S()), SQL_NTS, A("parent"), SQL_NTS), SQL_ERROR);
  EXPECT_EQ(FirstState(SQL_HANDLE_STMT, st.h()), "HY009");
}

TEST_F(CatalogKeys, PrimaryKeysErrors) {
  Statement st(c_);
  // TableName cannot be a null pointer.
  EXPECT_EQ(SQLPrimaryKeys(st.h(), nullptr, 0, A(S()), SQL_NTS, nullptr, 0), SQL_ERROR);
  EXPECT_EQ(FirstState(SQL_HANDLE_STMT, st.h()), "HY009");
  EXPECT_EQ(SQLPrimaryKeys(st.h(), nullptr, 0, A(S()), -5, A("parent"), SQL_NTS), SQL_ERROR);
  EXPECT_EQ(FirstState(SQL_HANDLE_STMT, st.h()), "HY090");
  // A cursor is open: 24000.
  ASSERT_ODBC_OK(SQLExecDirect(st.h(), A("SELECT 1"), SQL_NTS), st.diag());
  EXPECT_EQ(SQLPrimaryKeys(st.h(), nullptr, 0, A(S()), SQL_NTS, A("parent"), SQL_NTS), SQL_ERROR);
  EXPECT_EQ(FirstState(SQL_HANDLE_STMT, st.h()), "24000");
}

TEST_F(CatalogKeys, PrimaryKeysWide) {
  Statement st(c_);
  W s(S()), t("multi");
  ASSERT_ODBC_OK(SQLPrimaryKeysW(st.h(), nullptr, 0, s.p(), SQL_NTS, t.p(), SQL_NTS), st.diag());
  EXPECT_EQ(Project(FetchAll(st.h()), {3, 4}), (std::vector<Row>{{"b", "1"}, {"a", "2"}}));
  // Lengths in characters.
  W t2("multiXYZ");
  ASSERT_ODBC_OK(SQLPrimaryKeysW(st.h(), nullptr, 0, s.p(), SQL_NTS, t2.p(), 5), st.diag());
  EXPECT_EQ(FetchAll(st.h()).size(), 2u);
}

const std::vector<std::string> kForeignKeysLayout = {
    "PKTABLE_CAT:V",   "PKTABLE_SCHEM:V", "PKTABLE_NAME:V",  "PKCOLUMN_NAME:V", "FKTABLE_CAT:V",
    "FKTABLE_SCHEM:V", "FKTABLE_NAME:V",  "FKCOLUMN_NAME:V", "KEY_SEQ:S",       "UPDATE_RULE:S",
    "DELETE_RULE:S",   "FK_NAME:V",       "PK_NAME:V",       "DEFERRABILITY:S"};

TEST_F(CatalogKeys, ForeignKeysReferringToATable) {
  Statement st(c_);
  ASSERT_ODBC_OK(SQLForeignKeys(st.h(), nullptr, 0, A(S()), SQL_NTS, A("parent"), SQL_NTS, nullptr,
                                0, nullptr, 0, nullptr, 0),
                 st.diag());
  ExpectLayout(st.h(), kForeignKeysLayout);
  auto rows = FetchAll(st.h());
  const std::string db = Db();
  // Ordered by FKTABLE_CAT, FKTABLE_SCHEM, FKTABLE_NAME, KEY_SEQ.
  EXPECT_EQ(rows, (std::vector<Row>{
                      {db, S(), "parent", "code", db, S(), "child", "code", "1",
                       std::to_string(SQL_SET_NULL), std::to_string(SQL_RESTRICT), "child_code_fk",
                       "parent_code_key", std::to_string(SQL_INITIALLY_DEFERRED)},
                      {db, S(), "parent", "id", db, S(), "child", "parent_id", "1",
                       std::to_string(SQL_NO_ACTION), std::to_string(SQL_CASCADE),
                       "child_parent_fk", "parent_pkey", std::to_string(SQL_NOT_DEFERRABLE)},
                  }));
}

TEST_F(CatalogKeys, ForeignKeysOfATable) {
  Statement st(c_);
  ASSERT_ODBC_OK(SQLForeignKeys(st.h(), nullptr, 0, nullptr, 0, nullptr, 0, nullptr, 0, A(S()),
                                SQL_NTS, A("child"), SQL_NTS),
                 st.diag());
  // Ordered by PKTABLE_CAT, PKTABLE_SCHEM, PKTABLE_NAME, KEY_SEQ.
  EXPECT_EQ(
      Project(FetchAll(st.h()), {2, 3, 7, 8, 9, 10, 11, 12, 13}),
      (std::vector<Row>{
          {"multi", "b", "mb", "1", std::to_string(SQL_CASCADE), std::to_string(SQL_SET_DEFAULT),
           "child_multi_fk", "multi_pkey", std::to_string(SQL_INITIALLY_IMMEDIATE)},
          {"multi", "a", "ma", "2", std::to_string(SQL_CASCADE), std::to_string(SQL_SET_DEFAULT),
           "child_multi_fk", "multi_pkey", std::to_string(SQL_INITIALLY_IMMEDIATE)},
          {"parent", "code", "code", "1", std::to_string(SQL_SET_NULL),
           std::to_string(SQL_RESTRICT), "child_code_fk", "parent_code_key",
           std::to_string(SQL_INITIALLY_DEFERRED)},
          {"parent", "id", "parent_id", "1", std::to_string(SQL_NO_ACTION),
           std::to_string(SQL_CASCADE), "child_parent_fk", "parent_pkey",
           std::to_string(SQL_NOT_DEFERRABLE)},
      }));
}

TEST_F(CatalogKeys, ForeignKeysBetweenTwoTablesAndErrors) {
  Statement st(c_);
  W s(S()), p("multi"), f("child");
  ASSERT_ODBC_OK(SQLForeignKeysW(st.h(), nullptr, 0, s.p(), SQL_NTS, p.p(), SQL_NTS, nullptr, 0,
                                 s.p(), SQL_NTS, f.p(), SQL_NTS),
                 st.diag());
  EXPECT_EQ(Project(FetchAll(st.h()), {3, 7, 8}),
            (std::vector<Row>{{"b", "mb", "1"}, {"a", "ma", "2"}}));
  // A table without keys either way.
  ASSERT_ODBC_OK(SQLForeignKeys(st.h(), nullptr, 0, A(S()), SQL_NTS, A("nokey"), SQL_NTS, nullptr,
                                0, nullptr, 0, nullptr, 0),
                 st.diag());
  EXPECT_TRUE(FetchAll(st.h()).empty());
  // Both table names null: HY009.
  EXPECT_EQ(SQLForeignKeys(st.h(), nullptr, 0, A(S()), SQL_NTS, nullptr, 0, nullptr, 0, nullptr, 0,
                           nullptr, 0),
            SQL_ERROR);
  EXPECT_EQ(FirstState(SQL_HANDLE_STMT, st.h()), "HY009");
}

const std::vector<std::string> kStatisticsLayout = {
    "TABLE_CAT:V",   "TABLE_SCHEM:V", "TABLE_NAME:V",       "NON_UNIQUE:S",  "INDEX_QUALIFIER:V",
    "INDEX_NAME:V",  "TYPE:S",        "ORDINAL_POSITION:S", "COLUMN_NAME:V", "ASC_OR_DESC:C",
    "CARDINALITY:I", "PAGES:I",       "FILTER_CONDITION:V"};

TEST_F(CatalogKeys, StatisticsAllIndexes) {
  Statement st(c_);
  ASSERT_ODBC_OK(SQLStatistics(st.h(), nullptr, 0, A(S()), SQL_NTS, A("parent"), SQL_NTS,
                               SQL_INDEX_ALL, SQL_ENSURE),
                 st.diag());
  ExpectLayout(st.h(), kStatisticsLayout);
  auto rows = FetchAll(st.h());
  ASSERT_GE(rows.size(), 1u);
  // First the SQL_TABLE_STAT row: cardinality counted (SQL_ENSURE), no index columns.
  const std::string db = Db();
  EXPECT_EQ(Project(rows, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12})[0],
            (Row{db, S(), "parent", kNull, kNull, kNull, std::to_string(SQL_TABLE_STAT), kNull,
                 kNull, kNull, "3", kNull}));
  EXPECT_NE(rows[0][11], kNull);  // PAGES
  // Then unique before non-unique, by TYPE, INDEX_QUALIFIER, INDEX_NAME, ORDINAL_POSITION.
  std::string hashed = std::to_string(SQL_INDEX_HASHED), other = std::to_string(SQL_INDEX_OTHER);
  EXPECT_EQ(Project(std::vector<Row>(rows.begin() + 1, rows.end()), {3, 4, 5, 6, 7, 8, 9, 12}),
            (std::vector<Row>{
                {"0", S(), "parent_code_key", other, "1", "code", "A", kNull},
                {"0", S(), "parent_pkey", other, "1", "id", "A", kNull},
                {"1", S(), "parent_hash", hashed, "1", "code", kNull, kNull},
                {"1", S(), "parent_lower", other, "1", "lower(note)", "A", kNull},
                {"1", S(), "parent_note_desc", other, "1", "note", "D", kNull},
                {"1", S(), "parent_note_desc", other, "2", "id", "A", kNull},
                {"1", S(), "parent_partial", other, "1", "id", "A", "(id > 10)"},
            }));
  // A unique index has one value per row: its cardinality is the table's.
  EXPECT_EQ(rows[1][10], "3");
}

TEST_F(CatalogKeys, StatisticsUniqueOnlyQuickAndErrors) {
  Statement st(c_);
  ASSERT_ODBC_OK(SQLStatistics(st.h(), nullptr, 0, A(S()), SQL_NTS, A("parent"), SQL_NTS,
                               SQL_INDEX_UNIQUE, SQL_QUICK),
                 st.diag());
  auto rows = FetchAll(st.h());
  EXPECT_EQ(Project(rows, {5, 8}),
            (std::vector<Row>{{kNull, kNull}, {"parent_code_key", "code"}, {"parent_pkey", "id"}}));
  // A view: only the table row, with no statistics.
  ASSERT_ODBC_OK(SQLStatistics(st.h(), nullptr, 0, A(S()), SQL_NTS, A("v_parent"), SQL_NTS,
                               SQL_INDEX_ALL, SQL_QUICK),
                 st.diag());
  EXPECT_EQ(Project(FetchAll(st.h()), {2, 6, 10, 11}),
            (std::vector<Row>{{"v_parent", "0", kNull, kNull}}));
  // The table name is not a pattern.
  ASSERT_ODBC_OK(SQLStatistics(st.h(), nullptr, 0, A(S()), SQL_NTS, A("par%"), SQL_NTS,
                               SQL_INDEX_ALL, SQL_QUICK),
                 st.diag());
  EXPECT_TRUE(FetchAll(st.h()).empty());

  EXPECT_EQ(
      SQLStatistics(st.h(), nullptr, 0, A(S()), SQL_NTS, nullptr, 0, SQL_INDEX_ALL, SQL_QUICK),
      SQL_ERROR);
  EXPECT_EQ(FirstState(SQL_HANDLE_STMT, st.h()), "HY009");
  EXPECT_EQ(SQLStatistics(st.h(), nullptr, 0, A(S()), SQL_NTS, A("parent"), SQL_NTS, 7, SQL_QUICK),
            SQL_ERROR);
  EXPECT_EQ(FirstState(SQL_HANDLE_STMT, st.h()), "HY100");
  EXPECT_EQ(
      SQLStatistics(st.h(), nullptr, 0, A(S()), SQL_NTS, A("parent"), SQL_NTS, SQL_INDEX_ALL, 7),
      SQL_ERROR);
  EXPECT_EQ(FirstState(SQL_HANDLE_STMT, st.h()), "HY101");
}

const std::vector<std::string> kSpecialColumnsLayout = {
    "SCOPE:S",       "COLUMN_NAME:V",   "DATA_TYPE:S",      "TYPE_NAME:V",
    "COLUMN_SIZE:I", "BUFFER_LENGTH:I", "DECIMAL_DIGITS:S", "PSEUDO_COLUMN:S"};

std::vector<Row> Special(SQLHSTMT h, SQLUSMALLINT type, const std::string& schema,
                         const std::string& table, SQLUSMALLINT scope, SQLUSMALLINT nullable) {
  SQLRETURN rc = SQLSpecialColumns(h, type, nullptr, 0, A(schema), SQL_NTS, A(table), SQL_NTS,
                                   scope, nullable);
  EXPECT_ODBC_OK(rc, Diag(SQL_HANDLE_STMT, h));
  return FetchAll(h);
}

TEST_F(CatalogKeys, SpecialColumnsBestRowId) {
  Statement st(c_);
  ASSERT_ODBC_OK(SQLSpecialColumns(st.h(), SQL_BEST_ROWID, nullptr, 0, A(S()), SQL_NTS, A("parent"),
                                   SQL_NTS, SQL_SCOPE_SESSION, SQL_NO_NULLS),
                 st.diag());
  ExpectLayout(st.h(), kSpecialColumnsLayout);
  // The primary key: valid for the session, a real column.
  EXPECT_EQ(FetchAll(st.h()),
            (std::vector<Row>{{std::to_string(SQL_SCOPE_SESSION), "id", std::to_string(SQL_INTEGER),
                               "int4", "10", "4", "0", std::to_string(SQL_PC_NOT_PSEUDO)}}));
  EXPECT_EQ(
      Project(Special(st.h(), SQL_BEST_ROWID, S(), "multi", SQL_SCOPE_CURROW, SQL_NO_NULLS), {1}),
      (std::vector<Row>{{"b"}, {"a"}}));
  // No key: a unique index on NOT NULL columns.
  EXPECT_EQ(
      Project(Special(st.h(), SQL_BEST_ROWID, S(), "uniq", SQL_SCOPE_TRANSACTION, SQL_NO_NULLS),
              {0, 1}),
      (std::vector<Row>{{std::to_string(SQL_SCOPE_SESSION), "u"}}));
  // A unique index on a nullable column only when SQL_NULLABLE is asked for; else ctid, whose
  // scope is the current row.
  EXPECT_EQ(
      Project(Special(st.h(), SQL_BEST_ROWID, S(), "nullkey", SQL_SCOPE_CURROW, SQL_NULLABLE), {1}),
      (std::vector<Row>{{"v"}}));
  auto ctid = Special(st.h(), SQL_BEST_ROWID, S(), "nullkey", SQL_SCOPE_CURROW, SQL_NO_NULLS);
  ASSERT_EQ(ctid.size(), 1u);
  EXPECT_EQ(Project(ctid, {0, 1, 3, 7}),
            (std::vector<Row>{
                {std::to_string(SQL_SCOPE_CURROW), "ctid", "tid", std::to_string(SQL_PC_PSEUDO)}}));
  EXPECT_EQ(Special(st.h(), SQL_BEST_ROWID, S(), "nokey", SQL_SCOPE_CURROW, SQL_NO_NULLS).size(),
            1u);
  // ctid does not last a transaction: nothing qualifies.
  EXPECT_TRUE(
      Special(st.h(), SQL_BEST_ROWID, S(), "nokey", SQL_SCOPE_TRANSACTION, SQL_NULLABLE).empty());
  // A view has no row identifier.
  EXPECT_TRUE(
      Special(st.h(), SQL_BEST_ROWID, S(), "v_parent", SQL_SCOPE_CURROW, SQL_NULLABLE).empty());
}

TEST_F(CatalogKeys, SpecialColumnsRowVersionAndErrors) {
  Statement st(c_);
  EXPECT_EQ(Special(st.h(), SQL_ROWVER, S(), "parent", SQL_SCOPE_CURROW, SQL_NO_NULLS),
            (std::vector<Row>{{kNull, "xmin", std::to_string(SQL_INTEGER), "xid", "10", "4", "0",
                               std::to_string(SQL_PC_PSEUDO)}}));
  W s(S()), t("parent");
  ASSERT_ODBC_OK(SQLSpecialColumnsW(st.h(), SQL_BEST_ROWID, nullptr, 0, s.p(), SQL_NTS, t.p(),
                                    SQL_NTS, SQL_SCOPE_SESSION, SQL_NULLABLE),
                 st.diag());
  EXPECT_EQ(Project(FetchAll(st.h()), {1}), (std::vector<Row>{{"id"}}));

  struct Bad {
    SQLUSMALLINT type, scope, nullable;
    const char* state;
  } bad[] = {{99, SQL_SCOPE_CURROW, SQL_NO_NULLS, "HY097"},
             {SQL_BEST_ROWID, 9, SQL_NO_NULLS, "HY098"},
             {SQL_BEST_ROWID, SQL_SCOPE_CURROW, 9, "HY099"}};
  for (const auto& b : bad) {
    EXPECT_EQ(SQLSpecialColumns(st.h(), b.type, nullptr, 0, A(S()), SQL_NTS, A("parent"), SQL_NTS,
                                b.scope, b.nullable),
              SQL_ERROR);
    EXPECT_EQ(FirstState(SQL_HANDLE_STMT, st.h()), b.state);
  }
  EXPECT_EQ(SQLSpecialColumns(st.h(), SQL_BEST_ROWID, nullptr, 0, A(S()), SQL_NTS, nullptr, 0,
                              SQL_SCOPE_CURROW, SQL_NO_NULLS),
            SQL_ERROR);
  EXPECT_EQ(FirstState(SQL_HANDLE_STMT, st.h()), "HY009");
}

const std::vector<std::string> kProceduresLayout = {
    "PROCEDURE_CAT:V",     "PROCEDURE_SCHEM:V", "PROCEDURE_NAME:V", "NUM_INPUT_PARAMS:I",
    "NUM_OUTPUT_PARAMS:I", "NUM_RESULT_SETS:I", "REMARKS:V",        "PROCEDURE_TYPE:S"};

TEST_F(CatalogKeys, Procedures) {
  Statement st(c_);
  ASSERT_ODBC_OK(SQLProcedures(st.h(), nullptr, 0, A(S()), SQL_NTS, A("%"), SQL_NTS), st.diag());
  ExpectLayout(st.h(), kProceduresLayout);
  const std::string db = Db(), fn = std::to_string(SQL_PT_FUNCTION);
  EXPECT_EQ(FetchAll(st.h()),
            (std::vector<Row>{
                {db, S(), "add_one", kNull, kNull, kNull, "adds one", fn},
                {db, S(), "noop", kNull, kNull, kNull, kNull, fn},
                {db, S(), "outs", kNull, kNull, kNull, kNull, fn},
                {db, S(), "parents", kNull, kNull, kNull, kNull, fn},
                {db, S(), "proc", kNull, kNull, kNull, kNull, std::to_string(SQL_PT_PROCEDURE)},
                {db, S(), "series", kNull, kNull, kNull, kNull, fn},
                {db, S(), "tab", kNull, kNull, kNull, kNull, fn},
            }));
  // A pattern, and its escape.
  W s(S()), p("p%");
  ASSERT_ODBC_OK(SQLProceduresW(st.h(), nullptr, 0, s.p(), SQL_NTS, p.p(), SQL_NTS), st.diag());
  EXPECT_EQ(Project(FetchAll(st.h()), {2}), (std::vector<Row>{{"parents"}, {"proc"}}));
  ASSERT_ODBC_OK(SQLProcedures(st.h(), nullptr, 0, A(S()), SQL_NTS, A("add\\_one"), SQL_NTS),
                 st.diag());
  EXPECT_EQ(Project(FetchAll(st.h()), {2}), (std::vector<Row>{{"add_one"}}));
  ASSERT_ODBC_OK(SQLProcedures(st.h(), nullptr, 0, A(S()), SQL_NTS, A("add\\%"), SQL_NTS),
                 st.diag());
  EXPECT_TRUE(FetchAll(st.h()).empty());
}

const std::vector<std::string> kProcedureColumnsLayout = {
    "PROCEDURE_CAT:V",     "PROCEDURE_SCHEM:V",  "PROCEDURE_NAME:V", "COLUMN_NAME:V",
    "COLUMN_TYPE:S",       "DATA_TYPE:S",        "TYPE_NAME:V",      "COLUMN_SIZE:I",
    "BUFFER_LENGTH:I",     "DECIMAL_DIGITS:S",   "NUM_PREC_RADIX:S", "NULLABLE:S",
    "REMARKS:V",           "COLUMN_DEF:V",       "SQL_DATA_TYPE:S",  "SQL_DATETIME_SUB:S",
    "CHAR_OCTET_LENGTH:I", "ORDINAL_POSITION:I", "IS_NULLABLE:V"};

TEST_F(CatalogKeys, ProcedureColumns) {
  Statement st(c_);
  ASSERT_ODBC_OK(
      SQLProcedureColumns(st.h(), nullptr, 0, A(S()), SQL_NTS, A("%"), SQL_NTS, nullptr, 0),
      st.diag());
  ExpectLayout(st.h(), kProcedureColumnsLayout);
  auto rows = FetchAll(st.h());
  const std::string in = std::to_string(SQL_PARAM_INPUT),
                    inout = std::to_string(SQL_PARAM_INPUT_OUTPUT),
                    out = std::to_string(SQL_PARAM_OUTPUT), res = std::to_string(SQL_RESULT_COL),
                    ret = std::to_string(SQL_RETURN_VALUE), i4 = std::to_string(SQL_INTEGER),
                    i8 = std::to_string(SQL_BIGINT);
  // PROCEDURE_NAME, COLUMN_NAME, COLUMN_TYPE, DATA_TYPE, TYPE_NAME, COLUMN_DEF, ORDINAL_POSITION:
  // the return value, the parameters in call order, then the result-set columns.
  auto got = Project(rows, {2, 3, 4, 5, 6, 13, 17});
  // The text-like types describe per the DSN's options; compare only their TYPE_NAME.
  EXPECT_EQ(got, (std::vector<Row>{
                     {"add_one", "", ret, i4, "int4", kNull, "0"},
                     {"add_one", "x", in, i4, "int4", kNull, "1"},
                     {"outs", "a", in, i4, "int4", kNull, "1"},
                     {"outs", "b", inout, rows[3][5], "text", kNull, "2"},
                     {"outs", "c", out, i8, "int8", kNull, "3"},
                     {"parents", "id", res, i4, "int4", kNull, "1"},
                     {"parents", "code", res, rows[6][5], "varchar", kNull, "2"},
                     {"parents", "note", res, rows[7][5], "text", kNull, "3"},
                     {"proc", "a", in, i4, "int4", kNull, "1"},
                     {"proc", "b", inout, i4, "int4", kNull, "2"},
                     {"series", "n", in, i4, "int4", "3", "1"},
                     {"series", "series", res, i8, "int8", kNull, "1"},
                     {"tab", "n", in, i4, "int4", kNull, "1"},
                     {"tab", "k", res, i4, "int4", kNull, "1"},
                     {"tab", "label", res, rows[14][5], "text", kNull, "2"},
                 }));
  // Result columns of a table type carry the column's nullability.
  EXPECT_EQ(Project(std::vector<Row>(rows.begin() + 5, rows.begin() + 8), {11, 18}),
            (std::vector<Row>{{"0", "NO"}, {"0", "NO"}, {"1", "YES"}}));
  // The column-name pattern, W entry point.
  W s(S()), p("tab"), col("l%");
  ASSERT_ODBC_OK(
      SQLProcedureColumnsW(st.h(), nullptr, 0, s.p(), SQL_NTS, p.p(), SQL_NTS, col.p(), SQL_NTS),
      st.diag());
  EXPECT_EQ(Project(FetchAll(st.h()), {3, 17}), (std::vector<Row>{{"label", "2"}}));
}

const std::vector<std::string> kTablePrivilegesLayout = {
    "TABLE_CAT:V", "TABLE_SCHEM:V", "TABLE_NAME:V",  "GRANTOR:V",
    "GRANTEE:V",   "PRIVILEGE:V",   "IS_GRANTABLE:V"};

TEST_F(CatalogKeys, TablePrivileges) {
  Statement st(c_);
  ASSERT_ODBC_OK(SQLTablePrivileges(st.h(), nullptr, 0, A(S()), SQL_NTS, A("granted"), SQL_NTS),
                 st.diag());
  ExpectLayout(st.h(), kTablePrivilegesLayout);
  auto rows = FetchAll(st.h());
  const std::string alice = Env("LBRIG_ALICE"), bob = Env("LBRIG_BOB");
  // Ordered by TABLE_CAT, TABLE_SCHEM, TABLE_NAME, PRIVILEGE, GRANTEE.
  std::vector<Row> want = {
      {alice, alice, "DELETE", "YES"},   {alice, alice, "INSERT", "YES"},
      {alice, "PUBLIC", "INSERT", "NO"}, {alice, alice, "REFERENCES", "YES"},
      {alice, alice, "SELECT", "YES"},   {alice, bob, "SELECT", "NO"},
      {alice, alice, "TRIGGER", "YES"},  {alice, alice, "TRUNCATE", "YES"},
      {alice, alice, "UPDATE", "YES"},
  };
  // The order of grantees within a privilege follows the server's collation: check membership
  // and the PRIVILEGE order.
  auto got = Project(rows, {3, 4, 5, 6});
  EXPECT_EQ(got.size(), want.size());
  for (const auto& w : want) {
    EXPECT_NE(std::find(got.begin(), got.end(), w), got.end()) << w[1] << " " << w[2];
  }
  for (size_t i = 1; i < got.size(); ++i) EXPECT_LE(got[i - 1][2], got[i][2]);
  for (const auto& r : rows) EXPECT_EQ(r[2], "granted");
}

TEST_F(CatalogKeys, ColumnPrivileges) {
  Statement st(c_);
  W s(S()), t("granted"), col("b");
  ASSERT_ODBC_OK(
      SQLColumnPrivilegesW(st.h(), nullptr, 0, s.p(), SQL_NTS, t.p(), SQL_NTS, col.p(), SQL_NTS),
      st.diag());
  ExpectLayout(st.h(), {"TABLE_CAT:V", "TABLE_SCHEM:V", "TABLE_NAME:V", "COLUMN_NAME:V",
                        "GRANTOR:V", "GRANTEE:V", "PRIVILEGE:V", "IS_GRANTABLE:V"});
  auto rows = FetchAll(st.h());
  const std::string bob = Env("LBRIG_BOB");
  auto got = Project(rows, {3, 5, 6, 7});
  // bob: SELECT from the table grant, UPDATE (grantable) on the column itself; PUBLIC: INSERT.
  for (const Row& w : {Row{"b", bob, "SELECT", "NO"}, Row{"b", bob, "UPDATE", "YES"},
                       Row{"b", "PUBLIC", "INSERT", "NO"}}) {
    EXPECT_NE(std::find(got.begin(), got.end(), w), got.end()) << w[1] << " " << w[2];
  }
  // Column a: bob has no UPDATE.
  ASSERT_ODBC_OK(SQLColumnPrivileges(st.h(), nullptr, 0, A(S()), SQL_NTS, A("granted"), SQL_NTS,
                                     A("a"), SQL_NTS),
                 st.diag());
  got = Project(FetchAll(st.h()), {3, 5, 6});
  EXPECT_EQ(std::find(got.begin(), got.end(), Row{"a", bob, "UPDATE"}), got.end());
  EXPECT_NE(std::find(got.begin(), got.end(), Row{"a", bob, "SELECT"}), got.end());
  for (size_t i = 1; i < got.size(); ++i) EXPECT_LE(got[i - 1][2], got[i][2]);
  // TableName cannot be a null pointer.
  EXPECT_EQ(SQLColumnPrivileges(st.h(), nullptr, 0, A(S()), SQL_NTS, nullptr, 0, nullptr, 0),
            SQL_ERROR);
  EXPECT_EQ(FirstState(SQL_HANDLE_STMT, st.h()), "HY009");
}

TEST_F(CatalogKeys, GetFunctionsReportsEveryCatalogFunction) {
  for (SQLUSMALLINT f :
       {SQL_API_SQLTABLES, SQL_API_SQLCOLUMNS, SQL_API_SQLGETTYPEINFO, SQL_API_SQLPRIMARYKEYS,
        SQL_API_SQLFOREIGNKEYS, SQL_API_SQLSTATISTICS, SQL_API_SQLSPECIALCOLUMNS,
        SQL_API_SQLPROCEDURES, SQL_API_SQLPROCEDURECOLUMNS, SQL_API_SQLTABLEPRIVILEGES,
        SQL_API_SQLCOLUMNPRIVILEGES}) {
    SQLUSMALLINT supported = SQL_FALSE;
    ASSERT_ODBC_OK(SQLGetFunctions(c_.dbc(), f, &supported), c_.diag());
    EXPECT_EQ(supported, SQL_TRUE) << f;
  }
}

}  // namespace
}  // namespace lakebase::testing::catalog

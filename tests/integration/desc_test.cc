// Descriptors (ODBC "Descriptors"): the implicit ARD/APD/IRD/IPD seen through SQLGetDescField,
// bindings made through SQLSetDescRec instead of SQLBindCol, explicit descriptors and
// SQLCopyDesc.
#include <gtest/gtest.h>

#include <cstring>

#include "tests/integration/rig_env.h"

namespace lakebase::testing {
namespace {

class Desc : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_ODBC_OK(c_.DriverConnect(BaseConnectionString() + "Token=" + Env("LBRIG_ALICE_PAT")),
                   c_.diag());
  }
  SQLHDESC Get(SQLHSTMT st, SQLINTEGER attr) {
    SQLHDESC d = nullptr;
    EXPECT_ODBC_OK(SQLGetStmtAttr(st, attr, &d, 0, nullptr), "get descriptor");
    return d;
  }
  Connection c_;
};

TEST_F(Desc, IrdDescribesThePreparedResult) {
  Statement st(c_);
  ASSERT_ODBC_OK(SQLPrepare(st.h(),
                            (SQLCHAR*)"SELECT 1::int4 AS a, 'x'::varchar(7) AS b, "
                                      "now()::timestamp(3) AS c",
                            SQL_NTS),
                 st.diag());
  SQLHDESC ird = Get(st.h(), SQL_ATTR_IMP_ROW_DESC);
  SQLSMALLINT count = 0;
  ASSERT_ODBC_OK(SQLGetDescField(ird, 0, SQL_DESC_COUNT, &count, 0, nullptr), "count");
  EXPECT_EQ(count, 3);
  SQLSMALLINT type = 0, code = 0;
  SQLGetDescField(ird, 3, SQL_DESC_TYPE, &type, 0, nullptr);
  SQLGetDescField(ird, 3, SQL_DESC_DATETIME_INTERVAL_CODE, &code, 0, nullptr);
  EXPECT_EQ(type, SQL_DATETIME);
  EXPECT_EQ(code, SQL_CODE_TIMESTAMP);
  SQLULEN length = 0;
  SQLGetDescField(ird, 2, SQL_DESC_LENGTH, &length, 0, nullptr);
  EXPECT_EQ(length, 7u);
  char name[32] = {0};
  SQLINTEGER len = 0;
  ASSERT_ODBC_OK(SQLGetDescField(ird, 2, SQL_DESC_NAME, name, sizeof name, &len), "name");
  EXPECT_STREQ(name, "b");
  SQLCHAR rec_name[32];
  SQLSMALLINT rec_name_len, rtype, rsub, prec, scale, nullable;
  SQLLEN rlen;
  ASSERT_ODBC_OK(SQLGetDescRec(ird, 1, rec_name, sizeof rec_name, &rec_name_len, &rtype, &rsub,
                               &rlen, &prec, &scale, &nullable),
                 "rec");
  EXPECT_EQ(rtype, SQL_INTEGER);
  // The IRD is read-only.
  EXPECT_EQ(SQLSetDescField(ird, 1, SQL_DESC_TYPE, (SQLPOINTER)SQL_CHAR, 0), SQL_ERROR);
  EXPECT_EQ(FirstState(SQL_HANDLE_DESC, ird), "HY016");
}

TEST_F(Desc, BindingThroughTheArdWithSetDescRec) {
  Statement st(c_);
  SQLHDESC ard = Get(st.h(), SQL_ATTR_APP_ROW_DESC);
  SQLINTEGER v = 0;
  SQLLEN ind = 0;
  ASSERT_ODBC_OK(SQLSetDescRec(ard, 1, SQL_INTEGER, 0, sizeof v, 0, 0, &v, &ind, &ind), "rec");
  SQL_DATE_STRUCT d{};
  SQLLEN dind = 0;
  ASSERT_ODBC_OK(
      SQLSetDescRec(ard, 2, SQL_DATETIME, SQL_CODE_DATE, sizeof d, 0, 0, &d, &dind, &dind), "rec");
  SQLSMALLINT concise = 0;
  SQLGetDescField(ard, 2, SQL_DESC_CONCISE_TYPE, &concise, 0, nullptr);
  EXPECT_EQ(concise, SQL_C_TYPE_DATE);
  ASSERT_ODBC_OK(SQLExecDirect(st.h(), (SQLCHAR*)"SELECT 41 + 1, date '2020-02-29'", SQL_NTS),
                 st.diag());
  ASSERT_EQ(SQLFetch(st.h()), SQL_SUCCESS) << st.diag();
  EXPECT_EQ(v, 42);
  EXPECT_EQ(d.year, 2020);
  EXPECT_EQ(d.day, 29);
}

TEST_F(Desc, ExplicitDescriptorSharedByTwoStatements) {
  SQLHDESC mine = nullptr;
  ASSERT_ODBC_OK(SQLAllocHandle(SQL_HANDLE_DESC, c_.dbc(), &mine), c_.diag());
  SQLBIGINT v = 0;
  SQLLEN ind = 0;
  ASSERT_ODBC_OK(SQLSetDescField(mine, 1, SQL_DESC_CONCISE_TYPE, (SQLPOINTER)SQL_C_SBIGINT, 0),
                 "t");
  ASSERT_ODBC_OK(SQLSetDescField(mine, 1, SQL_DESC_INDICATOR_PTR, &ind, 0), "i");
  ASSERT_ODBC_OK(SQLSetDescField(mine, 1, SQL_DESC_OCTET_LENGTH_PTR, &ind, 0), "o");
  ASSERT_ODBC_OK(SQLSetDescField(mine, 1, SQL_DESC_DATA_PTR, &v, 0), "d");
  for (long expected : {7L, 9L}) {
    Statement st(c_);
    ASSERT_ODBC_OK(SQLSetStmtAttr(st.h(), SQL_ATTR_APP_ROW_DESC, mine, 0), st.diag());
    std::string sql = "SELECT " + std::to_string(expected) + "::int8";
    ASSERT_ODBC_OK(SQLExecDirect(st.h(), (SQLCHAR*)sql.c_str(), SQL_NTS), st.diag());
    ASSERT_EQ(SQLFetch(st.h()), SQL_SUCCESS) << st.diag();
    EXPECT_EQ(v, expected);
  }
  EXPECT_EQ(SQLFreeHandle(SQL_HANDLE_DESC, mine), SQL_SUCCESS);
}

TEST_F(Desc, CopyDescFromIrd) {
  Statement st(c_);
  ASSERT_ODBC_OK(SQLExecDirect(st.h(), (SQLCHAR*)"SELECT 5::int2, 2.5::float8", SQL_NTS),
                 st.diag());
  SQLHDESC ird = Get(st.h(), SQL_ATTR_IMP_ROW_DESC);
  SQLHDESC mine = nullptr;
  ASSERT_ODBC_OK(SQLAllocHandle(SQL_HANDLE_DESC, c_.dbc(), &mine), c_.diag());
  ASSERT_ODBC_OK(SQLCopyDesc(ird, mine), Diag(SQL_HANDLE_DESC, mine));
  SQLSMALLINT count = 0, type = 0;
  SQLGetDescField(mine, 0, SQL_DESC_COUNT, &count, 0, nullptr);
  SQLGetDescField(mine, 2, SQL_DESC_CONCISE_TYPE, &type, 0, nullptr);
  EXPECT_EQ(count, 2);
  EXPECT_EQ(type, SQL_DOUBLE);
  // The IRD cannot be a target.
  EXPECT_EQ(SQLCopyDesc(mine, ird), SQL_ERROR);
  SQLFreeHandle(SQL_HANDLE_DESC, mine);
}

}  // namespace
}  // namespace lakebase::testing

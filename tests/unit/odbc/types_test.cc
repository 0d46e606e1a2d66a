#include "driver/types.h"

#include <gtest/gtest.h>
#include <sql.h>
#include <sqlext.h>
#include <sqlucode.h>

namespace lakebase::pg {
namespace {

TEST(Types, LookupUnknownIsText) {
  EXPECT_EQ(LookupType(99999).oid, oid::kText);
  EXPECT_EQ(FindType(99999), nullptr);
  EXPECT_EQ(LookupType(oid::kUuid).kind, ValueKind::kUuid);
  EXPECT_GT(AllTypes().size(), 30u);
}

TEST(Types, Integers) {
  DescribeOptions o;
  auto d = Describe(oid::kInt4, -1, o);
  EXPECT_EQ(d.sql_type, SQL_INTEGER);
  EXPECT_EQ(d.column_size, 10u);
  EXPECT_EQ(d.display_size, 11);
  EXPECT_EQ(d.octet_length, 4);
  EXPECT_EQ(d.num_prec_radix, 10);
  d = Describe(oid::kInt2, -1, o);
  EXPECT_EQ(d.sql_type, SQL_SMALLINT);
  EXPECT_EQ(d.column_size, 5u);
  EXPECT_EQ(d.display_size, 6);
  d = Describe(oid::kInt8, -1, o);
  EXPECT_EQ(d.sql_type, SQL_BIGINT);
  EXPECT_EQ(d.column_size, 19u);
  EXPECT_EQ(d.display_size, 20);
  d = Describe(oid::kOid, -1, o);
  EXPECT_TRUE(d.is_unsigned);
  EXPECT_EQ(LookupType(oid::kOid).default_c_type, SQL_C_ULONG);
}

TEST(Types, NumericTypmod) {
  DescribeOptions o;
  auto d = Describe(oid::kNumeric, ((10 << 16) | 3) + 4, o);
  EXPECT_EQ(d.sql_type, SQL_NUMERIC);
  EXPECT_EQ(d.column_size, 10u);
  EXPECT_EQ(d.decimal_digits, 3);
  EXPECT_EQ(d.display_size, 12);
  d = Describe(oid::kNumeric, -1, o);
  EXPECT_EQ(d.column_size, 28u);
  EXPECT_EQ(d.decimal_digits, 6);
}

TEST(Types, Floats) {
  DescribeOptions o;
  EXPECT_EQ(Describe(oid::kFloat4, -1, o).sql_type, SQL_REAL);
  EXPECT_EQ(Describe(oid::kFloat8, -1, o).sql_type, SQL_DOUBLE);
  EXPECT_EQ(Describe(oid::kFloat8, -1, o).display_size, 24);
}

TEST(Types, BoolAndBoolsAsChar) {
  DescribeOptions o;
  auto d = Describe(oid::kBool, -1, o);
  EXPECT_EQ(d.sql_type, SQL_BIT);
  EXPECT_EQ(d.column_size, 1u);
  o.bools_as_char = true;
  d = Describe(oid::kBool, -1, o);
  EXPECT_EQ(d.sql_type, SQL_WVARCHAR);
  EXPECT_EQ(d.column_size, 5u);
}

TEST(Types, CharacterTypesFollowOptions) {
  DescribeOptions o;
  auto d = Describe(oid::kVarchar, 20 + 4, o);
  EXPECT_EQ(d.sql_type, SQL_WVARCHAR);
  EXPECT_EQ(d.column_size, 20u);
  EXPECT_EQ(d.octet_length, 40);
  EXPECT_TRUE(d.case_sensitive);
  d = Describe(oid::kBpchar, 5 + 4, o);
  EXPECT_EQ(d.sql_type, SQL_WCHAR);
  EXPECT_EQ(d.column_size, 5u);
  d = Describe(oid::kVarchar, -1, o);
  EXPECT_EQ(d.column_size, 255u);
  d = Describe(oid::kText, -1, o);
  EXPECT_EQ(d.sql_type, SQL_WLONGVARCHAR);
  EXPECT_EQ(d.column_size, 8190u);
  o.text_as_long_varchar = false;
  o.unicode = false;
  o.max_varchar_size = 1000;
  d = Describe(oid::kText, -1, o);
  EXPECT_EQ(d.sql_type, SQL_VARCHAR);
  EXPECT_EQ(d.column_size, 1000u);
  EXPECT_EQ(d.octet_length, 4000);
  d = Describe(oid::kChar, -1, o);
  EXPECT_EQ(d.sql_type, SQL_CHAR);
  EXPECT_EQ(d.column_size, 1u);
  d = Describe(12345, -1, o);  // an enum: text
  EXPECT_EQ(d.sql_type, SQL_VARCHAR);
  EXPECT_EQ(d.kind, ValueKind::kText);
}

TEST(Types, DatesAndTimes) {
  DescribeOptions o;
  auto d = Describe(oid::kTimestamp, -1, o);
  EXPECT_EQ(d.sql_type, SQL_TYPE_TIMESTAMP);
  EXPECT_EQ(d.column_size, 26u);
  EXPECT_EQ(d.decimal_digits, 6);
  EXPECT_EQ(d.octet_length, 16);
  d = Describe(oid::kTimestampTz, 0, o);
  EXPECT_EQ(d.column_size, 19u);
  EXPECT_EQ(d.decimal_digits, 0);
  d = Describe(oid::kDate, -1, o);
  EXPECT_EQ(d.sql_type, SQL_TYPE_DATE);
  EXPECT_EQ(d.column_size, 10u);
  EXPECT_EQ(d.octet_length, 6);
  d = Describe(oid::kTime, 3, o);
  EXPECT_EQ(d.sql_type, SQL_TYPE_TIME);
  EXPECT_EQ(d.column_size, 12u);
  EXPECT_EQ(d.decimal_digits, 3);
}

TEST(Types, UuidByteaInterval) {
  DescribeOptions o;
  auto d = Describe(oid::kUuid, -1, o);
  EXPECT_EQ(d.sql_type, SQL_GUID);
  EXPECT_EQ(d.column_size, 36u);
  EXPECT_EQ(d.octet_length, 16);
  d = Describe(oid::kBytea, -1, o);
  EXPECT_EQ(d.sql_type, SQL_VARBINARY);
  EXPECT_EQ(d.display_size, 2 * d.octet_length);
  o.bytea_as_long_varbinary = true;
  EXPECT_EQ(Describe(oid::kBytea, -1, o).sql_type, SQL_LONGVARBINARY);
  d = Describe(oid::kInterval, -1, o);
  EXPECT_EQ(d.sql_type, SQL_WVARCHAR);
  EXPECT_EQ(d.kind, ValueKind::kInterval);
  o.interval_as_sql_interval = true;
  EXPECT_EQ(Describe(oid::kInterval, -1, o).sql_type, SQL_INTERVAL_DAY_TO_SECOND);
  EXPECT_EQ(Describe(oid::kInterval, (((1 << 2) | (1 << 1)) << 16) | 0xFFFF, o).sql_type,
            SQL_INTERVAL_YEAR_TO_MONTH);
  EXPECT_EQ(Describe(oid::kInterval, ((1 << 3) << 16) | 0xFFFF, o).sql_type, SQL_INTERVAL_DAY);
}

}  // namespace
}  // namespace lakebase::pg

// The PostgreSQL type table and the ODBC description of each type (ODBC appendix D, "Column
// Size, Decimal Digits, Transfer Octet Length, and Display Size").
//
// Choices where the spec leaves room (psqlODBC-like):
//  - numeric without a typmod: precision 28, scale 6.
//  - character octet length: column size x 2 for the W types (UTF-16 bytes), x 4 for the narrow
//    types (the UTF-8 worst case), so a buffer sized from it always holds the value.
//  - float4/float8: SQL_REAL 7 / SQL_DOUBLE 15 decimal digits, radix 10.
//  - oid/xid: SQL_INTEGER, unsigned (default C type SQL_C_ULONG), decoded as 64-bit.
//  - money: SQL_DECIMAL(19,2); its text ("$1,234.56", lc_monetary C) is up to 28 characters.
//  - bit/varbit, inet/cidr, macaddr, point, name, unknown OIDs: character data.
//  - timetz/timestamptz: SQL_TYPE_TIME/SQL_TYPE_TIMESTAMP, display size + 6 for the offset.
//  - interval: varchar of 80 unless DescribeOptions::interval_as_sql_interval.
#include "driver/types.h"

#include <sql.h>
#include <sqlext.h>
#include <sqlucode.h>

#include <algorithm>
#include <array>

namespace lakebase::pg {
namespace {

using VK = ValueKind;

// Sorted by OID.
constexpr std::array kTypes = std::to_array<TypeInfo>({
    {oid::kBool, "bool", VK::kBool, SQL_BIT, SQL_C_BIT},
    {oid::kBytea, "bytea", VK::kBytea, SQL_VARBINARY, SQL_C_BINARY},
    {oid::kChar, "char", VK::kText, SQL_CHAR, SQL_C_CHAR},
    {oid::kName, "name", VK::kText, SQL_VARCHAR, SQL_C_CHAR},
    {oid::kInt8, "int8", VK::kInt64, SQL_BIGINT, SQL_C_SBIGINT},
    {oid::kInt2, "int2", VK::kInt16, SQL_SMALLINT, SQL_C_SSHORT},
    {oid::kInt4, "int4", VK::kInt32, SQL_INTEGER, SQL_C_SLONG},
    {oid::kRegproc, "regproc", VK::kText, SQL_VARCHAR, SQL_C_CHAR},
    {oid::kText, "text", VK::kText, SQL_LONGVARCHAR, SQL_C_CHAR},
    {oid::kOid, "oid", VK::kInt64, SQL_INTEGER, SQL_C_ULONG},
    {oid::kTid, "tid", VK::kText, SQL_VARCHAR, SQL_C_CHAR},
    {oid::kXid, "xid", VK::kInt64, SQL_INTEGER, SQL_C_ULONG},
    {oid::kJson, "json", VK::kText, SQL_LONGVARCHAR, SQL_C_CHAR},
    {oid::kXml, "xml", VK::kText, SQL_LONGVARCHAR, SQL_C_CHAR},
    {oid::kPoint, "point", VK::kText, SQL_VARCHAR, SQL_C_CHAR},
    {oid::kCidr, "cidr", VK::kText, SQL_VARCHAR, SQL_C_CHAR},
    {oid::kFloat4, "float4", VK::kFloat32, SQL_REAL, SQL_C_FLOAT},
    {oid::kFloat8, "float8", VK::kFloat64, SQL_DOUBLE, SQL_C_DOUBLE},
    {oid::kUnknown, "unknown", VK::kText, SQL_VARCHAR, SQL_C_CHAR},
    {oid::kMoney, "money", VK::kMoney, SQL_DECIMAL, SQL_C_CHAR},
    {oid::kMacaddr, "macaddr", VK::kText, SQL_VARCHAR, SQL_C_CHAR},
    {oid::kInet, "inet", VK::kText, SQL_VARCHAR, SQL_C_CHAR},
    {oid::kBpchar, "bpchar", VK::kText, SQL_CHAR, SQL_C_CHAR},
    {oid::kVarchar, "varchar", VK::kText, SQL_VARCHAR, SQL_C_CHAR},
    {oid::kDate, "date", VK::kDate, SQL_TYPE_DATE, SQL_C_TYPE_DATE},
    {oid::kTime, "time", VK::kTime, SQL_TYPE_TIME, SQL_C_TYPE_TIME},
    {oid::kTimestamp, "timestamp", VK::kTimestamp, SQL_TYPE_TIMESTAMP, SQL_C_TYPE_TIMESTAMP},
    {oid::kTimestampTz, "timestamptz", VK::kTimestampTz, SQL_TYPE_TIMESTAMP, SQL_C_TYPE_TIMESTAMP},
    {oid::kInterval, "interval", VK::kInterval, SQL_VARCHAR, SQL_C_CHAR},
    {oid::kTimeTz, "timetz", VK::kTimeTz, SQL_TYPE_TIME, SQL_C_TYPE_TIME},
    {oid::kBit, "bit", VK::kText, SQL_VARCHAR, SQL_C_CHAR},
    {oid::kVarbit, "varbit", VK::kText, SQL_VARCHAR, SQL_C_CHAR},
    {oid::kNumeric, "numeric", VK::kNumeric, SQL_NUMERIC, SQL_C_CHAR},
    {oid::kUuid, "uuid", VK::kUuid, SQL_GUID, SQL_C_GUID},
    {oid::kJsonb, "jsonb", VK::kText, SQL_LONGVARCHAR, SQL_C_CHAR},
});

constexpr bool Sorted() {
  for (size_t i = 1; i < kTypes.size(); ++i)
    if (kTypes[i - 1].oid >= kTypes[i].oid) return false;
  return true;
}
static_assert(Sorted(), "kTypes must be sorted by OID");

constexpr int kVarHdrSz = 4;
constexpr int kDefaultNumericPrecision = 28;
constexpr int kDefaultNumericScale = 6;
constexpr int kDefaultSecondsPrecision = 6;
constexpr int kIntervalLeading = 9;  // digits of the leading field we report

short Wide(short sql_type) {
  switch (sql_type) {
    case SQL_CHAR:
      return SQL_WCHAR;
    case SQL_VARCHAR:
      return SQL_WVARCHAR;
    case SQL_LONGVARCHAR:
      return SQL_WLONGVARCHAR;
    default:
      return sql_type;
  }
}

void Character(ColumnDescription& d, short narrow_type, long size, const DescribeOptions& o) {
  d.sql_type = o.unicode ? Wide(narrow_type) : narrow_type;
  d.column_size = static_cast<unsigned long>(size);
  d.decimal_digits = 0;
  d.octet_length = size * (o.unicode ? 2 : 4);
  d.display_size = size;
  d.num_prec_radix = 0;
  d.case_sensitive = true;
  d.literal_prefix = "'";
  d.literal_suffix = "'";
}

void Fixed(ColumnDescription& d, short sql_type, unsigned long size, long octets, long display,
           int radix) {
  d.sql_type = sql_type;
  d.column_size = size;
  d.octet_length = octets;
  d.display_size = display;
  d.num_prec_radix = radix;
}

int SecondsPrecision(int typmod) {
  return typmod >= 0 && typmod <= 6 ? typmod : kDefaultSecondsPrecision;
}

// interval typmod: (fields mask << 16) | precision (PostgreSQL's INTERVAL_RANGE/PRECISION).
void Interval(ColumnDescription& d, int typmod, const DescribeOptions& o) {
  if (!o.interval_as_sql_interval) {
    Character(d, SQL_VARCHAR, 80, o);
    d.case_sensitive = false;
    return;
  }
  constexpr int kMonth = 1 << 1, kYear = 1 << 2, kDay = 1 << 3, kHour = 1 << 10, kMinute = 1 << 11,
                kSecond = 1 << 12;
  int fields = typmod >= 0 ? (typmod >> 16) & 0x7FFF : 0x7FFF;
  int precision = typmod >= 0 ? typmod & 0xFFFF : 0xFFFF;
  int s = precision == 0xFFFF ? kDefaultSecondsPrecision : precision;
  short type;
  int width;  // characters after the leading field
  bool seconds = false;
  if (fields == kYear) {
    type = SQL_INTERVAL_YEAR, width = 0;
  } else if (fields == kMonth) {
    type = SQL_INTERVAL_MONTH, width = 0;
  } else if (fields == (kYear | kMonth)) {
    type = SQL_INTERVAL_YEAR_TO_MONTH, width = 3;
  } else if (fields == kDay) {
    type = SQL_INTERVAL_DAY, width = 0;
  } else if (fields == kHour) {
    type = SQL_INTERVAL_HOUR, width = 0;
  } else if (fields == kMinute) {
    type = SQL_INTERVAL_MINUTE, width = 0;
  } else if (fields == kSecond) {
    type = SQL_INTERVAL_SECOND, width = 0, seconds = true;
  } else if (fields == (kDay | kHour)) {
    type = SQL_INTERVAL_DAY_TO_HOUR, width = 3;
  } else if (fields == (kDay | kHour | kMinute)) {
    type = SQL_INTERVAL_DAY_TO_MINUTE, width = 6;
  } else if (fields == (kHour | kMinute)) {
    type = SQL_INTERVAL_HOUR_TO_MINUTE, width = 3;
  } else if (fields == (kHour | kMinute | kSecond)) {
    type = SQL_INTERVAL_HOUR_TO_SECOND, width = 6, seconds = true;
  } else if (fields == (kMinute | kSecond)) {
    type = SQL_INTERVAL_MINUTE_TO_SECOND, width = 3, seconds = true;
  } else {  // DAY TO SECOND and the unqualified interval
    type = SQL_INTERVAL_DAY_TO_SECOND, width = 9, seconds = true;
  }
  long size = kIntervalLeading + width + (seconds && s > 0 ? 1 + s : 0);
  Fixed(d, type, static_cast<unsigned long>(size), sizeof(SQL_INTERVAL_STRUCT), size + 1, 0);
  d.decimal_digits = static_cast<short>(seconds ? s : 0);
  d.literal_prefix = "'";
  d.literal_suffix = "'";
}

}  // namespace

const TypeInfo* FindType(Oid oid) {
  auto it = std::lower_bound(kTypes.begin(), kTypes.end(), oid,
                             [](const TypeInfo& t, Oid o) { return t.oid < o; });
  return it != kTypes.end() && it->oid == oid ? &*it : nullptr;
}

const TypeInfo& LookupType(Oid oid) {
  if (const TypeInfo* t = FindType(oid)) return *t;
  return *FindType(oid::kText);
}

std::span<const TypeInfo> AllTypes() { return kTypes; }

ColumnDescription Describe(Oid type_oid, int typmod, const DescribeOptions& o) {
  const TypeInfo& t = LookupType(type_oid);
  ColumnDescription d{};
  d.type_name = t.name;
  d.kind = t.kind;
  d.searchable = true;
  d.literal_prefix = d.literal_suffix = "";
  const long var_size = o.max_varchar_size;
  auto text_like = [&] {
    if (o.text_as_long_varchar) {
      Character(d, SQL_LONGVARCHAR, o.max_long_varchar_size, o);
    } else {
      Character(d, SQL_VARCHAR, var_size, o);
    }
  };
  switch (type_oid) {
    case oid::kBool:
      if (o.bools_as_char) {
        Character(d, SQL_VARCHAR, 5, o);
      } else {
        Fixed(d, SQL_BIT, 1, 1, 1, 0);
      }
      return d;
    case oid::kBytea: {
      long size = o.bytea_as_long_varbinary ? o.max_long_varchar_size : var_size;
      Fixed(d, o.bytea_as_long_varbinary ? SQL_LONGVARBINARY : SQL_VARBINARY,
            static_cast<unsigned long>(size), size, size * 2, 0);
      d.literal_prefix = "'\\x";
      d.literal_suffix = "'";
      return d;
    }
    case oid::kChar:
      Character(d, SQL_CHAR, 1, o);
      return d;
    case oid::kName:
      Character(d, SQL_VARCHAR, 63, o);  // NAMEDATALEN - 1
      return d;
    case oid::kInt2:
      Fixed(d, SQL_SMALLINT, 5, 2, 6, 10);
      return d;
    case oid::kInt4:
      Fixed(d, SQL_INTEGER, 10, 4, 11, 10);
      return d;
    case oid::kInt8:
      Fixed(d, SQL_BIGINT, 19, 8, 20, 10);
      return d;
    case oid::kOid:
    case oid::kXid:
      Fixed(d, SQL_INTEGER, 10, 4, 10, 10);
      d.is_unsigned = true;
      return d;
    case oid::kFloat4:
      Fixed(d, SQL_REAL, 7, 4, 14, 10);
      return d;
    case oid::kFloat8:
      Fixed(d, SQL_DOUBLE, 15, 8, 24, 10);
      return d;
    case oid::kNumeric: {
      int p = kDefaultNumericPrecision, s = kDefaultNumericScale;
      if (typmod >= kVarHdrSz) {
        p = ((typmod - kVarHdrSz) >> 16) & 0xFFFF;
        s = (((typmod - kVarHdrSz) & 0x7FF) ^ 1024) - 1024;  // PostgreSQL 15 allows s < 0
        if (s < 0) s = 0;
      }
      Fixed(d, SQL_NUMERIC, static_cast<unsigned long>(p), p + 2, p + 2, 10);
      d.decimal_digits = static_cast<short>(s);
      return d;
    }
    case oid::kMoney:
      Fixed(d, SQL_DECIMAL, 19, 28, 28, 10);
      d.decimal_digits = 2;
      return d;
    case oid::kBpchar:
      Character(d, SQL_CHAR, typmod >= kVarHdrSz ? typmod - kVarHdrSz : var_size, o);
      return d;
    case oid::kVarchar:
      Character(d, SQL_VARCHAR, typmod >= kVarHdrSz ? typmod - kVarHdrSz : var_size, o);
      return d;
    case oid::kBit:
    case oid::kVarbit:
      Character(d, SQL_VARCHAR, typmod > 0 ? typmod : var_size, o);
      return d;
    case oid::kInet:
    case oid::kCidr:
      Character(d, SQL_VARCHAR, 50, o);  // an IPv6 address with a /128 mask is 43
      return d;
    case oid::kMacaddr:
      Character(d, SQL_VARCHAR, 17, o);
      return d;
    case oid::kTid:
      Character(d, SQL_VARCHAR, 18, o);  // "(4294967295,65535)", as SQLSpecialColumns reports ctid
      return d;
    case oid::kDate:
      Fixed(d, SQL_TYPE_DATE, 10, sizeof(SQL_DATE_STRUCT), 10, 0);
      d.literal_prefix = d.literal_suffix = "'";
      return d;
    case oid::kTime:
    case oid::kTimeTz: {
      int s = SecondsPrecision(typmod);
      long size = s > 0 ? 9 + s : 8;
      Fixed(d, SQL_TYPE_TIME, static_cast<unsigned long>(size), sizeof(SQL_TIME_STRUCT),
            size + (type_oid == oid::kTimeTz ? 6 : 0), 0);
      d.decimal_digits = static_cast<short>(s);
      d.literal_prefix = d.literal_suffix = "'";
      return d;
    }
    case oid::kTimestamp:
    case oid::kTimestampTz: {
      int s = SecondsPrecision(typmod);
      long size = s > 0 ? 20 + s : 19;
      Fixed(d, SQL_TYPE_TIMESTAMP, static_cast<unsigned long>(size), sizeof(SQL_TIMESTAMP_STRUCT),
            size + (type_oid == oid::kTimestampTz ? 6 : 0), 0);
      d.decimal_digits = static_cast<short>(s);
      d.literal_prefix = d.literal_suffix = "'";
      return d;
    }
    case oid::kInterval:
      Interval(d, typmod, o);
      return d;
    case oid::kUuid:
      Fixed(d, SQL_GUID, 36, 16, 36, 0);
      d.literal_prefix = d.literal_suffix = "'";
      return d;
    case oid::kText:
    case oid::kJson:
    case oid::kJsonb:
    case oid::kXml:
      text_like();
      return d;
    case oid::kUnknown:
    case oid::kPoint:
    case oid::kRegproc:
      Character(d, SQL_VARCHAR, var_size, o);
      return d;
    default:  // enums, domains, arrays, extension types: their text form, described as text
      text_like();
      return d;
  }
}

}  // namespace lakebase::pg

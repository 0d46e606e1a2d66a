// The PostgreSQL type registry: OID -> how the driver describes and converts it.
// One table (types.cc); the compatibility options (MaxVarcharSize, TextAsLongVarchar, BoolsAsChar)
// are applied in one place, Describe().
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace lakebase::pg {

using Oid = unsigned int;

// How a value's text (or binary) form is decoded; the conversion table is keyed by this.
enum class ValueKind : uint8_t {
  kBool,
  kInt16,
  kInt32,
  kInt64,
  kFloat32,
  kFloat64,
  kNumeric,
  kMoney,
  kText,  // text, varchar, bpchar, name, json, jsonb, xml, inet, unknown ... (text form)
  kBytea,
  kDate,
  kTime,
  kTimeTz,
  kTimestamp,
  kTimestampTz,
  kInterval,
  kUuid,
};

namespace oid {
inline constexpr Oid kBool = 16, kBytea = 17, kChar = 18, kName = 19, kInt8 = 20, kInt2 = 21,
                     kInt4 = 23, kText = 25, kOid = 26, kTid = 27, kXid = 28, kJson = 114,
                     kXml = 142, kPoint = 600, kCidr = 650, kFloat4 = 700, kFloat8 = 701,
                     kUnknown = 705, kMoney = 790, kMacaddr = 829, kInet = 869, kBpchar = 1042,
                     kVarchar = 1043, kDate = 1082, kTime = 1083, kTimestamp = 1114,
                     kTimestampTz = 1184, kInterval = 1186, kTimeTz = 1266, kBit = 1560,
                     kVarbit = 1562, kNumeric = 1700, kRegproc = 24, kUuid = 2950, kJsonb = 3802;
}  // namespace oid

struct TypeInfo {
  Oid oid;
  std::string_view name;  // as SQLGetTypeInfo / SQL_DESC_TYPE_NAME report it
  ValueKind kind;
  short sql_type;        // SQL_INTEGER, SQL_VARCHAR, SQL_TYPE_TIMESTAMP, SQL_GUID ...
  short default_c_type;  // SQL_C_* used for SQL_C_DEFAULT
};

// Looks up a type; unknown OIDs (enums, domains over text, arrays, user types) describe as text.
const TypeInfo& LookupType(Oid oid);
// The registered built-in type, or nullptr when the OID is not one (LookupType's text fallback).
const TypeInfo* FindType(Oid oid);
// Every registered type, sorted by OID (for SQLGetTypeInfo).
std::span<const TypeInfo> AllTypes();

struct DescribeOptions {
  int max_varchar_size = 255;            // reported size of varchar/text without a length
  bool text_as_long_varchar = true;      // text -> SQL_LONGVARCHAR
  bool bools_as_char = false;            // bool -> SQL_CHAR(5)
  bool unicode = true;                   // report SQL_WVARCHAR etc. (the W driver)
  int max_long_varchar_size = 8190;      // reported size of text/json/xml as SQL_LONGVARCHAR
  bool bytea_as_long_varbinary = false;  // bytea -> SQL_LONGVARBINARY (else SQL_VARBINARY)
  // interval -> SQL_INTERVAL_* from its typmod fields (unqualified: DAY TO SECOND). Off by
  // default, as in psqlODBC: most tools cannot bind SQL interval types, so interval describes as
  // varchar; SQL_C_INTERVAL_* targets convert either way.
  bool interval_as_sql_interval = false;
};

// The column as SQLDescribeCol / SQLColAttribute present it, from the OID and typmod.
struct ColumnDescription {
  short sql_type;  // concise SQL type
  unsigned long column_size;
  short decimal_digits;
  long octet_length;  // SQL_DESC_OCTET_LENGTH
  long display_size;
  int num_prec_radix;  // 10, 2 or 0
  bool is_unsigned;
  bool case_sensitive;
  bool searchable;
  std::string_view type_name;
  std::string_view literal_prefix, literal_suffix;
  ValueKind kind;
};

ColumnDescription Describe(Oid oid, int typmod, const DescribeOptions& options);

}  // namespace lakebase::pg

// Descriptor fields (SQLGetDescField / SQLSetDescField and the Rec forms, SQLCopyDesc): the one
// place that knows which field lives where, how the type fields stay consistent, and which
// descriptor may be written (ODBC "SQLSetDescField", "Consistency Checks").
#include "odbc/desc.h"

#include <cstring>

namespace lakebase::odbc {

namespace {

bool IsDatetime(SQLSMALLINT t) {
  return t == SQL_TYPE_DATE || t == SQL_TYPE_TIME || t == SQL_TYPE_TIMESTAMP || t == SQL_DATE ||
         t == SQL_TIME || t == SQL_TIMESTAMP;
}
bool IsInterval(SQLSMALLINT t) {
  return t >= SQL_INTERVAL_YEAR && t <= SQL_INTERVAL_MINUTE_TO_SECOND;
}

}  // namespace

void SetConciseType(DescRecord& r, SQLSMALLINT concise) {
  r.concise_type = concise;
  if (IsDatetime(concise)) {
    r.type = SQL_DATETIME;
    switch (concise) {
      case SQL_TYPE_DATE:
      case SQL_DATE:
        r.datetime_interval_code = SQL_CODE_DATE;
        break;
      case SQL_TYPE_TIME:
      case SQL_TIME:
        r.datetime_interval_code = SQL_CODE_TIME;
        break;
      default:
        r.datetime_interval_code = SQL_CODE_TIMESTAMP;
        break;
    }
  } else if (IsInterval(concise)) {
    r.type = SQL_INTERVAL;
    r.datetime_interval_code = static_cast<SQLSMALLINT>(concise - 100);
  } else {
    r.type = concise;
    r.datetime_interval_code = 0;
  }
}

void SetVerboseType(DescRecord& r, SQLSMALLINT type, SQLSMALLINT code) {
  if (type == SQL_DATETIME) {
    switch (code) {
      case SQL_CODE_DATE:
        SetConciseType(r, SQL_TYPE_DATE);
        break;
      case SQL_CODE_TIME:
        SetConciseType(r, SQL_TYPE_TIME);
        break;
      case SQL_CODE_TIMESTAMP:
        SetConciseType(r, SQL_TYPE_TIMESTAMP);
        break;
      default:
        throw OdbcError("HY021", "inconsistent descriptor information: datetime subcode");
    }
  } else if (type == SQL_INTERVAL) {
    if (code < 1 || code > 13) {
      throw OdbcError("HY021", "inconsistent descriptor information: interval subcode");
    }
    SetConciseType(r, static_cast<SQLSMALLINT>(100 + code));
  } else {
    SetConciseType(r, type);
  }
}

// The IRD's view of a record comes from the column description.
static SQLSMALLINT IrdConcise(const DescRecord& r) { return r.describe.sql_type; }

DescFieldValue GetDescField(Desc& d, SQLSMALLINT rec_number, SQLSMALLINT field) {
  DescFieldValue v;
  auto ird = d.role == DescRole::kIrd;
  // Header fields
  switch (field) {
    case SQL_DESC_ALLOC_TYPE:
      v.i = d.alloc_type;
      v.kind = DescFieldValue::kSmall;
      return v;
    case SQL_DESC_ARRAY_SIZE:
      v.u = d.array_size;
      v.kind = DescFieldValue::kULen;
      return v;
    case SQL_DESC_ARRAY_STATUS_PTR:
      v.p = d.array_status_ptr;
      v.kind = DescFieldValue::kPtr;
      return v;
    case SQL_DESC_BIND_OFFSET_PTR:
      v.p = d.bind_offset_ptr;
      v.kind = DescFieldValue::kPtr;
      return v;
    case SQL_DESC_BIND_TYPE:
      v.i = static_cast<SQLLEN>(d.bind_type);
      v.kind = DescFieldValue::kInt;
      return v;
    case SQL_DESC_COUNT:
      v.i = d.Count();
      v.kind = DescFieldValue::kSmall;
      return v;
    case SQL_DESC_ROWS_PROCESSED_PTR:
      v.p = d.rows_processed_ptr;
      v.kind = DescFieldValue::kPtr;
      return v;
    default:
      break;
  }
  if (rec_number < 0) throw OdbcError("07009", "invalid descriptor index");
  if (rec_number > d.Count()) {
    v.no_data = true;
    return v;
  }
  const DescRecord& r = d.records[static_cast<size_t>(rec_number)];
  const pg::ColumnDescription& c = r.describe;
  auto small = [&](SQLLEN x) {
    v.i = x;
    v.kind = DescFieldValue::kSmall;
    return v;
  };
  auto integer = [&](SQLLEN x) {
    v.i = x;
    v.kind = DescFieldValue::kInt;
    return v;
  };
  auto len = [&](SQLLEN x) {
    v.i = x;
    v.kind = DescFieldValue::kLen;
    return v;
  };
  auto ulen = [&](SQLULEN x) {
    v.u = x;
    v.kind = DescFieldValue::kULen;
    return v;
  };
  auto ptr = [&](void* x) {
    v.p = x;
    v.kind = DescFieldValue::kPtr;
    return v;
  };
  auto str = [&](std::string_view x) {
    v.s = std::string(x);
    v.kind = DescFieldValue::kString;
    return v;
  };
  const bool app =
      d.role == DescRole::kArd || d.role == DescRole::kApd || d.role == DescRole::kExplicit;
  switch (field) {
    case SQL_DESC_CONCISE_TYPE:
      return small(ird ? IrdConcise(r) : r.concise_type);
    case SQL_DESC_TYPE: {
      if (!ird) return small(r.type);
      DescRecord tmp;
      SetConciseType(tmp, IrdConcise(r));
      return small(tmp.type);
    }
    case SQL_DESC_DATETIME_INTERVAL_CODE: {
      if (!ird) return small(r.datetime_interval_code);
      DescRecord tmp;
      SetConciseType(tmp, IrdConcise(r));
      return small(tmp.datetime_interval_code);
    }
    case SQL_DESC_DATETIME_INTERVAL_PRECISION:
      return integer(r.datetime_interval_precision);
    case SQL_DESC_DATA_PTR:
      if (!app) throw OdbcError("HY091", "invalid descriptor field identifier for this descriptor");
      return ptr(r.data_ptr);
    case SQL_DESC_INDICATOR_PTR:
      if (!app) throw OdbcError("HY091", "invalid descriptor field identifier for this descriptor");
      return ptr(r.indicator_ptr);
    case SQL_DESC_OCTET_LENGTH_PTR:
      if (!app) throw OdbcError("HY091", "invalid descriptor field identifier for this descriptor");
      return ptr(r.octet_length_ptr);
    case SQL_DESC_OCTET_LENGTH:
      return len(ird ? c.octet_length : r.octet_length);
    case SQL_DESC_LENGTH:
      return ulen(ird ? c.column_size : r.length);
    case SQL_DESC_PRECISION:
      return small(ird ? (c.num_prec_radix ? static_cast<SQLLEN>(c.column_size) : c.decimal_digits)
                       : r.precision);
    case SQL_DESC_SCALE:
      return small(ird ? c.decimal_digits : r.scale);
    case SQL_DESC_NULLABLE:
      return small(r.nullable);
    case SQL_DESC_NAME:
      return str(r.name);
    case SQL_DESC_UNNAMED:
      return small(r.unnamed);
    case SQL_DESC_PARAMETER_TYPE:
      if (d.role != DescRole::kIpd)
        throw OdbcError("HY091", "invalid descriptor field identifier for this descriptor");
      return small(r.parameter_type);
    case SQL_DESC_NUM_PREC_RADIX:
      return integer(ird ? c.num_prec_radix : 0);
    case SQL_DESC_FIXED_PREC_SCALE:
      return small(ird && r.meta.type == pg::oid::kMoney ? SQL_TRUE : SQL_FALSE);
    default:
      break;
  }
  if (d.role != DescRole::kIrd && d.role != DescRole::kIpd) {
    throw OdbcError("HY091", "invalid descriptor field identifier for an application descriptor");
  }
  switch (field) {
    case SQL_DESC_AUTO_UNIQUE_VALUE:
      return integer(SQL_FALSE);
    case SQL_DESC_BASE_COLUMN_NAME:
      return str(r.meta.table_oid ? r.name : "");
    case SQL_DESC_BASE_TABLE_NAME:
    case SQL_DESC_TABLE_NAME:
    case SQL_DESC_SCHEMA_NAME:
    case SQL_DESC_CATALOG_NAME:
    case SQL_DESC_LOCAL_TYPE_NAME:
      return str("");
    case SQL_DESC_CASE_SENSITIVE:
      return integer(c.case_sensitive ? SQL_TRUE : SQL_FALSE);
    case SQL_DESC_DISPLAY_SIZE:
      return len(c.display_size);
    case SQL_DESC_LABEL:
      return str(r.name);
    case SQL_DESC_LITERAL_PREFIX:
      return str(c.literal_prefix);
    case SQL_DESC_LITERAL_SUFFIX:
      return str(c.literal_suffix);
    case SQL_DESC_ROWVER:
      return small(SQL_FALSE);
    case SQL_DESC_SEARCHABLE:
      return small(c.searchable ? SQL_PRED_SEARCHABLE : SQL_PRED_BASIC);
    case SQL_DESC_TYPE_NAME:
      return str(c.type_name);
    case SQL_DESC_UNSIGNED:
      return small(c.is_unsigned ? SQL_TRUE : SQL_FALSE);
    case SQL_DESC_UPDATABLE:
      return small(SQL_ATTR_READWRITE_UNKNOWN);
    default:
      throw OdbcError("HY091", "invalid descriptor field identifier " + std::to_string(field));
  }
}

void SetDescField(Desc& d, SQLSMALLINT rec_number, SQLSMALLINT field, SQLPOINTER value,
                  SQLINTEGER length, const std::string* text) {
  if (d.role == DescRole::kIrd && field != SQL_DESC_ARRAY_STATUS_PTR &&
      field != SQL_DESC_ROWS_PROCESSED_PTR) {
    throw OdbcError("HY016", "cannot modify an implementation row descriptor");
  }
  auto num = reinterpret_cast<intptr_t>(value);
  switch (field) {
    case SQL_DESC_ALLOC_TYPE:
      throw OdbcError("HY091", "SQL_DESC_ALLOC_TYPE is read-only");
    case SQL_DESC_ARRAY_SIZE:
      if (num <= 0) throw OdbcError("HY024", "invalid attribute value: array size");
      d.array_size = static_cast<SQLULEN>(num);
      return;
    case SQL_DESC_ARRAY_STATUS_PTR:
      d.array_status_ptr = static_cast<SQLUSMALLINT*>(value);
      return;
    case SQL_DESC_BIND_OFFSET_PTR:
      d.bind_offset_ptr = static_cast<SQLLEN*>(value);
      return;
    case SQL_DESC_BIND_TYPE:
      d.bind_type = static_cast<SQLULEN>(num);
      return;
    case SQL_DESC_ROWS_PROCESSED_PTR:
      d.rows_processed_ptr = static_cast<SQLULEN*>(value);
      return;
    case SQL_DESC_COUNT: {
      if (num < 0) throw OdbcError("07009", "invalid descriptor index: negative count");
      d.records.resize(static_cast<size_t>(num) + 1);
      return;
    }
    default:
      break;
  }
  if (rec_number < 0) throw OdbcError("07009", "invalid descriptor index");
  if (rec_number == 0 && d.role == DescRole::kIpd) {
    throw OdbcError("07009", "invalid descriptor index: an IPD has no bookmark record");
  }
  DescRecord& r = d.Record(static_cast<size_t>(rec_number));
  r.used = true;
  switch (field) {
    case SQL_DESC_CONCISE_TYPE:
      SetConciseType(r, static_cast<SQLSMALLINT>(num));
      r.data_ptr = nullptr;  // changing the type unbinds (SQLSetDescField, "Consistency")
      return;
    case SQL_DESC_TYPE:
      SetVerboseType(r, static_cast<SQLSMALLINT>(num),
                     r.type == static_cast<SQLSMALLINT>(num) ? r.datetime_interval_code
                     : num == SQL_DATETIME                   ? SQL_CODE_TIMESTAMP
                                                             : SQL_CODE_YEAR);
      r.data_ptr = nullptr;
      return;
    case SQL_DESC_DATETIME_INTERVAL_CODE:
      SetVerboseType(r, r.type, static_cast<SQLSMALLINT>(num));
      return;
    case SQL_DESC_DATETIME_INTERVAL_PRECISION:
      r.datetime_interval_precision = static_cast<SQLINTEGER>(num);
      return;
    case SQL_DESC_DATA_PTR:
      r.data_ptr = value;
      return;
    case SQL_DESC_INDICATOR_PTR:
      r.indicator_ptr = static_cast<SQLLEN*>(value);
      return;
    case SQL_DESC_OCTET_LENGTH_PTR:
      r.octet_length_ptr = static_cast<SQLLEN*>(value);
      return;
    case SQL_DESC_OCTET_LENGTH:
      r.octet_length = static_cast<SQLLEN>(num);
      return;
    case SQL_DESC_LENGTH:
      r.length = static_cast<SQLULEN>(num);
      return;
    case SQL_DESC_PRECISION:
      r.precision = static_cast<SQLSMALLINT>(num);
      return;
    case SQL_DESC_SCALE:
      r.scale = static_cast<SQLSMALLINT>(num);
      return;
    case SQL_DESC_PARAMETER_TYPE:
      r.parameter_type = static_cast<SQLSMALLINT>(num);
      return;
    case SQL_DESC_NULLABLE:
      r.nullable = static_cast<SQLSMALLINT>(num);
      return;
    case SQL_DESC_UNNAMED:
      if (num == SQL_NAMED)
        throw OdbcError("HY091", "SQL_DESC_UNNAMED can only be set to SQL_UNNAMED");
      r.unnamed = SQL_UNNAMED;
      r.name.clear();
      return;
    case SQL_DESC_NAME:
      r.name = text ? *text : std::string();
      r.unnamed = r.name.empty() ? SQL_UNNAMED : SQL_NAMED;
      return;
    default:
      (void)length;
      throw OdbcError("HY091", "invalid descriptor field identifier " + std::to_string(field));
  }
}

void CopyDesc(const Desc& from, Desc& to) {
  if (to.role == DescRole::kIrd) {
    throw OdbcError("HY016", "cannot modify an implementation row descriptor");
  }
  to.array_size = from.array_size;
  to.array_status_ptr = from.array_status_ptr;
  to.bind_offset_ptr = from.bind_offset_ptr;
  to.bind_type = from.bind_type;
  to.rows_processed_ptr = from.rows_processed_ptr;
  to.records = from.records;
  for (size_t i = 1; i < to.records.size(); ++i) to.records[i].used = true;
  if (from.role == DescRole::kIrd) {
    // An IRD's record types live in the column description: make them explicit in the copy.
    for (auto& r : to.records) {
      SetConciseType(r, r.describe.sql_type);
      r.length = r.describe.column_size;
      r.octet_length = r.describe.octet_length;
      r.scale = r.describe.decimal_digits;
      r.precision = static_cast<SQLSMALLINT>(r.describe.column_size);
    }
  }
}

}  // namespace lakebase::odbc

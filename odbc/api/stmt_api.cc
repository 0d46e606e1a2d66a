// Statement entry points: prepare/execute, parameters, result metadata, binding, fetching.
#include <cstring>

#include "driver/column_origin.h"
#include "odbc/api/common.h"
#include "odbc/desc.h"

using namespace lakebase;
using namespace lakebase::odbc;
using namespace lakebase::odbc::api;

namespace {

void RequireNoCursor(Stmt& s) {
  if (s.HasCursor()) throw OdbcError("24000", "invalid cursor state: a cursor is open");
}

template <class E>
SQLRETURN ExecDirect(SQLHSTMT h, typename E::Char* sql, SQLINTEGER len) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    if (sql == nullptr) throw OdbcError("HY009", "invalid use of null pointer");
    if (len < 0 && len != SQL_NTS) throw OdbcError("HY090", "invalid string or buffer length");
    s.RequireNoPendingData();
    RequireNoCursor(s);
    return s.ExecDirect(E::In(sql, len));
  });
}

template <class E>
SQLRETURN Prepare(SQLHSTMT h, typename E::Char* sql, SQLINTEGER len) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    if (sql == nullptr) throw OdbcError("HY009", "invalid use of null pointer");
    if (len < 0 && len != SQL_NTS) throw OdbcError("HY090", "invalid string or buffer length");
    RequireNoCursor(s);
    s.dbc->RequireSession();
    s.Prepare(E::In(sql, len));
    return SQL_SUCCESS;
  });
}

const DescRecord& IrdRecord(Stmt& s, SQLUSMALLINT col) {
  SQLSMALLINT n = s.NumResultCols();
  if (n == 0 && !s.HasCursor()) {
    throw OdbcError(s.prepared || s.executed ? "07005" : "HY010",
                    s.prepared || s.executed ? "prepared statement not a cursor-specification"
                                             : "function sequence error: no statement");
  }
  if (col == 0) throw OdbcError("07009", "invalid descriptor index: bookmarks are not enabled");
  if (col > n) {
    throw OdbcError("07009", "invalid descriptor index: column " + std::to_string(col) + " of " +
                                 std::to_string(n));
  }
  return s.ird->records[col];
}

// Table columns' origins (nullability, base table and column) come from the catalog, looked up
// once per table and session, and only when the application asks for them.
const pg::ColumnOrigin* OriginOf(Stmt& s, const DescRecord& r) {
  if (r.meta.table_oid == 0 || !s.dbc->connected()) return nullptr;
  pg::Session& session = *s.dbc->session.get();
  if (const auto* o = session.FindColumnOrigin(r.meta.table_oid, r.meta.table_column)) return o;
  std::vector<std::pair<pg::Oid, int>> wanted;
  for (size_t i = 1; i < s.ird->records.size(); ++i) {
    wanted.emplace_back(s.ird->records[i].meta.table_oid, s.ird->records[i].meta.table_column);
  }
  pg::ResolveColumnOrigins(session, wanted);
  return session.FindColumnOrigin(r.meta.table_oid, r.meta.table_column);
}

SQLSMALLINT NullableOf(Stmt& s, const DescRecord& r) {
  if (r.nullable != SQL_NULLABLE_UNKNOWN) return r.nullable;
  const pg::ColumnOrigin* o = OriginOf(s, r);
  if (o == nullptr) return SQL_NULLABLE_UNKNOWN;
  return o->not_null ? SQL_NO_NULLS : SQL_NULLABLE;
}

template <class E>
SQLRETURN DescribeCol(SQLHSTMT h, SQLUSMALLINT col, typename E::Char* name, SQLSMALLINT name_max,
                      SQLSMALLINT* name_len, SQLSMALLINT* type, SQLULEN* size, SQLSMALLINT* digits,
                      SQLSMALLINT* nullable) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    const DescRecord& r = IrdRecord(s, col);
    if (name != nullptr || name_len != nullptr)
      OutChars<E>(s.diag(), r.name, name, name_max, name_len);
    if (type) *type = r.describe.sql_type;
    if (size) *size = r.describe.column_size;
    if (digits) *digits = r.describe.decimal_digits;
    if (nullable) *nullable = NullableOf(s, r);
    return SQL_SUCCESS;
  });
}

template <class E>
SQLRETURN ColAttribute(SQLHSTMT h, SQLUSMALLINT col, SQLUSMALLINT field, SQLPOINTER text,
                       SQLSMALLINT text_max, SQLSMALLINT* text_len, SQLLEN* num) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    if (field == SQL_DESC_COUNT || field == SQL_COLUMN_COUNT) {
      if (num) *num = s.NumResultCols();
      return SQL_SUCCESS;
    }
    const DescRecord& r = IrdRecord(s, col);
    const pg::ColumnDescription& d = r.describe;
    auto str = [&](std::string_view v) {
      OutBytes<E>(s.diag(), v, text, text_max, text_len);
      return SQL_SUCCESS;
    };
    auto number = [&](SQLLEN v) {
      if (num) *num = v;
      return SQL_SUCCESS;
    };
    switch (field) {
      case SQL_DESC_AUTO_UNIQUE_VALUE: {
        const pg::ColumnOrigin* o = OriginOf(s, r);
        return number(o && o->auto_unique ? SQL_TRUE : SQL_FALSE);
      }
      case SQL_DESC_BASE_COLUMN_NAME: {
        const pg::ColumnOrigin* o = OriginOf(s, r);
        return str(o ? o->column : "");
      }
      case SQL_DESC_BASE_TABLE_NAME:
      case SQL_DESC_TABLE_NAME: {
        const pg::ColumnOrigin* o = OriginOf(s, r);
        return str(o ? o->table : "");
      }
      case SQL_DESC_SCHEMA_NAME: {
        const pg::ColumnOrigin* o = OriginOf(s, r);
        return str(o ? o->schema : "");
      }
      case SQL_DESC_CATALOG_NAME: {
        const pg::ColumnOrigin* o = OriginOf(s, r);
        return str(o && s.dbc->connected() ? s.dbc->session->database() : "");
      }
      case SQL_DESC_CASE_SENSITIVE:
        return number(d.case_sensitive ? SQL_TRUE : SQL_FALSE);
      case SQL_DESC_CONCISE_TYPE:
        return number(d.sql_type);  // == SQL_COLUMN_TYPE
      case SQL_DESC_TYPE:
      case SQL_DESC_DATETIME_INTERVAL_CODE: {
        // The verbose type and subcode follow from the concise type, as for descriptors.
        DescRecord verbose;
        SetConciseType(verbose, d.sql_type);
        return number(field == SQL_DESC_TYPE ? verbose.type : verbose.datetime_interval_code);
      }
      case SQL_DESC_DISPLAY_SIZE:
        return number(d.display_size);
      case SQL_DESC_FIXED_PREC_SCALE:
        return number(r.meta.type == pg::oid::kMoney ? SQL_TRUE : SQL_FALSE);
      case SQL_DESC_LABEL:
      case SQL_DESC_NAME:
      case SQL_COLUMN_NAME:
        return str(r.name);
      case SQL_DESC_LENGTH:
        return number(static_cast<SQLLEN>(d.column_size));
      case SQL_COLUMN_LENGTH:
        return number(d.octet_length);  // ODBC 2: transfer octet length
      case SQL_DESC_OCTET_LENGTH:
        return number(d.octet_length);
      case SQL_DESC_LITERAL_PREFIX:
        return str(d.literal_prefix);
      case SQL_DESC_LITERAL_SUFFIX:
        return str(d.literal_suffix);
      case SQL_DESC_LOCAL_TYPE_NAME:
        return str("");
      case SQL_DESC_TYPE_NAME:
        return str(d.type_name);
      case SQL_DESC_NULLABLE:
      case SQL_COLUMN_NULLABLE:
        return number(NullableOf(s, r));
      case SQL_DESC_NUM_PREC_RADIX:
        return number(d.num_prec_radix);
      case SQL_COLUMN_PRECISION:
        return number(static_cast<SQLLEN>(d.column_size));  // ODBC 2
      case SQL_DESC_PRECISION:
        // Datetimes: the fractional-seconds digits (0 for a date); numbers: the precision.
        if (d.sql_type == SQL_TYPE_DATE) return number(0);
        if (d.sql_type == SQL_TYPE_TIME || d.sql_type == SQL_TYPE_TIMESTAMP ||
            (d.sql_type >= SQL_INTERVAL_YEAR && d.sql_type <= SQL_INTERVAL_MINUTE_TO_SECOND)) {
          return number(d.decimal_digits);
        }
        return number(static_cast<SQLLEN>(d.column_size));
      case SQL_DESC_SCALE:
      case SQL_COLUMN_SCALE:
        return number(d.decimal_digits);
      case SQL_DESC_SEARCHABLE:
        return number(d.searchable ? SQL_PRED_SEARCHABLE : SQL_PRED_BASIC);
      case SQL_DESC_UNNAMED:
        return number(r.unnamed);
      // Non-numeric columns are "unsigned" (SQLColAttribute, SQL_DESC_UNSIGNED).
      case SQL_DESC_UNSIGNED:
        return number(d.is_unsigned || d.num_prec_radix == 0 ? SQL_TRUE : SQL_FALSE);
      case SQL_DESC_UPDATABLE:
        return number(SQL_ATTR_READWRITE_UNKNOWN);
      default:
        throw OdbcError("HY091", "invalid descriptor field identifier " + std::to_string(field));
    }
  });
}

bool ValidCType(SQLSMALLINT t) {
  switch (t) {
    case SQL_C_CHAR:
    case SQL_C_WCHAR:
    case SQL_C_BINARY:
    case SQL_C_BIT:
    case SQL_C_TINYINT:
    case SQL_C_STINYINT:
    case SQL_C_UTINYINT:
    case SQL_C_SHORT:
    case SQL_C_SSHORT:
    case SQL_C_USHORT:
    case SQL_C_LONG:
    case SQL_C_SLONG:
    case SQL_C_ULONG:
    case SQL_C_SBIGINT:
    case SQL_C_UBIGINT:
    case SQL_C_FLOAT:
    case SQL_C_DOUBLE:
    case SQL_C_NUMERIC:
    case SQL_C_DATE:
    case SQL_C_TIME:
    case SQL_C_TIMESTAMP:
    case SQL_C_TYPE_DATE:
    case SQL_C_TYPE_TIME:
    case SQL_C_TYPE_TIMESTAMP:
    case SQL_C_GUID:
    case SQL_C_DEFAULT:
    case SQL_ARD_TYPE:
      return true;
    default:
      return t >= SQL_C_INTERVAL_YEAR && t <= SQL_C_INTERVAL_MINUTE_TO_SECOND;
  }
}

}  // namespace

extern "C" {

SQLRETURN SQL_API SQLExecDirect(SQLHSTMT h, SQLCHAR* sql, SQLINTEGER len) {
  return ExecDirect<Narrow>(h, sql, len);
}
SQLRETURN SQL_API SQLExecDirectW(SQLHSTMT h, SQLWCHAR* sql, SQLINTEGER len) {
  return ExecDirect<Wide>(h, sql, len);
}
SQLRETURN SQL_API SQLPrepare(SQLHSTMT h, SQLCHAR* sql, SQLINTEGER len) {
  return Prepare<Narrow>(h, sql, len);
}
SQLRETURN SQL_API SQLPrepareW(SQLHSTMT h, SQLWCHAR* sql, SQLINTEGER len) {
  return Prepare<Wide>(h, sql, len);
}
SQLRETURN SQL_API SQLExecute(SQLHSTMT h) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    s.RequireNoPendingData();
    RequireNoCursor(s);
    return s.Execute();
  });
}

SQLRETURN SQL_API SQLNumParams(SQLHSTMT h, SQLSMALLINT* count) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    if (!s.prepared && !s.executed) throw OdbcError("HY010", "function sequence error");
    if (count) *count = static_cast<SQLSMALLINT>(s.rewritten.param_count);
    return SQL_SUCCESS;
  });
}

SQLRETURN SQL_API SQLBindParameter(SQLHSTMT h, SQLUSMALLINT num, SQLSMALLINT io_type,
                                   SQLSMALLINT c_type, SQLSMALLINT sql_type, SQLULEN col_size,
                                   SQLSMALLINT digits, SQLPOINTER value, SQLLEN buf_len,
                                   SQLLEN* ind) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    if (num == 0) throw OdbcError("07009", "invalid descriptor index: parameter 0");
    if (io_type != SQL_PARAM_INPUT && io_type != SQL_PARAM_OUTPUT &&
        io_type != SQL_PARAM_INPUT_OUTPUT) {
      throw OdbcError("HY105", "invalid parameter type");
    }
    if (!ValidCType(c_type) || c_type == SQL_ARD_TYPE) {
      throw OdbcError("HY003", "invalid application buffer type " + std::to_string(c_type));
    }
    if (buf_len < 0) throw OdbcError("HY090", "invalid string or buffer length");
    if (value == nullptr && ind == nullptr && io_type != SQL_PARAM_OUTPUT) {
      throw OdbcError("HY009", "invalid use of null pointer: no value and no indicator");
    }
    DescRecord& a = s.apd->Record(num);
    SetConciseType(a, c_type);
    a.data_ptr = value;
    a.octet_length = buf_len;
    a.octet_length_ptr = ind;
    a.indicator_ptr = ind;
    DescRecord& p = s.ipd->Record(num);
    SetConciseType(p, sql_type);
    p.parameter_type = io_type;
    p.length = col_size;
    p.precision = static_cast<SQLSMALLINT>(col_size);
    p.scale = digits;
    return SQL_SUCCESS;
  });
}

SQLRETURN SQL_API SQLBindParam(SQLHSTMT h, SQLUSMALLINT num, SQLSMALLINT c_type,
                               SQLSMALLINT sql_type, SQLULEN size, SQLSMALLINT digits,
                               SQLPOINTER value, SQLLEN* ind) {
  return SQLBindParameter(h, num, SQL_PARAM_INPUT, c_type, sql_type, size, digits, value,
                          SQL_MAX_OPTION_STRING_LENGTH, ind);
}

SQLRETURN SQL_API SQLDescribeParam(SQLHSTMT h, SQLUSMALLINT num, SQLSMALLINT* type, SQLULEN* size,
                                   SQLSMALLINT* digits, SQLSMALLINT* nullable) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    if (!s.prepared) throw OdbcError("HY010", "function sequence error: no prepared statement");
    if (num == 0 || num > s.rewritten.param_count) {
      throw OdbcError("07009", "invalid descriptor index: parameter " + std::to_string(num));
    }
    s.EnsureDescribed();
    pg::Oid t = pg::oid::kText;
    if (num <= s.described_param_types.size()) t = s.described_param_types[num - 1];
    if (t == 0) t = pg::oid::kVarchar;
    auto d = pg::Describe(t, -1, s.dbc->describe_options());
    if (type) *type = d.sql_type;
    if (size) *size = d.column_size;
    if (digits) *digits = d.decimal_digits;
    if (nullable) *nullable = SQL_NULLABLE_UNKNOWN;
    return SQL_SUCCESS;
  });
}

SQLRETURN SQL_API SQLNumResultCols(SQLHSTMT h, SQLSMALLINT* count) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    if (!s.prepared && !s.executed) throw OdbcError("HY010", "function sequence error");
    SQLSMALLINT n = s.NumResultCols();
    if (count) *count = n;
    return SQL_SUCCESS;
  });
}

SQLRETURN SQL_API SQLDescribeCol(SQLHSTMT h, SQLUSMALLINT col, SQLCHAR* name, SQLSMALLINT max,
                                 SQLSMALLINT* len, SQLSMALLINT* type, SQLULEN* size,
                                 SQLSMALLINT* digits, SQLSMALLINT* nullable) {
  return DescribeCol<Narrow>(h, col, name, max, len, type, size, digits, nullable);
}
SQLRETURN SQL_API SQLDescribeColW(SQLHSTMT h, SQLUSMALLINT col, SQLWCHAR* name, SQLSMALLINT max,
                                  SQLSMALLINT* len, SQLSMALLINT* type, SQLULEN* size,
                                  SQLSMALLINT* digits, SQLSMALLINT* nullable) {
  return DescribeCol<Wide>(h, col, name, max, len, type, size, digits, nullable);
}

SQLRETURN SQL_API SQLColAttribute(SQLHSTMT h, SQLUSMALLINT col, SQLUSMALLINT field, SQLPOINTER text,
                                  SQLSMALLINT max, SQLSMALLINT* len, SQLLEN* num) {
  return ColAttribute<Narrow>(h, col, field, text, max, len, num);
}
SQLRETURN SQL_API SQLColAttributeW(SQLHSTMT h, SQLUSMALLINT col, SQLUSMALLINT field,
                                   SQLPOINTER text, SQLSMALLINT max, SQLSMALLINT* len,
                                   SQLLEN* num) {
  return ColAttribute<Wide>(h, col, field, text, max, len, num);
}
SQLRETURN SQL_API SQLColAttributes(SQLHSTMT h, SQLUSMALLINT col, SQLUSMALLINT field,
                                   SQLPOINTER text, SQLSMALLINT max, SQLSMALLINT* len,
                                   SQLLEN* num) {
  return ColAttribute<Narrow>(h, col, field, text, max, len, num);
}

SQLRETURN SQL_API SQLBindCol(SQLHSTMT h, SQLUSMALLINT col, SQLSMALLINT c_type, SQLPOINTER value,
                             SQLLEN buf_len, SQLLEN* ind) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    if (buf_len < 0) throw OdbcError("HY090", "invalid string or buffer length");
    if (col == 0 && s.use_bookmarks == SQL_UB_OFF) {
      throw OdbcError("07009", "invalid descriptor index: bookmarks are not enabled");
    }
    if (!ValidCType(c_type)) {
      throw OdbcError("HY003", "invalid application buffer type " + std::to_string(c_type));
    }
    DescRecord& r = s.ard->Record(col);
    if (value == nullptr && ind == nullptr) {
      r = DescRecord{};  // unbinds the column
      return SQL_SUCCESS;
    }
    SetConciseType(r, c_type);
    r.data_ptr = value;
    r.octet_length = buf_len;
    r.octet_length_ptr = ind;
    r.indicator_ptr = ind;
    if (c_type == SQL_C_NUMERIC) {
      // SQLBindCol sets the ARD's precision and scale to the defaults (SQLBindCol, Comments).
      r.precision = 0;
      r.scale = 0;
    }
    return SQL_SUCCESS;
  });
}

SQLRETURN SQL_API SQLFetch(SQLHSTMT h) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    s.RequireNoPendingData();
    return s.Fetch(SQL_FETCH_NEXT, 0);
  });
}

SQLRETURN SQL_API SQLFetchScroll(SQLHSTMT h, SQLSMALLINT orientation, SQLLEN offset) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN { return s.Fetch(orientation, offset); });
}

SQLRETURN SQL_API SQLGetData(SQLHSTMT h, SQLUSMALLINT col, SQLSMALLINT c_type, SQLPOINTER value,
                             SQLLEN buf_len, SQLLEN* ind) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    if (!ValidCType(c_type)) {
      throw OdbcError("HY003", "invalid application buffer type " + std::to_string(c_type));
    }
    return s.GetData(col, c_type, value, buf_len, ind);
  });
}

SQLRETURN SQL_API SQLRowCount(SQLHSTMT h, SQLLEN* count) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    if (!s.executed) throw OdbcError("HY010", "function sequence error: nothing executed");
    if (count) *count = static_cast<SQLLEN>(s.affected);
    return SQL_SUCCESS;
  });
}

SQLRETURN SQL_API SQLMoreResults(SQLHSTMT h) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN { return s.MoreResults(); });
}

SQLRETURN SQL_API SQLCloseCursor(SQLHSTMT h) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    s.CloseCursor();
    return SQL_SUCCESS;
  });
}

SQLRETURN SQL_API SQLCancel(SQLHSTMT h) {
  // Called from another thread while the statement's own call holds its lock: no lock here.
  return Call<Stmt, kCancelPolicy>(h, [&](Stmt& s) -> SQLRETURN {
    if (pg::Session* session = s.running.load()) {
      s.cancel_requested = true;
      session->Cancel();
      return SQL_SUCCESS;
    }
    // Not executing: SQLCancel ends a data-at-execution sequence (SQLCancel, Comments). That
    // touches statement state, so it takes the lock (the statement is idle, it is free).
    std::lock_guard lock(s.mutex());
    s.dae = Stmt::DaeState{};
    return SQL_SUCCESS;
  });
}

SQLRETURN SQL_API SQLSetCursorName(SQLHSTMT h, SQLCHAR* name, SQLSMALLINT len) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    s.SetCursorName(Narrow::In(name, len));
    return SQL_SUCCESS;
  });
}
SQLRETURN SQL_API SQLSetCursorNameW(SQLHSTMT h, SQLWCHAR* name, SQLSMALLINT len) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    s.SetCursorName(Wide::In(name, len));
    return SQL_SUCCESS;
  });
}
SQLRETURN SQL_API SQLGetCursorName(SQLHSTMT h, SQLCHAR* name, SQLSMALLINT max, SQLSMALLINT* len) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    OutChars<Narrow>(s.diag(), s.CursorName(), name, max, len);
    return SQL_SUCCESS;
  });
}
SQLRETURN SQL_API SQLGetCursorNameW(SQLHSTMT h, SQLWCHAR* name, SQLSMALLINT max, SQLSMALLINT* len) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    OutChars<Wide>(s.diag(), s.CursorName(), name, max, len);
    return SQL_SUCCESS;
  });
}

SQLRETURN SQL_API SQLParamData(SQLHSTMT h, SQLPOINTER* token) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN { return s.ParamData(token); });
}

SQLRETURN SQL_API SQLPutData(SQLHSTMT h, SQLPOINTER data, SQLLEN length) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    s.PutData(data, length);
    return SQL_SUCCESS;
  });
}

SQLRETURN SQL_API SQLCancelHandle(SQLSMALLINT type, SQLHANDLE h) {
  if (type == SQL_HANDLE_STMT) return SQLCancel(h);
  return Call<Dbc, kCancelPolicy>(h, [&](Dbc&) -> SQLRETURN {
    throw OdbcError("IM001", "driver does not support cancelling a connection handle");
  });
}

}  // extern "C"

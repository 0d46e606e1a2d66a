// SQLGetDiagRec, SQLGetDiagField, SQLError. These read the records of the previous call, so they
// neither clear diagnostics nor post any of their own (ODBC "Diagnostics").
#include "odbc/api/common.h"

using namespace lakebase;
using namespace lakebase::odbc;
using namespace lakebase::odbc::api;

namespace {

Handle* AnyHandle(SQLSMALLINT type, SQLHANDLE raw) {
  switch (type) {
    case SQL_HANDLE_ENV:
      return FromHandle<Env>(raw);
    case SQL_HANDLE_DBC:
      return FromHandle<Dbc>(raw);
    case SQL_HANDLE_STMT:
      return FromHandle<Stmt>(raw);
    case SQL_HANDLE_DESC:
      return FromHandle<Desc>(raw);
    default:
      return nullptr;
  }
}

// Writes a diagnostic string; diag functions report truncation only through their return code.
template <class E, class LenT>
SQLRETURN PutText(std::string_view v, void* buf, SQLLEN max, LenT* len, bool bytes) {
  if (max < 0) return SQL_ERROR;
  SQLLEN cap = (!bytes && E::kWide) ? max * static_cast<SQLLEN>(sizeof(SQLWCHAR)) : max;
  bool truncated = WriteOutText(v, buf, cap, len, OutTextOptions{E::kWide, bytes});
  return truncated ? SQL_SUCCESS_WITH_INFO : SQL_SUCCESS;
}

template <class E>
SQLRETURN GetDiagRec(SQLSMALLINT type, SQLHANDLE raw, SQLSMALLINT rec, typename E::Char* state,
                     SQLINTEGER* native, typename E::Char* msg, SQLSMALLINT max, SQLSMALLINT* len) {
  Handle* h = AnyHandle(type, raw);
  if (h == nullptr) return SQL_INVALID_HANDLE;
  std::lock_guard lock(h->mutex());
  try {
    if (rec <= 0 || max < 0) return SQL_ERROR;
    const auto& records = h->diag().records();
    if (static_cast<size_t>(rec) > records.size()) return SQL_NO_DATA;
    const DiagRecord& r = records[static_cast<size_t>(rec - 1)];
    if (state != nullptr)
      WriteOutText(r.sqlstate, state, E::kWide ? 12 : 6, static_cast<SQLSMALLINT*>(nullptr),
                   OutTextOptions{E::kWide, true});
    if (native) *native = r.native_error;
    return PutText<E>(r.message, msg, max, len, false);
  } catch (...) {
    return SQL_ERROR;
  }
}

template <class E>
SQLRETURN GetDiagField(SQLSMALLINT type, SQLHANDLE raw, SQLSMALLINT rec, SQLSMALLINT field,
                       SQLPOINTER value, SQLSMALLINT max, SQLSMALLINT* len) {
  Handle* h = AnyHandle(type, raw);
  if (h == nullptr) return SQL_INVALID_HANDLE;
  std::lock_guard lock(h->mutex());
  try {
    Diagnostics& d = h->diag();
    auto num = [&](auto v) {
      if (value) *static_cast<decltype(v)*>(value) = v;
      return SQL_SUCCESS;
    };
    // Header fields (record number ignored).
    switch (field) {
      case SQL_DIAG_NUMBER:
        return num(static_cast<SQLINTEGER>(d.records().size()));
      case SQL_DIAG_RETURNCODE:
        return num(static_cast<SQLRETURN>(d.return_code_));
      case SQL_DIAG_ROW_COUNT:
        if (type != SQL_HANDLE_STMT) return SQL_ERROR;
        return num(static_cast<SQLLEN>(static_cast<Stmt*>(h)->affected));
      case SQL_DIAG_CURSOR_ROW_COUNT: {
        if (type != SQL_HANDLE_STMT) return SQL_ERROR;
        auto* s = static_cast<Stmt*>(h);
        return num(static_cast<SQLLEN>(s->cursor ? s->cursor->Size() : 0));
      }
      case SQL_DIAG_DYNAMIC_FUNCTION:
        if (type != SQL_HANDLE_STMT) return SQL_ERROR;
        return PutText<E>(d.dynamic_function, value, max, len, true);
      case SQL_DIAG_DYNAMIC_FUNCTION_CODE:
        if (type != SQL_HANDLE_STMT) return SQL_ERROR;
        return num(static_cast<SQLINTEGER>(d.dynamic_function_code));
      default:
        break;
    }
    if (rec <= 0) return SQL_ERROR;
    if (static_cast<size_t>(rec) > d.records().size()) return SQL_NO_DATA;
    const DiagRecord& r = d.records()[static_cast<size_t>(rec - 1)];
    std::string server, connection;
    Dbc* dbc = nullptr;
    if (type == SQL_HANDLE_DBC) dbc = static_cast<Dbc*>(h);
    if (type == SQL_HANDLE_STMT) dbc = static_cast<Stmt*>(h)->dbc;
    if (type == SQL_HANDLE_DESC) dbc = static_cast<Desc*>(h)->dbc;
    if (dbc != nullptr) {
      server = dbc->config.dsn.empty() ? dbc->config.host : dbc->config.dsn;
      connection = server;
    }
    switch (field) {
      case SQL_DIAG_SQLSTATE:
        return PutText<E>(r.sqlstate, value, max, len, true);
      case SQL_DIAG_NATIVE:
        return num(static_cast<SQLINTEGER>(r.native_error));
      case SQL_DIAG_MESSAGE_TEXT:
        return PutText<E>(r.message, value, max, len, true);
      case SQL_DIAG_CLASS_ORIGIN:
        return PutText<E>(r.class_origin(), value, max, len, true);
      case SQL_DIAG_SUBCLASS_ORIGIN:
        return PutText<E>(r.subclass_origin(), value, max, len, true);
      case SQL_DIAG_CONNECTION_NAME:
        return PutText<E>(connection, value, max, len, true);
      case SQL_DIAG_SERVER_NAME:
        return PutText<E>(server, value, max, len, true);
      case SQL_DIAG_ROW_NUMBER:
        if (type != SQL_HANDLE_STMT) return SQL_ERROR;
        return num(static_cast<SQLLEN>(r.row_number));
      case SQL_DIAG_COLUMN_NUMBER:
        if (type != SQL_HANDLE_STMT) return SQL_ERROR;
        return num(static_cast<SQLINTEGER>(r.column_number));
      default:
        return SQL_ERROR;
    }
  } catch (...) {
    return SQL_ERROR;
  }
}

// ODBC 2: returns and removes the next record of the most specific handle given.
template <class E>
SQLRETURN Error(SQLHENV env, SQLHDBC dbc, SQLHSTMT stmt, typename E::Char* state,
                SQLINTEGER* native, typename E::Char* msg, SQLSMALLINT max, SQLSMALLINT* len) {
  Handle* h = nullptr;
  if (stmt != SQL_NULL_HSTMT)
    h = FromHandle<Stmt>(stmt);
  else if (dbc != SQL_NULL_HDBC)
    h = FromHandle<Dbc>(dbc);
  else if (env != SQL_NULL_HENV)
    h = FromHandle<Env>(env);
  if (h == nullptr) return SQL_INVALID_HANDLE;
  std::lock_guard lock(h->mutex());
  auto& records = h->diag().records();
  if (records.empty()) return SQL_NO_DATA;
  DiagRecord r = records.front();
  records.erase(records.begin());
  if (state != nullptr)
    WriteOutText(r.sqlstate, state, E::kWide ? 12 : 6, static_cast<SQLSMALLINT*>(nullptr),
                 OutTextOptions{E::kWide, true});
  if (native) *native = r.native_error;
  return PutText<E>(r.message, msg, max, len, false);
}

}  // namespace

extern "C" {

SQLRETURN SQL_API SQLGetDiagRec(SQLSMALLINT type, SQLHANDLE h, SQLSMALLINT rec, SQLCHAR* state,
                                SQLINTEGER* native, SQLCHAR* msg, SQLSMALLINT max,
                                SQLSMALLINT* len) {
  return GetDiagRec<Narrow>(type, h, rec, state, native, msg, max, len);
}
SQLRETURN SQL_API SQLGetDiagRecW(SQLSMALLINT type, SQLHANDLE h, SQLSMALLINT rec, SQLWCHAR* state,
                                 SQLINTEGER* native, SQLWCHAR* msg, SQLSMALLINT max,
                                 SQLSMALLINT* len) {
  return GetDiagRec<Wide>(type, h, rec, state, native, msg, max, len);
}
SQLRETURN SQL_API SQLGetDiagField(SQLSMALLINT type, SQLHANDLE h, SQLSMALLINT rec, SQLSMALLINT field,
                                  SQLPOINTER value, SQLSMALLINT max, SQLSMALLINT* len) {
  return GetDiagField<Narrow>(type, h, rec, field, value, max, len);
}
SQLRETURN SQL_API SQLGetDiagFieldW(SQLSMALLINT type, SQLHANDLE h, SQLSMALLINT rec,
                                   SQLSMALLINT field, SQLPOINTER value, SQLSMALLINT max,
                                   SQLSMALLINT* len) {
  return GetDiagField<Wide>(type, h, rec, field, value, max, len);
}
SQLRETURN SQL_API SQLError(SQLHENV env, SQLHDBC dbc, SQLHSTMT stmt, SQLCHAR* state,
                           SQLINTEGER* native, SQLCHAR* msg, SQLSMALLINT max, SQLSMALLINT* len) {
  return Error<Narrow>(env, dbc, stmt, state, native, msg, max, len);
}
SQLRETURN SQL_API SQLErrorW(SQLHENV env, SQLHDBC dbc, SQLHSTMT stmt, SQLWCHAR* state,
                            SQLINTEGER* native, SQLWCHAR* msg, SQLSMALLINT max, SQLSMALLINT* len) {
  return Error<Wide>(env, dbc, stmt, state, native, msg, max, len);
}

}  // extern "C"

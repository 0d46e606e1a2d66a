// Statement attributes (SQLSetStmtAttr / SQLGetStmtAttr) and cursor names. Several attributes
// are descriptor header fields in disguise (ODBC "Descriptor header fields").
#include "odbc/api/common.h"

using namespace lakebase;
using namespace lakebase::odbc;
using namespace lakebase::odbc::api;

namespace {

template <class E>
SQLRETURN SetStmtAttr(SQLHSTMT h, SQLINTEGER attr, SQLPOINTER value, SQLINTEGER) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    auto v = reinterpret_cast<SQLULEN>(value);
    switch (attr) {
      case SQL_ATTR_APP_ROW_DESC:
      case SQL_ATTR_APP_PARAM_DESC: {
        Desc*& slot = attr == SQL_ATTR_APP_ROW_DESC ? s.ard : s.apd;
        Desc& implicit = attr == SQL_ATTR_APP_ROW_DESC ? s.implicit_ard : s.implicit_apd;
        if (value == nullptr) {
          slot = &implicit;
          return SQL_SUCCESS;
        }
        Desc* d = FromHandle<Desc>(value);
        if (d == nullptr) throw OdbcError("HY024", "invalid attribute value: not a descriptor");
        if (d->alloc_type != SQL_DESC_ALLOC_USER && d != &implicit) {
          throw OdbcError("HY017", "invalid use of an automatically allocated descriptor handle");
        }
        slot = d;
        return SQL_SUCCESS;
      }
      case SQL_ATTR_IMP_ROW_DESC:
      case SQL_ATTR_IMP_PARAM_DESC:
        throw OdbcError("HY017", "invalid use of an automatically allocated descriptor handle");
      case SQL_ATTR_ROW_ARRAY_SIZE:
      case SQL_ROWSET_SIZE:
        if (v == 0) throw OdbcError("HY024", "invalid attribute value: row array size 0");
        if (attr == SQL_ROWSET_SIZE)
          s.rowset_size = v;
        else
          s.ard->array_size = v;
        return SQL_SUCCESS;
      case SQL_ATTR_ROW_BIND_TYPE:
        s.ard->bind_type = v;
        return SQL_SUCCESS;
      case SQL_ATTR_ROW_BIND_OFFSET_PTR:
        s.ard->bind_offset_ptr = static_cast<SQLLEN*>(value);
        return SQL_SUCCESS;
      case SQL_ATTR_ROW_STATUS_PTR:
        s.ird->array_status_ptr = static_cast<SQLUSMALLINT*>(value);
        return SQL_SUCCESS;
      case SQL_ATTR_ROWS_FETCHED_PTR:
        s.ird->rows_processed_ptr = static_cast<SQLULEN*>(value);
        return SQL_SUCCESS;
      case SQL_ATTR_ROW_OPERATION_PTR:
        s.ard->array_status_ptr = static_cast<SQLUSMALLINT*>(value);
        return SQL_SUCCESS;
      case SQL_ATTR_PARAMSET_SIZE:
        if (v == 0) throw OdbcError("HY024", "invalid attribute value: parameter set size 0");
        s.apd->array_size = v;
        return SQL_SUCCESS;
      case SQL_ATTR_PARAM_BIND_TYPE:
        s.apd->bind_type = v;
        return SQL_SUCCESS;
      case SQL_ATTR_PARAM_BIND_OFFSET_PTR:
        s.apd->bind_offset_ptr = static_cast<SQLLEN*>(value);
        return SQL_SUCCESS;
      case SQL_ATTR_PARAM_STATUS_PTR:
        s.ipd->array_status_ptr = static_cast<SQLUSMALLINT*>(value);
        return SQL_SUCCESS;
      case SQL_ATTR_PARAMS_PROCESSED_PTR:
        s.ipd->rows_processed_ptr = static_cast<SQLULEN*>(value);
        return SQL_SUCCESS;
      case SQL_ATTR_PARAM_OPERATION_PTR:
        s.apd->array_status_ptr = static_cast<SQLUSMALLINT*>(value);
        return SQL_SUCCESS;
      case SQL_ATTR_CURSOR_TYPE:
        if (s.HasCursor()) throw OdbcError("24000", "invalid cursor state: a cursor is open");
        if (v == SQL_CURSOR_FORWARD_ONLY || v == SQL_CURSOR_STATIC) {
          s.cursor_type = v;
          s.cursor_scrollable = v == SQL_CURSOR_STATIC ? SQL_SCROLLABLE : SQL_NONSCROLLABLE;
          return SQL_SUCCESS;
        }
        // Keyset-driven and dynamic cursors become static: option value changed (01S02).
        s.cursor_type = SQL_CURSOR_STATIC;
        s.cursor_scrollable = SQL_SCROLLABLE;
        s.diag().Add("01S02", "option value changed: cursor type set to SQL_CURSOR_STATIC");
        return SQL_SUCCESS;
      case SQL_ATTR_CONCURRENCY:
        if (v != SQL_CONCUR_READ_ONLY) {
          s.diag().Add("01S02", "option value changed: concurrency set to SQL_CONCUR_READ_ONLY");
        }
        s.concurrency = SQL_CONCUR_READ_ONLY;
        return SQL_SUCCESS;
      case SQL_ATTR_CURSOR_SCROLLABLE:
        s.cursor_scrollable = v;
        s.cursor_type = v == SQL_SCROLLABLE ? SQL_CURSOR_STATIC : SQL_CURSOR_FORWARD_ONLY;
        return SQL_SUCCESS;
      case SQL_ATTR_CURSOR_SENSITIVITY:
        if (v == SQL_SENSITIVE) throw OdbcError("HYC00", "sensitive cursors are not supported");
        s.cursor_sensitivity = v;
        return SQL_SUCCESS;
      case SQL_ATTR_MAX_ROWS:
        s.max_rows = v;
        return SQL_SUCCESS;
      case SQL_ATTR_MAX_LENGTH:
        s.max_length = v;
        return SQL_SUCCESS;
      case SQL_ATTR_QUERY_TIMEOUT:
        s.query_timeout = v;
        return SQL_SUCCESS;
      case SQL_ATTR_NOSCAN:
        s.noscan = v;
        return SQL_SUCCESS;
      case SQL_ATTR_RETRIEVE_DATA:
        s.retrieve_data = v;
        return SQL_SUCCESS;
      case SQL_ATTR_USE_BOOKMARKS:
        s.use_bookmarks = v;
        return SQL_SUCCESS;
      case SQL_ATTR_METADATA_ID:
        s.metadata_id = v;
        return SQL_SUCCESS;
      case SQL_ATTR_KEYSET_SIZE:
        s.keyset_size = v;
        return SQL_SUCCESS;
      case SQL_ATTR_SIMULATE_CURSOR:
        s.simulate_cursor = v;
        return SQL_SUCCESS;
      case SQL_ATTR_FETCH_BOOKMARK_PTR:
        s.fetch_bookmark_ptr = value;
        return SQL_SUCCESS;
      case SQL_ATTR_ASYNC_ENABLE:
        if (v != SQL_ASYNC_ENABLE_OFF)
          throw OdbcError("HYC00", "asynchronous execution is not supported");
        return SQL_SUCCESS;
      case SQL_ATTR_ENABLE_AUTO_IPD:
        if (v != SQL_FALSE) throw OdbcError("HYC00", "automatic IPD population is not supported");
        return SQL_SUCCESS;
      case SQL_ATTR_ROW_NUMBER:
        throw OdbcError("HY024", "SQL_ATTR_ROW_NUMBER is read-only");
      default:
        throw OdbcError("HY092", "invalid attribute/option identifier " + std::to_string(attr));
    }
  });
}

template <class E>
SQLRETURN GetStmtAttr(SQLHSTMT h, SQLINTEGER attr, SQLPOINTER value, SQLINTEGER,
                      SQLINTEGER* out_len) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    auto ulen = [&](SQLULEN v) {
      if (value) *static_cast<SQLULEN*>(value) = v;
      if (out_len) *out_len = sizeof(SQLULEN);
      return SQL_SUCCESS;
    };
    auto ptr = [&](void* p) {
      if (value) *static_cast<SQLPOINTER*>(value) = p;
      if (out_len) *out_len = sizeof(SQLPOINTER);
      return SQL_SUCCESS;
    };
    switch (attr) {
      case SQL_ATTR_APP_ROW_DESC:
        return ptr(static_cast<Handle*>(s.ard));
      case SQL_ATTR_APP_PARAM_DESC:
        return ptr(static_cast<Handle*>(s.apd));
      case SQL_ATTR_IMP_ROW_DESC:
        return ptr(static_cast<Handle*>(s.ird));
      case SQL_ATTR_IMP_PARAM_DESC:
        return ptr(static_cast<Handle*>(s.ipd));
      case SQL_ATTR_ROW_ARRAY_SIZE:
        return ulen(s.ard->array_size);
      case SQL_ROWSET_SIZE:
        return ulen(s.rowset_size);
      case SQL_ATTR_ROW_BIND_TYPE:
        return ulen(s.ard->bind_type);
      case SQL_ATTR_ROW_BIND_OFFSET_PTR:
        return ptr(s.ard->bind_offset_ptr);
      case SQL_ATTR_ROW_STATUS_PTR:
        return ptr(s.ird->array_status_ptr);
      case SQL_ATTR_ROWS_FETCHED_PTR:
        return ptr(s.ird->rows_processed_ptr);
      case SQL_ATTR_ROW_OPERATION_PTR:
        return ptr(s.ard->array_status_ptr);
      case SQL_ATTR_PARAMSET_SIZE:
        return ulen(s.apd->array_size);
      case SQL_ATTR_PARAM_BIND_TYPE:
        return ulen(s.apd->bind_type);
      case SQL_ATTR_PARAM_BIND_OFFSET_PTR:
        return ptr(s.apd->bind_offset_ptr);
      case SQL_ATTR_PARAM_STATUS_PTR:
        return ptr(s.ipd->array_status_ptr);
      case SQL_ATTR_PARAMS_PROCESSED_PTR:
        return ptr(s.ipd->rows_processed_ptr);
      case SQL_ATTR_PARAM_OPERATION_PTR:
        return ptr(s.apd->array_status_ptr);
      case SQL_ATTR_CURSOR_TYPE:
        return ulen(s.cursor_type);
      case SQL_ATTR_CONCURRENCY:
        return ulen(s.concurrency);
      case SQL_ATTR_CURSOR_SCROLLABLE:
        return ulen(s.cursor_scrollable);
      case SQL_ATTR_CURSOR_SENSITIVITY:
        return ulen(s.cursor_type == SQL_CURSOR_STATIC ? SQL_INSENSITIVE : s.cursor_sensitivity);
      case SQL_ATTR_MAX_ROWS:
        return ulen(s.max_rows);
      case SQL_ATTR_MAX_LENGTH:
        return ulen(s.max_length);
      case SQL_ATTR_QUERY_TIMEOUT:
        return ulen(s.query_timeout);
      case SQL_ATTR_NOSCAN:
        return ulen(s.noscan);
      case SQL_ATTR_RETRIEVE_DATA:
        return ulen(s.retrieve_data);
      case SQL_ATTR_USE_BOOKMARKS:
        return ulen(s.use_bookmarks);
      case SQL_ATTR_METADATA_ID:
        return ulen(s.metadata_id);
      case SQL_ATTR_KEYSET_SIZE:
        return ulen(s.keyset_size);
      case SQL_ATTR_SIMULATE_CURSOR:
        return ulen(s.simulate_cursor);
      case SQL_ATTR_FETCH_BOOKMARK_PTR:
        return ptr(s.fetch_bookmark_ptr);
      case SQL_ATTR_ASYNC_ENABLE:
        return ulen(SQL_ASYNC_ENABLE_OFF);
      case SQL_ATTR_ENABLE_AUTO_IPD:
        return ulen(SQL_FALSE);
      case SQL_ATTR_ROW_NUMBER:
        if (!s.HasCursor() || s.rowset_start < 0) return ulen(0);
        return ulen(static_cast<SQLULEN>(s.rowset_start + static_cast<int64_t>(s.rowset_pos) + 1));
      default:
        throw OdbcError("HY092", "invalid attribute/option identifier " + std::to_string(attr));
    }
  });
}

}  // namespace

extern "C" {

SQLRETURN SQL_API SQLSetStmtAttr(SQLHSTMT h, SQLINTEGER a, SQLPOINTER v, SQLINTEGER l) {
  return SetStmtAttr<Narrow>(h, a, v, l);
}
SQLRETURN SQL_API SQLSetStmtAttrW(SQLHSTMT h, SQLINTEGER a, SQLPOINTER v, SQLINTEGER l) {
  return SetStmtAttr<Wide>(h, a, v, l);
}
SQLRETURN SQL_API SQLGetStmtAttr(SQLHSTMT h, SQLINTEGER a, SQLPOINTER v, SQLINTEGER l,
                                 SQLINTEGER* o) {
  return GetStmtAttr<Narrow>(h, a, v, l, o);
}
SQLRETURN SQL_API SQLGetStmtAttrW(SQLHSTMT h, SQLINTEGER a, SQLPOINTER v, SQLINTEGER l,
                                  SQLINTEGER* o) {
  return GetStmtAttr<Wide>(h, a, v, l, o);
}

}  // extern "C"

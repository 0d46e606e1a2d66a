// SQLGetDescField, SQLSetDescField, SQLGetDescRec, SQLSetDescRec, SQLCopyDesc.
#include <cstring>

#include "odbc/api/common.h"
#include "odbc/desc.h"

using namespace lakebase;
using namespace lakebase::odbc;
using namespace lakebase::odbc::api;

namespace {

// An IRD reflects the statement's result: describe a prepared statement first.
void Refresh(Desc& d) {
  if (d.role == DescRole::kIrd && d.stmt != nullptr) d.stmt->NumResultCols();
}

template <class E>
SQLRETURN GetDescField(SQLHDESC h, SQLSMALLINT rec, SQLSMALLINT field, SQLPOINTER value,
                       SQLINTEGER max, SQLINTEGER* out_len) {
  return Call<Desc>(h, [&](Desc& d) -> SQLRETURN {
    Refresh(d);
    DescFieldValue v = GetDescField(d, rec, field);
    if (v.no_data) return SQL_NO_DATA;
    switch (v.kind) {
      case DescFieldValue::kSmall: {
        auto x = static_cast<SQLSMALLINT>(v.i);
        if (value) std::memcpy(value, &x, sizeof x);
        if (out_len) *out_len = sizeof x;
        break;
      }
      case DescFieldValue::kInt: {
        auto x = static_cast<SQLINTEGER>(v.i);
        if (value) std::memcpy(value, &x, sizeof x);
        if (out_len) *out_len = sizeof x;
        break;
      }
      case DescFieldValue::kLen:
        if (value) std::memcpy(value, &v.i, sizeof v.i);
        if (out_len) *out_len = sizeof v.i;
        break;
      case DescFieldValue::kULen:
        if (value) std::memcpy(value, &v.u, sizeof v.u);
        if (out_len) *out_len = sizeof v.u;
        break;
      case DescFieldValue::kPtr:
        if (value) std::memcpy(value, &v.p, sizeof v.p);
        if (out_len) *out_len = sizeof v.p;
        break;
      case DescFieldValue::kString:
        OutBytes<E>(d.diag(), v.s, value, max, out_len);
        break;
    }
    return SQL_SUCCESS;
  });
}

template <class E>
SQLRETURN SetDescField(SQLHDESC h, SQLSMALLINT rec, SQLSMALLINT field, SQLPOINTER value,
                       SQLINTEGER len) {
  return Call<Desc>(h, [&](Desc& d) -> SQLRETURN {
    std::string text;
    if (field == SQL_DESC_NAME && value != nullptr) {
      text = E::In(static_cast<typename E::Char*>(value),
                   E::kWide && len > 0 ? len / static_cast<SQLINTEGER>(sizeof(SQLWCHAR)) : len);
    }
    SetDescField(d, rec, field, value, len, &text);
    return SQL_SUCCESS;
  });
}

template <class E>
SQLRETURN GetDescRec(SQLHDESC h, SQLSMALLINT rec, typename E::Char* name, SQLSMALLINT max,
                     SQLSMALLINT* name_len, SQLSMALLINT* type, SQLSMALLINT* subtype, SQLLEN* length,
                     SQLSMALLINT* precision, SQLSMALLINT* scale, SQLSMALLINT* nullable) {
  return Call<Desc>(h, [&](Desc& d) -> SQLRETURN {
    Refresh(d);
    if (rec < 0) throw OdbcError("07009", "invalid descriptor index");
    if (rec > d.Count()) return SQL_NO_DATA;
    auto get = [&](SQLSMALLINT f) { return GetDescField(d, rec, f); };
    if (name || name_len) OutChars<E>(d.diag(), get(SQL_DESC_NAME).s, name, max, name_len);
    if (type) *type = static_cast<SQLSMALLINT>(get(SQL_DESC_TYPE).i);
    if (subtype) *subtype = static_cast<SQLSMALLINT>(get(SQL_DESC_DATETIME_INTERVAL_CODE).i);
    if (length) *length = get(SQL_DESC_OCTET_LENGTH).i;
    if (precision) *precision = static_cast<SQLSMALLINT>(get(SQL_DESC_PRECISION).i);
    if (scale) *scale = static_cast<SQLSMALLINT>(get(SQL_DESC_SCALE).i);
    if (nullable) *nullable = static_cast<SQLSMALLINT>(get(SQL_DESC_NULLABLE).i);
    return SQL_SUCCESS;
  });
}

}  // namespace

extern "C" {

SQLRETURN SQL_API SQLGetDescField(SQLHDESC h, SQLSMALLINT rec, SQLSMALLINT field, SQLPOINTER v,
                                  SQLINTEGER max, SQLINTEGER* len) {
  return GetDescField<Narrow>(h, rec, field, v, max, len);
}
SQLRETURN SQL_API SQLGetDescFieldW(SQLHDESC h, SQLSMALLINT rec, SQLSMALLINT field, SQLPOINTER v,
                                   SQLINTEGER max, SQLINTEGER* len) {
  return GetDescField<Wide>(h, rec, field, v, max, len);
}
SQLRETURN SQL_API SQLSetDescField(SQLHDESC h, SQLSMALLINT rec, SQLSMALLINT field, SQLPOINTER v,
                                  SQLINTEGER len) {
  return SetDescField<Narrow>(h, rec, field, v, len);
}
SQLRETURN SQL_API SQLSetDescFieldW(SQLHDESC h, SQLSMALLINT rec, SQLSMALLINT field, SQLPOINTER v,
                                   SQLINTEGER len) {
  return SetDescField<Wide>(h, rec, field, v, len);
}
SQLRETURN SQL_API SQLGetDescRec(SQLHDESC h, SQLSMALLINT rec, SQLCHAR* name, SQLSMALLINT max,
                                SQLSMALLINT* name_len, SQLSMALLINT* type, SQLSMALLINT* subtype,
                                SQLLEN* length, SQLSMALLINT* precision, SQLSMALLINT* scale,
                                SQLSMALLINT* nullable) {
  return GetDescRec<Narrow>(h, rec, name, max, name_len, type, subtype, length, precision, scale,
                            nullable);
}
SQLRETURN SQL_API SQLGetDescRecW(SQLHDESC h, SQLSMALLINT rec, SQLWCHAR* name, SQLSMALLINT max,
                                 SQLSMALLINT* name_len, SQLSMALLINT* type, SQLSMALLINT* subtype,
                                 SQLLEN* length, SQLSMALLINT* precision, SQLSMALLINT* scale,
                                 SQLSMALLINT* nullable) {
  return GetDescRec<Wide>(h, rec, name, max, name_len, type, subtype, length, precision, scale,
                          nullable);
}

SQLRETURN SQL_API SQLSetDescRec(SQLHDESC h, SQLSMALLINT rec, SQLSMALLINT type, SQLSMALLINT subtype,
                                SQLLEN length, SQLSMALLINT precision, SQLSMALLINT scale,
                                SQLPOINTER data, SQLLEN* string_length, SQLLEN* indicator) {
  return Call<Desc>(h, [&](Desc& d) -> SQLRETURN {
    if (d.role == DescRole::kIrd)
      throw OdbcError("HY016", "cannot modify an implementation row descriptor");
    if (rec < 0 || (rec == 0 && d.role == DescRole::kIpd))
      throw OdbcError("07009", "invalid descriptor index");
    DescRecord& r = d.Record(static_cast<size_t>(rec));
    r.used = true;
    SetVerboseType(r, type, subtype);
    r.octet_length = length;
    r.length = static_cast<SQLULEN>(length);
    r.precision = precision;
    r.scale = scale;
    r.data_ptr = data;
    r.octet_length_ptr = string_length;
    r.indicator_ptr = indicator;
    return SQL_SUCCESS;
  });
}

SQLRETURN SQL_API SQLCopyDesc(SQLHDESC source, SQLHDESC target) {
  Desc* from = FromHandle<Desc>(source);
  if (from == nullptr) return SQL_INVALID_HANDLE;
  // Both descriptors are locked together (std::scoped_lock orders them), so two copies in
  // opposite directions on two threads cannot deadlock.
  static constexpr CallPolicy kBothLocked{.lock = false, .clear_diag = true};
  return Call<Desc, kBothLocked>(target, [&](Desc& to) -> SQLRETURN {
    if (from == &to) return SQL_SUCCESS;
    std::scoped_lock lock(from->mutex(), to.mutex());
    if (from->role == DescRole::kIrd && from->stmt != nullptr) {
      if (!from->stmt->HasCursor() && !from->stmt->prepared) {
        throw OdbcError("HY007", "associated statement is not prepared");
      }
      from->stmt->NumResultCols();
    }
    CopyDesc(*from, to);
    return SQL_SUCCESS;
  });
}

}  // extern "C"

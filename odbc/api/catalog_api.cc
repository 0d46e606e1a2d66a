// Catalog functions: SQLTables, SQLColumns, SQLGetTypeInfo.
#include <algorithm>
#include <cctype>

#include "driver/catalog.h"
#include "odbc/api/common.h"

using namespace lakebase;
using namespace lakebase::odbc;
using namespace lakebase::odbc::api;

namespace {

// SQL_ATTR_METADATA_ID = SQL_TRUE: arguments are identifiers, not patterns; an unquoted one is
// case-folded the way the server folds it (lower case), a quoted one is taken literally.
pg::CatalogArg Arg(Stmt& s, std::optional<std::string> v, bool pattern_allowed) {
  pg::CatalogArg a;
  if (s.metadata_id == SQL_TRUE) {
    if (!v) throw OdbcError("HY009", "invalid use of null pointer: SQL_ATTR_METADATA_ID requires every name");
    std::string t = *v;
    while (!t.empty() && t.back() == ' ') t.pop_back();
    if (t.size() >= 2 && t.front() == '"' && t.back() == '"') {
      t = t.substr(1, t.size() - 2);
    } else {
      std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
    }
    a.value = t;
    a.pattern = false;
    return a;
  }
  a.value = std::move(v);
  a.pattern = pattern_allowed;
  return a;
}

void CheckLen(SQLSMALLINT n) {
  if (n < 0 && n != SQL_NTS) throw OdbcError("HY090", "invalid string or buffer length");
}

template <class E>
SQLRETURN Tables(SQLHSTMT h, typename E::Char* cat, SQLSMALLINT cat_len, typename E::Char* sch,
                 SQLSMALLINT sch_len, typename E::Char* tab, SQLSMALLINT tab_len,
                 typename E::Char* typ, SQLSMALLINT typ_len) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    for (auto n : {cat_len, sch_len, tab_len, typ_len}) CheckLen(n);
    if (s.HasCursor()) throw OdbcError("24000", "invalid cursor state: a cursor is open");
    auto& session = s.dbc->RequireSession();
    pg::CatalogArg types;
    types.value = OptionalIn<E>(typ, typ_len);
    types.pattern = false;
    s.SetResultSet(pg::Tables(session, Arg(s, OptionalIn<E>(cat, cat_len), true),
                              Arg(s, OptionalIn<E>(sch, sch_len), true),
                              Arg(s, OptionalIn<E>(tab, tab_len), true), types));
    return SQL_SUCCESS;
  });
}

template <class E>
SQLRETURN Columns(SQLHSTMT h, typename E::Char* cat, SQLSMALLINT cat_len, typename E::Char* sch,
                  SQLSMALLINT sch_len, typename E::Char* tab, SQLSMALLINT tab_len,
                  typename E::Char* col, SQLSMALLINT col_len) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    for (auto n : {cat_len, sch_len, tab_len, col_len}) CheckLen(n);
    if (s.HasCursor()) throw OdbcError("24000", "invalid cursor state: a cursor is open");
    auto& session = s.dbc->RequireSession();
    s.SetResultSet(pg::Columns(session, Arg(s, OptionalIn<E>(cat, cat_len), false),
                               Arg(s, OptionalIn<E>(sch, sch_len), true),
                               Arg(s, OptionalIn<E>(tab, tab_len), true),
                               Arg(s, OptionalIn<E>(col, col_len), true),
                               s.dbc->describe_options()));
    return SQL_SUCCESS;
  });
}

SQLRETURN GetTypeInfo(SQLHSTMT h, SQLSMALLINT type) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    if (s.HasCursor()) throw OdbcError("24000", "invalid cursor state: a cursor is open");
    s.dbc->RequireSession();
    s.SetResultSet(pg::TypeInfo(type, s.dbc->describe_options()));
    return SQL_SUCCESS;
  });
}

}  // namespace

extern "C" {

SQLRETURN SQL_API SQLTables(SQLHSTMT h, SQLCHAR* c, SQLSMALLINT cl, SQLCHAR* s, SQLSMALLINT sl,
                            SQLCHAR* t, SQLSMALLINT tl, SQLCHAR* y, SQLSMALLINT yl) {
  return Tables<Narrow>(h, c, cl, s, sl, t, tl, y, yl);
}
SQLRETURN SQL_API SQLTablesW(SQLHSTMT h, SQLWCHAR* c, SQLSMALLINT cl, SQLWCHAR* s,
                             SQLSMALLINT sl, SQLWCHAR* t, SQLSMALLINT tl, SQLWCHAR* y,
                             SQLSMALLINT yl) {
  return Tables<Wide>(h, c, cl, s, sl, t, tl, y, yl);
}
SQLRETURN SQL_API SQLColumns(SQLHSTMT h, SQLCHAR* c, SQLSMALLINT cl, SQLCHAR* s, SQLSMALLINT sl,
                             SQLCHAR* t, SQLSMALLINT tl, SQLCHAR* n, SQLSMALLINT nl) {
  return Columns<Narrow>(h, c, cl, s, sl, t, tl, n, nl);
}
SQLRETURN SQL_API SQLColumnsW(SQLHSTMT h, SQLWCHAR* c, SQLSMALLINT cl, SQLWCHAR* s,
                              SQLSMALLINT sl, SQLWCHAR* t, SQLSMALLINT tl, SQLWCHAR* n,
                              SQLSMALLINT nl) {
  return Columns<Wide>(h, c, cl, s, sl, t, tl, n, nl);
}
SQLRETURN SQL_API SQLGetTypeInfo(SQLHSTMT h, SQLSMALLINT type) { return GetTypeInfo(h, type); }
SQLRETURN SQL_API SQLGetTypeInfoW(SQLHSTMT h, SQLSMALLINT type) { return GetTypeInfo(h, type); }

}  // extern "C"

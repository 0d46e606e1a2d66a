// Catalog functions (ODBC 3.8 "Catalog Functions"): SQLTables, SQLColumns, SQLGetTypeInfo,
// SQLPrimaryKeys, SQLForeignKeys, SQLStatistics, SQLSpecialColumns, SQLProcedures,
// SQLProcedureColumns, SQLTablePrivileges, SQLColumnPrivileges; ANSI and W.
//
// The kind of each name argument follows the spec's table ("Arguments in Catalog Functions"):
// pattern value (PV), ordinary argument (OA), or value list (SQLTables' TableType). With
// SQL_ATTR_METADATA_ID = SQL_TRUE every PV and OA is an identifier argument (ID).
#include <algorithm>
#include <cctype>

#include "driver/catalog.h"
#include "odbc/api/common.h"

using namespace lakebase;
using namespace lakebase::odbc;
using namespace lakebase::odbc::api;

namespace {

enum class Kind { kPattern, kOrdinary };
// Which arguments must not be null pointers whatever SQL_ATTR_METADATA_ID says ("This argument
// cannot be a null pointer": SQLPrimaryKeys, SQLStatistics, SQLSpecialColumns and
// SQLColumnPrivileges' TableName).
enum class Null { kAllowed, kRejected };

// SQL_ATTR_METADATA_ID = SQL_TRUE: arguments are identifiers, not patterns; an unquoted one is
// case-folded the way the server folds it (lower case) with trailing spaces removed, a quoted
// one is taken literally ("Identifier Arguments"); a null pointer is HY009.
pg::CatalogArg Arg(const Stmt& s, std::optional<std::string> v, Kind kind,
                   Null null = Null::kAllowed) {
  if (!v && (null == Null::kRejected || s.metadata_id == SQL_TRUE)) {
    throw OdbcError("HY009",
                    "invalid use of null pointer: a catalog function name argument is required");
  }
  pg::CatalogArg a;
  if (s.metadata_id == SQL_TRUE) {
    std::string t = *v;
    auto not_space = [](unsigned char c) { return !std::isspace(c); };
    t.erase(std::find_if(t.rbegin(), t.rend(), not_space).base(), t.end());
    t.erase(t.begin(), std::find_if(t.begin(), t.end(), not_space));
    if (t.size() >= 2 && t.front() == '"' && t.back() == '"') {
      std::string inner;
      for (size_t i = 1; i + 1 < t.size(); ++i) {
        inner.push_back(t[i]);
        if (t[i] == '"' && t[i + 1] == '"' && i + 2 < t.size()) ++i;  // "" inside quotes
      }
      t = inner;
    } else {
      std::transform(t.begin(), t.end(), t.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    }
    a.value = t;
    a.pattern = false;
    return a;
  }
  a.value = std::move(v);
  a.pattern = kind == Kind::kPattern;
  return a;
}

void CheckLen(SQLSMALLINT n) {
  if (n < 0 && n != SQL_NTS) throw OdbcError("HY090", "invalid string or buffer length");
}

// Shared prologue: lengths, then an open cursor (24000), then the session.
template <class... N>
pg::Session& Begin(Stmt& s, N... lengths) {
  (CheckLen(lengths), ...);
  s.RequireNoPendingData();
  if (s.HasCursor()) throw OdbcError("24000", "invalid cursor state: a cursor is open");
  return s.dbc->RequireSession();
}

template <class E>
using Ch = typename E::Char;

template <class E>
std::optional<std::string> In(const Ch<E>* v, SQLSMALLINT n) {
  return OptionalIn<E>(v, n);
}

template <class E>
SQLRETURN Tables(SQLHSTMT h, Ch<E>* cat, SQLSMALLINT cat_len, Ch<E>* sch, SQLSMALLINT sch_len,
                 Ch<E>* tab, SQLSMALLINT tab_len, Ch<E>* typ, SQLSMALLINT typ_len) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    auto& session = Begin(s, cat_len, sch_len, tab_len, typ_len);
    pg::CatalogArg types;  // a value list, never an identifier
    types.value = In<E>(typ, typ_len);
    types.pattern = false;
    s.SetResultSet(pg::Tables(session, Arg(s, In<E>(cat, cat_len), Kind::kPattern),
                              Arg(s, In<E>(sch, sch_len), Kind::kPattern),
                              Arg(s, In<E>(tab, tab_len), Kind::kPattern), types));
    return SQL_SUCCESS;
  });
}

template <class E>
SQLRETURN Columns(SQLHSTMT h, Ch<E>* cat, SQLSMALLINT cat_len, Ch<E>* sch, SQLSMALLINT sch_len,
                  Ch<E>* tab, SQLSMALLINT tab_len, Ch<E>* col, SQLSMALLINT col_len) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    auto& session = Begin(s, cat_len, sch_len, tab_len, col_len);
    s.SetResultSet(pg::Columns(
        session, Arg(s, In<E>(cat, cat_len), Kind::kOrdinary),
        Arg(s, In<E>(sch, sch_len), Kind::kPattern), Arg(s, In<E>(tab, tab_len), Kind::kPattern),
        Arg(s, In<E>(col, col_len), Kind::kPattern), s.dbc->describe_options()));
    return SQL_SUCCESS;
  });
}

SQLRETURN GetTypeInfo(SQLHSTMT h, SQLSMALLINT type) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    Begin(s);
    s.SetResultSet(pg::TypeInfo(type, s.dbc->describe_options()));
    return SQL_SUCCESS;
  });
}

template <class E>
SQLRETURN PrimaryKeys(SQLHSTMT h, Ch<E>* cat, SQLSMALLINT cat_len, Ch<E>* sch, SQLSMALLINT sch_len,
                      Ch<E>* tab, SQLSMALLINT tab_len) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    auto& session = Begin(s, cat_len, sch_len, tab_len);
    s.SetResultSet(pg::PrimaryKeys(session, Arg(s, In<E>(cat, cat_len), Kind::kOrdinary),
                                   Arg(s, In<E>(sch, sch_len), Kind::kOrdinary),
                                   Arg(s, In<E>(tab, tab_len), Kind::kOrdinary, Null::kRejected)));
    return SQL_SUCCESS;
  });
}

template <class E>
SQLRETURN ForeignKeys(SQLHSTMT h, Ch<E>* pcat, SQLSMALLINT pcat_len, Ch<E>* psch,
                      SQLSMALLINT psch_len, Ch<E>* ptab, SQLSMALLINT ptab_len, Ch<E>* fcat,
                      SQLSMALLINT fcat_len, Ch<E>* fsch, SQLSMALLINT fsch_len, Ch<E>* ftab,
                      SQLSMALLINT ftab_len) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    auto& session = Begin(s, pcat_len, psch_len, ptab_len, fcat_len, fsch_len, ftab_len);
    if (ptab == nullptr && ftab == nullptr) {
      throw OdbcError("HY009",
                      "invalid use of null pointer: PKTableName and FKTableName are both null");
    }
    s.SetResultSet(pg::ForeignKeys(session, Arg(s, In<E>(pcat, pcat_len), Kind::kOrdinary),
                                   Arg(s, In<E>(psch, psch_len), Kind::kOrdinary),
                                   Arg(s, In<E>(ptab, ptab_len), Kind::kOrdinary),
                                   Arg(s, In<E>(fcat, fcat_len), Kind::kOrdinary),
                                   Arg(s, In<E>(fsch, fsch_len), Kind::kOrdinary),
                                   Arg(s, In<E>(ftab, ftab_len), Kind::kOrdinary)));
    return SQL_SUCCESS;
  });
}

template <class E>
SQLRETURN Statistics(SQLHSTMT h, Ch<E>* cat, SQLSMALLINT cat_len, Ch<E>* sch, SQLSMALLINT sch_len,
                     Ch<E>* tab, SQLSMALLINT tab_len, SQLUSMALLINT unique, SQLUSMALLINT reserved) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    auto& session = Begin(s, cat_len, sch_len, tab_len);
    if (unique != SQL_INDEX_UNIQUE && unique != SQL_INDEX_ALL) {
      throw OdbcError("HY100", "uniqueness option type out of range");
    }
    if (reserved != SQL_ENSURE && reserved != SQL_QUICK) {
      throw OdbcError("HY101", "accuracy option type out of range");
    }
    s.SetResultSet(pg::Statistics(session, Arg(s, In<E>(cat, cat_len), Kind::kOrdinary),
                                  Arg(s, In<E>(sch, sch_len), Kind::kOrdinary),
                                  Arg(s, In<E>(tab, tab_len), Kind::kOrdinary, Null::kRejected),
                                  unique, reserved));
    return SQL_SUCCESS;
  });
}

template <class E>
SQLRETURN SpecialColumns(SQLHSTMT h, SQLUSMALLINT id_type, Ch<E>* cat, SQLSMALLINT cat_len,
                         Ch<E>* sch, SQLSMALLINT sch_len, Ch<E>* tab, SQLSMALLINT tab_len,
                         SQLUSMALLINT scope, SQLUSMALLINT nullable) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    auto& session = Begin(s, cat_len, sch_len, tab_len);
    if (id_type != SQL_BEST_ROWID && id_type != SQL_ROWVER) {
      throw OdbcError("HY097", "column type out of range");
    }
    if (scope != SQL_SCOPE_CURROW && scope != SQL_SCOPE_TRANSACTION && scope != SQL_SCOPE_SESSION) {
      throw OdbcError("HY098", "scope type out of range");
    }
    if (nullable != SQL_NO_NULLS && nullable != SQL_NULLABLE) {
      throw OdbcError("HY099", "nullable type out of range");
    }
    s.SetResultSet(pg::SpecialColumns(session, id_type,
                                      Arg(s, In<E>(cat, cat_len), Kind::kOrdinary),
                                      Arg(s, In<E>(sch, sch_len), Kind::kOrdinary),
                                      Arg(s, In<E>(tab, tab_len), Kind::kOrdinary, Null::kRejected),
                                      scope, nullable, s.dbc->describe_options()));
    return SQL_SUCCESS;
  });
}

template <class E>
SQLRETURN Procedures(SQLHSTMT h, Ch<E>* cat, SQLSMALLINT cat_len, Ch<E>* sch, SQLSMALLINT sch_len,
                     Ch<E>* proc, SQLSMALLINT proc_len) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    auto& session = Begin(s, cat_len, sch_len, proc_len);
    s.SetResultSet(pg::Procedures(session, Arg(s, In<E>(cat, cat_len), Kind::kOrdinary),
                                  Arg(s, In<E>(sch, sch_len), Kind::kPattern),
                                  Arg(s, In<E>(proc, proc_len), Kind::kPattern)));
    return SQL_SUCCESS;
  });
}

template <class E>
SQLRETURN ProcedureColumns(SQLHSTMT h, Ch<E>* cat, SQLSMALLINT cat_len, Ch<E>* sch,
                           SQLSMALLINT sch_len, Ch<E>* proc, SQLSMALLINT proc_len, Ch<E>* col,
                           SQLSMALLINT col_len) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    auto& session = Begin(s, cat_len, sch_len, proc_len, col_len);
    s.SetResultSet(pg::ProcedureColumns(
        session, Arg(s, In<E>(cat, cat_len), Kind::kOrdinary),
        Arg(s, In<E>(sch, sch_len), Kind::kPattern), Arg(s, In<E>(proc, proc_len), Kind::kPattern),
        Arg(s, In<E>(col, col_len), Kind::kPattern), s.dbc->describe_options()));
    return SQL_SUCCESS;
  });
}

template <class E>
SQLRETURN TablePrivileges(SQLHSTMT h, Ch<E>* cat, SQLSMALLINT cat_len, Ch<E>* sch,
                          SQLSMALLINT sch_len, Ch<E>* tab, SQLSMALLINT tab_len) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    auto& session = Begin(s, cat_len, sch_len, tab_len);
    s.SetResultSet(pg::TablePrivileges(session, Arg(s, In<E>(cat, cat_len), Kind::kOrdinary),
                                       Arg(s, In<E>(sch, sch_len), Kind::kPattern),
                                       Arg(s, In<E>(tab, tab_len), Kind::kPattern)));
    return SQL_SUCCESS;
  });
}

template <class E>
SQLRETURN ColumnPrivileges(SQLHSTMT h, Ch<E>* cat, SQLSMALLINT cat_len, Ch<E>* sch,
                           SQLSMALLINT sch_len, Ch<E>* tab, SQLSMALLINT tab_len, Ch<E>* col,
                           SQLSMALLINT col_len) {
  return Call<Stmt>(h, [&](Stmt& s) -> SQLRETURN {
    auto& session = Begin(s, cat_len, sch_len, tab_len, col_len);
    s.SetResultSet(
        pg::ColumnPrivileges(session, Arg(s, In<E>(cat, cat_len), Kind::kOrdinary),
                             Arg(s, In<E>(sch, sch_len), Kind::kOrdinary),
                             Arg(s, In<E>(tab, tab_len), Kind::kOrdinary, Null::kRejected),
                             Arg(s, In<E>(col, col_len), Kind::kPattern)));
    return SQL_SUCCESS;
  });
}

}  // namespace

extern "C" {

SQLRETURN SQL_API SQLTables(SQLHSTMT h, SQLCHAR* c, SQLSMALLINT cl, SQLCHAR* s, SQLSMALLINT sl,
                            SQLCHAR* t, SQLSMALLINT tl, SQLCHAR* y, SQLSMALLINT yl) {
  return Tables<Narrow>(h, c, cl, s, sl, t, tl, y, yl);
}
SQLRETURN SQL_API SQLTablesW(SQLHSTMT h, SQLWCHAR* c, SQLSMALLINT cl, SQLWCHAR* s, SQLSMALLINT sl,
                             SQLWCHAR* t, SQLSMALLINT tl, SQLWCHAR* y, SQLSMALLINT yl) {
  return Tables<Wide>(h, c, cl, s, sl, t, tl, y, yl);
}
SQLRETURN SQL_API SQLColumns(SQLHSTMT h, SQLCHAR* c, SQLSMALLINT cl, SQLCHAR* s, SQLSMALLINT sl,
                             SQLCHAR* t, SQLSMALLINT tl, SQLCHAR* n, SQLSMALLINT nl) {
  return Columns<Narrow>(h, c, cl, s, sl, t, tl, n, nl);
}
SQLRETURN SQL_API SQLColumnsW(SQLHSTMT h, SQLWCHAR* c, SQLSMALLINT cl, SQLWCHAR* s, SQLSMALLINT sl,
                              SQLWCHAR* t, SQLSMALLINT tl, SQLWCHAR* n, SQLSMALLINT nl) {
  return Columns<Wide>(h, c, cl, s, sl, t, tl, n, nl);
}
SQLRETURN SQL_API SQLGetTypeInfo(SQLHSTMT h, SQLSMALLINT type) { return GetTypeInfo(h, type); }
SQLRETURN SQL_API SQLGetTypeInfoW(SQLHSTMT h, SQLSMALLINT type) { return GetTypeInfo(h, type); }

SQLRETURN SQL_API SQLPrimaryKeys(SQLHSTMT h, SQLCHAR* c, SQLSMALLINT cl, SQLCHAR* s, SQLSMALLINT sl,
                                 SQLCHAR* t, SQLSMALLINT tl) {
  return PrimaryKeys<Narrow>(h, c, cl, s, sl, t, tl);
}
SQLRETURN SQL_API SQLPrimaryKeysW(SQLHSTMT h, SQLWCHAR* c, SQLSMALLINT cl, SQLWCHAR* s,
                                  SQLSMALLINT sl, SQLWCHAR* t, SQLSMALLINT tl) {
  return PrimaryKeys<Wide>(h, c, cl, s, sl, t, tl);
}
SQLRETURN SQL_API SQLForeignKeys(SQLHSTMT h, SQLCHAR* pc, SQLSMALLINT pcl, SQLCHAR* ps,
                                 SQLSMALLINT psl, SQLCHAR* pt, SQLSMALLINT ptl, SQLCHAR* fc,
                                 SQLSMALLINT fcl, SQLCHAR* fs, SQLSMALLINT fsl, SQLCHAR* ft,
                                 SQLSMALLINT ftl) {
  return ForeignKeys<Narrow>(h, pc, pcl, ps, psl, pt, ptl, fc, fcl, fs, fsl, ft, ftl);
}
SQLRETURN SQL_API SQLForeignKeysW(SQLHSTMT h, SQLWCHAR* pc, SQLSMALLINT pcl, SQLWCHAR* ps,
                                  SQLSMALLINT psl, SQLWCHAR* pt, SQLSMALLINT ptl, SQLWCHAR* fc,
                                  SQLSMALLINT fcl, SQLWCHAR* fs, SQLSMALLINT fsl, SQLWCHAR* ft,
                                  SQLSMALLINT ftl) {
  return ForeignKeys<Wide>(h, pc, pcl, ps, psl, pt, ptl, fc, fcl, fs, fsl, ft, ftl);
}
SQLRETURN SQL_API SQLStatistics(SQLHSTMT h, SQLCHAR* c, SQLSMALLINT cl, SQLCHAR* s, SQLSMALLINT sl,
                                SQLCHAR* t, SQLSMALLINT tl, SQLUSMALLINT unique,
                                SQLUSMALLINT reserved) {
  return Statistics<Narrow>(h, c, cl, s, sl, t, tl, unique, reserved);
}
SQLRETURN SQL_API SQLStatisticsW(SQLHSTMT h, SQLWCHAR* c, SQLSMALLINT cl, SQLWCHAR* s,
                                 SQLSMALLINT sl, SQLWCHAR* t, SQLSMALLINT tl, SQLUSMALLINT unique,
                                 SQLUSMALLINT reserved) {
  return Statistics<Wide>(h, c, cl, s, sl, t, tl, unique, reserved);
}
SQLRETURN SQL_API SQLSpecialColumns(SQLHSTMT h, SQLUSMALLINT id, SQLCHAR* c, SQLSMALLINT cl,
                                    SQLCHAR* s, SQLSMALLINT sl, SQLCHAR* t, SQLSMALLINT tl,
                                    SQLUSMALLINT scope, SQLUSMALLINT nullable) {
  return SpecialColumns<Narrow>(h, id, c, cl, s, sl, t, tl, scope, nullable);
}
SQLRETURN SQL_API SQLSpecialColumnsW(SQLHSTMT h, SQLUSMALLINT id, SQLWCHAR* c, SQLSMALLINT cl,
                                     SQLWCHAR* s, SQLSMALLINT sl, SQLWCHAR* t, SQLSMALLINT tl,
                                     SQLUSMALLINT scope, SQLUSMALLINT nullable) {
  return SpecialColumns<Wide>(h, id, c, cl, s, sl, t, tl, scope, nullable);
}
SQLRETURN SQL_API SQLProcedures(SQLHSTMT h, SQLCHAR* c, SQLSMALLINT cl, SQLCHAR* s, SQLSMALLINT sl,
                                SQLCHAR* p, SQLSMALLINT pl) {
  return Procedures<Narrow>(h, c, cl, s, sl, p, pl);
}
SQLRETURN SQL_API SQLProceduresW(SQLHSTMT h, SQLWCHAR* c, SQLSMALLINT cl, SQLWCHAR* s,
                                 SQLSMALLINT sl, SQLWCHAR* p, SQLSMALLINT pl) {
  return Procedures<Wide>(h, c, cl, s, sl, p, pl);
}
SQLRETURN SQL_API SQLProcedureColumns(SQLHSTMT h, SQLCHAR* c, SQLSMALLINT cl, SQLCHAR* s,
                                      SQLSMALLINT sl, SQLCHAR* p, SQLSMALLINT pl, SQLCHAR* n,
                                      SQLSMALLINT nl) {
  return ProcedureColumns<Narrow>(h, c, cl, s, sl, p, pl, n, nl);
}
SQLRETURN SQL_API SQLProcedureColumnsW(SQLHSTMT h, SQLWCHAR* c, SQLSMALLINT cl, SQLWCHAR* s,
                                       SQLSMALLINT sl, SQLWCHAR* p, SQLSMALLINT pl, SQLWCHAR* n,
                                       SQLSMALLINT nl) {
  return ProcedureColumns<Wide>(h, c, cl, s, sl, p, pl, n, nl);
}
SQLRETURN SQL_API SQLTablePrivileges(SQLHSTMT h, SQLCHAR* c, SQLSMALLINT cl, SQLCHAR* s,
                                     SQLSMALLINT sl, SQLCHAR* t, SQLSMALLINT tl) {
  return TablePrivileges<Narrow>(h, c, cl, s, sl, t, tl);
}
SQLRETURN SQL_API SQLTablePrivilegesW(SQLHSTMT h, SQLWCHAR* c, SQLSMALLINT cl, SQLWCHAR* s,
                                      SQLSMALLINT sl, SQLWCHAR* t, SQLSMALLINT tl) {
  return TablePrivileges<Wide>(h, c, cl, s, sl, t, tl);
}
SQLRETURN SQL_API SQLColumnPrivileges(SQLHSTMT h, SQLCHAR* c, SQLSMALLINT cl, SQLCHAR* s,
                                      SQLSMALLINT sl, SQLCHAR* t, SQLSMALLINT tl, SQLCHAR* n,
                                      SQLSMALLINT nl) {
  return ColumnPrivileges<Narrow>(h, c, cl, s, sl, t, tl, n, nl);
}
SQLRETURN SQL_API SQLColumnPrivilegesW(SQLHSTMT h, SQLWCHAR* c, SQLSMALLINT cl, SQLWCHAR* s,
                                       SQLSMALLINT sl, SQLWCHAR* t, SQLSMALLINT tl, SQLWCHAR* n,
                                       SQLSMALLINT nl) {
  return ColumnPrivileges<Wide>(h, c, cl, s, sl, t, tl, n, nl);
}

}  // extern "C"

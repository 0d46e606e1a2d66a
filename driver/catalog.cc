#include "driver/catalog.h"

#include <sql.h>
#include <sqlext.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <vector>

#include "driver/error.h"

namespace lakebase::pg {

namespace {

// Catalog result columns: identifiers as varchar(128), small numbers as int2, sizes as int4.
ColumnMeta Name(const char* n, int nullable = SQL_NULLABLE) {
  return ColumnMeta{n, oid::kVarchar, 128 + 4, 0, 0, nullable};
}
ColumnMeta Small(const char* n, int nullable = SQL_NULLABLE) {
  return ColumnMeta{n, oid::kInt2, -1, 0, 0, nullable};
}
ColumnMeta Int(const char* n, int nullable = SQL_NULLABLE) {
  return ColumnMeta{n, oid::kInt4, -1, 0, 0, nullable};
}

using Params = std::vector<std::string>;

// Adds "AND <expr> LIKE/= $n" for an argument; nothing when it is absent or matches all.
void AddFilter(std::string& sql, Params& params, const std::string& expr, const CatalogArg& arg) {
  if (!arg.value) return;
  if (arg.pattern) {
    if (*arg.value == "%") return;
    params.push_back(ToLikePattern(*arg.value));
    sql += " AND " + expr + " LIKE $" + std::to_string(params.size()) + " ESCAPE '\\'";
  } else {
    params.push_back(*arg.value);
    sql += " AND " + expr + " = $" + std::to_string(params.size());
  }
}

ResultPtr Exec(Session& s, const std::string& sql, const Params& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p.c_str());
  ResultPtr r(PQexecParams(s.conn(), sql.c_str(), static_cast<int>(values.size()), nullptr,
                           values.data(), nullptr, nullptr, 0));
  if (PQstatus(s.conn()) == CONNECTION_BAD) s.MarkBroken();
  CheckResult(s.conn(), r.get());
  return r;
}

std::optional<std::string> Cell(PGresult* r, int row, int col) {
  if (PQgetisnull(r, row, col)) return std::nullopt;
  return std::string(PQgetvalue(r, row, col), PQgetlength(r, row, col));
}

int IntCell(PGresult* r, int row, int col) {
  int v = 0;
  const char* s = PQgetvalue(r, row, col);
  std::from_chars(s, s + std::strlen(s), v);
  return v;
}

std::optional<std::string> Num(long v) { return std::to_string(v); }

bool IsAll(const CatalogArg& a) { return a.value && *a.value == "%"; }
bool IsEmpty(const CatalogArg& a) { return a.value && a.value->empty(); }

}  // namespace

std::string ToLikePattern(const std::string& p) {
  // ODBC and LIKE share % and _ and we pass ESCAPE '\', so the pattern carries over as is; a
  // trailing lone backslash would make LIKE fail, so escape it.
  std::string out = p;
  if (!out.empty() && out.back() == '\\' &&
      (out.size() < 2 || out[out.size() - 2] != '\\')) {
    out.push_back('\\');
  }
  return out;
}

std::unique_ptr<ResultSet> Tables(Session& s, const CatalogArg& catalog, const CatalogArg& schema,
                                  const CatalogArg& table, const CatalogArg& types) {
  std::vector<ColumnMeta> cols = {Name("TABLE_CAT"), Name("TABLE_SCHEM"), Name("TABLE_NAME"),
                                  Name("TABLE_TYPE"), Name("REMARKS")};
  auto rs = std::make_unique<MemoryResultSet>(cols);

  // The spec's enumeration special cases (SQLTables, "Comments").
  if (IsAll(catalog) && IsEmpty(schema) && IsEmpty(table)) {
    ResultPtr r = Exec(s, "SELECT current_database()", {});
    rs->AddRow({Cell(r.get(), 0, 0), std::nullopt, std::nullopt, std::nullopt, std::nullopt});
    return rs;
  }
  if (IsAll(schema) && IsEmpty(catalog) && IsEmpty(table)) {
    ResultPtr r = Exec(s,
                       "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname !~ '^pg_temp_' "
                       "AND nspname !~ '^pg_toast' ORDER BY 1",
                       {});
    for (int i = 0; i < PQntuples(r.get()); ++i) {
      rs->AddRow({std::nullopt, Cell(r.get(), i, 0), std::nullopt, std::nullopt, std::nullopt});
    }
    return rs;
  }
  if (IsAll(types) && IsEmpty(catalog) && IsEmpty(schema) && IsEmpty(table)) {
    for (const char* t : {"FOREIGN TABLE", "LOCAL TEMPORARY", "MATERIALIZED VIEW", "SYSTEM TABLE",
                          "SYSTEM VIEW", "TABLE", "VIEW"}) {
      rs->AddRow({std::nullopt, std::nullopt, std::nullopt, std::string(t), std::nullopt});
    }
    return rs;
  }

  // A catalog other than the current database has no tables (one database per connection).
  std::string sql =
      "SELECT current_database(), n.nspname, c.relname, "
      "CASE WHEN n.nspname IN ('pg_catalog','information_schema') THEN "
      "  CASE WHEN c.relkind IN ('v','m') THEN 'SYSTEM VIEW' ELSE 'SYSTEM TABLE' END "
      "WHEN c.relpersistence = 't' THEN 'LOCAL TEMPORARY' "
      "WHEN c.relkind IN ('r','p') THEN 'TABLE' WHEN c.relkind = 'v' THEN 'VIEW' "
      "WHEN c.relkind = 'm' THEN 'MATERIALIZED VIEW' WHEN c.relkind = 'f' THEN 'FOREIGN TABLE' "
      "END AS table_type, d.description "
      "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.objsubid = 0 "
      "AND d.classoid = 'pg_catalog.pg_class'::regclass "
      "WHERE c.relkind IN ('r','v','m','f','p') AND n.nspname !~ '^pg_toast' "
      "AND (c.relpersistence <> 't' OR n.oid = pg_catalog.pg_my_temp_schema())";
  Params params;
  if (catalog.value && !catalog.value->empty() && !IsAll(catalog)) {
    params.push_back(catalog.pattern ? ToLikePattern(*catalog.value) : *catalog.value);
    sql += catalog.pattern ? " AND current_database() LIKE $1 ESCAPE '\\'"
                           : " AND current_database() = $1";
  }
  AddFilter(sql, params, "n.nspname", schema);
  AddFilter(sql, params, "c.relname", table);
  std::string outer = "SELECT * FROM (" + sql + ") t WHERE true";
  if (types.value && !types.value->empty() && *types.value != "%") {
    // "'TABLE','VIEW'" or "TABLE,VIEW": quotes optional, case-insensitive.
    std::string list;
    std::string item;
    auto flush = [&] {
      std::string t;
      for (char c : item) {
        if (c != '\'' && c != ' ' ) t.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
        else if (c == ' ' && !t.empty()) t.push_back(' ');
      }
      while (!t.empty() && t.back() == ' ') t.pop_back();
      if (!t.empty()) {
        params.push_back(t);
        if (!list.empty()) list += ",";
        list += "$" + std::to_string(params.size());
      }
      item.clear();
    };
    for (char c : *types.value) {
      if (c == ',') flush();
      else item.push_back(c);
    }
    flush();
    if (!list.empty()) outer += " AND table_type IN (" + list + ")";
  }
  outer += " ORDER BY 4, 1, 2, 3";
  ResultPtr r = Exec(s, outer, params);
  for (int i = 0; i < PQntuples(r.get()); ++i) {
    rs->AddRow({Cell(r.get(), i, 0), Cell(r.get(), i, 1), Cell(r.get(), i, 2), Cell(r.get(), i, 3),
                Cell(r.get(), i, 4)});
  }
  return rs;
}

std::unique_ptr<ResultSet> Columns(Session& s, const CatalogArg& catalog, const CatalogArg& schema,
                                   const CatalogArg& table, const CatalogArg& column,
                                   const DescribeOptions& options) {
  std::vector<ColumnMeta> cols = {
      Name("TABLE_CAT"),        Name("TABLE_SCHEM"),          Name("TABLE_NAME", SQL_NO_NULLS),
      Name("COLUMN_NAME", SQL_NO_NULLS), Small("DATA_TYPE", SQL_NO_NULLS),
      Name("TYPE_NAME", SQL_NO_NULLS),   Int("COLUMN_SIZE"),  Int("BUFFER_LENGTH"),
      Small("DECIMAL_DIGITS"),  Small("NUM_PREC_RADIX"),      Small("NULLABLE", SQL_NO_NULLS),
      Name("REMARKS"),          ColumnMeta{"COLUMN_DEF", oid::kText, -1, 0, 0, SQL_NULLABLE},
      Small("SQL_DATA_TYPE", SQL_NO_NULLS), Small("SQL_DATETIME_SUB"), Int("CHAR_OCTET_LENGTH"),
      Int("ORDINAL_POSITION", SQL_NO_NULLS), Name("IS_NULLABLE")};
  auto rs = std::make_unique<MemoryResultSet>(cols);
  if (catalog.value && !catalog.value->empty() && !IsAll(catalog)) {
    ResultPtr db = Exec(s, "SELECT current_database()", {});
    std::string current = PQgetvalue(db.get(), 0, 0);
    if (catalog.pattern ? false : *catalog.value != current) return rs;
  }
  // Domains describe as their base type; enums as text.
  std::string sql =
      "SELECT current_database(), n.nspname, c.relname, a.attname, "
      "CASE WHEN t.typtype = 'd' THEN t.typbasetype WHEN t.typtype = 'e' THEN 1043 "
      "ELSE a.atttypid END, "
      "CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END, "
      "pg_catalog.format_type(a.atttypid, a.atttypmod), "
      "CASE WHEN a.attnotnull OR (t.typtype = 'd' AND t.typnotnull) THEN 0 ELSE 1 END, "
      "d.description, pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), a.attnum, "
      "t.typname, t.typtype "
      "FROM pg_catalog.pg_attribute a "
      "JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
      "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
      "LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum "
      "LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.objsubid = a.attnum "
      "AND d.classoid = 'pg_catalog.pg_class'::regclass "
      "WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r','v','m','f','p') "
      "AND (c.relpersistence <> 't' OR n.oid = pg_catalog.pg_my_temp_schema())";
  Params params;
  AddFilter(sql, params, "n.nspname", schema);
  AddFilter(sql, params, "c.relname", table);
  AddFilter(sql, params, "a.attname", column);
  sql += " ORDER BY 2, 3, a.attnum";
  ResultPtr r = Exec(s, sql, params);
  for (int i = 0; i < PQntuples(r.get()); ++i) {
    PGresult* p = r.get();
    Oid type = static_cast<Oid>(IntCell(p, i, 4));
    int typmod = IntCell(p, i, 5);
    ColumnDescription d = Describe(type, typmod, options);
    std::string type_name(d.type_name);
    if (std::string tt = PQgetvalue(p, i, 12); tt == "e" || tt == "d") {
      type_name = PQgetvalue(p, i, 11);
    }
    bool nullable = IntCell(p, i, 7) != 0;
    // SQL_DATA_TYPE / SQL_DATETIME_SUB: the verbose type and subcode for datetime types.
    short verbose = d.sql_type;
    std::optional<std::string> sub;
    if (d.sql_type == SQL_TYPE_DATE || d.sql_type == SQL_TYPE_TIME ||
        d.sql_type == SQL_TYPE_TIMESTAMP) {
      verbose = SQL_DATETIME;
      sub = std::to_string(d.sql_type - 90);  // SQL_CODE_DATE 1, TIME 2, TIMESTAMP 3
    } else if (d.sql_type >= SQL_INTERVAL_YEAR && d.sql_type <= SQL_INTERVAL_MINUTE_TO_SECOND) {
      verbose = SQL_INTERVAL;
      sub = std::to_string(d.sql_type - 100);
    }
    bool character = d.sql_type == SQL_CHAR || d.sql_type == SQL_VARCHAR ||
                     d.sql_type == SQL_LONGVARCHAR || d.sql_type == SQL_WCHAR ||
                     d.sql_type == SQL_WVARCHAR || d.sql_type == SQL_WLONGVARCHAR ||
                     d.sql_type == SQL_BINARY || d.sql_type == SQL_VARBINARY ||
                     d.sql_type == SQL_LONGVARBINARY;
    bool numeric = d.num_prec_radix != 0;
    rs->AddRow({Cell(p, i, 0),
                Cell(p, i, 1),
                Cell(p, i, 2),
                Cell(p, i, 3),
                Num(d.sql_type),
                type_name,
                Num(static_cast<long>(d.column_size)),
                Num(d.octet_length),
                numeric || d.decimal_digits ? Num(d.decimal_digits) : std::nullopt,
                numeric ? Num(d.num_prec_radix) : std::nullopt,
                Num(nullable ? SQL_NULLABLE : SQL_NO_NULLS),
                Cell(p, i, 8),
                Cell(p, i, 9),
                Num(verbose),
                sub,
                character ? Num(d.octet_length) : std::nullopt,
                Cell(p, i, 10),
                std::string(nullable ? "YES" : "NO")});
  }
  return rs;
}

std::unique_ptr<ResultSet> TypeInfo(short sql_type, const DescribeOptions& options) {
  std::vector<ColumnMeta> cols = {
      Name("TYPE_NAME", SQL_NO_NULLS), Small("DATA_TYPE", SQL_NO_NULLS), Int("COLUMN_SIZE"),
      Name("LITERAL_PREFIX"),          Name("LITERAL_SUFFIX"),           Name("CREATE_PARAMS"),
      Small("NULLABLE", SQL_NO_NULLS), Small("CASE_SENSITIVE", SQL_NO_NULLS),
      Small("SEARCHABLE", SQL_NO_NULLS), Small("UNSIGNED_ATTRIBUTE"),
      Small("FIXED_PREC_SCALE", SQL_NO_NULLS), Small("AUTO_UNIQUE_VALUE"), Name("LOCAL_TYPE_NAME"),
      Small("MINIMUM_SCALE"), Small("MAXIMUM_SCALE"), Small("SQL_DATA_TYPE", SQL_NO_NULLS),
      Small("SQL_DATETIME_SUB"), Int("NUM_PREC_RADIX"), Small("INTERVAL_PRECISION")};
  auto rs = std::make_unique<MemoryResultSet>(cols);
  struct Entry {
    Oid oid;
    int typmod;
    const char* create_params;
    bool fixed_prec;
  };
  // One row per type the driver maps; typmod -1 means "the type's maximum".
  static const Entry kEntries[] = {
      {oid::kBool, -1, nullptr, false},        {oid::kInt2, -1, nullptr, false},
      {oid::kInt4, -1, nullptr, false},        {oid::kInt8, -1, nullptr, false},
      {oid::kNumeric, -1, "precision,scale", false}, {oid::kFloat4, -1, nullptr, false},
      {oid::kFloat8, -1, nullptr, false},      {oid::kMoney, -1, nullptr, true},
      {oid::kBpchar, -1, "max length", false}, {oid::kVarchar, -1, "max length", false},
      {oid::kText, -1, nullptr, false},        {oid::kBytea, -1, nullptr, false},
      {oid::kDate, -1, nullptr, false},        {oid::kTime, -1, nullptr, false},
      {oid::kTimestamp, -1, nullptr, false},   {oid::kTimestampTz, -1, nullptr, false},
      {oid::kInterval, -1, nullptr, false},    {oid::kUuid, -1, nullptr, false},
      {oid::kJson, -1, nullptr, false},        {oid::kJsonb, -1, nullptr, false},
      {oid::kXml, -1, nullptr, false},
  };
  struct Row {
    short data_type;
    int closeness;
    MemoryResultSet::Row row;
  };
  std::vector<Row> rows;
  int order = 0;
  for (const Entry& e : kEntries) {
    ColumnDescription d = Describe(e.oid, e.typmod, options);
    ++order;
    if (sql_type != SQL_ALL_TYPES && d.sql_type != sql_type) continue;
    short verbose = d.sql_type;
    std::optional<std::string> sub;
    if (d.sql_type == SQL_TYPE_DATE || d.sql_type == SQL_TYPE_TIME ||
        d.sql_type == SQL_TYPE_TIMESTAMP) {
      verbose = SQL_DATETIME;
      sub = std::to_string(d.sql_type - 90);
    } else if (d.sql_type >= SQL_INTERVAL_YEAR && d.sql_type <= SQL_INTERVAL_MINUTE_TO_SECOND) {
      verbose = SQL_INTERVAL;
      sub = std::to_string(d.sql_type - 100);
    }
    bool numeric = d.num_prec_radix != 0;
    auto lit = [](std::string_view v) -> std::optional<std::string> {
      if (v.empty()) return std::nullopt;
      return std::string(v);
    };
    MemoryResultSet::Row row = {
        std::string(d.type_name),
        Num(d.sql_type),
        Num(static_cast<long>(d.column_size)),
        lit(d.literal_prefix),
        lit(d.literal_suffix),
        e.create_params ? std::optional<std::string>(e.create_params) : std::nullopt,
        Num(SQL_NULLABLE),
        Num(d.case_sensitive ? SQL_TRUE : SQL_FALSE),
        Num(d.searchable ? SQL_SEARCHABLE : SQL_PRED_BASIC),
        numeric ? Num(d.is_unsigned ? SQL_TRUE : SQL_FALSE) : std::nullopt,
        Num(e.fixed_prec ? SQL_TRUE : SQL_FALSE),
        numeric ? Num(SQL_FALSE) : std::nullopt,
        std::nullopt,
        numeric ? Num(0) : std::nullopt,
        numeric ? Num(e.oid == oid::kNumeric ? 1000 : d.decimal_digits) : std::nullopt,
        Num(verbose),
        sub,
        numeric ? Num(d.num_prec_radix) : std::nullopt,
        std::nullopt};
    rows.push_back(Row{d.sql_type, order, std::move(row)});
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& a, const Row& b) { return a.data_type < b.data_type; });
  for (auto& r : rows) rs->AddRow(std::move(r.row));
  return rs;
}

}  // namespace lakebase::pg

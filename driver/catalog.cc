// Catalog functions (ODBC 3.8 "Catalog Functions"): see catalog.h for the argument rules.
#include "driver/catalog.h"

#include <sql.h>
#include <sqlext.h>
#include <sqlucode.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <map>
#include <tuple>
#include <vector>

#include "driver/error.h"

namespace lakebase::pg {

namespace {

using Cells = MemoryResultSet::Row;
using Text = std::optional<std::string>;

// Catalog result columns, typed as the spec's tables list them: identifiers as varchar(128),
// small numbers as smallint, sizes as integer.
ColumnMeta Name(const char* n, int nullable = SQL_NULLABLE) {
  return ColumnMeta{n, oid::kVarchar, 128 + 4, 0, 0, nullable};
}
ColumnMeta Small(const char* n, int nullable = SQL_NULLABLE) {
  return ColumnMeta{n, oid::kInt2, -1, 0, 0, nullable};
}
ColumnMeta Int(const char* n, int nullable = SQL_NULLABLE) {
  return ColumnMeta{n, oid::kInt4, -1, 0, 0, nullable};
}
ColumnMeta Char1(const char* n, int nullable = SQL_NULLABLE) {
  return ColumnMeta{n, oid::kBpchar, 1 + 4, 0, 0, nullable};
}
ColumnMeta LongText(const char* n, int nullable = SQL_NULLABLE) {
  return ColumnMeta{n, oid::kVarchar, 254 + 4, 0, 0, nullable};
}

// Visible relations: not another session's temporary table.
constexpr const char* kVisible =
    "(c.relpersistence <> 't' OR c.relnamespace = pg_catalog.pg_my_temp_schema())";

// A catalog query under construction: SQL text with $n parameters.
class Query {
 public:
  explicit Query(std::string sql) : sql(std::move(sql)) {}
  std::string sql;
  std::vector<std::string> params;

  std::string Param(std::string v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  }
  // "AND expr LIKE/= $n" for a name argument. Absent or "%" (as a pattern) does not restrict.
  void Name(const std::string& expr, const CatalogArg& arg) {
    if (!arg.value) return;
    if (arg.pattern) {
      if (*arg.value == "%") return;
      sql += " AND " + expr + " LIKE " + Param(ToLikePattern(*arg.value)) + " ESCAPE '\\'";
    } else {
      sql += " AND " + expr + " = " + Param(*arg.value);
    }
  }
  // A schema argument: also unrestricted when empty (see catalog.h).
  void Schema(const std::string& expr, const CatalogArg& arg) {
    if (arg.value && arg.value->empty()) return;
    Name(expr, arg);
  }
  // A catalog argument: the current database or nothing.
  void Catalog(const CatalogArg& arg) { Schema("pg_catalog.current_database()", arg); }
};

ResultPtr Exec(Session& s, const std::string& sql, const std::vector<std::string>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p.c_str());
  ResultPtr r(PQexecParams(s.conn(), sql.c_str(), static_cast<int>(values.size()), nullptr,
                           values.data(), nullptr, nullptr, 0));
  if (PQstatus(s.conn()) == CONNECTION_BAD) s.MarkBroken();
  CheckResult(s.conn(), r.get());
  return r;
}
ResultPtr Exec(Session& s, const Query& q) { return Exec(s, q.sql, q.params); }

Text Cell(PGresult* r, int row, int col) {
  if (PQgetisnull(r, row, col)) return std::nullopt;
  return std::string(PQgetvalue(r, row, col), PQgetlength(r, row, col));
}
std::string Str(PGresult* r, int row, int col) {
  return std::string(PQgetvalue(r, row, col), PQgetlength(r, row, col));
}
long long IntCell(PGresult* r, int row, int col) {
  long long v = 0;
  const char* s = PQgetvalue(r, row, col);
  std::from_chars(s, s + std::strlen(s), v);
  return v;
}
bool BoolCell(PGresult* r, int row, int col) { return PQgetvalue(r, row, col)[0] == 't'; }
Text Num(long long v) { return std::to_string(v); }

bool IsAll(const CatalogArg& a) { return a.value && *a.value == "%"; }
bool IsEmpty(const CatalogArg& a) { return a.value && a.value->empty(); }

// ---- type description shared by SQLColumns, SQLSpecialColumns, SQLProcedureColumns ----------

// The four type columns a query selects for a pg_type alias `t` (with `bt` its domain base type,
// LEFT JOINed): the type's OID, the OID and typmod the driver describes (domains as their base
// type, enums as varchar), and the type's name.
std::string TypeColumns(const std::string& t, const std::string& bt, const std::string& typmod) {
  return t + ".oid, CASE WHEN " + t + ".typtype = 'd' THEN CASE WHEN " + bt +
         ".typtype = 'e' THEN 1043 ELSE " + t + ".typbasetype END WHEN " + t +
         ".typtype = 'e' THEN 1043 ELSE " + t + ".oid END, CASE WHEN " + t +
         ".typtype = 'd' THEN " + t + ".typtypmod ELSE " + typmod + " END, " + t + ".typname";
}
std::string TypeJoins(const std::string& t, const std::string& bt, const std::string& type_oid) {
  return " JOIN pg_catalog.pg_type " + t + " ON " + t + ".oid = " + type_oid +
         " LEFT JOIN pg_catalog.pg_type " + bt + " ON " + bt + ".oid = " + t + ".typbasetype";
}

// SQL_DATA_TYPE and SQL_DATETIME_SUB for a concise type (SQLColumns, SQLGetTypeInfo "Comments").
void Verbose(short concise, short& verbose, Text& sub) {
  verbose = concise;
  sub.reset();
  if (concise == SQL_TYPE_DATE || concise == SQL_TYPE_TIME || concise == SQL_TYPE_TIMESTAMP) {
    verbose = SQL_DATETIME;
    sub = std::to_string(concise - SQL_TYPE_DATE + SQL_CODE_DATE);
  } else if (concise >= SQL_INTERVAL_YEAR && concise <= SQL_INTERVAL_MINUTE_TO_SECOND) {
    verbose = SQL_INTERVAL;
    sub = std::to_string(concise - 100);
  }
}

// DECIMAL_DIGITS applies to exact numerics and to types with fractional seconds (appendix D,
// "Decimal Digits"); it is NULL for the rest, floats included.
bool HasDecimalDigits(short t) {
  switch (t) {
    case SQL_SMALLINT:
    case SQL_INTEGER:
    case SQL_BIGINT:
    case SQL_TINYINT:
    case SQL_NUMERIC:
    case SQL_DECIMAL:
    case SQL_TYPE_TIME:
    case SQL_TYPE_TIMESTAMP:
    case SQL_INTERVAL_SECOND:
    case SQL_INTERVAL_DAY_TO_SECOND:
    case SQL_INTERVAL_HOUR_TO_SECOND:
    case SQL_INTERVAL_MINUTE_TO_SECOND:
      return true;
    default:
      return false;
  }
}

bool IsCharOrBinary(short t) {
  switch (t) {
    case SQL_CHAR:
    case SQL_VARCHAR:
    case SQL_LONGVARCHAR:
    case SQL_WCHAR:
    case SQL_WVARCHAR:
    case SQL_WLONGVARCHAR:
    case SQL_BINARY:
    case SQL_VARBINARY:
    case SQL_LONGVARBINARY:
      return true;
    default:
      return false;
  }
}

struct TypeCells {
  short data_type = 0;
  std::string type_name;
  Text column_size, buffer_length, decimal_digits, radix;
  short sql_data_type = 0;
  Text datetime_sub, char_octet_length;
  bool numeric = false;
};

TypeCells DescribeCells(Oid raw, Oid effective, int typmod, const std::string& typname,
                        const DescribeOptions& o) {
  ColumnDescription d = Describe(effective, typmod, o);
  TypeCells c;
  c.data_type = d.sql_type;
  // A registered built-in type by the name the driver gives it elsewhere (SQL_DESC_TYPE_NAME);
  // enums, domains, arrays and extension types by their own name.
  c.type_name = FindType(raw) ? std::string(d.type_name) : typname;
  c.column_size = Num(static_cast<long long>(d.column_size));
  c.buffer_length = Num(d.octet_length);
  c.numeric = d.num_prec_radix != 0;
  if (HasDecimalDigits(d.sql_type)) c.decimal_digits = Num(d.decimal_digits);
  if (c.numeric) c.radix = Num(d.num_prec_radix);
  Verbose(d.sql_type, c.sql_data_type, c.datetime_sub);
  if (IsCharOrBinary(d.sql_type)) c.char_octet_length = Num(d.octet_length);
  return c;
}

TypeCells DescribeCells(PGresult* r, int row, int first_col, const DescribeOptions& o) {
  return DescribeCells(static_cast<Oid>(IntCell(r, row, first_col)),
                       static_cast<Oid>(IntCell(r, row, first_col + 1)),
                       static_cast<int>(IntCell(r, row, first_col + 2)), Str(r, row, first_col + 3),
                       o);
}

}  // namespace

std::string ToLikePattern(const std::string& p) {
  // ODBC search patterns and LIKE share % and _, and we pass ESCAPE '\', so the pattern carries
  // over as is; a trailing lone backslash would make LIKE fail, so it matches a backslash.
  size_t trailing = 0;
  while (trailing < p.size() && p[p.size() - 1 - trailing] == '\\') ++trailing;
  std::string out = p;
  if (trailing % 2 == 1) out.push_back('\\');
  return out;
}

std::string ColumnDefault(const std::string& expr, bool numeric) {
  // 'literal'::type (or ::type(n), ::type[]) -> 'literal'; a quoted number for a numeric column
  // -> the number (PostgreSQL stores DEFAULT -1 as '-1'::integer).
  if (expr.size() < 2 || expr[0] != '\'') return expr;
  size_t i = 1;
  for (; i < expr.size(); ++i) {
    if (expr[i] == '\'') {
      if (i + 1 < expr.size() && expr[i + 1] == '\'') {
        ++i;
        continue;
      }
      break;
    }
  }
  if (i >= expr.size()) return expr;
  std::string literal = expr.substr(0, i + 1);
  std::string rest = expr.substr(i + 1);
  if (!rest.empty()) {
    if (rest.rfind("::", 0) != 0) return expr;
    // Only a plain cast may follow: no operators, calls or further literals.
    for (char c : rest.substr(2)) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == ' ' || c == '_' || c == '"' ||
            c == '.' || c == '(' || c == ')' || c == ',' || c == '[' || c == ']')) {
        return expr;
      }
    }
  }
  if (numeric) {
    std::string inner = literal.substr(1, literal.size() - 2);
    bool number = !inner.empty();
    for (char c : inner) {
      if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == '.' ||
            c == 'e' || c == 'E')) {
        number = false;
      }
    }
    if (number) return inner;
  }
  return literal;
}

// ---- SQLTables --------------------------------------------------------------------------------

std::unique_ptr<ResultSet> Tables(Session& s, const CatalogArg& catalog, const CatalogArg& schema,
                                  const CatalogArg& table, const CatalogArg& types) {
  auto rs = std::make_unique<MemoryResultSet>(
      std::vector<ColumnMeta>{Name("TABLE_CAT"), Name("TABLE_SCHEM"), Name("TABLE_NAME"),
                              Name("TABLE_TYPE"), Name("REMARKS")});

  // The enumeration special cases (SQLTables, "Comments"): SQL_ALL_CATALOGS, SQL_ALL_SCHEMAS and
  // SQL_ALL_TABLE_TYPES with the other name arguments empty strings.
  if (IsAll(catalog) && IsEmpty(schema) && IsEmpty(table)) {
    ResultPtr r = Exec(s, "SELECT pg_catalog.current_database()", {});
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

  Query q(
      "SELECT * FROM (SELECT pg_catalog.current_database() AS cat, n.nspname, c.relname, "
      "CASE WHEN n.nspname IN ('pg_catalog','information_schema') THEN "
      "  CASE WHEN c.relkind IN ('v','m') THEN 'SYSTEM VIEW' ELSE 'SYSTEM TABLE' END "
      "WHEN c.relpersistence = 't' THEN 'LOCAL TEMPORARY' "
      "WHEN c.relkind IN ('r','p') THEN 'TABLE' WHEN c.relkind = 'v' THEN 'VIEW' "
      "WHEN c.relkind = 'm' THEN 'MATERIALIZED VIEW' WHEN c.relkind = 'f' THEN 'FOREIGN TABLE' "
      "END AS table_type, d.description "
      "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.objsubid = 0 "
      "AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass "
      "WHERE c.relkind IN ('r','v','m','f','p') AND n.nspname !~ '^pg_toast' AND " +
      std::string(kVisible));
  // SQLTables' CatalogName is a pattern value; SQL_ALL_CATALOGS with other arguments set is
  // simply the pattern "%".
  q.Catalog(catalog);
  q.Schema("n.nspname", schema);
  q.Name("c.relname", table);
  q.sql += ") t WHERE true";
  if (types.value && !types.value->empty() && *types.value != "%") {
    // A comma-separated list, each value with or without single quotes, case-insensitive
    // ("'TABLE','VIEW'" or "TABLE, VIEW").
    std::string list;
    auto flush = [&](std::string item) {
      auto not_space = [](unsigned char c) { return !std::isspace(c); };
      item.erase(item.begin(), std::find_if(item.begin(), item.end(), not_space));
      item.erase(std::find_if(item.rbegin(), item.rend(), not_space).base(), item.end());
      if (item.size() >= 2 && item.front() == '\'' && item.back() == '\'') {
        item = item.substr(1, item.size() - 2);
      }
      if (item.empty()) return;
      std::transform(item.begin(), item.end(), item.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      list += (list.empty() ? "" : ",") + q.Param(item);
    };
    std::string item;
    for (char c : *types.value) {
      if (c == ',') {
        flush(item);
        item.clear();
      } else {
        item.push_back(c);
      }
    }
    flush(item);
    if (!list.empty()) q.sql += " AND table_type IN (" + list + ")";
  }
  q.sql += " ORDER BY 4, 1, 2, 3";  // TABLE_TYPE, TABLE_CAT, TABLE_SCHEM, TABLE_NAME
  ResultPtr r = Exec(s, q);
  for (int i = 0; i < PQntuples(r.get()); ++i) {
    rs->AddRow({Cell(r.get(), i, 0), Cell(r.get(), i, 1), Cell(r.get(), i, 2), Cell(r.get(), i, 3),
                Cell(r.get(), i, 4)});
  }
  return rs;
}

// ---- SQLColumns -------------------------------------------------------------------------------

std::unique_ptr<ResultSet> Columns(Session& s, const CatalogArg& catalog, const CatalogArg& schema,
                                   const CatalogArg& table, const CatalogArg& column,
                                   const DescribeOptions& options) {
  auto rs = std::make_unique<MemoryResultSet>(std::vector<ColumnMeta>{
      Name("TABLE_CAT"), Name("TABLE_SCHEM"), Name("TABLE_NAME", SQL_NO_NULLS),
      Name("COLUMN_NAME", SQL_NO_NULLS), Small("DATA_TYPE", SQL_NO_NULLS),
      Name("TYPE_NAME", SQL_NO_NULLS), Int("COLUMN_SIZE"), Int("BUFFER_LENGTH"),
      Small("DECIMAL_DIGITS"), Small("NUM_PREC_RADIX"), Small("NULLABLE", SQL_NO_NULLS),
      Name("REMARKS"), LongText("COLUMN_DEF"), Small("SQL_DATA_TYPE", SQL_NO_NULLS),
      Small("SQL_DATETIME_SUB"), Int("CHAR_OCTET_LENGTH"), Int("ORDINAL_POSITION", SQL_NO_NULLS),
      Name("IS_NULLABLE")});
  // ORDINAL_POSITION counts the table's live columns (attnum has gaps where columns were
  // dropped), so it is numbered before the column-name filter applies.
  Query q("SELECT * FROM (SELECT pg_catalog.current_database(), n.nspname, c.relname, a.attname, " +
          TypeColumns("t", "bt", "a.atttypmod") +
          ", CASE WHEN a.attnotnull OR (t.typtype = 'd' AND t.typnotnull) THEN 0 ELSE 1 END, "
          "d.description, CASE WHEN a.attgenerated = '' THEN "
          "pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END, "
          "pg_catalog.row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum) AS ordinal, "
          "a.attnum FROM pg_catalog.pg_attribute a "
          "JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
          "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace" +
          TypeJoins("t", "bt", "a.atttypid") +
          " LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum "
          "LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.objsubid = a.attnum "
          "AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass "
          "WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r','v','m','f','p') AND " +
          std::string(kVisible));
  q.Catalog(catalog);
  q.Schema("n.nspname", schema);
  q.Name("c.relname", table);
  q.sql += ") x WHERE true";
  q.Name("x.attname", column);
  q.sql += " ORDER BY 2, 3, x.attnum";  // TABLE_CAT, TABLE_SCHEM, TABLE_NAME, ORDINAL_POSITION
  ResultPtr r = Exec(s, q);
  PGresult* p = r.get();
  for (int i = 0; i < PQntuples(p); ++i) {
    TypeCells t = DescribeCells(p, i, 4, options);
    bool nullable = IntCell(p, i, 8) != 0;
    Text def = Cell(p, i, 10);
    if (def) def = ColumnDefault(*def, t.numeric);
    rs->AddRow({Cell(p, i, 0), Cell(p, i, 1), Cell(p, i, 2), Cell(p, i, 3), Num(t.data_type),
                t.type_name, t.column_size, t.buffer_length, t.decimal_digits, t.radix,
                Num(nullable ? SQL_NULLABLE : SQL_NO_NULLS), Cell(p, i, 9), def,
                Num(t.sql_data_type), t.datetime_sub, t.char_octet_length, Cell(p, i, 11),
                std::string(nullable ? "YES" : "NO")});
  }
  return rs;
}

// ---- SQLGetTypeInfo ---------------------------------------------------------------------------

std::unique_ptr<ResultSet> TypeInfo(short sql_type, const DescribeOptions& options) {
  auto rs = std::make_unique<MemoryResultSet>(std::vector<ColumnMeta>{
      Name("TYPE_NAME", SQL_NO_NULLS), Small("DATA_TYPE", SQL_NO_NULLS), Int("COLUMN_SIZE"),
      Name("LITERAL_PREFIX"), Name("LITERAL_SUFFIX"), Name("CREATE_PARAMS"),
      Small("NULLABLE", SQL_NO_NULLS), Small("CASE_SENSITIVE", SQL_NO_NULLS),
      Small("SEARCHABLE", SQL_NO_NULLS), Small("UNSIGNED_ATTRIBUTE"),
      Small("FIXED_PREC_SCALE", SQL_NO_NULLS), Small("AUTO_UNIQUE_VALUE"), Name("LOCAL_TYPE_NAME"),
      Small("MINIMUM_SCALE"), Small("MAXIMUM_SCALE"), Small("SQL_DATA_TYPE", SQL_NO_NULLS),
      Small("SQL_DATETIME_SUB"), Int("NUM_PREC_RADIX"), Small("INTERVAL_PRECISION")});
  struct Entry {
    Oid oid;
    const char* create_params;
    int searchable;  // SQL_SEARCHABLE, SQL_PRED_BASIC (all but LIKE), SQL_PRED_NONE
  };
  // One row per user-facing built-in type; within one DATA_TYPE the closest mapping comes first
  // (varchar before the other types that describe as varchar, text before json and xml), so an
  // application taking the first row for a SQL type gets the natural PostgreSQL type.
  static const Entry kEntries[] = {
      {oid::kBool, nullptr, SQL_PRED_BASIC},
      {oid::kInt2, nullptr, SQL_PRED_BASIC},
      {oid::kInt4, nullptr, SQL_PRED_BASIC},
      {oid::kInt8, nullptr, SQL_PRED_BASIC},
      {oid::kOid, nullptr, SQL_PRED_BASIC},
      {oid::kNumeric, "precision,scale", SQL_PRED_BASIC},
      {oid::kMoney, nullptr, SQL_PRED_BASIC},
      {oid::kFloat4, nullptr, SQL_PRED_BASIC},
      {oid::kFloat8, nullptr, SQL_PRED_BASIC},
      {oid::kBpchar, "max length", SQL_SEARCHABLE},
      {oid::kVarchar, "max length", SQL_SEARCHABLE},
      {oid::kText, nullptr, SQL_SEARCHABLE},
      {oid::kJsonb, nullptr, SQL_PRED_BASIC},
      {oid::kJson, nullptr, SQL_PRED_NONE},  // json has no equality operator
      {oid::kXml, nullptr, SQL_PRED_NONE},
      {oid::kInterval, nullptr, SQL_PRED_BASIC},
      {oid::kInet, nullptr, SQL_PRED_BASIC},
      {oid::kCidr, nullptr, SQL_PRED_BASIC},
      {oid::kMacaddr, nullptr, SQL_PRED_BASIC},
      {oid::kBit, "length", SQL_PRED_BASIC},
      {oid::kVarbit, "max length", SQL_PRED_BASIC},
      {oid::kBytea, nullptr, SQL_SEARCHABLE},
      {oid::kDate, nullptr, SQL_PRED_BASIC},
      {oid::kTime, "precision", SQL_PRED_BASIC},
      {oid::kTimeTz, "precision", SQL_PRED_BASIC},
      {oid::kTimestamp, "precision", SQL_PRED_BASIC},
      {oid::kTimestampTz, "precision", SQL_PRED_BASIC},
      {oid::kUuid, nullptr, SQL_PRED_BASIC},
  };
  struct Row {
    short data_type;
    Cells cells;
  };
  std::vector<Row> rows;
  for (const Entry& e : kEntries) {
    ColumnDescription d = Describe(e.oid, -1, options);
    if (sql_type != SQL_ALL_TYPES && d.sql_type != sql_type) continue;
    short verbose;
    Text sub;
    Verbose(d.sql_type, verbose, sub);
    bool numeric = d.num_prec_radix != 0;
    auto lit = [](std::string_view v) -> Text {
      if (v.empty()) return std::nullopt;
      return std::string(v);
    };
    // COLUMN_SIZE is the largest the server supports: numeric holds 1000 digits.
    long long size = e.oid == oid::kNumeric ? 1000 : static_cast<long long>(d.column_size);
    Text min_scale, max_scale;
    if (e.oid == oid::kNumeric) {
      min_scale = Num(0), max_scale = Num(1000);
    } else if (HasDecimalDigits(d.sql_type)) {
      min_scale = Num(d.sql_type == SQL_DECIMAL ? d.decimal_digits : 0);
      max_scale = Num(d.decimal_digits);
    }
    bool interval = d.sql_type >= SQL_INTERVAL_YEAR && d.sql_type <= SQL_INTERVAL_MINUTE_TO_SECOND;
    Cells cells = {
        std::string(d.type_name),
        Num(d.sql_type),
        Num(size),
        lit(d.literal_prefix),
        lit(d.literal_suffix),
        e.create_params ? Text(e.create_params) : std::nullopt,
        Num(SQL_NULLABLE),
        Num(d.case_sensitive ? SQL_TRUE : SQL_FALSE),
        Num(options.bools_as_char && e.oid == oid::kBool ? SQL_PRED_BASIC : e.searchable),
        numeric ? Num(d.is_unsigned ? SQL_TRUE : SQL_FALSE) : std::nullopt,
        Num(e.oid == oid::kMoney ? SQL_TRUE : SQL_FALSE),
        numeric ? Num(SQL_FALSE) : std::nullopt,
        std::nullopt,
        min_scale,
        max_scale,
        Num(verbose),
        sub,
        numeric ? Num(d.num_prec_radix) : std::nullopt,
        interval ? Num(9) : std::nullopt};
    rows.push_back(Row{d.sql_type, std::move(cells)});
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& a, const Row& b) { return a.data_type < b.data_type; });
  for (auto& r : rows) rs->AddRow(std::move(r.cells));
  return rs;
}

// ---- SQLPrimaryKeys ---------------------------------------------------------------------------

std::unique_ptr<ResultSet> PrimaryKeys(Session& s, const CatalogArg& catalog,
                                       const CatalogArg& schema, const CatalogArg& table) {
  auto rs = std::make_unique<MemoryResultSet>(std::vector<ColumnMeta>{
      Name("TABLE_CAT"), Name("TABLE_SCHEM"), Name("TABLE_NAME", SQL_NO_NULLS),
      Name("COLUMN_NAME", SQL_NO_NULLS), Small("KEY_SEQ", SQL_NO_NULLS), Name("PK_NAME")});
  Query q(
      "SELECT pg_catalog.current_database(), n.nspname, c.relname, a.attname, k.ord, "
      "con.conname FROM pg_catalog.pg_constraint con "
      "JOIN pg_catalog.pg_class c ON c.oid = con.conrelid "
      "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "CROSS JOIN LATERAL pg_catalog.unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord) "
      "JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum "
      "WHERE con.contype = 'p' AND " +
      std::string(kVisible));
  q.Catalog(catalog);
  q.Schema("n.nspname", schema);
  q.Name("c.relname", table);
  q.sql += " ORDER BY 2, 3, 5";  // TABLE_CAT, TABLE_SCHEM, TABLE_NAME, KEY_SEQ
  ResultPtr r = Exec(s, q);
  for (int i = 0; i < PQntuples(r.get()); ++i) {
    rs->AddRow({Cell(r.get(), i, 0), Cell(r.get(), i, 1), Cell(r.get(), i, 2), Cell(r.get(), i, 3),
                Cell(r.get(), i, 4), Cell(r.get(), i, 5)});
  }
  return rs;
}

// ---- SQLForeignKeys ---------------------------------------------------------------------------

namespace {

// pg_constraint.confupdtype / confdeltype -> SQL_CASCADE ... (SQLForeignKeys, UPDATE_RULE).
// PostgreSQL's NO ACTION checks at the end of the statement (or transaction when deferred), which
// is SQL_NO_ACTION; RESTRICT checks immediately, SQL_RESTRICT.
Text Rule(char c) {
  switch (c) {
    case 'c':
      return Num(SQL_CASCADE);
    case 'r':
      return Num(SQL_RESTRICT);
    case 'n':
      return Num(SQL_SET_NULL);
    case 'd':
      return Num(SQL_SET_DEFAULT);
    case 'a':
      return Num(SQL_NO_ACTION);
    default:
      return std::nullopt;
  }
}

}  // namespace

std::unique_ptr<ResultSet> ForeignKeys(Session& s, const CatalogArg& pk_catalog,
                                       const CatalogArg& pk_schema, const CatalogArg& pk_table,
                                       const CatalogArg& fk_catalog, const CatalogArg& fk_schema,
                                       const CatalogArg& fk_table) {
  auto rs = std::make_unique<MemoryResultSet>(std::vector<ColumnMeta>{
      Name("PKTABLE_CAT"), Name("PKTABLE_SCHEM"), Name("PKTABLE_NAME", SQL_NO_NULLS),
      Name("PKCOLUMN_NAME", SQL_NO_NULLS), Name("FKTABLE_CAT"), Name("FKTABLE_SCHEM"),
      Name("FKTABLE_NAME", SQL_NO_NULLS), Name("FKCOLUMN_NAME", SQL_NO_NULLS),
      Small("KEY_SEQ", SQL_NO_NULLS), Small("UPDATE_RULE"), Small("DELETE_RULE"), Name("FK_NAME"),
      Name("PK_NAME"), Small("DEFERRABILITY")});
  // The referenced key's name: the primary key or unique constraint that owns the index the
  // foreign key depends on, else that unique index's name. Constraints PostgreSQL clones onto
  // partitions (conparentid set) are the parent's key and are not listed again.
  Query q(
      "SELECT pg_catalog.current_database(), pn.nspname, pc.relname, pa.attname, "
      "pg_catalog.current_database(), fn.nspname, fc.relname, fa.attname, k.ord, "
      "con.confupdtype, con.confdeltype, con.conname, COALESCE(("
      "  SELECT u.conname FROM pg_catalog.pg_constraint u WHERE u.conindid = con.conindid "
      "  AND u.conrelid = con.confrelid AND u.contype IN ('p','u') LIMIT 1), ic.relname), "
      "con.condeferrable, con.condeferred "
      "FROM pg_catalog.pg_constraint con "
      "JOIN pg_catalog.pg_class fc ON fc.oid = con.conrelid "
      "JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace "
      "JOIN pg_catalog.pg_class pc ON pc.oid = con.confrelid "
      "JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace "
      "CROSS JOIN LATERAL ROWS FROM (pg_catalog.unnest(con.conkey), "
      "  pg_catalog.unnest(con.confkey)) WITH ORDINALITY AS k(fk, pk, ord) "
      "JOIN pg_catalog.pg_attribute fa ON fa.attrelid = fc.oid AND fa.attnum = k.fk "
      "JOIN pg_catalog.pg_attribute pa ON pa.attrelid = pc.oid AND pa.attnum = k.pk "
      "LEFT JOIN pg_catalog.pg_class ic ON ic.oid = con.conindid "
      "WHERE con.contype = 'f' AND con.conparentid = 0 "
      "AND (fc.relpersistence <> 't' OR fc.relnamespace = pg_catalog.pg_my_temp_schema())");
  q.Catalog(pk_catalog);
  q.Schema("pn.nspname", pk_schema);
  q.Name("pc.relname", pk_table);
  q.Catalog(fk_catalog);
  q.Schema("fn.nspname", fk_schema);
  q.Name("fc.relname", fk_table);
  // Spec order: by the foreign-key table when the primary-key table was given (the keys that
  // refer to it), by the primary-key table when only the foreign-key table was given.
  if (pk_table.value) {
    q.sql += " ORDER BY 5, 6, 7, 9, 12";
  } else {
    q.sql += " ORDER BY 1, 2, 3, 9, 12";
  }
  ResultPtr r = Exec(s, q);
  PGresult* p = r.get();
  for (int i = 0; i < PQntuples(p); ++i) {
    bool deferrable = BoolCell(p, i, 13), deferred = BoolCell(p, i, 14);
    rs->AddRow({Cell(p, i, 0), Cell(p, i, 1), Cell(p, i, 2), Cell(p, i, 3), Cell(p, i, 4),
                Cell(p, i, 5), Cell(p, i, 6), Cell(p, i, 7), Cell(p, i, 8),
                Rule(PQgetvalue(p, i, 9)[0]), Rule(PQgetvalue(p, i, 10)[0]), Cell(p, i, 11),
                Cell(p, i, 12),
                Num(!deferrable ? SQL_NOT_DEFERRABLE
                    : deferred  ? SQL_INITIALLY_DEFERRED
                                : SQL_INITIALLY_IMMEDIATE)});
  }
  return rs;
}

// ---- SQLStatistics ----------------------------------------------------------------------------

std::unique_ptr<ResultSet> Statistics(Session& s, const CatalogArg& catalog,
                                      const CatalogArg& schema, const CatalogArg& table, int unique,
                                      int accuracy) {
  auto rs = std::make_unique<MemoryResultSet>(std::vector<ColumnMeta>{
      Name("TABLE_CAT"), Name("TABLE_SCHEM"), Name("TABLE_NAME", SQL_NO_NULLS), Small("NON_UNIQUE"),
      Name("INDEX_QUALIFIER"), Name("INDEX_NAME"), Small("TYPE", SQL_NO_NULLS),
      Small("ORDINAL_POSITION"), Name("COLUMN_NAME"), Char1("ASC_OR_DESC"), Int("CARDINALITY"),
      Int("PAGES"), LongText("FILTER_CONDITION")});
  const bool ensure = accuracy == SQL_ENSURE;
  // The tables. SQL_QUICK: pg_class's reltuples/relpages as the last VACUUM/ANALYZE left them
  // (reltuples -1: never analyzed, so unknown and NULL). SQL_ENSURE: the current size on disk
  // here and count(*) below.
  Query q(
      "SELECT pg_catalog.current_database(), n.nspname, c.relname, c.oid, c.relkind, "
      "c.reltuples::int8, c.relpages, pg_catalog.pg_relation_size(c.oid) / "
      "pg_catalog.current_setting('block_size')::int8, "
      "pg_catalog.has_table_privilege(c.oid, 'SELECT') "
      "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "WHERE c.relkind IN ('r','v','m','f','p') AND " +
      std::string(kVisible));
  q.Catalog(catalog);
  q.Schema("n.nspname", schema);
  q.Name("c.relname", table);
  q.sql += " ORDER BY 2, 3";
  ResultPtr tables = Exec(s, q);
  PGresult* t = tables.get();
  if (PQntuples(t) == 0) return rs;

  std::string oids = "{";
  for (int i = 0; i < PQntuples(t); ++i) oids += (i ? "," : "") + Str(t, i, 3);
  oids += "}";
  // Key columns of valid indexes (INCLUDE columns are not part of the key); an expression column
  // is named by its expression (SQLStatistics, COLUMN_NAME). ASC_OR_DESC is NULL where the
  // access method has no order (hash, gin ...).
  Query iq(
      "SELECT i.indrelid, ni.nspname, ic.relname, i.indisunique, am.amname, i.indisclustered, "
      "k.ord, CASE WHEN k.attnum = 0 THEN "
      "pg_catalog.pg_get_indexdef(i.indexrelid, k.ord::int4, true) ELSE a.attname END, "
      "CASE WHEN pg_catalog.pg_index_column_has_property(i.indexrelid, k.ord::int4, 'desc') "
      "THEN 'D' WHEN pg_catalog.pg_index_column_has_property(i.indexrelid, k.ord::int4, 'asc') "
      "THEN 'A' END, ic.reltuples::int8, ic.relpages, "
      "pg_catalog.pg_relation_size(ic.oid) / pg_catalog.current_setting('block_size')::int8, "
      "pg_catalog.pg_get_expr(i.indpred, i.indrelid) "
      "FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
      "JOIN pg_catalog.pg_namespace ni ON ni.oid = ic.relnamespace "
      "JOIN pg_catalog.pg_am am ON am.oid = ic.relam "
      "CROSS JOIN LATERAL pg_catalog.unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) "
      "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
      "WHERE i.indisvalid AND k.ord <= i.indnkeyatts");
  iq.sql += " AND i.indrelid = ANY(" + iq.Param(oids) + "::oid[])";
  if (unique == SQL_INDEX_UNIQUE) iq.sql += " AND i.indisunique";
  ResultPtr indexes = Exec(s, iq);
  PGresult* x = indexes.get();

  struct IndexRow {
    int non_unique;
    int type;
    std::string qualifier, name;
    long long ordinal;
    Cells cells;
  };
  for (int ti = 0; ti < PQntuples(t); ++ti) {
    const std::string rel_oid = Str(t, ti, 3);
    const char relkind = PQgetvalue(t, ti, 4)[0];
    const bool has_storage = relkind == 'r' || relkind == 'm';
    Text cardinality, pages;
    if (ensure && has_storage) {
      pages = Cell(t, ti, 7);
      if (BoolCell(t, ti, 8)) {
        // The name comes from pg_class (not from the application) and is quoted by libpq.
        std::string sch = Str(t, ti, 1), rel = Str(t, ti, 2);
        std::unique_ptr<char, void (*)(void*)> qs(
            PQescapeIdentifier(s.conn(), sch.c_str(), sch.size()), PQfreemem);
        std::unique_ptr<char, void (*)(void*)> qr(
            PQescapeIdentifier(s.conn(), rel.c_str(), rel.size()), PQfreemem);
        if (qs && qr) {
          ResultPtr n =
              Exec(s, std::string("SELECT count(*) FROM ") + qs.get() + "." + qr.get(), {});
          cardinality = Cell(n.get(), 0, 0);
        }
      }
    } else if (relkind != 'v' && IntCell(t, ti, 5) >= 0) {
      cardinality = Cell(t, ti, 5);
      pages = Cell(t, ti, 6);
    }
    // The SQL_TABLE_STAT row comes first (its NON_UNIQUE is NULL).
    rs->AddRow({Cell(t, ti, 0), Cell(t, ti, 1), Cell(t, ti, 2), std::nullopt, std::nullopt,
                std::nullopt, Num(SQL_TABLE_STAT), std::nullopt, std::nullopt, std::nullopt,
                cardinality, pages, std::nullopt});
    std::vector<IndexRow> rows;
    for (int i = 0; i < PQntuples(x); ++i) {
      if (Str(x, i, 0) != rel_oid) continue;
      bool is_unique = BoolCell(x, i, 3);
      std::string am = Str(x, i, 4);
      int type = BoolCell(x, i, 5) ? SQL_INDEX_CLUSTERED
                 : am == "hash"    ? SQL_INDEX_HASHED
                                   : SQL_INDEX_OTHER;
      // CARDINALITY of an index: its number of unique values, known for a unique index (one
      // per row); PAGES: the index's pages.
      Text icard, ipages;
      if (is_unique) icard = cardinality;
      if (ensure) {
        ipages = Cell(x, i, 11);
      } else if (IntCell(x, i, 9) >= 0) {
        ipages = Cell(x, i, 10);
      }
      IndexRow row{is_unique ? 0 : 1, type, Str(x, i, 1), Str(x, i, 2), IntCell(x, i, 6), {}};
      row.cells = {Cell(t, ti, 0), Cell(t, ti, 1), Cell(t, ti, 2), Num(row.non_unique),
                   row.qualifier,  row.name,       Num(type),      Num(row.ordinal),
                   Cell(x, i, 7),  Cell(x, i, 8),  icard,          ipages,
                   Cell(x, i, 12)};
      rows.push_back(std::move(row));
    }
    // Spec order: NON_UNIQUE, TYPE, INDEX_QUALIFIER, INDEX_NAME, ORDINAL_POSITION.
    std::sort(rows.begin(), rows.end(), [](const IndexRow& a, const IndexRow& b) {
      return std::tie(a.non_unique, a.type, a.qualifier, a.name, a.ordinal) <
             std::tie(b.non_unique, b.type, b.qualifier, b.name, b.ordinal);
    });
    for (auto& r : rows) rs->AddRow(std::move(r.cells));
  }
  return rs;
}

// ---- SQLSpecialColumns ------------------------------------------------------------------------

std::unique_ptr<ResultSet> SpecialColumns(Session& s, int identifier_type,
                                          const CatalogArg& catalog, const CatalogArg& schema,
                                          const CatalogArg& table, int scope, int nullable,
                                          const DescribeOptions& options) {
  auto rs = std::make_unique<MemoryResultSet>(std::vector<ColumnMeta>{
      Small("SCOPE"), Name("COLUMN_NAME", SQL_NO_NULLS), Small("DATA_TYPE", SQL_NO_NULLS),
      Name("TYPE_NAME", SQL_NO_NULLS), Int("COLUMN_SIZE"), Int("BUFFER_LENGTH"),
      Small("DECIMAL_DIGITS"), Small("PSEUDO_COLUMN")});
  Query q(
      "SELECT c.oid, c.relkind FROM pg_catalog.pg_class c "
      "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "WHERE c.relkind IN ('r','v','m','f','p') AND " +
      std::string(kVisible));
  q.Catalog(catalog);
  q.Schema("n.nspname", schema);
  q.Name("c.relname", table);
  q.sql += " ORDER BY n.nspname, c.relname";
  ResultPtr tables = Exec(s, q);
  auto add = [&](Text scope_cell, const std::string& name, const TypeCells& t, int pseudo) {
    rs->AddRow({std::move(scope_cell), name, Num(t.data_type), t.type_name, t.column_size,
                t.buffer_length, t.decimal_digits, Num(pseudo)});
  };
  for (int ti = 0; ti < PQntuples(tables.get()); ++ti) {
    const std::string rel_oid = Str(tables.get(), ti, 0);
    const char relkind = PQgetvalue(tables.get(), ti, 1)[0];
    if (identifier_type == SQL_ROWVER) {
      // xmin changes whenever any value of the row is updated (SCOPE is NULL for SQL_ROWVER).
      if (relkind == 'r' || relkind == 'm' || relkind == 'p') {
        add(std::nullopt, "xmin", DescribeCells(oid::kXid, oid::kXid, -1, "xid", options),
            SQL_PC_PSEUDO);
      }
      continue;
    }
    // SQL_BEST_ROWID: the primary key; else a unique, immediate, non-partial index on plain
    // columns that are all NOT NULL (or NULLS NOT DISTINCT), the narrowest first; with
    // SQL_NULLABLE also one whose columns may be NULL. These identify a row for the session.
    Query iq(
        "SELECT i.indexrelid, i.indisprimary, "
        "i.indnullsnotdistinct OR pg_catalog.bool_and(a.attnotnull) OVER w, a.attname, " +
        TypeColumns("t", "bt", "a.atttypmod") +
        " FROM pg_catalog.pg_index i "
        "CROSS JOIN LATERAL pg_catalog.unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) "
        "JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum" +
        TypeJoins("t", "bt", "a.atttypid") +
        " WHERE i.indisunique AND i.indisvalid AND i.indimmediate AND i.indpred IS NULL "
        "AND k.ord <= i.indnkeyatts AND NOT (0 = ANY(i.indkey::int2[]))");
    iq.sql += " AND i.indrelid = " + iq.Param(rel_oid) +
              "::oid WINDOW w AS (PARTITION BY i.indexrelid) "
              "ORDER BY i.indisprimary DESC, i.indnkeyatts, i.indexrelid, k.ord";
    ResultPtr ix = Exec(s, iq);
    PGresult* x = ix.get();
    std::string chosen;
    for (int pass = 0; pass < 3 && chosen.empty(); ++pass) {
      for (int i = 0; i < PQntuples(x) && chosen.empty(); ++i) {
        bool ok = pass == 0   ? BoolCell(x, i, 1)
                  : pass == 1 ? BoolCell(x, i, 2)
                              : nullable == SQL_NULLABLE;
        if (ok) chosen = Str(x, i, 0);
      }
    }
    if (!chosen.empty()) {
      if (scope <= SQL_SCOPE_SESSION) {
        for (int i = 0; i < PQntuples(x); ++i) {
          if (Str(x, i, 0) == chosen) {
            add(Num(SQL_SCOPE_SESSION), Str(x, i, 3), DescribeCells(x, i, 4, options),
                SQL_PC_NOT_PSEUDO);
          }
        }
      }
      continue;
    }
    // No key: ctid locates the row version, valid only while the row is not updated, so its
    // scope is the current row (psqlODBC claims more). Partitioned tables have no unique ctid.
    if ((relkind == 'r' || relkind == 'm') && scope == SQL_SCOPE_CURROW) {
      TypeCells t = DescribeCells(oid::kVarchar, oid::kVarchar, 18 + 4, "tid", options);
      t.type_name = "tid";  // "(4294967295,65535)"
      add(Num(SQL_SCOPE_CURROW), "ctid", t, SQL_PC_PSEUDO);
    }
  }
  return rs;
}

// ---- SQLProcedures / SQLProcedureColumns ------------------------------------------------------

std::unique_ptr<ResultSet> Procedures(Session& s, const CatalogArg& catalog,
                                      const CatalogArg& schema, const CatalogArg& procedure) {
  auto rs = std::make_unique<MemoryResultSet>(std::vector<ColumnMeta>{
      Name("PROCEDURE_CAT"), Name("PROCEDURE_SCHEM"), Name("PROCEDURE_NAME", SQL_NO_NULLS),
      Int("NUM_INPUT_PARAMS"), Int("NUM_OUTPUT_PARAMS"), Int("NUM_RESULT_SETS"), Name("REMARKS"),
      Small("PROCEDURE_TYPE")});
  // Functions and procedures (aggregates and window functions cannot be called). The NUM_*
  // columns are reserved by the spec: NULL.
  Query q(
      "SELECT pg_catalog.current_database(), n.nspname, p.proname, "
      "pg_catalog.obj_description(p.oid, 'pg_proc'), p.prokind "
      "FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
      "WHERE p.prokind IN ('f','p')");
  q.Catalog(catalog);
  q.Schema("n.nspname", schema);
  q.Name("p.proname", procedure);
  q.sql += " ORDER BY 2, 3, p.oid";  // PROCEDURE_CAT, PROCEDURE_SCHEM, PROCEDURE_NAME
  ResultPtr r = Exec(s, q);
  PGresult* p = r.get();
  for (int i = 0; i < PQntuples(p); ++i) {
    // A function returns a value; a procedure does not (SQL_PT_FUNCTION / SQL_PT_PROCEDURE).
    bool is_proc = PQgetvalue(p, i, 4)[0] == 'p';
    rs->AddRow({Cell(p, i, 0), Cell(p, i, 1), Cell(p, i, 2), std::nullopt, std::nullopt,
                std::nullopt, Cell(p, i, 3), Num(is_proc ? SQL_PT_PROCEDURE : SQL_PT_FUNCTION)});
  }
  return rs;
}

std::unique_ptr<ResultSet> ProcedureColumns(Session& s, const CatalogArg& catalog,
                                            const CatalogArg& schema, const CatalogArg& procedure,
                                            const CatalogArg& column,
                                            const DescribeOptions& options) {
  auto rs = std::make_unique<MemoryResultSet>(std::vector<ColumnMeta>{
      Name("PROCEDURE_CAT"), Name("PROCEDURE_SCHEM"), Name("PROCEDURE_NAME", SQL_NO_NULLS),
      Name("COLUMN_NAME", SQL_NO_NULLS), Small("COLUMN_TYPE", SQL_NO_NULLS),
      Small("DATA_TYPE", SQL_NO_NULLS), Name("TYPE_NAME", SQL_NO_NULLS), Int("COLUMN_SIZE"),
      Int("BUFFER_LENGTH"), Small("DECIMAL_DIGITS"), Small("NUM_PREC_RADIX"),
      Small("NULLABLE", SQL_NO_NULLS), Name("REMARKS"), LongText("COLUMN_DEF"),
      Small("SQL_DATA_TYPE", SQL_NO_NULLS), Small("SQL_DATETIME_SUB"), Int("CHAR_OCTET_LENGTH"),
      Int("ORDINAL_POSITION", SQL_NO_NULLS), Name("IS_NULLABLE")});
  // One row per procedure column, in the spec's order: the return value, the parameters in
  // call order, then the columns of the result set (SQLProcedureColumns, "Comments").
  //  - parameters: IN and VARIADIC are SQL_PARAM_INPUT, INOUT SQL_PARAM_INPUT_OUTPUT, OUT
  //    SQL_PARAM_OUTPUT; the OUT parameters of a set-returning function and the columns of
  //    RETURNS TABLE are its result set (SQL_RESULT_COL);
  //  - the return value (SQL_RETURN_VALUE, ORDINAL_POSITION 0) of a function that returns one
  //    scalar (not void, no OUT parameters);
  //  - the result columns of a function returning SETOF a scalar (one column, named after the
  //    function) or a composite type (its attributes).
  Query q(
      "WITH p AS (SELECT p.oid, n.nspname, p.proname, p.prokind, p.proretset, p.prorettype, "
      "rt.typtype AS rettyptype, rt.typrelid AS retrelid, "
      "COALESCE(p.proallargtypes, p.proargtypes::oid[]) AS types, p.proargmodes AS modes, "
      "p.proargnames AS names, "
      "COALESCE(p.proargmodes && ARRAY['o','b','t']::\"char\"[], false) AS has_out "
      "FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
      "JOIN pg_catalog.pg_type rt ON rt.oid = p.prorettype WHERE p.prokind IN ('f','p')");
  q.Catalog(catalog);
  q.Schema("n.nspname", schema);
  q.Name("p.proname", procedure);
  q.sql +=
      "), args AS (SELECT p.*, a.typ, COALESCE(a.mode, 'i') AS mode, "
      "COALESCE(a.name, '') AS name, a.ord FROM p CROSS JOIN LATERAL "
      "ROWS FROM (pg_catalog.unnest(p.types), pg_catalog.unnest(p.modes), "
      "pg_catalog.unnest(p.names)) WITH ORDINALITY AS a(typ, mode, name, ord)), "
      "cols AS ("
      // the return value
      " SELECT oid, nspname, proname, ''::text AS name, 5 AS column_type, prorettype AS typ, "
      " -1 AS typmod, 0::int8 AS grp, 0::int8 AS ord, NULL::text AS def, true AS nullable FROM p "
      " WHERE prokind = 'f' AND NOT proretset AND NOT has_out AND rettyptype <> 'c' "
      " AND prorettype <> 'pg_catalog.void'::pg_catalog.regtype "
      // parameters
      " UNION ALL SELECT oid, nspname, proname, name, CASE WHEN mode IN ('i','v') THEN 1 "
      " WHEN mode = 'b' THEN 2 ELSE 4 END, typ, -1, 1, ord, "
      " CASE WHEN mode IN ('i','v','b') THEN pg_catalog.pg_get_function_arg_default(oid, "
      " ord::int4) END, true FROM args WHERE mode IN ('i','v','b') OR (mode = 'o' AND NOT "
      " proretset) "
      // result columns: RETURNS TABLE / SETOF with OUT parameters
      " UNION ALL SELECT oid, nspname, proname, name, 3, typ, -1, 2, ord, NULL, true FROM args "
      " WHERE mode = 't' OR (mode = 'o' AND proretset) "
      // SETOF a scalar
      " UNION ALL SELECT oid, nspname, proname, proname, 3, prorettype, -1, 2, 1, NULL, true "
      " FROM p WHERE prokind = 'f' AND proretset AND NOT has_out AND rettyptype <> 'c' "
      " AND prorettype <> 'pg_catalog.record'::pg_catalog.regtype "
      // a composite type's attributes
      " UNION ALL SELECT p.oid, nspname, proname, a.attname, 3, a.atttypid, a.atttypmod, 2, "
      " a.attnum, NULL, NOT a.attnotnull FROM p JOIN pg_catalog.pg_attribute a ON "
      " a.attrelid = p.retrelid AND a.attnum > 0 AND NOT a.attisdropped "
      " WHERE prokind = 'f' AND NOT has_out AND rettyptype = 'c')"
      // Result columns are numbered before the column-name filter applies.
      " SELECT * FROM (SELECT pg_catalog.current_database(), x.nspname, x.proname, "
      " x.name AS colname, x.column_type, " +
      TypeColumns("t", "bt", "x.typmod") +
      ", x.def, x.nullable, CASE WHEN x.grp = 0 THEN 0 ELSE pg_catalog.row_number() OVER "
      " (PARTITION BY x.oid, x.grp = 2 ORDER BY x.grp, x.ord) END, x.oid AS proc_oid, "
      " x.grp AS grp, x.ord AS arg_ord FROM cols x" +
      TypeJoins("t", "bt", "x.typ") + ") y WHERE true";
  q.Name("y.colname", column);
  q.sql += " ORDER BY 2, 3, y.proc_oid, y.grp, y.arg_ord";
  ResultPtr r = Exec(s, q);
  PGresult* p = r.get();
  for (int i = 0; i < PQntuples(p); ++i) {
    TypeCells t = DescribeCells(p, i, 5, options);
    bool nullable = BoolCell(p, i, 10);
    // For parameters, ORDINAL_POSITION is the position in the definition; for result columns,
    // the position in the result set.
    Text ordinal = IntCell(p, i, 13) == 1 ? Cell(p, i, 14) : Cell(p, i, 11);
    rs->AddRow({Cell(p, i, 0), Cell(p, i, 1), Cell(p, i, 2), Cell(p, i, 3), Cell(p, i, 4),
                Num(t.data_type), t.type_name, t.column_size, t.buffer_length, t.decimal_digits,
                t.radix, Num(nullable ? SQL_NULLABLE : SQL_NO_NULLS), std::nullopt, Cell(p, i, 9),
                Num(t.sql_data_type), t.datetime_sub, t.char_octet_length, ordinal,
                std::string(nullable ? "YES" : "NO")});
  }
  return rs;
}

// ---- SQLTablePrivileges / SQLColumnPrivileges -------------------------------------------------

namespace {

// A relation's privileges from its ACL (the owner's defaults when the ACL is NULL); grantee 0 is
// PUBLIC. The owner may always grant (IS_GRANTABLE "YES"), though its ACL entry carries no grant
// option.
constexpr const char* kRoleName =
    "CASE WHEN %s = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(%s) END";

std::string RoleName(const std::string& expr) {
  std::string out = kRoleName;
  for (size_t at; (at = out.find("%s")) != std::string::npos;) out.replace(at, 2, expr);
  return out;
}

}  // namespace

std::unique_ptr<ResultSet> TablePrivileges(Session& s, const CatalogArg& catalog,
                                           const CatalogArg& schema, const CatalogArg& table) {
  auto rs = std::make_unique<MemoryResultSet>(std::vector<ColumnMeta>{
      Name("TABLE_CAT"), Name("TABLE_SCHEM"), Name("TABLE_NAME", SQL_NO_NULLS), Name("GRANTOR"),
      Name("GRANTEE", SQL_NO_NULLS), Name("PRIVILEGE", SQL_NO_NULLS), Name("IS_GRANTABLE")});
  Query q("SELECT pg_catalog.current_database(), n.nspname, c.relname, " + RoleName("g.grantor") +
          ", " + RoleName("g.grantee") +
          " AS grantee, g.privilege_type, "
          "CASE WHEN g.is_grantable OR g.grantee = c.relowner THEN 'YES' ELSE 'NO' END "
          "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
          "CROSS JOIN LATERAL pg_catalog.aclexplode(COALESCE(c.relacl, "
          "pg_catalog.acldefault('r', c.relowner))) AS g "
          "WHERE c.relkind IN ('r','v','m','f','p') AND " +
          std::string(kVisible));
  q.Catalog(catalog);
  q.Schema("n.nspname", schema);
  q.Name("c.relname", table);
  q.sql += " ORDER BY 2, 3, 6, 5, 4";  // TABLE_CAT, TABLE_SCHEM, TABLE_NAME, PRIVILEGE, GRANTEE
  ResultPtr r = Exec(s, q);
  for (int i = 0; i < PQntuples(r.get()); ++i) {
    Cells row;
    for (int c = 0; c < 7; ++c) row.push_back(Cell(r.get(), i, c));
    rs->AddRow(std::move(row));
  }
  return rs;
}

std::unique_ptr<ResultSet> ColumnPrivileges(Session& s, const CatalogArg& catalog,
                                            const CatalogArg& schema, const CatalogArg& table,
                                            const CatalogArg& column) {
  auto rs = std::make_unique<MemoryResultSet>(std::vector<ColumnMeta>{
      Name("TABLE_CAT"), Name("TABLE_SCHEM"), Name("TABLE_NAME", SQL_NO_NULLS),
      Name("COLUMN_NAME", SQL_NO_NULLS), Name("GRANTOR"), Name("GRANTEE", SQL_NO_NULLS),
      Name("PRIVILEGE", SQL_NO_NULLS), Name("IS_GRANTABLE")});
  // A column's privileges: those granted on the column (attacl) and the column privileges
  // (SELECT, INSERT, UPDATE, REFERENCES) granted on the whole table, which apply to every column
  // (as information_schema.column_privileges has it).
  Query q(
      "SELECT pg_catalog.current_database(), n.nspname, c.relname, a.attname, " +
      RoleName("g.grantor") + ", " + RoleName("g.grantee") +
      ", g.privilege_type, CASE WHEN pg_catalog.bool_or(g.is_grantable OR g.grantee = c.relowner) "
      "THEN 'YES' ELSE 'NO' END "
      "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 "
      "AND NOT a.attisdropped "
      "CROSS JOIN LATERAL (SELECT * FROM pg_catalog.aclexplode(COALESCE(c.relacl, "
      "pg_catalog.acldefault('r', c.relowner))) WHERE privilege_type IN "
      "('SELECT','INSERT','UPDATE','REFERENCES') UNION ALL "
      "SELECT * FROM pg_catalog.aclexplode(a.attacl)) AS g "
      "WHERE c.relkind IN ('r','v','m','f','p') AND " +
      std::string(kVisible));
  q.Catalog(catalog);
  q.Schema("n.nspname", schema);
  q.Name("c.relname", table);
  q.Name("a.attname", column);
  q.sql += " GROUP BY 1, 2, 3, 4, 5, 6, 7, a.attnum";
  // TABLE_CAT, TABLE_SCHEM, TABLE_NAME, COLUMN_NAME, PRIVILEGE (then GRANTEE, GRANTOR).
  q.sql += " ORDER BY 2, 3, 4, 7, 6, 5";
  ResultPtr r = Exec(s, q);
  for (int i = 0; i < PQntuples(r.get()); ++i) {
    Cells row;
    for (int c = 0; c < 8; ++c) row.push_back(Cell(r.get(), i, c));
    rs->AddRow(std::move(row));
  }
  return rs;
}

}  // namespace lakebase::pg

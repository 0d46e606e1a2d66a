#include "driver/column_origin.h"

#include <string>

#include "driver/error.h"

namespace lakebase::pg {

void ResolveColumnOrigins(Session& s, const std::vector<std::pair<Oid, int>>& columns) {
  std::string oids, nums;
  for (const auto& [table, column] : columns) {
    if (table == 0 || column <= 0 || s.FindColumnOrigin(table, column) != nullptr) continue;
    if (!oids.empty()) {
      oids.push_back(',');
      nums.push_back(',');
    }
    oids += std::to_string(table);
    nums += std::to_string(column);
  }
  if (oids.empty()) return;
  std::string a = "{" + oids + "}", b = "{" + nums + "}";
  const char* values[2] = {a.c_str(), b.c_str()};
  ResultPtr r(PQexecParams(
      s.conn(),
      "SELECT a.attrelid, a.attnum, a.attname, a.attnotnull, c.relname, n.nspname, "
      "a.attidentity <> '' OR coalesce(pg_catalog.pg_get_expr(d.adbin, d.adrelid), '') "
      "LIKE 'nextval(%' "
      "FROM unnest($1::oid[], $2::int2[]) AS k(rel, num) "
      "JOIN pg_catalog.pg_attribute a ON a.attrelid = k.rel AND a.attnum = k.num "
      "JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
      "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum",
      2, nullptr, values, nullptr, nullptr, 0));
  if (PQstatus(s.conn()) == CONNECTION_BAD) {
    s.MarkBroken();
    CheckResult(s.conn(), r.get());
  }
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) return;  // e.g. inside a failed transaction
  for (int i = 0; i < PQntuples(r.get()); ++i) {
    ColumnOrigin o;
    o.column = PQgetvalue(r.get(), i, 2);
    o.not_null = PQgetvalue(r.get(), i, 3)[0] == 't';
    o.table = PQgetvalue(r.get(), i, 4);
    o.schema = PQgetvalue(r.get(), i, 5);
    o.auto_unique = PQgetvalue(r.get(), i, 6)[0] == 't';
    s.CacheColumnOrigin(static_cast<Oid>(std::stoul(PQgetvalue(r.get(), i, 0))),
                        std::stoi(PQgetvalue(r.get(), i, 1)), std::move(o));
  }
}

}  // namespace lakebase::pg

#include "driver/result.h"

#include <charconv>
#include <cstring>

namespace lakebase::pg {

PgResultSet::PgResultSet(ResultPtr result) : result_(std::move(result)) {
  PGresult* r = result_.get();
  int n = PQnfields(r);
  columns_.reserve(n);
  for (int i = 0; i < n; ++i) {
    ColumnMeta m;
    m.name = PQfname(r, i);
    m.type = PQftype(r, i);
    m.typmod = PQfmod(r, i);
    m.table_oid = PQftable(r, i);
    m.table_column = PQftablecol(r, i);
    columns_.push_back(std::move(m));
  }
  rows_ = PQntuples(r);
}

bool PgResultSet::Seek(int64_t row) {
  if (row < 0) {
    row_ = -1;
    return false;
  }
  if (row >= rows_) {
    row_ = rows_;
    return false;
  }
  row_ = row;
  return true;
}

CellView PgResultSet::Get(int column) const {
  PGresult* r = result_.get();
  int row = static_cast<int>(row_);
  if (PQgetisnull(r, row, column)) return CellView{};
  return CellView{PQgetvalue(r, row, column), static_cast<size_t>(PQgetlength(r, row, column)),
                  false};
}

bool MemoryResultSet::Seek(int64_t row) {
  if (row < 0) {
    row_ = -1;
    return false;
  }
  if (row >= Size()) {
    row_ = Size();
    return false;
  }
  row_ = row;
  return true;
}

CellView MemoryResultSet::Get(int column) const {
  const auto& cell = rows_[static_cast<size_t>(row_)][static_cast<size_t>(column)];
  if (!cell) return CellView{};
  return CellView{cell->c_str(), cell->size(), false};
}

StatementResult MakeStatementResult(ResultPtr result) {
  StatementResult out;
  const char* tag = PQcmdStatus(result.get());
  if (tag != nullptr) {
    out.command_tag = tag;
    const char* space = std::strchr(tag, ' ');
    out.command = space ? std::string(tag, space) : std::string(tag);
  }
  const char* tuples = PQcmdTuples(result.get());
  if (tuples != nullptr && *tuples != '\0') {
    int64_t n = -1;
    std::from_chars(tuples, tuples + std::strlen(tuples), n);
    out.affected = n;
  }
  if (PQresultStatus(result.get()) == PGRES_TUPLES_OK) {
    out.rows = std::make_unique<PgResultSet>(std::move(result));
  }
  return out;
}

}  // namespace lakebase::pg

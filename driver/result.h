// Result sets as the ODBC layer sees them: columns with PostgreSQL types, a current row, and
// cells as text. Two kinds: rows from the server (a PGresult) and rows the driver builds itself
// (catalog functions, SQLGetTypeInfo).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "driver/pq.h"
#include "driver/types.h"

namespace lakebase::pg {

struct ColumnMeta {
  std::string name;
  Oid type = oid::kText;
  int typmod = -1;
  Oid table_oid = 0;  // 0 when the column is not a plain table column
  int table_column = 0;
  int nullable = 2;  // SQL_NULLABLE_UNKNOWN; catalog results set SQL_NO_NULLS/SQL_NULLABLE
};

struct CellView {
  const char* data = nullptr;
  size_t len = 0;
  bool is_null = true;
};

class ResultSet {
 public:
  virtual ~ResultSet() = default;
  virtual const std::vector<ColumnMeta>& Columns() const = 0;
  // Rows in the result when known, else -1 (a streamed result still arriving).
  virtual int64_t Size() const = 0;
  // Positions on row `row` (0-based). False when past the end. Throws PgError.
  virtual bool Seek(int64_t row) = 0;
  virtual CellView Get(int column) const = 0;  // 0-based column of the current row
  virtual int64_t Position() const = 0;        // current row, -1 before the first
};

// A PGresult with all its rows.
class PgResultSet final : public ResultSet {
 public:
  explicit PgResultSet(ResultPtr result);
  const std::vector<ColumnMeta>& Columns() const override { return columns_; }
  int64_t Size() const override { return rows_; }
  bool Seek(int64_t row) override;
  CellView Get(int column) const override;
  int64_t Position() const override { return row_; }

 private:
  ResultPtr result_;
  std::vector<ColumnMeta> columns_;
  int64_t rows_ = 0;
  int64_t row_ = -1;
};

// Rows the driver builds.
class MemoryResultSet final : public ResultSet {
 public:
  using Row = std::vector<std::optional<std::string>>;
  explicit MemoryResultSet(std::vector<ColumnMeta> columns) : columns_(std::move(columns)) {}
  void AddRow(Row row) { rows_.push_back(std::move(row)); }
  std::vector<Row>& rows() { return rows_; }
  const std::vector<ColumnMeta>& Columns() const override { return columns_; }
  int64_t Size() const override { return static_cast<int64_t>(rows_.size()); }
  bool Seek(int64_t row) override;
  CellView Get(int column) const override;
  int64_t Position() const override { return row_; }

 private:
  std::vector<ColumnMeta> columns_;
  std::vector<Row> rows_;
  int64_t row_ = -1;
};

// What one statement of an execution produced.
struct StatementResult {
  std::unique_ptr<ResultSet> rows;  // null for a command without rows
  int64_t affected = -1;            // INSERT/UPDATE/DELETE/MERGE/SELECT count, -1 unknown
  std::string command;              // the command tag's verb ("INSERT", "SELECT" ...)
  std::string command_tag;          // the whole tag ("CREATE TABLE", "INSERT 0 5" ...)
};

// Builds a StatementResult from a successful PGresult.
StatementResult MakeStatementResult(ResultPtr result);

}  // namespace lakebase::pg

#include <algorithm>
#include <cstring>

#include "common/log.h"
#include "driver/error.h"
#include "driver/execute.h"
#include "odbc/handles.h"
#include "setup/resolve.h"

namespace lakebase::odbc {

namespace {

// Size of one element of a fixed-size C type, for column-wise array binding; 0 for the
// variable-length types whose element size is the bound buffer length.
SQLLEN FixedCTypeSize(SQLSMALLINT c_type) {
  switch (c_type) {
    case SQL_C_BIT:
    case SQL_C_TINYINT:
    case SQL_C_STINYINT:
    case SQL_C_UTINYINT:
      return 1;
    case SQL_C_SHORT:
    case SQL_C_SSHORT:
    case SQL_C_USHORT:
      return sizeof(SQLSMALLINT);
    case SQL_C_LONG:
    case SQL_C_SLONG:
    case SQL_C_ULONG:
      return sizeof(SQLINTEGER);
    case SQL_C_FLOAT:
      return sizeof(SQLREAL);
    case SQL_C_DOUBLE:
      return sizeof(SQLDOUBLE);
    case SQL_C_SBIGINT:
    case SQL_C_UBIGINT:
      return sizeof(SQLBIGINT);
    case SQL_C_NUMERIC:
      return sizeof(SQL_NUMERIC_STRUCT);
    case SQL_C_DATE:
    case SQL_C_TYPE_DATE:
      return sizeof(SQL_DATE_STRUCT);
    case SQL_C_TIME:
    case SQL_C_TYPE_TIME:
      return sizeof(SQL_TIME_STRUCT);
    case SQL_C_TIMESTAMP:
    case SQL_C_TYPE_TIMESTAMP:
      return sizeof(SQL_TIMESTAMP_STRUCT);
    case SQL_C_GUID:
      return sizeof(SQLGUID);
    default:
      if (c_type >= SQL_C_INTERVAL_YEAR && c_type <= SQL_C_INTERVAL_MINUTE_TO_SECOND) {
        return sizeof(SQL_INTERVAL_STRUCT);
      }
      return 0;
  }
}

template <class T>
T* Offset(T* base, SQLLEN bytes) {
  if (base == nullptr) return nullptr;
  return reinterpret_cast<T*>(reinterpret_cast<char*>(base) + bytes);
}

// Addresses of element `row` of a bound record (ODBC "Column-Wise Binding", "Row-Wise Binding").
struct BoundAddress {
  SQLPOINTER data;
  SQLLEN* octet_length;
  SQLLEN* indicator;
};

BoundAddress AddressOf(const Desc& desc, const DescRecord& rec, SQLULEN row) {
  SQLLEN offset = desc.bind_offset_ptr ? *desc.bind_offset_ptr : 0;
  SQLLEN data_step, len_step;
  if (desc.bind_type == SQL_BIND_BY_COLUMN) {
    SQLLEN fixed = FixedCTypeSize(rec.concise_type);
    data_step = fixed ? fixed : rec.octet_length;
    len_step = sizeof(SQLLEN);
  } else {
    data_step = len_step = static_cast<SQLLEN>(desc.bind_type);
  }
  SQLLEN r = static_cast<SQLLEN>(row);
  return BoundAddress{
      rec.data_ptr ? static_cast<char*>(rec.data_ptr) + offset + r * data_step : nullptr,
      Offset(rec.octet_length_ptr, offset + r * len_step),
      Offset(rec.indicator_ptr, offset + r * len_step)};
}

// SQL_ATTR_MAX_LENGTH: character and binary values are cut to that many bytes before conversion,
// silently (SQLSetStmtAttr: "truncated ... without returning SQL_SUCCESS_WITH_INFO").
pg::CellView ApplyMaxLength(pg::CellView v, pg::ValueKind kind, SQLULEN max_length) {
  if (max_length == 0 || v.is_null) return v;
  if (kind == pg::ValueKind::kText && v.len > max_length) {
    size_t n = max_length;
    // Not in the middle of a UTF-8 sequence.
    while (n > 0 && (static_cast<unsigned char>(v.data[n]) & 0xc0) == 0x80) --n;
    v.len = n;
  } else if (kind == pg::ValueKind::kBytea && v.len > 2 + 2 * max_length && v.len >= 2 &&
             v.data[0] == '\\' && v.data[1] == 'x') {
    v.len = 2 + 2 * max_length;  // hex form: "\\x" then two digits a byte
  }
  return v;
}

bool IsDataAtExec(const SQLLEN* ind) {
  return ind != nullptr && (*ind == SQL_DATA_AT_EXEC || *ind <= SQL_LEN_DATA_AT_EXEC_OFFSET);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
SQLSMALLINT Desc::Count() const {
  if (role == DescRole::kIrd || role == DescRole::kIpd) {
    return static_cast<SQLSMALLINT>(records.size() - 1);
  }
  for (size_t i = records.size() - 1; i > 0; --i) {
    if (records[i].bound() || records[i].used) return static_cast<SQLSMALLINT>(i);
  }
  return 0;
}

DescRecord& Desc::Record(size_t n) {
  if (records.size() <= n) records.resize(n + 1);
  return records[n];
}

void Desc::Unbind() { records.resize(1); }

// ---------------------------------------------------------------------------------------------
Stmt::Stmt(Dbc* d)
    : Handle(kKind),
      dbc(d),
      implicit_ard(d, DescRole::kArd, SQL_DESC_ALLOC_AUTO),
      implicit_apd(d, DescRole::kApd, SQL_DESC_ALLOC_AUTO),
      implicit_ird(d, DescRole::kIrd, SQL_DESC_ALLOC_AUTO),
      implicit_ipd(d, DescRole::kIpd, SQL_DESC_ALLOC_AUTO),
      ard(&implicit_ard),
      apd(&implicit_apd),
      ird(&implicit_ird),
      ipd(&implicit_ipd) {
  metadata_id = d->metadata_id;  // SQL_ATTR_METADATA_ID set on the connection is the default
  implicit_ard.stmt = implicit_apd.stmt = implicit_ird.stmt = implicit_ipd.stmt = this;
  try {
    query_timeout = static_cast<SQLULEN>(setup::ConfigSeconds(d->config, "QueryTimeout").count());
  } catch (const std::exception&) {
    // A configuration built without the keyword table keeps no timeout.
  }
}

Stmt::~Stmt() {
  // A server-side prepared statement lives as long as its session; free it when the session is
  // still this connection's (and alive), so long-lived pooled sessions do not accumulate them.
  try {
    if (!server_name.empty() && dbc->connected() && prepared_on == dbc->session.get() &&
        !dbc->session->Broken()) {
      dbc->session->Run("DEALLOCATE " + server_name);
    }
  } catch (...) {
  }
}

void Stmt::ResetCursor() {
  cursor.reset();
  results.clear();
  affected = -1;
  rowset_start = -1;
  rowset_rows = 0;
  rowset_pos = 0;
  getdata = GetDataState{};
}

void Stmt::CloseCursor() {
  if (!cursor) throw OdbcError("24000", "invalid cursor state: no cursor is open");
  ResetCursor();
}

void Stmt::Prepare(std::string text) {
  ResetCursor();
  dae = DaeState{};
  if (!server_name.empty() && dbc->connected() && prepared_on == dbc->session.get() &&
      !dbc->session->Broken()) {
    try {
      dbc->session->Run("DEALLOCATE " + server_name);
    } catch (...) {
    }
  }
  server_name.clear();
  prepared_on = nullptr;
  described_param_types.clear();
  implicit_ird.records.resize(1);
  sql = std::move(text);
  pg::RewriteOptions options;
  options.escapes = noscan == SQL_NOSCAN_OFF;
  rewritten = pg::RewriteSql(sql, options);
  prepared_param_types.clear();
  prepared = true;
  executed = false;
}

SQLRETURN Stmt::ExecDirect(std::string text) {
  Prepare(std::move(text));
  // ExecDirect is one-shot: it does not keep a server-side prepared statement.
  prepared = false;
  SQLRETURN rc = ExecuteBatch();
  return rc;
}

SQLRETURN Stmt::Execute() {
  if (!prepared) throw OdbcError("HY010", "function sequence error: no statement prepared");
  return ExecuteBatch();
}

void Stmt::PrepareOnServer(const std::vector<pg::Oid>& types) {
  pg::Session& s = dbc->RequireSession();
  if (!server_name.empty() && prepared_on == &s && types == prepared_param_types) return;
  if (!server_name.empty() && prepared_on == &s) {
    try {
      s.Run("DEALLOCATE " + server_name);
    } catch (...) {
    }
  }
  std::string name = "lb_" + std::to_string(s.NextStatementId());
  pg::ResultPtr r(PQprepare(s.conn(), name.c_str(), rewritten.sql.c_str(),
                            static_cast<int>(types.size()),
                            types.empty() ? nullptr : types.data()));
  if (PQstatus(s.conn()) == CONNECTION_BAD) s.MarkBroken();
  pg::CheckResult(s.conn(), r.get());
  server_name = name;
  prepared_on = &s;
  prepared_param_types = types;
}

void Stmt::EnsureDescribed() {
  if (cursor || !prepared) return;
  if (implicit_ird.records.size() > 1 || !described_param_types.empty()) return;
  pg::Session& s = dbc->RequireSession();
  try {
    PrepareOnServer(prepared_param_types.empty()
                        ? std::vector<pg::Oid>(static_cast<size_t>(rewritten.param_count), 0)
                        : prepared_param_types);
  } catch (const pg::PgError& e) {
    // Several statements in one text cannot be prepared; their metadata is known after execution.
    if (e.sqlstate() == "42601" && rewritten.param_count == 0) return;
    throw;
  }
  pg::ResultPtr d(PQdescribePrepared(s.conn(), server_name.c_str()));
  pg::CheckResult(s.conn(), d.get());
  described_param_types.clear();
  for (int i = 0; i < PQnparams(d.get()); ++i)
    described_param_types.push_back(PQparamtype(d.get(), i));
  if (PQnfields(d.get()) > 0) {
    pg::PgResultSet shape(std::move(d));
    implicit_ird.records.resize(1);
    auto opts = dbc->describe_options();
    for (const auto& m : shape.Columns()) {
      DescRecord rec;
      rec.meta = m;
      rec.describe = pg::Describe(m.type, m.typmod, opts);
      rec.name = m.name;
      rec.concise_type = rec.type = rec.describe.sql_type;
      rec.nullable = SQL_NULLABLE_UNKNOWN;
      rec.unnamed = SQL_NAMED;
      implicit_ird.records.push_back(std::move(rec));
    }
  }
}

SQLSMALLINT Stmt::NumResultCols() {
  if (!cursor && prepared && !executed) EnsureDescribed();
  if (!cursor && executed) return 0;
  return static_cast<SQLSMALLINT>(implicit_ird.records.size() - 1);
}

SQLRETURN Stmt::ExecuteBatch() {
  ResetCursor();
  pg::Session& s = dbc->RequireSession();
  const int nparams = rewritten.param_count;
  const SQLULEN rows = nparams > 0 ? std::max<SQLULEN>(1, apd->array_size) : 1;

  // Bound parameters, one row at a time (APD: how the application holds them; IPD: SQL types).
  if (nparams > 0) {
    for (int i = 1; i <= nparams; ++i) {
      if (static_cast<size_t>(i) >= apd->records.size() || !apd->records[i].bound()) {
        if (rewritten.has_return_value && i == 1) continue;
        throw OdbcError("07002", "COUNT field incorrect: parameter " + std::to_string(i) + " of " +
                                     std::to_string(nparams) + " is not bound");
      }
    }
  }
  if (ipd->rows_processed_ptr) *ipd->rows_processed_ptr = 0;

  dbc->BeginIfNeeded();
  if (log::Enabled(log::Level::kDebug)) {
    log::Debug("execute{} ({} parameter{}, {} row{}): {}", prepared ? " prepared" : "", nparams,
               nparams == 1 ? "" : "s", rows, rows == 1 ? "" : "s",
               rewritten.sql.size() > 2000 ? rewritten.sql.substr(0, 2000) + "..." : rewritten.sql);
  }
  const auto started = std::chrono::steady_clock::now();
  cancel_requested = false;
  std::vector<EncodedParam> encoded(static_cast<size_t>(nparams));
  std::vector<const char*> values(static_cast<size_t>(nparams));
  std::vector<int> lengths(static_cast<size_t>(nparams));
  std::vector<int> formats(static_cast<size_t>(nparams));
  std::vector<pg::Oid> types(static_cast<size_t>(nparams));
  SQLULEN ok_rows = 0, failed_rows = 0;
  int64_t total_affected = -1;
  const int first_sent = rewritten.has_return_value ? 1 : 0;

  struct RunningGuard {
    std::atomic<pg::Session*>& r;
    RunningGuard(std::atomic<pg::Session*>& r, pg::Session* s) : r(r) { r.store(s); }
    ~RunningGuard() { r.store(nullptr); }
  } running_guard(running, &s);

  if (!dae.ready && nparams > 0) {
    std::vector<int> pending;
    for (int i = first_sent + 1; i <= nparams; ++i) {
      const DescRecord& a = apd->records[static_cast<size_t>(i)];
      for (SQLULEN row = 0; row < rows; ++row) {
        BoundAddress addr = AddressOf(*apd, a, row);
        if (IsDataAtExec(addr.indicator) || IsDataAtExec(addr.octet_length)) {
          if (rows > 1) {
            throw OdbcError("HYC00",
                            "data-at-execution parameters with parameter arrays are not supported");
          }
          pending.push_back(i);
        }
      }
    }
    if (!pending.empty()) {
      dae = DaeState{};
      dae.active = true;
      dae.pending = std::move(pending);
      return SQL_NEED_DATA;
    }
  }
  struct DaeReset {
    DaeState& d;
    ~DaeReset() { d = DaeState{}; }
  } dae_reset{dae};

  for (SQLULEN row = 0; row < rows; ++row) {
    SQLUSMALLINT* status = ipd->array_status_ptr ? ipd->array_status_ptr + row : nullptr;
    // Rows the application marked SQL_PARAM_IGNORE are not sent (SQL_ATTR_PARAM_OPERATION_PTR).
    if (apd->array_status_ptr != nullptr && apd->array_status_ptr[row] == SQL_PARAM_IGNORE) {
      if (status) *status = SQL_PARAM_UNUSED;
      if (ipd->rows_processed_ptr) *ipd->rows_processed_ptr = row + 1;
      continue;
    }
    try {
      for (int i = first_sent + 1; i <= nparams; ++i) {
        const DescRecord& a = apd->records[static_cast<size_t>(i)];
        const DescRecord& p = ipd->Record(static_cast<size_t>(i));
        BoundAddress addr = AddressOf(*apd, a, row);
        ParamSource src;
        SQLLEN dae_length = 0;
        auto dae_it = dae.values.find(i);
        if (dae_it == dae.values.end() &&
            (IsDataAtExec(addr.indicator) || IsDataAtExec(addr.octet_length))) {
          throw OdbcError("HY010", "function sequence error: data-at-execution parameter " +
                                       std::to_string(i) + " has no data");
        }
        src.c_type = a.concise_type;
        src.sql_type = p.concise_type;
        src.column_size = p.length;
        src.decimal_digits = p.scale;
        src.data = addr.data;
        src.buffer_length = a.octet_length;
        src.octet_length = addr.octet_length;
        src.indicator = addr.indicator;
        if (dae_it != dae.values.end()) {
          // The value arrived through SQLPutData: it is whole, with an explicit length.
          const DaeValue& v = dae_it->second;
          dae_length = v.is_null ? SQL_NULL_DATA : static_cast<SQLLEN>(v.bytes.size());
          src.data = v.bytes.data();
          src.buffer_length = static_cast<SQLLEN>(v.bytes.size());
          src.octet_length = &dae_length;
          src.indicator = &dae_length;
        }
        size_t k = static_cast<size_t>(i - 1 - first_sent);
        EncodeParam(src, encoded[k]);
        values[k] = encoded[k].is_null ? nullptr : encoded[k].value.data();
        lengths[k] = static_cast<int>(encoded[k].value.size());
        formats[k] = encoded[k].format;
        types[k] = encoded[k].type;
      }
      const int nsent = nparams - first_sent;
      if (prepared) {
        try {
          PrepareOnServer(std::vector<pg::Oid>(types.begin(), types.begin() + nsent));
        } catch (const pg::PgError& e) {
          if (!(e.sqlstate() == "42601" && nsent == 0)) throw;
          prepared = false;  // several statements: run them through the simple protocol
          server_name.clear();
        }
      }
      pg::ExecRequest req;
      req.nparams = nsent;
      req.types = types.data();
      req.values = values.data();
      req.lengths = lengths.data();
      req.formats = formats.data();
      req.timeout = std::chrono::seconds(query_timeout);
      req.canceled = &cancel_requested;
      if (prepared && !server_name.empty()) {
        req.kind = pg::ExecRequest::Kind::kPrepared;
        req.text = server_name.c_str();
      } else if (nsent > 0) {
        req.kind = pg::ExecRequest::Kind::kParams;
        req.text = rewritten.sql.c_str();
      } else {
        // The simple protocol runs several ';'-separated statements, each with its own result
        // (SQLMoreResults). They run as one implicit transaction in autocommit mode, so an error
        // in any of them means none took effect: Execute reports it now.
        req.kind = pg::ExecRequest::Kind::kSimple;
        req.text = rewritten.sql.c_str();
      }
      std::vector<pg::StatementResult> produced = pg::Execute(s, req);
      if (produced.empty()) produced.push_back(pg::StatementResult{});
      for (auto& p : produced) {
        if (p.affected >= 0 && !p.rows)
          total_affected = std::max<int64_t>(total_affected, 0) + p.affected;
        results.push_back(std::move(p));
      }
      if (status) *status = SQL_PARAM_SUCCESS;
      ++ok_rows;
    } catch (const pg::PgError& e) {
      if (status) *status = SQL_PARAM_ERROR;
      ++failed_rows;
      diag().Add(e.sqlstate(), e.what(), 0,
                 rows > 1 ? static_cast<SQLLEN>(row + 1) : SQL_NO_ROW_NUMBER);
      if (ipd->rows_processed_ptr) *ipd->rows_processed_ptr = row + 1;
      // Later rows are not sent: in a transaction they would fail anyway (25P02), and stopping
      // keeps "which rows were written" exact.
      if (ipd->array_status_ptr) {
        for (SQLULEN k = row + 1; k < rows; ++k) ipd->array_status_ptr[k] = SQL_PARAM_UNUSED;
      }
      executed = true;
      if (ok_rows == 0) {
        results.clear();
        return SQL_ERROR;
      }
      break;
    } catch (const OdbcError& e) {
      if (status) *status = SQL_PARAM_ERROR;
      if (rows > 1) {
        diag().Add(e.sqlstate(), e.what(), 0, static_cast<SQLLEN>(row + 1));
        ++failed_rows;
        if (ipd->rows_processed_ptr) *ipd->rows_processed_ptr = row + 1;
        if (ipd->array_status_ptr) {
          for (SQLULEN k = row + 1; k < rows; ++k) ipd->array_status_ptr[k] = SQL_PARAM_UNUSED;
        }
        executed = true;
        if (ok_rows == 0) return SQL_ERROR;
        break;
      }
      throw;
    }
    if (ipd->rows_processed_ptr) *ipd->rows_processed_ptr = row + 1;
  }
  executed = true;
  for (auto& notice : s.TakeNotices()) diag().Add("01000", notice);
  log::Debug("executed in {} us", std::chrono::duration_cast<std::chrono::microseconds>(
                                      std::chrono::steady_clock::now() - started)
                                      .count());
  // With a parameter array of a row-changing statement, SQLRowCount is the sum over all rows.
  if (rows > 1 && !results.empty() && !results.front().rows) {
    pg::StatementResult merged = std::move(results.front());
    merged.affected = total_affected;
    results.clear();
    results.push_back(std::move(merged));
  }
  SQLRETURN out_rc = SQL_SUCCESS;
  if (rewritten.has_return_value && !results.empty() && results.front().rows &&
      results.front().rows->Seek(0)) {
    // {?= call f(...)}: the function's value goes to parameter 1 (an output parameter), not to
    // a result set (ODBC "Procedure Calls").
    pg::ResultSet& rs = *results.front().rows;
    if (apd->records.size() > 1 && apd->records[1].bound() && !rs.Columns().empty()) {
      const DescRecord& a = apd->records[1];
      BoundAddress addr = AddressOf(*apd, a, 0);
      pg::CellView v = rs.Get(0);
      CTarget t;
      t.c_type = a.concise_type == SQL_C_DEFAULT
                     ? DefaultCType(pg::LookupType(rs.Columns()[0].type).kind,
                                    pg::LookupType(rs.Columns()[0].type).sql_type)
                     : a.concise_type;
      t.data = addr.data;
      t.buffer_length = a.octet_length;
      t.octet_length = addr.octet_length;
      t.indicator = addr.indicator;
      out_rc = WriteValue(Cell{v.data, v.len, v.is_null}, pg::LookupType(rs.Columns()[0].type).kind,
                          t, nullptr, CellPosition{}, diag());
    }
    results.pop_front();
  }
  LoadCurrentResult();
  if (out_rc == SQL_ERROR) return SQL_ERROR;
  if (failed_rows > 0) return SQL_SUCCESS_WITH_INFO;
  // SQLExecute of a searched UPDATE/DELETE that touched no rows returns SQL_NO_DATA (ODBC 3).
  if (!cursor && affected == 0 && dbc->env->odbc_version >= static_cast<SQLINTEGER>(SQL_OV_ODBC3) &&
      (results_command_ == "UPDATE" || results_command_ == "DELETE" ||
       results_command_ == "MERGE")) {
    return SQL_NO_DATA;
  }
  return SQL_SUCCESS;
}

void Stmt::LoadCurrentResult() {
  cursor.reset();
  affected = -1;
  results_command_.clear();
  rowset_start = -1;
  rowset_rows = 0;
  rowset_pos = 0;
  getdata = GetDataState{};
  if (results.empty()) {
    implicit_ird.records.resize(1);
    return;
  }
  pg::StatementResult& r = results.front();
  affected = r.affected;
  results_command_ = r.command;
  // SQL_DIAG_DYNAMIC_FUNCTION(_CODE): what kind of statement ran (SQLGetDiagField).
  static const std::pair<const char*, std::pair<const char*, SQLINTEGER>> kFunctions[] = {
      {"SELECT", {"SELECT CURSOR", SQL_DIAG_SELECT_CURSOR}},
      {"INSERT", {"INSERT INTO", SQL_DIAG_INSERT}},
      {"UPDATE", {"UPDATE WHERE", SQL_DIAG_UPDATE_WHERE}},
      {"DELETE", {"DELETE WHERE", SQL_DIAG_DELETE_WHERE}},
      {"CREATE TABLE", {"CREATE TABLE", SQL_DIAG_CREATE_TABLE}},
      {"DROP TABLE", {"DROP TABLE", SQL_DIAG_DROP_TABLE}},
      {"CREATE VIEW", {"CREATE VIEW", SQL_DIAG_CREATE_VIEW}},
      {"DROP VIEW", {"DROP VIEW", SQL_DIAG_DROP_VIEW}},
      {"CREATE INDEX", {"CREATE INDEX", SQL_DIAG_CREATE_INDEX}},
      {"DROP INDEX", {"DROP INDEX", SQL_DIAG_DROP_INDEX}},
      {"ALTER TABLE", {"ALTER TABLE", SQL_DIAG_ALTER_TABLE}},
      {"GRANT", {"GRANT", SQL_DIAG_GRANT}},
      {"REVOKE", {"REVOKE", SQL_DIAG_REVOKE}},
      {"CALL", {"CALL", SQL_DIAG_CALL}}};
  diag().dynamic_function.clear();
  diag().dynamic_function_code = SQL_DIAG_UNKNOWN_STATEMENT;
  for (const auto& [tag, f] : kFunctions) {
    if (r.command_tag.rfind(tag, 0) == 0) {
      diag().dynamic_function = f.first;
      diag().dynamic_function_code = f.second;
      break;
    }
  }
  cursor = std::move(r.rows);
  results.pop_front();
  PopulateIrd();
}

void Stmt::PopulateIrd() {
  implicit_ird.records.resize(1);
  if (!cursor) return;
  auto opts = dbc->describe_options();
  for (const auto& m : cursor->Columns()) {
    DescRecord rec;
    rec.meta = m;
    rec.describe = pg::Describe(m.type, m.typmod, opts);
    rec.name = m.name;
    rec.concise_type = rec.type = rec.describe.sql_type;
    rec.nullable = static_cast<SQLSMALLINT>(m.nullable);
    rec.unnamed = m.name.empty() ? SQL_UNNAMED : SQL_NAMED;
    implicit_ird.records.push_back(std::move(rec));
  }
}

void Stmt::SetResultSet(std::unique_ptr<pg::ResultSet> rs) {
  ResetCursor();
  prepared = false;
  executed = true;
  cursor = std::move(rs);
  affected = cursor ? cursor->Size() : -1;
  results_command_ = "SELECT";
  PopulateIrd();
}

SQLRETURN Stmt::MoreResults() {
  if (results.empty()) {
    ResetCursor();
    return SQL_NO_DATA;
  }
  LoadCurrentResult();
  return SQL_SUCCESS;
}

SQLRETURN Stmt::Fetch(SQLSMALLINT orientation, SQLLEN offset) {
  if (!cursor) throw OdbcError("24000", "invalid cursor state: no result set");
  if (orientation != SQL_FETCH_NEXT && cursor_type == SQL_CURSOR_FORWARD_ONLY) {
    throw OdbcError("HY106", "fetch type out of range: the cursor is forward-only");
  }
  const SQLULEN size = std::max<SQLULEN>(1, ard->array_size);
  int64_t total = cursor->Size();
  if (max_rows > 0 && total > static_cast<int64_t>(max_rows))
    total = static_cast<int64_t>(max_rows);
  const int64_t n = static_cast<int64_t>(size);
  int64_t start = 0;
  switch (orientation) {
    case SQL_FETCH_NEXT:
      start = rowset_start < 0
                  ? 0
                  : rowset_start + static_cast<int64_t>(std::max<SQLULEN>(rowset_rows, size));
      if (rowset_start >= total) start = total;
      break;
    case SQL_FETCH_PRIOR:
      if (rowset_start == 0) {
        start = -1;
      } else if (rowset_start < 0) {
        start = -1;
      } else {
        start = rowset_start - n;
        if (start < 0) {
          // 1 < CurrRowsetStart <= RowsetSize: the first rowset, with 01S06 (SQLFetchScroll).
          start = 0;
          diag().Add("01S06", "attempt to fetch before the result set returned the first rowset");
        }
      }
      break;
    case SQL_FETCH_FIRST:
      start = 0;
      break;
    case SQL_FETCH_LAST:
      start = std::max<int64_t>(0, total - n);
      break;
    case SQL_FETCH_ABSOLUTE:
      if (offset < 0) {
        start = total + offset;
        if (start < 0) start = (-offset > total && -offset <= n) ? 0 : -1;
      } else if (offset == 0) {
        start = -1;
      } else {
        start = offset - 1;
      }
      break;
    case SQL_FETCH_RELATIVE: {
      int64_t base = rowset_start < 0 ? -1 : rowset_start;
      if (rowset_start < 0 && offset <= 0) {
        start = -1;
      } else {
        start = (rowset_start < 0 ? 0 : base) + offset - (rowset_start < 0 ? 1 : 0);
        if (start < 0) {
          if (rowset_start > 0 && -offset <= n) {
            start = 0;
            diag().Add("01S06", "attempt to fetch before the result set returned the first rowset");
          } else {
            start = -1;
          }
        }
      }
      break;
    }
    default:
      throw OdbcError("HY106", "fetch type out of range");
  }
  getdata = GetDataState{};
  rowset_pos = 0;
  if (start < 0) {
    rowset_start = -1;
    rowset_rows = 0;
    cursor->Seek(-1);
    if (ird->rows_processed_ptr) *ird->rows_processed_ptr = 0;
    return SQL_NO_DATA;
  }
  if (start >= total) {
    rowset_start = total;
    rowset_rows = 0;
    cursor->Seek(total);
    if (ird->rows_processed_ptr) *ird->rows_processed_ptr = 0;
    return SQL_NO_DATA;
  }
  SQLULEN count = static_cast<SQLULEN>(std::min<int64_t>(n, total - start));
  return FillRowset(start, count);
}

SQLRETURN Stmt::FillRowset(int64_t first, SQLULEN count) {
  const SQLULEN size = std::max<SQLULEN>(1, ard->array_size);
  rowset_start = first;
  rowset_rows = count;
  const auto& cols = implicit_ird.records;
  const SQLSMALLINT bound = ard->Count();
  bool any_info = false, any_error = false;
  for (SQLULEN i = 0; i < count; ++i) {
    cursor->Seek(first + static_cast<int64_t>(i));
    SQLUSMALLINT row_status = SQL_ROW_SUCCESS;
    for (SQLSMALLINT c = 1; c <= bound && static_cast<size_t>(c) < cols.size(); ++c) {
      const DescRecord& rec = ard->records[static_cast<size_t>(c)];
      if (!rec.bound()) continue;
      BoundAddress addr = AddressOf(*ard, rec, i);
      pg::CellView v = cursor->Get(c - 1);
      CTarget t;
      t.c_type = rec.concise_type == SQL_C_DEFAULT
                     ? DefaultCType(cols[static_cast<size_t>(c)].describe.kind,
                                    cols[static_cast<size_t>(c)].describe.sql_type)
                     : rec.concise_type;
      t.data = addr.data;
      t.buffer_length = rec.octet_length;
      t.octet_length = addr.octet_length;
      t.indicator = addr.indicator;
      t.precision = rec.precision;
      t.scale = rec.scale;
      v = ApplyMaxLength(v, cols[static_cast<size_t>(c)].describe.kind, max_length);
      SQLRETURN rc =
          WriteValue(Cell{v.data, v.len, v.is_null}, cols[static_cast<size_t>(c)].describe.kind, t,
                     nullptr, CellPosition{static_cast<SQLLEN>(first + i + 1), c}, diag());
      if (rc == SQL_ERROR)
        row_status = SQL_ROW_ERROR;
      else if (rc == SQL_SUCCESS_WITH_INFO && row_status == SQL_ROW_SUCCESS)
        row_status = SQL_ROW_SUCCESS_WITH_INFO;
    }
    if (row_status == SQL_ROW_ERROR) any_error = true;
    if (row_status == SQL_ROW_SUCCESS_WITH_INFO) any_info = true;
    if (ird->array_status_ptr) ird->array_status_ptr[i] = row_status;
  }
  if (ird->array_status_ptr) {
    for (SQLULEN i = count; i < size; ++i) ird->array_status_ptr[i] = SQL_ROW_NOROW;
  }
  if (ird->rows_processed_ptr) *ird->rows_processed_ptr = count;
  cursor->Seek(first);
  if (any_error) {
    // One row: the row's error is the call's error. Several: SQL_SUCCESS_WITH_INFO, per row.
    return count == 1 ? SQL_ERROR : SQL_SUCCESS_WITH_INFO;
  }
  return any_info ? SQL_SUCCESS_WITH_INFO : SQL_SUCCESS;
}

void Stmt::SetCursorName(std::string name) {
  if (HasCursor()) throw OdbcError("24000", "invalid cursor state: a cursor is open");
  // SQLSetCursorName: names starting with SQLCUR or SQL_CUR are reserved for the driver.
  if (name.empty() || name.size() > 63 || name.rfind("SQLCUR", 0) == 0 ||
      name.rfind("SQL_CUR", 0) == 0) {
    throw OdbcError("34000", "invalid cursor name");
  }
  for (Stmt* other : dbc->statements) {
    if (other != this && other->cursor_name == name) {
      throw OdbcError("3C000", "duplicate cursor name");
    }
  }
  cursor_name = std::move(name);
}

const std::string& Stmt::CursorName() {
  if (cursor_name.empty()) {
    static std::atomic<unsigned long> counter{0};
    cursor_name = "SQL_CUR" + std::to_string(++counter);
  }
  return cursor_name;
}

SQLRETURN Stmt::ParamData(SQLPOINTER* token) {
  if (!dae.active)
    throw OdbcError("HY010", "function sequence error: no data-at-execution parameter is pending");
  if (dae.next < dae.pending.size()) {
    dae.current = dae.pending[dae.next++];
    dae.values[dae.current];  // exists from now on, even if SQLPutData is never called (empty)
    if (token) *token = apd->records[static_cast<size_t>(dae.current)].data_ptr;
    return SQL_NEED_DATA;
  }
  // Everything arrived: execute with the collected values. ExecuteBatch clears the state.
  dae.current = 0;
  dae.active = false;
  dae.ready = true;
  try {
    return ExecuteBatch();
  } catch (...) {
    dae = DaeState{};
    throw;
  }
}

void Stmt::PutData(SQLPOINTER data, SQLLEN length) {
  if (!dae.active || dae.current == 0) {
    throw OdbcError("HY010", "function sequence error: call SQLParamData before SQLPutData");
  }
  const DescRecord& a = apd->records[static_cast<size_t>(dae.current)];
  DaeValue& v = dae.values[dae.current];
  if (length == SQL_NULL_DATA) {
    if (v.started) throw OdbcError("HY011", "attribute cannot be set now: NULL after data");
    v.is_null = true;
    v.started = true;
    return;
  }
  if (v.is_null) throw OdbcError("HY011", "attribute cannot be set now: data after NULL");
  SQLSMALLINT c = a.concise_type;
  SQLLEN fixed = FixedCTypeSize(c);
  if (fixed > 0) {
    // Fixed-size types arrive whole in one call (SQLPutData, Comments).
    if (v.started)
      throw OdbcError("22001", "string data, right truncation: fixed-size value sent twice");
    if (data == nullptr) throw OdbcError("HY009", "invalid use of null pointer");
    v.bytes.assign(static_cast<const char*>(data), static_cast<size_t>(fixed));
    v.started = true;
    return;
  }
  if (length == SQL_NTS) {
    if (data == nullptr) throw OdbcError("HY009", "invalid use of null pointer");
    length = c == SQL_C_WCHAR
                 ? static_cast<SQLLEN>(
                       std::char_traits<char16_t>::length(static_cast<const char16_t*>(data)) * 2)
                 : static_cast<SQLLEN>(std::strlen(static_cast<const char*>(data)));
  }
  if (length < 0) throw OdbcError("HY090", "invalid string or buffer length");
  if (length > 0 && data == nullptr) throw OdbcError("HY009", "invalid use of null pointer");
  if (c != SQL_C_CHAR && c != SQL_C_WCHAR && c != SQL_C_BINARY && c != SQL_C_DEFAULT) {
    throw OdbcError("HY019", "non-character and non-binary data sent in pieces");
  }
  v.bytes.append(static_cast<const char*>(data), static_cast<size_t>(length));
  v.started = true;
}

SQLRETURN Stmt::GetData(SQLUSMALLINT column, SQLSMALLINT c_type, SQLPOINTER value,
                        SQLLEN buffer_length, SQLLEN* indicator) {
  if (!cursor) throw OdbcError("24000", "invalid cursor state: no result set");
  if (rowset_start < 0 || rowset_rows == 0) {
    throw OdbcError("24000", "invalid cursor state: the cursor is not positioned on a row");
  }
  const auto& cols = implicit_ird.records;
  if (column == 0) {
    throw OdbcError("07009", "invalid descriptor index: bookmarks are not enabled");
  }
  if (static_cast<size_t>(column) >= cols.size()) {
    throw OdbcError("07009", "invalid descriptor index: column " + std::to_string(column) +
                                 " does not exist (the result has " +
                                 std::to_string(cols.size() - 1) + " columns)");
  }
  if (buffer_length < 0) throw OdbcError("HY090", "invalid string or buffer length");
  if (getdata.column != column) {
    getdata = GetDataState{};
    getdata.column = column;
  }
  SQLSMALLINT target_type = c_type;
  CTarget t;
  if (c_type == SQL_ARD_TYPE) {
    if (static_cast<size_t>(column) >= ard->records.size()) {
      throw OdbcError("07009", "invalid descriptor index: SQL_ARD_TYPE with no ARD record");
    }
    const DescRecord& a = ard->records[column];
    target_type = a.concise_type;
    t.precision = a.precision;
    t.scale = a.scale;
  }
  if (target_type == SQL_C_DEFAULT) {
    target_type = DefaultCType(cols[column].describe.kind, cols[column].describe.sql_type);
  }
  t.c_type = target_type;
  t.data = value;
  t.buffer_length = buffer_length;
  t.octet_length = indicator;
  t.indicator = indicator;
  cursor->Seek(rowset_start + static_cast<int64_t>(rowset_pos));
  pg::CellView v = ApplyMaxLength(cursor->Get(column - 1), cols[column].describe.kind, max_length);
  return WriteValue(Cell{v.data, v.len, v.is_null}, cols[column].describe.kind, t, &getdata,
                    CellPosition{static_cast<SQLLEN>(rowset_start + rowset_pos + 1),
                                 static_cast<SQLINTEGER>(column)},
                    diag());
}

}  // namespace lakebase::odbc

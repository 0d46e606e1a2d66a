// ODBC handles: environment, connection, statement, descriptor. Each carries a type tag checked
// on every call (a wrong or freed handle is SQL_INVALID_HANDLE, never a crash when the memory is
// still ours), a lock, and its diagnostics.
#pragma once

#include <sql.h>
#include <sqlext.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "driver/pool.h"
#include "driver/result.h"
#include "driver/session.h"
#include "driver/sql_rewrite.h"
#include "driver/types.h"
#include "odbc/convert/convert.h"
#include "odbc/diag.h"
#include "setup/config.h"

namespace lakebase::odbc {

enum class HandleKind : uint32_t {
  kEnv = 0x4c42454e,   // "LBEN"
  kDbc = 0x4c424443,   // "LBDC"
  kStmt = 0x4c425354,  // "LBST"
  kDesc = 0x4c424453,  // "LBDS"
  kFreed = 0xdeadbeef,
};

class Handle {
 public:
  explicit Handle(HandleKind kind) : kind_(static_cast<uint32_t>(kind)) {}
  virtual ~Handle() { kind_.store(static_cast<uint32_t>(HandleKind::kFreed)); }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  bool Is(HandleKind kind) const { return kind_.load() == static_cast<uint32_t>(kind); }
  std::recursive_mutex& mutex() { return mutex_; }
  Diagnostics& diag() { return diag_; }

 private:
  std::atomic<uint32_t> kind_;
  std::recursive_mutex mutex_;
  Diagnostics diag_;
};

class Dbc;
class Stmt;

// ---------------------------------------------------------------------------------------------
// Descriptors (ODBC "Descriptors"): the ARD/APD/IRD/IPD records that bindings live in.
struct DescRecord {
  SQLSMALLINT type = SQL_C_DEFAULT;          // SQL_DESC_TYPE (verbose)
  SQLSMALLINT concise_type = SQL_C_DEFAULT;  // SQL_DESC_CONCISE_TYPE
  SQLSMALLINT datetime_interval_code = 0;
  SQLINTEGER datetime_interval_precision = 0;
  SQLLEN octet_length = 0;
  SQLULEN length = 0;
  SQLSMALLINT precision = 0;
  SQLSMALLINT scale = 0;
  SQLPOINTER data_ptr = nullptr;
  SQLLEN* indicator_ptr = nullptr;
  SQLLEN* octet_length_ptr = nullptr;
  SQLSMALLINT parameter_type = SQL_PARAM_INPUT;  // IPD
  SQLSMALLINT nullable = SQL_NULLABLE_UNKNOWN;
  SQLSMALLINT unnamed = SQL_UNNAMED;
  std::string name;
  // IRD-only, from the result's metadata
  pg::ColumnMeta meta;
  pg::ColumnDescription describe{};
  bool used =
      false;  // a field was set (SQLSetDescField/Rec, SQLCopyDesc): counts in SQL_DESC_COUNT
  bool bound() const {
    return data_ptr != nullptr || indicator_ptr != nullptr || octet_length_ptr != nullptr;
  }
};

enum class DescRole { kArd, kApd, kIrd, kIpd, kExplicit };

class Desc : public Handle {
 public:
  static constexpr HandleKind kKind = HandleKind::kDesc;
  Desc(Dbc* dbc, DescRole role, SQLSMALLINT alloc_type)
      : Handle(kKind), dbc(dbc), role(role), alloc_type(alloc_type) {}
  Dbc* dbc;
  Stmt* stmt = nullptr;  // the owner of an implicit descriptor
  DescRole role;
  SQLSMALLINT alloc_type;  // SQL_DESC_ALLOC_AUTO / SQL_DESC_ALLOC_USER
  // Header fields
  SQLULEN array_size = 1;
  SQLUSMALLINT* array_status_ptr = nullptr;
  SQLLEN* bind_offset_ptr = nullptr;
  SQLULEN bind_type = SQL_BIND_BY_COLUMN;
  SQLULEN* rows_processed_ptr = nullptr;
  // records[0] is the bookmark record; records[1..count] the columns/parameters.
  std::vector<DescRecord> records = std::vector<DescRecord>(1);

  SQLSMALLINT Count() const;     // highest bound record (ARD/APD) or records.size()-1
  DescRecord& Record(size_t n);  // grows as needed
  void Unbind();                 // SQLFreeStmt(SQL_UNBIND) / SQL_RESET_PARAMS
};

// ---------------------------------------------------------------------------------------------
class Env : public Handle {
 public:
  static constexpr HandleKind kKind = HandleKind::kEnv;
  Env() : Handle(kKind) {}
  SQLINTEGER odbc_version = SQL_OV_ODBC3;
  SQLUINTEGER connection_pooling = SQL_CP_OFF;
  SQLUINTEGER cp_match = SQL_CP_STRICT_MATCH;
  std::list<Dbc*> connections;
};

class Dbc : public Handle {
 public:
  static constexpr HandleKind kKind = HandleKind::kDbc;
  explicit Dbc(Env* env) : Handle(kKind), env(env) {}
  ~Dbc() override;

  Env* env;
  pg::Lease session;  // a pooled (or, with Pooling=0, a private) physical session
  setup::ConnectionConfig config;
  std::string identity;
  std::list<Stmt*> statements;
  std::list<Desc*> descriptors;  // explicitly allocated

  // Attributes (SQLSetConnectAttr)
  bool autocommit = true;
  SQLUINTEGER access_mode = SQL_MODE_READ_WRITE;
  SQLUINTEGER txn_isolation = SQL_TXN_READ_COMMITTED;
  SQLUINTEGER login_timeout = 0;  // 0: ConnectTimeout from the DSN
  SQLUINTEGER connection_timeout = 0;
  SQLUINTEGER metadata_id = SQL_FALSE;
  SQLUINTEGER async_enable = SQL_ASYNC_ENABLE_OFF;
  SQLUINTEGER quiet_mode = 0;
  SQLULEN packet_size = 0;
  SQLUINTEGER trace = SQL_OPT_TRACE_OFF;
  std::string tracefile;
  bool unicode = true;  // report SQL_WCHAR family for character columns

  bool connected() const { return static_cast<bool>(session); }
  pg::Session& RequireSession();  // 08003 when not connected
  pg::DescribeOptions describe_options() const;
  // Starts a transaction when autocommit is off and none is open (ODBC manual-commit mode).
  void BeginIfNeeded();
  void Connect(const setup::ConnectionConfig& cfg);
  // SQL_ATTR_RESET_CONNECTION: the driver manager is about to pool this connection. Attributes
  // go back to their defaults and the session state is reset as when our own pool takes it back.
  void ResetForPooling();
  void Disconnect();
  void EndTran(SQLSMALLINT completion);
};

// ---------------------------------------------------------------------------------------------
class Stmt : public Handle {
 public:
  static constexpr HandleKind kKind = HandleKind::kStmt;
  explicit Stmt(Dbc* dbc);
  ~Stmt() override;

  Dbc* dbc;
  Desc implicit_ard, implicit_apd, implicit_ird, implicit_ipd;
  Desc* ard;
  Desc* apd;
  Desc* ird;
  Desc* ipd;

  // Attributes
  SQLULEN cursor_type = SQL_CURSOR_FORWARD_ONLY;
  SQLULEN concurrency = SQL_CONCUR_READ_ONLY;
  SQLULEN cursor_scrollable = SQL_NONSCROLLABLE;
  SQLULEN cursor_sensitivity = SQL_UNSPECIFIED;
  SQLULEN max_rows = 0;
  SQLULEN max_length = 0;
  SQLULEN query_timeout = 0;
  SQLULEN noscan = SQL_NOSCAN_OFF;
  SQLULEN retrieve_data = SQL_RD_ON;
  SQLULEN use_bookmarks = SQL_UB_OFF;
  SQLULEN metadata_id = SQL_FALSE;
  SQLULEN rowset_size = 1;  // SQL_ROWSET_SIZE (ODBC 2 SQLExtendedFetch)
  SQLULEN async_enable = SQL_ASYNC_ENABLE_OFF;
  SQLULEN keyset_size = 0;
  SQLULEN simulate_cursor = SQL_SC_UNIQUE;
  SQLPOINTER fetch_bookmark_ptr = nullptr;

  // Statement state
  std::string sql;  // as the application gave it
  pg::RewrittenSql rewritten;
  bool prepared = false;
  std::string server_name;  // prepared statement name on the session, empty when not prepared
  pg::Session* prepared_on = nullptr;
  std::vector<pg::Oid> prepared_param_types;
  std::vector<pg::Oid> described_param_types;  // from PQdescribePrepared
  std::deque<pg::StatementResult> results;
  std::unique_ptr<pg::ResultSet> cursor;  // the current result's rows
  int64_t affected = -1;                  // current result's row count
  std::string results_command_;           // current result's command verb
  bool executed = false;
  int64_t rowset_start = -1;  // row index of the first row of the current rowset
  SQLULEN rowset_rows = 0;    // rows in the current rowset
  SQLULEN rowset_pos = 0;     // SQLSetPos row (0-based within the rowset)
  GetDataState getdata;
  std::atomic<pg::Session*> running{nullptr};  // session executing now, for SQLCancel
  std::atomic<bool> cancel_requested{false};   // SQLCancel came: a 57014 then means HY008

  // Data at execution (SQLParamData / SQLPutData, ODBC "Sending Long Data"): the parameters
  // still to be sent, the one being sent, and what has arrived for each.
  struct DaeValue {
    std::string bytes;
    bool is_null = false;
    bool started = false;
  };
  struct DaeState {
    bool active = false;       // SQL_NEED_DATA returned; SQLParamData/SQLPutData expected
    bool ready = false;        // all values arrived; the execution in progress uses them
    std::vector<int> pending;  // parameter numbers, in order
    size_t next = 0;           // index in pending of the next parameter to ask for
    int current = 0;           // parameter being sent (0: none yet)
    std::map<int, DaeValue> values;
  } dae;
  std::string cursor_name;  // SQLSetCursorName; generated on first SQLGetCursorName
  void SetCursorName(std::string name);
  const std::string& CursorName();
  SQLRETURN ParamData(SQLPOINTER* token);
  void PutData(SQLPOINTER data, SQLLEN length);
  void RequireNoPendingData() const {
    if (dae.active)
      throw OdbcError(
          "HY010",
          "function sequence error: data-at-execution parameters are pending (SQLParamData)");
  }

  void ResetCursor();  // close the cursor and drop pending results
  void CloseCursor();  // SQLCloseCursor semantics (24000 when none)
  void Prepare(std::string text);
  SQLRETURN Execute();
  SQLRETURN ExecDirect(std::string text);
  SQLRETURN Fetch(SQLSMALLINT orientation, SQLLEN offset);
  SQLRETURN GetData(SQLUSMALLINT column, SQLSMALLINT c_type, SQLPOINTER value, SQLLEN buffer_length,
                    SQLLEN* indicator);
  SQLRETURN MoreResults();
  void SetResultSet(std::unique_ptr<pg::ResultSet> rs);  // catalog functions
  bool HasCursor() const { return cursor != nullptr; }
  SQLSMALLINT NumResultCols();
  void EnsureDescribed();  // prepares on the server when metadata is asked before execution

 private:
  void LoadCurrentResult();
  void PopulateIrd();
  SQLRETURN ExecuteBatch();
  void PrepareOnServer(const std::vector<pg::Oid>& types);
  SQLRETURN FillRowset(int64_t first, SQLULEN count);
};

// Type-checked handle casts. A null, foreign or freed handle gives nullptr.
template <class H>
H* FromHandle(SQLHANDLE raw) {
  if (raw == nullptr) return nullptr;
  auto* h = static_cast<Handle*>(static_cast<H*>(raw));
  // The tag is read through the base: memory that is not a Handle of ours fails the compare
  // (and freed memory is tagged kFreed by the destructor).
  return h->Is(H::kKind) ? static_cast<H*>(h) : nullptr;
}

}  // namespace lakebase::odbc

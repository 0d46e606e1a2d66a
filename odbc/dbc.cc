#include <algorithm>

#include "common/log.h"
#include "driver/error.h"
#include "driver/pool.h"
#include "odbc/handles.h"
#include "setup/resolve.h"

namespace lakebase::odbc {

Dbc::~Dbc() = default;

pg::Session& Dbc::RequireSession() {
  if (!session) throw OdbcError("08003", "connection not open");
  if (session->Broken()) {
    throw OdbcError("08S01", "communication link failure: the connection to the server was lost");
  }
  return *session.get();
}

pg::DescribeOptions Dbc::describe_options() const {
  pg::DescribeOptions o;
  o.unicode = unicode;
  auto get = [&](const char* key) -> const std::string* {
    auto it = config.raw.find(key);
    return it == config.raw.end() ? nullptr : &it->second;
  };
  try {
    o.max_varchar_size = static_cast<int>(setup::ConfigInt(config, "MaxVarcharSize"));
    o.text_as_long_varchar = setup::ConfigBool(config, "TextAsLongVarchar");
    o.bools_as_char = setup::ConfigBool(config, "BoolsAsChar");
  } catch (const std::exception&) {
    // A configuration without these keys (built in a unit test) keeps the defaults.
    (void)get;
  }
  return o;
}

void Dbc::Connect(const setup::ConnectionConfig& cfg) {
  if (session) throw OdbcError("08002", "connection name in use: the connection is already open");
  if (!cfg.log_level.empty()) {
    if (auto level = log::ParseLevel(cfg.log_level)) {
      log::Options o;
      o.level = *level;
      o.file = cfg.log_file;
      log::Configure(o);
    }
  }
  auto timeout = login_timeout > 0 ? std::chrono::seconds(login_timeout) : cfg.connect_timeout;
  if (timeout.count() <= 0) timeout = std::chrono::hours(24);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  setup::ValidateForConnect(cfg);
  session = pg::Acquire(cfg, deadline);
  config = cfg;
  identity = session.identity();
  try {
    // Settings the application chose before connecting.
    if (access_mode == SQL_MODE_READ_ONLY) session->Run("SET default_transaction_read_only = on");
    if (txn_isolation != SQL_TXN_READ_COMMITTED) {
      const char* level = txn_isolation == SQL_TXN_SERIALIZABLE      ? "SERIALIZABLE"
                          : txn_isolation == SQL_TXN_REPEATABLE_READ ? "REPEATABLE READ"
                                                                     : "READ COMMITTED";
      session->Run(std::string("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL ") +
                   level);
    }
  } catch (...) {
    session.Discard();
    throw;
  }
}

void Dbc::Disconnect() {
  if (!session) return;
  // An open transaction is rolled back by closing the connection; ODBC says SQLDisconnect in
  // manual-commit mode with a transaction open is 25000 -- but only the application can decide,
  // and psqlODBC and most drivers roll back. We roll back (safe: no half-written work commits).
  // SQLDisconnect frees the connection's statements (SQLDisconnect, Comments); their server-side
  // prepared statements go with the session reset.
  while (!statements.empty()) {
    Stmt* s = statements.front();
    statements.pop_front();
    s->server_name.clear();
    delete s;
  }
  session.Release();
}

void Dbc::ResetForPooling() {
  while (!statements.empty()) {
    Stmt* s = statements.front();
    statements.pop_front();
    s->server_name.clear();
    delete s;
  }
  autocommit = true;
  access_mode = SQL_MODE_READ_WRITE;
  txn_isolation = SQL_TXN_READ_COMMITTED;
  metadata_id = SQL_FALSE;
  if (session && !session->Broken()) {
    if (session->InTransaction()) session->Run("ROLLBACK");
    session->Run("DISCARD ALL");
  }
}

void Dbc::BeginIfNeeded() {
  if (autocommit || !session) return;
  if (PQtransactionStatus(session->conn()) == PQTRANS_IDLE) session->Run("BEGIN");
}

void Dbc::EndTran(SQLSMALLINT completion) {
  if (completion != SQL_COMMIT && completion != SQL_ROLLBACK) {
    throw OdbcError("HY012", "invalid transaction operation code");
  }
  if (!session) throw OdbcError("08003", "connection not open");
  auto& s = RequireSession();
  for (Stmt* st : statements) st->ResetCursor();
  if (autocommit) return;  // nothing open: every statement committed itself
  auto status = PQtransactionStatus(s.conn());
  if (status == PQTRANS_IDLE) return;
  if (completion == SQL_COMMIT) {
    bool failed = status == PQTRANS_INERROR;
    s.Run("COMMIT");
    if (failed) {
      // PostgreSQL answers COMMIT of a failed transaction with ROLLBACK: say so, since the
      // application asked for a commit and none happened.
      throw OdbcError("40000", "the transaction was rolled back: a statement in it failed earlier");
    }
  } else {
    s.Run("ROLLBACK");
  }
}

}  // namespace lakebase::odbc

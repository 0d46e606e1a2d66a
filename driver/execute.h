// Running one statement on a session and collecting every result it produces, with an optional
// timeout (SQL_ATTR_QUERY_TIMEOUT: the server query is cancelled and the call ends with HYT00)
// and cancellation from another thread (SQLCancel: HY008).
#pragma once

#include <atomic>
#include <chrono>
#include <vector>

#include "driver/result.h"
#include "driver/session.h"

namespace lakebase::pg {

struct ExecRequest {
  enum class Kind { kSimple, kParams, kPrepared };
  Kind kind = Kind::kSimple;
  const char* text = nullptr;  // SQL, or the prepared statement's name for kPrepared
  int nparams = 0;
  const Oid* types = nullptr;
  const char* const* values = nullptr;
  const int* lengths = nullptr;
  const int* formats = nullptr;
  std::chrono::milliseconds timeout{0};         // 0: none
  const std::atomic<bool>* canceled = nullptr;  // set by SQLCancel before it cancels the query
};

// Sends the request and returns its results in order. A server error throws PgError with the
// server's SQLSTATE (the first error of a multi-statement text; the rest were rolled back with
// it); a timeout throws HYT00, a cancel HY008, a lost connection 08S01 (and marks the session).
std::vector<StatementResult> Execute(Session& s, const ExecRequest& request);

}  // namespace lakebase::pg

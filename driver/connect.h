// Opening a logged-in session for a configuration: credentials from auth/, a physical connect,
// one retry with a fresh token when the server rejects a cached one, and backoff while the
// endpoint wakes from scale-to-zero.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "driver/session.h"
#include "setup/config.h"

namespace lakebase::pg {

struct ConnectResult {
  std::unique_ptr<Session> session;
  std::string identity;  // non-secret, for logs and pool keys
};

// Throws PgError with an ODBC SQLSTATE: 08001 (cannot connect / configuration / workspace),
// 28P01 (login rejected), HYT00 (login timeout), 08006 (passed-in token expired).
ConnectResult Connect(const setup::ConnectionConfig& cfg,
                      std::chrono::steady_clock::time_point deadline);

}  // namespace lakebase::pg

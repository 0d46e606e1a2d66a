// One physical PostgreSQL connection (libpq), opened with a deadline.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/secret.h"
#include "driver/pq.h"

namespace lakebase::pg {

struct ColumnOrigin {
  std::string table, schema, column;
  bool not_null = false;
  bool auto_unique = false;  // identity or serial
};

struct SessionParams {
  std::string host;
  int port = 5432;
  std::string database;
  std::string user;
  SecretString password;
  std::string ssl_mode = "verify-full";
  std::string ssl_root_cert;
  std::string application_name = "lakebase-odbc";
  std::chrono::steady_clock::time_point deadline;
};

class Session {
 public:
  // Connects with PQconnectStartParams/PQconnectPoll so the deadline holds for DNS, TCP, TLS and
  // login. Throws ConnectError (classified).
  static std::unique_ptr<Session> Open(const SessionParams& params);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  PGconn* conn() const { return conn_.get(); }
  // Runs a statement whose result the caller does not need (SET, BEGIN...). Throws PgError.
  void Run(const std::string& sql);
  // Runs a query and returns its result; throws PgError on an error result.
  ResultPtr Query(const std::string& sql);
  // Cancels whatever runs on this session. Safe from any thread.
  bool Cancel(std::string* error = nullptr);

  bool InTransaction() const;
  bool Broken() const;
  void MarkBroken() { broken_ = true; }
  int ServerVersion() const { return PQserverVersion(conn_.get()); }
  std::string ServerVersionString() const;
  const std::string& user() const { return user_; }
  const std::string& database() const { return database_; }
  const std::string& host() const { return host_; }
  int port() const { return port_; }
  pid_t owner_pid() const { return owner_pid_; }
  // Forgets the socket without a goodbye: used in a fork()ed child that inherited the session.
  void Abandon();
  // Counter for unique prepared-statement names on this session.
  uint64_t NextStatementId() { return ++statement_counter_; }
  std::chrono::steady_clock::time_point created_at() const { return created_at_; }
  // Server NOTICE/WARNING messages since the last call (the driver posts them as 01000).
  std::vector<std::string> TakeNotices() { return std::exchange(notices_, {}); }
  // Column origins cached for the session's life (see driver/column_origin.h).
  const ColumnOrigin* FindColumnOrigin(unsigned int table, int column) const {
    auto it = origins_.find((static_cast<uint64_t>(table) << 16) | static_cast<uint16_t>(column));
    return it == origins_.end() ? nullptr : &it->second;
  }
  void CacheColumnOrigin(unsigned int table, int column, ColumnOrigin origin) {
    if (origins_.size() > 20000) origins_.clear();  // bounded for sessions that live for weeks
    origins_[(static_cast<uint64_t>(table) << 16) | static_cast<uint16_t>(column)] =
        std::move(origin);
  }

 private:
  Session() = default;
  ConnPtr conn_;
  std::mutex cancel_mutex_;
  CancelPtr cancel_;
  std::atomic<bool> broken_{false};
  std::string user_, database_, host_;
  int port_ = 0;
  pid_t owner_pid_ = 0;
  uint64_t statement_counter_ = 0;
  std::chrono::steady_clock::time_point created_at_ = std::chrono::steady_clock::now();
  std::vector<std::string> notices_;
  std::unordered_map<uint64_t, ColumnOrigin> origins_;
  static void OnNotice(void* self, const PGresult* result);
};

// Throws PgError for an error result (server SQLSTATE kept), 08S01 when the connection is gone.
void CheckResult(PGconn* conn, const PGresult* result);
// The server's error as one message: primary, then DETAIL and HINT lines.
std::string FormatServerError(const PGresult* result);

}  // namespace lakebase::pg

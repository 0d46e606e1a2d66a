// The process-wide pool of physical PostgreSQL sessions (DESIGN.md section 4). SQLConnect checks
// a session out, SQLDisconnect hands it back; the reset that makes it safe for the next user
// (ROLLBACK, DISCARD ALL) is sent at once in pipeline mode without waiting, so its round trip
// overlaps the application's own time, and its answer is read at the next checkout.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "driver/session.h"
#include "setup/config.h"

namespace lakebase::pg {

struct PoolOptions {
  bool enabled = true;
  size_t max_size = 10;
  size_t min_idle = 0;
  std::chrono::seconds idle_timeout{300};
  std::chrono::seconds max_lifetime{2700};
  // A session idle longer than this gets a round-trip check before it is handed out.
  std::chrono::seconds validate_after{30};
};

PoolOptions PoolOptionsFrom(const setup::ConnectionConfig& cfg);

struct PoolStats {
  size_t total = 0;  // physical sessions open (idle + in use + resetting)
  size_t idle = 0;
  size_t in_use = 0;
  size_t waiting = 0;  // callers waiting for a free session
  uint64_t created = 0;
  uint64_t reused = 0;
  uint64_t discarded = 0;
  uint64_t errors = 0;
};

// A checked-out session. Give it back with Release (healthy, reusable) or let it go (discard).
class Lease {
 public:
  Lease() = default;
  Lease(Lease&&) noexcept = default;
  Lease& operator=(Lease&&) noexcept = default;
  ~Lease();
  Session* get() const { return session_.get(); }
  Session* operator->() const { return session_.get(); }
  explicit operator bool() const { return session_ != nullptr; }
  const std::string& identity() const { return identity_; }
  // Returns the session to its pool (after a reset) or closes it when it cannot be reused.
  void Release();
  // Closes the session: it failed and must not be handed out again.
  void Discard();

 private:
  friend Lease Acquire(const setup::ConnectionConfig& cfg,
                       std::chrono::steady_clock::time_point deadline);
  std::unique_ptr<Session> session_;
  std::shared_ptr<struct Partition> partition_;
  std::string identity_;
  // The partition's options may change under its lock; the lease keeps the one it needs.
  std::chrono::seconds max_lifetime_{0};
};

// Checks out a session for cfg: a pooled one when one is idle and healthy, else a new physical
// connect (bounded by deadline, and by PoolMaxSize: a full pool waits for a release, then HYT00).
// Throws PgError like Connect().
Lease Acquire(const setup::ConnectionConfig& cfg, std::chrono::steady_clock::time_point deadline);

// Statistics summed over every partition of the process.
PoolStats Stats();

// Closes every idle session and stops the reaper (tests; library teardown).
void ShutdownPools();

}  // namespace lakebase::pg

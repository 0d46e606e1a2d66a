#include "driver/pool.h"

#include <openssl/evp.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "common/log.h"
#include "driver/connect.h"
#include "driver/error.h"
#include "setup/resolve.h"

namespace lakebase::pg {

using Clock = std::chrono::steady_clock;

struct Partition {
  std::string key;  // hash of everything that decides what a session is (never a secret)
  std::string identity;
  PoolOptions options;
  std::mutex mutex;
  std::condition_variable freed;
  struct Idle {
    std::unique_ptr<Session> session;
    Clock::time_point since;
    bool reset_pending = false;  // a ROLLBACK/DISCARD ALL pipeline whose answers are unread
  };
  std::deque<Idle> idle;  // most recently used at the back
  size_t total = 0;       // open sessions of this partition, idle or not (includes connecting)
  size_t in_use = 0;
  size_t waiting = 0;
  // Callers between finding the partition in the registry and leaving Acquire: the reaper must
  // not drop the partition under them (their session would end up in an orphan).
  std::atomic<int> acquiring{0};
  uint64_t created = 0, reused = 0, discarded = 0, errors = 0;
};

namespace {

std::string Sha256Hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), md, &n, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < n; ++i) {
    out.push_back(hex[md[i] >> 4]);
    out.push_back(hex[md[i] & 15]);
  }
  return out;
}

// Everything that decides which server, database, role and credential a session is for. The
// credentials go in hashed, so a different password or secret can never be handed a session
// that another one logged in.
std::string PartitionKey(const setup::ConnectionConfig& cfg) {
  std::string k;
  auto add = [&](std::string_view v) {
    k.append(v);
    k.push_back('\x1f');
  };
  add(cfg.host);
  add(cfg.endpoint);
  add(cfg.instance);
  add(std::to_string(cfg.port));
  add(cfg.database);
  add(cfg.user);
  add(cfg.ssl_mode);
  add(cfg.ssl_root_cert);
  add(cfg.application_name);
  add(cfg.workspace);
  add(setup::AuthTypeName(cfg.auth_type));
  add(cfg.profile);
  add(cfg.config_file);
  add(cfg.client_id);
  add(cfg.token.Reveal());
  add(cfg.client_secret.Reveal());
  add(cfg.access_token.Reveal());
  add(cfg.user_access_token.Reveal());
  add(cfg.password.Reveal());
  std::string h = Sha256Hex(k);
  std::fill(k.begin(), k.end(), '\0');
  return h;
}

// Reads the answers of a reset pipeline (command results, separated by NULLs, then the sync);
// false when the session is unusable.
bool DrainReset(Session& s, Clock::time_point deadline) {
  PGconn* c = s.conn();
  for (int guard = 0; guard < 16; ++guard) {
    while (PQisBusy(c)) {
      auto now = Clock::now();
      if (now >= deadline) return false;
      int ms = static_cast<int>(
                   std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count()) +
               1;
      pollfd p{PQsocket(c), POLLIN, 0};
      if (::poll(&p, 1, ms) < 0 && errno != EINTR) return false;
      if (!PQconsumeInput(c)) return false;
    }
    ResultPtr r(PQgetResult(c));
    if (!r) continue;  // the end of one query's results
    ExecStatusType st = PQresultStatus(r.get());
    if (st == PGRES_PIPELINE_SYNC) return PQexitPipelineMode(c) == 1;
    if (st != PGRES_COMMAND_OK) return false;
  }
  return false;
}

// Sends ROLLBACK (when a transaction is open) and DISCARD ALL without waiting: the answers are
// read at the next checkout. False when the session cannot be reset.
bool SendReset(Session& s) {
  PGconn* c = s.conn();
  auto status = PQtransactionStatus(c);
  if (status == PQTRANS_ACTIVE || status == PQTRANS_UNKNOWN) return false;
  if (!PQenterPipelineMode(c)) return false;
  if (status != PQTRANS_IDLE &&
      !PQsendQueryParams(c, "ROLLBACK", 0, nullptr, nullptr, nullptr, nullptr, 0)) {
    return false;
  }
  if (!PQsendQueryParams(c, "DISCARD ALL", 0, nullptr, nullptr, nullptr, nullptr, 0)) return false;
  return PQpipelineSync(c) == 1 && PQflush(c) == 0;
}

// A cheap liveness check, no round trip: an idle session (its reset answers already read) has
// nothing to say. A readable socket means the server closed it or sent a FATAL (restart, idle
// timeout, administrator); a NOTIFY cannot arrive after DISCARD ALL. Either way it is not handed
// out: at worst a healthy session is replaced.
bool LooksAlive(Session& s) {
  if (s.Broken()) return false;
  PGconn* c = s.conn();
  if (PQstatus(c) != CONNECTION_OK) return false;
  pollfd p{PQsocket(c), POLLIN, 0};
  int rc = ::poll(&p, 1, 0);
  return rc == 0;
}

bool RoundTrip(Session& s, Clock::time_point deadline) {
  PGconn* c = s.conn();
  if (!PQsendQuery(c, "")) return false;
  for (;;) {
    while (PQisBusy(c)) {
      auto now = Clock::now();
      if (now >= deadline) return false;
      pollfd p{PQsocket(c), POLLIN, 0};
      ::poll(&p, 1,
             static_cast<int>(
                 std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count()) +
                 1);
      if (!PQconsumeInput(c)) return false;
    }
    ResultPtr r(PQgetResult(c));
    if (!r) return PQstatus(c) == CONNECTION_OK;
    if (PQresultStatus(r.get()) != PGRES_EMPTY_QUERY) return false;
  }
}

struct Registry {
  std::mutex mutex;
  std::unordered_map<std::string, std::shared_ptr<Partition>> partitions;
  pid_t pid = ::getpid();
  std::thread* reaper = nullptr;
  std::condition_variable wake;
  bool stopping = false;
};

Registry& GetRegistry() {
  static Registry* r = new Registry();  // never destroyed: sessions may be released at exit
  return *r;
}

void ReaperLoop();

void StopReaperAtExit() {
  Registry& r = GetRegistry();
  std::thread* t = nullptr;
  {
    std::lock_guard lock(r.mutex);
    if (r.pid != ::getpid()) return;
    r.stopping = true;
    t = r.reaper;
    r.reaper = nullptr;
  }
  r.wake.notify_all();
  if (t != nullptr && t->joinable()) t->join();
  delete t;
}

// The caller holds r.mutex.
void EnsureReaper(Registry& r) {
  if (r.reaper != nullptr || r.stopping) return;
  r.reaper = new std::thread(ReaperLoop);
  static bool registered = false;
  if (!registered) {
    // Registered after libpq/OpenSSL initialised, so it runs before their exit handlers: the
    // reaper never touches a library that is being torn down.
    std::atexit(StopReaperAtExit);
    registered = true;
  }
}

// A fork()ed child inherits the parent's sessions; their sockets are the parent's. Forget them
// without a goodbye (a Terminate would end the parent's sessions) and start afresh.
void ForgetInheritedSessions(Registry& r) {
  if (r.pid == ::getpid()) return;
  for (auto& [key, p] : r.partitions) {
    for (auto& i : p->idle) i.session->Abandon();
    p->idle.clear();
  }
  r.partitions.clear();
  r.reaper = nullptr;  // the thread exists only in the parent; its object is not ours to join
  r.stopping = false;
  r.pid = ::getpid();
}

void ReaperLoop() {
  Registry& r = GetRegistry();
  std::unique_lock lock(r.mutex);
  auto last_stats = Clock::now();
  while (!r.stopping) {
    r.wake.wait_for(lock, std::chrono::seconds(1));
    if (r.stopping || r.pid != ::getpid()) break;
    std::vector<std::shared_ptr<Partition>> parts;
    for (auto& [k, p] : r.partitions) parts.push_back(p);
    lock.unlock();
    auto now = Clock::now();
    for (auto& p : parts) {
      std::vector<std::unique_ptr<Session>> close;
      {
        std::lock_guard pl(p->mutex);
        for (auto it = p->idle.begin(); it != p->idle.end();) {
          if (it->reset_pending) {
            // Read the reset's answers now (they have long arrived) so the next checkout does
            // not have to, and so the liveness check below sees a quiet socket.
            it->reset_pending = false;
            if (!DrainReset(*it->session, now + std::chrono::milliseconds(100))) {
              it->session->MarkBroken();
            }
          }
          bool too_old = now - it->session->created_at() > p->options.max_lifetime;
          bool idle_long =
              now - it->since > p->options.idle_timeout && p->idle.size() > p->options.min_idle;
          if (too_old || idle_long || !LooksAlive(*it->session)) {
            close.push_back(std::move(it->session));
            it = p->idle.erase(it);
            --p->total;
            ++p->discarded;
          } else {
            ++it;
          }
        }
      }
      if (!close.empty()) {
        log::Debug("pool: reaper closed {} idle session(s) of {}", close.size(), p->identity);
        p->freed.notify_all();
      }
      close.clear();  // PQfinish outside the partition lock
    }
    lock.lock();
    // Partitions with nothing open and nobody waiting go (per-user partitions come and go).
    for (auto it = r.partitions.begin(); it != r.partitions.end();) {
      std::lock_guard pl(it->second->mutex);
      if (it->second->total == 0 && it->second->waiting == 0 && it->second->acquiring == 0) {
        it = r.partitions.erase(it);
      } else {
        ++it;
      }
    }
    if (log::Enabled(log::Level::kDebug) && Clock::now() - last_stats > std::chrono::seconds(60)) {
      last_stats = Clock::now();
      lock.unlock();
      PoolStats st = Stats();
      log::Debug(
          "pool: total {} idle {} in use {} waiting {} created {} reused {} discarded {} "
          "errors {}",
          st.total, st.idle, st.in_use, st.waiting, st.created, st.reused, st.discarded, st.errors);
      lock.lock();
    }
  }
}

PgError PoolTimeout(const Partition& p) {
  return PgError("HYT00", "timeout expired waiting for a free session: all " +
                              std::to_string(p.options.max_size) +
                              " sessions of the pool are in use (PoolMaxSize)");
}

}  // namespace

PoolOptions PoolOptionsFrom(const setup::ConnectionConfig& cfg) {
  PoolOptions o;
  o.enabled = cfg.pooling;
  try {
    o.max_size = static_cast<size_t>(std::max<int64_t>(1, setup::ConfigInt(cfg, "PoolMaxSize")));
    o.min_idle = static_cast<size_t>(std::max<int64_t>(0, setup::ConfigInt(cfg, "PoolMinIdle")));
    o.idle_timeout = setup::ConfigSeconds(cfg, "PoolIdleTimeout");
    o.max_lifetime = setup::ConfigSeconds(cfg, "PoolMaxLifetime");
  } catch (const std::exception&) {
    // A configuration built without the keyword table (unit tests) keeps the defaults.
  }
  if (!cfg.user_access_token.empty()) {
    // On-behalf-of partitions (one per end user) stay small, like AppKit's per-user pools: a
    // web app serving many users must not hold PoolMaxSize sessions for each of them.
    o.max_size = std::min<size_t>(o.max_size, 3);
    o.min_idle = 0;
  }
  return o;
}

Lease::~Lease() {
  if (session_) Release();
}

void Lease::Discard() {
  if (!session_) return;
  std::unique_ptr<Session> s = std::move(session_);
  if (partition_) {
    {
      std::lock_guard lock(partition_->mutex);
      --partition_->total;
      --partition_->in_use;
      ++partition_->discarded;
    }
    partition_->freed.notify_one();
  }
  s.reset();
  partition_.reset();
}

void Lease::Release() {
  if (!session_) return;
  if (!partition_ || session_->owner_pid() != ::getpid() || session_->Broken()) {
    Discard();
    return;
  }
  auto now = Clock::now();
  if (now - session_->created_at() > max_lifetime_) {
    Discard();
    return;
  }
  if (!SendReset(*session_)) {
    Discard();
    return;
  }
  {
    std::lock_guard lock(partition_->mutex);
    --partition_->in_use;
    partition_->idle.push_back(Partition::Idle{std::move(session_), now, true});
  }
  partition_->freed.notify_one();
  partition_.reset();
}

Lease Acquire(const setup::ConnectionConfig& cfg, Clock::time_point deadline) {
  PoolOptions options = PoolOptionsFrom(cfg);
  Lease lease;
  if (!options.enabled) {
    ConnectResult r = Connect(cfg, deadline);
    lease.session_ = std::move(r.session);
    lease.identity_ = r.identity;
    return lease;
  }
  Registry& reg = GetRegistry();
  std::shared_ptr<Partition> part;
  {
    std::lock_guard lock(reg.mutex);
    ForgetInheritedSessions(reg);
    std::string key = PartitionKey(cfg);
    auto& slot = reg.partitions[key];
    if (!slot) {
      slot = std::make_shared<Partition>();
      slot->key = key;
    }
    part = slot;
    ++part->acquiring;
    EnsureReaper(reg);
  }
  struct Leaving {
    Partition& p;
    ~Leaving() { --p.acquiring; }
  } leaving{*part};

  std::unique_lock lock(part->mutex);
  part->options = options;  // the latest connection's settings apply to the partition
  for (;;) {
    while (!part->idle.empty()) {
      Partition::Idle item = std::move(part->idle.back());
      part->idle.pop_back();
      ++part->in_use;
      lock.unlock();
      Session& s = *item.session;
      auto now = Clock::now();
      bool ok = s.owner_pid() == ::getpid() && now - s.created_at() <= options.max_lifetime;
      if (ok && item.reset_pending) ok = DrainReset(s, deadline);
      if (ok) ok = LooksAlive(s);
      if (ok && now - item.since > options.validate_after) ok = RoundTrip(s, deadline);
      lock.lock();
      if (ok) {
        ++part->reused;
        lease.session_ = std::move(item.session);
        lease.partition_ = part;
        lease.identity_ = part->identity;
        lease.max_lifetime_ = options.max_lifetime;
        log::Trace("pool: reused a session of {} (idle {}, in use {}, total {})", part->identity,
                   part->idle.size(), part->in_use, part->total);
        return lease;
      }
      --part->in_use;
      --part->total;
      ++part->discarded;
      log::Debug("pool: discarded a stale session of {}", part->identity);
      lock.unlock();
      item.session.reset();
      lock.lock();
    }
    if (part->total < options.max_size) {
      ++part->total;
      ++part->in_use;
      lock.unlock();
      try {
        ConnectResult r = Connect(cfg, deadline);
        lock.lock();
        ++part->created;
        part->identity = r.identity;
        lease.session_ = std::move(r.session);
        lease.partition_ = part;
        lease.identity_ = r.identity;
        lease.max_lifetime_ = options.max_lifetime;
        log::Debug("pool: opened a session for {} (total {}, max {})", part->identity, part->total,
                   options.max_size);
        return lease;
      } catch (...) {
        lock.lock();
        --part->total;
        --part->in_use;
        ++part->errors;
        lock.unlock();
        part->freed.notify_one();
        throw;
      }
    }
    ++part->waiting;
    bool timed_out = !part->freed.wait_until(
        lock, deadline, [&] { return !part->idle.empty() || part->total < options.max_size; });
    --part->waiting;
    if (timed_out) {
      ++part->errors;
      throw PoolTimeout(*part);
    }
  }
}

PoolStats Stats() {
  PoolStats s;
  Registry& reg = GetRegistry();
  std::lock_guard lock(reg.mutex);
  for (auto& [k, p] : reg.partitions) {
    std::lock_guard pl(p->mutex);
    s.total += p->total;
    s.idle += p->idle.size();
    s.in_use += p->in_use;
    s.waiting += p->waiting;
    s.created += p->created;
    s.reused += p->reused;
    s.discarded += p->discarded;
    s.errors += p->errors;
  }
  return s;
}

void ShutdownPools() {
  Registry& reg = GetRegistry();
  std::vector<std::unique_ptr<Session>> close;
  {
    std::lock_guard lock(reg.mutex);
    for (auto& [k, p] : reg.partitions) {
      std::lock_guard pl(p->mutex);
      for (auto& i : p->idle) close.push_back(std::move(i.session));
      p->total -= p->idle.size();
      p->idle.clear();
    }
  }
  close.clear();
}

}  // namespace lakebase::pg

#include "auth/context.h"

#include <unistd.h>

#include <fmt/format.h>

#include <atomic>

#include "common/log.h"

namespace lakebase::auth {
namespace {

std::atomic<AuthContext*> g_default{nullptr};

// Runs when the driver library is unloaded (dlclose) or the process exits: the refresh thread
// must be joined while the code it runs is still mapped.
struct ShutdownAtUnload {
  ~ShutdownAtUnload() { Shutdown(); }
} g_shutdown_at_unload;

template <class Map>
void Bound(Map& map, size_t max_entries) {
  // Crude but bounded: past the limit, forget the oldest keys (by order) until under it.
  while (map.size() > max_entries) map.erase(map.begin());
}

}  // namespace

AuthContext::AuthContext(AuthContextOptions options)
    : options_(std::move(options)),
      clock_(options_.clock ? options_.clock : RealClockInstance()),
      platform_(options_.platform ? options_.platform : DefaultPlatform()),
      worker_(options_.background_refresh ? std::make_shared<RefreshWorker>() : nullptr),
      pid_(getpid()) {}

AuthContext::~AuthContext() { Shutdown(); }

AuthContext& AuthContext::Default() {
  while (true) {
    AuthContext* current = g_default.load(std::memory_order_acquire);
    if (current != nullptr && current->pid() == getpid()) return *current;
    // Never deleted: background threads and late callers (static destructors of the driver) may
    // still reach it; an abandoned parent's context must not be destroyed in a child at all.
    auto* fresh = new AuthContext();
    if (g_default.compare_exchange_strong(current, fresh, std::memory_order_acq_rel)) {
      return *fresh;
    }
    delete fresh;  // another thread installed one first; use that
  }
}

void AuthContext::Shutdown() {
  if (pid_ != getpid()) return;  // inherited: nothing of it may be touched
  if (worker_) worker_->Stop();
  std::map<std::string, std::shared_ptr<HttpClient>> http;
  std::map<std::string, std::shared_ptr<WorkspaceTokenSource>> m2m;
  std::map<std::string, std::shared_ptr<CachingTokenProvider>> providers;
  std::map<std::string, std::shared_ptr<U2MTokenSource>> u2m;
  std::map<std::string, std::shared_ptr<CliTokenSource>> cli;
  std::map<std::string, std::shared_ptr<FileTokenStore>> stores;
  {
    std::lock_guard lock(mutex_);
    http.swap(http_);
    m2m.swap(m2m_);
    u2m.swap(u2m_);
    cli.swap(cli_);
    stores.swap(stores_);
    providers.swap(providers_);
    lookups_.clear();
  }
  // Destroyed outside the lock: a provider's destructor must not run under it.
}

std::shared_ptr<WorkspaceClient> AuthContext::Client(const std::string& workspace,
                                                     const std::string& ca_file) {
  std::shared_ptr<HttpClient> http;
  {
    std::lock_guard lock(mutex_);
    auto it = http_.find(ca_file);
    if (it != http_.end()) {
      http = it->second;
    } else {
      http = options_.http_factory ? options_.http_factory(ca_file)
                                   : MakeCurlHttpClient(CurlHttpClientOptions{.ca_file = ca_file});
      http_[ca_file] = http;
      Bound(http_, 64);
    }
  }
  return std::make_shared<WorkspaceClient>(workspace, std::move(http), clock_, options_.retry);
}

std::shared_ptr<WorkspaceTokenSource> AuthContext::M2MSource(
    const std::shared_ptr<WorkspaceClient>& client, const std::string& client_id,
    const SecretString& client_secret) {
  // The secret's fingerprint is part of the key so a rotated secret gets a new source.
  std::string key = client->url() + "|" + client_id + "|" + Fingerprint(client_secret);
  std::lock_guard lock(mutex_);
  auto it = m2m_.find(key);
  if (it != m2m_.end()) return it->second;
  auto source = std::make_shared<M2MTokenSource>(client, client_id, client_secret);
  m2m_[key] = source;
  Bound(m2m_, options_.max_entries);
  return source;
}

std::shared_ptr<U2MTokenSource> AuthContext::U2MSource(
    const std::shared_ptr<WorkspaceClient>& client, const U2MOptions& options) {
  std::string key = fmt::format("{}|{}|{}|{}|{}", client->url(), options.client_id, options.scopes,
                                options.cache_dir, options.first_port);
  std::lock_guard lock(mutex_);
  auto it = u2m_.find(key);
  if (it != u2m_.end()) return it->second;
  auto source = std::make_shared<U2MTokenSource>(client, platform_, options);
  u2m_[key] = source;
  Bound(u2m_, options_.max_entries);
  return source;
}

std::shared_ptr<CliTokenSource> AuthContext::CliSource(const CliTokenOptions& options) {
  std::string key = fmt::format("{}|{}|{}|{}", options.cli_path, options.profile, options.host,
                                options.config_file);
  std::lock_guard lock(mutex_);
  auto it = cli_.find(key);
  if (it != cli_.end()) return it->second;
  auto source = std::make_shared<CliTokenSource>(platform_, clock_, options);
  cli_[key] = source;
  Bound(cli_, options_.max_entries);
  return source;
}

std::shared_ptr<FileTokenStore> AuthContext::FileStore(const std::string& dir) {
  {
    std::lock_guard lock(mutex_);
    auto it = stores_.find(dir);
    if (it != stores_.end()) {
      // Checked again each time: permissions loosened since the first use are refused too.
      platform_->EnsurePrivateDir(it->second->dir());
      return it->second;
    }
  }
  auto store = std::make_shared<FileTokenStore>(platform_, dir);  // checks the directory
  std::lock_guard lock(mutex_);
  auto [it, inserted] = stores_.emplace(dir, store);
  Bound(stores_, 64);
  return it->second;
}

size_t AuthContext::ForgetProviders(const std::string& needle) {
  std::vector<std::shared_ptr<CachingTokenProvider>> dropped;  // destroyed outside the lock
  std::lock_guard lock(mutex_);
  for (auto it = providers_.begin(); it != providers_.end();) {
    if (!needle.empty() && it->first.find(needle) != std::string::npos) {
      dropped.push_back(std::move(it->second));
      it = providers_.erase(it);
    } else {
      ++it;
    }
  }
  return dropped.size();
}

std::shared_ptr<CachingTokenProvider> AuthContext::Provider(
    const std::string& key, const std::function<std::shared_ptr<CachingTokenProvider>()>& make) {
  std::lock_guard lock(mutex_);
  auto it = providers_.find(key);
  if (it != providers_.end()) return it->second;
  auto provider = make();
  providers_[key] = provider;
  if (providers_.size() > options_.max_entries) {
    // Forget providers nobody holds whose token has expired; then, if still over, the oldest.
    auto now = clock_->SystemNow();
    for (auto i = providers_.begin(); i != providers_.end();) {
      auto expiry = i->second->cached_expiry();
      if (i->first != key && i->second.use_count() == 1 && (!expiry || *expiry <= now)) {
        i = providers_.erase(i);
      } else {
        ++i;
      }
    }
    Bound(providers_, options_.max_entries);
  }
  return provider;
}

std::optional<std::string> AuthContext::Lookup(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = lookups_.find(key);
  if (it == lookups_.end()) return std::nullopt;
  if (clock_->SteadyNow() >= it->second.expires) {
    lookups_.erase(it);
    return std::nullopt;
  }
  return it->second.value;
}

void AuthContext::StoreLookup(const std::string& key, std::string value) {
  std::lock_guard lock(mutex_);
  auto now = clock_->SteadyNow();
  lookups_[key] = LookupEntry{std::move(value), now + options_.lookup_ttl};
  if (lookups_.size() > options_.max_entries) {
    std::erase_if(lookups_, [&](const auto& entry) { return entry.second.expires <= now; });
    Bound(lookups_, options_.max_entries);
  }
}

void Shutdown() {
  AuthContext* current = g_default.load(std::memory_order_acquire);
  if (current != nullptr && current->pid() == getpid()) current->Shutdown();
}

}  // namespace lakebase::auth

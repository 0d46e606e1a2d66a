// The auth layer's process-wide state in one object: HTTP transport, clock, the token cache, the
// workspace-token sources shared between connections, the lookup cache and the background
// refresher. PlanLogin uses AuthContext::Default(); tests build their own with a fake HttpClient
// and a FakeClock, so each test has its own caches and nothing touches the network.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "auth/cli_token.h"
#include "auth/clock.h"
#include "auth/file_token_cache.h"
#include "auth/http.h"
#include "auth/platform.h"
#include "auth/token_cache.h"
#include "auth/u2m.h"
#include "auth/workspace_client.h"
#include "auth/workspace_token.h"

namespace lakebase::auth {

struct AuthContextOptions {
  // Makes the HTTP client for a workspace CA file ("" = system bundle). Null: libcurl.
  std::function<std::shared_ptr<HttpClient>(const std::string& ca_file)> http_factory;
  std::shared_ptr<Clock> clock;  // null: the real clock
  // Environment, processes, browser, files. Null: DefaultPlatform().
  std::shared_ptr<Platform> platform;
  RetryPolicy retry;
  TokenCacheOptions cache;  // refresh_margin is overridden per DSN by TokenRefreshMargin
  bool background_refresh = true;
  // How long host and user lookups are remembered. Hosts and user names practically never
  // change; an hour bounds the damage if one does.
  std::chrono::seconds lookup_ttl{3600};
  // Bound on each cache's entries (a process running for weeks must stay flat).
  size_t max_entries = 1024;
};

class AuthContext {
 public:
  explicit AuthContext(AuthContextOptions options = {});
  ~AuthContext();
  AuthContext(const AuthContext&) = delete;
  AuthContext& operator=(const AuthContext&) = delete;

  // The process-wide context. In a child after fork() a new one is made: the parent's threads do
  // not exist there and its locks may be held forever, so the old one is abandoned untouched.
  static AuthContext& Default();

  // Stops and joins the background refresher and drops every cached token, source and lookup.
  // The context stays usable (a later refresh starts the thread again).
  void Shutdown();

  // --- used by PlanLogin ---
  std::shared_ptr<WorkspaceClient> Client(const std::string& workspace, const std::string& ca_file);
  // One M2M source per (workspace, client id, secret), so every endpoint shares one OAuth token.
  std::shared_ptr<WorkspaceTokenSource> M2MSource(const std::shared_ptr<WorkspaceClient>& client,
                                                  const std::string& client_id,
                                                  const SecretString& client_secret);
  // One U2M source per (workspace, client id, scopes, cache dir): one browser sign-in per process
  // and workspace, shared by every endpoint.
  std::shared_ptr<U2MTokenSource> U2MSource(const std::shared_ptr<WorkspaceClient>& client,
                                            const U2MOptions& options);
  // One CLI source per (program, profile, host): one CLI run per token lifetime.
  std::shared_ptr<CliTokenSource> CliSource(const CliTokenOptions& options);
  // The file store for dir (checked and created on first use; throws AuthError for a directory
  // others can read).
  std::shared_ptr<FileTokenStore> FileStore(const std::string& dir);
  // Drops every cached provider whose key contains needle (a hash of a replaced passed-in token).
  // Returns how many were dropped.
  size_t ForgetProviders(const std::string& needle);
  // The cached provider for key, made by make on first use.
  std::shared_ptr<CachingTokenProvider> Provider(
      const std::string& key, const std::function<std::shared_ptr<CachingTokenProvider>()>& make);
  std::optional<std::string> Lookup(const std::string& key);
  void StoreLookup(const std::string& key, std::string value);

  const std::shared_ptr<Clock>& clock() const { return clock_; }
  const std::shared_ptr<Platform>& platform() const { return platform_; }
  const std::shared_ptr<RefreshWorker>& worker() const { return worker_; }
  const AuthContextOptions& options() const { return options_; }
  int pid() const { return pid_; }

 private:
  struct LookupEntry {
    std::string value;
    std::chrono::steady_clock::time_point expires;
  };

  AuthContextOptions options_;
  std::shared_ptr<Clock> clock_;
  std::shared_ptr<Platform> platform_;
  std::shared_ptr<RefreshWorker> worker_;
  int pid_;

  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<HttpClient>> http_;
  std::map<std::string, std::shared_ptr<WorkspaceTokenSource>> m2m_;
  std::map<std::string, std::shared_ptr<U2MTokenSource>> u2m_;
  std::map<std::string, std::shared_ptr<CliTokenSource>> cli_;
  std::map<std::string, std::shared_ptr<FileTokenStore>> stores_;
  std::map<std::string, std::shared_ptr<CachingTokenProvider>> providers_;
  std::map<std::string, LookupEntry> lookups_;
};

// Stops and joins the auth layer's background thread and clears its caches. Call before the
// driver library is unloaded (it also runs from a static destructor). Safe to call more than
// once and in a forked child (where it leaves the parent's thread alone).
void Shutdown();

}  // namespace lakebase::auth

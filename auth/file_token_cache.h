// The optional cross-process token cache (TokenCache=file): database credentials kept in files of
// a private directory so that every process of this user on the machine mints once, not once
// each (DESIGN.md section 3).
//
// Files hold secrets. That is acceptable for the same reason ~/.databrickscfg and the Databricks
// CLI's token cache are: only this user can read them (files 0600 in a 0700 directory, both
// checked on every use and refused when looser), and a database credential lives an hour at
// most. File names are hashes of the cache key, never a token, and the key itself holds only
// hashes of secrets.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "auth/clock.h"
#include "auth/platform.h"
#include "auth/token.h"
#include "auth/workspace_api.h"

namespace lakebase::auth {

class FileTokenStore {
 public:
  // dir is checked (and created 0700) by the constructor: throws AuthError(kConfiguration) for a
  // directory others can read.
  FileTokenStore(std::shared_ptr<Platform> platform, std::string dir);

  // dir/<sha256(key)>.token and its lock file dir/<sha256(key)>.lock.
  std::string PathFor(const std::string& key) const;
  std::string LockPathFor(const std::string& key) const;

  std::optional<Token> Load(const std::string& key);  // nullopt: none, unreadable or another key
  void Save(const std::string& key, const Token& token, const std::string& describe);
  void Remove(const std::string& key);
  std::unique_ptr<FileLock> Lock(const std::string& key,
                                 std::chrono::steady_clock::time_point deadline);
  const std::string& dir() const { return dir_; }

 private:
  std::shared_ptr<Platform> platform_;
  std::string dir_;
};

// Wraps a minter: a token another process left in the store is used instead of minting while it
// has more than the refresh margin left; otherwise the store's lock is taken, the store read
// again (someone may have minted while we waited), and only then is a token minted and saved.
// So N processes refreshing at the same moment make one workspace call.
class FileCachedMinter final : public CredentialMinter {
 public:
  FileCachedMinter(std::shared_ptr<CredentialMinter> inner, std::shared_ptr<FileTokenStore> store,
                   std::string key, std::shared_ptr<Clock> clock,
                   std::chrono::seconds refresh_margin);
  Token Mint(const CallContext& ctx) override;
  void Invalidate(const Token& rejected) override;
  std::string Describe() const override { return inner_->Describe(); }

  struct Stats {
    int from_file = 0;
    int minted = 0;
  };
  Stats stats() const;

 private:
  // Whether a stored token is worth using: not rejected, and more than the refresh margin (capped
  // at half its lifetime, as the in-memory cache does) left.
  bool Usable(const Token& token) const;

  std::shared_ptr<CredentialMinter> inner_;
  std::shared_ptr<FileTokenStore> store_;
  std::string key_;
  std::shared_ptr<Clock> clock_;
  std::chrono::seconds refresh_margin_;
  mutable std::mutex mutex_;
  std::optional<SecretString> rejected_;
  Stats stats_;
};

}  // namespace lakebase::auth

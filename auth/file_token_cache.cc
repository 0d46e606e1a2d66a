#include "auth/file_token_cache.h"

#include <fmt/format.h>
#include <rapidjson/document.h>

#include "auth/encoding.h"
#include "auth/json.h"
#include "common/log.h"

namespace lakebase::auth {
namespace {

int64_t EpochSeconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

FileTokenStore::FileTokenStore(std::shared_ptr<Platform> platform, std::string dir)
    : platform_(std::move(platform)), dir_(std::move(dir)) {
  while (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
  platform_->EnsurePrivateDir(dir_);
}

std::string FileTokenStore::PathFor(const std::string& key) const {
  return dir_ + "/" + Sha256Hex("lakebase-token|" + key).substr(0, 48) + ".token";
}

std::string FileTokenStore::LockPathFor(const std::string& key) const {
  return dir_ + "/" + Sha256Hex("lakebase-token|" + key).substr(0, 48) + ".lock";
}

std::optional<Token> FileTokenStore::Load(const std::string& key) {
  std::optional<std::string> text = platform_->ReadPrivateFile(PathFor(key));
  if (!text) return std::nullopt;
  SecretString wipe(*text);
  rapidjson::Document doc;
  doc.Parse(text->data(), text->size());
  text->assign(text->size(), '\0');
  if (doc.HasParseError() || !doc.IsObject()) return std::nullopt;
  const rapidjson::Value* k = json::Find(doc, "key");
  const rapidjson::Value* token = json::Find(doc, "token");
  const rapidjson::Value* expires = json::Find(doc, "expires_at");
  const rapidjson::Value* issued = json::Find(doc, "issued_at");
  // The key stored inside guards against a hash collision (or a file copied by hand).
  if (k == nullptr || !k->IsString() || key != std::string(k->GetString(), k->GetStringLength()) ||
      token == nullptr || !token->IsString() || token->GetStringLength() == 0 ||
      expires == nullptr || !expires->IsInt64()) {
    return std::nullopt;
  }
  Token t;
  t.value = SecretString(std::string(token->GetString(), token->GetStringLength()));
  t.expires_at = std::chrono::system_clock::time_point(std::chrono::seconds(expires->GetInt64()));
  if (issued != nullptr && issued->IsInt64()) {
    t.issued_at = std::chrono::system_clock::time_point(std::chrono::seconds(issued->GetInt64()));
  }
  return t;
}

void FileTokenStore::Save(const std::string& key, const Token& token, const std::string& describe) {
  std::string text = "{\"version\":1,\"key\":";
  json::AppendQuoted(text, key);
  text += ",\"for\":";
  json::AppendQuoted(text, describe);
  text += ",\"token\":";
  json::AppendQuoted(text, token.value.Reveal());
  text += fmt::format(",\"expires_at\":{},\"issued_at\":{}}}\n", EpochSeconds(token.expires_at),
                      EpochSeconds(token.issued_at));
  SecretString wipe(text);
  platform_->WritePrivateFile(PathFor(key), text);
  text.assign(text.size(), '\0');
}

void FileTokenStore::Remove(const std::string& key) { platform_->RemoveFile(PathFor(key)); }

std::unique_ptr<FileLock> FileTokenStore::Lock(const std::string& key,
                                               std::chrono::steady_clock::time_point deadline) {
  return platform_->Lock(LockPathFor(key), deadline);
}

FileCachedMinter::FileCachedMinter(std::shared_ptr<CredentialMinter> inner,
                                   std::shared_ptr<FileTokenStore> store, std::string key,
                                   std::shared_ptr<Clock> clock,
                                   std::chrono::seconds refresh_margin)
    : inner_(std::move(inner)),
      store_(std::move(store)),
      key_(std::move(key)),
      clock_(std::move(clock)),
      refresh_margin_(refresh_margin) {}

FileCachedMinter::Stats FileCachedMinter::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

bool FileCachedMinter::Usable(const Token& token) const {
  {
    std::lock_guard lock(mutex_);
    if (rejected_ && *rejected_ == token.value) return false;
  }
  auto now = clock_->SystemNow();
  auto margin = std::chrono::duration_cast<std::chrono::system_clock::duration>(refresh_margin_);
  if (token.issued_at.time_since_epoch().count() > 0 && token.expires_at > token.issued_at) {
    margin = std::min(margin, (token.expires_at - token.issued_at) / 2);
  }
  return token.expires_at - now > margin;
}

Token FileCachedMinter::Mint(const CallContext& ctx) {
  auto use = [&](Token token) {
    std::lock_guard lock(mutex_);
    ++stats_.from_file;
    log::Debug("auth: using the database credential for {} another process left in {}",
               inner_->Describe(), store_->dir());
    token.from_cache = true;
    return token;
  };
  if (auto stored = store_->Load(key_); stored && Usable(*stored)) return use(*stored);
  std::unique_ptr<FileLock> lock = store_->Lock(key_, ctx.deadline);
  if (!lock) {
    // The lock holder is slow (a workspace outage); minting ourselves beats failing the login.
    log::Warn("auth: timed out waiting for the token cache lock for {}; minting without it",
              inner_->Describe());
  } else if (auto stored = store_->Load(key_); stored && Usable(*stored)) {
    return use(*stored);
  }
  Token token = inner_->Mint(ctx);
  if (token.issued_at.time_since_epoch().count() == 0) token.issued_at = clock_->SystemNow();
  try {
    store_->Save(key_, token, inner_->Describe());
  } catch (const AuthError& e) {
    log::Warn("auth: could not write the token cache for {}: {}", inner_->Describe(), e.what());
  }
  std::lock_guard guard(mutex_);
  ++stats_.minted;
  return token;
}

void FileCachedMinter::Invalidate(const Token& rejected) {
  {
    std::lock_guard lock(mutex_);
    rejected_ = rejected.value;
  }
  // Other processes must not pick the rejected token up either.
  auto lock = store_->Lock(key_, clock_->SteadyNow() + std::chrono::seconds(5));
  if (auto stored = store_->Load(key_); stored && stored->value == rejected.value) {
    store_->Remove(key_);
  }
}

}  // namespace lakebase::auth

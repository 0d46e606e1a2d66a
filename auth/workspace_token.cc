#include "auth/workspace_token.h"

#include <fmt/format.h>

#include <charconv>

#include "auth/encoding.h"
#include "auth/json.h"
#include "common/log.h"

namespace lakebase::auth {

std::string_view AuthMethodName(setup::AuthType type) {
  switch (type) {
    case setup::AuthType::kAuto:
      return "auto";
    case setup::AuthType::kPat:
      return "pat";
    case setup::AuthType::kOAuthM2M:
      return "oauth-m2m";
    case setup::AuthType::kOAuthU2M:
      return "oauth-u2m";
    case setup::AuthType::kDatabricksCli:
      return "databricks-cli";
    case setup::AuthType::kAccessToken:
      return "access-token";
    case setup::AuthType::kPassword:
      return "password";
  }
  return "auto";
}

std::string_view AuthMethodTag(setup::AuthType type) {
  switch (type) {
    case setup::AuthType::kAuto:
      return "auto";
    case setup::AuthType::kPat:
      return "pat";
    case setup::AuthType::kOAuthM2M:
      return "m2m";
    case setup::AuthType::kOAuthU2M:
      return "u2m";
    case setup::AuthType::kDatabricksCli:
      return "cli";
    case setup::AuthType::kAccessToken:
      return "token";
    case setup::AuthType::kPassword:
      return "password";
  }
  return "auto";
}

bool FreshEnough(const std::optional<std::chrono::system_clock::time_point>& expires_at,
                 const std::optional<std::chrono::system_clock::time_point>& issued_at,
                 std::chrono::system_clock::time_point now, std::chrono::seconds margin) {
  if (!expires_at) return false;
  auto needed = std::chrono::duration_cast<std::chrono::system_clock::duration>(margin);
  if (issued_at && *expires_at > *issued_at)
    needed = std::min(needed, (*expires_at - *issued_at) / 2);
  return *expires_at - now > needed;
}

std::string Fingerprint(const SecretString& secret) {
  return Sha256Hex(secret.Reveal()).substr(0, 8);
}

std::optional<std::chrono::system_clock::time_point> JwtExpiry(const std::string& token) {
  size_t first = token.find('.');
  if (first == std::string::npos) return std::nullopt;
  size_t second = token.find('.', first + 1);
  if (second == std::string::npos) return std::nullopt;
  auto payload = Base64UrlDecode(std::string_view(token).substr(first + 1, second - first - 1));
  if (!payload) return std::nullopt;
  rapidjson::Document doc;
  doc.Parse(payload->data(), payload->size());
  if (doc.HasParseError() || !doc.IsObject()) return std::nullopt;
  auto it = doc.FindMember("exp");
  if (it == doc.MemberEnd() || !it->value.IsNumber()) return std::nullopt;
  double exp = it->value.GetDouble();
  if (exp <= 0 || exp > 1e11) return std::nullopt;
  return std::chrono::system_clock::time_point(std::chrono::seconds(static_cast<int64_t>(exp)));
}

WorkspaceToken PatTokenSource::Get(std::chrono::steady_clock::time_point, std::stop_token) {
  return WorkspaceToken{token_, std::nullopt, false};
}

AccessTokenSource::AccessTokenSource(SecretString token, std::shared_ptr<Clock> clock)
    : token_(std::move(token)), clock_(std::move(clock)), expires_at_(JwtExpiry(token_.Reveal())) {}

WorkspaceToken AccessTokenSource::Get(std::chrono::steady_clock::time_point, std::stop_token) {
  if (expires_at_ && *expires_at_ <= clock_->SystemNow()) {
    throw AuthError(AuthErrorKind::kExpired,
                    fmt::format("the access token passed to the driver (token {}) expired at {}; "
                                "the driver cannot renew it: hand in a fresh one "
                                "(SQL_ATTR_CREDENTIALS, or AccessToken/UserAccessToken in the "
                                "connection string) and connect again",
                                Fingerprint(token_), FormatRfc3339(*expires_at_)));
  }
  return WorkspaceToken{token_, expires_at_, false};
}

M2MTokenSource::M2MTokenSource(std::shared_ptr<WorkspaceClient> client, std::string client_id,
                               SecretString client_secret)
    : client_(std::move(client)),
      client_id_(std::move(client_id)),
      client_secret_(std::move(client_secret)) {}

WorkspaceToken M2MTokenSource::Get(std::chrono::steady_clock::time_point deadline,
                                   std::stop_token stop) {
  std::unique_lock lock(mutex_);
  while (true) {
    auto now = client_->clock().SystemNow();
    if (cached_ && FreshEnough(cached_->expires_at, cached_->issued_at, now, kM2MRefreshMargin)) {
      WorkspaceToken token = *cached_;
      token.from_cache = true;
      return token;
    }
    if (!fetching_) break;
    if (!cv_.wait_until(lock, deadline, [&] { return !fetching_; })) {
      throw AuthError(
          AuthErrorKind::kTimeout,
          "timed out waiting for the workspace OAuth token (client id " + client_id_ + ")");
    }
  }
  fetching_ = true;
  lock.unlock();
  std::optional<WorkspaceToken> token;
  try {
    token = Fetch(deadline, stop);
  } catch (const AuthError& e) {
    lock.lock();
    fetching_ = false;
    cv_.notify_all();
    // Renewal ahead of expiry failed, but the current token still works: keep using it (the
    // next call tries again) rather than fail a login that does not need a new one yet.
    if (cached_ && cached_->expires_at && *cached_->expires_at > client_->clock().SystemNow()) {
      log::Warn(
          "auth: renewing the workspace OAuth token for client id {} failed ({}); the "
          "current one stays in use until it expires",
          client_id_, e.what());
      WorkspaceToken token = *cached_;
      token.from_cache = true;
      return token;
    }
    throw;  // waiters try for themselves: each is bounded by its own deadline
  } catch (...) {
    lock.lock();
    fetching_ = false;
    cv_.notify_all();
    throw;
  }
  lock.lock();
  fetching_ = false;
  cached_ = token;
  cv_.notify_all();
  return *token;
}

void M2MTokenSource::Invalidate(const SecretString& rejected) {
  std::lock_guard lock(mutex_);
  if (cached_ && cached_->value == rejected) cached_.reset();
}

WorkspaceToken M2MTokenSource::Fetch(std::chrono::steady_clock::time_point deadline,
                                     std::stop_token stop) {
  WorkspaceCall call;
  call.method = HttpMethod::kPost;
  call.path = "/oidc/v1/token";
  call.content_type = "application/x-www-form-urlencoded";
  call.body = "grant_type=client_credentials&scope=all-apis";
  call.authorization =
      SecretString("Basic " + Base64Encode(client_id_ + ":" + client_secret_.Reveal()));
  call.action = "getting a workspace OAuth token for client id " + client_id_;
  call.deadline = deadline;
  call.stop = stop;
  call.scrub = {client_secret_};
  auto requested_at = client_->clock().SystemNow();
  HttpResponse response = client_->Send(call);
  rapidjson::Document doc = json::ParseObject(response.body, call.action);
  WorkspaceToken token;
  token.value = SecretString(json::RequireString(doc, "access_token", call.action));
  // expires_in counts from when the server answered; measuring from the request is the safe side.
  const rapidjson::Value* expires_in = json::Find(doc, "expires_in");
  std::optional<int64_t> seconds;
  if (expires_in != nullptr && expires_in->IsNumber()) {
    seconds = static_cast<int64_t>(expires_in->GetDouble());
  } else if (expires_in != nullptr && expires_in->IsString()) {
    int64_t v = 0;
    std::string_view text(expires_in->GetString(), expires_in->GetStringLength());
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec == std::errc() && ptr == text.data() + text.size()) seconds = v;
  }
  if (!seconds) {
    // Without expires_in we cannot know; a short assumed life makes us ask again soon.
    log::Warn("auth: OAuth token response for client id {} has no expires_in; assuming 5 minutes",
              client_id_);
    seconds = 300;
  }
  token.expires_at = requested_at + std::chrono::seconds(*seconds);
  token.issued_at = requested_at;
  log::Debug("auth: workspace OAuth token for client id {} obtained, valid {} s", client_id_,
             *seconds);
  return token;
}

}  // namespace lakebase::auth

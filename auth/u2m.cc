#include "auth/u2m.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdio>

#include "auth/encoding.h"
#include "auth/json.h"
#include "common/log.h"

namespace lakebase::auth {
namespace {

constexpr char kForm[] = "application/x-www-form-urlencoded";

std::string Page(std::string_view title, std::string_view text) {
  return fmt::format(
      "<!doctype html><html><head><meta charset=\"utf-8\"><title>{0}</title></head>"
      "<body style=\"font-family:sans-serif;margin:3em\"><h2>{0}</h2><p>{1}</p></body></html>",
      HtmlEscape(title), HtmlEscape(text));
}

std::optional<int64_t> ExpiresIn(const rapidjson::Value& doc) {
  const rapidjson::Value* v = json::Find(doc, "expires_in");
  if (v != nullptr && v->IsNumber()) return static_cast<int64_t>(v->GetDouble());
  if (v != nullptr && v->IsString()) {
    int64_t n = 0;
    std::string_view text(v->GetString(), v->GetStringLength());
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec == std::errc() && ptr == text.data() + text.size()) return n;
  }
  return std::nullopt;
}

}  // namespace

Pkce MakePkce() {
  Pkce p;
  p.verifier = Base64UrlEncode(RandomBytes(32));
  p.challenge = PkceChallenge(p.verifier);
  return p;
}

std::string PkceChallenge(std::string_view verifier) { return Base64UrlEncode(Sha256(verifier)); }

std::map<std::string, std::string> ParseQuery(std::string_view target) {
  std::map<std::string, std::string> out;
  size_t q = target.find('?');
  if (q == std::string_view::npos) return out;
  std::string_view query = target.substr(q + 1);
  query = query.substr(0, query.find('#'));
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query.remove_prefix(amp == std::string_view::npos ? query.size() : amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    auto key = UrlDecode(pair.substr(0, eq));
    auto value = UrlDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (!key || !value) continue;
    out.emplace(std::move(*key), std::move(*value));  // emplace keeps the first
  }
  return out;
}

std::string HtmlEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

OAuthEndpoints DiscoverOAuthEndpoints(const WorkspaceClient& client,
                                      std::chrono::steady_clock::time_point deadline,
                                      std::stop_token stop) {
  OAuthEndpoints fallback{client.url() + "/oidc/v1/authorize", "/oidc/v1/token"};
  WorkspaceCall call;
  call.method = HttpMethod::kGet;
  call.path = "/oidc/.well-known/oauth-authorization-server";
  call.action = "discovering the workspace's OAuth endpoints";
  call.deadline = deadline;
  call.stop = stop;
  HttpResponse response = client.SendRaw(call);
  if (response.status == 404) {
    log::Debug("auth: no OAuth discovery document at {}; using /oidc/v1/*", client.url());
    return fallback;
  }
  if (response.status < 200 || response.status > 299) {
    throw AuthError(AuthErrorKind::kWorkspace,
                    fmt::format("{} failed: {} ({})", call.action,
                                WorkspaceClient::DescribeError(response, {}), client.url()));
  }
  rapidjson::Document doc = json::ParseObject(response.body, call.action);
  OAuthEndpoints endpoints;
  endpoints.authorization_endpoint =
      json::RequireString(doc, "authorization_endpoint", call.action);
  std::string token = json::RequireString(doc, "token_endpoint", call.action);
  // Codes, verifiers and refresh tokens go to the token endpoint: only ever to the workspace the
  // user configured, whatever the discovery document says.
  const std::string& base = client.url();
  if (token.size() <= base.size() || token.compare(0, base.size(), base) != 0 ||
      token[base.size()] != '/') {
    throw AuthError(AuthErrorKind::kWorkspace,
                    fmt::format("{}: the token endpoint {} is not on the workspace {}; refusing "
                                "to send sign-in codes there",
                                call.action, token.substr(0, 200), base));
  }
  endpoints.token_path = token.substr(base.size());
  if (endpoints.authorization_endpoint.rfind("https://", 0) != 0 &&
      endpoints.authorization_endpoint.rfind(base, 0) != 0) {
    throw AuthError(AuthErrorKind::kWorkspace,
                    fmt::format("{}: the authorization endpoint is not an https URL", call.action));
  }
  return endpoints;
}

U2MTokenSource::U2MTokenSource(std::shared_ptr<WorkspaceClient> client,
                               std::shared_ptr<Platform> platform, U2MOptions options)
    : client_(std::move(client)), platform_(std::move(platform)), options_(std::move(options)) {}

std::string U2MTokenSource::SessionFile() const {
  if (options_.cache_dir.empty()) return {};
  return options_.cache_dir + "/u2m-" +
         Sha256Hex("u2m|" + client_->url() + "|" + options_.client_id).substr(0, 40) + ".json";
}

U2MTokenSource::Stats U2MTokenSource::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

WorkspaceToken U2MTokenSource::Get(std::chrono::steady_clock::time_point deadline,
                                   std::stop_token stop) {
  std::unique_lock lock(mutex_);
  while (true) {
    auto now = client_->clock().SystemNow();
    if (session_ && session_->Fresh(now)) {
      return WorkspaceToken{session_->access_token, session_->expires_at, true};
    }
    if (!fetching_) break;
    if (!cv_.wait_until(lock, deadline, [&] { return !fetching_; })) {
      throw AuthError(AuthErrorKind::kTimeout, "timed out waiting for the browser sign-in to " +
                                                   client_->url() +
                                                   " started by another connection");
    }
  }
  fetching_ = true;
  std::optional<Session> previous = session_;
  lock.unlock();
  std::optional<WorkspaceToken> token;
  std::optional<AuthError> error;
  try {
    token = Fetch(deadline, stop);
  } catch (const AuthError& e) {
    error = e;
  }
  lock.lock();
  fetching_ = false;
  cv_.notify_all();
  if (error) {
    if (previous && previous->expires_at && *previous->expires_at > client_->clock().SystemNow()) {
      log::Warn("auth: renewing the OAuth token for {} failed ({}); the current one stays in use",
                client_->url(), error->what());
      return WorkspaceToken{previous->access_token, previous->expires_at, true};
    }
    throw *error;
  }
  return *token;
}

void U2MTokenSource::Invalidate(const SecretString& rejected) {
  std::lock_guard lock(mutex_);
  if (session_ && session_->access_token == rejected) {
    session_->access_token = SecretString();
    session_->expires_at.reset();
  }
}

WorkspaceToken U2MTokenSource::Fetch(std::chrono::steady_clock::time_point deadline,
                                     std::stop_token stop) {
  std::optional<Session> session;
  SecretString refresh;
  {
    std::lock_guard lock(mutex_);
    if (session_) refresh = session_->refresh_token;
  }
  if (refresh.empty()) {
    // Another process (or an earlier run) may have signed in: its session file has the refresh
    // token, maybe a still-valid access token too.
    if (auto stored = LoadSession()) {
      std::lock_guard lock(mutex_);
      ++stats_.loaded_from_file;
      auto now = client_->clock().SystemNow();
      if (stored->Fresh(now)) {
        session_ = *stored;
        // from_cache: if the workspace revoked it meanwhile, a 401 earns a renewal.
        return WorkspaceToken{stored->access_token, stored->expires_at, true};
      }
      refresh = stored->refresh_token;
    }
  }
  if (!refresh.empty()) {
    session = Refresh(refresh, deadline, stop);
    if (!session) {
      log::Info("auth: the stored sign-in for {} is no longer valid; signing in again",
                client_->url());
      ForgetSession();
    } else {
      std::lock_guard lock(mutex_);
      ++stats_.refreshes;
    }
  }
  if (!session) {
    {
      std::lock_guard lock(mutex_);
      if (last_failure_ &&
          client_->clock().SteadyNow() - last_failure_->first < kNoRepromptWindow) {
        throw last_failure_->second;
      }
    }
    try {
      session = BrowserSignIn(deadline, stop);
    } catch (const AuthError& e) {
      std::lock_guard lock(mutex_);
      last_failure_.emplace(client_->clock().SteadyNow(), e);
      throw;
    }
    std::lock_guard lock(mutex_);
    last_failure_.reset();
    ++stats_.browser_sign_ins;
  }
  SaveSession(*session);
  {
    std::lock_guard lock(mutex_);
    session_ = *session;
  }
  return WorkspaceToken{session->access_token, session->expires_at, false};
}

std::optional<U2MTokenSource::Session> U2MTokenSource::LoadSession() {
  std::string path = SessionFile();
  if (path.empty()) return std::nullopt;
  platform_->EnsurePrivateDir(options_.cache_dir);
  std::optional<std::string> text = platform_->ReadPrivateFile(path);
  if (!text) return std::nullopt;
  rapidjson::Document doc;
  doc.Parse(text->data(), text->size());
  if (doc.HasParseError() || !doc.IsObject()) {
    log::Warn("auth: ignoring the unreadable sign-in file {}", path);
    return std::nullopt;
  }
  auto str = [&](const char* name) -> std::string {
    const rapidjson::Value* v = json::Find(doc, name);
    return v != nullptr && v->IsString() ? std::string(v->GetString(), v->GetStringLength())
                                         : std::string();
  };
  // The file name is a hash: check the contents are really for this workspace and client.
  if (str("workspace") != client_->url() || str("client_id") != options_.client_id) {
    return std::nullopt;
  }
  Session s;
  s.refresh_token = SecretString(str("refresh_token"));
  s.access_token = SecretString(str("access_token"));
  if (const rapidjson::Value* v = json::Find(doc, "expires_at"); v != nullptr && v->IsInt64()) {
    s.expires_at = std::chrono::system_clock::time_point(std::chrono::seconds(v->GetInt64()));
  }
  if (const rapidjson::Value* v = json::Find(doc, "issued_at"); v != nullptr && v->IsInt64()) {
    s.issued_at = std::chrono::system_clock::time_point(std::chrono::seconds(v->GetInt64()));
  }
  if (s.refresh_token.empty() && s.access_token.empty()) return std::nullopt;
  return s;
}

void U2MTokenSource::SaveSession(const Session& session) {
  std::string path = SessionFile();
  if (path.empty()) return;
  // Secrets in a file: acceptable because the file is this user's alone (0600 in a 0700
  // directory, checked on every read) -- the same trust the Databricks CLI's token cache and
  // ~/.databrickscfg get. Without it the user would sign in again on every process start.
  std::string text = "{\"version\":1,\"workspace\":";
  json::AppendQuoted(text, client_->url());
  text += ",\"client_id\":";
  json::AppendQuoted(text, options_.client_id);
  text += ",\"refresh_token\":";
  json::AppendQuoted(text, session.refresh_token.Reveal());
  text += ",\"access_token\":";
  json::AppendQuoted(text, session.access_token.Reveal());
  auto epoch = [](std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  };
  if (session.expires_at) text += fmt::format(",\"expires_at\":{}", epoch(*session.expires_at));
  if (session.issued_at) text += fmt::format(",\"issued_at\":{}", epoch(*session.issued_at));
  text += "}\n";
  try {
    platform_->EnsurePrivateDir(options_.cache_dir);
    platform_->WritePrivateFile(path, text);
  } catch (const AuthError& e) {
    log::Warn("auth: could not keep the sign-in for {} ({}); the next process will ask again",
              client_->url(), e.what());
  }
  SecretString wipe(std::move(text));
}

void U2MTokenSource::ForgetSession() {
  {
    std::lock_guard lock(mutex_);
    session_.reset();
  }
  if (std::string path = SessionFile(); !path.empty()) platform_->RemoveFile(path);
}

const OAuthEndpoints& U2MTokenSource::Endpoints(std::chrono::steady_clock::time_point deadline,
                                                std::stop_token stop) {
  // Only the fetching thread gets here (single flight), so no lock is needed for endpoints_.
  if (!endpoints_) endpoints_ = DiscoverOAuthEndpoints(*client_, deadline, stop);
  return *endpoints_;
}

U2MTokenSource::Session U2MTokenSource::ParseTokenResponse(
    const HttpResponse& response, const std::string& action,
    std::chrono::system_clock::time_point requested_at, const SecretString& previous_refresh) {
  rapidjson::Document doc = json::ParseObject(response.body, action);
  Session s;
  s.access_token = SecretString(json::RequireString(doc, "access_token", action));
  if (const auto* r = json::Find(doc, "refresh_token");
      r != nullptr && r->IsString() && r->GetStringLength() > 0) {
    s.refresh_token = SecretString(std::string(r->GetString(), r->GetStringLength()));
  } else {
    s.refresh_token = previous_refresh;  // servers that do not rotate refresh tokens
  }
  s.issued_at = requested_at;
  if (auto seconds = ExpiresIn(doc)) {
    s.expires_at = requested_at + std::chrono::seconds(*seconds);
  } else {
    s.expires_at = JwtExpiry(s.access_token.Reveal());
    if (!s.expires_at) s.expires_at = requested_at + std::chrono::seconds(300);
  }
  return s;
}

std::optional<U2MTokenSource::Session> U2MTokenSource::Refresh(
    const SecretString& refresh_token, std::chrono::steady_clock::time_point deadline,
    std::stop_token stop) {
  const OAuthEndpoints& endpoints = Endpoints(deadline, stop);
  WorkspaceCall call;
  call.method = HttpMethod::kPost;
  call.path = endpoints.token_path;
  call.content_type = kForm;
  call.body = "grant_type=refresh_token&refresh_token=" + FormUrlEncode(refresh_token.Reveal()) +
              "&client_id=" + FormUrlEncode(options_.client_id);
  call.action = "renewing the signed-in OAuth token for " + client_->url();
  call.deadline = deadline;
  call.stop = stop;
  call.scrub = {refresh_token};
  auto requested_at = client_->clock().SystemNow();
  HttpResponse response = client_->SendRaw(call);
  SecretString wipe(std::move(call.body));
  if (response.status == 400 || response.status == 401) {
    log::Info("auth: {} was refused: {}", call.action,
              WorkspaceClient::DescribeError(response, call.scrub));
    return std::nullopt;
  }
  if (response.status < 200 || response.status > 299) {
    throw AuthError(
        AuthErrorKind::kWorkspace,
        fmt::format("{} failed: {} ({})", call.action,
                    WorkspaceClient::DescribeError(response, call.scrub), client_->url()));
  }
  return ParseTokenResponse(response, call.action, requested_at, refresh_token);
}

U2MTokenSource::Session U2MTokenSource::BrowserSignIn(
    std::chrono::steady_clock::time_point deadline, std::stop_token stop) {
  const OAuthEndpoints& endpoints = Endpoints(deadline, stop);
  int last_port = std::min(65535, options_.first_port + options_.port_span);
  std::unique_ptr<LoopbackListener> listener =
      platform_->ListenLoopback(options_.first_port, last_port);
  const std::string redirect_uri = fmt::format("http://localhost:{}", listener->port());
  const Pkce pkce = MakePkce();
  const std::string state = Base64UrlEncode(RandomBytes(24));
  const std::string& authorize = endpoints.authorization_endpoint;
  std::string url = authorize + (authorize.find('?') == std::string::npos ? "?" : "&") +
                    "response_type=code&client_id=" + FormUrlEncode(options_.client_id) +
                    "&redirect_uri=" + FormUrlEncode(redirect_uri) +
                    "&scope=" + FormUrlEncode(options_.scopes) + "&state=" + state +
                    "&code_challenge=" + pkce.challenge + "&code_challenge_method=S256";
  log::Info("auth: browser sign-in to {} (redirect to {})", client_->url(), redirect_uri);
  if (!platform_->OpenBrowser(url)) {
    // No browser on this machine (a server, a container): the user can open it elsewhere only if
    // that browser can reach this machine's loopback, e.g. through an SSH tunnel.
    std::fprintf(stderr,
                 "Lakebase ODBC: to sign in to %s, open this address in a browser on this "
                 "machine:\n\n  %s\n\n",
                 client_->url().c_str(), url.c_str());
    std::fflush(stderr);
  }
  while (true) {
    if (stop.stop_requested()) {
      throw AuthError(AuthErrorKind::kTimeout, "browser sign-in cancelled (driver shutdown)");
    }
    std::optional<LoopbackRequest> request = listener->Next(deadline);
    if (!request) {
      throw AuthError(AuthErrorKind::kTimeout,
                      fmt::format("browser sign-in to {} timed out: the browser did not come back "
                                  "to {} within the login timeout; finish signing in faster or "
                                  "raise ConnectTimeout (e.g. ConnectTimeout=120)",
                                  client_->url(), redirect_uri));
    }
    if (request->method != "GET") {
      listener->Reply(400, Page("Lakebase ODBC", "Only GET is expected here."));
      continue;
    }
    std::string_view path = request->target;
    path = path.substr(0, path.find('?'));
    if (path != "/") {
      listener->Reply(404, Page("Not found", "This is the Lakebase ODBC sign-in listener."));
      continue;
    }
    std::map<std::string, std::string> query = ParseQuery(request->target);
    auto state_it = query.find("state");
    if (state_it == query.end() || state_it->second != state) {
      // Not the answer to our request (a stale tab, another program, a forged link): say so and
      // keep waiting for the real one.
      log::Warn("auth: the sign-in listener got a request without the expected state; ignored");
      listener->Reply(400, Page("Sign-in not recognised",
                                "This page does not belong to the sign-in in progress (the state "
                                "does not match). Close it and use the page the driver opened."));
      continue;
    }
    if (auto error = query.find("error"); error != query.end()) {
      std::string description =
          query.contains("error_description") ? ": " + query["error_description"] : "";
      listener->Reply(400, Page("Sign-in failed", error->second + description));
      throw AuthError(AuthErrorKind::kWorkspace,
                      fmt::format("browser sign-in to {} failed: {}{}", client_->url(),
                                  error->second.substr(0, 100), description.substr(0, 300)));
    }
    auto code_it = query.find("code");
    if (code_it == query.end() || code_it->second.empty()) {
      listener->Reply(400, Page("Sign-in failed", "The redirect carried no authorization code."));
      throw AuthError(AuthErrorKind::kWorkspace,
                      "browser sign-in to " + client_->url() +
                          " failed: the redirect carried no authorization code");
    }
    SecretString code(code_it->second);
    WorkspaceCall call;
    call.method = HttpMethod::kPost;
    call.path = endpoints.token_path;
    call.content_type = kForm;
    call.body = "grant_type=authorization_code&code=" + FormUrlEncode(code.Reveal()) +
                "&redirect_uri=" + FormUrlEncode(redirect_uri) + "&code_verifier=" + pkce.verifier +
                "&client_id=" + FormUrlEncode(options_.client_id);
    call.action = "exchanging the browser sign-in code for a token at " + client_->url();
    call.deadline = deadline;
    call.stop = stop;
    call.scrub = {code, SecretString(pkce.verifier)};
    auto requested_at = client_->clock().SystemNow();
    try {
      HttpResponse response = client_->Send(call);
      Session session = ParseTokenResponse(response, call.action, requested_at, SecretString());
      listener->Reply(200, Page("Signed in", "Lakebase ODBC is signed in to " + client_->url() +
                                                 ". You can close this window."));
      return session;
    } catch (const AuthError& e) {
      listener->Reply(400, Page("Sign-in failed", e.what()));
      throw;
    }
  }
}

}  // namespace lakebase::auth

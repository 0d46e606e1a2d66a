#include "auth/workspace_api.h"

#include <fmt/format.h>

#include "auth/encoding.h"
#include "auth/json.h"
#include "common/log.h"

namespace lakebase::auth {
namespace {

constexpr char kJson[] = "application/json";

// Sends call with a bearer from source. A 401 to a cached, renewable bearer (an M2M token the
// workspace revoked early) earns one retry with a fresh bearer; a 401 to a passed-in token is
// kExpired, since only the application can supply a new one.
HttpResponse CallWithBearer(const WorkspaceClient& client, WorkspaceTokenSource& source,
                            WorkspaceCall call) {
  for (int round = 0;; ++round) {
    WorkspaceToken bearer = source.Get(call.deadline, call.stop);
    call.authorization = SecretString("Bearer " + bearer.value.Reveal());
    call.scrub.push_back(bearer.value);
    HttpResponse response = client.SendRaw(call);
    if (response.status >= 200 && response.status <= 299) return response;
    if (response.status == 401 && source.CanRenew() && bearer.from_cache && round == 0) {
      log::Info("auth: workspace rejected a cached OAuth token while {}; getting a new one",
                call.action);
      source.Invalidate(bearer.value);
      continue;
    }
    std::string detail = WorkspaceClient::DescribeError(response, call.scrub);
    if (response.status == 401 && source.Method() == setup::AuthType::kAccessToken) {
      throw AuthError(AuthErrorKind::kExpired,
                      fmt::format("{} failed: the workspace rejected the access token passed to "
                                  "the driver ({}); it has expired or was revoked, and the driver "
                                  "cannot renew it: pass a fresh AccessToken",
                                  call.action, detail));
    }
    throw AuthError(AuthErrorKind::kWorkspace,
                    fmt::format("{} failed: {} ({})", call.action, detail, client.url()));
  }
}

std::chrono::system_clock::time_point RequireTime(const rapidjson::Value& doc,
                                                  std::string_view field, std::string_view action) {
  std::string text = json::RequireString(doc, field, action);
  auto time = ParseRfc3339(text);
  if (!time) {
    throw AuthError(AuthErrorKind::kWorkspace,
                    fmt::format("{}: the workspace's {} \"{}\" is not an RFC 3339 time", action,
                                field, text.substr(0, 64)));
  }
  return *time;
}

WorkspaceCall MakeCall(HttpMethod method, std::string path, std::string action,
                       const CallContext& ctx) {
  WorkspaceCall call;
  call.method = method;
  call.path = std::move(path);
  call.action = std::move(action);
  call.deadline = ctx.deadline;
  call.stop = ctx.stop;
  return call;
}

}  // namespace

void ValidateEndpointName(const std::string& endpoint) {
  bool ok = !endpoint.empty() && endpoint.front() != '/' && endpoint.find("..") == endpoint.npos &&
            endpoint.find("//") == endpoint.npos;
  for (char c : endpoint) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_' || c == '.' || c == '/')) {
      ok = false;
    }
  }
  if (!ok) {
    throw AuthError(AuthErrorKind::kConfiguration,
                    fmt::format("Endpoint \"{}\" is not a Lakebase endpoint name "
                                "(projects/<project>/branches/<branch>/endpoints/<endpoint>)",
                                endpoint.substr(0, 200)));
  }
}

void ValidateInstanceName(const std::string& instance) {
  bool ok = !instance.empty();
  for (char c : instance) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_' || c == '.')) {
      ok = false;
    }
  }
  if (!ok || instance.find("..") != instance.npos) {
    throw AuthError(
        AuthErrorKind::kConfiguration,
        fmt::format("Instance \"{}\" is not a Lakebase instance name", instance.substr(0, 200)));
  }
}

Token MintPostgresCredential(const WorkspaceClient& client, WorkspaceTokenSource& source,
                             const std::string& endpoint, const CallContext& ctx) {
  ValidateEndpointName(endpoint);
  WorkspaceCall call = MakeCall(HttpMethod::kPost, "/api/2.0/postgres/credentials",
                                "minting a database credential for endpoint " + endpoint, ctx);
  call.content_type = kJson;
  call.body = "{\"endpoint\":";
  json::AppendQuoted(call.body, endpoint);
  call.body += "}";
  HttpResponse response = CallWithBearer(client, source, call);
  rapidjson::Document doc = json::ParseObject(response.body, call.action);
  Token token;
  token.value = SecretString(json::RequireString(doc, "token", call.action));
  token.expires_at = RequireTime(doc, "expire_time", call.action);
  return token;
}

Token MintProvisionedCredential(const WorkspaceClient& client, WorkspaceTokenSource& source,
                                const std::string& instance, const CallContext& ctx) {
  ValidateInstanceName(instance);
  WorkspaceCall call = MakeCall(HttpMethod::kPost, "/api/2.0/database/credentials",
                                "minting a database credential for instance " + instance, ctx);
  call.content_type = kJson;
  call.body = "{\"instance_names\":[";
  json::AppendQuoted(call.body, instance);
  call.body += "],\"request_id\":";
  json::AppendQuoted(call.body, NewUuid4());
  call.body += "}";
  HttpResponse response = CallWithBearer(client, source, call);
  rapidjson::Document doc = json::ParseObject(response.body, call.action);
  Token token;
  token.value = SecretString(json::RequireString(doc, "token", call.action));
  token.expires_at = RequireTime(doc, "expiration_time", call.action);
  return token;
}

std::string LookupEndpointHost(const WorkspaceClient& client, WorkspaceTokenSource& source,
                               const std::string& endpoint, const CallContext& ctx) {
  ValidateEndpointName(endpoint);
  WorkspaceCall call = MakeCall(HttpMethod::kGet, "/api/2.0/postgres/" + endpoint,
                                "looking up the host of endpoint " + endpoint, ctx);
  HttpResponse response = CallWithBearer(client, source, call);
  rapidjson::Document doc = json::ParseObject(response.body, call.action);
  std::string host = json::RequireString(doc, "status.hosts.host", call.action);
  if (const auto* state = json::Find(doc, "status.current_state"); state && state->IsString()) {
    log::Debug("auth: endpoint {} is {}", endpoint, state->GetString());
  }
  return host;
}

std::string LookupInstanceHost(const WorkspaceClient& client, WorkspaceTokenSource& source,
                               const std::string& instance, const CallContext& ctx) {
  ValidateInstanceName(instance);
  WorkspaceCall call = MakeCall(HttpMethod::kGet, "/api/2.0/database/instances/" + instance,
                                "looking up the host of instance " + instance, ctx);
  HttpResponse response = CallWithBearer(client, source, call);
  rapidjson::Document doc = json::ParseObject(response.body, call.action);
  return json::RequireString(doc, "read_write_dns", call.action);
}

std::string LookupCurrentUserName(const WorkspaceClient& client, WorkspaceTokenSource& source,
                                  const CallContext& ctx) {
  WorkspaceCall call = MakeCall(HttpMethod::kGet, "/api/2.0/preview/scim/v2/Me",
                                "looking up the current user (SCIM Me)", ctx);
  HttpResponse response = CallWithBearer(client, source, call);
  rapidjson::Document doc = json::ParseObject(response.body, call.action);
  return json::RequireString(doc, "userName", call.action);
}

DatabaseCredentialMinter::DatabaseCredentialMinter(std::shared_ptr<WorkspaceClient> client,
                                                   std::shared_ptr<WorkspaceTokenSource> source,
                                                   DatabaseKind kind, std::string name)
    : client_(std::move(client)), source_(std::move(source)), kind_(kind), name_(std::move(name)) {}

Token DatabaseCredentialMinter::Mint(const CallContext& ctx) {
  auto requested_at = client_->clock().SystemNow();
  Token token = kind_ == DatabaseKind::kEndpoint
                    ? MintPostgresCredential(*client_, *source_, name_, ctx)
                    : MintProvisionedCredential(*client_, *source_, name_, ctx);
  // The request time is the safe side: the lifetime comes out a little longer, never shorter.
  token.issued_at = requested_at;
  return token;
}

std::string DatabaseCredentialMinter::Describe() const {
  return (kind_ == DatabaseKind::kEndpoint ? "endpoint " : "instance ") + name_;
}

}  // namespace lakebase::auth

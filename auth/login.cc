#include "auth/login.h"

#include <fmt/format.h>

#include <charconv>

#include "auth/context.h"
#include "auth/databricks_config.h"
#include "auth/encoding.h"
#include "auth/file_token_cache.h"
#include "auth/token_cache.h"
#include "auth/workspace_api.h"
#include "auth/workspace_token.h"
#include "common/log.h"

namespace lakebase::auth {
namespace {

using setup::AuthType;

AuthError ConfigError(const std::string& message) {
  return AuthError(AuthErrorKind::kConfiguration, message);
}

bool HasM2M(const setup::ConnectionConfig& cfg) {
  return !cfg.client_id.empty() && !cfg.client_secret.empty();
}
bool HasAccessToken(const setup::ConnectionConfig& cfg) {
  return !cfg.access_token.empty() || !cfg.user_access_token.empty();
}
bool HasDatabricksCredentials(const setup::ConnectionConfig& cfg) {
  return !cfg.token.empty() || HasM2M(cfg) || HasAccessToken(cfg);
}

// The workspace bearer a passed-in-token login uses: the on-behalf-of user token wins, since an
// app passes it precisely to act as that user rather than as its own service principal.
const SecretString& PassedInToken(const setup::ConnectionConfig& cfg) {
  return !cfg.user_access_token.empty() ? cfg.user_access_token : cfg.access_token;
}

std::chrono::seconds RefreshMargin(const setup::ConnectionConfig& cfg,
                                   std::chrono::seconds fallback) {
  auto it = cfg.raw.find("TokenRefreshMargin");
  if (it == cfg.raw.end() || it->second.empty()) return fallback;
  std::string_view text = it->second;
  if (!text.empty() && (text.back() == 's' || text.back() == 'S')) text.remove_suffix(1);
  int64_t seconds = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc() || ptr != text.data() + text.size() || seconds < 0 || seconds > 3000) {
    throw ConfigError(
        fmt::format("TokenRefreshMargin \"{}\" is not a number of seconds (0..3000)", it->second));
  }
  return std::chrono::seconds(seconds);
}

std::string Raw(const setup::ConnectionConfig& cfg, const char* key) {
  auto it = cfg.raw.find(key);
  return it == cfg.raw.end() ? std::string() : it->second;
}

int RedirectPort(const setup::ConnectionConfig& cfg) {
  std::string text = Raw(cfg, "OAuthRedirectPort");
  int port = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || port < 1 ||
      port > 65535) {
    return 8020;
  }
  return port;
}

bool FileCacheWanted(const setup::ConnectionConfig& cfg) {
  std::string mode = Raw(cfg, "TokenCache");
  return mode == "file" || mode == "File" || mode == "FILE";
}

// TokenCacheDir, else the platform default ($XDG_CACHE_HOME/lakebase-odbc, ~/.cache/...).
std::string CacheDir(const setup::ConnectionConfig& cfg, const Platform& platform) {
  std::string dir = Raw(cfg, "TokenCacheDir");
  if (dir == "~" || dir.rfind("~/", 0) == 0) dir = platform.HomeDir() + dir.substr(1);
  if (dir.empty()) dir = platform.DefaultCacheDir();
  return dir;
}

std::string CliPath(const Platform& platform, const std::optional<Profile>& profile) {
  if (auto env = platform.GetEnv("DATABRICKS_CLI_PATH"); env && !env->empty()) return *env;
  if (profile) {
    if (auto it = profile->values.find("databricks_cli_path");
        it != profile->values.end() && !it->second.empty()) {
      return it->second;
    }
  }
  return "databricks";
}

// Whether the Databricks config file should be consulted at all. A plain Postgres login (a
// password and no Databricks credentials, no Profile asked for) must not change behaviour
// because ~/.databrickscfg happens to exist.
bool WantsProfile(const setup::ConnectionConfig& cfg) {
  if (cfg.auth_type == AuthType::kPassword) return false;
  if (!cfg.profile.empty() || !cfg.config_file.empty()) return true;
  if (cfg.auth_type == AuthType::kAuto && !cfg.password.empty() && !HasDatabricksCredentials(cfg)) {
    return false;
  }
  return true;
}

bool SetFromEnvironment(const setup::ConnectionConfig& cfg,
                        std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    auto it = cfg.sources.find(key);
    if (it != cfg.sources.end()) return it->second == setup::Source::kEnvironment;
  }
  return false;
}

struct Credentials {
  std::shared_ptr<WorkspaceTokenSource> source;
  // Non-secret principal for the identity string (client id, or 8 hex of the token's hash).
  std::string principal;
  // Internal cache-key part: a full hash, so two tokens can never share cached lookups or
  // credentials by a fingerprint collision.
  std::string key;
};

Credentials MakeCredentials(AuthType method, const setup::ConnectionConfig& cfg,
                            const std::shared_ptr<WorkspaceClient>& client, AuthContext& context,
                            const std::optional<Profile>& profile) {
  Credentials c;
  switch (method) {
    case AuthType::kOAuthU2M: {
      U2MOptions u2m;
      // Always the public client databricks-cli: ClientId, when set, is a service principal's
      // (a Databricks App's environment has one) and must not be mistaken for an OAuth app.
      if (std::string scope = Raw(cfg, "OAuthScope"); !scope.empty()) u2m.scopes = scope;
      u2m.first_port = RedirectPort(cfg);
      u2m.cache_dir = CacheDir(cfg, *context.platform());
      c.source = context.U2MSource(client, u2m);
      c.key = "u2m:" + u2m.client_id;
      break;
    }
    case AuthType::kDatabricksCli: {
      CliTokenOptions cli;
      cli.cli_path = CliPath(*context.platform(), profile);
      cli.profile = cfg.profile;
      cli.host = client->url();
      if (profile && !cli.profile.empty()) cli.config_file = profile->file;
      c.source = context.CliSource(cli);
      c.key = "cli:" + (cfg.profile.empty() ? "host" : "profile:" + cfg.profile);
      break;
    }
    case AuthType::kPat:
      c.source = std::make_shared<PatTokenSource>(cfg.token);
      c.key = "pat:" + Sha256Hex(cfg.token.Reveal());
      break;
    case AuthType::kAccessToken:
      c.source = std::make_shared<AccessTokenSource>(PassedInToken(cfg), context.clock());
      c.key = "token:" + Sha256Hex(PassedInToken(cfg).Reveal());
      break;
    case AuthType::kOAuthM2M:
      c.source = context.M2MSource(client, cfg.client_id, cfg.client_secret);
      c.key = "m2m:" + cfg.client_id + ":" + Sha256Hex(cfg.client_secret.Reveal());
      break;
    default:
      throw ConfigError(fmt::format("AuthType {} is not supported", AuthMethodName(method)));
  }
  c.principal = c.source->Principal();
  return c;
}

std::string ResolveHost(const setup::ConnectionConfig& cfg, const WorkspaceClient& client,
                        const Credentials& creds, AuthContext& context, const CallContext& ctx) {
  if (!cfg.host.empty()) return cfg.host;
  if (!cfg.endpoint.empty()) {
    std::string key = fmt::format("host|{}|endpoint|{}|{}", client.url(), cfg.endpoint, creds.key);
    if (auto cached = context.Lookup(key)) return *cached;
    std::string host = LookupEndpointHost(client, *creds.source, cfg.endpoint, ctx);
    context.StoreLookup(key, host);
    return host;
  }
  if (!cfg.instance.empty()) {
    std::string key = fmt::format("host|{}|instance|{}|{}", client.url(), cfg.instance, creds.key);
    if (auto cached = context.Lookup(key)) return *cached;
    std::string host = LookupInstanceHost(client, *creds.source, cfg.instance, ctx);
    context.StoreLookup(key, host);
    return host;
  }
  throw ConfigError(
      "no database to connect to: set Endpoint (LAKEBASE_ENDPOINT), Instance, or "
      "Host (PGHOST)");
}

std::string ResolveUser(AuthType method, const setup::ConnectionConfig& cfg,
                        const WorkspaceClient& client, const Credentials& creds,
                        AuthContext& context, const CallContext& ctx) {
  // A Databricks App's environment carries PGUSER for the app's own service principal; a
  // connection made with a user's token (on behalf of that user) must log in as the user.
  bool ignore_env_user = method == AuthType::kAccessToken && !cfg.user_access_token.empty() &&
                         SetFromEnvironment(cfg, {"UID", "User"});
  if (!cfg.user.empty() && !ignore_env_user) return cfg.user;
  if (method == AuthType::kOAuthM2M) return cfg.client_id;  // a service principal's role name
  std::string key = fmt::format("user|{}|{}", client.url(), creds.key);
  if (auto cached = context.Lookup(key)) return *cached;
  std::string user = LookupCurrentUserName(client, *creds.source, ctx);
  context.StoreLookup(key, user);
  return user;
}

LoginPlan PlanPassword(const setup::ConnectionConfig& cfg) {
  if (cfg.password.empty()) {
    throw ConfigError("AuthType password needs a password: set PWD (PGPASSWORD)");
  }
  if (cfg.user.empty()) {
    throw ConfigError("a native password login needs a user name: set UID (PGUSER)");
  }
  if (cfg.host.empty()) {
    throw ConfigError(
        "a native password login needs Host (PGHOST): looking the host up from "
        "Endpoint or Instance needs Databricks credentials");
  }
  LoginPlan plan;
  plan.host = cfg.host;
  plan.port = cfg.port;
  plan.user = cfg.user;
  plan.identity = fmt::format("password:{}:{}", cfg.host, cfg.user);
  plan.password = cfg.password;
  return plan;
}

}  // namespace

AuthType ResolveAuthType(const setup::ConnectionConfig& cfg) {
  switch (cfg.auth_type) {
    case AuthType::kPassword:
      return AuthType::kPassword;
    case AuthType::kPat:
      if (cfg.token.empty()) {
        throw ConfigError(
            "AuthType pat needs a personal access token: set Token (DATABRICKS_TOKEN)");
      }
      return AuthType::kPat;
    case AuthType::kOAuthM2M:
      if (cfg.client_id.empty()) {
        throw ConfigError("AuthType oauth-m2m needs ClientId (DATABRICKS_CLIENT_ID)");
      }
      if (cfg.client_secret.empty()) {
        throw ConfigError("AuthType oauth-m2m needs ClientSecret (DATABRICKS_CLIENT_SECRET)");
      }
      return AuthType::kOAuthM2M;
    case AuthType::kAccessToken:
      if (!HasAccessToken(cfg)) {
        throw ConfigError("AuthType access-token needs AccessToken (or UserAccessToken)");
      }
      return AuthType::kAccessToken;
    case AuthType::kOAuthU2M:
      return AuthType::kOAuthU2M;  // needs nothing but the workspace (checked by PlanLogin)
    case AuthType::kDatabricksCli:
      return AuthType::kDatabricksCli;
    case AuthType::kAuto:
      break;
  }
  // The default chain (DESIGN.md section 3). A password alone means a plain Postgres login; next
  // to Databricks credentials it is ignored, since OAuth is what Lakebase roles use.
  if (!cfg.password.empty() && !HasDatabricksCredentials(cfg)) return AuthType::kPassword;
  if (HasAccessToken(cfg)) return AuthType::kAccessToken;
  if (!cfg.token.empty()) return AuthType::kPat;
  if (HasM2M(cfg)) return AuthType::kOAuthM2M;
  // The Databricks CLI comes next when a profile says auth_type = databricks-cli (ApplyProfile
  // then sets AuthType) or, in PlanLogin, when the CLI is installed. The browser sign-in (U2M)
  // is never chosen implicitly: a driver must not pop up a browser for a server process; it
  // needs AuthType=oauth-u2m (external-browser) or Auth_Flow=2.
  if (!cfg.client_id.empty()) {
    throw ConfigError("ClientId is set but ClientSecret (DATABRICKS_CLIENT_SECRET) is not");
  }
  if (!cfg.client_secret.empty()) {
    throw ConfigError("ClientSecret is set but ClientId (DATABRICKS_CLIENT_ID) is not");
  }
  throw ConfigError(
      "no credentials: set Token (DATABRICKS_TOKEN) for a personal access token, ClientId and "
      "ClientSecret (DATABRICKS_CLIENT_ID, DATABRICKS_CLIENT_SECRET) for a service principal, "
      "AccessToken for an OAuth token, a Profile of ~/.databrickscfg, AuthType=oauth-u2m for a "
      "browser sign-in, or UID and PWD for a native Postgres login");
}

LoginPlan PlanLogin(const setup::ConnectionConfig& cfg,
                    std::chrono::steady_clock::time_point deadline) {
  return PlanLogin(cfg, deadline, AuthContext::Default());
}

LoginPlan PlanLogin(const setup::ConnectionConfig& cfg_in,
                    std::chrono::steady_clock::time_point deadline, AuthContext& context) {
  Platform& platform = *context.platform();
  // The Databricks config file fills what the connection string, DSN and environment left out.
  std::optional<Profile> profile;
  setup::ConnectionConfig cfg = cfg_in;
  if (WantsProfile(cfg_in)) {
    profile = SelectProfile(cfg_in, platform);
    if (profile) {
      cfg = ApplyProfile(cfg_in, *profile);
      log::Debug("auth: using profile {} of {}", profile->name, profile->file);
    }
  }
  // The default chain's last resort: an installed Databricks CLI that may hold a sign-in.
  if (cfg.auth_type == AuthType::kAuto && !HasDatabricksCredentials(cfg) && cfg.password.empty() &&
      !cfg.workspace.empty() && platform.IsExecutable(CliPath(platform, profile))) {
    cfg.auth_type = AuthType::kDatabricksCli;
  }

  AuthType method = ResolveAuthType(cfg);
  if (method == AuthType::kPassword) return PlanPassword(cfg);

  if (cfg.workspace.empty()) {
    throw ConfigError(
        fmt::format("{} login needs the workspace URL: set Workspace "
                    "(DATABRICKS_HOST), or host in a profile of ~/.databrickscfg",
                    AuthMethodName(method)));
  }
  if (!cfg.endpoint.empty() && !cfg.instance.empty()) {
    throw ConfigError(
        "set either Endpoint (a Lakebase Autoscaling endpoint) or Instance (a "
        "Lakebase Provisioned instance), not both");
  }
  if (cfg.endpoint.empty() && cfg.instance.empty()) {
    throw ConfigError(
        "an OAuth login needs Endpoint (LAKEBASE_ENDPOINT) or Instance to mint "
        "database credentials for");
  }
  if (!cfg.endpoint.empty()) ValidateEndpointName(cfg.endpoint);
  if (!cfg.instance.empty()) ValidateInstanceName(cfg.instance);

  // Every configuration check before the first HTTP call.
  TokenCacheOptions cache = context.options().cache;
  cache.refresh_margin = RefreshMargin(cfg, cache.refresh_margin);
  cache.default_timeout = std::max(cache.default_timeout, cfg.connect_timeout);
  std::shared_ptr<FileTokenStore> store;
  if (FileCacheWanted(cfg)) {
    std::string dir = CacheDir(cfg, platform);
    if (dir.empty()) {
      throw ConfigError("TokenCache=file needs a directory: set TokenCacheDir (no HOME)");
    }
    store = context.FileStore(dir);
  }

  auto client = context.Client(cfg.workspace, cfg.workspace_ca_file);
  Credentials creds = MakeCredentials(method, cfg, client, context, profile);
  CallContext ctx{deadline, {}};

  LoginPlan plan;
  plan.port = cfg.port;
  plan.host = ResolveHost(cfg, *client, creds, context, ctx);
  plan.user = ResolveUser(method, cfg, *client, creds, context, ctx);
  // Who logs in, without a secret: the client id for a service principal, the user for a
  // person (browser, CLI, on behalf of), a token fingerprint otherwise.
  const bool on_behalf_of = method == AuthType::kAccessToken && !cfg.user_access_token.empty();
  std::string tag(on_behalf_of ? std::string_view("obo") : AuthMethodTag(method));
  std::string principal = creds.principal;
  if (on_behalf_of || method == AuthType::kOAuthU2M || method == AuthType::kDatabricksCli) {
    principal = plan.user;
  }
  plan.identity = fmt::format("{}:{}:{}", tag, WorkspaceHost(client->url()), principal);

  DatabaseKind kind = cfg.endpoint.empty() ? DatabaseKind::kInstance : DatabaseKind::kEndpoint;
  const std::string& name = cfg.endpoint.empty() ? cfg.instance : cfg.endpoint;
  std::string key =
      fmt::format("{}|{}|{}|{}", client->url(),
                  kind == DatabaseKind::kEndpoint ? "endpoint" : "instance", name, creds.key);
  // A browser or CLI login is tied to whoever signed in, not to a secret in the DSN.
  if (method == AuthType::kOAuthU2M || method == AuthType::kDatabricksCli) key += "|" + plan.user;
  std::string provider_key = store ? key + "|file:" + store->dir() : key;
  plan.tokens = context.Provider(provider_key, [&] {
    std::shared_ptr<CredentialMinter> minter =
        std::make_shared<DatabaseCredentialMinter>(client, creds.source, kind, name);
    if (store) {
      minter = std::make_shared<FileCachedMinter>(minter, store, key, context.clock(),
                                                  cache.refresh_margin);
    }
    return std::make_shared<CachingTokenProvider>(minter, plan.identity, context.clock(),
                                                  context.worker(), cache);
  });
  log::Debug("auth: login plan for {}: host {}, user {}, identity {}{}", name, plan.host, plan.user,
             plan.identity, store ? ", token cache " + store->dir() : "");
  return plan;
}

void ReplacePassedInToken(setup::ConnectionConfig& cfg, SecretString token) {
  ReplacePassedInToken(cfg, std::move(token), AuthContext::Default());
}

void ReplacePassedInToken(setup::ConnectionConfig& cfg, SecretString token, AuthContext& context) {
  if (token.empty()) {
    throw ConfigError("the new access token is empty");
  }
  if (auto exp = JwtExpiry(token.Reveal()); exp && *exp <= context.clock()->SystemNow()) {
    throw AuthError(AuthErrorKind::kExpired,
                    fmt::format("the access token handed in (token {}) already expired at {}; "
                                "get a fresh one from the identity provider",
                                Fingerprint(token), FormatRfc3339(*exp)));
  }
  SecretString& slot = !cfg.user_access_token.empty() ? cfg.user_access_token : cfg.access_token;
  if (!slot.empty() && slot != token) {
    // The providers minted with the old bearer hold database credentials that stay valid (they
    // belong to the same user), but nothing will ask for them again: let them go now.
    size_t dropped = context.ForgetProviders(":" + Sha256Hex(slot.Reveal()));
    log::Debug("auth: access token replaced ({} -> {}); {} cached provider(s) dropped",
               Fingerprint(slot), Fingerprint(token), dropped);
  }
  slot = std::move(token);
  if (cfg.auth_type == AuthType::kAuto && cfg.user_access_token.empty() && cfg.token.empty() &&
      cfg.client_id.empty()) {
    cfg.auth_type = AuthType::kAccessToken;
  }
}

}  // namespace lakebase::auth

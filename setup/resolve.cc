#include "setup/resolve.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "setup/keywords.h"

namespace lakebase::setup {
namespace {

constexpr std::string_view kPrefix = "[Lakebase ODBC] ";

// Higher wins. kAttribute (a connection attribute the driver applies itself) ranks with the
// connection string.
int Rank(Source s) {
  switch (s) {
    case Source::kDefault:
      return 0;
    case Source::kEnvironment:
      return 1;
    case Source::kDsn:
      return 2;
    case Source::kConnectionString:
      return 3;
    case Source::kAttribute:
      return 3;
  }
  return 0;
}

struct Candidate {
  std::string value;
  Source source = Source::kDefault;
  std::string origin;  // for messages: "the connection string", "environment variable PGPORT"
};

// "Port (or PGPORT)", "Workspace (or DATABRICKS_HOST)".
std::string KeyWithEnv(const Keyword& k) {
  std::string s(k.name);
  if (!k.env_vars.empty()) {
    s += " (or ";
    for (size_t i = 0; i < k.env_vars.size(); ++i) {
      if (i > 0) s += ", ";
      s += k.env_vars[i];
    }
    s += ")";
  }
  return s;
}

std::string Example(const Keyword& k) { return std::string(k.name) + "=" + std::string(k.example); }

// A value quoted for a message: never a secret, never a wall of text.
std::string Shown(const Keyword& k, std::string_view value) {
  if (k.sensitive) return "'***'";
  if (value.size() > 64) return "'" + std::string(value.substr(0, 61)) + "...'";
  return "'" + std::string(value) + "'";
}

bool DefaultFileExists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

std::optional<Candidate> Lookup(const Keyword& k, const Attributes& conn, const Attributes& dsn,
                                const std::string& dsn_name, const EnvLookup& env) {
  if (const std::string* v = conn.Find(k.name); v != nullptr && !v->empty()) {
    return Candidate{*v, Source::kConnectionString, "the connection string"};
  }
  if (const std::string* v = dsn.Find(k.name); v != nullptr && !v->empty()) {
    return Candidate{*v, Source::kDsn, "DSN '" + dsn_name + "' in odbc.ini"};
  }
  for (std::string_view var : k.env_vars) {
    std::optional<std::string> v = env(var);
    if (v && !v->empty()) {
      return Candidate{*v, Source::kEnvironment, "environment variable " + std::string(var)};
    }
  }
  if (!k.default_value.empty()) {
    return Candidate{std::string(k.default_value), Source::kDefault, "the default"};
  }
  return std::nullopt;
}

// Stores a normalised value into its typed field. Keys without a field live in cfg.raw only.
void Apply(ConnectionConfig& cfg, std::string_view name, const std::string& v) {
  if (name == "DSN")
    cfg.dsn = v;
  else if (name == "Driver")
    cfg.driver = v;
  else if (name == "Endpoint")
    cfg.endpoint = v;
  else if (name == "Instance")
    cfg.instance = v;
  else if (name == "Host")
    cfg.host = v;
  else if (name == "Port")
    cfg.port = std::stoi(v);
  else if (name == "Database")
    cfg.database = v;
  else if (name == "UID")
    cfg.user = v;
  else if (name == "PWD")
    cfg.password = SecretString(v);
  else if (name == "SSLMode")
    cfg.ssl_mode = v;
  else if (name == "SSLRootCert")
    cfg.ssl_root_cert = v;
  else if (name == "ApplicationName")
    cfg.application_name = v;
  else if (name == "Workspace")
    cfg.workspace = v;
  else if (name == "AuthType")
    cfg.auth_type = ParseAuthType(v).value_or(AuthType::kAuto);
  else if (name == "Token")
    cfg.token = SecretString(v);
  else if (name == "ClientId")
    cfg.client_id = v;
  else if (name == "ClientSecret")
    cfg.client_secret = SecretString(v);
  else if (name == "AccessToken")
    cfg.access_token = SecretString(v);
  else if (name == "UserAccessToken")
    cfg.user_access_token = SecretString(v);
  else if (name == "Profile")
    cfg.profile = v;
  else if (name == "ConfigFile")
    cfg.config_file = v;
  else if (name == "WorkspaceCAFile")
    cfg.workspace_ca_file = v;
  else if (name == "Pooling")
    cfg.pooling = v == "1";
  else if (name == "ConnectTimeout")
    cfg.connect_timeout = std::chrono::seconds(std::stoll(v));
  else if (name == "LogLevel")
    cfg.log_level = v;
  else if (name == "LogFile")
    cfg.log_file = v;
}

void AddUnknown(ConnectionConfig& cfg, const Attributes& attrs) {
  for (const Attributes::Entry& e : attrs.entries()) {
    if (e.known) continue;
    bool seen = std::any_of(cfg.unknown_keys.begin(), cfg.unknown_keys.end(),
                            [&](const std::string& k) { return EqualsIgnoreCase(k, e.key); });
    if (!seen) cfg.unknown_keys.push_back(e.key);
  }
}

// Reads the DSN the connection string names into attributes (aliases mapped like a connection
// string's). A missing DSN falls back to DEFAULT, as SQLDriverConnect specifies.
Attributes ReadDsn(ConnectionConfig& cfg, const std::string& dsn, const DsnReader& reader,
                   std::string& dsn_name) {
  Attributes attrs;
  dsn_name = dsn;
  if (dsn.empty()) return attrs;
  std::optional<DsnEntries> entries = reader(dsn);
  if (!entries && !EqualsIgnoreCase(dsn, "DEFAULT")) {
    entries = reader("DEFAULT");
    if (entries) {
      cfg.warnings.push_back(std::string(kPrefix) + "Data source '" + dsn +
                             "' is not in odbc.ini; using the DEFAULT data source");
      dsn_name = "DEFAULT";
    }
  }
  if (!entries) {
    throw ConfigError(kSqlStateDsnNotFound, "DSN",
                      std::string(kPrefix) + "Data source name '" + dsn +
                          "' not found in odbc.ini (user ~/.odbc.ini or $ODBCINI, system "
                          "$ODBCSYSINI/odbc.ini or /etc/odbc.ini; `odbcinst -q -s` lists them), "
                          "and no DEFAULT data source; or connect without a DSN, e.g. "
                          "Driver={Lakebase};Host=...;Endpoint=...");
  }
  for (auto& [key, value] : *entries) {
    // unixODBC reads a line of at most INI_MAX_LINE bytes: a value that reaches it was cut.
    if (key.size() + value.size() + 3 >= kOdbcIniMaxValue) {
      cfg.warnings.push_back(std::string(kPrefix) + "The value of " + key + " in DSN '" + dsn_name +
                             "' is near unixODBC's " + std::to_string(kOdbcIniMaxValue) +
                             "-byte line limit and may be cut short; pass it in the "
                             "connection string instead");
    }
    attrs.Set(key, value);
  }
  return attrs;
}

// AuthMech=11 with Auth_Flow (the Databricks ODBC driver's keys) selects an AuthType when the
// AuthType key itself is not given at the same or a higher precedence.
void FoldDatabricksAuth(ConnectionConfig& cfg) {
  auto flow = cfg.raw.find("Auth_Flow");
  if (flow == cfg.raw.end()) return;
  AuthType from_flow = flow->second == "0"   ? AuthType::kAccessToken
                       : flow->second == "1" ? AuthType::kOAuthM2M
                                             : AuthType::kOAuthU2M;
  Source flow_source = cfg.sources.at("Auth_Flow");
  Source auth_source = cfg.sources.at("AuthType");  // AuthType always has a value (default auto)
  if (Rank(flow_source) > Rank(auth_source)) {
    cfg.auth_type = from_flow;
    cfg.raw["AuthType"] = std::string(AuthTypeName(from_flow));
    cfg.sources["AuthType"] = flow_source;
  } else if (cfg.auth_type != from_flow) {
    cfg.warnings.push_back(std::string(kPrefix) +
                           "AuthType=" + std::string(AuthTypeName(cfg.auth_type)) +
                           " overrides Auth_Flow=" + flow->second);
  }
}

void FillCaBundle(ConnectionConfig& cfg, const ResolveOptions& options, const EnvLookup& env) {
  if (cfg.ssl_mode != "verify-full" && cfg.ssl_mode != "verify-ca") return;
  if (!cfg.ssl_root_cert.empty()) return;
  auto exists = options.file_exists ? options.file_exists : DefaultFileExists;
  std::vector<std::string> candidates;
  // SSL_CERT_FILE is OpenSSL's own override of the default bundle; honour it like curl does.
  if (std::optional<std::string> f = env("SSL_CERT_FILE"); f && !f->empty()) {
    candidates.push_back(*f);
  }
  const std::vector<std::string>& paths =
      options.ca_bundle_paths.empty() ? DefaultCaBundlePaths() : options.ca_bundle_paths;
  candidates.insert(candidates.end(), paths.begin(), paths.end());
  for (const std::string& path : candidates) {
    if (exists(path)) {
      cfg.ssl_root_cert = path;
      cfg.raw["SSLRootCert"] = path;
      cfg.sources["SSLRootCert"] = Source::kDefault;
      return;
    }
  }
  // libpq then looks for ~/.postgresql/root.crt and fails the connect if that is missing too.
  cfg.warnings.push_back(std::string(kPrefix) + "SSLMode=" + cfg.ssl_mode +
                         " but no system CA bundle was found; set SSLRootCert (or "
                         "PGSSLROOTCERT) to a PEM file, e.g. "
                         "SSLRootCert=/etc/ssl/certs/ca-certificates.crt");
}

}  // namespace

EnvLookup SystemEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

const std::vector<std::string>& DefaultCaBundlePaths() {
  static const std::vector<std::string> paths = {
      "/etc/ssl/certs/ca-certificates.crt",                 // Debian, Ubuntu, Alpine
      "/etc/pki/tls/certs/ca-bundle.crt",                   // RHEL, Fedora, Amazon Linux
      "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  // RHEL 7+
      "/etc/ssl/ca-bundle.pem",                             // SUSE
      "/etc/ssl/cert.pem",                                  // macOS, BSD
  };
  return paths;
}

std::string NormaliseWorkspace(std::string_view workspace) {
  while (!workspace.empty() && std::isspace(static_cast<unsigned char>(workspace.front()))) {
    workspace.remove_prefix(1);
  }
  while (!workspace.empty() &&
         (std::isspace(static_cast<unsigned char>(workspace.back())) || workspace.back() == '/')) {
    workspace.remove_suffix(1);
  }
  if (workspace.empty()) return {};
  if (workspace.find("://") == std::string_view::npos) return "https://" + std::string(workspace);
  return std::string(workspace);
}

ConnectionConfig ResolveConfig(const Attributes& conn_str_attrs, const EnvLookup& env,
                               const DsnReader& dsn_reader) {
  ResolveOptions options;
  options.env = env;
  options.dsn_reader = dsn_reader;
  return ResolveConfig(conn_str_attrs, options);
}

ConnectionConfig ResolveConfig(const Attributes& conn, const ResolveOptions& options) {
  const EnvLookup env = options.env ? options.env : SystemEnvironment();
  const DsnReader reader = options.dsn_reader ? options.dsn_reader : OdbcInstDsnReader();
  ConnectionConfig cfg;

  const std::string* dsn_value = conn.Find("DSN");
  std::string dsn_name;
  Attributes dsn = ReadDsn(cfg, dsn_value ? *dsn_value : std::string(), reader, dsn_name);

  for (const Keyword& k : AllKeywords()) {
    // A DSN does not name a DSN.
    std::optional<Candidate> c =
        k.name == "DSN"
            ? (dsn_name.empty()
                   ? std::nullopt
                   : std::optional<Candidate>(Candidate{dsn_name, Source::kConnectionString, ""}))
            : Lookup(k, conn, dsn, dsn_name, env);
    if (!c) continue;
    std::optional<std::string> value = NormaliseValue(k, c->value);
    if (!value) {
      throw ConfigError(kSqlStateInvalidValue, std::string(k.name),
                        std::string(kPrefix) + "Invalid value " + Shown(k, c->value) + " for " +
                            std::string(k.name) + " (from " + c->origin + "): expected " +
                            DescribeAccepted(k) + ", e.g. " + Example(k));
    }
    if (k.name == "Workspace") {
      *value = NormaliseWorkspace(*value);
      if (value->empty()) continue;
    }
    Apply(cfg, k.name, *value);
    cfg.sources[std::string(k.name)] = c->source;
    if (!k.sensitive) cfg.raw[std::string(k.name)] = std::move(*value);
  }
  AddUnknown(cfg, conn);
  AddUnknown(cfg, dsn);
  FoldDatabricksAuth(cfg);
  FillCaBundle(cfg, options, env);
  return cfg;
}

namespace {

std::string Missing(std::string_view what) { return std::string(kPrefix) + std::string(what); }

[[noreturn]] void FailMissing(std::string key, std::string_view message) {
  throw ConfigError(kSqlStateCannotConnect, std::move(key), Missing(message));
}

[[noreturn]] void FailInvalid(std::string key, std::string_view message) {
  throw ConfigError(kSqlStateInvalidValue, std::move(key), Missing(message));
}

// projects/<p>/branches/<b>/endpoints/<e>, each part non-empty, nothing more.
bool IsEndpointName(std::string_view name) {
  constexpr std::string_view kFixed[] = {"projects", "branches", "endpoints"};
  std::vector<std::string_view> parts;
  for (size_t pos = 0;;) {
    size_t slash = name.find('/', pos);
    parts.push_back(name.substr(pos, slash == std::string_view::npos ? slash : slash - pos));
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  if (parts.size() != 6) return false;
  for (size_t i = 0; i < 6; ++i) {
    if (parts[i].empty() || (i % 2 == 0 && parts[i] != kFixed[i / 2])) return false;
  }
  return true;
}

bool IsLoopbackUrl(std::string_view url) {
  for (std::string_view prefix : {"http://localhost", "http://127.0.0.1", "http://[::1]"}) {
    if (url.substr(0, prefix.size()) == prefix &&
        (url.size() == prefix.size() || url[prefix.size()] == ':' || url[prefix.size()] == '/')) {
      return true;
    }
  }
  return false;
}

}  // namespace

void ValidateForConnect(const ConnectionConfig& cfg, const EnvLookup& env_in) {
  const EnvLookup env = env_in ? env_in : SystemEnvironment();
  const bool has_password = !cfg.password.empty();

  if (!cfg.endpoint.empty() && !cfg.instance.empty()) {
    FailInvalid("Endpoint",
                "Both Endpoint and Instance are set: Endpoint names a Lakebase Autoscaling "
                "endpoint, Instance a Lakebase Provisioned instance; set one of them");
  }
  if (!cfg.endpoint.empty() && !IsEndpointName(cfg.endpoint)) {
    FailInvalid("Endpoint", "Invalid Endpoint '" + cfg.endpoint +
                                "': expected projects/<project>/branches/<branch>/endpoints/"
                                "<endpoint>, e.g. Endpoint=" +
                                std::string(GetKeyword("Endpoint").example));
  }
  if (cfg.host.empty() && cfg.endpoint.empty() && cfg.instance.empty()) {
    FailMissing("Host",
                "No host: set Host (or PGHOST), or Endpoint (or LAKEBASE_ENDPOINT) with "
                "Workspace (DATABRICKS_HOST) so the host can be looked up; e.g. "
                "Host=ep-abc-123.database.cloud.databricks.com or "
                "Endpoint=projects/p/branches/production/endpoints/primary");
  }

  // A profile in the Databricks config file may supply the workspace and credentials; reading
  // it is auth's job, so here it is enough that one could exist.
  const bool profile_possible = [&] {
    if (!cfg.profile.empty() || !cfg.config_file.empty()) return true;
    std::optional<std::string> home = env("HOME");
    std::error_code ec;
    return home && !home->empty() &&
           std::filesystem::exists(std::filesystem::path(*home) / ".databrickscfg", ec);
  }();

  if (cfg.auth_type == AuthType::kPassword) {
    if (!has_password) {
      FailMissing("PWD", "AuthType=password needs PWD (or PGPASSWORD), e.g. PWD={my password}");
    }
    if (cfg.user.empty()) {
      FailMissing("UID", "AuthType=password needs UID (or PGUSER), e.g. UID=app_user");
    }
    if (cfg.host.empty()) {
      FailMissing("Host",
                  "AuthType=password needs Host (or PGHOST): looking a host up from Endpoint or "
                  "Instance needs workspace credentials; e.g. "
                  "Host=ep-abc-123.database.cloud.databricks.com");
    }
  }

  // The default chain uses a native password first when one is given; every other way mints a
  // database credential through the workspace.
  const bool oauth =
      cfg.auth_type != AuthType::kPassword && !(cfg.auth_type == AuthType::kAuto && has_password);
  if (oauth) {
    if (cfg.endpoint.empty() && cfg.instance.empty()) {
      FailMissing(
          "Endpoint",
          "OAuth login mints a database credential for an endpoint: set Endpoint (or "
          "LAKEBASE_ENDPOINT), e.g. "
          "Endpoint=projects/p/branches/production/endpoints/primary, or Instance for "
          "Lakebase Provisioned; or log in with a native password (PWD, AuthType=password)");
    }
    if (cfg.workspace.empty() && !(profile_possible || cfg.auth_type == AuthType::kDatabricksCli)) {
      FailMissing("Workspace",
                  "No workspace: set Workspace (or DATABRICKS_HOST), e.g. "
                  "Workspace=https://adb-1234567890.12.azuredatabricks.net, or a Profile in "
                  "~/.databrickscfg (or DATABRICKS_CONFIG_PROFILE)");
    }
    switch (cfg.auth_type) {
      case AuthType::kPat:
        if (cfg.token.empty() && !profile_possible) {
          FailMissing("Token",
                      "AuthType=pat needs Token (or DATABRICKS_TOKEN), e.g. Token=dapi0123..., or "
                      "a Profile with a token");
        }
        break;
      case AuthType::kOAuthM2M:
        if ((cfg.client_id.empty() || cfg.client_secret.empty()) && !profile_possible) {
          FailMissing(cfg.client_id.empty() ? "ClientId" : "ClientSecret",
                      "AuthType=oauth-m2m needs ClientId (or DATABRICKS_CLIENT_ID) and "
                      "ClientSecret (or DATABRICKS_CLIENT_SECRET), e.g. "
                      "ClientId=6f1c2d3e-...;ClientSecret={...}, or a Profile with them");
        }
        break;
      case AuthType::kAccessToken:
        // An on-behalf-of connection passes the user's token as UserAccessToken instead.
        if (cfg.access_token.empty() && cfg.user_access_token.empty()) {
          FailMissing("AccessToken",
                      "AuthType=access-token (Auth_Flow=0) needs AccessToken (or "
                      "Auth_AccessToken), a workspace OAuth access token");
        }
        break;
      default:
        break;
    }
  }

  if (!cfg.workspace.empty() && cfg.workspace.rfind("https://", 0) != 0 &&
      !IsLoopbackUrl(cfg.workspace)) {
    // Tokens go to the workspace: plain HTTP is accepted only on this machine (test emulators).
    FailInvalid("Workspace", "Workspace '" + cfg.workspace +
                                 "' must be an https:// URL, e.g. "
                                 "Workspace=https://adb-1234567890.12.azuredatabricks.net");
  }

  std::error_code ec;
  for (auto [key, path] :
       {std::pair<const char*, const std::string*>{"SSLRootCert", &cfg.ssl_root_cert},
        {"WorkspaceCAFile", &cfg.workspace_ca_file}}) {
    if (!path->empty() && !std::filesystem::exists(*path, ec)) {
      const Keyword& k = GetKeyword(key);
      FailMissing(key, std::string(key) + " file '" + *path + "' does not exist; set " +
                           KeyWithEnv(k) + " to a PEM file, e.g. " + Example(k));
    }
  }

  if (ConfigInt(cfg, "PoolMinIdle") > ConfigInt(cfg, "PoolMaxSize")) {
    FailInvalid("PoolMinIdle", "PoolMinIdle (" + std::to_string(ConfigInt(cfg, "PoolMinIdle")) +
                                   ") is larger than PoolMaxSize (" +
                                   std::to_string(ConfigInt(cfg, "PoolMaxSize")) + ")");
  }
}

namespace {

std::string RawOrDefault(const ConnectionConfig& cfg, std::string_view key, KeyType type) {
  const Keyword* k = FindKeyword(key);
  if (k == nullptr) throw std::logic_error("no keyword named " + std::string(key));
  if (k->type != type && !(type == KeyType::kString && k->type == KeyType::kEnum)) {
    throw std::logic_error("keyword " + std::string(k->name) + " has another type");
  }
  if (auto it = cfg.raw.find(std::string(k->name)); it != cfg.raw.end()) return it->second;
  if (type == KeyType::kString) return std::string(k->default_value);
  if (k->default_value.empty()) {
    throw std::logic_error("keyword " + std::string(k->name) + " has no value");
  }
  return *NormaliseValue(*k, k->default_value);
}

}  // namespace

int64_t ConfigInt(const ConnectionConfig& cfg, std::string_view key) {
  return std::stoll(RawOrDefault(cfg, key, KeyType::kInt));
}

bool ConfigBool(const ConnectionConfig& cfg, std::string_view key) {
  return RawOrDefault(cfg, key, KeyType::kBool) == "1";
}

std::chrono::seconds ConfigSeconds(const ConnectionConfig& cfg, std::string_view key) {
  return std::chrono::seconds(std::stoll(RawOrDefault(cfg, key, KeyType::kSeconds)));
}

std::string ConfigString(const ConnectionConfig& cfg, std::string_view key) {
  return RawOrDefault(cfg, key, KeyType::kString);
}

}  // namespace lakebase::setup

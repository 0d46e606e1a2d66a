#include "setup/keywords.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <stdexcept>
#include <unordered_map>

namespace lakebase::setup {
namespace {

constexpr int64_t kMaxSeconds = 365LL * 24 * 3600;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::vector<Keyword> BuildTable() {
  using G = KeyGroup;
  using T = KeyType;
  std::vector<Keyword> t;
  // Each entry names its fields, so the table reads as documentation and a new field cannot be
  // filled into the wrong slot.
  auto add = [&t](Keyword k) { t.push_back(std::move(k)); };

  // --- ODBC -------------------------------------------------------------------------------
  add({.name = "DSN",
       .group = G::kOdbc,
       .help = "Data source name in odbc.ini whose keys are read (below the connection string)",
       .example = "Lakebase"});
  add({.name = "Driver",
       .group = G::kOdbc,
       .help = "Driver name from odbcinst.ini, or the path of the driver library",
       .example = "{Lakebase}"});
  add({.name = "Description",
       .group = G::kOdbc,
       .help = "Free text describing the data source (odbc.ini); not used to connect",
       .example = "Sales database"});

  // --- PostgreSQL -------------------------------------------------------------------------
  add({.name = "Endpoint",
       .env_vars = {"LAKEBASE_ENDPOINT"},
       .group = G::kPostgres,
       .help = "Lakebase Autoscaling endpoint; its host is looked up and database credentials "
               "are minted for it",
       .example = "projects/sales/branches/production/endpoints/primary"});
  add({.name = "Instance",
       .group = G::kPostgres,
       .help = "Lakebase Provisioned instance name (instead of Endpoint)",
       .example = "sales-instance"});
  add({.name = "Host",
       .aliases = {"Server"},
       .env_vars = {"PGHOST"},
       .group = G::kPostgres,
       .help = "PostgreSQL host; when empty it is looked up from Endpoint or Instance",
       .example = "ep-abc-123.database.cloud.databricks.com"});
  add({.name = "Port",
       .env_vars = {"PGPORT"},
       .default_value = "5432",
       .type = T::kInt,
       .min_value = 1,
       .max_value = 65535,
       .group = G::kPostgres,
       .help = "PostgreSQL port",
       .example = "5432"});
  add({.name = "Database",
       .aliases = {"DBName"},
       .env_vars = {"PGDATABASE"},
       .default_value = "databricks_postgres",
       .group = G::kPostgres,
       .help = "Database to connect to",
       .example = "databricks_postgres"});
  add({.name = "UID",
       .aliases = {"User", "Username"},
       .env_vars = {"PGUSER"},
       .group = G::kPostgres,
       .help = "PostgreSQL role: the Databricks user's email or the service principal's "
               "application id; when empty it is found from the credentials",
       .example = "someone@example.com"});
  add({.name = "PWD",
       .aliases = {"Password"},
       .env_vars = {"PGPASSWORD"},
       .sensitive = true,
       .group = G::kPostgres,
       .help = "Native PostgreSQL password (no OAuth); with AuthType=password or the default chain",
       .example = "{s3cret;with;semicolons}"});
  add({.name = "ApplicationName",
       .env_vars = {"PGAPPNAME"},
       .default_value = "lakebase-odbc",
       .group = G::kPostgres,
       .help = "application_name reported to the server (pg_stat_activity)",
       .example = "sales-dashboard"});

  // --- TLS --------------------------------------------------------------------------------
  add({.name = "SSLMode",
       .env_vars = {"PGSSLMODE"},
       .default_value = "verify-full",
       .type = T::kEnum,
       .allowed_values = {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"},
       .group = G::kTls,
       .help = "libpq sslmode; verify-full checks the certificate chain and the host name",
       .example = "verify-full"});
  add({.name = "SSLRootCert",
       .env_vars = {"PGSSLROOTCERT"},
       .group = G::kTls,
       .help = "CA bundle (PEM) for verify-ca/verify-full; default: the system CA bundle",
       .example = "/etc/ssl/certs/ca-certificates.crt"});
  add({.name = "WorkspaceCAFile",
       .group = G::kTls,
       .help =
           "Extra CA bundle (PEM) for a workspace behind a private CA; HTTPS is always verified",
       .example = "/etc/pki/corp-ca.pem"});

  // --- Databricks workspace and authentication --------------------------------------------
  add({.name = "Workspace",
       .aliases = {"DatabricksHost"},
       .env_vars = {"DATABRICKS_HOST"},
       .group = G::kWorkspace,
       .help = "Databricks workspace URL (https:// is added if missing, a trailing / removed)",
       .example = "https://adb-1234567890.12.azuredatabricks.net"});
  add({.name = "AuthType",
       .env_vars = {"DATABRICKS_AUTH_TYPE"},
       .default_value = "auto",
       .type = T::kEnum,
       .allowed_values = {"auto", "pat", "oauth-m2m", "oauth-u2m", "databricks-cli", "access-token",
                          "password"},
       // The Databricks SDKs call browser login "external-browser".
       .value_aliases = {{"external-browser", "oauth-u2m"}},
       .group = G::kWorkspace,
       .help = "How to log in; auto tries password, access token, PAT, M2M, then the CLI",
       .example = "oauth-m2m"});
  add({.name = "Token",
       .env_vars = {"DATABRICKS_TOKEN"},
       .sensitive = true,
       .group = G::kWorkspace,
       .help = "Databricks personal access token (AuthType=pat)",
       .example = "dapi0123456789abcdef"});
  add({.name = "ClientId",
       .aliases = {"Auth_Client_ID"},
       .env_vars = {"DATABRICKS_CLIENT_ID"},
       .group = G::kWorkspace,
       .help = "Service principal application (client) id for OAuth M2M",
       .example = "6f1c2d3e-0000-4000-8000-123456789abc"});
  add({.name = "ClientSecret",
       .aliases = {"Auth_Client_Secret"},
       .env_vars = {"DATABRICKS_CLIENT_SECRET"},
       .sensitive = true,
       .group = G::kWorkspace,
       .help = "Service principal OAuth secret for OAuth M2M",
       .example = "dose0123456789abcdef"});
  add({.name = "AccessToken",
       .aliases = {"Auth_AccessToken"},
       .sensitive = true,
       .group = G::kWorkspace,
       .help = "A workspace OAuth access token passed in (AuthType=access-token); not renewable",
       .example = "eyJraWQiOi..."});
  add({.name = "UserAccessToken",
       .sensitive = true,
       .group = G::kWorkspace,
       .help = "An end user's workspace token: connect on behalf of that user (own small pool)",
       .example = "eyJraWQiOi..."});
  add({.name = "Profile",
       .env_vars = {"DATABRICKS_CONFIG_PROFILE"},
       .group = G::kWorkspace,
       .help = "Profile (section) of the Databricks config file to read host and credentials from",
       .example = "prod"});
  add({.name = "ConfigFile",
       .env_vars = {"DATABRICKS_CONFIG_FILE"},
       .group = G::kWorkspace,
       .help = "Databricks config file; default ~/.databrickscfg",
       .example = "/etc/lakebase/databrickscfg"});
  add({.name = "OAuthScope",
       .aliases = {"Auth_Scope"},
       .group = G::kWorkspace,
       .help = "OAuth scopes to request; default all-apis (M2M), all-apis offline_access (U2M)",
       .example = "{all-apis offline_access}"});
  add({.name = "OAuthRedirectPort",
       .aliases = {"OAuth2RedirectUrlPort"},
       .default_value = "8020",
       .type = T::kInt,
       .min_value = 1,
       .max_value = 65535,
       .group = G::kWorkspace,
       .help = "First local port for the browser login redirect (the next free one up to +20)",
       .example = "8020"});
  add({.name = "TokenRefreshMargin",
       .default_value = "300",
       .type = T::kSeconds,
       .min_value = 0,
       .max_value = 3000,
       .group = G::kWorkspace,
       .help = "Refresh a database credential this long before it expires",
       .example = "300"});
  add({.name = "TokenCache",
       .default_value = "memory",
       .type = T::kEnum,
       .allowed_values = {"memory", "file"},
       .group = G::kWorkspace,
       .help = "memory: per process; file: also share tokens between processes (mode 0600)",
       .example = "file"});
  add({.name = "TokenCacheDir",
       .group = G::kWorkspace,
       .help = "Directory of the token cache file; default $XDG_CACHE_HOME/lakebase-odbc",
       .example = "/var/cache/lakebase-odbc"});
  add({.name = "LoginRetries",
       .default_value = "10",
       .type = T::kInt,
       .min_value = 0,
       .max_value = 20,
       .group = G::kWorkspace,
       .help =
           "Connect attempts retried with backoff (250 ms doubling to 2 s, within ConnectTimeout) "
           "while an endpoint wakes from scale-to-zero or restarts",
       .example = "10"});
  add({.name = "ConnectTimeout",
       .default_value = "10",
       .type = T::kSeconds,
       .min_value = 0,
       .max_value = 3600,
       .group = G::kWorkspace,
       .help = "Login timeout in seconds for the whole connect (workspace calls included)",
       .example = "30"});

  // --- Connection pool --------------------------------------------------------------------
  add({.name = "Pooling",
       .default_value = "1",
       .type = T::kBool,
       .group = G::kPool,
       .help = "Reuse physical connections between SQLConnect/SQLDisconnect",
       .example = "1"});
  add({.name = "PoolMaxSize",
       .default_value = "10",
       .type = T::kInt,
       .min_value = 1,
       .max_value = 10000,
       .group = G::kPool,
       .help = "Most physical connections per pool; further connects wait",
       .example = "10"});
  add({.name = "PoolMinIdle",
       .default_value = "0",
       .type = T::kInt,
       .min_value = 0,
       .max_value = 10000,
       .group = G::kPool,
       .help = "Idle connections kept open (0 lets an endpoint scale to zero)",
       .example = "0"});
  add({.name = "PoolIdleTimeout",
       .default_value = "300",
       .type = T::kSeconds,
       .min_value = 0,
       .max_value = kMaxSeconds,
       .group = G::kPool,
       .help = "Close a pooled connection idle this long (0: never)",
       .example = "300"});
  add({.name = "PoolMaxLifetime",
       .default_value = "2700",
       .type = T::kSeconds,
       .min_value = 0,
       .max_value = kMaxSeconds,
       .group = G::kPool,
       .help = "Recycle a pooled connection after this long (0: never)",
       .example = "2700"});

  // --- Logging ----------------------------------------------------------------------------
  add({.name = "LogLevel",
       .env_vars = {"LAKEBASE_ODBC_LOGLEVEL"},
       .type = T::kEnum,
       .allowed_values = {"off", "error", "warn", "info", "debug", "trace"},
       .group = G::kLogging,
       .help = "Driver log level; default: unchanged (off unless set elsewhere)",
       .example = "info"});
  add({.name = "LogFile",
       .env_vars = {"LAKEBASE_ODBC_LOGFILE"},
       .group = G::kLogging,
       .help = "Log file; default: stderr",
       .example = "/tmp/lakebase-odbc.log"});
  add({.name = "LogMaxSize",
       .default_value = "10",
       .type = T::kInt,
       .min_value = 1,
       .max_value = 10240,
       .group = G::kLogging,
       .help = "Megabytes per log file before it rotates",
       .example = "10"});
  add({.name = "LogMaxFiles",
       .default_value = "5",
       .type = T::kInt,
       .min_value = 1,
       .max_value = 1000,
       .group = G::kLogging,
       .help = "Rotated log files kept",
       .example = "5"});

  // --- Statements and type compatibility --------------------------------------------------
  add({.name = "QueryTimeout",
       .default_value = "0",
       .type = T::kSeconds,
       .min_value = 0,
       .max_value = kMaxSeconds,
       .group = G::kCompatibility,
       .help = "Default statement timeout in seconds (0: none); SQL_ATTR_QUERY_TIMEOUT overrides",
       .example = "300"});
  add({.name = "FetchSize",
       .default_value = "1000",
       .type = T::kInt,
       .min_value = 0,
       .max_value = 1000000,
       .group = G::kCompatibility,
       .help = "Rows fetched from the server per batch (0: the whole result at once)",
       .example = "1000"});
  // 255 is what psqlODBC reports, so applications and BI extracts built against psqlODBC see the
  // same column sizes; raise it for tools that truncate unbounded varchar to the reported size.
  add({.name = "MaxVarcharSize",
       .default_value = "255",
       .type = T::kInt,
       .min_value = 1,
       .max_value = 10485760,
       .group = G::kCompatibility,
       .help = "Column size reported for varchar without a declared length (as psqlODBC)",
       .example = "8000"});
  add({.name = "TextAsLongVarchar",
       .default_value = "1",
       .type = T::kBool,
       .group = G::kCompatibility,
       .help = "Report text as SQL_LONGVARCHAR (1) or as SQL_VARCHAR of MaxVarcharSize (0)",
       .example = "1"});
  add({.name = "BoolsAsChar",
       .default_value = "0",
       .type = T::kBool,
       .group = G::kCompatibility,
       .help = "Report boolean as SQL_CHAR(5) 'true'/'false' instead of SQL_BIT",
       .example = "0"});

  // --- Databricks ODBC driver spellings ----------------------------------------------------
  // AuthMech/Auth_Flow are not aliases of AuthType (two keys make one value); resolution folds
  // them into AuthType when AuthType itself is not given.
  add({.name = "AuthMech",
       .type = T::kEnum,
       .allowed_values = {"11"},
       .group = G::kDatabricksOdbc,
       .help = "Databricks ODBC compatibility: 11 (OAuth); use with Auth_Flow",
       .example = "11"});
  add({.name = "Auth_Flow",
       .type = T::kEnum,
       .allowed_values = {"0", "1", "2"},
       .group = G::kDatabricksOdbc,
       .help = "Databricks ODBC compatibility: 0 access token, 1 OAuth M2M, 2 browser (U2M)",
       .example = "1"});
  return t;
}

constexpr std::string_view kSecretMarkers[] = {"secret", "token",   "password",
                                               "passwd", "pwd",     "credential",
                                               "apikey", "api_key", "privatekey"};

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

std::span<const Keyword> AllKeywords() {
  static const std::vector<Keyword> table = BuildTable();
  return table;
}

const Keyword* FindKeyword(std::string_view key) {
  // Every connect resolves every key: an index by lower-cased name and alias, built once.
  static const auto* const index = [] {
    auto* m = new std::unordered_map<std::string, const Keyword*>();
    for (const Keyword& k : AllKeywords()) {
      m->emplace(Lower(k.name), &k);
      for (std::string_view alias : k.aliases) m->emplace(Lower(alias), &k);
    }
    return m;
  }();
  auto it = index->find(Lower(Trim(key)));
  return it == index->end() ? nullptr : it->second;
}

const Keyword& GetKeyword(std::string_view name) {
  const Keyword* k = FindKeyword(name);
  if (k == nullptr) throw std::logic_error("no keyword named " + std::string(name));
  return *k;
}

bool IsSensitiveKey(std::string_view key) {
  if (const Keyword* k = FindKeyword(key)) return k->sensitive;
  std::string lower = Lower(Trim(key));
  return std::any_of(std::begin(kSecretMarkers), std::end(kSecretMarkers),
                     [&](std::string_view m) { return lower.find(m) != std::string::npos; });
}

std::optional<bool> ParseBool(std::string_view text) {
  std::string t = Lower(Trim(text));
  if (t == "1" || t == "yes" || t == "true" || t == "on") return true;
  if (t == "0" || t == "no" || t == "false" || t == "off") return false;
  return std::nullopt;
}

namespace {

std::optional<int64_t> ParseInt(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  int64_t v = 0;
  // from_chars: locale-independent (DESIGN.md section 6), and rejects "12abc" via ptr check.
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

std::optional<int64_t> ParseSeconds(std::string_view text) {
  int64_t scale = 1;
  if (!text.empty()) {
    switch (std::tolower(static_cast<unsigned char>(text.back()))) {
      case 's':
        scale = 1;
        text.remove_suffix(1);
        break;
      case 'm':
        scale = 60;
        text.remove_suffix(1);
        break;
      case 'h':
        scale = 3600;
        text.remove_suffix(1);
        break;
      default:
        break;
    }
  }
  std::optional<int64_t> v = ParseInt(Trim(text));
  if (!v || *v > std::numeric_limits<int64_t>::max() / scale) return std::nullopt;
  return *v * scale;
}

}  // namespace

std::optional<std::string> NormaliseValue(const Keyword& keyword, std::string_view value) {
  std::string_view v = Trim(value);
  switch (keyword.type) {
    case KeyType::kString:
      return std::string(value);
    case KeyType::kBool: {
      std::optional<bool> b = ParseBool(v);
      if (!b) return std::nullopt;
      return std::string(*b ? "1" : "0");
    }
    case KeyType::kEnum:
      for (std::string_view allowed : keyword.allowed_values) {
        if (EqualsIgnoreCase(allowed, v)) return std::string(allowed);
      }
      for (const auto& [alias, canonical] : keyword.value_aliases) {
        if (EqualsIgnoreCase(alias, v)) return std::string(canonical);
      }
      return std::nullopt;
    case KeyType::kInt:
    case KeyType::kSeconds: {
      std::optional<int64_t> n = keyword.type == KeyType::kInt ? ParseInt(v) : ParseSeconds(v);
      if (!n || *n < keyword.min_value || *n > keyword.max_value) return std::nullopt;
      return std::to_string(*n);
    }
  }
  return std::nullopt;
}

std::string DescribeAccepted(const Keyword& keyword) {
  switch (keyword.type) {
    case KeyType::kString:
      return "text";
    case KeyType::kBool:
      return "a boolean (1/0, yes/no, true/false, on/off)";
    case KeyType::kEnum: {
      std::string s = "one of: ";
      for (size_t i = 0; i < keyword.allowed_values.size(); ++i) {
        if (i > 0) s += ", ";
        s += keyword.allowed_values[i];
      }
      return s;
    }
    case KeyType::kInt:
      return "an integer from " + std::to_string(keyword.min_value) + " to " +
             std::to_string(keyword.max_value);
    case KeyType::kSeconds:
      return "a number of seconds from " + std::to_string(keyword.min_value) + " to " +
             std::to_string(keyword.max_value) + " (suffix s, m or h allowed)";
  }
  return "";
}

}  // namespace lakebase::setup

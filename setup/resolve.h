// Resolution: from parsed connection-string attributes to a ConnectionConfig, applying the
// precedence connection string > DSN in odbc.ini > environment > defaults, key by key.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "setup/config.h"
#include "setup/config_error.h"
#include "setup/connection_string.h"
#include "setup/dsn.h"

namespace lakebase::setup {

// Reads one environment variable; nullopt when unset. Injectable for tests.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;
EnvLookup SystemEnvironment();  // getenv

struct ResolveOptions {
  EnvLookup env;         // empty: SystemEnvironment()
  DsnReader dsn_reader;  // empty: OdbcInstDsnReader()
  // CA bundles tried, in order, when SSLMode is verify-ca/verify-full and SSLRootCert is empty.
  // Empty: DefaultCaBundlePaths(). $SSL_CERT_FILE, when set, is tried first either way.
  std::vector<std::string> ca_bundle_paths;
  std::function<bool(const std::string& path)> file_exists;  // empty: std::filesystem
};

// The system CA bundles of the common distributions, Debian's first. libpq 15 has no
// sslrootcert=system, so the driver names the file itself.
const std::vector<std::string>& DefaultCaBundlePaths();

// Resolves every keyword. conn_str_attrs are the parsed connection string (or, for SQLConnect,
// AttributesForSqlConnect). The DSN named by its DSN key is read through the reader; a DSN that
// does not exist falls back to a DSN named DEFAULT when there is one (SQLDriverConnect), else is
// an IM002 error. Values that are empty count as not set, so an empty connection-string value or
// an empty line in odbc.ini does not hide the next source.
// Throws ConfigError for a value of the wrong type or range (HY024, naming the key, where the
// value came from and what is accepted) and for a missing DSN (IM002).
ConnectionConfig ResolveConfig(const Attributes& conn_str_attrs,
                               const ResolveOptions& options = {});
ConnectionConfig ResolveConfig(const Attributes& conn_str_attrs, const EnvLookup& env,
                               const DsnReader& dsn_reader);

// Checks that the configuration has what a connect needs (a host or an endpoint/instance to look
// one up, a workspace and credentials for OAuth, a password for AuthType=password, files that
// exist, a sane pool). Throws ConfigError (08001 for something missing, HY024 for a contradiction
// or malformed value) whose message says what to set, with the environment variable and an
// example. `env` is consulted only for HOME (is there a ~/.databrickscfg to take a workspace and
// credentials from?).
void ValidateForConnect(const ConnectionConfig& cfg, const EnvLookup& env = {});

// "adb-1.azuredatabricks.net/" -> "https://adb-1.azuredatabricks.net" (LAKEBASE.md section 4).
std::string NormaliseWorkspace(std::string_view workspace);

// Typed reads of keys that have no field of their own in ConnectionConfig (PoolMaxSize,
// TokenCache, ...): the resolved value from cfg.raw, else the keyword's default. Throw
// std::logic_error for a key that is not in the table, has another type, or has no value.
int64_t ConfigInt(const ConnectionConfig& cfg, std::string_view key);
bool ConfigBool(const ConnectionConfig& cfg, std::string_view key);
std::chrono::seconds ConfigSeconds(const ConnectionConfig& cfg, std::string_view key);
std::string ConfigString(const ConnectionConfig& cfg, std::string_view key);  // also enums

}  // namespace lakebase::setup

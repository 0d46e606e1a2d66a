// The Databricks config file (~/.databrickscfg, DATABRICKS_CONFIG_FILE, ConfigFile) and its
// profiles, as the Databricks CLI and SDKs read them (LAKEBASE.md section 4).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/platform.h"
#include "setup/config.h"

namespace lakebase::auth {

struct IniSection {
  std::string name;                           // as written (profile names are case-sensitive)
  std::map<std::string, std::string> values;  // keys lower-cased, keys and values trimmed
};

struct IniFile {
  std::vector<IniSection> sections;  // in order of first appearance; repeats merged
  const IniSection* Find(std::string_view name) const;
  std::vector<std::string> Names() const;
};

// Parses INI text the way Python's configparser reads a .databrickscfg: [section] headers,
// "key = value" or "key: value", full-line comments starting with '#' or ';', blank lines, CRLF
// line ends and a UTF-8 byte order mark. Values keep everything after the delimiter (trimmed),
// '#' included: a token may contain one. Lines before the first section and lines that are
// neither a header nor key/value are ignored. A pure function that never throws, whatever the
// input (the fuzz target).
IniFile ParseIni(std::string_view text);

struct Profile {
  std::string name;
  std::string file;
  bool explicitly_chosen = false;             // Profile / DATABRICKS_CONFIG_PROFILE, not a default
  std::map<std::string, std::string> values;  // host, token, client_id, client_secret, auth_type
};

// The config file path for cfg: ConfigFile (or DATABRICKS_CONFIG_FILE), else ~/.databrickscfg;
// a leading "~/" is the home directory.
std::string ConfigFilePath(const setup::ConnectionConfig& cfg, const Platform& platform);

// Chooses the profile: Profile (or DATABRICKS_CONFIG_PROFILE), else [__settings__]
// default_profile, else [DEFAULT]. nullopt when no profile applies (no file, or no default
// profile in it). Throws AuthError(kConfiguration) when a profile asked for by name is missing
// (naming the file and the profiles it has), or the file named by ConfigFile does not exist.
std::optional<Profile> SelectProfile(const setup::ConnectionConfig& cfg, Platform& platform);

// cfg with the profile's host, token, client_id, client_secret and auth_type filled into the
// fields the connection string, DSN and environment left empty; those keep precedence. A
// profile that was not asked for by name and is for another workspace than cfg's is ignored: its
// credentials must not be sent to a different host. The profile's auth_type becomes cfg's
// AuthType when AuthType was left at auto and cfg carries no credentials of its own. Throws
// AuthError(kConfiguration) for an auth_type this driver cannot use.
setup::ConnectionConfig ApplyProfile(setup::ConnectionConfig cfg, const Profile& profile);

// "pat", "oauth-m2m", "databricks-cli", "external-browser", ... -> AuthType; nullopt if unknown.
std::optional<setup::AuthType> ParseProfileAuthType(std::string_view name);

}  // namespace lakebase::auth

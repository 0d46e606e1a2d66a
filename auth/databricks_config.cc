#include "auth/databricks_config.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "auth/token.h"
#include "auth/workspace_client.h"
#include "common/log.h"

namespace lakebase::auth {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

AuthError ConfigError(const std::string& message) {
  return AuthError(AuthErrorKind::kConfiguration, message);
}

}  // namespace

const IniSection* IniFile::Find(std::string_view name) const {
  for (const auto& s : sections) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::vector<std::string> IniFile::Names() const {
  std::vector<std::string> names;
  for (const auto& s : sections) {
    if (s.name != "__settings__") names.push_back(s.name);
  }
  return names;
}

IniFile ParseIni(std::string_view text) {
  IniFile file;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  IniSection* current = nullptr;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = Trim(text.substr(0, nl));
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[') {
      size_t close = line.find(']');
      if (close == std::string_view::npos) {
        current = nullptr;  // a broken header: ignore what follows until the next good one
        continue;
      }
      std::string name(Trim(line.substr(1, close - 1)));
      auto it = std::find_if(file.sections.begin(), file.sections.end(),
                             [&](const IniSection& s) { return s.name == name; });
      if (it == file.sections.end()) {
        file.sections.push_back(IniSection{name, {}});
        current = &file.sections.back();
      } else {
        current = &*it;
      }
      continue;
    }
    if (current == nullptr) continue;
    size_t delim = line.find_first_of("=:");
    if (delim == std::string_view::npos || delim == 0) continue;
    std::string key = Lower(Trim(line.substr(0, delim)));
    if (key.empty()) continue;
    current->values[key] = std::string(Trim(line.substr(delim + 1)));
  }
  return file;
}

std::optional<setup::AuthType> ParseProfileAuthType(std::string_view name) {
  std::string n = Lower(Trim(name));
  if (n == "pat") return setup::AuthType::kPat;
  if (n == "oauth-m2m") return setup::AuthType::kOAuthM2M;
  if (n == "oauth-u2m" || n == "external-browser" || n == "u2m") return setup::AuthType::kOAuthU2M;
  if (n == "databricks-cli") return setup::AuthType::kDatabricksCli;
  if (n == "access-token") return setup::AuthType::kAccessToken;
  if (n == "auto" || n.empty()) return setup::AuthType::kAuto;
  return std::nullopt;
}

std::string ConfigFilePath(const setup::ConnectionConfig& cfg, const Platform& platform) {
  std::string path = cfg.config_file;
  if (path.empty()) {
    std::string home = platform.HomeDir();
    return home.empty() ? std::string() : home + "/.databrickscfg";
  }
  if (path == "~" || path.rfind("~/", 0) == 0) path = platform.HomeDir() + path.substr(1);
  return path;
}

std::optional<Profile> SelectProfile(const setup::ConnectionConfig& cfg, Platform& platform) {
  std::string path = ConfigFilePath(cfg, platform);
  if (path.empty()) return std::nullopt;
  std::optional<std::string> text = platform.ReadTextFile(path);
  if (!text) {
    if (!cfg.config_file.empty()) {
      throw ConfigError(
          fmt::format("the Databricks config file {} (ConfigFile or "
                      "DATABRICKS_CONFIG_FILE) does not exist",
                      path));
    }
    if (!cfg.profile.empty()) {
      throw ConfigError(fmt::format(
          "Profile \"{}\" was asked for, but there is no Databricks config file {} (create it "
          "with `databricks auth login`, or set ConfigFile)",
          cfg.profile, path));
    }
    return std::nullopt;
  }
  IniFile ini = ParseIni(*text);
  Profile profile;
  profile.file = path;
  if (!cfg.profile.empty()) {
    profile.name = cfg.profile;
    profile.explicitly_chosen = true;
  } else if (const IniSection* settings = ini.Find("__settings__");
             settings != nullptr && settings->values.contains("default_profile") &&
             !settings->values.at("default_profile").empty()) {
    profile.name = settings->values.at("default_profile");
    // The file itself names it: missing is as much an error as a Profile key naming it.
    profile.explicitly_chosen = true;
  } else {
    profile.name = "DEFAULT";
  }
  const IniSection* section = ini.Find(profile.name);
  if (section == nullptr) {
    if (!profile.explicitly_chosen) return std::nullopt;
    std::vector<std::string> names = ini.Names();
    throw ConfigError(fmt::format(
        "profile \"{}\" is not in the Databricks config file {}; it has {}", profile.name, path,
        names.empty() ? std::string("no profiles")
                      : "the profiles " + fmt::format("{}", fmt::join(names, ", "))));
  }
  profile.values = section->values;
  return profile;
}

setup::ConnectionConfig ApplyProfile(setup::ConnectionConfig cfg, const Profile& profile) {
  auto get = [&](const char* key) -> std::string {
    auto it = profile.values.find(key);
    return it == profile.values.end() ? std::string() : it->second;
  };
  std::string host = get("host");
  if (!host.empty()) host = NormalizeWorkspaceUrl(host);
  if (!cfg.workspace.empty() && !host.empty() &&
      WorkspaceHost(NormalizeWorkspaceUrl(cfg.workspace)) != WorkspaceHost(host)) {
    if (!profile.explicitly_chosen) {
      log::Debug("auth: profile {} of {} is for {}, not the connection's workspace {}; ignored",
                 profile.name, profile.file, host, cfg.workspace);
      return cfg;
    }
    log::Info("auth: profile {} is for {}, but Workspace {} is used", profile.name, host,
              cfg.workspace);
  }
  const bool own_credentials = !cfg.token.empty() || !cfg.client_id.empty() ||
                               !cfg.client_secret.empty() || !cfg.access_token.empty() ||
                               !cfg.user_access_token.empty();
  if (cfg.workspace.empty()) cfg.workspace = host;
  if (!own_credentials) {
    if (std::string v = get("token"); !v.empty()) cfg.token = SecretString(v);
    if (std::string v = get("client_id"); !v.empty()) cfg.client_id = v;
    if (std::string v = get("client_secret"); !v.empty()) cfg.client_secret = SecretString(v);
  }
  if (std::string v = get("auth_type");
      !v.empty() && cfg.auth_type == setup::AuthType::kAuto && !own_credentials) {
    std::optional<setup::AuthType> type = ParseProfileAuthType(v);
    if (!type) {
      throw ConfigError(fmt::format(
          "profile \"{}\" in {} has auth_type = {}, which this driver does not support; use "
          "pat, oauth-m2m, external-browser or databricks-cli, or set AuthType",
          profile.name, profile.file, v));
    }
    cfg.auth_type = *type;
  }
  if (cfg.profile.empty()) cfg.profile = profile.name;
  return cfg;
}

}  // namespace lakebase::auth

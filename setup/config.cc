#include "setup/config.h"

#include "setup/keywords.h"

namespace lakebase::setup {

std::string_view AuthTypeName(AuthType type) {
  switch (type) {
    case AuthType::kAuto:
      return "auto";
    case AuthType::kPat:
      return "pat";
    case AuthType::kOAuthM2M:
      return "oauth-m2m";
    case AuthType::kOAuthU2M:
      return "oauth-u2m";
    case AuthType::kDatabricksCli:
      return "databricks-cli";
    case AuthType::kAccessToken:
      return "access-token";
    case AuthType::kPassword:
      return "password";
  }
  return "auto";
}

std::optional<AuthType> ParseAuthType(std::string_view name) {
  // Through the keyword table, so the accepted spellings are the documented ones.
  std::optional<std::string> normalised = NormaliseValue(GetKeyword("AuthType"), name);
  if (!normalised) return std::nullopt;
  for (AuthType t : {AuthType::kAuto, AuthType::kPat, AuthType::kOAuthM2M, AuthType::kOAuthU2M,
                     AuthType::kDatabricksCli, AuthType::kAccessToken, AuthType::kPassword}) {
    if (AuthTypeName(t) == *normalised) return t;
  }
  return std::nullopt;
}

}  // namespace lakebase::setup

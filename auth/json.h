// RapidJSON helpers for the workspace's responses: every missing or mistyped field becomes an
// AuthError(kWorkspace) that names the field and the call, never one that shows the body (which
// may hold a token).
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>

#include "auth/token.h"

namespace lakebase::auth::json {

// Parses body as a JSON object; throws AuthError(kWorkspace) naming action when it is not one.
rapidjson::Document ParseObject(const std::string& body, std::string_view action);

// The string at a dotted path ("status.hosts.host"); nullptr when absent or not a string.
const rapidjson::Value* Find(const rapidjson::Value& root, std::string_view dotted_path);

// The non-empty string at dotted_path; throws AuthError(kWorkspace) when absent.
std::string RequireString(const rapidjson::Value& root, std::string_view dotted_path,
                          std::string_view action);

// Appends text as a JSON string literal (quotes and escapes included).
void AppendQuoted(std::string& out, std::string_view text);

}  // namespace lakebase::auth::json

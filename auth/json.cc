#include "auth/json.h"

#include <fmt/format.h>

namespace lakebase::auth::json {

rapidjson::Document ParseObject(const std::string& body, std::string_view action) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError()) {
    throw AuthError(AuthErrorKind::kWorkspace,
                    fmt::format("{}: the workspace's response is not valid JSON (error at byte {})",
                                action, doc.GetErrorOffset()));
  }
  if (!doc.IsObject()) {
    throw AuthError(AuthErrorKind::kWorkspace,
                    fmt::format("{}: the workspace's response is not a JSON object", action));
  }
  return doc;
}

const rapidjson::Value* Find(const rapidjson::Value& root, std::string_view dotted_path) {
  const rapidjson::Value* node = &root;
  while (true) {
    if (!node->IsObject()) return nullptr;
    size_t dot = dotted_path.find('.');
    std::string_view name = dotted_path.substr(0, dot);
    auto it = node->FindMember(
        rapidjson::Value(name.data(), static_cast<rapidjson::SizeType>(name.size())));
    if (it == node->MemberEnd()) return nullptr;
    node = &it->value;
    if (dot == std::string_view::npos) return node;
    dotted_path.remove_prefix(dot + 1);
  }
}

std::string RequireString(const rapidjson::Value& root, std::string_view dotted_path,
                          std::string_view action) {
  const rapidjson::Value* value = Find(root, dotted_path);
  if (value == nullptr || !value->IsString() || value->GetStringLength() == 0) {
    throw AuthError(
        AuthErrorKind::kWorkspace,
        fmt::format("{}: the workspace's response has no {} field{}", action, dotted_path,
                    value != nullptr && !value->IsString() ? " of type string" : ""));
  }
  return std::string(value->GetString(), value->GetStringLength());
}

void AppendQuoted(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xf]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

}  // namespace lakebase::auth::json

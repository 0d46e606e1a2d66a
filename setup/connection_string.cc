#include "setup/connection_string.h"

#include <cctype>

#include "setup/config_error.h"
#include "setup/keywords.h"

namespace lakebase::setup {
namespace {

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view CanonicalName(std::string_view key) {
  if (const Keyword* k = FindKeyword(key)) return k->name;
  return Trim(key);
}

// One key=value as written: the spans let redaction rewrite only the value and keep everything
// else byte for byte.
struct ScannedPair {
  std::string_view key;  // trimmed
  size_t value_begin = 0;
  size_t value_end = 0;  // the value as written, braces included, surrounding spaces excluded
  std::string value;     // unquoted
};

enum class ScanError { kNone, kUnterminatedBrace, kTextAfterBrace, kNoEquals, kEmptyKey };

struct ScanResult {
  std::vector<ScannedPair> pairs;
  ScanError error = ScanError::kNone;
  std::string_view error_key;  // the key of the malformed pair, when it has one
  size_t mask_from = 0;        // redaction masks from here on when error != kNone
};

ScanResult Scan(std::string_view text) {
  ScanResult result;
  const size_t n = text.size();
  size_t pos = 0;
  while (pos < n) {
    const size_t pair_begin = pos;
    size_t eq = pos;
    while (eq < n && text[eq] != '=' && text[eq] != ';') ++eq;
    if (eq == n || text[eq] == ';') {
      // No '=' before the next ';': an empty pair (";;", trailing spaces) is skipped, anything
      // else is not an attribute at all.
      if (!Trim(text.substr(pair_begin, eq - pair_begin)).empty()) {
        result.error = ScanError::kNoEquals;
        result.mask_from = pair_begin;
        return result;
      }
      pos = eq + 1;
      continue;
    }
    ScannedPair pair;
    pair.key = Trim(text.substr(pair_begin, eq - pair_begin));
    if (pair.key.empty()) {
      result.error = ScanError::kEmptyKey;
      result.mask_from = pair_begin;
      return result;
    }
    size_t v = eq + 1;
    while (v < n && IsSpace(text[v]) && text[v] != ';') ++v;
    if (v < n && text[v] == '{') {
      // Braced value: everything up to the matching '}' is literal, ';' and '=' included;
      // "}}" stands for one '}' (ODBC 3.8).
      size_t i = v + 1;
      bool closed = false;
      while (i < n) {
        if (text[i] == '}') {
          if (i + 1 < n && text[i + 1] == '}') {
            pair.value.push_back('}');
            i += 2;
            continue;
          }
          closed = true;
          ++i;
          break;
        }
        pair.value.push_back(text[i]);
        ++i;
      }
      if (!closed) {
        result.error = ScanError::kUnterminatedBrace;
        result.error_key = pair.key;
        result.mask_from = eq + 1;
        return result;
      }
      pair.value_begin = v;
      pair.value_end = i;
      while (i < n && IsSpace(text[i])) ++i;
      if (i < n && text[i] != ';') {
        result.error = ScanError::kTextAfterBrace;
        result.error_key = pair.key;
        result.mask_from = eq + 1;
        return result;
      }
      pos = i + 1;
    } else {
      size_t end = v;
      while (end < n && text[end] != ';') ++end;
      std::string_view raw = text.substr(v, end - v);
      std::string_view trimmed = Trim(raw);
      pair.value_begin = v;
      pair.value_end = v + trimmed.size();
      pair.value = std::string(trimmed);
      pos = end + 1;
    }
    result.pairs.push_back(std::move(pair));
  }
  return result;
}

}  // namespace

const Attributes::Entry& Attributes::Set(std::string_view key, std::string value) {
  const Keyword* keyword = FindKeyword(key);
  std::string_view canonical = keyword != nullptr ? keyword->name : Trim(key);
  for (Entry& e : entries_) {
    if (EqualsIgnoreCase(e.key, canonical)) {
      e.value = std::move(value);
      e.given_key = std::string(Trim(key));
      return e;
    }
  }
  entries_.push_back(Entry{.key = std::string(canonical),
                           .value = std::move(value),
                           .given_key = std::string(Trim(key)),
                           .known = keyword != nullptr});
  return entries_.back();
}

const std::string* Attributes::Find(std::string_view key) const {
  std::string_view canonical = CanonicalName(key);
  for (const Entry& e : entries_) {
    if (EqualsIgnoreCase(e.key, canonical)) return &e.value;
  }
  return nullptr;
}

void Attributes::Erase(std::string_view key) {
  std::string_view canonical = CanonicalName(key);
  std::erase_if(entries_, [&](const Entry& e) { return EqualsIgnoreCase(e.key, canonical); });
}

Attributes ParseConnectionString(std::string_view text) {
  ScanResult scan = Scan(text);
  auto fail = [](const std::string& what) -> ConfigError {
    return ConfigError(kSqlStateGeneral, "",
                       "[Lakebase ODBC] Malformed connection string: " + what +
                           " (expected key=value pairs separated by ';', values with ';' or '}' "
                           "in braces, e.g. PWD={a;b}}c})");
  };
  switch (scan.error) {
    case ScanError::kNone:
      break;
    case ScanError::kUnterminatedBrace:
      throw fail("the value of " + std::string(scan.error_key) + " opens '{' but never closes it");
    case ScanError::kTextAfterBrace:
      throw fail("text follows the closing '}' of the value of " + std::string(scan.error_key));
    case ScanError::kNoEquals:
      // The text itself is not shown: it may be a secret pasted in the wrong place.
      throw fail("an attribute without '=' at offset " + std::to_string(scan.mask_from));
    case ScanError::kEmptyKey:
      throw fail("an attribute without a key at offset " + std::to_string(scan.mask_from));
  }
  Attributes attrs;
  for (ScannedPair& p : scan.pairs) attrs.Set(p.key, std::move(p.value));
  return attrs;
}

Attributes AttributesForSqlConnect(std::string_view server_name, std::string_view user_name,
                                   std::string_view authentication) {
  Attributes attrs;
  if (!server_name.empty()) attrs.Set("DSN", std::string(server_name));
  if (!user_name.empty()) attrs.Set("UID", std::string(user_name));
  if (!authentication.empty()) attrs.Set("PWD", std::string(authentication));
  return attrs;
}

std::string QuoteValue(std::string_view value) {
  bool needs_braces = !value.empty() && (IsSpace(value.front()) || IsSpace(value.back()));
  for (char c : value) {
    if (c == ';' || c == '{' || c == '}' || c == '=') needs_braces = true;
  }
  if (!needs_braces) return std::string(value);
  std::string out = "{";
  for (char c : value) {
    out.push_back(c);
    if (c == '}') out.push_back('}');
  }
  out.push_back('}');
  return out;
}

std::string RedactConnectionString(std::string_view text) {
  ScanResult scan = Scan(text);
  std::string out;
  size_t copied = 0;
  for (const ScannedPair& p : scan.pairs) {
    if (!IsSensitiveKey(p.key)) continue;
    out.append(text.substr(copied, p.value_begin - copied));
    out.append("***");
    copied = p.value_end;
  }
  if (scan.error == ScanError::kNone) {
    out.append(text.substr(copied));
  } else {
    out.append(text.substr(copied, scan.mask_from - copied));
    out.append("***");
  }
  return out;
}

std::string BuildOutputConnectionString(const ConnectionConfig& cfg) {
  std::string out;
  auto append = [&out](std::string_view key, std::string_view value) {
    if (!out.empty()) out.push_back(';');
    out.append(key);
    out.push_back('=');
    out.append(QuoteValue(value));
  };
  // ODBC: DSN and Driver name where the driver comes from; with a DSN the driver is the DSN's.
  if (!cfg.dsn.empty()) {
    append("DSN", cfg.dsn);
  } else if (!cfg.driver.empty()) {
    append("Driver", cfg.driver);
  }
  for (const Keyword& k : AllKeywords()) {
    // Description is not used to connect.
    if (k.sensitive || k.name == "DSN" || k.name == "Driver" || k.name == "Description") continue;
    // AuthMech/Auth_Flow are folded into AuthType, which is written instead.
    if (k.group == KeyGroup::kDatabricksOdbc) continue;
    auto source = cfg.sources.find(std::string(k.name));
    if (source == cfg.sources.end() || source->second == Source::kDefault) continue;
    // With DSN=... the DSN's own keys come back from odbc.ini on reconnect; repeating them would
    // pin today's values and hide later edits of the DSN from applications that save the string.
    if (source->second == Source::kDsn && !cfg.dsn.empty()) continue;
    auto value = cfg.raw.find(std::string(k.name));
    if (value == cfg.raw.end()) continue;
    append(k.name, value->second);
  }
  return out;
}

}  // namespace lakebase::setup

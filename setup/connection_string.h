// Connection strings as SQLDriverConnect defines them (ODBC 3.8, SQLDriverConnect "Comments"):
//   connection-string ::= attribute[;] | attribute; connection-string
//   attribute         ::= attribute-keyword=attribute-value
//   attribute-value   ::= character-string | {character-string}
// with ODBC 3.8's rule that "}}" inside braces is a literal "}".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "setup/config.h"

namespace lakebase::setup {

// Parsed key=value attributes. Known keys are stored under their canonical name (an alias such as
// Server or Auth_Client_ID becomes Host or ClientId); unknown keys keep the spelling given. Keys
// compare case-insensitively. Setting a key again replaces its value (later wins) but keeps its
// first position, so output order is stable.
class Attributes {
 public:
  struct Entry {
    std::string key;        // canonical name, or the given spelling for an unknown key
    std::string value;      // unquoted
    std::string given_key;  // as written (an alias stays visible for messages)
    bool known = false;     // in the keyword table
  };

  // Maps `key` through the keyword table and sets it; returns the stored entry.
  const Entry& Set(std::string_view key, std::string value);
  // nullptr when absent; `key` may be a canonical name or an alias.
  const std::string* Find(std::string_view key) const;
  bool Contains(std::string_view key) const { return Find(key) != nullptr; }
  void Erase(std::string_view key);

  const std::vector<Entry>& entries() const { return entries_; }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

 private:
  std::vector<Entry> entries_;
};

// Parses an SQLDriverConnect / SQLBrowseConnect connection string. Keys are trimmed and
// case-insensitive; a value is trimmed unless braced ({ a;b=c } keeps its inner text exactly);
// empty pairs (";;") are skipped; when a key repeats, the later value wins.
// Throws ConfigError (HY000) on an unterminated brace, text after a closing brace, a pair
// without '=' or an empty key; the message shows the offending pair with secrets masked.
Attributes ParseConnectionString(std::string_view text);

// The attributes SQLConnect(ServerName, UserName, Authentication) stands for: DSN, UID and PWD
// (empty arguments are left out, so the DSN's or environment's values apply).
Attributes AttributesForSqlConnect(std::string_view server_name, std::string_view user_name,
                                   std::string_view authentication);

// A value quoted for a connection string: as is when safe, else in braces with "}" doubled.
std::string QuoteValue(std::string_view value);

// `text` with the value of every sensitive key replaced by "***": keyword-table secrets by name or
// alias, and unknown keys whose names look secret. Never throws; from a malformed pair onward the
// rest of the string is masked, since where its values end cannot be known. For logging.
std::string RedactConnectionString(std::string_view text);

// The output connection string of SQLDriverConnect: DSN=... (or Driver=... when there is no
// DSN) and every non-secret key that was set explicitly in the connection string or the
// environment (the DSN's own keys are left to the DSN, so later edits of it still apply), with
// canonical names, normalised values, quoted where needed. Passwords, tokens and secrets are left
// out, so the string is safe to store; reconnecting with it needs the secret from the DSN, the
// environment, or the application again. Built from cfg.sources and cfg.raw as ResolveConfig
// fills them.
std::string BuildOutputConnectionString(const ConnectionConfig& cfg);

}  // namespace lakebase::setup

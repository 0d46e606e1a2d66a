// The keyword table: every DSN / connection-string key the driver knows, once. Parsing, DSN
// lookup, resolution, redaction, the output connection string and the README reference are all
// driven from this table, so a key added here is parsed, validated, documented and (if marked
// sensitive) redacted everywhere without further code (DESIGN.md section 1, pattern 6 and 9).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lakebase::setup {

enum class KeyType {
  kString,
  kInt,      // decimal integer within [min_value, max_value]
  kBool,     // 1/0, yes/no, true/false, on/off (case-insensitive); normalised to "1"/"0"
  kEnum,     // one of allowed_values (case-insensitive); normalised to the listed spelling
  kSeconds,  // whole seconds within [min_value, max_value]; "30", "30s", "5m" or "1h"
};

// Groups order the README reference and GUI tools; they carry no behaviour.
enum class KeyGroup {
  kOdbc,
  kPostgres,
  kTls,
  kWorkspace,
  kPool,
  kLogging,
  kCompatibility,
  kDatabricksOdbc,  // Databricks ODBC driver spellings (LAKEBASE.md section 5)
};

struct Keyword {
  std::string_view name{};                   // canonical spelling, used in output and in `raw`
  std::vector<std::string_view> aliases{};   // other accepted spellings (case-insensitive)
  std::vector<std::string_view> env_vars{};  // environment fallbacks, first non-empty wins
  std::string_view default_value{};          // textual default; empty: none
  bool sensitive = false;                    // secret: never logged, stored in raw or returned
  KeyType type = KeyType::kString;
  std::vector<std::string_view> allowed_values{};  // kEnum: the canonical values
  // kEnum: other accepted spellings of a value -> the canonical value (e.g. the Databricks SDK's
  // DATABRICKS_AUTH_TYPE=external-browser is our oauth-u2m).
  std::vector<std::pair<std::string_view, std::string_view>> value_aliases{};
  int64_t min_value = 0;  // kInt, kSeconds
  int64_t max_value = 0;
  KeyGroup group = KeyGroup::kOdbc;
  std::string_view help{};     // one line, for the README and GUI tools
  std::string_view example{};  // a value that works in key=value
};

// The whole table, in documentation order.
std::span<const Keyword> AllKeywords();

// The keyword whose name or alias is `key` (case-insensitive, surrounding spaces ignored);
// nullptr for a key the driver does not know.
const Keyword* FindKeyword(std::string_view key);

// The canonical keyword; throws std::logic_error if `name` is not in the table (a programming
// error: call sites pass the canonical names as literals).
const Keyword& GetKeyword(std::string_view name);

// True for a key whose value must never be shown: a sensitive keyword (by name or alias), or an
// unknown key whose name looks like it holds a secret (*secret*, *token*, *password*, *pwd*,
// ...), so that "Client_Secret" or "DbPasswd" is redacted too.
bool IsSensitiveKey(std::string_view key);

// Parses a boolean the way every ODBC driver does: 1/0, yes/no, true/false, on/off
// (case-insensitive, surrounding spaces ignored).
std::optional<bool> ParseBool(std::string_view text);

// Checks `value` against the keyword's type and returns its normalised text (bools "1"/"0",
// enums in their listed spelling, ints and seconds as plain decimal). nullopt when the value is
// not acceptable; DescribeAccepted says what is.
std::optional<std::string> NormaliseValue(const Keyword& keyword, std::string_view value);

// "an integer from 1 to 65535", "one of: off, error, ...", "a boolean (1/0, yes/no, ...)".
std::string DescribeAccepted(const Keyword& keyword);

// Case-insensitive ASCII comparison, the rule for ODBC keyword names.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace lakebase::setup

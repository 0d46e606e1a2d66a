#include "driver/sql_rewrite.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <functional>
#include <optional>
#include <vector>

#include "driver/error.h"

namespace lakebase::pg {

namespace {

[[noreturn]] void SyntaxError(const std::string& what) {
  throw PgError("42000", "syntax error or access violation in ODBC escape sequence: " + what);
}

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool IsIdentStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool IsIdentChar(char c) { return IsIdentStart(c) || IsDigit(c) || c == '$'; }

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}
std::string Upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

// Length of a quoted/commented token starting at s[i], or 0 if s[i] does not start one.
// Unterminated tokens run to the end (the server reports the syntax error).
size_t SkipOpaque(std::string_view s, size_t i) {
  const size_t n = s.size();
  char c = s[i];
  if (c == '\'') {
    // E'...' strings allow backslash escapes (standard_conforming_strings governs only plain
    // '...'). The E is ordinary text to the caller, so look back one character.
    bool backslash =
        i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e') && (i < 2 || !IsIdentChar(s[i - 2]));
    size_t j = i + 1;
    while (j < n) {
      if (backslash && s[j] == '\\') {
        j += 2;
        continue;
      }
      if (s[j] == '\'') {
        if (j + 1 < n && s[j + 1] == '\'') {
          j += 2;
          continue;
        }
        return j + 1 - i;
      }
      ++j;
    }
    return n - i;
  }
  if (c == '"') {
    size_t j = i + 1;
    while (j < n) {
      if (s[j] == '"') {
        if (j + 1 < n && s[j + 1] == '"') {
          j += 2;
          continue;
        }
        return j + 1 - i;
      }
      ++j;
    }
    return n - i;
  }
  if (c == '-' && i + 1 < n && s[i + 1] == '-') {
    size_t j = s.find('\n', i);
    return (j == std::string_view::npos ? n : j + 1) - i;
  }
  if (c == '/' && i + 1 < n && s[i + 1] == '*') {
    int depth = 1;
    size_t j = i + 2;
    while (j < n && depth > 0) {
      if (s[j] == '/' && j + 1 < n && s[j + 1] == '*') {
        ++depth;
        j += 2;
      } else if (s[j] == '*' && j + 1 < n && s[j + 1] == '/') {
        --depth;
        j += 2;
      } else {
        ++j;
      }
    }
    return j - i;
  }
  if (c == '$' && (i == 0 || !IsIdentChar(s[i - 1]))) {
    // $tag$ ... $tag$ (tag may be empty, never starts with a digit); $1 is a positional
    // parameter, not a quote.
    size_t j = i + 1;
    if (j < n && IsDigit(s[j])) return 0;
    while (j < n && IsIdentChar(s[j]) && s[j] != '$') ++j;
    if (j < n && s[j] == '$') {
      std::string_view tag = s.substr(i, j - i + 1);
      size_t end = s.find(tag, j + 1);
      return (end == std::string_view::npos ? n : end + tag.size()) - i;
    }
  }
  return 0;
}

// The long form of an escape: --(*vendor(Microsoft),product(ODBC) ... *)--
// Returns the length of the prefix (through "product(ODBC)"), or 0.
size_t VendorEscapePrefix(std::string_view s, size_t i) {
  if (!StartsWithNoCase(s.substr(i), "--(*")) return 0;
  size_t j = i + 4;
  auto skip_ws = [&] {
    while (j < s.size() && IsSpace(s[j])) ++j;
  };
  auto expect = [&](std::string_view word) {
    skip_ws();
    if (!StartsWithNoCase(s.substr(j), word)) return false;
    j += word.size();
    return true;
  };
  if (!expect("vendor") || !expect("(") || !expect("microsoft") || !expect(")") || !expect(",") ||
      !expect("product") || !expect("(") || !expect("odbc") || !expect(")")) {
    return 0;
  }
  return j - i;
}

// Finds the '}' closing the escape that starts at s[open] == '{'.
size_t MatchingBrace(std::string_view s, size_t open) {
  int depth = 0;
  for (size_t i = open; i < s.size();) {
    if (size_t k = SkipOpaque(s, i)) {
      i += k;
      continue;
    }
    if (s[i] == '{') ++depth;
    if (s[i] == '}' && --depth == 0) return i;
    ++i;
  }
  SyntaxError("missing '}'");
}

// Finds the "*)--" closing a long-form escape whose body starts at `from`.
size_t VendorEscapeEnd(std::string_view s, size_t from) {
  for (size_t i = from; i < s.size();) {
    if (s.compare(i, 4, "*)--") == 0) return i;
    // Quotes inside the body are opaque; comments cannot be (the terminator ends in --).
    if (s[i] == '\'' || s[i] == '"' || s[i] == '$') {
      if (size_t k = SkipOpaque(s, i)) {
        i += k;
        continue;
      }
    }
    ++i;
  }
  SyntaxError("missing '*)--' after --(*vendor(Microsoft),product(ODBC)");
}

// Splits at top-level commas (outside parentheses, quotes and comments).
std::vector<std::string> SplitArgs(std::string_view s) {
  std::vector<std::string> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < s.size();) {
    if (size_t k = SkipOpaque(s, i)) {
      i += k;
      continue;
    }
    if (s[i] == '(' || s[i] == '[') ++depth;
    if (s[i] == ')' || s[i] == ']') --depth;
    if (s[i] == ',' && depth == 0) {
      out.emplace_back(Trim(s.substr(start, i - start)));
      start = i + 1;
    }
    ++i;
  }
  std::string_view last = Trim(s.substr(start));
  if (!last.empty() || !out.empty()) out.emplace_back(last);
  return out;
}

// Finds a keyword (FROM, IN) at the top level of s, as a whole word; npos when absent.
size_t FindTopLevelWord(std::string_view s, std::string_view word) {
  int depth = 0;
  for (size_t i = 0; i < s.size();) {
    if (size_t k = SkipOpaque(s, i)) {
      i += k;
      continue;
    }
    char c = s[i];
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (depth == 0 && IsIdentStart(c) && (i == 0 || !IsIdentChar(s[i - 1]))) {
      size_t j = i;
      while (j < s.size() && IsIdentChar(s[j])) ++j;
      if (Lower(s.substr(i, j - i)) == word) return i;
      i = j;
      continue;
    }
    ++i;
  }
  return std::string_view::npos;
}

// An argument whose type the server cannot infer: a bare parameter ($n) or a bare string
// literal. Functions with several overloads (extract, to_char, abs...) need a cast for those.
bool Untyped(std::string_view arg) {
  arg = Trim(arg);
  if (arg.size() >= 2 && arg[0] == '$' &&
      std::all_of(arg.begin() + 1, arg.end(), [](char c) { return IsDigit(c); })) {
    return true;
  }
  if (!arg.empty() && arg[0] == '\'' && SkipOpaque(arg, 0) == arg.size()) return true;
  return false;
}

std::string Typed(const std::string& arg, std::string_view type) {
  if (!Untyped(arg)) return arg;
  return "CAST(" + arg + " AS " + std::string(type) + ")";
}
std::string Cast(const std::string& arg, std::string_view type) {
  return "CAST(" + arg + " AS " + std::string(type) + ")";
}

// ODBC CONVERT(value, SQL_xxx) target types (appendix E, "Explicit Data Type Conversion").
// Character targets become varchar/text, not PostgreSQL's one-character "char".
std::string ConvertType(std::string_view odbc_type) {
  std::string t = Lower(Trim(odbc_type));
  if (t.rfind("sql_", 0) == 0) t = t.substr(4);
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 39> kTypes = {{
      {"bigint", "bigint"},
      {"binary", "bytea"},
      {"bit", "boolean"},
      {"char", "varchar"},
      {"date", "date"},
      {"type_date", "date"},
      {"decimal", "numeric"},
      {"double", "double precision"},
      {"float", "double precision"},
      {"guid", "uuid"},
      {"integer", "integer"},
      {"longvarbinary", "bytea"},
      {"longvarchar", "text"},
      {"numeric", "numeric"},
      {"real", "real"},
      {"smallint", "smallint"},
      {"time", "time"},
      {"type_time", "time"},
      {"timestamp", "timestamp"},
      {"type_timestamp", "timestamp"},
      {"tinyint", "smallint"},
      {"varbinary", "bytea"},
      {"varchar", "varchar"},
      {"wchar", "varchar"},
      {"wlongvarchar", "text"},
      {"wvarchar", "varchar"},
      {"interval_year", "interval year"},
      {"interval_month", "interval month"},
      {"interval_day", "interval day"},
      {"interval_hour", "interval hour"},
      {"interval_minute", "interval minute"},
      {"interval_second", "interval second"},
      {"interval_year_to_month", "interval year to month"},
      {"interval_day_to_hour", "interval day to hour"},
      {"interval_day_to_minute", "interval day to minute"},
      {"interval_day_to_second", "interval day to second"},
      {"interval_hour_to_minute", "interval hour to minute"},
      {"interval_hour_to_second", "interval hour to second"},
      {"interval_minute_to_second", "interval minute to second"},
  }};
  for (auto& [k, v] : kTypes) {
    if (t == k) return std::string(v);
  }
  SyntaxError("unsupported type in {fn CONVERT}: " + std::string(Trim(odbc_type)));
}

// SQL_TSI_xxx of TIMESTAMPADD / TIMESTAMPDIFF, without the prefix.
std::string IntervalKind(std::string_view arg) {
  std::string k = Upper(Trim(arg));
  if (k.rfind("SQL_TSI_", 0) == 0) k = k.substr(8);
  static constexpr std::array<std::string_view, 9> kKinds = {
      "FRAC_SECOND", "SECOND", "MINUTE", "HOUR", "DAY", "WEEK", "MONTH", "QUARTER", "YEAR"};
  for (auto kind : kKinds) {
    if (k == kind) return k;
  }
  SyntaxError("unknown interval in TIMESTAMPADD/TIMESTAMPDIFF: " + std::string(Trim(arg)));
}

std::string TimestampAdd(const std::vector<std::string>& a) {
  std::string kind = IntervalKind(a[0]);
  std::string ts = Typed(a[2], "timestamp");
  if (kind == "FRAC_SECOND") {
    // Billionths of a second (SQL_TSI_FRAC_SECOND); PostgreSQL keeps microseconds.
    return "(" + ts + " + " + Cast(a[1], "double precision") +
           " / 1000000000 * INTERVAL '1 second')";
  }
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kUnit = {{
      {"SECOND", "1 second"},
      {"MINUTE", "1 minute"},
      {"HOUR", "1 hour"},
      {"DAY", "1 day"},
      {"WEEK", "7 days"},
      {"MONTH", "1 month"},
      {"QUARTER", "3 months"},
      {"YEAR", "1 year"},
  }};
  for (auto& [k, unit] : kUnit) {
    if (kind == k) {
      return "(" + ts + " + " + Cast(a[1], "integer") + " * INTERVAL '" + std::string(unit) + "')";
    }
  }
  SyntaxError("TIMESTAMPADD");
}

// The number of whole intervals by which a[2] is greater than a[1] (appendix E), truncated
// toward zero: elapsed time for the fixed-length units, age()'s calendar months for the others.
std::string TimestampDiff(const std::vector<std::string>& a) {
  std::string kind = IntervalKind(a[0]);
  std::string t1 = Cast(a[1], "timestamp"), t2 = Cast(a[2], "timestamp");
  std::string epoch = "EXTRACT(EPOCH FROM (" + t2 + " - " + t1 + "))";
  if (kind == "FRAC_SECOND") return "CAST(trunc(" + epoch + " * 1000000000) AS bigint)";
  if (kind == "SECOND") return "CAST(trunc(" + epoch + ") AS bigint)";
  if (kind == "MINUTE") return "CAST(trunc(" + epoch + " / 60) AS integer)";
  if (kind == "HOUR") return "CAST(trunc(" + epoch + " / 3600) AS integer)";
  if (kind == "DAY") return "CAST(trunc(" + epoch + " / 86400) AS integer)";
  if (kind == "WEEK") return "CAST(trunc(" + epoch + " / 604800) AS integer)";
  std::string age = "age(" + t2 + ", " + t1 + ")";
  std::string months = "(EXTRACT(YEAR FROM " + age + ") * 12 + EXTRACT(MONTH FROM " + age + "))";
  if (kind == "MONTH") return "CAST(" + months + " AS integer)";
  if (kind == "QUARTER") return "CAST(trunc(" + months + " / 3) AS integer)";
  return "CAST(EXTRACT(YEAR FROM " + age + ") AS integer)";  // YEAR
}

// LOCATE(string_exp1, string_exp2[, start]): position of exp1 in exp2, searching from start.
std::string Locate(const std::vector<std::string>& a) {
  std::string needle = Typed(a[0], "text"), hay = Typed(a[1], "text");
  if (a.size() == 2) return "strpos(" + hay + ", " + needle + ")";
  std::string start = "greatest(" + Cast(a[2], "integer") + ", 1)";
  std::string found = "strpos(substr(" + hay + ", " + start + "), " + needle + ")";
  return "(CASE WHEN " + found + " = 0 THEN 0 ELSE " + found + " + " + start + " - 1 END)";
}

// A scalar function of appendix E with its arity and PostgreSQL spelling.
struct FnRule {
  std::string_view name;
  size_t min_args, max_args;
  std::function<std::string(const std::vector<std::string>&)> build;
};

std::string T(const std::string& a) { return Typed(a, "text"); }
std::string I(const std::string& a) { return Typed(a, "integer"); }
std::string N(const std::string& a) { return Typed(a, "numeric"); }
std::string D(const std::string& a) { return Typed(a, "double precision"); }
std::string TS(const std::string& a) { return Typed(a, "timestamp"); }
std::string TM(const std::string& a) { return Typed(a, "time"); }

std::string Field(std::string_view field, const std::string& a, bool time_value = false) {
  return "CAST(EXTRACT(" + std::string(field) + " FROM " + (time_value ? TM(a) : TS(a)) +
         ") AS integer)";
}

const std::vector<FnRule>& Functions() {
  using A = const std::vector<std::string>&;
  static const std::vector<FnRule> kRules = {
      // String functions
      {"ascii", 1, 1, [](A a) { return "ascii(" + T(a[0]) + ")"; }},
      {"bit_length", 1, 1, [](A a) { return "bit_length(" + T(a[0]) + ")"; }},
      {"char", 1, 1, [](A a) { return "chr(" + I(a[0]) + ")"; }},
      {"char_length", 1, 1, [](A a) { return "char_length(" + T(a[0]) + ")"; }},
      {"character_length", 1, 1, [](A a) { return "char_length(" + T(a[0]) + ")"; }},
      // NULL in, NULL out (SQL_CONCAT_NULL_BEHAVIOR = SQL_CB_NULL): ||, not concat().
      {"concat", 2, 2,
       [](A a) { return "(" + Cast(a[0], "text") + " || " + Cast(a[1], "text") + ")"; }},
      {"insert", 4, 4,
       [](A a) {
         return "overlay(" + T(a[0]) + " placing " + T(a[3]) + " from " + Cast(a[1], "integer") +
                " for " + Cast(a[2], "integer") + ")";
       }},
      {"lcase", 1, 1, [](A a) { return "lower(" + T(a[0]) + ")"; }},
      {"left", 2, 2, [](A a) { return "left(" + T(a[0]) + ", " + I(a[1]) + ")"; }},
      // Characters excluding trailing blanks.
      {"length", 1, 1, [](A a) { return "char_length(rtrim(" + T(a[0]) + "))"; }},
      {"locate", 2, 3, Locate},
      {"ltrim", 1, 1, [](A a) { return "ltrim(" + T(a[0]) + ")"; }},
      {"octet_length", 1, 1, [](A a) { return "octet_length(" + T(a[0]) + ")"; }},
      {"repeat", 2, 2, [](A a) { return "repeat(" + T(a[0]) + ", " + I(a[1]) + ")"; }},
      {"replace", 3, 3,
       [](A a) { return "replace(" + T(a[0]) + ", " + T(a[1]) + ", " + T(a[2]) + ")"; }},
      {"right", 2, 2, [](A a) { return "right(" + T(a[0]) + ", " + I(a[1]) + ")"; }},
      {"rtrim", 1, 1, [](A a) { return "rtrim(" + T(a[0]) + ")"; }},
      {"space", 1, 1, [](A a) { return "repeat(' ', " + I(a[0]) + ")"; }},
      {"substring", 2, 3,
       [](A a) {
         return "substr(" + T(a[0]) + ", " + I(a[1]) + (a.size() > 2 ? ", " + I(a[2]) : "") + ")";
       }},
      {"ucase", 1, 1, [](A a) { return "upper(" + T(a[0]) + ")"; }},
      // Numeric functions
      {"abs", 1, 1, [](A a) { return "abs(" + N(a[0]) + ")"; }},
      {"acos", 1, 1, [](A a) { return "acos(" + D(a[0]) + ")"; }},
      {"asin", 1, 1, [](A a) { return "asin(" + D(a[0]) + ")"; }},
      {"atan", 1, 1, [](A a) { return "atan(" + D(a[0]) + ")"; }},
      {"atan2", 2, 2, [](A a) { return "atan2(" + D(a[0]) + ", " + D(a[1]) + ")"; }},
      {"ceiling", 1, 1, [](A a) { return "ceil(" + N(a[0]) + ")"; }},
      {"cos", 1, 1, [](A a) { return "cos(" + D(a[0]) + ")"; }},
      {"cot", 1, 1, [](A a) { return "cot(" + D(a[0]) + ")"; }},
      {"degrees", 1, 1, [](A a) { return "degrees(" + D(a[0]) + ")"; }},
      {"exp", 1, 1, [](A a) { return "exp(" + D(a[0]) + ")"; }},
      {"floor", 1, 1, [](A a) { return "floor(" + N(a[0]) + ")"; }},
      {"log", 1, 1, [](A a) { return "ln(" + D(a[0]) + ")"; }},
      {"log10", 1, 1, [](A a) { return "log(" + D(a[0]) + ")"; }},
      {"mod", 2, 2, [](A a) { return "mod(" + N(a[0]) + ", " + N(a[1]) + ")"; }},
      {"pi", 0, 0, [](A) { return std::string("pi()"); }},
      {"power", 2, 2, [](A a) { return "power(" + D(a[0]) + ", " + D(a[1]) + ")"; }},
      {"radians", 1, 1, [](A a) { return "radians(" + D(a[0]) + ")"; }},
      // PostgreSQL's seed is a session setting (setseed), not an argument.
      {"rand", 0, 1, [](A) { return std::string("random()"); }},
      // round(x, n) and trunc(x, n) exist for numeric only.
      {"round", 1, 2,
       [](A a) {
         return a.size() == 1 ? "round(" + N(a[0]) + ")"
                              : "round(" + Cast(a[0], "numeric") + ", " + I(a[1]) + ")";
       }},
      {"sign", 1, 1, [](A a) { return "sign(" + N(a[0]) + ")"; }},
      {"sin", 1, 1, [](A a) { return "sin(" + D(a[0]) + ")"; }},
      {"sqrt", 1, 1, [](A a) { return "sqrt(" + D(a[0]) + ")"; }},
      {"tan", 1, 1, [](A a) { return "tan(" + D(a[0]) + ")"; }},
      {"truncate", 2, 2,
       [](A a) { return "trunc(" + Cast(a[0], "numeric") + ", " + I(a[1]) + ")"; }},
      // Time and date functions. ODBC's CURRENT_TIME/CURRENT_TIMESTAMP/NOW are local time
      // without a time zone: PostgreSQL's localtime/localtimestamp.
      {"curdate", 0, 0, [](A) { return std::string("current_date"); }},
      {"current_date", 0, 0, [](A) { return std::string("current_date"); }},
      {"curtime", 0, 0, [](A) { return std::string("localtime"); }},
      {"current_time", 0, 1,
       [](A a) { return a.empty() ? std::string("localtime") : "localtime(" + a[0] + ")"; }},
      {"current_timestamp", 0, 1,
       [](A a) {
         return a.empty() ? std::string("localtimestamp") : "localtimestamp(" + a[0] + ")";
       }},
      {"now", 0, 0, [](A) { return std::string("localtimestamp"); }},
      {"dayname", 1, 1, [](A a) { return "to_char(" + TS(a[0]) + ", 'FMDay')"; }},
      {"monthname", 1, 1, [](A a) { return "to_char(" + TS(a[0]) + ", 'FMMonth')"; }},
      {"dayofmonth", 1, 1, [](A a) { return Field("DAY", a[0]); }},
      // 1 = Sunday (PostgreSQL's dow: 0 = Sunday).
      {"dayofweek", 1, 1, [](A a) { return "(" + Field("DOW", a[0]) + " + 1)"; }},
      {"dayofyear", 1, 1, [](A a) { return Field("DOY", a[0]); }},
      {"month", 1, 1, [](A a) { return Field("MONTH", a[0]); }},
      {"quarter", 1, 1, [](A a) { return Field("QUARTER", a[0]); }},
      {"week", 1, 1, [](A a) { return Field("WEEK", a[0]); }},
      {"year", 1, 1, [](A a) { return Field("YEAR", a[0]); }},
      {"hour", 1, 1, [](A a) { return Field("HOUR", a[0], true); }},
      {"minute", 1, 1, [](A a) { return Field("MINUTE", a[0], true); }},
      // 0-59: whole seconds (extract gives the fraction too).
      {"second", 1, 1,
       [](A a) { return "CAST(floor(EXTRACT(SECOND FROM " + TM(a[0]) + ")) AS integer)"; }},
      {"timestampadd", 3, 3, TimestampAdd},
      {"timestampdiff", 3, 3, TimestampDiff},
      // System functions
      {"database", 0, 0, [](A) { return std::string("current_database()"); }},
      {"ifnull", 2, 2, [](A a) { return "coalesce(" + a[0] + ", " + a[1] + ")"; }},
      {"user", 0, 0, [](A) { return std::string("current_user"); }},
      // Conversion
      {"convert", 2, 2, [](A a) { return "CAST(" + a[0] + " AS " + ConvertType(a[1]) + ")"; }},
  };
  return kRules;
}

// {INTERVAL [+|-] 'value' qualifier}: PostgreSQL takes the SQL syntax except the leading field
// precision ("DAY(3)", "SECOND(2,3)"), which it has no use for; a single SECOND(p) is ODBC's
// leading precision, while PostgreSQL would read it as the fractional precision.
std::optional<std::string> IntervalLiteral(std::string_view rest) {
  rest = Trim(rest);
  bool negative = false;
  if (!rest.empty() && (rest.front() == '+' || rest.front() == '-')) {
    negative = rest.front() == '-';
    rest = Trim(rest.substr(1));
  }
  if (rest.empty() || rest.front() != '\'') return std::nullopt;
  size_t lit_len = SkipOpaque(rest, 0);
  std::string literal(rest.substr(0, lit_len));
  std::string_view q = Trim(rest.substr(lit_len));
  // Tokens: FIELD [ ( n [, m] ) ] [ TO FIELD [ ( m ) ] ]
  struct FieldSpec {
    std::string name;
    std::vector<std::string> precision;
  };
  auto parse_field = [&](std::string_view& s) -> std::optional<FieldSpec> {
    s = Trim(s);
    size_t j = 0;
    while (j < s.size() && IsIdentChar(s[j])) ++j;
    if (j == 0) return std::nullopt;
    FieldSpec f{Upper(s.substr(0, j)), {}};
    static constexpr std::array<std::string_view, 6> kFields = {"YEAR", "MONTH",  "DAY",
                                                                "HOUR", "MINUTE", "SECOND"};
    if (std::find(kFields.begin(), kFields.end(), f.name) == kFields.end()) return std::nullopt;
    s = Trim(s.substr(j));
    if (!s.empty() && s.front() == '(') {
      size_t close = s.find(')');
      if (close == std::string_view::npos) return std::nullopt;
      for (auto& p : SplitArgs(s.substr(1, close - 1))) {
        if (p.empty() || !std::all_of(p.begin(), p.end(), IsDigit)) return std::nullopt;
        f.precision.push_back(p);
      }
      s = Trim(s.substr(close + 1));
    }
    return f;
  };
  auto start = parse_field(q);
  if (!start) return std::nullopt;
  std::string qualifier = start->name;
  if (!q.empty() && StartsWithNoCase(q, "to") && (q.size() == 2 || IsSpace(q[2]))) {
    q = q.substr(2);
    auto end = parse_field(q);
    if (!end || !q.empty()) return std::nullopt;
    qualifier += " TO " + end->name;
    if (end->name == "SECOND" && !end->precision.empty()) {
      qualifier += "(" + end->precision[0] + ")";
    }
  } else {
    if (!q.empty()) return std::nullopt;
    if (start->name == "SECOND" && start->precision.size() == 2) {
      qualifier += "(" + start->precision[1] + ")";
    }
  }
  std::string out = "INTERVAL " + literal + " " + qualifier;
  return negative ? "(-" + out + ")" : out;
}

class Rewriter {
 public:
  explicit Rewriter(const RewriteOptions& options) : options_(options) {}

  RewrittenSql Run(std::string_view sql) {
    RewrittenSql out;
    std::string_view body = Trim(sql);
    // {call ...} and {?= call ...} as the whole statement (ODBC "Procedure Calls").
    if (options_.escapes && !body.empty() && body.front() == '{') {
      size_t close = MatchingBrace(body, 0);
      if (Trim(body.substr(close + 1)).empty() || Trim(body.substr(close + 1)) == ";") {
        std::string_view inner = Trim(body.substr(1, close - 1));
        bool ret = false;
        if (!inner.empty() && inner.front() == '?') {
          std::string_view rest = Trim(inner.substr(1));
          if (!rest.empty() && rest.front() == '=') {
            ret = true;
            inner = Trim(rest.substr(1));
          }
        }
        if (StartsWithNoCase(inner, "call") && (inner.size() == 4 || !IsIdentChar(inner[4]))) {
          out.is_call = true;
          out.has_return_value = ret;
          out.sql = CallTarget(inner.substr(4));
          // The return value is ODBC parameter 1 but is not sent: the call's own markers are
          // $1.. and ODBC parameters 2...
          out.param_count = count_ + (ret ? 1 : 0);
          return out;
        }
        if (ret) SyntaxError("{?= ...} must be a procedure call");
      }
    }
    out.sql = Rewrite(sql);
    out.param_count = count_;
    return out;
  }

 private:
  std::string CallTarget(std::string_view rest) {
    std::string target = std::string(Trim(Rewrite(Trim(rest))));
    if (target.empty()) SyntaxError("{call} without a procedure name");
    if (target.back() != ')') target += "()";
    return "SELECT * FROM " + target;
  }

  std::string Rewrite(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 16);
    for (size_t i = 0; i < s.size();) {
      if (options_.escapes) {
        if (size_t p = VendorEscapePrefix(s, i)) {
          size_t end = VendorEscapeEnd(s, i + p);
          out.append(Escape(s.substr(i + p, end - i - p)));
          i = end + 4;
          continue;
        }
      }
      if (size_t k = SkipOpaque(s, i)) {
        out.append(s.substr(i, k));
        i += k;
        continue;
      }
      char c = s[i];
      if (c == '?') {
        out.push_back('$');
        out.append(std::to_string(++count_));
        ++i;
        continue;
      }
      if (c == ':' && i + 1 < s.size() && s[i + 1] == ':') {
        out.append("::");
        i += 2;
        continue;
      }
      if (c == '{' && options_.escapes) {
        size_t close = MatchingBrace(s, i);
        out.append(Escape(s.substr(i + 1, close - i - 1)));
        i = close + 1;
        continue;
      }
      if (IsIdentChar(c)) {
        // A whole identifier at once, so E'...' detection sees the E and `$` inside names is
        // not taken for a dollar quote.
        size_t j = i;
        while (j < s.size() && IsIdentChar(s[j])) ++j;
        out.append(s.substr(i, j - i));
        i = j;
        continue;
      }
      out.push_back(c);
      ++i;
    }
    return out;
  }

  // {d '...'}, {t ...}, {ts ...}: the SQL literal for a string, a CAST for anything else
  // (a parameter marker).
  std::string Datetime(std::string_view type, std::string_view rest) {
    rest = Trim(rest);
    if (rest.empty()) SyntaxError("empty {d}/{t}/{ts} literal");
    std::string v = Rewrite(rest);
    if (rest.front() == '\'' && SkipOpaque(rest, 0) == rest.size()) {
      return std::string(type) + " " + v;
    }
    return Cast(v, type);
  }

  std::string Escape(std::string_view inner) {
    inner = Trim(inner);
    size_t kw_end = 0;
    while (kw_end < inner.size() && IsIdentChar(inner[kw_end])) ++kw_end;
    std::string kw = Lower(inner.substr(0, kw_end));
    std::string_view rest = Trim(inner.substr(kw_end));
    if (kw == "d") return Datetime("DATE", rest);
    if (kw == "t") return Datetime("TIME", rest);
    if (kw == "ts") return Datetime("TIMESTAMP", rest);
    if (kw == "guid") return Cast(Rewrite(rest), "uuid");
    if (kw == "oj") return Rewrite(rest);
    if (kw == "escape") return "ESCAPE " + Rewrite(rest);
    if (kw == "interval") {
      if (auto lit = IntervalLiteral(rest)) return *lit;
      return "INTERVAL " + Rewrite(rest);
    }
    if (kw == "call") return CallTarget(rest);
    if (kw == "fn") return Function(rest);
    if (!inner.empty() && inner.front() == '?') {
      SyntaxError("{?= call ...} must be the whole statement");
    }
    SyntaxError("unknown escape {" + std::string(inner.substr(0, 20)) + "}");
  }

  std::string Function(std::string_view call) {
    size_t name_end = 0;
    while (name_end < call.size() && IsIdentChar(call[name_end])) ++name_end;
    if (name_end == 0) SyntaxError("{fn} without a function name");
    std::string_view raw_name = call.substr(0, name_end);
    std::string name = Lower(raw_name);
    std::string_view after = Trim(call.substr(name_end));
    std::string inner;  // the argument list, markers numbered in textual order
    bool has_parens = false;
    if (!after.empty()) {
      if (after.front() != '(') return std::string(raw_name) + " " + Rewrite(after);
      // The argument list must be the rest of the escape: find its closing parenthesis.
      int depth = 0;
      size_t close = std::string_view::npos;
      for (size_t i = 0; i < after.size();) {
        if (size_t k = SkipOpaque(after, i)) {
          i += k;
          continue;
        }
        if (after[i] == '(') ++depth;
        if (after[i] == ')' && --depth == 0) {
          close = i;
          break;
        }
        ++i;
      }
      if (close == std::string_view::npos || !Trim(after.substr(close + 1)).empty()) {
        return std::string(raw_name) + Rewrite(after);
      }
      inner = Rewrite(after.substr(1, close - 1));
      has_parens = true;
    }
    (void)has_parens;
    // Keyword-argument functions: POSITION(a IN b), EXTRACT(field FROM source).
    if (name == "position") {
      size_t in = FindTopLevelWord(inner, "in");
      if (in == std::string::npos) SyntaxError("POSITION without IN");
      return "position(" + T(std::string(Trim(std::string_view(inner).substr(0, in)))) + " in " +
             T(std::string(Trim(std::string_view(inner).substr(in + 2)))) + ")";
    }
    if (name == "extract") {
      size_t from = FindTopLevelWord(inner, "from");
      if (from == std::string::npos) SyntaxError("EXTRACT without FROM");
      std::string field = Upper(Trim(std::string_view(inner).substr(0, from)));
      std::string source(Trim(std::string_view(inner).substr(from + 4)));
      bool time_field = field == "HOUR" || field == "MINUTE" || field == "SECOND";
      return "EXTRACT(" + field + " FROM " + (time_field ? TM(source) : TS(source)) + ")";
    }
    std::vector<std::string> args = SplitArgs(inner);
    for (const auto& rule : Functions()) {
      if (rule.name != name) continue;
      if (args.size() < rule.min_args || args.size() > rule.max_args) break;
      return rule.build(args);
    }
    // Not one of ours (or not the arity ODBC defines): the server decides.
    std::string out(raw_name);
    out.push_back('(');
    for (size_t i = 0; i < args.size(); ++i) {
      if (i) out.append(", ");
      out.append(args[i]);
    }
    out.push_back(')');
    return out;
  }

  RewriteOptions options_;
  int count_ = 0;
};

}  // namespace

RewrittenSql RewriteSql(std::string_view odbc_sql, const RewriteOptions& options) {
  return Rewriter(options).Run(odbc_sql);
}

int CountParameterMarkers(std::string_view odbc_sql) {
  try {
    return RewriteSql(odbc_sql).param_count;
  } catch (const PgError&) {
  }
  int n = 0;
  for (size_t i = 0; i < odbc_sql.size();) {
    if (size_t k = SkipOpaque(odbc_sql, i)) {
      i += k;
      continue;
    }
    if (odbc_sql[i] == '?') ++n;
    ++i;
  }
  return n;
}

}  // namespace lakebase::pg

#include "driver/sql_rewrite.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include "driver/error.h"

namespace lakebase::pg {

namespace {

bool IsIdentStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool IsIdentChar(char c) {
  return IsIdentStart(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '$';
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Length of a quoted/commented token starting at s[i], or 0 if s[i] does not start one.
// Unterminated tokens run to the end (the server reports the syntax error).
size_t SkipOpaque(std::string_view s, size_t i) {
  const size_t n = s.size();
  char c = s[i];
  if (c == '\'' ) {
    // E'...' strings allow backslash escapes; the caller passes the E as ordinary text, so we
    // look back one character to know.
    bool backslash = i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e') &&
                     (i < 2 || !IsIdentChar(s[i - 2]));
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
    // $tag$ ... $tag$ (tag may be empty); $1 is a positional parameter, not a quote.
    size_t j = i + 1;
    while (j < n && (IsIdentChar(s[j]) && s[j] != '$')) ++j;
    if (j < n && s[j] == '$' && (j == i + 1 || !std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      std::string_view tag = s.substr(i, j - i + 1);
      size_t end = s.find(tag, j + 1);
      return (end == std::string_view::npos ? n : end + tag.size()) - i;
    }
  }
  return 0;
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
  throw PgError("42000", "syntax error in ODBC escape sequence: missing '}'");
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
    if (s[i] == '(') ++depth;
    if (s[i] == ')') --depth;
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

struct FnRule {
  std::string_view odbc;
  // Template: %1..%9 are arguments; "%*" all arguments comma-separated.
  std::string_view pg;
};

// ODBC scalar functions (appendix E) that are not spelled the same in PostgreSQL. Functions not
// listed pass through as name(args), which is right for most (ABS, CEILING, UPPER, ...).
constexpr std::array<FnRule, 48> kFunctions = {{
    {"ucase", "upper(%1)"},
    {"lcase", "lower(%1)"},
    {"length", "char_length(rtrim(%1))"},
    {"char_length", "char_length(%1)"},
    {"character_length", "char_length(%1)"},
    {"octet_length", "octet_length(%1)"},
    {"bit_length", "bit_length(%1)"},
    {"concat", "(%1 || %2)"},
    {"substring", "substr(%*)"},
    {"locate", "strpos(%2, %1)"},
    {"insert", "overlay(%1 placing %4 from %2 for %3)"},
    {"left", "left(%1, %2)"},
    {"right", "right(%1, %2)"},
    {"space", "repeat(' ', %1)"},
    {"char", "chr(%1)"},
    {"ifnull", "coalesce(%1, %2)"},
    {"database", "current_database()"},
    {"user", "current_user"},
    {"now", "now()"},
    {"curdate", "current_date"},
    {"current_date", "current_date"},
    {"curtime", "localtime"},
    {"current_time", "current_time"},
    {"current_timestamp", "current_timestamp"},
    {"dayofmonth", "cast(extract(day from %1) as integer)"},
    {"dayofweek", "(cast(extract(dow from %1) as integer) + 1)"},
    {"dayofyear", "cast(extract(doy from %1) as integer)"},
    {"month", "cast(extract(month from %1) as integer)"},
    {"year", "cast(extract(year from %1) as integer)"},
    {"hour", "cast(extract(hour from %1) as integer)"},
    {"minute", "cast(extract(minute from %1) as integer)"},
    {"second", "cast(extract(second from %1) as integer)"},
    {"quarter", "cast(extract(quarter from %1) as integer)"},
    {"week", "cast(extract(week from %1) as integer)"},
    {"dayname", "trim(to_char(%1, 'Day'))"},
    {"monthname", "trim(to_char(%1, 'Month'))"},
    {"ceiling", "ceil(%1)"},
    {"log", "ln(%1)"},
    {"log10", "log(%1)"},
    {"rand", "random()"},
    {"truncate", "trunc(%1, %2)"},
    {"pi", "pi()"},
    {"atan2", "atan2(%1, %2)"},
    {"cot", "cot(%1)"},
    {"mod", "mod(%1, %2)"},
    {"power", "power(%1, %2)"},
    {"difference", "(4 - levenshtein(soundex(%1), soundex(%2)))"},
    {"convert", "%convert"},
}};

// ODBC CONVERT(value, SQL_xxx) target types.
std::string ConvertType(std::string_view odbc_type) {
  std::string t = Lower(Trim(odbc_type));
  if (t.rfind("sql_", 0) == 0) t = t.substr(4);
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 22> kTypes = {{
      {"bigint", "int8"},        {"binary", "bytea"},      {"bit", "bool"},
      {"char", "char"},          {"date", "date"},         {"decimal", "numeric"},
      {"double", "float8"},      {"float", "float8"},      {"integer", "int4"},
      {"longvarbinary", "bytea"}, {"longvarchar", "text"}, {"numeric", "numeric"},
      {"real", "float4"},        {"smallint", "int2"},     {"time", "time"},
      {"timestamp", "timestamp"}, {"tinyint", "int2"},     {"varbinary", "bytea"},
      {"varchar", "varchar"},    {"wchar", "char"},        {"wvarchar", "varchar"},
      {"guid", "uuid"},
  }};
  for (auto& [k, v] : kTypes) {
    if (t == k) return std::string(v);
  }
  throw PgError("HY000", "unsupported type in {fn CONVERT}: " + std::string(odbc_type));
}

class Rewriter {
 public:
  RewrittenSql Run(std::string_view sql) {
    RewrittenSql out;
    std::string_view body = Trim(sql);
    // {call ...} and {?= call ...} are only meaningful as the whole statement.
    if (!body.empty() && body.front() == '{') {
      size_t close = MatchingBrace(body, 0);
      if (Trim(body.substr(close + 1)).empty()) {
        std::string_view inner = Trim(body.substr(1, close - 1));
        bool ret = false;
        if (!inner.empty() && inner.front() == '?') {
          std::string_view rest = Trim(inner.substr(1));
          if (!rest.empty() && rest.front() == '=') {
            ret = true;
            inner = Trim(rest.substr(1));
          }
        }
        if (Lower(inner.substr(0, 4)) == "call" &&
            (inner.size() == 4 || !IsIdentChar(inner[4]))) {
          out.is_call = true;
          out.has_return_value = ret;
          if (ret) ++count_;  // the return value is parameter 1; it is not sent
          std::string target = Rewrite(Trim(inner.substr(4)));
          if (target.find('(') == std::string::npos) target += "()";
          out.sql = "SELECT * FROM " + target;
          out.param_count = count_;
          return out;
        }
      }
    }
    out.sql = Rewrite(sql);
    out.param_count = count_;
    return out;
  }

 private:
  std::string Rewrite(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 16);
    for (size_t i = 0; i < s.size();) {
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
      if (c == '{') {
        size_t close = MatchingBrace(s, i);
        out.append(Escape(s.substr(i + 1, close - i - 1)));
        i = close + 1;
        continue;
      }
      if (IsIdentChar(c)) {
        // Copy a whole identifier so a `?` inside operators like `?|` is not split oddly and
        // `E'` detection sees the E.
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

  std::string Escape(std::string_view inner) {
    inner = Trim(inner);
    size_t kw_end = 0;
    while (kw_end < inner.size() && IsIdentChar(inner[kw_end])) ++kw_end;
    std::string kw = Lower(inner.substr(0, kw_end));
    std::string_view rest = Trim(inner.substr(kw_end));
    if (kw == "d") return "DATE " + Rewrite(rest);
    if (kw == "t") return "TIME " + Rewrite(rest);
    if (kw == "ts") return "TIMESTAMP " + Rewrite(rest);
    if (kw == "oj") return Rewrite(rest);
    if (kw == "escape") return "ESCAPE " + Rewrite(rest);
    if (kw == "interval") return "INTERVAL " + Rewrite(rest);
    if (kw == "guid") return Rewrite(rest) + "::uuid";
    if (kw == "call") {
      std::string target = Rewrite(rest);
      if (target.find('(') == std::string::npos) target += "()";
      return "SELECT * FROM " + target;
    }
    if (kw == "fn") return Function(rest);
    throw PgError("42000", "unknown ODBC escape sequence: {" + std::string(inner.substr(0, 20)) + "}");
  }

  std::string Function(std::string_view call) {
    size_t name_end = 0;
    while (name_end < call.size() && IsIdentChar(call[name_end])) ++name_end;
    std::string name = Lower(call.substr(0, name_end));
    std::string_view after = Trim(call.substr(name_end));
    std::vector<std::string> args;
    if (!after.empty() && after.front() == '(' && after.back() == ')') {
      // Rewrite arguments first (left to right, so `?` numbering follows the text).
      std::string inner = Rewrite(after.substr(1, after.size() - 2));
      args = SplitArgs(inner);
    } else if (!after.empty()) {
      return std::string(call.substr(0, name_end)) + " " + Rewrite(after);
    }
    for (const auto& rule : kFunctions) {
      if (rule.odbc != name) continue;
      if (rule.pg == "%convert") {
        if (args.size() != 2) break;
        return "CAST(" + args[0] + " AS " + ConvertType(args[1]) + ")";
      }
      return Expand(rule.pg, args);
    }
    std::string out(call.substr(0, name_end));
    out.push_back('(');
    for (size_t i = 0; i < args.size(); ++i) {
      if (i) out.append(", ");
      out.append(args[i]);
    }
    out.push_back(')');
    return out;
  }

  static std::string Expand(std::string_view tmpl, const std::vector<std::string>& args) {
    std::string out;
    for (size_t i = 0; i < tmpl.size(); ++i) {
      if (tmpl[i] == '%' && i + 1 < tmpl.size()) {
        char d = tmpl[i + 1];
        if (d == '*') {
          for (size_t a = 0; a < args.size(); ++a) {
            if (a) out.append(", ");
            out.append(args[a]);
          }
          ++i;
          continue;
        }
        if (d >= '1' && d <= '9') {
          size_t idx = static_cast<size_t>(d - '1');
          if (idx >= args.size()) {
            throw PgError("07002", "too few arguments in ODBC scalar function escape");
          }
          out.append(args[idx]);
          ++i;
          continue;
        }
      }
      out.push_back(tmpl[i]);
    }
    return out;
  }

  int count_ = 0;
};

}  // namespace

RewrittenSql RewriteSql(std::string_view odbc_sql) { return Rewriter().Run(odbc_sql); }

int CountParameterMarkers(std::string_view odbc_sql) {
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

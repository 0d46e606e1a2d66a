#include "odbc/convert/parse.h"

#include <charconv>
#include <cstring>
#include <limits>

namespace lakebase::odbc::conv {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (Lower(a[i]) != b[i]) return false;
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads 1..max_digits digits at s[p] into v.
bool Digits(std::string_view s, size_t& p, int64_t& v, size_t min_digits, size_t max_digits) {
  size_t start = p;
  v = 0;
  while (p < s.size() && IsDigit(s[p]) && p - start < max_digits) v = v * 10 + (s[p++] - '0');
  return p - start >= min_digits && (p >= s.size() || !IsDigit(s[p]));
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int DaysInMonth(int64_t y, int64_t m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

}  // namespace

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool Decimal::IsZero() const {
  if (special != Special::kFinite) return false;
  for (char c : int_digits)
    if (c != '0') return false;
  for (char c : frac_digits)
    if (c != '0') return false;
  return true;
}

bool ParseDecimal(std::string_view s, Decimal& out) {
  s = Trim(s);
  out = Decimal{};
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) out.negative = s[i++] == '-';
  std::string_view rest = s.substr(i);
  if (IEquals(rest, "nan")) {
    out.special = Decimal::Special::kNaN;
    return true;
  }
  if (IEquals(rest, "inf") || IEquals(rest, "infinity")) {
    out.special = out.negative ? Decimal::Special::kNegInf : Decimal::Special::kPosInf;
    return true;
  }
  size_t start = i;
  while (i < s.size() && IsDigit(s[i])) ++i;
  out.int_digits = s.substr(start, i - start);
  if (i < s.size() && s[i] == '.') {
    start = ++i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    out.frac_digits = s.substr(start, i - start);
  }
  if (out.int_digits.empty() && out.frac_digits.empty()) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool neg = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
    int e = 0;
    auto [ptr, ec] = std::from_chars(s.data() + i, s.data() + s.size(), e);
    if (ec != std::errc() || ptr == s.data() + i || e > 1000000) return false;
    i = static_cast<size_t>(ptr - s.data());
    out.exponent = neg ? -e : e;
  }
  return i == s.size();
}

bool ScaleToU128(const Decimal& d, int scale, bool round, unsigned __int128& out, bool& inexact) {
  using U = unsigned __int128;
  constexpr U kMax = ~U{0};
  out = 0;
  inexact = false;
  const int64_t n = static_cast<int64_t>(d.int_digits.size() + d.frac_digits.size());
  auto digit = [&](int64_t idx) {
    size_t i = static_cast<size_t>(idx);
    return (i < d.int_digits.size() ? d.int_digits[i] : d.frac_digits[i - d.int_digits.size()]) -
           '0';
  };
  // Digits [0, point) form the integer part of the scaled value.
  const int64_t point = static_cast<int64_t>(d.int_digits.size()) + d.exponent + scale;
  const int64_t whole = point < n ? point : n;
  for (int64_t i = 0; i < whole; ++i) {
    unsigned dg = static_cast<unsigned>(digit(i));
    if (out > (kMax - dg) / 10) return false;
    out = out * 10 + dg;
  }
  for (int64_t i = n; i < point && out != 0; ++i) {
    if (out > kMax / 10) return false;
    out *= 10;
  }
  for (int64_t i = point < 0 ? 0 : point; i < n; ++i) {
    if (digit(i) != 0) {
      inexact = true;
      break;
    }
  }
  if (round && inexact && point >= 0 && point < n && digit(point) >= 5) {
    if (out == kMax) return false;
    ++out;
  }
  return true;
}

bool ParseInt64(std::string_view s, int64_t& out) {
  const char* b = s.data();
  const char* e = s.data() + s.size();
  if (b != e && *b == '+') ++b;
  auto [ptr, ec] = std::from_chars(b, e, out);
  return ec == std::errc() && ptr == e && b != e;
}

Parse ParseDouble(std::string_view s, double& out) {
  s = Trim(s);
  const char* b = s.data();
  const char* e = s.data() + s.size();
  if (b != e && *b == '+' && e - b > 1 && b[1] != '-') ++b;
  auto [ptr, ec] = std::from_chars(b, e, out);
  if (ptr != e || b == e) return Parse::kInvalid;
  if (ec == std::errc()) return Parse::kOk;
  if (ec != std::errc::result_out_of_range) return Parse::kInvalid;
  // Out of range is either overflow or underflow; an underflow is just a (signed) zero.
  Decimal d;
  if (!ParseDecimal(s, d)) return Parse::kInvalid;
  int64_t lead = static_cast<int64_t>(d.int_digits.size());
  size_t z = 0;
  while (z < d.int_digits.size() && d.int_digits[z] == '0') ++z;
  lead -= static_cast<int64_t>(z);
  if (lead == 0) {
    size_t fz = 0;
    while (fz < d.frac_digits.size() && d.frac_digits[fz] == '0') ++fz;
    lead = -static_cast<int64_t>(fz);
  }
  if (lead + d.exponent < 0) {
    out = d.negative ? -0.0 : 0.0;
    return Parse::kOk;
  }
  return Parse::kOutOfRange;
}

Parse ParseDateTime(std::string_view s, DateTime& out) {
  s = Trim(s);
  out = DateTime{};
  if (IEquals(s, "infinity") || IEquals(s, "-infinity") || IEquals(s, "+infinity"))
    return Parse::kOutOfRange;
  size_t p = 0;
  size_t lead = 0;
  while (lead < s.size() && IsDigit(s[lead])) ++lead;
  if (lead == 0 || lead >= s.size()) return Parse::kInvalid;
  bool bc = false;
  if (s[lead] == '-') {
    int64_t y, m, d;
    if (!Digits(s, p, y, 1, 9) || s[p] != '-') return Parse::kInvalid;
    ++p;
    if (!Digits(s, p, m, 1, 2) || p >= s.size() || s[p] != '-') return Parse::kInvalid;
    ++p;
    if (!Digits(s, p, d, 1, 2)) return Parse::kInvalid;
    if (m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m) || y == 0) return Parse::kInvalid;
    out.has_date = true;
    out.year = static_cast<int>(y > 1000000 ? 1000000 : y);
    out.month = static_cast<int>(m);
    out.day = static_cast<int>(d);
    if (p < s.size() && (s[p] == ' ' || s[p] == 'T')) {
      ++p;
      if (s.substr(p) == "BC") {
        bc = true;
        p = s.size();
      }
    }
  }
  if (p < s.size()) {
    int64_t h, mi, se = 0;
    if (!Digits(s, p, h, 1, 4) || p >= s.size() || s[p] != ':') return Parse::kInvalid;
    ++p;
    if (!Digits(s, p, mi, 2, 2)) return Parse::kInvalid;
    if (p < s.size() && s[p] == ':') {
      ++p;
      if (!Digits(s, p, se, 2, 2)) return Parse::kInvalid;
      if (p < s.size() && s[p] == '.') {
        ++p;
        size_t start = p;
        uint32_t nanos = 0;
        while (p < s.size() && IsDigit(s[p])) {
          if (p - start < 9) nanos = nanos * 10 + static_cast<uint32_t>(s[p] - '0');
          ++p;
        }
        if (p == start) return Parse::kInvalid;
        for (size_t k = p - start; k < 9; ++k) nanos *= 10;
        out.nanos = nanos;
      }
    }
    if (mi > 59 || se > 59 || h > 24) return Parse::kInvalid;
    out.has_time = true;
    out.hour = static_cast<int>(h);
    out.minute = static_cast<int>(mi);
    out.second = static_cast<int>(se);
    if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
      int sign = s[p++] == '-' ? -1 : 1;
      int64_t oh, om = 0, os = 0;
      if (!Digits(s, p, oh, 2, 2)) return Parse::kInvalid;
      if (p < s.size() && s[p] == ':') {
        ++p;
        if (!Digits(s, p, om, 2, 2)) return Parse::kInvalid;
        if (p < s.size() && s[p] == ':' && (++p, !Digits(s, p, os, 2, 2))) return Parse::kInvalid;
      } else if (p + 1 < s.size() && IsDigit(s[p])) {
        if (!Digits(s, p, om, 2, 2)) return Parse::kInvalid;
      }
      out.has_offset = true;
      out.offset_seconds = sign * static_cast<int>(oh * 3600 + om * 60 + os);
    } else if (p < s.size() && (s[p] == 'Z' || s[p] == 'z')) {
      ++p;
      out.has_offset = true;
    }
    if (p < s.size() && s.substr(p) == " BC") {
      bc = true;
      p = s.size();
    }
  }
  if (p != s.size()) return Parse::kInvalid;
  if (bc || out.year > 32767) return Parse::kOutOfRange;
  if (out.hour == 24) {
    if (out.minute != 0 || out.second != 0 || out.nanos != 0) return Parse::kInvalid;
    return Parse::kOutOfRange;  // PostgreSQL's 24:00:00: valid there, not in ODBC's structs
  }
  return Parse::kOk;
}

bool ParseInterval(std::string_view s, Interval& out) {
  out = Interval{};
  s = Trim(s);
  if (s.empty()) return false;
  bool ago = false;
  bool any = false;
  size_t p = 0;
  auto next_token = [&](std::string_view& tok) {
    while (p < s.size() && s[p] == ' ') ++p;
    size_t start = p;
    while (p < s.size() && s[p] != ' ') ++p;
    tok = s.substr(start, p - start);
    return !tok.empty();
  };
  auto add = [](int64_t& field, int64_t v, int64_t mul) {
    int64_t prod;
    return !__builtin_mul_overflow(v, mul, &prod) && !__builtin_add_overflow(field, prod, &field);
  };
  std::string_view tok;
  while (next_token(tok)) {
    if (tok == "@") continue;
    if (tok == "ago") {
      ago = true;
      continue;
    }
    if (tok.find(':') != std::string_view::npos) {  // [+-]h:mm:ss[.ffffff]
      size_t q = 0;
      int64_t sign = 1;
      if (tok[q] == '+' || tok[q] == '-') sign = tok[q++] == '-' ? -1 : 1;
      int64_t h, m, sec = 0, frac = 0;
      if (!Digits(tok, q, h, 1, 18) || q >= tok.size() || tok[q] != ':') return false;
      ++q;
      if (!Digits(tok, q, m, 2, 2)) return false;
      if (q < tok.size() && tok[q] == ':') {
        ++q;
        if (!Digits(tok, q, sec, 2, 2)) return false;
        if (q < tok.size() && tok[q] == '.') {
          ++q;
          size_t start = q;
          while (q < tok.size() && IsDigit(tok[q])) {
            if (q - start < 6) frac = frac * 10 + (tok[q] - '0');
            ++q;
          }
          if (q == start) return false;
          for (size_t k = q - start; k < 6; ++k) frac *= 10;
        }
      }
      if (q != tok.size() || m > 59 || sec > 59) return false;
      int64_t total = 0;
      if (!add(total, h, 3600000000LL) || !add(total, m * 60000000LL + sec * 1000000LL + frac, 1) ||
          !add(out.micros, total, sign))
        return false;
      any = true;
      continue;
    }
    // "<number> <unit>"
    std::string_view number = tok;
    std::string_view unit;
    if (!next_token(unit)) return false;
    if (!unit.empty() && unit.back() == 's') unit.remove_suffix(1);
    Decimal d;
    if (!ParseDecimal(number, d) || d.special != Decimal::Special::kFinite || d.exponent != 0)
      return false;
    int64_t whole;
    {
      std::string_view digits = d.int_digits.empty() ? std::string_view("0") : d.int_digits;
      auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), whole);
      if (ec != std::errc()) return false;
      if (d.negative) whole = -whole;
    }
    bool fractional = !d.frac_digits.empty() && !d.IsZero();
    if (unit == "year" || unit == "yr") {
      if (fractional || !add(out.months, whole, 12)) return false;
    } else if (unit == "mon" || unit == "month") {
      if (fractional || !add(out.months, whole, 1)) return false;
    } else if (unit == "day") {
      if (fractional || !add(out.days, whole, 1)) return false;
    } else if (unit == "hour") {
      if (fractional || !add(out.micros, whole, 3600000000LL)) return false;
    } else if (unit == "min" || unit == "minute") {
      if (fractional || !add(out.micros, whole, 60000000LL)) return false;
    } else if (unit == "sec" || unit == "second") {
      bool inexact;
      unsigned __int128 micros;
      if (!ScaleToU128(d, 6, true, micros, inexact) || micros > (1ULL << 62)) return false;
      if (!add(out.micros, static_cast<int64_t>(micros), d.negative ? -1 : 1)) return false;
    } else {
      return false;
    }
    any = true;
  }
  if (!any) return false;
  if (ago) {
    out.months = -out.months;
    out.days = -out.days;
    out.micros = -out.micros;
  }
  return true;
}

bool ParseUuid(std::string_view s, SQLGUID& out) {
  s = Trim(s);
  if (s.size() >= 2 && s.front() == '{' && s.back() == '}') s = s.substr(1, s.size() - 2);
  unsigned char bytes[16];
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '-' && i > 0 && i + 1 < s.size() && n % 2 == 0 && s[i - 1] != '-') continue;
    int hi = HexValue(s[i]);
    if (hi < 0 || i + 1 >= s.size() || n >= 16) return false;
    int lo = HexValue(s[++i]);
    if (lo < 0) return false;
    bytes[n++] = static_cast<unsigned char>(hi << 4 | lo);
  }
  if (n != 16) return false;
  out.Data1 = static_cast<decltype(out.Data1)>(uint32_t{bytes[0]} << 24 | uint32_t{bytes[1]} << 16 |
                                               uint32_t{bytes[2]} << 8 | bytes[3]);
  out.Data2 = static_cast<decltype(out.Data2)>(bytes[4] << 8 | bytes[5]);
  out.Data3 = static_cast<decltype(out.Data3)>(bytes[6] << 8 | bytes[7]);
  std::memcpy(out.Data4, bytes + 8, 8);
  return true;
}

bool IsHexBytea(std::string_view s) { return s.size() >= 2 && s[0] == '\\' && s[1] == 'x'; }

bool DecodeHex(std::string_view hex, unsigned char* out) {
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    int hi = HexValue(hex[i]), lo = HexValue(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i / 2] = static_cast<unsigned char>(hi << 4 | lo);
  }
  return hex.size() % 2 == 0;
}

bool DecodeEscapeBytea(std::string_view s, std::string& out) {
  out.clear();
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\') {
      out.push_back(s[i]);
    } else if (i + 1 < s.size() && s[i + 1] == '\\') {
      out.push_back('\\');
      ++i;
    } else if (i + 3 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' &&
               s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
      out.push_back(
          static_cast<char>((s[i + 1] - '0') << 6 | (s[i + 2] - '0') << 3 | (s[i + 3] - '0')));
      i += 3;
    } else {
      return false;
    }
  }
  return true;
}

void AppendHex(std::string& out, std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (unsigned char b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
}

}  // namespace lakebase::odbc::conv

#include "auth/encoding.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <array>
#include <charconv>
#include <cstdint>
#include <stdexcept>

namespace lakebase::auth {
namespace {

bool ParseInt(std::string_view text, int& out) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

std::optional<std::chrono::sys_days> MakeDate(int year, int month, int day) {
  std::chrono::year_month_day ymd{std::chrono::year(year), std::chrono::month(month),
                                  std::chrono::day(day)};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days(ymd);
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)
  if (s.size() < 20) return std::nullopt;
  if (s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      s[13] != ':' || s[16] != ':') {
    return std::nullopt;
  }
  int year, month, day, hour, minute, second;
  if (!ParseInt(s.substr(0, 4), year) || !ParseInt(s.substr(5, 2), month) ||
      !ParseInt(s.substr(8, 2), day) || !ParseInt(s.substr(11, 2), hour) ||
      !ParseInt(s.substr(14, 2), minute) || !ParseInt(s.substr(17, 2), second)) {
    return std::nullopt;
  }
  // 60 is a leap second; treat it as the next second's start rather than reject it.
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  auto date = MakeDate(year, month, day);
  if (!date) return std::nullopt;
  size_t pos = 19;
  std::chrono::nanoseconds fraction{0};
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t start = pos;
    int64_t nanos = 0;
    int digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 9) {
        nanos = nanos * 10 + (s[pos] - '0');
        ++digits;
      }
      ++pos;
    }
    if (pos == start) return std::nullopt;
    while (digits < 9) {
      nanos *= 10;
      ++digits;
    }
    fraction = std::chrono::nanoseconds(nanos);
  }
  if (pos >= s.size()) return std::nullopt;
  std::chrono::minutes offset{0};
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    if (s.size() - pos != 6 || s[pos + 3] != ':') return std::nullopt;
    int oh, om;
    if (!ParseInt(s.substr(pos + 1, 2), oh) || !ParseInt(s.substr(pos + 4, 2), om) || oh > 23 ||
        om > 59) {
      return std::nullopt;
    }
    offset = std::chrono::hours(oh) + std::chrono::minutes(om);
    if (s[pos] == '-') offset = -offset;
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  auto local = std::chrono::sys_time<std::chrono::nanoseconds>(*date) + std::chrono::hours(hour) +
               std::chrono::minutes(minute) + std::chrono::seconds(second) + fraction;
  return std::chrono::time_point_cast<std::chrono::system_clock::duration>(local - offset);
}

std::string FormatRfc3339(std::chrono::system_clock::time_point time) {
  auto secs = std::chrono::floor<std::chrono::seconds>(time);
  auto days = std::chrono::floor<std::chrono::days>(secs);
  std::chrono::year_month_day ymd(days);
  std::chrono::hh_mm_ss hms(secs - days);
  char buf[32];
  auto put = [&](char* at, int value, int width) {
    for (int i = width - 1; i >= 0; --i) {
      at[i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
  };
  put(buf, static_cast<int>(ymd.year()), 4);
  buf[4] = '-';
  put(buf + 5, static_cast<int>(static_cast<unsigned>(ymd.month())), 2);
  buf[7] = '-';
  put(buf + 8, static_cast<int>(static_cast<unsigned>(ymd.day())), 2);
  buf[10] = 'T';
  put(buf + 11, static_cast<int>(hms.hours().count()), 2);
  buf[13] = ':';
  put(buf + 14, static_cast<int>(hms.minutes().count()), 2);
  buf[16] = ':';
  put(buf + 17, static_cast<int>(hms.seconds().count()), 2);
  buf[19] = 'Z';
  return std::string(buf, 20);
}

std::string Sha256Hex(std::string_view data) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xf]);
  }
  return out;
}

std::string Base64Encode(std::string_view data) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    uint32_t n = (uint8_t(data[i]) << 16) | (uint8_t(data[i + 1]) << 8) | uint8_t(data[i + 2]);
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(kAlphabet[(n >> 6) & 63]);
    out.push_back(kAlphabet[n & 63]);
  }
  if (i + 1 == data.size()) {
    uint32_t n = uint8_t(data[i]) << 16;
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out += "==";
  } else if (i + 2 == data.size()) {
    uint32_t n = (uint8_t(data[i]) << 16) | (uint8_t(data[i + 1]) << 8);
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(kAlphabet[(n >> 6) & 63]);
    out.push_back('=');
  }
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view data) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-' || c == '+') return 62;
    if (c == '_' || c == '/') return 63;
    return -1;
  };
  while (!data.empty() && data.back() == '=') data.remove_suffix(1);
  if (data.size() % 4 == 1) return std::nullopt;
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : data) {
    int v = value(c);
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  return out;
}

std::string Base64UrlEncode(std::string_view data) {
  std::string out = Base64Encode(data);
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

std::string Sha256(std::string_view data) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  return std::string(reinterpret_cast<const char*>(digest.data()), length);
}

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  return out;
}

std::optional<std::string> UrlDecode(std::string_view data) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < data.size(); ++i) {
    char c = data[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= data.size()) return std::nullopt;
      int hi = hex(data[i + 1]), lo = hex(data[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string FormUrlEncode(std::string_view data) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : data) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  return out;
}

std::string NewUuid4() {
  std::array<unsigned char, 16> b{};
  if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  b[6] = (b[6] & 0x0f) | 0x40;  // version 4
  b[8] = (b[8] & 0x3f) | 0x80;  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0xf]);
  }
  return out;
}

std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value,
                                                    std::chrono::system_clock::time_point now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  int seconds = 0;
  if (ParseInt(value, seconds)) return std::chrono::seconds(seconds);
  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
  if (value.size() != 29 || value.substr(25) != " GMT") return std::nullopt;
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int day, year, hour, minute, second;
  if (!ParseInt(value.substr(5, 2), day) || !ParseInt(value.substr(12, 4), year) ||
      !ParseInt(value.substr(17, 2), hour) || !ParseInt(value.substr(20, 2), minute) ||
      !ParseInt(value.substr(23, 2), second)) {
    return std::nullopt;
  }
  int month = 0;
  for (int i = 0; i < 12; ++i) {
    if (value.substr(8, 3) == kMonths[i]) month = i + 1;
  }
  if (month == 0) return std::nullopt;
  auto date = MakeDate(year, month, day);
  if (!date) return std::nullopt;
  auto at = std::chrono::sys_seconds(*date) + std::chrono::hours(hour) +
            std::chrono::minutes(minute) + std::chrono::seconds(second);
  auto delta = std::chrono::ceil<std::chrono::seconds>(at - now);
  return delta < std::chrono::seconds(0) ? std::chrono::seconds(0) : delta;
}

}  // namespace lakebase::auth

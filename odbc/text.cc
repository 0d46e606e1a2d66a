#include "odbc/text.h"

#include <cstring>
#include <limits>

namespace lakebase::odbc {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

void AppendUtf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

size_t Units(char32_t c) { return c >= 0x10000 ? 2 : 1; }

void StoreUnit(SQLWCHAR* out, size_t index, char16_t unit) {
  SQLWCHAR w = unit;
  std::memcpy(out + index, &w, sizeof w);  // application buffers need not be aligned
}

template <class L>
void SetLength(L* out_length, size_t n) {
  if (out_length == nullptr) return;
  constexpr size_t kMax = static_cast<size_t>(std::numeric_limits<L>::max());
  *out_length = static_cast<L>(n > kMax ? kMax : n);
}

template <class L>
bool WriteOutTextImpl(std::string_view value, void* buffer, SQLLEN buffer_length, L* out_length,
                      OutTextOptions options) {
  if (!options.wide) {
    SetLength(out_length, value.size());
    if (buffer == nullptr || buffer_length <= 0) return false;
    auto* out = static_cast<char*>(buffer);
    size_t cap = static_cast<size_t>(buffer_length);
    if (value.size() < cap) {
      std::memcpy(out, value.data(), value.size());
      out[value.size()] = '\0';
      return false;
    }
    size_t n = Utf8Boundary(value, cap - 1);
    std::memcpy(out, value.data(), n);
    out[n] = '\0';
    return true;
  }
  size_t units = Utf16Length(value);
  SetLength(out_length, options.length_in_bytes ? units * sizeof(SQLWCHAR) : units);
  if (buffer == nullptr || buffer_length <= 0) return false;
  auto* out = static_cast<SQLWCHAR*>(buffer);
  size_t cap = options.length_in_bytes ? static_cast<size_t>(buffer_length) / sizeof(SQLWCHAR)
                                       : static_cast<size_t>(buffer_length);
  if (cap == 0) return units > 0;  // not even room for the NUL
  size_t pos = 0;
  size_t written = EncodeUtf16(value, pos, out, cap - 1);
  StoreUnit(out, written, 0);
  return units >= cap;
}

}  // namespace

char32_t DecodeUtf8(std::string_view s, size_t& pos) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char b0 = byte(pos);
  if (b0 < 0x80) {
    ++pos;
    return b0;
  }
  size_t need;
  char32_t c;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 < 0xC2) {                     // a stray continuation byte, or an overlong C0/C1 lead
    ++pos;
    return kReplacement;
  } else if (b0 < 0xE0) {
    need = 1;
    c = b0 & 0x1F;
  } else if (b0 < 0xF0) {
    need = 2;
    c = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;  // overlong
    if (b0 == 0xED) hi = 0x9F;  // UTF-16 surrogates
  } else if (b0 < 0xF5) {
    need = 3;
    c = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;  // overlong
    if (b0 == 0xF4) hi = 0x8F;  // beyond U+10FFFF
  } else {
    ++pos;
    return kReplacement;
  }
  for (size_t i = 1; i <= need; ++i) {
    if (pos + i >= s.size()) {
      pos += i;
      return kReplacement;
    }
    unsigned char b = byte(pos + i);
    unsigned char l = i == 1 ? lo : 0x80, h = i == 1 ? hi : 0xBF;
    if (b < l || b > h) {
      pos += i;
      return kReplacement;
    }
    c = (c << 6) | (b & 0x3F);
  }
  pos += need + 1;
  return c;
}

size_t Utf16Length(std::string_view utf8) {
  size_t n = 0;
  for (size_t pos = 0; pos < utf8.size();) {
    unsigned char b = static_cast<unsigned char>(utf8[pos]);
    if (b < 0x80) {  // ASCII fast path
      ++pos;
      ++n;
      continue;
    }
    n += Units(DecodeUtf8(utf8, pos));
  }
  return n;
}

size_t EncodeUtf16(std::string_view utf8, size_t& pos, SQLWCHAR* out, size_t capacity) {
  size_t n = 0;
  while (pos < utf8.size()) {
    size_t next = pos;
    char32_t c = DecodeUtf8(utf8, next);
    if (c >= 0x10000) {
      if (n + 2 > capacity) break;
      c -= 0x10000;
      StoreUnit(out, n++, static_cast<char16_t>(0xD800 + (c >> 10)));
      StoreUnit(out, n++, static_cast<char16_t>(0xDC00 + (c & 0x3FF)));
    } else {
      if (n + 1 > capacity) break;
      StoreUnit(out, n++, static_cast<char16_t>(c));
    }
    pos = next;
  }
  return n;
}

size_t Utf8Boundary(std::string_view utf8, size_t max_bytes) {
  if (max_bytes >= utf8.size()) return utf8.size();
  size_t p = max_bytes;
  // Back up over at most three continuation bytes to the lead byte of the split sequence.
  for (int i = 0; i < 3 && p > 0 && (static_cast<unsigned char>(utf8[p]) & 0xC0) == 0x80; ++i) --p;
  if ((static_cast<unsigned char>(utf8[p]) & 0xC0) == 0x80) return max_bytes;  // not UTF-8 here
  return p;
}

std::u16string Utf8ToUtf16(std::string_view utf8) {
  std::u16string out;
  out.reserve(utf8.size());
  for (size_t pos = 0; pos < utf8.size();) {
    char32_t c = DecodeUtf8(utf8, pos);
    if (c >= 0x10000) {
      c -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (c >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (c & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(c));
    }
  }
  return out;
}

std::string Utf16ToUtf8(std::u16string_view utf16) {
  std::string out;
  out.reserve(utf16.size());
  for (size_t i = 0; i < utf16.size(); ++i) {
    char32_t c = utf16[i];
    if (c >= 0xD800 && c <= 0xDBFF) {
      if (i + 1 < utf16.size() && utf16[i + 1] >= 0xDC00 && utf16[i + 1] <= 0xDFFF) {
        c = 0x10000 + ((c - 0xD800) << 10) + (utf16[i + 1] - 0xDC00);
        ++i;
      } else {
        c = kReplacement;
      }
    } else if (c >= 0xDC00 && c <= 0xDFFF) {
      c = kReplacement;
    }
    AppendUtf8(out, c);
  }
  return out;
}

std::string NarrowIn(const SQLCHAR* text, SQLLEN length) {
  if (text == nullptr) return {};
  auto* p = reinterpret_cast<const char*>(text);
  if (length == SQL_NTS) return std::string(p);
  if (length < 0) return {};  // other negative lengths are the caller's HY090
  return std::string(p, static_cast<size_t>(length));
}

std::string WideIn(const SQLWCHAR* text, SQLLEN length_chars) {
  if (text == nullptr) return {};
  size_t n;
  if (length_chars == SQL_NTS) {
    n = 0;
    while (text[n] != 0) ++n;
  } else if (length_chars < 0) {
    return {};
  } else {
    n = static_cast<size_t>(length_chars);
  }
  std::u16string units(text, text + n);  // SQLWCHAR is unsigned short: copy, do not alias
  return Utf16ToUtf8(units);
}

bool WriteOutText(std::string_view value, void* buffer, SQLLEN buffer_length, SQLLEN* out_length,
                  OutTextOptions options) {
  return WriteOutTextImpl(value, buffer, buffer_length, out_length, options);
}
bool WriteOutText(std::string_view value, void* buffer, SQLLEN buffer_length,
                  SQLSMALLINT* out_length, OutTextOptions options) {
  return WriteOutTextImpl(value, buffer, buffer_length, out_length, options);
}
bool WriteOutText(std::string_view value, void* buffer, SQLLEN buffer_length,
                  SQLINTEGER* out_length, OutTextOptions options) {
  return WriteOutTextImpl(value, buffer, buffer_length, out_length, options);
}

}  // namespace lakebase::odbc

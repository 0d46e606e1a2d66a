// Small, locale-independent encoders and parsers the auth layer needs (DESIGN.md section 6:
// host processes set LC_NUMERIC/LC_TIME, so nothing here uses strtod, strptime or printf).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace lakebase::auth {

// RFC 3339 date-time ("2026-02-06T17:07:00Z", "2026-02-06T17:07:00.123456Z",
// "2026-02-06T19:07:00+02:00"); 't'/'z' accepted in lower case. nullopt when malformed.
std::optional<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view text);
// "2026-02-06T17:07:00Z" (whole seconds, UTC); for logs and test fixtures.
std::string FormatRfc3339(std::chrono::system_clock::time_point time);

// Lower-case hex SHA-256 of data.
std::string Sha256Hex(std::string_view data);
// Standard base64 with padding (HTTP Basic auth).
std::string Base64Encode(std::string_view data);
// Base64url without padding, as in JWTs; nullopt when malformed.
std::optional<std::string> Base64UrlDecode(std::string_view data);
// Base64url without padding (PKCE code challenges, RFC 7636).
std::string Base64UrlEncode(std::string_view data);
// The raw 32-byte SHA-256 digest of data.
std::string Sha256(std::string_view data);
// n bytes from OpenSSL's CSPRNG.
std::string RandomBytes(size_t n);
// Decodes %XX escapes and '+' (a space) of a URL query component; nullopt when malformed.
std::optional<std::string> UrlDecode(std::string_view data);
// application/x-www-form-urlencoded component (RFC 3986 unreserved characters kept).
std::string FormUrlEncode(std::string_view data);
// A random (version 4) UUID, lower case, from OpenSSL's CSPRNG.
std::string NewUuid4();

// Retry-After: delta-seconds or an HTTP-date. nullopt when absent or unparseable.
std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value,
                                                    std::chrono::system_clock::time_point now);

}  // namespace lakebase::auth

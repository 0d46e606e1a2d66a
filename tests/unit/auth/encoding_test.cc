#include "auth/encoding.h"

#include <gtest/gtest.h>

#include <clocale>
#include <set>

namespace lakebase::auth {
namespace {

using std::chrono::system_clock;

system_clock::time_point At(int y, unsigned m, unsigned d, int hh, int mm, int ss) {
  return std::chrono::sys_days(std::chrono::year(y) / std::chrono::month(m) / std::chrono::day(d)) +
         std::chrono::hours(hh) + std::chrono::minutes(mm) + std::chrono::seconds(ss);
}

TEST(Rfc3339, WholeSecondsUtc) {
  auto t = ParseRfc3339("2026-02-06T17:07:00Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(*t, At(2026, 2, 6, 17, 7, 0));
}

TEST(Rfc3339, FractionalSeconds) {
  auto t = ParseRfc3339("2026-02-06T17:07:00.250Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(*t, At(2026, 2, 6, 17, 7, 0) + std::chrono::milliseconds(250));
  auto nanos = ParseRfc3339("2026-02-06T17:07:00.123456789Z");
  ASSERT_TRUE(nanos);
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::microseconds>(*nanos - At(2026, 2, 6, 17, 7, 0))
                .count(),
            123456);
  // More than nanosecond precision: the extra digits are ignored, not an error.
  EXPECT_TRUE(ParseRfc3339("2026-02-06T17:07:00.1234567891234Z"));
  EXPECT_EQ(*ParseRfc3339("2026-02-06T17:07:00.5Z"),
            At(2026, 2, 6, 17, 7, 0) + std::chrono::milliseconds(500));
}

TEST(Rfc3339, Offsets) {
  EXPECT_EQ(*ParseRfc3339("2026-02-06T19:07:00+02:00"), At(2026, 2, 6, 17, 7, 0));
  EXPECT_EQ(*ParseRfc3339("2026-02-06T12:07:00-05:00"), At(2026, 2, 6, 17, 7, 0));
  EXPECT_EQ(*ParseRfc3339("2026-02-06t17:07:00z"), At(2026, 2, 6, 17, 7, 0));
}

TEST(Rfc3339, DateEdges) {
  EXPECT_EQ(*ParseRfc3339("2028-02-29T00:00:00Z"), At(2028, 2, 29, 0, 0, 0));
  EXPECT_EQ(*ParseRfc3339("1970-01-01T00:00:00Z"), system_clock::time_point{});
  EXPECT_FALSE(ParseRfc3339("2026-02-29T00:00:00Z"));  // not a leap year
}

TEST(Rfc3339, Malformed) {
  for (const char* bad :
       {"", "2026-02-06", "2026-02-06T17:07:00", "2026-02-06T17:07Z", "2026-13-06T17:07:00Z",
        "2026-02-32T17:07:00Z", "2026-02-06T24:00:00Z", "2026-02-06T17:60:00Z",
        "2026-02-06T17:07:00.Z", "2026-02-06T17:07:00+0200", "2026-02-06T17:07:00Zjunk",
        "2026-02-06 17:07:00 UTC", "x026-02-06T17:07:00Z", "1776560820",
        "2026-02-06T17:07:00+2:00"}) {
    EXPECT_FALSE(ParseRfc3339(bad)) << bad;
  }
}

TEST(Rfc3339, IndependentOfLocale) {
  const char* old = std::setlocale(LC_ALL, nullptr);
  std::string saved = old ? old : "C";
  std::setlocale(LC_ALL, "de_DE.UTF-8");  // may not exist; then this is the C locale again
  EXPECT_EQ(*ParseRfc3339("2026-02-06T17:07:00.5Z"),
            At(2026, 2, 6, 17, 7, 0) + std::chrono::milliseconds(500));
  std::setlocale(LC_ALL, saved.c_str());
}

TEST(Rfc3339, FormatRoundTrips) {
  auto t = At(2026, 2, 6, 17, 7, 9);
  EXPECT_EQ(FormatRfc3339(t), "2026-02-06T17:07:09Z");
  EXPECT_EQ(*ParseRfc3339(FormatRfc3339(t)), t);
}

TEST(Encoding, Base64) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("client:secret"), "Y2xpZW50OnNlY3JldA==");
  EXPECT_EQ(*Base64UrlDecode("Zm9vYg"), "foob");
  EXPECT_EQ(*Base64UrlDecode("_-8"), "\xff\xef");
  EXPECT_FALSE(Base64UrlDecode("a"));
  EXPECT_FALSE(Base64UrlDecode("ab$c"));
}

TEST(Encoding, Sha256) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Encoding, FormUrlEncode) { EXPECT_EQ(FormUrlEncode("a b&c=d/é~"), "a%20b%26c%3Dd%2F%C3%A9~"); }

TEST(Encoding, Uuid4) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string u = NewUuid4();
    ASSERT_EQ(u.size(), 36u);
    EXPECT_EQ(u[8], '-');
    EXPECT_EQ(u[14], '4');
    EXPECT_TRUE(u[19] == '8' || u[19] == '9' || u[19] == 'a' || u[19] == 'b') << u;
    seen.insert(u);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(Encoding, RetryAfter) {
  auto now = At(2026, 2, 6, 17, 7, 0);
  EXPECT_EQ(*ParseRetryAfter("3", now), std::chrono::seconds(3));
  EXPECT_EQ(*ParseRetryAfter(" 0 ", now), std::chrono::seconds(0));
  EXPECT_EQ(*ParseRetryAfter("Fri, 06 Feb 2026 17:07:05 GMT", now), std::chrono::seconds(5));
  EXPECT_EQ(*ParseRetryAfter("Fri, 06 Feb 2026 17:06:05 GMT", now), std::chrono::seconds(0));
  EXPECT_FALSE(ParseRetryAfter("soon", now));
  EXPECT_FALSE(ParseRetryAfter("-1", now));
  EXPECT_FALSE(ParseRetryAfter("", now));
}

}  // namespace
}  // namespace lakebase::auth

#include "odbc/text.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace lakebase::odbc {
namespace {

const std::string kEuro = "\xE2\x82\xAC";       // U+20AC, 3 bytes, 1 unit
const std::string kSmile = "\xF0\x9F\x98\x80";  // U+1F600, 4 bytes, 2 units

TEST(Utf, RoundTripsBmpAndSupplementary) {
  std::string s = "a\xC3\xA9" + kEuro + kSmile + "z";
  std::u16string w = Utf8ToUtf16(s);
  EXPECT_EQ(w, u"a\u00e9\u20ac\U0001F600z");
  EXPECT_EQ(Utf16ToUtf8(w), s);
  EXPECT_EQ(Utf16Length(s), w.size());
}

TEST(Utf, InvalidUtf8BecomesReplacement) {
  EXPECT_EQ(Utf8ToUtf16("a\xFF"
                        "b"),
            u"a\uFFFDb");
  EXPECT_EQ(Utf8ToUtf16("\xC0\xAF"), u"\uFFFD\uFFFD");            // overlong
  EXPECT_EQ(Utf8ToUtf16("\xED\xA0\x80"), u"\uFFFD\uFFFD\uFFFD");  // encoded surrogate
  EXPECT_EQ(Utf8ToUtf16("\xE2\x82"), u"\uFFFD");                  // truncated sequence: one U+FFFD
  EXPECT_EQ(Utf8ToUtf16("\xE2\x82"
                        "A"),
            u"\uFFFDA");
  EXPECT_EQ(Utf8ToUtf16("\xF4\x90\x80\x80"), u"\uFFFD\uFFFD\uFFFD\uFFFD");  // > U+10FFFF
}

TEST(Utf, UnpairedSurrogatesBecomeReplacement) {
  std::u16string w = u"a";
  w.push_back(0xD800);
  w += u"b";
  w.push_back(0xDC00);
  EXPECT_EQ(Utf16ToUtf8(w),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD");
}

TEST(TextIn, NarrowAndWide) {
  const SQLCHAR* a = reinterpret_cast<const SQLCHAR*>("hello");
  EXPECT_EQ(NarrowIn(a, SQL_NTS), "hello");
  EXPECT_EQ(NarrowIn(a, 3), "hel");
  EXPECT_EQ(NarrowIn(a, -5), "");
  EXPECT_EQ(NarrowIn(nullptr, 3), "");
  SQLWCHAR w[] = {'h', 0x20AC, 0xD83D, 0xDE00, 0};
  EXPECT_EQ(WideIn(w, SQL_NTS), "h" + kEuro + kSmile);
  EXPECT_EQ(WideIn(w, 2), "h" + kEuro);
  EXPECT_EQ(WideIn(w, -7), "");
  EXPECT_EQ(WideIn(nullptr, SQL_NTS), "");
}

TEST(WriteOutText, NarrowFitsAndTruncatesOnCharacterBoundary) {
  char buf[16];
  SQLSMALLINT len = -1;
  EXPECT_FALSE(WriteOutText("abc", buf, sizeof buf, &len, {}));
  EXPECT_STREQ(buf, "abc");
  EXPECT_EQ(len, 3);
  std::string v = "ab" + kEuro;  // 5 bytes
  std::memset(buf, 'X', sizeof buf);
  EXPECT_TRUE(WriteOutText(v, buf, 5, &len, {}));  // room for 4 bytes: the euro would split
  EXPECT_STREQ(buf, "ab");
  EXPECT_EQ(len, 5);
  EXPECT_TRUE(WriteOutText(v, buf, 1, &len, {}));
  EXPECT_STREQ(buf, "");
  EXPECT_FALSE(WriteOutText(v, buf, 6, &len, {}));
  EXPECT_EQ(buf, v);
}

TEST(WriteOutText, NullBufferOrZeroLengthReportsLength) {
  SQLINTEGER len = 0;
  EXPECT_FALSE(WriteOutText("hello", nullptr, 10, &len, {}));
  EXPECT_EQ(len, 5);
  char buf[4] = {'Z', 'Z', 'Z', 'Z'};
  SQLLEN l2 = 0;
  EXPECT_FALSE(WriteOutText("hello", buf, 0, &l2, {}));
  EXPECT_EQ(l2, 5);
  EXPECT_EQ(buf[0], 'Z');
  EXPECT_FALSE(WriteOutText("hello", buf, 0, static_cast<SQLLEN*>(nullptr), {}));
}

TEST(WriteOutText, WideCharsAndBytes) {
  SQLWCHAR buf[8];
  SQLSMALLINT len = 0;
  std::string v = "a" + kSmile + "b";  // units: a, hi, lo, b = 4
  EXPECT_FALSE(WriteOutText(v, buf, 8, &len, {.wide = true}));
  EXPECT_EQ(len, 4);
  EXPECT_EQ(buf[1], 0xD83D);
  EXPECT_EQ(buf[4], 0);
  // 3 units of room: "a" + the pair would need 3 + NUL: only "a" fits, never half a pair.
  EXPECT_TRUE(WriteOutText(v, buf, 3, &len, {.wide = true}));
  EXPECT_EQ(buf[0], 'a');
  EXPECT_EQ(buf[1], 0);
  EXPECT_TRUE(WriteOutText(v, buf, 4, &len, {.wide = true}));
  EXPECT_EQ(buf[2], 0xDE00);
  EXPECT_EQ(buf[3], 0);
  // Byte counts (SQLGetInfoW): 4 units = 8 bytes; a 7-byte buffer holds 3 units.
  EXPECT_TRUE(WriteOutText(v, buf, 7, &len, {.wide = true, .length_in_bytes = true}));
  EXPECT_EQ(len, 8);
  EXPECT_EQ(buf[0], 'a');
  EXPECT_EQ(buf[1], 0);
  EXPECT_FALSE(WriteOutText(v, buf, 10, &len, {.wide = true, .length_in_bytes = true}));
  EXPECT_EQ(buf[3], 'b');
  EXPECT_EQ(buf[4], 0);
  EXPECT_TRUE(WriteOutText(v, buf, 1, &len, {.wide = true, .length_in_bytes = true}));
}

TEST(WriteOutText, SmallintLengthClamps) {
  std::string big(40000, 'x');
  SQLSMALLINT len = 0;
  WriteOutText(big, nullptr, 0, &len, {});
  EXPECT_EQ(len, 32767);
}

TEST(Utf8Boundary, BacksOffToLeadByte) {
  std::string v = "a" + kSmile;
  EXPECT_EQ(Utf8Boundary(v, 1), 1u);
  EXPECT_EQ(Utf8Boundary(v, 2), 1u);
  EXPECT_EQ(Utf8Boundary(v, 4), 1u);
  EXPECT_EQ(Utf8Boundary(v, 5), 5u);
  EXPECT_EQ(Utf8Boundary(v, 9), 5u);
}

}  // namespace
}  // namespace lakebase::odbc

#include "setup/connection_string.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "setup/config_error.h"
#include "setup/resolve.h"

namespace lakebase::setup {
namespace {

std::string Get(const Attributes& a, std::string_view key) {
  const std::string* v = a.Find(key);
  return v ? *v : "<absent>";
}

std::string ParseError(std::string_view text) {
  try {
    ParseConnectionString(text);
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.sqlstate(), "HY000");
    return e.what();
  }
  ADD_FAILURE() << "no error for " << text;
  return "";
}

TEST(ParseConnectionString, SimplePairs) {
  Attributes a = ParseConnectionString("DSN=Lakebase;UID=me;Port=5433");
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(Get(a, "DSN"), "Lakebase");
  EXPECT_EQ(Get(a, "UID"), "me");
  EXPECT_EQ(Get(a, "Port"), "5433");
}

TEST(ParseConnectionString, EmptyString) {
  EXPECT_TRUE(ParseConnectionString("").empty());
  EXPECT_TRUE(ParseConnectionString("   ").empty());
  EXPECT_TRUE(ParseConnectionString(";;; ;").empty());
}

TEST(ParseConnectionString, KeysAreCaseInsensitiveAndCanonical) {
  Attributes a = ParseConnectionString("dsn=x;HOST=h;sslmode=require;authtype=pat");
  EXPECT_EQ(a.entries()[0].key, "DSN");
  EXPECT_EQ(a.entries()[1].key, "Host");
  EXPECT_EQ(a.entries()[2].key, "SSLMode");
  EXPECT_EQ(a.entries()[3].key, "AuthType");
  EXPECT_EQ(Get(a, "host"), "h");
  EXPECT_EQ(Get(a, "Server"), "h");  // Find maps aliases too
  EXPECT_TRUE(a.entries()[1].known);
}

TEST(ParseConnectionString, WhitespaceAroundKeysAndUnbracedValuesIsTrimmed) {
  Attributes a = ParseConnectionString("  Host =  h.example.com  ;\tPort\t=\t5432\t; ;");
  EXPECT_EQ(Get(a, "Host"), "h.example.com");
  EXPECT_EQ(Get(a, "Port"), "5432");
  EXPECT_EQ(a.size(), 2u);
}

TEST(ParseConnectionString, BracedValuesKeepSemicolonsEqualsAndSpaces) {
  Attributes a = ParseConnectionString("PWD={ a;b=c } ;UID={me};Host = {h}");
  EXPECT_EQ(Get(a, "PWD"), " a;b=c ");
  EXPECT_EQ(Get(a, "UID"), "me");
  EXPECT_EQ(Get(a, "Host"), "h");
}

TEST(ParseConnectionString, DoubledClosingBraceIsALiteralBrace) {
  EXPECT_EQ(Get(ParseConnectionString("PWD={a}}b}"), "PWD"), "a}b");
  EXPECT_EQ(Get(ParseConnectionString("PWD={}}}"), "PWD"), "}");
  EXPECT_EQ(Get(ParseConnectionString("PWD={}}}}}"), "PWD"), "}}");
  EXPECT_EQ(Get(ParseConnectionString("PWD={{x}"), "PWD"), "{x");  // '{' inside is plain
  EXPECT_EQ(Get(ParseConnectionString("PWD={a}}};UID=u"), "PWD"), "a}");
  EXPECT_EQ(Get(ParseConnectionString("PWD={a}}};UID=u"), "UID"), "u");
  EXPECT_EQ(Get(ParseConnectionString("PWD={}"), "PWD"), "");
}

TEST(ParseConnectionString, BracesOnlyQuoteAtTheStartOfAValue) {
  // A brace in the middle of an unbraced value is an ordinary character.
  Attributes a = ParseConnectionString("PWD=a{b}c;UID=x}y");
  EXPECT_EQ(Get(a, "PWD"), "a{b}c");
  EXPECT_EQ(Get(a, "UID"), "x}y");
}

TEST(ParseConnectionString, EqualsInAnUnbracedValueBelongsToTheValue) {
  EXPECT_EQ(Get(ParseConnectionString("OAuthScope=a=b"), "OAuthScope"), "a=b");
}

TEST(ParseConnectionString, LaterKeysWinAndKeepTheFirstPosition) {
  Attributes a = ParseConnectionString("Host=a;Port=1;host=b;SERVER=c;Port=2");
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a.entries()[0].key, "Host");
  EXPECT_EQ(a.entries()[0].value, "c");
  EXPECT_EQ(a.entries()[0].given_key, "SERVER");
  EXPECT_EQ(Get(a, "Port"), "2");
}

TEST(ParseConnectionString, AliasesMapToCanonicalNames) {
  Attributes a = ParseConnectionString(
      "Server=s;DBName=d;User=u;Password=p;DatabricksHost=w;Auth_Client_ID=id;"
      "Auth_Client_Secret=sec;Auth_AccessToken=at;Auth_Scope=all-apis;"
      "OAuth2RedirectUrlPort=8030");
  EXPECT_EQ(Get(a, "Host"), "s");
  EXPECT_EQ(Get(a, "Database"), "d");
  EXPECT_EQ(Get(a, "UID"), "u");
  EXPECT_EQ(Get(a, "PWD"), "p");
  EXPECT_EQ(Get(a, "Workspace"), "w");
  EXPECT_EQ(Get(a, "ClientId"), "id");
  EXPECT_EQ(Get(a, "ClientSecret"), "sec");
  EXPECT_EQ(Get(a, "AccessToken"), "at");
  EXPECT_EQ(Get(a, "OAuthScope"), "all-apis");
  EXPECT_EQ(Get(a, "OAuthRedirectPort"), "8030");
  for (const auto& e : a.entries()) EXPECT_TRUE(e.known) << e.key;
}

TEST(ParseConnectionString, UnknownKeysAreKeptAsGiven) {
  Attributes a = ParseConnectionString("Host=h;FooBar=1;foobar=2; Weird Key =x");
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a.entries()[1].key, "FooBar");
  EXPECT_FALSE(a.entries()[1].known);
  EXPECT_EQ(a.entries()[1].value, "2");
  EXPECT_EQ(a.entries()[2].key, "Weird Key");
}

TEST(ParseConnectionString, EmptyValueIsKept) {
  Attributes a = ParseConnectionString("Host=;Port=");
  EXPECT_EQ(Get(a, "Host"), "");
  EXPECT_EQ(Get(a, "Port"), "");
}

TEST(ParseConnectionString, MalformedStringsAreClearErrors) {
  std::string e = ParseError("Host=h;PWD={abc;def");
  EXPECT_NE(e.find("[Lakebase ODBC]"), std::string::npos) << e;
  EXPECT_NE(e.find("PWD"), std::string::npos) << e;
  EXPECT_NE(e.find("never closes"), std::string::npos) << e;
  EXPECT_EQ(e.find("abc"), std::string::npos) << "the value is not echoed: " << e;

  EXPECT_NE(ParseError("PWD={a}}").find("never closes"), std::string::npos);
  EXPECT_NE(ParseError("PWD={abc}def;UID=u").find("follows the closing"), std::string::npos);
  std::string no_eq = ParseError("Host=h;justtext;UID=u");
  EXPECT_NE(no_eq.find("without '='"), std::string::npos) << no_eq;
  EXPECT_EQ(no_eq.find("justtext"), std::string::npos) << no_eq;
  EXPECT_NE(ParseError("=value").find("without a key"), std::string::npos);
  EXPECT_NE(ParseError("Host=h; =value").find("without a key"), std::string::npos);
}

TEST(ParseConnectionString, SpaceAfterClosingBraceIsAllowed) {
  Attributes a = ParseConnectionString("PWD={x}   ;UID=u");
  EXPECT_EQ(Get(a, "PWD"), "x");
  EXPECT_EQ(Get(a, "UID"), "u");
}

TEST(Attributes, SetFindErase) {
  Attributes a;
  a.Set("server", "h");
  EXPECT_EQ(Get(a, "HOST"), "h");
  a.Set("Host", "h2");
  EXPECT_EQ(a.size(), 1u);
  EXPECT_EQ(Get(a, "Host"), "h2");
  a.Erase("SERVER");
  EXPECT_TRUE(a.empty());
  EXPECT_FALSE(a.Contains("Host"));
}

TEST(AttributesForSqlConnect, MapsServerUserAndPassword) {
  Attributes a = AttributesForSqlConnect("MyDsn", "me", "pw");
  EXPECT_EQ(Get(a, "DSN"), "MyDsn");
  EXPECT_EQ(Get(a, "UID"), "me");
  EXPECT_EQ(Get(a, "PWD"), "pw");
  Attributes b = AttributesForSqlConnect("MyDsn", "", "");
  EXPECT_EQ(b.size(), 1u);
}

TEST(QuoteValue, BracesOnlyWhenNeeded) {
  EXPECT_EQ(QuoteValue("plain"), "plain");
  EXPECT_EQ(QuoteValue(""), "");
  EXPECT_EQ(QuoteValue("a;b"), "{a;b}");
  EXPECT_EQ(QuoteValue("a=b"), "{a=b}");
  EXPECT_EQ(QuoteValue("a}b"), "{a}}b}");
  EXPECT_EQ(QuoteValue("{x}"), "{{x}}}");
  EXPECT_EQ(QuoteValue(" lead"), "{ lead}");
  EXPECT_EQ(QuoteValue("trail "), "{trail }");
}

TEST(QuoteValue, RoundTripsThroughTheParser) {
  for (std::string v : {"plain", "a;b", "a}b", "}}", "{", "}", "{x}", " sp ", "a=b;c={d}}", ";",
                        "x;y}z{", "ümlaut;"}) {
    Attributes a = ParseConnectionString("OAuthScope=" + QuoteValue(v) + ";Host=h");
    EXPECT_EQ(Get(a, "OAuthScope"), v);
    EXPECT_EQ(Get(a, "Host"), "h");
  }
}

// --- redaction ----------------------------------------------------------------------------

TEST(RedactConnectionString, MasksSensitiveKeysByNameAndAlias) {
  EXPECT_EQ(RedactConnectionString("DSN=x;PWD=hunter2;UID=me"), "DSN=x;PWD=***;UID=me");
  EXPECT_EQ(RedactConnectionString("password=hunter2"), "password=***");
  EXPECT_EQ(RedactConnectionString("Token=dapiSECRET;ClientSecret=CS;AccessToken=AT;"
                                   "UserAccessToken=UAT;Auth_Client_Secret=ACS;"
                                   "Auth_AccessToken=AAT"),
            "Token=***;ClientSecret=***;AccessToken=***;UserAccessToken=***;"
            "Auth_Client_Secret=***;Auth_AccessToken=***");
}

TEST(RedactConnectionString, MasksBracedValuesWhole) {
  std::string r = RedactConnectionString("UID=u;PWD={a;b}}c=d};Host=h");
  EXPECT_EQ(r, "UID=u;PWD=***;Host=h");
}

TEST(RedactConnectionString, KeepsSpacingAndNonSecretValues) {
  EXPECT_EQ(RedactConnectionString(" PWD = hunter2 ; Host = h "), " PWD = *** ; Host = h ");
  EXPECT_EQ(RedactConnectionString("TokenCache=file;TokenCacheDir=/tmp"),
            "TokenCache=file;TokenCacheDir=/tmp");
}

TEST(RedactConnectionString, MasksUnknownKeysThatLookSecret) {
  EXPECT_EQ(RedactConnectionString("Client_Secret=abc;MyApiToken=t;Foo=bar;DbPasswd=x"),
            "Client_Secret=***;MyApiToken=***;Foo=bar;DbPasswd=***");
}

TEST(RedactConnectionString, MalformedRestIsMasked) {
  std::string r = RedactConnectionString("Host=h;Description={x;PWD=hunter2");
  EXPECT_EQ(r, "Host=h;Description=***");
  EXPECT_EQ(RedactConnectionString("Host=h;hunter2;PWD=x"), "Host=h;***");
  EXPECT_EQ(RedactConnectionString("PWD={abc}def"), "PWD=***");
}

TEST(RedactConnectionString, RepeatedSecretKeysAreAllMasked) {
  EXPECT_EQ(RedactConnectionString("PWD=one;pwd=two"), "PWD=***;pwd=***");
}

// --- output connection string ---------------------------------------------------------------

ConnectionConfig ResolveNoEnv(std::string_view text) {
  ResolveOptions o;
  o.env = [](std::string_view) { return std::optional<std::string>(); };
  o.dsn_reader = [](std::string_view) { return std::optional<DsnEntries>(); };
  o.file_exists = [](const std::string&) { return true; };
  return ResolveConfig(ParseConnectionString(text), o);
}

TEST(BuildOutputConnectionString, NeverContainsASecret) {
  const std::string secrets[] = {"pw-SECRET-1", "dapi-SECRET-2", "cs-SECRET-3", "at-SECRET-4",
                                 "uat-SECRET-5"};
  ConnectionConfig cfg = ResolveNoEnv(
      "Driver={Lakebase};Host=h;UID=u;PWD={pw-SECRET-1};Token=dapi-SECRET-2;"
      "Auth_Client_Secret=cs-SECRET-3;AccessToken=at-SECRET-4;UserAccessToken=uat-SECRET-5;"
      "ClientId=cid;Workspace=w.example.com/");
  std::string out = BuildOutputConnectionString(cfg);
  for (const std::string& s : secrets) EXPECT_EQ(out.find(s), std::string::npos) << out;
  EXPECT_EQ(out.find("SECRET"), std::string::npos) << out;
  EXPECT_EQ(out.find("PWD"), std::string::npos) << out;
  EXPECT_EQ(out.find("Token="), std::string::npos) << out;
  EXPECT_EQ(out.find("ClientSecret"), std::string::npos) << out;
  EXPECT_EQ(out, "Driver=Lakebase;Host=h;UID=u;Workspace=https://w.example.com;ClientId=cid");
}

TEST(BuildOutputConnectionString, DsnWinsOverDriverAndValuesAreQuotedAndCanonical) {
  ConnectionConfig cfg = ResolveNoEnv(
      "driver={Lakebase};dsn=;server=h;port=5433;DBName={a;b};pooling=no;auth_flow=1;"
      "authmech=11;sslmode=VERIFY-CA;connecttimeout=1m;Foo=bar");
  std::string out = BuildOutputConnectionString(cfg);
  EXPECT_EQ(out,
            "Driver=Lakebase;Host=h;Port=5433;Database={a;b};SSLMode=verify-ca;"
            "AuthType=oauth-m2m;ConnectTimeout=60;Pooling=0");
  // And it parses back to the same settings.
  ConnectionConfig again = ResolveNoEnv(out);
  EXPECT_EQ(again.host, "h");
  EXPECT_EQ(again.port, 5433);
  EXPECT_EQ(again.database, "a;b");
  EXPECT_EQ(again.auth_type, AuthType::kOAuthM2M);
  EXPECT_FALSE(again.pooling);
  EXPECT_EQ(BuildOutputConnectionString(again), out);
}

TEST(BuildOutputConnectionString, WithADsn) {
  ResolveOptions o;
  o.env = [](std::string_view) { return std::optional<std::string>(); };
  o.dsn_reader = [](std::string_view) {
    return std::optional<DsnEntries>(
        DsnEntries{{"Driver", "Lakebase"}, {"Host", "dsnhost"}, {"PWD", "dsn-SECRET"}});
  };
  ConnectionConfig cfg = ResolveConfig(ParseConnectionString("DSN=Mine;UID=u"), o);
  std::string out = BuildOutputConnectionString(cfg);
  // The DSN's keys are not repeated: DSN=Mine brings them back, including later edits.
  EXPECT_EQ(out, "DSN=Mine;UID=u");
  EXPECT_EQ(out.find("dsn-SECRET"), std::string::npos);
}

TEST(BuildOutputConnectionString, EmptyConfig) {
  EXPECT_EQ(BuildOutputConnectionString(ConnectionConfig{}), "");
}

}  // namespace
}  // namespace lakebase::setup

namespace lakebase::setup {
namespace {

// Random strings over the characters that matter to the grammar: the parser either succeeds or
// throws ConfigError (never anything else, never a crash), redaction never throws, and a value
// of a secret key never survives redaction.
TEST(ConnectionStringProperties, RandomInputs) {
  std::mt19937 rng(20260206);
  const std::string alphabet = "ab=;{} PWDTokenHost\t";
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    size_t len = rng() % 40;
    for (size_t j = 0; j < len; ++j) s.push_back(alphabet[rng() % alphabet.size()]);
    std::string redacted;
    EXPECT_NO_THROW(redacted = RedactConnectionString(s)) << s;
    try {
      Attributes a = ParseConnectionString(s);
      // Quoting every value and parsing again gives the same attributes.
      std::string rebuilt;
      for (const auto& e : a.entries()) {
        rebuilt += e.given_key + "=" + QuoteValue(e.value) + ";";
      }
      Attributes b = ParseConnectionString(rebuilt);
      ASSERT_EQ(a.size(), b.size()) << s;
      for (size_t k = 0; k < a.size(); ++k) {
        EXPECT_EQ(a.entries()[k].key, b.entries()[k].key) << s;
        EXPECT_EQ(a.entries()[k].value, b.entries()[k].value) << s;
      }
    } catch (const ConfigError&) {
      // A malformed string: fine, as long as it is this error.
    }
  }
}

TEST(ConnectionStringProperties, SecretValuesNeverSurviveRedaction) {
  std::mt19937 rng(7);
  const char* keys[] = {"PWD",         "password",           "Token",           "ClientSecret",
                        "AccessToken", "Auth_Client_Secret", "UserAccessToken", "MySecret"};
  const std::string value_chars = "xyz;{}= ";
  for (int i = 0; i < 5000; ++i) {
    std::string secret = "S3CR3T";
    size_t extra = rng() % 8;
    for (size_t j = 0; j < extra; ++j) secret.push_back(value_chars[rng() % value_chars.size()]);
    std::string text = "Host=h;" + std::string(keys[rng() % std::size(keys)]) + "=" +
                       QuoteValue(secret) + ";UID=u";
    std::string redacted = RedactConnectionString(text);
    EXPECT_EQ(redacted.find("S3CR3T"), std::string::npos) << text << " -> " << redacted;
    EXPECT_NE(redacted.find("UID=u"), std::string::npos) << redacted;
  }
  // Also when the secret's braces are broken: the rest of the string is masked.
  EXPECT_EQ(RedactConnectionString("Host=h;PWD={S3CR3T;UID=u").find("S3CR3T"), std::string::npos);
}

}  // namespace
}  // namespace lakebase::setup

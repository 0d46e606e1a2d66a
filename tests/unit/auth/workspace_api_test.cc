#include "auth/workspace_api.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "auth/encoding.h"
#include "auth/json.h"
#include "tests/unit/auth/fakes.h"

namespace lakebase::auth {
namespace {

using testing::ErrorJson;
using testing::FakeHttp;
using ::testing::HasSubstr;
using testing::Json;
using ::testing::Not;
using namespace std::chrono_literals;

constexpr char kEndpoint[] = "projects/p/branches/b/endpoints/e";
constexpr char kPat[] = "dapi-secret-pat-0123456789";

class WorkspaceApiTest : public ::testing::Test {
 protected:
  CallContext Ctx() { return CallContext{clock_->SteadyNow() + 30s, {}}; }

  template <class Fn>
  AuthError ExpectError(Fn&& fn) {
    try {
      fn();
    } catch (const AuthError& e) {
      EXPECT_THAT(e.what(), Not(HasSubstr(kPat)));
      EXPECT_THAT(e.what(), Not(HasSubstr("db-token-secret")));
      return e;
    }
    ADD_FAILURE() << "no AuthError";
    return AuthError(AuthErrorKind::kConfiguration, "none");
  }

  std::shared_ptr<FakeHttp> http_ = std::make_shared<FakeHttp>();
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  WorkspaceClient client_{testing::kWorkspace, http_, clock_};
  PatTokenSource pat_{SecretString(kPat)};
};

TEST_F(WorkspaceApiTest, MintPostgresCredentialRequestShape) {
  http_->Enqueue(HttpMethod::kPost, "/api/2.0/postgres/credentials",
                 Json(200, R"({"token":"db-token-secret","expire_time":"2026-02-06T17:07:00Z"})"));
  Token token = MintPostgresCredential(client_, pat_, kEndpoint, Ctx());
  EXPECT_EQ(token.value.Reveal(), "db-token-secret");
  EXPECT_EQ(token.expires_at, *ParseRfc3339("2026-02-06T17:07:00Z"));
  EXPECT_FALSE(token.from_cache);

  auto requests = http_->Requests();
  ASSERT_EQ(requests.size(), 1u);
  const HttpRequest& r = requests[0];
  EXPECT_EQ(r.method, HttpMethod::kPost);
  EXPECT_EQ(r.url, "https://ws.example.com/api/2.0/postgres/credentials");
  EXPECT_EQ(r.authorization.Reveal(), std::string("Bearer ") + kPat);
  EXPECT_EQ(r.body, R"({"endpoint":"projects/p/branches/b/endpoints/e"})");
  EXPECT_THAT(r.headers, ::testing::Contains(std::pair<std::string, std::string>(
                             "Content-Type", "application/json")));
  EXPECT_THAT(r.headers, ::testing::Contains(
                             std::pair<std::string, std::string>("Accept", "application/json")));
}

TEST_F(WorkspaceApiTest, MintParsesFractionalExpireTime) {
  http_->Enqueue(
      HttpMethod::kPost, "/api/2.0/postgres/credentials",
      Json(200, R"({"token":"db-token-secret","expire_time":"2026-02-06T17:07:00.123456Z"})"));
  Token token = MintPostgresCredential(client_, pat_, kEndpoint, Ctx());
  EXPECT_EQ(token.expires_at,
            *ParseRfc3339("2026-02-06T17:07:00Z") + std::chrono::microseconds(123456));
}

TEST_F(WorkspaceApiTest, MintProvisionedCredentialRequestShape) {
  http_->Enqueue(
      HttpMethod::kPost, "/api/2.0/database/credentials",
      Json(200, R"({"token":"db-token-secret","expiration_time":"2026-02-06T17:07:00Z"})"));
  Token token = MintProvisionedCredential(client_, pat_, "my-instance", Ctx());
  EXPECT_EQ(token.value.Reveal(), "db-token-secret");
  EXPECT_EQ(token.expires_at, *ParseRfc3339("2026-02-06T17:07:00Z"));
  auto requests = http_->Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].url, "https://ws.example.com/api/2.0/database/credentials");
  rapidjson::Document doc;
  doc.Parse(requests[0].body.c_str());
  ASSERT_TRUE(doc.IsObject());
  ASSERT_TRUE(doc["instance_names"].IsArray());
  ASSERT_EQ(doc["instance_names"].Size(), 1u);
  EXPECT_STREQ(doc["instance_names"][0].GetString(), "my-instance");
  std::string request_id = doc["request_id"].GetString();
  EXPECT_EQ(request_id.size(), 36u);
  EXPECT_EQ(request_id[14], '4');
  EXPECT_EQ(doc.MemberCount(), 2u);
}

TEST_F(WorkspaceApiTest, ProvisionedRequestIdIsStableAcrossRetries) {
  http_->Enqueue(HttpMethod::kPost, "/api/2.0/database/credentials",
                 ErrorJson(503, "TEMPORARILY_UNAVAILABLE", "busy"));
  http_->Enqueue(
      HttpMethod::kPost, "/api/2.0/database/credentials",
      Json(200, R"({"token":"db-token-secret","expiration_time":"2026-02-06T17:07:00Z"})"));
  MintProvisionedCredential(client_, pat_, "my-instance", Ctx());
  auto requests = http_->Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].body, requests[1].body);
}

TEST_F(WorkspaceApiTest, ProvisionedUsesItsOwnFieldName) {
  // expire_time (the Autoscaling name) is not accepted for Provisioned.
  http_->Enqueue(HttpMethod::kPost, "/api/2.0/database/credentials",
                 Json(200, R"({"token":"db-token-secret","expire_time":"2026-02-06T17:07:00Z"})"));
  AuthError e = ExpectError([&] { MintProvisionedCredential(client_, pat_, "inst", Ctx()); });
  EXPECT_EQ(e.kind(), AuthErrorKind::kWorkspace);
  EXPECT_THAT(e.what(), HasSubstr("expiration_time"));
}

struct BadBody {
  const char* body;
  const char* expect;
};

class MalformedMint : public WorkspaceApiTest, public ::testing::WithParamInterface<BadBody> {};

TEST_P(MalformedMint, IsAClearWorkspaceError) {
  http_->Enqueue(HttpMethod::kPost, "/api/2.0/postgres/credentials", Json(200, GetParam().body));
  AuthError e = ExpectError([&] { MintPostgresCredential(client_, pat_, kEndpoint, Ctx()); });
  EXPECT_EQ(e.kind(), AuthErrorKind::kWorkspace);
  EXPECT_THAT(e.what(), HasSubstr(GetParam().expect));
  EXPECT_THAT(e.what(), HasSubstr("minting a database credential"));
}

INSTANTIATE_TEST_SUITE_P(
    Bodies, MalformedMint,
    ::testing::Values(
        BadBody{"not json", "not valid JSON"},
        BadBody{R"({"token":"db-token-secret")", "not valid JSON"},
        BadBody{"[1,2]", "not a JSON object"},
        BadBody{R"({"expire_time":"2026-02-06T17:07:00Z"})", "no token field"},
        BadBody{R"({"token":"","expire_time":"2026-02-06T17:07:00Z"})", "no token"},
        BadBody{R"({"token":"db-token-secret"})", "no expire_time"},
        BadBody{R"({"token":42,"expire_time":"2026-02-06T17:07:00Z"})",
                "no token field of type string"},
        BadBody{R"({"token":"db-token-secret","expire_time":"tomorrow"})", "not an RFC 3339 time"},
        BadBody{R"({"token":"db-token-secret","expiration_time":"2026-02-06T17:07:00Z"})",
                "no expire_time"}));

TEST_F(WorkspaceApiTest, ErrorJsonBecomesWorkspaceErrorWithStatusAndMessage) {
  http_->Enqueue(HttpMethod::kPost, "/api/2.0/postgres/credentials",
                 ErrorJson(403, "PERMISSION_DENIED", "User has no access to endpoint e"));
  AuthError e = ExpectError([&] { MintPostgresCredential(client_, pat_, kEndpoint, Ctx()); });
  EXPECT_EQ(e.kind(), AuthErrorKind::kWorkspace);
  EXPECT_THAT(e.what(), HasSubstr("HTTP 403"));
  EXPECT_THAT(e.what(), HasSubstr("PERMISSION_DENIED"));
  EXPECT_THAT(e.what(), HasSubstr("User has no access to endpoint e"));
  EXPECT_THAT(e.what(), HasSubstr(kEndpoint));
}

TEST_F(WorkspaceApiTest, PatRejectedIsNotRetried) {
  http_->Enqueue(HttpMethod::kPost, "/api/2.0/postgres/credentials",
                 ErrorJson(401, "UNAUTHENTICATED", "Invalid access token"));
  AuthError e = ExpectError([&] { MintPostgresCredential(client_, pat_, kEndpoint, Ctx()); });
  EXPECT_EQ(e.kind(), AuthErrorKind::kWorkspace);
  EXPECT_EQ(http_->Total(), 1u);
}

TEST_F(WorkspaceApiTest, PassedInTokenRejectedIsExpired) {
  AccessTokenSource source(SecretString("opaque-access-token"), clock_);
  http_->Enqueue(HttpMethod::kPost, "/api/2.0/postgres/credentials",
                 ErrorJson(401, "UNAUTHENTICATED", "Token expired"));
  AuthError e = ExpectError([&] { MintPostgresCredential(client_, source, kEndpoint, Ctx()); });
  EXPECT_EQ(e.kind(), AuthErrorKind::kExpired);
  EXPECT_THAT(e.what(), HasSubstr("cannot renew"));
  EXPECT_THAT(e.what(), Not(HasSubstr("opaque-access-token")));
}

TEST_F(WorkspaceApiTest, EndpointHostLookup) {
  http_->Enqueue(HttpMethod::kGet, "/api/2.0/postgres/projects/p/branches/b/endpoints/e",
                 Json(200, R"({"name":"projects/p/branches/b/endpoints/e","status":{
                   "current_state":"IDLE","hosts":{"host":"ep-1.db.example.com",
                   "read_only_host":"ep-1-ro.db.example.com"}}})"));
  EXPECT_EQ(LookupEndpointHost(client_, pat_, kEndpoint, Ctx()), "ep-1.db.example.com");
  auto r = http_->Requests().at(0);
  EXPECT_EQ(r.method, HttpMethod::kGet);
  EXPECT_EQ(r.url, "https://ws.example.com/api/2.0/postgres/projects/p/branches/b/endpoints/e");
  EXPECT_EQ(r.authorization.Reveal(), std::string("Bearer ") + kPat);
  EXPECT_TRUE(r.body.empty());
}

TEST_F(WorkspaceApiTest, EndpointWithoutHostIsClear) {
  http_->Enqueue(HttpMethod::kGet, "/api/2.0/postgres/projects/p/branches/b/endpoints/e",
                 Json(200, R"({"status":{"current_state":"INIT"}})"));
  AuthError e = ExpectError([&] { LookupEndpointHost(client_, pat_, kEndpoint, Ctx()); });
  EXPECT_THAT(e.what(), HasSubstr("status.hosts.host"));
}

TEST_F(WorkspaceApiTest, InstanceHostLookup) {
  http_->Enqueue(HttpMethod::kGet, "/api/2.0/database/instances/inst-1",
                 Json(200, R"({"name":"inst-1","read_write_dns":"inst-1.db.example.com"})"));
  EXPECT_EQ(LookupInstanceHost(client_, pat_, "inst-1", Ctx()), "inst-1.db.example.com");
}

TEST_F(WorkspaceApiTest, ScimMe) {
  http_->Enqueue(HttpMethod::kGet, "/api/2.0/preview/scim/v2/Me",
                 Json(200, R"({"id":"123","userName":"ada@example.com"})"));
  EXPECT_EQ(LookupCurrentUserName(client_, pat_, Ctx()), "ada@example.com");
  EXPECT_EQ(http_->Requests().at(0).url, "https://ws.example.com/api/2.0/preview/scim/v2/Me");
}

TEST_F(WorkspaceApiTest, BadNamesAreRefusedBeforeAnyRequest) {
  for (const char* bad : {"projects/p/../../x", "/projects/p", "projects/p?x=1", "projects/p#f",
                          "projects/p b", "projects//p", ""}) {
    AuthError e = ExpectError([&] { LookupEndpointHost(client_, pat_, bad, Ctx()); });
    EXPECT_EQ(e.kind(), AuthErrorKind::kConfiguration) << bad;
  }
  for (const char* bad : {"a/b", "..", "a?b", ""}) {
    AuthError e = ExpectError([&] { LookupInstanceHost(client_, pat_, bad, Ctx()); });
    EXPECT_EQ(e.kind(), AuthErrorKind::kConfiguration) << bad;
  }
  EXPECT_EQ(http_->Total(), 0u);
}

TEST_F(WorkspaceApiTest, EndpointNameIsJsonEscaped) {
  // Names are validated, but the JSON writer escapes regardless: check it directly.
  std::string out;
  json::AppendQuoted(out, "a\"b\\c\n\x01");
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\u0001\"");
}

}  // namespace
}  // namespace lakebase::auth

// The workspace calls the driver makes (LAKEBASE.md sections 2 and 3): database credential
// minting, endpoint/instance host lookup and the current user. Each takes a workspace token
// source for its bearer; a renewable bearer rejected with 401 is dropped and the call retried
// once with a fresh one.
#pragma once

#include <chrono>
#include <memory>
#include <stop_token>
#include <string>

#include "auth/token.h"
#include "auth/workspace_client.h"
#include "auth/workspace_token.h"

namespace lakebase::auth {

struct CallContext {
  std::chrono::steady_clock::time_point deadline;
  std::stop_token stop;
};

// POST /api/2.0/postgres/credentials {"endpoint": endpoint} -> {"token", "expire_time"}.
Token MintPostgresCredential(const WorkspaceClient& client, WorkspaceTokenSource& source,
                             const std::string& endpoint, const CallContext& ctx);
// POST /api/2.0/database/credentials {"instance_names": [instance], "request_id": uuid4}
// -> {"token", "expiration_time"}. The request id stays the same across retries of one mint.
Token MintProvisionedCredential(const WorkspaceClient& client, WorkspaceTokenSource& source,
                                const std::string& instance, const CallContext& ctx);
// GET /api/2.0/postgres/{endpoint} -> status.hosts.host.
std::string LookupEndpointHost(const WorkspaceClient& client, WorkspaceTokenSource& source,
                               const std::string& endpoint, const CallContext& ctx);
// GET /api/2.0/database/instances/{instance} -> read_write_dns.
std::string LookupInstanceHost(const WorkspaceClient& client, WorkspaceTokenSource& source,
                               const std::string& instance, const CallContext& ctx);
// GET /api/2.0/preview/scim/v2/Me -> userName.
std::string LookupCurrentUserName(const WorkspaceClient& client, WorkspaceTokenSource& source,
                                  const CallContext& ctx);

// Endpoint names are paths ("projects/p/branches/b/endpoints/e") and go into URLs as they are,
// so anything that could change the URL's meaning is refused up front (kConfiguration).
void ValidateEndpointName(const std::string& endpoint);
void ValidateInstanceName(const std::string& instance);

// Mints database credentials for one endpoint or instance: what the token cache calls.
class CredentialMinter {
 public:
  virtual ~CredentialMinter() = default;
  virtual Token Mint(const CallContext& ctx) = 0;
  // The server rejected a token this minter produced: a shared cache behind it must drop it.
  virtual void Invalidate(const Token& rejected) {}
  // "endpoint projects/p/branches/b/endpoints/e" / "instance name": for logs and errors.
  virtual std::string Describe() const = 0;
};

enum class DatabaseKind { kEndpoint, kInstance };

class DatabaseCredentialMinter final : public CredentialMinter {
 public:
  DatabaseCredentialMinter(std::shared_ptr<WorkspaceClient> client,
                           std::shared_ptr<WorkspaceTokenSource> source, DatabaseKind kind,
                           std::string name);
  Token Mint(const CallContext& ctx) override;
  std::string Describe() const override;

 private:
  std::shared_ptr<WorkspaceClient> client_;
  std::shared_ptr<WorkspaceTokenSource> source_;
  DatabaseKind kind_;
  std::string name_;
};

}  // namespace lakebase::auth

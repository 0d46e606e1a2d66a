// Workspace tokens from the Databricks CLI (`auth_type = databricks-cli` in a profile, or
// AuthType=databricks-cli): the CLI keeps the user's OAuth session from `databricks auth login`
// and prints a fresh access token on `databricks auth token`.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "auth/clock.h"
#include "auth/platform.h"
#include "auth/workspace_token.h"

namespace lakebase::auth {

struct CliTokenOptions {
  std::string cli_path = "databricks";  // looked up on PATH; DATABRICKS_CLI_PATH overrides
  std::string profile;                  // --profile P when set, else --host
  std::string host;                     // the workspace URL
  // The config file the profile came from, passed on as DATABRICKS_CONFIG_FILE so the CLI reads
  // the same one; empty: the CLI's default.
  std::string config_file;
  // The CLI may refresh its own token over the network; bound one run even when the caller's
  // deadline is further away.
  std::chrono::seconds max_run_time{60};
};

// The CLI's JSON: {"access_token", "token_type", "expiry"} with expiry an RFC 3339 time (Go's
// time.Time, nanoseconds and a zone offset). Throws AuthError(kWorkspace) naming what is wrong,
// never showing the text (it holds the token).
WorkspaceToken ParseCliTokenJson(const std::string& text, std::string_view command);

class CliTokenSource final : public WorkspaceTokenSource {
 public:
  // Re-runs the CLI once less than this remains of the token it printed.
  static constexpr std::chrono::seconds kRefreshMargin{40};

  CliTokenSource(std::shared_ptr<Platform> platform, std::shared_ptr<Clock> clock,
                 CliTokenOptions options);
  WorkspaceToken Get(std::chrono::steady_clock::time_point deadline, std::stop_token stop) override;
  void Invalidate(const SecretString& rejected) override;
  bool CanRenew() const override { return true; }
  setup::AuthType Method() const override { return setup::AuthType::kDatabricksCli; }
  std::string Principal() const override;
  // "databricks auth token --profile P", for messages.
  std::string CommandLine() const;

 private:
  WorkspaceToken Run(std::chrono::steady_clock::time_point deadline);

  std::shared_ptr<Platform> platform_;
  std::shared_ptr<Clock> clock_;
  CliTokenOptions options_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool running_ = false;
  std::optional<WorkspaceToken> cached_;
};

}  // namespace lakebase::auth

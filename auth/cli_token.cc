#include "auth/cli_token.h"

#include <fmt/format.h>

#include "auth/encoding.h"
#include "auth/json.h"
#include "common/log.h"

namespace lakebase::auth {
namespace {

// The first line of the CLI's stderr, printable and short: its own explanation ("cannot load
// Databricks config file", "refresh token is invalid; run databricks auth login").
std::string FirstLine(std::string_view text) {
  while (!text.empty() && (text.front() == '\n' || text.front() == '\r' || text.front() == ' ')) {
    text.remove_prefix(1);
  }
  text = text.substr(0, text.find('\n'));
  std::string out;
  for (char c : text.substr(0, 300)) out.push_back(static_cast<unsigned char>(c) < 0x20 ? ' ' : c);
  return out;
}

}  // namespace

WorkspaceToken ParseCliTokenJson(const std::string& text, std::string_view command) {
  std::string action = fmt::format("reading the output of `{}`", command);
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    throw AuthError(AuthErrorKind::kWorkspace,
                    fmt::format("{}: it is not the JSON object the Databricks CLI prints (is the "
                                "CLI older than v0.200?)",
                                action));
  }
  WorkspaceToken token;
  token.value = SecretString(json::RequireString(doc, "access_token", action));
  if (const auto* type = json::Find(doc, "token_type");
      type != nullptr && type->IsString() && std::string_view(type->GetString()) != "Bearer" &&
      std::string_view(type->GetString()) != "bearer") {
    throw AuthError(AuthErrorKind::kWorkspace,
                    fmt::format("{}: token_type {} is not Bearer", action, type->GetString()));
  }
  if (const auto* expiry = json::Find(doc, "expiry"); expiry != nullptr && expiry->IsString()) {
    token.expires_at = ParseRfc3339(expiry->GetString());
    if (!token.expires_at) {
      throw AuthError(AuthErrorKind::kWorkspace,
                      fmt::format("{}: expiry \"{}\" is not an RFC 3339 time", action,
                                  std::string(expiry->GetString()).substr(0, 64)));
    }
  } else {
    // Without an expiry, the token's own exp (a JWT) tells; else it is asked for again soon.
    token.expires_at = JwtExpiry(token.value.Reveal());
  }
  return token;
}

CliTokenSource::CliTokenSource(std::shared_ptr<Platform> platform, std::shared_ptr<Clock> clock,
                               CliTokenOptions options)
    : platform_(std::move(platform)), clock_(std::move(clock)), options_(std::move(options)) {}

std::string CliTokenSource::Principal() const {
  return options_.profile.empty() ? "cli" : "cli-profile-" + options_.profile;
}

std::string CliTokenSource::CommandLine() const {
  return options_.profile.empty()
             ? fmt::format("{} auth token --host {}", options_.cli_path, options_.host)
             : fmt::format("{} auth token --profile {}", options_.cli_path, options_.profile);
}

WorkspaceToken CliTokenSource::Get(std::chrono::steady_clock::time_point deadline,
                                   std::stop_token stop) {
  std::unique_lock lock(mutex_);
  while (true) {
    auto now = clock_->SystemNow();
    if (cached_ && FreshEnough(cached_->expires_at, cached_->issued_at, now, kRefreshMargin)) {
      WorkspaceToken token = *cached_;
      token.from_cache = true;
      return token;
    }
    if (!running_) break;
    // Single flight: one CLI run at a time; the others share its token.
    if (!cv_.wait_until(lock, deadline, [&] { return !running_; })) {
      throw AuthError(AuthErrorKind::kTimeout,
                      "timed out waiting for `" + CommandLine() + "` run by another connection");
    }
  }
  running_ = true;
  std::optional<WorkspaceToken> previous = cached_;
  lock.unlock();
  std::optional<WorkspaceToken> token;
  std::optional<AuthError> error;
  try {
    token = Run(deadline);
  } catch (const AuthError& e) {
    error = e;
  }
  lock.lock();
  running_ = false;
  cv_.notify_all();
  if (error) {
    // A failed re-run while the old token still has a little life left: keep using it.
    if (previous && previous->expires_at && *previous->expires_at > clock_->SystemNow()) {
      log::Warn("auth: {} failed ({}); the previous token stays in use until it expires",
                CommandLine(), error->what());
      return *previous;
    }
    throw *error;
  }
  // A token without any known expiry is used for this call only and never cached.
  if (token->expires_at) cached_ = token;
  return *token;
}

void CliTokenSource::Invalidate(const SecretString& rejected) {
  std::lock_guard lock(mutex_);
  if (cached_ && cached_->value == rejected) cached_.reset();
}

WorkspaceToken CliTokenSource::Run(std::chrono::steady_clock::time_point deadline) {
  std::vector<std::string> argv = {options_.cli_path, "auth", "token"};
  if (!options_.profile.empty()) {
    argv.insert(argv.end(), {"--profile", options_.profile});
  } else {
    argv.insert(argv.end(), {"--host", options_.host});
  }
  const std::string command = CommandLine();
  auto until = std::min(deadline, std::chrono::steady_clock::now() + options_.max_run_time);
  log::Debug("auth: running {}", command);
  std::vector<std::string> env;
  if (!options_.config_file.empty())
    env.push_back("DATABRICKS_CONFIG_FILE=" + options_.config_file);
  ProcessResult r = platform_->Run(argv, until, env);
  if (!r.started) {
    throw AuthError(AuthErrorKind::kConfiguration,
                    fmt::format("cannot run the Databricks CLI `{}`: {}; install it "
                                "(https://docs.databricks.com/dev-tools/cli/install.html), put it "
                                "on PATH or set DATABRICKS_CLI_PATH",
                                options_.cli_path, r.spawn_error));
  }
  if (r.timed_out) {
    throw AuthError(AuthErrorKind::kTimeout,
                    fmt::format("`{}` did not finish within the login timeout", command));
  }
  if (r.exit_code && *r.exit_code != 0) {
    std::string why = FirstLine(r.err);
    throw AuthError(AuthErrorKind::kWorkspace,
                    fmt::format("`{}` failed (exit status {}){}{}", command, *r.exit_code,
                                why.empty() ? "" : ": ", why));
  }
  WorkspaceToken token = ParseCliTokenJson(r.out, command);
  token.issued_at = clock_->SystemNow();
  log::Debug("auth: the Databricks CLI gave a token {}",
             token.expires_at ? "valid until " + FormatRfc3339(*token.expires_at)
                              : std::string("without an expiry"));
  return token;
}

}  // namespace lakebase::auth

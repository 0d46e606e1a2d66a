#include "driver/connect.h"

#include <algorithm>
#include <random>
#include <thread>

#include "auth/login.h"
#include "common/log.h"
#include "driver/error.h"

namespace lakebase::pg {

namespace {

// A token must outlive the login handshake comfortably.
constexpr std::chrono::seconds kMinTokenValidity{30};

std::string AuthStateFor(auth::AuthErrorKind kind) {
  switch (kind) {
    case auth::AuthErrorKind::kTimeout:
      return "HYT00";
    case auth::AuthErrorKind::kExpired:
      return "08006";
    case auth::AuthErrorKind::kConfiguration:
    case auth::AuthErrorKind::kWorkspace:
      return "08001";
  }
  return "08001";
}

int IntOption(const setup::ConnectionConfig& cfg, const char* key, int fallback) {
  auto it = cfg.raw.find(key);
  if (it == cfg.raw.end() || it->second.empty()) return fallback;
  try {
    return std::stoi(it->second);
  } catch (...) {
    return fallback;
  }
}

}  // namespace

ConnectResult Connect(const setup::ConnectionConfig& cfg,
                      std::chrono::steady_clock::time_point deadline) {
  auth::LoginPlan plan;
  try {
    plan = auth::PlanLogin(cfg, deadline);
  } catch (const auth::AuthError& e) {
    throw PgError(AuthStateFor(e.kind()), e.what());
  }

  SessionParams params;
  params.host = plan.host;
  params.port = plan.port;
  params.database = cfg.database;
  params.user = plan.user;
  params.ssl_mode = cfg.ssl_mode;
  params.ssl_root_cert = cfg.ssl_root_cert;
  params.application_name = cfg.application_name;
  params.deadline = deadline;

  const int max_attempts = std::max(1, IntOption(cfg, "LoginRetries", 10) + 1);
  bool retried_for_password = false;
  auto backoff = std::chrono::milliseconds(250);
  std::minstd_rand jitter(std::random_device{}());

  for (int attempt = 1;; ++attempt) {
    auth::Token token;
    if (plan.tokens) {
      try {
        token = plan.tokens->GetToken(kMinTokenValidity, deadline);
      } catch (const auth::AuthError& e) {
        throw PgError(AuthStateFor(e.kind()), e.what());
      }
      params.password = token.value;
    } else {
      params.password = plan.password;
    }
    try {
      auto session = Session::Open(params);
      log::Info("session opened: {}@{}:{} identity={}", plan.user, plan.host, plan.port,
                plan.identity);
      return ConnectResult{std::move(session), plan.identity};
    } catch (const ConnectError& e) {
      switch (e.failure()) {
        case ConnectFailure::kPasswordRejected:
          if (plan.tokens && !retried_for_password) {
            // A token the cache still trusted was refused (expired early, revoked): drop it and
            // try exactly once more with a fresh one.
            log::Info("login rejected for {} with a {} token; minting a fresh one", plan.user,
                      token.from_cache ? "cached" : "fresh");
            plan.tokens->Invalidate(token);
            retried_for_password = true;
            continue;
          }
          if (plan.tokens) {
            throw PgError("28P01", "login rejected for user \"" + plan.user + "\" (identity " +
                                       plan.identity + ") at " + plan.host + ":" +
                                       std::to_string(plan.port) +
                                       " with a freshly minted database credential: make sure "
                                       "the identity has a Postgres role on this endpoint "
                                       "(databricks_create_role). Server said: " +
                                       std::string(e.what()));
          }
          throw PgError("28P01", "login rejected for user \"" + plan.user + "\" at " + plan.host +
                                     ":" + std::to_string(plan.port) + ": " + e.what());
        case ConnectFailure::kTimeout:
          throw PgError("HYT00", std::string("login timeout: ") + e.what());
        case ConnectFailure::kRetryable: {
          auto now = std::chrono::steady_clock::now();
          if (attempt >= max_attempts || now + backoff >= deadline) {
            throw PgError("08001", std::string("cannot connect: ") + e.what());
          }
          auto wait = backoff + std::chrono::milliseconds(jitter() % (backoff.count() / 2 + 1));
          log::Info("connect attempt {} failed ({}); retrying in {} ms", attempt, e.what(),
                    wait.count());
          std::this_thread::sleep_for(
              std::min<std::chrono::steady_clock::duration>(wait, deadline - now));
          backoff = std::min(backoff * 2, std::chrono::milliseconds(2000));
          continue;
        }
        case ConnectFailure::kOther:
          throw PgError("08001", std::string("cannot connect: ") + e.what());
      }
    }
  }
}

}  // namespace lakebase::pg

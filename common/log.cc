#include "common/log.h"

#include <spdlog/logger.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <memory>
#include <mutex>

namespace lakebase::log {
namespace detail {
std::atomic<int> g_level{static_cast<int>(Level::kOff)};
}  // namespace detail

namespace {

struct State {
  std::mutex mutex;
  std::shared_ptr<spdlog::logger> logger;
  std::string file;
};

State& GetState() {
  static State* state = new State();  // never destroyed: logging may happen during exit
  return *state;
}

spdlog::level::level_enum ToSpd(Level level) {
  switch (level) {
    case Level::kTrace:
      return spdlog::level::trace;
    case Level::kDebug:
      return spdlog::level::debug;
    case Level::kInfo:
      return spdlog::level::info;
    case Level::kWarn:
      return spdlog::level::warn;
    case Level::kError:
      return spdlog::level::err;
    case Level::kOff:
      return spdlog::level::off;
  }
  return spdlog::level::off;
}

}  // namespace

std::optional<Level> ParseLevel(std::string_view text) {
  std::string t(text);
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
  if (t == "off" || t == "none" || t == "0") return Level::kOff;
  if (t == "error" || t == "1") return Level::kError;
  if (t == "warn" || t == "warning" || t == "2") return Level::kWarn;
  if (t == "info" || t == "3") return Level::kInfo;
  if (t == "debug" || t == "4") return Level::kDebug;
  if (t == "trace" || t == "5") return Level::kTrace;
  return std::nullopt;
}

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kTrace:
      return "trace";
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
    case Level::kOff:
      return "off";
  }
  return "off";
}

void Configure(const Options& options) {
  State& s = GetState();
  std::lock_guard lock(s.mutex);
  if (!s.logger || (!options.file.empty() && options.file != s.file)) {
    std::shared_ptr<spdlog::logger> logger;
    try {
      if (options.file.empty()) {
        logger = std::make_shared<spdlog::logger>(
            "lakebase-odbc", std::make_shared<spdlog::sinks::stderr_sink_mt>());
      } else {
        logger = std::make_shared<spdlog::logger>(
            "lakebase-odbc", std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
                                 options.file, options.max_size, options.max_files));
      }
    } catch (const std::exception&) {
      // An unwritable log file must not break the connection: fall back to stderr.
      logger = std::make_shared<spdlog::logger>("lakebase-odbc",
                                                std::make_shared<spdlog::sinks::stderr_sink_mt>());
    }
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [pid %P tid %t] %v");
    logger->set_level(spdlog::level::trace);
    logger->flush_on(spdlog::level::trace);
    s.logger = std::move(logger);
    if (!options.file.empty()) s.file = options.file;
  }
  int requested = static_cast<int>(options.level);
  int current = detail::g_level.load();
  while (requested < current && !detail::g_level.compare_exchange_weak(current, requested)) {
  }
}

void ConfigureFromEnvironment() {
  const char* level = std::getenv("LAKEBASE_ODBC_LOGLEVEL");
  if (level == nullptr) return;
  auto parsed = ParseLevel(level);
  if (!parsed) return;
  Options o;
  o.level = *parsed;
  if (const char* file = std::getenv("LAKEBASE_ODBC_LOGFILE")) o.file = file;
  Configure(o);
}

namespace detail {
void Write(Level level, std::string_view message) {
  State& s = GetState();
  std::shared_ptr<spdlog::logger> logger;
  {
    std::lock_guard lock(s.mutex);
    logger = s.logger;
  }
  if (logger) logger->log(ToSpd(level), message);
}
}  // namespace detail

}  // namespace lakebase::log

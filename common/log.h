// Driver logging. One process-wide logger of our own (never spdlog's default logger, which belongs
// to the host process). Secrets are kept out by type: SecretString formats as "***", and
// connection strings are logged only after setup::RedactConnectionString.
#pragma once

#include <fmt/format.h>

#include <atomic>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace lakebase::log {

enum class Level : int { kTrace = 0, kDebug = 1, kInfo = 2, kWarn = 3, kError = 4, kOff = 5 };

// "off, error, warn, info, debug, trace" (case-insensitive); nullopt for anything else.
std::optional<Level> ParseLevel(std::string_view text);
std::string_view LevelName(Level level);

struct Options {
  Level level = Level::kOff;
  std::string file;             // empty: stderr
  size_t max_size = 10u << 20;  // bytes per file before rotation
  size_t max_files = 5;
};

// Applies logging options. The logger is process-wide: a connection that asks for a more
// verbose level raises it; a file, once opened, stays until another file is configured.
void Configure(const Options& options);
// Reads LAKEBASE_ODBC_LOGLEVEL / LAKEBASE_ODBC_LOGFILE once (driver load).
void ConfigureFromEnvironment();

namespace detail {
extern std::atomic<int> g_level;
void Write(Level level, std::string_view message);
}  // namespace detail

inline bool Enabled(Level level) {
  return static_cast<int>(level) >= detail::g_level.load(std::memory_order_relaxed) &&
         level != Level::kOff;
}

template <class... Args>
void Log(Level level, fmt::format_string<Args...> format, Args&&... args) {
  if (!Enabled(level)) return;
  try {
    detail::Write(level, fmt::format(format, std::forward<Args>(args)...));
  } catch (...) {
    // Logging never throws into the driver.
  }
}

template <class... Args>
void Trace(fmt::format_string<Args...> f, Args&&... a) {
  Log(Level::kTrace, f, std::forward<Args>(a)...);
}
template <class... Args>
void Debug(fmt::format_string<Args...> f, Args&&... a) {
  Log(Level::kDebug, f, std::forward<Args>(a)...);
}
template <class... Args>
void Info(fmt::format_string<Args...> f, Args&&... a) {
  Log(Level::kInfo, f, std::forward<Args>(a)...);
}
template <class... Args>
void Warn(fmt::format_string<Args...> f, Args&&... a) {
  Log(Level::kWarn, f, std::forward<Args>(a)...);
}
template <class... Args>
void Error(fmt::format_string<Args...> f, Args&&... a) {
  Log(Level::kError, f, std::forward<Args>(a)...);
}

}  // namespace lakebase::log

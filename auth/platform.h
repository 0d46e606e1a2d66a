// Everything the auth layer asks of the operating system, behind one small interface: environment
// variables, running the Databricks CLI, opening a browser, the loopback listener of the browser
// sign-in, the private cache directory, secret files and file locks. platform_posix.cc implements
// it for Linux (and other POSIX systems); a Windows or macOS port adds a file next to it. Tests
// derive from the POSIX implementation to replace the environment or play the browser.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lakebase::auth {

struct ProcessResult {
  bool started = false;     // false: the program could not be started (spawn_error says why)
  std::string spawn_error;  // "No such file or directory"
  bool timed_out = false;   // killed at the deadline
  // Exit status; nullopt when it is unknown (the host process ignores SIGCHLD, so the kernel
  // reaped the child before we could) or the program was killed by a signal.
  std::optional<int> exit_code;
  std::string out;  // stdout (may hold a token: never log it)
  std::string err;  // stderr
};

// One HTTP request that reached the loopback listener.
struct LoopbackRequest {
  std::string method;  // "GET"
  std::string target;  // "/?code=...&state=..."
};

// The browser sign-in's redirect listener on 127.0.0.1 (and ::1 when the system has it).
class LoopbackListener {
 public:
  virtual ~LoopbackListener() = default;
  virtual int port() const = 0;
  // Waits for the next request until deadline; nullopt when the deadline passed. Reply must be
  // called before the next Next.
  virtual std::optional<LoopbackRequest> Next(std::chrono::steady_clock::time_point deadline) = 0;
  virtual void Reply(int status, std::string_view html) = 0;
};

// Held while another process (or thread) must not mint the same token; released on destruction.
class FileLock {
 public:
  virtual ~FileLock() = default;
};

class Platform {
 public:
  virtual ~Platform() = default;

  virtual std::optional<std::string> GetEnv(std::string_view name) const = 0;

  // Runs argv (argv[0] looked up on PATH unless it contains '/') directly, never through a
  // shell: stdin is /dev/null, stdout and stderr are collected (at most max_output bytes each),
  // and the program is killed when the deadline passes.
  // extra_env entries ("NAME=value") replace or add to the inherited environment.
  virtual ProcessResult Run(const std::vector<std::string>& argv,
                            std::chrono::steady_clock::time_point deadline,
                            const std::vector<std::string>& extra_env = {},
                            size_t max_output = 1 << 20) = 0;
  // Whether program (a name looked up on PATH, or a path) exists and is executable.
  virtual bool IsExecutable(const std::string& program) const = 0;

  // Starts a browser on url without waiting for it to exit: each command of $BROWSER (a
  // ':'-separated list; "%s" stands for the URL, else it is appended), then xdg-open. No shell
  // ever sees the URL. False when none could be started.
  virtual bool OpenBrowser(const std::string& url) = 0;

  // Listens on the first free port of [first_port, last_port] on the loopback interface. Throws
  // AuthError(kConfiguration) when every port is taken.
  virtual std::unique_ptr<LoopbackListener> ListenLoopback(int first_port, int last_port) = 0;

  // The home directory ($HOME, else the password database); empty when unknown.
  virtual std::string HomeDir() const = 0;
  // The default token cache directory: $XDG_CACHE_HOME/lakebase-odbc, else
  // ~/.cache/lakebase-odbc.
  std::string DefaultCacheDir() const;

  // Creates dir (0700) when missing and checks it is a directory owned by this user that no one
  // else can read or enter. Throws AuthError(kConfiguration) saying how to fix it otherwise.
  virtual void EnsurePrivateDir(const std::string& dir) = 0;
  // The contents of a file only its owner (this user) can read; nullopt when it does not exist.
  // Throws AuthError(kConfiguration) for a file with looser permissions or another owner, or a
  // symbolic link.
  virtual std::optional<std::string> ReadPrivateFile(const std::string& path) = 0;
  // Writes path atomically (a 0600 temporary file in the same directory, fsync, rename), so a
  // reader sees the old or the new contents, never half of them. Throws AuthError.
  virtual void WritePrivateFile(const std::string& path, std::string_view contents) = 0;
  virtual void RemoveFile(const std::string& path) = 0;
  // Takes an exclusive lock on path (created 0600 if missing), waiting until deadline; null when
  // the deadline passed first. Exclusive between processes and between threads alike.
  virtual std::unique_ptr<FileLock> Lock(const std::string& path,
                                         std::chrono::steady_clock::time_point deadline) = 0;
  // A plain text file (the Databricks config file); nullopt when it does not exist. Throws
  // AuthError(kConfiguration) when it exists but cannot be read.
  virtual std::optional<std::string> ReadTextFile(const std::string& path) = 0;
};

// The POSIX implementation; GetEnv reads the process environment.
class PosixPlatform : public Platform {
 public:
  std::optional<std::string> GetEnv(std::string_view name) const override;
  ProcessResult Run(const std::vector<std::string>& argv,
                    std::chrono::steady_clock::time_point deadline,
                    const std::vector<std::string>& extra_env = {},
                    size_t max_output = 1 << 20) override;
  bool IsExecutable(const std::string& program) const override;
  bool OpenBrowser(const std::string& url) override;
  std::unique_ptr<LoopbackListener> ListenLoopback(int first_port, int last_port) override;
  std::string HomeDir() const override;
  void EnsurePrivateDir(const std::string& dir) override;
  std::optional<std::string> ReadPrivateFile(const std::string& path) override;
  void WritePrivateFile(const std::string& path, std::string_view contents) override;
  void RemoveFile(const std::string& path) override;
  std::unique_ptr<FileLock> Lock(const std::string& path,
                                 std::chrono::steady_clock::time_point deadline) override;
  std::optional<std::string> ReadTextFile(const std::string& path) override;
};

// The process-wide platform of this build.
std::shared_ptr<Platform> DefaultPlatform();

// Splits a $BROWSER entry into arguments at whitespace (no quoting rules: no shell is involved)
// and puts url in place of "%s", or last when there is none. Exposed for tests.
std::vector<std::string> BrowserCommand(std::string_view entry, const std::string& url);

}  // namespace lakebase::auth

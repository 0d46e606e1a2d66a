// POSIX implementation of auth/platform.h.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "auth/encoding.h"
#include "auth/platform.h"
#include "auth/token.h"
#include "common/log.h"

extern char** environ;

namespace lakebase::auth {
namespace {

AuthError ConfigError(const std::string& message) {
  return AuthError(AuthErrorKind::kConfiguration, message);
}

std::string ErrnoText(int err) {
  char buf[256];
  // strerror_r has two signatures; the GNU one returns the message.
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
  return strerror_r(err, buf, sizeof buf);
#else
  if (strerror_r(err, buf, sizeof buf) != 0) return "error " + std::to_string(err);
  return buf;
#endif
}

// A file descriptor closed on destruction.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      Close();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~Fd() { Close(); }
  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

int MillisUntil(std::chrono::steady_clock::time_point deadline, int cap_ms) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                  deadline - std::chrono::steady_clock::now())
                  .count();
  if (left <= 0) return 0;
  return static_cast<int>(std::min<int64_t>(left, cap_ms));
}

// Children started for the browser are not waited for (a browser may run for hours); their pids
// are kept here and reaped without blocking on later calls, so they do not stay zombies. Only
// our own pids are ever waited for: waitpid(-1) would steal the host application's children.
std::mutex g_children_mutex;
std::vector<pid_t> g_children;

void ReapChildren() {
  std::lock_guard lock(g_children_mutex);
  std::erase_if(g_children, [](pid_t pid) {
    int status = 0;
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    return r == pid || (r < 0 && errno == ECHILD);
  });
}

// posix_spawn rather than fork+exec: in a multi-threaded host only async-signal-safe calls are
// allowed between fork and exec, and glibc's posix_spawn (CLONE_VFORK) reports exec failures.
struct Spawned {
  pid_t pid = -1;
  int error = 0;
};

Spawned Spawn(const std::vector<std::string>& argv, int out_fd, int err_fd,
              const std::vector<std::string>& extra_env = {}) {
  // The environment: ours, with extra_env's names replaced. Built before the spawn (no
  // allocation may happen in the child).
  std::vector<char*> envp;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    std::string_view name = entry.substr(0, entry.find('='));
    bool replaced = false;
    for (const auto& x : extra_env) {
      if (x.size() > name.size() && x.compare(0, name.size(), name) == 0 && x[name.size()] == '=') {
        replaced = true;
      }
    }
    if (!replaced) envp.push_back(*e);
  }
  for (const auto& x : extra_env) envp.push_back(const_cast<char*>(x.c_str()));
  envp.push_back(nullptr);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (out_fd >= 0) {
    posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  } else {
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  }
  if (err_fd >= 0) {
    posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
  } else {
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  }
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // The child starts with no blocked signals and default SIGPIPE/SIGCHLD handling, whatever the
  // host application did to its own.
  sigset_t empty, defaults;
  sigemptyset(&empty);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGCHLD);
  posix_spawnattr_setsigmask(&attr, &empty);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  Spawned s;
  s.error = ::posix_spawnp(&s.pid, args[0], &actions, &attr, args.data(), envp.data());
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  if (s.error != 0) s.pid = -1;
  return s;
}

bool MakePipe(Fd& read_end, Fd& write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  read_end = Fd(fds[0]);
  write_end = Fd(fds[1]);
  return true;
}

class PosixFileLock final : public FileLock {
 public:
  explicit PosixFileLock(Fd fd) : fd_(std::move(fd)) {}
  ~PosixFileLock() override { ::flock(fd_.get(), LOCK_UN); }

 private:
  Fd fd_;
};

// --- the loopback listener --------------------------------------------------------------------

class PosixLoopbackListener final : public LoopbackListener {
 public:
  PosixLoopbackListener(int port, std::vector<Fd> sockets)
      : port_(port), sockets_(std::move(sockets)) {}
  int port() const override { return port_; }

  std::optional<LoopbackRequest> Next(std::chrono::steady_clock::time_point deadline) override {
    conn_.Close();
    while (true) {
      std::vector<pollfd> fds;
      for (const auto& s : sockets_) fds.push_back(pollfd{s.get(), POLLIN, 0});
      int timeout = MillisUntil(deadline, 1000);
      if (timeout == 0) return std::nullopt;
      int n = ::poll(fds.data(), fds.size(), timeout);
      if (n < 0 && errno != EINTR) return std::nullopt;
      for (const auto& p : fds) {
        if ((p.revents & POLLIN) == 0) continue;
        Fd conn(::accept4(p.fd, nullptr, nullptr, SOCK_CLOEXEC));
        if (!conn.ok()) continue;
        if (auto request = ReadRequest(conn, deadline)) {
          conn_ = std::move(conn);
          return request;
        }
        // A connection that sent nothing useful in time (a port scanner, a browser's speculative
        // pre-connect): drop it and keep waiting.
      }
    }
  }

  void Reply(int status, std::string_view html) override {
    if (!conn_.ok()) return;
    std::string_view reason = status == 200 ? "OK" : status == 404 ? "Not Found" : "Bad Request";
    std::string response = fmt::format(
        "HTTP/1.1 {} {}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n"
        "Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        status, reason, html.size());
    response.append(html);
    size_t sent = 0;
    while (sent < response.size()) {
      ssize_t n = ::send(conn_.get(), response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
    conn_.Close();
  }

 private:
  static std::optional<LoopbackRequest> ReadRequest(
      const Fd& conn, std::chrono::steady_clock::time_point deadline) {
    // A request line and headers: a few KB at most. Five seconds per connection so a silent
    // client cannot hold the listener.
    auto until = std::min(deadline, std::chrono::steady_clock::now() + std::chrono::seconds(5));
    std::string data;
    while (data.find("\r\n\r\n") == std::string::npos && data.find("\n\n") == std::string::npos) {
      if (data.size() > 16384) return std::nullopt;
      pollfd p{conn.get(), POLLIN, 0};
      int timeout = MillisUntil(until, 1000);
      if (timeout == 0) return std::nullopt;
      int n = ::poll(&p, 1, timeout);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) continue;
      char buf[2048];
      ssize_t got = ::recv(conn.get(), buf, sizeof buf, 0);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) break;
      data.append(buf, static_cast<size_t>(got));
    }
    size_t line_end = data.find('\n');
    std::string_view line(data.data(), line_end == std::string::npos ? data.size() : line_end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    size_t sp1 = line.find(' ');
    if (sp1 == std::string_view::npos) return std::nullopt;
    size_t sp2 = line.find(' ', sp1 + 1);
    LoopbackRequest request;
    request.method = std::string(line.substr(0, sp1));
    request.target = std::string(line.substr(
        sp1 + 1, sp2 == std::string_view::npos ? std::string_view::npos : sp2 - sp1 - 1));
    return request;
  }

  int port_;
  std::vector<Fd> sockets_;
  Fd conn_;
};

Fd BindLoopback(int family, int port, int& error) {
  Fd fd(::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.ok()) {
    error = errno;
    return Fd();
  }
  int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  int rc;
  if (family == AF_INET) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    rc = ::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  } else {
    ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    sockaddr_in6 addr{};
    addr.sin6_family = AF_INET6;
    addr.sin6_port = htons(static_cast<uint16_t>(port));
    addr.sin6_addr = in6addr_loopback;
    rc = ::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  }
  if (rc != 0 || ::listen(fd.get(), 16) != 0) {
    error = errno;
    return Fd();
  }
  error = 0;
  return fd;
}

}  // namespace

std::vector<std::string> BrowserCommand(std::string_view entry, const std::string& url) {
  std::vector<std::string> argv;
  bool placed = false;
  size_t i = 0;
  while (i < entry.size()) {
    while (i < entry.size() && (entry[i] == ' ' || entry[i] == '\t')) ++i;
    size_t start = i;
    while (i < entry.size() && entry[i] != ' ' && entry[i] != '\t') ++i;
    if (i == start) break;
    std::string arg(entry.substr(start, i - start));
    if (size_t pos = arg.find("%s"); pos != std::string::npos) {
      arg.replace(pos, 2, url);
      placed = true;
    }
    argv.push_back(std::move(arg));
  }
  if (!argv.empty() && !placed) argv.push_back(url);
  return argv;
}

std::string Platform::DefaultCacheDir() const {
  if (auto xdg = GetEnv("XDG_CACHE_HOME"); xdg && !xdg->empty() && xdg->front() == '/') {
    return *xdg + "/lakebase-odbc";
  }
  std::string home = HomeDir();
  if (home.empty()) return {};
  return home + "/.cache/lakebase-odbc";
}

std::optional<std::string> PosixPlatform::GetEnv(std::string_view name) const {
  const char* v = std::getenv(std::string(name).c_str());
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

std::string PosixPlatform::HomeDir() const {
  if (auto home = GetEnv("HOME"); home && !home->empty()) return *home;
  struct passwd pw;
  struct passwd* result = nullptr;
  std::vector<char> buf(16384);
  if (::getpwuid_r(::geteuid(), &pw, buf.data(), buf.size(), &result) == 0 && result != nullptr &&
      result->pw_dir != nullptr) {
    return result->pw_dir;
  }
  return {};
}

ProcessResult PosixPlatform::Run(const std::vector<std::string>& argv,
                                 std::chrono::steady_clock::time_point deadline,
                                 const std::vector<std::string>& extra_env, size_t max_output) {
  ReapChildren();
  ProcessResult result;
  if (argv.empty()) {
    result.spawn_error = "no program";
    return result;
  }
  Fd out_r, out_w, err_r, err_w;
  if (!MakePipe(out_r, out_w) || !MakePipe(err_r, err_w)) {
    result.spawn_error = ErrnoText(errno);
    return result;
  }
  Spawned child = Spawn(argv, out_w.get(), err_w.get(), extra_env);
  out_w.Close();
  err_w.Close();
  if (child.pid < 0) {
    result.spawn_error = ErrnoText(child.error);
    return result;
  }
  result.started = true;
  Fd* pipes[2] = {&out_r, &err_r};
  std::string* sinks[2] = {&result.out, &result.err};
  while (out_r.ok() || err_r.ok()) {
    int timeout = MillisUntil(deadline, 1000);
    if (timeout == 0) {
      result.timed_out = true;
      break;
    }
    std::vector<pollfd> fds;
    std::vector<int> which;
    for (int i = 0; i < 2; ++i) {
      if (pipes[i]->ok()) {
        fds.push_back(pollfd{pipes[i]->get(), POLLIN, 0});
        which.push_back(i);
      }
    }
    int n = ::poll(fds.data(), fds.size(), timeout);
    if (n < 0 && errno != EINTR) break;
    for (size_t k = 0; k < fds.size(); ++k) {
      if (fds[k].revents == 0) continue;
      char buf[4096];
      ssize_t got = ::read(fds[k].fd, buf, sizeof buf);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        pipes[which[k]]->Close();
        continue;
      }
      std::string& sink = *sinks[which[k]];
      if (sink.size() < max_output) {
        sink.append(buf, std::min<size_t>(static_cast<size_t>(got), max_output - sink.size()));
      }
    }
  }
  // Both pipes closed (or the deadline passed): collect the exit status, still bounded.
  while (true) {
    int status = 0;
    pid_t r = ::waitpid(child.pid, &status, WNOHANG);
    if (r == child.pid) {
      if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
      break;
    }
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) break;  // ECHILD: the host ignores SIGCHLD and the kernel reaped it; status unknown
    if (result.timed_out || std::chrono::steady_clock::now() >= deadline) {
      result.timed_out = true;
      ::kill(child.pid, SIGKILL);
      while (::waitpid(child.pid, &status, 0) < 0 && errno == EINTR) {
      }
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return result;
}

bool PosixPlatform::IsExecutable(const std::string& program) const {
  if (program.empty()) return false;
  if (program.find('/') != std::string::npos) return ::access(program.c_str(), X_OK) == 0;
  std::string path = GetEnv("PATH").value_or("/usr/local/bin:/usr/bin:/bin");
  size_t start = 0;
  while (start <= path.size()) {
    size_t colon = path.find(':', start);
    std::string dir =
        path.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    if (dir.empty()) dir = ".";
    std::string candidate = dir + "/" + program;
    struct stat st;
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0) {
      return true;
    }
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return false;
}

bool PosixPlatform::OpenBrowser(const std::string& url) {
  ReapChildren();
  std::vector<std::vector<std::string>> candidates;
  if (auto browser = GetEnv("BROWSER"); browser && !browser->empty()) {
    std::string_view list = *browser;
    while (!list.empty()) {
      size_t colon = list.find(':');
      auto argv = BrowserCommand(list.substr(0, colon), url);
      if (!argv.empty()) candidates.push_back(std::move(argv));
      if (colon == std::string_view::npos) break;
      list.remove_prefix(colon + 1);
    }
  }
  candidates.push_back({"xdg-open", url});
  for (const auto& argv : candidates) {
    Spawned child = Spawn(argv, -1, -1);
    if (child.pid < 0) {
      log::Debug("auth: could not start {} to open the sign-in page: {}", argv[0],
                 ErrnoText(child.error));
      continue;
    }
    // xdg-open without a desktop fails within moments; a real browser (or a launcher that hands
    // the URL to one) keeps running or exits 0. Give it a moment to tell the two apart.
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
    bool failed = false, done = false;
    while (std::chrono::steady_clock::now() < until) {
      int status = 0;
      pid_t r = ::waitpid(child.pid, &status, WNOHANG);
      if (r == child.pid) {
        done = true;
        failed = !WIFEXITED(status) || WEXITSTATUS(status) != 0;
        break;
      }
      if (r < 0) {
        done = true;  // reaped elsewhere (SIGCHLD ignored): assume it worked
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!done) {
      std::lock_guard lock(g_children_mutex);
      g_children.push_back(child.pid);
    }
    if (failed) {
      log::Debug("auth: {} could not open the sign-in page", argv[0]);
      continue;
    }
    log::Debug("auth: opened the sign-in page with {}", argv[0]);
    return true;
  }
  return false;
}

std::unique_ptr<LoopbackListener> PosixPlatform::ListenLoopback(int first_port, int last_port) {
  int last_error = 0;
  for (int port = first_port; port <= last_port && port <= 65535; ++port) {
    int error = 0;
    Fd v4 = BindLoopback(AF_INET, port, error);
    if (!v4.ok()) {
      last_error = error;
      continue;
    }
    std::vector<Fd> sockets;
    sockets.push_back(std::move(v4));
    // "localhost" in the redirect URL may resolve to ::1 first; listen there too when the system
    // has IPv6, and treat a port taken on ::1 as taken.
    Fd v6 = BindLoopback(AF_INET6, port, error);
    if (v6.ok()) {
      sockets.push_back(std::move(v6));
    } else if (error == EADDRINUSE) {
      last_error = error;
      continue;
    }
    return std::make_unique<PosixLoopbackListener>(port, std::move(sockets));
  }
  throw ConfigError(fmt::format(
      "browser sign-in: no free local port for the redirect between {} and {} ({}); set "
      "OAuthRedirectPort to another first port",
      first_port, last_port, ErrnoText(last_error)));
}

void PosixPlatform::EnsurePrivateDir(const std::string& dir) {
  if (dir.empty() || dir.front() != '/') {
    throw ConfigError("token cache directory \"" + dir +
                      "\" must be an absolute path (TokenCacheDir)");
  }
  // Create missing parents (0700 too: ~/.cache on a fresh account is ours alone anyway).
  for (size_t pos = 1; pos != std::string::npos;) {
    pos = dir.find('/', pos + 1);
    std::string part = dir.substr(0, pos);
    if (::mkdir(part.c_str(), 0700) != 0 && errno != EEXIST) {
      throw ConfigError(
          fmt::format("cannot create the token cache directory {}: {}", part, ErrnoText(errno)));
    }
  }
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    throw ConfigError("token cache directory " + dir + " is not a directory (TokenCacheDir)");
  }
  if (st.st_uid != ::geteuid()) {
    throw ConfigError("token cache directory " + dir +
                      " belongs to another user; tokens are kept only in a directory of the user "
                      "running the driver (TokenCacheDir)");
  }
  if ((st.st_mode & 077) != 0) {
    throw ConfigError(fmt::format(
        "token cache directory {} has mode {:04o}: other users could read the tokens in it; "
        "run chmod 700 {} (or set TokenCacheDir to a private directory)",
        dir, st.st_mode & 07777, dir));
  }
}

std::optional<std::string> PosixPlatform::ReadPrivateFile(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.ok()) {
    if (errno == ENOENT) return std::nullopt;
    if (errno == ELOOP) {
      throw ConfigError("token cache file " + path + " is a symbolic link; refusing to read it");
    }
    throw ConfigError(fmt::format("cannot read token cache file {}: {}", path, ErrnoText(errno)));
  }
  struct stat st;
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    throw ConfigError("token cache file " + path + " is not a regular file");
  }
  if (st.st_uid != ::geteuid() || (st.st_mode & 077) != 0) {
    throw ConfigError(fmt::format(
        "token cache file {} has mode {:04o} or another owner: it must be readable by its owner "
        "only; delete it (a new one is written with mode 0600)",
        path, st.st_mode & 07777));
  }
  std::string data;
  char buf[4096];
  while (true) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      throw ConfigError(fmt::format("cannot read token cache file {}: {}", path, ErrnoText(errno)));
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
    if (data.size() > (1u << 20)) throw ConfigError("token cache file " + path + " is too large");
  }
  return data;
}

void PosixPlatform::WritePrivateFile(const std::string& path, std::string_view contents) {
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
  std::string tmp = dir + "/.tmp-" + Sha256Hex(NewUuid4()).substr(0, 16);
  Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd.ok()) {
    throw AuthError(
        AuthErrorKind::kConfiguration,
        fmt::format("cannot write in the token cache directory {}: {}", dir, ErrnoText(errno)));
  }
  // The umask can only remove bits, but say 0600 explicitly anyway.
  ::fchmod(fd.get(), 0600);
  size_t written = 0;
  bool ok = true;
  while (written < contents.size()) {
    ssize_t n = ::write(fd.get(), contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ok = false;
      break;
    }
    written += static_cast<size_t>(n);
  }
  int err = ok ? 0 : errno;
  if (ok && ::fsync(fd.get()) != 0) {
    ok = false;
    err = errno;
  }
  fd.Close();
  if (ok && ::rename(tmp.c_str(), path.c_str()) != 0) {
    ok = false;
    err = errno;
  }
  if (!ok) {
    ::unlink(tmp.c_str());
    throw AuthError(AuthErrorKind::kConfiguration,
                    fmt::format("cannot write token cache file {}: {}", path, ErrnoText(err)));
  }
}

void PosixPlatform::RemoveFile(const std::string& path) { ::unlink(path.c_str()); }

std::unique_ptr<FileLock> PosixPlatform::Lock(const std::string& path,
                                              std::chrono::steady_clock::time_point deadline) {
  Fd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd.ok()) {
    throw ConfigError(fmt::format("cannot open lock file {}: {}", path, ErrnoText(errno)));
  }
  // flock has no timeout: poll it. Locks are per open file description, so two threads of one
  // process (each with its own open) exclude each other just like two processes do.
  auto pause = std::chrono::milliseconds(5);
  while (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      throw ConfigError(fmt::format("cannot lock {}: {}", path, ErrnoText(errno)));
    }
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return nullptr;
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(pause, deadline - now));
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
  return std::make_unique<PosixFileLock>(std::move(fd));
}

std::optional<std::string> PosixPlatform::ReadTextFile(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.ok()) {
    if (errno == ENOENT) return std::nullopt;
    throw ConfigError(fmt::format("cannot read {}: {}", path, ErrnoText(errno)));
  }
  std::string data;
  char buf[4096];
  while (true) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw ConfigError(fmt::format("cannot read {}: {}", path, ErrnoText(errno)));
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
    if (data.size() > (4u << 20)) throw ConfigError(path + " is too large");
  }
  return data;
}

std::shared_ptr<Platform> DefaultPlatform() {
  // Never destroyed: background threads may use it while the process exits.
  static auto* platform = new std::shared_ptr<Platform>(std::make_shared<PosixPlatform>());
  return *platform;
}

}  // namespace lakebase::auth

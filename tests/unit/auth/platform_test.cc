// The POSIX platform: private directories and files, atomic writes, file locks between
// processes, running programs without a shell, $BROWSER parsing, the loopback listener.
#include "auth/platform.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "auth/token.h"
#include "tests/unit/auth/test_util.h"

namespace lakebase::auth {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace std::chrono_literals;
using testing::TempDir;

std::chrono::steady_clock::time_point In(std::chrono::milliseconds d) {
  return std::chrono::steady_clock::now() + d;
}

int Mode(const std::string& path) {
  struct stat st;
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

TEST(PlatformTest, PrivateDirIsCreated0700AndLooseOneRefused) {
  TempDir tmp;
  PosixPlatform p;
  std::string dir = tmp.path() + "/a/b/cache";
  p.EnsurePrivateDir(dir);
  EXPECT_EQ(Mode(dir), 0700);
  p.EnsurePrivateDir(dir);  // idempotent
  ::chmod(dir.c_str(), 0750);
  try {
    p.EnsurePrivateDir(dir);
    FAIL() << "loose directory accepted";
  } catch (const AuthError& e) {
    EXPECT_EQ(e.kind(), AuthErrorKind::kConfiguration);
    EXPECT_THAT(e.what(), HasSubstr("chmod 700 " + dir));
    EXPECT_THAT(e.what(), HasSubstr("0750"));
  }
  EXPECT_THROW(p.EnsurePrivateDir("relative/dir"), AuthError);
}

TEST(PlatformTest, PrivateFilesAre0600AtomicAndLooseOnesRefused) {
  TempDir tmp;
  PosixPlatform p;
  std::string dir = tmp.path() + "/c";
  p.EnsurePrivateDir(dir);
  std::string file = dir + "/f.token";
  EXPECT_EQ(p.ReadPrivateFile(file), std::nullopt);
  p.WritePrivateFile(file, "one");
  EXPECT_EQ(Mode(file), 0600);
  EXPECT_EQ(p.ReadPrivateFile(file), "one");
  p.WritePrivateFile(file, "two");
  EXPECT_EQ(p.ReadPrivateFile(file), "two");
  // No temporary files left behind.
  int entries = 0;
  for (auto& e : std::filesystem::directory_iterator(dir)) {
    ++entries;
    EXPECT_EQ(e.path().filename(), "f.token");
  }
  EXPECT_EQ(entries, 1);
  ::chmod(file.c_str(), 0644);
  EXPECT_THROW(p.ReadPrivateFile(file), AuthError);
  // A symbolic link planted where a token file goes is not followed.
  std::string link = dir + "/l.token";
  ASSERT_EQ(::symlink(file.c_str(), link.c_str()), 0);
  EXPECT_THROW(p.ReadPrivateFile(link), AuthError);
}

TEST(PlatformTest, ConcurrentWritersNeverLeaveAHalfFile) {
  TempDir tmp;
  PosixPlatform p;
  std::string dir = tmp.path() + "/w";
  p.EnsurePrivateDir(dir);
  std::string file = dir + "/f";
  std::string a(100000, 'a'), b(100000, 'b');
  std::atomic<bool> stop{false};
  std::thread reader([&] {
    while (!stop) {
      auto text = p.ReadPrivateFile(file);
      if (text) EXPECT_TRUE(*text == a || *text == b) << text->size();
    }
  });
  std::thread w1([&] {
    for (int i = 0; i < 50; ++i) p.WritePrivateFile(file, a);
  });
  std::thread w2([&] {
    for (int i = 0; i < 50; ++i) p.WritePrivateFile(file, b);
  });
  w1.join();
  w2.join();
  stop = true;
  reader.join();
}

TEST(PlatformTest, LockExcludesThreadsAndProcessesAndTimesOut) {
  TempDir tmp;
  PosixPlatform p;
  std::string path = tmp.path() + "/x.lock";
  auto held = p.Lock(path, In(1000ms));
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(Mode(path), 0600);
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(p.Lock(path, In(150ms)), nullptr);  // another open in this process: excluded
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 140ms);
  pid_t child = ::fork();
  if (child == 0) {
    PosixPlatform q;
    _exit(q.Lock(path, In(200ms)) == nullptr ? 0 : 1);  // excluded in another process too
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  held.reset();
  EXPECT_NE(p.Lock(path, In(200ms)), nullptr);
}

TEST(PlatformTest, RunCollectsOutputWithoutAShell) {
  PosixPlatform p;
  // A shell would expand $HOME and run the second command; argv must arrive untouched.
  ProcessResult r = p.Run({"printf", "%s|%s", "$HOME", "; echo pwned"}, In(5000ms));
  ASSERT_TRUE(r.started);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "$HOME|; echo pwned");
  ProcessResult missing = p.Run({"/nonexistent/databricks", "auth", "token"}, In(5000ms));
  EXPECT_FALSE(missing.started);
  EXPECT_THAT(missing.spawn_error, HasSubstr("No such file"));
  ProcessResult fails = p.Run({"sh", "-c", "echo oops >&2; exit 3"}, In(5000ms));
  EXPECT_EQ(fails.exit_code, 3);
  EXPECT_EQ(fails.err, "oops\n");
  ProcessResult env =
      p.Run({"sh", "-c", "printf %s \"$LB_TEST_VAR\""}, In(5000ms), {"LB_TEST_VAR=given"});
  EXPECT_EQ(env.out, "given");
}

TEST(PlatformTest, RunKillsAProgramAtTheDeadline) {
  PosixPlatform p;
  auto t0 = std::chrono::steady_clock::now();
  ProcessResult r = p.Run({"sleep", "30"}, In(300ms));
  EXPECT_TRUE(r.timed_out);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
}

TEST(PlatformTest, BrowserCommandSplitsAndPlacesTheUrl) {
  std::string url = "https://ws/oidc/v1/authorize?a=1&b=$(rm -rf ~)";
  EXPECT_THAT(BrowserCommand("firefox", url), ElementsAre("firefox", url));
  EXPECT_THAT(BrowserCommand("  firefox  --new-window ", url),
              ElementsAre("firefox", "--new-window", url));
  EXPECT_THAT(BrowserCommand("open -a Safari %s --x", url),
              ElementsAre("open", "-a", "Safari", url, "--x"));
  EXPECT_TRUE(BrowserCommand("   ", url).empty());
}

class EnvPlatform : public PosixPlatform {
 public:
  std::map<std::string, std::string> env;
  std::optional<std::string> GetEnv(std::string_view name) const override {
    auto it = env.find(std::string(name));
    if (it == env.end()) return std::nullopt;
    return it->second;
  }
};

TEST(PlatformTest, BrowserFromEnvironmentGetsTheUrlAsOneArgument) {
  TempDir tmp;
  EnvPlatform p;
  std::string out = tmp.path() + "/got";
  std::string script = tmp.path() + "/browser";
  {
    std::ofstream f(script);
    f << "#!/bin/sh\nprintf '%s' \"$1\" > " << out << "\n";
  }
  ::chmod(script.c_str(), 0755);
  p.env["BROWSER"] = "/nonexistent/first:" + script;
  std::string url = "https://ws/authorize?x=1&y='2' $(id)";
  ASSERT_TRUE(p.OpenBrowser(url));
  for (int i = 0; i < 100 && !std::filesystem::exists(out); ++i) std::this_thread::sleep_for(20ms);
  std::this_thread::sleep_for(50ms);
  std::ifstream f(out);
  std::string got((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  EXPECT_EQ(got, url);
}

TEST(PlatformTest, DefaultCacheDirFollowsXdg) {
  EnvPlatform p;
  p.env["HOME"] = "/home/ada";
  EXPECT_EQ(p.DefaultCacheDir(), "/home/ada/.cache/lakebase-odbc");
  p.env["XDG_CACHE_HOME"] = "/var/cache/ada";
  EXPECT_EQ(p.DefaultCacheDir(), "/var/cache/ada/lakebase-odbc");
  p.env["XDG_CACHE_HOME"] = "relative";  // not absolute: ignored, as the XDG spec says
  EXPECT_EQ(p.DefaultCacheDir(), "/home/ada/.cache/lakebase-odbc");
}

TEST(PlatformTest, LoopbackListenerTakesTheNextFreePort) {
  PosixPlatform p;
  auto first = p.ListenLoopback(47020, 47040);
  auto second = p.ListenLoopback(first->port(), first->port() + 5);
  EXPECT_GT(second->port(), first->port());
  std::thread client([port = second->port()] {
    EXPECT_THAT(testing::HttpGetLoopback(port, "/?a=1"), HasSubstr("200 OK"));
  });
  auto request = second->Next(In(5000ms));
  ASSERT_TRUE(request.has_value());
  EXPECT_EQ(request->method, "GET");
  EXPECT_EQ(request->target, "/?a=1");
  second->Reply(200, "<p>ok</p>");
  client.join();
  EXPECT_EQ(second->Next(In(100ms)), std::nullopt);  // nothing else came: timed out
}

}  // namespace
}  // namespace lakebase::auth

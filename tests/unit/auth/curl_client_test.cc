// The libcurl client without a network: failures that need no server. The HTTPS round trip is
// tested against the rig's workspace emulator.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "auth/http.h"

namespace lakebase::auth {
namespace {

using namespace std::chrono_literals;

// A loopback port with nothing listening: bind, read the port, close.
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

TEST(CurlHttpClient, RefusedConnectionIsConnectError) {
  auto client = MakeCurlHttpClient({});
  HttpRequest request;
  request.url = "https://127.0.0.1:" + std::to_string(FreePort()) + "/oidc/v1/token";
  request.deadline = std::chrono::steady_clock::now() + 5s;
  try {
    client->Send(request);
    FAIL() << "no error";
  } catch (const TransportError& e) {
    EXPECT_EQ(e.kind(), TransportErrorKind::kConnect) << e.what();
  }
}

TEST(CurlHttpClient, PlainHttpIsRefused) {
  auto client = MakeCurlHttpClient({});
  HttpRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(FreePort()) + "/";
  request.deadline = std::chrono::steady_clock::now() + 5s;
  try {
    client->Send(request);
    FAIL() << "no error";
  } catch (const TransportError& e) {
    EXPECT_EQ(e.kind(), TransportErrorKind::kOther) << e.what();
  }
}

TEST(CurlHttpClient, TlsHandshakeWithNonTlsServerFailsAsTlsOrConnect) {
  // A listener that accepts and immediately closes: the handshake cannot complete.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  listen(fd, 4);
  std::thread server([fd] {
    int c = accept(fd, nullptr, nullptr);
    if (c >= 0) {
      const char junk[] = "HTTP/1.1 200 OK\r\n\r\n";
      (void)!write(c, junk, sizeof(junk) - 1);
      close(c);
    }
  });
  auto client = MakeCurlHttpClient({});
  HttpRequest request;
  request.url = "https://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/";
  request.deadline = std::chrono::steady_clock::now() + 5s;
  try {
    client->Send(request);
    ADD_FAILURE() << "no error";
  } catch (const TransportError& e) {
    EXPECT_TRUE(e.kind() == TransportErrorKind::kTls || e.kind() == TransportErrorKind::kConnect)
        << e.what();
  }
  server.join();
  close(fd);
}

TEST(CurlHttpClient, PassedDeadlineIsTimeout) {
  auto client = MakeCurlHttpClient({});
  HttpRequest request;
  request.url = "https://127.0.0.1:1/";
  request.deadline = std::chrono::steady_clock::now() - 1s;
  try {
    client->Send(request);
    FAIL() << "no error";
  } catch (const TransportError& e) {
    EXPECT_EQ(e.kind(), TransportErrorKind::kTimeout);
  }
}

TEST(CurlHttpClient, StoppedRequestIsCancelled) {
  auto client = MakeCurlHttpClient({});
  std::stop_source stop;
  stop.request_stop();
  HttpRequest request;
  request.url = "https://127.0.0.1:1/";
  request.deadline = std::chrono::steady_clock::now() + 5s;
  request.stop = stop.get_token();
  try {
    client->Send(request);
    FAIL() << "no error";
  } catch (const TransportError& e) {
    EXPECT_EQ(e.kind(), TransportErrorKind::kCancelled);
  }
}

}  // namespace
}  // namespace lakebase::auth

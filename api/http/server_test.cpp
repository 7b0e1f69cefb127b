// HttpServer over real sockets on 127.0.0.1 (port 0), with a tiny blocking
// client on POSIX sockets so the test itself does not include Beast.
#include "api/http/server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "api/http/server_worker_pool.hpp"

namespace jiuzhu::http {
namespace {

using namespace std::chrono_literals;

// A one-shot event: Open() releases every Wait()er.
class Gate {
 public:
  void Open() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }
  // False if not opened within `timeout` (a safety net; tests never rely on it).
  bool Wait(std::chrono::milliseconds timeout = 10s) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A blocking HTTP/1.1 client connection. Every read gives up after 10 s so a
// broken server fails the test instead of hanging it.
class Client {
 public:
  explicit Client(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      connect_errno_ = errno;
      ::close(fd_);
      fd_ = -1;
      return;
    }
    timeval tv{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~Client() {
    if (fd_ >= 0) ::close(fd_);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return fd_ >= 0; }
  int connect_errno() const { return connect_errno_; }

  bool Send(const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
      const ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }

  // The next response, or nullopt if the connection ended first. A response
  // to HEAD has a Content-Length but no body: pass `head` to not wait for it.
  std::optional<RawResponse> Read(bool head_response = false) {
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return std::nullopt;
    }
    RawResponse r;
    const std::string head = buffer_.substr(0, end);
    buffer_.erase(0, end + 4);
    std::size_t line_end = head.find("\r\n");
    const std::string status_line = head.substr(0, line_end);
    r.status = std::stoi(status_line.substr(status_line.find(' ') + 1, 3));
    while (line_end != std::string::npos) {
      const std::size_t start = line_end + 2;
      line_end = head.find("\r\n", start);
      const std::string line =
          head.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
      const std::size_t colon = line.find(':');
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      r.headers[Lower(line.substr(0, colon))] = value;
    }
    const std::size_t length = head_response || r.Header("content-length").empty()
                                   ? 0
                                   : std::stoul(r.Header("content-length"));
    while (buffer_.size() < length) {
      if (!Fill()) return std::nullopt;
    }
    r.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return r;
  }

  std::optional<RawResponse> Request(const std::string& raw) {
    if (!Send(raw)) return std::nullopt;
    return Read();
  }

  // True if the server closed the connection (EOF or reset) before sending
  // anything more.
  bool ClosedByServer() {
    if (!buffer_.empty()) return false;
    char c;
    const ssize_t n = ::recv(fd_, &c, 1, 0);
    return n == 0 || (n < 0 && errno == ECONNRESET);
  }

 private:
  bool Fill() {
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  int connect_errno_ = 0;
  std::string buffer_;
};

std::string Get(const std::string& target, const std::string& extra_headers = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: test\r\n" + extra_headers + "\r\n";
}

std::string Post(const std::string& target, const std::string& body) {
  return "POST " + target +
         " HTTP/1.1\r\nHost: test\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
         body;
}

ServerOptions TestOptions() {
  ServerOptions o;
  o.address = "127.0.0.1";
  o.port = 0;
  o.io_threads = 2;
  o.workers = 2;
  return o;
}

HttpResponse Text(std::string body, int status = 200) {
  HttpResponse r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  return r;
}

bool IsHex16(const std::string& s) {
  return s.size() == 16 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST(HttpServerTest, EchoRoundTripConvertsTheRequest) {
  std::mutex mu;
  HttpRequest seen;
  HttpServer server(TestOptions(), [&](HttpRequest& req) {
    {
      std::lock_guard<std::mutex> lock(mu);
      seen = req;
    }
    HttpResponse r = Text("echo:" + req.body, 201);
    r.headers.emplace_back("X-Echo-Path", "yes");
    return r;
  });
  ASSERT_TRUE(server.Start().ok());
  ASSERT_NE(server.port(), 0);

  Client client(server.port());
  ASSERT_TRUE(client.connected());
  const std::string body = "{\"姓名\":\"张三\"}";
  auto res = client.Request(
      "POST /api/v1/%E6%A1%88%E4%BE%8B/a%20b?state=approve&name=%E5%BC%A0+%E4%B8%89&state=close "
      "HTTP/1.1\r\nHost: test\r\nX-Custom-Thing: Value One\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 201);
  EXPECT_EQ(res->body, "echo:" + body);
  EXPECT_EQ(res->Header("content-length"), std::to_string(res->body.size()));
  EXPECT_EQ(res->Header("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(res->Header("server"), "jiuzhu");
  EXPECT_EQ(res->Header("x-echo-path"), "yes");

  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.target,
            "/api/v1/%E6%A1%88%E4%BE%8B/a%20b?state=approve&name=%E5%BC%A0+%E4%B8%89&state=close");
  EXPECT_EQ(seen.path, "/api/v1/案例/a b");
  const std::multimap<std::string, std::string> query{
      {"state", "approve"}, {"name", "张 三"}, {"state", "close"}};
  EXPECT_EQ(seen.query, query);
  EXPECT_EQ(seen.Header("x-custom-thing"), "Value One");
  EXPECT_EQ(seen.Header("content-type"), "application/json");
  EXPECT_EQ(seen.Header("host"), "test");
  EXPECT_EQ(seen.body, body);
  EXPECT_EQ(seen.remote_address, "127.0.0.1");
  EXPECT_TRUE(IsHex16(seen.request_id)) << seen.request_id;
  EXPECT_EQ(res->Header("x-request-id"), seen.request_id);
}

TEST(HttpServerTest, SafeIncomingRequestIdIsKeptUnsafeOneReplaced) {
  HttpServer server(TestOptions(), [](HttpRequest& req) { return Text(req.request_id); });
  ASSERT_TRUE(server.Start().ok());
  Client client(server.port());

  auto kept = client.Request(Get("/", "X-Request-Id: abc-123_X.y\r\n"));
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->body, "abc-123_X.y");
  EXPECT_EQ(kept->Header("x-request-id"), "abc-123_X.y");

  auto replaced = client.Request(Get("/", "X-Request-Id: <script>\r\n"));
  ASSERT_TRUE(replaced);
  EXPECT_TRUE(IsHex16(replaced->body)) << replaced->body;
  EXPECT_EQ(replaced->Header("x-request-id"), replaced->body);

  auto too_long = client.Request(Get("/", "X-Request-Id: " + std::string(65, 'a') + "\r\n"));
  ASSERT_TRUE(too_long);
  EXPECT_TRUE(IsHex16(too_long->body)) << too_long->body;
}

TEST(HttpServerTest, HandlerHeadersCannotSplitOrReframeTheResponse) {
  HttpServer server(TestOptions(), [](HttpRequest&) {
    HttpResponse r = Text("body");
    r.headers.emplace_back("Location", "/x\r\nSet-Cookie: evil=1");
    r.headers.emplace_back("Bad Name", "v");
    r.headers.emplace_back("Content-Length", "999");
    r.headers.emplace_back("X-Request-Id", "forged");
    r.headers.emplace_back("Set-Cookie", "a=1");
    r.headers.emplace_back("Set-Cookie", "b=2");
    return r;
  });
  ASSERT_TRUE(server.Start().ok());
  Client client(server.port());
  ASSERT_TRUE(client.Send(Get("/")));
  auto res = client.Read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "body");
  EXPECT_EQ(res->Header("content-length"), "4");
  EXPECT_EQ(res->Header("location"), "");
  EXPECT_EQ(res->Header("bad name"), "");
  EXPECT_NE(res->Header("x-request-id"), "forged");
  EXPECT_EQ(res->Header("set-cookie"), "b=2");  // both sent; the test client keeps the last
  auto next = client.Request(Get("/"));         // framing intact
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, "body");
}

TEST(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  std::atomic<int> calls{0};
  HttpServer server(TestOptions(), [&](HttpRequest& req) {
    ++calls;
    return Text(req.path);
  });
  ASSERT_TRUE(server.Start().ok());
  Client client(server.port());
  for (int i = 0; i < 3; ++i) {
    auto res = client.Request(Get("/r" + std::to_string(i)));
    ASSERT_TRUE(res) << i;
    EXPECT_EQ(res->body, "/r" + std::to_string(i));
    EXPECT_NE(Lower(res->Header("connection")), "close");
  }
  // Pipelined: both requests in one write, answered in order.
  ASSERT_TRUE(client.Send(Get("/p1") + Post("/p2", "xyz")));
  auto first = client.Read();
  auto second = client.Read();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->body, "/p1");
  EXPECT_EQ(second->body, "/p2");
  EXPECT_EQ(calls.load(), 5);

  // Connection: close is honoured.
  auto last = client.Request(Get("/bye", "Connection: close\r\n"));
  ASSERT_TRUE(last);
  EXPECT_EQ(Lower(last->Header("connection")), "close");
  EXPECT_TRUE(client.ClosedByServer());
}

TEST(HttpServerTest, HeadGetsLengthButNoBody) {
  HttpServer server(TestOptions(), [](HttpRequest&) { return Text("twelve bytes"); });
  ASSERT_TRUE(server.Start().ok());
  Client client(server.port());
  ASSERT_TRUE(client.Send("HEAD / HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto head = client.Read(/*head=*/true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->Header("content-length"), "12");  // what GET would send
  // Had a body been sent, it would be read as the next response's start.
  auto get = client.Request(Get("/"));
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 200);
  EXPECT_EQ(get->body, "twelve bytes");
}

TEST(HttpServerTest, BodyOverTheLimitIs413AndTheHandlerIsNotCalled) {
  ServerOptions o = TestOptions();
  o.max_body_bytes = 16;
  std::atomic<int> calls{0};
  HttpServer server(o, [&](HttpRequest&) {
    ++calls;
    return Text("no");
  });
  ASSERT_TRUE(server.Start().ok());

  Client ok_client(server.port());
  auto ok = ok_client.Request(Post("/upload", std::string(16, 'x')));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);

  Client client(server.port());
  auto res = client.Request(Post("/upload", std::string(100, 'x')));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_EQ(res->Header("content-type"), "application/problem+json");
  EXPECT_NE(res->body.find("\"type\":\"https://jiuzhu.example/problems/payload-too-large\""),
            std::string::npos)
      << res->body;
  EXPECT_NE(res->body.find("\"title\":\"请求内容过大\""), std::string::npos) << res->body;
  EXPECT_NE(res->body.find("\"status\":413"), std::string::npos) << res->body;
  EXPECT_NE(res->body.find("\"detail\":"), std::string::npos) << res->body;
  EXPECT_EQ(Lower(res->Header("connection")), "close");
  EXPECT_FALSE(res->Header("x-request-id").empty());
  EXPECT_TRUE(client.ClosedByServer());
  EXPECT_EQ(calls.load(), 1);  // only the request within the limit
}

TEST(HttpServerTest, LargeBodyOverTheLimitStillGetsItsAnswer) {
  // The client is still sending when the server answers: the lingering close
  // must keep the 413 from being destroyed by a reset.
  ServerOptions o = TestOptions();
  o.max_body_bytes = 1024;
  HttpServer server(o, [](HttpRequest&) { return Text("no"); });
  ASSERT_TRUE(server.Start().ok());
  Client client(server.port());
  const std::string big(256 * 1024, 'x');
  std::thread sender([&] { client.Send(Post("/upload", big)); });
  auto res = client.Read();
  sender.join();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
}

TEST(HttpServerTest, OversizedHeaderIs431) {
  ServerOptions o = TestOptions();
  o.max_header_bytes = 1024;
  std::atomic<int> calls{0};
  HttpServer server(o, [&](HttpRequest&) {
    ++calls;
    return Text("no");
  });
  ASSERT_TRUE(server.Start().ok());
  Client client(server.port());
  auto res = client.Request(Get("/", "X-Big: " + std::string(4096, 'h') + "\r\n"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 431);
  EXPECT_EQ(res->Header("content-type"), "application/problem+json");
  EXPECT_NE(res->body.find("\"status\":431"), std::string::npos) << res->body;
  EXPECT_TRUE(client.ClosedByServer());
  EXPECT_EQ(calls.load(), 0);
}

TEST(HttpServerTest, GarbageIs400AndClosed) {
  std::atomic<int> calls{0};
  HttpServer server(TestOptions(), [&](HttpRequest&) {
    ++calls;
    return Text("no");
  });
  ASSERT_TRUE(server.Start().ok());
  for (const std::string& garbage :
       {std::string("THIS IS NOT HTTP\r\n\r\n"), std::string("\x01\x02\x03 \xff\r\n\r\n"),
        std::string("GET / HTTP/1.1\r\nContent-Length: nope\r\n\r\n")}) {
    Client client(server.port());
    auto res = client.Request(garbage);
    ASSERT_TRUE(res) << garbage;
    EXPECT_EQ(res->status, 400) << garbage;
    EXPECT_EQ(res->Header("content-type"), "application/problem+json");
    EXPECT_NE(res->body.find("https://jiuzhu.example/problems/bad-request"), std::string::npos);
    EXPECT_TRUE(client.ClosedByServer()) << garbage;
  }
  EXPECT_EQ(calls.load(), 0);
}

TEST(HttpServerTest, FullWorkerQueueIs503WithRetryAfter) {
  ServerOptions o = TestOptions();
  o.workers = 1;
  o.max_queue = 1;
  Gate entered, release;
  std::atomic<int> calls{0};
  HttpServer server(o, [&](HttpRequest& req) {
    ++calls;
    if (req.path == "/block") {
      entered.Open();
      release.Wait();
    }
    return Text(req.path);
  });
  ASSERT_TRUE(server.Start().ok());

  Client blocker(server.port());
  ASSERT_TRUE(blocker.Send(Get("/block")));
  ASSERT_TRUE(entered.Wait());  // the only worker is busy

  // Of two more requests one waits in the queue and one is refused; which
  // one depends on arrival order, so both are sent and sorted afterwards.
  std::mutex mu;
  std::condition_variable cv;
  std::vector<RawResponse> answers;
  auto ask = [&](const std::string& path) {
    Client c(server.port());
    auto res = c.Request(Get(path));
    std::lock_guard<std::mutex> lock(mu);
    answers.push_back(res ? *res : RawResponse{});
    cv.notify_all();
  };
  std::thread a(ask, "/a");
  std::thread b(ask, "/b");
  {
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, 10s, [&] { return !answers.empty(); }));
    const RawResponse& refused = answers.front();
    EXPECT_EQ(refused.status, 503);
    EXPECT_EQ(refused.Header("retry-after"), "1");
    EXPECT_EQ(refused.Header("content-type"), "application/problem+json");
    EXPECT_NE(refused.body.find("\"status\":503"), std::string::npos) << refused.body;
  }
  release.Open();
  a.join();
  b.join();
  auto blocked = blocker.Read();
  ASSERT_TRUE(blocked);
  EXPECT_EQ(blocked->body, "/block");
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_EQ(answers[1].status, 200);
  EXPECT_EQ(calls.load(), 2);  // the refused request never reached the handler
}

TEST(HttpServerTest, ThrowingHandlerIs500Problem) {
  HttpServer server(TestOptions(), [](HttpRequest& req) -> HttpResponse {
    if (req.path == "/int") throw 42;
    if (req.path == "/bad-status") return Text("", 1000);
    throw std::runtime_error("secret internal detail");
  });
  ASSERT_TRUE(server.Start().ok());
  Client client(server.port());
  for (const char* path : {"/std", "/int", "/bad-status"}) {
    auto res = client.Request(Get(path));  // the connection survives each one
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 500) << path;
    EXPECT_EQ(res->Header("content-type"), "application/problem+json");
    EXPECT_NE(res->body.find("https://jiuzhu.example/problems/internal"), std::string::npos);
    EXPECT_NE(res->body.find(res->Header("x-request-id")), std::string::npos) << res->body;
    EXPECT_EQ(res->body.find("secret"), std::string::npos) << res->body;
  }
}

TEST(HttpServerTest, IdleKeepAliveConnectionIsClosedAfterTheIdleTimeout) {
  ServerOptions o = TestOptions();
  o.idle_timeout = 200ms;  // a timer is what is tested: a short real wait
  HttpServer server(o, [](HttpRequest&) { return Text("ok"); });
  ASSERT_TRUE(server.Start().ok());
  Client client(server.port());
  ASSERT_TRUE(client.Request(Get("/")));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.ClosedByServer());
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, 150ms);
  EXPECT_LT(waited, 5s);  // well before the 15 s read timeout or the client's 10 s
}

TEST(HttpServerTest, StopAnswersInFlightRequestsAndRefusesNewConnections) {
  Gate entered, release;
  HttpServer server(TestOptions(), [&](HttpRequest& req) {
    if (req.path == "/slow") {
      entered.Open();
      release.Wait();
    }
    return Text(req.path);
  });
  ASSERT_TRUE(server.Start().ok());
  const std::uint16_t port = server.port();

  Client idle(port);
  ASSERT_TRUE(idle.Request(Get("/fast")));  // now an idle keep-alive connection
  Client busy(port);
  ASSERT_TRUE(busy.Send(Get("/slow")));
  ASSERT_TRUE(entered.Wait());

  std::thread stopper([&] { server.Stop(); });
  // Stop() closes idle connections only after the acceptor is closed, so
  // once the idle one is gone, connecting must be refused.
  EXPECT_TRUE(idle.ClosedByServer());
  Client late(port);
  EXPECT_FALSE(late.connected());
  EXPECT_EQ(late.connect_errno(), ECONNREFUSED);

  release.Open();
  auto res = busy.Read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "/slow");
  EXPECT_EQ(Lower(res->Header("connection")), "close");
  EXPECT_TRUE(busy.ClosedByServer());
  stopper.join();
  server.Wait();  // returns at once: stopped
  server.Stop();  // idempotent
}

TEST(HttpServerTest, StartOnABusyPortIsUnavailable) {
  HttpServer first(TestOptions(), [](HttpRequest&) { return Text("1"); });
  ASSERT_TRUE(first.Start().ok());
  ServerOptions o = TestOptions();
  o.port = first.port();
  HttpServer second(o, [](HttpRequest&) { return Text("2"); });
  const Status s = second.Start();
  EXPECT_EQ(s.code(), ErrorCode::kUnavailable);
  EXPECT_NE(s.message().find("127.0.0.1:" + std::to_string(first.port())), std::string::npos)
      << s.message();
  second.Wait();  // never started: returns at once
}

TEST(HttpServerTest, InvalidOptionsAreRejected) {
  ServerOptions o = TestOptions();
  o.address = "not-an-address";
  HttpServer bad_address(o, [](HttpRequest&) { return Text(""); });
  EXPECT_EQ(bad_address.Start().code(), ErrorCode::kInvalidArgument);
  o = TestOptions();
  o.workers = 0;
  HttpServer no_workers(o, [](HttpRequest&) { return Text(""); });
  const Status s = no_workers.Start();
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.field(), "workers");
}

TEST(HttpServerTest, ObserverSeesStatusAndLatencyAfterTheWrite) {
  struct Seen {
    std::string path;
    int status;
    std::chrono::microseconds latency;
    std::string request_id;
    std::string body;
  };
  std::mutex mu;
  std::condition_variable cv;
  std::vector<Seen> seen;
  ServerOptions o = TestOptions();
  o.max_body_bytes = 4;
  HttpServer server(
      o, [](HttpRequest& req) { return Text("made", req.path == "/created" ? 201 : 200); },
      [&](const HttpRequest& req, const HttpResponse& res, std::chrono::microseconds latency) {
        std::lock_guard<std::mutex> lock(mu);
        seen.push_back({req.path, res.status, latency, req.request_id, res.body});
        cv.notify_all();
      });
  ASSERT_TRUE(server.Start().ok());
  Client client(server.port());
  // The observer runs after the write, so possibly after the client has
  // read the response: wait for each call before the next request.
  auto observed = [&](std::size_t n) {
    std::unique_lock<std::mutex> lock(mu);
    return cv.wait_for(lock, 10s, [&] { return seen.size() == n; });
  };
  auto created = client.Request(Post("/created", "ab"));
  ASSERT_TRUE(created);
  ASSERT_TRUE(observed(1));
  Client other(server.port());
  auto too_big = other.Request(Post("/big", "abcdefgh"));
  ASSERT_TRUE(too_big);
  ASSERT_TRUE(observed(2));

  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(seen[0].path, "/created");
  EXPECT_EQ(seen[0].status, 201);
  EXPECT_GE(seen[0].latency.count(), 0);
  EXPECT_LT(seen[0].latency, 10s);
  EXPECT_EQ(seen[0].request_id, created->Header("x-request-id"));
  EXPECT_EQ(seen[0].body, "made");
  EXPECT_EQ(seen[1].path, "/big");  // rejected requests are logged too
  EXPECT_EQ(seen[1].status, 413);
  EXPECT_NE(seen[1].body.find("payload-too-large"), std::string::npos);
}

TEST(HttpServerTest, SigtermStopsAServerThatHandlesSignals) {
  ServerOptions o = TestOptions();
  o.handle_signals = true;
  HttpServer server(o, [](HttpRequest&) { return Text("ok"); });
  ASSERT_TRUE(server.Start().ok());
  Client client(server.port());
  ASSERT_TRUE(client.Request(Get("/")));
  ASSERT_EQ(::kill(::getpid(), SIGTERM), 0);
  server.Wait();
  EXPECT_TRUE(client.ClosedByServer());
  Client late(server.port());
  EXPECT_FALSE(late.connected());
}

TEST(HttpServerTest, DestructorStopsARunningServer) {
  std::uint16_t port;
  {
    HttpServer server(TestOptions(), [](HttpRequest&) { return Text("ok"); });
    ASSERT_TRUE(server.Start().ok());
    port = server.port();
    Client client(port);
    ASSERT_TRUE(client.Request(Get("/")));
  }
  Client late(port);
  EXPECT_FALSE(late.connected());
}

TEST(ServerWorkerPoolTest, BoundsRunningPlusWaitingAndDrainsOnStop) {
  ServerWorkerPool pool(/*workers=*/1, /*max_queue=*/2);
  Gate entered, release;
  std::atomic<int> ran{0};
  ASSERT_TRUE(pool.TryPost([&] {
    entered.Open();
    release.Wait();
    ++ran;
  }));
  ASSERT_TRUE(entered.Wait());
  EXPECT_TRUE(pool.TryPost([&] { ++ran; }));
  EXPECT_TRUE(pool.TryPost([&] { ++ran; }));
  EXPECT_FALSE(pool.TryPost([&] { ++ran; }));  // 1 running + 2 waiting
  release.Open();
  pool.Stop();  // runs what was accepted
  EXPECT_EQ(ran.load(), 3);
  EXPECT_FALSE(pool.TryPost([&] { ++ran; }));
}

}  // namespace
}  // namespace jiuzhu::http

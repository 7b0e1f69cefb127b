// The only translation unit that includes Beast (SETUP-NOTES.md: ~15 s each).
// Structure after Beast's advanced server example: a listener accepting on a
// strand, one session per connection on its own strand, and the shared state
// both refer to. Unlike the example, handlers never run on I/O threads: a
// complete request goes to ServerWorkerPool and the response is posted back
// to the session's strand.
#include "api/http/server.hpp"

#include <utility>  // before Asio (SETUP-NOTES.md)

#include <algorithm>
#include <atomic>
#include <cassert>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <future>
#include <limits>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include "api/http/server_worker_pool.hpp"

namespace jiuzhu::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

// How long Stop() waits for in-flight requests to be answered.
constexpr std::chrono::seconds kStopGrace{10};
// After an error response that closes the connection, unread request bytes
// are read and dropped for a while: closing with unread data makes the kernel
// send RST, which can destroy the response before the client has read it.
constexpr std::chrono::seconds kLingerTimeout{1};
constexpr std::size_t kLingerMaxBytes = 1024 * 1024;
constexpr std::size_t kReadChunk = 4096;
constexpr std::size_t kMaxRequestIdLength = 64;
constexpr std::chrono::milliseconds kAcceptRetryDelay{50};
constexpr char kProblemTypeBase[] = "https://jiuzhu.example/problems/";

std::string ToString(beast::string_view s) { return std::string(s.data(), s.size()); }

std::string LowerCase(beast::string_view s) {
  std::string out(s.data(), s.size());
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) {
             return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
           };
           return lower(x) == lower(y);
         });
}

std::string JsonEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  return out;
}

// Header names and values from handlers are checked, not trusted: a CR or
// LF taken from user input would otherwise split the response.
bool IsToken(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

bool IsSafeFieldValue(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// An RFC 9457 problem response.
HttpResponse Problem(int status, std::string_view type, std::string_view title,
                     std::string_view detail) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = "{\"type\":\"" + std::string(kProblemTypeBase) + std::string(type) + "\",\"title\":\"" +
           JsonEscape(title) + "\",\"status\":" + std::to_string(status) + ",\"detail\":\"" +
           JsonEscape(detail) + "\"}";
  return r;
}

// A client-supplied id is echoed only if it cannot inject anything into
// headers or logs.
bool IsSafeRequestId(std::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdLength) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
           c == '_' || c == '.' || c == ':';
  });
}

std::string NewRequestId() {
  thread_local std::mt19937_64 rng{[] {
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd() ^
           static_cast<std::uint64_t>(Clock::now().time_since_epoch().count());
  }()};
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

// Everything but the body; used for complete and for rejected requests.
HttpRequest FromBeastHeader(const bhttp::request_header<>& h, const std::string& remote) {
  HttpRequest r;
  r.method = ToString(h.method_string());
  r.target = ToString(h.target());
  const std::size_t q = r.target.find('?');
  r.path = PercentDecode(r.target.substr(0, q), /*plus_is_space=*/false);
  if (q != std::string::npos) r.query = ParseQuery(r.target.substr(q + 1));
  for (const auto& field : h) {
    std::string name = LowerCase(field.name_string());
    std::string value = ToString(field.value());
    auto [it, inserted] = r.headers.emplace(std::move(name), value);
    if (!inserted) it->second += ", " + value;  // repeated header: RFC 9110 list
  }
  r.remote_address = remote;
  const std::string id = r.Header("x-request-id");
  r.request_id = IsSafeRequestId(id) ? id : NewRequestId();
  return r;
}

bool IsParseError(const beast::error_code& ec) {
  static const auto& http_category = bhttp::make_error_code(bhttp::error::bad_version).category();
  return ec.category() == http_category && ec != bhttp::error::end_of_stream &&
         ec != bhttp::error::partial_message && ec != bhttp::error::need_more &&
         ec != bhttp::error::need_buffer;
}

class Session;

// What the listener, the sessions and the controlling thread share.
struct ServerState {
  ServerState(ServerOptions o, RequestHandler h, ResponseObserver obs)
      : options(std::move(o)), handler(std::move(h)), observer(std::move(obs)) {}

  const ServerOptions options;
  const RequestHandler handler;
  const ResponseObserver observer;
  std::unique_ptr<ServerWorkerPool> pool;  // set by Start before any session exists
  std::atomic<bool> stopping{false};

  std::mutex mu;
  std::condition_variable cv;  // in_flight dropped
  std::size_t in_flight = 0;   // requests read and not yet answered
  std::unordered_map<const Session*, std::weak_ptr<Session>> sessions;
};

// One connection. Every member is touched only on the session's strand,
// except request_ which the worker uses while the session waits for it
// (the pool's mutex and the post back to the strand order those accesses).
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<ServerState> state)
      : executor_(socket.get_executor()), stream_(std::move(socket)), state_(std::move(state)) {
    beast::error_code ec;
    const tcp::endpoint remote = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = remote.address().to_string();
    // Responses are written whole; Nagle would only hold back the second of
    // two pipelined responses until the client's delayed ACK (~40 ms).
    stream_.socket().set_option(tcp::no_delay(true), ec);
  }

  ~Session() {
    EndInFlight();
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->sessions.erase(this);
  }

  void Start() {
    net::dispatch(executor_, [self = shared_from_this()] {
      {
        std::lock_guard<std::mutex> lock(self->state_->mu);
        self->state_->sessions.emplace(self.get(), self);
      }
      // Registered first, then checked: Stop() either sees this session or
      // this session sees `stopping`.
      self->DoRead();
    });
  }

  const net::any_io_executor& executor() const { return executor_; }

  // Stop(): a connection that is not working on a request is closed.
  void CloseIfIdle() {
    if (reading_ || lingering_) Close();
  }

 private:
  void DoRead() {
    if (state_->stopping) return Close();
    reading_ = true;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(
        state_->options.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
    parser_->body_limit(static_cast<std::uint64_t>(state_->options.max_body_bytes));
    if (buffer_.size() > 0) return ReadRequest();  // pipelined bytes already here
    // Waiting for the first byte: the idle timeout between keep-alive
    // requests; a new connection is expected to send at once.
    stream_.expires_after(first_request_ ? state_->options.read_timeout
                                         : state_->options.idle_timeout);
    stream_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              if (self->closed_) return;
                              if (ec) return self->Close();
                              self->buffer_.commit(n);
                              self->ReadRequest();
                            });
  }

  void ReadRequest() {
    stream_.expires_after(state_->options.read_timeout);
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnRequest(ec); });
  }

  void OnRequest(beast::error_code ec) {
    if (closed_) return;
    reading_ = false;
    first_request_ = false;
    if (ec == bhttp::error::body_limit) {
      return RespondAndClose(
          Problem(413, "payload-too-large", "请求内容过大",
                  "请求体超过上限 " + std::to_string(state_->options.max_body_bytes) + " 字节"));
    }
    if (ec == bhttp::error::header_limit) {
      return RespondAndClose(
          Problem(431, "header-too-large", "请求头过大",
                  "请求头超过上限 " + std::to_string(state_->options.max_header_bytes) + " 字节"));
    }
    if (IsParseError(ec)) {
      return RespondAndClose(
          Problem(400, "bad-request", "请求格式错误", "无法解析 HTTP 请求：" + ec.message()));
    }
    if (ec) return Close();  // peer gone, timeout, or closed by Stop()

    bhttp::request<bhttp::string_body> message = parser_->release();
    parser_.reset();
    request_ = FromBeastHeader(message.base(), remote_);
    request_.body = std::move(message.body());
    received_at_ = Clock::now();
    version_ = message.version();
    keep_alive_ = message.keep_alive();
    is_head_ = message.method() == bhttp::verb::head;
    BeginInFlight();

    const bool posted = state_->pool->TryPost([self = shared_from_this()] { self->RunHandler(); });
    if (!posted) {
      HttpResponse busy = Problem(503, "overloaded", "服务繁忙", "请求排队已满，请稍后重试");
      busy.headers.emplace_back("Retry-After", "1");
      Write(std::move(busy), /*close=*/false);
    }
  }

  // On a worker thread.
  void RunHandler() {
    HttpResponse response;
    try {
      response = state_->handler(request_);
      if (response.status < 100 || response.status > 599) {
        throw std::out_of_range("handler returned HTTP status " + std::to_string(response.status));
      }
    } catch (...) {
      // The exception text may reveal internals: the client gets the id only.
      response = Problem(500, "internal", "服务器内部错误",
                         "处理请求时发生意外错误，请求编号 " + request_.request_id);
    }
    net::post(executor_, [self = shared_from_this(), r = std::move(response)]() mutable {
      self->Write(std::move(r), /*close=*/false);
    });
  }

  // For requests rejected while reading: whatever header was parsed is
  // reported to the observer; the connection is closed after the answer.
  void RespondAndClose(HttpResponse response) {
    request_ = FromBeastHeader(parser_->get().base(), remote_);
    parser_.reset();
    received_at_ = Clock::now();
    version_ = 11;
    keep_alive_ = false;
    is_head_ = false;
    linger_ = true;
    BeginInFlight();
    Write(std::move(response), /*close=*/true);
  }

  void Write(HttpResponse response, bool close) {
    if (closed_) return EndInFlight();
    response_ = std::move(response);
    bool keep_alive = keep_alive_ && !close && !state_->stopping;

    res_ = {};
    res_.version(version_);
    res_.result(static_cast<unsigned>(response_.status));
    res_.set(bhttp::field::server, "jiuzhu");
    if (!response_.content_type.empty() && IsSafeFieldValue(response_.content_type)) {
      res_.set(bhttp::field::content_type, response_.content_type);
    }
    for (const auto& [name, value] : response_.headers) {
      if (!IsToken(name) || !IsSafeFieldValue(value)) continue;
      if (EqualsIgnoreCase(name, "connection")) {
        if (EqualsIgnoreCase(value, "close")) keep_alive = false;
        continue;
      }
      // Framing and identity belong to the server.
      if (EqualsIgnoreCase(name, "content-length") || EqualsIgnoreCase(name, "transfer-encoding") ||
          EqualsIgnoreCase(name, "server") || EqualsIgnoreCase(name, "x-request-id")) {
        continue;
      }
      res_.insert(name, value);
    }
    res_.set("X-Request-Id", request_.request_id);
    body_in_res_ = false;
    const int status = response_.status;
    const bool bodiless = status < 200 || status == 204 || status == 304;  // RFC 9110 6.4.1
    if (!bodiless) {
      res_.content_length(response_.body.size());
      // HEAD: the length of what GET would send, and no body.
      if (!is_head_) {
        res_.body() = std::move(response_.body);
        body_in_res_ = true;
      }
    }
    res_.keep_alive(keep_alive);

    stream_.expires_after(state_->options.read_timeout);
    bhttp::async_write(
        stream_, res_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnWrite(ec); });
  }

  void OnWrite(beast::error_code ec) {
    if (body_in_res_) response_.body = std::move(res_.body());  // for the observer
    if (ec) {
      EndInFlight();
      return Close();
    }
    if (state_->observer) {
      const auto latency =
          std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - received_at_);
      try {
        state_->observer(request_, response_, latency);
      } catch (...) {
        // An access log failing must not take the connection down.
      }
    }
    EndInFlight();  // after the observer: Stop() returning means it has run
    if (linger_) return LingerAndClose();
    if (!res_.keep_alive() || state_->stopping) return Close();
    DoRead();
  }

  void LingerAndClose() {
    lingering_ = true;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kLingerTimeout);
    buffer_.consume(buffer_.size());
    Drain();
  }

  void Drain() {
    stream_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              if (self->closed_) return;
                              self->drained_ += n;
                              if (ec || self->drained_ > kLingerMaxBytes) return self->Close();
                              self->Drain();
                            });
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    reading_ = false;
    lingering_ = false;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();  // also cancels pending operations
  }

  void BeginInFlight() {
    if (in_flight_) return;
    in_flight_ = true;
    std::lock_guard<std::mutex> lock(state_->mu);
    ++state_->in_flight;
  }

  void EndInFlight() {
    if (!in_flight_) return;
    in_flight_ = false;
    {
      std::lock_guard<std::mutex> lock(state_->mu);
      --state_->in_flight;
    }
    state_->cv.notify_all();
  }

  const net::any_io_executor executor_;  // the connection's strand
  beast::tcp_stream stream_;
  const std::shared_ptr<ServerState> state_;
  std::string remote_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::string_body> res_;
  HttpRequest request_;    // being answered; read by the observer after the write
  HttpResponse response_;  // being written
  Clock::time_point received_at_;
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool is_head_ = false;
  bool body_in_res_ = false;
  bool first_request_ = true;
  bool reading_ = false;  // waiting for or reading a request: Stop() may close
  bool linger_ = false;   // close (after draining) once the response is written
  bool lingering_ = false;
  bool in_flight_ = false;
  bool closed_ = false;
  std::size_t drained_ = 0;
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& ioc, std::shared_ptr<ServerState> state)
      : ioc_(ioc),
        acceptor_(net::make_strand(ioc)),
        retry_timer_(acceptor_.get_executor()),
        state_(std::move(state)) {}

  Status Open(const tcp::endpoint& endpoint) {
    const std::string where =
        endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
    beast::error_code ec;
    auto fail = [&](const char* step) {
      beast::error_code ignored;
      acceptor_.close(ignored);
      return Unavailable("cannot listen on " + where + " (" + step + "): " + ec.message());
    };
    acceptor_.open(endpoint.protocol(), ec);
    if (ec) return fail("open");
    acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (ec) return fail("setsockopt");
    acceptor_.bind(endpoint, ec);
    if (ec) return fail("bind");
    acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) return fail("listen");
    port_ = acceptor_.local_endpoint(ec).port();
    if (ec) return fail("getsockname");
    return Status::Ok();
  }

  std::uint16_t port() const { return port_; }
  net::any_io_executor executor() { return acceptor_.get_executor(); }

  void Accept() {
    acceptor_.async_accept(net::make_strand(ioc_),
                           [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
                             self->OnAccept(ec, std::move(socket));
                           });
  }

  // On the listener's strand.
  void Close() {
    beast::error_code ignored;
    acceptor_.close(ignored);
    retry_timer_.cancel();
  }

 private:
  void OnAccept(beast::error_code ec, tcp::socket socket) {
    if (!acceptor_.is_open() || ec == net::error::operation_aborted) return;
    if (ec) {
      // E.g. out of file descriptors: retrying at once would spin.
      retry_timer_.expires_after(kAcceptRetryDelay);
      retry_timer_.async_wait([self = shared_from_this()](beast::error_code timer_ec) {
        if (!timer_ec && self->acceptor_.is_open()) self->Accept();
      });
      return;
    }
    std::make_shared<Session>(std::move(socket), state_)->Start();
    Accept();
  }

  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_timer_;
  const std::shared_ptr<ServerState> state_;
  std::uint16_t port_ = 0;
};

}  // namespace

class HttpServer::Impl {
 public:
  Impl(ServerOptions options, RequestHandler handler, ResponseObserver observer)
      : state_(std::make_shared<ServerState>(std::move(options), std::move(handler),
                                             std::move(observer))),
        ioc_(std::max(1, state_->options.io_threads)) {}

  ~Impl() {
    Stop();
    std::thread stopper;
    {
      std::lock_guard<std::mutex> lock(phase_mu_);
      stopper = std::move(signal_stopper_);
    }
    if (stopper.joinable()) stopper.join();
  }

  Status Start() {
    std::lock_guard<std::mutex> stop_lock(stop_mu_);
    {
      std::lock_guard<std::mutex> lock(phase_mu_);
      if (phase_ != Phase::kIdle) return FailedPrecondition("HTTP server already started");
    }
    const ServerOptions& o = state_->options;
    if (o.io_threads < 1) return InvalidArgument("io_threads must be at least 1", "io_threads");
    if (o.workers < 1) return InvalidArgument("workers must be at least 1", "workers");
    if (o.max_queue < 0) return InvalidArgument("max_queue must not be negative", "max_queue");
    beast::error_code ec;
    const net::ip::address address = net::ip::make_address(o.address, ec);
    if (ec) return InvalidArgument("invalid listen address: " + o.address, "address");

    auto listener = std::make_shared<Listener>(ioc_, state_);
    JZ_RETURN_IF_ERROR(listener->Open(tcp::endpoint(address, o.port)));
    listener_ = std::move(listener);
    port_ = listener_->port();
    state_->pool = std::make_unique<ServerWorkerPool>(o.workers, o.max_queue);

    if (o.handle_signals) {
      signals_ = std::make_unique<net::signal_set>(ioc_);
      signals_->add(SIGINT, ec);
      signals_->add(SIGTERM, ec);
      signals_->async_wait([this](beast::error_code signal_ec, int) {
        if (!signal_ec) OnSignal();
      });
    }
    listener_->Accept();
    work_.emplace(ioc_.get_executor());
    {
      std::lock_guard<std::mutex> lock(phase_mu_);
      phase_ = Phase::kRunning;
    }
    for (int i = 0; i < o.io_threads; ++i) io_threads_.emplace_back([this] { RunIo(); });
    return Status::Ok();
  }

  std::uint16_t port() const { return port_; }

  void Stop() {
    std::lock_guard<std::mutex> stop_lock(stop_mu_);
    {
      std::lock_guard<std::mutex> lock(phase_mu_);
      if (phase_ != Phase::kRunning) return;  // never started, or already stopped
      phase_ = Phase::kStopping;
    }
    for (const std::thread& t : io_threads_) {
      assert(t.get_id() != std::this_thread::get_id() && "Stop() called on an I/O thread");
      (void)t;
    }
    const Clock::time_point deadline = Clock::now() + kStopGrace;
    state_->stopping = true;

    // 1. No new connections: once this returns, connecting is refused.
    std::promise<void> acceptor_closed;
    net::post(listener_->executor(), [&] {
      listener_->Close();
      acceptor_closed.set_value();
    });
    acceptor_closed.get_future().wait();

    // 2. Close every connection that is not working on a request; sessions
    // busy with one close after writing its response.
    std::vector<std::shared_ptr<Session>> sessions;
    {
      std::lock_guard<std::mutex> lock(state_->mu);
      for (const auto& entry : state_->sessions) {
        if (auto s = entry.second.lock()) sessions.push_back(std::move(s));
      }
    }
    auto closing = std::make_shared<std::atomic<std::size_t>>(sessions.size());
    for (auto& s : sessions) {
      net::post(s->executor(), [s, closing, state = state_] {
        s->CloseIfIdle();
        if (closing->fetch_sub(1) == 1) {
          std::lock_guard<std::mutex> lock(state->mu);
          state->cv.notify_all();
        }
      });
    }
    sessions.clear();

    // 3. Let in-flight requests be answered (bounded).
    {
      std::unique_lock<std::mutex> lock(state_->mu);
      state_->cv.wait_until(lock, deadline,
                            [&] { return closing->load() == 0 && state_->in_flight == 0; });
    }

    // 4. Nothing is queued any more unless the deadline passed; a handler
    // still running is waited for (threads cannot be abandoned safely).
    state_->pool->Stop();

    // 5. Unfinished I/O is dropped; sessions die with the io_context.
    work_.reset();
    ioc_.stop();
    for (std::thread& t : io_threads_) t.join();
    io_threads_.clear();
    signals_.reset();

    std::lock_guard<std::mutex> lock(phase_mu_);
    phase_ = Phase::kStopped;
    phase_cv_.notify_all();
  }

  void Wait() {
    std::unique_lock<std::mutex> lock(phase_mu_);
    phase_cv_.wait(lock, [&] { return phase_ == Phase::kIdle || phase_ == Phase::kStopped; });
  }

 private:
  enum class Phase { kIdle, kRunning, kStopping, kStopped };

  void RunIo() {
    for (;;) {
      try {
        ioc_.run();
        return;
      } catch (...) {
        // Handlers do not throw by design; keep the thread serving anyway.
      }
    }
  }

  // On an I/O thread, which cannot join itself: Stop() runs on its own thread.
  void OnSignal() {
    std::lock_guard<std::mutex> lock(phase_mu_);
    if (phase_ == Phase::kRunning && !signal_stopper_.joinable()) {
      signal_stopper_ = std::thread([this] { Stop(); });
    }
  }

  const std::shared_ptr<ServerState> state_;
  net::io_context ioc_;  // declared before every I/O object that uses it
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  std::shared_ptr<Listener> listener_;
  std::unique_ptr<net::signal_set> signals_;
  std::vector<std::thread> io_threads_;
  std::atomic<std::uint16_t> port_{0};

  std::mutex stop_mu_;  // serializes Start and Stop (signal thread vs. controller)
  std::mutex phase_mu_;
  std::condition_variable phase_cv_;
  Phase phase_ = Phase::kIdle;
  std::thread signal_stopper_;
};

HttpServer::HttpServer(ServerOptions options, RequestHandler handler, ResponseObserver observer)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), std::move(observer))) {}

HttpServer::~HttpServer() = default;

Status HttpServer::Start() { return impl_->Start(); }
std::uint16_t HttpServer::port() const { return impl_->port(); }
void HttpServer::Stop() { impl_->Stop(); }
void HttpServer::Wait() { impl_->Wait(); }

}  // namespace jiuzhu::http

// The HTTP server: Boost.Beast, asynchronous, keep-alive. I/O threads only
// parse and write; each request is handed to a bounded pool of worker
// threads that run the RequestHandler (database work happens there). When
// the worker queue is full the server answers 503 with Retry-After without
// calling the handler. Beast stays inside server.cpp; this header only uses
// the plain HttpRequest/HttpResponse values.
//
// Requests: header names lower-cased (repeated headers joined with ", "),
// path percent-decoded, query parsed with ParseQuery, request_id taken from
// an incoming X-Request-Id of at most 64 characters of [A-Za-z0-9._:-],
// otherwise 16 random hex digits. One request at a time per connection;
// pipelined requests are read after the previous response is written.
//
// Responses always carry Server: jiuzhu and X-Request-Id, and Content-Length
// (except 1xx, 204 and 304, which have no body; HEAD gets the length of the
// body without the body). Keep-alive follows the request (HTTP/1.0 or 1.1
// rules, Connection header); a handler may force a close with the header
// "Connection: close". Handler headers named Content-Length,
// Transfer-Encoding, Server or X-Request-Id, and headers whose name is not a
// token or whose value contains CR, LF or NUL, are dropped.
//
// Errors answered by the server itself, as application/problem+json with
// type https://jiuzhu.example/problems/<slug>:
//   400 bad-request        malformed HTTP; the connection is closed
//   413 payload-too-large  body over max_body_bytes; handler not called; closed
//   431 header-too-large   header over max_header_bytes; closed
//   500 internal           the handler threw (or returned a status outside
//                          100..599); the detail names only the request id
//   503 overloaded         worker queue full; Retry-After: 1; handler not called
//
// Timeouts: read_timeout bounds a request from its first byte (or, on a new
// connection, from the accept) to its last, and also the writing of a
// response; idle_timeout bounds the wait for the next request on a
// keep-alive connection. A connection that times out is closed without a
// response.
//
// Stop() is graceful: stop accepting (new connections are refused), close
// connections that are idle or in the middle of reading a request, let
// in-flight requests (read completely) finish and be written, with
// "Connection: close", for at most 10 s; then the worker pool drains and
// joins (a handler that never returns blocks it), the I/O threads are joined
// and unfinished I/O is dropped.
//
// Thread-safety: Start from one controlling thread; Stop and Wait from any
// thread that is not an I/O or worker thread (Stop joins those; calling it
// from the handler or the observer deadlocks). Concurrent Stop calls are
// serialized. A server runs at most once: Start after Stop fails.
// The handler is called concurrently from worker threads and must be
// thread-safe; an exception escaping it becomes a 500 problem response.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "api/http/http_message.hpp"
#include "engine/common/status.hpp"

namespace jiuzhu::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: pick a free port (see HttpServer::port)
  int io_threads = 1;
  int workers = 4;
  int max_queue = 512;  // requests waiting for a busy worker before 503 (0: none wait)
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;
  std::chrono::milliseconds read_timeout{15000};
  std::chrono::milliseconds idle_timeout{60000};
  // SIGTERM/SIGINT trigger a graceful Stop() (on a thread of the server's
  // own); Wait() returns when it is done. While the server runs, these
  // signals no longer reach other handlers in the process.
  bool handle_signals = false;
};

using RequestHandler = std::function<HttpResponse(HttpRequest&)>;
// Called after each response is written completely (also for the 400/413/
// 431/503 the server answers itself, with whatever of the request was
// parsed), for access logs and metrics. Runs on an I/O thread: it must be
// thread-safe and quick; exceptions are swallowed. The latency runs from
// the request having been read completely to its response having been
// written.
using ResponseObserver =
    std::function<void(const HttpRequest&, const HttpResponse&, std::chrono::microseconds)>;

class HttpServer {
 public:
  HttpServer(ServerOptions options, RequestHandler handler, ResponseObserver observer = {});
  ~HttpServer();  // Stop()s if running
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts the threads. kUnavailable (message names address:port)
  // if the address cannot be bound, e.g. the port is in use;
  // kInvalidArgument (field set) for an unparsable address or io_threads,
  // workers < 1 or max_queue < 0; kFailedPrecondition if already started or
  // stopped.
  Status Start();
  std::uint16_t port() const;  // the bound port after a successful Start, else 0
  // Graceful stop, see above; blocks until done. Idempotent; a no-op for a
  // server that was never started.
  void Stop();
  // Blocks until Stop() (or a handled signal) has completed; returns at once
  // if the server is not running.
  void Wait();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jiuzhu::http

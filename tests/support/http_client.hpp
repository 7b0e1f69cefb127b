// A small blocking HTTP/1.1 client for the API tests, on POSIX sockets so no test includes
// Beast. It talks to 127.0.0.1 only, sends requests with Content-Length (never chunked) and
// reads responses framed by Content-Length (the Jiuzhu server always sends one). One
// connection, kept alive between requests and opened again after the server closed it (a
// response with "Connection: close", or an error). Every read gives up after 15 s, so a
// broken server fails the test instead of hanging it.
//
// Not thread-safe: one client per thread.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace jiuzhu::testing {

struct HttpResult {
  int status = 0;     // 0: no response (error says why)
  std::string error;  // empty when a response was read
  std::map<std::string, std::string>
      headers;  // names lower-cased; a repeated header keeps the last
  std::string body;

  // The header's value, or "".
  std::string Header(const std::string& lower_name) const;
  // The body parsed as JSON; a discarded value (is_discarded()) if it is not JSON.
  nlohmann::json Json() const;
  // "STATUS body" (or the error), for failure messages.
  std::string Describe() const;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends `method target` with the headers (Host and, when there is a body or the method is
  // POST, Content-Length are added) and reads the response.
  HttpResult Request(const std::string& method, const std::string& target,
                     const std::string& body = {}, const HeaderList& headers = {});
  // Sends `bytes` exactly as given on the connection and reads one response.
  HttpResult Raw(const std::string& bytes);

 private:
  bool EnsureConnected(std::string* error);
  void Close();
  bool SendAll(const std::string& data, std::string* error);
  HttpResult ReadResponse();
  bool Fill(std::string* error);

  std::uint16_t port_;
  int fd_ = -1;
  std::string buffer_;  // bytes received and not yet consumed
};

}  // namespace jiuzhu::testing

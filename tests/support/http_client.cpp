#include "tests/support/http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

namespace jiuzhu::testing {

namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

HttpResult Failed(const std::string& why) {
  HttpResult r;
  r.error = why;
  return r;
}

}  // namespace

std::string HttpResult::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

nlohmann::json HttpResult::Json() const { return nlohmann::json::parse(body, nullptr, false); }

std::string HttpResult::Describe() const {
  if (status == 0) return "no response: " + error;
  return std::to_string(status) + " " + body;
}

HttpClient::HttpClient(std::uint16_t port) : port_(port) {}

HttpClient::~HttpClient() { Close(); }

void HttpClient::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  buffer_.clear();
}

bool HttpClient::EnsureConnected(std::string* error) {
  if (fd_ >= 0) return true;
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) {
    *error = std::string("socket: ") + std::strerror(errno);
    return false;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port_);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    *error = "connect to 127.0.0.1:" + std::to_string(port_) + ": " + std::strerror(errno);
    Close();
    return false;
  }
  timeval tv{15, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  const int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return true;
}

bool HttpClient::SendAll(const std::string& data, std::string* error) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      *error = std::string("send: ") + (n == 0 ? "nothing sent" : std::strerror(errno));
      return false;
    }
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

bool HttpClient::Fill(std::string* error) {
  char chunk[16384];
  const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n == 0) {
    *error = "the server closed the connection";
    return false;
  }
  if (n < 0) {
    *error = std::string("recv: ") + std::strerror(errno);
    return false;
  }
  buffer_.append(chunk, static_cast<std::size_t>(n));
  return true;
}

HttpResult HttpClient::Request(const std::string& method, const std::string& target,
                               const std::string& body, const HeaderList& headers) {
  std::string raw = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const auto& [name, value] : headers) raw += name + ": " + value + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    raw += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  raw += "\r\n" + body;
  return Raw(raw);
}

HttpResult HttpClient::Raw(const std::string& bytes) {
  std::string error;
  if (!EnsureConnected(&error)) return Failed(error);
  if (!SendAll(bytes, &error)) {
    // The server may have answered and closed already (a body over its limit): read that.
    HttpResult r = ReadResponse();
    if (r.status == 0) r.error = error + "; " + r.error;
    return r;
  }
  return ReadResponse();
}

HttpResult HttpClient::ReadResponse() {
  std::string error;
  std::size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!Fill(&error)) {
      Close();
      return Failed(error);
    }
  }
  HttpResult r;
  const std::string head = buffer_.substr(0, end);
  buffer_.erase(0, end + 4);
  std::size_t line_end = head.find("\r\n");
  const std::string status_line = head.substr(0, line_end);
  const auto space = status_line.find(' ');
  if (status_line.rfind("HTTP/1.", 0) != 0 || space == std::string::npos ||
      status_line.size() < space + 4) {
    Close();
    return Failed("bad status line: " + status_line);
  }
  r.status = std::atoi(status_line.substr(space + 1, 3).c_str());
  while (line_end != std::string::npos) {
    const std::size_t start = line_end + 2;
    line_end = head.find("\r\n", start);
    const std::string line =
        head.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    r.headers[Lower(line.substr(0, colon))] = Trim(line.substr(colon + 1));
  }
  const std::string length_text = r.Header("content-length");
  const std::size_t length =
      length_text.empty() ? 0 : static_cast<std::size_t>(std::stoull(length_text));
  while (buffer_.size() < length) {
    if (!Fill(&error)) {
      Close();
      return Failed("body cut short: " + error);
    }
  }
  r.body = buffer_.substr(0, length);
  buffer_.erase(0, length);
  if (Lower(r.Header("connection")) == "close") Close();
  return r;
}

}  // namespace jiuzhu::testing

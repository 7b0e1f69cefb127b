#include "api/http/request_helpers.hpp"

#include <cstdlib>

#include "api/http/problem.hpp"

namespace jiuzhu::http {

// The request body as a JSON object ({} when empty); nullopt when malformed.
std::optional<nlohmann::json> BodyObject(const HttpRequest& req) {
  if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) return nlohmann::json::object();
  auto j = nlohmann::json::parse(req.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

HttpResponse MalformedBody() {
  return Problem(400, "malformed-json", "请求格式错误", "the body must be a JSON object");
}

std::optional<std::int64_t> ParseId(const std::string& s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return std::strtoll(s.c_str(), nullptr, 10);
}

std::string Query(const HttpRequest& req, const std::string& name) {
  auto it = req.query.find(name);
  return it == req.query.end() ? std::string() : it->second;
}

Result<int> Limit(const HttpRequest& req, int fallback, int max) {
  const std::string v = Query(req, "limit");
  if (v.empty()) return fallback;
  auto n = ParseId(v);
  if (!n || *n < 1 || *n > max) {
    return InvalidArgument("limit must be a whole number from 1 to " + std::to_string(max), "limit");
  }
  return static_cast<int>(*n);
}

// Expected version from the body's "version" or an If-Match header.
Result<std::optional<std::int64_t>> ExpectedVersion(const HttpRequest& req, const nlohmann::json& body) {
  if (body.contains("version") && !body.at("version").is_null()) {
    if (!body.at("version").is_number_integer()) {
      return InvalidArgument("version must be a whole number", "version");
    }
    return std::optional<std::int64_t>(body.at("version").get<std::int64_t>());
  }
  std::string m = req.Header("if-match");
  if (m.empty()) return std::optional<std::int64_t>();
  if (m.size() >= 2 && m.front() == '"' && m.back() == '"') m = m.substr(1, m.size() - 2);
  auto n = ParseId(m);
  if (!n) return InvalidArgument("If-Match must be the case version", "If-Match");
  return std::optional<std::int64_t>(*n);
}

}  // namespace jiuzhu::http

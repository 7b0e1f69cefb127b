// Small readers of HTTP requests shared by the route handlers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "api/http/http_message.hpp"
#include "engine/common/status.hpp"

namespace jiuzhu::http {

// The request body as a JSON object ({} when empty); nullopt when malformed.
std::optional<nlohmann::json> BodyObject(const HttpRequest& req);
HttpResponse MalformedBody();
// A decimal id of at most 19 digits; nullopt otherwise.
std::optional<std::int64_t> ParseId(const std::string& s);
// A query parameter, empty when absent.
std::string Query(const HttpRequest& req, const std::string& name);
// ?limit=, from 1 to max; `fallback` when absent.
Result<int> Limit(const HttpRequest& req, int fallback, int max);
// Expected version from the body's "version" or an If-Match header.
Result<std::optional<std::int64_t>> ExpectedVersion(const HttpRequest& req, const nlohmann::json& body);

// Reads j[key] into *out when present and not null; kInvalidArgument naming the key on a wrong type.
template <typename T>
Status ReadField(const nlohmann::json& j, const char* key, T* out) {
  if (!j.contains(key) || j.at(key).is_null()) return Status::Ok();
  try {
    *out = j.at(key).get<T>();
    return Status::Ok();
  } catch (const std::exception&) {
    return InvalidArgument(std::string(key) + " has the wrong type", key);
  }
}

}  // namespace jiuzhu::http

// Errors as RFC 9457 problem documents (application/problem+json): a stable
// `type` URI per error code, a Chinese title a clerk understands, the
// detail, and for invalid input the field at fault. The one table mapping
// engine error codes to HTTP status lives here.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "api/http/http_message.hpp"
#include "engine/common/status.hpp"

namespace jiuzhu::http {

int HttpStatusFor(ErrorCode code);
HttpResponse ProblemResponse(const Status& status, const std::string& instance = {});
// For errors found by the HTTP layer itself (bad JSON, unknown route, ...).
HttpResponse Problem(int http_status, const std::string& type_slug, const std::string& title,
                     const std::string& detail, const std::string& field = {});
HttpResponse JsonResponse(int http_status, const nlohmann::json& body);

}  // namespace jiuzhu::http

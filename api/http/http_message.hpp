// HTTP requests and responses as plain values. The Beast server converts to
// and from these at its edge, so routing, handlers and tests never include
// Beast (which is slow to compile and belongs to the I/O layer only).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace jiuzhu::http {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as received: "/api/v1/cases?state=approve"
  std::string path;    // percent-decoded path without the query
  std::multimap<std::string, std::string> query;  // percent-decoded parameters
  std::map<std::string, std::string> headers;     // names lower-cased
  std::string body;
  std::string remote_address;
  std::string request_id;  // assigned by the server, echoed as X-Request-Id
  // Filled in by the API while handling, for the access log and metrics.
  std::string route_name;  // e.g. "cases.approve"; "unmatched" when no route fits
  std::string username;    // the authenticated caller, empty if none

  // Header value or empty.
  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  std::string body;
};

// Splits "a=1&b=%E4%B8%AD" into decoded pairs ('+' is a space). Malformed
// escapes are kept literally.
std::multimap<std::string, std::string> ParseQuery(const std::string& query);
std::string PercentDecode(const std::string& s, bool plus_is_space);

}  // namespace jiuzhu::http

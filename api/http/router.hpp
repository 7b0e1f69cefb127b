// Maps (method, path) to a named route and its handler. Patterns are
// literal segments and {name} parameters: "/api/v1/cases/{id}/approve".
// The route table is also the source of truth checked against
// api/openapi.yaml by the tests. Built once at start-up, then read-only and
// safe to share between threads.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "api/http/http_message.hpp"

namespace jiuzhu::http {

using PathParams = std::map<std::string, std::string>;
using Handler = std::function<HttpResponse(HttpRequest&, const PathParams&)>;

struct Route {
  std::string method;
  std::string pattern;
  std::string name;  // stable label for logs and metrics, e.g. "cases.approve"
  Handler handler;
  std::vector<std::string> segments;  // pattern split at '/'
};

class Router {
 public:
  void Add(const std::string& method, const std::string& pattern, const std::string& name,
           Handler handler);

  struct Match {
    const Route* route = nullptr;  // null: no route for the path (404) or the method (405)
    PathParams params;
    bool path_known = false;       // some route has this path with another method
  };
  Match Find(const std::string& method, const std::string& path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace jiuzhu::http

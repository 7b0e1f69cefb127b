#include "api/http/router.hpp"

namespace jiuzhu::http {

namespace {
std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}
}  // namespace

void Router::Add(const std::string& method, const std::string& pattern, const std::string& name,
                 Handler handler) {
  routes_.push_back(Route{method, pattern, name, std::move(handler), Split(pattern)});
}

Router::Match Router::Find(const std::string& method, const std::string& path) const {
  Match m;
  const auto segs = Split(path);
  for (const auto& r : routes_) {
    if (r.segments.size() != segs.size()) continue;
    PathParams params;
    bool ok = true;
    for (size_t i = 0; i < segs.size() && ok; ++i) {
      const std::string& p = r.segments[i];
      if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
        if (segs[i].empty()) ok = false;
        params[p.substr(1, p.size() - 2)] = segs[i];
      } else {
        ok = p == segs[i];
      }
    }
    if (!ok) continue;
    if (r.method != method) {
      m.path_known = true;
      continue;
    }
    m.route = &r;
    m.params = std::move(params);
    return m;
  }
  return m;
}

}  // namespace jiuzhu::http

#include "api/http/problem.hpp"

namespace jiuzhu::http {

namespace {
constexpr const char* kTypeBase = "https://jiuzhu.example/problems/";

struct Mapping {
  int status;
  const char* slug;
  const char* title;
};

Mapping MapCode(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return {200, "ok", "成功"};
    case ErrorCode::kInvalidArgument: return {422, "invalid-field", "填写的内容有误"};
    case ErrorCode::kNotFound: return {404, "not-found", "未找到"};
    case ErrorCode::kAlreadyExists: return {409, "already-exists", "记录已存在"};
    case ErrorCode::kFailedPrecondition: return {409, "illegal-transition", "当前环节不能办理此操作"};
    case ErrorCode::kConflict: return {409, "conflict", "数据已被他人修改，请刷新后重试"};
    case ErrorCode::kUnauthenticated: return {401, "unauthenticated", "请重新登录"};
    case ErrorCode::kPermissionDenied: return {403, "forbidden", "没有办理此事项的权限"};
    case ErrorCode::kResourceExhausted: return {503, "busy", "系统繁忙，请稍后重试"};
    case ErrorCode::kUnavailable: return {503, "unavailable", "服务暂时不可用，请稍后重试"};
    case ErrorCode::kInternal: return {500, "internal", "系统内部错误"};
  }
  return {500, "internal", "系统内部错误"};
}
}  // namespace

int HttpStatusFor(ErrorCode code) { return MapCode(code).status; }

HttpResponse JsonResponse(int http_status, const nlohmann::json& body) {
  HttpResponse r;
  r.status = http_status;
  r.body = body.dump();
  return r;
}

HttpResponse Problem(int http_status, const std::string& type_slug, const std::string& title,
                     const std::string& detail, const std::string& field) {
  nlohmann::json j = {{"type", std::string(kTypeBase) + type_slug},
                      {"title", title},
                      {"status", http_status},
                      {"detail", detail}};
  if (!field.empty()) {
    j["errors"] = nlohmann::json::array({{{"field", field}, {"message", detail}}});
  }
  HttpResponse r;
  r.status = http_status;
  r.content_type = "application/problem+json; charset=utf-8";
  r.body = j.dump();
  if (http_status == 503) r.headers.emplace_back("Retry-After", "1");
  return r;
}

HttpResponse ProblemResponse(const Status& status, const std::string& instance) {
  const Mapping m = MapCode(status.code());
  HttpResponse r = Problem(m.status, m.slug, m.title, status.message(), status.field());
  if (!instance.empty()) {
    auto j = nlohmann::json::parse(r.body);
    j["instance"] = instance;
    r.body = j.dump();
  }
  return r;
}

}  // namespace jiuzhu::http

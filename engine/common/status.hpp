// Status and Result<T>: expected failures as values (see STYLE.md "Errors").
//
// A Status is either OK or carries one code of a small closed set, a message
// for humans (Chinese or English) and, for invalid input, the name of the
// offending field. Result<T> holds either a T or a non-OK Status.
// Both are plain values; thread-compatible (no shared state).
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace jiuzhu {

enum class ErrorCode {
  kOk = 0,
  kInvalidArgument,     // bad input; names the field when one is at fault
  kNotFound,            // the thing does not exist or is not visible to the caller
  kAlreadyExists,       // a unique thing would be created twice
  kFailedPrecondition,  // not allowed in the current state (e.g. illegal transition)
  kConflict,            // stale version / lost race; retrying with fresh data may work
  kUnauthenticated,
  kPermissionDenied,
  kResourceExhausted,
  kUnavailable,         // the database or another dependency cannot be reached
  kInternal,            // a bug or an unexpected third-party failure
};

// Stable lower-case name of a code, e.g. "failed_precondition".
const char* ErrorCodeName(ErrorCode code);

class Status {
 public:
  Status() = default;  // OK
  Status(ErrorCode code, std::string message, std::string field = {})
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  static Status Ok() { return {}; }
  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // Name of the input field at fault, empty if none.
  const std::string& field() const { return field_; }
  // "code: message" (plus " [field]"), for logs and the command line.
  std::string ToString() const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
  std::string field_;
};

inline Status InvalidArgument(std::string msg, std::string field = {}) {
  return {ErrorCode::kInvalidArgument, std::move(msg), std::move(field)};
}
inline Status NotFound(std::string msg) { return {ErrorCode::kNotFound, std::move(msg)}; }
inline Status AlreadyExists(std::string msg) { return {ErrorCode::kAlreadyExists, std::move(msg)}; }
inline Status FailedPrecondition(std::string msg) {
  return {ErrorCode::kFailedPrecondition, std::move(msg)};
}
inline Status Conflict(std::string msg) { return {ErrorCode::kConflict, std::move(msg)}; }
inline Status PermissionDenied(std::string msg) {
  return {ErrorCode::kPermissionDenied, std::move(msg)};
}
inline Status Unavailable(std::string msg) { return {ErrorCode::kUnavailable, std::move(msg)}; }
inline Status Internal(std::string msg) { return {ErrorCode::kInternal, std::move(msg)}; }

// Holds a T or a non-OK Status. Accessing value() of an error is a bug (assert).
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok() && "Result needs a value or an error");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  T& value() & {
    assert(ok());
    return std::get<T>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<T>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace jiuzhu

// Early-return helpers for functions returning Status or Result<U>.
#define JZ_CONCAT_INNER(a, b) a##b
#define JZ_CONCAT(a, b) JZ_CONCAT_INNER(a, b)
#define JZ_RETURN_IF_ERROR(expr)                 \
  do {                                           \
    ::jiuzhu::Status jz_status_ = (expr);        \
    if (!jz_status_.ok()) return jz_status_;     \
  } while (0)
#define JZ_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = std::move(tmp).value()
#define JZ_ASSIGN_OR_RETURN(lhs, expr) \
  JZ_ASSIGN_OR_RETURN_IMPL(JZ_CONCAT(jz_result_, __LINE__), lhs, expr)

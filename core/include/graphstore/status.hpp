// graphstore::Status: the result of every host API call.
//
// Expected outcomes (not found, already exists) are Status values, not
// exceptions. Codes are the ABI's status codes (graphstore/abi.h), so a
// plugin's answer reaches the caller unchanged. Status is [[nodiscard]]: a
// call whose outcome is deliberately not looked at says so with `(void)` and
// a comment giving the reason.
#ifndef GRAPHSTORE_STATUS_HPP
#define GRAPHSTORE_STATUS_HPP

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "graphstore/abi.h"

namespace graphstore {

enum class Code : int32_t {
  kOk = GS_OK,
  kNotFound = GS_NOT_FOUND,
  kAlreadyExists = GS_ALREADY_EXISTS,
  kInvalidArgument = GS_INVALID_ARGUMENT,
  kUnsupported = GS_UNSUPPORTED,
  kUnavailable = GS_UNAVAILABLE,
  kResourceExhausted = GS_RESOURCE_EXHAUSTED,
  kCorruption = GS_CORRUPTION,
  kPermissionDenied = GS_PERMISSION_DENIED,
  kInternal = GS_INTERNAL,
  kAbiMismatch = GS_ABI_MISMATCH,
};

// The upper-case name of a code, e.g. "NOT_FOUND".
const char* code_name(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status Ok() { return {}; }

  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // One predicate per code.
  bool ok() const { return code_ == Code::kOk; }
  bool is_not_found() const { return code_ == Code::kNotFound; }
  bool is_already_exists() const { return code_ == Code::kAlreadyExists; }
  bool is_invalid_argument() const { return code_ == Code::kInvalidArgument; }
  bool is_unsupported() const { return code_ == Code::kUnsupported; }
  bool is_unavailable() const { return code_ == Code::kUnavailable; }
  bool is_resource_exhausted() const { return code_ == Code::kResourceExhausted; }
  bool is_corruption() const { return code_ == Code::kCorruption; }
  bool is_permission_denied() const { return code_ == Code::kPermissionDenied; }
  bool is_internal() const { return code_ == Code::kInternal; }
  bool is_abi_mismatch() const { return code_ == Code::kAbiMismatch; }

  // "NOT_FOUND: entity 'x' not found", or "OK".
  std::string to_string() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

inline Status NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
inline Status AlreadyExists(std::string m) { return {Code::kAlreadyExists, std::move(m)}; }
inline Status InvalidArgument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
inline Status Unsupported(std::string m) { return {Code::kUnsupported, std::move(m)}; }
inline Status Unavailable(std::string m) { return {Code::kUnavailable, std::move(m)}; }
inline Status Internal(std::string m) { return {Code::kInternal, std::move(m)}; }

}  // namespace graphstore

#endif  // GRAPHSTORE_STATUS_HPP

// graphstore::Status: the result of every host API call.
//
// Expected outcomes (not found, already exists) are Status values, not
// exceptions. Codes are the ABI's status codes (graphstore/abi.h), so a
// plugin's answer reaches the caller unchanged.
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

class Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status Ok() { return {}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  bool is_not_found() const { return code_ == Code::kNotFound; }
  bool is_already_exists() const { return code_ == Code::kAlreadyExists; }
  bool is_invalid_argument() const { return code_ == Code::kInvalidArgument; }

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

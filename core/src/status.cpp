#include "graphstore/status.hpp"

namespace graphstore {

const char* code_name(Code code) {
  switch (code) {
    case Code::kOk: return "OK";
    case Code::kNotFound: return "NOT_FOUND";
    case Code::kAlreadyExists: return "ALREADY_EXISTS";
    case Code::kInvalidArgument: return "INVALID_ARGUMENT";
    case Code::kUnsupported: return "UNSUPPORTED";
    case Code::kUnavailable: return "UNAVAILABLE";
    case Code::kResourceExhausted: return "RESOURCE_EXHAUSTED";
    case Code::kCorruption: return "CORRUPTION";
    case Code::kPermissionDenied: return "PERMISSION_DENIED";
    case Code::kInternal: return "INTERNAL";
    case Code::kAbiMismatch: return "ABI_MISMATCH";
  }
  return "UNKNOWN";
}

std::string Status::to_string() const {
  if (ok()) return "OK";
  return std::string(code_name(code_)) + ": " + message_;
}

}  // namespace graphstore

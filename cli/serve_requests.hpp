// graphstore serve's protocol: one JSON request per line in, one JSON
// response per line out (docs in cli/README.md, "serve").
#ifndef GRAPHSTORE_CLI_SERVE_REQUESTS_HPP
#define GRAPHSTORE_CLI_SERVE_REQUESTS_HPP

#include <atomic>
#include <functional>
#include <string>
#include <string_view>

#include "graphstore/store_handle.hpp"

namespace graphstore::cli {

// What a request can ask of the host beyond the store.
struct ServeHost {
  StoreHandle* handle = nullptr;
  std::string environment;
  std::atomic<uint64_t>* swaps = nullptr;  // swaps completed
  std::function<Status()> reload;         // the same as SIGHUP, synchronously
};

// Answers one request line; `line_number` is quoted in errors. Never throws.
std::string answer_request(ServeHost& host, std::string_view line, uint64_t line_number);

// The answer to a request line of `bytes` bytes, over the limit of
// `max_bytes` and therefore not read: INVALID_ARGUMENT naming the line and
// both sizes. Never throws but std::bad_alloc.
std::string answer_too_long(uint64_t line_number, uint64_t bytes, uint64_t max_bytes);

}  // namespace graphstore::cli

#endif  // GRAPHSTORE_CLI_SERVE_REQUESTS_HPP

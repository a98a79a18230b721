// What every fuzz target uses to state an invariant: a violation prints what
// broke and the input's size, then aborts, so that libFuzzer (or the replay
// driver) records the input as a crash rather than letting it pass.
#ifndef GRAPHSTORE_FUZZ_FUZZ_CHECK_HPP
#define GRAPHSTORE_FUZZ_FUZZ_CHECK_HPP

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace graphstore::fuzz {

// Prints "invariant violated: what" (and detail, cut to 2 KiB) to stderr and
// aborts. Never returns.
[[noreturn]] inline void fail(std::string_view what, std::string_view detail = {}) {
  std::fprintf(stderr, "invariant violated: %.*s\n", static_cast<int>(what.size()), what.data());
  if (!detail.empty())
    std::fprintf(stderr, "  detail: %.*s\n", static_cast<int>(std::min<size_t>(detail.size(), 2048)), detail.data());
  std::abort();
}

// fail(what, detail) unless cond holds.
inline void check(bool cond, std::string_view what, std::string_view detail = {}) {
  if (!cond) fail(what, detail);
}

}  // namespace graphstore::fuzz

#endif  // GRAPHSTORE_FUZZ_FUZZ_CHECK_HPP

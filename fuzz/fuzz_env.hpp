// The environment the config targets run under, set once per process before
// the first input (a fixed environment keeps every run reproducible):
// a set variable, an empty one, one whose value looks like a reference (it
// must stay text), and a secret that no error message may ever show.
#ifndef GRAPHSTORE_FUZZ_FUZZ_ENV_HPP
#define GRAPHSTORE_FUZZ_FUZZ_ENV_HPP

#include <cstdlib>

namespace graphstore::fuzz {

inline constexpr const char* kSecretValue = "s3cr3t-XYZZY-do-not-print";

// Sets the variables (GSF_SET, GSF_EMPTY, GSF_REF, GSF_NUM, GSF_SECRET) and
// unsets GSF_UNSET. Idempotent.
inline void set_fuzz_environment() {
  static const bool done = [] {
    ::setenv("GSF_SET", "value", 1);
    ::setenv("GSF_EMPTY", "", 1);
    ::setenv("GSF_REF", "${GSF_SET}", 1);
    ::setenv("GSF_NUM", "5432", 1);
    ::setenv("GSF_SECRET", kSecretValue, 1);
    ::unsetenv("GSF_UNSET");
    return true;
  }();
  (void)done;
}

}  // namespace graphstore::fuzz

#endif  // GRAPHSTORE_FUZZ_FUZZ_ENV_HPP

// A test-only replacement of the global operator new / new[] (every
// overload: plain, nothrow, aligned, with their deletes) over malloc/free
// that can fail one chosen allocation, so a test can drive a call through
// every out-of-memory point it has. It lives in the test executable: the
// executable's definitions interpose libstdc++'s for every module of the
// process, the in-memory plugin loaded with dlopen included (its
// `operator new` references are undefined symbols bound in the global scope,
// where the executable comes first; AllocFailure.ReplacementReachesThePlugin
// counts them). Under ASan the executable's definitions win over the
// runtime's too; ASan still sees every block through malloc/free (leaks,
// overflows, use after free), only its new/delete-mismatch check is lost.
//
// Only the thread that armed counts and fails: helper threads (the import's
// reader, the test framework) allocate as they please.
#ifndef GRAPHSTORE_TESTS_ALLOC_FAILURE_FAILING_NEW_HPP
#define GRAPHSTORE_TESTS_ALLOC_FAILURE_FAILING_NEW_HPP

#include <cstdint>

namespace alloc_failure {

// Counts the calling thread's allocations from now on and makes the nth
// of them (1-based) fail: the throwing forms throw std::bad_alloc, the
// nothrow forms return nullptr. n == 0 only counts. Calls made by other
// threads are neither counted nor failed.
void arm(uint64_t n);

// What happened on the calling thread between arm() and disarm().
struct Outcome {
  uint64_t allocations = 0;  // counted, the failed one included
  bool failed = false;       // whether the nth was reached (and failed)
};

// Stops counting and failing on the calling thread; returns the outcome.
Outcome disarm();

}  // namespace alloc_failure

#endif  // GRAPHSTORE_TESTS_ALLOC_FAILURE_FAILING_NEW_HPP

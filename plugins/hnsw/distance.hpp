// Inner products for the HNSW walk: the hottest loop of a vector search.
#pragma once

#include <cstdint>

namespace graphstore::hnsw {

// Σ a[i]·b[i] in float. Uses AVX2+FMA when the CPU has them (checked once at
// run time, so the library still runs on older x86-64), else a portable loop.
// Only the walk uses it: reported scores are recomputed in double by
// sdk::cosine_similarity, so this function's rounding never reaches a caller.
float dot(const float* a, const float* b, uint32_t dim);

}  // namespace graphstore::hnsw

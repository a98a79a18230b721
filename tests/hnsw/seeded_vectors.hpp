// Seeded clustered unit vectors for the vector index tests: the same numbers
// on every run, so recall thresholds hold with a fixed margin.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace graphstore::testing {

// n vectors of dimension dim around `clusters` random centres (noise of norm
// about `spread`), unit-normalised, row after row.
inline std::vector<float> seeded_vectors(size_t n, uint32_t dim, uint32_t clusters, uint64_t seed,
                                         double spread = 0.6) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::mt19937_64 centre_rng(0xC0FFEE);  // the same centres for every seed
  std::vector<double> centres(size_t(clusters) * dim);
  for (double& x : centres) x = normal(centre_rng);
  std::vector<float> out(n * dim);
  std::uniform_int_distribution<uint32_t> pick(0, clusters - 1);
  for (size_t i = 0; i < n; ++i) {
    const double* c = centres.data() + size_t(pick(rng)) * dim;
    double cn = 0;
    for (uint32_t d = 0; d < dim; ++d) cn += c[d] * c[d];
    cn = std::sqrt(cn);
    std::vector<double> v(dim);
    double norm = 0;
    for (uint32_t d = 0; d < dim; ++d) {
      v[d] = c[d] / cn + normal(rng) * spread / std::sqrt(double(dim));
      norm += v[d] * v[d];
    }
    norm = std::sqrt(norm);
    for (uint32_t d = 0; d < dim; ++d) out[i * dim + d] = float(v[d] / norm);
  }
  return out;
}

}  // namespace graphstore::testing

// What the vector benches share: reading the GSVEC1 files that
// make_vectors.py writes (an 8-byte magic "GSVEC1\0\0", uint32 count, uint32
// dimension, little-endian, then count x dimension float32), a clock and a
// median.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <string>
#include <vector>

namespace graphstore::bench {

using Clock = std::chrono::steady_clock;
inline double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

struct Vectors {
  uint32_t n = 0, dim = 0;
  std::vector<float> data;
  const float* row(size_t i) const { return data.data() + i * dim; }
};

// The first `limit` rows of a GSVEC1 file; exits with a message when the
// file is not one or is short.
inline Vectors read_vectors(const std::string& path, size_t limit) {
  std::ifstream in(path, std::ios::binary);
  char magic[8];
  Vectors v;
  in.read(magic, 8);
  in.read(reinterpret_cast<char*>(&v.n), 4);
  in.read(reinterpret_cast<char*>(&v.dim), 4);
  if (!in || std::memcmp(magic, "GSVEC1\0\0", 8) != 0) {
    std::fprintf(stderr, "%s: not a GSVEC1 file (bench/vectors/make_vectors.py writes them)\n", path.c_str());
    std::exit(2);
  }
  v.n = uint32_t(std::min<size_t>(v.n, limit));
  v.data.resize(size_t(v.n) * v.dim);
  in.read(reinterpret_cast<char*>(v.data.data()), std::streamsize(v.data.size() * sizeof(float)));
  if (!in) {
    std::fprintf(stderr, "%s: shorter than its header says\n", path.c_str());
    std::exit(2);
  }
  return v;
}

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// A bench's main: stdout line-buffered (lines appear as measured, also when
// redirected), and an exception from run an exit status of 1 with its message.
template <class Run>
int guarded_main(const char* name, const Run& run, int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", name, e.what());
    return 1;
  }
}

}  // namespace graphstore::bench

// The fuzz targets' main() when they are built without libFuzzer (any
// compiler, the release and ASan presets, ctest): runs every corpus file
// through LLVMFuzzerTestOneInput, then a fixed number of deterministic
// mutations of each (bit flips, byte inserts and deletes, truncations,
// splices of two corpus files), so that the regression run reaches past the
// seeds themselves. The same arguments give the same inputs on every run.
//
//   fuzz_X [--mutations=N] [--seed=S] CORPUS_DIR_OR_FILE...
//
// When an input crashes (an abort from an invariant, ASan, UBSan or a
// signal), its bytes are written to ./replay-crash-input first and the
// corpus file and mutation number are printed, so the input can be replayed
// and added to the corpus. An input that takes over a second is reported.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxInput = 1 << 16;  // mutations never grow an input past this

// The input being run and what it is, for the crash handler (which may only
// call async-signal-safe functions, so both are prepared beforehand).
std::vector<uint8_t> g_current;
std::string g_label;

void on_crash(int sig) {
  int fd = ::open("replay-crash-input", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd >= 0) {
    ssize_t ignored = ::write(fd, g_current.data(), g_current.size());
    (void)ignored;
    ::close(fd);
  }
  const char head[] = "\nreplay: crashed on ";
  ssize_t ignored = ::write(2, head, sizeof head - 1);
  ignored = ::write(2, g_label.data(), g_label.size());
  const char tail[] = "; its bytes are in ./replay-crash-input\n";
  ignored = ::write(2, tail, sizeof tail - 1);
  (void)ignored;
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

// splitmix64: small, fast, and the same sequence everywhere.
struct Rng {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  size_t below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(next() % n); }
};

// Bytes that parsers treat specially, for inserts and overwrites.
constexpr uint8_t kInteresting[] = {0,   '\n', '\r', '"', '\\', ',',  '{',  '}',  '[',  ']',  ':',  '$',
                                    '-', '0',  '9',  ' ', 0x7f, 0x80, 0xc3, 0xe2, 0xf0, 0xff, 0x1f, 0x8b};

uint8_t some_byte(Rng& rng) {
  return rng.below(2) ? kInteresting[rng.below(sizeof kInteresting)] : static_cast<uint8_t>(rng.next());
}

// One random edit of in; other is a second corpus input to splice from.
void mutate_once(std::vector<uint8_t>& in, const std::vector<uint8_t>& other, Rng& rng) {
  switch (rng.below(7)) {
    case 0:  // flip one bit
      if (!in.empty()) in[rng.below(in.size())] ^= static_cast<uint8_t>(1u << rng.below(8));
      break;
    case 1:  // insert a byte
      in.insert(in.begin() + static_cast<std::ptrdiff_t>(rng.below(in.size() + 1)), some_byte(rng));
      break;
    case 2:  // delete a run of up to 8 bytes
      if (!in.empty()) {
        size_t at = rng.below(in.size());
        size_t n = std::min(in.size() - at, 1 + rng.below(8));
        in.erase(in.begin() + static_cast<std::ptrdiff_t>(at), in.begin() + static_cast<std::ptrdiff_t>(at + n));
      }
      break;
    case 3:  // truncate
      in.resize(rng.below(in.size() + 1));
      break;
    case 4: {  // splice: a prefix of in, then a suffix of other
      size_t cut = rng.below(in.size() + 1);
      size_t from = rng.below(other.size() + 1);
      in.resize(cut);
      in.insert(in.end(), other.begin() + static_cast<std::ptrdiff_t>(from), other.end());
      break;
    }
    case 5:  // overwrite a byte with one parsers care about
      if (!in.empty()) in[rng.below(in.size())] = some_byte(rng);
      break;
    default: {  // duplicate a chunk in place
      if (in.empty()) break;
      size_t at = rng.below(in.size());
      size_t n = std::min(in.size() - at, 1 + rng.below(64));
      std::vector<uint8_t> chunk(in.begin() + static_cast<std::ptrdiff_t>(at),
                                 in.begin() + static_cast<std::ptrdiff_t>(at + n));
      in.insert(in.begin() + static_cast<std::ptrdiff_t>(rng.below(in.size() + 1)), chunk.begin(), chunk.end());
      break;
    }
  }
  if (in.size() > kMaxInput) in.resize(kMaxInput);
}

// An input slower than this is reported (and saved as ./replay-slow-input)
// but does not fail the run: how fast a machine is is no invariant, yet a
// parser that takes seconds over a few kilobytes is worth a look.
constexpr double kSlowSeconds = 1.0;

void run(const std::vector<uint8_t>& input, const std::string& label) {
  g_current = input;
  g_label = label;
  auto start = std::chrono::steady_clock::now();
  LLVMFuzzerTestOneInput(g_current.data(), g_current.size());
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (seconds > kSlowSeconds) {
    std::fprintf(stderr, "replay: slow input (%.1f s): %s; its bytes are in ./replay-slow-input\n", seconds,
                 label.c_str());
    std::ofstream("replay-slow-input", std::ios::binary)
        .write(reinterpret_cast<const char*>(g_current.data()), static_cast<std::streamsize>(g_current.size()));
  }
}

}  // namespace

int main(int argc, char** argv) {
  size_t mutations = 200;
  uint64_t seed = 1;
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--mutations=", 0) == 0) {
      mutations = std::strtoull(arg.c_str() + 12, nullptr, 10);
    } else if (arg.rfind("--seed=", 0) == 0) {
      seed = std::strtoull(arg.c_str() + 7, nullptr, 10);
    } else if (fs::is_directory(arg)) {
      for (const auto& e : fs::directory_iterator(arg))
        if (e.is_regular_file()) files.push_back(e.path());
    } else if (fs::is_regular_file(arg)) {
      files.emplace_back(arg);
    } else {
      std::fprintf(stderr, "replay: %s is neither a corpus directory nor a file\n", arg.c_str());
      return 2;
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "usage: %s [--mutations=N] [--seed=S] CORPUS_DIR_OR_FILE...\n(no corpus file found)\n",
                 argv[0]);
    return 2;
  }
  std::sort(files.begin(), files.end());  // directory order differs between machines
  std::vector<std::vector<uint8_t>> inputs;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    inputs.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  for (int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) ::signal(sig, on_crash);

  size_t runs = 0;
  for (size_t i = 0; i < inputs.size(); ++i, ++runs) run(inputs[i], files[i].string());
  Rng rng{seed};
  for (size_t i = 0; i < inputs.size(); ++i) {
    for (size_t m = 0; m < mutations; ++m, ++runs) {
      std::vector<uint8_t> input = inputs[i];
      for (size_t edits = 1 + rng.below(4); edits > 0; --edits)
        mutate_once(input, inputs[rng.below(inputs.size())], rng);
      run(input, files[i].string() + " mutation " + std::to_string(m) + " (seed " + std::to_string(seed) + ")");
    }
  }
  std::printf("replay: %zu corpus files, %zu inputs run, no crash\n", inputs.size(), runs);
  return 0;
}

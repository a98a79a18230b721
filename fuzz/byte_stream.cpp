// Fuzz target: the input is a file as every importer opens it
// (core/src/io/byte_stream.cpp: plain, or gzip when it starts with 1f 8b,
// members concatenated) and splits it into lines (line_reader.cpp).
// Invariants beyond not crashing:
//  - verify_gzip accepts exactly the inputs that a streaming read gets
//    through without error, and after it the bytes delivered are the same;
//  - a plain input reads back byte for byte;
//  - the lines are the stream split at '\n' (a trailing '\r' dropped),
//    numbered from 1, a line over the limit reported as too long with a
//    prefix of its bytes, and every line that fits comes back whole.
#include "io/byte_stream.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "io/line_reader.hpp"
#include "memory_file.hpp"

namespace {

using graphstore::Status;
using graphstore::fuzz::check;
using graphstore::io::InputFile;
using graphstore::io::LineReader;

constexpr size_t kMaxLine = 40;

// Everything InputFile::read delivers, until the end or the first error.
Status read_all(InputFile* in, std::string* out) {
  char buf[333];  // an odd size, so reads end inside lines and gzip members
  for (;;) {
    size_t got = 0;
    Status s = in->read(buf, sizeof buf, &got);
    if (!s.ok()) {
      size_t again = 0;
      Status repeat = in->read(buf, sizeof buf, &again);
      check(!repeat.ok() && repeat.message() == s.message() && again == 0,
            "a read error must repeat on every later read", s.message() + " | " + repeat.message());
      return s;
    }
    if (got == 0) return s;
    out->append(buf, got);
  }
}

// The lines the stream should give: split at '\n', the last one without
// '\n' counted when not empty, a trailing '\r' dropped.
std::vector<std::string_view> expected_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

void check_lines(const std::string& path, const std::string& content, bool complete) {
  std::unique_ptr<InputFile> in;
  check(InputFile::open(path, &in).ok(), "the input opened once but not twice");
  LineReader reader(in.get(), kMaxLine);
  std::vector<std::string_view> want = expected_lines(content);
  LineReader::Line line;
  Status error;
  size_t n = 0;
  while (reader.next(&line, &error)) {
    check(line.number == n + 1, "lines must be numbered 1, 2, 3, ...");
    check(n < want.size(), "more lines than the stream holds", std::string(line.text));
    std::string_view raw = want[n];
    if (raw.size() > kMaxLine) {
      check(line.too_long, "a line over the limit must be reported as too long", raw);
      check(raw.substr(0, line.text.size()) == line.text && !line.text.empty(),
            "a too-long line's text must be a prefix of it", raw);
    } else {
      check(!line.too_long, "a line within the limit was reported as too long", raw);
      std::string_view trimmed = raw;
      if (!trimmed.empty() && trimmed.back() == '\r') trimmed.remove_suffix(1);
      check(line.text == trimmed, "a line came back different from the stream's", raw);
      if (line.padded) check(line.text.data()[line.text.size()] == '\0', "a padded line must be followed by a NUL");
    }
    ++n;
  }
  if (complete) {
    check(error.ok(), "the line reader failed where the stream read through", error.message());
    check(n == want.size(), "fewer lines than the stream holds",
          std::to_string(n) + " of " + std::to_string(want.size()));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  graphstore::fuzz::MemoryFile file(data, size);
  std::unique_ptr<InputFile> streaming;
  if (!InputFile::open(file.path(), &streaming).ok()) graphstore::fuzz::fail("a memory file did not open");
  std::string streamed;
  Status stream_status = read_all(streaming.get(), &streamed);
  if (!stream_status.ok()) check(!stream_status.message().empty(), "a read error must say why");
  if (!streaming->gzip()) {
    check(stream_status.ok(), "a plain input must read without error", stream_status.message());
    check(streamed == std::string_view(reinterpret_cast<const char*>(data), size),
          "a plain input must read back byte for byte");
  }

  std::unique_ptr<InputFile> verified;
  check(InputFile::open(file.path(), &verified).ok(), "the input opened once but not twice");
  Status verify = verified->verify_gzip(graphstore::fuzz::scratch_dir());
  check(verify.ok() == stream_status.ok(), "verify_gzip and a streaming read disagree on whether the input is good",
        "verify: " + (verify.ok() ? std::string("OK") : verify.message()) +
            "; stream: " + (stream_status.ok() ? std::string("OK") : stream_status.message()));
  if (verify.ok()) {
    std::string again;
    Status s = read_all(verified.get(), &again);
    check(s.ok(), "a verified input failed to read", s.message());
    check(again == streamed, "a verified input delivered different bytes from a streaming read");
  }
  check_lines(file.path(), streamed, stream_status.ok());
  return 0;
}

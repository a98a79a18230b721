#include "ack_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

namespace graphstore::soak {

AckLogWriter::AckLogWriter(const std::string& path) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

AckLogWriter::~AckLogWriter() {
  if (fd_ >= 0) ::close(fd_);
}

bool AckLogWriter::append(const std::string& text) {
  if (fd_ < 0) return false;
  // One write(2) for the whole text, so lines of one call are never
  // interleaved with a torn line; a short write of a regular file only
  // happens when the disk is full, and is then reported.
  ssize_t n;
  do {
    n = ::write(fd_, text.data(), text.size());
  } while (n < 0 && errno == EINTR);
  return n == static_cast<ssize_t>(text.size());
}

bool AckLogWriter::intend(uint64_t seq, const std::vector<LogOp>& ops) {
  std::string text;
  for (const LogOp& op : ops) {
    text += "I " + std::to_string(seq) + " " + op.kind + " " + op.id;
    if (op.kind == "AE" || op.kind == "UE")
      text += " " + std::to_string(op.version) + (op.embedding ? " 1" : " 0");
    else if (op.kind == "AR")
      text += " " + std::to_string(op.version) + " " + op.source + " " + op.target;
    else if (op.kind == "UR")
      text += " " + std::to_string(op.version);
    text += "\n";
  }
  return append(text);
}

bool AckLogWriter::acknowledge(uint64_t seq) { return append("A " + std::to_string(seq) + "\n"); }

bool AckLogWriter::abandon(uint64_t seq) { return append("F " + std::to_string(seq) + "\n"); }

bool read_ack_log(const std::string& path, std::vector<LoggedWrite>* out, std::string* error) {
  out->clear();
  std::ifstream in(path, std::ios::binary);
  if (!in) return *error = "cannot read " + path, false;
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t end = content.rfind('\n');
  content.resize(end == std::string::npos ? 0 : end + 1);
  std::istringstream lines(content);
  std::string line;
  size_t number = 0;
  while (std::getline(lines, line)) {
    ++number;
    std::istringstream f(line);
    std::string tag;
    uint64_t seq = 0;
    f >> tag >> seq;
    auto bad = [&] { return *error = path + ":" + std::to_string(number) + ": malformed line '" + line + "'", false; };
    if (!f) return bad();
    if (tag == "I") {
      LogOp op;
      f >> op.kind >> op.id;
      if (op.kind == "AE" || op.kind == "UE") {
        int emb = 0;
        f >> op.version >> emb;
        op.embedding = emb != 0;
      } else if (op.kind == "AR") {
        f >> op.version >> op.source >> op.target;
      } else if (op.kind == "UR") {
        f >> op.version;
      } else if (op.kind != "DE" && op.kind != "DR") {
        return bad();
      }
      if (!f) return bad();
      if (out->empty() || out->back().seq != seq || out->back().outcome != LoggedWrite::Outcome::kOpen) {
        if (!out->empty() && out->back().seq >= seq) return bad();
        out->push_back({seq, {}, LoggedWrite::Outcome::kOpen});
      }
      out->back().ops.push_back(std::move(op));
    } else if (tag == "A" || tag == "F") {
      if (out->empty() || out->back().seq != seq || out->back().outcome != LoggedWrite::Outcome::kOpen) return bad();
      out->back().outcome = tag == "A" ? LoggedWrite::Outcome::kAcknowledged : LoggedWrite::Outcome::kAbandoned;
    } else {
      return bad();
    }
  }
  return true;
}

}  // namespace graphstore::soak

#include "io/rejects.hpp"

#include <cstdio>

#include "graphstore/io.hpp"
#include "graphstore/record_json.hpp"
#include "graphstore/utf8.hpp"
#include "io/record_writer.hpp"
#include "validate.hpp"

namespace graphstore::io {

std::string to_valid_utf8(std::string_view s) {
  if (sdk::valid_utf8(s)) return std::string(s);
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    // The longest valid sequence starting here (1 to 4 bytes), else U+FFFD.
    size_t len = 0;
    for (size_t n = 1; n <= 4 && i + n <= s.size(); ++n)
      if (sdk::valid_utf8(s.substr(i, n))) {
        len = n;
        break;
      }
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, len));
      i += len;
    }
  }
  return out;
}

}  // namespace graphstore::io

namespace graphstore {

std::filesystem::path default_rejects_path(const std::filesystem::path& path) {
  return (path == "-" ? std::string("stdin") : path.string()) + ".rejected.jsonl";
}

}  // namespace graphstore

namespace graphstore::io {

Status RejectsFile::open(const std::filesystem::path& path) {
  path_ = path.string();
  std::unique_ptr<OutputFile> f;
  if (Status s = OutputFile::create(path, false, 0, &f); !s.ok()) return s;
  out_ = std::move(f);
  return Status::Ok();
}

Status RejectsFile::add(std::string_view file, uint64_t line, std::string_view reason, std::string_view text,
                        bool truncated) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("file");
  write_string(w, to_valid_utf8(file));
  w.Key("line");
  w.Uint64(line);
  w.Key("reason");
  write_string(w, to_valid_utf8(reason));
  w.Key("text");
  write_string(w, to_valid_utf8(text));
  if (truncated) {
    w.Key("text_truncated");
    w.Bool(true);
  }
  w.EndObject();
  ++count_;
  if (Status s = out_->write(buf.GetString(), buf.GetSize()); !s.ok()) return s;
  return out_->write("\n", 1);
}

Status RejectsFile::close() {
  if (!out_) return Status::Ok();
  Status s = out_->close();
  out_.reset();
  if (count_ == 0) std::remove(path_.c_str());
  return s;
}

}  // namespace graphstore::io

// JSONL: one record per line, {"type": "entity"|"relation", "data": {...}};
// a line without "type" is a bare entity; blank lines are skipped.
#include <cstring>
#include <memory>

#include "io/formats.hpp"
#include "io/line_reader.hpp"
#include "io/record_decoder.hpp"

namespace graphstore::io {
namespace {

constexpr size_t kFlushBytes = 1 << 20;

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r") == std::string_view::npos; }

class JsonlSource : public RecordSource {
 public:
  JsonlSource(std::unique_ptr<InputFile> in, uint64_t max_line)
      : in_(std::move(in)), lines_(in_.get(), max_line), max_(max_line) {
    files_.push_back(in_->name());
  }

  bool next(SourceItem* item, Status* fatal) override {
    LineReader::Line line;
    for (;;) {
      if (!lines_.next(&line, fatal)) return false;
      if (line.too_long || !blank(line.text)) break;
    }
    item->file = &files_[0];
    item->line = line.number;
    item->raw = line.text;
    item->raw_truncated = line.too_long;
    if (line.too_long) {
      item->error = InvalidArgument("line " + std::to_string(line.number) + " is longer than " + size_text(max_));
    } else {
      item->error = decode_record(line.text, Expect::kLine, &item->record, line.padded);
    }
    return true;
  }

  bool gzip() const override { return in_->gzip(); }
  const std::vector<std::string>& files() const override { return files_; }
  uint64_t bytes_read() const override { return in_->raw_read(); }
  uint64_t bytes_total() const override { return in_->raw_size(); }

 private:
  std::unique_ptr<InputFile> in_;
  LineReader lines_;
  uint64_t max_;
  std::vector<std::string> files_;
};

class JsonlSink : public RecordSink {
 public:
  explicit JsonlSink(std::unique_ptr<OutputFile> out) : out_(std::move(out)), w_(buf_) {
    files_.push_back(out_->name());
  }

  Status entity(const Entity& e) override {
    put_prefix(R"({"type":"entity","data":)");
    write_entity(w_, e);
    return end_line();
  }
  Status relation(const Relation& r) override {
    put_prefix(R"({"type":"relation","data":)");
    write_relation(w_, r);
    return end_line();
  }
  Status finish() override {
    if (Status s = drain(); !s.ok()) return s;
    return out_->close();
  }
  const std::vector<std::string>& files() const override { return files_; }

 private:
  void put_prefix(std::string_view p) {
    char* dst = buf_.Push(p.size());
    std::memcpy(dst, p.data(), p.size());
    w_.Reset(buf_);
  }
  Status end_line() {
    buf_.Put('}');
    buf_.Put('\n');
    return buf_.GetSize() >= kFlushBytes ? drain() : Status::Ok();
  }
  Status drain() {
    Status s = out_->write(buf_.GetString(), buf_.GetSize());
    buf_.Clear();
    return s;
  }

  std::unique_ptr<OutputFile> out_;
  rapidjson::StringBuffer buf_;
  JsonWriter w_;
  std::vector<std::string> files_;
};

}  // namespace

Status open_input(const std::filesystem::path& path, const SourceOptions& options, std::unique_ptr<InputFile>* out) {
  std::unique_ptr<InputFile> in;
  if (Status s = InputFile::open(path, &in); !s.ok()) return s;
  if (options.verify_gzip)
    if (Status s = in->verify_gzip(options.spool_dir); !s.ok()) return s;
  *out = std::move(in);
  return Status::Ok();
}

Status open_jsonl_source(const std::filesystem::path& path, const SourceOptions& options,
                         std::unique_ptr<RecordSource>* out) {
  std::unique_ptr<InputFile> in;
  if (Status s = open_input(path, options, &in); !s.ok()) return s;
  *out = std::make_unique<JsonlSource>(std::move(in), options.max_record);
  return Status::Ok();
}

Status open_jsonl_sink(const std::filesystem::path& path, bool gzip, int level, std::unique_ptr<RecordSink>* out) {
  std::unique_ptr<OutputFile> f;
  if (Status s = OutputFile::create(path, gzip, level, &f); !s.ok()) return s;
  *out = std::make_unique<JsonlSink>(std::move(f));
  return Status::Ok();
}

void append_jsonl(const Entity& e, std::string* out) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("type");
  w.String("entity");
  w.Key("data");
  write_entity(w, e);
  w.EndObject();
  out->append(buf.GetString(), buf.GetSize());
}

void append_jsonl(const Relation& r, std::string* out) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("type");
  w.String("relation");
  w.Key("data");
  write_relation(w, r);
  w.EndObject();
  out->append(buf.GetString(), buf.GetSize());
}

}  // namespace graphstore::io

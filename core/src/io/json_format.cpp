// JSON: one document {"entities": [ENTITY, ...], "relations": [RELATION, ...]}
// (the reference's JSON export). The reader frames the document's elements
// without parsing them (a scanner tracking strings and brackets, no
// recursion) and hands each element's text to the record decoder, so a huge
// document streams in constant memory and a bad element is one bad record.
// The writer puts one record per line.
#include <cstring>
#include <memory>

#include "io/byte_reader.hpp"
#include "io/formats.hpp"
#include "io/line_reader.hpp"
#include "io/record_decoder.hpp"

namespace graphstore::io {
namespace {

constexpr size_t kFlushBytes = 1 << 20;

class JsonSource : public RecordSource {
 public:
  JsonSource(std::unique_ptr<InputFile> in, uint64_t max_record)
      : in_(std::move(in)), bytes_(in_.get()), max_(max_record) {
    files_.push_back(in_->name());
  }

  bool next(SourceItem* item, Status* fatal) override {
    *fatal = Status::Ok();
    if (state_ == State::kDone) return false;
    if (state_ == State::kStart) {
      bytes_.skip_space();
      if (bytes_.get() != '{') return broken(fatal, "expected '{' at the start of a JSON document");
      state_ = State::kKey;
    }
    for (;;) {
      if (state_ == State::kKey) {
        if (!read_key(fatal)) return false;
        if (state_ == State::kDone) return false;
        continue;
      }
      // Inside an array: an element or its end.
      bytes_.skip_space();
      int c = bytes_.peek();
      if (c == ']') {
        bytes_.get();
        after_member_ = true;
        state_ = State::kKey;
        continue;
      }
      if (!first_in_array_) {
        if (c != ',') return broken(fatal, "expected ',' or ']' between records");
        bytes_.get();
        bytes_.skip_space();
      }
      first_in_array_ = false;
      return read_element(item, fatal);
    }
  }

  bool gzip() const override { return in_->gzip(); }
  const std::vector<std::string>& files() const override { return files_; }
  uint64_t bytes_read() const override { return in_->raw_read(); }
  uint64_t bytes_total() const override { return in_->raw_size(); }

 private:
  enum class State { kStart, kKey, kEntities, kRelations, kDone };

  bool broken(Status* fatal, const std::string& what) {
    if (!bytes_.error().ok()) {
      *fatal = bytes_.error();
    } else {
      *fatal = InvalidArgument(files_[0] + ":" + std::to_string(bytes_.line()) + ": " + what);
    }
    state_ = State::kDone;
    return false;
  }

  // Reads `"key": [` (or the document's end) after '{' or a member.
  bool read_key(Status* fatal) {
    bytes_.skip_space();
    int c = bytes_.peek();
    if (after_member_) {
      if (c == '}') {
        bytes_.get();
        bytes_.skip_space();
        if (bytes_.peek() != -1) return broken(fatal, "unexpected text after the JSON document");
        if (!bytes_.error().ok()) return broken(fatal, "");
        state_ = State::kDone;
        return true;
      }
      if (c != ',') return broken(fatal, "expected ',' or '}' after an array");
      bytes_.get();
      bytes_.skip_space();
      c = bytes_.peek();
    } else if (c == '}') {
      bytes_.get();
      state_ = State::kDone;
      return true;
    }
    if (c != '"') return broken(fatal, "expected \"entities\" or \"relations\"");
    bytes_.get();
    std::string key;
    for (int k = bytes_.get(); k != '"'; k = bytes_.get()) {
      if (k < 0 || key.size() > 64) return broken(fatal, "expected \"entities\" or \"relations\"");
      key.push_back(static_cast<char>(k));
    }
    bytes_.skip_space();
    if (bytes_.get() != ':') return broken(fatal, "expected ':' after \"" + key + "\"");
    bytes_.skip_space();
    if (key != "entities" && key != "relations")
      return broken(fatal, "unknown key \"" + key + "\" (a document holds \"entities\" and \"relations\")");
    if (bytes_.get() != '[') return broken(fatal, "\"" + key + "\" must be an array");
    state_ = key == "entities" ? State::kEntities : State::kRelations;
    first_in_array_ = true;
    return true;
  }

  // Captures one element's text, balanced over brackets outside strings.
  bool read_element(SourceItem* item, Status* fatal) {
    text_.clear();
    bool too_long = false;
    uint64_t line = bytes_.line();
    int64_t depth = 0;
    bool in_string = false, escaped = false;
    for (;;) {
      int c = bytes_.peek();
      if (c < 0) return broken(fatal, "the document ends inside a record");
      if (!in_string && depth == 0 && (c == ',' || c == ']' || c == ' ' || c == '\n' || c == '\t' || c == '\r') &&
          !text_.empty())
        break;
      bytes_.get();
      if (text_.size() < max_) {
        text_.push_back(static_cast<char>(c));
      } else {
        too_long = true;
      }
      if (in_string) {
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          in_string = false;
        }
        continue;
      }
      if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) break;
      }
    }
    item->file = &files_[0];
    item->line = line;
    item->raw = std::string_view(text_).substr(0, too_long ? 4096 : text_.size());
    item->raw_truncated = too_long;
    if (too_long) {
      item->error =
          InvalidArgument("the record at line " + std::to_string(line) + " is longer than " + size_text(max_));
    } else {
      item->error =
          decode_record(text_, state_ == State::kEntities ? Expect::kEntity : Expect::kRelation, &item->record);
    }
    return true;
  }

  std::unique_ptr<InputFile> in_;
  ByteReader bytes_;
  uint64_t max_;
  std::vector<std::string> files_;
  State state_ = State::kStart;
  bool after_member_ = false;
  bool first_in_array_ = true;
  std::string text_;
};

class JsonSink : public RecordSink {
 public:
  explicit JsonSink(std::unique_ptr<OutputFile> out) : out_(std::move(out)), w_(buf_) {
    files_.push_back(out_->name());
    put("{\"entities\":[");
  }

  Status entity(const Entity& e) override {
    if (in_relations_) return Internal("JSON export: an entity after the relations");
    separator();
    write_entity(w_, e);
    return flush_if_full();
  }
  Status relation(const Relation& r) override {
    if (!in_relations_) {
      put("\n],\"relations\":[");
      in_relations_ = true;
      first_ = true;
    }
    separator();
    write_relation(w_, r);
    return flush_if_full();
  }
  Status finish() override {
    if (!in_relations_) put("\n],\"relations\":[");
    put("\n]}\n");
    Status s = out_->write(buf_.GetString(), buf_.GetSize());
    buf_.Clear();
    if (!s.ok()) return s;
    return out_->close();
  }
  const std::vector<std::string>& files() const override { return files_; }

 private:
  void put(std::string_view s) {
    char* dst = buf_.Push(s.size());
    std::memcpy(dst, s.data(), s.size());
  }
  void separator() {
    put(first_ ? "\n" : ",\n");
    first_ = false;
    w_.Reset(buf_);
  }
  Status flush_if_full() {
    if (buf_.GetSize() < kFlushBytes) return Status::Ok();
    Status s = out_->write(buf_.GetString(), buf_.GetSize());
    buf_.Clear();
    return s;
  }

  std::unique_ptr<OutputFile> out_;
  rapidjson::StringBuffer buf_;
  JsonWriter w_;
  bool in_relations_ = false;
  bool first_ = true;
  std::vector<std::string> files_;
};

}  // namespace

Status open_json_source(const std::filesystem::path& path, const SourceOptions& options,
                        std::unique_ptr<RecordSource>* out) {
  std::unique_ptr<InputFile> in;
  if (Status s = open_input(path, options, &in); !s.ok()) return s;
  *out = std::make_unique<JsonSource>(std::move(in), options.max_record);
  return Status::Ok();
}

Status open_json_sink(const std::filesystem::path& path, bool gzip, int level, std::unique_ptr<RecordSink>* out) {
  std::unique_ptr<OutputFile> f;
  if (Status s = OutputFile::create(path, gzip, level, &f); !s.ok()) return s;
  *out = std::make_unique<JsonSink>(std::move(f));
  return Status::Ok();
}

}  // namespace graphstore::io

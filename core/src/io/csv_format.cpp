// CSV (RFC 4180): one file per kind, each with a header row naming its
// columns (any order on input):
//   entities:  id,entity_type,properties,embedding,created_at,updated_at,source,tenant_id
//   relations: id,relation_type,source_id,target_id,properties,weight,created_at,updated_at,source,tenant_id
// properties is the JSON object's text, embedding a JSON array (or empty).
// An unquoted empty field is null (absent); "" is the empty string. Export
// to X.csv writes X.entities.csv and X.relations.csv; import of X.csv reads
// X.csv itself when it exists (its header tells the kind), else that pair.
// On request, export guards text cells against spreadsheet formulas.
#include <charconv>
#include <cstring>
#include <memory>

#include "io/byte_reader.hpp"
#include "io/formats.hpp"
#include "io/line_reader.hpp"
#include "io/number_text.hpp"
#include "io/record_decoder.hpp"
#include "graphstore/utf8.hpp"
#include "validate.hpp"

namespace graphstore::io {
namespace {

namespace fs = std::filesystem;

constexpr size_t kFlushBytes = 1 << 20;

const std::vector<std::string> kEntityColumns = {"id",         "entity_type", "properties", "embedding",
                                                 "created_at", "updated_at",  "source",     "tenant_id"};
const std::vector<std::string> kRelationColumns = {"id",     "relation_type", "source_id",  "target_id", "properties",
                                                   "weight", "created_at",    "updated_at", "source",    "tenant_id"};

// Writes one field: null as nothing, text quoted when it must be (always
// when empty, so that it reads back as "" and not as null).
void put_field(std::string* out, std::string_view text, bool null = false) {
  if (null) return;
  bool quote = text.empty() || text.find_first_of(",\"\r\n") != std::string_view::npos || text.front() == ' ' ||
               text.back() == ' ';
  if (!quote) {
    out->append(text);
    return;
  }
  out->push_back('"');
  for (char c : text) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

// Whether a spreadsheet would read the cell text as a formula: it starts with
// one of the characters OWASP lists for CSV injection.
bool starts_formula(std::string_view text) {
  return !text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos;
}

struct Field {
  std::string_view text;
  bool quoted = false;
  bool null() const { return !quoted && text.empty(); }
};

// One CSV file: records of fields, quoted fields may span lines.
class CsvFile {
 public:
  CsvFile(std::unique_ptr<InputFile> in, uint64_t max) : in_(std::move(in)), bytes_(in_.get()), max_(max) {}

  // Reads one record. False at the end (or a read error: bytes().error()).
  // *bad is set for a malformed or over-long record, which has been skipped.
  bool next(std::vector<Field>* fields, uint64_t* line, std::string* bad) {
    bad->clear();
    fields->clear();
    text_.clear();
    ends_.clear();
    quoted_.clear();
    for (;;) {
      *line = bytes_.line();
      if (bytes_.peek() < 0) return false;
      if (bytes_.peek() == '\n') {  // blank line
        bytes_.get();
        continue;
      }
      if (bytes_.peek() == '\r') {
        bytes_.get();
        continue;
      }
      break;
    }
    bool too_long = false;
    for (;;) {
      // One field.
      bool quoted = false;
      int c = bytes_.peek();
      if (c == '"') {
        quoted = true;
        bytes_.get();
        for (;;) {
          c = bytes_.get();
          if (c < 0) {
            if (bad->empty()) *bad = "the file ends inside a quoted field";
            break;
          }
          if (c == '"') {
            if (bytes_.peek() == '"') {
              bytes_.get();
            } else {
              break;
            }
          }
          push(static_cast<char>(c), &too_long);
        }
        c = bytes_.peek();
        if (c >= 0 && c != ',' && c != '\n' && c != '\r') {
          if (bad->empty()) *bad = "text after the closing quote of field " + std::to_string(ends_.size() + 1);
          while (c >= 0 && c != ',' && c != '\n') {
            bytes_.get();
            c = bytes_.peek();
          }
        }
      } else {
        while (c >= 0 && c != ',' && c != '\n' && c != '\r') {
          if (c == '"' && bad->empty()) *bad = "a quote inside the unquoted field " + std::to_string(ends_.size() + 1);
          push(static_cast<char>(bytes_.get()), &too_long);
          c = bytes_.peek();
        }
      }
      ends_.push_back(text_.size());
      quoted_.push_back(quoted);
      c = bytes_.get();
      if (c == ',') continue;
      if (c == '\r' && bytes_.peek() == '\n') bytes_.get();
      break;  // '\n', '\r' or the end
    }
    if (too_long) *bad = "the record at line " + std::to_string(*line) + " is longer than " + size_text(max_);
    size_t begin = 0;
    for (size_t i = 0; i < ends_.size(); ++i) {
      fields->push_back(Field{std::string_view(text_).substr(begin, ends_[i] - begin), quoted_[i]});
      begin = ends_[i];
    }
    return true;
  }

  ByteReader& bytes() { return bytes_; }
  InputFile* input() { return in_.get(); }

 private:
  void push(char c, bool* too_long) {
    if (text_.size() < max_) {
      text_.push_back(c);
    } else {
      *too_long = true;
    }
  }

  std::unique_ptr<InputFile> in_;
  ByteReader bytes_;
  uint64_t max_;
  std::string text_;
  std::vector<size_t> ends_;
  std::vector<bool> quoted_;
};

// Fills the record from a row, by the header's column order.
class RowDecoder {
 public:
  Status set_header(const std::vector<Field>& header) {
    columns_.clear();
    for (const Field& f : header) columns_.emplace_back(f.text);
    const std::vector<std::string>* want = nullptr;
    for (const std::string& c : columns_) {
      if (c == "entity_type") want = &kEntityColumns;
      if (c == "relation_type") want = &kRelationColumns;
    }
    if (want == nullptr)
      return InvalidArgument("the header names neither entity_type nor relation_type; expected the columns " +
                             join(kEntityColumns) + " or " + join(kRelationColumns));
    kind_ = want == &kEntityColumns ? RecordKind::kEntity : RecordKind::kRelation;
    index_.assign(want->size(), -1);
    for (size_t i = 0; i < columns_.size(); ++i) {
      size_t k = 0;
      while (k < want->size() && (*want)[k] != columns_[i]) ++k;
      if (k == want->size())
        return InvalidArgument("unknown " + std::string(kind_ == RecordKind::kEntity ? "entity" : "relation") +
                               " column '" + columns_[i] + "'");
      if (index_[k] >= 0) return InvalidArgument("column '" + columns_[i] + "' appears twice");
      index_[k] = static_cast<int>(i);
    }
    for (size_t k = 0; k < want->size(); ++k) {
      std::string_view name = (*want)[k];
      bool required = name == "id" || name == "entity_type" || name == "relation_type" || name == "source_id" ||
                      name == "target_id";
      if (required && index_[k] < 0) return InvalidArgument("the header lacks the column '" + std::string(name) + "'");
    }
    return Status::Ok();
  }

  RecordKind kind() const { return kind_; }

  Status decode(const std::vector<Field>& row, Record* rec) {
    if (row.size() != columns_.size())
      return InvalidArgument("the row has " + std::to_string(row.size()) + " fields, the header " +
                             std::to_string(columns_.size()));
    for (size_t i = 0; i < row.size(); ++i)
      if (!sdk::valid_utf8(row[i].text)) return InvalidArgument("column '" + columns_[i] + "' is not valid UTF-8");
    rec->kind = kind_;
    const std::vector<std::string>& cols = kind_ == RecordKind::kEntity ? kEntityColumns : kRelationColumns;
    bool updated_given = false;
    Entity& e = rec->entity;
    Relation& r = rec->relation;
    if (kind_ == RecordKind::kEntity) {
      e = Entity{};
    } else {
      r = Relation{};
    }
    for (size_t k = 0; k < cols.size(); ++k) {
      if (index_[k] < 0) continue;
      const Field& f = row[static_cast<size_t>(index_[k])];
      const std::string& name = cols[k];
      bool entity = kind_ == RecordKind::kEntity;
      auto bad = [&](const char* expected) { return InvalidArgument("column '" + name + "' must be " + expected); };
      if (name == "id") {
        (entity ? e.id : r.id).assign(f.text);
      } else if (name == "entity_type") {
        e.entity_type.assign(f.text);
      } else if (name == "relation_type") {
        r.relation_type.assign(f.text);
      } else if (name == "source_id") {
        r.source_id.assign(f.text);
      } else if (name == "target_id") {
        r.target_id.assign(f.text);
      } else if (name == "properties") {
        if (!f.null()) {
          if (Status s = check_properties_text(f.text); !s.ok()) return InvalidArgument("column " + s.message());
          (entity ? e.properties : r.properties).assign(f.text);
        }
      } else if (name == "embedding") {
        if (!f.null() && f.text != "null")
          if (Status s = parse_embedding_text(f.text, &e.embedding); !s.ok())
            return InvalidArgument("column " + s.message());
      } else if (name == "weight") {
        if (!f.null() && !parse_finite_double(f.text, &r.weight)) return bad("a number from 0.0 to 1.0");
      } else if (name == "created_at" || name == "updated_at") {
        if (!f.null()) {
          Timestamp* slot = name == "created_at" ? (entity ? &e.created_at : &r.created_at)
                                                 : (entity ? &e.updated_at : &r.updated_at);
          if (!parse_timestamp(f.text, slot)) return bad("an ISO-8601 timestamp such as 2025-12-09T10:11:12.123456");
          if (name == "updated_at") updated_given = true;
        }
      } else if (name == "source") {
        if (!f.null()) (entity ? e.source : r.source) = std::string(f.text);
      } else if (name == "tenant_id") {
        (entity ? e.tenant_id : r.tenant_id).assign(f.text);
      }
    }
    return check_decoded(rec, updated_given);
  }

 private:
  static std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& c : v) s += (s.empty() ? "" : ",") + c;
    return s;
  }

  std::vector<std::string> columns_;
  std::vector<int> index_;  // by the kind's column list: the row's field, or -1
  RecordKind kind_ = RecordKind::kEntity;
};

class CsvSource : public RecordSource {
 public:
  CsvSource(std::vector<fs::path> paths, std::vector<std::unique_ptr<InputFile>> inputs, uint64_t max)
      : paths_(std::move(paths)), inputs_(std::move(inputs)), max_(max) {
    for (const auto& p : paths_) files_.push_back(p.string());
  }

  bool next(SourceItem* item, Status* fatal) override {
    *fatal = Status::Ok();
    for (;;) {
      if (!file_) {
        if (current_ >= paths_.size()) return false;
        std::unique_ptr<InputFile> in = std::move(inputs_[current_]);
        gzip_ = gzip_ || in->gzip();
        done_bytes_ += last_bytes_;
        file_ = std::make_unique<CsvFile>(std::move(in), max_);
        uint64_t line = 0;
        std::string bad;
        if (!file_->next(&row_, &line, &bad)) {
          if (!file_->bytes().error().ok()) {
            *fatal = file_->bytes().error();
            return false;
          }
          next_file();  // empty file
          continue;
        }
        Status s = bad.empty() ? decoder_.set_header(row_) : InvalidArgument(bad);
        if (!s.ok()) {
          *fatal = InvalidArgument(files_[current_] + ":" + std::to_string(line) + ": " + s.message());
          return false;
        }
      }
      uint64_t line = 0;
      std::string bad;
      if (!file_->next(&row_, &line, &bad)) {
        if (!file_->bytes().error().ok()) {
          *fatal = file_->bytes().error();
          return false;
        }
        next_file();
        continue;
      }
      item->file = &files_[current_];
      item->line = line;
      // The row as CSV again, for the rejects file.
      raw_.clear();
      for (size_t i = 0; i < row_.size(); ++i) {
        if (i) raw_.push_back(',');
        put_field(&raw_, row_[i].text, row_[i].null());
      }
      item->raw_truncated = raw_.size() > 4096 && !bad.empty();
      item->raw = std::string_view(raw_).substr(0, item->raw_truncated ? 4096 : raw_.size());
      item->error = bad.empty() ? decoder_.decode(row_, &item->record) : InvalidArgument(bad);
      return true;
    }
  }

  bool gzip() const override { return gzip_; }
  const std::vector<std::string>& files() const override { return files_; }
  uint64_t bytes_read() const override { return done_bytes_ + (file_ ? file_->input()->raw_read() : 0); }
  uint64_t bytes_total() const override {
    uint64_t total = 0;
    for (const auto& p : paths_) {
      std::error_code ec;
      auto n = fs::file_size(p, ec);
      if (!ec) total += n;
    }
    return total;
  }

 private:
  void next_file() {
    last_bytes_ = file_->input()->raw_read();
    file_.reset();
    ++current_;
  }

  std::vector<fs::path> paths_;
  std::vector<std::unique_ptr<InputFile>> inputs_;  // opened up front, by open_csv_source
  std::vector<std::string> files_;
  uint64_t max_;
  size_t current_ = 0;
  std::unique_ptr<CsvFile> file_;
  RowDecoder decoder_;
  std::vector<Field> row_;
  std::string raw_;
  bool gzip_ = false;
  uint64_t done_bytes_ = 0, last_bytes_ = 0;
};

void put_header(std::string* out, const std::vector<std::string>& cols) {
  for (size_t i = 0; i < cols.size(); ++i) {
    if (i) out->push_back(',');
    out->append(cols[i]);
  }
  out->push_back('\n');
}

// An absent timestamp is an unquoted empty field (null), as it reads back.
void put_time(std::string* out, Timestamp t) {
  if (t != kNoTimestamp) out->append(format_timestamp(t));
}

class CsvSink : public RecordSink {
 public:
  CsvSink(std::unique_ptr<OutputFile> entities, std::unique_ptr<OutputFile> relations, bool formula_guard)
      : ent_(std::move(entities)), rel_(std::move(relations)), formula_guard_(formula_guard) {
    files_ = {ent_->name(), rel_->name()};
    put_header(&ebuf_, kEntityColumns);
    put_header(&rbuf_, kRelationColumns);
  }

  Status entity(const Entity& e) override {
    std::string& b = ebuf_;
    put_text(&b, e.id);
    b.push_back(',');
    put_text(&b, e.entity_type);
    b.push_back(',');
    put_text(&b, e.properties);
    b.push_back(',');
    if (!e.embedding.empty()) {
      std::string v = "[";
      char num[32];
      for (size_t i = 0; i < e.embedding.size(); ++i) {
        if (i) v.push_back(',');
        auto [end, ec] = std::to_chars(num, num + sizeof num, e.embedding[i]);
        v.append(num, ec == std::errc() ? end : num);
      }
      v.push_back(']');
      put_field(&b, v);
    }
    b.push_back(',');
    put_time(&b, e.created_at);
    b.push_back(',');
    put_time(&b, e.updated_at);
    b.push_back(',');
    put_text(&b, e.source ? *e.source : std::string_view(), !e.source);
    b.push_back(',');
    put_text(&b, e.tenant_id, e.tenant_id.empty());
    b.push_back('\n');
    return flush(ent_.get(), &ebuf_, false);
  }

  Status relation(const Relation& r) override {
    std::string& b = rbuf_;
    put_text(&b, r.id);
    b.push_back(',');
    put_text(&b, r.relation_type);
    b.push_back(',');
    put_text(&b, r.source_id);
    b.push_back(',');
    put_text(&b, r.target_id);
    b.push_back(',');
    put_text(&b, r.properties);
    b.push_back(',');
    char num[32];
    auto [end, ec] = std::to_chars(num, num + sizeof num, r.weight);
    b.append(num, ec == std::errc() ? end : num);
    b.push_back(',');
    put_time(&b, r.created_at);
    b.push_back(',');
    put_time(&b, r.updated_at);
    b.push_back(',');
    put_text(&b, r.source ? *r.source : std::string_view(), !r.source);
    b.push_back(',');
    put_text(&b, r.tenant_id, r.tenant_id.empty());
    b.push_back('\n');
    return flush(rel_.get(), &rbuf_, false);
  }

  Status finish() override {
    if (Status s = flush(ent_.get(), &ebuf_, true); !s.ok()) return s;
    if (Status s = flush(rel_.get(), &rbuf_, true); !s.ok()) return s;
    if (Status s = ent_->close(); !s.ok()) return s;
    return rel_->close();
  }
  const std::vector<std::string>& files() const override { return files_; }

 private:
  // A text cell: put_field, behind a ' when guarding against formulas. The
  // number and time cells cannot start like a formula (weights are >= 0).
  void put_text(std::string* out, std::string_view text, bool null = false) {
    if (!formula_guard_ || null || !starts_formula(text)) return put_field(out, text, null);
    guarded_.assign(1, '\'');
    guarded_.append(text);
    put_field(out, guarded_);
  }

  static Status flush(OutputFile* f, std::string* buf, bool always) {
    if (!always && buf->size() < kFlushBytes) return Status::Ok();
    Status s = f->write(*buf);
    buf->clear();
    return s;
  }

  std::unique_ptr<OutputFile> ent_, rel_;
  bool formula_guard_;
  std::string ebuf_, rbuf_;
  std::string guarded_;
  std::vector<std::string> files_;
};

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

fs::path csv_part(const fs::path& path, std::string_view kind) {
  std::string s = path.string();
  bool gz = ends_with(s, ".gz");
  if (gz) s.resize(s.size() - 3);
  if (ends_with(s, ".csv")) s.resize(s.size() - 4);
  return s + "." + std::string(kind) + ".csv" + (gz ? ".gz" : "");
}

Status open_csv_source(const fs::path& path, const SourceOptions& options, std::unique_ptr<RecordSource>* out) {
  std::error_code ec;
  std::vector<fs::path> paths;
  if (path == "-" || fs::exists(path, ec)) {
    paths.push_back(path);
  } else {
    for (const char* kind : {"entities", "relations"}) {
      fs::path part = csv_part(path, kind);
      if (fs::exists(part, ec)) paths.push_back(part);
    }
    if (paths.empty())
      return NotFound(path.string() + ": cannot open: no such file, nor " + csv_part(path, "entities").string() +
                      " or " + csv_part(path, "relations").string());
  }
  std::vector<std::unique_ptr<InputFile>> inputs(paths.size());
  for (size_t i = 0; i < paths.size(); ++i)
    if (Status s = open_input(paths[i], options, &inputs[i]); !s.ok()) return s;
  *out = std::make_unique<CsvSource>(std::move(paths), std::move(inputs), options.max_record);
  return Status::Ok();
}

Status open_csv_sink(const fs::path& path, bool gzip, int level, bool formula_guard, std::unique_ptr<RecordSink>* out) {
  fs::path e = csv_part(path, "entities"), r = csv_part(path, "relations");
  if (gzip && !ends_with(e.string(), ".gz")) {
    e += ".gz";
    r += ".gz";
  }
  std::unique_ptr<OutputFile> ef, rf;
  if (Status s = OutputFile::create(e, gzip, level, &ef); !s.ok()) return s;
  if (Status s = OutputFile::create(r, gzip, level, &rf); !s.ok()) return s;
  *out = std::make_unique<CsvSink>(std::move(ef), std::move(rf), formula_guard);
  return Status::Ok();
}

}  // namespace graphstore::io

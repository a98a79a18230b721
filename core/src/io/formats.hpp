// Readers and writers of the three file formats behind one interface each:
// a RecordSource yields decoded records with where they came from, a
// RecordSink takes entities then relations. jsonl_format.cpp,
// json_format.cpp and csv_format.cpp implement them.
#ifndef GRAPHSTORE_IO_FORMATS_HPP
#define GRAPHSTORE_IO_FORMATS_HPP

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "graphstore/io.hpp"
#include "graphstore/record_json.hpp"
#include "io/byte_stream.hpp"
#include "io/record_writer.hpp"

namespace graphstore::io {

struct SourceItem {
  const std::string* file = nullptr;  // the file it came from
  uint64_t line = 0;                  // where the record starts, 1-based
  std::string_view raw;               // its text (a prefix when raw_truncated); valid until the next call
  bool raw_truncated = false;
  Status error;   // not OK: a bad record (raw says which); `record` is meaningless
  Record record;  // when error is OK
};

class RecordSource {
 public:
  virtual ~RecordSource() = default;
  // The next record, good or bad. False at the end of the input, or when the
  // input cannot go on (*fatal not OK: truncated gzip, read error, broken
  // document structure).
  virtual bool next(SourceItem* item, Status* fatal) = 0;
  virtual bool gzip() const = 0;
  virtual const std::vector<std::string>& files() const = 0;
  // Input consumed and its size (0: unknown), for progress.
  virtual uint64_t bytes_read() const = 0;
  virtual uint64_t bytes_total() const = 0;
};

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  // Every entity comes before every relation.
  virtual Status entity(const Entity& e) = 0;
  virtual Status relation(const Relation& r) = 0;
  // Completes the files and moves them into place.
  virtual Status finish() = 0;
  virtual const std::vector<std::string>& files() const = 0;
};

// How a source reads its files.
struct SourceOptions {
  uint64_t max_record = 64ull << 20;  // a longer line (record) is a bad record
  // Check each gzip input whole before the first record is decoded
  // (InputFile::verify_gzip); false: decode as the data arrives.
  bool verify_gzip = true;
  std::filesystem::path spool_dir;  // where verify_gzip copies a pipe
};

// Opens path ("-": standard input) as the sources read it: verified first
// when options.verify_gzip says so. Errors: InputFile::open's, verify_gzip's.
Status open_input(const std::filesystem::path& path, const SourceOptions& options, std::unique_ptr<InputFile>* out);

// Open every input before returning (CSV: both files of a pair), so that a
// gzip input that does not verify is an error before any record is read.
Status open_jsonl_source(const std::filesystem::path& path, const SourceOptions& options,
                         std::unique_ptr<RecordSource>* out);
Status open_json_source(const std::filesystem::path& path, const SourceOptions& options,
                        std::unique_ptr<RecordSource>* out);
Status open_csv_source(const std::filesystem::path& path, const SourceOptions& options,
                       std::unique_ptr<RecordSource>* out);

Status open_jsonl_sink(const std::filesystem::path& path, bool gzip, int level, std::unique_ptr<RecordSink>* out);
Status open_json_sink(const std::filesystem::path& path, bool gzip, int level, std::unique_ptr<RecordSink>* out);
// formula_guard: ExportOptions::csv_formula_guard.
Status open_csv_sink(const std::filesystem::path& path, bool gzip, int level, bool formula_guard,
                     std::unique_ptr<RecordSink>* out);

// The CSV pair for path: "X.csv[.gz]" → "X.entities.csv[.gz]" and
// "X.relations.csv[.gz]".
std::filesystem::path csv_part(const std::filesystem::path& path, std::string_view kind);

// Appends the JSONL line of a record ({"type": ..., "data": ...}, no newline).
void append_jsonl(const Entity& e, std::string* out);
void append_jsonl(const Relation& r, std::string* out);

}  // namespace graphstore::io

#endif  // GRAPHSTORE_IO_FORMATS_HPP

// The file formats import and export know, one row each: the name a user
// gives, the extension that implies it, how its files are opened for reading
// and for writing, and whether it is a pair of files. Everything that chooses
// or describes a format (format_name, parse_format, format_from_path,
// export_files, import_files, import_file, export_store, the CLI's --format)
// reads this table; adding a format is one row plus its reader and writer.
#ifndef GRAPHSTORE_IO_FORMAT_TABLE_HPP
#define GRAPHSTORE_IO_FORMAT_TABLE_HPP

#include <filesystem>
#include <memory>
#include <span>
#include <string_view>

#include "graphstore/io.hpp"
#include "io/formats.hpp"

namespace graphstore::io {

// How a writer writes its files.
struct SinkOptions {
  bool gzip = false;
  int level = 6;               // zlib's 1..9
  bool formula_guard = false;  // ExportOptions::csv_formula_guard (rows with formula_guard only)
};

struct FormatRow {
  Format format;
  const char* name;       // as --format takes it and reports show it: "jsonl"
  const char* label;      // as messages show it: "JSONL"
  const char* extension;  // the extension that implies it, looked for under a final ".gz"
  // The file of one kind ("entities" or "relations") of a format written as a
  // pair of files, named after path; null for a format written as one file.
  std::filesystem::path (*part)(const std::filesystem::path& path, std::string_view kind);
  bool formula_guard;  // takes SinkOptions::formula_guard
  Status (*open_source)(const std::filesystem::path& path, const SourceOptions& options,
                        std::unique_ptr<RecordSource>* out);
  Status (*open_sink)(const std::filesystem::path& path, const SinkOptions& options, std::unique_ptr<RecordSink>* out);
};

// Every format, the default (what a path with no known extension implies)
// first.
std::span<const FormatRow> format_rows();

// The row of f (every Format has one).
const FormatRow& format_row(Format f);

}  // namespace graphstore::io

#endif  // GRAPHSTORE_IO_FORMAT_TABLE_HPP

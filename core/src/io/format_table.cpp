#include "io/format_table.hpp"

#include <array>
#include <string>

namespace graphstore {
namespace io {
namespace {

constexpr std::array<FormatRow, 3> kRows{{
    {Format::kJsonl, "jsonl", "JSONL", ".jsonl", nullptr, false, open_jsonl_source,
     [](const std::filesystem::path& path, const SinkOptions& o, std::unique_ptr<RecordSink>* out) {
       return open_jsonl_sink(path, o.gzip, o.level, out);
     }},
    {Format::kJson, "json", "JSON", ".json", nullptr, false, open_json_source,
     [](const std::filesystem::path& path, const SinkOptions& o, std::unique_ptr<RecordSink>* out) {
       return open_json_sink(path, o.gzip, o.level, out);
     }},
    {Format::kCsv, "csv", "CSV", ".csv", csv_part, true, open_csv_source,
     [](const std::filesystem::path& path, const SinkOptions& o, std::unique_ptr<RecordSink>* out) {
       return open_csv_sink(path, o.gzip, o.level, o.formula_guard, out);
     }},
}};

}  // namespace

std::span<const FormatRow> format_rows() { return kRows; }

const FormatRow& format_row(Format f) {
  for (const FormatRow& row : kRows)
    if (row.format == f) return row;
  return kRows.front();
}

}  // namespace io

const char* format_name(Format f) { return io::format_row(f).name; }

bool parse_format(std::string_view name, Format* out) {
  for (const io::FormatRow& row : io::format_rows())
    if (name == row.name) {
      *out = row.format;
      return true;
    }
  return false;
}

std::vector<std::string> format_names() {
  std::vector<std::string> names;
  for (const io::FormatRow& row : io::format_rows()) names.emplace_back(row.name);
  return names;
}

Format format_from_path(const std::filesystem::path& path) {
  std::filesystem::path p = path;
  if (p.extension() == ".gz") p = p.stem();
  const std::string ext = p.extension().string();
  for (const io::FormatRow& row : io::format_rows())
    if (ext == row.extension) return row.format;
  return io::format_rows().front().format;
}

}  // namespace graphstore

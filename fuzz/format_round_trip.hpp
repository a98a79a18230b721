// The check shared by the three file-format targets (jsonl_import,
// json_import, csv_import): the input is read as a file of that format by
// the importer's reader (plain or gzip, whichever its bytes are), and
//  - every bad record is INVALID_ARGUMENT with a message, and records come
//    in file order (line numbers never go back);
//  - the records it yields, written by the exporter's writer of the same
//    format (gzip when the input was), read back as the same records in the
//    same order (entities first, as the writer requires);
//  - a fatal error carries a message.
#ifndef GRAPHSTORE_FUZZ_FORMAT_ROUND_TRIP_HPP
#define GRAPHSTORE_FUZZ_FORMAT_ROUND_TRIP_HPP

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_check.hpp"
#include "io/format_table.hpp"
#include "memory_file.hpp"
#include "record_compare.hpp"

namespace graphstore::fuzz {

struct ReadRecords {
  std::vector<Entity> entities;
  std::vector<Relation> relations;
  bool gzip = false;
};

// Reads every record of the file at path with the format's reader; checks
// the reader's contract on the way. False when it cannot be opened.
inline bool read_all(const io::FormatRow& row, const std::filesystem::path& path, ReadRecords* out) {
  io::SourceOptions options;
  options.max_record = 4096;  // small, so that the over-long path is reached too
  options.spool_dir = scratch_dir();
  std::unique_ptr<io::RecordSource> source;
  Status s = row.open_source(path, options, &source);
  if (!s.ok()) {
    check(!s.message().empty(), "an open error must say why");
    return false;
  }
  out->gzip = source->gzip();
  io::SourceItem item;
  Status fatal;
  uint64_t last_line = 0;
  std::string last_file;
  while (source->next(&item, &fatal)) {
    check(item.file != nullptr, "a record must name its file");
    if (*item.file != last_file) last_line = 0, last_file = *item.file;
    check(item.line >= 1 && item.line >= last_line, "records must come in file order with 1-based lines",
          std::to_string(last_line) + " then " + std::to_string(item.line));
    last_line = item.line;
    if (!item.error.ok()) {
      check(item.error.code() == Code::kInvalidArgument && !item.error.message().empty(),
            "a bad record must be INVALID_ARGUMENT with a message", item.error.message());
      continue;
    }
    if (item.record.kind == RecordKind::kEntity) {
      out->entities.push_back(item.record.entity);
    } else {
      out->relations.push_back(item.record.relation);
    }
  }
  if (!fatal.ok()) check(!fatal.message().empty(), "a fatal read error must say why");
  return true;
}

// The whole check for one input in format f.
inline void check_format_round_trip(Format f, const uint8_t* data, size_t size) {
  const io::FormatRow& row = io::format_row(f);
  MemoryFile input(data, size);
  ReadRecords first;
  if (!read_all(row, input.path(), &first)) return;
  if (first.entities.empty() && first.relations.empty()) return;

  std::filesystem::path out_path = scratch_dir() / (std::string("round-trip") + row.extension);
  std::unique_ptr<io::RecordSink> sink;
  io::SinkOptions sink_options{.gzip = first.gzip, .level = 1};
  Status s = row.open_sink(out_path, sink_options, &sink);
  check(s.ok(), "the writer cannot be opened", s.message());
  for (const Entity& e : first.entities) check(sink->entity(e).ok(), "writing an entity failed");
  for (const Relation& r : first.relations) check(sink->relation(r).ok(), "writing a relation failed");
  s = sink->finish();
  check(s.ok(), "finishing the written file failed", s.message());

  ReadRecords second;
  check(read_all(row, out_path, &second), "the written file cannot be read back");
  check(second.gzip == first.gzip, "the written file's compression differs from the input's");
  check(second.entities.size() == first.entities.size(), "entities read back: a different number",
        std::to_string(first.entities.size()) + " written, " + std::to_string(second.entities.size()) + " read");
  check(second.relations.size() == first.relations.size(), "relations read back: a different number",
        std::to_string(first.relations.size()) + " written, " + std::to_string(second.relations.size()) + " read");
  for (size_t i = 0; i < first.entities.size(); ++i)
    check(first.entities[i] == second.entities[i], "an entity read back differs from the one written",
          entity_json(first.entities[i]) + " became " + entity_json(second.entities[i]));
  for (size_t i = 0; i < first.relations.size(); ++i)
    check(first.relations[i] == second.relations[i], "a relation read back differs from the one written",
          relation_json(first.relations[i]) + " became " + relation_json(second.relations[i]));
}

}  // namespace graphstore::fuzz

#endif  // GRAPHSTORE_FUZZ_FORMAT_ROUND_TRIP_HPP

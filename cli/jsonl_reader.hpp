// A minimal JSONL reader for the demo: a whole file of the reference's
// records (shared/formats/aiecs-jsonl.md) into memory. The core's streaming
// importer will replace it; keep it this small until then.
#ifndef GRAPHSTORE_CLI_JSONL_READER_HPP
#define GRAPHSTORE_CLI_JSONL_READER_HPP

#include <filesystem>
#include <vector>

#include "graphstore/status.hpp"
#include "graphstore/types.hpp"

namespace graphstore::cli {

struct Dataset {
  std::vector<Entity> entities;     // in file order
  std::vector<Relation> relations;  // in file order
};

// Reads every record of an uncompressed JSONL file; blank lines are skipped,
// records may come in any order. NOT_FOUND when the file cannot be opened;
// INVALID_ARGUMENT "FILE:LINE: reason" at the first bad record.
Status read_jsonl(const std::filesystem::path& file, Dataset* out);

}  // namespace graphstore::cli

#endif  // GRAPHSTORE_CLI_JSONL_READER_HPP

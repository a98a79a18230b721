// Relations deferred by the importer until after the last entity: written
// to an unnamed temporary file (unlinked at once, so it never outlives the
// process) and read back in the same order. Only the file grows, never the
// process.
#ifndef GRAPHSTORE_IO_SPOOL_HPP
#define GRAPHSTORE_IO_SPOOL_HPP

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include "graphstore/status.hpp"
#include "graphstore/types.hpp"

namespace graphstore::io {

class RelationSpool {
 public:
  explicit RelationSpool(std::filesystem::path dir) : dir_(std::move(dir)) {}
  ~RelationSpool();
  RelationSpool(const RelationSpool&) = delete;
  RelationSpool& operator=(const RelationSpool&) = delete;

  // Appends a relation (its tenant_id included) with where it came from.
  Status write(const Relation& r, uint32_t file_index, uint64_t line);
  // Ends writing; read() then starts from the first relation.
  Status rewind();
  // The next relation; false at the end or on error (*error not OK).
  bool read(Relation* r, uint32_t* file_index, uint64_t* line, Status* error);

  uint64_t count() const { return count_; }

 private:
  std::filesystem::path dir_;
  std::FILE* f_ = nullptr;
  uint64_t count_ = 0;
  std::string buf_;
};

}  // namespace graphstore::io

#endif  // GRAPHSTORE_IO_SPOOL_HPP

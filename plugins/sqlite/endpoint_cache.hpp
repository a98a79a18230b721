// EndpointCache: the rids of one tenant's entities that this store added,
// kept in memory so that a relation load resolves its endpoints without two
// index seeks per relation (at 10M entities each seek misses SQLite's cache).
//
// It is a cache, never the truth: a miss falls back to the entities_key
// index, so it may hold any subset of the tenant's entities. A hit must be
// right, so the store clears it whenever an entity may have lost its rid:
// another connection committed (PRAGMA data_version moved), this store
// removed an entity, or a write that filled it rolled back.
//
// Memory: ids are copied once into 4 MiB blocks (an id longer than 1 KiB is
// not kept), and an open-addressing table holds 16 bytes per slot at most
// 3/4 full. Growth stops at kMaxBytes in all (table and blocks), about 24M
// entities of 10-byte ids: later entities are simply not cached.
#ifndef GRAPHSTORE_SQLITE_ENDPOINT_CACHE_HPP
#define GRAPHSTORE_SQLITE_ENDPOINT_CACHE_HPP

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace graphstore::sqlite {

class EndpointCache {
 public:
  static constexpr size_t kMaxBytes = size_t(768) << 20;
  static constexpr size_t kMaxIdBytes = 1024;

  // Drops every entry (and frees the memory).
  void clear();
  // Remembers that id of tenant has rid (> 0). An entry of another tenant
  // than the cache's clears it first. No-op past the memory bound.
  void put(std::string_view tenant, std::string_view id, int64_t rid);
  // The rid of id in tenant, or 0 when not cached.
  int64_t find(std::string_view tenant, std::string_view id) const;
  size_t size() const { return used_; }
  size_t bytes() const;

 private:
  static constexpr size_t kBlockBytes = size_t(4) << 20;
  // where: 0 for an empty slot, else 1 + the id's place in the blocks (its
  // length prefix) in the low kWhereBits and the id's hash's top bits above,
  // so most probes that miss never touch the blocks.
  static constexpr int kWhereBits = 40;
  static constexpr uint64_t kWhereMask = (uint64_t(1) << kWhereBits) - 1;
  struct Slot {
    uint64_t where = 0;
    int64_t rid = 0;
  };
  static uint64_t tag_of(uint64_t hash) { return hash & ~kWhereMask; }
  std::string_view id_at(uint64_t where) const;
  uint64_t store_id(std::string_view id);  // 0 when over the bound
  bool grow();

  std::string tenant_;
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t block_used_ = kBlockBytes;  // bytes used in the last block
  std::vector<Slot> slots_;          // size a power of two, or empty
  size_t used_ = 0;
  bool full_ = false;
};

}  // namespace graphstore::sqlite

#endif  // GRAPHSTORE_SQLITE_ENDPOINT_CACHE_HPP

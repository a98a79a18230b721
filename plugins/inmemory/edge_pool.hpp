// EdgePool: the blocks that hold adjacency lists. Blocks come in power-of-two
// capacities carved from shared chunks and recycled through one free list per
// capacity, so growing a node's list causes no malloc churn and no per-list
// allocator overhead.
#ifndef GRAPHSTORE_INMEMORY_EDGE_POOL_HPP
#define GRAPHSTORE_INMEMORY_EDGE_POOL_HPP

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace graphstore::inmemory {

// One adjacency entry: the relation, the entity at its other end and the
// relation's interned type (so type filters never touch the relation record).
struct Edge {
  uint32_t relation;
  uint32_t other;
  uint32_t type;
};

// A list of edges in a block owned by an EdgePool (16 bytes). `sorted` says
// whether the edges are in relation-id order; the owning Graph appends
// without comparing ids and sorts lazily (see Graph::out_edges).
struct EdgeList {
  Edge* data = nullptr;
  uint32_t size = 0;
  uint8_t capacity_log2 = 0;   // meaningful when data != nullptr
  mutable uint8_t sorted = 1;  // accessed atomically (std::atomic_ref)
  uint16_t unused = 0;

  uint32_t capacity() const { return data ? uint32_t(1) << capacity_log2 : 0; }
  const Edge* begin() const { return data; }
  const Edge* end() const { return data + size; }
  bool empty() const { return size == 0; }
};

class EdgePool {
 public:
  EdgePool() = default;
  EdgePool(const EdgePool&) = delete;
  EdgePool& operator=(const EdgePool&) = delete;
  // Lists still holding large blocks must have been released first.
  ~EdgePool() = default;

  // Ensures list has room for one more edge, moving it to a block twice as
  // large when full. Throws std::bad_alloc and then leaves list unchanged.
  void reserve_one(EdgeList& list);

  // Returns list's block to the pool and empties it.
  void release(EdgeList& list);

  // Bytes held from the system (chunks plus large blocks). Safe to call while
  // another thread allocates (a bulk load's linker does, see EdgeLinker).
  size_t bytes() const { return bytes_.load(std::memory_order_relaxed); }

 private:
  static constexpr uint32_t kPooledCapacity = 1024;  // larger blocks use operator new
  // Chunks start small (a tenant with a few edges holds little) and double up
  // to a size where one malloc serves a few hundred thousand edges.
  static constexpr size_t kFirstChunkBytes = size_t(64) << 10;
  static constexpr size_t kMaxChunkBytes = size_t(8) << 20;

  Edge* allocate(uint32_t capacity);
  void deallocate(Edge* block, uint32_t capacity);

  std::vector<std::unique_ptr<char[]>> chunks_;
  char* cur_ = nullptr;
  size_t left_ = 0;
  std::array<char*, 11> free_{};  // index: log2(capacity)
  size_t chunk_bytes_ = 0;
  std::atomic<size_t> bytes_{0};  // chunks plus large blocks
};

}  // namespace graphstore::inmemory

#endif  // GRAPHSTORE_INMEMORY_EDGE_POOL_HPP

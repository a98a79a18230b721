// Arena: the variable-length bytes of records (ids, properties, sources,
// embeddings) packed into large chunks, so a record costs one pointer and a
// few lengths instead of a heap allocation per field.
#ifndef GRAPHSTORE_INMEMORY_ARENA_HPP
#define GRAPHSTORE_INMEMORY_ARENA_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace graphstore::inmemory {

class Arena {
 public:
  // first_chunk sizes the first chunk; a compaction passes the live total so
  // that the copy lands in one block.
  explicit Arena(size_t first_chunk = 4096) : next_chunk_(first_chunk) {}

  // Returns n uninitialised bytes aligned to align (a power of two <= 16).
  // They stay valid until the arena is destroyed. Throws std::bad_alloc.
  // Inline while the current chunk has room: a bulk add allocates per item.
  char* allocate(size_t n, size_t align) {
    size_t pad = (align - (reinterpret_cast<uintptr_t>(cur_) & (align - 1))) & (align - 1);
    if (cur_ == nullptr || pad + n > left_) return allocate_in_new_chunk(n);
    char* p = cur_ + pad;
    cur_ = p + n;
    left_ -= pad + n;
    live_ += n;
    return p;
  }

  // Makes the current chunk a fresh one of n bytes, so that allocations
  // totalling at most n (alignment padding included) cannot throw.
  void reserve(size_t n) {
    cur_ = new_block(n);
    left_ = n;
  }

  // Appends to *out the memory that allocations totalling about `bytes` will
  // take next: the rest of the current chunk and, when that is short, a spare
  // chunk allocated now for allocate() to continue in. For a Prefaulter.
  // Throws std::bad_alloc and then appends nothing.
  template <class Out>
  void upcoming(size_t bytes, Out* out) {
    if (bytes > left_ && spare_ == nullptr) {
      spare_size_ = std::max(next_chunk_, std::min(bytes - left_, kMaxChunk));
      spare_ = new_block(spare_size_);
      grow_next_chunk();
    }
    if (cur_ != nullptr && left_ > 0) out->push_back({cur_, std::min(left_, bytes)});
    if (bytes > left_) out->push_back({spare_, std::min(spare_size_, bytes - left_)});
  }

  // Frees a spare chunk upcoming() set aside that allocations never reached
  // (the estimate was high, or the write failed). Returns whether it did.
  bool drop_spare();

  // Marks n bytes of an earlier allocation as garbage. The bytes stay
  // readable; they are reclaimed only when the owner compacts.
  void release(size_t n) { live_ -= n; }

  size_t reserved_bytes() const { return reserved_; }
  size_t live_bytes() const { return live_; }
  // Bytes released by their owners (reserved, neither live nor yet handed out).
  size_t garbage_bytes() const { return reserved_ - live_ - left_ - (spare_ ? spare_size_ : 0); }

 private:
  static constexpr size_t kMaxChunk = size_t(8) << 20;

  char* allocate_in_new_chunk(size_t n);
  char* new_block(size_t n);
  void grow_next_chunk() { next_chunk_ = std::min(std::max(next_chunk_ * 2, size_t(4096)), kMaxChunk); }

  std::vector<std::unique_ptr<char[]>> chunks_;
  char* cur_ = nullptr;
  size_t left_ = 0;
  char* spare_ = nullptr;  // a chunk set aside by upcoming(), not used yet
  size_t spare_size_ = 0;
  size_t next_chunk_;
  size_t reserved_ = 0;
  size_t live_ = 0;
};

}  // namespace graphstore::inmemory

#endif  // GRAPHSTORE_INMEMORY_ARENA_HPP

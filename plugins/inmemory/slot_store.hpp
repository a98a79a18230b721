// SlotStore: records addressed by slot number, in chunks that double in size
// and never move. Unlike a std::vector it never copies its records when it
// grows, so a large load touches each record's memory once and never holds
// two generations of the table at the same time.
#ifndef GRAPHSTORE_INMEMORY_SLOT_STORE_HPP
#define GRAPHSTORE_INMEMORY_SLOT_STORE_HPP

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>

namespace graphstore::inmemory {

template <class T>
class SlotStore {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

 public:
  SlotStore() = default;
  SlotStore(const SlotStore&) = delete;
  SlotStore& operator=(const SlotStore&) = delete;
  ~SlotStore() {
    for (size_t k = 0; k < chunks_; ++k) ::operator delete(chunk_[kFirstLog2 + k], std::align_val_t(alignof(T)));
  }

  T& operator[](size_t i) { return at(i); }
  const T& operator[](size_t i) const { return const_cast<SlotStore*>(this)->at(i); }
  size_t size() const { return size_; }
  // Slots allocated so far (size() plus the unused rest of the last chunk).
  size_t capacity() const { return chunk_begin(chunks_); }

  // Makes room so that push() cannot throw. Throws std::bad_alloc.
  void reserve_one() { reserve(1); }
  // Makes room for n more slots, allocating (not touching) whole chunks.
  // Throws std::bad_alloc.
  void reserve(size_t n) {
    while (capacity() < size_ + n) {
      if (chunks_ == kMaxChunks) throw std::bad_alloc();
      add_chunk();
    }
  }

  // The memory of slots [from, to), which must lie within capacity(), as one
  // range per chunk it spans.
  template <class Out>
  void ranges(size_t from, size_t to, Out* out) const {
    while (from < to) {
      size_t u = from + kFirst, chunk_end = size_t(2) << top_bit(u);  // in u's terms
      size_t in_chunk = std::min(to - from, chunk_end - u);
      out->push_back({&(*this)[from], in_chunk * sizeof(T)});
      from += in_chunk;
    }
  }

  // Appends value; reserve_one must have been called.
  void push(const T& value) {
    size_t i = size_++;
    new (&at(i)) T(value);
  }

 private:
  // Chunk k holds kFirst << k slots, starting at slot kFirst * (2^k - 1).
  // With u = slot + kFirst, that chunk is the one of u's top bit, and the
  // offset in it is u without that bit: one bit scan, no division.
  static constexpr size_t kFirstLog2 = 4;
  static constexpr size_t kFirst = size_t(1) << kFirstLog2;
  static constexpr size_t kMaxChunks = 32 - kFirstLog2;  // every uint32_t slot

  static size_t chunk_size(size_t k) { return kFirst << k; }
  static size_t chunk_begin(size_t k) { return kFirst * ((size_t(1) << k) - 1); }

  void add_chunk() {
    size_t bytes = chunk_size(chunks_) * sizeof(T);
    chunk_[kFirstLog2 + chunks_] = static_cast<T*>(::operator new(bytes, std::align_val_t(alignof(T))));  // untouched
    ++chunks_;
  }

  static size_t top_bit(size_t u) { return size_t(std::bit_width(u)) - 1; }

  T& at(size_t i) {
    size_t u = i + kFirst, top = top_bit(u);
    return chunk_[top][u - (size_t(1) << top)];
  }

  T* chunk_[kFirstLog2 + kMaxChunks] = {};  // indexed by the top bit of slot + kFirst
  size_t chunks_ = 0;
  size_t size_ = 0;
};

}  // namespace graphstore::inmemory

#endif  // GRAPHSTORE_INMEMORY_SLOT_STORE_HPP

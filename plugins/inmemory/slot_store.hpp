// SlotStore: records addressed by slot number, in chunks that double in size
// and never move. Unlike a std::vector it never copies its records when it
// grows, so a large load touches each record's memory once and never holds
// two generations of the table at the same time.
#ifndef GRAPHSTORE_INMEMORY_SLOT_STORE_HPP
#define GRAPHSTORE_INMEMORY_SLOT_STORE_HPP

#include <bit>
#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>
#include <vector>


namespace graphstore::inmemory {

template <class T>
class SlotStore {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

 public:
  SlotStore() = default;
  SlotStore(const SlotStore&) = delete;
  SlotStore& operator=(const SlotStore&) = delete;
  ~SlotStore() {
    for (size_t k = 0; k < chunks_.size(); ++k) ::operator delete(chunks_[k], std::align_val_t(alignof(T)));
  }

  T& operator[](size_t i) { return at(i); }
  const T& operator[](size_t i) const { return const_cast<SlotStore*>(this)->at(i); }
  size_t size() const { return size_; }
  // Slots allocated so far (size() plus the unused rest of the last chunk).
  size_t capacity() const { return chunk_begin(chunks_.size()); }

  // Makes room so that push() cannot throw. Throws std::bad_alloc.
  void reserve_one() {
    if (size_ < capacity()) return;
    size_t k = chunks_.size();
    chunks_.reserve(k + 1);
    size_t bytes = chunk_size(k) * sizeof(T);
    T* chunk = static_cast<T*>(::operator new(bytes, std::align_val_t(alignof(T))));  // untouched until used
    chunks_.push_back(chunk);
  }
  // Appends value; reserve_one must have been called.
  void push(const T& value) {
    size_t i = size_++;
    new (&at(i)) T(value);
  }

 private:
  static constexpr size_t kFirst = 16;  // slots in chunk 0; chunk k holds kFirst << k

  static size_t chunk_size(size_t k) { return kFirst << k; }
  static size_t chunk_begin(size_t k) { return kFirst * ((size_t(1) << k) - 1); }

  T& at(size_t i) {
    size_t k = size_t(std::bit_width(i / kFirst + 1)) - 1;
    return chunks_[k][i - chunk_begin(k)];
  }

  std::vector<T*> chunks_;
  size_t size_ = 0;
};

}  // namespace graphstore::inmemory

#endif  // GRAPHSTORE_INMEMORY_SLOT_STORE_HPP

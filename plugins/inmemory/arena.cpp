#include "arena.hpp"

#include <algorithm>
#include <cstdint>


namespace graphstore::inmemory {

char* Arena::new_block(size_t n) {
  chunks_.reserve(chunks_.size() + 1);  // so that push_back below cannot throw after new[]
  chunks_.emplace_back(new char[n]);
  reserved_ += n;
  return chunks_.back().get();
}

bool Arena::drop_spare() {
  if (spare_ == nullptr) return false;
  for (size_t k = chunks_.size(); k-- > 0;) {
    if (chunks_[k].get() != spare_) continue;
    chunks_.erase(chunks_.begin() + long(k));
    break;
  }
  reserved_ -= spare_size_;
  spare_ = nullptr;
  spare_size_ = 0;
  return true;
}

char* Arena::allocate_in_new_chunk(size_t n) {
  // A blob larger than a quarter chunk gets a block of its own, so big
  // properties never strand the tail of the current chunk.
  if (n > kMaxChunk / 4 && n > next_chunk_ / 4) {
    char* p = new_block(n);
    live_ += n;
    return p;
  }
  if (spare_ != nullptr && n <= spare_size_) {
    cur_ = spare_;
    left_ = spare_size_;
    spare_ = nullptr;
  } else {
    size_t size = std::max(next_chunk_, n);
    cur_ = new_block(size);
    left_ = size;
    grow_next_chunk();
  }
  // new[] returns memory aligned for any fundamental type.
  char* p = cur_;
  cur_ += n;
  left_ -= n;
  live_ += n;
  return p;
}

}  // namespace graphstore::inmemory

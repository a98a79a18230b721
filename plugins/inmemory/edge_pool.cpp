#include "edge_pool.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <new>


namespace graphstore::inmemory {

Edge* EdgePool::allocate(uint32_t capacity) {
  size_t bytes = size_t(capacity) * sizeof(Edge);
  if (capacity > kPooledCapacity) {
    Edge* block = static_cast<Edge*>(::operator new(bytes));
    bytes_.fetch_add(bytes, std::memory_order_relaxed);
    return block;
  }
  int cls = std::countr_zero(capacity);
  if (char* head = free_[cls]) {
    std::memcpy(&free_[cls], head, sizeof(char*));  // the next link lives in the free block
    return reinterpret_cast<Edge*>(head);
  }
  if (bytes > left_) {
    size_t chunk = chunks_.empty() ? kFirstChunkBytes : std::min(kMaxChunkBytes, 2 * chunk_bytes_);
    chunks_.reserve(chunks_.size() + 1);
    chunks_.emplace_back(new char[chunk]);
    cur_ = chunks_.back().get();
    left_ = chunk;
    chunk_bytes_ += chunk;
    bytes_.fetch_add(chunk, std::memory_order_relaxed);
  }
  char* block = cur_;
  cur_ += bytes;
  left_ -= bytes;
  return reinterpret_cast<Edge*>(block);
}

void EdgePool::deallocate(Edge* block, uint32_t capacity) {
  if (capacity > kPooledCapacity) {
    ::operator delete(block);
    bytes_.fetch_sub(size_t(capacity) * sizeof(Edge), std::memory_order_relaxed);
    return;
  }
  int cls = std::countr_zero(capacity);
  char* raw = reinterpret_cast<char*>(block);
  std::memcpy(raw, &free_[cls], sizeof(char*));
  free_[cls] = raw;
}

void EdgePool::reserve_one(EdgeList& list) {
  uint32_t old_capacity = list.capacity();
  if (list.size < old_capacity) return;
  uint8_t log2 = list.data ? uint8_t(list.capacity_log2 + 1) : 0;
  Edge* block = allocate(uint32_t(1) << log2);
  if (list.size) std::memcpy(block, list.data, size_t(list.size) * sizeof(Edge));
  if (list.data) deallocate(list.data, old_capacity);
  list.data = block;
  list.capacity_log2 = log2;
}

void EdgePool::release(EdgeList& list) {
  if (list.data) deallocate(list.data, list.capacity());
  list = EdgeList{};
}

}  // namespace graphstore::inmemory

#include "io/prefetch.hpp"

#include <pthread.h>

#include <exception>

namespace graphstore::io {

Prefetcher::Prefetcher(RecordSource* src) : src_(src) {
  for (size_t i = 0; i < kChunks; ++i) free_.push_back(std::make_unique<Chunk>());
  thread_ = std::thread([this] { produce(); });
}

Prefetcher::~Prefetcher() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

WriteBatch Prefetcher::recycle(WriteBatch&& used) {
  std::lock_guard<std::mutex> lock(mu_);
  if (producing_done_ || stop_) {
    // The reader has finished: clear here.
    used.clear();
    return std::move(used);
  }
  used_.push_back(std::move(used));
  if (cleared_.empty()) return WriteBatch();
  WriteBatch b = std::move(cleared_.back());
  cleared_.pop_back();
  return b;
}

void Prefetcher::clear_used() {
  std::vector<WriteBatch> batches;
  {
    std::lock_guard<std::mutex> lock(mu_);
    batches.swap(used_);
  }
  if (batches.empty()) return;
  for (auto& b : batches) b.clear();
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& b : batches)
    if (cleared_.size() < 4) cleared_.push_back(std::move(b));
}

void Prefetcher::produce() {
  pthread_setname_np(pthread_self(), "gs-import-read");  // in top, perf and gdb
  for (;;) {
    clear_used();
    std::unique_ptr<Chunk> chunk;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stop_ || !free_.empty(); });
      if (stop_) return;
      chunk = std::move(free_.front());
      free_.pop_front();
    }
    chunk->size = 0;
    chunk->last = false;
    chunk->fatal = Status::Ok();
    try {
      while (chunk->size < kChunkItems && !stop_.load(std::memory_order_relaxed)) {
        Slot& slot = chunk->slots[chunk->size];
        Status fatal;
        if (!src_->next(&slot.item, &fatal)) {
          chunk->last = true;
          chunk->fatal = fatal;
          break;
        }
        if (!slot.item.error.ok()) slot.raw.assign(slot.item.raw);
        ++chunk->size;
      }
    } catch (const std::exception& e) {
      chunk->last = true;
      chunk->fatal = Internal(std::string("reading the input: ") + e.what());
    }
    chunk->bytes = src_->bytes_read();
    bool last = chunk->last;
    {
      std::lock_guard<std::mutex> lock(mu_);
      full_.push_back(std::move(chunk));
    }
    cv_.notify_all();
    if (last) {
      std::lock_guard<std::mutex> lock(mu_);
      producing_done_ = true;
      return;
    }
  }
}

bool Prefetcher::next(SourceItem** item, Status* fatal) {
  *fatal = Status::Ok();
  for (;;) {
    if (current_ && pos_ < current_->size) {
      Slot& slot = current_->slots[pos_++];
      if (!slot.item.error.ok()) slot.item.raw = slot.raw;
      *item = &slot.item;
      return true;
    }
    if (current_ && current_->last) {
      *fatal = current_->fatal;
      done_ = true;
    }
    if (done_) return false;
    std::unique_lock<std::mutex> lock(mu_);
    if (current_) {
      free_.push_back(std::move(current_));
      cv_.notify_all();
    }
    cv_.wait(lock, [&] { return !full_.empty(); });
    current_ = std::move(full_.front());
    full_.pop_front();
    pos_ = 0;
    bytes_ = current_->bytes;
  }
}

}  // namespace graphstore::io

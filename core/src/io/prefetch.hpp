// Reads a RecordSource on a thread of its own, a few chunks ahead of the
// consumer: reading, decompressing and decoding overlap the store's writes
// (the import's two halves take about the same time). At most kChunks
// chunks of kChunkItems records exist at once, so memory stays constant.
#ifndef GRAPHSTORE_IO_PREFETCH_HPP
#define GRAPHSTORE_IO_PREFETCH_HPP

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "graphstore/write_batch.hpp"
#include "io/formats.hpp"

namespace graphstore::io {

class Prefetcher {
 public:
  explicit Prefetcher(RecordSource* src);  // starts reading
  ~Prefetcher();                           // stops reading and joins
  Prefetcher(const Prefetcher&) = delete;
  Prefetcher& operator=(const Prefetcher&) = delete;

  // The next item, in the source's order; valid until the next call. False
  // at the end, with *fatal not OK when the source could not go on.
  bool next(SourceItem** item, Status* fatal);
  // The source's bytes_read() when the current item was read.
  uint64_t bytes_read() const { return bytes_; }

  // Hands a written batch to the reading thread, which destroys its records
  // (it allocated them: freeing them there keeps the writing thread's time
  // for the store), and returns an empty batch to reuse, with capacity when
  // one is ready.
  WriteBatch recycle(WriteBatch&& used);

  static constexpr size_t kChunkItems = 512;
  static constexpr size_t kChunks = 6;

 private:
  struct Slot {
    SourceItem item;
    std::string raw;  // the text of a bad record, owned (item.raw points into the reader otherwise)
  };
  struct Chunk {
    std::vector<Slot> slots = std::vector<Slot>(kChunkItems);
    size_t size = 0;
    bool last = false;
    Status fatal;
    uint64_t bytes = 0;
  };

  void produce();
  void clear_used();  // on the reading thread

  RecordSource* src_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Chunk>> full_, free_;
  std::vector<WriteBatch> used_, cleared_;  // batches to clear, and cleared ones
  std::atomic<bool> stop_{false};
  std::unique_ptr<Chunk> current_;
  size_t pos_ = 0;
  uint64_t bytes_ = 0;
  bool done_ = false;            // the consumer has seen the end
  bool producing_done_ = false;  // the reading thread has stopped (under mu_)
  std::thread thread_;
};

}  // namespace graphstore::io

#endif  // GRAPHSTORE_IO_PREFETCH_HPP

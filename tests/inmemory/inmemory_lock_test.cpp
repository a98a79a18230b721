// The graph lock, tested directly: writers exclude everyone, a waiting writer
// goes before readers that arrive after it, and a thread already inside a
// read reads again without waiting for that writer (it would deadlock).
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "locks.hpp"

namespace graphstore::inmemory {
namespace {

void wait_for_writer(const RwLock& lock) {
  while (!lock.writer_waiting()) std::this_thread::yield();
}

TEST(RwLock, WritersExcludeEveryoneAndReadersSeeWholeWrites) {
  RwLock lock;
  uint64_t a = 0, b = 0;  // every write leaves them equal
  std::atomic<bool> torn{false};
  constexpr int kWrites = 20'000;
  std::vector<std::thread> threads;
  for (int w = 0; w < 2; ++w)
    threads.emplace_back([&] {
      for (int i = 0; i < kWrites; ++i) {
        lock.lock();
        ++a;
        ++b;
        lock.unlock();
      }
    });
  for (int r = 0; r < 4; ++r)
    threads.emplace_back([&] {
      for (int i = 0; i < kWrites; ++i) {
        ReadGuard guard(lock);
        if (a != b) torn = true;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(a, 2u * kWrites);
  EXPECT_EQ(b, 2u * kWrites);
  EXPECT_FALSE(torn);
}

TEST(RwLock, AWaitingWriterGoesBeforeReadersArrivingAfterIt) {
  RwLock lock;
  int order = 0, writer_at = 0, reader_at = 0;  // written under the lock
  auto first = std::make_unique<ReadGuard>(lock);
  std::thread writer([&] {
    lock.lock();
    writer_at = ++order;
    lock.unlock();
  });
  wait_for_writer(lock);
  std::thread reader([&] {
    ReadGuard guard(lock);
    reader_at = ++order;
  });
  // Give a wrongly admitted reader time to get in first.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  first.reset();
  writer.join();
  reader.join();
  EXPECT_EQ(writer_at, 1);
  EXPECT_EQ(reader_at, 2);
}

TEST(RwLock, AThreadInsideAReadReadsAgainWhileAWriterWaits) {
  RwLock lock, other;
  auto outer = std::make_unique<ReadGuard>(lock);
  bool written = false;
  std::thread writer([&] {
    lock.lock();
    written = true;
    lock.unlock();
  });
  wait_for_writer(lock);
  {
    ReadGuard again(lock);  // waiting here for the writer would deadlock
    ReadGuard elsewhere(other);
    EXPECT_TRUE(held_shared_by_this_thread(lock));
    EXPECT_TRUE(held_shared_by_this_thread(other));
    EXPECT_FALSE(written);
  }
  EXPECT_FALSE(held_shared_by_this_thread(other));
  EXPECT_TRUE(held_shared_by_this_thread(lock));
  outer.reset();
  EXPECT_FALSE(held_shared_by_this_thread(lock));
  writer.join();
  EXPECT_TRUE(written);
}

TEST(ReadGuard, BeyondTheTrackedDepthEveryLockCountsAsHeld) {
  std::array<RwLock, detail::HeldReads::kTracked + 1> locks;
  RwLock unrelated;
  std::vector<std::unique_ptr<ReadGuard>> guards;
  for (size_t i = 0; i < detail::HeldReads::kTracked; ++i) {
    guards.push_back(std::make_unique<ReadGuard>(locks[i]));
    EXPECT_TRUE(held_shared_by_this_thread(locks[i]));
    EXPECT_FALSE(held_shared_by_this_thread(unrelated)) << "at depth " << i + 1;
  }
  guards.push_back(std::make_unique<ReadGuard>(locks.back()));
  EXPECT_TRUE(held_shared_by_this_thread(unrelated));  // cannot tell: say held, so a write is refused
  guards.pop_back();
  EXPECT_FALSE(held_shared_by_this_thread(unrelated));
  while (!guards.empty()) guards.pop_back();
  for (const RwLock& l : locks) EXPECT_FALSE(held_shared_by_this_thread(l));
  // Every lock is free again: a writer gets each at once.
  for (RwLock& l : locks) {
    l.lock();
    l.unlock();
  }
}

}  // namespace
}  // namespace graphstore::inmemory

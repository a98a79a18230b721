// The in-memory plugin's storage parts, tested directly: SlotStore's slot
// addressing and reserved ranges, the Arena's spare chunk and garbage count,
// and the Prefaulter, which must never change memory another thread writes.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <thread>
#include <vector>

#include "arena.hpp"
#include "prefaulter.hpp"
#include "slot_store.hpp"

namespace graphstore::inmemory {
namespace {

struct Record {
  uint64_t a;
  uint32_t b;
};

TEST(SlotStore, SlotsKeepTheirValuesAndAddressesAcrossChunks) {
  SlotStore<Record> s;
  std::vector<const Record*> where;
  for (uint32_t i = 0; i < 100'000; ++i) {
    s.reserve_one();
    s.push(Record{i * 3ull, i});
    where.push_back(&s[i]);
  }
  for (uint32_t i = 0; i < 100'000; ++i) {
    ASSERT_EQ(s[i].a, i * 3ull);
    ASSERT_EQ(s[i].b, i);
    ASSERT_EQ(&s[i], where[i]) << "slot " << i << " moved";
  }
}

TEST(SlotStore, ReserveMakesRoomAndRangesNameEachSlotOnce) {
  SlotStore<Record> s;
  s.reserve_one();
  s.push(Record{1, 1});
  s.reserve(70'000);
  size_t capacity = s.capacity();
  ASSERT_GE(capacity, 70'001u);
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    size_t from = rng() % capacity, to = from + rng() % (capacity - from + 1);
    std::vector<MemoryRange> ranges;
    s.ranges(from, to, &ranges);
    size_t slot = from;
    for (const MemoryRange& r : ranges) {
      ASSERT_EQ(r.data, &s[slot]) << from << ".." << to;
      ASSERT_EQ(r.bytes % sizeof(Record), 0u);
      size_t n = r.bytes / sizeof(Record);
      ASSERT_GT(n, 0u);
      ASSERT_EQ(&s[slot + n - 1], &s[slot] + (n - 1)) << "a range spans two chunks";
      slot += n;
    }
    ASSERT_EQ(slot, to);
  }
  for (uint32_t i = 1; i <= 70'000; ++i) {
    s.reserve_one();
    s.push(Record{i, i});
  }
  EXPECT_EQ(s.capacity(), capacity) << "pushing what reserve made room for allocated more";
}

TEST(Arena, AllocationsContinueInTheRangesUpcomingNamed) {
  Arena arena;
  arena.allocate(100, 1);
  std::vector<MemoryRange> ranges;
  arena.upcoming(20'000, &ranges);  // more than the first chunk holds: a spare is set aside
  ASSERT_EQ(ranges.size(), 2u);
  size_t reserved = arena.reserved_bytes();
  auto inside = [&](const char* p, size_t n) {
    for (const MemoryRange& r : ranges) {
      const char* b = static_cast<const char*>(r.data);
      if (p >= b && p + n <= b + r.bytes) return true;
    }
    return false;
  };
  size_t allocated = 0;
  while (allocated + 50 <= 19'000) {  // the end of a chunk strands a little
    char* p = arena.allocate(50, 1);
    ASSERT_TRUE(inside(p, 50)) << "after " << allocated << " bytes";
    allocated += 50;
  }
  EXPECT_EQ(arena.reserved_bytes(), reserved) << "the spare chunk was not used";
}

TEST(Arena, GarbageIsWhatOwnersReleasedOnlyAndAnUnusedSpareCanGo) {
  Arena arena;
  arena.allocate(1000, 1);
  size_t reserved = arena.reserved_bytes();
  EXPECT_EQ(arena.garbage_bytes(), 0u);
  std::vector<MemoryRange> ranges;
  arena.upcoming(1'000'000, &ranges);
  EXPECT_EQ(arena.reserved_bytes(), reserved + 1'000'000 - 3096) << "a spare for what the chunk cannot hold";
  EXPECT_EQ(arena.garbage_bytes(), 0u) << "the unused rest and the spare are not garbage";
  arena.release(400);
  EXPECT_EQ(arena.garbage_bytes(), 400u);
  EXPECT_EQ(arena.live_bytes(), 600u);
  EXPECT_TRUE(arena.drop_spare());
  EXPECT_EQ(arena.reserved_bytes(), reserved);
  EXPECT_FALSE(arena.drop_spare());
  EXPECT_EQ(arena.garbage_bytes(), 400u);
}

// A writer fills a fresh buffer while the Prefaulter populates the same
// pages: every byte written must read back. Labelled concurrency (TSan).
TEST(Prefaulter, NeverChangesMemoryBeingWritten) {
  constexpr size_t kBytes = size_t(64) << 20;
  std::unique_ptr<char[]> buffer(new char[kBytes]);
  {
    Prefaulter prefaulter;
    prefaulter.populate({MemoryRange{buffer.get(), kBytes / 2}, MemoryRange{buffer.get() + kBytes / 2, kBytes / 2}});
    for (size_t i = 0; i < kBytes; i += 512) std::memset(buffer.get() + i, int((i / 512) % 251), 512);
  }
  for (size_t i = 0; i < kBytes; i += 512) ASSERT_EQ(buffer[i + 511], char((i / 512) % 251)) << "at byte " << i;
}

TEST(Prefaulter, StopsWithWorkStillQueued) {
  constexpr size_t kBytes = size_t(256) << 20;
  std::unique_ptr<char[]> buffer(new char[kBytes]);
  {
    Prefaulter prefaulter;
    prefaulter.populate({MemoryRange{buffer.get(), kBytes}});
  }  // joins after one slice at most
  buffer[kBytes - 1] = 1;
  EXPECT_EQ(buffer[kBytes - 1], 1);
}

}  // namespace
}  // namespace graphstore::inmemory

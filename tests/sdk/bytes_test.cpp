// graphstore/bytes.hpp: copy_bytes takes a different path below 4, 8 and 16
// bytes, and assign_bytes a different one as the target shrinks, grows within
// its capacity or grows past it, so each is tried across those sizes.
#include "graphstore/bytes.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace graphstore::sdk {
namespace {

std::string pattern(size_t n, char seed) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>(seed + i * 7);
  return s;
}

TEST(Bytes, CopyBytesCopiesExactlyTheRange) {
  for (size_t n = 0; n <= 40; ++n) {
    std::string from = pattern(n, 'a');
    std::vector<char> to(n + 2, '#');  // a guard byte either side
    copy_bytes(to.data() + 1, from.data(), n);
    EXPECT_EQ(std::string(to.data() + 1, n), from) << n;
    EXPECT_EQ(to.front(), '#') << n;
    EXPECT_EQ(to.back(), '#') << n;
  }
}

TEST(Bytes, AssignBytesFromEveryLengthToEveryLength) {
  for (size_t before = 0; before <= 40; ++before)
    for (size_t after = 0; after <= 40; ++after) {
      std::string s = pattern(before, 'A');
      if (before % 3 == 0) s.reserve(64);  // some grow within their capacity
      std::string want = pattern(after, 'k');
      assign_bytes(&s, want.data(), want.size());
      ASSERT_EQ(s, want) << before << " -> " << after;
      ASSERT_EQ(s.size(), after);
      ASSERT_EQ(s.c_str()[after], '\0');
    }
}

}  // namespace
}  // namespace graphstore::sdk

// graphstore/utf8.hpp: the one definition of well-formed UTF-8. Short
// strings take a word-at-a-time path, so each case is tried at every length
// and position around the word sizes.
#include "graphstore/utf8.hpp"

#include <gtest/gtest.h>

#include <string>

namespace graphstore::sdk {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
  for (const char* s :
       {"", "a", "plain ascii id", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xef\xbf\xbf", "\xf4\x8f\xbf\xbf"})
    EXPECT_TRUE(valid_utf8(s)) << s;
  EXPECT_TRUE(valid_utf8(std::string_view("nul\0inside", 10)));
}

TEST(Utf8, FindsEachBadSequenceAtEveryLengthAndPosition) {
  const std::string bad[] = {
      "\xff",              // never valid
      "\x80",              // a continuation byte alone
      "\xc3",              // truncated
      "\xc0\xaf",          // overlong
      "\xe0\x80\xaf",      // overlong
      "\xed\xa0\x80",      // a surrogate
      "\xf4\x90\x80\x80",  // past U+10FFFF
  };
  for (size_t length = 1; length <= 24; ++length) {
    for (size_t at = 0; at < length; ++at) {
      for (const std::string& b : bad) {
        std::string s(length, 'x');
        s.replace(at, std::min(b.size(), length - at), b.substr(0, length - at));
        if (b.size() > length - at && b != "\xc3") continue;  // cut short: a different case
        EXPECT_FALSE(valid_utf8(s)) << "length " << length << " at " << at;
        EXPECT_EQ(utf8_prefix(s), at) << "length " << length << " at " << at;
      }
      std::string good(length, 'y');
      good.replace(at, 1, "\xc3\xa9");
      EXPECT_TRUE(valid_utf8(good)) << "length " << length << " at " << at;
    }
  }
}

}  // namespace
}  // namespace graphstore::sdk

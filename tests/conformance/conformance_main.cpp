// conformance_test's main: says which backend runs, then runs every test.
#include <gtest/gtest.h>

#include <cstdio>

#include "conformance.hpp"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (GTEST_FLAG_GET(list_tests)) return RUN_ALL_TESTS();  // keep the list parseable
  for (const auto& b : graphstore::conformance::backends_under_test())
    std::printf("graphstore conformance: backend '%s', options %s (plugin dir %s)\n", b.plugin.c_str(),
                b.options.c_str(), GRAPHSTORE_CONFORMANCE_PLUGIN_DIR);
  return RUN_ALL_TESTS();
}

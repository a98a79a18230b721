// Run-time checks of the ABI helpers: GS_HAS_FIELD (from C and C++), which
// slots plugin.hpp fills, and how its guard maps errors to statuses.
#include <gtest/gtest.h>

#include <cstddef>
#include <new>
#include <stdexcept>

#include "graphstore/plugin.hpp"
#include "hello_store.hpp"

extern "C" int graphstore_abi_c11_has_traverse(const gs_store_api* api);
extern "C" gs_plugin_entry_fn graphstore_abi_c11_check_entry(void);

namespace {

namespace sdk = graphstore::sdk;

// A plugin class with one native Tier 2 method.
class WithTraverse : public hello::HelloStore {
 public:
  static hello::Status open(const gs_host*, std::string_view, std::unique_ptr<WithTraverse>* out) {
    *out = std::make_unique<WithTraverse>();
    return {};
  }
  hello::Status traverse(std::string_view, const gs_traverse_params&, sdk::TraverseSink, bool*) { return {}; }
};

TEST(SdkAbi, HasFieldFollowsStructSizeInCAndCxx) {
  gs_store_api api{};
  api.struct_size = offsetof(gs_store_api, traverse);
  EXPECT_TRUE(GS_HAS_FIELD(gs_store_api, &api, apply_batch));
  EXPECT_FALSE(GS_HAS_FIELD(gs_store_api, &api, traverse));
  EXPECT_EQ(graphstore_abi_c11_has_traverse(&api), 0);
  api.struct_size = sizeof(gs_store_api);
  EXPECT_TRUE(GS_HAS_FIELD(gs_store_api, &api, get_stats));
  EXPECT_EQ(graphstore_abi_c11_has_traverse(&api), 1);
}

TEST(SdkAbi, CEntryPointTypeChecks) {
  gs_plugin_entry_fn entry = graphstore_abi_c11_check_entry();
  const gs_plugin_descriptor* d = reinterpret_cast<const gs_plugin_descriptor*>(1);
  EXPECT_EQ(entry(nullptr, &d, nullptr), GS_NOT_FOUND);
  EXPECT_EQ(d, nullptr);
}

TEST(SdkAbi, MakeApiFillsTier1AndOnlyTheDeclaredTier2Slots) {
  gs_store_api tier1 = sdk::make_api<hello::HelloStore>();
  EXPECT_EQ(tier1.struct_size, sizeof(gs_store_api));
  EXPECT_NE(tier1.apply_batch, nullptr);
  EXPECT_EQ(tier1.traverse, nullptr);
  EXPECT_EQ(tier1.get_stats, nullptr);
  gs_store_api one = sdk::make_api<WithTraverse>();
  EXPECT_NE(one.traverse, nullptr);
  EXPECT_EQ(one.find_paths, nullptr);
}

TEST(SdkAbi, WriteErrorTruncatesAndTerminates) {
  char buf[5];
  gs_errbuf err{buf, sizeof buf};
  sdk::write_error(&err, "abcdefgh");
  EXPECT_STREQ(buf, "abcd");
  sdk::write_error(nullptr, "ignored");
  gs_errbuf none{nullptr, 0};
  sdk::write_error(&none, "ignored");
}

TEST(SdkAbi, GuardMapsEveryFailureToAStatus) {
  char buf[128];
  gs_errbuf err{buf, sizeof buf};
  EXPECT_EQ(sdk::detail::guard(&err, [] { return sdk::make_error(GS_NOT_FOUND, "nope"); }), GS_NOT_FOUND);
  EXPECT_STREQ(buf, "nope");
  EXPECT_EQ(sdk::detail::guard(&err, []() -> sdk::Status { throw sdk::Error(GS_CORRUPTION, "bad page"); }),
            GS_CORRUPTION);
  EXPECT_STREQ(buf, "bad page");
  EXPECT_EQ(sdk::detail::guard(&err, []() -> sdk::Status { throw std::bad_alloc(); }), GS_RESOURCE_EXHAUSTED);
  EXPECT_EQ(sdk::detail::guard(&err, []() -> sdk::Status { throw std::out_of_range("idx"); }), GS_INTERNAL);
  EXPECT_STREQ(buf, "internal error: idx");
  EXPECT_EQ(sdk::detail::guard(&err, []() -> sdk::Status { throw 1; }), GS_INTERNAL);
  EXPECT_EQ(sdk::detail::guard(&err, [] { return sdk::Status::Ok(); }), GS_OK);
}

}  // namespace

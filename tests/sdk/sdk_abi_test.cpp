// Run-time checks of the ABI helpers: GS_HAS_FIELD (from C and C++), which
// slots plugin.hpp fills, and how its guard maps errors to statuses.
#include <gtest/gtest.h>

#include <cstddef>
#include <new>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>

#include "graphstore/plugin.hpp"
#include "hello_store.hpp"

extern "C" int graphstore_abi_c11_has_traverse(const gs_store_api* api);
extern "C" gs_plugin_entry_fn graphstore_abi_c11_check_entry(void);

namespace {

namespace sdk = graphstore::sdk;

// A plugin class with one native Tier 2 method.
class WithTraverse : public hello::HelloStore {
 public:
  using native_slots = sdk::Slots<sdk::Slot::traverse>;
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

// A plugin class that passes get_stats through forward_slot, as a decorator
// does, and records what it received.
class Forwarding : public hello::HelloStore {
 public:
  using forwarded_slots = sdk::Slots<sdk::Slot::get_stats>;
  static hello::Status open(const gs_host*, std::string_view, std::unique_ptr<Forwarding>* out) {
    *out = std::make_unique<Forwarding>();
    return {};
  }
  template <sdk::Slot S, class... A>
  hello::Status forward_slot(A... args) {
    static_assert(S == sdk::Slot::get_stats);
    static_assert(std::is_same_v<std::tuple<A...>, std::tuple<gs_str, gs_stats_sink, void*>>,
                  "forward_slot receives the C arguments but store and errbuf");
    tenant = std::string(sdk::view(std::get<0>(std::tie(args...))));
    return sdk::make_error(GS_UNAVAILABLE, "forwarded " + std::string(sdk::SlotInfo<S>::name));
  }
  std::string tenant;
};

TEST(SdkAbi, MakeApiFillsForwardedSlotsThroughForwardSlot) {
  gs_store_api api = sdk::make_api<Forwarding>();
  EXPECT_EQ(api.traverse, nullptr);
  ASSERT_NE(api.get_stats, nullptr);
  Forwarding store;
  char buf[64];
  gs_errbuf err{buf, sizeof buf};
  gs_status st = api.get_stats(reinterpret_cast<gs_store*>(&store), sdk::str("t1"), nullptr, nullptr, &err);
  EXPECT_EQ(st, GS_UNAVAILABLE);
  EXPECT_STREQ(buf, "forwarded get_stats");
  EXPECT_EQ(store.tenant, "t1");
}

TEST(SdkAbi, SlotInfoFollowsTheList) {
  EXPECT_EQ(sdk::SlotInfo<sdk::Slot::add_entity>::kind, GS_SLOT_TIER1);
  EXPECT_EQ(sdk::SlotInfo<sdk::Slot::get_stats>::kind, GS_SLOT_TIER2);
  EXPECT_EQ(sdk::SlotInfo<sdk::Slot::collect_state>::kind, GS_SLOT_OPTIONAL);
  EXPECT_EQ(sdk::SlotInfo<sdk::Slot::collect_gauges>::minor, 1);
  EXPECT_EQ(sdk::SlotInfo<sdk::Slot::delete_by_source>::end, sizeof(gs_store_api));
  EXPECT_EQ(sdk::SlotInfo<sdk::Slot::traverse>::name, "traverse");
}

TEST(SdkAbi, StatusHasOnePredicatePerCode) {
  EXPECT_TRUE(sdk::Status::Ok().ok());
  EXPECT_TRUE(sdk::make_error(GS_NOT_FOUND, "").is_not_found());
  EXPECT_TRUE(sdk::make_error(GS_ALREADY_EXISTS, "").is_already_exists());
  EXPECT_TRUE(sdk::make_error(GS_INVALID_ARGUMENT, "").is_invalid_argument());
  EXPECT_TRUE(sdk::make_error(GS_UNSUPPORTED, "").is_unsupported());
  EXPECT_TRUE(sdk::make_error(GS_UNAVAILABLE, "").is_unavailable());
  EXPECT_TRUE(sdk::make_error(GS_RESOURCE_EXHAUSTED, "").is_resource_exhausted());
  EXPECT_TRUE(sdk::make_error(GS_CORRUPTION, "").is_corruption());
  EXPECT_TRUE(sdk::make_error(GS_PERMISSION_DENIED, "").is_permission_denied());
  EXPECT_TRUE(sdk::make_error(GS_INTERNAL, "").is_internal());
  EXPECT_TRUE(sdk::make_error(GS_ABI_MISMATCH, "").is_abi_mismatch());
  EXPECT_FALSE(sdk::make_error(GS_INTERNAL, "").is_not_found());
  EXPECT_FALSE(sdk::Status::Ok().is_internal());
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

// Store's bulk adds: the core's checks skip bad items before the plugin sees
// them (the second half of a large call on a helper thread), then the
// plugin's slot or the core's default adds the rest.
#include <algorithm>
#include <exception>
#include <iterator>
#include <memory>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "defaults.hpp"
#include "sink.hpp"
#include "store_impl.hpp"
#include "validate.hpp"

namespace graphstore {
namespace {

Status check_item(std::string_view tenant, const Entity& e) { return check_entity_fields(tenant, e); }
Status check_item(std::string_view tenant, const Relation& r) { return check_relation_fields(tenant, r); }

// Checks items [from, to): writes each good one's stamped view to views[i]
// and sets ok[i]; appends the bad ones to *skipped, in order.
template <class Item, class View>
void check_range(std::string_view tenant, std::span<const Item> items, size_t from, size_t to, Timestamp now,
                 View* views, uint8_t* ok, std::vector<BulkResult::Skip>* skipped) {
  for (size_t i = from; i < to; ++i) {
    Status s = check_item(tenant, items[i]);
    ok[i] = s.ok();
    if (s.ok()) {
      stamp_into(items[i], now, &views[i]);
    } else {
      skipped->push_back({i, std::move(s)});
    }
  }
}

// Bulk calls at least this large check their second half on a helper
// thread: checking an item (UTF-8, JSON syntax) costs about as much as the
// in-memory backend's add of it, and the plugin has not started yet.
constexpr size_t kParallelCheckItems = 8192;

// A bulk add of either kind: the core's checks skip bad items before the
// plugin sees them; `call(items, count, skip_cb, skip_ctx, &added, err)` runs
// the plugin's slot or the default. Skips come back in input order.
template <class Item, class Call>
Status bulk_add(std::string_view tenant, std::span<const Item> items, const char* what, Call call, BulkResult* out) {
  out->added = 0;
  out->skipped.clear();
  if (Status s = check_tenant(tenant); !s.ok()) return s;
  using View = decltype(stamped(items[0], 0));
  size_t n = items.size();
  // Not value-initialised: each view is written whole before use.
  std::unique_ptr<View[]> views(new View[n]);
  std::unique_ptr<uint8_t[]> ok(new uint8_t[n]);
  Timestamp now = now_us();
  size_t split = n;  // the helper thread checks [split, n)
  std::vector<BulkResult::Skip> late_skips;
  std::exception_ptr helper_error;
  std::thread helper;
  if (n >= kParallelCheckItems) {
    try {
      helper = std::thread([&, from = n / 2] {
        try {
          check_range(tenant, items, from, n, now, views.get(), ok.get(), &late_skips);
        } catch (...) {
          helper_error = std::current_exception();
        }
      });
      split = n / 2;
    } catch (const std::system_error&) {
      // No thread to be had: this one checks everything.
    }
  }
  struct Join {
    std::thread& t;
    ~Join() {
      if (t.joinable()) t.join();
    }
  } join{helper};
  check_range(tenant, items, 0, split, now, views.get(), ok.get(), &out->skipped);
  if (helper.joinable()) helper.join();
  if (helper_error) std::rethrow_exception(helper_error);
  std::move(late_skips.begin(), late_skips.end(), std::back_inserter(out->skipped));
  std::vector<const View*> ptrs;
  std::vector<size_t> original_index;  // of each view passed, in the caller's input
  ptrs.reserve(n - out->skipped.size());
  original_index.reserve(n - out->skipped.size());
  for (size_t i = 0; i < n; ++i) {
    if (!ok[i]) continue;
    ptrs.push_back(&views[i]);
    original_index.push_back(i);
  }
  auto sink = make_sink([&](size_t index, gs_status status, gs_str message) {
    size_t original = index < original_index.size() ? original_index[index] : index;
    out->skipped.push_back({original, Status(static_cast<Code>(status), std::string(to_view(message)))});
    return true;
  });
  uint64_t added = 0;
  ErrBuf e;
  gs_status st = call(ptrs.data(), ptrs.size(), &skip_trampoline<decltype(sink.fn)>, &sink, &added, &e.err);
  sink.rethrow();
  std::sort(out->skipped.begin(), out->skipped.end(),
            [](const BulkResult::Skip& a, const BulkResult::Skip& b) { return a.index < b.index; });
  out->added = st == GS_OK ? added : 0;
  return to_status(st, e, what);
}

}  // namespace

Status Store::add_entities_bulk(std::string_view tenant, std::span<const Entity> entities, BulkResult* out) {
  Impl& s = *impl_;
  GS_REFUSE_REENTRY(s, "add_entities_bulk");
  return bulk_add(
      tenant, entities, "add_entities_bulk",
      [&](auto... args) { return GS_TIER2(s, add_entities_bulk, to_str(tenant), args...); }, out);
}

Status Store::add_relations_bulk(std::string_view tenant, std::span<const Relation> relations, BulkResult* out) {
  Impl& s = *impl_;
  GS_REFUSE_REENTRY(s, "add_relations_bulk");
  return bulk_add(
      tenant, relations, "add_relations_bulk",
      [&](auto... args) { return GS_TIER2(s, add_relations_bulk, to_str(tenant), args...); }, out);
}

}  // namespace graphstore

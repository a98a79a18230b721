// Default keyset-paged scans over for_each_entity / for_each_relation.
//
// The Tier 1 iteration comes in any order, so a page needs every match seen
// before its first item is known. Only the offset + limit smallest matching
// ids can be in the page: the scan keeps at most twice that many and trims
// back to the smallest ones whenever it overflows.
#include <algorithm>
#include <string_view>
#include <vector>

#include "defaults/common.hpp"

namespace graphstore::defaults {
namespace {

template <class Owned>
class Window {
 public:
  explicit Window(const gs_scan_params& p) : keep_(p.limit > UINT64_MAX - p.offset ? UINT64_MAX : p.offset + p.limit) {}

  void add(Owned&& item) {
    items_.push_back(std::move(item));
    if (keep_ <= UINT64_MAX / 2 && items_.size() > 2 * keep_ && items_.size() >= 64) trim();
  }

  // The page: sorted by id, offset skipped, at most limit items.
  std::vector<Owned>& page(const gs_scan_params& p) {
    trim();
    std::sort(items_.begin(), items_.end(), by_id);
    size_t skip = static_cast<size_t>(std::min<uint64_t>(p.offset, items_.size()));
    items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(skip));
    return items_;
  }

 private:
  static bool by_id(const Owned& a, const Owned& b) { return a.id < b.id; }

  void trim() {
    if (items_.size() <= keep_) return;
    auto nth = items_.begin() + static_cast<std::ptrdiff_t>(keep_);
    std::nth_element(items_.begin(), nth, items_.end(), by_id);
    items_.erase(nth, items_.end());
  }

  uint64_t keep_;
  std::vector<Owned> items_;
};

// True when a record of this type and id belongs in the scan.
bool wanted(const gs_scan_params& p, gs_str type, gs_str id) {
  if (p.type.len != 0 && sdk::view(type) != sdk::view(p.type)) return false;
  return p.after_id.len == 0 || sdk::view(id) > sdk::view(p.after_id);
}

}  // namespace

gs_status scan_entities(const Backend& b, gs_str tenant, const gs_scan_params* params, gs_entity_sink sink, void* ctx,
                        gs_errbuf* err) {
  if (params == nullptr) return detail::fail(err, GS_INVALID_ARGUMENT, "scan_entities: params is NULL");
  return detail::guarded(err, [&] {
    const gs_scan_params& p = *params;
    Window<detail::OwnedEntity> window(p);
    gs_status st = detail::for_each_entity(
        b, tenant,
        [&](const gs_entity* e) {
          if (wanted(p, e->entity_type, e->id)) window.add(detail::OwnedEntity(*e));
          return true;
        },
        err);
    if (st != GS_OK) return st;
    for (const auto& e : window.page(p)) {
      gs_entity v = e.view();
      if (sink(ctx, &v) != 0) break;
    }
    return static_cast<gs_status>(GS_OK);
  });
}

gs_status scan_relations(const Backend& b, gs_str tenant, const gs_scan_params* params, gs_relation_sink sink,
                         void* ctx, gs_errbuf* err) {
  if (params == nullptr) return detail::fail(err, GS_INVALID_ARGUMENT, "scan_relations: params is NULL");
  return detail::guarded(err, [&] {
    const gs_scan_params& p = *params;
    Window<detail::OwnedRelation> window(p);
    gs_status st = detail::for_each_relation(
        b, tenant,
        [&](const gs_relation* r) {
          if (wanted(p, r->relation_type, r->id)) window.add(detail::OwnedRelation(*r));
          return true;
        },
        err);
    if (st != GS_OK) return st;
    for (const auto& r : window.page(p)) {
      gs_relation v = r.view();
      if (sink(ctx, &v) != 0) break;
    }
    return static_cast<gs_status>(GS_OK);
  });
}

}  // namespace graphstore::defaults

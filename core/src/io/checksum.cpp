// summarize_store and compare_summaries: counts per type and an FNV-1a 64
// checksum per tenant and kind, over each record's canonical form in id
// order. The canonical form (docs/streaming.md) is every field but the
// tenant, in the data model's order: strings as a 64-bit little-endian
// length then their bytes, timestamps as 64-bit little-endian integers,
// the weight as its IEEE-754 bits (64-bit little-endian), the embedding as
// its length then each float's bits (32-bit little-endian), the source as a
// presence byte then, when present, the string.
#include <bit>
#include <cstring>

#include "graphstore/migrate.hpp"

namespace graphstore {
namespace {

constexpr uint64_t kFnvPrime = 0x100000001b3ull;
constexpr uint64_t kScanPage = 10000;

static_assert(std::endian::native == std::endian::little, "the checksum's byte order assumes a little-endian host");

struct Fnv {
  uint64_t h;
  void bytes(const void* p, size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    uint64_t x = h;
    for (size_t i = 0; i < n; ++i) {
      x ^= b[i];
      x *= kFnvPrime;
    }
    h = x;
  }
  void u64(uint64_t v) { bytes(&v, sizeof v); }
  void str(std::string_view s) {
    u64(s.size());
    bytes(s.data(), s.size());
  }
  void optional(const std::optional<std::string>& s) {
    unsigned char present = s ? 1 : 0;
    bytes(&present, 1);
    if (s) str(*s);
  }
};

void hash_entity(Fnv* f, const Entity& e) {
  f->str(e.id);
  f->str(e.entity_type);
  f->str(e.properties);
  f->u64(e.embedding.size());
  f->bytes(e.embedding.data(), e.embedding.size() * sizeof(float));
  f->u64(static_cast<uint64_t>(e.created_at));
  f->u64(static_cast<uint64_t>(e.updated_at));
  f->optional(e.source);
}

void hash_relation(Fnv* f, const Relation& r) {
  f->str(r.id);
  f->str(r.relation_type);
  f->str(r.source_id);
  f->str(r.target_id);
  f->str(r.properties);
  f->u64(std::bit_cast<uint64_t>(r.weight));
  f->u64(static_cast<uint64_t>(r.created_at));
  f->u64(static_cast<uint64_t>(r.updated_at));
  f->optional(r.source);
}

// Pages through one kind of one tenant, feeding fn.
template <class Record, class Scan, class Fn>
Status page_through(Scan scan, const Fn& fn) {
  ScanOptions o;
  o.limit = kScanPage;
  for (;;) {
    uint64_t seen = 0;
    Status s = scan(o, [&](const Record& r) {
      ++seen;
      o.after_id = r.id;
      fn(r);
      return true;
    });
    if (!s.ok()) return s;
    if (seen < kScanPage) return Status::Ok();
  }
}

}  // namespace

Status summarize_store(Store& store, StoreSummary* out, const ProgressFn& progress) {
  out->clear();
  std::vector<std::string> tenants;
  if (Status s = store.list_tenants(&tenants); !s.ok()) return s;
  tenants.insert(tenants.begin(), "");
  uint64_t done = 0, last_report = 0;
  bool stop = false;
  auto tick = [&] {
    if (progress && !stop && ++done - last_report >= 65536) {
      last_report = done;
      Progress p;
      p.phase = "verify";
      p.records = done;
      stop = !progress(p);
    }
  };
  for (const auto& t : tenants) {
    TenantSummary ts;
    Fnv ef{ts.entities.checksum}, rf{ts.relations.checksum};
    Status s = page_through<Entity>(
        [&](const ScanOptions& o, const std::function<bool(const Entity&)>& fn) {
          return store.scan_entities(t, o, fn);
        },
        [&](const Entity& e) {
          ++ts.entities.count;
          ++ts.entities.by_type[e.entity_type];
          hash_entity(&ef, e);
          tick();
        });
    if (!s.ok()) return s;
    s = page_through<Relation>(
        [&](const ScanOptions& o, const std::function<bool(const Relation&)>& fn) {
          return store.scan_relations(t, o, fn);
        },
        [&](const Relation& r) {
          ++ts.relations.count;
          ++ts.relations.by_type[r.relation_type];
          hash_relation(&rf, r);
          tick();
        });
    if (!s.ok()) return s;
    if (stop) return Unavailable("verify stopped after " + std::to_string(done) + " records");
    ts.entities.checksum = ef.h;
    ts.relations.checksum = rf.h;
    if (ts.entities.count + ts.relations.count > 0) (*out)[t] = std::move(ts);
  }
  return Status::Ok();
}

namespace {

void compare_kind(const std::string& tenant, const char* kind, const KindSummary& a, const KindSummary& b,
                  std::vector<std::string>* out) {
  std::string who = "tenant " + (tenant.empty() ? std::string("global") : tenant) + ": " + kind;
  if (a.count != b.count)
    out->push_back(who + ": " + std::to_string(a.count) + " in the source, " + std::to_string(b.count) +
                   " in the target");
  std::map<std::string, std::pair<uint64_t, uint64_t>> types;
  for (const auto& [t, n] : a.by_type) types[t].first = n;
  for (const auto& [t, n] : b.by_type) types[t].second = n;
  for (const auto& [t, n] : types)
    if (n.first != n.second)
      out->push_back(who + " of type " + t + ": " + std::to_string(n.first) + " in the source, " +
                     std::to_string(n.second) + " in the target");
  if (a.checksum != b.checksum) out->push_back(who + ": the content checksums differ");
}

}  // namespace

std::vector<std::string> compare_summaries(const StoreSummary& source, const StoreSummary& target) {
  std::vector<std::string> out;
  std::map<std::string, std::pair<const TenantSummary*, const TenantSummary*>> all;
  for (const auto& [t, s] : source) all[t].first = &s;
  for (const auto& [t, s] : target) all[t].second = &s;
  static const TenantSummary kEmpty;
  for (const auto& [t, p] : all) {
    const TenantSummary& a = p.first ? *p.first : kEmpty;
    const TenantSummary& b = p.second ? *p.second : kEmpty;
    compare_kind(t, "entities", a.entities, b.entities, &out);
    compare_kind(t, "relations", a.relations, b.relations, &out);
  }
  return out;
}

}  // namespace graphstore

#include "graph.hpp"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <thread>
#include <type_traits>

#include "graphstore/bytes.hpp"
#include "sort_by_id.hpp"

// The helpers of the add paths are [[gnu::always_inline]]: each runs once per
// item of a bulk add, GCC left them out of line, and the calls (saving and
// restoring registers) cost more than most of the helpers themselves.
// Callgrind: 1,035 instructions per relation in the plugin before, 891 after.

namespace graphstore::inmemory {
namespace {

constexpr gs_str kEmptyObject{"{}", 2};

// Absent properties are stored as an empty object.
gs_str stored_properties(gs_str props) { return props.len ? props : kEmptyObject; }

size_t align4(size_t n) { return (n + 3) & ~size_t(3); }

// Makes room for one more record; the free list (companion) always gets at
// least the records' capacity, so pushing a freed slot onto it cannot throw.
template <class T>
void reserve_slot(SlotStore<T>& records, std::vector<uint32_t>& companion) {
  if (records.size() < records.capacity()) return;
  records.reserve_one();
  companion.reserve(records.capacity());
}

// The same for n records, which fill the free slots first; out receives the
// memory of the slots they will take beyond those.
template <class T>
void reserve_slots(SlotStore<T>& records, std::vector<uint32_t>& companion, size_t n, std::vector<MemoryRange>* out) {
  size_t fresh = n > companion.size() ? n - companion.size() : 0;
  records.reserve(fresh);
  companion.reserve(records.capacity());
  records.ranges(records.size(), records.size() + fresh, out);
}

}  // namespace

Graph::Graph(std::string tenant, MemoryBudget* budget) : tenant_(std::move(tenant)), budget_(budget) { changed(); }

Graph::~Graph() {
  for (size_t s = 0; s < entities_.size(); ++s) {
    edges_.release(entities_[s].out);
    edges_.release(entities_[s].in);
  }
  budget_->adjust(-accounted_);
}

uint64_t name_head(std::string_view name) {
  const char* p = name.data();
  size_t n = name.size();
  uint64_t head = 0;
  if (n >= 8) {
    std::memcpy(&head, p, 8);
  } else if (n >= 4) {
    // Two overlapping words; the bytes they share are the same in both.
    uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    head = a | uint64_t(b) << (8 * (n - 4));
  } else {
    for (size_t i = 0; i < n; ++i) head |= uint64_t(static_cast<unsigned char>(p[i])) << (8 * i);
  }
  return head;
}

uint32_t Graph::find_type(std::string_view name) const {
  // A graph has a handful of types as a rule, and comparing each one's
  // length and first word (the whole name, for most) is cheaper than hashing.
  if (types_.size() <= 16) {
    uint64_t head = name_head(name);
    for (uint32_t t = 0; t < types_.size(); ++t)
      if (type_is(t, name, head)) return t;
    return kNone;
  }
  auto it = type_ids_.find(name);
  return it == type_ids_.end() ? kNone : it->second;
}

// ---- Views -----------------------------------------------------------------

static size_t strings_len(uint32_t id_len, uint32_t props_len, uint32_t source_len) {
  return size_t(id_len) + props_len + (source_len == kNoSource ? 0 : source_len);
}

// A blob: the strings, then the embedding 4-aligned.
static size_t blob_total(size_t strings, uint32_t dim) {
  return dim ? align4(strings) + size_t(dim) * sizeof(float) : strings;
}

const float* Graph::embedding(uint32_t slot) const {
  const EntityRecord& r = entities_[slot];
  if (r.dim == 0) return nullptr;
  return reinterpret_cast<const float*>(r.blob + align4(strings_len(r.id_len, r.props_len, r.source_len)));
}

// Views list every field: a value-initialised struct would be cleared first,
// which GCC does with rep stos, a fifth of a point read.
gs_entity Graph::entity_view(uint32_t slot) const {
  const EntityRecord& r = entities_[slot];
  const std::string& type = types_[r.type].name;
  return gs_entity{
      .struct_size = sizeof(gs_entity),
      .id = {r.blob, r.id_len},
      .entity_type = {type.data(), type.size()},
      .properties_json = {r.blob + r.id_len, r.props_len},
      .embedding = embedding(slot),
      .embedding_dim = r.dim,
      .created_at = r.created_at,
      .updated_at = r.updated_at,
      .source = r.source_len == kNoSource ? gs_str{nullptr, 0} : gs_str{r.blob + r.id_len + r.props_len, r.source_len},
      .tenant_id = {tenant_.data(), tenant_.size()},
  };
}

gs_relation Graph::relation_view(uint32_t slot) const {
  const RelationRecord& r = relations_[slot];
  const std::string& type = types_[r.type].name;
  std::string_view source_id = entity_id(r.source), target_id = entity_id(r.target);
  return gs_relation{
      .struct_size = sizeof(gs_relation),
      .id = {r.blob, r.id_len},
      .relation_type = {type.data(), type.size()},
      .source_id = {source_id.data(), source_id.size()},
      .target_id = {target_id.data(), target_id.size()},
      .properties_json = {r.blob + r.id_len, r.props_len},
      .weight = r.weight,
      .created_at = r.created_at,
      .updated_at = r.updated_at,
      .source = r.source_len == kNoSource ? gs_str{nullptr, 0} : gs_str{r.blob + r.id_len + r.props_len, r.source_len},
      .tenant_id = {tenant_.data(), tenant_.size()},
  };
}

sdk::OwnedEntity Graph::snapshot_entity(uint32_t slot) const { return sdk::OwnedEntity(entity_view(slot)); }

sdk::OwnedRelation Graph::snapshot_relation(uint32_t slot) const { return sdk::OwnedRelation(relation_view(slot)); }

// ---- Scan order --------------------------------------------------------------

void Graph::build_cache(ScanCache& cache, uint32_t type, bool entities) const {
  if (cache.version != version_) {
    cache.lists.clear();
    cache.version = version_;
  }
  if (cache.lists.count(type)) return;
  std::vector<uint32_t> list;
  if (entities) {
    if (type == kNone) {
      list.reserve(entity_count());
      for (uint32_t s = 0; s < entities_.size(); ++s)
        if (entity_live(s)) list.push_back(s);
    } else if (type < types_.size()) {
      list = types_[type].entities;
    }
    sort_by_id(list, [this](uint32_t s) { return entity_id(s); });
  } else if (type == kNone) {
    list.reserve(relation_count());
    for (uint32_t s = 0; s < relations_.size(); ++s)
      if (relation_live(s)) list.push_back(s);
    sort_by_id(list, [this](uint32_t s) { return relation_id(s); });
  } else {
    // Filtering the sorted list keeps its order and avoids a second sort.
    build_cache(cache, kNone, false);
    for (uint32_t s : cache.lists[kNone])
      if (relations_[s].type == type) list.push_back(s);
  }
  cache.lists.emplace(type, std::move(list));
}

const std::vector<uint32_t>& Graph::entities_by_id(uint32_t type) const {
  std::lock_guard<std::mutex> lock(cache_mu_);
  build_cache(entity_cache_, type, true);
  return entity_cache_.lists[type];
}

const std::vector<uint32_t>& Graph::relations_by_id(uint32_t type) const {
  std::lock_guard<std::mutex> lock(cache_mu_);
  build_cache(relation_cache_, type, false);
  return relation_cache_.lists[type];
}

// ---- Checks ------------------------------------------------------------------

// Record lengths are 32-bit, with UINT32_MAX marking an absent source.
static bool fits(gs_str s) { return s.len < kNoSource; }

[[gnu::always_inline]] inline sdk::Status Graph::check_entity(const gs_entity& e) const {
  if (e.id.len == 0) return sdk::make_error(GS_INVALID_ARGUMENT, "entity id must not be empty");
  if (!fits(e.id) || !fits(e.properties_json) || !fits(e.source))
    return sdk::make_error(GS_INVALID_ARGUMENT, "entity: a field is 4 GiB or larger");
  if (e.entity_type.len == 0)
    return sdk::make_error(GS_INVALID_ARGUMENT,
                           "entity " + sdk::quoted_prefix(sdk::view(e.id)) + ": type must not be empty");
  if (e.embedding_dim > 0 && e.embedding == nullptr)
    return sdk::make_error(GS_INVALID_ARGUMENT, "entity " + sdk::quoted_prefix(sdk::view(e.id)) +
                                                    ": embedding_dim is " + std::to_string(e.embedding_dim) +
                                                    " but the embedding is NULL");
  return sdk::Status::Ok();
}

[[gnu::always_inline]] inline sdk::Status Graph::check_embedding(const gs_entity& e, uint32_t replaced_dim) const {
  if (e.embedding_dim == 0) return sdk::Status::Ok();
  // The entity being replaced does not constrain its own new embedding.
  uint64_t others = embedded_ - (replaced_dim ? 1 : 0);
  if (others == 0 || e.embedding_dim == embedding_dim_) return sdk::Status::Ok();
  return sdk::make_error(GS_INVALID_ARGUMENT, "entity " + sdk::quoted_prefix(sdk::view(e.id)) +
                                                  ": embedding dimension " + std::to_string(e.embedding_dim) +
                                                  " differs from dimension " + std::to_string(embedding_dim_) +
                                                  " of the embeddings stored in " + where());
}

[[gnu::always_inline]] inline sdk::Status Graph::check_relation(const gs_relation& r, const RelationHashes& hashes,
                                                                uint32_t* source, uint32_t* target) const {
  if (r.id.len == 0) return sdk::make_error(GS_INVALID_ARGUMENT, "relation id must not be empty");
  if (!fits(r.id) || !fits(r.properties_json) || !fits(r.source))
    return sdk::make_error(GS_INVALID_ARGUMENT, "relation: a field is 4 GiB or larger");
  if (r.relation_type.len == 0)
    return sdk::make_error(GS_INVALID_ARGUMENT,
                           "relation " + sdk::quoted_prefix(sdk::view(r.id)) + ": type must not be empty");
  *source = find_entity(sdk::view(r.source_id), hashes.source);
  if (*source == kNone)
    return sdk::make_error(GS_NOT_FOUND, "relation " + sdk::quoted_prefix(sdk::view(r.id)) + ": source entity " +
                                             sdk::quoted_prefix(sdk::view(r.source_id)) + " not found in " + where());
  *target = find_entity(sdk::view(r.target_id), hashes.target);
  if (*target == kNone)
    return sdk::make_error(GS_NOT_FOUND, "relation " + sdk::quoted_prefix(sdk::view(r.id)) + ": target entity " +
                                             sdk::quoted_prefix(sdk::view(r.target_id)) + " not found in " + where());
  return sdk::Status::Ok();
}

// ---- Checked writes ----------------------------------------------------------

sdk::Status Graph::add_entity(const gs_entity& e, const EntityHashes* hashes) {
  if (sdk::Status s = budget_->check(); !s.ok()) return s;
  if (sdk::Status s = check_entity(e); !s.ok()) return s;
  uint32_t h = hashes ? hashes->id : IdIndex::hash(sdk::view(e.id));
  if (find_entity(sdk::view(e.id), h) != kNone)
    return sdk::make_error(GS_ALREADY_EXISTS,
                           "entity " + sdk::quoted_prefix(sdk::view(e.id)) + " already exists in " + where());
  if (sdk::Status s = check_embedding(e, 0); !s.ok()) return s;
  insert_entity_record(e, h);
  return sdk::Status::Ok();
}

sdk::Status Graph::update_entity(const gs_entity& e, sdk::OwnedEntity* before) {
  if (sdk::Status s = budget_->check(); !s.ok()) return s;
  if (sdk::Status s = check_entity(e); !s.ok()) return s;
  uint32_t slot = find_entity(sdk::view(e.id));
  if (slot == kNone)
    return sdk::make_error(GS_NOT_FOUND, "entity " + sdk::quoted_prefix(sdk::view(e.id)) + " not found in " + where());
  if (sdk::Status s = check_embedding(e, entities_[slot].dim); !s.ok()) return s;
  if (before) *before = snapshot_entity(slot);
  replace_entity(slot, e);
  return sdk::Status::Ok();
}

sdk::Status Graph::delete_entity(std::string_view id, sdk::OwnedEntity* before,
                                 std::vector<sdk::OwnedRelation>* relations) {
  uint32_t slot = find_entity(id);
  if (slot == kNone)
    return sdk::make_error(GS_NOT_FOUND, "entity " + sdk::quoted_prefix(id) + " not found in " + where());
  if (before) *before = snapshot_entity(slot);
  if (relations) {
    const EntityRecord& rec = entities_[slot];
    for (const Edge& e : rec.out) relations->push_back(snapshot_relation(e.relation));
    for (const Edge& e : rec.in)
      if (e.other != slot) relations->push_back(snapshot_relation(e.relation));  // self-loops are in out too
  }
  erase_entity(slot);
  return sdk::Status::Ok();
}

sdk::Status Graph::add_relation(const gs_relation& r, const RelationHashes* hashes, LinkJob* deferred) {
  if (sdk::Status s = budget_->check(); !s.ok()) return s;
  RelationHashes h = hashes ? *hashes : hashes_of(r);
  if (r.id.len != 0 && find_relation(sdk::view(r.id), h.id) != kNone)
    return sdk::make_error(GS_ALREADY_EXISTS,
                           "relation " + sdk::quoted_prefix(sdk::view(r.id)) + " already exists in " + where());
  uint32_t source = kNone, target = kNone;
  if (sdk::Status s = check_relation(r, h, &source, &target); !s.ok()) return s;
  if (deferred == nullptr) {
    insert_relation(r, source, target, h.id);
    return sdk::Status::Ok();
  }
  uint32_t slot = insert_relation_record(r, source, target, h.id);
  *deferred = LinkJob{slot, source, target, relations_[slot].type};
  return sdk::Status::Ok();
}

sdk::Status Graph::update_relation(const gs_relation& r, sdk::OwnedRelation* before) {
  if (sdk::Status s = budget_->check(); !s.ok()) return s;
  uint32_t slot = r.id.len ? find_relation(sdk::view(r.id)) : kNone;
  if (slot == kNone && r.id.len != 0)
    return sdk::make_error(GS_NOT_FOUND,
                           "relation " + sdk::quoted_prefix(sdk::view(r.id)) + " not found in " + where());
  uint32_t source = kNone, target = kNone;
  if (sdk::Status s = check_relation(r, hashes_of(r), &source, &target); !s.ok()) return s;
  if (before) *before = snapshot_relation(slot);
  replace_relation(slot, r, source, target);
  return sdk::Status::Ok();
}

sdk::Status Graph::delete_relation(std::string_view id, sdk::OwnedRelation* before) {
  uint32_t slot = find_relation(id);
  if (slot == kNone)
    return sdk::make_error(GS_NOT_FOUND, "relation " + sdk::quoted_prefix(id) + " not found in " + where());
  if (before) *before = snapshot_relation(slot);
  erase_relation(slot);
  return sdk::Status::Ok();
}

// ---- Primitives ----------------------------------------------------------------
// Each one first makes every allocation it needs (which may throw and then
// leaves the graph as it was), then commits with operations that cannot throw.

[[gnu::always_inline]] inline bool Graph::type_is(uint32_t t, std::string_view name, uint64_t head) const {
  const TypeInfo& info = types_[t];
  return info.head == head && info.name.size() == name.size() && (name.size() <= 8 || IdIndex::same(info.name, name));
}

[[gnu::always_inline]] inline uint32_t Graph::intern(std::string_view type) {
  // Writes look types up through a small cache keyed by the name's first
  // word: bulk loads cycle through a few types, which a linear search finds
  // only after comparing several.
  uint64_t head = name_head(type);
  uint32_t& cached = type_cache_[((head + type.size()) * 0x9e3779b97f4a7c15ull) >> (64 - kTypeCacheLog2)];
  if (cached < types_.size() && type_is(cached, type, head)) return cached;
  return cached = intern_uncached(type, head);
}

uint32_t Graph::intern_uncached(std::string_view type, uint64_t head) {
  if (uint32_t t = find_type(type); t != kNone) return t;
  uint32_t t = uint32_t(types_.size());
  // All that may throw comes before the first change, so a failed intern
  // (out of memory) leaves types_ and type_ids_ naming the same types.
  static_assert(std::is_nothrow_move_constructible_v<TypeInfo>);
  TypeInfo info{std::string(type), head, {}, 0};
  if (types_.size() == types_.capacity()) types_.reserve(2 * types_.size() + 4);
  type_ids_.emplace(std::string(type), t);
  types_.push_back(std::move(info));  // room reserved, and the move cannot throw
  type_bytes_ += sizeof(TypeInfo) + 2 * type.size() + 64;
  return t;
}

[[gnu::always_inline]] inline char* Graph::store_blob(std::string_view id, gs_str props, gs_str source,
                                                      const float* emb, uint32_t dim) {
  size_t strings = id.size() + props.len + (source.data ? source.len : 0);
  char* blob = arena_.allocate(blob_total(strings, dim), dim ? alignof(float) : 1);
  char* p = blob;
  sdk::copy_bytes(p, id.data(), id.size());
  p += id.size();
  sdk::copy_bytes(p, props.data, props.len);
  p += props.len;
  if (source.data) sdk::copy_bytes(p, source.data, source.len);
  if (dim) std::memcpy(blob + align4(strings), emb, size_t(dim) * sizeof(float));
  return blob;
}

size_t Graph::entity_blob_size(const EntityRecord& r) {
  return blob_total(strings_len(r.id_len, r.props_len, r.source_len), r.dim);
}

// The strings an add of item stores: id, properties, source.
template <class Item>
static size_t item_strings(const Item& item) {
  return item.id.len + stored_properties(item.properties_json).len + (item.source.data ? item.source.len : 0);
}

size_t Graph::blob_size(const gs_entity& e) { return blob_total(item_strings(e), e.embedding_dim); }

size_t Graph::blob_size(const gs_relation& r) { return item_strings(r); }

size_t Graph::relation_blob_size(const RelationRecord& r) { return strings_len(r.id_len, r.props_len, r.source_len); }

void Graph::fill_entity(EntityRecord& rec, const gs_entity& e, gs_str props, char* blob) const {
  rec.blob = blob;
  rec.props_len = uint32_t(props.len);
  rec.source_len = e.source.data ? uint32_t(e.source.len) : kNoSource;
  rec.dim = e.embedding_dim;
  rec.updated_at = e.updated_at;
}

void Graph::fill_relation(RelationRecord& rec, const gs_relation& r, gs_str props, char* blob) const {
  rec.blob = blob;
  rec.props_len = uint32_t(props.len);
  rec.source_len = r.source.data ? uint32_t(r.source.len) : kNoSource;
  rec.weight = r.weight;
  rec.updated_at = r.updated_at;
}

[[gnu::always_inline]] inline void Graph::ensure_member_room(uint32_t type) {
  std::vector<uint32_t>& members = types_[type].entities;
  if (members.size() < members.capacity()) return;
  size_t before = members.capacity();
  members.reserve(std::max<size_t>(4, before * 2));
  type_bytes_ += (members.capacity() - before) * sizeof(uint32_t);
}

[[gnu::always_inline]] inline void Graph::add_member(uint32_t type, uint32_t slot) {
  std::vector<uint32_t>& members = types_[type].entities;
  entities_[slot].type = type;
  entities_[slot].type_pos = uint32_t(members.size());
  members.push_back(slot);
}

void Graph::remove_member(uint32_t slot) {
  EntityRecord& rec = entities_[slot];
  std::vector<uint32_t>& members = types_[rec.type].entities;
  uint32_t last = members.back();
  members[rec.type_pos] = last;
  entities_[last].type_pos = rec.type_pos;
  members.pop_back();
}

void Graph::embedding_added(uint32_t dim) {
  if (embedded_++ == 0) embedding_dim_ = dim;
}

void Graph::embedding_removed() { --embedded_; }

void Graph::insert_edge(EdgeList& list, Edge edge) {
  list.data[list.size++] = edge;
  std::atomic_ref<uint8_t>(list.sorted).store(list.size <= 1, std::memory_order_relaxed);
}

void Graph::remove_edge(EdgeList& list, uint32_t relation) {
  // From the back: erase_entity removes the last edge, and recent edges are
  // the likeliest to go. No id comparison, so no relation record is touched.
  uint32_t pos = list.size - 1;
  while (list.data[pos].relation != relation) --pos;
  std::memmove(list.data + pos, list.data + pos + 1, size_t(list.size - pos - 1) * sizeof(Edge));
  --list.size;
}

void Graph::sort_edges(const EdgeList& list) const {
  std::lock_guard<std::mutex> lock(sort_mu_);
  std::atomic_ref<uint8_t> flag(list.sorted);
  if (flag.load(std::memory_order_relaxed)) return;  // another reader got here first
  auto by_id = [this](const Edge& a, const Edge& b) { return relation_id(a.relation) < relation_id(b.relation); };
  if (!std::is_sorted(list.data, list.data + list.size, by_id)) std::sort(list.data, list.data + list.size, by_id);
  flag.store(1, std::memory_order_release);
}

void Graph::link(uint32_t relation) {
  const RelationRecord& r = relations_[relation];
  insert_edge(entities_[r.source].out, Edge{relation, r.target, r.type});
  insert_edge(entities_[r.target].in, Edge{relation, r.source, r.type});
}

void Graph::unlink(uint32_t relation) {
  const RelationRecord& r = relations_[relation];
  remove_edge(entities_[r.source].out, relation);
  remove_edge(entities_[r.target].in, relation);
}

uint32_t Graph::insert_entity(const gs_entity& e, uint32_t id_hash) { return insert_entity_record(e, id_hash); }

[[gnu::always_inline]] inline uint32_t Graph::insert_entity_record(const gs_entity& e, uint32_t id_hash) {
  std::string_view id = sdk::view(e.id);
  gs_str props = stored_properties(e.properties_json);
  uint32_t type = intern(sdk::view(e.entity_type));
  ensure_member_room(type);
  entity_index_.reserve_one();
  reserve_slot(entities_, free_entities_);
  char* blob = store_blob(id, props, e.source, e.embedding, e.embedding_dim);

  uint32_t slot;
  if (!free_entities_.empty()) {
    slot = free_entities_.back();
    free_entities_.pop_back();
  } else {
    slot = uint32_t(entities_.size());
    entities_.push(EntityRecord{});
  }
  EntityRecord& rec = entities_[slot];
  fill_entity(rec, e, props, blob);
  rec.id_len = uint32_t(id.size());
  if (id.size() <= kInlineId) sdk::copy_bytes(rec.short_id, id.data(), id.size());
  rec.created_at = e.created_at;
  rec.out = EdgeList{};
  rec.in = EdgeList{};
  add_member(type, slot);
  entity_index_.insert(id_hash, slot);
  if (rec.dim) embedding_added(rec.dim);
  if (vectors_ && rec.dim) index_vector(slot);
  changed();
  return slot;
}

void Graph::erase_entity(uint32_t slot) {
  EntityRecord& rec = entities_[slot];
  while (!rec.out.empty()) erase_relation(rec.out.data[rec.out.size - 1].relation);
  while (!rec.in.empty()) erase_relation(rec.in.data[rec.in.size - 1].relation);
  edges_.release(rec.out);
  edges_.release(rec.in);
  remove_member(slot);
  entity_index_.erase(entity_id(slot), slot);
  if (rec.dim) embedding_removed();
  if (vectors_ && rec.dim) update_vectors([&] { vectors_->erase(slot); });
  arena_.release(entity_blob_size(rec));
  rec.type = kNone;
  rec.blob = nullptr;
  free_entities_.push_back(slot);
  changed();
}

void Graph::replace_entity(uint32_t slot, const gs_entity& e) {
  gs_str props = stored_properties(e.properties_json);
  uint32_t type = intern(sdk::view(e.entity_type));
  if (type != entities_[slot].type) ensure_member_room(type);
  // Read before store_blob, which may move the old blob: an update that
  // keeps the vector only retags the index entry, without relinking it.
  bool same_vector = entities_[slot].dim == e.embedding_dim &&
                     (e.embedding_dim == 0 ||
                      std::memcmp(embedding(slot), e.embedding, sizeof(float) * e.embedding_dim) == 0);
  char* blob = store_blob(entity_id(slot), props, e.source, e.embedding, e.embedding_dim);

  EntityRecord& rec = entities_[slot];
  arena_.release(entity_blob_size(rec));
  if (rec.dim) embedding_removed();
  bool retyped = type != rec.type;
  if (retyped) {
    remove_member(slot);
    add_member(type, slot);
  }
  fill_entity(rec, e, props, blob);
  if (rec.dim) embedding_added(rec.dim);
  if (vectors_) {
    if (rec.dim == 0)
      update_vectors([&] { vectors_->erase(slot); });
    else if (!same_vector)
      index_vector(slot);
    else if (retyped)
      update_vectors([&] { vectors_->retype(slot, types_[type].name); });
  }
  changed();
}

void Graph::enable_vector_index(const hnsw::Params& params) {
  vectors_ = std::make_unique<hnsw::TenantVectors>(params);
}

// The index only speeds vector_search up; the records are the truth. Its
// updates run after a write has committed, so one that throws (out of
// memory) would leave the write half done: instead the index is dropped,
// searches scan (an empty index answers nothing), and maybe_compact rebuilds
// it after a later write.
template <class Fn>
void Graph::update_vectors(const Fn& fn) noexcept {
  if (vectors_stale_) return;
  try {
    fn();
  } catch (const std::exception&) {
    vectors_->clear();
    vectors_stale_ = true;
  }
}

void Graph::rebuild_vectors() noexcept {
  vectors_stale_ = false;
  update_vectors([&] {
    std::vector<uint32_t> slots(entities_.size());
    std::iota(slots.begin(), slots.end(), 0u);
    link_vectors(slots);
  });
}

void Graph::index_vector(uint32_t slot) {
  update_vectors([&] {
    if (defer_vectors_) {
      deferred_vectors_.push_back(slot);
      return;
    }
    const EntityRecord& rec = entities_[slot];
    vectors_->put(slot, types_[rec.type].name, embedding(slot), rec.dim);
  });
}

void Graph::link_deferred_vectors() {
  if (!defer_vectors_) return;
  defer_vectors_ = false;
  std::vector<uint32_t> slots;
  slots.swap(deferred_vectors_);
  update_vectors([&] { link_vectors(slots); });
}

void Graph::link_vectors(std::vector<uint32_t>& slots) {
  // A slot freed and reused within the bulk add appears twice; an entity
  // removed by the add's rollback is no longer live.
  std::sort(slots.begin(), slots.end());
  slots.erase(std::unique(slots.begin(), slots.end()), slots.end());
  std::vector<uint64_t> keys;
  std::vector<std::string_view> types;
  std::vector<const float*> vectors;
  for (uint32_t slot : slots) {
    const EntityRecord& rec = entities_[slot];
    if (!entity_live(slot) || rec.dim == 0) continue;
    keys.push_back(slot);
    types.push_back(types_[rec.type].name);
    vectors.push_back(embedding(slot));
  }
  if (!keys.empty())
    vectors_->put_batch(keys, types, vectors, embedding_dim_, std::max(1u, std::thread::hardware_concurrency()));
}

uint32_t Graph::insert_relation(const gs_relation& r, uint32_t source, uint32_t target, uint32_t id_hash) {
  // A reservation left unused when the record's allocation throws is
  // capacity, not content: the graph is unchanged.
  edges_.reserve_one(entities_[source].out);
  edges_.reserve_one(entities_[target].in);
  uint32_t slot = insert_relation_record(r, source, target, id_hash);
  link(slot);
  return slot;
}

[[gnu::always_inline]] inline uint32_t Graph::insert_relation_record(const gs_relation& r, uint32_t source,
                                                                     uint32_t target, uint32_t id_hash) {
  std::string_view id = sdk::view(r.id);
  gs_str props = stored_properties(r.properties_json);
  uint32_t type = intern(sdk::view(r.relation_type));
  relation_index_.reserve_one();
  reserve_slot(relations_, free_relations_);
  char* blob = store_blob(id, props, r.source, nullptr, 0);

  uint32_t slot;
  if (!free_relations_.empty()) {
    slot = free_relations_.back();
    free_relations_.pop_back();
  } else {
    slot = uint32_t(relations_.size());
    relations_.push(RelationRecord{});
  }
  RelationRecord& rec = relations_[slot];
  fill_relation(rec, r, props, blob);
  rec.id_len = uint32_t(id.size());
  rec.created_at = r.created_at;
  rec.type = type;
  rec.source = source;
  rec.target = target;
  relation_index_.insert(id_hash, slot);
  ++types_[type].relations;
  changed();
  return slot;
}

void Graph::link_edges(const LinkJob& job) {
  EdgeList& out = entities_[job.source].out;
  EdgeList& in = entities_[job.target].in;
  edges_.reserve_one(out);
  edges_.reserve_one(in);
  insert_edge(out, Edge{job.relation, job.target, job.type});
  insert_edge(in, Edge{job.relation, job.source, job.type});
}

void Graph::erase_relation(uint32_t slot, bool linked) {
  if (linked) unlink(slot);
  RelationRecord& rec = relations_[slot];
  relation_index_.erase(relation_id(slot), slot);
  --types_[rec.type].relations;
  arena_.release(relation_blob_size(rec));
  rec.type = kNone;
  rec.blob = nullptr;
  free_relations_.push_back(slot);
  changed();
}

void Graph::replace_relation(uint32_t slot, const gs_relation& r, uint32_t source, uint32_t target) {
  gs_str props = stored_properties(r.properties_json);
  uint32_t type = intern(sdk::view(r.relation_type));
  edges_.reserve_one(entities_[source].out);
  edges_.reserve_one(entities_[target].in);
  char* blob = store_blob(relation_id(slot), props, r.source, nullptr, 0);

  unlink(slot);  // keeps the lists' blocks, so the reservations above still hold
  RelationRecord& rec = relations_[slot];
  arena_.release(relation_blob_size(rec));
  --types_[rec.type].relations;
  fill_relation(rec, r, props, blob);
  rec.type = type;
  rec.source = source;
  rec.target = target;
  ++types_[type].relations;
  link(slot);
  changed();
}

// ---- Bulk loads -----------------------------------------------------------------

uint32_t Graph::prefetch_entity_record(uint32_t h) const {
  uint32_t slot = entity_index_.first_with_hash(h);
  if (slot != kNone) __builtin_prefetch(&entities_[slot]);  // the first line: the short id and the edge lists
  return slot;
}

void Graph::prefetch_endpoint(uint32_t slot, bool out, bool edges) const {
  if (slot == kNone) return;
  const EntityRecord& r = entities_[slot];
  if (r.id_len > kInlineId) __builtin_prefetch(r.blob);
  const EdgeList& list = out ? r.out : r.in;
  if (edges && list.data) __builtin_prefetch(list.data + list.size, 1);
}

void Graph::upcoming_entities(size_t n, size_t blob_bytes, std::vector<MemoryRange>* out) {
  reserve_slots(entities_, free_entities_, n, out);
  arena_.upcoming(blob_bytes, out);
  entity_index_.upcoming(n, out);
}

void Graph::upcoming_relations(size_t n, size_t blob_bytes, std::vector<MemoryRange>* out) {
  reserve_slots(relations_, free_relations_, n, out);
  arena_.upcoming(blob_bytes, out);
  relation_index_.upcoming(n, out);
}

void Graph::prefetch_link(const LinkJob& job, int stage) const {
  const EntityRecord& source = entities_[job.source];
  const EntityRecord& target = entities_[job.target];
  if (stage == 1) {
    __builtin_prefetch(&source, 1);
    __builtin_prefetch(&target, 1);
    return;
  }
  if (source.out.data) __builtin_prefetch(source.out.data + source.out.size, 1);
  if (target.in.data) __builtin_prefetch(target.in.data + target.in.size, 1);
}

// ---- Housekeeping ----------------------------------------------------------------

void Graph::maybe_compact() {
  if (vectors_stale_) rebuild_vectors();
  // What a bulk add set aside (see upcoming_entities) counts against the
  // memory budget; once the write is over, what it did not use goes.
  bool dropped = arena_.drop_spare();
  dropped |= entity_index_.drop_spare();
  dropped |= relation_index_.drop_spare();
  if (dropped) changed();
  // Compacting once garbage outweighs live bytes costs O(live) per O(garbage)
  // freed, and lets a store that rolled back a large write reuse its budget.
  size_t live = arena_.live_bytes(), garbage = arena_.garbage_bytes();
  if (garbage < (size_t(64) << 10) || garbage < live) return;
  Arena fresh;
  // One block with room for every blob and its alignment padding, so no
  // allocation below can fail once this one succeeded. Without it the
  // garbage stays until a later write: this runs after a write committed,
  // which must not report a failure it did not have.
  try {
    fresh.reserve(live + 4 * embedded_ + 64);
  } catch (const std::bad_alloc&) {
    return;
  }
  for (size_t s = 0; s < entities_.size(); ++s) {
    EntityRecord& rec = entities_[s];
    if (rec.type == kNone) continue;
    size_t n = entity_blob_size(rec);
    char* p = fresh.allocate(n, rec.dim ? alignof(float) : 1);
    std::memcpy(p, rec.blob, n);
    rec.blob = p;
  }
  for (size_t s = 0; s < relations_.size(); ++s) {
    RelationRecord& rec = relations_[s];
    if (rec.type == kNone) continue;
    size_t n = relation_blob_size(rec);
    char* p = fresh.allocate(n, 1);
    std::memcpy(p, rec.blob, n);
    rec.blob = p;
  }
  arena_ = std::move(fresh);
  changed();
}

[[gnu::always_inline]] inline size_t Graph::footprint() const {
  return sizeof(Graph) + entities_.size() * sizeof(EntityRecord) + relations_.size() * sizeof(RelationRecord) +
         (free_entities_.size() + free_relations_.size()) * sizeof(uint32_t) + entity_index_.bytes() +
         relation_index_.bytes() + arena_.reserved_bytes() + edges_.bytes() + type_bytes_ + tenant_.capacity();
}

[[gnu::always_inline]] inline void Graph::changed() {
  ++version_;
  // The shared counter is an atomic; updating it only once the footprint has
  // drifted by 1/256 of what was reported keeps a locked instruction (which
  // waits for every pending store) off the per-insert path of a large graph,
  // while the total stays within 0.4% of the truth.
  int64_t now = int64_t(footprint()), slack = accounted_ >> 8;
  if (now == accounted_ || (now - accounted_ < slack && accounted_ - now < slack)) return;
  budget_->adjust(now - accounted_);
  accounted_ = now;
}

}  // namespace graphstore::inmemory

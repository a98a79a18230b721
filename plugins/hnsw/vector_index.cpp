#include "vector_index.hpp"

#include <algorithm>
#include <cstring>
#include <thread>

#include "graphstore/scoring.hpp"

namespace graphstore::hnsw {

sdk::Status read_vector_index_options(const sdk::Options& options, VectorIndexOptions* out) {
  std::string kind = "exact";
  if (sdk::Status s = options.get_string("vector_index", &kind); !s.ok()) return s;
  if (kind != "exact" && kind != "hnsw")
    return sdk::make_error(GS_INVALID_ARGUMENT,
                           "option 'vector_index': '" + kind + "' is not one of exact, hnsw");
  out->enabled = kind == "hnsw";
  int64_t m = out->params.m, efc = out->params.ef_construction, efs = out->params.ef_search;
  if (sdk::Status s = options.get_int("hnsw_m", &m, 2, 128); !s.ok()) return s;
  if (sdk::Status s = options.get_int("hnsw_ef_construction", &efc, 1, 4096); !s.ok()) return s;
  if (sdk::Status s = options.get_int("hnsw_ef_search", &efs, 1, 4096); !s.ok()) return s;
  std::string metric = "cosine";
  if (sdk::Status s = options.get_string("hnsw_metric", &metric); !s.ok()) return s;
  if (metric != "cosine")
    return sdk::make_error(GS_INVALID_ARGUMENT, "option 'hnsw_metric': '" + metric +
                                                    "' is not supported: vector search scores are cosine "
                                                    "similarity (docs/scores.md), so the index walks by cosine");
  out->params.m = uint32_t(m);
  out->params.ef_construction = uint32_t(efc);
  out->params.ef_search = uint32_t(efs);
  return sdk::Status::Ok();
}

std::string describe_vector_index(const Params& p, size_t vectors, size_t bytes) {
  return "hnsw (m " + std::to_string(p.m) + ", ef_construction " + std::to_string(p.ef_construction) +
         ", ef_search " + std::to_string(p.ef_search) + "): " + std::to_string(vectors) + " vectors, " +
         std::to_string(bytes) + " bytes";
}

uint32_t TenantVectors::find_tag(std::string_view type) const {
  auto it = tags_.find(std::string(type));
  return it == tags_.end() ? kAnyTag : it->second;
}

uint32_t TenantVectors::tag_of(std::string_view type) {
  auto [it, added] = tags_.try_emplace(std::string(type), uint32_t(tag_names_.size()));
  if (added) tag_names_.emplace_back(type);
  return it->second;
}

void TenantVectors::put(uint64_t key, std::string_view type, const float* vector, uint32_t dim) {
  if (!index_) index_ = std::make_unique<Index>(dim, params_);
  index_->insert(key, tag_of(type), vector);
  compact_if_sparse();
}

void TenantVectors::put_batch(const std::vector<uint64_t>& keys, const std::vector<std::string_view>& types,
                              const std::vector<const float*>& vectors, uint32_t dim, unsigned threads) {
  if (keys.empty()) return;
  if (!index_) index_ = std::make_unique<Index>(dim, params_);
  std::vector<uint32_t> tags(types.size());
  for (size_t i = 0; i < types.size(); ++i) tags[i] = tag_of(types[i]);
  index_->insert_batch(keys.data(), tags.data(), vectors.data(), keys.size(), threads);
  compact_if_sparse();
}

void TenantVectors::erase(uint64_t key) {
  if (!index_ || !index_->remove(key)) return;
  // Nothing live left (a tenant cleared): start again rather than link new
  // vectors through a graph of removed ones.
  if (index_->live() == 0)
    index_.reset();
  else
    compact_if_sparse();
}

void TenantVectors::retype(uint64_t key, std::string_view type) {
  if (index_) index_->retag(key, tag_of(type));
}

void TenantVectors::clear() {
  index_.reset();
  tags_.clear();
  tag_names_.clear();
}

// Removed nodes cost memory and make walks longer; once they outnumber the
// live ones (and past a floor, so small stores do not churn), the graph is
// relinked from its live nodes. Its cost, about one bulk build of the live
// nodes, is paid once per as many removals, so it stays constant per removal.
void TenantVectors::compact_if_sparse() {
  if (!index_ || index_->removed() < kCompactAfter || index_->removed() <= index_->live()) return;
  index_ = index_->compacted(std::max(1u, std::thread::hardware_concurrency()));
}

size_t TenantVectors::memory_bytes() const {
  size_t bytes = index_ ? index_->memory_bytes() : 0;
  for (const auto& n : tag_names_) bytes += 2 * (n.capacity() + sizeof(std::string)) + sizeof(uint32_t) + 16;
  return bytes;
}

bool TenantVectors::graph_answers(std::string_view type, uint32_t k, uint32_t* tag, size_t* matching) const {
  if (!index_ || index_->live() < kScanBelow || k == 0) return false;
  size_t live = index_->live();
  *tag = kAnyTag;
  *matching = live;
  if (type.empty()) return true;
  *tag = find_tag(type);
  if (*tag == kAnyTag) return false;
  *matching = index_->live_with_tag(*tag);
  double walk = double(kFilteredWalkFactor) * std::max<double>(params_.ef_search, k) * double(live);
  return *matching >= kScanBelow && *matching * kSelectiveDivisor >= live && *matching > k &&
         double(*matching) * double(*matching) >= walk;
}

bool TenantVectors::use_graph(std::string_view type, uint32_t k) const {
  uint32_t tag;
  size_t matching;
  return graph_answers(type, k, &tag, &matching);
}

bool TenantVectors::find(const float* query, uint32_t dim, uint32_t k, std::string_view type,
                         std::vector<ScoredKey>* out) const {
  out->clear();
  uint32_t tag;
  size_t matching;
  if (!graph_answers(type, k, &tag, &matching) || dim != index_->dim()) return false;
  std::vector<Candidate> found;
  index_->search(query, k, std::max(params_.ef_search, k), tag, &found);
  if (found.size() < std::min<size_t>(k, matching)) return false;
  out->reserve(found.size());
  for (const Candidate& c : found)
    out->push_back({index_->key(c.node), sdk::cosine_similarity(query, index_->vector(c.node), dim)});
  return true;
}

namespace {
constexpr char kTenantMagic[8] = {'G', 'S', 'V', 'E', 'C', 'T', '\0', '\1'};
}

bool TenantVectors::save(std::FILE* f) const {
  bool ok = std::fwrite(kTenantMagic, 1, sizeof kTenantMagic, f) == sizeof kTenantMagic;
  uint32_t n = uint32_t(tag_names_.size());
  ok = ok && std::fwrite(&n, sizeof n, 1, f) == 1;
  for (const std::string& name : tag_names_) {
    uint32_t len = uint32_t(name.size());
    ok = ok && std::fwrite(&len, sizeof len, 1, f) == 1 && std::fwrite(name.data(), 1, len, f) == len;
  }
  uint8_t has_index = index_ ? 1 : 0;
  ok = ok && std::fwrite(&has_index, 1, 1, f) == 1;
  return ok && (!index_ || index_->save(f));
}

bool TenantVectors::load(std::FILE* f, std::string* error) {
  char magic[8];
  uint32_t n = 0;
  if (std::fread(magic, 1, sizeof magic, f) != sizeof magic || std::memcmp(magic, kTenantMagic, sizeof magic) != 0 ||
      std::fread(&n, sizeof n, 1, f) != 1 || n > (1u << 24)) {
    *error = "the tenant's vector section is damaged";
    return false;
  }
  std::unordered_map<std::string, uint32_t> tags;
  std::vector<std::string> names;
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t len = 0;
    if (std::fread(&len, sizeof len, 1, f) != 1 || len > (1u << 20)) {
      *error = "the tenant's type names are damaged";
      return false;
    }
    std::string name(len, '\0');
    if (len > 0 && std::fread(name.data(), 1, len, f) != len) {
      *error = "the tenant's type names are short";
      return false;
    }
    tags.emplace(name, i);
    names.push_back(std::move(name));
  }
  uint8_t has_index = 0;
  if (std::fread(&has_index, 1, 1, f) != 1) {
    *error = "the tenant's vector section is short";
    return false;
  }
  std::unique_ptr<Index> index;
  if (has_index) {
    index = Index::load(f, error);
    if (!index) return false;
  }
  if (index && index->params().m != params_.m) {
    *error = "the saved index has m " + std::to_string(index->params().m) + ", the store's option asks for " +
             std::to_string(params_.m);
    return false;
  }
  index_ = std::move(index);
  tags_ = std::move(tags);
  tag_names_ = std::move(names);
  return true;
}

}  // namespace graphstore::hnsw

#include "hnsw_index.hpp"

#include <algorithm>
#include <atomic>
#include <limits>
#include <cmath>
#include <cstring>
#include <queue>
#include <stdexcept>
#include <thread>

#include "distance.hpp"

namespace graphstore::hnsw {

// One search's working set: a visited mark per node (a generation counter
// spares clearing it) and the two heaps.
struct Index::Scratch {
  std::vector<uint16_t> mark;
  uint16_t epoch = 0;
  std::vector<Candidate> found;  // max-heap on distance: the best so far
  std::vector<Candidate> todo;   // min-heap on distance: still to expand
  std::vector<float> unit;       // the normalised query
  std::vector<uint32_t> copy;    // a neighbour list copied under its lock

  void begin(size_t nodes) {
    if (mark.size() < nodes) mark.resize(nodes, 0);
    if (++epoch == 0) {
      std::fill(mark.begin(), mark.end(), 0);
      epoch = 1;
    }
    found.clear();
    todo.clear();
  }
  bool visit(uint32_t node) {
    if (mark[node] == epoch) return false;
    mark[node] = epoch;
    return true;
  }
};

namespace {

bool farther(const Candidate& a, const Candidate& b) { return a.distance < b.distance; }  // max-heap
bool nearer(const Candidate& a, const Candidate& b) { return a.distance > b.distance; }   // min-heap

uint64_t mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

float inverse_norm(const float* v, uint32_t dim) {
  double s = 0;
  for (uint32_t i = 0; i < dim; ++i) s += double(v[i]) * v[i];
  return s > 0 ? float(1.0 / std::sqrt(s)) : 0.0f;
}

}  // namespace

// Hands a Scratch from the pool to one search and takes it back after.
class Index::ScratchLease {
 public:
  explicit ScratchLease(const Index& index) : index_(index) {
    std::lock_guard<std::mutex> g(index_.scratch_lock_);
    if (!index_.scratch_pool_.empty()) {
      scratch_ = std::move(index_.scratch_pool_.back());
      index_.scratch_pool_.pop_back();
    }
    if (!scratch_) scratch_ = std::make_unique<Scratch>();
  }
  ~ScratchLease() {
    std::lock_guard<std::mutex> g(index_.scratch_lock_);
    index_.scratch_pool_.push_back(std::move(scratch_));
  }
  Scratch& operator*() { return *scratch_; }

 private:
  const Index& index_;
  std::unique_ptr<Scratch> scratch_;
};

Index::Index(uint32_t dim, const Params& params, uint64_t seed)
    : dim_(dim), params_(params), seed_(seed), stripes_(new std::mutex[kStripes]) {
  if (dim == 0 || params.m < 2 || params.m > 128 || params.ef_construction == 0)
    throw std::invalid_argument("hnsw: dimension must be positive, m in [2, 128], ef_construction positive");
  level_mult_ = 1.0 / std::log(double(params.m));
  record_bytes_ = sizeof(float) * dim + sizeof(uint32_t) * (1 + 2 * size_t(params.m));
}

Index::~Index() = default;

size_t Index::memory_bytes() const {
  size_t bytes = chunks_.size() * (size_t(1) << kChunkShift) * record_bytes_ + meta_.capacity() * sizeof(Node) +
                 uppers_.capacity() * sizeof(uppers_[0]) + keys_.memory_bytes() + tag_live_.capacity() * sizeof(size_t);
  for (size_t n = 0; n < count_; ++n)
    if (meta_[n].level > 0) bytes += sizeof(uint32_t) * (1 + params_.m) * meta_[n].level;
  std::lock_guard<std::mutex> g(scratch_lock_);
  for (const auto& s : scratch_pool_) bytes += s->mark.capacity() * sizeof(uint16_t);
  return bytes;
}

const float* Index::vector(uint32_t node) const {
  return reinterpret_cast<const float*>(chunks_[node >> kChunkShift].get() +
                                        (node & ((1u << kChunkShift) - 1)) * record_bytes_);
}

uint64_t Index::key(uint32_t node) const { return meta_[node].key; }
uint32_t Index::tag(uint32_t node) const { return meta_[node].tag; }

uint32_t* Index::links(uint32_t node, uint32_t level) const {
  if (level == 0) return reinterpret_cast<uint32_t*>(const_cast<float*>(vector(node)) + dim_);
  return uppers_[meta_[node].upper].get() + size_t(level - 1) * (1 + params_.m);
}

float Index::distance(const float* unit_query, uint32_t node) const {
  return 1.0f - dot(unit_query, vector(node), dim_) * meta_[node].inv_norm;
}

uint32_t Index::random_level(uint32_t node) const {
  double u = double((mix(seed_ ^ node) >> 11) + 1) * 0x1.0p-53;  // (0, 1]
  return std::min<uint32_t>(uint32_t(-std::log(u) * level_mult_), 32);
}

void Index::reserve(size_t nodes) {
  if (nodes >= KeyMap::kMissing) throw std::length_error("hnsw: more than 2^32-1 nodes");
  size_t chunk = size_t(1) << kChunkShift;
  while (chunks_.size() * chunk < nodes) {
    chunks_.reserve(chunks_.size() + 1);  // so that the push cannot throw after new[] and leak it
    chunks_.emplace_back(new char[chunk * record_bytes_]);
  }
  // Growth by a quarter: the records are counted in memory_bytes, and
  // doubling would leave up to half of them reserved and unused.
  if (meta_.capacity() < nodes) meta_.reserve(std::max(nodes, meta_.capacity() + meta_.capacity() / 4));
  keys_.reserve(nodes);
}

uint32_t Index::append(uint64_t key, uint32_t tag, const float* v) {
  uint32_t node = uint32_t(count_);
  std::memcpy(const_cast<float*>(vector(node)), v, sizeof(float) * dim_);
  links(node, 0)[0] = 0;
  Node& n = meta_.emplace_back();
  n.key = key;
  n.inv_norm = inverse_norm(v, dim_);
  n.tag = tag;
  n.level = uint8_t(random_level(node));
  if (n.level > 0) {
    n.upper = uint32_t(uppers_.size());
    // Room first (growing geometrically), so that the push cannot throw after new[] and leak it.
    if (uppers_.size() == uppers_.capacity()) uppers_.reserve(2 * uppers_.size() + 16);
    uppers_.emplace_back(new uint32_t[size_t(n.level) * (1 + params_.m)]);
    for (uint32_t l = 1; l <= n.level; ++l) links(node, l)[0] = 0;
  }
  if (tag >= tag_live_.size()) tag_live_.resize(size_t(tag) + 1, 0);
  ++tag_live_[tag];
  keys_.put(key, node);
  ++count_;
  return node;
}

void Index::insert(uint64_t key, uint32_t tag, const float* v) {
  remove(key);
  reserve(count_ + 1);
  uint32_t node = append(key, tag, v);
  ScratchLease lease(*this);
  link(node, *lease, false);
}

void Index::insert_batch(const uint64_t* keys, const uint32_t* tags, const float* const* vectors, size_t n,
                         unsigned threads) {
  for (size_t i = 0; i < n; ++i) remove(keys[i]);
  reserve(count_ + n);
  size_t first = count_;
  for (size_t i = 0; i < n; ++i) append(keys[i], tags[i], vectors[i]);
  // The first node links alone so every thread starts from an entry point.
  size_t next = first;
  if (entry_ == ~uint32_t{0} && next < count_) {
    ScratchLease lease(*this);
    link(uint32_t(next++), *lease, false);
  }
  threads = std::max(1u, std::min<unsigned>(threads, unsigned((count_ - next + 255) / 256)));
  if (threads <= 1) {
    ScratchLease lease(*this);
    for (size_t i = next; i < count_; ++i) link(uint32_t(i), *lease, false);
    return;
  }
  std::atomic<size_t> cursor{next};
  auto work = [&] {
    ScratchLease lease(*this);
    for (size_t i; (i = cursor.fetch_add(1)) < count_;) link(uint32_t(i), *lease, true);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

bool Index::remove(uint64_t key) {
  uint32_t node = keys_.find(key);
  if (node == KeyMap::kMissing) return false;
  keys_.erase(key);
  meta_[node].removed = true;
  --tag_live_[meta_[node].tag];
  ++removed_;
  return true;
}

bool Index::retag(uint64_t key, uint32_t tag) {
  uint32_t node = keys_.find(key);
  if (node == KeyMap::kMissing) return false;
  --tag_live_[meta_[node].tag];
  if (tag >= tag_live_.size()) tag_live_.resize(size_t(tag) + 1, 0);
  ++tag_live_[tag];
  meta_[node].tag = tag;
  return true;
}

template <bool kLocked>
uint32_t Index::greedy(const float* q, uint32_t entry, uint32_t from_level, uint32_t to_level) const {
  uint32_t best = entry;
  float best_d = distance(q, entry);
  uint32_t buf[129];
  for (uint32_t level = from_level; level > to_level; --level) {
    for (bool moved = true; moved;) {
      moved = false;
      uint32_t count;
      {
        std::unique_lock<std::mutex> g;
        if constexpr (kLocked) g = std::unique_lock<std::mutex>(lock_of(best));
        const uint32_t* l = links(best, level);
        count = l[0];
        std::memcpy(buf, l + 1, sizeof(uint32_t) * count);
      }
      for (uint32_t i = 0; i < count; ++i) {
        float d = distance(q, buf[i]);
        if (d < best_d) {
          best_d = d;
          best = buf[i];
          moved = true;
        }
      }
    }
  }
  return best;
}

// The ef nearest matches of q on one level, reached from entry, left in
// s.found as a max-heap. Nodes that do not match (removed, or another tag
// when tag != kAnyTag) are walked through but never kept, and the walk goes
// on until ef matches are held: that is what keeps filtered results full.
template <bool kLocked>
void Index::search_layer(const float* q, uint32_t entry, uint32_t ef, uint32_t level, uint32_t tag,
                         Scratch& s) const {
  auto matches = [&](uint32_t n) { return !meta_[n].removed && (tag == kAnyTag || meta_[n].tag == tag); };
  s.begin(count_);
  s.visit(entry);
  float d0 = distance(q, entry);
  float bound = std::numeric_limits<float>::infinity();
  if (matches(entry)) {
    s.found.push_back({entry, d0});
    bound = d0;
  }
  s.todo.push_back({entry, d0});
  while (!s.todo.empty()) {
    Candidate c = s.todo.front();
    if (c.distance > bound && s.found.size() >= ef) break;
    std::pop_heap(s.todo.begin(), s.todo.end(), nearer);
    s.todo.pop_back();
    const uint32_t* l;
    uint32_t count;
    if constexpr (kLocked) {
      std::lock_guard<std::mutex> g(lock_of(c.node));
      const uint32_t* src = links(c.node, level);
      s.copy.assign(src + 1, src + 1 + src[0]);
      l = s.copy.data();
      count = uint32_t(s.copy.size());
    } else {
      const uint32_t* src = links(c.node, level);
      l = src + 1;
      count = src[0];
    }
    // At 1M vectors the walk waits on memory: fetch the next neighbour's
    // mark, record and vector while this one is scored.
    if (count > 0) __builtin_prefetch(&s.mark[l[0]]);
    for (uint32_t i = 0; i < count; ++i) {
      uint32_t n = l[i];
      if (i + 1 < count) {
        __builtin_prefetch(&s.mark[l[i + 1]]);
        __builtin_prefetch(&meta_[l[i + 1]]);
        __builtin_prefetch(vector(l[i + 1]));
      }
      if (!s.visit(n)) continue;
      float d = distance(q, n);
      if (s.found.size() < ef || d < bound) {
        s.todo.push_back({n, d});
        std::push_heap(s.todo.begin(), s.todo.end(), nearer);
        if (matches(n)) {
          s.found.push_back({n, d});
          std::push_heap(s.found.begin(), s.found.end(), farther);
          if (s.found.size() > ef) {
            std::pop_heap(s.found.begin(), s.found.end(), farther);
            s.found.pop_back();
          }
          bound = s.found.front().distance;
        }
      }
    }
  }
}

// The heuristic of the paper (its algorithm 4): keeps a candidate only when
// it is nearer the new node than to every candidate already kept, so links
// spread in all directions instead of crowding into one cluster.
void Index::select_neighbors(std::vector<Candidate>* sorted, uint32_t keep) const {
  if (sorted->size() <= keep) return;
  std::vector<Candidate> kept;
  kept.reserve(keep);
  for (const Candidate& c : *sorted) {
    if (kept.size() >= keep) break;
    const float* cv = vector(c.node);
    float cn = meta_[c.node].inv_norm;
    bool diverse = true;
    for (const Candidate& k : kept) {
      float d = 1.0f - dot(cv, vector(k.node), dim_) * cn * meta_[k.node].inv_norm;
      if (d < c.distance) {
        diverse = false;
        break;
      }
    }
    if (diverse) kept.push_back(c);
  }
  sorted->swap(kept);
}

void Index::connect(uint32_t node, uint32_t level, const std::vector<Candidate>& chosen, bool locked) {
  uint32_t cap = max_links(level);
  {
    std::unique_lock<std::mutex> g;
    if (locked) g = std::unique_lock<std::mutex>(lock_of(node));
    uint32_t* own = links(node, level);
    own[0] = uint32_t(chosen.size());
    for (size_t i = 0; i < chosen.size(); ++i) own[1 + i] = chosen[i].node;
  }
  const float* nv = vector(node);
  float nn = meta_[node].inv_norm;
  std::vector<Candidate> pool;
  for (const Candidate& c : chosen) {
    std::unique_lock<std::mutex> g;
    if (locked) g = std::unique_lock<std::mutex>(lock_of(c.node));
    uint32_t* theirs = links(c.node, level);
    if (theirs[0] < cap) {
      theirs[1 + theirs[0]++] = node;
      continue;
    }
    // Full: keep the best `cap` of the old links plus the new one.
    const float* cv = vector(c.node);
    float cn = meta_[c.node].inv_norm;
    pool.clear();
    pool.push_back({node, 1.0f - dot(cv, nv, dim_) * cn * nn});
    for (uint32_t i = 0; i < theirs[0]; ++i) {
      uint32_t o = theirs[1 + i];
      pool.push_back({o, 1.0f - dot(cv, vector(o), dim_) * cn * meta_[o].inv_norm});
    }
    std::sort(pool.begin(), pool.end(), farther);
    select_neighbors(&pool, cap);
    theirs[0] = uint32_t(pool.size());
    for (size_t i = 0; i < pool.size(); ++i) theirs[1 + i] = pool[i].node;
  }
}

void Index::link(uint32_t node, Scratch& s, bool locked) {
  uint32_t level = meta_[node].level;
  std::unique_lock<std::mutex> top(entry_lock_);
  if (entry_ == ~uint32_t{0}) {
    entry_ = node;
    top_level_ = level;
    return;
  }
  uint32_t entry = entry_, top_level = top_level_;
  // Only a node that raises the top level keeps the entry lock throughout:
  // it becomes the entry point at the end.
  if (level <= top_level) top.unlock();

  s.unit.resize(dim_);
  float inv = meta_[node].inv_norm;
  const float* v = vector(node);
  for (uint32_t i = 0; i < dim_; ++i) s.unit[i] = v[i] * inv;
  const float* q = s.unit.data();

  if (top_level > level)
    entry = locked ? greedy<true>(q, entry, top_level, level) : greedy<false>(q, entry, top_level, level);
  std::vector<Candidate> chosen;
  for (uint32_t l = std::min(level, top_level) + 1; l-- > 0;) {
    if (locked)
      search_layer<true>(q, entry, params_.ef_construction, l, kAnyTag, s);
    else
      search_layer<false>(q, entry, params_.ef_construction, l, kAnyTag, s);
    // A new node links to live nodes only; removed ones stay waypoints.
    chosen.clear();
    for (const Candidate& c : s.found)
      if (c.node != node) chosen.push_back(c);
    std::sort(chosen.begin(), chosen.end(), farther);
    if (!chosen.empty()) entry = chosen.front().node;
    // m of its own links on every level; level 0 leaves room (2m) for the
    // links later nodes add back to it.
    select_neighbors(&chosen, params_.m);
    connect(node, l, chosen, locked);
  }
  if (level > top_level) {
    entry_ = node;
    top_level_ = level;
  }
}

void Index::search(const float* query, uint32_t k, uint32_t ef, uint32_t tag, std::vector<Candidate>* out) const {
  out->clear();
  if (entry_ == ~uint32_t{0} || k == 0 || live() == 0) return;
  ScratchLease lease(*this);
  Scratch& s = *lease;
  s.unit.assign(query, query + dim_);
  float inv = inverse_norm(query, dim_);
  for (float& x : s.unit) x *= inv;
  uint32_t entry = greedy<false>(s.unit.data(), entry_, top_level_, 0);
  search_layer<false>(s.unit.data(), entry, std::max(ef, k), 0, tag, s);
  out->assign(s.found.begin(), s.found.end());
  std::sort(out->begin(), out->end(), farther);
}

std::unique_ptr<Index> Index::compacted(unsigned threads) const {
  auto fresh = std::make_unique<Index>(dim_, params_, seed_);
  std::vector<uint64_t> keys;
  std::vector<uint32_t> tags;
  std::vector<const float*> vectors;
  for (uint32_t n = 0; n < count_; ++n) {
    if (meta_[n].removed) continue;
    keys.push_back(meta_[n].key);
    tags.push_back(meta_[n].tag);
    vectors.push_back(vector(n));
  }
  fresh->insert_batch(keys.data(), tags.data(), vectors.data(), keys.size(), threads);
  return fresh;
}

}  // namespace graphstore::hnsw

// Index::save and Index::load: the file format in README.md, "File format".
#include <zlib.h>

#include <cstring>

#include "hnsw_index.hpp"

namespace graphstore::hnsw {

namespace {

constexpr char kMagic[8] = {'G', 'S', 'H', 'N', 'S', 'W', '\0', '\1'};

// Writes and reads through a running CRC-32 (zlib's), so the checksum
// covers every byte before it without a second pass.
struct Writer {
  std::FILE* f;
  uLong crc = crc32(0L, Z_NULL, 0);
  bool ok = true;
  void bytes(const void* p, size_t n) {
    if (!ok || n == 0) return;
    crc = crc32_z(crc, static_cast<const Bytef*>(p), n);
    ok = std::fwrite(p, 1, n, f) == n;
  }
  template <class T>
  void value(T v) {
    bytes(&v, sizeof v);
  }
};

struct Reader {
  std::FILE* f;
  uLong crc = crc32(0L, Z_NULL, 0);
  bool ok = true;
  void bytes(void* p, size_t n) {
    if (!ok || n == 0) return;
    ok = std::fread(p, 1, n, f) == n;
    if (ok) crc = crc32_z(crc, static_cast<const Bytef*>(p), n);
  }
  template <class T>
  T value() {
    T v{};
    bytes(&v, sizeof v);
    return v;
  }
};

}  // namespace

bool Index::save(std::FILE* f) const {
  Writer w{f};
  w.bytes(kMagic, sizeof kMagic);
  w.value<uint32_t>(dim_);
  w.value<uint32_t>(params_.m);
  w.value<uint32_t>(params_.ef_construction);
  w.value<uint32_t>(params_.ef_search);
  w.value<uint64_t>(seed_);
  w.value<uint64_t>(count_);
  w.value<uint32_t>(entry_);
  w.value<uint32_t>(top_level_);
  for (size_t n = 0; n < count_; ++n) {
    const Node& m = meta_[n];
    w.value<uint64_t>(m.key);
    w.value<float>(m.inv_norm);
    w.value<uint32_t>(m.tag);
    w.value<uint8_t>(m.level);
    w.value<uint8_t>(m.removed ? 1 : 0);
  }
  size_t chunk = size_t(1) << kChunkShift;
  for (size_t c = 0; c * chunk < count_; ++c) w.bytes(chunks_[c].get(), std::min(chunk, count_ - c * chunk) * record_bytes_);
  for (size_t n = 0; n < count_; ++n)
    if (meta_[n].level > 0) w.bytes(links(uint32_t(n), 1), sizeof(uint32_t) * (1 + params_.m) * meta_[n].level);
  uint32_t crc = uint32_t(w.crc);
  w.value<uint32_t>(crc);
  return w.ok && std::fflush(f) == 0;
}

std::unique_ptr<Index> Index::load(std::FILE* f, std::string* error) {
  Reader r{f};
  char magic[8];
  r.bytes(magic, sizeof magic);
  if (!r.ok || std::memcmp(magic, kMagic, sizeof magic) != 0) {
    *error = "not a graphstore HNSW index (bad magic)";
    return nullptr;
  }
  uint32_t dim = r.value<uint32_t>();
  Params p;
  p.m = r.value<uint32_t>();
  p.ef_construction = r.value<uint32_t>();
  p.ef_search = r.value<uint32_t>();
  uint64_t seed = r.value<uint64_t>();
  uint64_t count = r.value<uint64_t>();
  uint32_t entry = r.value<uint32_t>();
  uint32_t top_level = r.value<uint32_t>();
  if (!r.ok || dim == 0 || dim > (1u << 20) || p.m < 2 || p.m > 128 || p.ef_construction == 0 ||
      count >= KeyMap::kMissing || (count > 0 && entry >= count) || top_level > 32) {
    *error = "the index header is damaged";
    return nullptr;
  }
  auto index = std::make_unique<Index>(dim, p, seed);
  index->reserve(count);
  for (uint64_t n = 0; n < count && r.ok; ++n) {
    Node& m = index->meta_.emplace_back();
    m.key = r.value<uint64_t>();
    m.inv_norm = r.value<float>();
    m.tag = r.value<uint32_t>();
    m.level = r.value<uint8_t>();
    m.removed = r.value<uint8_t>() != 0;
    if (m.level > 32 || m.tag == kAnyTag) r.ok = false;
  }
  if (!r.ok) {
    *error = "the index's node records are short or damaged";
    return nullptr;
  }
  index->count_ = count;
  size_t chunk = size_t(1) << kChunkShift;
  for (size_t c = 0; c * chunk < count; ++c)
    r.bytes(index->chunks_[c].get(), std::min<size_t>(chunk, count - c * chunk) * index->record_bytes_);
  for (size_t n = 0; n < count && r.ok; ++n) {
    Node& m = index->meta_[n];
    if (m.level == 0) continue;
    m.upper = uint32_t(index->uppers_.size());
    // Room first (growing geometrically), so that the push cannot throw after new[] and leak it.
    if (index->uppers_.size() == index->uppers_.capacity()) index->uppers_.reserve(2 * index->uppers_.size() + 16);
    index->uppers_.emplace_back(new uint32_t[size_t(m.level) * (1 + p.m)]);
    r.bytes(index->uppers_.back().get(), sizeof(uint32_t) * (1 + p.m) * m.level);
  }
  uint32_t expected = uint32_t(r.crc);
  uint32_t stored = r.value<uint32_t>();
  if (!r.ok || stored != expected) {
    *error = r.ok ? "the index fails its checksum" : "the index file is short";
    return nullptr;
  }
  // The checksum proves the bytes are the ones written; these bounds keep a
  // file written by a faulty writer from sending a walk out of bounds.
  for (size_t n = 0; n < count; ++n) {
    Node& m = index->meta_[n];
    for (uint32_t l = 0; l <= m.level; ++l) {
      const uint32_t* ls = index->links(uint32_t(n), l);
      if (ls[0] > index->max_links(l)) {
        *error = "the index has a neighbour list longer than its limit";
        return nullptr;
      }
      for (uint32_t i = 1; i <= ls[0]; ++i)
        if (ls[i] >= count || index->meta_[ls[i]].level < l) {
          *error = "the index links to a node that does not exist on that level";
          return nullptr;
        }
    }
    if (m.tag >= index->tag_live_.size()) index->tag_live_.resize(size_t(m.tag) + 1, 0);
    if (m.removed) {
      ++index->removed_;
    } else {
      ++index->tag_live_[m.tag];
      index->keys_.put(m.key, uint32_t(n));
    }
  }
  if (count > 0 && index->meta_[entry].level != top_level) {
    *error = "the index's entry point is not on its top level";
    return nullptr;
  }
  index->entry_ = count > 0 ? entry : ~uint32_t{0};
  index->top_level_ = top_level;
  return index;
}

}  // namespace graphstore::hnsw

#include "endpoint_cache.hpp"

#include <cstring>

namespace graphstore::sqlite {
namespace {

uint64_t hash_id(std::string_view id) {
  // FNV-1a, then a finaliser so the low bits (the slot) mix every byte.
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char ch : id) h = (h ^ ch) * 1099511628211ULL;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

}  // namespace

void EndpointCache::clear() {
  tenant_.clear();
  blocks_.clear();
  block_used_ = kBlockBytes;
  slots_.clear();
  slots_.shrink_to_fit();
  used_ = 0;
  full_ = false;
}

size_t EndpointCache::bytes() const { return blocks_.size() * kBlockBytes + slots_.size() * sizeof(Slot); }

std::string_view EndpointCache::id_at(uint64_t where) const {
  uint64_t at = (where & kWhereMask) - 1;
  const char* p = blocks_[at / kBlockBytes].get() + at % kBlockBytes;
  uint16_t len;
  std::memcpy(&len, p, sizeof len);
  return std::string_view(p + sizeof len, len);
}

uint64_t EndpointCache::store_id(std::string_view id) {
  size_t need = sizeof(uint16_t) + id.size();
  if (block_used_ + need > kBlockBytes) {
    if (bytes() + kBlockBytes > kMaxBytes) return 0;
    blocks_.push_back(std::make_unique<char[]>(kBlockBytes));
    block_used_ = 0;
  }
  char* p = blocks_.back().get() + block_used_;
  uint16_t len = uint16_t(id.size());
  std::memcpy(p, &len, sizeof len);
  std::memcpy(p + sizeof len, id.data(), id.size());
  uint64_t where = 1 + (blocks_.size() - 1) * kBlockBytes + block_used_;
  block_used_ += need;
  return where <= kWhereMask ? where : 0;
}

bool EndpointCache::grow() {
  size_t n = slots_.empty() ? 1024 : slots_.size() * 2;
  // The old and new tables live together while entries move.
  if (bytes() + n * sizeof(Slot) > kMaxBytes) return false;
  std::vector<Slot> next(n);
  for (const Slot& s : slots_) {
    if (s.where == 0) continue;
    size_t i = hash_id(id_at(s.where)) & (n - 1);  // the tag holds only the hash's top bits
    while (next[i].where != 0) i = (i + 1) & (n - 1);
    next[i] = s;
  }
  slots_.swap(next);
  return true;
}

void EndpointCache::put(std::string_view tenant, std::string_view id, int64_t rid) {
  if (tenant != tenant_) {
    clear();
    tenant_.assign(tenant);
  }
  if (full_ || id.size() > kMaxIdBytes || rid <= 0) return;
  if ((used_ + 1) * 4 > slots_.size() * 3 && !grow()) {
    full_ = true;
    return;
  }
  size_t mask = slots_.size() - 1;
  uint64_t h = hash_id(id);
  size_t i = h & mask;
  while (slots_[i].where != 0) {
    if (tag_of(slots_[i].where) == tag_of(h) && id_at(slots_[i].where) == id) {
      slots_[i].rid = rid;
      return;
    }
    i = (i + 1) & mask;
  }
  uint64_t where = store_id(id);
  if (where == 0) {
    full_ = true;
    return;
  }
  slots_[i] = Slot{where | tag_of(h), rid};
  ++used_;
}

int64_t EndpointCache::find(std::string_view tenant, std::string_view id) const {
  if (used_ == 0 || tenant != tenant_) return 0;
  size_t mask = slots_.size() - 1;
  uint64_t h = hash_id(id);
  for (size_t i = h & mask; slots_[i].where != 0; i = (i + 1) & mask)
    if (tag_of(slots_[i].where) == tag_of(h) && id_at(slots_[i].where) == id) return slots_[i].rid;
  return 0;
}

}  // namespace graphstore::sqlite

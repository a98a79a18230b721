#include "vector_indexes.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <thread>

namespace graphstore::sqlite {
namespace {

constexpr char kFileMagic[8] = {'G', 'S', 'V', 'I', 'D', 'X', '\0', '\1'};
// A rebuild reads this many vectors, links them, then reads on, so its
// memory stays the graph plus one batch.
constexpr size_t kRebuildBatch = 65536;
// A commit that changed at least this many vectors links them on every core.
constexpr size_t kParallelPut = 256;

unsigned cores() { return std::max(1u, std::thread::hardware_concurrency()); }

std::string instance_of(Connection& c) {
  auto s = c.stmt("SELECT value FROM graphstore_meta WHERE key = 'instance'");
  std::string out = s->step() ? std::string(s->text(0)) : std::string();
  s->reset();
  return out;
}

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f) std::fclose(f);
  }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

}  // namespace

int64_t vector_generation(Connection& c) {
  auto s = c.stmt("SELECT CAST(value AS INTEGER) FROM graphstore_meta WHERE key = 'vector_generation'");
  int64_t g = s->step() ? s->i64(0) : 0;
  s->reset();
  return g;
}

int64_t bump_vector_generation(Connection& c) {
  auto s = c.stmt(
      "INSERT INTO graphstore_meta(key, value) VALUES('vector_generation', '1') "
      "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1 RETURNING CAST(value AS INTEGER)");
  int64_t g = s->step() ? s->i64(0) : 0;
  s->reset();
  return g;
}

VectorIndexes::VectorIndexes(const hnsw::VectorIndexOptions& options, std::string sidecar, bool writable)
    : options_(options), sidecar_(std::move(sidecar)), writable_(writable) {}

hnsw::TenantVectors& VectorIndexes::tenant_vectors(std::string_view tenant) {
  auto it = tenants_.find(tenant);
  if (it == tenants_.end())
    it = tenants_.emplace(std::string(tenant), std::make_unique<hnsw::TenantVectors>(options_.params)).first;
  return *it->second;
}

void VectorIndexes::note(std::string_view tenant, int64_t rid) {
  if (last_pending_ == nullptr || tenant != last_tenant_) {
    auto it = pending_.find(tenant);
    if (it == pending_.end()) it = pending_.emplace(std::string(tenant), std::vector<int64_t>()).first;
    last_pending_ = &it->second;
    last_tenant_.assign(tenant);
  }
  last_pending_->push_back(rid);
}

void VectorIndexes::attach(Connection& writer) {
  if (!enabled()) return;
  if (!writable_) {
    std::unique_lock<std::shared_mutex> lock(mu_);
    load_file(writer, vector_generation(writer));
    return;
  }
  auto changed = [](sqlite3_context* ctx, int, sqlite3_value** argv) {
    auto* self = static_cast<VectorIndexes*>(sqlite3_user_data(ctx));
    const char* t = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
    std::string_view tenant(t ? t : "", size_t(sqlite3_value_bytes(argv[0])));
    try {
      self->note(tenant, sqlite3_value_int64(argv[1]));
    } catch (...) {
      sqlite3_result_error_nomem(ctx);  // fails the statement, so the write rolls back
    }
  };
  int rc = sqlite3_create_function_v2(writer.handle(), "gs_vector_changed", 2, SQLITE_UTF8 | SQLITE_DIRECTONLY,
                                      this, changed, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) throw SQLite::Exception(writer.handle(), rc);
  // Only changes that move a vector or its type: a properties update leaves
  // the graph alone.
  writer.exec(
      "CREATE TEMP TRIGGER IF NOT EXISTS gs_vectors_insert AFTER INSERT ON main.entities WHEN new.dim > 0 "
      "BEGIN SELECT gs_vector_changed(new.tenant, new.rid); END;"
      "CREATE TEMP TRIGGER IF NOT EXISTS gs_vectors_update AFTER UPDATE ON main.entities "
      "WHEN (old.dim > 0 OR new.dim > 0) AND (old.embedding IS NOT new.embedding OR "
      "old.entity_type IS NOT new.entity_type OR old.tenant IS NOT new.tenant) "
      "BEGIN SELECT gs_vector_changed(old.tenant, old.rid); SELECT gs_vector_changed(new.tenant, new.rid); END;"
      "CREATE TEMP TRIGGER IF NOT EXISTS gs_vectors_delete AFTER DELETE ON main.entities WHEN old.dim > 0 "
      "BEGIN SELECT gs_vector_changed(old.tenant, old.rid); END;");
  std::unique_lock<std::shared_mutex> lock(mu_);
  int64_t generation = vector_generation(writer);
  if (load_file(writer, generation)) return;
  // Through the partial index: a large graph without embeddings is not read.
  auto any = writer.stmt("SELECT 1 FROM entities INDEXED BY entities_dim WHERE dim > 0 LIMIT 1");
  bool empty = !any->step();
  any->reset();
  // An empty database is in step with no graphs; a full one is rebuilt at
  // the first search, so opening stays fast.
  if (empty) {
    synced_ = generation;
    origin_ = "built by this store";
  }
}

void VectorIndexes::rolled_back() noexcept {
  pending_.clear();
  last_pending_ = nullptr;
}

void VectorIndexes::committed(Connection& writer, int64_t before, int64_t after) noexcept {
  if (!enabled()) return;
  std::unique_lock<std::shared_mutex> lock(mu_);
  try {
    if (synced_ == before) {
      apply(writer);
      synced_ = after;
    } else {
      // Out of step already: the next search catches up from the rows.
      synced_ = -1;
    }
  } catch (...) {
    synced_ = -1;
    tenants_.clear();
  }
  rolled_back();
}

void VectorIndexes::apply(Connection& c) {
  for (auto& [tenant, rids] : pending_) {
    std::sort(rids.begin(), rids.end());
    rids.erase(std::unique(rids.begin(), rids.end()), rids.end());
    hnsw::TenantVectors& t = tenant_vectors(tenant);
    std::vector<uint64_t> keys;
    std::vector<std::string> type_store;
    std::vector<std::vector<float>> vector_store;
    auto row = c.stmt("SELECT entity_type, embedding, dim FROM entities WHERE rid = ?1 AND tenant = ?2");
    for (int64_t rid : rids) {
      row->bind(1, rid);
      row->bind(2, std::string_view(tenant));
      size_t n = 0;
      const void* blob = row->step() ? row->blob(1, &n) : nullptr;
      int64_t dim = blob ? row->i64(2) : 0;
      if (blob == nullptr || dim <= 0 || n != size_t(dim) * sizeof(float)) {
        t.erase(uint64_t(rid));
      } else {
        keys.push_back(uint64_t(rid));
        type_store.emplace_back(row->text(0));
        vector_store.emplace_back(size_t(dim));
        std::memcpy(vector_store.back().data(), blob, n);
      }
      row->reset();
    }
    if (keys.empty()) continue;
    uint32_t dim = uint32_t(vector_store.front().size());
    if (keys.size() < kParallelPut) {
      for (size_t i = 0; i < keys.size(); ++i) t.put(keys[i], type_store[i], vector_store[i].data(), dim);
    } else {
      std::vector<std::string_view> types(type_store.begin(), type_store.end());
      std::vector<const float*> vectors;
      for (const auto& v : vector_store) vectors.push_back(v.data());
      t.put_batch(keys, types, vectors, dim, cores());
    }
  }
  dirty_ = true;
}

void VectorIndexes::find(Connection& c, std::string_view tenant, const gs_vector_params& p,
                         std::vector<hnsw::ScoredKey>* out, bool* answered) {
  *answered = false;
  out->clear();
  if (!enabled() || (p.flags & GS_VECTOR_EXACT) != 0 || p.k == 0) return;
  int64_t generation = vector_generation(c);
  std::shared_lock<std::shared_mutex> shared(mu_);
  if (synced_ < generation) {
    shared.unlock();
    {
      std::unique_lock<std::shared_mutex> alone(mu_);
      if (synced_ < generation) catch_up(c, generation);
    }
    shared.lock();
  }
  // Graphs newer than this snapshot (a commit landed since it began): scan.
  if (synced_ != generation) return;
  auto it = tenants_.find(tenant);
  if (it != tenants_.end()) *answered = it->second->find(p.query, p.dim, p.k, sdk::view(p.entity_type), out);
}

void VectorIndexes::catch_up(Connection& c, int64_t generation) {
  if (load_file(c, generation)) return;
  rebuild(c, generation);
}

void VectorIndexes::rebuild(Connection& c, int64_t generation) {
  tenants_.clear();
  synced_ = -1;
  std::vector<uint64_t> keys;
  std::vector<std::string> type_store;
  std::vector<float> vector_store;
  std::string tenant;
  uint32_t dim = 0;
  auto flush = [&] {
    if (keys.empty()) return;
    std::vector<std::string_view> types(type_store.begin(), type_store.end());
    std::vector<const float*> vectors;
    for (size_t i = 0; i < keys.size(); ++i) vectors.push_back(vector_store.data() + i * dim);
    tenant_vectors(tenant).put_batch(keys, types, vectors, dim, cores());
    keys.clear();
    type_store.clear();
    vector_store.clear();
  };
  // The dimension index lists each tenant's embedded rows in rid order.
  auto s = c.stmt(
      "SELECT tenant, rid, entity_type, embedding, dim FROM entities INDEXED BY entities_dim WHERE dim > 0 "
      "ORDER BY tenant, dim, rid");
  while (s->step()) {
    std::string_view t = s->text(0);
    size_t n = 0;
    const void* blob = s->blob(3, &n);
    uint32_t d = uint32_t(s->i64(4));
    if (blob == nullptr || n != size_t(d) * sizeof(float)) continue;
    if (t != tenant || d != dim || keys.size() >= kRebuildBatch) {
      flush();
      tenant.assign(t);
      dim = d;
    }
    keys.push_back(uint64_t(s->i64(1)));
    type_store.emplace_back(s->text(2));
    size_t at = vector_store.size();
    vector_store.resize(at + d);
    std::memcpy(vector_store.data() + at, blob, n);
  }
  s->reset();
  flush();
  synced_ = generation;
  dirty_ = true;
  origin_ = "rebuilt from the database";
}

bool VectorIndexes::load_file(Connection& c, int64_t generation) {
  if (sidecar_.empty()) return false;
  File f(std::fopen(sidecar_.c_str(), "rb"));
  if (!f) return false;
  char magic[8];
  int64_t saved_generation = 0;
  uint32_t instance_len = 0, tenant_count = 0;
  if (std::fread(magic, 1, 8, f.get()) != 8 || std::memcmp(magic, kFileMagic, 8) != 0 ||
      std::fread(&saved_generation, sizeof saved_generation, 1, f.get()) != 1 ||
      std::fread(&instance_len, sizeof instance_len, 1, f.get()) != 1 || instance_len > 256)
    return false;
  std::string instance(instance_len, '\0');
  if (std::fread(instance.data(), 1, instance_len, f.get()) != instance_len ||
      std::fread(&tenant_count, sizeof tenant_count, 1, f.get()) != 1)
    return false;
  if (saved_generation != generation || instance != instance_of(c)) return false;
  std::map<std::string, std::unique_ptr<hnsw::TenantVectors>, std::less<>> loaded;
  for (uint32_t i = 0; i < tenant_count; ++i) {
    uint32_t len = 0;
    if (std::fread(&len, sizeof len, 1, f.get()) != 1 || len > 4096) return false;
    std::string name(len, '\0');
    if (len > 0 && std::fread(name.data(), 1, len, f.get()) != len) return false;
    auto t = std::make_unique<hnsw::TenantVectors>(options_.params);
    std::string error;
    if (!t->load(f.get(), &error)) return false;
    loaded.emplace(std::move(name), std::move(t));
  }
  tenants_ = std::move(loaded);
  synced_ = generation;
  dirty_ = false;
  origin_ = "read from " + sidecar_;
  return true;
}

void VectorIndexes::save(Connection& c) noexcept {
  if (!enabled() || sidecar_.empty() || !writable_) return;
  try {
    std::unique_lock<std::shared_mutex> lock(mu_);
    if (!dirty_ || synced_ < 0 || synced_ != vector_generation(c)) return;
    std::string instance = instance_of(c);
    std::string tmp = sidecar_ + ".tmp";
    File f(std::fopen(tmp.c_str(), "wb"));
    if (!f) return;
    bool ok = std::fwrite(kFileMagic, 1, 8, f.get()) == 8 && std::fwrite(&synced_, sizeof synced_, 1, f.get()) == 1;
    uint32_t instance_len = uint32_t(instance.size()), tenant_count = uint32_t(tenants_.size());
    ok = ok && std::fwrite(&instance_len, sizeof instance_len, 1, f.get()) == 1 &&
         std::fwrite(instance.data(), 1, instance_len, f.get()) == instance_len &&
         std::fwrite(&tenant_count, sizeof tenant_count, 1, f.get()) == 1;
    for (const auto& [name, t] : tenants_) {
      uint32_t len = uint32_t(name.size());
      ok = ok && std::fwrite(&len, sizeof len, 1, f.get()) == 1 &&
           std::fwrite(name.data(), 1, len, f.get()) == len && t->save(f.get());
    }
    ok = ok && std::fflush(f.get()) == 0 && ::fsync(fileno(f.get())) == 0;
    f.reset();
    if (!ok) {
      std::remove(tmp.c_str());
      return;
    }
    // The rename replaces the old file whole; syncing the directory makes
    // the new name survive a crash.
    if (std::rename(tmp.c_str(), sidecar_.c_str()) != 0) {
      std::remove(tmp.c_str());
      return;
    }
    std::string dir = std::filesystem::path(sidecar_).parent_path().string();
    int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
      (void)::fsync(fd);
      ::close(fd);
    }
    dirty_ = false;
  } catch (...) {
  }
}

size_t VectorIndexes::memory_bytes() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  size_t bytes = 0;
  for (const auto& [name, t] : tenants_) bytes += t->memory_bytes() + name.capacity();
  return bytes;
}

std::string VectorIndexes::origin() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  return synced_ < 0 ? std::string("not loaded yet") : origin_;
}

size_t VectorIndexes::vectors() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  size_t n = 0;
  for (const auto& [name, t] : tenants_) n += t->live();
  return n;
}

}  // namespace graphstore::sqlite

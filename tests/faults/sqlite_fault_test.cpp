// I/O fault injection under the sqlite plugin. For each workload
// (workloads.hpp), the I/O calls of a clean run are counted by kind; then
// each call number is failed in turn, on a fresh copy of a store holding
// prior content, and afterwards: each call returned OK or a clear failure,
// the store answers reads and takes a write once the disk is well again,
// its caches (endpoint rids, text index, HNSW graph) agree with what was
// acknowledged, the file passes integrity_check and holds exactly the
// acknowledged writes, and so does a store reopened on it.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <memory>
#include <random>
#include <set>
#include <unistd.h>

#include "consistency_checks.hpp"
#include "fault_vfs.hpp"
#include "graphstore/registry.hpp"
#include "workloads.hpp"

namespace graphstore::fault_test {
namespace {

namespace fs = std::filesystem;

Status open_store(const std::string& path, std::unique_ptr<Store>* out) {
  Registry registry({GRAPHSTORE_SQLITE_PLUGIN_DIR});
  return registry.open("sqlite", R"({"path": ")" + path + R"(", "vector_index": "hnsw"})", out);
}

struct Case {
  CallKind kind;
  uint64_t nth;
  Fault fault;
  bool sticky;
};

std::string describe(const Workload& w, const Case& c) {
  return w.name + ": " + call_kind_name(c.kind) + " call " + std::to_string(c.nth) + " fails with " +
         fault_name(c.fault) + (c.sticky ? " and every later one until disarmed" : " once");
}

class FaultSweep : public ::testing::Test {
 protected:
  // One store with the prior content, closed (its HNSW graph saved beside
  // it), which every case copies.
  static void SetUpTestSuite() {
    vfs_ = &FaultVfs::install();
    dir_ = fs::temp_directory_path() / ("graphstore-faults-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    prior_ = prior_content(kPriorEntities, kPriorRelations);
    std::unique_ptr<Store> store;
    Status s = open_store(template_path(), &store);
    ASSERT_TRUE(s.ok()) << s.to_string();
    std::vector<Entity> entities;
    for (const auto& [id, e] : prior_.entities) entities.push_back(e);
    std::vector<Relation> relations;
    for (const auto& [id, r] : prior_.relations) relations.push_back(r);
    BulkResult added;
    ASSERT_TRUE(store->add_entities_bulk("", entities, &added).ok());
    ASSERT_TRUE(store->add_relations_bulk("", relations, &added).ok());
    std::vector<ScoredEntity> found;
    VectorQuery q;
    q.vector = {1, 0, 0, 0};
    ASSERT_TRUE(store->vector_search("", q, &found).ok());  // builds the graph, saved at close
  }

  static void TearDownTestSuite() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  static std::string template_path() { return (dir_ / "prior.db").string(); }

  // A fresh copy of the prior store.
  static std::string fresh_copy() {
    std::string path = (dir_ / "case.db").string();
    for (const char* suffix : {"", "-wal", "-shm", ".vectors"}) fs::remove(path + suffix);
    fs::copy_file(template_path(), path);
    fs::copy_file(template_path() + ".vectors", path + ".vectors");
    return path;
  }

  // Runs w on a fresh copy with `fault` armed (none: a clean run), then every
  // check. *counts gets the calls of each kind the workload made. True when
  // every check held.
  bool run_case(const Workload& w, const Case* fault, uint64_t* counts = nullptr, bool* struck = nullptr) {
    std::string path = fresh_copy();
    std::unique_ptr<Store> store;
    Status s = open_store(path, &store);
    if (!s.ok()) {
      ADD_FAILURE() << "open: " << s.to_string();
      return false;
    }
    StoreModel model = prior_;
    vfs_->reset_counts();
    if (fault) vfs_->arm(fault->kind, fault->nth, fault->fault, fault->sticky);
    bool ok = w.run(*store, &model);
    vfs_->disarm();
    if (counts)
      for (int k = 0; k < kCallKinds; ++k) counts[k] = vfs_->count(CallKind(k));
    if (struck) *struck = vfs_->failures() > 0;

    // The same store, the disk well again: it reads, its caches agree with
    // what was acknowledged, and it writes.
    Entity p0;
    s = store->get_entity("", "p0", &p0);
    if (!s.ok()) {
      ADD_FAILURE() << "get_entity after the fault: " << s.to_string();
      ok = false;
    }
    ok = searches_agree(*store, model, w.words, w.vectors) && ok;
    ok = endpoints_agree(*store, &model, w.probe_ids) && ok;
    Entity later = text_entity("later", "Later", {0.5f, -0.5f, 0.5f, -0.5f});
    s = store->add_entity("", later);
    if (s.ok()) {
      model.entities[later.id] = later;
    } else {
      ADD_FAILURE() << "a write after the fault was disarmed: " << s.to_string();
      ok = false;
    }
    ok = store_matches(*store, model) && ok;
    store.reset();

    ok = file_matches(path, model) && ok;
    s = open_store(path, &store);
    if (!s.ok()) {
      ADD_FAILURE() << "reopen: " << s.to_string();
      return false;
    }
    std::map<std::string, std::vector<float>> vectors = w.vectors;
    vectors[later.id] = later.embedding;
    ok = store_matches(*store, model) && ok;
    ok = searches_agree(*store, model, w.words, vectors) && ok;
    return ok;
  }

  // The call numbers to fail for a kind a clean run called `count` times:
  // all of them, or with a sample size, the first, the last and a seeded
  // sample between (the bulk import makes too many calls to fail each).
  static std::vector<uint64_t> call_numbers(uint64_t count, size_t sample, std::mt19937* rng) {
    std::vector<uint64_t> all;
    for (uint64_t n = 1; n <= count; ++n) all.push_back(n);
    if (sample == 0 || all.size() <= sample) return all;
    std::vector<uint64_t> picked = {all.front(), all.back()};
    std::vector<uint64_t> middle(all.begin() + 1, all.end() - 1);
    std::shuffle(middle.begin(), middle.end(), *rng);
    picked.insert(picked.end(), middle.begin(), middle.begin() + std::ptrdiff_t(sample - 2));
    std::sort(picked.begin(), picked.end());
    return picked;
  }

  // Fails every call (or a sample of `sample` per kind) of w in each way;
  // stops at the first case whose checks fail.
  void sweep(const Workload& w, size_t sample) {
    ASSERT_TRUE(vfs_->installed()) << "the fault VFS is not SQLite's default";
    uint64_t counts[kCallKinds] = {};
    ASSERT_TRUE(run_case(w, nullptr, counts)) << w.name << ": a clean run";
    ASSERT_GT(counts[int(CallKind::kWrite)], 0u) << w.name << ": the fault VFS saw no write";
    std::mt19937 rng(20261207);
    size_t cases = 0, struck_cases = 0;
    for (int k = 0; k < kCallKinds; ++k) {
      CallKind kind = CallKind(k);
      if (!can_fail(kind)) continue;
      // ENOSPC fails a call other than a write with the same code as EIO, so
      // only writes are failed both ways (and by a short write).
      std::vector<Fault> faults = {Fault::kIoError};
      if (kind == CallKind::kWrite) faults = {Fault::kIoError, Fault::kDiskFull, Fault::kShortWrite};
      for (uint64_t n : call_numbers(counts[k], sample, &rng))
        for (Fault fault : faults)
          for (bool sticky : {false, true}) {
            // A disk that stays broken: EIO on every later write or sync (one
            // way per kind is enough; reads and locks failing for good add
            // time, not cases the plugin handles differently).
            if (sticky && (fault != Fault::kIoError || (kind != CallKind::kWrite && kind != CallKind::kSync)))
              continue;
            Case c{kind, n, fault, sticky};
            SCOPED_TRACE(describe(w, c));
            bool struck = false;
            ++cases;
            if (!run_case(w, &c, nullptr, &struck)) return;
            struck_cases += struck;
          }
    }
    // A run whose calls differ from the clean one's may pass a call number
    // by; most must strike or the sweep tested little.
    EXPECT_GE(struck_cases * 10, cases * 9) << w.name << ": " << struck_cases << " of " << cases << " cases struck";
    std::printf("[ fault sweep ] %s: %zu cases, %zu struck; clean run:", w.name.c_str(), cases, struck_cases);
    for (int k = 0; k < kCallKinds; ++k) std::printf(" %s %llu", call_kind_name(CallKind(k)),
                                                     static_cast<unsigned long long>(counts[k]));
    std::printf("\n");
  }

  static FaultVfs* vfs_;
  static fs::path dir_;
  static StoreModel prior_;
};

FaultVfs* FaultSweep::vfs_ = nullptr;
fs::path FaultSweep::dir_;
StoreModel FaultSweep::prior_;

TEST_F(FaultSweep, SingleAdds) { sweep(single_adds(), 0); }
TEST_F(FaultSweep, UpdateBatch) { sweep(update_batch(), 0); }
TEST_F(FaultSweep, DeleteCascade) { sweep(delete_cascade(), 0); }
// A seeded sample of call numbers per kind: every call would take minutes.
TEST_F(FaultSweep, BulkImport) { sweep(bulk_import(), 4); }

}  // namespace
}  // namespace graphstore::fault_test

// A load for hot-swap tests: threads that each write their own records
// (entities, relations between them, updates, deletes, batches) through a
// StoreHandle and read back what they wrote, counting every call that
// fails. Each thread keeps the content it expects, so that the store can be
// checked record by record once the load stops.
#ifndef GRAPHSTORE_TESTS_SWAP_LOAD_HPP
#define GRAPHSTORE_TESTS_SWAP_LOAD_HPP

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "graphstore/store_handle.hpp"

namespace graphstore::swap_test {

class SwapLoad {
 public:
  // Adds `seed` entities to each tenant first (and a chain of relations
  // between them), so that a swap has data to copy while the threads write.
  SwapLoad(StoreHandle* handle, int threads, uint64_t seed = 0) : handle_(handle), expected_(threads + 1) {
    add_seed(seed);
    for (int w = 0; w < threads; ++w) threads_.emplace_back([this, w] { run(w); });
  }
  ~SwapLoad() { stop(); }

  // Waits until every thread has made at least n rounds (false after 60 s).
  bool wait_rounds(uint64_t n) {
    for (int i = 0; i < 60000 && rounds_.load() < n * threads_.size(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return rounds_.load() >= n * threads_.size();
  }
  // Waits until n calls have been made in all (false after 60 s).
  bool wait_calls(uint64_t n) {
    for (int i = 0; i < 60000 && calls_.load() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return calls_.load() >= n;
  }
  void stop() {
    stop_.store(true);
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }

  uint64_t calls() const { return calls_.load(); }
  uint64_t failures() const { return failures_.load(); }
  std::string first_failure() {
    std::lock_guard lock(failure_mutex_);
    return first_failure_;
  }

  // Every record the threads expect is in the store, equal, and the store
  // holds nothing else in their tenants.
  void expect_store_holds_exactly_what_was_written(Store& store) {
    std::map<std::string, Entity> entities;
    std::map<std::string, Relation> relations;
    for (const auto& e : expected_) {
      entities.insert(e.entities.begin(), e.entities.end());
      relations.insert(e.relations.begin(), e.relations.end());
    }
    size_t found_entities = 0, found_relations = 0;
    for (const std::string tenant : {"", "acme"}) {
      ASSERT_TRUE(store.for_each_entity(tenant, [&](const Entity& e) {
        ++found_entities;
        auto it = entities.find(tenant + "/" + e.id);
        if (it == entities.end()) {
          ADD_FAILURE() << "entity " << tenant << "/" << e.id << " was never written or was deleted";
        } else {
          Entity want = it->second;
          want.tenant_id = e.tenant_id;
          EXPECT_TRUE(e == want) << "entity " << tenant << "/" << e.id << " differs from its last write";
        }
        return true;
      }).ok());
      ASSERT_TRUE(store.for_each_relation(tenant, [&](const Relation& r) {
        ++found_relations;
        auto it = relations.find(tenant + "/" + r.id);
        if (it == relations.end()) {
          ADD_FAILURE() << "relation " << tenant << "/" << r.id << " was never written or was deleted";
        } else {
          Relation want = it->second;
          want.tenant_id = r.tenant_id;
          EXPECT_TRUE(r == want) << "relation " << tenant << "/" << r.id << " differs from its last write";
        }
        return true;
      }).ok());
    }
    EXPECT_EQ(found_entities, entities.size()) << "entities missing from the store";
    EXPECT_EQ(found_relations, relations.size()) << "relations missing from the store";
  }

 private:
  struct Expected {
    std::map<std::string, Entity> entities;     // "tenant/id"
    std::map<std::string, Relation> relations;  // "tenant/id"
  };

  void add_seed(uint64_t n) {
    Expected& seed = expected_.back();
    for (const std::string tenant : {"", "acme"}) {
      std::vector<Entity> entities(n);
      std::vector<Relation> relations(n > 0 ? n - 1 : 0);
      for (uint64_t i = 0; i < n; ++i) {
        Entity& e = entities[i];
        e.id = "seed-" + std::to_string(i);
        e.entity_type = "Seed";
        e.properties = "{\"i\":" + std::to_string(i) + "}";
        e.created_at = e.updated_at = 1'600'000'000'000'000 + static_cast<Timestamp>(i);
        seed.entities[tenant + "/" + e.id] = e;
        if (i == 0) continue;
        Relation& r = relations[i - 1];
        r.id = "seed-r" + std::to_string(i);
        r.relation_type = "NEXT";
        r.source_id = "seed-" + std::to_string(i - 1);
        r.target_id = e.id;
        r.created_at = r.updated_at = e.created_at;
        seed.relations[tenant + "/" + r.id] = r;
      }
      BulkResult result;
      check(handle_->add_entities_bulk(tenant, entities, &result), "seed entities");
      EXPECT_EQ(result.added, n);
      check(handle_->add_relations_bulk(tenant, relations, &result), "seed relations");
      EXPECT_EQ(result.added, relations.size());
    }
  }

  void check(const Status& s, const char* what) {
    calls_.fetch_add(1);
    if (s.ok()) return;
    failures_.fetch_add(1);
    std::lock_guard lock(failure_mutex_);
    if (first_failure_.empty()) first_failure_ = std::string(what) + ": " + s.to_string();
  }

  void run(int w) {
    Expected& mine = expected_[w];
    std::string tenant = w % 2 ? "acme" : "";
    std::string prefix = "w" + std::to_string(w) + "-";
    Timestamp t = 1'700'000'000'000'000;
    auto entity = [&](uint64_t n, int version) {
      Entity e;
      e.id = prefix + std::to_string(n);
      e.entity_type = "Doc";
      e.properties = "{\"v\":" + std::to_string(version) + "}";
      e.created_at = t + static_cast<Timestamp>(n);
      e.updated_at = e.created_at + version;
      return e;
    };
    auto relation = [&](uint64_t n) {
      Relation r;
      r.id = prefix + "r" + std::to_string(n);
      r.relation_type = "NEXT";
      r.source_id = prefix + std::to_string(n - 1);
      r.target_id = prefix + std::to_string(n);
      r.created_at = r.updated_at = t + static_cast<Timestamp>(n);
      return r;
    };
    auto key = [&](const std::string& id) { return tenant + "/" + id; };
    for (uint64_t n = 0; !stop_.load(); ++n) {
      Entity e = entity(n, 0);
      Status s = handle_->add_entity(tenant, e);
      check(s, "add_entity");
      if (s.ok()) mine.entities[key(e.id)] = e;
      if (n > 0) {
        Relation r = relation(n);
        s = handle_->add_relation(tenant, r);
        check(s, "add_relation");
        if (s.ok()) mine.relations[key(r.id)] = r;
        Entity prev = entity(n - 1, 1);
        s = handle_->update_entity(tenant, prev);
        check(s, "update_entity");
        if (s.ok()) mine.entities[key(prev.id)] = prev;
      }
      if (n % 5 == 4) {
        std::string gone = prefix + "r" + std::to_string(n - 2);
        s = handle_->delete_relation(tenant, gone);
        check(s, "delete_relation");
        if (s.ok()) mine.relations.erase(key(gone));
      }
      if (n % 7 == 6) {
        WriteBatch b;
        Entity extra = entity(n, 0);
        extra.id = prefix + "x" + std::to_string(n);
        b.add_entity(extra);
        Entity again = entity(n, 2);
        b.update_entity(again);
        std::string gone = prefix + std::to_string(n - 6);
        b.delete_entity(gone);
        s = handle_->apply(tenant, b);
        check(s, "apply");
        if (s.ok()) {
          mine.entities[key(extra.id)] = extra;
          mine.entities[key(again.id)] = again;
          mine.entities.erase(key(gone));
          for (auto it = mine.relations.begin(); it != mine.relations.end();)
            it = it->second.source_id == gone || it->second.target_id == gone ? mine.relations.erase(it) : ++it;
        }
      }
      // Read back what this thread wrote last: it must be there, whichever
      // store answers.
      Entity got;
      s = handle_->with_store([&](Store& store) { return store.get_entity(tenant, prefix + std::to_string(n), &got); });
      check(s, "get_entity");
      rounds_.fetch_add(1);
      // A steady load rather than a flood: the swap's copy is then bounded
      // by the data, not by how fast the writers can outrun it.
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
  }

  StoreHandle* handle_;
  std::vector<Expected> expected_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> rounds_{0}, calls_{0}, failures_{0};
  std::mutex failure_mutex_;
  std::string first_failure_;
};

}  // namespace graphstore::swap_test

#endif  // GRAPHSTORE_TESTS_SWAP_LOAD_HPP

// Shared by the degradation tests over SQLite (tests/degradation) and over
// PostgreSQL (tests/postgres): a deterministic stream of writes whose
// acknowledged ones are mirrored into a reference store, a comparison of two
// stores' whole content, and the plugin's gauges read from metrics_text.
#ifndef GRAPHSTORE_TESTS_DEGRADATION_SUPPORT_HPP
#define GRAPHSTORE_TESTS_DEGRADATION_SUPPORT_HPP

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "graphstore/registry.hpp"
#include "graphstore/store.hpp"
#include "prometheus_text.hpp"

namespace graphstore::degradation_test {

// Writes in groups of four steps, each group in one tenant ("" or "acme"):
// two entity adds, a relation between them, then a batch that updates the
// first entity, adds a third, links it and deletes the first relation. A
// step the store acknowledges is applied to the reference as well; one that
// fails UNAVAILABLE may or may not have reached the store, so the ids it
// touches are remembered as uncertain.
class Writer {
 public:
  Writer(Store* store, Store* reference) : store_(store), reference_(reference) {}

  Status step(uint64_t i) {
    uint64_t g = i / 4 * 4;
    std::string tenant = (i / 4) % 3 == 2 ? "acme" : "";
    Timestamp t = 1'700'000'000'000'000 + static_cast<Timestamp>(i);
    auto entity = [&](uint64_t n, std::string props) {
      Entity e;
      e.id = "e" + std::to_string(n);
      e.entity_type = n % 2 ? "Person" : "Company";
      e.properties = std::move(props);
      e.embedding = {static_cast<float>(n % 7), 1.0f, 0.5f};
      e.created_at = e.updated_at = t;
      return e;
    };
    auto relation = [&](uint64_t n, uint64_t from, uint64_t to) {
      Relation r;
      r.id = "r" + std::to_string(n);
      r.relation_type = "KNOWS";
      r.source_id = "e" + std::to_string(from);
      r.target_id = "e" + std::to_string(to);
      r.properties = "{\"step\":" + std::to_string(n) + "}";
      r.weight = 0.5;
      r.created_at = r.updated_at = t;
      return r;
    };
    auto run = [&](auto&& write, std::set<std::string> touched) {
      Status s = write(*store_);
      if (s.ok()) {
        ++acked;
        Status r = write(*reference_);
        EXPECT_TRUE(r.ok()) << "the reference refused step " << i << ": " << r.message();
      } else {
        ++refused;
        if (s.code() == Code::kUnavailable)
          for (const auto& id : touched) uncertain.insert(tenant + "/" + id);
      }
      return s;
    };
    switch (i % 4) {
      case 0:
      case 1:
        return run([&](Store& s) { return s.add_entity(tenant, entity(i, "{\"n\":" + std::to_string(i) + "}")); },
                   {"e" + std::to_string(i)});
      case 2:
        return run([&](Store& s) { return s.add_relation(tenant, relation(i, g, g + 1)); }, {"r" + std::to_string(i)});
      default: {
        WriteBatch b;
        b.update_entity(entity(g, "{\"n\":" + std::to_string(g) + ",\"updated\":true}"));
        b.add_entity(entity(i, "{\"n\":" + std::to_string(i) + "}"));
        b.add_relation(relation(i, i, g + 1));
        b.delete_relation("r" + std::to_string(g + 2));
        return run([&](Store& s) { return s.apply(tenant, b); },
                   {"e" + std::to_string(g), "e" + std::to_string(i), "r" + std::to_string(i),
                    "r" + std::to_string(g + 2)});
      }
    }
  }

  uint64_t acked = 0;
  uint64_t refused = 0;
  std::set<std::string> uncertain;  // "tenant/id" touched by a write that failed UNAVAILABLE

 private:
  Store* store_;
  Store* reference_;
};

struct Content {
  std::map<std::string, Entity> entities;     // "tenant/id"
  std::map<std::string, Relation> relations;  // "tenant/id"
};

inline Content content_of(Store& store) {
  Content c;
  std::vector<std::string> tenants;
  EXPECT_TRUE(store.list_tenants(&tenants).ok());
  tenants.insert(tenants.begin(), "");
  for (const auto& t : tenants) {
    EXPECT_TRUE(store.for_each_entity(t, [&](const Entity& e) {
      Entity copy = e;
      copy.tenant_id.clear();
      c.entities[t + "/" + e.id] = copy;
      return true;
    }).ok());
    EXPECT_TRUE(store.for_each_relation(t, [&](const Relation& r) {
      Relation copy = r;
      copy.tenant_id.clear();
      c.relations[t + "/" + r.id] = copy;
      return true;
    }).ok());
  }
  return c;
}

// Every record of expected is in actual and equal, and actual holds nothing
// more, except for the uncertain ids, which may be either way.
inline void expect_same_content(const Content& actual, const Content& expected,
                                const std::set<std::string>& uncertain = {}) {
  auto check = [&](const auto& a, const auto& e, const char* what) {
    for (const auto& [key, record] : e) {
      if (uncertain.count(key)) continue;
      auto it = a.find(key);
      if (it == a.end()) {
        ADD_FAILURE() << what << " " << key << " was acknowledged but is missing";
        continue;
      }
      EXPECT_TRUE(it->second == record) << what << " " << key << " differs from what was acknowledged";
    }
    for (const auto& [key, record] : a)
      if (!e.count(key) && !uncertain.count(key)) ADD_FAILURE() << what << " " << key << " was never acknowledged";
  };
  check(actual.entities, expected.entities, "entity");
  check(actual.relations, expected.relations, "relation");
}

// Opens a degradation store with options in a child process, runs steps
// [0, n) of a Writer on it, and kills the child with SIGKILL (as a crash
// would) once the last step has answered; returns how many steps it
// acknowledged, or -1.
inline int writes_then_killed(const std::filesystem::path& plugin_dir, const std::string& options, uint64_t n) {
  int fds[2];
  if (::pipe(fds) != 0) return -1;
  pid_t child = ::fork();
  if (child == 0) {
    ::close(fds[0]);
    Registry registry({plugin_dir});
    std::unique_ptr<Store> store, reference;
    if (!registry.open("degradation", options, &store).ok() || !registry.open("inmemory", "{}", &reference).ok())
      ::_exit(2);
    Writer writer(store.get(), reference.get());
    // A refused write is simply not acknowledged: writer.acked counts what
    // the parent must find after the kill.
    for (uint64_t i = 0; i < n; ++i) (void)writer.step(i);
    int acked = static_cast<int>(writer.acked);
    (void)!::write(fds[1], &acked, sizeof acked);
    ::kill(::getpid(), SIGKILL);
    ::_exit(3);
  }
  ::close(fds[1]);
  int acked = -1;
  if (::read(fds[0], &acked, sizeof acked) != static_cast<ssize_t>(sizeof acked)) acked = -1;
  ::close(fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the child ended otherwise: " << status;
  return acked;
}

// A gauge of the degradation plugin (name without the graphstore_backend_
// prefix), NAN when absent.
inline double gauge(Store& store, const std::string& name) {
  std::string text;
  if (!store.metrics_text(&text).ok()) return NAN;
  test::Exposition e;
  if (!test::parse_prometheus(text, &e).empty()) return NAN;
  return e.value("graphstore_backend_" + name, {});
}

}  // namespace graphstore::degradation_test

#endif  // GRAPHSTORE_TESTS_DEGRADATION_SUPPORT_HPP

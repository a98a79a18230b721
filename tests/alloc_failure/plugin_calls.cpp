#include "plugin_calls.hpp"

#include <gtest/gtest.h>

#include <random>

#include "failing_new.hpp"

namespace alloc_failure {
namespace {

struct ErrBuf {
  char buf[1024] = {0};
  gs_errbuf err{buf, sizeof buf};
};

}  // namespace

Snapshot snapshot(gs_test::Client& c) {
  Snapshot s;
  EXPECT_TRUE(c.tenants(&s.tenants).ok());
  std::vector<std::string> all{""};
  all.insert(all.end(), s.tenants.begin(), s.tenants.end());
  for (const std::string& t : all) {
    s.dumps.push_back(gs_test::dump(c, t));
    gs_test::Scored hits;
    EXPECT_TRUE(c.vector_search({1, 0.5f, 0}, 10, "", -1, &hits, t).ok());
    s.vector_hits.push_back(hits);
    EXPECT_TRUE(c.text_search("alpha", GS_TEXT_BM25, 10, "", 0, &hits, t).ok());
    s.text_hits.push_back(hits);
    std::vector<std::string> ids;
    EXPECT_TRUE(c.scan_entities("", "", 0, 1000, &ids, t).ok());
    s.scans.push_back(ids);
  }
  return s;
}

uint64_t fail_every_allocation(const Workload& w, uint64_t stride) {
  Snapshot before, after;
  uint64_t total = 0;
  {
    gs_test::Client c(w.options);
    EXPECT_TRUE(c.open_result().ok()) << c.open_result().message;
    w.fill(c);
    before = snapshot(c);
    RawCall call = w.prepare(c);
    ErrBuf e;
    arm(0);
    gs_status st = call(c.api(), c.raw(), &e.err);
    total = disarm().allocations;
    EXPECT_EQ(st, GS_OK) << "the reference run failed: " << e.buf;
    after = snapshot(c);
  }
  EXPECT_GT(total, 0u) << "the plugin's allocations did not reach the test's operator new";
  EXPECT_FALSE(before == after) << "the workload changes nothing";
  // A fixed seed: the sampled numbers are the same on every run.
  std::mt19937_64 seeded(20261231);
  uint64_t first = stride > 1 ? 1 + seeded() % stride : 1;
  for (uint64_t n = first; n <= total; n += stride) {
    SCOPED_TRACE("allocation " + std::to_string(n) + " of " + std::to_string(total) + " failed");
    gs_test::Client c(w.options);
    w.fill(c);
    RawCall call = w.prepare(c);
    ErrBuf e;
    gs_status st = GS_OK;
    bool threw = false;
    arm(n);
    try {
      st = call(c.api(), c.raw(), &e.err);
    } catch (...) {
      threw = true;  // would have unwound into a C caller
    }
    Outcome o = disarm();
    EXPECT_FALSE(threw) << "an exception left the ABI";
    if (threw) break;
    EXPECT_TRUE(o.failed) << "the call made " << o.allocations << " allocations, the reference " << total;
    if (st == GS_OK) {
      EXPECT_TRUE(snapshot(c) == after) << "reported OK but the result differs from the reference";
    } else {
      EXPECT_EQ(st, GS_RESOURCE_EXHAUSTED) << e.buf;
      std::string message = e.buf;
      EXPECT_NE(message.find(w.operation), std::string::npos) << message;
      EXPECT_NE(message.find("out of memory"), std::string::npos) << message;
      EXPECT_TRUE(snapshot(c) == before) << "a failed call left a trace: " << message;
      ErrBuf again;
      EXPECT_EQ(call(c.api(), c.raw(), &again.err), GS_OK) << "the same call, retried: " << again.buf;
      EXPECT_TRUE(snapshot(c) == after) << "the retried call's result differs from the reference";
    }
    EXPECT_TRUE(c.add(gs_test::entity("zz_later", "Later")).ok()) << "a later write";
    if (::testing::Test::HasFailure()) break;  // one failing number says enough
  }
  return total;
}

}  // namespace alloc_failure

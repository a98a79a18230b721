// The four write workloads the fault sweep runs against a store holding
// prior_content(kPriorEntities, kPriorRelations): a bulk import, single
// adds, an update batch and a delete cascade. Each also names what the
// checks probe afterwards.
#ifndef GRAPHSTORE_TESTS_FAULTS_WORKLOADS_HPP
#define GRAPHSTORE_TESTS_FAULTS_WORKLOADS_HPP

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "graphstore/store.hpp"
#include "store_model.hpp"

namespace graphstore::fault_test {

// Enough embedded entities that the HNSW graph answers searches
// (hnsw::kScanBelow is 512), few enough that a bulk import of
// kBulkRecords defers the adjacency indexes as a first load does.
inline constexpr int kPriorEntities = 520;
inline constexpr int kPriorRelations = 20;
inline constexpr int kBulkRecords = 1100;

struct Workload {
  std::string name;
  // Runs the workload's calls. A call that returns OK goes into *model; any
  // other status must be a refusal the model predicts or a clear I/O failure
  // (ok_or_clear_failure). Returns false after reporting a status that is
  // neither.
  std::function<bool(Store&, StoreModel*)> run;
  std::vector<std::string> probe_ids;                  // for endpoints_agree
  std::vector<std::string> words;                      // for searches_agree
  std::map<std::string, std::vector<float>> vectors;  // for searches_agree
};

Workload bulk_import();
Workload single_adds();
Workload update_batch();
Workload delete_cascade();

// True when s is OK, or a refusal the caller expects (`expected`, OK for
// none), or a failure of the disk stated clearly: UNAVAILABLE,
// RESOURCE_EXHAUSTED or CORRUPTION with SQLite's own words for it in the
// message. Otherwise reports it, naming `call`, and returns false.
bool ok_or_clear_failure(const Status& s, const std::string& call, Code expected = Code::kOk);

}  // namespace graphstore::fault_test

#endif  // GRAPHSTORE_TESTS_FAULTS_WORKLOADS_HPP

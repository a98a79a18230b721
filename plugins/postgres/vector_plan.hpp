// How vector_search finds its top k: the statements it runs and the rules
// that pick between pgvector's HNSW index and the exact scan in SQL.
//
// pgvector applies the tenant and type filters after the HNSW scan, and that
// scan yields at most hnsw.ef_search rows, so a filtered index search may
// find fewer than k rows when k match. The rules here keep an answer from
// ever coming back short: the index path runs with ef_search at least the
// number of candidates it wants, doubles it while the candidates passing the
// filters are fewer than min(k, entities matching), and past pgvector's cap
// hands over to the exact scan; filters too selective for the index, a k
// beyond the cap, and GS_VECTOR_EXACT go to the exact scan at once.
//
// Pure functions and statement texts ("@S" for the schema), no connection:
// the plugin runs them, and tests run them against a server directly.
#ifndef GRAPHSTORE_POSTGRES_VECTOR_PLAN_HPP
#define GRAPHSTORE_POSTGRES_VECTOR_PLAN_HPP

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "graphstore/plugin.hpp"

namespace graphstore::postgres {

// pgvector's largest hnsw.ef_search; an HNSW scan returns at most this many
// rows, whatever the LIMIT.
inline constexpr uint32_t kMaxEfSearch = 1000;
// pgvector's default hnsw.ef_search, and the fewest candidates asked for.
inline constexpr uint32_t kMinCandidates = 40;
// The filters select fewer than 1 in kSelectiveRatio of the rows the index
// holds: go exact (README.md, "Vector search with enable_pgvector").
inline constexpr uint64_t kSelectiveRatio = 100;

// What the statistics say about a search's filters, read in the snapshot of
// the search itself.
struct VectorCounts {
  uint64_t matching = 0;         // the tenant's embedded entities passing the type filter
  uint64_t tenant_embedded = 0;  // the tenant's embedded entities (one dimension per tenant)
  double indexed = -1;           // rows of the dimension's HNSW index (pg_class.reltuples); < 0: unknown
};

enum class VectorRoute { kExact, kIndex };

// Why a route was taken (tests and log lines name it).
enum class VectorWhy {
  kNoPgvector,       // the store has no pgvector column
  kExactFlag,        // the caller set GS_VECTOR_EXACT
  kBeyondIndex,      // k > kMaxEfSearch: the index can never return k rows
  kFewMatching,      // no more matching entities than the index path would score anyway
  kSelectiveFilter,  // matching < 1/kSelectiveRatio of the rows the index holds
  kIndex,            // the index proposes, the exact scores decide
};

struct VectorPlan {
  VectorRoute route = VectorRoute::kExact;
  VectorWhy why = VectorWhy::kNoPgvector;
  uint32_t candidates = 0;  // rows the index is asked for (max(4k, 40))
  uint32_t ef_search = 0;   // the first hnsw.ef_search (index route)
  uint64_t needed = 0;      // min(k, matching): fewer candidates passing the filters is short
};

// max(4k, kMinCandidates), saturating.
uint32_t vector_candidates(uint32_t k);

// The route for a search of k with flags (GS_VECTOR_*) on a store with or
// without pgvector, given its counts.
VectorPlan plan_vector_search(bool pgvector, uint32_t flags, uint32_t k, const VectorCounts& counts);

// The hnsw.ef_search to try after a short answer at ef: doubled, at most
// kMaxEfSearch; 0 once ef was the cap (then the exact scan answers).
uint32_t next_ef_search(uint32_t ef);

// True when an index answer whose candidates passing the filters number
// `proposed` is short of `needed`.
inline bool vector_answer_short(uint64_t proposed, uint64_t needed) { return proposed < needed; }

// The index route of plan: propose(ef) runs the candidate statement with
// hnsw.ef_search = ef and returns how many candidates passed the filters.
// Stops at the first answer that is not short. Exceptions from propose
// propagate.
struct VectorIndexOutcome {
  bool answered = false;           // false: every ef_search up to the cap came back short
  std::vector<uint32_t> ef_tried;  // in order
};
VectorIndexOutcome run_vector_index(const VectorPlan& plan, const std::function<uint64_t(uint32_t)>& propose);

// ---- Statements ("@S" the quoted schema) ----
// Parameters of the searches: $1 tenant, $2 query (real[] text), $3
// min_score, $4 k, $5 entity type (typed only).

// The exact top k: cosine in SQL over every embedded entity of the tenant
// (and type). Columns: kEntityCols, score.
std::string vector_exact_sql(bool typed);

// The index route's statement: HNSW proposes max(4k, 40) candidates of
// dimension dim passing the filters, scored exactly; columns kEntityCols,
// score, proposed (the candidates before min_score); when none passes
// min_score, one row whose entity columns are NULL carries proposed.
// vector_schema: the quoted schema holding pgvector's objects. dim is
// spliced as a literal: the partial index's predicate and the vector(dim)
// typmod match only constants.
std::string vector_candidate_sql(std::string_view vector_schema, uint32_t dim, bool typed);

// SET LOCAL hnsw.ef_search = $1, as a statement that binds its value.
inline constexpr const char* kSetEfSearchSql = "SELECT set_config('hnsw.ef_search', $1, true)";

// The counts of a search and the stored dimension in one row: dimension
// (NULL when the tenant has no embedding), tenant_embedded, matching,
// text_stats rows of the tenant, indexed (NULL when the index is missing).
// $1 tenant, $2 the index's qualified name (vector_index_name), $3 type
// (typed only).
std::string vector_stats_sql(bool typed);

// "entities_hnsw_<dim>", the partial HNSW index of one dimension.
std::string vector_index_name(uint32_t dim);
std::string vector_create_index_sql(std::string_view vector_schema, uint32_t dim);

// A pgvector statement's failure (its SQLSTATE and server message) as the
// status vector_search returns: UNSUPPORTED naming pgvector when the
// extension's type, functions, access method or the embedding_vector column
// are missing; Ok when the failure is of another kind (map it as usual).
sdk::Status pgvector_failure(std::string_view sqlstate, std::string_view server_message);

}  // namespace graphstore::postgres

#endif  // GRAPHSTORE_POSTGRES_VECTOR_PLAN_HPP

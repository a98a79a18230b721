#include "vector_plan.hpp"

#include <algorithm>

#include "records.hpp"

namespace graphstore::postgres {
namespace {

// kEntityCols with each column qualified by alias.
std::string qualified_entity_cols(std::string_view alias) {
  std::string out;
  std::string_view cols = kEntityCols;
  while (!cols.empty()) {
    size_t comma = cols.find(", ");
    std::string_view col = cols.substr(0, comma);
    if (!out.empty()) out += ", ";
    out.append(alias).append(".").append(col);
    cols = comma == std::string_view::npos ? std::string_view() : cols.substr(comma + 2);
  }
  return out;
}

// The cosine of e.embedding and the query ($2), summed in double precision
// in index order as sdk::cosine_similarity does, so the bits agree.
constexpr const char* kScore =
    "CASE WHEN a.nv = 0 OR a.nq = 0 THEN 0::float8 ELSE a.dot / (sqrt(a.nv) * sqrt(a.nq)) END AS score";
constexpr const char* kScoreSums =
    "LATERAL (SELECT sum(x * y) AS dot, sum(x * x) AS nv, sum(y * y) AS nq "
    "FROM unnest(e.embedding::float8[], $2::real[]::float8[]) AS t(x, y)) a";

}  // namespace

uint32_t vector_candidates(uint32_t k) {
  uint64_t four = 4 * uint64_t(k);
  return uint32_t(std::min<uint64_t>(std::max<uint64_t>(four, kMinCandidates), UINT32_MAX));
}

VectorPlan plan_vector_search(bool pgvector, uint32_t flags, uint32_t k, const VectorCounts& counts) {
  VectorPlan plan;
  plan.candidates = vector_candidates(k);
  plan.needed = std::min<uint64_t>(k, counts.matching);
  auto exact = [&](VectorWhy why) {
    plan.route = VectorRoute::kExact;
    plan.why = why;
    return plan;
  };
  if (!pgvector) return exact(VectorWhy::kNoPgvector);
  if (flags & GS_VECTOR_EXACT) return exact(VectorWhy::kExactFlag);
  if (k > kMaxEfSearch) return exact(VectorWhy::kBeyondIndex);
  // The index route scores `candidates` rows exactly after its scan; scoring
  // every match instead is no more work. It is also where HNSW is weakest:
  // it would have to propose every matching row.
  if (counts.matching <= plan.candidates) return exact(VectorWhy::kFewMatching);
  // The index holds every tenant's rows of the dimension; at its cap it
  // returns 1,000 of them, of which a filter passing under 1% keeps about 10
  // or fewer: short for the default k even after every retry.
  double rows = std::max(counts.indexed, double(counts.tenant_embedded));
  if (double(counts.matching) * double(kSelectiveRatio) < rows) return exact(VectorWhy::kSelectiveFilter);
  plan.route = VectorRoute::kIndex;
  plan.why = VectorWhy::kIndex;
  plan.ef_search = std::min(kMaxEfSearch, std::max(kMinCandidates, plan.candidates));
  return plan;
}

uint32_t next_ef_search(uint32_t ef) {
  if (ef >= kMaxEfSearch) return 0;
  return uint32_t(std::min<uint64_t>(2 * uint64_t(ef), kMaxEfSearch));
}

VectorIndexOutcome run_vector_index(const VectorPlan& plan, const std::function<uint64_t(uint32_t)>& propose) {
  VectorIndexOutcome out;
  for (uint32_t ef = plan.ef_search; ef != 0; ef = next_ef_search(ef)) {
    out.ef_tried.push_back(ef);
    if (!vector_answer_short(propose(ef), plan.needed)) {
      out.answered = true;
      break;
    }
  }
  return out;
}

std::string vector_exact_sql(bool typed) {
  return "SELECT " + qualified_entity_cols("s") + ", s.score FROM (SELECT e.*, " + kScore + " FROM @S.entities e, " +
         kScoreSums + " WHERE e.tenant_id = $1 AND e.embedding IS NOT NULL" + (typed ? " AND e.entity_type = $5" : "") +
         ") s WHERE s.score >= $3 ORDER BY s.score DESC, s.id LIMIT $4";
}

std::string vector_candidate_sql(std::string_view vector_schema, uint32_t dim, bool typed) {
  const std::string vs(vector_schema), d = std::to_string(dim), vec = vs + ".vector(" + d + ")";
  // $2 is a real[] literal ("{...}"), which pgvector's text input refuses:
  // it reaches the vector type through pgvector's real[] cast. The CTE is
  // read twice (the count and the top k), so it is materialized once.
  return "WITH c AS MATERIALIZED (SELECT e.*, " + std::string(kScore) +
         " FROM (SELECT * FROM @S.entities v WHERE v.tenant_id = $1 AND " + vs +
         ".vector_dims(v.embedding_vector) = " + d + (typed ? " AND v.entity_type = $5" : "") +
         " ORDER BY v.embedding_vector::" + vec + " OPERATOR(" + vs + ".<=>) $2::real[]::" + vec +
         " LIMIT greatest(4 * $4::int, " + std::to_string(kMinCandidates) + ")) e, " + kScoreSums +
         " WHERE e.embedding IS NOT NULL) "
         "SELECT " +
         qualified_entity_cols("s") +
         ", s.score, n.proposed FROM (SELECT count(*) AS proposed FROM c) n "
         "LEFT JOIN LATERAL (SELECT * FROM c WHERE c.score >= $3 ORDER BY c.score DESC, c.id LIMIT $4) s ON true "
         "ORDER BY s.score DESC, s.id";
}

std::string vector_stats_sql(bool typed) {
  return std::string(
             "SELECT (SELECT cardinality(embedding) FROM @S.entities WHERE tenant_id = $1 AND embedding IS NOT NULL "
             "LIMIT 1), coalesce(sum(embedded), 0), ") +
         (typed ? "coalesce(sum(embedded) FILTER (WHERE entity_type = $3), 0)" : "coalesce(sum(embedded), 0)") +
         ", count(*), (SELECT reltuples FROM pg_catalog.pg_class WHERE oid = to_regclass($2)) "
         "FROM @S.text_stats WHERE tenant_id = $1";
}

std::string vector_index_name(uint32_t dim) { return "entities_hnsw_" + std::to_string(dim); }

std::string vector_create_index_sql(std::string_view vector_schema, uint32_t dim) {
  const std::string vs(vector_schema), d = std::to_string(dim);
  return "CREATE INDEX IF NOT EXISTS " + vector_index_name(dim) +
         " ON @S.entities USING hnsw ((embedding_vector::" + vs + ".vector(" + d + ")) " + vs +
         ".vector_cosine_ops) WHERE " + vs + ".vector_dims(embedding_vector) = " + d;
}

sdk::Status pgvector_failure(std::string_view sqlstate, std::string_view server_message) {
  // 42704 a type or access method, 42883 a function or operator, 3F000 the
  // schema holding them, 42703 the embedding_vector column (dropped with the
  // extension), 58P01 the extension's library: pgvector is gone or moved
  // since the store opened. Any other failure is not pgvector's.
  if (sqlstate != "42704" && sqlstate != "42883" && sqlstate != "3F000" && sqlstate != "42703" && sqlstate != "58P01")
    return sdk::Status::Ok();
  std::string_view line = server_message.substr(0, server_message.find('\n'));
  if (line.substr(0, 7) == "ERROR: ") line.remove_prefix(7);
  while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
  return sdk::make_error(GS_UNSUPPORTED,
                         "postgres: vector_search: pgvector is not usable on this server: the store was opened with "
                         "enable_pgvector, but the extension's objects are missing (" +
                             std::string(line) + " [SQLSTATE " + std::string(sqlstate) +
                             "]); install pgvector (CREATE EXTENSION vector) and open the store again, or open it "
                             "with enable_pgvector: false to search embeddings exactly in SQL");
}

}  // namespace graphstore::postgres

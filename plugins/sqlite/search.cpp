// Keyset-paged scans, vector search and text search.
//
// Scans walk the primary key (or the type index, whose entries end with the
// id) from after_id in id order, with LIMIT and OFFSET in SQL. Vector search
// reads the tenant's rows in key order, scores each stored embedding with
// sdk::cosine_similarity and keeps the best k in a heap: exact, like the
// default. Text search uses the FTS5 index only to find the entities that
// share a token with the query (plus the rows of its write buffer,
// text_pending); every score comes from scoring.hpp on the
// entity's own properties, with the BM25 corpus statistics (N, total tokens)
// read from type_counts and document frequencies counted over the
// candidates, so scores equal sdk::rank_text's bit for bit.
#include <algorithm>
#include <cstring>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "graphstore/abi_read.hpp"
#include "graphstore/scoring.hpp"
#include "records.hpp"
#include "store.hpp"
#include "store_impl.hpp"
#include "text.hpp"

namespace graphstore::sqlite {
namespace {

// SQLite's LIMIT and OFFSET are signed; GS_NO_LIMIT means none.
int64_t sql_limit(uint64_t limit) { return limit > uint64_t(INT64_MAX) ? -1 : int64_t(limit); }
int64_t sql_offset(uint64_t offset) { return offset > uint64_t(INT64_MAX) ? INT64_MAX : int64_t(offset); }

// Result order for every search: score descending, then id ascending.
struct Scored {
  std::string id;
  double score;
};
bool better(const Scored& a, const Scored& b) { return sdk::better_hit(a.score, a.id, b.score, b.id); }

// Emits hits (already ranked) as whole records.
void emit_scored(Connection& c, std::string_view tenant, const std::vector<Scored>& hits, sdk::ScoredSink sink) {
  EntityReader reader;
  for (const Scored& h : hits) {
    auto s = c.stmt("SELECT " GS_SQLITE_ENTITY_COLS
                    " FROM entities e INDEXED BY entities_key WHERE e.tenant = ?1 AND e.id = ?2");
    s->bind(1, tenant);
    s->bind(2, std::string_view(h.id));
    if (!s->step()) continue;
    gs_entity e = reader.read(*s, 0, tenant);
    if (!sink(&e, h.score)) break;
  }
}

// Keeps the best k of a stream of hits.
class TopK {
 public:
  explicit TopK(uint32_t k) : k_(k) {}
  // True when a hit of this score could enter (ids decide ties later).
  bool admits(double score) const { return heap_.size() < k_ || score >= heap_.front().score; }
  void add(std::string_view id, double score) {
    if (k_ == 0) return;
    if (heap_.size() < k_) {
      heap_.push_back(Scored{std::string(id), score});
      std::push_heap(heap_.begin(), heap_.end(), better);
      return;
    }
    Scored cand{std::string(id), score};
    if (!better(cand, heap_.front())) return;
    std::pop_heap(heap_.begin(), heap_.end(), better);
    heap_.back() = std::move(cand);
    std::push_heap(heap_.begin(), heap_.end(), better);
  }
  std::vector<Scored> take() {
    std::sort(heap_.begin(), heap_.end(), better);
    return std::move(heap_);
  }

 private:
  uint32_t k_;
  std::vector<Scored> heap_;  // the worst kept hit on top
};

}  // namespace

sdk::Status SqliteStore::scan_entities(std::string_view tenant, const gs_scan_params& params, sdk::EntitySink sink) {
  gs_scan_params p = sdk::read_params(params);
  return read(tenant, [&](Connection& c) {
    if (p.limit == 0) return sdk::Status::Ok();
    auto s = p.type.len == 0 ? c.stmt("SELECT " GS_SQLITE_ENTITY_COLS
                                      " FROM entities e INDEXED BY entities_key WHERE e.tenant = ?1 AND e.id > ?2 "
                                      "ORDER BY e.id LIMIT ?3 OFFSET ?4")
                             : c.stmt("SELECT " GS_SQLITE_ENTITY_COLS
                                      " FROM entities e INDEXED BY entities_type WHERE e.tenant = ?1 AND "
                                      "e.entity_type = ?5 AND e.id > ?2 ORDER BY e.id LIMIT ?3 OFFSET ?4");
    s->bind(1, tenant);
    s->bind(2, sdk::view(p.after_id));
    s->bind(3, sql_limit(p.limit));
    s->bind(4, sql_offset(p.offset));
    if (p.type.len != 0) s->bind(5, sdk::view(p.type));
    EntityReader reader;
    while (s->step()) {
      gs_entity e = reader.read(*s, 0, tenant);
      if (!sink(&e)) break;
    }
    return sdk::Status::Ok();
  });
}

sdk::Status SqliteStore::scan_relations(std::string_view tenant, const gs_scan_params& params, sdk::RelationSink sink) {
  gs_scan_params p = sdk::read_params(params);
  return read(tenant, [&](Connection& c) {
    if (p.limit == 0) return sdk::Status::Ok();
    auto s = p.type.len == 0 ? c.stmt("SELECT " GS_SQLITE_RELATION_COLS
                                      " FROM relations r INDEXED BY relations_key" GS_SQLITE_RELATION_ENDS
                                      " WHERE r.tenant = ?1 AND r.id > ?2 ORDER BY r.id LIMIT ?3 OFFSET ?4")
                             : c.stmt("SELECT " GS_SQLITE_RELATION_COLS
                                      " FROM relations r INDEXED BY relations_type" GS_SQLITE_RELATION_ENDS
                                      " WHERE r.tenant = ?1 AND r.relation_type = ?5 AND r.id > ?2 "
                                      "ORDER BY r.id LIMIT ?3 OFFSET ?4");
    s->bind(1, tenant);
    s->bind(2, sdk::view(p.after_id));
    s->bind(3, sql_limit(p.limit));
    s->bind(4, sql_offset(p.offset));
    if (p.type.len != 0) s->bind(5, sdk::view(p.type));
    while (s->step()) {
      gs_relation r = read_relation_row(*s, 0, tenant);
      if (!sink(&r)) break;
    }
    return sdk::Status::Ok();
  });
}

sdk::Status SqliteStore::vector_search(std::string_view tenant, const gs_vector_params& params, sdk::ScoredSink sink) {
  gs_vector_params p = sdk::read_params(params);
  if (sdk::Status s = sdk::check_vector_flags(p.flags); !s.ok()) return s;
  return read(tenant, [&](Connection& c) {
    ReadTxn txn(c, !memory());
    int64_t stored = 0;
    {
      auto s = c.stmt("SELECT dim FROM entities INDEXED BY entities_dim WHERE tenant = ?1 AND dim > 0 LIMIT 1");
      s->bind(1, tenant);
      if (s->step()) stored = s->i64(0);
    }
    if (p.dim == 0) return sdk::make_error(GS_INVALID_ARGUMENT, "vector_search: the query has dimension 0");
    if (p.query == nullptr) return sdk::make_error(GS_INVALID_ARGUMENT, "vector_search: the query is NULL");
    if (stored == 0) return sdk::Status::Ok();
    if (int64_t(p.dim) != stored)
      return sdk::make_error(GS_INVALID_ARGUMENT, "vector_search: query has dimension " + std::to_string(p.dim) +
                                                      ", stored embeddings have " + std::to_string(stored) + " (in " +
                                                      sdk::describe_tenant(tenant) + ")");
    if (p.k == 0) return sdk::Status::Ok();
    // The HNSW graph, when the store keeps one and it should answer
    // (vector_indexes.hpp); its candidates carry exact scores.
    std::vector<hnsw::ScoredKey> found;
    bool answered = false;
    vectors_->find(c, tenant, p, &found, &answered);
    if (answered) {
      TopK top(p.k);
      auto id = c.stmt("SELECT id FROM entities WHERE rid = ?1");
      for (const hnsw::ScoredKey& f : found) {
        if (f.score < p.min_score || !top.admits(f.score)) continue;
        id->bind(1, int64_t(f.key));
        if (id->step()) top.add(id->text(0), f.score);
        id->reset();
      }
      emit_scored(c, tenant, top.take(), sink);
      return sdk::Status::Ok();
    }
    // The dimension index lists the tenant's rows with an embedding in rid
    // order, so the rows are read in table order.
    // A type filter reads that type's rows only, through its index.
    auto s = p.entity_type.len == 0
                 ? c.stmt("SELECT id, embedding FROM entities INDEXED BY entities_dim WHERE tenant = ?1 AND dim > 0")
                 : c.stmt(
                       "SELECT id, embedding FROM entities INDEXED BY entities_type WHERE tenant = ?1 "
                       "AND entity_type = ?2 AND dim > 0");
    s->bind(1, tenant);
    if (p.entity_type.len != 0) s->bind(2, sdk::view(p.entity_type));
    TopK top(p.k);
    std::vector<float> v(p.dim);
    while (s->step()) {
      size_t n = 0;
      const void* blob = s->blob(1, &n);
      if (blob == nullptr || n != size_t(p.dim) * sizeof(float)) continue;
      std::memcpy(v.data(), blob, n);
      double score = sdk::cosine_similarity(p.query, v.data(), p.dim);
      if (score >= p.min_score && top.admits(score)) top.add(s->text(0), score);
    }
    s->reset();
    emit_scored(c, tenant, top.take(), sink);
    return sdk::Status::Ok();
  });
}

sdk::Status SqliteStore::text_search(std::string_view tenant, const gs_text_params& params, sdk::ScoredSink sink) {
  gs_text_params p = sdk::read_params(params);
  if (p.method < GS_TEXT_BM25 || p.method > GS_TEXT_LEVENSHTEIN)
    return sdk::make_error(GS_INVALID_ARGUMENT, "text_search: unknown method " + std::to_string(p.method));
  if (std::string error = sdk::text_query_error(sdk::view(p.query)); !error.empty())
    return sdk::make_error(GS_INVALID_ARGUMENT, error);
  std::string_view query = sdk::view(p.query);
  std::string_view type = sdk::view(p.entity_type);
  return read(tenant, [&](Connection& c) {
    ReadTxn txn(c, !memory());
    // Candidates: (id, sdk::text_json of the properties) of the entities that
    // can score > 0; the text is bounded by the per-entity limit.
    std::vector<std::string> ids, props;
    if (p.method == GS_TEXT_LEVENSHTEIN) {
      // Every string value may be close to the query, even one without a
      // token ("!!!"): all candidates.
      auto s = type.empty() ? c.stmt("SELECT id, properties FROM entities WHERE tenant = ?1")
                            : c.stmt("SELECT id, properties FROM entities WHERE tenant = ?1 AND entity_type = ?2");
      s->bind(1, tenant);
      if (!type.empty()) s->bind(2, type);
      while (s->step()) {
        ids.emplace_back(s->text(0));
        props.push_back(sdk::text_json(s->text(1)));
      }
    } else {
      std::vector<std::string> query_tokens;
      sdk::tokenize(query, &query_tokens);
      std::vector<std::string> terms = sdk::unique_tokens(query_tokens);
      std::unordered_set<int64_t> rids;
      for (const std::string& t : terms) {
        auto m = c.stmt("SELECT rowid FROM entity_text WHERE entity_text MATCH ?1");
        std::string phrase = "\"" + t + "\"";
        m->bind(1, std::string_view(phrase));
        while (m->step()) rids.insert(m->i64(0));
      }
      // The text not yet moved into the index (at most a few hundred rows).
      {
        auto pending = c.stmt("SELECT rid, body FROM text_pending");
        std::vector<std::string> tokens;
        while (pending->step()) {
          tokens.clear();
          sdk::tokenize(pending->text(1), &tokens);
          for (const std::string& t : terms)
            if (std::find(tokens.begin(), tokens.end(), t) != tokens.end()) {
              rids.insert(pending->i64(0));
              break;
            }
        }
      }
      std::vector<int64_t> sorted(rids.begin(), rids.end());
      std::sort(sorted.begin(), sorted.end());
      for (int64_t rid : sorted) {
        auto s = c.stmt("SELECT tenant, entity_type, id, properties FROM entities WHERE rid = ?1");
        s->bind(1, rid);
        if (!s->step() || s->text(0) != tenant || (!type.empty() && s->text(1) != type)) continue;
        ids.emplace_back(s->text(2));
        props.push_back(sdk::text_json(s->text(3)));
      }
    }
    std::vector<sdk::TextDoc> docs;
    docs.reserve(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) docs.push_back(sdk::TextDoc{ids[i], props[i]});
    std::vector<std::pair<size_t, double>> ranked;
    if (p.method != GS_TEXT_BM25) {
      // Jaccard, cosine and Levenshtein need no corpus: the candidates alone
      // rank exactly as the whole tenant would (the others score 0).
      sdk::rank_text(query, p.method, docs, p.k, p.min_score, &ranked);
    } else {
      // BM25 over the whole candidate corpus: N and the total token count
      // from the counters, df(t) from the candidates (every entity holding t
      // is one).
      sdk::Bm25Corpus corpus;
      {
        auto s = type.empty() ? c.stmt(
                                    "SELECT coalesce(sum(count), 0), coalesce(sum(tokens), 0) FROM type_counts "
                                    "WHERE tenant = ?1 AND kind = 1")
                              : c.stmt(
                                    "SELECT coalesce(sum(count), 0), coalesce(sum(tokens), 0) FROM type_counts "
                                    "WHERE tenant = ?1 AND kind = 1 AND type = ?2");
        s->bind(1, tenant);
        if (!type.empty()) s->bind(2, type);
        if (s->step()) {
          corpus.documents = uint64_t(s->i64(0));
          corpus.total_tokens = uint64_t(s->i64(1));
        }
      }
      std::vector<std::string> query_tokens;
      sdk::tokenize(query, &query_tokens);
      std::vector<std::string> terms = sdk::unique_tokens(query_tokens);
      std::vector<sdk::Bm25Doc> bm25_docs;
      bm25_docs.reserve(docs.size());
      for (const auto& d : docs) {
        bm25_docs.push_back(sdk::bm25_doc(sdk::document_tokens(d.properties_json), terms));
        corpus.count_terms(bm25_docs.back(), terms);
      }
      for (size_t i = 0; i < docs.size(); ++i) {
        double s = sdk::bm25_score(corpus, terms, bm25_docs[i]);
        if (s > 0.0 && s >= p.min_score) ranked.emplace_back(i, s);
      }
      auto by_rank = [&](const std::pair<size_t, double>& a, const std::pair<size_t, double>& b) {
        return sdk::better_hit(a.second, docs[a.first].id, b.second, docs[b.first].id);
      };
      if (ranked.size() > p.k) {
        std::partial_sort(ranked.begin(), ranked.begin() + p.k, ranked.end(), by_rank);
        ranked.resize(p.k);
      } else {
        std::sort(ranked.begin(), ranked.end(), by_rank);
      }
    }
    std::vector<Scored> hits;
    for (const auto& [index, score] : ranked) hits.push_back(Scored{ids[index], score});
    emit_scored(c, tenant, hits, sink);
    return sdk::Status::Ok();
  });
}

}  // namespace graphstore::sqlite

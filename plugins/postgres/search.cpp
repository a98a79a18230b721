// PostgresStore: scans, whole-tenant iteration, vector and text search,
// statistics.
//
// Scans and iteration are keyset-paged (id > last, ORDER BY id, 1,000 rows a
// page) and return the connection between pages, so a sink may call back
// into the store and memory stays constant. Vector search computes the
// cosine on the server over the stored real[] (sums in double precision in
// index order, as sdk::cosine_similarity does, so the scores are the same
// bits) and returns only the top k; with pgvector, an HNSW index may propose
// the candidates instead, under the rules of vector_plan.hpp that keep the
// answer from coming back short. Text search asks the tsvector index for
// the candidates that share a token with the query, scores them with
// sdk/scoring.hpp (BM25's corpus statistics N and the total length come from
// one aggregate over the tenant; document frequencies from the candidates,
// which hold every document containing a query term); Levenshtein gives
// every document a score, so it streams the tenant's properties in pages.
#include <algorithm>
#include <unordered_map>

#include "errors.hpp"
#include "graphstore/abi_read.hpp"
#include "graphstore/scoring.hpp"
#include "records.hpp"
#include "store_internal.hpp"
#include "vector_plan.hpp"

namespace graphstore::postgres {
namespace {

std::string fstr(const pqxx::field& f) { return std::string(f.c_str(), f.size()); }

constexpr uint64_t kPage = 1000;

// Pages through a table by id. fetch(after, offset, limit) returns the next
// page; emit(result) returns false to stop. The connection is returned
// between pages.
template <class Fetch, class Emit>
sdk::Status paged(PostgresStore& s, std::string_view where, std::string_view tenant, std::string after, uint64_t offset,
                  uint64_t limit, const Fetch& fetch, const Emit& emit) {
  uint64_t left = limit;
  while (left > 0) {
    uint64_t want = std::min(left, kPage);
    pqxx::result r;
    sdk::Status st = s.run(where, PostgresStore::Route::kRead, tenant, [&](Connection& c) {
      pqxx::nontransaction tx(c.raw());
      r = fetch(tx, c, after, offset, want);
      return sdk::Status::Ok();
    });
    if (!st.ok()) return st;
    offset = 0;
    if (r.empty()) break;
    after = fstr(r[int(r.size()) - 1][0]);
    if (!emit(r)) break;
    left -= r.size();
    if (r.size() < want) break;
  }
  return sdk::Status::Ok();
}

// A keyset-paged scan of one table in id order; emit(row) returns false to
// stop. `table` and `type_column` are identifiers of ours, never input.
template <class Emit>
sdk::Status scan_rows(PostgresStore& s, std::string_view where, std::string_view tenant, const char* table,
                      const char* columns, const char* type_column, std::string_view type, std::string after,
                      uint64_t offset, uint64_t limit, const Emit& emit) {
  if (!storable(type)) return sdk::Status::Ok();  // no stored type is such text
  // An after_id PostgreSQL text cannot hold (not UTF-8, or a NUL byte):
  // start at its longest storable prefix and compare the bytes.
  std::string raw_after;
  if (!storable(after)) {
    raw_after = bytea_hex(after);
    after.resize(storable_prefix(after));
  }
  int next = 5;
  std::string q = std::string("SELECT ") + columns + " FROM @S." + table + " WHERE tenant_id = $1 AND id > $2";
  if (!type.empty()) q += std::string(" AND ") + type_column + " = $" + std::to_string(next++);
  if (!raw_after.empty()) q += " AND convert_to(id, 'UTF8') > $" + std::to_string(next++) + "::bytea";
  q += " ORDER BY id LIMIT $3 OFFSET $4";
  std::string stmt = s.sql(q);
  return paged(
      s, where, tenant, std::move(after), offset, limit,
      [&](pqxx::transaction_base& tx, Connection& c, const std::string& a, uint64_t off, uint64_t lim) {
        Params p;
        p.s(tenant).s(a).i(int64_t(lim)).i(int64_t(std::min<uint64_t>(off, INT64_MAX)));
        if (!type.empty()) p.s(type);
        if (!raw_after.empty()) p.s(raw_after);
        return exec(tx, c, stmt, p);
      },
      [&](const pqxx::result& r) {
        for (const auto& row : r)
          if (!emit(row)) return false;
        return true;
      });
}

sdk::Status scan_entities_impl(PostgresStore& s, std::string_view where, std::string_view tenant, std::string_view type,
                               std::string after, uint64_t offset, uint64_t limit, sdk::EntitySink sink) {
  std::vector<float> embedding;
  return scan_rows(s, where, tenant, "entities", kEntityCols, "entity_type", type, std::move(after), offset, limit,
                   [&](const pqxx::row& row) {
                     gs_entity e = postgres::read_entity(row, 0, tenant, &embedding);
                     return sink(&e);
                   });
}

sdk::Status scan_relations_impl(PostgresStore& s, std::string_view where, std::string_view tenant,
                                std::string_view type, std::string after, uint64_t offset, uint64_t limit,
                                sdk::RelationSink sink) {
  return scan_rows(s, where, tenant, "relations", kRelationCols, "relation_type", type, std::move(after), offset, limit,
                   [&](const pqxx::row& row) {
                     gs_relation v = postgres::read_relation(row, 0, tenant);
                     return sink(&v);
                   });
}

// Emits the entities of ranked (id, score) in order, fetched in one query.
sdk::Status emit_ranked(PostgresStore& s, std::string_view where, std::string_view tenant,
                        const std::vector<std::pair<std::string, double>>& ranked, sdk::ScoredSink sink) {
  if (ranked.empty()) return sdk::Status::Ok();
  std::vector<std::string> ids;
  for (const auto& [id, score] : ranked) ids.push_back(id);
  pqxx::result r;
  sdk::Status st = s.run(where, PostgresStore::Route::kRead, tenant, [&](Connection& c) {
    pqxx::nontransaction tx(c.raw());
    r = exec(
        tx, c,
        s.sql(std::string("SELECT ") + kEntityCols + " FROM @S.entities WHERE tenant_id = $1 AND id = ANY($2::text[])"),
        Params().s(tenant).s(text_array(ids)));
    return sdk::Status::Ok();
  });
  if (!st.ok()) return st;
  std::unordered_map<std::string_view, int> at;
  for (int i = 0; i < int(r.size()); ++i) at.emplace(std::string_view(r[i][0].c_str(), r[i][0].size()), i);
  std::vector<float> embedding;
  for (const auto& [id, score] : ranked) {
    auto it = at.find(id);
    if (it == at.end()) continue;  // deleted meanwhile
    gs_entity e = postgres::read_entity(r[it->second], 0, tenant, &embedding);
    if (!sink(&e, score)) break;
  }
  return sdk::Status::Ok();
}

bool ranks_before(const std::pair<std::string, double>& a, const std::pair<std::string, double>& b) {
  return sdk::better_hit(a.second, std::string_view(a.first), b.second, std::string_view(b.first));
}

void keep_top(std::vector<std::pair<std::string, double>>* hits, uint32_t k) {
  if (hits->size() > k) {
    std::partial_sort(hits->begin(), hits->begin() + k, hits->end(), ranks_before);
    hits->resize(k);
  } else {
    std::sort(hits->begin(), hits->end(), ranks_before);
  }
}

}  // namespace

sdk::Status PostgresStore::for_each_entity(std::string_view tenant, sdk::EntitySink sink) {
  return scan_entities_impl(*this, "for_each_entity", tenant, "", "", 0, GS_NO_LIMIT, sink);
}

sdk::Status PostgresStore::for_each_relation(std::string_view tenant, sdk::RelationSink sink) {
  return scan_relations_impl(*this, "for_each_relation", tenant, "", "", 0, GS_NO_LIMIT, sink);
}

sdk::Status PostgresStore::scan_entities(std::string_view tenant, const gs_scan_params& params, sdk::EntitySink sink) {
  gs_scan_params p = sdk::read_params(params);
  return scan_entities_impl(*this, "scan_entities", tenant, sdk::view(p.type), std::string(sdk::view(p.after_id)),
                            p.offset, p.limit, sink);
}

sdk::Status PostgresStore::scan_relations(std::string_view tenant, const gs_scan_params& params,
                                          sdk::RelationSink sink) {
  gs_scan_params p = sdk::read_params(params);
  return scan_relations_impl(*this, "scan_relations", tenant, sdk::view(p.type), std::string(sdk::view(p.after_id)),
                             p.offset, p.limit, sink);
}

sdk::Status PostgresStore::vector_search(std::string_view tenant, const gs_vector_params& params,
                                         sdk::ScoredSink sink) {
  gs_vector_params p = sdk::read_params(params);
  if (p.dim == 0 || p.query == nullptr)
    return sdk::make_error(GS_INVALID_ARGUMENT, "vector_search: the query vector is empty");
  if (sdk::Status s = sdk::check_vector_flags(p.flags); !s.ok()) return s;
  std::string_view type = sdk::view(p.entity_type);
  const bool typed = !type.empty();
  std::string query = *format_embedding(p.query, p.dim);
  auto dimension_error = [&](uint32_t stored) {
    return sdk::make_error(GS_INVALID_ARGUMENT, "vector_search: query dimension " + std::to_string(p.dim) +
                                                    " differs from dimension " + std::to_string(stored) +
                                                    " of the embeddings stored in " + sdk::describe_tenant(tenant));
  };
  auto search_params = [&] {
    Params params;
    params.s(tenant).s(query).d(p.min_score).i(p.k);
    if (typed) params.s(type);
    return params;
  };
  pqxx::result r;
  sdk::Status s;
  if (!schema_state().pgvector || (p.flags & GS_VECTOR_EXACT)) {
    s = run("vector_search", Route::kRead, tenant, [&](Connection& c) {
      pqxx::nontransaction tx(c.raw());
      pqxx::result d = exec(tx, c,
                            sql("SELECT cardinality(embedding) FROM @S.entities WHERE tenant_id = $1 AND embedding IS "
                                "NOT NULL LIMIT 1"),
                            Params().s(tenant));
      if (d.empty()) return sdk::Status::Ok();
      if (uint32_t stored = uint32_t(parse_int(d[0][0].c_str())); stored != p.dim) return dimension_error(stored);
      if (p.k == 0 || !storable(type)) return sdk::Status::Ok();
      r = exec(tx, c, sql(vector_exact_sql(typed)), search_params());
      return sdk::Status::Ok();
    });
  } else {
    // The counts, the index's candidates and any exact fallback read one
    // snapshot, so "matching" is what the candidates were filtered from.
    const std::string index = quote_identifier(schema()) + "." + vector_index_name(p.dim);
    uint64_t stats_rows = 0;
    bool need_index = false;
    for (int round = 0; round < 2; ++round) {
      need_index = false;
      s = run("vector_search", Route::kRead, tenant, [&](Connection& c) {
        pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(c.raw());
        Params sp;
        sp.s(tenant).s(index);
        if (typed) sp.s(type);
        pqxx::result st = exec(tx, c, sql(vector_stats_sql(typed)), sp);
        stats_rows = uint64_t(parse_int(st[0][3].c_str()));
        if (st[0][0].is_null()) return sdk::Status::Ok();
        if (uint32_t stored = uint32_t(parse_int(st[0][0].c_str())); stored != p.dim) return dimension_error(stored);
        if (p.k == 0 || !storable(type)) return sdk::Status::Ok();
        VectorCounts counts;
        counts.tenant_embedded = uint64_t(parse_int(st[0][1].c_str()));
        counts.matching = uint64_t(parse_int(st[0][2].c_str()));
        if (!st[0][4].is_null()) counts.indexed = parse_double(st[0][4].c_str());
        VectorPlan plan = plan_vector_search(true, p.flags, p.k, counts);
        if (plan.route == VectorRoute::kIndex) {
          if (!hnsw_ready(p.dim)) {
            need_index = true;  // created on the primary, then this runs again
            return sdk::Status::Ok();
          }
          const std::string candidates = sql(vector_candidate_sql(schema_state().vector_schema, p.dim, typed));
          const Params cp = search_params();
          sdk::Status failed;
          VectorIndexOutcome outcome = run_vector_index(plan, [&](uint32_t ef) -> uint64_t {
            exec(tx, c, kSetEfSearchSql, Params().i(ef));
            try {
              r = exec(tx, c, candidates, cp);
            } catch (const pqxx::sql_error& e) {
              failed = pgvector_failure(e.sqlstate(), e.what());
              if (failed.ok()) throw;
              return plan.needed;  // ends the attempts; the failure is returned below
            }
            return r.empty() ? 0 : uint64_t(parse_int(r[0][kEntityColCount + 1].c_str()));
          });
          if (!failed.ok()) return failed;
          if (outcome.answered) return sdk::Status::Ok();
        }
        r = exec(tx, c, sql(vector_exact_sql(typed)), search_params());
        return sdk::Status::Ok();
      });
      if (!s.ok() || !need_index) break;
      if (sdk::Status made = ensure_hnsw_index(tenant, p.dim); !made.ok()) return made;
    }
    if (s.ok() && stats_rows > kFoldTextStatsAbove) fold_text_stats(tenant);
  }
  if (!s.ok()) return s;
  std::vector<float> embedding;
  for (const auto& row : r) {
    if (row[0].is_null()) continue;  // the index route's count-only row
    gs_entity e = postgres::read_entity(row, 0, tenant, &embedding);
    double score = parse_double(std::string_view(row[kEntityColCount].c_str(), row[kEntityColCount].size()));
    if (!sink(&e, score)) break;
  }
  return sdk::Status::Ok();
}

bool PostgresStore::hnsw_ready(uint32_t dim) {
  std::lock_guard<std::mutex> lock(hnsw_mu_);
  return hnsw_dims_.count(dim) != 0;
}

sdk::Status PostgresStore::ensure_hnsw_index(std::string_view tenant, uint32_t dim) {
  if (hnsw_ready(dim)) return sdk::Status::Ok();
  // A partial expression index per dimension: pgvector's HNSW needs a fixed
  // one, and a tenant's dimension is chosen by its first embedding. Created
  // on the primary (a replica is read-only), checked first so that searches
  // do not take the table's lock.
  const std::string vs = schema_state().vector_schema;
  sdk::Status s = run("vector_search", Route::kWrite, tenant, [&](Connection& c) {
    pqxx::nontransaction tx(c.raw());
    pqxx::result have = exec(tx, c, "SELECT to_regclass($1) IS NOT NULL",
                             Params().s(quote_identifier(schema()) + "." + vector_index_name(dim)));
    if (!have[0][0].as<bool>()) {
      try {
        tx.exec(sql(vector_create_index_sql(vs, dim)));
      } catch (const pqxx::sql_error& e) {
        if (sdk::Status failed = pgvector_failure(e.sqlstate(), e.what()); !failed.ok()) return failed;
        throw;
      }
    }
    return sdk::Status::Ok();
  });
  if (!s.ok()) return s;
  std::lock_guard<std::mutex> lock(hnsw_mu_);
  hnsw_dims_.insert(dim);
  return sdk::Status::Ok();
}

void PostgresStore::fold_text_stats(std::string_view tenant) {
  // Concurrent folds cannot count a row twice: a row another fold deleted
  // first is skipped by this DELETE once that fold commits.
  sdk::Status s = run("folding text_stats", Route::kWrite, tenant, [&](Connection& c) {
    pqxx::work tx(c.raw());
    exec(tx, c,
         sql("WITH gone AS (DELETE FROM @S.text_stats WHERE tenant_id = $1 "
             "RETURNING entity_type, documents, tokens, embedded) "
             "INSERT INTO @S.text_stats (tenant_id, entity_type, documents, tokens, embedded) "
             "SELECT $1, entity_type, sum(documents), sum(tokens), sum(embedded) FROM gone GROUP BY entity_type "
             "HAVING sum(documents) <> 0 OR sum(tokens) <> 0 OR sum(embedded) <> 0"),
         Params().s(tenant));
    tx.commit();
    return sdk::Status::Ok();
  });
  // The sums stay right unfolded; the next search tries again.
  if (!s.ok()) log(GS_LOG_WARN, "folding the text statistics failed: " + s.message);
}

sdk::Status PostgresStore::text_search(std::string_view tenant, const gs_text_params& params, sdk::ScoredSink sink) {
  gs_text_params p = sdk::read_params(params);
  if (p.method < GS_TEXT_BM25 || p.method > GS_TEXT_LEVENSHTEIN)
    return sdk::make_error(GS_INVALID_ARGUMENT, "text_search: unknown method " + std::to_string(p.method));
  if (std::string error = sdk::text_query_error(sdk::view(p.query)); !error.empty())
    return sdk::make_error(GS_INVALID_ARGUMENT, error);
  if (sdk::Status s = sdk::check_tenant(tenant); !s.ok()) return s;
  std::string_view query = sdk::view(p.query), type = sdk::view(p.entity_type);
  if (!storable(type)) return sdk::Status::Ok();
  std::vector<std::pair<std::string, double>> hits;
  const std::string type_clause = type.empty() ? "" : " AND entity_type = $3";

  if (p.method == GS_TEXT_LEVENSHTEIN) {
    // Every string value may score: stream (id, properties) of the tenant.
    std::string stmt = sql("SELECT id, properties FROM @S.entities WHERE tenant_id = $1 AND id > $2" + type_clause +
                           " ORDER BY id LIMIT " + std::to_string(kPage));
    bool have_bar = false;
    std::pair<std::string, double> bar;
    const sdk::LevenshteinPattern pattern(query);
    sdk::Status s = paged(
        *this, "text_search", tenant, "", 0, GS_NO_LIMIT,
        [&](pqxx::transaction_base& tx, Connection& c, const std::string& a, uint64_t, uint64_t) {
          Params prm;
          prm.s(tenant).s(a);
          if (!type.empty()) prm.s(type);
          return exec(tx, c, stmt, prm);
        },
        [&](const pqxx::result& r) {
          for (const auto& row : r) {
            double score =
                sdk::levenshtein_score(pattern, sdk::string_values(std::string_view(row[1].c_str(), row[1].size())));
            if (!(score > 0.0 && score >= p.min_score) || p.k == 0) continue;
            std::pair<std::string, double> hit{fstr(row[0]), score};
            if (have_bar && !ranks_before(hit, bar)) continue;
            hits.push_back(std::move(hit));
            if (hits.size() >= 2 * size_t(p.k) + 64) {
              keep_top(&hits, p.k);
              have_bar = hits.size() == p.k;
              if (have_bar) bar = hits.back();
            }
          }
          return true;
        });
    if (!s.ok()) return s;
    keep_top(&hits, p.k);
    return emit_ranked(*this, "text_search", tenant, hits, sink);
  }

  std::vector<std::string> query_tokens;
  sdk::tokenize(query, &query_tokens);
  std::vector<std::string> terms = sdk::unique_tokens(query_tokens);
  if (terms.empty() || p.k == 0) return sdk::Status::Ok();
  // A token PostgreSQL text cannot hold matches no stored token; it still
  // counts in the scores below.
  std::vector<std::string> indexable;
  for (const auto& t : query_tokens)
    if (storable(t)) indexable.push_back(t);
  if (indexable.empty()) return sdk::Status::Ok();
  std::string tsquery = any_token_query(indexable);
  std::vector<std::pair<std::string, std::string>> candidates;  // (id, sdk::text_json of its properties)
  uint64_t documents = 0, total_tokens = 0, deltas = 0;
  sdk::Status s = run("text_search", Route::kRead, tenant, [&](Connection& c) {
    // The statistics and the candidates from one snapshot.
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(c.raw());
    Params prm;
    prm.s(tenant).s(tsquery);
    if (!type.empty()) prm.s(type);
    pqxx::result r = exec(tx, c,
                          sql("SELECT id, properties FROM @S.entities WHERE tenant_id = $1 AND "
                              "(text_tokens @@ $2::tsquery OR text_tokens IS NULL)" +
                              type_clause),
                          prm);
    candidates.reserve(r.size());
    for (const auto& row : r)
      candidates.emplace_back(fstr(row[0]), sdk::text_json(std::string_view(row[1].c_str(), row[1].size())));
    if (p.method == GS_TEXT_BM25) {
      // The corpus: the sums of the tenant's text_stats deltas (schema.cpp).
      Params sp;
      sp.s(tenant);
      if (!type.empty()) sp.s(type);
      pqxx::result st = exec(tx, c,
                             sql("SELECT coalesce(sum(documents), 0), coalesce(sum(tokens), 0), count(*) "
                                 "FROM @S.text_stats WHERE tenant_id = $1" +
                                 std::string(type.empty() ? "" : " AND entity_type = $2")),
                             sp);
      documents = uint64_t(parse_int(st[0][0].c_str()));
      total_tokens = uint64_t(parse_int(st[0][1].c_str()));
      deltas = uint64_t(parse_int(st[0][2].c_str()));
    }
    tx.commit();
    return sdk::Status::Ok();
  });
  if (!s.ok()) return s;
  if (deltas > kFoldTextStatsAbove) fold_text_stats(tenant);

  sdk::Bm25Corpus corpus;
  std::vector<sdk::Bm25Doc> bm25_docs;
  if (p.method == GS_TEXT_BM25) {
    corpus.documents = documents;
    corpus.total_tokens = total_tokens;
    // Every document holding a query term is a candidate, so these counts
    // are the corpus's.
    bm25_docs.reserve(candidates.size());
    for (const auto& [id, text] : candidates) {
      bm25_docs.push_back(sdk::bm25_doc(sdk::document_tokens(text), terms));
      corpus.count_terms(bm25_docs.back(), terms);
    }
  }
  for (size_t i = 0; i < candidates.size(); ++i) {
    double score = 0.0;
    if (p.method == GS_TEXT_BM25) {
      score = sdk::bm25_score(corpus, terms, bm25_docs[i]);
    } else {
      std::vector<std::string> doc_tokens = sdk::document_tokens(candidates[i].second);
      score = p.method == GS_TEXT_JACCARD ? sdk::jaccard_score(query_tokens, doc_tokens)
                                          : sdk::tf_cosine_score(query_tokens, doc_tokens);
    }
    if (score > 0.0 && score >= p.min_score) hits.emplace_back(candidates[i].first, score);
  }
  keep_top(&hits, p.k);
  return emit_ranked(*this, "text_search", tenant, hits, sink);
}

sdk::Status PostgresStore::get_stats(std::string_view tenant, sdk::StatsSink sink) {
  pqxx::result r;
  sdk::Status s = run("get_stats", Route::kRead, tenant, [&](Connection& c) {
    pqxx::nontransaction tx(c.raw());
    r = exec(tx, c,
             sql("SELECT 1 AS kind, entity_type AS type, count(*) FROM @S.entities WHERE tenant_id = $1 "
                 "GROUP BY entity_type UNION ALL "
                 "SELECT 2, relation_type, count(*) FROM @S.relations WHERE tenant_id = $1 GROUP BY relation_type "
                 "ORDER BY 1, 2"),
             Params().s(tenant));
    return sdk::Status::Ok();
  });
  if (!s.ok()) return s;
  for (const auto& row : r) {
    int32_t kind = row[0].as<int>() == 1 ? GS_KIND_ENTITY : GS_KIND_RELATION;
    if (!sink(kind, gs_str{row[1].c_str(), row[1].size()}, uint64_t(parse_int(row[2].c_str())))) break;
  }
  return sdk::Status::Ok();
}

}  // namespace graphstore::postgres

// Checks of a sqlite store, and of its file read directly with SQLite,
// against the model of what it must hold (store_model.hpp). Each reports
// what differs through GoogleTest (ADD_FAILURE) and returns whether all
// held, so a sweep can stop at its first bad case instead of repeating it.
#ifndef GRAPHSTORE_TESTS_FAULTS_CONSISTENCY_CHECKS_HPP
#define GRAPHSTORE_TESTS_FAULTS_CONSISTENCY_CHECKS_HPP

#include <map>
#include <string>
#include <vector>

#include "graphstore/store.hpp"
#include "store_model.hpp"

namespace graphstore::fault_test {

// Every entity and relation (ids, types, properties, endpoints, weights,
// embeddings) and get_stats equal the model's.
bool store_matches(Store& store, const StoreModel& model);

// Reads only. For each word, text search finds exactly the model's entities
// whose text holds it; for each (id, vector), a vector search for the vector
// ranks the entity first with score 1 when the model holds it with that
// embedding, and every entity it returns exists in the model with a score
// equal to the cosine of the query and the model's embedding (so neither the
// text index nor the vector graph answers for a row the table does not hold).
bool searches_agree(Store& store, const StoreModel& model, const std::vector<std::string>& words,
                    const std::map<std::string, std::vector<float>>& vectors);

// Writes: for each id, adds a relation p0 -> id, which must succeed when
// the model holds the entity and be NOT_FOUND otherwise (a cached rid of an
// entity that is not in the file would let it through). Successes go into
// the model.
bool endpoints_agree(Store& store, StoreModel* model, const std::vector<std::string>& ids);

// Opens the file with SQLite directly (the store closed): integrity_check
// says ok; the rows, the per-type counters and the text index (entity_text
// and text_pending together hold exactly the entities that have text, none
// twice) agree with the model, and no relation points at a missing entity.
bool file_matches(const std::string& path, const StoreModel& model);

}  // namespace graphstore::fault_test

#endif  // GRAPHSTORE_TESTS_FAULTS_CONSISTENCY_CHECKS_HPP

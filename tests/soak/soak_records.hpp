// What the soak writes: record ids that name their writer, and record values
// that are a function of (id, version), so that a log line of a few fields
// says exactly what the store should hold.
//
// An id is "<identity>.t<thread>.<e|r><seq>[.<k>]": identity is a process's
// writer identity (P1, P5, G1), thread its worker thread, seq the op that
// created it. Its owner, "<identity>.t<thread>", is the only thread that ever
// writes it, and relations only join entities of one owner, so each owner's
// log alone orders every write touching its records.
#ifndef GRAPHSTORE_TESTS_SOAK_RECORDS_HPP
#define GRAPHSTORE_TESTS_SOAK_RECORDS_HPP

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "graphstore/types.hpp"

namespace graphstore::soak {

// "<identity>.t<thread>".
std::string owner_name(std::string_view identity, int thread);

// The owner part of a record id ("P1.t2" of "P1.t2.e17"), or "" when the id
// does not have the soak's shape.
std::string owner_of(std::string_view id);

// The words entity text is made of; text searches query them.
const std::vector<std::string>& vocabulary();

// The entity a write of version `version` of `id` stores. with_embedding adds
// a small vector derived from both.
Entity expected_entity(const std::string& id, uint64_t version, bool with_embedding);

// The relation a write of version `version` stores between source and target.
Relation expected_relation(const std::string& id, const std::string& source, const std::string& target,
                           uint64_t version);

// True when the stored record holds what `want` holds: type, endpoints,
// weight, embedding, and properties compared as JSON values (a backend may
// reorder members or change spacing). Timestamps are not compared. On a
// difference *why says which field.
bool same_entity(const Entity& want, const Entity& got, std::string* why);
bool same_relation(const Relation& want, const Relation& got, std::string* why);

}  // namespace graphstore::soak

#endif  // GRAPHSTORE_TESTS_SOAK_RECORDS_HPP

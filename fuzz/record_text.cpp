// Fuzz target: one record's JSON text, as the CLI's single-record commands
// and every reader of core/src/io decode it (parse_record,
// parse_entity_text, parse_relation_text over io::decode_record).
// Invariants beyond not crashing:
//  - the padded fast path (text followed by a NUL and 16 readable bytes)
//    decides exactly as the bounded path: same status, same record;
//  - a record that decodes, written by the exporter's writer (entity_json,
//    relation_json and the JSONL line), decodes to an equal record;
//  - a failure is INVALID_ARGUMENT with a message.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "graphstore/record_json.hpp"
#include "io/formats.hpp"
#include "io/record_decoder.hpp"
#include "record_compare.hpp"

namespace {

using graphstore::Code;
using graphstore::Record;
using graphstore::RecordKind;
using graphstore::Status;
using graphstore::fuzz::check;
using graphstore::fuzz::describe;
using graphstore::fuzz::same_record;
namespace io = graphstore::io;

void check_failure(const Status& s, std::string_view text) {
  check(s.code() == Code::kInvalidArgument, "a record that does not decode must be INVALID_ARGUMENT", s.message());
  check(!s.message().empty(), "a decoding error must say why", text);
}

// Decodes text both ways and checks they agree; returns the bounded result.
Status decode_both(std::string_view text, io::Expect expect, Record* out) {
  Status plain = io::decode_record(text, expect, out, false);
  std::string padded(text);
  padded.append(17, '\0');
  Record fast;
  Status quick = io::decode_record(std::string_view(padded.data(), text.size()), expect, &fast, true);
  check(plain.code() == quick.code() && plain.message() == quick.message(),
        "the padded and the bounded decoder disagree on the status", plain.message() + " | " + quick.message());
  if (plain.ok()) check(same_record(*out, fast), "the padded and the bounded decoder disagree on the record", text);
  return plain;
}

void check_round_trip(const Record& rec) {
  std::string bare = describe(rec);
  Record again;
  Status s = decode_both(bare, rec.kind == RecordKind::kEntity ? io::Expect::kEntity : io::Expect::kRelation, &again);
  check(s.ok(), "a decoded record, written again, does not decode", s.message() + " in " + bare);
  check(same_record(rec, again), "a decoded record, written again, decodes to a different record",
        describe(rec) + " became " + describe(again));

  std::string line;
  if (rec.kind == RecordKind::kEntity) {
    io::append_jsonl(rec.entity, &line);
  } else {
    io::append_jsonl(rec.relation, &line);
  }
  Record from_line;
  s = graphstore::parse_record(line, &from_line);
  check(s.ok(), "a decoded record, written as a JSONL line, does not decode", s.message() + " in " + line);
  check(same_record(rec, from_line), "a JSONL line written from a record decodes to a different record", line);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (io::Expect expect : {io::Expect::kLine, io::Expect::kEntity, io::Expect::kRelation}) {
    Record rec;
    Status s = decode_both(text, expect, &rec);
    if (!s.ok()) {
      check_failure(s, text);
      continue;
    }
    if (expect == io::Expect::kEntity) check(rec.kind == RecordKind::kEntity, "an entity was expected", text);
    if (expect == io::Expect::kRelation) check(rec.kind == RecordKind::kRelation, "a relation was expected", text);
    check_round_trip(rec);
  }
  return 0;
}

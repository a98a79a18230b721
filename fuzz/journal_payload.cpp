// Fuzz target: the input is a degradation journal record's payload, as
// recovery reads it back from disk (plugins/degradation/record_codec.cpp).
// Invariants beyond not crashing:
//  - a payload that decodes, lent to the ABI structs a store's apply_batch
//    takes (WriteBatchView) and encoded again, gives the same bytes, and
//    those decode to the same writes;
//  - a payload that does not decode is CORRUPTION with a message.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "record_codec.hpp"

namespace {

namespace deg = graphstore::degradation;
using graphstore::fuzz::check;

// Floats and doubles compare by their bits: the journal must carry a NaN
// or a -0 exactly as it was handed over.
template <class T>
bool same_bits(const T& a, const T& b) {
  return std::memcmp(&a, &b, sizeof(T)) == 0;
}

bool same_op(const deg::DecodedOp& a, const deg::DecodedOp& b) {
  if (a.kind != b.kind || a.id != b.id || a.type != b.type || a.properties != b.properties ||
      a.has_source != b.has_source || a.source != b.source || a.source_id != b.source_id ||
      a.target_id != b.target_id || !same_bits(a.weight, b.weight) || a.created_at != b.created_at ||
      a.updated_at != b.updated_at || a.embedding.size() != b.embedding.size())
    return false;
  for (size_t i = 0; i < a.embedding.size(); ++i)
    if (!same_bits(a.embedding[i], b.embedding[i])) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  deg::DecodedBatch batch;
  graphstore::sdk::Status s = deg::decode_batch(bytes, &batch);
  if (!s.ok()) {
    check(s.code == GS_CORRUPTION && !s.message.empty(), "an undecodable payload must be CORRUPTION", s.message);
    return 0;
  }
  const deg::DecodedBatch* batches[] = {&batch};
  deg::WriteBatchView view(batches);
  check(view.size() == batch.ops.size(), "the batch view lost or added writes");
  std::string again;
  deg::encode_batch(std::string_view(view.tenant().data, view.tenant().len), view.ops(), view.size(), &again);
  check(again == bytes, "a decoded payload encodes to different bytes");
  deg::DecodedBatch second;
  s = deg::decode_batch(again, &second);
  check(s.ok(), "a re-encoded payload does not decode", s.message);
  check(second.tenant == batch.tenant && second.ops.size() == batch.ops.size(),
        "a re-encoded payload decodes to another tenant or number of writes");
  for (size_t i = 0; i < batch.ops.size(); ++i)
    check(same_op(batch.ops[i], second.ops[i]), "a re-encoded payload decodes to a different write",
          "write " + std::to_string(i));
  return 0;
}

// The journal's payload: one tenant and the ordered writes of one call, as
// bytes, and back. Decoding owns its strings and floats; WriteBatchView lends
// them to the ABI structs a store's apply_batch takes.
#ifndef GRAPHSTORE_DEGRADATION_RECORD_CODEC_HPP
#define GRAPHSTORE_DEGRADATION_RECORD_CODEC_HPP

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "graphstore/plugin.hpp"

namespace graphstore::degradation {

// Appends the encoding of a call's writes to *out.
void encode_batch(std::string_view tenant, const gs_write_op* const* ops, size_t n, std::string* out);

// One decoded write. Strings are owned; absent optional strings (a null
// source) are has_source = false.
struct DecodedOp {
  int32_t kind = 0;  // GS_OP_*
  std::string id, type, properties, source, source_id, target_id;
  bool has_source = false;
  std::vector<float> embedding;
  double weight = 0;
  int64_t created_at = 0, updated_at = 0;
};

struct DecodedBatch {
  std::string tenant;
  std::vector<DecodedOp> ops;
};

// CORRUPTION when the bytes are not an encoding.
sdk::Status decode_batch(std::string_view bytes, DecodedBatch* out);

// The ABI structs of decoded batches of one tenant, in order, pointing into
// them (keep them alive).
class WriteBatchView {
 public:
  explicit WriteBatchView(std::span<const DecodedBatch* const> batches);
  WriteBatchView(const WriteBatchView&) = delete;
  WriteBatchView& operator=(const WriteBatchView&) = delete;

  gs_str tenant() const { return sdk::str(tenant_); }
  const gs_write_op* const* ops() const { return pointers_.data(); }
  size_t size() const { return pointers_.size(); }
  const gs_write_op& op(size_t i) const { return ops_[i]; }

 private:
  void add(const DecodedOp& d, size_t i);

  std::string_view tenant_;
  std::vector<gs_entity> entities_;
  std::vector<gs_relation> relations_;
  std::vector<gs_write_op> ops_;
  std::vector<const gs_write_op*> pointers_;
};

}  // namespace graphstore::degradation

#endif  // GRAPHSTORE_DEGRADATION_RECORD_CODEC_HPP

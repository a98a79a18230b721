#include "record_codec.hpp"

#include <cstring>

#include "graphstore/abi_read.hpp"

namespace graphstore::degradation {
namespace {

constexpr uint8_t kFormat = 1;

void put_bytes(std::string* out, const void* p, size_t n) { out->append(static_cast<const char*>(p), n); }
template <class T>
void put(std::string* out, T v) {
  put_bytes(out, &v, sizeof v);
}
void put_str(std::string* out, gs_str s) {
  put<uint32_t>(out, static_cast<uint32_t>(s.len));
  if (s.len > 0) put_bytes(out, s.data, s.len);
}
void put_optional(std::string* out, gs_str s) {
  put<uint8_t>(out, s.data != nullptr ? 1 : 0);
  if (s.data != nullptr) put_str(out, s);
}

class Reader {
 public:
  explicit Reader(std::string_view bytes) : rest_(bytes) {}
  template <class T>
  bool get(T* v) {
    if (rest_.size() < sizeof(T)) return false;
    std::memcpy(v, rest_.data(), sizeof(T));
    rest_.remove_prefix(sizeof(T));
    return true;
  }
  bool get_str(std::string* s) {
    uint32_t n = 0;
    if (!get(&n) || rest_.size() < n) return false;
    s->assign(rest_.data(), n);
    rest_.remove_prefix(n);
    return true;
  }
  bool get_optional(std::string* s, bool* present) {
    uint8_t flag = 0;
    if (!get(&flag) || flag > 1) return false;
    *present = flag == 1;
    return !*present || get_str(s);
  }
  bool get_floats(std::vector<float>* v) {
    uint32_t n = 0;
    if (!get(&n) || rest_.size() / sizeof(float) < n) return false;
    v->resize(n);
    if (n > 0) std::memcpy(v->data(), rest_.data(), n * sizeof(float));
    rest_.remove_prefix(n * sizeof(float));
    return true;
  }
  bool done() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

void encode_entity(const gs_entity& in, std::string* out) {
  gs_entity e = sdk::read_entity(in);
  put_str(out, e.id);
  put_str(out, e.entity_type);
  put_str(out, e.properties_json);
  put<uint32_t>(out, e.embedding_dim);
  if (e.embedding_dim > 0) put_bytes(out, e.embedding, e.embedding_dim * sizeof(float));
  put<int64_t>(out, e.created_at);
  put<int64_t>(out, e.updated_at);
  put_optional(out, e.source);
}

void encode_relation(const gs_relation& in, std::string* out) {
  gs_relation r = sdk::read_relation(in);
  put_str(out, r.id);
  put_str(out, r.relation_type);
  put_str(out, r.source_id);
  put_str(out, r.target_id);
  put_str(out, r.properties_json);
  put<double>(out, r.weight);
  put<int64_t>(out, r.created_at);
  put<int64_t>(out, r.updated_at);
  put_optional(out, r.source);
}

bool decode_op(Reader& in, DecodedOp* op) {
  uint8_t kind = 0;
  if (!in.get(&kind)) return false;
  op->kind = kind;
  switch (kind) {
    case GS_OP_ADD_ENTITY:
    case GS_OP_UPDATE_ENTITY:
      return in.get_str(&op->id) && in.get_str(&op->type) && in.get_str(&op->properties) &&
             in.get_floats(&op->embedding) && in.get(&op->created_at) && in.get(&op->updated_at) &&
             in.get_optional(&op->source, &op->has_source);
    case GS_OP_ADD_RELATION:
    case GS_OP_UPDATE_RELATION:
      return in.get_str(&op->id) && in.get_str(&op->type) && in.get_str(&op->source_id) &&
             in.get_str(&op->target_id) && in.get_str(&op->properties) && in.get(&op->weight) &&
             in.get(&op->created_at) && in.get(&op->updated_at) && in.get_optional(&op->source, &op->has_source);
    case GS_OP_DELETE_ENTITY:
    case GS_OP_DELETE_RELATION:
      return in.get_str(&op->id);
    default:
      return false;
  }
}

}  // namespace

void encode_batch(std::string_view tenant, const gs_write_op* const* ops, size_t n, std::string* out) {
  put<uint8_t>(out, kFormat);
  put_str(out, sdk::str(tenant));
  put<uint32_t>(out, static_cast<uint32_t>(n));
  for (size_t i = 0; i < n; ++i) {
    gs_write_op op = sdk::read_op(*ops[i]);
    put<uint8_t>(out, static_cast<uint8_t>(op.kind));
    switch (op.kind) {
      case GS_OP_ADD_ENTITY:
      case GS_OP_UPDATE_ENTITY:
        encode_entity(*op.entity, out);
        break;
      case GS_OP_ADD_RELATION:
      case GS_OP_UPDATE_RELATION:
        encode_relation(*op.relation, out);
        break;
      default:
        put_str(out, op.id);
        break;
    }
  }
}

sdk::Status decode_batch(std::string_view bytes, DecodedBatch* out) {
  Reader in(bytes);
  uint8_t format = 0;
  uint32_t n = 0;
  out->ops.clear();
  if (!in.get(&format) || format != kFormat || !in.get_str(&out->tenant) || !in.get(&n))
    return sdk::make_error(GS_CORRUPTION, "journal record: unreadable header");
  out->ops.reserve(std::min<size_t>(n, bytes.size()));
  for (uint32_t i = 0; i < n; ++i) {
    out->ops.emplace_back();
    if (!decode_op(in, &out->ops.back()))
      return sdk::make_error(GS_CORRUPTION, "journal record: write " + std::to_string(i) + " is unreadable");
  }
  if (!in.done()) return sdk::make_error(GS_CORRUPTION, "journal record: bytes after the last write");
  return sdk::Status::Ok();
}

WriteBatchView::WriteBatchView(std::span<const DecodedBatch* const> batches) {
  size_t n = 0;
  for (const DecodedBatch* b : batches) n += b->ops.size();
  if (!batches.empty()) tenant_ = batches.front()->tenant;
  entities_.resize(n);
  relations_.resize(n);
  ops_.resize(n);
  pointers_.reserve(n);
  size_t i = 0;
  for (const DecodedBatch* batch : batches)
    for (const DecodedOp& d : batch->ops) {
      add(d, i);
      ++i;
    }
}

void WriteBatchView::add(const DecodedOp& d, size_t i) {
  gs_write_op& op = ops_[i];
  op.struct_size = sizeof op;
  op.kind = d.kind;
  gs_str source = d.has_source ? sdk::str(d.source) : sdk::null_str();
  if (d.kind == GS_OP_ADD_ENTITY || d.kind == GS_OP_UPDATE_ENTITY) {
    gs_entity& e = entities_[i];
    e.struct_size = sizeof e;
    e.id = sdk::str(d.id);
    e.entity_type = sdk::str(d.type);
    e.properties_json = sdk::str(d.properties);
    e.embedding = d.embedding.empty() ? nullptr : d.embedding.data();
    e.embedding_dim = static_cast<uint32_t>(d.embedding.size());
    e.created_at = d.created_at;
    e.updated_at = d.updated_at;
    e.source = source;
    op.entity = &e;
  } else if (d.kind == GS_OP_ADD_RELATION || d.kind == GS_OP_UPDATE_RELATION) {
    gs_relation& r = relations_[i];
    r.struct_size = sizeof r;
    r.id = sdk::str(d.id);
    r.relation_type = sdk::str(d.type);
    r.source_id = sdk::str(d.source_id);
    r.target_id = sdk::str(d.target_id);
    r.properties_json = sdk::str(d.properties);
    r.weight = d.weight;
    r.created_at = d.created_at;
    r.updated_at = d.updated_at;
    r.source = source;
    op.relation = &r;
  } else {
    op.id = sdk::str(d.id);
  }
  pointers_.push_back(&op);
}

}  // namespace graphstore::degradation

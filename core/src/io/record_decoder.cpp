// No RAPIDJSON_SSE2 here: defined in one file only, it gives rapidjson's
// inline functions two bodies in one program (an ODR violation), and the
// linker may hand the SIMD scan, which reads whole 16-byte blocks, to a
// parse of unpadded text elsewhere. Measured without it: a JSONL import of
// 200,000 entities takes the same 0.40-0.42 s.

#include "io/record_decoder.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/stream.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

#include "graphstore/tenant.hpp"
#include "graphstore/utf8.hpp"
#include "io/number_text.hpp"

namespace graphstore::io {
namespace {

// Records: UTF-8 is validated beforehand (sdk::utf8_prefix), once per record.
constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag;
// Column texts (CSV): rapidjson validates.
constexpr unsigned kCheckFlags = kFlags | rapidjson::kParseValidateEncodingFlag;

enum KeyId : int {
  kId,
  kEntityType,
  kRelationType,
  kSourceId,
  kTargetId,
  kProperties,
  kEmbedding,
  kWeight,
  kCreatedAt,
  kUpdatedAt,
  kSource,
  kTenantId,
  kType,
  kData,
  kKeyCount,
  kUnknown = kKeyCount,
};

constexpr const char* kKeyNames[kKeyCount] = {"id",         "entity_type", "relation_type", "source_id",  "target_id",
                                              "properties", "embedding",   "weight",        "created_at", "updated_at",
                                              "source",     "tenant_id",   "type",          "data"};

constexpr uint32_t bit(KeyId k) { return 1u << k; }
constexpr uint32_t kEntityKeys = bit(kId) | bit(kEntityType) | bit(kProperties) | bit(kEmbedding) | bit(kCreatedAt) |
                                 bit(kUpdatedAt) | bit(kSource) | bit(kTenantId);
constexpr uint32_t kRelationKeys = bit(kId) | bit(kRelationType) | bit(kSourceId) | bit(kTargetId) | bit(kProperties) |
                                   bit(kWeight) | bit(kCreatedAt) | bit(kUpdatedAt) | bit(kSource) | bit(kTenantId);

// By length first: a record's keys are found with one or two compares.
KeyId lookup(std::string_view s) {
  auto is = [&](KeyId k) { return s == kKeyNames[k] ? k : kUnknown; };
  switch (s.size()) {
    case 2:
      return is(kId);
    case 4:
      return s[0] == 't' ? is(kType) : is(kData);
    case 6:
      return s[0] == 'w' ? is(kWeight) : is(kSource);
    case 9:
      if (s[0] == 's') return is(kSourceId);
      if (s[0] == 't') return s[1] == 'a' ? is(kTargetId) : is(kTenantId);
      return is(kEmbedding);
    case 10:
      if (s[0] == 'p') return is(kProperties);
      return s[0] == 'c' ? is(kCreatedAt) : is(kUpdatedAt);
    case 11:
      return is(kEntityType);
    case 13:
      return is(kRelationType);
    default:
      return kUnknown;
  }
}

const char* kind_name(RecordKind k) { return k == RecordKind::kEntity ? "entity" : "relation"; }

// The values of one object's members, as far as the record shape knows them.
struct Fields {
  uint32_t seen = 0;
  std::string id, entity_type, relation_type, source_id, target_id, source, tenant_id, type;
  bool has_source = false;
  size_t props_begin = 0, props_end = 0;  // props_end == 0: absent or null
  std::vector<float> embedding;
  double weight = 1.0;
  Timestamp created_at = kNoTimestamp, updated_at = kNoTimestamp;

  void reset() {
    seen = 0;
    for (std::string* str : {&id, &entity_type, &relation_type, &source_id, &target_id, &source, &tenant_id, &type})
      str->clear();
    has_source = false;
    props_begin = props_end = 0;
    embedding.clear();
    weight = 1.0;
    created_at = updated_at = kNoTimestamp;
  }
  std::string* string_slot(KeyId k) {
    switch (k) {
      case kId:
        return &id;
      case kEntityType:
        return &entity_type;
      case kRelationType:
        return &relation_type;
      case kSourceId:
        return &source_id;
      case kTargetId:
        return &target_id;
      case kType:
        return &type;
      default:
        return nullptr;
    }
  }
};

// SAX handler over the text of one record. Stops at the first problem with
// a message; the reader then reports kParseErrorTermination.
template <class Stream>
class Decoder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Decoder<Stream>> {
 public:
  // top and data are reused from call to call (their strings keep their
  // capacity).
  Decoder(const Stream* stream, Expect expect, Fields* top, Fields* data)
      : stream_(stream), expect_(expect), top_(*top), data_(*data) {
    top_.reset();
    data_.reset();
  }

  const std::string& error() const { return error_; }

  bool Null() { return scalar(Value::kNull, {}); }
  bool Bool(bool) { return scalar(Value::kBool, {}); }
  bool Int(int) { return scalar(Value::kNumber, {}); }
  bool Uint(unsigned) { return scalar(Value::kNumber, {}); }
  bool Int64(int64_t) { return scalar(Value::kNumber, {}); }
  bool Uint64(uint64_t) { return scalar(Value::kNumber, {}); }
  bool Double(double) { return scalar(Value::kNumber, {}); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) { return scalar(Value::kNumber, std::string_view(s, n)); }
  bool String(const char* s, rapidjson::SizeType n, bool) { return scalar(Value::kString, std::string_view(s, n)); }

  bool Key(const char* s, rapidjson::SizeType n, bool) {
    if (mode_ != Mode::kFields) return true;
    std::string_view name(s, n);
    key_ = lookup(name);
    bool at_top = field_depth_ == 1;
    if (key_ == kUnknown || (!at_top && (key_ == kType || key_ == kData)))
      return fail("unknown " + std::string(label()) + " key '" + std::string(name.substr(0, 64)) + "'");
    if (cur_->seen & bit(key_)) {
      // 'type' and 'data' at the top are the wrapper's keys, not the record's.
      const char* who = at_top && (key_ == kType || key_ == kData) ? "record" : label();
      return fail(std::string(who) + " key '" + kKeyNames[key_] + "' appears twice");
    }
    cur_->seen |= bit(key_);
    return true;
  }

  bool StartObject() {
    if (++depth_ > kMaxJsonDepth) return too_deep();
    if (depth_ == 1) {
      cur_ = &top_;
      field_depth_ = 1;
      return true;
    }
    if (mode_ != Mode::kFields) return mode_ == Mode::kEmbedding ? bad_value() : true;
    if (key_ == kProperties) {
      mode_ = Mode::kProps;
      value_depth_ = depth_;
      cur_->props_begin = stream_->Tell();  // iterative parsing: before the '{' is taken
      return true;
    }
    if (key_ == kData && field_depth_ == 1) {
      cur_ = &data_;
      field_depth_ = 2;
      return true;
    }
    return bad_value();
  }

  bool EndObject(rapidjson::SizeType) {
    if (mode_ == Mode::kProps && depth_ == value_depth_) {
      cur_->props_end = stream_->Tell() + 1;  // iterative parsing: before the '}' is taken
      mode_ = Mode::kFields;
    } else if (mode_ == Mode::kFields && depth_ == 2 && field_depth_ == 2) {
      cur_ = &top_;
      field_depth_ = 1;
    }
    --depth_;
    return true;
  }

  bool StartArray() {
    if (++depth_ > kMaxJsonDepth) return too_deep();
    if (depth_ == 1) return fail("a record must be a JSON object");
    if (mode_ == Mode::kProps) return true;
    if (mode_ == Mode::kEmbedding) return bad_value();
    if (key_ == kEmbedding) {
      mode_ = Mode::kEmbedding;
      value_depth_ = depth_;
      cur_->embedding.clear();
      return true;
    }
    return bad_value();
  }

  bool EndArray(rapidjson::SizeType) {
    if (mode_ == Mode::kEmbedding && depth_ == value_depth_) mode_ = Mode::kFields;
    --depth_;
    return true;
  }

 private:
  enum class Mode { kFields, kProps, kEmbedding };
  enum class Value { kNull, kBool, kNumber, kString };

  // "entity", "relation" or "record": what the object being read is.
  const char* label() const {
    if (field_depth_ == 2) {
      if (top_.seen & bit(kType)) {
        if (top_.type == "entity") return "entity";
        if (top_.type == "relation") return "relation";
      }
      return "record";
    }
    return expect_ == Expect::kRelation ? "relation" : "entity";
  }

  bool fail(std::string message) {
    error_ = std::move(message);
    return false;
  }
  bool too_deep() { return fail("JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"); }

  bool bad_value() {
    const char* expected = "of another type";
    switch (key_) {
      case kId:
      case kEntityType:
      case kRelationType:
      case kSourceId:
      case kTargetId:
        expected = "a string";
        break;
      case kProperties:
        expected = "a JSON object";
        break;
      case kEmbedding:
        expected = "an array of numbers or null";
        break;
      case kWeight:
        expected = "a number from 0.0 to 1.0";
        break;
      case kCreatedAt:
      case kUpdatedAt:
        expected = "an ISO-8601 timestamp such as \"2025-12-09T10:11:12.123456\" or null";
        break;
      case kSource:
      case kTenantId:
        expected = "a string or null";
        break;
      case kType:
        expected = "\"entity\" or \"relation\"";
        break;
      case kData:
        expected = "a JSON object";
        break;
      default:
        break;
    }
    const char* who = key_ == kType || key_ == kData ? "record" : label();
    return fail(std::string(who) + " key '" + kKeyNames[key_] + "' must be " + expected);
  }

  bool scalar(Value v, std::string_view text) {
    if (depth_ == 0) return fail("a record must be a JSON object");
    if (mode_ == Mode::kProps) return true;
    if (mode_ == Mode::kEmbedding) {
      if (v != Value::kNumber) return bad_value();
      float f = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), f);
      if (ec == std::errc::result_out_of_range) {
        // Underflow reads as the nearest float (0 or a subnormal); overflow
        // is refused below.
        f = static_cast<float>(std::strtod(std::string(text).c_str(), nullptr));
      } else if (ec != std::errc() || end != text.data() + text.size()) {
        return bad_value();
      }
      if (!std::isfinite(f))
        return fail("entity key 'embedding' holds " + std::string(text) + ", out of float32 range");
      cur_->embedding.push_back(f);
      return true;
    }
    // RapidJSON 1.1 decodes a \u escape of a lone low surrogate (\uDC00 to
    // \uDFFF) into bytes that are not UTF-8; kept, such a field would reach
    // a store and an export that no import reads back.
    if (v == Value::kString && !sdk::valid_utf8(text)) {
      std::string field = key_ < kKeyCount ? " key '" + std::string(kKeyNames[key_]) + "'" : " string";
      return fail(label() + field + " holds a \\u escape of a lone UTF-16 surrogate, which is not text");
    }
    Fields& f = *cur_;
    switch (key_) {
      case kId:
      case kEntityType:
      case kRelationType:
      case kSourceId:
      case kTargetId:
      case kType:
        if (v != Value::kString) return bad_value();
        f.string_slot(key_)->assign(text);
        return true;
      case kSource:
        if (v == Value::kNull) return true;
        if (v != Value::kString) return bad_value();
        f.source.assign(text);
        f.has_source = true;
        return true;
      case kTenantId:
        if (v == Value::kNull) return true;
        if (v != Value::kString) return bad_value();
        f.tenant_id.assign(text);
        return true;
      case kProperties:
      case kEmbedding:
        return v == Value::kNull ? true : bad_value();
      case kWeight: {
        if (v == Value::kNull) return true;
        if (v != Value::kNumber) return bad_value();
        double w = 0;
        if (!parse_finite_double(text, &w) || !(w >= 0.0 && w <= 1.0)) return bad_value();
        f.weight = w;
        return true;
      }
      case kCreatedAt:
      case kUpdatedAt: {
        Timestamp* slot = key_ == kCreatedAt ? &f.created_at : &f.updated_at;
        if (v == Value::kNull) {
          f.seen &= ~bit(key_);  // null is absent
          return true;
        }
        if (v != Value::kString || !parse_timestamp(text, slot)) return bad_value();
        return true;
      }
      case kData:
        return bad_value();
      default:
        return bad_value();
    }
  }

  const Stream* stream_;
  Expect expect_;
  Fields& top_;
  Fields& data_;
  Fields* cur_ = &top_;
  int depth_ = 0;
  int field_depth_ = 1;
  int value_depth_ = 0;
  Mode mode_ = Mode::kFields;
  KeyId key_ = kUnknown;
  std::string error_;
};

Status missing(RecordKind kind, KeyId k) {
  return InvalidArgument(std::string(kind_name(kind)) + " key '" + kKeyNames[k] + "' is missing");
}

Status check_tenant_text(std::string_view kind, const std::string& tenant) {
  if (sdk::valid_tenant(tenant)) return Status::Ok();
  std::string shown = tenant.size() > 64 ? tenant.substr(0, 64) + "..." : tenant;
  return InvalidArgument(std::string(kind) + " key 'tenant_id': invalid tenant id '" + shown +
                         "': use 1 to 255 letters, digits, '-' or '_'");
}

}  // namespace

Status check_decoded(Record* rec, bool updated_at_given) {
  if (rec->kind == RecordKind::kEntity) {
    Entity& e = rec->entity;
    if (e.id.empty()) return InvalidArgument("entity key 'id' must not be empty");
    if (e.entity_type.empty()) return InvalidArgument("entity key 'entity_type' must not be empty");
    return check_tenant_text("entity", e.tenant_id);
  }
  Relation& r = rec->relation;
  if (r.id.empty()) return InvalidArgument("relation key 'id' must not be empty");
  if (r.relation_type.empty()) return InvalidArgument("relation key 'relation_type' must not be empty");
  if (r.source_id.empty()) return InvalidArgument("relation key 'source_id' must not be empty");
  if (r.target_id.empty()) return InvalidArgument("relation key 'target_id' must not be empty");
  if (!(r.weight >= 0.0 && r.weight <= 1.0))
    return InvalidArgument("relation key 'weight' must be a number from 0.0 to 1.0");
  if (!updated_at_given) r.updated_at = r.created_at;
  return check_tenant_text("relation", r.tenant_id);
}

namespace {

template <class Stream>
Status parse_fields(Stream& stream, Expect expect, Fields* top, Fields* data) {
  thread_local rapidjson::Reader reader;
  Decoder<Stream> d(&stream, expect, top, data);
  rapidjson::ParseResult r = reader.Parse<kFlags>(stream, d);
  if (!r.IsError()) return Status::Ok();
  if (!d.error().empty()) return InvalidArgument(d.error());
  return InvalidArgument("invalid JSON at offset " + std::to_string(r.Offset()) + ": " +
                         rapidjson::GetParseError_En(r.Code()));
}

}  // namespace

Status decode_record(std::string_view text, Expect expect, Record* out, bool padded) {
  if (size_t bad = sdk::utf8_prefix(text, true); bad != text.size())
    return InvalidArgument((text[bad] == '\0' ? "a NUL byte at offset " : "invalid UTF-8 at offset ") +
                           std::to_string(bad));
  thread_local Fields top, data;
  Status s;
  if (padded) {
    rapidjson::StringStream stream(text.data());
    s = parse_fields(stream, expect, &top, &data);
  } else {
    rapidjson::MemoryStream stream(text.data(), text.size());
    s = parse_fields(stream, expect, &top, &data);
  }
  if (!s.ok()) return s;
  Fields* f = &top;
  RecordKind kind = expect == Expect::kRelation ? RecordKind::kRelation : RecordKind::kEntity;
  if (top.seen & bit(kType)) {
    if (top.type != "entity" && top.type != "relation")
      return InvalidArgument("record key 'type' must be \"entity\" or \"relation\"");
    if (!(top.seen & bit(kData))) return InvalidArgument("record key 'data' is missing");
    if (top.seen & ~(bit(kType) | bit(kData))) return InvalidArgument("a record holds only the keys 'type' and 'data'");
    kind = top.type == "entity" ? RecordKind::kEntity : RecordKind::kRelation;
    if (expect == Expect::kEntity && kind != RecordKind::kEntity)
      return InvalidArgument("expected an entity, got a relation record");
    if (expect == Expect::kRelation && kind != RecordKind::kRelation)
      return InvalidArgument("expected a relation, got an entity record");
    f = &data;
  } else if (top.seen & bit(kData)) {
    return InvalidArgument(
        "record key 'type' is missing: a record with 'data' needs \"type\": \"entity\" or \"relation\"");
  }
  uint32_t allowed = kind == RecordKind::kEntity ? kEntityKeys : kRelationKeys;
  if (uint32_t extra = f->seen & ~allowed) {
    for (int k = 0; k < kKeyCount; ++k)
      if (extra & bit(static_cast<KeyId>(k)))
        return InvalidArgument("unknown " + std::string(kind_name(kind)) + " key '" + kKeyNames[k] + "'");
  }
  std::string_view props = f->props_end != 0 ? text.substr(f->props_begin, f->props_end - f->props_begin) : "{}";
  out->kind = kind;
  if (kind == RecordKind::kEntity) {
    if (!(f->seen & bit(kId))) return missing(kind, kId);
    if (!(f->seen & bit(kEntityType))) return missing(kind, kEntityType);
    Entity& e = out->entity;
    e.id.swap(f->id);
    e.entity_type.swap(f->entity_type);
    e.properties.assign(props);
    e.embedding.swap(f->embedding);
    e.created_at = f->created_at;
    e.updated_at = f->updated_at;
    if (f->has_source) {
      e.source = std::move(f->source);
    } else {
      e.source.reset();
    }
    e.tenant_id.swap(f->tenant_id);
    return check_decoded(out, true);
  }
  for (KeyId k : {kId, kRelationType, kSourceId, kTargetId})
    if (!(f->seen & bit(k))) return missing(kind, k);
  Relation& rel = out->relation;
  rel.id.swap(f->id);
  rel.relation_type.swap(f->relation_type);
  rel.source_id.swap(f->source_id);
  rel.target_id.swap(f->target_id);
  rel.properties.assign(props);
  rel.weight = f->weight;
  rel.created_at = f->created_at;
  rel.updated_at = f->updated_at;
  if (f->has_source) {
    rel.source = std::move(f->source);
  } else {
    rel.source.reset();
  }
  rel.tenant_id.swap(f->tenant_id);
  return check_decoded(out, (f->seen & bit(kUpdatedAt)) != 0);
}

namespace {

// Accepts a JSON object (or, for embeddings, an array of numbers) within the
// nesting cap.
struct ShapeCheck : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, ShapeCheck> {
  enum class Want { kObject, kNumbers };
  explicit ShapeCheck(Want w, std::vector<float>* numbers = nullptr) : want(w), out(numbers) {}
  Want want;
  std::vector<float>* out;
  int depth = 0;
  bool is_null = false;
  std::string error;

  bool Default() {
    if (depth == 0) {
      error = "not a JSON object";
      return false;
    }
    if (want == Want::kNumbers) {
      error = "not a number";
      return false;
    }
    return true;
  }
  bool Null() {
    if (depth == 0) {
      is_null = true;
      return true;
    }
    return Default();
  }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    if (want == Want::kObject) return depth == 0 ? Default() : true;
    if (depth != 1) return Default();
    float f = 0;
    auto [end, ec] = std::from_chars(s, s + n, f);
    if (ec == std::errc::result_out_of_range) {
      f = static_cast<float>(std::strtod(std::string(s, n).c_str(), nullptr));
    } else if (ec != std::errc() || end != s + n) {
      return Default();
    }
    if (!std::isfinite(f)) {
      error = std::string(s, n) + " is out of float32 range";
      return false;
    }
    out->push_back(f);
    return true;
  }
  bool open(bool object) {
    if (++depth > kMaxJsonDepth) {
      error = "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
      return false;
    }
    if (depth == 1 && object != (want == Want::kObject)) {
      error = want == Want::kObject ? "not a JSON object" : "not an array of numbers";
      return false;
    }
    if (depth > 1 && want == Want::kNumbers) {
      error = "not a number";
      return false;
    }
    return true;
  }
  bool StartObject() { return open(true); }
  bool StartArray() { return open(false); }
  bool EndObject(rapidjson::SizeType) {
    --depth;
    return true;
  }
  bool EndArray(rapidjson::SizeType) {
    --depth;
    return true;
  }
};

Status run_check(std::string_view text, ShapeCheck* h, const char* what) {
  rapidjson::MemoryStream stream(text.data(), text.size());
  rapidjson::Reader reader;
  rapidjson::ParseResult r = reader.Parse<kCheckFlags>(stream, *h);
  if (r.IsError()) {
    if (!h->error.empty()) return InvalidArgument(std::string(what) + ": " + h->error);
    return InvalidArgument(std::string(what) + ": invalid JSON at offset " + std::to_string(r.Offset()) + ": " +
                           rapidjson::GetParseError_En(r.Code()));
  }
  return Status::Ok();
}

}  // namespace

Status check_properties_text(std::string_view text) {
  ShapeCheck h(ShapeCheck::Want::kObject);
  Status s = run_check(text, &h, "properties");
  if (s.ok() && h.is_null) return InvalidArgument("properties: not a JSON object");
  return s;
}

Status parse_embedding_text(std::string_view text, std::vector<float>* out) {
  out->clear();
  ShapeCheck h(ShapeCheck::Want::kNumbers, out);
  Status s = run_check(text, &h, "embedding");
  if (!s.ok()) out->clear();
  return s;
}

}  // namespace graphstore::io

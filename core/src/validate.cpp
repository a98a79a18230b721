#include "validate.hpp"

#include <cmath>
#include <string>

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include "graphstore/scoring.hpp"

namespace graphstore {
namespace {

constexpr size_t kMaxIdBytes = 4096;

// Accepts any JSON and remembers whether the root is an object.
struct RootKind : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, RootKind> {
  int depth = 0;
  bool root_object = false;
  bool Default() { return true; }
  bool StartObject() {
    if (depth++ == 0) root_object = true;
    return true;
  }
  bool EndObject(rapidjson::SizeType) {
    --depth;
    return true;
  }
  bool StartArray() {
    ++depth;
    return true;
  }
  bool EndArray(rapidjson::SizeType) {
    --depth;
    return true;
  }
};

}  // namespace

bool valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size(), i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

Status check_json_object(std::string_view text, std::string_view what) {
  RootKind h;
  rapidjson::Reader reader;
  rapidjson::MemoryStream ms(text.data(), text.size());
  auto r = reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(ms, h);
  if (r.IsError())
    return InvalidArgument(std::string(what) + ": malformed JSON at offset " + std::to_string(r.Offset()) + ": " +
                           rapidjson::GetParseError_En(r.Code()));
  if (!h.root_object) return InvalidArgument(std::string(what) + ": must be a JSON object");
  return Status::Ok();
}

Status check_tenant(std::string_view tenant) {
  if (sdk::valid_tenant(tenant)) return Status::Ok();
  return InvalidArgument("invalid tenant id '" + std::string(tenant.substr(0, 64)) +
                         "': use 1 to 255 letters, digits, '-' or '_'");
}

Status check_id(std::string_view id, std::string_view what) {
  if (id.empty()) return InvalidArgument(std::string(what) + " must not be empty");
  if (id.size() > kMaxIdBytes)
    return InvalidArgument(std::string(what) + " is longer than " + std::to_string(kMaxIdBytes) + " bytes");
  if (!valid_utf8(id)) return InvalidArgument(std::string(what) + " is not valid UTF-8");
  return Status::Ok();
}

static Status check_common(std::string_view tenant, std::string_view kind, const std::string& id,
                           const std::string& type, const std::string& properties,
                           const std::optional<std::string>& source, const std::string& record_tenant) {
  if (Status s = check_tenant(tenant); !s.ok()) return s;
  if (Status s = check_id(id, std::string(kind) + " id"); !s.ok()) return s;
  std::string what = std::string(kind) + " '" + id + "'";
  if (Status s = check_id(type, what + ": type"); !s.ok()) return s;
  if (Status s = check_json_object(properties, what + ": properties"); !s.ok()) return s;
  if (source && !valid_utf8(*source)) return InvalidArgument(what + ": source is not valid UTF-8");
  if (!record_tenant.empty() && record_tenant != tenant)
    return InvalidArgument(what + ": tenant_id '" + record_tenant + "' differs from the call's tenant '" +
                           std::string(tenant) + "'");
  return Status::Ok();
}

Status check_entity(std::string_view tenant, const Entity& e) {
  if (Status s = check_common(tenant, "entity", e.id, e.entity_type, e.properties, e.source, e.tenant_id); !s.ok())
    return s;
  for (float x : e.embedding)
    if (!std::isfinite(x)) return InvalidArgument("entity '" + e.id + "': embedding holds a non-finite value");
  return Status::Ok();
}

Status check_relation(std::string_view tenant, const Relation& r) {
  if (Status s = check_common(tenant, "relation", r.id, r.relation_type, r.properties, r.source, r.tenant_id);
      !s.ok())
    return s;
  std::string what = "relation '" + r.id + "'";
  if (Status s = check_id(r.source_id, what + ": source_id"); !s.ok()) return s;
  if (Status s = check_id(r.target_id, what + ": target_id"); !s.ok()) return s;
  if (!std::isfinite(r.weight) || r.weight < 0.0 || r.weight > 1.0)
    return InvalidArgument(what + ": weight " + std::to_string(r.weight) + " is outside [0, 1]");
  return Status::Ok();
}

}  // namespace graphstore

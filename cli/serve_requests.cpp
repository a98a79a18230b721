#include "serve_requests.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <initializer_list>
#include <unordered_set>

#include "graphstore/quote.hpp"
#include "graphstore/utf8.hpp"
#include "json_writer.hpp"
#include "reports.hpp"
#include "results.hpp"

namespace graphstore::cli {
namespace {

using Doc = rapidjson::Document;

std::string text_of(const rapidjson::Value& v) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  v.Accept(w);
  return std::string(sb.GetString(), sb.GetSize());
}

// A string member, or "" when absent or null; false when present and not a
// string.
bool string_member(const Doc& d, const char* key, std::string* out) {
  auto it = d.FindMember(key);
  if (it == d.MemberEnd() || it->value.IsNull()) return true;
  if (!it->value.IsString()) return false;
  out->assign(it->value.GetString(), it->value.GetStringLength());
  return true;
}

// The keys each op reads besides "op" and "request_id"; any other key is an
// error, so a misspelt field never silently falls back to its default.
struct OpKeys {
  const char* op;
  std::initializer_list<const char*> keys;
};
const OpKeys kOps[] = {
    {"add_entity", {"tenant", "entity"}},
    {"update_entity", {"tenant", "entity"}},
    {"delete_entity", {"tenant", "id"}},
    {"get_entity", {"tenant", "id"}},
    {"add_relation", {"tenant", "relation"}},
    {"update_relation", {"tenant", "relation"}},
    {"delete_relation", {"tenant", "id"}},
    {"get_relation", {"tenant", "id"}},
    {"neighbors", {"tenant", "id", "direction", "relation_type"}},
    {"stats", {"tenant"}},
    {"state", {}},
    {"health", {}},
    {"backend", {}},
    {"reload", {}},
};

std::string op_names() {
  std::string names;
  for (const auto& o : kOps) names += std::string(names.empty() ? "" : ", ") + o.op;
  return names;
}

// Longest request_id echoed; a longer one is refused rather than cut, so a
// client never matches an answer to the wrong request.
constexpr size_t kMaxRequestIdBytes = 256;

// INVALID_ARGUMENT for a key that appears twice (RapidJSON keeps both, and
// a proxy reading the last one would disagree with us reading the first),
// a malformed request_id, or a missing or unknown op; else OK with *keys
// the op's allowed keys.
Status check_request_shape(const Doc& request, const OpKeys** keys) {
  std::unordered_set<std::string_view> seen;
  for (auto m = request.MemberBegin(); m != request.MemberEnd(); ++m) {
    std::string_view name(m->name.GetString(), m->name.GetStringLength());
    if (!seen.insert(name).second) return InvalidArgument("key " + sdk::quoted_prefix(name) + " appears twice");
  }
  if (auto it = request.FindMember("request_id"); it != request.MemberEnd()) {
    const auto& v = it->value;
    if (!v.IsString() && !v.IsNumber()) return InvalidArgument("key 'request_id': expected a string or a number");
    if (v.IsString() && v.GetStringLength() > kMaxRequestIdBytes)
      return InvalidArgument("key 'request_id': longer than " + std::to_string(kMaxRequestIdBytes) + " bytes");
    // Echoed as is, so it must be text: raw bytes that are not UTF-8, or a
    // \u escape of a lone surrogate, would make the answer unreadable JSON.
    if (v.IsString() && !sdk::valid_utf8(std::string_view(v.GetString(), v.GetStringLength())))
      return InvalidArgument("key 'request_id': not valid UTF-8 text");
  }
  auto op = request.FindMember("op");
  if (op == request.MemberEnd() || !op->value.IsString() || op->value.GetStringLength() == 0)
    return InvalidArgument("key 'op': expected the name of an operation (" + op_names() + ")");
  std::string_view name(op->value.GetString(), op->value.GetStringLength());
  *keys = nullptr;
  for (const auto& o : kOps)
    if (name == o.op) *keys = &o;
  if (*keys == nullptr) return InvalidArgument("unknown op " + sdk::quoted_prefix(name) + " (" + op_names() + ")");
  for (auto m = request.MemberBegin(); m != request.MemberEnd(); ++m) {
    std::string_view key(m->name.GetString(), m->name.GetStringLength());
    bool known = key == "op" || key == "request_id";
    for (const char* k : (*keys)->keys) known = known || key == k;
    if (known) continue;
    std::string allowed = "op, request_id";
    for (const char* k : (*keys)->keys) allowed += std::string(", ") + k;
    return InvalidArgument("unknown key " + sdk::quoted_prefix(key) + " for op '" + (*keys)->op + "' (it takes " +
                           allowed + ")");
  }
  return Status::Ok();
}

// The neighbors request's direction: "out", "in" or "both" (the default).
Status direction_member(const Doc& request, Direction* out) {
  *out = Direction::kBoth;
  auto it = request.FindMember("direction");
  if (it == request.MemberEnd() || it->value.IsNull()) return Status::Ok();
  if (!it->value.IsString()) return InvalidArgument("key 'direction': expected \"out\", \"in\" or \"both\"");
  std::string_view d(it->value.GetString(), it->value.GetStringLength());
  if (d == "out") return *out = Direction::kOut, Status::Ok();
  if (d == "in") return *out = Direction::kIn, Status::Ok();
  if (d == "both") return Status::Ok();
  return InvalidArgument("key 'direction': " + sdk::quoted_prefix(d) + " is not one of out, in, both");
}

class Response {
 public:
  // Echoes the request's request_id when request is given (its shape
  // checked by check_request_shape).
  explicit Response(const Doc* request) : w_(sb_) {
    w_.StartObject();
    if (request != nullptr) {
      auto it = request->FindMember("request_id");
      if (it != request->MemberEnd()) {
        w_.Key("request_id");
        it->value.Accept(w_);
      }
    }
  }
  JsonWriter& ok() {
    w_.Key("ok");
    w_.Bool(true);
    return w_;
  }
  // The store's message may quote the request's id whole (an id may hold
  // 4,096 bytes); set by answer() so that error() quotes a short prefix.
  void quote_briefly(std::string_view value) { value_ = std::string(value); }
  std::string error(const Status& s) {
    write_failure_members(w_, code_name(s.code()), briefly(s.message()));
    return finish();
  }
  std::string finish() {
    w_.EndObject();
    return std::string(sb_.GetString(), sb_.GetSize());
  }

 private:
  // message with every quoted copy of value_ (longer than kQuotedPrefixBytes)
  // replaced by sdk::quoted_prefix's bounded form. A copy may be cut short
  // where the plugin's message was (the ABI's error buffer holds 1,023 bytes).
  std::string briefly(const std::string& message) const {
    if (value_.size() <= sdk::kQuotedPrefixBytes) return message;
    const std::string head = "'" + value_.substr(0, sdk::kQuotedPrefixBytes);
    std::string out;
    size_t from = 0;
    for (size_t at; (at = message.find(head, from)) != std::string::npos;) {
      size_t end = at + head.size(), matched = sdk::kQuotedPrefixBytes;
      while (matched < value_.size() && end < message.size() && message[end] == value_[matched]) ++end, ++matched;
      if (matched == value_.size() && end < message.size() && message[end] == '\'') ++end;
      out.append(message, from, at - from);
      out += sdk::quoted_prefix(value_);
      from = end;
    }
    out.append(message, from);
    return out;
  }

  rapidjson::StringBuffer sb_;
  JsonWriter w_;
  std::string value_;
};

std::string answer(ServeHost& host, const Doc& request, const OpKeys& keys, Response& r) {
  std::string op = keys.op, tenant, id;
  if (!string_member(request, "tenant", &tenant)) return r.error(InvalidArgument("key 'tenant': expected a string"));
  bool takes_id = false;
  for (const char* k : keys.keys) takes_id = takes_id || std::string_view(k) == "id";
  if (takes_id) {
    auto it = request.FindMember("id");
    if (it == request.MemberEnd() || !it->value.IsString())
      return r.error(InvalidArgument("key 'id': expected the id (a string)"));
    id.assign(it->value.GetString(), it->value.GetStringLength());
    r.quote_briefly(id);
  }
  StoreHandle& h = *host.handle;
  auto record_text = [&](const char* key, std::string* out) {
    auto it = request.FindMember(key);
    if (it == request.MemberEnd() || !it->value.IsObject()) return false;
    *out = text_of(it->value);
    return true;
  };
  auto done = [&](const Status& s) { return s.ok() ? (r.ok(), r.finish()) : r.error(s); };

  if (op == "add_entity" || op == "update_entity") {
    std::string text;
    Entity e;
    if (!record_text("entity", &text)) return r.error(InvalidArgument("key 'entity': expected an entity object"));
    if (Status s = parse_entity_text(text, &e); !s.ok()) return r.error(Status(s.code(), "entity: " + s.message()));
    return done(op == "add_entity" ? h.add_entity(tenant, e) : h.update_entity(tenant, e));
  }
  if (op == "add_relation" || op == "update_relation") {
    std::string text;
    Relation rel;
    if (!record_text("relation", &text)) return r.error(InvalidArgument("key 'relation': expected a relation object"));
    if (Status s = parse_relation_text(text, &rel); !s.ok())
      return r.error(Status(s.code(), "relation: " + s.message()));
    return done(op == "add_relation" ? h.add_relation(tenant, rel) : h.update_relation(tenant, rel));
  }
  if (op == "delete_entity") return done(h.delete_entity(tenant, id));
  if (op == "delete_relation") return done(h.delete_relation(tenant, id));
  if (op == "get_entity") {
    Entity e;
    Status s = h.with_store([&](Store& st) { return st.get_entity(tenant, id, &e); });
    if (!s.ok()) return r.error(s);
    JsonWriter& w = r.ok();
    w.Key("entity");
    write_entity(w, e);
    return r.finish();
  }
  if (op == "get_relation") {
    Relation rel;
    Status s = h.with_store([&](Store& st) { return st.get_relation(tenant, id, &rel); });
    if (!s.ok()) return r.error(s);
    JsonWriter& w = r.ok();
    w.Key("relation");
    write_relation(w, rel);
    return r.finish();
  }
  if (op == "neighbors") {
    Direction direction;
    if (Status s = direction_member(request, &direction); !s.ok()) return r.error(s);
    std::string relation_type;
    if (!string_member(request, "relation_type", &relation_type))
      return r.error(InvalidArgument("key 'relation_type': expected a string"));
    std::vector<Neighbor> out;
    Status s = h.with_store([&](Store& st) { return st.get_neighbors(tenant, id, direction, relation_type, &out); });
    if (!s.ok()) return r.error(s);
    JsonWriter& w = r.ok();
    w.Key("neighbors");
    write_neighbors(w, out);
    return r.finish();
  }
  if (op == "stats") {
    Stats stats;
    Status s = h.with_store([&](Store& st) { return st.get_stats(tenant, &stats); });
    if (!s.ok()) return r.error(s);
    write_stats_members(r.ok(), stats);
    return r.finish();
  }
  if (op == "state") {
    StoreState state;
    Status s = h.with_store([&](Store& st) { return st.state(&state); });
    if (!s.ok()) return r.error(s);
    JsonWriter& w = r.ok();
    w.Key("state");
    write_state(w, state);
    return r.finish();
  }
  if (op == "health") {
    double seconds = 0;
    Status s = h.with_store([&](Store& st) { return st.probe(&seconds); });
    if (!s.ok()) return r.error(s);
    JsonWriter& w = r.ok();
    w.Key("latency_ms");
    w.Double(seconds * 1e3);
    return r.finish();
  }
  if (op == "backend") {
    JsonWriter& w = r.ok();
    w.Key("backend");
    write_string(w, h.plugin().id);
    w.Key("environment");
    write_string(w, host.environment);
    w.Key("swaps");
    w.Uint64(host.swaps->load());
    return r.finish();
  }
  if (op == "reload") return done(host.reload());
  return r.error(Status(Code::kInternal, "op '" + op + "' has no handler"));
}

}  // namespace

std::string answer_request(ServeHost& host, std::string_view line, uint64_t line_number) {
  try {
    Doc request;
    request.Parse<rapidjson::kParseIterativeFlag>(line.data(), line.size());
    if (request.HasParseError() || !request.IsObject()) {
      Response r(nullptr);
      std::string why = request.HasParseError() ? std::string(rapidjson::GetParseError_En(request.GetParseError())) +
                                                      " at offset " + std::to_string(request.GetErrorOffset())
                                                : std::string("expected a JSON object");
      return r.error(InvalidArgument("line " + std::to_string(line_number) + ": " + why));
    }
    const OpKeys* keys = nullptr;
    if (Status s = check_request_shape(request, &keys); !s.ok()) {
      Response r(nullptr);
      return r.error(InvalidArgument("line " + std::to_string(line_number) + ": " + s.message()));
    }
    Response r(&request);
    return answer(host, request, *keys, r);
  } catch (const std::exception& e) {
    Response r(nullptr);
    return r.error(Status(Code::kInternal, "line " + std::to_string(line_number) + ": " + e.what()));
  }
}

std::string answer_too_long(uint64_t line_number, uint64_t bytes, uint64_t max_bytes) {
  Response r(nullptr);
  return r.error(InvalidArgument("line " + std::to_string(line_number) + ": the request is " + std::to_string(bytes) +
                                 " bytes, over the limit of " + std::to_string(max_bytes) +
                                 " (--max-request-bytes); it was skipped unread"));
}

}  // namespace graphstore::cli

#include "serve_requests.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "graphstore/record_json.hpp"
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

// A string member, or "" when absent; false when present and not a string.
bool string_member(const Doc& d, const char* key, std::string* out) {
  auto it = d.FindMember(key);
  if (it == d.MemberEnd() || it->value.IsNull()) return true;
  if (!it->value.IsString()) return false;
  out->assign(it->value.GetString(), it->value.GetStringLength());
  return true;
}

class Response {
 public:
  explicit Response(const Doc* request) : w_(sb_) {
    w_.StartObject();
    if (request != nullptr && request->IsObject()) {
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
  std::string error(const Status& s) {
    w_.Key("ok");
    w_.Bool(false);
    w_.Key("code");
    w_.String(code_name(s.code()));
    w_.Key("error");
    write_string(w_, s.message());
    return finish();
  }
  std::string finish() {
    w_.EndObject();
    return std::string(sb_.GetString(), sb_.GetSize());
  }

 private:
  rapidjson::StringBuffer sb_;
  JsonWriter w_;
};

std::string answer(ServeHost& host, const Doc& request, Response& r) {
  std::string op, tenant, id;
  if (!string_member(request, "op", &op) || op.empty())
    return r.error(InvalidArgument("key 'op': expected the name of an operation"));
  if (!string_member(request, "tenant", &tenant)) return r.error(InvalidArgument("key 'tenant': expected a string"));
  if (!string_member(request, "id", &id)) return r.error(InvalidArgument("key 'id': expected a string"));
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
    std::vector<Neighbor> out;
    Status s = h.with_store([&](Store& st) { return st.get_neighbors(tenant, id, Direction::kBoth, "", &out); });
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
    std::vector<std::pair<std::string, std::string>> state;
    Status s = h.with_store([&](Store& st) { return st.state(&state); });
    if (!s.ok()) return r.error(s);
    JsonWriter& w = r.ok();
    w.Key("state");
    w.StartObject();
    for (const auto& [k, v] : state) {
      write_string(w, k);
      write_string(w, v);
    }
    w.EndObject();
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
  return r.error(InvalidArgument("unknown op '" + op +
                                 "' (add_entity, update_entity, delete_entity, get_entity, add_relation, "
                                 "update_relation, delete_relation, get_relation, neighbors, stats, state, "
                                 "health, backend, reload)"));
}

}  // namespace

std::string answer_request(ServeHost& host, std::string_view line, uint64_t line_number) {
  try {
    Doc request;
    request.Parse<rapidjson::kParseIterativeFlag>(line.data(), line.size());
    if (request.HasParseError() || !request.IsObject()) {
      Response r(nullptr);
      std::string why = request.HasParseError()
                            ? std::string(rapidjson::GetParseError_En(request.GetParseError())) + " at offset " +
                                  std::to_string(request.GetErrorOffset())
                            : std::string("expected a JSON object");
      return r.error(InvalidArgument("line " + std::to_string(line_number) + ": " + why));
    }
    Response r(&request);
    return answer(host, request, r);
  } catch (const std::exception& e) {
    Response r(nullptr);
    return r.error(Status(Code::kInternal, "line " + std::to_string(line_number) + ": " + e.what()));
  }
}

}  // namespace graphstore::cli

#include "jsonl_reader.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <fstream>
#include <string>

#include "record_json.hpp"

namespace graphstore::cli {

Status read_jsonl(const std::filesystem::path& file, Dataset* out) {
  *out = Dataset{};
  if (file.extension() == ".gz")
    return InvalidArgument(file.string() + ": gzip input is not supported here; decompress it first");
  std::ifstream in(file, std::ios::binary);
  if (!in) return NotFound(file.string() + ": cannot open");
  std::string line;
  for (size_t line_no = 1; std::getline(in, line); ++line_no) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto where = [&] { return file.string() + ":" + std::to_string(line_no) + ": "; };
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseFullPrecisionFlag>(line.data(), line.size());
    if (doc.HasParseError())
      return InvalidArgument(where() + "invalid JSON at column " + std::to_string(doc.GetErrorOffset() + 1) + ": " +
                             rapidjson::GetParseError_En(doc.GetParseError()));
    RecordKind kind;
    const rapidjson::Value* data = nullptr;
    Status s = unwrap_record(doc, &kind, &data);
    if (s.ok() && kind == RecordKind::kEntity) {
      s = entity_from_json(*data, &out->entities.emplace_back());
    } else if (s.ok()) {
      s = relation_from_json(*data, &out->relations.emplace_back());
    }
    if (!s.ok()) return InvalidArgument(where() + s.message());
  }
  if (in.bad()) return Internal(file.string() + ": read error");
  return Status::Ok();
}

}  // namespace graphstore::cli

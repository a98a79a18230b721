#include "options.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "graphstore/options.hpp"

namespace graphstore::sqlite {
namespace {

std::string upper(std::string s) {
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
  return s;
}

// Accepts value (case-insensitive) when it is one of allowed; *out becomes
// the canonical upper-case spelling.
sdk::Status one_of(const char* key, const std::string& value, const std::vector<std::string>& allowed,
                   std::string* out) {
  std::string v = upper(value);
  if (std::find(allowed.begin(), allowed.end(), v) != allowed.end()) {
    *out = v;
    return sdk::Status::Ok();
  }
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  return sdk::make_error(GS_INVALID_ARGUMENT,
                         std::string("option '") + key + "': '" + value + "' is not one of " + list);
}

}  // namespace

int Options::timeout_ms() const { return int(std::lround(timeout_s * 1000.0)); }

sdk::Status parse_options(std::string_view options_json, Options* out) {
  sdk::Options o;
  if (sdk::Status s = sdk::Options::parse(options_json, &o); !s.ok()) return s;
  if (sdk::Status s = o.check_known({"path", "timeout", "journal_mode", "synchronous", "cache_size", "mmap_size",
                                     "wal_autocheckpoint", "read_only", "check_same_thread", "vector_index", "hnsw_m",
                                     "hnsw_ef_construction", "hnsw_ef_search", "hnsw_metric"});
      !s.ok())
    return s;
  Options opt;
  if (!o.has("path"))
    return sdk::make_error(GS_INVALID_ARGUMENT, "option 'path': required (a database file, or \":memory:\")");
  if (sdk::Status s = o.get_string("path", &opt.path); !s.ok()) return s;
  if (opt.path.empty()) return sdk::make_error(GS_INVALID_ARGUMENT, "option 'path': must not be empty");
  if (opt.path.find('\0') != std::string::npos)
    return sdk::make_error(GS_INVALID_ARGUMENT, "option 'path': must not contain a NUL byte");
  // libsqlite3 may be built to read any name starting "file:" as a URI
  // (Debian's is), whose query string would set open options (nolock,
  // mode=memory, vfs) behind the plugin's back. path is a file system path
  // only, so such a name is refused rather than guessed at.
  if (upper(opt.path.substr(0, 5)) == "FILE:")
    return sdk::make_error(GS_INVALID_ARGUMENT,
                           "option 'path': '" + opt.path.substr(0, 64) +
                               "' starts with \"file:\", which SQLite may read as a URI; give a plain file system "
                               "path (e.g. ./file:name.db for a file of that name)");
  if (sdk::Status s = o.get_double("timeout", &opt.timeout_s); !s.ok()) return s;
  if (!std::isfinite(opt.timeout_s) || opt.timeout_s < 0 || opt.timeout_s > 86400)
    return sdk::make_error(GS_INVALID_ARGUMENT, "option 'timeout': seconds must lie in [0, 86400]");
  std::string journal;
  if (sdk::Status s = o.get_string("journal_mode", &journal); !s.ok()) return s;
  if (o.has("journal_mode"))
    if (sdk::Status s = one_of("journal_mode", journal, {"WAL", "DELETE", "TRUNCATE", "PERSIST", "MEMORY", "OFF"},
                               &opt.journal_mode);
        !s.ok())
      return s;
  std::string sync;
  if (sdk::Status s = o.get_string("synchronous", &sync); !s.ok()) return s;
  if (o.has("synchronous"))
    if (sdk::Status s = one_of("synchronous", sync, {"OFF", "NORMAL", "FULL", "EXTRA"}, &opt.synchronous); !s.ok())
      return s;
  if (sdk::Status s = o.get_int("cache_size", &opt.cache_size, -(int64_t(1) << 40), int64_t(1) << 31); !s.ok())
    return s;
  if (sdk::Status s = o.get_int("mmap_size", &opt.mmap_size, 0, int64_t(1) << 46); !s.ok()) return s;
  if (sdk::Status s = o.get_int("wal_autocheckpoint", &opt.wal_autocheckpoint, 0, int64_t(1) << 31); !s.ok()) return s;
  if (sdk::Status s = o.get_bool("read_only", &opt.read_only); !s.ok()) return s;
  if (sdk::Status s = o.get_bool("check_same_thread", &opt.check_same_thread); !s.ok()) return s;
  if (sdk::Status s = hnsw::read_vector_index_options(o, &opt.vectors); !s.ok()) return s;
  if (opt.in_memory() && opt.read_only)
    return sdk::make_error(GS_INVALID_ARGUMENT, "option 'read_only': a \":memory:\" database cannot be read-only");
  *out = std::move(opt);
  return sdk::Status::Ok();
}

}  // namespace graphstore::sqlite

#include "io/spool.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace graphstore::io {
namespace {

void put_u64(std::string* b, uint64_t v) { b->append(reinterpret_cast<const char*>(&v), sizeof v); }
void put_str(std::string* b, std::string_view s) {
  put_u64(b, s.size());
  b->append(s);
}

struct Cursor {
  const char* p;
  const char* end;
  bool u64(uint64_t* v) {
    if (size_t(end - p) < sizeof *v) return false;
    std::memcpy(v, p, sizeof *v);
    p += sizeof *v;
    return true;
  }
  bool str(std::string* s) {
    uint64_t n = 0;
    if (!u64(&n) || uint64_t(end - p) < n) return false;
    s->assign(p, n);
    p += n;
    return true;
  }
};

}  // namespace

RelationSpool::~RelationSpool() {
  if (f_ != nullptr) std::fclose(f_);
}

Status RelationSpool::write(const Relation& r, uint32_t file_index, uint64_t line) {
  if (f_ == nullptr) {
    std::string tmpl =
        ((dir_.empty() ? std::filesystem::temp_directory_path() : dir_) / "graphstore-spool-XXXXXX").string();
    int fd = mkstemp(tmpl.data());
    if (fd < 0) return Internal("cannot create a spool file in " + tmpl + ": " + std::strerror(errno));
    ::unlink(tmpl.c_str());
    f_ = fdopen(fd, "w+b");
    if (f_ == nullptr) {
      ::close(fd);
      return Internal("cannot open the spool file: " + std::string(std::strerror(errno)));
    }
    std::setvbuf(f_, nullptr, _IOFBF, 1 << 20);
  }
  buf_.clear();
  put_u64(&buf_, file_index);
  put_u64(&buf_, line);
  put_str(&buf_, r.id);
  put_str(&buf_, r.relation_type);
  put_str(&buf_, r.source_id);
  put_str(&buf_, r.target_id);
  put_str(&buf_, r.properties);
  uint64_t w = 0;
  std::memcpy(&w, &r.weight, sizeof w);
  put_u64(&buf_, w);
  put_u64(&buf_, static_cast<uint64_t>(r.created_at));
  put_u64(&buf_, static_cast<uint64_t>(r.updated_at));
  put_u64(&buf_, r.source ? 1 : 0);
  put_str(&buf_, r.source ? *r.source : std::string());
  put_str(&buf_, r.tenant_id);
  uint64_t size = buf_.size();
  if (std::fwrite(&size, sizeof size, 1, f_) != 1 || std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size())
    return Internal("spool file: write error: " + std::string(std::strerror(errno)));
  ++count_;
  return Status::Ok();
}

Status RelationSpool::rewind() {
  if (f_ == nullptr) return Status::Ok();
  if (std::fflush(f_) != 0 || std::fseek(f_, 0, SEEK_SET) != 0)
    return Internal("spool file: " + std::string(std::strerror(errno)));
  return Status::Ok();
}

bool RelationSpool::read(Relation* r, uint32_t* file_index, uint64_t* line, Status* error) {
  *error = Status::Ok();
  if (f_ == nullptr) return false;
  uint64_t size = 0;
  if (std::fread(&size, sizeof size, 1, f_) != 1) return false;
  buf_.resize(size);
  if (std::fread(buf_.data(), 1, size, f_) != size) {
    *error = Internal("spool file: short read");
    return false;
  }
  Cursor c{buf_.data(), buf_.data() + buf_.size()};
  uint64_t fi = 0, w = 0, created = 0, updated = 0, has_source = 0;
  std::string source;
  bool ok = c.u64(&fi) && c.u64(line) && c.str(&r->id) && c.str(&r->relation_type) && c.str(&r->source_id) &&
            c.str(&r->target_id) && c.str(&r->properties) && c.u64(&w) && c.u64(&created) && c.u64(&updated) &&
            c.u64(&has_source) && c.str(&source) && c.str(&r->tenant_id);
  if (!ok) {
    *error = Internal("spool file: corrupt record");
    return false;
  }
  *file_index = static_cast<uint32_t>(fi);
  std::memcpy(&r->weight, &w, sizeof w);
  r->created_at = static_cast<Timestamp>(created);
  r->updated_at = static_cast<Timestamp>(updated);
  if (has_source) {
    r->source = std::move(source);
  } else {
    r->source.reset();
  }
  return true;
}

}  // namespace graphstore::io

// The replaced global allocation functions (see failing_new.hpp). Every form
// goes through allocate() and release(), over malloc/posix_memalign and free,
// so a block from any form may be freed by any delete.
#include "failing_new.hpp"

#include <cstddef>
#include <cstdlib>
#include <new>

namespace alloc_failure {
namespace {

// Plain thread-locals of the executable: static TLS, no constructor, so
// reading them never allocates (which would recurse into operator new).
thread_local bool t_armed = false;
thread_local uint64_t t_count = 0;
thread_local uint64_t t_fail_at = 0;
thread_local bool t_failed = false;

bool fail_this_one() {
  if (!t_armed) return false;
  if (++t_count != t_fail_at) return false;
  t_failed = true;
  return true;
}

void* allocate(std::size_t n, std::size_t align) {
  if (fail_this_one()) return nullptr;
  if (n == 0) n = 1;  // operator new never returns nullptr for size 0
  if (align <= alignof(std::max_align_t)) return std::malloc(n);
  void* p = nullptr;
  return posix_memalign(&p, align, n) == 0 ? p : nullptr;
}

void* allocate_or_throw(std::size_t n, std::size_t align) {
  void* p = allocate(n, align);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

}  // namespace

void arm(uint64_t n) {
  t_count = 0;
  t_fail_at = n;
  t_failed = false;
  t_armed = true;
}

Outcome disarm() {
  t_armed = false;
  return Outcome{t_count, t_failed};
}

}  // namespace alloc_failure

using alloc_failure::allocate;
using alloc_failure::allocate_or_throw;

void* operator new(std::size_t n) { return allocate_or_throw(n, 0); }
void* operator new[](std::size_t n) { return allocate_or_throw(n, 0); }
void* operator new(std::size_t n, std::align_val_t a) { return allocate_or_throw(n, std::size_t(a)); }
void* operator new[](std::size_t n, std::align_val_t a) { return allocate_or_throw(n, std::size_t(a)); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return allocate(n, 0); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return allocate(n, 0); }
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return allocate(n, std::size_t(a));
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return allocate(n, std::size_t(a));
}

void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }

// PyStore: what a Python Store (or StoreHandle) holds. It owns one host
// Store, or one StoreHandle, and runs every call into it with the GIL
// released; it closes deterministically (close(), `with`) or when collected.
//
// Calls and close() never overlap: every call registers itself (with the
// GIL held) before releasing the GIL, and close() waits, without the GIL,
// until the calls under way have returned. A store of a plugin that is not
// thread-safe is serialised by the core, not here.
#ifndef GRAPHSTORE_PY_STORE_OBJECT_HPP
#define GRAPHSTORE_PY_STORE_OBJECT_HPP

#include <pybind11/pybind11.h>

#include <memory>
#include <string>
#include <string_view>

#include "graphstore/store.hpp"
#include "graphstore/store_handle.hpp"
#include "gil.hpp"
#include "records.hpp"

namespace gspy {

namespace py = pybind11;

class PyStore {
 public:
  PyStore(std::unique_ptr<graphstore::Store> store, std::string tenant);
  PyStore(std::unique_ptr<graphstore::StoreHandle> handle, std::string tenant);
  // Closes what is still open (GC): never while a call runs, since a call
  // holds a reference to its store.
  ~PyStore();
  PyStore(const PyStore&) = delete;
  PyStore& operator=(const PyStore&) = delete;

  // Runs fn(graphstore::Store&) -> Status with the GIL released, on the
  // store or the handle's current store. Raises FailedPreconditionError on
  // a closed store. GIL held on entry and exit.
  template <class Fn>
  graphstore::Status read(Fn&& fn) {
    Call call(*this);
    return without_gil([&]() -> graphstore::Status {
      if (handle_) return handle_->with_store([&fn](graphstore::Store& s) { return fn(s); });
      return fn(*store_);
    });
  }

  // Runs fn(target) -> Status with the GIL released, where target is the
  // Store or the StoreHandle (whose writes are recorded for a migrating
  // swap): fn must be a generic lambda.
  template <class Fn>
  graphstore::Status write(Fn&& fn) {
    Call call(*this);
    return without_gil([&]() -> graphstore::Status {
      if (handle_) return fn(*handle_);
      return fn(*store_);
    });
  }

  // Runs fn(Store& mine, Store& theirs) -> Status with the GIL released,
  // on this store and other (current stores of handles), both registered
  // as in a call: a migration between two stores.
  template <class Fn>
  graphstore::Status read_pair(PyStore& other, Fn&& fn) {
    Call mine(*this);
    Call theirs(other);
    auto with = [](PyStore& s, auto&& inner) -> graphstore::Status {
      if (s.handle_) return s.handle_->with_store([&inner](graphstore::Store& st) { return inner(st); });
      return inner(*s.store_);
    };
    return without_gil([&] {
      return with(*this, [&](graphstore::Store& a) { return with(other, [&](graphstore::Store& b) { return fn(a, b); }); });
    });
  }

  // Idempotent. Waits (GIL released) for calls under way on other threads;
  // from inside a call on this store (a progress callback) it raises
  // FailedPreconditionError instead of waiting for itself.
  void close();
  bool closed() const { return closed_; }
  bool is_handle() const { return handle_ != nullptr; }

  // Takes the host Store out (this object ends closed), for StoreHandle
  // and swap. Raises on a closed store or a handle.
  std::unique_ptr<graphstore::Store> take_store();
  graphstore::StoreHandle& handle();

  // The tenant a call names: None -> the store's default, else the str.
  std::string_view tenant_of(py::handle arg) const;
  const std::string& default_tenant() const { return tenant_; }

  graphstore::PluginInfo plugin_info();

  Factories factories;

 private:
  // Registers a call for its lifetime (constructed and destroyed with the
  // GIL held, so a plain counter suffices).
  struct Call {
    explicit Call(PyStore& store);
    ~Call();
    PyStore& store;
  };
  void check_open() const;
  void wait_for_calls();

  std::unique_ptr<graphstore::Store> store_;
  std::unique_ptr<graphstore::StoreHandle> handle_;
  std::string tenant_;
  bool closed_ = false;
  int calls_ = 0;
};

// The Python class StoreHandle: the same object, created around a handle.
class PyStoreHandle : public PyStore {
 public:
  using PyStore::PyStore;
};

}  // namespace gspy

#endif  // GRAPHSTORE_PY_STORE_OBJECT_HPP

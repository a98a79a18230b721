#include "store_object.hpp"

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

#include "errors.hpp"

namespace gspy {

namespace {

// The stores this thread is inside a call of (a progress callback may call
// back into Python, which may try to close the same store).
thread_local std::vector<const PyStore*> t_active;

bool interpreter_finalizing() { return _Py_IsFinalizing() != 0; }

}  // namespace

PyStore::PyStore(std::unique_ptr<graphstore::Store> store, std::string tenant)
    : store_(std::move(store)), tenant_(std::move(tenant)) {}

PyStore::PyStore(std::unique_ptr<graphstore::StoreHandle> handle, std::string tenant)
    : handle_(std::move(handle)), tenant_(std::move(tenant)) {}

PyStore::~PyStore() {
  if (closed_) return;
  closed_ = true;
  auto store = std::move(store_);
  auto handle = std::move(handle_);
  // Closing may wait on a file or a server: let other threads run, except
  // while the interpreter shuts down (no thread may take the GIL then).
  if (!interpreter_finalizing() && PyGILState_Check()) {
    without_gil([&] {
      store.reset();
      handle.reset();
    });
  }
}

PyStore::Call::Call(PyStore& s) : store(s) {
  s.check_open();
  ++s.calls_;
  t_active.push_back(&s);
}

PyStore::Call::~Call() {
  --store.calls_;
  auto it = std::find(t_active.rbegin(), t_active.rend(), &store);
  if (it != t_active.rend()) t_active.erase(std::next(it).base());
}

void PyStore::check_open() const {
  if (closed_) raise_code("FAILED_PRECONDITION", "the store is closed");
}

void PyStore::wait_for_calls() {
  if (std::find(t_active.begin(), t_active.end(), this) != t_active.end())
    raise_code("FAILED_PRECONDITION", "close() called from inside a call on the same store");
  // New calls are refused from here on; the ones under way finish.
  closed_ = true;
  while (calls_ > 0) without_gil([] { std::this_thread::sleep_for(std::chrono::milliseconds(1)); });
}

void PyStore::close() {
  if (closed_) return;
  wait_for_calls();
  closed_ = true;
  auto store = std::move(store_);
  auto handle = std::move(handle_);
  without_gil([&] {
    store.reset();
    handle.reset();
  });
}

std::unique_ptr<graphstore::Store> PyStore::take_store() {
  check_open();
  if (handle_) raise_code("INVALID_ARGUMENT", "a StoreHandle cannot be taken over by another handle");
  wait_for_calls();
  closed_ = true;
  return std::move(store_);
}

graphstore::StoreHandle& PyStore::handle() {
  check_open();
  if (!handle_) raise_code("INVALID_ARGUMENT", "not a StoreHandle");
  return *handle_;
}

std::string_view PyStore::tenant_of(py::handle arg) const {
  if (arg.is_none()) return tenant_;
  return str_view(arg, "tenant");
}

graphstore::PluginInfo PyStore::plugin_info() {
  check_open();
  if (store_) return store_->plugin();
  Call call(*this);
  return without_gil([this] { return handle_->plugin(); });
}

}  // namespace gspy

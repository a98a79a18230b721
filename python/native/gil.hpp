// Running C++ without the GIL.
//
// Not pybind11's gil_scoped_release: it takes the GIL back in a destructor,
// and a daemon thread that takes the GIL back while the interpreter shuts
// down is ended by pthread_exit, whose forced unwinding may not leave a
// (noexcept) destructor: std::terminate. Here the GIL is taken back in
// plain code, so the thread ends quietly as Python intends.
#ifndef GRAPHSTORE_PY_GIL_HPP
#define GRAPHSTORE_PY_GIL_HPP

#include <Python.h>

#include <exception>
#include <type_traits>

namespace gspy {

// Runs fn() with the GIL released and returns its result (default
// constructible); an exception from fn is rethrown with the GIL held.
template <class Fn>
auto without_gil(Fn&& fn) -> std::invoke_result_t<Fn&> {
  using Result = std::invoke_result_t<Fn&>;
  std::exception_ptr error;
  PyThreadState* state = PyEval_SaveThread();
  if constexpr (std::is_void_v<Result>) {
    try {
      fn();
    } catch (...) {
      error = std::current_exception();
    }
    PyEval_RestoreThread(state);
    if (error) std::rethrow_exception(error);
  } else {
    Result result{};
    try {
      result = fn();
    } catch (...) {
      error = std::current_exception();
    }
    PyEval_RestoreThread(state);
    if (error) std::rethrow_exception(error);
    return result;
  }
}

}  // namespace gspy

#endif  // GRAPHSTORE_PY_GIL_HPP

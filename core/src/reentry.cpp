#include "reentry.hpp"

namespace graphstore {

constinit thread_local const BusyFrame* t_busy = nullptr;

Status reentered_error(const char* op, const char* what) {
  return InvalidArgument(std::string(op) + " called from inside a callback of the same " + what +
                         ": a callback may call other stores, never the one running it");
}

}  // namespace graphstore

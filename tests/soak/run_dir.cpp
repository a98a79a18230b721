#include "run_dir.hpp"

#include <filesystem>
#include <fstream>

namespace graphstore::soak {

namespace {
const char* const kMarker = ".graphstore-soak";
}

bool prepare_run_dir(const std::string& dir, std::string* error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec) && !fs::exists(fs::path(dir) / kMarker, ec))
    return *error = dir + " is not empty and was not made by graphstore_soak; choose another --dir", false;
  fs::remove_all(dir, ec);
  fs::create_directories(fs::path(dir) / "logs", ec);
  if (ec) return *error = "cannot create " + dir + ": " + ec.message(), false;
  std::ofstream marker(fs::path(dir) / kMarker);
  if (!(marker << "made by graphstore_soak; emptied by its next run\n"))
    return *error = "cannot write in " + dir, false;
  return true;
}

}  // namespace graphstore::soak

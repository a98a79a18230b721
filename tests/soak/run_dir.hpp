// The directory a soak run writes: emptied at the start of a run, which is
// only done to a directory that does not exist, is empty, or holds the
// marker an earlier run left, so a mistyped --dir never deletes anything
// else.
#ifndef GRAPHSTORE_TESTS_SOAK_RUN_DIR_HPP
#define GRAPHSTORE_TESTS_SOAK_RUN_DIR_HPP

#include <string>

namespace graphstore::soak {

// Makes dir an empty run directory with a "logs" folder and the marker.
// False, with *error, when dir holds other files without the marker or
// cannot be created.
bool prepare_run_dir(const std::string& dir, std::string* error);

}  // namespace graphstore::soak

#endif  // GRAPHSTORE_TESTS_SOAK_RUN_DIR_HPP

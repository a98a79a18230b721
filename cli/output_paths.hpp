// The guard every command runs before it opens a file for write: the export
// target, the rejects file, the checkpoint and the spool directory must not
// be the command's input or a file the store owns, and an existing file is
// replaced only when the user said --overwrite.
#ifndef GRAPHSTORE_CLI_OUTPUT_PATHS_HPP
#define GRAPHSTORE_CLI_OUTPUT_PATHS_HPP

#include <filesystem>
#include <string>
#include <vector>

#include "graphstore/config.hpp"
#include "graphstore/status.hpp"

namespace graphstore::cli {

// Files a command must never write: each with what it is, for the message.
struct GuardedFiles {
  struct File {
    std::filesystem::path path;
    std::string what;  // e.g. "the input", "a file of the store of environment 'development'"
  };
  std::vector<File> files;

  // Adds path as the command's input ("-" is standard input: nothing to add).
  void add_input(const std::filesystem::path& path);

  // Adds the files the configured store owns. The ABI does not list a
  // store's files, so they are read from its options: every string option
  // named "path" or ending in "_path", at any depth (a decorator's primary
  // and fallback sections count), except ":memory:"; beside each, the
  // "-wal", "-shm" and "-journal" files SQLite makes and the ".rejected"
  // file the degradation journal makes. Relative paths are taken from the
  // current directory, as the plugins open them.
  void add_store(const BackendConfig& config);
};

// Refuses (INVALID_ARGUMENT, naming `option`, the path and what it would
// replace) an output file that resolves to a guarded file: the same inode
// when both exist (symbolic and hard links followed), else the same canonical
// parent directory and name. Also refused: a directory, and an existing
// regular file unless overwrite. Opens nothing; call it before anything is
// opened for write.
Status check_output_file(const std::filesystem::path& path, const std::string& option, const GuardedFiles& guarded,
                         bool overwrite);

// The same check for a file the command reads back and rewrites (a migration
// checkpoint, written to PATH.tmp and renamed): it may exist, but neither it
// nor PATH.tmp may be a guarded file.
Status check_rewritten_file(const std::filesystem::path& path, const std::string& option, const GuardedFiles& guarded);

// A directory the command creates its own files in (the import spool): it
// must not resolve to a guarded file.
Status check_output_dir(const std::filesystem::path& path, const std::string& option, const GuardedFiles& guarded);

}  // namespace graphstore::cli

#endif  // GRAPHSTORE_CLI_OUTPUT_PATHS_HPP

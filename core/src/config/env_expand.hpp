// ${VAR} expansion for config values (see env_expand.cpp for the syntax).
#ifndef GRAPHSTORE_CONFIG_ENV_EXPAND_HPP
#define GRAPHSTORE_CONFIG_ENV_EXPAND_HPP

#include <string>
#include <string_view>
#include <vector>

#include "graphstore/status.hpp"

namespace graphstore::config {

// Expands every ${NAME} and ${NAME:-default} of text from the process
// environment into *out; "$${" is a literal "${". INVALID_ARGUMENT without a
// location (the caller adds file, line and key) when a variable without a
// default is unset, or a reference is malformed or unterminated. When
// variables is given, the name of every reference expanded is appended to
// it (so an empty list means the text held no reference).
Status expand_env(std::string_view text, std::string* out, std::vector<std::string>* variables = nullptr);

}  // namespace graphstore::config

#endif  // GRAPHSTORE_CONFIG_ENV_EXPAND_HPP

// The SDK headers as C++ under -pedantic -Wall -Wextra -Werror, with the
// layout pins.
#include <type_traits>

#include "abi_layout.h"
#include "graphstore/abi.h"
#include "graphstore/abi_read.hpp"
#include "graphstore/bytes.hpp"
#include "graphstore/options.hpp"
#include "graphstore/plugin.hpp"
#include "graphstore/scoring.hpp"
#include "graphstore/utf8.hpp"

static_assert(std::is_standard_layout_v<gs_entity> && std::is_trivially_copyable_v<gs_entity>);
static_assert(std::is_standard_layout_v<gs_store_api> && std::is_trivially_copyable_v<gs_store_api>);
static_assert(std::is_standard_layout_v<gs_plugin_descriptor>);

// How the plugin_descriptor target's bytes describe a plugin's answer to
// its entry call; read by the fuzz plugin (descriptor_plugin.cpp) to build
// it and by the target to know what the host should have concluded.
//
//   byte 0      entry: %8 == 0 fails (status from byte 1), 1 returns no
//               descriptor, else a descriptor
//   byte 1      failing status (1 + byte % 16); bit 7: error not terminated
//   bytes 2-3   descriptor struct_size (little-endian)
//   byte 4      abi_major (% 3), byte 5 abi_minor
//   byte 6      bits 0-3: id, name, version, api NULL
//   bytes 7-8   api struct_size
//   bytes 9-12  which of open, close and the GS_STORE_API_SLOTS are NULL
//   byte 13     capabilities, byte 14 threading
//   the rest    id, name, version and the error message, split at '|'
// Missing bytes read as 0 (a short input is still a valid description).
#ifndef GRAPHSTORE_FUZZ_DESCRIPTOR_INPUT_HPP
#define GRAPHSTORE_FUZZ_DESCRIPTOR_INPUT_HPP

#include <cstddef>
#include <cstdint>
#include <string>

#include "graphstore/abi.h"

namespace graphstore::fuzz {

struct DescriptorInput {
  gs_status entry_status = GS_OK;
  bool unterminated_error = false;
  bool null_descriptor = false;
  uint32_t descriptor_size = 0;
  uint16_t abi_major = 0, abi_minor = 0;
  bool null_id = false, null_name = false, null_version = false, null_api = false;
  uint32_t api_size = 0;
  uint64_t null_slots = 0;
  uint64_t capabilities = 0;
  int32_t threading = 0;
  std::string id, name, version, error;

  static DescriptorInput decode(const uint8_t* data, size_t size) {
    auto at = [&](size_t i) -> uint32_t { return i < size ? data[i] : 0; };
    DescriptorInput in;
    uint32_t mode = at(0) % 8;
    if (mode == 0) {
      in.entry_status = static_cast<gs_status>(1 + at(1) % 16);
      in.unterminated_error = (at(1) & 0x80) != 0;
    }
    in.null_descriptor = mode == 1;
    in.descriptor_size = at(2) | (at(3) << 8);
    in.abi_major = static_cast<uint16_t>(at(4) % 3);
    in.abi_minor = static_cast<uint16_t>(at(5));
    in.null_id = at(6) & 1;
    in.null_name = at(6) & 2;
    in.null_version = at(6) & 4;
    in.null_api = at(6) & 8;
    in.api_size = at(7) | (at(8) << 8);
    in.null_slots = at(9) | (at(10) << 8) | (at(11) << 16) | (uint64_t(at(12)) << 24);
    in.capabilities = at(13);
    in.threading = static_cast<int32_t>(at(14));
    std::string* parts[] = {&in.id, &in.name, &in.version, &in.error};
    size_t part = 0;
    for (size_t i = 15; i < size; ++i) {
      if (data[i] == '|' && part < 3) {
        ++part;
      } else {
        parts[part]->push_back(static_cast<char>(data[i]));
      }
    }
    return in;
  }
};

}  // namespace graphstore::fuzz

#endif  // GRAPHSTORE_FUZZ_DESCRIPTOR_INPUT_HPP

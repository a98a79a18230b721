# graphstore_add_plugin(NAME SOURCES...): a backend plugin as a loadable
# module named libgraphstore_<NAME>.so in the plugin directory, exporting only
# its entry symbol.
function(graphstore_add_plugin name)
  set(target graphstore_${name})
  add_library(${target} MODULE ${ARGN})
  target_link_libraries(${target} PRIVATE graphstore_sdk graphstore_warnings)
  # Hidden visibility leaves template instantiations and unique symbols from
  # the C++ library exported; the version script keeps even those local, so
  # two plugins never interpose each other's copies.
  set(script ${CMAKE_CURRENT_BINARY_DIR}/graphstore_plugin.map)
  if(NOT EXISTS ${script})
    file(WRITE ${script} "{ global: gs_plugin_entry; local: *; };\n")
  endif()
  target_link_options(${target} PRIVATE -Wl,--version-script=${script})
  set_target_properties(${target} PROPERTIES
    LIBRARY_OUTPUT_DIRECTORY ${GRAPHSTORE_PLUGIN_OUTPUT_DIR}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  install(TARGETS ${target} LIBRARY DESTINATION ${GRAPHSTORE_PLUGIN_INSTALL_DIR})
endfunction()

# graphstore_add_plugin(NAME SOURCES...): a backend plugin as a loadable
# module named libgraphstore_<NAME>.so in the plugin directory, exporting only
# its entry symbol.
function(graphstore_add_plugin name)
  set(target graphstore_${name})
  add_library(${target} MODULE ${ARGN})
  target_link_libraries(${target} PRIVATE graphstore_sdk graphstore_warnings)
  set_target_properties(${target} PROPERTIES
    LIBRARY_OUTPUT_DIRECTORY ${GRAPHSTORE_PLUGIN_OUTPUT_DIR}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  install(TARGETS ${target} LIBRARY DESTINATION ${GRAPHSTORE_PLUGIN_INSTALL_DIR})
endfunction()

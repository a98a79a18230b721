# Installs the build into a fresh prefix, then builds examples/host against
# that prefix alone, once through find_package(graphstore) and once with what
# pkg-config reports, and runs both: each opens an in-memory store, writes,
# swaps to SQLite with a copy, and reads back. Run with cmake -P and
#   BUILD_DIR        the graphstore build tree to install
#   SOURCE_DIR       examples/host
#   CORE_SOURCE_DIR  graphstore's core/ (must not leak into the host build)
#   WORK_DIR         scratch directory, emptied first
#   GENERATOR, CXX_COMPILER
#   SANITIZE         the build's -fsanitize list, or empty
cmake_minimum_required(VERSION 3.20)

# 1. Install: the library, its headers, the package and the .pc file.
set(INSTALL_TEST_REQUIRED BUILD_DIR SOURCE_DIR CORE_SOURCE_DIR WORK_DIR GENERATOR CXX_COMPILER)
include(${CMAKE_CURRENT_LIST_DIR}/../install_common.cmake)
file(GLOB_RECURSE libs ${prefix}/*/libgraphstore_core.a)
file(GLOB_RECURSE config_files ${prefix}/*/graphstoreConfig.cmake)
file(GLOB_RECURSE pc_files ${prefix}/*/graphstore.pc)
foreach(list libs config_files pc_files)
  list(LENGTH ${list} n)
  if(NOT n EQUAL 1)
    message(FATAL_ERROR "expected one of ${list} under ${prefix}, found: '${${list}}'")
  endif()
endforeach()
foreach(header store.hpp store_handle.hpp registry.hpp config.hpp status.hpp record_json.hpp)
  if(NOT EXISTS ${prefix}/include/graphstore/${header})
    message(FATAL_ERROR "not installed: include/graphstore/${header}")
  endif()
endforeach()
# No installed header of the core shows RapidJSON: a host needs none.
file(GLOB core_headers ${CORE_SOURCE_DIR}/include/graphstore/*.hpp)
foreach(h ${core_headers})
  file(STRINGS ${h} rapidjson_lines REGEX "rapidjson")
  if(rapidjson_lines)
    message(FATAL_ERROR "${h} mentions RapidJSON: ${rapidjson_lines}")
  endif()
endforeach()
get_filename_component(pc_dir ${pc_files} DIRECTORY)
file(GLOB_RECURSE plugins ${prefix}/*/libgraphstore_sqlite.so)
list(GET plugins 0 sqlite_plugin)
get_filename_component(plugin_dir ${sqlite_plugin} DIRECTORY)

# The two environments the example swaps between; no plugin_paths: the
# example finds the plugins through its package.
file(WRITE ${WORK_DIR}/graphstore.yaml
  "environments:\n  first: {backend: inmemory}\n  second: {backend: sqlite, options: {path: ./graph.db}}\n")

# 2. find_package(graphstore) from the prefix only.
# A library built with sanitizers (the asan and tsan presets) links only into
# a program built with the same ones: SANITIZE carries the build's list.
set(sanitize_flags "")
if(SANITIZE)
  set(sanitize_flags -fsanitize=${SANITIZE})
endif()
run("configure examples/host" ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/cmake -G ${GENERATOR}
    -DCMAKE_BUILD_TYPE=Release
    "-DCMAKE_CXX_FLAGS=${sanitize_flags}"
    "-DCMAKE_EXE_LINKER_FLAGS=${sanitize_flags}"
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
    -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
    -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF
    -DCMAKE_EXPORT_COMPILE_COMMANDS=ON)
file(STRINGS ${WORK_DIR}/cmake/CMakeCache.txt package_line REGEX "^graphstore_DIR:")
string(FIND "${package_line}" "${prefix}/" at)
if(NOT at GREATER -1)
  message(FATAL_ERROR "graphstore was not found in the installed prefix: ${package_line}")
endif()
run("build examples/host" ${CMAKE_COMMAND} --build ${WORK_DIR}/cmake)
file(READ ${WORK_DIR}/cmake/compile_commands.json commands)
string(FIND "${commands}" "${CORE_SOURCE_DIR}" leak)
if(leak GREATER -1)
  message(FATAL_ERROR "the host build used graphstore's source tree:\n${commands}")
endif()
file(MAKE_DIRECTORY ${WORK_DIR}/run-cmake)
execute_process(COMMAND ${WORK_DIR}/cmake/host_example ${WORK_DIR}/graphstore.yaml first second
  WORKING_DIRECTORY ${WORK_DIR}/run-cmake RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0 OR NOT out MATCHES "sqlite holds ada -\\[PROGRAMMED\\]-> engine")
  message(FATAL_ERROR "host_example (find_package) failed (${rc}):\n${out}")
endif()

# 3. pkg-config: its flags alone build and link the host.
run("pkg-config" ${CMAKE_COMMAND} -E env PKG_CONFIG_PATH=${pc_dir} pkg-config --cflags --libs graphstore)
string(STRIP "${RUN_OUTPUT}" pc_out)
separate_arguments(pc_flags UNIX_COMMAND "${pc_out}")
run("pkg-config plugindir" ${CMAKE_COMMAND} -E env PKG_CONFIG_PATH=${pc_dir}
    pkg-config --variable=plugindir graphstore)
string(STRIP "${RUN_OUTPUT}" pc_plugindir)
get_filename_component(pc_plugindir "${pc_plugindir}" REALPATH)
get_filename_component(plugin_dir "${plugin_dir}" REALPATH)
if(NOT pc_plugindir STREQUAL plugin_dir)
  message(FATAL_ERROR "pkg-config plugindir '${pc_plugindir}' is not where the plugins are: '${plugin_dir}'")
endif()
file(MAKE_DIRECTORY ${WORK_DIR}/pkgconfig)
run("build with pkg-config flags" ${CXX_COMPILER} -std=c++20 -O1 -Wall -Wextra -Werror ${sanitize_flags}
    "-DGRAPHSTORE_PLUGIN_DIR=\"${pc_plugindir}\"" ${SOURCE_DIR}/host.cpp ${pc_flags}
    -o ${WORK_DIR}/pkgconfig/host_example)
file(MAKE_DIRECTORY ${WORK_DIR}/run-pkgconfig)
execute_process(COMMAND ${WORK_DIR}/pkgconfig/host_example ${WORK_DIR}/graphstore.yaml first second
  WORKING_DIRECTORY ${WORK_DIR}/run-pkgconfig RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0 OR NOT out MATCHES "sqlite holds ada -\\[PROGRAMMED\\]-> engine")
  message(FATAL_ERROR "host_example (pkg-config) failed (${rc}):\n${out}")
endif()
message(STATUS "installed to ${prefix}; built and ran examples/host through find_package and pkg-config")

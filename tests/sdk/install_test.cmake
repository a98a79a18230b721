# Installs the build into a fresh prefix, then builds the out-of-tree hello
# plugin against that prefix alone: once through find_package(graphstore_sdk)
# and once with the compiler flags pkg-config reports. Run with cmake -P and
#   BUILD_DIR       the graphstore build tree to install
#   SOURCE_DIR      examples/plugin
#   SDK_SOURCE_DIR  graphstore's sdk/ (must not leak into the plugin build)
#   WORK_DIR        scratch directory, emptied first
#   GENERATOR, CXX_COMPILER, NM
# Leaves WORK_DIR/cmake/libgraphstore_hello.so and
# WORK_DIR/pkgconfig/libgraphstore_hello.so for the load tests.
cmake_minimum_required(VERSION 3.20)

# 1. Install.
set(INSTALL_TEST_REQUIRED BUILD_DIR SOURCE_DIR SDK_SOURCE_DIR WORK_DIR GENERATOR CXX_COMPILER)
include(${CMAKE_CURRENT_LIST_DIR}/../install_common.cmake)
file(GLOB_RECURSE config_files ${prefix}/*/graphstore_sdkConfig.cmake)
file(GLOB_RECURSE pc_files ${prefix}/*/graphstore_sdk.pc)
foreach(required ${prefix}/include/graphstore/abi.h ${prefix}/include/graphstore/plugin.hpp
                 ${prefix}/include/graphstore/options.hpp ${prefix}/include/graphstore/scoring.hpp)
  if(NOT EXISTS ${required})
    message(FATAL_ERROR "not installed: ${required}")
  endif()
endforeach()
list(LENGTH config_files n_config)
list(LENGTH pc_files n_pc)
if(NOT n_config EQUAL 1 OR NOT n_pc EQUAL 1)
  message(FATAL_ERROR "expected one graphstore_sdkConfig.cmake and one graphstore_sdk.pc under ${prefix}, "
                      "found: ${config_files} ${pc_files}")
endif()
get_filename_component(pc_dir ${pc_files} DIRECTORY)

# 2. find_package(graphstore_sdk) from the prefix only: no package
# registries, no system prefixes for our package.
run("configure examples/plugin" ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/cmake -G ${GENERATOR}
    -DCMAKE_BUILD_TYPE=Release
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
    -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
    -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF
    -DCMAKE_EXPORT_COMPILE_COMMANDS=ON)
file(STRINGS ${WORK_DIR}/cmake/CMakeCache.txt sdk_dir_line REGEX "^graphstore_sdk_DIR:")
string(FIND "${sdk_dir_line}" "${prefix}/" at)
if(NOT at GREATER -1)
  message(FATAL_ERROR "graphstore_sdk was not found in the installed prefix: ${sdk_dir_line}")
endif()
run("build examples/plugin" ${CMAKE_COMMAND} --build ${WORK_DIR}/cmake)
file(READ ${WORK_DIR}/cmake/compile_commands.json commands)
string(FIND "${commands}" "${SDK_SOURCE_DIR}" leak)
if(leak GREATER -1)
  message(FATAL_ERROR "the out-of-tree build used graphstore's source tree:\n${commands}")
endif()
if(NOT EXISTS ${WORK_DIR}/cmake/libgraphstore_hello.so)
  message(FATAL_ERROR "graphstore_add_plugin(hello ...) did not produce ${WORK_DIR}/cmake/libgraphstore_hello.so")
endif()

# 3. pkg-config: the flags alone must build the plugin.
run("pkg-config" ${CMAKE_COMMAND} -E env PKG_CONFIG_PATH=${pc_dir} pkg-config --cflags graphstore_sdk)
string(STRIP "${RUN_OUTPUT}" pc_cflags)
separate_arguments(pc_flags UNIX_COMMAND "${pc_cflags}")
set(points_into_prefix FALSE)
foreach(flag ${pc_flags})
  if(flag MATCHES "^-I(.*)")
    get_filename_component(dir "${CMAKE_MATCH_1}" REALPATH)
    get_filename_component(want "${prefix}/include" REALPATH)
    if(dir STREQUAL want)
      set(points_into_prefix TRUE)
    endif()
  endif()
endforeach()
if(NOT points_into_prefix)
  message(FATAL_ERROR "pkg-config --cflags graphstore_sdk does not point into the prefix: '${pc_cflags}'")
endif()
file(MAKE_DIRECTORY ${WORK_DIR}/pkgconfig)
run("build with pkg-config flags" ${CXX_COMPILER} ${pc_flags} -O1 -fPIC -shared -fvisibility=hidden
    -fvisibility-inlines-hidden -Wall -Wextra -Werror ${SOURCE_DIR}/hello.cpp
    -o ${WORK_DIR}/pkgconfig/libgraphstore_hello.so)

# 4. The plugin exports its entry point and nothing of its own.
if(NM)
  foreach(flavour cmake pkgconfig)
    run("nm" ${NM} -D --defined-only ${WORK_DIR}/${flavour}/libgraphstore_hello.so)
    if(NOT RUN_OUTPUT MATCHES " T gs_plugin_entry\n")
      message(FATAL_ERROR "${flavour}: gs_plugin_entry is not exported:\n${RUN_OUTPUT}")
    endif()
    if(RUN_OUTPUT MATCHES "5hello")
      message(FATAL_ERROR "${flavour}: the plugin's own symbols are exported:\n${RUN_OUTPUT}")
    endif()
  endforeach()
endif()
message(STATUS "installed to ${prefix}; built ${WORK_DIR}/cmake/libgraphstore_hello.so and "
               "${WORK_DIR}/pkgconfig/libgraphstore_hello.so")

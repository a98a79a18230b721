# python.pip_install: `pip install --no-build-isolation --no-deps .` of the
# source tree works offline with Debian's pip, setuptools and wheel, and the
# installed package finds its plugins (graphstore/plugins) with no
# GRAPHSTORE_PLUGIN_PATH. It packages the build tree BUILD_DIR as it is
# (GRAPHSTORE_PIP_PREBUILT, setup.py): the CMake build pip runs without it is
# the project's ordinary build, and doing it again here would cost minutes.
foreach(var SOURCE_DIR WORK_DIR PYTHON BUILD_DIR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "pip_install_test.cmake: -D${var}=... is required")
  endif()
endforeach()
file(REMOVE_RECURSE ${WORK_DIR}/target ${WORK_DIR}/pip.db ${WORK_DIR}/pip.db-wal ${WORK_DIR}/pip.db-shm)
file(MAKE_DIRECTORY ${WORK_DIR})
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env GRAPHSTORE_PIP_PREBUILT=${BUILD_DIR} PIP_NO_INDEX=1
          ${PYTHON} -m pip install --no-build-isolation --no-deps --no-index --target ${WORK_DIR}/target ${SOURCE_DIR}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pip install failed (${rc}):\n${out}")
endif()
set(script "
import sys, graphstore as gs
infos = {p.id: p.path for p in gs.Registry().plugins()}
assert '/graphstore/plugins/' in infos['sqlite'], infos
with gs.open_backend('sqlite', {'path': sys.argv[1]}) as s:
    s.add_entity(gs.Entity('a', 'T'))
    assert s.get_entity('a') is not None
print('pip-installed package OK')
")
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env --unset=GRAPHSTORE_PLUGIN_PATH PYTHONPATH=${WORK_DIR}/target
          ${PYTHON} -c "${script}" ${WORK_DIR}/pip.db
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the pip-installed package failed (${rc}):\n${out}")
endif()
message(STATUS "${out}")

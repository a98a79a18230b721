# python.install: `cmake --install` into a fresh prefix puts the package
# where Debian's python3 imports it (PY_DIR under the prefix) and the plugins
# where the module finds them (<prefix>/lib/graphstore), with no
# GRAPHSTORE_PLUGIN_PATH; the installed package opens inmemory and sqlite.
set(INSTALL_TEST_REQUIRED BUILD_DIR WORK_DIR PYTHON PY_DIR)
include(${CMAKE_CURRENT_LIST_DIR}/../../tests/install_common.cmake)

set(script "
import os, sys, graphstore as gs
assert os.path.realpath(gs.__file__).startswith(os.path.realpath(sys.argv[1])), gs.__file__
ids = [p.id for p in gs.Registry().plugins()]
assert 'inmemory' in ids and 'sqlite' in ids, ids
with gs.open_backend('inmemory') as s:
    s.add_entity(gs.Entity('a', 'T', {'k': 1}))
    assert s.get_entity('a').properties == {'k': 1}
with gs.open_backend('sqlite', {'path': sys.argv[2]}) as s:
    s.add_entity(gs.Entity('a', 'T', embedding=[1.0, 2.0]))
    assert s.get_entity('a').embedding.tolist() == [1.0, 2.0]
print('installed package OK:', gs.__file__)
")
run("import the installed package" ${CMAKE_COMMAND} -E env --unset=GRAPHSTORE_PLUGIN_PATH
    PYTHONPATH=${prefix}/${PY_DIR} PYTHONDONTWRITEBYTECODE=1
    ${PYTHON} -c "${script}" ${prefix} ${WORK_DIR}/installed.db)
message(STATUS "${RUN_OUTPUT}")

"""Shared fixtures of the pytest suites (python/tests/*).

The suites run from ctest (python/tests/CMakeLists.txt), which sets
PYTHONPATH to the built package and GRAPHSTORE_PLUGIN_PATH to the built
plugins. The PostgreSQL suites need the ctest fixture postgres_server; its
address is read from the file named by $GRAPHSTORE_PGTEST_ENV. Without it a
PostgreSQL test fails (it never skips): run it through ctest.
"""
import os
import pathlib

import pytest


def _read_env_file(path):
    values = {}
    for line in pathlib.Path(path).read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep:
            values[key.strip()] = value.strip().strip("'\"")
    return values


@pytest.fixture(scope="session")
def pg_server():
    """The throwaway PostgreSQL server of the ctest fixture postgres_server.

    A dict: host, port, superuser ("postgres", trusted on loopback), user
    "gs_app" and its password, database "graphstore" (see
    scripts/pg-test-cluster.sh).
    """
    env_file = os.environ.get("GRAPHSTORE_PGTEST_ENV")
    if not env_file or not os.path.exists(env_file):
        pytest.fail("no PostgreSQL test server: run this suite through ctest "
                    "(it needs the postgres_server fixture; GRAPHSTORE_PGTEST_ENV="
                    f"{env_file!r})")
    values = _read_env_file(env_file)
    return {
        "host": values["PGTEST_HOST"],
        "port": int(values["PGTEST_PORT"]),
        "superuser": "postgres",
        "user": "gs_app",
        "password": "gs-app-password",
        "database": "graphstore",
    }

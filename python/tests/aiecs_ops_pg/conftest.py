"""Fixtures of the PostgreSQL migration suite: a fresh schema per test on the ctest server."""
import os
import subprocess
import sys
import uuid

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "aiecs_pg"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "aiecs_ops"))


@pytest.fixture
def schema():
    return "ops_" + uuid.uuid4().hex[:12]


@pytest.fixture
def psql(pg_server):
    """Runs SQL on the test database as the application role (psql, stops at the first error)."""
    def run(sql):
        env = dict(os.environ, PGPASSWORD=pg_server["password"])
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", pg_server["host"],
                        "-p", str(pg_server["port"]), "-U", pg_server["user"], "-d", pg_server["database"],
                        "-c", sql], check=True, env=env, capture_output=True)
    return run

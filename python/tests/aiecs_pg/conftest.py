"""Fixtures of the PostgreSQL drop-in suite: a PostgresGraphStore on the ctest server, a schema per test.

The shared behaviour tests of ../aiecs_stores run here too (test_shared.py),
with `kind` "postgres".
"""
import os
import sys
import uuid

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "aiecs_stores"))

from graphstore.aiecs import PostgresGraphStore  # noqa: E402 (after the path of the shared suite)
from pg_helpers import settings  # noqa: E402


@pytest.fixture
def kind():
    return "postgres"


@pytest.fixture
def schema():
    return "aiecs_" + uuid.uuid4().hex[:12]


@pytest.fixture
def make_store(pg_server, schema):
    return lambda: PostgresGraphStore(**settings(pg_server, schema))


@pytest.fixture
async def store(make_store):
    s = make_store()
    await s.initialize()
    yield s
    await s.close()

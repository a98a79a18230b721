"""Fixtures of the pgcompat suite: connection arguments for the ctest
PostgreSQL server's application role, and a small pool on it."""
import pytest

from graphstore.aiecs import pg_pool


@pytest.fixture
def pg_kwargs(pg_server):
    """Pool/connect keyword arguments for the role gs_app (not a superuser)."""
    return {
        "host": pg_server["host"],
        "port": pg_server["port"],
        "user": pg_server["user"],
        "password": pg_server["password"],
        "database": pg_server["database"],
    }


@pytest.fixture
async def pool(pg_kwargs):
    """A Pool of 1 to 4 connections, closed after the test."""
    p = await pg_pool.Pool.create(min_size=1, max_size=4, **pg_kwargs)
    yield p
    await p.close()

"""Fixtures of the graphstore.aio suite: one async store per backend kind.

`inmemory` is the nonblocking backend (calls inline on the loop), `sqlite`
a blocking one on a database file in the test's temporary folder (calls on
the store's pool).
"""
import pytest

from graphstore import aio


@pytest.fixture
async def inmemory():
    store = await aio.open_backend("inmemory")
    yield store
    await store.close()


@pytest.fixture
async def sqlite(tmp_path):
    store = await aio.open_backend("sqlite", {"path": str(tmp_path / "graph.db")})
    yield store
    await store.close()


@pytest.fixture(params=["inmemory", "sqlite"])
async def store(request, tmp_path):
    """Each test using it runs once per backend kind."""
    if request.param == "inmemory":
        s = await aio.open_backend("inmemory")
    else:
        s = await aio.open_backend("sqlite", {"path": str(tmp_path / "graph.db")})
    yield s
    await s.close()

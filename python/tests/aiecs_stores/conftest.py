"""Fixtures of the drop-in store suite: one store per backend the reference had without a server.

`store` runs a test on InMemoryGraphStore, SQLiteGraphStore(":memory:") and
SQLiteGraphStore on a file; `make_store` builds another store of the same
kind (for a second store on the same file, or a fresh one).
"""
import pytest

from graphstore.aiecs import InMemoryGraphStore, SQLiteGraphStore

KINDS = ("inmemory", "sqlite_memory", "sqlite_file")


def build(kind, tmp_path):
    """A new, uninitialised drop-in store of that kind (the file store on tmp_path/graph.db)."""
    if kind == "inmemory":
        return InMemoryGraphStore()
    if kind == "sqlite_memory":
        return SQLiteGraphStore(":memory:")
    return SQLiteGraphStore(str(tmp_path / "graph.db"))


@pytest.fixture(params=KINDS)
def kind(request):
    return request.param


@pytest.fixture
def make_store(kind, tmp_path):
    return lambda: build(kind, tmp_path)


@pytest.fixture
async def store(make_store):
    s = make_store()
    await s.initialize()
    yield s
    await s.close()

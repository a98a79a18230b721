"""Fixtures of the native suite: fresh stores of the built plugins."""
import pytest

import graphstore as gs


@pytest.fixture
def store():
    """A fresh in-memory store, closed after the test."""
    with gs.open_backend("inmemory") as s:
        yield s


@pytest.fixture(params=["inmemory", "sqlite"])
def any_store(request, tmp_path):
    """A fresh store of each local backend (SQLite in a temp file)."""
    options = {"path": str(tmp_path / "graph.db")} if request.param == "sqlite" else None
    with gs.open_backend(request.param, options) as s:
        yield s

"""SQLite files: data survives close and reopen; an empty file (as tempfile makes) is a new database."""
import tempfile

import pytest

from graphstore.aiecs import SQLiteGraphStore, TenantContext
from helpers import chain


async def test_data_survives_close_and_reopen(tmp_path):
    path = str(tmp_path / "kg.db")
    s = SQLiteGraphStore(path)
    await s.initialize()
    await chain(s, ["a", "b", "c"])
    await chain(s, ["x", "y"], context=TenantContext("acme"))
    await s.close()
    s = SQLiteGraphStore(path)
    await s.initialize()
    try:
        assert [p.end_entity.id for p in await s.traverse("a")] == ["b", "c"]
        assert (await s.get_relation("r_x_y", context=TenantContext("acme"))).source_id == "x"
        assert await s.get_tenant_ids() == ["acme"]
    finally:
        await s.close()


async def test_empty_temporary_file_is_a_new_database():
    with tempfile.NamedTemporaryFile(suffix=".db") as f:
        s = SQLiteGraphStore(f.name)
        await s.initialize()
        try:
            await chain(s, ["a", "b"])
            assert (await s.get_stats())["entity_count"] == 2
        finally:
            await s.close()


def test_unknown_keyword_is_refused_by_name():
    with pytest.raises(TypeError, match="detect_types"):
        SQLiteGraphStore(":memory:", detect_types=1)


async def test_timeout_and_aiosqlite_keywords_are_accepted(tmp_path):
    s = SQLiteGraphStore(str(tmp_path / "k.db"), timeout=5.0, isolation_level=None, check_same_thread=False)
    await s.initialize()
    await s.close()


async def test_inmemory_close_releases_the_data():
    from graphstore.aiecs import InMemoryGraphStore

    s = InMemoryGraphStore()
    await s.initialize()
    await chain(s, ["a", "b"])
    await s.close()
    await s.initialize()
    assert await s.get_entity("a") is None
    await s.close()

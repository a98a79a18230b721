"""SQLiteGraphStore's inline_reads: point reads of a WAL file on the event loop, or on the pool when False."""
import pytest

from graphstore.aiecs import Entity, Relation, SQLiteGraphStore


def _count_pool_calls(store):
    """Wraps the store's pool so that each call submitted to it is recorded by name."""
    pool = store._gs._pool
    seen = []
    submit = pool.submit

    async def recording(fn, args, kwargs):
        seen.append(getattr(fn, "__name__", repr(fn)))
        return await submit(fn, args, kwargs)

    pool.submit = recording
    return seen


async def _seeded(path, **kwargs):
    store = SQLiteGraphStore(str(path), **kwargs)
    await store.initialize()
    await store.add_entity(Entity(id="a", entity_type="T", properties={"k": 1}))
    await store.add_entity(Entity(id="b", entity_type="T"))
    await store.add_relation(Relation(id="r", relation_type="R", source_id="a", target_id="b"))
    return store


@pytest.mark.asyncio
async def test_inline_reads_default_runs_point_reads_on_the_loop(tmp_path):
    store = await _seeded(tmp_path / "g.db")
    try:
        assert store.inline_reads is True
        seen = _count_pool_calls(store)
        assert (await store.get_entity("a")).properties == {"k": 1}
        assert (await store.get_relation("r")).target_id == "b"
        assert await store.get_entity("missing") is None
        assert seen == []
        await store.get_neighbors("a")  # neighbours stay on the pool
        assert seen
    finally:
        await store.close()


@pytest.mark.asyncio
async def test_inline_reads_false_runs_point_reads_on_the_pool(tmp_path):
    store = await _seeded(tmp_path / "g.db", inline_reads=False)
    try:
        assert store.inline_reads is False
        seen = _count_pool_calls(store)
        assert (await store.get_entity("a")).properties == {"k": 1}
        assert (await store.get_relation("r")).target_id == "b"
        assert await store.get_entity("missing") is None
        assert seen.count("get_entity") == 2 and seen.count("get_relation") == 1
    finally:
        await store.close()


def test_inline_reads_is_not_a_plugin_option():
    # A keyword of the store, not passed to the plugin as an option.
    store = SQLiteGraphStore(":memory:", inline_reads=False)
    assert "inline_reads" not in store._options

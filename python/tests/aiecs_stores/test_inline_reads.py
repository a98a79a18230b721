"""SQLiteGraphStore's inline_reads: point reads and neighbours of a WAL file on the event loop, or on the pool
when False; neighbours go to the pool while a bulk load has left the relation indexes to be built."""
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
        assert [e.id for e in await store.get_neighbors("a")] == ["b"]
        assert [e.id for e in await store.get_neighbors("b", direction="incoming")] == ["a"]
        assert seen == []
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
        assert [e.id for e in await store.get_neighbors("a")] == ["b"]
        assert seen.count("neighbor_entities") == 1
    finally:
        await store.close()


def test_inline_reads_is_not_a_plugin_option():
    # A keyword of the store, not passed to the plugin as an option.
    store = SQLiteGraphStore(":memory:", inline_reads=False)
    assert "inline_reads" not in store._options


@pytest.mark.asyncio
async def test_neighbours_after_a_large_bulk_load_run_on_the_pool_until_the_indexes_are_built(tmp_path):
    # 1,500 relations into an empty table: the plugin loads them without the
    # relation indexes, and the first neighbours call builds them. That call
    # must not run on the event loop; the ones after it may.
    store = SQLiteGraphStore(str(tmp_path / "g.db"))
    await store.initialize()
    try:
        await store.add_entities_bulk([Entity(id=f"e{i:03d}", entity_type="T") for i in range(100)])
        rels = [Relation(id=f"r{i:05d}", relation_type="R", source_id=f"e{i % 100:03d}",
                         target_id=f"e{(i * 7 + 1) % 100:03d}") for i in range(1500)]
        assert await store.add_relations_bulk(rels) == 1500
        sync = store._gs.store
        assert sync.state()["relation_indexes"] == "absent"
        seen = _count_pool_calls(store)
        expected = sorted({r.target_id for r in rels if r.source_id == "e005"})
        got = [e.id for e in await store.get_neighbors("e005")]
        assert sorted(got) == expected and len(got) == len(expected)
        assert seen == ["neighbor_entities"]  # on the pool: it built the indexes
        assert sync.state()["relation_indexes"] == "present"
        assert sorted(e.id for e in await store.get_neighbors("e005")) == expected
        assert seen == ["neighbor_entities"]  # inline from then on
    finally:
        await store.close()

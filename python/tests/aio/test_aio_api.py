"""graphstore.aio mirrors graphstore.Store: the same results and errors, as coroutines."""
import pytest

import graphstore as gs
from graphstore import aio

from aio_helpers import entity, relation


async def test_crud_round_trip_and_missing_ids(store):
    await store.add_entity(entity("a", name="Ada"))
    await store.add_entity(entity("b"))
    await store.add_relation(relation("ab", "a", "b"))
    got = await store.get_entity("a")
    assert got.id == "a" and got.entity_type == "Person" and got.properties == {"name": "Ada"}
    assert (await store.get_relation("ab")).target_id == "b"
    assert await store.get_entity("nope") is None
    assert await store.get_relation("nope") is None
    await store.update_entity(gs.Entity(id="a", entity_type="Person", properties={"name": "Lovelace"}))
    assert (await store.get_entity("a")).properties == {"name": "Lovelace"}
    await store.delete_relation("ab")
    await store.delete_entity("b")
    stats = await store.stats()
    assert (stats.entity_count, stats.relation_count) == (1, 0)


async def test_errors_are_the_sync_api_classes(store):
    await store.add_entity(entity("a"))
    with pytest.raises(gs.AlreadyExistsError) as err:
        await store.add_entity(entity("a"))
    assert err.value.code == "ALREADY_EXISTS" and err.value.message
    with pytest.raises(gs.NotFoundError):
        await store.delete_entity("missing")
    with pytest.raises(gs.NotFoundError):
        await store.add_relation(relation("r", "a", "missing"))


async def test_graph_reads(store):
    for i in range(4):
        await store.add_entity(entity(i))
    for i in range(3):
        await store.add_relation(relation(f"r{i}", i, i + 1))
    out = await store.neighbors("1", direction="out")
    assert [n.entity.id for n in out] == ["2"]
    both = await store.neighbors("1", direction="both")
    assert sorted(n.entity.id for n in both) == ["0", "2"]
    hits = (await store.traverse("0", max_depth=3)).hits
    assert sorted(h.entity.id for h in hits) == ["1", "2", "3"]
    paths = (await store.find_paths("0", "3", max_depth=5)).paths
    assert len(paths) == 1 and [e.id for e in paths[0].entities] == ["0", "1", "2", "3"]
    sub = await store.subgraph(["0", "1"])
    assert sorted(e.id for e in sub.entities) == ["0", "1"] and [r.id for r in sub.relations] == ["r0"]
    assert len(await store.get_all_entities(limit=2)) == 2


async def test_bulk_and_tenants(store):
    result = await store.add_entities_bulk([entity(i) for i in range(50)] + [entity(3)])
    assert result.added == 50 and [i for i, _ in result.skipped] == [50]
    await store.add_entity(entity("t1"), tenant="acme")
    assert await store.get_entity("t1") is None
    assert (await store.get_entity("t1", tenant="acme")).id == "t1"
    assert "acme" in await store.list_tenants()
    removed = await store.clear()
    assert removed.entities == 50
    assert (await store.get_entity("t1", tenant="acme")) is not None


async def test_scans_are_async_iterators_over_every_record(store):
    await store.add_entities_bulk([entity(f"{i:05d}") for i in range(1300)])
    ids = [e.id async for e in store.scan_entities()]
    assert ids == sorted(ids) and len(ids) == 1300
    limited = [e.id async for e in store.scan_entities(after_id="01000", limit=10)]
    assert limited == [f"{i:05d}" for i in range(1001, 1011)]
    await store.add_entity(entity("x"))
    await store.add_relation(relation("rx", "00001", "x"))
    assert [r.id async for r in store.scan_relations()] == ["rx"]


async def test_batch_applies_on_exit_and_discards_on_error(store):
    async with store.batch() as b:
        b.add_entity(entity("a"))
        b.add_entity(entity("b"))
        b.add_relation(relation("ab", "a", "b"))
    assert (await store.stats()).relation_count == 1
    with pytest.raises(RuntimeError):
        async with store.batch() as b:
            b.add_entity(entity("c"))
            raise RuntimeError("the block fails")
    assert await store.get_entity("c") is None
    with pytest.raises(gs.AlreadyExistsError) as err:
        async with store.batch() as b:
            b.add_entity(entity("d"))
            b.add_entity(entity("a"))
    assert err.value.index == 1
    assert await store.get_entity("d") is None


async def test_vector_and_text_search(store):
    await store.add_entity(gs.Entity(id="x", entity_type="V", properties={"t": "graph store"}, embedding=[1.0, 0.0]))
    await store.add_entity(gs.Entity(id="y", entity_type="V", properties={"t": "other"}, embedding=[0.0, 1.0]))
    hits = await store.vector_search([1.0, 0.0], k=2)
    assert [h.entity.id for h in hits] == ["x", "y"] and hits[0].score == pytest.approx(1.0)
    assert [h.entity.id for h in await store.text_search("graph", k=1)] == ["x"]


async def test_export_import_and_migrate_report_progress_on_the_loop(store, tmp_path):
    import threading
    loop_thread = threading.get_ident()
    await store.add_entities_bulk([entity(i) for i in range(20)])
    seen = []
    path = tmp_path / "dump.jsonl"
    await store.export(str(path), progress=lambda phase, done, total: seen.append(threading.get_ident()))
    assert path.exists()
    target = await aio.open_backend("inmemory")
    try:
        await target.import_file(str(path), progress=lambda *a: seen.append(threading.get_ident()))
        assert (await target.stats()).entity_count == 20
        copy = await aio.open_backend("inmemory")
        await store.migrate_to(copy, verify=True, progress=lambda *a: seen.append(threading.get_ident()))
        assert (await copy.stats()).entity_count == 20
        await copy.close()
    finally:
        await target.close()
    # Callbacks queued with call_soon_threadsafe run by the next loop turn.
    import asyncio
    await asyncio.sleep(0)
    assert seen and set(seen) == {loop_thread}


async def test_migrate_to_takes_the_synchronous_keywords(store):
    await store.add_entities_bulk([entity(i) for i in range(20)])
    copy = await aio.open_backend("inmemory")
    try:
        report = await store.migrate_to(copy, dry_run=True)
        assert (await copy.stats()).entity_count == 0
        report = await store.migrate_to(copy, batch_size=7)
        assert report.entities == 20 and report.batches == 3  # 7 + 7 + 6 entities, no relations
        assert (await copy.stats()).entity_count == 20
    finally:
        await copy.close()


async def test_close_is_idempotent_and_later_calls_fail(store):
    await store.close()
    await store.close()
    assert store.closed
    with pytest.raises(gs.Error):
        await store.get_entity("a")


async def test_open_as_async_context_manager_closes_on_exit():
    async with aio.open_backend("inmemory") as store:
        await store.add_entity(entity("a"))
        assert store.inline and store.max_workers == 0
    assert store.closed


async def test_pool_size_follows_max_workers_then_the_plugins_pool(tmp_path):
    async with aio.open_backend("sqlite", {"path": str(tmp_path / "a.db")}, max_workers=3) as s:
        assert s.max_workers == 3
    async with aio.open_backend("sqlite", {"path": str(tmp_path / "b.db")}) as s:
        assert s.max_workers == aio.default_max_workers()
    async with aio.open_backend("inmemory", max_workers=3) as s:
        assert s.inline and s.max_workers == 0

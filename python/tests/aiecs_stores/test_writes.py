"""Updates, deletes (with cascades) and bulk adds of the drop-in stores."""
import pytest

from graphstore.aiecs import Entity
from helpers import chain, ent, rel


async def test_update_entity(store):
    await store.add_entity(ent("a", name="old"))
    updated = Entity(id="a", entity_type="Org", properties={"name": "new"}, embedding=[1.0, 2.0])
    assert await store.update_entity(updated) is updated
    got = await store.get_entity("a")
    assert got.entity_type == "Org" and got.properties == {"name": "new"} and list(got.embedding) == [1.0, 2.0]
    with pytest.raises(ValueError):
        await store.update_entity(ent("missing"))


async def test_delete_entity_cascades_to_its_relations(store, kind):
    await chain(store, ["a", "b", "c"])
    await store.delete_entity("b")
    assert await store.get_entity("b") is None
    assert await store.get_relation("r_a_b") is None and await store.get_relation("r_b_c") is None
    assert await store.get_neighbors("a") == []
    if kind == "postgres":  # as the reference's PostgreSQL store
        with pytest.raises(ValueError, match="not found"):
            await store.delete_entity("b")
    else:  # silent, as the reference's SQLite store
        await store.delete_entity("b")


async def test_update_relation_and_move_endpoints(store):
    await chain(store, ["a", "b", "c"])
    moved = rel("r_a_b", "a", "c", "LIKES", weight=0.5, note="moved")
    await store.update_relation(moved)
    got = await store.get_relation("r_a_b")
    assert (got.source_id, got.target_id, got.relation_type, got.weight) == ("a", "c", "LIKES", 0.5)
    assert got.properties == {"note": "moved"}
    with pytest.raises(ValueError):  # the reference moved endpoints without checking them
        await store.update_relation(rel("r_a_b", "a", "nowhere"))
    assert (await store.get_relation("r_a_b")).target_id == "c"
    with pytest.raises(ValueError):
        await store.update_relation(rel("missing", "a", "b"))


async def test_delete_relation(store, kind):
    await chain(store, ["a", "b"])
    await store.delete_relation("r_a_b")
    assert await store.get_relation("r_a_b") is None
    assert await store.get_entity("a") is not None
    if kind == "postgres":
        with pytest.raises(ValueError, match="not found"):
            await store.delete_relation("r_a_b")
    else:
        await store.delete_relation("r_a_b")


async def test_bulk_adds_skip_duplicates_and_missing_endpoints(store):
    assert await store.add_entities_bulk([ent("a"), ent("b"), ent("a")]) == 2
    assert await store.add_relations_bulk([rel("r1", "a", "b"), rel("r2", "a", "zz"), rel("r1", "b", "a")]) == 1
    assert await store.add_entities_bulk([]) == 0


async def test_large_bulk_adds_count_every_record_across_slices(store):
    # More records than one slice of a nonblocking store's bulk (256), with
    # repeats that fall in later slices than their first occurrence, and a
    # generator (the drop-in takes any iterable, as the reference's loop did).
    ids = [f"e{i:04d}" for i in range(700)]
    assert await store.add_entities_bulk(ent(i) for i in ids + ids[:300:3]) == 700
    rels = [rel(f"r{i:04d}", ids[i], ids[(i * 7 + 1) % 700]) for i in range(600)]
    assert await store.add_relations_bulk(rels + rels[10:20] + [rel("r_bad", "e0001", "nowhere")]) == 600
    stats = await store.get_stats()
    assert stats.get("entities", stats.get("entity_count")) == 700
    assert {e.id for e in await store.get_neighbors("e0000")} == {ids[1]}


async def test_a_long_bulk_add_on_the_in_memory_store_lets_other_tasks_run():
    import asyncio

    from graphstore.aiecs import InMemoryGraphStore

    store = InMemoryGraphStore()
    await store.initialize()
    try:
        turns = 0
        done = False

        async def ticker():
            nonlocal turns
            while not done:
                turns += 1
                await asyncio.sleep(0)

        task = asyncio.get_running_loop().create_task(ticker())
        await asyncio.sleep(0)
        started = turns
        assert await store.add_entities_bulk([ent(f"x{i:06d}") for i in range(40000)]) == 40000
        done = True
        await task
        assert turns - started >= 2  # the loop had turns during the load (every 16,384 records)
    finally:
        await store.close()

"""Drop-in models written as they are held: a record read from a store, its fields never materialised,
is written to another store unchanged (the native side reads the models' slots, not their properties)."""
from datetime import datetime

import numpy as np

from graphstore.aiecs import Entity, InMemoryGraphStore, Relation


async def test_unmaterialised_records_copy_exactly(store):
    stamp = datetime(2021, 5, 6, 7, 8, 9, 123456)
    await store.add_entity(Entity(id="a", entity_type="T", properties={"n": 1, "s": "x", "l": [1, 2]},
                                  embedding=[0.5, -1.0, 2.0], created_at=stamp, updated_at=stamp))
    await store.add_entity(Entity(id="b", entity_type="T"))
    await store.add_relation(Relation(id="r", relation_type="R", source_id="a", target_id="b", weight=0.25,
                                      properties={"w": True}, created_at=stamp))
    a, r = await store.get_entity("a"), await store.get_relation("r")
    b = await store.get_entity("b")
    other = InMemoryGraphStore()
    await other.initialize()
    try:
        await other.add_entity(a)  # nothing of `a` read yet: the stored forms are written
        await other.add_entity(b)
        await other.add_relation(r)
        a2, r2 = await other.get_entity("a"), await other.get_relation("r")
        assert a2.properties == {"n": 1, "s": "x", "l": [1, 2]}
        assert np.array_equal(a2.get_embedding_vector(), np.array([0.5, -1.0, 2.0], dtype=np.float32))
        assert a2.created_at == stamp and a2.updated_at == stamp
        assert r2.properties == {"w": True} and r2.weight == 0.25 and r2.created_at == stamp
        assert (await other.get_entity("b")).embedding is None
    finally:
        await other.close()


async def test_materialised_and_mutated_fields_win(store):
    await store.add_entity(Entity(id="a", entity_type="T", properties={"n": 1}, embedding=[1.0, 2.0]))
    a = await store.get_entity("a")
    a.properties["n"] = 2  # materialised, then mutated
    a.embedding = np.array([3.0, 4.0])  # a float64 array set by the caller
    a.created_at = datetime(2020, 1, 1)
    other = InMemoryGraphStore()
    await other.initialize()
    try:
        await other.add_entities_bulk([a])
        a2 = await other.get_entity("a")
        assert a2.properties == {"n": 2}
        assert a2.embedding == [3.0, 4.0]
        assert a2.created_at == datetime(2020, 1, 1)
    finally:
        await other.close()


async def test_neighbours_are_distinct_in_relation_order(store):
    for i in "abc":
        await store.add_entity(Entity(id=i, entity_type="T"))
    for rid, s, t in (("r1", "a", "c"), ("r2", "a", "b"), ("r3", "a", "c"), ("r4", "b", "a")):
        await store.add_relation(Relation(id=rid, relation_type="R", source_id=s, target_id=t))
    assert [e.id for e in await store.get_neighbors("a")] == ["c", "b"]
    both = [e.id for e in await store.get_neighbors("a", direction="both")]
    assert sorted(both) == ["b", "c"]
    assert [e.id for e in await store.get_neighbors("a", direction="incoming")] == ["b"]
    assert await store.get_neighbors("zz") == []

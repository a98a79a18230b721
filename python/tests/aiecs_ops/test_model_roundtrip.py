"""The drop-in's models through real stores: lazy store records, mutation after a read, exact fields."""
from datetime import datetime

import numpy as np
import pytest

from graphstore.aiecs import Entity, InMemoryGraphStore, Relation, SQLiteGraphStore

TS = datetime(2025, 12, 9, 10, 11, 12, 123456)


@pytest.fixture(params=["inmemory", "sqlite"])
async def store(request, tmp_path):
    s = InMemoryGraphStore() if request.param == "inmemory" else SQLiteGraphStore(str(tmp_path / "g.db"))
    await s.initialize()
    yield s
    await s.close()


async def test_record_fields_round_trip(store):
    e = Entity(id="a", entity_type="T", properties={"n": 1, "tags": ["x"], "nested": {"k": None}},
               embedding=[0.5, -0.25], created_at=TS, updated_at=TS, source="doc")
    await store.add_entity(e)
    got = await store.get_entity("a")
    assert type(got) is Entity
    assert got.model_dump() == e.model_dump()
    assert got.created_at.tzinfo is None
    v = got.get_embedding_vector()
    assert v.dtype == np.float32 and v.tolist() == [0.5, -0.25]


async def test_mutating_a_read_record_reaches_the_next_write(store):
    await store.add_entity(Entity(id="a", entity_type="T", properties={"n": 1}, embedding=[1.0, 0.0]))
    got = await store.get_entity("a")
    got.properties["n"] = 2
    got.properties["added"] = "yes"
    got.embedding[1] = 0.5
    await store.update_entity(got)
    again = await store.get_entity("a")
    assert again.properties == {"n": 2, "added": "yes"}
    assert again.embedding == [1.0, 0.5]


async def test_set_property_then_update(store):
    await store.add_entity(Entity(id="a", entity_type="T", updated_at=TS, created_at=TS))
    got = await store.get_entity("a")
    got.set_property("k", "v")
    await store.update_entity(got)
    again = await store.get_entity("a")
    assert again.properties == {"k": "v"} and again.updated_at > TS


async def test_relation_round_trip(store):
    for i in ("a", "b"):
        await store.add_entity(Entity(id=i, entity_type="T"))
    r = Relation(id="ab", relation_type="K", source_id="a", target_id="b", weight=0.0, properties={"p": 1},
                 created_at=TS, source="doc")
    await store.add_relation(r)
    got = await store.get_relation("ab")
    assert got.model_dump() == r.model_dump()
    assert got.updated_at is not None
    back = got.reverse()
    assert back.source_id == "b" and back.weight == 0.0

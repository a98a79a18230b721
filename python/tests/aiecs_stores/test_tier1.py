"""Tier 1 of the drop-in stores: adds, reads, the reference's errors and state flags."""
import numpy as np
import pytest

from graphstore.aiecs import Entity, InMemoryGraphStore, SQLiteGraphStore
from helpers import ent, rel


async def test_add_and_get_entity_round_trip(store):
    e = Entity(id="a", entity_type="Person", properties={"name": "Ada", "n": 3, "tags": ["x"]},
               embedding=[0.5, 0.25], source="doc1")
    await store.add_entity(e)
    got = await store.get_entity("a")
    assert got.id == "a" and got.entity_type == "Person"
    assert got.properties == {"name": "Ada", "n": 3, "tags": ["x"]}
    assert list(got.embedding) == [0.5, 0.25]
    assert got.source == "doc1"
    assert got.tenant_id is None
    assert got.created_at.tzinfo is None


async def test_missing_entity_and_relation_are_none(store):
    assert await store.get_entity("nope") is None
    assert await store.get_relation("nope") is None


async def test_duplicate_entity_raises_value_error(store):
    await store.add_entity(ent("a"))
    with pytest.raises(ValueError, match="Entity with ID 'a' already exists"):
        await store.add_entity(ent("a"))


async def test_relation_round_trip_and_duplicates(store):
    await store.add_entity(ent("a"))
    await store.add_entity(ent("b"))
    await store.add_relation(rel("r1", "a", "b", weight=0.0, since=2020))
    got = await store.get_relation("r1")
    assert (got.source_id, got.target_id, got.relation_type) == ("a", "b", "KNOWS")
    assert got.weight == 0.0  # the reference's PostgreSQL read 0.0 back as 1.0
    assert got.properties == {"since": 2020}
    with pytest.raises(ValueError, match="Relation with ID 'r1' already exists"):
        await store.add_relation(rel("r1", "a", "b"))


async def test_missing_endpoint_raises_value_error(store, kind):
    await store.add_entity(ent("a"))
    word = "not found" if kind == "inmemory" else "does not exist"
    with pytest.raises(ValueError, match=f"Target entity 'zz' {word}"):
        await store.add_relation(rel("r1", "a", "zz"))
    with pytest.raises(ValueError, match=f"Source entity 'yy' {word}"):
        await store.add_relation(rel("r2", "yy", "a"))
    assert await store.get_relation("r1") is None


async def test_numpy_embedding_in_and_out(store):
    vec = np.arange(8, dtype=np.float32) / 8
    await store.add_entity(Entity(id="v", entity_type="Doc", embedding=vec))
    got = await store.get_entity("v")
    assert np.allclose(np.asarray(got.embedding, dtype=np.float32), vec)
    assert got.get_embedding_vector().dtype == np.float32


@pytest.mark.parametrize("factory", [InMemoryGraphStore, lambda: SQLiteGraphStore(":memory:")])
async def test_every_call_before_initialize_raises_runtime_error(factory):
    s = factory()
    assert getattr(s, "_initialized", getattr(s, "_is_initialized", None)) is False
    for call in (s.add_entity(ent("a")), s.get_entity("a"), s.add_relation(rel("r", "a", "b")),
                 s.get_relation("r"), s.get_neighbors("a"), s.traverse("a"), s.find_paths("a", "b"),
                 s.subgraph_query(["a"]), s.get_all_entities(), s.vector_search([1.0]),
                 s.text_search("x"), s.clear(), s.add_entities_bulk([ent("a")])):
        with pytest.raises(RuntimeError, match="not initialized"):
            await call


async def test_state_flags_follow_initialize_and_close(make_store, kind):
    s = make_store()
    flag = "_initialized" if kind == "inmemory" else "_is_initialized"
    assert getattr(s, flag) is False
    await s.initialize()
    assert getattr(s, flag) is True
    await s.initialize()  # idempotent
    await s.close()
    assert getattr(s, flag) is False
    await s.close()  # idempotent


async def test_tenant_id_is_stamped_from_context(store):
    from graphstore.aiecs import TenantContext

    e = ent("a")
    await store.add_entity(e, context=TenantContext("acme"))
    assert e.tenant_id == "acme"
    assert (await store.get_entity("a", context=TenantContext("acme"))).tenant_id == "acme"

"""GracefulDegradationStore over the degradation plugin: normal mode, an outage, automatic recovery.

The primary is a SQLite file whose path is made a directory while the
"outage" lasts (SQLite cannot open it), as tests/degradation does in C++.
"""
import os
import shutil

import pytest

import graphstore as gs
from graphstore.aiecs import (DegradationMode, DegradationStatus, Entity, GracefulDegradationStore,
                              Relation, SQLiteGraphStore, StorageMode, TenantContext)

ACME = TenantContext("acme")


def ent(i, **props):
    return Entity(id=i, entity_type="Person", properties=props, embedding=[1.0, 0.0])


def rel(i, s, t):
    return Relation(id=i, relation_type="KNOWS", source_id=s, target_id=t)


@pytest.fixture
def paths(tmp_path):
    return str(tmp_path / "primary.db"), str(tmp_path / "journal")


async def read_primary(path, entity_id, context=None):
    s = SQLiteGraphStore(path)
    await s.initialize()
    try:
        return await s.get_entity(entity_id, context=context)
    finally:
        await s.close()


async def test_normal_mode_when_the_primary_is_healthy(paths):
    path, journal = paths
    w = GracefulDegradationStore(SQLiteGraphStore(path), journal_path=journal)
    await w.initialize()
    status = w.get_degradation_status()
    assert isinstance(status, DegradationStatus)
    assert status.mode is DegradationMode.NORMAL and StorageMode is DegradationMode
    assert status.to_dict() == {"mode": "normal", "primary_available": True, "fallback_available": True,
                                "last_failure": None, "failure_count": 0}
    assert await w.try_recover_primary() is True
    await w.close()


async def test_every_method_takes_a_context(paths):
    path, journal = paths
    w = GracefulDegradationStore(SQLiteGraphStore(path), journal_path=journal)
    await w.initialize()
    await w.add_entity(ent("a", name="graph"), context=ACME)
    await w.add_entity(ent("b"), context=ACME)
    await w.add_relation(rel("ab", "a", "b"), context=ACME)
    assert (await w.get_entity("a", context=ACME)).id == "a"
    assert await w.get_entity("a") is None
    assert (await w.get_relation("ab", context=ACME)).source_id == "a"
    assert [e.id for e in await w.get_neighbors("a", context=ACME)] == ["b"]
    assert [e.id for e in await w.get_neighbors("b", direction="incoming", context=ACME)] == ["a"]
    assert [r.id for r in await w.get_outgoing_relations("a", context=ACME)] == ["ab"]
    assert [r.id for r in await w.get_incoming_relations("b", context=ACME)] == ["ab"]
    a = await w.get_entity("a", context=ACME)
    a.properties["name"] = "graph storage"
    await w.update_entity(a, context=ACME)
    assert (await w.get_entity("a", context=ACME)).properties["name"] == "graph storage"
    async with w.transaction():
        await w.add_entity(ent("t"), context=ACME)
    assert await w.get_entity("t", context=ACME) is not None
    await w.delete_entity("t", context=ACME)
    assert await w.get_entity("t", context=ACME) is None
    ents, rels = await w.subgraph_query(["a", "b"], context=ACME)
    assert {e.id for e in ents} == {"a", "b"}
    assert (await w.vector_search([1.0, 0.0], context=ACME))[0][0].id in ("a", "b")
    assert (await w.text_search("graph", context=ACME))[0][0].id == "a"
    assert await w.add_entities_bulk([ent("c"), ent("a")], context=ACME) == 1
    assert len(await w.get_all_entities(context=ACME)) == 3
    stats = await w.get_stats(context=ACME)
    assert (stats["entity_count"], stats["relation_count"], stats["mode"]) == (3, 1, "normal")
    await w.clear(context=ACME)
    assert await w.get_all_entities(context=ACME) == []
    await w.close()
    assert await read_primary(path, "a", ACME) is None


async def test_outage_writes_are_journaled_and_replayed(paths):
    path, journal = paths
    os.makedirs(path)  # the primary cannot be opened
    w = GracefulDegradationStore(SQLiteGraphStore(path), journal_path=journal, health_interval=0.05)
    await w.initialize()
    try:
        status = w.get_degradation_status()
        assert status.mode is DegradationMode.DEGRADED and not status.primary_available
        assert status.last_failure
        await w.add_entity(ent("a"))
        await w.add_entity(ent("b"), context=ACME)
        assert (await w.get_entity("a")).id == "a", "reads are served by the fallback"
        with pytest.raises(ValueError):
            await w.add_entity(ent("a"))  # the reference's duplicate error, from the fallback
        assert await w.try_recover_primary(timeout=0.2) is False
        shutil.rmtree(path)  # the primary comes back
        assert await w.try_recover_primary(timeout=10) is True
        assert w.get_degradation_status().to_dict()["last_failure"] is None
        await w.add_entity(ent("c"))
    finally:
        await w.close()
    assert await read_primary(path, "a") is not None, "the outage's writes reached the primary"
    assert await read_primary(path, "b", ACME) is not None
    assert await read_primary(path, "c") is not None


async def test_without_fallback_the_wrapper_is_the_primary(paths):
    path, journal = paths
    w = GracefulDegradationStore(SQLiteGraphStore(path), enable_fallback=False)
    await w.initialize()
    await w.add_entity(ent("a"))
    assert w.get_degradation_status().mode is DegradationMode.NORMAL
    await w.close()
    assert await read_primary(path, "a") is not None


async def test_in_process_primary_is_served_directly():
    from graphstore.aiecs import InMemoryGraphStore

    primary = InMemoryGraphStore()
    await primary.initialize()
    await primary.add_entity(ent("before"))
    w = GracefulDegradationStore(primary)
    await w.initialize()
    assert (await w.get_entity("before")).id == "before", "the wrapper serves the primary's own data"
    await w.add_entity(ent("after"))
    assert (await primary.get_entity("after")).id == "after"
    assert w.get_degradation_status().mode is DegradationMode.NORMAL
    await w.close()


async def test_graph_calls_through_the_wrapper(paths):
    path, journal = paths
    w = GracefulDegradationStore(SQLiteGraphStore(path), journal_path=journal)
    await w.initialize()
    for i in ("a", "b", "c"):
        await w.add_entity(ent(i), context=ACME)
    await w.add_relation(rel("ab", "a", "b"), context=ACME)
    await w.add_relation(rel("bc", "b", "c"), context=ACME)
    assert [p.get_entity_ids() for p in await w.find_paths("a", "c", context=ACME)] == [["a", "b", "c"]]
    assert sorted(p.end_entity.id for p in await w.traverse("a", context=ACME)) == ["b", "c"]
    await w.close()

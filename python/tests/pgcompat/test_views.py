"""The reference's tables (graph_entities, graph_relations) seen through the
pool after writes through graphstore's own postgres store."""
import datetime
import itertools
import json
import os
import struct

import numpy as np
import pytest

import graphstore as gs
from graphstore.aiecs import pg_pool

_seq = itertools.count()


@pytest.fixture
def schema():
    return f"pgcompat_{os.getpid()}_{next(_seq)}"


@pytest.fixture
def store(pg_kwargs, schema):
    options = dict(pg_kwargs, schema=schema, min_pool_size=1, max_pool_size=2)
    with gs.open_backend("postgres", options) as s:
        yield s


@pytest.fixture
async def view_pool(pg_kwargs, schema, store):
    async with pg_pool.create_pool(min_size=1, max_size=2, schema=schema, **pg_kwargs) as pool:
        yield pool


def graph(store):
    embedding = np.array([1.0, -2.5, 0.1], dtype=np.float32)
    store.add_entity(gs.Entity(id="a", entity_type="Person", properties={"name": "Ada", "tags": ["x"]},
                               embedding=embedding), tenant="acme")
    store.add_entity(gs.Entity(id="b", entity_type="Person"), tenant="acme")
    store.add_entity(gs.Entity(id="g", entity_type="Global"), tenant="")
    store.add_relation(gs.Relation(id="r", relation_type="KNOWS", source_id="a", target_id="b", weight=0.25,
                                   properties={"since": 2020}), tenant="acme")
    store.add_relation(gs.Relation(id="z", relation_type="KNOWS", source_id="b", target_id="a", weight=0.0),
                       tenant="acme")
    return embedding


async def test_graph_entities_shows_the_reference_columns(store, view_pool):
    embedding = graph(store)
    rows = await view_pool.fetch("SELECT * FROM graph_entities ORDER BY tenant_id, id")
    assert [(r["tenant_id"], r["id"]) for r in rows] == [("", "g"), ("acme", "a"), ("acme", "b")]
    assert list(rows[0].keys()) == ["id", "tenant_id", "entity_type", "properties", "embedding", "created_at",
                                    "updated_at"]
    a = rows[1]
    assert a["entity_type"] == "Person"
    assert isinstance(a["properties"], str), "jsonb comes back as JSON text, as asyncpg returns it"
    assert json.loads(a["properties"]) == {"name": "Ada", "tags": ["x"]}
    assert a["embedding"] == struct.pack("<3f", *embedding.tolist())
    assert np.array_equal(np.frombuffer(a["embedding"], dtype="<f4"), embedding)
    assert rows[2]["embedding"] is None
    stored = store.get_entity("a", tenant="acme")
    assert a["created_at"].tzinfo is None, "timestamp without time zone, in UTC, as the reference's"
    assert a["created_at"] == stored.created_at.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    assert a["updated_at"] == stored.updated_at.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    # A JSON report as the reference's users wrote it.
    assert await view_pool.fetchval(
        "SELECT count(*) FROM graph_entities WHERE tenant_id = $1 AND properties->>'name' = $2", "acme", "Ada") == 1


async def test_graph_relations_shows_weights_and_properties(store, view_pool):
    graph(store)
    r = await view_pool.fetchrow("SELECT * FROM graph_relations WHERE tenant_id = $1 AND id = $2", "acme", "r")
    assert list(r.keys()) == ["id", "tenant_id", "relation_type", "source_id", "target_id", "properties", "weight",
                              "created_at", "updated_at"]
    assert (r["relation_type"], r["source_id"], r["target_id"]) == ("KNOWS", "a", "b")
    assert r["weight"] == 0.25
    assert json.loads(r["properties"]) == {"since": 2020}
    assert await view_pool.fetchval("SELECT weight FROM graph_relations WHERE id = 'z'") == 0.0
    by_type = await view_pool.fetch(
        "SELECT relation_type, count(*) AS n FROM graph_relations GROUP BY relation_type")
    assert [dict(x) for x in by_type] == [{"relation_type": "KNOWS", "n": 2}]


async def test_a_delete_through_the_view_keeps_graphstores_invariants(store, view_pool):
    graph(store)
    assert await view_pool.execute("DELETE FROM graph_entities WHERE tenant_id = $1 AND id = $2",
                                   "acme", "a") == "DELETE 1"
    assert store.get_entity("a", tenant="acme") is None
    assert store.get_relation("r", tenant="acme") is None, "the deleted entity's relations go with it"
    assert store.get_relation("z", tenant="acme") is None
    assert store.get_entity("b", tenant="acme") is not None
    assert store.neighbors("b", direction="both", tenant="acme") == []
    assert await view_pool.execute("DELETE FROM graph_relations WHERE id = 'nothing'") == "DELETE 0"
    with pytest.raises(pg_pool.PostgresError) as info:
        await view_pool.execute("INSERT INTO graph_entities (id, tenant_id, entity_type) VALUES ('n', '', 'T')")
    assert info.value.sqlstate == "0A000"


async def test_updates_through_the_views(store, view_pool):
    graph(store)
    assert await view_pool.execute("UPDATE graph_relations SET weight = $1 WHERE id = 'r'", 0.5) == "UPDATE 1"
    assert store.get_relation("r", tenant="acme").weight == 0.5
    assert await view_pool.execute("UPDATE graph_entities SET entity_type = 'Robot' WHERE id = 'b'") == "UPDATE 1"
    assert store.get_entity("b", tenant="acme").entity_type == "Robot"
    with pytest.raises(pg_pool.PostgresError) as info:
        await view_pool.execute("UPDATE graph_entities SET properties = '{}' WHERE id = 'a'")
    assert info.value.sqlstate == "0A000"

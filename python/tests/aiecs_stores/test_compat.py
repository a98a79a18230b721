"""What code written around the reference relies on: foreign model objects, stats keys, one import module."""
import dataclasses
import datetime
from typing import Optional

import pytest

import graphstore.aiecs as aiecs


@dataclasses.dataclass
class ForeignEntity:  # stands for the reference's pydantic model
    id: str
    entity_type: str
    properties: dict = dataclasses.field(default_factory=dict)
    embedding: Optional[list] = None
    created_at: datetime.datetime = dataclasses.field(default_factory=datetime.datetime.utcnow)
    updated_at: datetime.datetime = dataclasses.field(default_factory=datetime.datetime.utcnow)
    source: Optional[str] = None
    tenant_id: Optional[str] = None


@dataclasses.dataclass
class ForeignRelation:
    id: str
    relation_type: str
    source_id: str
    target_id: str
    properties: dict = dataclasses.field(default_factory=dict)
    weight: float = 1.0
    created_at: datetime.datetime = dataclasses.field(default_factory=datetime.datetime.utcnow)
    source: Optional[str] = None
    tenant_id: Optional[str] = None


async def test_foreign_model_objects_are_accepted_by_attribute(store):
    await store.add_entity(ForeignEntity("a", "Person", {"name": "Ada"}, embedding=[1.0, 0.0]))
    await store.add_entity(ForeignEntity("b", "Person"))
    await store.add_relation(ForeignRelation("r", "KNOWS", "a", "b", {"w": 1}, weight=0.25))
    got = await store.get_entity("a")
    assert isinstance(got, aiecs.Entity) and got.properties == {"name": "Ada"}
    r = await store.get_relation("r")
    assert isinstance(r, aiecs.Relation) and r.weight == 0.25
    assert await store.add_entities_bulk([ForeignEntity("c", "Person")]) == 1
    ctx = aiecs.TenantContext("acme")
    e = ForeignEntity("a", "Person")
    await store.add_entity(e, context=ctx)
    assert e.tenant_id == "acme"


async def test_stats_keys_per_backend(store, kind):
    await store.add_entity(aiecs.Entity(id="a", entity_type="P"))
    if kind == "inmemory":
        stats = store.get_stats()  # synchronous, as the reference's
        assert set(stats) == {"nodes", "edges", "entities", "relations", "tenant_count"}
        assert stats["entities"] == 1
        assert (await store.get_stats()) == stats  # and awaitable, for code written for the SQL stores
    elif kind == "postgres":
        stats = await store.get_stats()
        assert set(stats) == {"entity_count", "relation_count", "entity_types", "relation_types", "backend",
                              "pool_size", "isolation_mode", "tenant_id", "enable_rls"}
        assert stats["backend"] == "postgresql" and stats["entity_types"] == {"P": 1}
    else:
        stats = await store.get_stats()
        assert set(stats) == {"entity_count", "relation_count", "storage_type", "db_path", "db_size_bytes",
                              "is_initialized", "isolation_mode", "tenant_id"}
        assert stats["storage_type"] == "sqlite" and stats["entity_count"] == 1


def test_everything_imports_from_one_module():
    for name in ("InMemoryGraphStore", "SQLiteGraphStore", "PostgresGraphStore", "GraphStore",
                 "GracefulDegradationStore", "GraphStorageMigrator", "Entity", "Relation", "Path",
                 "GraphQuery", "QueryType", "GraphResult", "TenantContext", "TenantIsolationMode",
                 "validate_tenant_id", "normalize_tenant_id", "InvalidTenantIdError", "CrossTenantRelationError"):
        assert hasattr(aiecs, name), name
    assert issubclass(aiecs.InMemoryGraphStore, aiecs.GraphStore)


async def test_inmemory_property_lookups():
    s = aiecs.InMemoryGraphStore(max_tenant_graphs=1)
    await s.initialize()
    try:
        await s.add_entity(aiecs.Entity(id="a", entity_type="P", properties={"city": "Oslo"}))
        await s.add_entity(aiecs.Entity(id="b", entity_type="P", properties={"city": "Rome"}))
        s.add_indexed_property("city")
        assert s.lookup_by_property("city", "Oslo") == {"a"}
        assert [e.id for e in await s.get_entities_by_property("city", "Rome")] == ["b"]
        # max_tenant_graphs=1 evicted tenants in the reference; here nothing is ever evicted
        for t in ("t1", "t2", "t3"):
            await s.add_entity(aiecs.Entity(id="x", entity_type="P"), context=aiecs.TenantContext(t))
        assert await s.get_tenant_count() == 3
        assert await s.get_entity("x", context=aiecs.TenantContext("t1")) is not None
    finally:
        await s.close()


def test_postgres_settings_come_from_db_variables(monkeypatch):
    from graphstore.aiecs.postgres import connection_settings

    env = {"DB_HOST": "db.example", "DB_PORT": "6543", "DB_USER": "u", "DB_PASSWORD": "p", "DB_NAME": "kg"}
    assert connection_settings(None, None, None, None, None, env) == {
        "host": "db.example", "port": 6543, "user": "u", "password": "p", "database": "kg"}
    assert connection_settings("h", None, None, None, None, {})["host"] == "h"
    assert connection_settings(None, None, None, None, None, {})["database"] == "aiecs"
    cloud = {"DB_CONNECTION_MODE": "cloud", "POSTGRES_URL": "postgresql://x@y/z"}
    assert connection_settings(None, None, None, None, None, cloud) == {"dsn": "postgresql://x@y/z"}
    with pytest.raises(TypeError, match="pool_timeout"):
        aiecs.PostgresGraphStore(pool_timeout=3)

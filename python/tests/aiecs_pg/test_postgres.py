"""What only PostgresGraphStore does: persistence across stores, no upsert, DB_* settings, RLS, store.pool."""
import pytest

from graphstore.aiecs import PostgresGraphStore, TenantContext
from helpers import chain, ent
from pg_helpers import settings


async def test_data_survives_close_and_reopen(make_store):
    s = make_store()
    await s.initialize()
    await chain(s, ["a", "b", "c"])
    await chain(s, ["x", "y"], context=TenantContext("acme"))
    await s.close()
    s = make_store()
    await s.initialize()
    try:
        assert [p.end_entity.id for p in await s.traverse("a")] == ["b", "c"]
        assert await s.get_tenant_ids() == ["acme"]
    finally:
        await s.close()


async def test_add_entity_no_longer_upserts(store):
    await store.add_entity(ent("a", v=1))
    with pytest.raises(ValueError, match="already exists"):
        await store.add_entity(ent("a", v=2))
    assert (await store.get_entity("a")).properties == {"v": 1}


async def test_delete_and_update_of_missing_records_raise(store):
    with pytest.raises(ValueError, match="not found"):
        await store.delete_entity("missing")
    with pytest.raises(ValueError, match="not found"):
        await store.delete_relation("missing")
    with pytest.raises(ValueError, match="not found"):
        await store.update_entity(ent("missing"))


async def test_find_paths_default_depth_is_three(store):
    await chain(store, ["a", "b", "c", "d", "e"])
    assert await store.find_paths("a", "e") == []
    assert len(await store.find_paths("a", "d")) == 1
    assert len(await store.find_paths("a", "e", max_depth=4)) == 1


async def test_settings_from_db_variables(pg_server, schema, monkeypatch):
    monkeypatch.setenv("DB_HOST", pg_server["host"])
    monkeypatch.setenv("DB_PORT", str(pg_server["port"]))
    monkeypatch.setenv("DB_USER", pg_server["user"])
    monkeypatch.setenv("DB_PASSWORD", pg_server["password"])
    monkeypatch.setenv("DB_NAME", pg_server["database"])
    s = PostgresGraphStore(schema=schema, min_pool_size=1, max_pool_size=2)
    await s.initialize()
    try:
        await s.add_entity(ent("a"))
        stats = await s.get_stats()
        assert stats["entity_count"] == 1 and stats["backend"] == "postgresql"
        assert set(stats) == {"entity_count", "relation_count", "entity_types", "relation_types", "backend",
                              "pool_size", "isolation_mode", "tenant_id", "enable_rls"}
        assert stats["entity_types"] == {"Person": 1}
    finally:
        await s.close()


async def test_row_level_security_keeps_tenants_apart(pg_server, schema):
    s = PostgresGraphStore(enable_rls=True, **settings(pg_server, schema))
    await s.initialize()
    try:
        await chain(s, ["a", "b"], context=TenantContext("t1"))
        assert await s.get_entity("a", context=TenantContext("t2")) is None
        assert await s.get_entity("a") is None
        assert [e.id for e in await s.get_neighbors("a", context=TenantContext("t1"))] == ["b"]
    finally:
        await s.close()


async def test_unreachable_server_fails_initialize(schema):
    s = PostgresGraphStore(host="127.0.0.1", port=1, user="x", password="y", database="z", schema=schema,
                           min_pool_size=1, max_pool_size=1, timeout=2)
    with pytest.raises(Exception):
        await s.initialize()
    assert s._is_initialized is False


async def test_store_pool_is_asyncpg_shaped(store):
    async with store.pool.acquire() as conn:
        assert await conn.fetchval("SELECT $1::int + 1", 1) == 2
    assert await store.pool.fetchval("SELECT current_database()") == "graphstore"
    assert (await store.get_stats())["pool_size"].endswith("/4")


async def test_given_pool_is_used_and_left_open(pg_server, schema):
    from graphstore.aiecs.pg_pool import Pool

    pool = await Pool.create(pg_server["host"], pg_server["port"], pg_server["user"], pg_server["password"],
                             pg_server["database"], min_size=1, max_size=2, schema=schema)
    s = PostgresGraphStore(pool=pool, **settings(pg_server, schema))
    await s.initialize()
    assert s.pool is pool
    await s.close()
    assert await pool.fetchval("SELECT 1") == 1
    await pool.close()


async def test_enable_pgvector_falls_back_when_the_server_lacks_it(pg_server, schema):
    s = PostgresGraphStore(enable_pgvector=True, **settings(pg_server, schema))
    await s.initialize()
    try:
        await s.add_entity(ent("a"))
        assert s.enable_pgvector in (True, False)  # False (with a warning) on a server without pgvector
        assert (await s.get_entity("a")).id == "a"
    finally:
        await s.close()

"""Tenant isolation, clear per tenant and all, tenant listing, the cross-tenant check."""
import pytest

from graphstore.aiecs import CrossTenantRelationError, TenantContext
from helpers import chain, ent, rel

T1, T2 = TenantContext("t1"), TenantContext("t2")


async def test_namespaces_are_isolated(store):
    await chain(store, ["a", "b"], context=T1)
    await store.add_entity(ent("a", name="global"))
    assert (await store.get_entity("a")).properties == {"name": "global"}
    assert (await store.get_entity("a", context=T1)).tenant_id == "t1"
    assert await store.get_entity("b") is None
    assert await store.get_entity("b", context=T2) is None
    assert await store.get_neighbors("a") == []
    assert [e.id for e in await store.get_neighbors("a", context=T1)] == ["b"]
    assert len(await store.get_all_entities(context=T1)) == 2
    with pytest.raises(ValueError):  # the endpoint b lives in t1 only
        await store.add_relation(rel("x", "a", "b"))


async def test_clear_one_tenant_then_everything(store):
    await chain(store, ["a", "b"], context=T1)
    await chain(store, ["a", "b"], context=T2)
    await chain(store, ["a", "b"])
    assert await store.get_tenant_ids() == ["t1", "t2"]
    assert await store.get_tenant_count() == 2
    await store.clear(T1)
    assert await store.get_entity("a", context=T1) is None
    assert await store.get_entity("a", context=T2) is not None
    assert await store.get_entity("a") is not None
    await store.clear()
    assert await store.get_entity("a", context=T2) is None
    assert await store.get_entity("a") is None
    assert await store.get_tenant_ids() == []


async def test_relation_of_another_tenant_is_refused(store):
    await chain(store, ["a", "b"], context=T1)
    r = rel("x", "a", "b")
    r.tenant_id = "t2"
    with pytest.raises(CrossTenantRelationError):
        await store.add_relation(r, context=T1)


async def test_entity_tenant_id_never_chooses_the_namespace(store):
    e = ent("a")
    e.tenant_id = "t2"
    await store.add_entity(e, context=T1)
    assert e.tenant_id == "t2"  # the caller's object is left alone
    assert (await store.get_entity("a", context=T1)).tenant_id == "t1"
    assert await store.get_entity("a", context=T2) is None
    await store.add_entity(e)  # no context: the global namespace
    assert (await store.get_entity("a")).tenant_id is None


async def test_bulk_respects_the_context(store):
    assert await store.add_entities_bulk([ent("a"), ent("b")], context=T1) == 2
    assert await store.add_relations_bulk([rel("r", "a", "b")], context=T1) == 1
    assert await store.get_entity("a") is None
    assert (await store.get_relation("r", context=T1)).tenant_id == "t1"

"""TenantContext(validate=False) postpones the check to the store, which refuses a bad id."""
import pytest

import graphstore as gs
from graphstore.aiecs import Entity, InMemoryGraphStore, SQLiteGraphStore, TenantContext


@pytest.mark.parametrize("make", [InMemoryGraphStore, lambda: SQLiteGraphStore(":memory:")])
@pytest.mark.parametrize("bad", ["bad id", "acme\n", "x'; DROP TABLE entities; --", "a" * 256])
async def test_store_refuses_an_unvalidated_bad_tenant(make, bad):
    store = make()
    await store.initialize()
    try:
        ctx = TenantContext(bad, validate=False)
        with pytest.raises(gs.InvalidArgumentError) as info:
            await store.add_entity(Entity(id="a", entity_type="T"), context=ctx)
        assert isinstance(info.value, ValueError)
        with pytest.raises(gs.InvalidArgumentError):
            await store.get_entity("a", context=ctx)
        assert await store.get_all_entities() == []
    finally:
        await store.close()

"""100 coroutines on one store at once (asyncio.gather)."""
import asyncio

from graphstore.aiecs import TenantContext
from helpers import ent, rel


async def test_hundred_concurrent_coroutines(store):
    await store.add_entity(ent("hub"))

    async def worker(i):
        ctx = TenantContext(f"t{i % 4}") if i % 2 else None
        if ctx is not None:
            try:
                await store.add_entity(ent("hub"), context=ctx)
            except ValueError:
                pass
        await store.add_entity(ent(f"e{i}"), context=ctx)
        await store.add_relation(rel(f"r{i}", "hub", f"e{i}"), context=ctx)
        assert (await store.get_entity(f"e{i}", context=ctx)).id == f"e{i}"
        neighbours = await store.get_neighbors("hub", context=ctx)
        assert f"e{i}" in {e.id for e in neighbours}
        return i

    assert sorted(await asyncio.gather(*(worker(i) for i in range(100)))) == list(range(100))
    assert len(await store.get_neighbors("hub")) == 50
    total = len(await store.get_all_entities())
    for t in range(4):
        total += len(await store.get_all_entities(context=TenantContext(f"t{t}")))
    assert total == 1 + 100 + 2  # the global hub, 100 entities, a hub in t1 and t3

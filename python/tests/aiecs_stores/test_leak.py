"""No leak on the hottest path: 1,000,000 get_entity calls through the in-memory drop-in."""
import os

from graphstore.aiecs import Entity, InMemoryGraphStore


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


async def test_resident_memory_stays_flat_over_a_million_reads():
    s = InMemoryGraphStore()
    await s.initialize()
    try:
        for i in range(100):
            await s.add_entity(Entity(id=f"e{i}", entity_type="P", properties={"n": i}, embedding=[0.5] * 16))
        ids = [f"e{i % 100}" for i in range(1000)]
        get = s.get_entity
        for _ in range(100):  # warm-up: allocator pools, caches
            for i in ids:
                await get(i)
        before = rss_bytes()
        for _ in range(1000):
            for i in ids:
                e = await get(i)
                e.properties  # materialise the lazy fields too
                e.embedding
        grown = rss_bytes() - before
        assert grown < 10 * 1024 * 1024, f"resident memory grew by {grown / 1e6:.1f} MB"
    finally:
        await s.close()

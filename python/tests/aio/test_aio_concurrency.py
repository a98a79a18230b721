"""Where graphstore.aio runs calls, and what many coroutines at once see.

Nonblocking plugins run inline on the loop thread; others on the store's
bounded pool, which keeps the loop responsive; cancellation leaves every
batch whole or absent; close() waits for the calls in flight.
"""
import asyncio
import threading
import time

import graphstore as gs
from graphstore import aio

from aio_helpers import entity, relation


def _recording_factory(threads):
    """An entity factory that notes the thread building each returned record."""
    def factory(id, entity_type, properties_json, embedding, created_at_us, updated_at_us, source, tenant_id):
        threads.add(threading.get_ident())
        return (id, entity_type)
    return factory


async def test_100_concurrent_coroutines_on_one_store(store):
    async def worker(w):
        for i in range(20):
            await store.add_entity(entity(f"w{w}-{i}"))
            assert (await store.get_entity(f"w{w}-{i}")).id == f"w{w}-{i}"
        if w:
            await store.add_relation(relation(f"r{w}", f"w{w}-0", f"w{w - 1}-0"))
        return w

    done = await asyncio.gather(*(worker(w) for w in range(100)))
    assert done == list(range(100))
    stats = await store.stats()
    assert (stats.entity_count, stats.relation_count) == (2000, 99)


async def test_nonblocking_plugin_runs_calls_on_the_loop_thread(inmemory):
    assert "nonblocking" in inmemory.plugin.capabilities and inmemory.inline
    await inmemory.add_entity(entity("a"))
    threads = set()
    inmemory.set_record_factories(_recording_factory(threads), None)
    assert await inmemory.get_entity("a") == ("a", "Person")
    assert threads == {threading.get_ident()}


async def test_blocking_plugin_runs_calls_on_its_pool(sqlite):
    assert "nonblocking" not in sqlite.plugin.capabilities and not sqlite.inline
    assert 1 <= sqlite.max_workers <= 8
    await sqlite.add_entity(entity("a"))
    threads = set()
    sqlite.set_record_factories(_recording_factory(threads), None)
    results = await asyncio.gather(*(sqlite.get_entity("a") for _ in range(50)))
    assert results == [("a", "Person")] * 50
    assert threads and threading.get_ident() not in threads
    assert len(threads) <= sqlite.max_workers


async def test_pool_is_bounded_and_callers_wait_their_turn(tmp_path):
    store = await aio.open_backend("sqlite", {"path": str(tmp_path / "g.db")}, max_workers=2)
    try:
        running, peak = 0, 0
        lock = threading.Lock()

        def factory(*fields):
            nonlocal running, peak
            with lock:
                running += 1
                peak = max(peak, running)
            time.sleep(0.002)  # inside the native call: the worker is busy
            with lock:
                running -= 1
            return fields[0]

        await store.add_entity(entity("a"))
        store.set_record_factories(factory, None)
        assert await asyncio.gather(*(store.get_entity("a") for _ in range(40))) == ["a"] * 40
        assert peak <= 2
    finally:
        await store.close()


async def test_event_loop_keeps_ticking_while_100_slow_calls_run(sqlite):
    # Each call writes 300 entities in one transaction to a file: slow enough
    # that running them on the loop thread would stall it for seconds.
    gaps = []
    stop = asyncio.Event()

    async def ticker():
        last = time.monotonic()
        while not stop.is_set():
            await asyncio.sleep(0.01)
            now = time.monotonic()
            gaps.append(now - last)
            last = now

    tick = asyncio.create_task(ticker())
    await asyncio.gather(*(sqlite.add_entities_bulk([entity(f"{c}-{i}") for i in range(300)])
                           for c in range(100)))
    stop.set()
    await tick
    assert (await sqlite.stats()).entity_count == 30000
    assert len(gaps) > 5
    assert max(gaps) < 0.5, f"the loop stalled for {max(gaps):.3f} s"


async def test_cancelled_batches_are_applied_whole_or_not_at_all(store):
    async def one_batch(n):
        async with store.batch() as b:
            for i in range(10):
                b.add_entity(entity(f"b{n}-{i}"))
            for i in range(9):
                b.add_relation(relation(f"r{n}-{i}", f"b{n}-{i}", f"b{n}-{i + 1}"))
        return n

    tasks = [asyncio.create_task(one_batch(n)) for n in range(100)]
    await asyncio.sleep(0.005)
    for t in tasks[::2]:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await store.drain()  # batches whose apply had started finish in their thread
    applied = 0
    for n in range(100):
        present = [await store.get_entity(f"b{n}-{i}") is not None for i in range(10)]
        rels = [await store.get_relation(f"r{n}-{i}") is not None for i in range(9)]
        assert all(present) == any(present) and all(rels) == all(present), f"batch {n} is partial"
        applied += all(present)
    stats = await store.stats()
    assert (stats.entity_count, stats.relation_count) == (applied * 10, applied * 9)
    assert applied >= 50  # the batches never cancelled all ran


async def test_cancelled_single_calls_leave_the_store_consistent(sqlite):
    tasks = [asyncio.create_task(sqlite.add_entity(entity(i))) for i in range(100)]
    await asyncio.sleep(0.002)
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await sqlite.drain()  # adds that had started finish in their thread
    ids = [e.id async for e in sqlite.scan_entities()]
    assert (await sqlite.stats()).entity_count == len(ids)
    # A cancelled add either happened or did not: repeating the missing ones succeeds.
    missing = sorted(set(map(str, range(100))) - set(ids))
    for i in missing:
        await sqlite.add_entity(entity(i))
    assert (await sqlite.stats()).entity_count == 100


async def test_close_waits_for_calls_in_flight(tmp_path):
    store = await aio.open_backend("sqlite", {"path": str(tmp_path / "g.db")})
    calls = [asyncio.create_task(store.add_entities_bulk([entity(f"{c}-{i}") for i in range(200)]))
             for c in range(store.max_workers)]
    await asyncio.sleep(0.001)
    await store.close()
    results = await asyncio.gather(*calls, return_exceptions=True)
    started = [r for r in results if not isinstance(r, BaseException)]
    assert all(r.added == 200 for r in started)
    reopened = gs.open_backend("sqlite", {"path": str(tmp_path / "g.db")})
    try:
        assert reopened.stats().entity_count == 200 * len(started)
    finally:
        reopened.close()


async def test_hot_swap_under_load_fails_no_call(tmp_path):
    handle = await aio.open_backend("inmemory", swappable=True)
    assert isinstance(handle, aio.AsyncStoreHandle) and not handle.inline
    try:
        await handle.add_entities_bulk([entity(i) for i in range(200)])
        stop = asyncio.Event()
        calls = 0

        async def reader():
            nonlocal calls
            while not stop.is_set():
                got = await handle.get_entity(str(calls % 200))
                assert got is not None
                calls += 1

        readers = [asyncio.create_task(reader()) for _ in range(8)]
        await asyncio.sleep(0.05)
        target = await aio.open_backend("sqlite", {"path": str(tmp_path / "swap.db")})
        await handle.swap(target, migrate=True)
        await asyncio.sleep(0.05)
        stop.set()
        await asyncio.gather(*readers)
        assert calls > 0
        assert handle.plugin.id == "sqlite"
        assert (await handle.stats()).entity_count == 200
    finally:
        await handle.close()


async def test_store_handle_wraps_an_open_store():
    handle = aio.AsyncStoreHandle(gs.open_backend("inmemory"))
    try:
        await handle.add_entity(entity("a"))
        await handle.swap(gs.open_backend("inmemory"), migrate=True)
        assert (await handle.get_entity("a")).id == "a"
    finally:
        await handle.close()

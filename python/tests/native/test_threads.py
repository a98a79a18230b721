"""The GIL is released inside every store call: calls from 8 threads all
complete correctly, and another thread makes progress while a long call
runs."""
import threading
import time

import graphstore as gs


def test_eight_threads_complete_correctly(store):
    n_threads, per_thread = 8, 2000
    errors = []

    def work(t):
        try:
            for i in range(per_thread):
                eid = f"t{t}-{i}"
                store.add_entity(gs.Entity(eid, "T", {"i": i}))
                assert store.get_entity(eid).properties == {"i": i}
                if i:
                    store.add_relation(gs.Relation(f"r{t}-{i}", "x", f"t{t}-{i-1}", eid))
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(n_threads)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    st = store.stats()
    assert st.entity_count == n_threads * per_thread
    assert st.relation_count == n_threads * (per_thread - 1)


def test_other_thread_progresses_during_long_call(store):
    # A long call: a bulk add of many entities with large properties.
    entities = [gs.Entity(f"e{i}", "T", {"pad": "x" * 20}) for i in range(150_000)]
    ticks = []
    done = threading.Event()

    def ticker():
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    th = threading.Thread(target=ticker)
    th.start()
    time.sleep(0.01)
    # Conversion of the records holds the GIL; the store call itself does
    # not. Count ticks while the call runs.
    before = len(ticks)
    start = time.perf_counter()
    store.add_entities_bulk(entities)
    end = time.perf_counter()
    done.set()
    th.join()
    during = [t for t in ticks[before:] if start <= t <= end]
    assert len(during) >= 3, f"the ticker ran {len(during)} times during a {end - start:.3f} s call"


def test_parallel_reads_scale_or_complete(store):
    store.add_entities_bulk([gs.Entity(f"e{i}", "T") for i in range(1000)])
    barrier = threading.Barrier(8)
    counts = [0] * 8

    def reader(t):
        barrier.wait()
        for i in range(5000):
            assert store.get_entity(f"e{(i * 7 + t) % 1000}") is not None
            counts[t] += 1

    threads = [threading.Thread(target=reader, args=(t,)) for t in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert counts == [5000] * 8

"""StoreHandle: hot swap from Python while threads read and write."""
import threading
import time

import graphstore as gs


def test_handle_wraps_store_and_swaps(tmp_path):
    first = gs.open_backend("inmemory")
    first.add_entity(gs.Entity("a", "T"))
    h = gs.StoreHandle(first)
    assert first.closed and h.get_entity("a") is not None
    report = h.swap(gs.open_backend("sqlite", {"path": str(tmp_path / "n.db")}), migrate=True)
    assert report.copied_entities == 1
    assert h.plugin.id == "sqlite" and h.get_entity("a") is not None
    h.close()


def test_swap_under_load_no_failed_call(tmp_path):
    h = gs.StoreHandle(gs.open_backend("inmemory"))
    h.add_entities_bulk([gs.Entity(f"seed{i}", "T") for i in range(2000)])
    stop = threading.Event()
    failures, counts = [], [0] * 4

    def worker(t):
        i = 0
        try:
            while not stop.is_set():
                eid = f"w{t}-{i}"
                h.add_entity(gs.Entity(eid, "T", {"i": i}))
                assert h.get_entity(eid) is not None
                assert h.get_entity(f"seed{i % 2000}") is not None
                i += 1
                counts[t] = i
        except Exception as exc:
            failures.append(repr(exc))

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.2)
    report = h.swap(gs.open_backend("sqlite", {"path": str(tmp_path / "s.db")}), migrate=True)
    time.sleep(0.2)
    report2 = h.swap(gs.open_backend("inmemory"), migrate=True)
    time.sleep(0.1)
    stop.set()
    for t in threads:
        t.join()
    assert failures == []
    assert all(c > 0 for c in counts)
    assert report.copied_entities >= 2000 and report2.copied_entities >= 2000
    assert h.plugin.id == "inmemory"
    assert h.stats().entity_count == 2000 + sum(counts)
    h.close()


def test_swap_refuses_itself_and_closed():
    h = gs.StoreHandle(gs.open_backend("inmemory"))
    import pytest
    with pytest.raises(gs.InvalidArgumentError):
        h.swap(h)
    other = gs.open_backend("inmemory")
    other.close()
    with pytest.raises(gs.FailedPreconditionError):
        h.swap(other)
    h.close()

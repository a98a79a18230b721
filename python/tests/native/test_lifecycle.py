"""Closing: `with`, close(), garbage collection, a store outliving its
Registry, interpreter exit with open stores, resident memory over many
calls."""
import gc
import os
import subprocess
import sys
import threading
import time
import weakref

import pytest

import graphstore as gs


def test_with_closes(tmp_path):
    with gs.open_backend("sqlite", {"path": str(tmp_path / "a.db")}) as s:
        s.add_entity(gs.Entity("a", "T"))
    assert s.closed
    # The file is closed, so another store can open and read it.
    with gs.open_backend("sqlite", {"path": str(tmp_path / "a.db")}) as again:
        assert again.get_entity("a") is not None


def test_gc_closes_dropped_store(tmp_path):
    s = gs.open_backend("sqlite", {"path": str(tmp_path / "a.db")})
    s.add_entity(gs.Entity("a", "T"))
    ref = weakref.ref(s)
    del s
    gc.collect()
    assert ref() is None
    with gs.open_backend("sqlite", {"path": str(tmp_path / "a.db")}) as again:
        assert again.get_entity("a") is not None


def test_store_outlives_registry():
    reg = gs.Registry()
    s = reg.open("inmemory")
    del reg
    gc.collect()
    s.add_entity(gs.Entity("a", "T"))
    assert s.get_entity("a") is not None
    s.close()


def test_interpreter_exit_with_open_stores(tmp_path):
    code = (
        "import graphstore as gs, threading\n"
        "s = gs.open_backend('inmemory'); s.add_entity(gs.Entity('a', 'T'))\n"
        f"q = gs.open_backend('sqlite', {{'path': {str(tmp_path / 'x.db')!r}}})\n"
        "q.add_entity(gs.Entity('a', 'T'))\n"
        "h = gs.StoreHandle(gs.open_backend('inmemory'))\n"
        "cycle = [s]; cycle.append(cycle)\n"
        "def spin():\n"
        "    while True: s.get_entity('a')\n"
        "threading.Thread(target=spin, daemon=True).start()\n"
        "print('ok')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_close_waits_for_calls_on_other_threads():
    s = gs.open_backend("inmemory")
    s.add_entities_bulk([gs.Entity(f"e{i}", "T") for i in range(2000)])
    stop = threading.Event()
    outcomes = []

    def reader():
        while not stop.is_set():
            try:
                s.get_all_entities()
            except gs.FailedPreconditionError:
                outcomes.append("closed")
                return
        outcomes.append("stopped")

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.05)
    s.close()
    stop.set()
    for t in threads:
        t.join()
    assert len(outcomes) == 4


def test_close_from_progress_callback_refused(tmp_path):
    s = gs.open_backend("inmemory")
    s.add_entities_bulk([gs.Entity(f"e{i}", "T") for i in range(10)])

    def progress(*args):
        s.close()

    with pytest.raises(gs.FailedPreconditionError, match="inside a call"):
        s.export(tmp_path / "x.jsonl", progress=progress)
    assert not s.closed
    s.close()


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_no_leak_over_a_million_gets(store):
    store.add_entity(gs.Entity("a", "T", {"name": "x" * 50}, embedding=[0.1] * 8))
    get = store.get_entity
    for _ in range(50_000):  # warm up allocator pools
        get("a")
        get("missing")
    before = rss_bytes()
    for _ in range(500_000):
        get("a")
        get("missing")
    grown = rss_bytes() - before
    assert grown < 10 * 1024 * 1024, f"resident memory grew by {grown / 1e6:.1f} MB"

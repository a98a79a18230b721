#!/usr/bin/python3
"""The seed's workload through the drop-in (graphstore.aiecs), beside the reference's figures.

Per backend and run, on a fresh store: 1,000 entities added one by one with
await, 3,000 random relations (one by one, timed as an extra row), get_entity
on random ids, get_neighbors (outgoing) on random ids, find_paths depth 5 on
random pairs (the paths found are counted), and add_entities_bulk of 10,000
new entities. Prints medians of RUNS runs with their range, the reference's
figures (its own code, measured on this kind of machine) and the ratio, then
the floors measured in the same process: an empty await, building a model
object, the fixed and per-entity costs of an in-memory get_neighbors, the
first write to a fresh page (and how many the adds made), a durable SQLite
commit, a PostgreSQL round trip.

    /usr/bin/python3 bench/python/dropin_workload.py [--runs 3] [--backends inmemory,sqlite,postgres]
        [--pg-env /tmp/aio-pg.env] [--dir /tmp]

PostgreSQL: the server named by the env file of scripts/pg-test-cluster.sh
(PGTEST_HOST/PGTEST_PORT; user gs_app, schema dropin_bench), the store opened with a tenant
(TenantContext("bench_tenant")) as the reference's figure was.
"""
import argparse
import asyncio
import os
import pathlib
import random
import sqlite3
import tempfile

import _bench

REFERENCE = {  # the reference's own code on this kind of machine, medians of 3 runs
    "inmemory": {"add_1k": 4.5e-3, "get": 1.1e-6, "neighbors": 3.9e-6, "find_paths": 2.1e-3, "bulk_10k": 79e-3},
    "sqlite": {"add_1k": 2.304, "get": 222e-6, "neighbors": 335e-6, "find_paths": 117e-3, "bulk_10k": 36.6},
    "postgres": {"add_1k": 1.013, "get": 515e-6, "neighbors": 495e-6, "find_paths": None, "bulk_10k": 12.7},
}
REFERENCE_NOTES = {("sqlite", "find_paths"): "missing 73% of the paths", ("postgres", "find_paths"): "0 paths found"}
OPS = [("add_1k", "add_entity ×1,000 (total)"), ("relations_3k", "add_relation ×3,000 (total)"),
       ("get", "get_entity (per call)"), ("neighbors", "get_neighbors (per call)"),
       ("find_paths", "find_paths depth 5 (per call)"), ("bulk_10k", "add_entities_bulk 10,000 (total)")]
TYPES = ("Person", "Company", "Paper", "Topic")
NEIGHBOURS_PER_CALL = []  # entities returned per get_neighbors call, per run
FAULTS = {}  # (backend, op) -> page faults (first writes to fresh memory) during it, per run
REL_TYPES = ("KNOWS", "CITES", "WORKS_FOR")


def entities(aiecs, prefix, n):
    return [aiecs.Entity(id=f"{prefix}{i:07d}", entity_type=TYPES[i % 4],
                         properties={"name": f"{TYPES[i % 4]} {i}", "description": f"generated entity number {i}"})
            for i in range(n)]


def relations(aiecs, n_entities, m, rng):
    out = []
    for i in range(m):
        a = rng.randrange(n_entities)
        b = rng.randrange(n_entities - 1)
        b += b >= a
        out.append(aiecs.Relation(id=f"r{i:07d}", relation_type=REL_TYPES[i % 3], source_id=f"e{a:07d}",
                                  target_id=f"e{b:07d}", weight=round(rng.uniform(0.01, 1.0), 3)))
    return out


async def per_call(fn, args_list):
    with _bench.Timer() as t:
        for args in args_list:
            await fn(*args)
    return t.wall / len(args_list), t.cpu / len(args_list)


async def one_run(aiecs, backend, store, ctx, sizes, seed):
    """One pass of the workload on an initialised, empty store; {op: (wall s, cpu s)}, paths found."""
    rng = random.Random(seed)
    kw = {"context": ctx} if ctx is not None else {}
    fig = {}
    ents = entities(aiecs, "e", 1000)
    with _bench.Timer() as t:
        for e in ents:
            await store.add_entity(e, **kw)
    fig["add_1k"] = (t.wall, t.cpu)
    FAULTS.setdefault((backend, "add_1k"), []).append(t.faults)
    rels = relations(aiecs, 1000, 3000, rng)
    with _bench.Timer() as t:
        for r in rels:
            await store.add_relation(r, **kw)
    fig["relations_3k"] = (t.wall, t.cpu)
    ids = [f"e{rng.randrange(1000):07d}" for _ in range(sizes["reads"])]
    fig["get"] = await per_call(lambda i: store.get_entity(i, **kw), [(i,) for i in ids])
    fig["neighbors"] = await per_call(lambda i: store.get_neighbors(i, direction="outgoing", **kw),
                                      [(i,) for i in ids])
    # How many entities a call returns on average (untimed): the size of the neighbours floor.
    got = 0
    for i in ids[:2000]:
        got += len(await store.get_neighbors(i, direction="outgoing", **kw))
    if backend == "inmemory":
        NEIGHBOURS_PER_CALL.append(got / min(len(ids), 2000))
    pairs = []
    while len(pairs) < sizes["paths"]:
        a, b = rng.randrange(1000), rng.randrange(1000)
        if a != b:
            pairs.append((f"e{a:07d}", f"e{b:07d}"))
    found = 0
    with _bench.Timer() as t:
        for a, b in pairs:
            found += len(await store.find_paths(a, b, max_depth=5, **kw))
    fig["find_paths"] = (t.wall / len(pairs), t.cpu / len(pairs))
    bulk = entities(aiecs, "b", 10000)
    with _bench.Timer() as t:
        try:
            added = await store.add_entities_bulk(bulk, **kw)
        except TypeError:  # the base signature takes no context
            added = await store.add_entities_bulk(bulk)
    fig["bulk_10k"] = (t.wall, t.cpu)
    FAULTS.setdefault((backend, "bulk_10k"), []).append(t.faults)
    assert added == 10000, added
    return fig, found / len(pairs)


def read_env(path):
    values = {}
    for line in pathlib.Path(path).read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep:
            values[key.strip()] = value.strip().strip("'\"")
    return values


def make_store(aiecs, backend, args, run):
    """A fresh store of `backend` and the TenantContext to pass (or None)."""
    if backend == "inmemory":
        return aiecs.InMemoryGraphStore(), None
    if backend == "sqlite":
        path = pathlib.Path(args.dir) / f"dropin-bench-{os.getpid()}-{run}.db"
        for suffix in ("", "-wal", "-shm"):
            pathlib.Path(str(path) + suffix).unlink(missing_ok=True)
        return aiecs.SQLiteGraphStore(str(path)), None
    env = read_env(args.pg_env)
    # gs_app may not create tables in "public" (PostgreSQL 15): the plugin's
    # own schema option, passed through the constructor's **kwargs.
    store = aiecs.PostgresGraphStore(host=env["PGTEST_HOST"], port=int(env["PGTEST_PORT"]), user="gs_app",
                                     password="gs-app-password", database="graphstore", schema="dropin_bench")
    return store, aiecs.TenantContext(tenant_id="bench_tenant")


async def floors(aiecs, args, backends):
    """The costs below which a figure cannot go from Python: measured in this process."""
    rows = []

    async def noop():
        return None

    n = 200000
    with _bench.Timer() as t:
        for _ in range(n):
            await noop()
    rows.append(("an empty `await` of a coroutine", t.wall / n, t.cpu / n))
    # The shape of the reference's in-memory get_entity (an async method, its
    # checks, a dict lookup): the same load as our figure, for the 1.5× goal.
    ref = _ReferenceShapedGet()
    ids = [f"e{i % 1000:07d}" for i in range(200000)]
    with _bench.Timer() as t:
        for i in ids:
            await ref.get_entity(i)
    rows.append(("a reference-shaped in-memory get_entity (async method, checks, dict lookup)",
                 t.wall / len(ids), t.cpu / len(ids)))
    n = 100000
    with _bench.Timer() as t:
        for i in range(n):
            aiecs.Entity(id="x", entity_type="T", properties={"name": "n"})
    rows.append(("building one aiecs.Entity (validated)", t.wall / n, t.cpu / n))
    # A C awaitable instead of the drop-in's coroutines would cost what
    # awaiting a finished asyncio future (C) costs: about the same.
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    done.set_result(None)
    n = 200000
    with _bench.Timer() as t:
        for _ in range(n):
            await done
    rows.append(("an `await` of a finished asyncio future (what a C awaitable would cost)", t.wall / n, t.cpu / n))
    if "inmemory" in backends:
        # get_neighbors cannot cost less than a call that returns [] (the
        # coroutine, the native call, the store's lookup) plus a model per
        # entity returned; both measured on an in-memory drop-in store.
        store = aiecs.InMemoryGraphStore()
        await store.initialize()
        try:
            await store.add_entity(aiecs.Entity(id="alone", entity_type="T"))
            await store.add_entity(aiecs.Entity(id="hub", entity_type="T"))
            for e in entities(aiecs, "n", 30):
                await store.add_entity(e)
                await store.add_relation(aiecs.Relation(id="r" + e.id, relation_type="KNOWS", source_id="hub",
                                                        target_id=e.id))
            n = 100000
            with _bench.Timer() as t:
                for _ in range(n):
                    await store.get_neighbors("alone")
            fixed = (t.wall / n, t.cpu / n)
            rows.append(("in-memory get_neighbors of an entity with no relations (the fixed cost of a call)",) + fixed)
            n = 10000
            with _bench.Timer() as t:
                for _ in range(n):
                    await store.get_neighbors("hub")
            each = ((t.wall / n - fixed[0]) / 30, (t.cpu / n - fixed[1]) / 30)
            rows.append(("in-memory get_neighbors: each entity returned (30 per call, less the fixed cost, / 30)",)
                        + each)
            if NEIGHBOURS_PER_CALL:
                k = statistics_mean(NEIGHBOURS_PER_CALL)
                rows.append((f"in-memory get_neighbors of the workload's mean {k:.2f} entities: fixed + {k:.2f} × each",
                             fixed[0] + k * each[0], fixed[1] + k * each[1]))
        finally:
            await store.close()
    page = _bench.fresh_page_cost()
    rows.append(("first write to a fresh 4 KiB page (anonymous memory)", page, page))
    for backend in backends:
        for key, label in (("add_1k", "add_entity ×1,000"), ("bulk_10k", "add_entities_bulk 10,000")):
            faults = FAULTS.get((backend, key))
            if faults:
                median = sorted(faults)[len(faults) // 2]
                rows.append((f"{backend} {label}: its first writes to fresh pages (median {median}) at that cost",
                             median * page, median * page))
    if "sqlite" in backends:
        # The hop every call of a blocking store makes: a no-op through the
        # store's pool (queue to a worker thread, wake the loop with the result).
        store, _ = make_store(aiecs, "sqlite", args, "hop")
        await store.initialize()
        try:
            run = store._gs._run
            await run(int, (), {})
            with _bench.Timer() as t:
                for _ in range(2000):
                    await run(int, (), {})
            rows.append(("thread hop: a no-op through a blocking store's pool", t.wall / 2000, t.cpu / 2000))
            # The same point read three ways: the drop-in SQLite store runs it
            # inline (its choice for WAL files), graphstore.aio on the pool.
            await store.add_entity(aiecs.Entity(id="hop", entity_type="T"))
            sync_get, pool_get = store._gs.store.get_entity, store._gs.get_entity
            with _bench.Timer() as t:
                for _ in range(2000):
                    sync_get("hop")
            rows.append(("SQLite point read, synchronous Store.get_entity", t.wall / 2000, t.cpu / 2000))
            with _bench.Timer() as t:
                for _ in range(2000):
                    await pool_get("hop")
            rows.append(("SQLite point read, await AsyncStore.get_entity (the pool)", t.wall / 2000, t.cpu / 2000))
        finally:
            await store.close()
        with tempfile.TemporaryDirectory(dir=args.dir) as d:
            db = sqlite3.connect(os.path.join(d, "floor.db"), isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE t (id TEXT PRIMARY KEY)")
            with _bench.Timer() as t:
                for i in range(1000):
                    db.execute("BEGIN IMMEDIATE")
                    db.execute("INSERT INTO t VALUES (?)", (str(i),))
                    db.execute("COMMIT")
            rows.append(("SQLite commit of one row (WAL, synchronous=NORMAL, Python sqlite3)",
                         t.wall / 1000, t.cpu / 1000))
            db.close()
    if "postgres" in backends:
        store, _ = make_store(aiecs, "postgres", args, 0)
        await store.initialize()
        try:
            pool = getattr(store, "pool", None)
            if pool is not None:
                await pool.fetchval("SELECT 1")
                with _bench.Timer() as t:
                    for _ in range(500):
                        await pool.fetchval("SELECT 1")
                rows.append(("PostgreSQL round trip (`await store.pool.fetchval('SELECT 1')`)",
                             t.wall / 500, t.cpu / 500))
                # A durable commit: one autocommitted INSERT per call, the
                # server's defaults (the bench cluster runs with --durable).
                async with pool.acquire() as conn:
                    await conn.execute("CREATE TABLE IF NOT EXISTS dropin_bench.commit_floor (id int)")
                    with _bench.Timer() as t:
                        for i in range(300):
                            await conn.execute("INSERT INTO dropin_bench.commit_floor VALUES ($1)", i)
                    await conn.execute("DROP TABLE dropin_bench.commit_floor")
                rows.append(("PostgreSQL durable commit of one row (autocommitted INSERT through store.pool)",
                             t.wall / 300, t.cpu / 300))
        finally:
            await store.close()
    return rows


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--backends", default="inmemory,sqlite,postgres")
    parser.add_argument("--pg-env", default="/tmp/aio-pg.env")
    parser.add_argument("--dir", default=tempfile.gettempdir(), help="where the SQLite files go")
    parser.add_argument("--build", default=None)
    args = parser.parse_args()
    _bench.use_build(args.build)
    from graphstore import aiecs

    backends = args.backends.split(",")
    results = {}
    for backend in backends:
        sizes = {"reads": 20000 if backend == "inmemory" else 2000, "paths": 50}
        runs, found = [], []
        for run in range(args.runs):
            store, ctx = make_store(aiecs, backend, args, run)
            await store.initialize()
            try:
                if backend == "postgres":
                    await store.clear(ctx)
                fig, paths = await one_run(aiecs, backend, store, ctx, sizes, seed=run)
                runs.append(fig)
                found.append(paths)
                if backend == "postgres":
                    await store.clear(ctx)
            finally:
                await store.close()
            print(f"# {backend} run {run + 1}: " + ", ".join(
                f"{k} {_bench.fmt_seconds(w)} (cpu {_bench.fmt_seconds(c)})" for k, (w, c) in fig.items())
                + "; fresh pages written: " + ", ".join(f"{op} {FAULTS[(backend, op)][-1]}"
                                                        for op in ("add_1k", "bulk_10k")), flush=True)
        results[backend] = (runs, found)

    rows = []
    for backend in backends:
        runs, found = results[backend]
        for key, label in OPS:
            wall = [r[key][0] for r in runs]
            cpu = [r[key][1] for r in runs]
            ref = REFERENCE[backend].get(key)
            med = _bench.median_range(wall)[0]
            ratio = ""
            if ref:
                ratio = f"{ref / med:.1f}× faster" if ref >= med else f"{med / ref:.2f}× slower"
            note = REFERENCE_NOTES.get((backend, key), "")
            if key == "find_paths":
                note = (note + "; " if note else "") + f"ours: {statistics_mean(found):.2f} paths per pair"
            rows.append([backend, label, _bench.fmt_seconds(ref) if ref else ("-" if key != "find_paths" else "n/a"),
                         _bench.fmt_figure(wall), _bench.fmt_figure(cpu), ratio, note])
    print()
    print(f"Medians of {args.runs} runs (range min-max), graphstore.aiecs from /usr/bin/python3; "
          f"load average at the end {os.getloadavg()[0]:.1f}:")
    _bench.print_table(["backend", "operation", "reference", "ours (wall)", "ours (CPU)", "ratio (wall)", "note"], rows)
    print()
    print("Floors measured in the same process:")
    _bench.print_table(["floor", "wall", "CPU"], [[name, _bench.fmt_seconds(w), _bench.fmt_seconds(c)]
                                                  for name, w, c in await floors(aiecs, args, backends)])


class _ReferenceShapedGet:
    """What the reference's InMemoryGraphStore.get_entity does, without networkx."""

    def __init__(self):
        self._initialized = True
        self.entities = {f"e{i:07d}": object() for i in range(1000)}
        self._tenant_entities = {}

    async def get_entity(self, entity_id, context=None):
        if not self._initialized:
            return None
        if context is None:
            return self.entities.get(entity_id)
        return self._tenant_entities.get(context.tenant_id, {}).get(entity_id)


def statistics_mean(values):
    return sum(values) / len(values) if values else 0.0


if __name__ == "__main__":
    asyncio.run(main())

#!/usr/bin/python3
"""vector_search from a numpy query vs the C++ figure measured in the same run (goal: within 1.3×).

The C++ figure is `graphstore bench --backend inmemory --json`'s
vector_search_10k (k=10 over 10,000 entities of 64 dimensions, the workload's
data). The Python side loads 10,000 unit vectors of 64 dimensions with
add_entities_bulk and times Store.vector_search(query, k=10) with numpy
float32 queries, and the same through graphstore.aio. Each run gives the
median wall time of its QUERIES calls (as the C++ figure is a median of its
iterations, so neither counts the calls another process preempted) and the
mean process CPU time per call; the table shows medians of RUNS runs with
their range.

    /usr/bin/python3 bench/python/vector_numpy.py [--runs 5] [--queries 200]
"""
import argparse
import asyncio
import json
import os
import statistics
import subprocess

import _bench


def cxx_figure(build):
    out = subprocess.run([str(build / "bin" / "graphstore"), "--json", "bench", "--backend", "inmemory"],
                         check=True, capture_output=True, text=True).stdout
    for m in json.loads(out):
        if m["op"] == "vector_search_10k":
            return m["median_ns"] * 1e-9
    raise SystemExit("graphstore bench printed no vector_search_10k")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--build", default=None)
    args = parser.parse_args()
    build = _bench.use_build(args.build)
    import numpy as np

    import graphstore as gs
    from graphstore import aio

    rng = np.random.default_rng(42)
    vectors = rng.standard_normal((10000, 64)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    queries = rng.standard_normal((64, 64)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    types = ("Person", "Company", "Paper", "Topic")
    records = [gs.Entity(id=f"e{i:07d}", entity_type=types[i % 4], properties={"name": f"n{i}"},
                         embedding=vectors[i]) for i in range(10000)]
    cxx, sync_t, async_t = [], [], []
    for _ in range(args.runs):
        cxx.append(cxx_figure(build))
        with gs.open_backend("inmemory") as store:
            assert store.add_entities_bulk(records).added == 10000
            store.vector_search(queries[0], k=10)
            each = []
            with _bench.Timer() as t:
                for q in range(args.queries):
                    start = _bench.clock()
                    hits = store.vector_search(queries[q % 64], k=10)
                    each.append(_bench.clock() - start)
            sync_t.append((statistics.median(each), t.cpu / args.queries))
            assert len(hits) == 10

        async def through_aio():
            async with aio.open_backend("inmemory") as astore:
                await astore.add_entities_bulk(records)
                each = []
                with _bench.Timer() as t:
                    for q in range(args.queries):
                        start = _bench.clock()
                        await astore.vector_search(queries[q % 64], k=10)
                        each.append(_bench.clock() - start)
                return statistics.median(each), t.cpu / args.queries

        async_t.append(asyncio.run(through_aio()))
    c = _bench.median_range(cxx)[0]
    rows = [["C++ (graphstore bench, vector_search_10k)", _bench.fmt_figure(cxx), "", "1.00×"]]
    for label, times in (("Python Store.vector_search(numpy float32)", sync_t),
                         ("Python await AsyncStore.vector_search(numpy)", async_t)):
        wall, cpu = [w for w, _ in times], [c_ for _, c_ in times]
        rows.append([label, _bench.fmt_figure(wall), _bench.fmt_figure(cpu),
                     f"{_bench.median_range(wall)[0] / c:.2f}×"])
    print(f"vector_search k=10 over 10,000 × 64d on inmemory, medians of {args.runs} runs (range); goal ≤ 1.3× C++; "
          f"load average {os.getloadavg()[0]:.1f}:")
    _bench.print_table(["path", "per query (wall, median)", "per query (CPU, mean)", "wall vs C++"], rows)


if __name__ == "__main__":
    main()

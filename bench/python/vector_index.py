#!/usr/bin/python3
"""vector_search from Python on a store with vector_index: hnsw, beside exact=True in the same run.

Reads the sets bench/vectors/make_vectors.py writes (base.f32, queries.f32);
entity i gets type "t<i % 10>". Loads them with add_entities_bulk in
batches of 100,000, then for each query times vector_search(q, k) and
vector_search(q, k, exact=True), unfiltered and with entity_type="t0" (a
tenth of the entities), and prints recall@k of the index against the exact
answer and the median time of each, with their ratio.

    /usr/bin/python3 bench/vectors/make_vectors.py --out /tmp/vec
    /usr/bin/python3 bench/python/vector_index.py --data /tmp/vec [--backend sqlite --path /tmp/v.db] [--n 1000000]
"""
import argparse
import os
import statistics

import _bench


def read_vectors(path, limit):
    import numpy as np
    with open(path, "rb") as f:
        header = f.read(16)
        if header[:8] != b"GSVEC1\0\0":
            raise SystemExit(f"{path}: not a GSVEC1 file (bench/vectors/make_vectors.py writes them)")
        n, dim = np.frombuffer(header[8:], dtype="<u4")
        n = min(int(n), limit)
        return np.fromfile(f, dtype="<f4", count=n * int(dim)).reshape(n, int(dim))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="/tmp/vec")
    parser.add_argument("--backend", default="inmemory", choices=["inmemory", "sqlite"])
    parser.add_argument("--path", default="/tmp/graphstore_vector_index_py.db")
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--build", default=None)
    args = parser.parse_args()
    _bench.use_build(args.build)
    import graphstore as gs

    base = read_vectors(os.path.join(args.data, "base.f32"), args.n)
    queries = read_vectors(os.path.join(args.data, "queries.f32"), args.queries)
    options = {"vector_index": "hnsw"}
    if args.backend == "sqlite":
        for suffix in ("", "-wal", "-shm", ".vectors"):
            if os.path.exists(args.path + suffix):
                os.remove(args.path + suffix)
        options["path"] = args.path
    with gs.open_backend(args.backend, options) as store:
        start = _bench.clock()
        for lo in range(0, len(base), 100_000):
            batch = [gs.Entity(f"e{i}", f"t{i % 10}", {}, embedding=base[i])
                     for i in range(lo, min(len(base), lo + 100_000))]
            store.add_entities_bulk(batch)
        load = _bench.clock() - start
        store.vector_search(queries[0], k=args.k)
        rows = []
        for label, etype in (("any type", None), ("type t0 (1/10)", "t0")):
            approx_t, exact_t, recall = [], [], []
            for q in queries:
                t = _bench.clock()
                exact = store.vector_search(q, k=args.k, entity_type=etype, exact=True)
                exact_t.append(_bench.clock() - t)
                t = _bench.clock()
                approx = store.vector_search(q, k=args.k, entity_type=etype)
                approx_t.append(_bench.clock() - t)
                want = {h.entity.id for h in exact}
                recall.append(len(want & {h.entity.id for h in approx}) / max(1, len(want)))
            a, e = statistics.median(approx_t), statistics.median(exact_t)
            rows.append([label, f"{statistics.mean(recall):.4f}", _bench.fmt_seconds(a), _bench.fmt_seconds(e),
                         f"{e / a:.0f}×"])
    print(f"{args.backend}, {len(base):,} × {base.shape[1]} vectors, load with index {load:.1f} s, "
          f"{len(queries)} queries, k={args.k}, load average {os.getloadavg()[0]:.1f}:")
    _bench.print_table(["filter", f"recall@{args.k}", "index (median)", "exact=True (median)", "ratio"], rows)


if __name__ == "__main__":
    main()

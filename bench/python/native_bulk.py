#!/usr/bin/python3
"""add_entities_bulk of 100,000 entities from Python on inmemory (goal: at most 0.3 s).

Times the call alone on a fresh store per run, for the records a caller may
hand it: graphstore.Entity objects, and the drop-in's models through
graphstore.aiecs when it is built (duck-typed: the native side reads their
attributes). Building the records is timed apart, as a floor: it is the
caller's cost, not the call's. Medians of RUNS runs, with the range.

    /usr/bin/python3 bench/python/native_bulk.py [--runs 5] [--n 100000]
"""
import argparse
import asyncio
import os

import _bench

TYPES = ("Person", "Company", "Paper", "Topic")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--n", type=int, default=100000)
    parser.add_argument("--build", default=None)
    args = parser.parse_args()
    _bench.use_build(args.build)
    import graphstore as gs
    from graphstore import aio

    try:
        from graphstore import aiecs
    except ImportError:
        aiecs = None

    def props(i):
        return {"name": f"{TYPES[i % 4]} {i}", "description": f"generated entity number {i}"}

    makers = {"graphstore.Entity": lambda i: gs.Entity(id=f"e{i:07d}", entity_type=TYPES[i % 4], properties=props(i))}
    if aiecs is not None:
        makers["aiecs.Entity (duck-typed)"] = lambda i: aiecs.Entity(id=f"e{i:07d}", entity_type=TYPES[i % 4],
                                                                      properties=props(i))
    rows = []
    for name, make in makers.items():
        build_t, sync_t, async_t = [], [], []
        for _ in range(args.runs):
            with _bench.Timer() as t:
                records = [make(i) for i in range(args.n)]
            build_t.append(t)
            with gs.open_backend("inmemory") as store:
                with _bench.Timer() as t:
                    result = store.add_entities_bulk(records)
                sync_t.append(t)
                assert result.added == args.n, result.added

            # Fresh records: a model may cache what the first bulk call read from it.
            records = [make(i) for i in range(args.n)]

            async def through_aio():
                async with aio.open_backend("inmemory") as astore:
                    with _bench.Timer() as t:
                        result = await astore.add_entities_bulk(records)
                    assert result.added == args.n
                    return t

            async_t.append(asyncio.run(through_aio()))
            del records
        for call, times in (("Store.add_entities_bulk", sync_t), ("await AsyncStore.add_entities_bulk", async_t),
                            ("floor: building the records (caller's side)", build_t)):
            rows.append([name, call, _bench.fmt_figure([t.wall for t in times]),
                         _bench.fmt_figure([t.cpu for t in times])])
    print(f"add_entities_bulk of {args.n:,} entities on inmemory, medians of {args.runs} runs (range); goal ≤ 0.3 s; "
          f"load average {os.getloadavg()[0]:.1f}:")
    _bench.print_table(["records", "call", "wall", "CPU"], rows)


if __name__ == "__main__":
    main()

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
            t = _bench.clock()
            records = [make(i) for i in range(args.n)]
            build_t.append(_bench.clock() - t)
            with gs.open_backend("inmemory") as store:
                t = _bench.clock()
                result = store.add_entities_bulk(records)
                sync_t.append(_bench.clock() - t)
                assert result.added == args.n, result.added

            async def through_aio():
                async with aio.open_backend("inmemory") as astore:
                    t = _bench.clock()
                    result = await astore.add_entities_bulk(records)
                    elapsed = _bench.clock() - t
                    assert result.added == args.n
                    return elapsed

            async_t.append(asyncio.run(through_aio()))
        rows.append([name, "Store.add_entities_bulk", _bench.fmt_figure(sync_t)])
        rows.append([name, "await AsyncStore.add_entities_bulk", _bench.fmt_figure(async_t)])
        rows.append([name, "floor: building the records (caller's side)", _bench.fmt_figure(build_t)])
    print(f"add_entities_bulk of {args.n:,} entities on inmemory, medians of {args.runs} runs (range); goal ≤ 0.3 s:")
    _bench.print_table(["records", "call", "time"], rows)


if __name__ == "__main__":
    main()

"""Degradation replay into PostgreSQL: how fast a journal drains.

Per run: a degradation store over a fresh `--durable` test cluster (its own
schema) and an inmemory fallback; the server is stopped, N add_entity calls
are journaled (one record each), the server is started again, and the time
from the restart until the store reports mode 'normal' (the journal
replayed, in the plugin's batches) gives records/s. The health check runs
every 0.2 s, so up to 0.2 s of each figure is waiting for it. Then a read
through the store checks that every record arrived.

    /usr/bin/python3 bench/python/pg_degradation_replay.py [--records 10000] [--runs 3]
"""
import argparse
import os
import pathlib
import subprocess
import tempfile
import time

import _bench

SCRIPT = _bench.ROOT / "scripts" / "pg-test-cluster.sh"


def pg_ctl():
    found = sorted(pathlib.Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not found:
        raise SystemExit("pg_ctl not found under /usr/lib/postgresql (install postgresql)")
    return str(found[-1])


def as_postgres(*args):
    subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True, capture_output=True)


def one_run(gs, records, run):
    env = pathlib.Path(tempfile.gettempdir()) / f"replay-pg-{os.getpid()}.env"
    subprocess.run([str(SCRIPT), "start", str(env), "auto", "--durable"], check=True, capture_output=True)
    try:
        values = dict(line.split("=", 1) for line in env.read_text().split() if "=" in line)
        data = values["PGTEST_DIR"] + "/data"
        journal = pathlib.Path(tempfile.gettempdir()) / f"replay-{os.getpid()}-{run}.journal"
        options = {
            "primary": {"backend": "postgres",
                        "options": {"host": "127.0.0.1", "port": int(values["PGTEST_PORT"]), "user": "postgres",
                                    "database": "graphstore", "schema": f"replay{run}"}},
            "fallback": {"backend": "inmemory"}, "journal_path": str(journal), "health_interval": 0.2}
        store = gs.open_backend("degradation", options)
        store.add_entity(gs.Entity(id="warm", entity_type="T"))
        as_postgres(pg_ctl(), "-D", data, "-m", "fast", "-w", "stop")
        for i in range(records):
            store.add_entity(gs.Entity(id=f"e{i:07d}", entity_type="T", properties={"i": i}))
        as_postgres(pg_ctl(), "-D", data, "-w", "start", "-l", values["PGTEST_DIR"] + "/server.log")
        t0 = time.perf_counter()
        while dict(store.state()).get("mode") != "normal":
            if time.perf_counter() - t0 > 300:
                raise SystemExit(f"the journal did not drain in 300 s: {dict(store.state())}")
            time.sleep(0.01)
        seconds = time.perf_counter() - t0
        stats = store.stats()
        if stats.entity_count != records + 1:
            raise SystemExit(f"replayed {stats.entity_count - 1} of {records} records")
        store.close()
        journal.unlink(missing_ok=True)
        return seconds
    finally:
        subprocess.run([str(SCRIPT), "stop", str(env)], capture_output=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--build")
    args = parser.parse_args()
    _bench.use_build(args.build)
    import graphstore as gs

    times = [one_run(gs, args.records, run) for run in range(args.runs)]
    rates = [args.records / t for t in times]
    _bench.print_table(
        ["journal records", "replay (restart to mode normal)", "records/s, median (min-max)"],
        [[f"{args.records:,}", _bench.fmt_figure(times),
          f"{_bench.median_range(rates)[0]:,.0f} ({min(rates):,.0f}-{max(rates):,.0f})"]])


if __name__ == "__main__":
    main()

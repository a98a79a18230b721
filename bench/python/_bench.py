"""Shared helpers of the Python benchmarks: where the build is, timing, tables.

Not a test framework: each script runs its measurements in one process and
prints one table. Figures are medians over runs, shown with their range
(min-max), since the machine may be shared.
"""
import os
import pathlib
import resource
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]


def use_build(build=None):
    """Puts the built package first on sys.path and points plugins at the build.

    `build` defaults to $GRAPHSTORE_BUILD_DIR, else <repo>/build. Returns the
    build directory.
    """
    build = pathlib.Path(build or os.environ.get("GRAPHSTORE_BUILD_DIR") or ROOT / "build")
    sys.path.insert(0, str(build / "python"))
    os.environ.setdefault("GRAPHSTORE_PLUGIN_PATH", str(build / "lib" / "graphstore"))
    return build


def median_range(values):
    """(median, min, max) of a non-empty list."""
    return statistics.median(values), min(values), max(values)


def fmt_seconds(seconds):
    """A duration with a unit that keeps three significant digits."""
    if seconds >= 1:
        return f"{seconds:.3g} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.3g} ms"
    if seconds >= 1e-6:
        return f"{seconds * 1e6:.3g} µs"
    return f"{seconds * 1e9:.3g} ns"


def fmt_figure(values):
    """'median (min-max)' of a list of durations in seconds."""
    med, lo, hi = median_range(values)
    return f"{fmt_seconds(med)} ({fmt_seconds(lo)}-{fmt_seconds(hi)})"


def print_table(header, rows):
    """Prints a Markdown table (rows of strings), ready for docs/python.md."""
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    line = lambda r: "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |"
    print(line(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print(line(r))


def clock():
    """The timer of every figure (perf_counter: wall clock, monotonic)."""
    return time.perf_counter()


class Timer:
    """Wall clock and process CPU time of a block: `with Timer() as t: ...; t.wall, t.cpu`.

    On a shared machine the wall clock also counts the time other processes
    hold the CPU; the process CPU time (every thread of this process) does
    not, but misses waits on a disk or a server. Figures show both.
    """

    def __enter__(self):
        self._faults = minor_faults()
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self._wall
        self.cpu = time.process_time() - self._cpu
        self.faults = minor_faults() - self._faults
        return False


def minor_faults():
    """Page faults of this process so far that needed no disk: first writes to fresh memory."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def fresh_page_cost(pages=2048):
    """Seconds per first write to a fresh 4 KiB page of anonymous memory (the mean over `pages`).

    On the virtual machines we measure on this is 5-11 us, against a fraction
    of a microsecond on bare metal: a store that grows into new memory pays
    it per page.
    """
    import mmap

    size = pages * 4096
    region = mmap.mmap(-1, size)
    try:
        start = time.perf_counter()
        for offset in range(0, size, 4096):
            region[offset] = 1
        return (time.perf_counter() - start) / pages
    finally:
        region.close()

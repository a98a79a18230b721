#!/usr/bin/python3
"""Writes the seeded vector sets graphstore_vector_bench measures on.

  clustered: `clusters` centres drawn uniformly on the unit sphere; each point
             is a centre plus Gaussian noise of norm about `spread`, then
             unit-normalised (embedding models' output is clustered by topic
             and usually normalised).
  uniform:   points drawn uniformly on the unit sphere: no structure for a
             graph index to exploit, the worst case.

Queries come from the same distribution with their own seed, so none is a
stored point. Output: <out>/base.f32 and <out>/queries.f32, each an 8-byte
magic "GSVEC1\\0\\0", uint32 count, uint32 dimension (little-endian), then
count x dimension float32. Only numpy (python3-numpy) is needed.

  /usr/bin/python3 bench/vectors/make_vectors.py --kind clustered --n 1000000 --out /tmp/vec
"""
import argparse
import os
import struct

import numpy as np


def unit(x):
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1
    return (x / norms).astype(np.float32)


def clustered(rng, centres, n, dim, spread):
    out = np.empty((n, dim), dtype=np.float32)
    step = 100_000
    for lo in range(0, n, step):
        m = min(step, n - lo)
        which = rng.integers(0, len(centres), size=m)
        noise = rng.standard_normal((m, dim)).astype(np.float32) * (spread / np.sqrt(dim))
        out[lo:lo + m] = unit(centres[which] + noise)
    return out


def uniform(rng, n, dim):
    out = np.empty((n, dim), dtype=np.float32)
    step = 100_000
    for lo in range(0, n, step):
        m = min(step, n - lo)
        out[lo:lo + m] = unit(rng.standard_normal((m, dim)).astype(np.float32))
    return out


def write(path, x):
    with open(path, "wb") as f:
        f.write(b"GSVEC1\0\0" + struct.pack("<II", x.shape[0], x.shape[1]))
        f.write(np.ascontiguousarray(x, dtype="<f4").tobytes())


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--kind", choices=["clustered", "uniform"], default="clustered")
    p.add_argument("--n", type=int, default=1_000_000)
    p.add_argument("--dim", type=int, default=128)
    p.add_argument("--clusters", type=int, default=1000)
    p.add_argument("--spread", type=float, default=0.6, help="noise norm relative to a unit centre")
    p.add_argument("--queries", type=int, default=1000)
    p.add_argument("--seed", type=int, default=20261207)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rng = np.random.default_rng(a.seed)
    qrng = np.random.default_rng(a.seed + 1)
    if a.kind == "clustered":
        centres = unit(rng.standard_normal((a.clusters, a.dim)))
        base = clustered(rng, centres, a.n, a.dim, a.spread)
        queries = clustered(qrng, centres, a.queries, a.dim, a.spread)
    else:
        base = uniform(rng, a.n, a.dim)
        queries = uniform(qrng, a.queries, a.dim)
    write(os.path.join(a.out, "base.f32"), base)
    write(os.path.join(a.out, "queries.f32"), queries)


if __name__ == "__main__":
    main()

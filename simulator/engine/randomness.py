"""Named random streams and the distributions; the only user of `numpy.random`.

Each source of randomness (e.g. `demand/<flow>/<year>`, `handling/<node>`) gets its own Generator
derived from (seed, replication, name), so runs are reproducible, replications independent, and
two scenarios run with one seed share the random numbers of every source they have in common.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Callable, Iterator

import numpy as np

from simulator.scenario.distributions import (
    Distribution,
    Empirical,
    Exponential,
    Fixed,
    Lognormal,
    Triangular,
    Uniform,
)

BLOCK = 512


def stable_key(name: str) -> int:
    """A 64-bit key of a name that is the same in every process (unlike Python's hash())."""
    return int.from_bytes(hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest(), "little")


def stream(seed: int, replication: int, name: str) -> np.random.Generator:
    """The Generator of one named source of randomness in one replication."""
    seq = np.random.SeedSequence(seed, spawn_key=(replication, stable_key(name)))
    return np.random.Generator(np.random.PCG64(seq))


def draw(dist: Distribution, rng: np.random.Generator, size: int) -> np.ndarray:
    """`size` values of a distribution (hours), never negative."""
    if isinstance(dist, Fixed):
        return np.full(size, dist.value)
    if isinstance(dist, Uniform):
        return rng.uniform(dist.low, dist.high, size)
    if isinstance(dist, Triangular):
        if dist.low == dist.high:
            return np.full(size, dist.low)
        return rng.triangular(dist.low, dist.mode, dist.high, size)
    if isinstance(dist, Exponential):
        return rng.exponential(dist.mean, size)
    if isinstance(dist, Lognormal):
        sigma2 = math.log1p(dist.cv**2)
        mu = math.log(dist.mean) - sigma2 / 2
        return rng.lognormal(mu, math.sqrt(sigma2), size)
    if isinstance(dist, Empirical):
        values = np.asarray(dist.values, dtype=float)
        if dist.weights is None:
            return rng.choice(values, size)
        p = np.asarray(dist.weights, dtype=float)
        return rng.choice(values, size, p=p / p.sum())
    raise TypeError(f"unknown distribution {dist!r}")  # pragma: no cover - model forbids it


def mean_of(dist: Distribution) -> float:
    """The distribution's theoretical mean (for bounds and docs)."""
    if isinstance(dist, Fixed):
        return dist.value
    if isinstance(dist, Uniform):
        return (dist.low + dist.high) / 2
    if isinstance(dist, Triangular):
        return (dist.low + dist.mode + dist.high) / 3
    if isinstance(dist, Exponential | Lognormal):
        return dist.mean
    if isinstance(dist, Empirical):
        w = np.ones(len(dist.values)) if dist.weights is None else np.asarray(dist.weights)
        return float(np.dot(dist.values, w) / w.sum())
    raise TypeError(f"unknown distribution {dist!r}")  # pragma: no cover


Draw = Callable[[], float]
"""One draw of a distribution (see `sampler`)."""


def sampler(dist: Distribution, rng: np.random.Generator) -> Draw:
    """Single draws of one distribution from one stream, drawn BLOCK at a time.

    The blocks are lists of Python floats (the same values, and cheaper to serve one by one
    than numpy scalars), served by a C iterator: a draw costs no Python call. A block is drawn
    when the first value of it is asked for, as before every block.
    """

    def blocks() -> Iterator[list[float]]:
        while True:
            yield np.asarray(draw(dist, rng, BLOCK), dtype=float).tolist()

    return itertools.chain.from_iterable(blocks()).__next__

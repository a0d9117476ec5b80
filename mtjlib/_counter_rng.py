"""Counter-based Gaussian numbers for the thermal kernels (numba).

A normal number is a pure function of (seed, junction, step, component): no generator state, so
the same seed gives the same bits whatever the threads, chunks or blocks. Each number is
splitmix64's finaliser (a bijection of 64-bit words) applied to key + word * GOLDEN, where the
word packs the junction index above bit JUNCTION_SHIFT and 3 * step + component below it, so
distinct (junction, step, component) never share an input. The 64 output bits are four 16-bit
uniforms; their centred, scaled sum has mean 0 and variance 1 exactly, and fourth moment
3 - 6/(5*4) = 2.7 (a Gaussian has 3). Sums of a few uniforms of unit variance are correct for
Langevin equations in the small-dt limit (Duenweg & Paul, Int. J. Mod. Phys. C 2, 817 (1991));
unlike Box-Muller (log, cos: no vectorised versions without Intel's SVML, which the PyPI
llvmlite lacks) this is integer arithmetic that the compiler vectorises.
"""

from __future__ import annotations

import math

import numpy as np

from mtjlib._numba import kernel
from mtjlib._validate import rng_from

GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_PAIRS = np.uint64(0x0000FFFF0000FFFF)
_LOW32 = np.uint64(0xFFFFFFFF)
GOLDEN2 = np.uint64(0x3C6EF372FE94F82A)  # 2 * GOLDEN mod 2^64
#: Bits of the counter word that hold 3 * step + component; the junction index sits above them.
JUNCTION_SHIFT = 40
#: Largest number of junctions and of global steps the generator keys without collision.
MAX_JUNCTIONS = 2 ** (64 - JUNCTION_SHIFT)
MAX_STEPS = 2 ** JUNCTION_SHIFT // 3
_SUM_MEAN = 2.0 * 65535.0  # mean of the sum of four uniform integers in [0, 65535]
_SUM_SCALE = 1.0 / math.sqrt((65536.0 ** 2 - 1.0) / 3.0)  # 1 / its standard deviation


@kernel
def mix64(z):
    """splitmix64's finaliser: a bijection of uint64 with full avalanche."""
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


@kernel
def seed_key(seed):
    """The generator key of a seed (uint64 or non-negative int64)."""
    return mix64(np.uint64(seed) + GOLDEN)


@kernel
def junction_word(i):
    """The counter word of junction i at step 0, component 0."""
    return np.uint64(i) << np.uint64(JUNCTION_SHIFT)


@kernel
def normal_mixed(x):
    """A standard normal (sum of four 16-bit uniforms) from x = key + word * GOLDEN.

    Mean 0 and variance 1 exactly; the four 16-bit fields of the hash are summed in two SWAR adds
    (pairs in 32-bit halves).
    """
    h = mix64(x)
    a = (h & _PAIRS) + ((h >> np.uint64(16)) & _PAIRS)
    s = np.int32((a & _LOW32) + (a >> np.uint64(32)))
    return (np.float64(s) - _SUM_MEAN) * _SUM_SCALE


@kernel
def normal(key, word):
    """The standard normal of counter ``word`` under generator ``key``."""
    return normal_mixed(key + word * GOLDEN)


@kernel
def counter_normals(seed, junction, step, component):
    """The thermal kernels' standard normal for (seed, junction, step, component); for tests."""
    word = junction_word(junction) + np.uint64(3 * step + component)
    return normal(seed_key(seed), word)


@kernel
def normals_sweep(base, step_mixed, n0, n1, n2):
    """The three normals of every junction of a chunk at one step, from the counter generator.

    Junction q's component c is ``normal_mixed(base[q] + step_mixed + c * GOLDEN)`` with
    base[q] = key + word_q * GOLDEN and step_mixed = 3 * step * GOLDEN (mod 2^64): the numbers of
    ``normal`` with the 64-bit multiply hoisted out of the loop. A loop of its own: fused into
    the Heun sweep it runs slower (register pressure).
    """
    for q in range(base.shape[0]):
        w = base[q] + step_mixed
        n0[q] = normal_mixed(w)
        n1[q] = normal_mixed(w + GOLDEN)
        n2[q] = normal_mixed(w + GOLDEN2)


def seed_word(seed) -> int:
    """The generator seed of ``seed`` (int or Generator): one draw, so a Generator advances."""
    return int(rng_from(seed).integers(0, 2**63, dtype=np.int64))

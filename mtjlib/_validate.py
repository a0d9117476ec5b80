"""Input validation shared by every public function: messages name the parameter, its value
and the allowed range."""

from __future__ import annotations

import math

import numpy as np


def check_real(name, value, lo=-math.inf, hi=math.inf, lo_open=False, hi_open=False, unit=""):
    """Raise TypeError unless ``value`` is a real number, ValueError unless it is in the range."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name}={value!r} must be a real number {unit}".rstrip())
    v = float(value)
    ok = (math.isfinite(v) and (v > lo if lo_open else v >= lo)
          and (v < hi if hi_open else v <= hi))
    if not ok:
        rng = f"{'(' if lo_open else '['}{lo:g}, {hi:g}{')' if hi_open else ']'}"
        raise ValueError(f"{name}={value!r} is outside the allowed range {rng} {unit}".rstrip())


def check_int(name, value, lo, hi):
    """Raise TypeError unless ``value`` is an int, ValueError unless lo <= value <= hi."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name}={value!r} must be an int")
    if not lo <= value <= hi:
        raise ValueError(f"{name}={value!r} is outside the allowed range [{lo}, {hi}]")


def rng_from(seed) -> np.random.Generator:
    """A Generator from a non-negative int seed, or the Generator itself (same seed, same bits)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0:
        return np.random.default_rng(int(seed))
    raise TypeError(f"seed={seed!r} must be a non-negative int or a numpy.random.Generator")

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


def check_choice(name, value, choices):
    """Raise ValueError unless ``value`` is one of ``choices`` (compared with ==)."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name}={value!r} is not one of {tuple(choices)}")


def check_array(name, value, *, shape=None, ndim=None, finite=True, dtype=np.float64,
                lo=None, hi=None) -> np.ndarray:
    """A C-contiguous array of ``dtype`` from ``value``, or a clear error naming ``name``.

    ``shape`` entries may be None (any length); ``finite`` rejects NaN and inf; ``lo``/``hi``
    bound every element (inclusive).
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name}={value!r} must be an array of numbers")
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged nested lists
        raise ValueError(f"{name} is not a rectangular array of numbers: {exc}") from None
    if arr.dtype == np.bool_ and dtype != np.bool_:
        raise TypeError(f"{name} must be an array of numbers, got booleans")
    if dtype == np.bool_:
        if arr.dtype != np.bool_:
            raise TypeError(f"{name} must be an array of booleans, got dtype {arr.dtype}")
    elif not (np.issubdtype(arr.dtype, np.number) and not np.iscomplexobj(arr)):
        raise TypeError(f"{name} must be an array of real numbers, got dtype {arr.dtype}")
    arr = np.ascontiguousarray(arr, dtype=dtype)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} has {arr.ndim} dimensions (shape {arr.shape}), expected {ndim}")
    if shape is not None:
        ok = arr.ndim == len(shape) and all(s is None or s == a for s, a in zip(shape, arr.shape))
        if not ok:
            want = "(" + ", ".join("any" if s is None else str(s) for s in shape) + ")"
            raise ValueError(f"{name} has shape {arr.shape}, expected {want}")
    if dtype != np.bool_ and arr.size:
        if finite and not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} must be finite (no NaN or inf)")
        if lo is not None and arr.min() < lo:
            raise ValueError(f"{name} has a value {arr.min()!r} below the allowed minimum {lo!r}")
        if hi is not None and arr.max() > hi:
            raise ValueError(f"{name} has a value {arr.max()!r} above the allowed maximum {hi!r}")
    return arr

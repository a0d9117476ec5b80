"""Input validation shared by every public function: messages name the parameter, its value
and the allowed range."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

#: Largest magnitude accepted for signals whose squares, sums and differences a function forms
#: (rates, outputs, resistances): beyond it float64 arithmetic would overflow to inf or NaN.
HUGE = 1e150


def show(value, limit: int = 80) -> str:
    """repr of ``value`` cut to ``limit`` characters (a huge int or array stays readable)."""
    try:
        text = repr(value)
    except ValueError:  # ints beyond Python's digit limit
        text = f"<int of {value.bit_length()} bits>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_real(name, value, lo=-math.inf, hi=math.inf, lo_open=False, hi_open=False, unit=""):
    """Raise TypeError unless ``value`` is a real number, ValueError unless it is in the range."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name}={show(value)} must be a real number {unit}".rstrip())
    try:
        v = float(value)
    except OverflowError:
        v = math.inf
    ok = (math.isfinite(v) and (v > lo if lo_open else v >= lo)
          and (v < hi if hi_open else v <= hi))
    if not ok:
        rng = f"{'(' if lo_open else '['}{lo:g}, {hi:g}{')' if hi_open else ']'}"
        raise ValueError(f"{name}={show(value)} is outside the allowed range {rng} "
                         f"{unit}".rstrip())


def check_int(name, value, lo, hi):
    """Raise TypeError unless ``value`` is an int, ValueError unless lo <= value <= hi."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name}={show(value)} must be an int")
    if not lo <= value <= hi:
        raise ValueError(f"{name}={show(value)} is outside the allowed range [{lo}, {hi}]")


def check_seed(name, seed) -> None:
    """Raise TypeError unless ``seed`` is a non-negative int or a numpy Generator (no draw)."""
    if isinstance(seed, np.random.Generator):
        return
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"{name}={show(seed)} must be a non-negative int or a "
                        "numpy.random.Generator")
    if seed < 0:
        raise ValueError(f"{name}={show(seed)} must be a non-negative int or a "
                         "numpy.random.Generator")


def check_bool(name, value) -> None:
    """Raise TypeError unless ``value`` is a bool (numpy's included)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}={show(value)} must be True or False")


def check_instance(name, value, cls) -> None:
    """Raise TypeError unless ``value`` is an instance of ``cls`` (a class or a tuple)."""
    if not isinstance(value, cls):
        want = " or ".join(c.__name__ for c in (cls if isinstance(cls, tuple) else (cls,)))
        raise TypeError(f"{name} must be a {want}, got {type(value).__name__}: {show(value)}")


def check_pair(name, value, lo=-math.inf, hi=math.inf, unit="") -> tuple[float, float]:
    """Two real numbers ``(a, b)`` with lo <= a < b <= hi, as floats, or a clear error."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 2:
        raise TypeError(f"{name}={show(value)} must be a pair (lo, hi) of real numbers "
                        f"{unit}".rstrip())
    check_real(f"{name}[0]", value[0], lo, hi, unit=unit)
    check_real(f"{name}[1]", value[1], lo, hi, unit=unit)
    a, b = float(value[0]), float(value[1])
    if not a < b:
        raise ValueError(f"{name}={show(value)} must have {name}[0] < {name}[1]")
    return a, b


def rng_from(seed, name: str = "seed") -> np.random.Generator:
    """A Generator from a non-negative int seed, or the Generator itself (same seed, same bits);
    ``name`` is how the caller spelled the parameter (for the error message)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0:
        return np.random.default_rng(int(seed))
    raise TypeError(f"{name}={show(seed)} must be a non-negative int or a "
                    "numpy.random.Generator")


def check_choice(name, value, choices):
    """Raise ValueError unless ``value`` is one of ``choices`` (compared with ==)."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name}={show(value)} is not one of {tuple(choices)}")


def check_array(name, value, *, shape=None, ndim=None, finite=True, dtype=np.float64,
                lo=None, hi=None, min_size=0, what="") -> np.ndarray:
    """A C-contiguous array of ``dtype`` from ``value``, or a clear error naming ``name``.

    ``shape`` entries may be None (any length); ``finite`` rejects NaN and inf; ``lo``/``hi``
    bound every element (inclusive); ``min_size`` is the fewest elements allowed; ``what`` says
    what an expected length matches (e.g. ``"one per t_ns"``), for the shape error. An integer
    ``dtype`` takes integers only: 0.5 is refused, never truncated to 0.
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name}={show(value)} must be an array of numbers")
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError, OverflowError) as exc:  # ragged nested lists
        raise ValueError(f"{name} is not a rectangular array of numbers: {exc}") from None
    if arr.dtype == object:
        raise TypeError(f"{name} must be an array of numbers, got objects: {show(value)}")
    if arr.dtype == np.bool_ and dtype != np.bool_:
        raise TypeError(f"{name} must be an array of numbers, got booleans")
    if dtype == np.bool_:
        if arr.dtype != np.bool_:
            raise TypeError(f"{name} must be an array of booleans, got dtype {arr.dtype}")
    elif not (np.issubdtype(arr.dtype, np.number) and not np.iscomplexobj(arr)):
        raise TypeError(f"{name} must be an array of real numbers, got dtype {arr.dtype}")
    elif np.issubdtype(dtype, np.integer) and not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"{name} must be an array of integers, got dtype {arr.dtype}: "
                        f"{show(value)}")
    arr = np.ascontiguousarray(arr, dtype=dtype)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} has {arr.ndim} dimensions (shape {arr.shape}), expected {ndim}")
    if shape is not None:
        ok = arr.ndim == len(shape) and all(s is None or s == a for s, a in zip(shape, arr.shape))
        if not ok:
            want = "(" + ", ".join("any" if s is None else str(s) for s in shape) + \
                ("," if len(shape) == 1 else "") + ")"
            raise ValueError(f"{name} has shape {arr.shape}, expected {want}"
                             + (f" ({what})" if what else ""))
    if arr.size < min_size:
        raise ValueError(f"{name} has {arr.size} elements (shape {arr.shape}), expected at "
                         f"least {min_size}")
    if dtype != np.bool_ and arr.size:
        if finite and not np.all(np.isfinite(arr)):
            k = int(np.flatnonzero(~np.isfinite(arr))[0])
            raise ValueError(f"{name} must be finite (no NaN or inf), got {float(arr.flat[k])!r} "
                             f"at flat index {k}")
        if lo is not None and arr.min() < lo:
            raise ValueError(f"{name} has a value {arr.min()!r} below the allowed minimum {lo!r}")
        if hi is not None and arr.max() > hi:
            raise ValueError(f"{name} has a value {arr.max()!r} above the allowed maximum {hi!r}")
    return arr


def available_memory() -> int | None:
    """Bytes of memory available to a new allocation (Linux ``MemAvailable``), or None if
    unknown (then :func:`check_memory` only applies its fixed ceiling)."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def check_memory(what: str, nbytes: float) -> None:
    """Raise ValueError before allocating when ``what`` (e.g. ``"n=100000"``) would need
    ``nbytes`` of memory and this machine does not have that much available."""
    avail = available_memory()
    if avail is not None and nbytes > avail:
        raise ValueError(f"{what} needs about {nbytes / 2**30:.3g} GiB of memory, and this machine "
                         f"has {avail / 2**30:.3g} GiB available: choose a smaller value")


def check_mask(name, value, *, shape=None, ndim=None, what="") -> np.ndarray:
    """A boolean array from booleans or from integers that are all 0 or 1, or a clear error."""
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name}={show(value)} must be an array of booleans (or 0/1)")
    arr = np.asarray(value) if not isinstance(value, np.ndarray) else value
    if np.issubdtype(arr.dtype, np.integer):
        if arr.size and not np.all((arr == 0) | (arr == 1)):
            raise ValueError(f"{name} must hold booleans or 0/1, got other integers")
        value = arr.astype(np.bool_)
    return check_array(name, value, shape=shape, ndim=ndim, dtype=np.bool_, what=what)


def check_list(name, value, n: int, kind, per: str = "") -> list:
    """``n`` objects of class ``kind``: one (repeated) or a sequence of exactly ``n`` of them
    (``per`` says what they pair with in the message, e.g. ``"current densities j"``)."""
    if isinstance(value, kind):
        return [value] * n
    want = f"one {kind.__name__} or a list of {n} of them{' (one per ' + per + ')' if per else ''}"
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__"):
        raise TypeError(f"{name} must be {want}, got {type(value).__name__}: {show(value)}")
    items = list(value)
    if len(items) != n:
        raise ValueError(f"{name} holds {len(items)} items; it must be {want}")
    for i, item in enumerate(items):
        if not isinstance(item, kind):
            raise TypeError(f"{name}[{i}] must be a {kind.__name__}, got {type(item).__name__}: "
                            f"{show(item)}")
    return items


def check_indices(name, value, n: int) -> np.ndarray:
    """Distinct integer indices in [0, n) as a 1-d int64 array, or a clear error (never a
    silent truncation of 0.5 to 0, never an index out of bounds)."""
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name}={show(value)} must be a 1-d array of integer indices")
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{name} is not a 1-d array of integer indices: {exc}") from None
    if arr.size == 0:
        arr = arr.astype(np.int64)
    if arr.dtype == np.bool_ or not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"{name} must hold integer indices, got dtype {arr.dtype}")
    if arr.ndim != 1:
        raise ValueError(f"{name} has shape {arr.shape}, expected a 1-d array of indices")
    if arr.size and (arr.min() < 0 or arr.max() >= n):
        raise ValueError(f"{name} must be indices in [0, {n - 1}], got {show(arr)}")
    if len(np.unique(arr)) != len(arr):
        raise ValueError(f"{name} must not repeat an index")
    return np.ascontiguousarray(arr, dtype=np.int64)


def check_kwargs(name, value, fn, exclude=()) -> dict:
    """``value`` as a dict of keyword arguments of ``fn`` (None: empty), or a clear error naming
    ``name`` (a dict of options the caller passes on to ``fn``, e.g. ``stream_kw``): a
    TypeError unless it is a mapping with str keys, a ValueError for a key that is not a
    keyword of ``fn`` or is one of ``exclude`` (set by the caller itself)."""
    import inspect

    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise TypeError(f"{name}={show(value)} must be a dict of keyword arguments of "
                        f"{fn.__name__}")
    bad = sorted(set(value) & set(exclude))
    if bad:
        raise ValueError(f"{name} has {bad}, which the caller sets itself")
    params = inspect.signature(fn).parameters
    allowed = [k for k, p in params.items()
               if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and k not in exclude]
    bad = sorted(set(value) - set(allowed))
    if bad and not any(p.kind == p.VAR_KEYWORD for p in params.values()):
        raise ValueError(f"{name} has {bad}, not keyword(s) of {fn.__name__} "
                         f"({', '.join(allowed)})")
    return dict(value)

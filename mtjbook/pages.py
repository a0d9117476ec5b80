"""Helpers every page of the book repeats: one figure style and gluing many numbers at once.

A notebook calls :func:`use_style` once before its first figure and :func:`glue_many` for the
plain numbers and strings its text quotes (figures and Markdown are still glued one by one with
``myst_nb.glue``).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping

#: The matplotlib settings of every figure of the book (they were repeated in each notebook).
STYLE = {"figure.dpi": 110, "axes.grid": True, "grid.alpha": 0.3, "font.size": 10}


def use_style() -> None:
    """Apply :data:`STYLE` to matplotlib's global ``rcParams`` (idempotent)."""
    import matplotlib.pyplot as plt

    plt.rcParams.update(STYLE)


def _plain(key: str, value):
    """``value`` as a plain Python ``int``, ``float`` or ``str``; refuses NaN, inf and others."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral, numbers.Real)):
        raise TypeError(
            f"glue_many: {key}={value!r} ({type(value).__name__}) must be an int, a float or a "
            "str; glue figures, Markdown and bools explicitly with myst_nb.glue"
        )
    if isinstance(value, numbers.Integral):
        return int(value)
    v = float(value)
    if not math.isfinite(v):
        raise ValueError(f"glue_many: {key}={value!r} is not finite; the page would print it")
    return v


def glue_many(mapping: Mapping[str, object]) -> dict[str, int | float | str]:
    """Glue every ``key: value`` of ``mapping`` with ``myst_nb.glue(key, value, display=False)``.

    Parameters
    ----------
    mapping : Mapping[str, int | float | str]
        Glue keys and their values. NumPy integers become ``int``, NumPy floats ``float``;
        strings are glued as they are.

    Returns
    -------
    dict
        The plain values that were glued, by key.

    Raises
    ------
    TypeError
        If ``mapping`` is not a mapping, a key is not a non-empty str, or a value is not a
        number or a str (a bool, an array, a figure...).
    ValueError
        If a value is NaN or infinite; the message names the key. All values are checked before
        anything is glued.
    """
    if not isinstance(mapping, Mapping):
        raise TypeError(f"mapping={mapping!r} must be a mapping of glue keys to values")
    plain = {}
    for key, value in mapping.items():
        if not isinstance(key, str) or not key:
            raise TypeError(f"glue_many: key {key!r} must be a non-empty str")
        plain[key] = _plain(key, value)
    from myst_nb import glue

    for key, value in plain.items():
        glue(key, value, display=False)
    return plain

"""Helpers every page of the book repeats: one figure style and gluing many numbers at once.

A notebook calls :func:`use_style` once before its first figure and :func:`glue_many` for the
plain numbers and strings its text quotes (figures and Markdown are still glued one by one with
``myst_nb.glue``).
"""

from __future__ import annotations

import itertools
import math
import numbers
import os
from collections.abc import Mapping
from pathlib import Path

#: The matplotlib settings of every figure of the book (they were repeated in each notebook).
STYLE = {"figure.dpi": 110, "axes.grid": True, "grid.alpha": 0.3, "font.size": 10}


def use_style() -> None:
    """Apply :data:`STYLE` to matplotlib's global ``rcParams``, and in a kernel make every
    figure's PNG carry its text alternative (:func:`mtjbook.pages.figure_alt.use_alt_text`, which the
    book shows as the image's alt). Idempotent."""
    import matplotlib.pyplot as plt

    from mtjbook.pages.figure_alt import use_alt_text

    plt.rcParams.update(STYLE)
    use_alt_text()


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


# ----------------------------------------------------------------------------------------------
# Parameters of a notebook: checked before any work, compared with the paper's configuration

def _range_text(lo, hi, lo_open=False, hi_open=False) -> str:
    left = "(-inf" if lo is None else f"{'(' if lo_open else '['}{lo:g}"
    right = "inf)" if hi is None else f"{hi:g}{')' if hi_open else ']'}"
    return f"{left}, {right}"


def _not_a_list_hint(name: str, value) -> str:
    if isinstance(value, str) and value.lstrip().startswith(("[", "{")):
        return (f"; papermill's -p passes text: pass lists and dicts as YAML with -y, e.g. "
                f"-y \"{name}: {value}\"")
    return ""


def check_int(name: str, value, lo: int | None = None, hi: int | None = None) -> int:
    """``value`` as an int, or a TypeError (not an int; a bool is not one) or a ValueError
    (outside ``[lo, hi]``) naming the parameter ``name``, its value and the allowed range."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}={value!r} must be an int in {_range_text(lo, hi)}"
                        + _not_a_list_hint(name, value))
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise ValueError(f"{name}={value!r} is outside the allowed range {_range_text(lo, hi)}")
    return int(value)


def check_real(name: str, value, lo: float | None = None, hi: float | None = None, *,
               lo_open: bool = False, hi_open: bool = False, unit: str = "") -> float:
    """``value`` as a finite float, or a TypeError/ValueError naming ``name``, the value and the
    allowed range (``lo_open``/``hi_open`` exclude the ends)."""
    u = f" {unit}" if unit else ""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}={value!r} must be a real number in "
                        f"{_range_text(lo, hi, lo_open, hi_open)}{u}"
                        + _not_a_list_hint(name, value))
    v = float(value)
    bad = (not math.isfinite(v)
           or (lo is not None and (v <= lo if lo_open else v < lo))
           or (hi is not None and (v >= hi if hi_open else v > hi)))
    if bad:
        raise ValueError(f"{name}={value!r} is outside the allowed range "
                         f"{_range_text(lo, hi, lo_open, hi_open)}{u}")
    return v


def check_bool(name: str, value) -> bool:
    """``value`` if it is a bool (True/False), else a TypeError naming ``name``."""
    if not isinstance(value, bool):
        raise TypeError(f"{name}={value!r} must be True or False")
    return value


def check_choice(name: str, value, choices) -> str:
    """``value`` if it is one of the strings ``choices``, else a TypeError/ValueError naming
    ``name``, the value and the choices."""
    choices = tuple(choices)
    if not isinstance(value, str):
        raise TypeError(f"{name}={value!r} must be one of {choices}")
    if value not in choices:
        raise ValueError(f"{name}={value!r} is not one of {choices}")
    return value


def check_optional(name: str, value, check, *args, **kwargs):
    """None, or ``check(name, value, *args, **kwargs)`` (e.g. ``check_real``)."""
    return None if value is None else check(name, value, *args, **kwargs)


def check_scheduler(name: str, value):
    """None (local processes) or a Dask scheduler address, a non-empty str such as
    ``"tcp://host:8786"`` (whether it answers is checked by :func:`mtjlib.sweep.sweep`)."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise TypeError(f"{name}={value!r} must be None (local processes) or a Dask scheduler "
                        "address such as 'tcp://host:8786'")
    return value


def check_list(name: str, value, item, *args, min_len: int = 1, increasing: bool = False,
               distinct: bool = False, **kwargs) -> list:
    """``value`` as a list whose every element passes ``item(f"{name}[i]", element, *args,
    **kwargs)``; at least ``min_len`` elements; strictly increasing or distinct if asked.

    A string is refused with a hint: papermill's ``-p`` passes text, lists need ``-y``.
    """
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise TypeError(f"{name}={value!r} must be a list" + (
            _not_a_list_hint(name, value) or
            f"; with papermill pass it as YAML: -y \"{name}: [...]\""))
    if len(value) < min_len:
        raise ValueError(f"{name}={value!r} must have at least {min_len} element"
                         + ("s" if min_len != 1 else ""))
    out = [item(f"{name}[{i}]", v, *args, **kwargs) for i, v in enumerate(value)]
    if increasing and any(b <= a for a, b in itertools.pairwise(out)):
        raise ValueError(f"{name}={value!r} must be strictly increasing")
    if distinct and len(set(out)) != len(out):
        raise ValueError(f"{name}={value!r} must not repeat a value")
    return out


def _same(a, b) -> bool:
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None:
        return a is b or (type(a) is type(b) and a == b)
    if isinstance(a, numbers.Real) and isinstance(b, numbers.Real):
        return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=0.0)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


class PaperConfig:
    """Whether a run's parameters are the paper's configuration, and which ones differ.

    Built by :func:`paper_config`. ``bool(cfg)`` is True at the paper's configuration;
    :attr:`differs` lists ``(name, value, paper value)`` of the others, and :meth:`sentence`
    says so in words for the page.
    """

    def __init__(self, differs):
        self.differs = tuple(differs)

    def __bool__(self) -> bool:
        return not self.differs

    @property
    def is_paper(self) -> bool:
        """True when every compared parameter has the paper's value."""
        return not self.differs

    def differences(self) -> str:
        """``"n_mtj = 100 (paper: 40), ..."``, empty at the paper's configuration."""
        def show(v):
            return f"{v:g}" if isinstance(v, float) else repr(v) if isinstance(v, str) else str(v)
        return ", ".join(
            f"{n} = {show(v)} (paper's configuration: {'at least ' if at_least else ''}{show(p)})"
            for n, v, p, at_least in self.differs)

    def sentence(self, claims: str = "") -> str:
        """One sentence for the page: the run is the paper's configuration, or where it differs
        and that its numbers are not compared with the paper's (nor the claims ``claims``, e.g.
        ``"F2a and F2b"``, recorded)."""
        plural = "s" if ("," in claims or " and " in claims) else ""
        if self.is_paper:
            return ("This run uses the paper's configuration" + (
                f"; claim{plural} {claims} {'are' if plural else 'is'} recorded from it."
                if claims else "."))
        return ("This run is not the paper's configuration (" + self.differences()
                + "): its numbers are not compared with the paper's"
                + (f" and claim{plural} {claims} {'are' if plural else 'is'} not recorded"
                   if claims else "") + ".")


def paper_config(values: Mapping, paper: Mapping, at_least=()) -> PaperConfig:
    """Compare a notebook's parameters ``values`` with the paper's ``paper`` (same names).

    Numbers compare to 1e-12 relative; names in ``at_least`` only need ``value >= paper``
    (a number of seeds or test windows). Names of ``paper`` missing from ``values`` raise.
    """
    differs = []
    for name, ref in paper.items():
        if name not in values:
            raise KeyError(f"paper_config: parameter {name!r} not in values")
        v = values[name]
        if name in at_least:
            ok = (isinstance(v, numbers.Real) and not isinstance(v, bool) and v >= ref)
        else:
            ok = _same(v, ref)
        if not ok:
            differs.append((name, v, ref, name in at_least))
    return PaperConfig(differs)


#: The environment variable naming a folder of character data (see :func:`character_dir`).
HANZI_ENV = "MTJLIB_HANZI_DIR"


def character_dir(character: str, hanzi_dir=None) -> tuple[str, str]:
    """The folder a page reads ``character``'s stroke data from, and a sentence naming it.

    Looks in ``hanzi_dir`` (a page parameter), then ``$MTJLIB_HANZI_DIR``, then the pinned
    ``hanzi-writer-data`` package under ``_build/npm`` (``make assets``); the first folder that
    holds ``<character>.json`` wins. Else ``tests/data/hanzi``, the few characters kept for the
    tests (the label says so). Pass the folder to
    :func:`mtjlib.tasks.character_data.load_character`.
    """
    root = Path(__file__).resolve().parents[2]  # the repository (this file: mtjbook/pages/)
    candidates = [("the parameter hanzi_dir", hanzi_dir),
                  (f"the environment variable {HANZI_ENV}", os.environ.get(HANZI_ENV)),
                  ("the pinned npm package (make assets)",
                   str(root / "_build" / "npm" / "node_modules" / "hanzi-writer-data"))]
    for label, d in candidates:
        if d and (Path(d) / f"{character}.json").is_file():
            return str(d), label
    test_copy = ("the repository's test copy tests/data/hanzi (the npm package was not staged; "
                 "run `make assets`)")
    return str(root / "tests" / "data" / "hanzi"), test_copy

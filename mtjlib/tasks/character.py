"""Chinese characters as drawing targets: stroke medians -> a periodic pen path x(t), y(t).

The data are Make Me a Hanzi's stroke graphics as packaged by Hanzi Writer (npm package
``hanzi-writer-data``, Arphic Public License): one ``<char>.json`` per character holding

- ``strokes``: one SVG outline path per stroke, in writing order (commands M, L, Q, C, Z,
  absolute coordinates);
- ``medians``: one polyline ``[[x, y], ...]`` per stroke along its centre, in writing order and
  in the direction the stroke is written.

Coordinates live in a 1024 x 1024 box whose upper-left corner is (0, 900) and lower-right corner
(1024, -124): **y grows upward** (Hanzi Writer flips it with ``scale(1, -1)`` to draw in SVG).
This module keeps y up, so ``plt.plot(x, y)`` shows the character the right way up.

The pen path (:func:`character_path`), chosen to be simple and stated:

- strokes in writing order, each traced along its median polyline at one constant speed (constant
  speed along the ink's arc length; no slowing at corners, no rounding of corners);
- between strokes the pen moves in a straight line from the end of one stroke to the start of the
  next at ``pen_up_speed_ratio`` times the ink speed (default 1: the paper's Fig. 3(c) shows one
  continuous dotted path), and a closing pen-up move from the end of the last stroke back to the
  start of the first makes the path periodic and continuous;
- one period lasts ``period_ns`` (170 ns in the paper); the path is a piecewise-linear function
  of continuous time, so it can be sampled at any time (:meth:`CharacterPath.sample`), which
  matters because 170 ns is not a whole number of 1.5 ns network steps (113.3);
- centred on the bounding box of the medians and scaled so that the larger half-extent equals
  ``amplitude``.

Only the standard library and numpy are used. Reading and checking the data (the CJK ranges,
:func:`mtjlib.tasks.character_data.load_character`) lives in :mod:`mtjlib.tasks.character_data`; the
data folder is found through ``data_dir`` or the environment variable ``MTJLIB_HANZI_DIR`` (the
book's ``make assets`` leaves the pinned package in ``_build/npm/node_modules/hanzi-writer-data/``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from mtjlib._validate import HUGE, check_array, check_int, check_real
from mtjlib.tasks.character_data import as_character_data

__all__ = [
    "CharacterPath",
    "Frame",
    "character_path",
    "outline_paths",
]

DEFAULT_AMPLITUDE = 0.8
#: Largest ``amplitude`` (as :class:`mtjlib.training.innate_config.InnateConfig`), and of
#: ``pen_up_speed_ratio`` and its inverse: beyond them the path's scale and speeds leave float64's
#: range.
MAX_AMPLITUDE = MAX_SPEED_RATIO = 1e6
#: Most samples of one period of a path.
MAX_SAMPLES = 10**8


@dataclass(frozen=True)
class Frame:
    """Map from hanzi-writer units (1024 box, y up) to the target frame: ``(X - centre) * scale``.

    Attributes
    ----------
    centre : numpy.ndarray
        (2,) centre of the medians' bounding box, hanzi-writer units.
    scale : float
        Target units per hanzi-writer unit (the same on both axes: no distortion).
    """

    centre: np.ndarray
    scale: float

    def apply(self, xy) -> np.ndarray:
        """(K, 2) hanzi-writer points -> (K, 2) points in the target frame."""
        xy = check_array("xy", xy, lo=-HUGE, hi=HUGE)
        if xy.ndim < 1 or xy.shape[-1] != 2:
            raise ValueError(f"xy has shape {xy.shape}, expected (..., 2) points [x, y]")
        return (xy - self.centre) * self.scale


def _frame(medians: list, amplitude: float) -> Frame:
    pts = np.concatenate([np.asarray(m, dtype=np.float64) for m in medians])  # (P, 2)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    centre = 0.5 * (lo + hi)
    half = 0.5 * float(np.max(hi - lo))  # > 0: every median has a positive length
    centre.setflags(write=False)
    if not math.isfinite(amplitude / half):  # a span of a few denormals
        raise ValueError(f"data: the medians span {2 * half:g} units, too few to scale to "
                         f"amplitude={amplitude!r} in float64")
    return Frame(centre=centre, scale=amplitude / half)


@dataclass(frozen=True)
class CharacterPath:
    """A character as a periodic pen path, sampled every ``dt_ns`` over one period.

    The path is the piecewise-linear curve through ``knot_x``, ``knot_y`` at times ``knot_t_ns``
    (first knot at t = 0, last at t = ``period_ns``, back at the first knot's position), repeated
    with period ``period_ns``. Positions are in the target frame (dimensionless, y up, centred,
    larger half-extent = ``amplitude``); ``frame`` maps hanzi-writer units into it.

    Attributes
    ----------
    char : str or None
        The character (or the JSON file's stem), None for a bare dict without ``"char"``.
    t_ns : numpy.ndarray
        (T,) sample times k * dt_ns, k = 0 .. ceil(period_ns / dt_ns) - 1, ns.
    x, y : numpy.ndarray
        (T,) target position at ``t_ns``.
    pen_down : numpy.ndarray
        (T,) bool, True while the sample lies on a stroke (ink), False on a pen-up move.
    stroke : numpy.ndarray
        (T,) int, index of the stroke being written (writing order), -1 on pen-up moves. A stroke
        shorter than ``ink_speed * dt_ns`` may fall between two samples and not appear here (it
        is still in the path that :meth:`sample` evaluates).
    period_ns, dt_ns : float
        Period of the path and sampling step, ns.
    amplitude : float
        Larger half-extent of the character in the target frame.
    frame : Frame
        Normalisation used (``centre`` in hanzi-writer units, ``scale``); apply it to outlines to
        draw them in the same frame (:func:`outline_paths` does).
    pen_up_speed_ratio : float
        Speed of the pen-up moves divided by the ink speed.
    ink_speed : float
        Pen speed along the strokes, target units per ns.
    ink_length, pen_up_length : float
        Path length on the strokes and on the pen-up moves (closing move included), target units.
    n_strokes : int
        Number of strokes.
    knot_t_ns, knot_x, knot_y : numpy.ndarray
        (K,) the polyline that defines the path and its times, ns.
    knot_stroke : numpy.ndarray
        (K - 1,) int, stroke index of each segment between knots, -1 for pen-up segments.
    """

    char: str | None
    t_ns: np.ndarray
    x: np.ndarray
    y: np.ndarray
    pen_down: np.ndarray
    stroke: np.ndarray
    period_ns: float
    dt_ns: float
    amplitude: float
    frame: Frame
    pen_up_speed_ratio: float
    ink_speed: float
    ink_length: float
    pen_up_length: float
    n_strokes: int
    knot_t_ns: np.ndarray = field(repr=False)
    knot_x: np.ndarray = field(repr=False)
    knot_y: np.ndarray = field(repr=False)
    knot_stroke: np.ndarray = field(repr=False)

    @property
    def centre(self) -> np.ndarray:
        """(2,) centre of the normalisation, hanzi-writer units."""
        return self.frame.centre

    @property
    def scale(self) -> float:
        """Target units per hanzi-writer unit."""
        return self.frame.scale

    @property
    def xy(self) -> np.ndarray:
        """(T, 2) samples ``[x, y]``: the two readout targets."""
        return np.stack([self.x, self.y], axis=1)

    @property
    def pen_up_speed(self) -> float:
        """Speed of the pen-up moves, target units per ns."""
        return self.ink_speed * self.pen_up_speed_ratio

    @property
    def ink_fraction(self) -> float:
        """Fraction of the period spent on strokes (pen down)."""
        return self.ink_length / self.ink_speed / self.period_ns

    def _phase(self, t_ns) -> np.ndarray:
        check_array("t_ns", t_ns)
        t = np.asarray(t_ns, dtype=np.float64)
        if not np.isfinite(t).all():
            raise ValueError("t_ns must be finite (ns)")
        return np.mod(t, self.period_ns)

    def sample(self, t_ns) -> tuple[np.ndarray, np.ndarray]:
        """Target position at arbitrary times (periodic, linear between knots).

        Parameters
        ----------
        t_ns : float or array_like
            Times, ns; any real value (t and t + period_ns give the same point), so a trainer can
            sample step k of a multi-period run at t = k * dt_ns without drift.

        Returns
        -------
        x, y : numpy.ndarray
            Positions with the shape of ``t_ns``.
        """
        ph = self._phase(t_ns)
        return np.interp(ph, self.knot_t_ns, self.knot_x), np.interp(ph, self.knot_t_ns,
                                                                     self.knot_y)

    def stroke_at(self, t_ns) -> np.ndarray:
        """Stroke index written at times ``t_ns`` (ns, periodic), -1 on pen-up moves.

        Segments are half-open in time, [start, end): a stroke's first instant belongs to it.
        """
        ph = self._phase(t_ns)
        seg = np.searchsorted(self.knot_t_ns, ph, side="right") - 1
        seg = np.clip(seg, 0, len(self.knot_stroke) - 1)
        return self.knot_stroke[seg]


def character_path(data, *, period_ns: float = 170.0, dt_ns: float = 1.5,
                   amplitude: float = DEFAULT_AMPLITUDE,
                   pen_up_speed_ratio: float = 1.0) -> CharacterPath:
    """Turn a character's stroke medians into one period of a continuous pen path x(t), y(t).

    Parameters
    ----------
    data : dict, str or path-like
        The dict of :func:`~mtjlib.tasks.character_data.load_character` (or any dict with
        ``strokes`` and ``medians``), or what it accepts (a character, read from
        ``MTJLIB_HANZI_DIR``, or the path of a JSON file).
    period_ns : float
        Duration of one drawing of the character, ns, > 0 (the paper: 170 ns).
    dt_ns : float
        Sampling step of the returned samples, ns, in (0, period_ns] (the network's step: 1.5 ns).
        The period need not be a whole number of steps: samples are at t = k * dt_ns for
        k = 0 .. ceil(period_ns / dt_ns) - 1; use :meth:`CharacterPath.sample` for later periods.
    amplitude : float
        Larger half-extent of the character, in (0, 1e6]: the path spans [-amplitude, amplitude]
        along its wider axis and is centred on 0 in both. Default 0.8: the readouts of the book's
        MTJ networks are weighted sums of rates in [0, 1] that reach values of order 0.5 to 1
        without large weights, so a target inside +-0.8 is reachable while still filling the
        range (L&B's handwriting targets were of the same order, x in about [-0.5, 0.5]).
    pen_up_speed_ratio : float
        Speed of the straight pen-up moves between strokes (and of the closing move from the last
        stroke back to the first) divided by the ink speed, > 0. Default 1: one continuous path at
        one speed, as in the paper's Fig. 3(c). Larger values make the jumps faster (harder for
        a network whose time constant limits how fast its output can move). In [1e-6, 1e6].

    Returns
    -------
    CharacterPath
        Samples, the knots that define the path, and the normalisation used.

    Notes
    -----
    Speed profile: constant speed along the ink; the ink speed v follows from the period,
    ``ink_length / v + pen_up_length / (pen_up_speed_ratio * v) = period_ns``.
    No corner rounding or smoothing is applied: the path has corners at the median points and at
    the stroke ends (its velocity jumps there; its position is continuous).
    """
    d = as_character_data(data)
    check_real("period_ns", period_ns, 0.0, math.inf, lo_open=True, unit="ns")
    check_real("dt_ns", dt_ns, 0.0, float(period_ns), lo_open=True, unit="ns")
    check_real("amplitude", amplitude, 0.0, MAX_AMPLITUDE, lo_open=True)
    check_real("pen_up_speed_ratio", pen_up_speed_ratio, 1 / MAX_SPEED_RATIO, MAX_SPEED_RATIO)
    period_ns, dt_ns = float(period_ns), float(dt_ns)
    amplitude, ratio = float(amplitude), float(pen_up_speed_ratio)

    frame = _frame(d["medians"], amplitude)
    medians = [frame.apply(m) for m in d["medians"]]  # each (P_s, 2)

    # The polyline: knots and, per segment, its stroke (-1 = pen up); zero-length segments dropped.
    knots = [medians[0][0]]
    seg_stroke: list[int] = []

    def go(p, s):
        if np.hypot(*(p - knots[-1])) > 0:
            knots.append(p)
            seg_stroke.append(s)

    for s, m in enumerate(medians):
        go(m[0], -1)  # pen-up move from the previous stroke's end (none before stroke 0)
        for p in m[1:]:
            go(p, s)
    go(medians[0][0], -1)  # closing move: periodic path

    kxy = np.array(knots)  # (K, 2)
    kst = np.array(seg_stroke, dtype=np.int64)  # (K - 1,)
    seg_len = np.hypot(*np.diff(kxy, axis=0).T)  # (K - 1,)
    ink = seg_len[kst >= 0].sum()
    up = seg_len[kst < 0].sum()
    with np.errstate(over="ignore", divide="ignore"):  # a period of a few denormals: below
        v_ink = (ink + up / ratio) / period_ns
        seg_t = np.where(kst >= 0, seg_len / v_ink, seg_len / (v_ink * ratio))
    if not (math.isfinite(v_ink) and np.all(seg_t > 0)):
        raise ValueError(f"period_ns={period_ns!r} gives a pen speed of {v_ink!r} per ns: "
                         "outside float64's range")
    kt = np.concatenate([[0.0], np.cumsum(seg_t)])
    kt[-1] = period_ns  # exact period despite rounding in the sum

    n = math.ceil(round(period_ns / dt_ns, 9))
    if n > MAX_SAMPLES:
        raise ValueError(f"period_ns={period_ns!r} / dt_ns={dt_ns!r} is {n:.3g} samples; at "
                         f"most {MAX_SAMPLES:.0e}")
    t = np.arange(n) * dt_ns
    x, y = np.interp(t, kt, kxy[:, 0]), np.interp(t, kt, kxy[:, 1])
    seg = np.clip(np.searchsorted(kt, t, side="right") - 1, 0, len(kst) - 1)
    stroke = kst[seg]
    arrays = {"t_ns": t, "x": x, "y": y, "pen_down": stroke >= 0, "stroke": stroke,
              "knot_t_ns": kt, "knot_x": kxy[:, 0].copy(), "knot_y": kxy[:, 1].copy(),
              "knot_stroke": kst}
    for a in arrays.values():
        a.setflags(write=False)
    return CharacterPath(char=d["char"], period_ns=period_ns, dt_ns=dt_ns, amplitude=amplitude,
                         frame=frame, pen_up_speed_ratio=ratio, ink_speed=float(v_ink),
                         ink_length=float(ink), pen_up_length=float(up),
                         n_strokes=len(medians), **arrays)


# --- SVG outlines ----------------------------------------------------------------------------

_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ARITY = {"M": 2, "L": 2, "Q": 4, "C": 6, "Z": 0}


def _bezier(ctrl: np.ndarray, n: int) -> np.ndarray:
    """(n, 2) points at u = 1/n .. 1 of the Bezier curve with (d + 1, 2) control points."""
    u = np.arange(1, n + 1)[:, None] / n  # (n, 1)
    d = len(ctrl) - 1
    basis = [math.comb(d, k) * u**k * (1 - u) ** (d - k) for k in range(d + 1)]  # each (n, 1)
    return sum(b * c for b, c in zip(basis, ctrl))


def _svg_polygon(path: str, n: int, where: str) -> np.ndarray:
    """One closed SVG outline (absolute M, L, Q, C, Z) -> (K, 2) polygon, first point repeated."""
    tokens = _TOKEN.findall(path)
    if not tokens or tokens[0] != "M":
        raise ValueError(f"{where}: SVG path must start with 'M', got {path[:40]!r}")
    pts: list[np.ndarray] = []
    i, cmd, start = 0, None, None
    while i < len(tokens):
        tok = tokens[i]
        if tok.isalpha():
            if tok not in _ARITY:
                raise ValueError(f"{where}: SVG command {tok!r} not supported (only absolute "
                                 "M, L, Q, C, Z occur in hanzi-writer-data)")
            cmd, i = tok, i + 1
            if cmd == "M" and start is not None:
                raise ValueError(f"{where}: several sub-paths in one stroke outline")
            if cmd == "Z":
                pts.append(start)
                continue
        elif cmd is None or cmd == "Z":
            raise ValueError(f"{where}: number {tok!r} without a command")
        k = _ARITY[cmd]
        try:
            args = np.array([float(v) for v in tokens[i:i + k]]).reshape(-1, 2)
        except ValueError:
            raise ValueError(f"{where}: command {cmd!r} needs {k} numbers") from None
        if len(args) * 2 != k:
            raise ValueError(f"{where}: command {cmd!r} needs {k} numbers")
        i += k
        if cmd == "M":
            start = args[0]
            pts.append(start)
            cmd = "L"  # extra pairs after M are implicit line-tos (SVG rule)
        elif cmd == "L":
            pts.append(args[0])
        else:
            pts.extend(_bezier(np.vstack([pts[-1], args]), n))
    if np.any(pts[-1] != pts[0]):
        pts.append(pts[0])
    return np.array(pts)


def outline_paths(data, *, amplitude: float = DEFAULT_AMPLITUDE,
                  points_per_curve: int = 8) -> list[np.ndarray]:
    """The stroke outlines as polygons in the frame of :func:`character_path`.

    Lets a figure draw the character (e.g. ``ax.fill(*poly.T)``) without any CJK font.

    Parameters
    ----------
    data : dict, str or path-like
        As for :func:`character_path`.
    amplitude : float
        The ``amplitude`` given to :func:`character_path` (in (0, 1e6]): the same value gives the
        same frame (centre and scale come from the medians, not from the outlines, so the outlines
        reach slightly beyond +-amplitude).
    points_per_curve : int
        Points sampled on each quadratic or cubic Bezier segment, in [1, 1000].

    Returns
    -------
    list of numpy.ndarray
        One closed (K, 2) polygon per stroke, in writing order (last point = first point).
    """
    d = as_character_data(data)
    check_real("amplitude", amplitude, 0.0, MAX_AMPLITUDE, lo_open=True)
    check_int("points_per_curve", points_per_curve, 1, 1000)
    frame = _frame(d["medians"], float(amplitude))
    return [frame.apply(_svg_polygon(s, int(points_per_curve), f"stroke {k} outline"))
            for k, s in enumerate(d["strokes"])]

"""How well an output meets its target: the measures of the book's figures.

Every function returns numbers; whether a number is good enough is decided with the claims, in
the book's package, never here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from mtjlib._validate import HUGE, check_array, check_mask, check_real


def free_run_windows(learn) -> list[tuple[int, int]]:
    """(start, stop) step indices of every free-running stretch that follows learning."""
    learn = check_mask("learn", learn, ndim=1)
    out = []
    k, n = 0, len(learn)
    while k < n:
        if not learn[k] and k > 0 and learn[k - 1]:
            stop = k
            while stop < n and not learn[stop]:
                stop += 1
            out.append((k, stop))
            k = stop
        else:
            k += 1
    return out


#: Largest ``|value|`` whose square (and a sum of 1e8 squares) stays far from float64 overflow;
#: its inverse, the smallest whose square stays far from underflow.
SQUARE_SAFE = 1e140


def _rescaled(z, f):
    """``z`` and ``f`` times the power of two that brings their largest |value| near 1: exact
    (no rounding), so a ratio of sums of squares is unchanged but cannot overflow."""
    scale = _pow2_scale(max(float(np.max(np.abs(z), initial=0.0)),
                            float(np.max(np.abs(f), initial=0.0))))
    return z * scale, f * scale


def _pow2_scale(top: float) -> float:
    """The power of two that brings ``top`` (>= 0) near 1 (1 for 0 or a non-finite value)."""
    return 2.0 ** -int(np.frexp(top)[1]) if 0 < top < math.inf else 1.0


def _rms_ratio(z, f) -> float:
    """RMS of ``z`` over RMS of ``f`` (finite arrays), rescaled exactly when squares would
    overflow (a diverged output gives a large finite ratio, not inf)."""
    with np.errstate(over="ignore", under="ignore"):
        num, den = np.mean(z**2), np.mean(f**2)
    if np.isfinite(num) and np.isfinite(den) and den > 0:
        return float(np.sqrt(num / den))
    rf = _rms(f)
    return _rms(z) / rf if rf > 0 else math.inf


def _rms(x) -> float:
    """RMS of finite ``x`` computed on an exact power-of-two scale (cannot overflow: it is at
    most max |x|)."""
    top = float(np.max(np.abs(x), initial=0.0))
    if top == 0:
        return 0.0
    e = int(np.frexp(top)[1])
    return float(np.sqrt(np.mean((x * 2.0**-e) ** 2))) * 2.0**e


def nrmse(z, f) -> float:
    """Normalised RMS error sqrt(mean((z - f)^2) / mean(f^2)); ``z`` and ``f`` finite, of the
    same size (any shape, compared element by element), ``f`` not all zero."""
    z, f = check_array("z", z, min_size=1).ravel(), check_array("f", f, min_size=1).ravel()
    if z.shape != f.shape:
        raise ValueError(f"z and f must have the same size, got {z.shape} and {f.shape}")
    if not np.any(f != 0):
        raise ValueError("f is zero everywhere: the NRMSE (normalised by mean(f^2)) is undefined")
    with np.errstate(over="ignore"):
        num, den = np.mean((z - f) ** 2), np.mean(f**2)
    if not (np.isfinite(num) and np.isfinite(den) and den > 0):
        # squares beyond float64 (|values| > 1e154) or below it: each RMS on its own exact
        # power-of-two scale (a diverged output next to a small target included); ordinary
        # values never take this path
        return _rms(z * 0.5 - f * 0.5) * 2.0 / _rms(f)
    return float(np.sqrt(num / den))


def zero_crossing_period(t_ns, z) -> float:
    """Mean period of ``z`` from its upward zero crossings (linear interpolation), ns.

    The mean of z is removed first; NaN if fewer than two upward crossings (no period).
    """
    t = check_array("t_ns", t_ns, ndim=1, min_size=1, lo=-HUGE, hi=HUGE)
    z = check_array("z", z).ravel()
    if z.shape != t.shape:
        raise ValueError(f"z has {z.size} samples, t_ns {t.size}: they must match")
    if float(np.max(np.abs(z), initial=0.0)) > SQUARE_SAFE:
        # a diverged output (any finite size): the crossings depend only on ratios of z, so
        # rescale by a power of two (exact) first; ordinary values never take this path
        z, _ = _rescaled(z, z[:0])
    z = z - z.mean()
    k = np.flatnonzero((z[:-1] < 0) & (z[1:] >= 0))
    if len(k) < 2:
        return math.nan
    tc = t[k] - z[k] * (t[k + 1] - t[k]) / (z[k + 1] - z[k])
    return float((tc[-1] - tc[0]) / (len(tc) - 1))


@dataclass(frozen=True)
class FreeRun:
    """How well a free-running stretch reproduces its target."""

    start_ns: float
    """Start of the stretch (learning switched off), ns."""
    stop_ns: float
    """End of the stretch, ns."""
    nrmse: float
    """Normalised RMS error of output vs target over the stretch."""
    period_ns: float
    """Period of the output from its upward zero crossings, ns."""
    target_period_ns: float
    """Period of the target measured the same way, ns."""
    amplitude_ratio: float
    """RMS of the output over RMS of the target (1: right amplitude, phase aside)."""
    nrmse_aligned: float = math.nan
    """The largest, over windows of :data:`ALIGN_PERIODS` target periods, of the NRMSE against
    the target shifted by the phase that fits that window best (:func:`aligned_nrmse`)."""


def free_run_report(t_ns, z, target, learn, t_end_ns: float | None = None) -> list[FreeRun]:
    """One :class:`FreeRun` per free-running stretch after learning (first output column).

    A stretch ends where its last step ends, or at ``t_end_ns`` if that is earlier (the last
    step of a timeline may reach past its end when dt does not divide it).
    """
    t = check_array("t_ns", t_ns, ndim=1, min_size=2)
    z = check_array("z", z)
    f = check_array("target", target)
    for name, a in (("z", z), ("target", f)):
        if a.ndim not in (1, 2) or a.shape[0] != len(t) or a.size < len(t):
            raise ValueError(f"{name} has shape {a.shape}, expected ({len(t)},) or ({len(t)}, k) "
                             f"(one row per t_ns)")
    learn = check_mask("learn", learn, shape=(len(t),), what="one per t_ns")
    if t_end_ns is not None:
        check_real("t_end_ns", t_end_ns, unit="ns")
    z, f = z.reshape(len(t), -1)[:, 0], f.reshape(len(t), -1)[:, 0]
    windows = free_run_windows(learn)
    for a, b in windows:
        if not np.any(f[a:b] != 0):
            raise ValueError(f"target is zero everywhere in the free run from {t[a]!r} ns: the "
                             "NRMSE (normalised by the target) is undefined there")
    out = []
    for a, b in windows:
        out.append(FreeRun(
            start_ns=float(t[a]), stop_ns=float(min(t[b - 1] + (t[1] - t[0]),
                                                    math.inf if t_end_ns is None else t_end_ns)),
            nrmse=nrmse(z[a:b], f[a:b]), period_ns=zero_crossing_period(t[a:b], z[a:b]),
            target_period_ns=zero_crossing_period(t[a:b], f[a:b]),
            amplitude_ratio=_rms_ratio(z[a:b], f[a:b]),
            nrmse_aligned=aligned_nrmse(t[a:b], z[a:b], f[a:b])))
    return out


#: Windows of :func:`aligned_nrmse`, in target periods.
ALIGN_PERIODS = 2
#: Phase shifts tried per target period by :func:`aligned_nrmse` (then refined by a parabola).
ALIGN_SHIFTS = 128


def aligned_nrmse(t_ns, z, f, window_periods: float = ALIGN_PERIODS) -> float:
    """NRMSE of ``z`` against the periodic target ``f`` with the phase free, window by window.

    The stretch is cut into windows of ``window_periods`` target periods (the period measured
    from ``f``'s zero crossings); in each, the target is shifted in time by the s in [-T/2, T/2)
    that minimises the NRMSE (``f(t + s)`` from ``f``'s own samples, folded on one period and
    interpolated linearly; a grid of :data:`ALIGN_SHIFTS` shifts refined by a parabola), and
    the largest of the windows' minima is returned. A pure phase shift of the target gives
    about 0 (interpolation error); a wrong period or amplitude does not. NaN when ``f`` has no
    period (fewer than two upward crossings) or the stretch is shorter than a window; inf
    where ``z`` is not finite.
    """
    t = check_array("t_ns", t_ns, ndim=1, min_size=2, lo=-HUGE, hi=HUGE)
    z = np.asarray(z, dtype=float).ravel()
    f = check_array("f", f, shape=(len(t),))
    if z.shape != t.shape:
        raise ValueError(f"z has {z.size} samples, t_ns {t.size}: they must match")
    check_real("window_periods", window_periods, 0.0, 1e6, lo_open=True)
    period = zero_crossing_period(t, f)
    if not math.isfinite(period) or t[-1] - t[0] < window_periods * period:
        return math.nan
    if not np.all(np.isfinite(z)):
        return math.inf
    xp, fp = _folded(t, f, period)
    w = window_periods * period
    worst = 0.0
    for a in np.arange(t[0], t[-1] - w + 0.5 * (t[1] - t[0]), w):
        sel = (t >= a) & (t < a + w)
        worst = max(worst, _best_shift(t[sel] - t[0], z[sel], xp, fp, period)[1])
    return float(worst)


def _folded(t, f, period):
    """The target's samples folded on one period, sorted by phase (for ``np.interp``)."""
    phase = np.mod(t - t[0], period)
    order = np.argsort(phase, kind="stable")
    return phase[order], f[order]


def _best_shift(tw, zw, xp, fp, period) -> tuple[float, float]:
    """(s, NRMSE) of the shift s in [-T/2, T/2) of the folded target that fits ``zw`` best: a
    grid of :data:`ALIGN_SHIFTS` shifts, refined by the vertex of a parabola."""
    step = period / ALIGN_SHIFTS
    shifts = (np.arange(ALIGN_SHIFTS) / ALIGN_SHIFTS - 0.5) * period
    fs = np.interp(np.mod(tw[None, :] + shifts[:, None], period), xp, fp, period=period)
    # numerator and denominator each on its own exact power-of-two scale: a diverged output
    # (|z| up to float64's limit) neither overflows nor underflows the target's squares
    s_num = _pow2_scale(float(np.max(np.abs(zw), initial=0.0))
                        + float(np.max(np.abs(fp), initial=0.0)))
    s_den = _pow2_scale(float(np.max(np.abs(fp), initial=0.0)))
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        num = np.sqrt(np.sum(((zw[None, :] - fs) * s_num) ** 2, axis=1)) / s_num
        e = num / (np.sqrt(np.sum((fs * s_den) ** 2, axis=1)) / s_den)
    e = np.where(np.isfinite(e), e, np.inf)
    i = int(np.argmin(e))
    best, s_best = float(e[i]), float(shifts[i])
    lo, mid, hi = e[i - 1], e[i], e[(i + 1) % len(e)]
    with np.errstate(invalid="ignore"):
        curv = lo - 2 * mid + hi
    if np.isfinite(curv) and curv > 0:
        s = s_best + 0.5 * step * (lo - hi) / curv
        fb = np.interp(np.mod(tw + s, period), xp, fp, period=period)
        e_s = nrmse(zw, fb)
        if e_s < best:
            best, s_best = e_s, float(s)
    return s_best, best


def aligned_target(t_ns, z, f) -> np.ndarray:
    """The periodic target ``f`` shifted by the one phase that fits ``z`` best over the whole
    stretch (as :func:`aligned_nrmse` does per window), sampled at ``t_ns``: what the
    phase-free rule compares the output with."""
    t = check_array("t_ns", t_ns, ndim=1, min_size=2, lo=-HUGE, hi=HUGE)
    z = check_array("z", z, shape=(len(t),))
    f = check_array("f", f, shape=(len(t),))
    period = zero_crossing_period(t, f)
    if not math.isfinite(period):
        raise ValueError("f has fewer than two upward zero crossings: it has no period")
    xp, fp = _folded(t, f, period)
    s, _ = _best_shift(t - t[0], z, xp, fp, period)
    return np.interp(np.mod(t - t[0] + s, period), xp, fp, period=period)


def rolling_nrmse(z, f, window_steps: int) -> np.ndarray:
    """NRMSE over a sliding window of ``window_steps`` centred on each step, (T,).

    sqrt(sum_w (z - f)^2 / sum_w f^2) with ``numpy.convolve(..., "same")`` sums, so the first and
    last half-windows see fewer steps. inf where ``f`` is zero over the whole window (the
    normalisation is undefined there).
    """
    z = check_array("z", z, ndim=1, min_size=1)
    f = check_array("f", f, shape=(len(z),))
    if not isinstance(window_steps, (int, np.integer)) or isinstance(window_steps, bool) \
            or not 1 <= window_steps <= max(len(z), 1):
        raise ValueError(f"window_steps={window_steps!r} must be an int in [1, {len(z)}]")
    top = max(np.max(np.abs(z)), np.max(np.abs(f)))
    if top > SQUARE_SAFE or 0 < top < 1 / SQUARE_SAFE:  # squares would overflow or underflow
        z, f = _rescaled(z, f)
    k = np.ones(int(window_steps)) / window_steps
    den = np.convolve(f**2, k, "same")
    num = np.convolve((z - f) ** 2, k, "same")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sqrt(np.where(den > 0, num / np.where(den > 0, den, 1.0), np.inf))


def settle_time(t_ns, err, lo_ns: float, hi_ns: float, level: float) -> float:
    """Time from ``lo_ns`` after which ``err`` stays below ``level`` until ``hi_ns``, ns.

    0 if it is below from the start; the whole stretch (plus one step) if it never settles.
    """
    t = check_array("t_ns", t_ns, ndim=1)
    e = check_array("err", err, shape=(len(t),), finite=False, what="one per t_ns")
    check_real("level", level, 0.0, math.inf, lo_open=True)
    check_real("lo_ns", lo_ns, -math.inf, math.inf, unit="ns")
    check_real("hi_ns", hi_ns, lo_ns, math.inf, lo_open=True, unit="ns (> lo_ns)")
    dt = float(t[1] - t[0]) if len(t) > 1 else 0.0
    sel = np.flatnonzero((t >= lo_ns) & (t < hi_ns))
    above = sel[~(e[sel] < level)]
    return float(t[above[-1]] - lo_ns + dt) if len(above) else 0.0

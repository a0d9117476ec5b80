"""Targets for the networks and the measures of how well they are met.

- :func:`sine` and :func:`timeline`: a target that switches at given times, with learning
  windows (paper Fig. 2: learn, free run, new target, learn, free run);
- :func:`fig2_timeline`: the paper's Fig. 2 timeline;
- :func:`nrmse`, :func:`zero_crossing_period`, :func:`free_run_windows`: measures.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


def sine(amplitude: float, period_ns: float, phase: float = 0.0) -> Callable:
    """``f(t_ns) = amplitude sin(2 pi t_ns / period_ns + phase)``."""
    if not (math.isfinite(amplitude) and math.isfinite(period_ns) and period_ns > 0):
        raise ValueError(f"amplitude={amplitude!r} must be finite and period_ns={period_ns!r} > 0")

    def f(t_ns):
        return amplitude * np.sin(2 * np.pi * np.asarray(t_ns, dtype=np.float64) / period_ns
                                  + phase)

    return f


@dataclass(frozen=True)
class Segment:
    """A stretch of a timeline: from ``t_start_ns`` on, this target; learning on or off."""

    t_start_ns: float
    target: Callable
    learn: bool


@dataclass(frozen=True)
class Timeline:
    """Step times, target values and learning mask of a training run."""

    t_ns: np.ndarray
    """Step times, ns, (T,)."""
    target: np.ndarray
    """Target at each step, (T,)."""
    learn: np.ndarray
    """Learning on at each step, (T,) bool."""
    segments: tuple
    """The segments the timeline was built from."""
    t_end_ns: float
    """End of the timeline, ns."""


def timeline(segments, t_end_ns: float, dt_ns: float = 1.5) -> Timeline:
    """Sample ``segments`` (sorted by start, the first at 0) on steps t = k dt_ns < t_end_ns."""
    segments = tuple(segments)
    starts = [s.t_start_ns for s in segments]
    if not segments or starts[0] != 0 or any(b <= a for a, b in itertools.pairwise(starts)):
        raise ValueError(f"segment starts {starts} must begin at 0 and increase")
    if not (math.isfinite(t_end_ns) and t_end_ns > starts[-1]):
        raise ValueError(f"t_end_ns={t_end_ns!r} must be finite and after the last segment start")
    n = math.ceil(t_end_ns / dt_ns - 1e-9)
    t = dt_ns * np.arange(n)
    idx = np.searchsorted(np.array(starts), t + 1e-9 * dt_ns, side="right") - 1
    f = np.empty(n)
    learn = np.empty(n, dtype=bool)
    for k, s in enumerate(segments):
        sel = idx == k
        f[sel] = s.target(t[sel])
        learn[sel] = s.learn
    return Timeline(t_ns=t, target=f, learn=learn, segments=segments, t_end_ns=float(t_end_ns))


def fig2_timeline(amp1: float = 0.87, period1_ns: float = 45.0, amp2: float = 0.65,
                  period2_ns: float = 80.0, t_off1_ns: float = 4500.0,
                  t_switch_ns: float = 5700.0, t_off2_ns: float = 8700.0,
                  t_end_ns: float = 10000.0, dt_ns: float = 1.5) -> Timeline:
    """The paper's Fig. 2 timeline: learn sine 1, free run, learn sine 2 from the switch, free run."""
    first, second = sine(amp1, period1_ns), sine(amp2, period2_ns)
    return timeline([Segment(0.0, first, True), Segment(t_off1_ns, first, False),
                     Segment(t_switch_ns, second, True), Segment(t_off2_ns, second, False)],
                    t_end_ns, dt_ns)


def free_run_windows(learn) -> list[tuple[int, int]]:
    """(start, stop) step indices of every free-running stretch that follows learning."""
    learn = np.asarray(learn, dtype=bool)
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


def nrmse(z, f) -> float:
    """Normalised RMS error sqrt(mean((z - f)^2) / mean(f^2))."""
    z, f = np.asarray(z, dtype=np.float64).ravel(), np.asarray(f, dtype=np.float64).ravel()
    if z.shape != f.shape or len(z) == 0:
        raise ValueError(f"z and f must have the same non-zero length, got {z.shape}, {f.shape}")
    return float(np.sqrt(np.mean((z - f) ** 2) / np.mean(f**2)))


def zero_crossing_period(t_ns, z) -> float:
    """Mean period of ``z`` from its upward zero crossings (linear interpolation), ns.

    The mean of z is removed first; NaN if fewer than two upward crossings.
    """
    t = np.asarray(t_ns, dtype=np.float64)
    z = np.asarray(z, dtype=np.float64).ravel()
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

    def holds(self, nrmse_max: float | None = None, period_rel: float | None = None) -> bool:
        """The claims' rule (tolerances from :data:`mtjlib.claims.TOLERANCES` by default)."""
        from .claims import TOLERANCES

        nrmse_max = TOLERANCES["free_run_nrmse_max"] if nrmse_max is None else nrmse_max
        period_rel = TOLERANCES["period_rel"] if period_rel is None else period_rel
        return bool(self.nrmse < nrmse_max and abs(self.period_ns - self.target_period_ns)
                    <= period_rel * self.target_period_ns)


def free_run_report(t_ns, z, target, learn, t_end_ns: float | None = None) -> list[FreeRun]:
    """One :class:`FreeRun` per free-running stretch after learning (first output column).

    A stretch ends where its last step ends, or at ``t_end_ns`` if that is earlier (the last
    step of a timeline may reach past its end when dt does not divide it).
    """
    t = np.asarray(t_ns, dtype=np.float64)
    z = np.asarray(z, dtype=np.float64).reshape(len(t), -1)[:, 0]
    f = np.asarray(target, dtype=np.float64).reshape(len(t), -1)[:, 0]
    out = []
    for a, b in free_run_windows(learn):
        out.append(FreeRun(
            start_ns=float(t[a]), stop_ns=float(min(t[b - 1] + (t[1] - t[0]),
                                                    math.inf if t_end_ns is None else t_end_ns)),
            nrmse=nrmse(z[a:b], f[a:b]), period_ns=zero_crossing_period(t[a:b], z[a:b]),
            target_period_ns=zero_crossing_period(t[a:b], f[a:b]),
            amplitude_ratio=float(np.sqrt(np.mean(z[a:b] ** 2) / np.mean(f[a:b] ** 2)))))
    return out

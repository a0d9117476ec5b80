"""The micromagnetic check of the macrospin, without PyTorch: what a trace of the free layer's mean
magnetisation becomes (the paper's Delta R, the precession frequency and its decay rate), the same
numbers from the macrospin at the same sampling, and the extrapolation of a mesh series to zero
cell size with its uncertainty.

The solver side (magnum.np on PyTorch) is :mod:`mtjbook.micromag.run`, run by ``make micromag``; the
book reads what it recorded (:func:`load_record`) and never imports PyTorch.

Why the mean of m_x gives the resistance: a tunnel junction conducts through its cells in
parallel, and each cell's conductance ``(1 + p_T m_x,i) / R0`` is linear in its m_x, so the
junction's resistance is exactly ``R0 / (1 + p_T <m_x>)``: the macrospin's R(m) at the mean.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from mtjlib.physics.delta_r_rules import delta_r_from_trace, parabola_extrema
from mtjlib.physics.device import DeviceParams
from mtjlib.physics.llg import simulate_trace

#: Orders of the leading discretisation error assumed by :func:`extrapolate`: a staircased disk
#: converges at first order in the cell size in general, at second order where the boundary
#: error cancels; the converged value is bracketed by both extrapolations.
ORDERS = (1, 2)
#: The file ``make micromag`` writes its record to: a Python data module, so that the runner's
#: staleness hash of a page that reads it (through :func:`load_record`) covers the numbers.
RECORD_FILE = "mtjbook/micromag/record.py"


def _check_trace(name: str, y, n_min: int = 8) -> np.ndarray:
    y = np.asarray(y, dtype=np.float64)
    if y.ndim != 1 or y.size < n_min or not np.all(np.isfinite(y)):
        raise ValueError(f"{name} must be a finite 1-d array of at least {n_min} samples, got "
                         f"shape {y.shape}")
    return y


def _check_dt(dt) -> float:
    if isinstance(dt, bool) or not isinstance(dt, numbers.Real) or not 1e-16 <= dt <= 1e-10:
        raise ValueError(f"dt={dt!r} is outside the allowed range [1e-16, 1e-10] s")
    return float(dt)


def delta_r_paper(device: DeviceParams, mx) -> float:
    """The paper's Delta R (last maximum minus last minimum of R within the trace, each at the
    vertex of the parabola through its three samples), Ohm, of a trace of the mean m_x."""
    mx = _check_trace("mx", mx, 3)
    return delta_r_from_trace(device.resistance(np.clip(mx, -1.0, 1.0)), rule="paper")


def oscillation(mx, dt: float, device: DeviceParams) -> dict[str, float]:
    """Precession frequency and decay rate of R(t) from the trace of the mean m_x sampled every
    ``dt`` seconds from t = 0.

    R(t) is fitted by least squares with ``R_eq + a exp(-lambda t) cos(2 pi f t + phi)`` over
    the whole trace (scipy's ``curve_fit``, started from the spacing of the maxima, the first
    swing, the ratio of the first and last swings and the time of the first maximum). The same function measures the macrospin, so the comparison
    does not depend on the estimator.

    Returns
    -------
    dict
        ``frequency_ghz`` (f), ``decay_per_ns`` (lambda, 1/ns; positive when the oscillation
        dies out), ``fit_rms_ohm`` (RMS residual of the fit, Ohm).
    """
    from scipy.optimize import curve_fit

    mx = _check_trace("mx", mx)
    dt = _check_dt(dt)
    r = device.resistance(np.clip(mx, -1.0, 1.0))
    t_ns = np.arange(r.size) * dt * 1e9
    ex = parabola_extrema(t_ns, r)
    if len(ex.t_max) < 2 or len(ex.t_min) < 2:
        raise ValueError("the trace holds fewer than two maxima and two minima: no oscillation "
                         "to fit (a longer trace or a current below the instability is needed)")
    f0 = 1.0 / float(np.mean(np.diff(ex.t_max)))
    swings = ex.y_max[: len(ex.y_min)] - ex.y_min[: len(ex.y_max)]
    span = ex.t_max[len(swings) - 1] - ex.t_max[0]
    lam0 = math.log(max(swings[0], 1e-12) / max(swings[-1], 1e-12)) / span if span > 0 else 0.0

    def model(t, r_eq, a, lam, f, phi):
        return r_eq + a * np.exp(-lam * t) * np.cos(2 * np.pi * f * t + phi)

    # a maximum of the cosine at the first maximum of R
    p0 = (float(np.mean(r)), 0.5 * float(swings[0]), lam0, f0, -2 * np.pi * f0 * ex.t_max[0])
    p, _ = curve_fit(model, t_ns, r, p0=p0, maxfev=20000)
    resid = r - model(t_ns, *p)
    return {"frequency_ghz": float(abs(p[3])), "decay_per_ns": float(p[2]),
            "fit_rms_ohm": float(np.sqrt(np.mean(resid**2)))}


def trace_numbers(device: DeviceParams, mx, dt: float) -> dict[str, float]:
    """Delta R (paper's rule), frequency and decay rate of one trace of the mean m_x."""
    return {"delta_r_ohm": delta_r_paper(device, mx), **oscillation(mx, dt, device)}


def macrospin_mx(device: DeviceParams, j: float, t_end: float, dt: float) -> np.ndarray:
    """m_x(t) of the macrospin (mtjlib's RK4 at step ``dt``, from m = z) sampled every ``dt``,
    the sampling of the micromagnetic traces."""
    return simulate_trace(device, j, t_end=t_end, dt=_check_dt(dt)).m[:, 0]


def macrospin_numbers(device: DeviceParams, j: float, t_end: float, dt: float) -> dict[str, float]:
    """:func:`trace_numbers` of the macrospin at current density ``j`` (A/m^2)."""
    return trace_numbers(device, macrospin_mx(device, j, t_end, dt), dt)


def extrapolate(h, y) -> dict[str, float]:
    """The zero-cell-size value of a quantity computed on a series of meshes, and its uncertainty.

    For each order p of :data:`ORDERS` the values are fitted by least squares with
    ``y(h) = y0 + c h^p``. The estimate is the midpoint of the two extrapolated ``y0``; the
    uncertainty is half their difference (which order holds is not known for a staircased disk)
    plus the largest residual of either fit (the scatter the staircase adds from mesh to mesh).
    This rule was fixed before the numbers of ``make micromag`` were recorded.

    Parameters
    ----------
    h : array_like
        Cell sizes (any unit), at least three distinct, all > 0.
    y : array_like
        The quantity on each mesh, same length, finite.

    Returns
    -------
    dict
        ``value``, ``uncertainty``, ``y0_p1`` and ``y0_p2`` (the two extrapolations), and
        ``finest`` (y on the finest mesh).
    """
    h = np.asarray(h, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if h.ndim != 1 or h.shape != y.shape:
        raise ValueError(f"h and y must be 1-d arrays of the same length, got shapes {h.shape} "
                         f"and {y.shape}")
    if len(np.unique(h)) < 3 or not np.all(h > 0) or not np.all(np.isfinite(h)):
        raise ValueError(f"h={h.tolist()!r} must hold at least three distinct finite cell sizes "
                         "> 0")
    if not np.all(np.isfinite(y)):
        raise ValueError(f"y={y.tolist()!r} must be finite")
    y0, worst = {}, 0.0
    for p in ORDERS:
        a = np.stack([np.ones_like(h), h**p], axis=1)
        coef = np.linalg.lstsq(a, y, rcond=None)[0]
        y0[p] = float(coef[0])
        worst = max(worst, float(np.max(np.abs(a @ coef - y))))
    lo, hi = min(y0.values()), max(y0.values())
    return {"value": 0.5 * (lo + hi), "uncertainty": 0.5 * (hi - lo) + worst,
            "y0_p1": y0[1], "y0_p2": y0[2], "finest": float(y[int(np.argmin(h))])}


def load_record() -> dict | None:
    """What ``make micromag`` recorded (``RECORD`` of :data:`RECORD_FILE`), or None if nothing
    has been recorded yet."""
    try:
        from mtjbook.micromag import record as micromag_record  # static: the staleness hash sees it
    except ImportError:
        return None
    rec = getattr(micromag_record, "RECORD", None)
    return rec if isinstance(rec, dict) else None


def j_key(j: float) -> str:
    """A current density as a key of the record: 0.8e10 -> ``"0.8e10"``, 0.85e10 -> ``"0.85e10"``."""
    s = f"{j / 1e10:.3f}".rstrip("0")
    return (s + "0" if s.endswith(".") else s) + "e10"


def summarise(device: DeviceParams, results: list, exchange: float, t_end: float,
              dt: float) -> dict:
    """The numbers of a set of micromagnetic runs beside the macrospin's.

    Parameters
    ----------
    device : DeviceParams
        The junction the runs simulated.
    results : list of (run, mean m_x trace, wall seconds)
        What :func:`mtjbook.micromag.run.run_all` returned; a run has ``cells``, ``j``, ``exchange``.
    exchange : float
        The nominal exchange stiffness, J/m: the mesh series at this value are extrapolated.
    t_end, dt : float
        Duration and sampling of the traces, s (the macrospin is sampled the same way).

    Returns
    -------
    dict
        ``runs`` (one row per run: cells, cell size in nm, j, A, wall time and
        :func:`trace_numbers`), ``extrapolated`` (per quantity and current, :func:`extrapolate`
        of the nominal-A meshes, when there are three or more), ``macrospin`` (per current,
        :func:`macrospin_numbers`) and ``comparison`` (per quantity and current: ``micromag``,
        ``uncertainty``, ``macrospin``, ``rel_diff``; the value of claim MM).
    """
    rows = []
    for run, mx, sec in results:
        rows.append({"cells": int(run.cells), "cell_nm": device.diameter_x / run.cells * 1e9,
                     "j": float(run.j), "exchange": float(run.exchange), "rtol": float(run.rtol),
                     "wall_s": float(sec), **trace_numbers(device, mx, dt)})
    currents = sorted({r["j"] for r in rows})
    quantities = ("delta_r_ohm", "frequency_ghz", "decay_per_ns")
    extrapolated, macro, comparison = {q: {} for q in quantities}, {}, {q: {} for q in quantities}
    for j in currents:
        macro[j_key(j)] = macrospin_numbers(device, j, t_end, dt)
        series = sorted((r for r in rows if r["j"] == j and r["exchange"] == exchange),
                        key=lambda r: -r["cell_nm"])
        if len({r["cells"] for r in series}) < 3:
            continue
        for q in quantities:
            ex = extrapolate([r["cell_nm"] for r in series], [r[q] for r in series])
            extrapolated[q][j_key(j)] = ex
            ms = macro[j_key(j)][q]
            comparison[q][j_key(j)] = {"micromag": ex["value"], "uncertainty": ex["uncertainty"],
                                       "macrospin": ms, "rel_diff": (ex["value"] - ms) / ms}
    return {"runs": rows, "extrapolated": extrapolated, "macrospin": macro,
            "comparison": comparison}

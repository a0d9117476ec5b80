"""The MTJ neuron: the paper's Delta R rule, the response curve Delta R(j), its disk cache, and
the calibration of the default device.

Paper rule (Fig. 1c): start from equilibrium (m = z), switch the current on at t = 0, and take
the last maximum minus the last minimum of R(t) within 1.5 ns; each extremum is located by a
parabola through its three samples. The rule jumps when an extremum crosses the 1.5 ns edge, so
a continuous variant is offered too: the peak-to-peak of R over the last precession period
(small-angle Kittel period of each junction's device).

A noisy trajectory needs a measurement rule: at T > 0 the paper's rule locks onto the
sample-scale wiggles of the thermal field (about 1 Ohm at 0.001 K against 129 Ohm at 0 K), so
:func:`delta_r` refuses ``rule="paper"`` there. Two rules are continuous as T -> 0:
``"continuous"`` (max - min over the last period) and ``"fit"``, the measurement rule: the
least-squares fit of R over the last precession period onto an oscillation at the junction's
Kittel frequency f_K whose offset and envelope vary linearly across the period,
R = c0 + c1 tau + (a + a' tau) cos(2 pi f_K t) + (b + b' tau) sin(2 pi f_K t), accumulated on the
fly in the kernel, and then the paper's rule (last maximum minus last minimum) applied to the
fitted curve (:func:`mtjlib.llg_fit.fit_delta_r`). The fit is a detector of bandwidth about f_K
around f_K: it removes the sample-scale noise that defeats the paper's rule, and on a noiseless
trace it reproduces the trace, so that its Delta R tends to the paper's value as T -> 0 (within
0.06 % at T = 0 on [0.8, 1.0]e10 A/m^2: the harmonics and the curvature of the envelope the fit
leaves out). A plain lock-in amplitude (no envelope) sat 1.1 % above the paper's rule at T = 0,
because the oscillation's amplitude still changes within the last period while the paper's rule
reads it at the last two extrema. Any amplitude measurement is biased up by noise
(``E|A + xi| > |A|``), by about the noise power over the signal power: this part vanishes
linearly in T. ``"fit"`` is the default at ``temperature > 0``; every T = 0 result keeps the
paper's rule.

Length: about 550 lines, 340 of them code: the Delta R rules, the response curve with its
cache and the Fig. 1 studies all read the same device and window constants owned here.
"""

from __future__ import annotations

import io
import json
import math
import os
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ._io import atomic_write_bytes, param_hash
from ._validate import (
    HUGE,
    check_array,
    check_choice,
    check_instance,
    check_int,
    check_pair,
    check_real,
    check_seed,
)
from .device import DeviceParams, default_device
from .llg import DT, coefficients, period_window_steps, simulate_batch

RULES = ("paper", "continuous", "fit")
#: The paper's input range of current density, A/m^2.
J_RANGE = (0.8e10, 1.0e10)
#: Evaluation window of one neuron, s.
T_WINDOW = 1.5e-9
#: Points of a response table on x in [0, 1] (interpolation error about 1e-6 of the range).
N_TABLE = 201
#: Relative finite-difference step of the calibration's Jacobian.
FD_REL_STEP = 1e-5
#: Version of the response-curve cache (2: the fit rule reads the paper's rule on its fit).
CACHE_VERSION = 2
__all__ = ["DT", "J_RANGE", "N_TABLE", "RULES", "T_WINDOW", "Extrema", "NoResetStudy",
           "ResponseCurve", "cache_dir", "calibrate", "calibration_sensitivity", "delta_r",
           "delta_r_from_trace", "joule_energy", "no_reset_study", "parabola_extrema",
           "precession_period", "response_curve"]


def _check_rule(rule: str) -> None:
    check_choice("rule", rule, RULES)


@dataclass(frozen=True)
class Extrema:
    """Interior extrema of a sampled curve, each refined by the vertex of the parabola through
    its three samples; times in the units of the ``t`` given, values in those of ``y``."""

    t_max: np.ndarray
    """Times of the maxima."""
    y_max: np.ndarray
    """Values at the maxima."""
    t_min: np.ndarray
    """Times of the minima."""
    y_min: np.ndarray
    """Values at the minima."""


def parabola_extrema(t, y) -> Extrema:
    """Interior maxima (y[k-1] < y[k] >= y[k+1]) and minima (y[k-1] > y[k] <= y[k+1]) of samples
    ``y`` at equally spaced times ``t``, each located at the vertex of the parabola through its
    three samples: the extremum rule of the paper's Delta R (and of the kernels' tracking).

    Parameters
    ----------
    t : array_like, shape (n,)
        Equally spaced sample times (any unit; returned times are in the same unit).
    y : array_like, shape (n,)
        Samples, e.g. R(t) in Ohm.
    """
    t = check_array("t", t, ndim=1, min_size=2, lo=-HUGE, hi=HUGE)
    y = check_array("y", y, shape=(len(t),), lo=-HUGE, hi=HUGE)
    if len(t) > 2 and not np.allclose(np.diff(t), t[1] - t[0], rtol=1e-3, atol=0.0):
        raise ValueError("t must be equally spaced (the parabola vertex uses t[1] - t[0])")
    if len(t) > 1 and not t[1] > t[0]:
        raise ValueError(f"t must increase, got t[0]={t[0]!r}, t[1]={t[1]!r}")
    y0, y1, y2 = y[:-2], y[1:-1], y[2:]
    is_max = (y1 > y0) & (y1 >= y2)
    is_min = (y1 < y0) & (y1 <= y2)
    # den < 0 at a maximum and > 0 at a minimum, never 0 at an extremum
    den = y0 - 2 * y1 + y2
    safe = np.where(den == 0, 1.0, den)
    ty = t[1:-1] + 0.5 * (y0 - y2) / safe * (t[1] - t[0]) if len(t) > 2 else t[1:-1]
    vy = y1 - (y2 - y0) ** 2 / (8 * safe)
    return Extrema(t_max=ty[is_max], y_max=vy[is_max], t_min=ty[is_min], y_min=vy[is_min])


def delta_r_from_trace(resistance, rule: str = "paper", period_samples: int | None = None,
                       phase_step: float | None = None) -> float:
    """Delta R of a sampled R(t) (slow, obvious NumPy version of the kernel's rule), Ohm.

    ``rule='paper'``: last interior maximum minus last interior minimum, each refined by the
    vertex of the parabola through its three samples (0 if there is no oscillation).
    ``rule='continuous'``: max minus min of the last ``period_samples + 1`` samples.
    ``rule='fit'``: the least-squares fit of the last ``period_samples + 1`` samples onto
    1, tau, cos, sin, tau cos, tau sin (phase k phase_step at sample k, rad; tau = (k - K +
    period_samples / 2) / period_samples, K the last sample), then the paper's rule on the
    fitted curve sampled from a quarter period before the window to its end
    (:func:`mtjlib.llg_fit.fit_delta_r`).
    ``resistance`` must be finite, 1-d, with at least 3 samples.
    """
    _check_rule(rule)
    r = check_array("resistance", resistance, ndim=1, min_size=3, lo=-HUGE, hi=HUGE)
    if rule in ("continuous", "fit"):
        check_int("period_samples", period_samples, 1, 10**12)
        if rule == "fit":
            check_real("phase_step", phase_step, 0.0, math.pi, lo_open=True, unit="rad")
        tail = r[-(period_samples + 1):]
        if rule == "continuous":
            return float(tail.max() - tail.min())
        last = len(r) - 1

        def basis(k):
            ph, tau = phase_step * k, (k - last + 0.5 * period_samples) / period_samples
            return np.stack([np.ones_like(ph), tau, np.cos(ph), np.sin(ph), tau * np.cos(ph),
                             tau * np.sin(ph)], axis=1)

        first = len(r) - len(tail)
        coef = np.linalg.lstsq(basis(np.arange(first, len(r))), tail, rcond=None)[0]
        k = np.arange(max(first - period_samples // 4, 0), len(r))
        r = basis(k) @ coef
    ex = parabola_extrema(np.arange(len(r), dtype=np.float64), r)
    if len(ex.y_max) == 0 or len(ex.y_min) == 0:
        return 0.0
    return float(ex.y_max[-1] - ex.y_min[-1])


def precession_period(device: DeviceParams) -> float:
    """Small-angle precession period about the easy axis at j = 0, s (the Kittel formula)."""
    check_instance("device", device, DeviceParams)
    return 1.0 / device.kittel_frequency()


def delta_r(device: DeviceParams | list, j, rule: str | None = None, t_window: float = T_WINDOW,
            dt: float = DT, temperature: float = 0.0, seed=0, m0=(0.0, 0.0, 1.0)) -> np.ndarray:
    """Delta R of each junction driven by current density ``j`` (A/m^2) from ``m0``, Ohm.

    All junctions are integrated together by the batched kernel (deterministic RK4 at
    ``temperature = 0``, thermal Heun otherwise).

    Parameters
    ----------
    device : DeviceParams or sequence of DeviceParams
        One device for all junctions, or one per junction.
    j : float or array_like, shape (n,)
        Current densities, A/m^2.
    rule : {None, "paper", "continuous", "fit"}
        None: "paper" at ``temperature = 0`` and "fit" (the paper's rule on a least-squares
        fit of R over each junction's last precession period, the measurement rule, which
        tends to the paper's rule as T -> 0) at ``temperature > 0``.
        "continuous": max - min of R over the last precession period.
        "paper" with ``temperature > 0`` raises ValueError: on a noisy trajectory it measures
        the sample-scale wiggles of the thermal field, not the oscillation.
    t_window, dt : float
        Evaluation window and time step, s.
    temperature : float
        Temperature of the thermal field, K (>= 0).
    seed : int or numpy.random.Generator
        Thermal noise seed (same seed, same bits; unused at ``temperature = 0``).
    m0 : array_like, shape (3,) or (3, n)
        Initial magnetisation.
    """
    check_real("temperature", temperature, 0.0, 1e4, unit="K")
    check_real("t_window", t_window, 0.0, 1e-3, lo_open=True, unit="s")
    check_real("dt", dt, 1e-16, 1e-10, unit="s")
    check_seed("seed", seed)
    if rule is None:
        rule = "paper" if temperature == 0 else "fit"
    _check_rule(rule)
    if rule == "paper" and temperature > 0:
        raise ValueError(f"rule='paper' with temperature={temperature!r} K: the paper's last-max "
                         "minus last-min rule picks the sample-scale wiggles of a noisy trajectory "
                         "(about 1 Ohm at 0.001 K against 129 Ohm at 0 K); use rule='continuous' "
                         "or 'fit' (the default at T > 0)")
    j = check_array("j", j, ndim=1, min_size=1)  # a scalar becomes shape (1,)
    coeffs = coefficients(device, j, temperature, dt)
    devices = [device] * len(j) if isinstance(device, DeviceParams) else list(device)
    window = period_window_steps(devices, dt) * dt if rule != "paper" else 0.0
    if rule != "paper" and np.max(window) > t_window * (1 + 1e-9):
        k = int(np.argmax(window))
        raise ValueError(f"t_window={t_window!r} s is shorter than the precession period "
                         f"{window[k]:.4g} s of device[{k}]: rule={rule!r} measures over the last "
                         "period, so the window must hold at least one")
    freq = None
    if rule == "fit":
        f_of = {d: d.kittel_frequency() for d in set(devices)}
        freq = np.array([f_of[d] for d in devices])
    res = simulate_batch(coeffs, m0, t_window, dt, temperature, seed, window=window,
                         frequency=freq, t_name="t_window")
    if rule == "fit":
        return res.fit_delta_r
    if rule == "continuous":
        return res.window_max - res.window_min
    out = res.last_max - res.last_min
    return np.where(np.isnan(out), 0.0, out)


@dataclass(frozen=True)
class ResponseCurve:
    """Tabulated neuron response: Delta R(j) and its normalised form F(x) in [0, 1] over J_RANGE.

    x = (j - j_min) / (j_max - j_min) is the normalised input and
    F(x) = (Delta R(j) - Delta R(j_min)) / (Delta R(j_max) - Delta R(j_min)) the normalised output.
    The table may extend beyond [0, 1] in x (``x_range``); outside the table F is held constant.
    """

    j: np.ndarray
    """Current densities of the table, A/m^2."""
    delta_r: np.ndarray
    """Delta R at each j, Ohm."""
    j_min: float
    """Current density mapped to x = 0, A/m^2."""
    j_max: float
    """Current density mapped to x = 1, A/m^2."""
    delta_r_min: float
    """Delta R at j_min, Ohm."""
    delta_r_max: float
    """Delta R at j_max, Ohm."""
    rule: str = "paper"
    meta: dict = field(default_factory=dict, compare=False)

    def __post_init__(self):
        j = check_array("j", self.j, ndim=1, min_size=2)
        if np.any(np.diff(j) <= 0):
            raise ValueError("j must increase strictly (a table of current densities)")
        dr = check_array("delta_r", self.delta_r, shape=(len(j),))
        check_real("j_min", self.j_min, unit="A/m^2")
        check_real("j_max", self.j_max, self.j_min, lo_open=True, unit="A/m^2 (> j_min)")
        check_real("delta_r_min", self.delta_r_min, unit="Ohm")
        check_real("delta_r_max", self.delta_r_max, unit="Ohm")
        if self.delta_r_max == self.delta_r_min:
            raise ValueError(f"delta_r_max={self.delta_r_max!r} equals delta_r_min: F = "
                             "(Delta R - min) / (max - min) is undefined")
        _check_rule(self.rule)
        check_instance("meta", self.meta, dict)
        object.__setattr__(self, "j", j)
        object.__setattr__(self, "delta_r", dr)

    @property
    def x(self) -> np.ndarray:
        """Normalised inputs of the table."""
        return (self.j - self.j_min) / (self.j_max - self.j_min)

    @property
    def f(self) -> np.ndarray:
        """Normalised outputs of the table."""
        return (self.delta_r - self.delta_r_min) / (self.delta_r_max - self.delta_r_min)

    def __call__(self, x):
        """F(x) by linear interpolation in the table (``x`` finite)."""
        check_array("x", x)
        return np.interp(x, self.x, self.f)

    def j_of_x(self, x):
        """Current density for a normalised input, A/m^2 (``x`` finite)."""
        check_array("x", x)
        return self.j_min + (self.j_max - self.j_min) * np.asarray(x)


def cache_dir() -> Path:
    """Where response curves are cached: ``$MTJLIB_CACHE_DIR`` or ``~/.cache/mtjlib``."""
    return Path(os.environ.get("MTJLIB_CACHE_DIR") or Path.home() / ".cache" / "mtjlib")


def _load_cached(path: Path, key: str):
    """The cached table, or None if missing, for another key, or corrupted."""
    try:
        with np.load(path, allow_pickle=False) as z:
            header = json.loads(str(z["header"]))
            j, dr = z["j"].copy(), z["delta_r"].copy()
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None
    if not isinstance(header, dict):  # valid JSON, but not the header this module writes
        return None
    ok = (header.get("key") == key and j.shape == dr.shape
          and header.get("sha256") == param_hash(j, dr)
          and np.all(np.isfinite(j)) and np.all(np.isfinite(dr)))
    return (j, dr) if ok else None


def response_curve(device: DeviceParams | None = None, *, n_j: int = N_TABLE, x_range=(0.0, 1.0),
                   j_range=J_RANGE, rule: str = "paper", t_window: float = T_WINDOW,
                   dt: float = DT, cache: bool = True) -> ResponseCurve:
    """Tabulate the neuron response of ``device`` on ``n_j`` points of x in ``x_range``.

    The table is cached on disk (see :func:`~mtjlib.neuron.cache_dir`) under a hash of every parameter that
    affects it, written atomically; a corrupted or mismatched file is rebuilt. If the cache
    cannot be written (read-only or missing permissions), the table is computed anyway and a
    RuntimeWarning says so.

    Parameters
    ----------
    device : DeviceParams, optional
        The junction (default: the calibrated device).
    n_j : int
        Points of the table on ``x_range`` (3 to 100000; each costs one 1.5 ns LLG run, about
        3000 RK4 steps: 100000 points took 3 s on two cores).
    x_range : (float, float)
        Range of x tabulated; must contain [0, 1] (within [-1e3, 1e3]).
    j_range : (float, float)
        Current densities mapped to x = 0 and x = 1, A/m^2 (0 < j_min < j_max).
    rule : {"paper", "continuous", "fit"}
        The Delta R rule (see :func:`delta_r`).
    t_window, dt : float
        Evaluation window and LLG step, s.
    cache : bool
        Read and write the disk cache.
    """
    device = default_device() if device is None else device
    check_instance("device", device, DeviceParams)
    _check_rule(rule)
    check_int("n_j", n_j, 3, 100_000)
    x_lo, x_hi = check_pair("x_range", x_range, -1e3, 1e3)
    if not (x_lo <= 0.0 and x_hi >= 1.0):
        raise ValueError(f"x_range={x_range!r} must contain [0, 1]")
    j_min, j_max = check_pair("j_range", j_range, 0.0, 1e13, unit="A/m^2")
    if not j_min > 0:
        raise ValueError(f"j_range={j_range!r} must satisfy 0 < j_min < j_max (A/m^2)")
    check_real("t_window", t_window, 0.0, 1e-3, lo_open=True, unit="s")
    check_real("dt", dt, 1e-16, 1e-10, unit="s")
    if not isinstance(cache, (bool, np.bool_)):
        raise TypeError(f"cache={cache!r} must be True or False")
    # Grid containing x = 0 and x = 1 exactly so the normalisation uses exact table points.
    xs = np.unique(np.concatenate([np.linspace(x_lo, x_hi, n_j), [0.0, 1.0]]))
    js = j_min + (j_max - j_min) * xs
    key = param_hash(CACHE_VERSION, device, js, rule, float(t_window), float(dt))
    path = cache_dir() / f"response-{key[:24]}.npz"
    hit = _load_cached(path, key) if cache else None
    if hit is None:
        dr = delta_r(device, js, rule=rule, t_window=t_window, dt=dt)
        if cache:
            buf = io.BytesIO()
            header = json.dumps({"key": key, "sha256": param_hash(js, dr)})
            np.savez(buf, j=js, delta_r=dr, header=np.array(header))
            try:
                atomic_write_bytes(path, buf.getvalue())
            except OSError as exc:
                warnings.warn(f"response_curve: cannot write the cache file {path} ({exc}); the "
                              "table was computed without the cache (set MTJLIB_CACHE_DIR to a "
                              "writable folder, or pass cache=False)", RuntimeWarning,
                              stacklevel=2)
    else:
        js, dr = hit
    i0, i1 = int(np.argmin(abs(xs - 0.0))), int(np.argmin(abs(xs - 1.0)))
    return ResponseCurve(j=js, delta_r=dr, j_min=j_min, j_max=j_max, delta_r_min=float(dr[i0]),
                         delta_r_max=float(dr[i1]), rule=rule,
                         meta={"cache_path": str(path), "from_cache": hit is not None})


def calibrate(targets: dict[float, float], base: DeviceParams | None = None,
              free=("ku", "slonczewski_lambda"), tol: float = 1e-4, max_iter: int = 30):
    """Fit two device fields so that Delta R(j) hits ``targets`` ({j in A/m^2: Delta R in Ohm}).

    Newton's method with a finite-difference Jacobian in relative units. Returns the fitted
    device and the history of (parameters, residuals) for the book. Convergence is reported:
    if the largest residual is still >= ``tol`` Ohm after ``max_iter`` iterations, a
    RuntimeWarning gives it (the last history entry holds it too); a singular Jacobian or a step
    to an invalid device raises ValueError.

    Parameters
    ----------
    targets : dict
        {current density in A/m^2 (> 0): Delta R in Ohm (> 0)}, as many entries as ``free``.
    base : DeviceParams, optional
        Starting device (default: the calibrated one).
    free : sequence of str
        Names of the fitted fields of :class:`~mtjlib.device.DeviceParams` (distinct, non-zero
        at ``base``).
    tol : float
        Largest residual accepted, Ohm (> 0).
    max_iter : int
        Most Newton steps (1 to 1000).
    """
    base = default_device() if base is None else base
    check_instance("base", base, DeviceParams)
    check_instance("targets", targets, dict)
    if isinstance(free, (str, bytes)) or not hasattr(free, "__len__"):
        raise TypeError(f"free={free!r} must be a sequence of DeviceParams field names")
    free = tuple(free)
    fields = [f for f in DeviceParams.__dataclass_fields__]
    for f in free:
        if f not in fields:
            raise ValueError(f"free={free!r}: {f!r} is not a DeviceParams field ({fields})")
    if len(set(free)) != len(free) or not free:
        raise ValueError(f"free={free!r} must name distinct fields (at least one)")
    for k, v in targets.items():
        check_real("targets key (j)", k, 0.0, 1e13, lo_open=True, unit="A/m^2")
        check_real(f"targets[{k!r}]", v, 0.0, 1e12, lo_open=True, unit="Ohm")
    check_real("tol", tol, 0.0, 1e12, lo_open=True, unit="Ohm")
    check_int("max_iter", max_iter, 1, 1000)
    js = np.array(sorted(targets), dtype=np.float64)
    want = np.array([targets[j] for j in sorted(targets)], dtype=np.float64)
    if len(js) != len(free):
        raise ValueError(f"need as many targets ({len(js)}) as free parameters ({len(free)})")
    p = np.array([getattr(base, f) for f in free], dtype=float)
    if np.any(p == 0):
        raise ValueError(f"free={free!r}: a field that is 0 at base cannot be fitted in "
                         "relative units")
    history = []

    def device_at(pv):
        try:
            return base.replace(**dict(zip(free, pv)))
        except (ValueError, TypeError) as exc:
            raise ValueError(f"calibrate diverged after {len(history)} iterations: the Newton "
                             f"step left the valid devices ({exc}); start from a closer base "
                             f"or check targets={targets!r}") from None

    def resid(pv):
        return delta_r(device_at(pv), js) - want

    converged = False
    for _ in range(max_iter):
        r = resid(p)
        history.append((p.copy(), r.copy()))
        if np.max(np.abs(r)) < tol:
            converged = True
            break
        jac = np.empty((len(js), len(free)))
        for k in range(len(free)):
            h = p.copy()
            h[k] *= 1 + FD_REL_STEP
            jac[:, k] = (resid(h) - r) / (p[k] * FD_REL_STEP)
        if not (np.all(np.isfinite(jac)) and np.linalg.cond(jac) < 1e12):
            raise ValueError(f"calibrate: the Jacobian of Delta R at j={js.tolist()} with "
                             f"respect to {free} is singular (cond {np.linalg.cond(jac):.3g}): "
                             "these targets do not fix these fields")
        p = p - np.linalg.solve(jac, r)
    if not converged:
        warnings.warn(f"calibrate did not converge: largest residual "
                      f"{np.max(np.abs(history[-1][1])):.3g} Ohm >= tol={tol!r} Ohm after "
                      f"max_iter={max_iter} iterations", RuntimeWarning, stacklevel=2)
    return device_at(p), history


# Studies the book quotes ---------------------------------------------------------------------

@dataclass(frozen=True)
class NoResetStudy:
    """Delta R of consecutive windows without reset, and the relaxation a reset would need."""

    delta_r: np.ndarray
    """Paper-rule Delta R of each window, Ohm (0 if it has no two extrema)."""
    relax_time: float
    """Time for ``|m_x|`` to stay below ``threshold`` at j = 0 after the last window, s (inf if it
    does not within ``t_relax_max``)."""


def no_reset_study(device: DeviceParams, j: float, n_windows: int, t_window: float = T_WINDOW,
                   dt: float = DT, t_relax_max: float = 40e-9,
                   threshold: float = 1e-3) -> NoResetStudy:
    """Apply ``j`` (A/m^2) in ``n_windows`` consecutive windows without resetting the junction
    (each starts where the previous one ended, the first from m = z), then relax at j = 0.

    Parameters
    ----------
    device : DeviceParams
    j : float
        Current density, A/m^2.
    n_windows : int
        Number of windows (>= 1).
    t_window, dt : float
        Window and time step, s.
    t_relax_max : float
        Longest relaxation simulated, s.
    threshold : float
        ``|m_x|`` below which the junction counts as reset (0 < threshold < 1).
    """
    from .llg import simulate_trace

    check_instance("device", device, DeviceParams)
    check_real("j", j, -1e13, 1e13, unit="A/m^2")
    check_int("n_windows", n_windows, 1, 10_000)
    check_real("t_window", t_window, 0.0, 1e-3, lo_open=True, unit="s")
    check_real("dt", dt, 1e-16, 1e-10, unit="s")
    check_real("t_relax_max", t_relax_max, 0.0, 1e-3, lo_open=True, unit="s")
    check_real("threshold", threshold, 0.0, 1.0, lo_open=True, hi_open=True)
    c = coefficients(device, [j], 0.0, dt)
    m = np.array([0.0, 0.0, 1.0])
    out = []
    for _ in range(n_windows):
        res = simulate_batch(c, m, t_window, dt, t_name="t_window")
        d = res.last_max[0] - res.last_min[0]
        out.append(0.0 if np.isnan(d) else d)
        m = res.m[:, 0]
    relax = simulate_trace(device, 0.0, t_end=t_relax_max, dt=dt, m0=m)
    above = np.nonzero(np.abs(relax.m[:, 0]) >= threshold)[0]
    if len(above) == 0:
        t_relax = 0.0
    elif above[-1] + 1 < len(relax.t):
        t_relax = float(relax.t[above[-1] + 1])
    else:
        t_relax = math.inf
    return NoResetStudy(delta_r=np.array(out), relax_time=t_relax)


def joule_energy(device: DeviceParams, j, t_window: float = T_WINDOW):
    """Joule energy of one evaluation, J: I^2 R0 t_window with I = j x area (the resistance is
    within 1 % of R0 during the window). ``j`` in A/m^2 (scalar or array)."""
    check_instance("device", device, DeviceParams)
    check_real("t_window", t_window, 0.0, 1e-3, lo_open=True, unit="s")
    check_array("j", j, lo=-1e13, hi=1e13)
    current = np.asarray(j, dtype=np.float64) * device.area
    return current**2 * device.r0 * t_window


def calibration_sensitivity(device: DeviceParams | None = None, js=J_RANGE,
                            params=("ku", "slonczewski_lambda"),
                            rel_step: float = FD_REL_STEP) -> np.ndarray:
    """Relative Jacobian d ln(Delta R(j_i)) / d ln(p_k) at ``device`` by forward differences,
    shape (len(js), len(params)); its condition number says how well two Delta R values fix
    two parameters."""
    device = default_device() if device is None else device
    check_instance("device", device, DeviceParams)
    check_real("rel_step", rel_step, 0.0, 0.1, lo_open=True)
    js = check_array("js", js, ndim=1, min_size=1, lo=0.0, hi=1e13)
    if isinstance(params, (str, bytes)) or not hasattr(params, "__len__"):
        raise TypeError(f"params={params!r} must be a sequence of DeviceParams field names")
    for name in params:
        if name not in DeviceParams.__dataclass_fields__ or \
                not isinstance(getattr(device, name), (int, float)) or getattr(device, name) == 0:
            raise ValueError(f"params={params!r}: {name!r} is not a non-zero real field of "
                             "DeviceParams")
    base = delta_r(device, js)
    if not np.all(base > 0):
        raise ValueError(f"js={js.tolist()}: Delta R is {base.tolist()} Ohm, and a logarithmic "
                         "derivative needs Delta R > 0 at every j (use current densities where "
                         "the junction oscillates)")
    jac = np.empty((len(js), len(params)))
    for k, name in enumerate(params):
        value = getattr(device, name)
        h = rel_step * value
        jac[:, k] = (np.log(delta_r(device.replace(**{name: value + h}), js))
                     - np.log(base)) / (h / value)
    return jac

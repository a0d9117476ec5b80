"""The MTJ neuron's response curve Delta R(j) over the paper's input range, its normalised form
F(x), the disk cache of its tables, the calibration of the default device, and the Fig. 1 studies
the book quotes (no reset, Joule energy, calibration sensitivity). The Delta R rules themselves
live in :mod:`mtjlib.physics.delta_r_rules`; :func:`delta_r` is imported from there.
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

from mtjlib._io import atomic_write_bytes, param_hash
from mtjlib._validate import check_array, check_instance, check_int, check_pair, check_real
from mtjlib.physics.delta_r_rules import T_WINDOW, check_rule, delta_r
from mtjlib.physics.device import DeviceParams, default_device
from mtjlib.physics.llg import DT, coefficients, simulate_batch

#: The paper's input range of current density, A/m^2.
J_RANGE = (0.8e10, 1.0e10)
#: Points of a response table on x in [0, 1] (interpolation error about 1e-6 of the range).
N_TABLE = 201
#: Drive resolution of the network's response tables (201 points on [0, 1]).
TABLE_STEP = 0.005
#: Relative finite-difference step of the calibration's Jacobian.
FD_REL_STEP = 1e-5
#: Version of the response-curve cache (2: the fit rule reads the paper's rule on its fit).
CACHE_VERSION = 2
__all__ = ["DT", "J_RANGE", "N_TABLE", "TABLE_STEP", "T_WINDOW", "NoResetStudy", "ResponseCurve",
           "cache_dir", "calibrate", "calibration_sensitivity", "delta_r", "joule_energy", "no_reset_study",
           "response_curve"]


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
        check_rule(self.rule)
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

    The table is cached on disk (see :func:`~mtjlib.physics.neuron.cache_dir`) under a hash of every
    parameter that affects it, written atomically; a corrupted or mismatched file is rebuilt. If the
    cache cannot be written (read-only or missing permissions), the table is computed anyway and a
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
        The Delta R rule (see :func:`~mtjlib.physics.delta_r_rules.delta_r`).
    t_window, dt : float
        Evaluation window and LLG step, s.
    cache : bool
        Read and write the disk cache.
    """
    device = default_device() if device is None else device
    check_instance("device", device, DeviceParams)
    check_rule(rule)
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
        Names of the fitted fields of :class:`~mtjlib.physics.device.DeviceParams` (distinct,
        non-zero at ``base``).
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
    from mtjlib.physics.llg import simulate_trace

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

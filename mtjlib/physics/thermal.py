"""Thermal noise of the MTJ neuron (the physics behind supplementary study S2): Delta R
distributions, their spread in the network's normalised units, the calibration of the stochastic
lookup neuron, the noise law against temperature and volume, and a phase-diffusion (linewidth)
stand-in. The network study's tasks are in :mod:`mtjlib.studies.s2_phase_noise`.

Measurement rule: at T > 0 Delta R is the paper's rule read on a least-squares fit of R over the
last precession period (``neuron.delta_r``'s default, ``rule="fit"``), which tends to the
paper's rule as T -> 0. Normalised units: F = (Delta R - Delta R_0) /
(Delta R_1 - Delta R_0), Delta R_0 and Delta R_1 the deterministic values of the same rule at
x = 0 and x = 1 (j = 0.8 and 1.0e10 A/m^2), as the thermal LLG neuron normalises.

Two starts: ``"reset"`` (m = z, as the network's neuron is evaluated) and ``"thermal"`` (m drawn
from the Boltzmann distribution of the up well, E = -K_eff V m_z^2, so that
p(m_z) ~ exp(Delta m_z^2) with Delta =
:meth:`~mtjlib.physics.device.DeviceParams.thermal_stability`).
"""

from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass, field

import numpy as np

from mtjlib._io import atomic_write_bytes, param_hash
from mtjlib._validate import (
    check_array,
    check_bool,
    check_choice,
    check_instance,
    check_int,
    check_pair,
    check_real,
    rng_from,
)
from mtjlib.physics.device import DeviceParams, default_device
from mtjlib.physics.llg import DT
from mtjlib.physics.neuron import J_RANGE, T_WINDOW, cache_dir, delta_r

__all__ = ["STARTS", "THERMAL_MODES", "T_MAX", "NoiseCalibration", "NoiseLaw",
           "boltzmann_start", "delta_r_samples", "fit_noise_law", "fmr_linewidth",
           "noise_calibration", "phase_spread"]

STARTS = ("reset", "thermal")
#: Neurons of a thermal network (the lookup neuron has no temperature).
THERMAL_MODES = ("stochastic", "llg")
#: Fewest thermal junctions per point of a calibration (the issue asks for at least 200).
MIN_TRIALS = 200
#: Largest temperature accepted, K.
T_MAX = 1e4
#: Version of the calibration cache (2: the fit rule reads the paper's rule on its fit).
CACHE_VERSION = 2
#: Junctions per call of the batched kernel (bounds memory, not results).
_BLOCK = 20_000


def _check_device(device):
    device = default_device() if device is None else device
    check_instance("device", device, DeviceParams)
    return device


def boltzmann_start(device: DeviceParams, temperature: float, n: int, seed=0) -> np.ndarray:
    """``n`` magnetisations drawn from the Boltzmann distribution of the up well at
    ``temperature`` (K): p(m_z) proportional to exp(Delta m_z^2) on (0, 1], azimuth uniform;
    Delta the thermal stability. Returns (3, n) unit vectors (m = z at T = 0)."""
    device = _check_device(device)
    check_real("temperature", temperature, 0.0, T_MAX, unit="K")
    check_int("n", n, 1, 10**8)
    rng = rng_from(seed)
    if temperature == 0:
        m = np.zeros((3, n))
        m[2] = 1.0
        return m
    delta = device.thermal_stability(temperature)
    # inverse CDF of u = 1 - m_z^2 ... exact via rejection from the exponential envelope:
    # p(m_z) ~ exp(-Delta (1 - m_z^2)); with s = 1 - m_z, 1 - m_z^2 = s (2 - s) >= s, so
    # propose s ~ Exp(Delta) truncated to [0, 1] and accept with exp(-Delta s (1 - s)).
    out = np.empty(n)
    filled = 0
    while filled < n:
        k = 2 * (n - filled) + 16
        u = rng.random(k)
        s = -np.log1p(-u * (1.0 - math.exp(-delta))) / delta
        keep = s[rng.random(k) < np.exp(-delta * s * (1.0 - s))][: n - filled]
        out[filled:filled + len(keep)] = 1.0 - keep
        filled += len(keep)
    phi = rng.uniform(0.0, 2 * math.pi, n)
    sin_t = np.sqrt(np.clip(1.0 - out**2, 0.0, 1.0))
    return np.array([sin_t * np.cos(phi), sin_t * np.sin(phi), out])


def delta_r_samples(device: DeviceParams | None, temperature: float, j, n_trials: int, *,
                    seed=0, start: str = "reset", rule: str | None = None,
                    t_window: float = T_WINDOW, dt: float = DT) -> np.ndarray:
    """Single-shot Delta R of ``n_trials`` independent junctions at each current density, Ohm.

    Parameters
    ----------
    device : DeviceParams or None
        The junction (None: the book's default).
    temperature : float
        K, in [0, 1e4] (0: every trial equals the deterministic value).
    j : float or array_like, shape (J,)
        Current densities, A/m^2 (at least one, as for :func:`mtjlib.physics.neuron.delta_r`).
    n_trials : int
        Junctions per current density, >= 1.
    seed : int or numpy.random.Generator
        Same seed, same bits.
    start : {"reset", "thermal"}
        m = z, or a Boltzmann-distributed start (:func:`boltzmann_start`).
    rule : None or str
        ``neuron.delta_r``'s rule (None: paper at T = 0, the fit rule at T > 0).

    Returns
    -------
    ndarray, shape (J, n_trials)
    """
    device = _check_device(device)
    check_real("temperature", temperature, 0.0, T_MAX, unit="K")
    check_int("n_trials", n_trials, 1, 10**7)
    check_choice("start", start, STARTS)
    j = check_array("j", j, ndim=1, min_size=1)  # delta_r's rule: a scalar becomes shape (1,)
    rng = rng_from(seed)
    flat = np.repeat(j, n_trials)
    out = np.empty(len(flat))
    for lo in range(0, len(flat), _BLOCK):
        jj = flat[lo:lo + _BLOCK]
        m0 = (boltzmann_start(device, temperature, len(jj), rng) if start == "thermal"
              else (0.0, 0.0, 1.0))
        out[lo:lo + len(jj)] = delta_r(device, jj, rule=rule, t_window=t_window, dt=dt,
                                       temperature=temperature, seed=rng, m0=m0)
    return out.reshape(len(j), n_trials)


@dataclass(frozen=True)
class NoiseCalibration:
    """Thermal statistics of one device's neuron on a grid of normalised inputs x."""

    temperature: float
    """K."""
    x: np.ndarray
    """Normalised inputs of the grid, (K,)."""
    dr_mean: np.ndarray
    """Mean single-shot Delta R at each x, Ohm, (K,)."""
    dr_std: np.ndarray
    """Standard deviation of single-shot Delta R at each x, Ohm, (K,)."""
    dr_0: float
    """Deterministic Delta R of the rule at x = 0, Ohm."""
    dr_1: float
    """Deterministic Delta R of the rule at x = 1, Ohm."""
    n_trials: int
    """Thermal junctions per grid point."""
    meta: dict = field(default_factory=dict, compare=False)

    @property
    def f_mean(self) -> np.ndarray:
        """Mean normalised output at each x."""
        return (self.dr_mean - self.dr_0) / (self.dr_1 - self.dr_0)

    @property
    def f_sigma(self) -> np.ndarray:
        """sigma_F: spread of the normalised output at each x (F units: 1 = the signal range)."""
        return self.dr_std / (self.dr_1 - self.dr_0)

    def smooth(self, degree: int = 2) -> tuple[np.ndarray, np.ndarray]:
        """(mean F, sigma_F) on the grid from least-squares polynomial fits in x of degree
        ``degree`` (the point-wise estimates carry a sampling error sigma / sqrt(n_trials);
        both curves are smooth in x). Fewer grid points than degree + 1: the raw values."""
        check_int("degree", degree, 0, 10)
        if len(self.x) <= degree:
            return self.f_mean.copy(), self.f_sigma.copy()
        fm = np.polynomial.polynomial.Polynomial.fit(self.x, self.f_mean, degree)(self.x)
        fs = np.polynomial.polynomial.Polynomial.fit(self.x, self.f_sigma, degree)(self.x)
        return fm, np.maximum(fs, 0.0)


def noise_calibration(device: DeviceParams | None = None, temperature: float = 300.0, *,
                      x=None, n_trials: int = MIN_TRIALS, seed: int = 0, dt: float = DT,
                      j_range=J_RANGE, cache: bool = True) -> NoiseCalibration:
    """Mean and spread of the thermal neuron's output on a grid of x, from ``n_trials`` thermal
    LLG junctions per point started at m = z (the fit rule), cached on disk like response
    curves (under a hash of every parameter; :func:`mtjlib.physics.neuron.cache_dir`).

    Parameters
    ----------
    device : DeviceParams, optional
    temperature : float
        K, in (0, 1e4].
    x : array_like, optional
        Normalised inputs, a non-empty 1-d array (default: 0, 0.005, ..., 1, the network's
        table grid).
    n_trials : int
        Junctions per point, >= 200.
    seed : int
        Seed of the thermal generator (an int, so that it can key the cache).
    dt : float
        LLG step, s.
    j_range : (float, float)
        Current densities at x = 0 and x = 1, A/m^2.
    cache : bool
        Read and write the disk cache (True or False).
    """
    device = _check_device(device)
    check_real("temperature", temperature, 0.0, T_MAX, lo_open=True, unit="K")
    check_int("n_trials", n_trials, MIN_TRIALS, 10**6)
    check_int("seed", seed, 0, 2**63 - 1)
    check_real("dt", dt, 1e-16, 1e-10, unit="s")
    check_bool("cache", cache)
    x = np.linspace(0.0, 1.0, 201) if x is None else \
        check_array("x", x, shape=(None,), min_size=1, lo=-1e3, hi=1e3)
    j0, j1 = check_pair("j_range", j_range, 0.0, 1e13, unit="A/m^2")
    if not 0 < j0:
        raise ValueError(f"j_range={j_range!r} must satisfy 0 < j_min < j_max (A/m^2)")
    key = param_hash(CACHE_VERSION, device, float(temperature), x, int(n_trials), int(seed),
                     float(dt), j0, j1)
    path = cache_dir() / f"thermal-{key[:24]}.npz"
    if cache:
        try:
            with np.load(path, allow_pickle=False) as z:
                header = json.loads(str(z["header"]))
                stats = z["stats"].copy()
            if header.get("key") == key and stats.shape == (2, len(x)) \
                    and header.get("sha256") == param_hash(stats) and np.all(np.isfinite(stats)):
                return NoiseCalibration(temperature=float(temperature), x=x, dr_mean=stats[0],
                                        dr_std=stats[1], dr_0=header["dr_0"],
                                        dr_1=header["dr_1"], n_trials=n_trials,
                                        meta={"cache_path": str(path), "from_cache": True})
        except (OSError, ValueError, KeyError, EOFError):
            pass
    dr0, dr1 = delta_r(device, [j0, j1], rule="fit", dt=dt)
    samples = delta_r_samples(device, temperature, j0 + (j1 - j0) * x, n_trials, seed=seed,
                              dt=dt)
    stats = np.array([samples.mean(axis=1), samples.std(axis=1, ddof=1)])
    if cache:
        buf = io.BytesIO()
        header = json.dumps({"key": key, "sha256": param_hash(stats), "dr_0": float(dr0),
                             "dr_1": float(dr1)})
        np.savez(buf, stats=stats, header=np.array(header))
        atomic_write_bytes(path, buf.getvalue())
    return NoiseCalibration(temperature=float(temperature), x=x, dr_mean=stats[0],
                            dr_std=stats[1], dr_0=float(dr0), dr_1=float(dr1), n_trials=n_trials,
                            meta={"cache_path": str(path), "from_cache": False})


@dataclass(frozen=True)
class NoiseLaw:
    """sigma = prefactor (T / 1 K)^t_exponent (V / V_ref)^v_exponent, fitted in log space."""

    prefactor: float
    """sigma at 1 K and V_ref, in the units of the sigmas fitted (NaN if a single temperature
    was fitted: a volume law at that temperature)."""
    t_exponent: float
    """Exponent of T (1/2 for a thermal field at fixed dynamics; NaN if a single temperature
    was fitted)."""
    v_exponent: float
    """Exponent of the volume (NaN if a single volume was fitted)."""
    v_ref: float
    """Reference volume, m^3."""
    rms_log_residual: float
    """Root-mean-square residual of ln sigma."""


def fit_noise_law(temperature, sigma, volume=None, v_ref: float | None = None) -> NoiseLaw:
    """Least-squares fit of ln sigma = ln c + a ln T (+ b ln(V / V_ref)).

    Parameters
    ----------
    temperature, sigma : array_like, shape (k,)
        Temperatures, K (> 0), and spreads (> 0, any unit), k >= 2.
    volume : array_like, shape (k,), optional
        Free-layer volumes, m^3 (> 0); omitted or all equal: T only.
    v_ref : float, optional
        Reference volume, m^3 (> 0; default: the first volume).

    Returns
    -------
    NoiseLaw
        A coefficient the points do not determine is NaN, never the arbitrary number a
        rank-deficient least-squares solve returns: at a single temperature with several
        volumes, a volume law (``t_exponent`` and ``prefactor`` NaN).

    Raises
    ------
    ValueError
        Neither exponent is determined: a single temperature and a single volume, or volumes
        that follow the temperatures as a power law (V a power of T over the points).
    """
    t = check_array("temperature", temperature, shape=(None,), min_size=2)
    s = check_array("sigma", sigma, shape=(len(t),), what="one per temperature")
    for name, arr in (("temperature", t), ("sigma", s)):
        if not np.all(arr > 0):
            raise ValueError(f"{name} must be > 0 (a logarithm is fitted), got "
                             f"{float(arr.min())!r}")
    if v_ref is not None:
        check_real("v_ref", v_ref, 0.0, math.inf, lo_open=True, unit="m^3")
    cols = [np.ones_like(t), np.log(t)]
    v = None
    if volume is not None:
        v = check_array("volume", volume, shape=(len(t),), what="one per temperature")
        if not np.all(v > 0):
            raise ValueError(f"volume must be > 0 m^3, got {float(v.min())!r}")
        v_ref = float(v[0]) if v_ref is None else v_ref
        if np.ptp(np.log(v)) > 0:
            cols.append(np.log(v / v_ref))
    a = np.stack(cols, axis=1)
    free = _undetermined(a)
    if free[1] and (len(cols) < 3 or free[2]):
        raise ValueError(f"temperature={t.tolist()!r}" + ("" if len(cols) < 3 else
                         f" and volume={v.tolist()!r}") + " do not determine the law: it needs "
                         "two distinct temperatures, or volumes that do not follow the "
                         "temperatures as a power law")
    coef, *_ = np.linalg.lstsq(a, np.log(s), rcond=None)
    resid = np.log(s) - a @ coef
    coef = np.where(free, math.nan, coef)  # the minimum-norm solve's arbitrary components
    return NoiseLaw(prefactor=float(math.exp(coef[0])), t_exponent=float(coef[1]),
                    v_exponent=float(coef[2]) if len(coef) > 2 else math.nan,
                    v_ref=float(v_ref) if v_ref is not None else math.nan,
                    rms_log_residual=float(np.sqrt(np.mean(resid**2))))


def _undetermined(a: np.ndarray) -> np.ndarray:
    """(columns,) bool: the coefficients of the least-squares fit with design ``a`` that its
    points do not determine (those the null space of ``a`` reaches)."""
    _, sv, vh = np.linalg.svd(a)
    rank = int(np.sum(sv > sv.max() * max(a.shape) * np.finfo(float).eps))
    return np.any(np.abs(vh[rank:]) > 1e-8, axis=0)


def fmr_linewidth(device: DeviceParams | None = None) -> float:
    """Full width at half maximum of the small-angle (sub-threshold) resonance, Hz: 2 alpha f_K
    (a Lorentzian whose amplitude decays at alpha omega_K)."""
    device = _check_device(device)
    return 2.0 * device.alpha * device.kittel_frequency()


def phase_spread(linewidth_hz, t: float = T_WINDOW):
    """RMS phase (rad) a free-running oscillator of Lorentzian FWHM ``linewidth_hz`` (Hz, in
    [0, 1e30], a number or an array) accumulates in time ``t`` (s, in [0, 1]) by phase
    diffusion: sqrt(2 pi linewidth t)."""
    check_real("t", t, 0.0, 1.0, unit="s")
    lw = check_array("linewidth_hz", linewidth_hz, lo=0.0, hi=1e30)
    if np.ndim(linewidth_hz) == 0:
        lw = lw.reshape(())
    return np.sqrt(2 * math.pi * lw * t)

"""Macrospin Landau-Lifshitz-Gilbert-Slonczewski solver: the public, validated API.

The equation (paper Eq. 1) is solved in its explicit Landau-Lifshitz form

    (1 + alpha^2) dm/dt = T + alpha m x T,
    T = -gamma m x B + tau eps(m) m x (m_p x m) - beta tau m x m_p,
    eps(m) = Lambda^2 / ((Lambda^2 + 1) + (Lambda^2 - 1) m.m_p),

with m_p = +x, B = (cx m_x, cy m_y, cz m_z) (+ a thermal field), tau = a_j (1/s).

Layout: every kernel takes the device as a (N_PAR, n) float64 array of per-junction
coefficients (structure of arrays: one row per coefficient, the junction index last and
innermost), so a batch of different junctions (size dispersion) costs nothing extra.
Thermal random numbers are drawn inside the kernels by a counter-based generator keyed by
(seed, junction, step) (``mtjlib._counter_rng``), so no result depends on threads, chunks or
memory. This module holds the validated public API (coefficients, single traces, batches); the
numba kernels live in :mod:`mtjlib.physics.llg_kernels` (the network's LLG neuron calls
:func:`mtjlib.physics.llg_kernels.reset_delta_r` from inside its own kernel) and the fit rule of
Delta R in :mod:`mtjlib.physics.llg_fit`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from mtjlib._counter_rng import MAX_JUNCTIONS, MAX_STEPS, seed_key, seed_word
from mtjlib._validate import check_array, check_int, check_list, check_real, check_seed
from mtjlib.physics.device import GAMMA, K_B, DeviceParams
from mtjlib.physics.llg_fit import N_FIT, fit_rule
from mtjlib.physics.llg_kernels import (
    AJ,
    BETA,
    CX,
    CZ,
    HEUN,
    N_PAR,
    PT,
    R0,
    RK4,
    SIGMA,
    batch_kernel,
    reset_delta_r,
    trace_kernel,
)

#: The LLG time step of the book, s (Delta R converges to about 1e-7 Ohm with it).
DT = 0.5e-12
#: Highest temperature of the thermal field, K (as
#: :class:`mtjlib.networks.network_params.NetworkParams`).
T_MAX = 1e4
#: Largest rotation of m in one step, rad, that the public wrappers accept: the fastest rate of
#: the equation (``gamma |B|`` with a 6-sigma thermal field, plus the spin torque) times dt.
#: RK4 on a pure rotation loses 1e-4 of the angle per step at 0.1 rad and becomes unstable near
#: 2.8 rad; above 1 rad a trace is not a solution of the equation any more (and overflows to NaN).
MAX_ROTATION = 1.0


def check_step(coeffs: np.ndarray, dt: float) -> None:
    """Raise ValueError if ``dt`` is too long for the fastest junction of ``coeffs``: one step
    would turn m by more than :data:`MAX_ROTATION` rad (the integration would be wrong or NaN)."""
    coeffs = check_array("coeffs", coeffs, shape=(N_PAR, None))
    check_real("dt", dt, 0.0, math.inf, lo_open=True, unit="s")
    if coeffs.shape[1] == 0:
        return
    field = np.max(np.abs(coeffs[CX:CZ + 1]), axis=0) + 6.0 * coeffs[SIGMA]
    rate = GAMMA * field + np.abs(coeffs[AJ]) * (0.5 + coeffs[BETA])
    worst = int(np.argmax(rate))
    turn = float(rate[worst]) * dt
    if not turn <= MAX_ROTATION:
        raise ValueError(f"dt={dt!r} s is too long for junction {worst}: m would turn by "
                         f"{turn:.3g} rad per step (at most {MAX_ROTATION} rad; its field, "
                         f"thermal field and current density j set the rate {rate[worst]:.3g} "
                         f"rad/s); use dt <= {MAX_ROTATION / rate[worst]:.3g} s or a smaller j")


def coefficients(device: DeviceParams | list, j, temperature: float = 0.0, dt: float = DT):
    """Pack devices and current densities into the kernels' (N_PAR, n) coefficient array.

    Parameters
    ----------
    device : DeviceParams or sequence of DeviceParams
        One device for all junctions, or one per junction.
    j : float or array_like, shape (n,)
        Current density of each junction, A/m^2 (positive: electrons flow so as to favour m_p).
    temperature : float
        Temperature of the thermal field, K (0 disables it).
    dt : float
        Time step, s (the thermal field's variance depends on it).
    """
    j = check_array("j", j, ndim=1, min_size=1)  # a scalar becomes shape (1,)
    check_real("temperature", temperature, 0.0, T_MAX, unit="K")
    check_real("dt", dt, 1e-16, 1e-10, unit="s")
    devices = check_list("device", device, len(j), DeviceParams, "current density j")
    uniq = {}
    out = np.empty((N_PAR, len(j)))
    for i, d in enumerate(devices):
        if d not in uniq:
            d.check_perpendicular(f"device[{i}]" if len(devices) > 1 else "device")
            cx, cy, cz = d.field_coefficients
            sig = math.sqrt(2 * d.alpha * K_B * temperature / (GAMMA * d.ms * d.volume * dt))
            uniq[d] = (cx, cy, cz, d.torque_per_current, d.slonczewski_lambda**2, d.alpha,
                       d.beta, sig, d.p_tmr, d.r0)
        out[:, i] = uniq[d]
        out[AJ, i] *= j[i]
    return out


# Public API ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Trace:
    """A single junction's trajectory. Arrays share the time axis ``t`` (s)."""

    t: np.ndarray
    """Times, s, shape (n + 1,)."""
    m: np.ndarray
    """Unit magnetisation, shape (n + 1, 3)."""
    resistance: np.ndarray
    """R(t) = R0 / (1 + p_T m_x), Ohm, shape (n + 1,)."""


def _check_steps(t_end: float, dt: float, t_name: str = "t_end") -> int:
    check_real("dt", dt, 1e-16, 1e-10, unit="s")
    check_real(t_name, t_end, 0.0, 1e-3, lo_open=True, unit="s")
    n = round(t_end / dt)
    if n < 1:
        raise ValueError(f"{t_name}={t_end!r} s is shorter than half a step dt={dt!r} s")
    if n > MAX_STEPS:
        raise ValueError(f"{t_name}={t_end!r} s at dt={dt!r} s is {n} steps; at most {MAX_STEPS}")
    return n


def _check_thermal_field(coeffs: np.ndarray, temperature: float) -> None:
    """Raise ValueError when ``coeffs`` were not built for ``temperature``: a thermal field
    (the SIGMA row) is needed above 0 K and must be absent at 0 K."""
    sigma = coeffs[SIGMA]
    if temperature > 0 and not np.all(sigma > 0):
        raise ValueError(f"temperature={temperature!r} K, but coeffs hold no thermal field "
                         f"(built at 0 K): the run would have no noise; build them with "
                         f"coefficients(device, j, temperature={temperature!r}, dt=dt)")
    if temperature == 0 and np.any(sigma != 0):
        raise ValueError(f"temperature={temperature!r} K, but coeffs hold a thermal field "
                         "(built at T > 0) "
                         "that a run at 0 K would drop: pass the temperature they were built "
                         "at, or build them with coefficients(device, j, dt=dt)")


def _unit(m0, n: int | None = None) -> np.ndarray:
    """``m0`` of shape (3,) (or (3, n) if ``n`` is given) normalised, or a clear error."""
    m0 = check_array("m0", m0)
    ok = m0.shape == (3,) or (n is not None and m0.shape == (3, n))
    if not ok:
        want = "(3,)" if n is None else f"(3,) or (3, {n})"
        raise ValueError(f"m0 has shape {m0.shape}, expected {want}")
    with np.errstate(over="ignore"):
        norm = np.linalg.norm(m0, axis=0)
    if not np.all(np.isfinite(norm)):
        # components near float64's largest: |m0|^2 overflows (and m0 / inf would be 0); scale
        # by the largest component first (only here, so ordinary directions keep their bits)
        m0 = m0 / np.max(np.abs(m0), axis=0)
        norm = np.linalg.norm(m0, axis=0)
    if not np.all(norm > 1e-150):  # also keeps norm**2 from underflowing to 0
        raise ValueError(f"m0 must be non-zero (a direction); got {m0!r}")
    return np.ascontiguousarray(m0 / norm)


def simulate_trace(device: DeviceParams, j: float, t_end: float = 1.5e-9, dt: float = DT,
                   m0=(0.0, 0.0, 1.0), temperature: float = 0.0, seed=0) -> Trace:
    """Integrate one junction from ``m0`` under a constant current density ``j`` (A/m^2).

    Deterministic RK4 at ``temperature = 0``; stochastic Heun with the thermal field otherwise
    (``seed``: int or numpy Generator; same seed, same bits). The thermal trace is junction 0
    of :func:`simulate_batch` with the same seed, bit for bit.
    """
    n = _check_steps(t_end, dt)
    if not isinstance(device, DeviceParams):
        raise TypeError(f"device must be a DeviceParams, got "
                        f"{type(device).__name__}: {device!r:.60}")
    check_real("j", j, unit="A/m^2")
    check_seed("seed", seed)
    m0 = _unit(m0)
    p = coefficients(device, [j], temperature, dt)
    check_step(p, dt)
    scheme = HEUN if temperature > 0 else RK4
    key = np.uint64(seed_key(seed_word(seed)) if temperature > 0 else 0)
    m = trace_kernel(m0, p, dt, n, scheme, key)
    t = np.arange(n + 1) * dt
    return Trace(t=t, m=m, resistance=p[R0, 0] / (1 + p[PT, 0] * m[:, 0]))


@dataclass(frozen=True)
class BatchResult:
    """Final states of a batch and the resistance extrema seen along the way (Ohm)."""

    m: np.ndarray
    """Final unit magnetisations, shape (3, n)."""
    last_max: np.ndarray
    """Last interior maximum of R, parabola-refined (NaN if none), shape (n,)."""
    last_min: np.ndarray
    """Last interior minimum of R, parabola-refined (NaN if none), shape (n,)."""
    window_max: np.ndarray
    """Largest sample of R in the last ``window`` of the run, shape (n,)."""
    window_min: np.ndarray
    """Smallest sample of R in the last ``window`` of the run, shape (n,)."""
    fit_delta_r: np.ndarray
    """Delta R of the fit rule over the last ``window``
    (:func:`~mtjlib.physics.llg_fit.fit_delta_r`;
    NaN unless a ``frequency`` was given), shape (n,)."""


def period_window_steps(devices, dt: float = DT) -> np.ndarray:
    """Steps in one small-angle precession period (Kittel) of each device: the measurement rule's
    window for :func:`~mtjlib.physics.llg_kernels.reset_delta_r` and :func:`simulate_batch`, int64
    array (n,).

    Parameters
    ----------
    devices : DeviceParams or sequence of DeviceParams
        One device (gives a length-1 array) or one per junction.
    dt : float
        Time step, s.
    """
    check_real("dt", dt, 1e-16, 1e-10, unit="s")
    n = len(devices) if hasattr(devices, "__len__") and not isinstance(devices, str) else 1
    devices = check_list("devices", devices, 1 if isinstance(devices, DeviceParams) else n,
                         DeviceParams)
    return np.array([round(1.0 / (d.kittel_frequency() * dt)) for d in devices], dtype=np.int64)


def delta_r_from_reset(coeffs: np.ndarray, dt: float, n_steps: int, noise=None) -> np.ndarray:
    """Paper-rule Delta R (Ohm) of every junction of ``coeffs``, each started from m = z (RK4).

    Kept for the network's deterministic ``llg`` mode; ``noise`` must be None (thermal
    evaluations draw their numbers inside the kernel: use
    :func:`~mtjlib.physics.llg_kernels.reset_delta_r`).
    Junctions without two extrema in the window get 0.
    """
    if noise is not None:
        raise NotImplementedError("thermal noise arrays are gone: call llg.reset_delta_r(p, dt, "
                                  "n_steps, True, seed, counter, n_window, dr), which draws the "
                                  "thermal field inside the kernel")
    coeffs = check_array("coeffs", coeffs, shape=(N_PAR, None))
    check_real("dt", dt, 1e-16, 1e-10, unit="s")
    check_int("n_steps", n_steps, 1, MAX_STEPS)
    _check_thermal_field(coeffs, 0.0)
    check_step(coeffs, dt)
    n = coeffs.shape[1]
    dr = np.empty(n)
    reset_delta_r(coeffs, dt, n_steps, False, 0, 0, np.full(n, -1, dtype=np.int64),
                  np.empty(0), dr)
    return dr


def simulate_batch(coeffs: np.ndarray, m0, t_end: float, dt: float = DT,
                   temperature: float = 0.0, seed=0, window=0.0,
                   frequency=None, *, t_name: str = "t_end") -> BatchResult:
    """Integrate many junctions at once (junction index innermost, parallel over chunks).

    Parameters
    ----------
    coeffs : ndarray, shape (N_PAR, n)
        From :func:`coefficients` (which holds each junction's current density and, if
        ``temperature > 0``, its thermal-field amplitude for this ``dt``).
    m0 : array_like, shape (3,) or (3, n)
        Initial unit magnetisations.
    t_end, dt : float
        Duration and step, s.
    temperature : float
        0 selects deterministic RK4; > 0 selects Heun with the thermal field (its amplitude is
        taken from ``coeffs``, so build them with the same temperature and dt), drawn inside the
        kernel by a counter-based generator keyed by (seed, junction, step): the same seed gives
        the same bits for any number of threads. A ValueError refuses coefficients built for
        the other case (a thermal run of coefficients built at 0 K would run without noise; a
        run at 0 K of coefficients with a thermal field would drop it).
    seed : int or numpy.random.Generator
        Thermal noise seed (a Generator gives one draw).
    window : float or array_like, shape (n,)
        Length of the final window for ``window_max``/``window_min``, s (one for all junctions or
        one per junction).
    frequency : None, float or array_like, shape (n,)
        Reference frequency of the fit rule over the window, Hz (> 0; e.g. the Kittel
        frequency): ``fit_delta_r`` is then the paper's rule applied to the least-squares fit
        R = c0 + c1 tau + (a + a' tau) cos(2 pi f t) + (b + b' tau) sin(2 pi f t) of the
        window's samples (:func:`~mtjlib.physics.llg_fit.fit_delta_r`).
    t_name : str
        How the caller spelled ``t_end`` (error messages name it: ``t_window`` for
        :func:`mtjlib.physics.neuron.delta_r`).
    """
    n_steps = _check_steps(t_end, dt, t_name)
    coeffs = check_array("coeffs", coeffs, shape=(N_PAR, None))
    n = coeffs.shape[1]
    if n > MAX_JUNCTIONS:
        raise ValueError(f"coeffs holds {n} junctions; at most {MAX_JUNCTIONS}")
    check_real("temperature", temperature, 0.0, T_MAX, unit="K")
    _check_thermal_field(coeffs, temperature)
    check_seed("seed", seed)
    window = check_array("window", np.broadcast_to(np.asarray(window), (n,))
                         if np.shape(window) in ((), (1,)) else window, shape=(n,), lo=0.0)
    m0 = _unit(m0, n)
    check_step(coeffs, dt)
    m = np.ascontiguousarray(np.broadcast_to(m0.reshape(3, -1), (3, n)), dtype=np.float64).copy()
    n_window = np.round(window / dt).astype(np.int64)
    if frequency is None:
        phase_step = np.empty(0)
    else:
        f = check_array("frequency", np.broadcast_to(np.asarray(frequency), (n,))
                        if np.shape(frequency) in ((), (1,)) else frequency, shape=(n,))
        if np.any(f <= 0):
            raise ValueError(f"frequency={frequency!r} must be > 0 Hz")
        if np.any(n_window < N_FIT - 1):
            raise ValueError(f"the fit rule needs a window of at least {N_FIT} samples; got "
                             f"window={window!r} s at dt={dt!r} s")
        if np.any(n_window > n_steps):
            raise ValueError(f"the fit rule's window={window!r} s is longer than "
                             f"{t_name}={t_end!r} s")
        phase_step = 2.0 * math.pi * f * dt
    out = np.full((4 + N_FIT, n), np.nan)
    scheme = HEUN if temperature > 0 else RK4
    key = np.uint64(seed_key(seed_word(seed)) if temperature > 0 else 0)
    batch_kernel(m, coeffs, dt, n_steps, scheme, key, 0, n_window, phase_step, out)
    fit = np.full(n, np.nan)
    gram, gram_key = np.empty((N_FIT, N_FIT)), np.full(3, -1.0)
    for i in range(n if len(phase_step) else 0):
        first = max(n_steps - int(n_window[i]), 0)
        fit[i] = fit_rule(np.ascontiguousarray(out[4:, i]), first, n_steps, int(n_window[i]),
                          float(phase_step[i]), gram, gram_key)
    return BatchResult(m=m, last_max=out[0].copy(), last_min=out[1].copy(),
                       window_max=out[2].copy(), window_min=out[3].copy(), fit_delta_r=fit)

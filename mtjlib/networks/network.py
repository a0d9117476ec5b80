"""A rate network of MTJ neurons (paper Fig. 1a): its model, and how one is built.

Model (one network step = one neuron evaluation window, ``dt_ns = 1.5`` ns)::

    r_i = F_i(clip(x_i, x_lo, x_hi))                      neuron output, normalised Delta R
    z   = W_out r                                          readout, (n_out,)
    tau dx/dt = -x + J r + W_f z + W_in u + b              leaky integration (forward Euler)

``x_i`` is the normalised input current of MTJ i, ``j_i = j_min + (j_max - j_min) x_i`` with
``[j_min, j_max] = [0.8, 1.0] e10 A/m^2``, and ``F_i`` the junction's normalised response
(:func:`mtjlib.physics.neuron.response_curve`).

Outside ``x in [0, 1]``: the drive current is *clipped* to ``x_limits`` (default ``[0, 1]``,
the paper's current range), as a current source with finite compliance would do. The clip is
the network's only strong nonlinearity (F itself is almost linear on [0, 1]): it bounds every
neuron's output to [0, 1] like a hard tanh and so keeps the free-running amplitude stable.
``x_limits`` may be widened (e.g. ``(-0.5, 1.5)``); the response is then tabulated over the wider
range from the same LLG physics (``response_curve(x_range=...)``).

``J`` is sparse (probability ``p``) with Gaussian entries of standard deviation
``g / (s sqrt(p n))``, where ``s`` is the slope of F at the bias point, so that ``g`` plays the
role it has for a tanh network (``g > 1``: spontaneously chaotic). Each row's mean over its
existing connections is then removed: r lies in [0, 1], not around 0, and without this the mean
of r would act as a random bias on every neuron.

The neuron is chosen once, when the network is built (``neuron_mode``): a
:class:`~mtjlib.networks.activation.LookupNeuron` interpolates each junction's tabulated F; an
:class:`~mtjlib.networks.activation.LLGNeuron` integrates every junction's LLG equation for one
window from the reset state m = z at each evaluation. Every run, free or training, is the one step
body of :func:`mtjlib.networks.dynamics.drive`.

This module builds networks (:func:`build_network`, its neurons and its J); the parameters and
their validation (every documented range with its memory cost) live in
:mod:`mtjlib.networks.network_params`, the network object in
:mod:`mtjlib.networks.network_object`, and the step itself in :mod:`mtjlib.networks.dynamics`.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from mtjlib._validate import (
    check_array,
    check_instance,
    check_list,
    check_memory,
    check_seed,
    rng_from,
)
from mtjlib._validate import check_int as _int
from mtjlib._validate import check_real as _real
from mtjlib.networks.activation import LLGNeuron, LookupNeuron, StochasticLookupNeuron
from mtjlib.networks.network_object import Network
from mtjlib.networks.network_params import MAX_N, NetworkParams
from mtjlib.networks.step_types import Weights
from mtjlib.physics import llg, thermal
from mtjlib.physics.device import DeviceParams, default_device
from mtjlib.physics.neuron import (
    DT,
    T_WINDOW,
    TABLE_STEP,
    ResponseCurve,
    delta_r,
    response_curve,
)

#: Relative half-width of the finite difference giving F's slope at the bias point.
SLOPE_STEP = 1e-2
#: Thermal noise of one evaluation, in F units (1 = the whole signal range), above which
#: :func:`build_network` warns that the rates leave the normalised range.
NOISE_WARN_F = 0.5


# Construction ---------------------------------------------------------------------------------

def sparse_recurrent(n: int, p: float, g: float, slope: float, rng: np.random.Generator):
    """Sparse J in CSR form: Bernoulli(p) mask, N(0, (g / (slope sqrt(p n)))^2), row means zeroed.

    Returns (indptr, indices, data).
    """
    _int("n", n, 1, MAX_N)
    _real("p", p, 0.0, 1.0, lo_open=True)
    _real("g", g, 0.0, 1e3)
    _real("slope", slope, 0.0, math.inf, lo_open=True)
    check_instance("rng", rng, np.random.Generator)
    mask = rng.random((n, n)) < p
    vals = rng.standard_normal((n, n)) * (g / (slope * math.sqrt(p * n)))
    indptr = np.zeros(n + 1, dtype=np.int64)
    indices, data = [], []
    for i in range(n):
        cols = np.flatnonzero(mask[i])
        v = vals[i, cols]
        if len(v) > 1:
            v = v - v.mean()
        elif len(v) == 1:  # a single connection with zero mean is no connection
            cols, v = cols[:0], v[:0]
        indices.append(cols)
        data.append(v)
        indptr[i + 1] = indptr[i] + len(cols)
    return (indptr, np.concatenate(indices).astype(np.int64),
            np.concatenate(data).astype(np.float64))


def _tables(params, devices, curves, activation):
    """Per-junction (tab_x, tab_f) and the curves (None for a custom activation)."""
    n = params.n
    lo, hi = params.x_limits
    if activation is not None:
        if params.neuron_mode != "lookup":
            raise ValueError("a custom activation needs neuron_mode='lookup'")
        if not isinstance(activation, (tuple, list)) or len(activation) != 2:
            raise TypeError(f"activation={activation!r:.80} must be a pair (x_grid, f_grid)")
        gx = check_array("activation x_grid", activation[0], ndim=1)
        gf = check_array("activation f_grid", activation[1], shape=(len(gx),))
        if len(gx) < 2 or np.any(np.diff(gx) <= 0):
            raise ValueError("activation x_grid must increase and have at least 2 points")
        return np.tile(gx, (n, 1)), np.tile(gf, (n, 1)), None
    devices = check_list("devices", default_device() if devices is None else devices, n,
                         DeviceParams, "neuron")
    if curves is None:
        x_range = (min(lo, 0.0), max(hi, 1.0))
        n_j = round((x_range[1] - x_range[0]) / TABLE_STEP) + 1
        cache = {}
        for d in devices:
            if d not in cache:
                cache[d] = response_curve(d, x_range=x_range, n_j=n_j)
        curves = [cache[d] for d in devices]
    curves = check_list("curves", curves, n, ResponseCurve, "neuron")
    if len({len(c.x) for c in curves}) != 1:
        raise ValueError("all response curves must have tables of the same length")
    tab_x = np.array([c.x for c in curves])
    tab_f = np.array([c.f for c in curves])
    if np.any(tab_x[:, 0] > lo + 1e-12) or np.any(tab_x[:, -1] < hi - 1e-12):
        raise ValueError(f"the response tables do not cover x_limits={params.x_limits}")
    return tab_x, tab_f, (devices, curves)


def _slope_at_bias(params, tab_x, tab_f) -> float:
    """Mean slope of F at the bias point, so that g means for the MTJ what it means for tanh."""
    lo, hi = params.x_limits
    xb = min(max(params.bias, lo), hi)
    h = SLOPE_STEP * (hi - lo)
    f_hi = np.array([np.interp(min(xb + h, hi), tx, tf) for tx, tf in zip(tab_x, tab_f)])
    f_lo = np.array([np.interp(max(xb - h, lo), tx, tf) for tx, tf in zip(tab_x, tab_f)])
    slope = float(np.mean(f_hi - f_lo) / (min(xb + h, hi) - max(xb - h, lo)))
    if not slope > 0:
        raise ValueError(f"the response has slope {slope!r} <= 0 at the bias point")
    return slope


def _check_params(params) -> None:
    if not isinstance(params, NetworkParams):
        raise TypeError(f"params must be a NetworkParams, got {type(params).__name__}: "
                        f"{params!r:.60}")


def _check_junctions(params, devices, curves):
    """``params`` and one device and one curve per neuron (the kernels index them by neuron)."""
    _check_params(params)
    devices = check_list("devices", devices, params.n, DeviceParams, "neuron")
    curves = check_list("curves", curves, params.n, ResponseCurve, "neuron")
    return params, devices, curves


def _check_llg_dt(dt) -> None:
    _real("llg_dt", dt, 1e-15, T_WINDOW / 100, unit="s (at least 100 LLG steps per window)")


def build_memory(params: NetworkParams) -> int:
    """Peak bytes :func:`build_network` allocates for ``params`` (the dense draws of J, W_f,
    W_in and the tables), to check against the machine before any work."""
    _check_params(params)
    n = params.n
    return int(17 * n * n + 8 * n * (params.n_in + params.n_out) + 16 * n * 512)


def llg_neuron(params: NetworkParams, devices, curves, dt: float, seed: int) -> LLGNeuron:
    """The LLG neuron of ``devices``, normalised like ``curves`` (one per junction)."""
    params, devices, curves = _check_junctions(params, devices, curves)
    n = params.n
    _check_llg_dt(dt)
    check_seed("seed", seed)
    n_steps = round(T_WINDOW / dt)
    thermal = params.temperature > 0
    dr_min = np.array([c.delta_r_min for c in curves])
    dr_max = np.array([c.delta_r_max for c in curves])
    if thermal:
        # the fit rule over the last precession period (neuron.delta_r's default at T > 0),
        # normalised by the same rule's deterministic values so that F is continuous in T
        n_window = llg.period_window_steps(devices, dt)
        f_of = {d: d.kittel_frequency() for d in set(devices)}
        phase_step = np.array([2.0 * math.pi * f_of[d] * dt for d in devices])
        j0, j1 = curves[0].j_min, curves[0].j_max
        ends = {d: delta_r(d, [j0, j1], rule="fit", dt=dt) for d in set(devices)}
        dr_min = np.array([ends[d][0] for d in devices])
        dr_max = np.array([ends[d][1] for d in devices])
    else:
        n_window = np.full(n, -1, dtype=np.int64)
        phase_step = np.empty(0)
    return LLGNeuron(
        xlo=params.x_limits[0], xhi=params.x_limits[1],
        j_min=curves[0].j_min, j_max=curves[0].j_max,
        unit=llg.coefficients(devices, np.ones(n), params.temperature, dt), dt=float(dt),
        n_steps=int(n_steps), thermal=bool(thermal), seed=int(seed), n_window=n_window,
        phase_step=phase_step,
        dr_min=dr_min, dr_max=dr_max,
        coeffs=np.empty((llg.N_PAR, n)), dr=np.empty(n))


def stochastic_neuron(params: NetworkParams, devices, curves, seed: int
                      ) -> StochasticLookupNeuron:
    """The stochastic lookup neuron of ``devices`` at ``params.temperature``: per junction the
    calibrated thermal mean of F and its spread sigma_F on the curve's x grid (quadratic fits in
    x of :func:`mtjlib.physics.thermal.noise_calibration`, >= 200 thermal junctions per point; at
    T = 0 the deterministic F and no noise)."""
    params, devices, curves = _check_junctions(params, devices, curves)
    check_seed("seed", seed)
    tab_x = np.ascontiguousarray([c.x for c in curves])
    if params.temperature == 0:
        tab_f = np.ascontiguousarray([c.f for c in curves])
        tab_s = np.zeros_like(tab_f)
    else:
        cal = {}
        for d, c in zip(devices, curves):
            if d not in cal:
                cal[d] = thermal.noise_calibration(d, params.temperature, x=c.x).smooth()
        tab_f = np.ascontiguousarray([cal[d][0] for d in devices])
        tab_s = np.ascontiguousarray([cal[d][1] for d in devices])
    return StochasticLookupNeuron(xlo=params.x_limits[0], xhi=params.x_limits[1], tab_x=tab_x,
                                  tab_f=tab_f, tab_sigma=tab_s, seed=int(seed))


def thermal_noise_f(params: NetworkParams, devices) -> float:
    """Largest single-shot noise of one evaluation in F units over x in {0, 0.5, 1} and the
    distinct ``devices`` (0 at T = 0 or in ``lookup`` mode): what :func:`build_network` checks
    against :data:`NOISE_WARN_F`."""
    _check_params(params)
    devices = check_list("devices", devices, params.n, DeviceParams, "neuron")
    if params.temperature == 0 or params.neuron_mode == "lookup":
        return 0.0
    return max(float(np.max(thermal.noise_calibration(d, params.temperature,
                                                      x=[0.0, 0.5, 1.0]).f_sigma))
               for d in set(devices))


def build_network(params: NetworkParams | None = None, seed=0, *, devices=None, curves=None,
                  activation=None, llg_dt: float = DT, **overrides) -> Network:
    """Build an MTJ rate network from a seed (same seed, same bits).

    Parameters
    ----------
    params : NetworkParams, optional
        Network parameters; keyword ``overrides`` replace fields (``build_network(n=800)``).
    seed : int or numpy.random.Generator
        Draws J, W_f, W_in, b and x(0), in that order; the thermal LLG generator's key is drawn
        from a child generator spawned after them.
    devices : DeviceParams or list of n DeviceParams, optional
        The junctions (default: the calibrated device for all).
    curves : ResponseCurve or list of n ResponseCurve, optional
        Tabulated responses (default: computed, and cached, from ``devices`` over ``x_limits``).
        All tables must have the same length.
    activation : (x_grid, f_grid), optional
        A non-MTJ tabulated activation shared by all neurons (``lookup`` mode only), e.g. tanh
        for textbook checks.
    llg_dt : float
        LLG time step in ``llg`` mode, s (use the same as the curves for agreement), in
        [1e-15, 1.5e-11] (at least 100 steps per window); checked in every mode.

    Memory: about 17 n^2 bytes at the peak (:func:`build_memory`); a ValueError says so before
    any work if the machine does not have it.
    """
    params = NetworkParams() if params is None else params
    _check_params(params)
    if overrides:
        params = params.replace(**overrides)
    _check_llg_dt(llg_dt)
    check_memory(f"build_network with n={params.n}", build_memory(params))
    rng = rng_from(seed)
    n = params.n
    tab_x, tab_f, junctions = _tables(params, devices, curves, activation)
    slope = _slope_at_bias(params, tab_x, tab_f)
    indptr, indices, data = sparse_recurrent(n, params.p, params.g, slope, rng)
    s = params.feedback_scale
    w_f = rng.uniform(-s, s, (n, params.n_out)) if s > 0 else np.zeros((n, params.n_out))
    s = params.input_scale
    w_in = rng.uniform(-s, s, (n, params.n_in)) if params.n_in else np.zeros((n, 0))
    b = params.bias + params.bias_spread * rng.uniform(-1.0, 1.0, n)
    x0 = b + params.x0_spread * rng.uniform(-1.0, 1.0, n)
    tab_x, tab_f = np.ascontiguousarray(tab_x), np.ascontiguousarray(tab_f)
    if params.neuron_mode in ("llg", "stochastic"):
        if junctions is None:
            raise ValueError(f"neuron_mode={params.neuron_mode!r} needs MTJ devices, not a "
                             "custom activation")
        key = int(rng.spawn(1)[0].integers(0, 2**63 - 1))
        noise = thermal_noise_f(params, junctions[0])
        if noise > NOISE_WARN_F:
            warnings.warn(f"temperature={params.temperature} K: one evaluation's thermal noise "
                          f"is sigma_F = {noise:.3g} in F units (> {NOISE_WARN_F}; 1 = the whole "
                          "0.8-1.0e10 A/m^2 signal range), so the rates leave the normalised "
                          "range [0, 1] far and often: the neuron is not usable at this "
                          "temperature (see book/s2_phase_noise)", RuntimeWarning, stacklevel=2)
        if params.neuron_mode == "llg":
            neuron = llg_neuron(params, *junctions, llg_dt, key)
        else:
            neuron = stochastic_neuron(params, *junctions, key)
    else:
        neuron = LookupNeuron(xlo=params.x_limits[0], xhi=params.x_limits[1], tab_x=tab_x,
                              tab_f=tab_f)
    weights = Weights(indptr=indptr, indices=indices, data=data, w_f=np.ascontiguousarray(w_f),
                      w_in=np.ascontiguousarray(w_in), b=b)
    return Network(params=params, weights=weights, neuron=neuron, tab_x=tab_x, tab_f=tab_f,
                   x0=x0, x=x0.copy(), w_out=np.zeros((params.n_out, n)))

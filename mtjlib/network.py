"""A rate network of MTJ neurons (paper Fig. 1a): parameters, construction, stepping.

Model (one network step = one neuron evaluation window, ``dt_ns = 1.5`` ns)::

    r_i = F_i(clip(x_i, x_lo, x_hi))                      neuron output, normalised Delta R
    z   = W_out r                                          readout, (n_out,)
    tau dx/dt = -x + J r + W_f z + W_in u + b              leaky integration (forward Euler)

``x_i`` is the normalised input current of MTJ i, ``j_i = j_min + (j_max - j_min) x_i`` with
``[j_min, j_max] = [0.8, 1.0] e10 A/m^2``, and ``F_i`` the junction's normalised response
(:func:`mtjlib.neuron.response_curve`).

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

Neuron modes (one interface): ``lookup`` interpolates each junction's tabulated F; ``llg``
integrates every junction's LLG equation for 1.5 ns from the reset state m = z at each
evaluation (batched kernel of :mod:`mtjlib.llg`; deterministic RK4 at ``temperature = 0``,
thermal Heun otherwise) and applies the paper's Delta R rule.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

import numpy as np

from ._numba import kernel
from ._validate import check_int as _int
from ._validate import check_real as _real
from ._validate import rng_from
from .device import DeviceParams, default_device
from .llg import AJ, coefficients, delta_r_from_reset
from .neuron import DT, T_WINDOW, ResponseCurve, response_curve

MODES = ("lookup", "llg")


@dataclass(frozen=True, kw_only=True)
class NetworkParams:
    """Parameters of an MTJ rate network. Currents are normalised (x = 1 is j_max - j_min).

    The defaults are the book's Fig. 2 network (see ``book/fig2_force.ipynb`` for why).
    """

    n: int = 40
    """Number of MTJ neurons, >= 1."""
    p: float = 0.2
    """Connection probability of the recurrent matrix J, in (0, 1]."""
    g: float = 0.9
    """Recurrent gain (>= 0); the spread of J is g / (slope of F * sqrt(p n))."""
    tau_ns: float = 10.0
    """Leak time constant of the input current, ns (> 0, >= dt_ns for a stable Euler step)."""
    dt_ns: float = 1.5
    """Network step, ns: one neuron evaluation window (the LLG mode always integrates 1.5 ns)."""
    n_out: int = 1
    """Number of readouts z."""
    feedback_scale: float = 1.0
    """Feedback weights W_f are uniform in [-feedback_scale, feedback_scale]; 0: no feedback."""
    n_in: int = 0
    """Number of external inputs u."""
    input_scale: float = 1.0
    """Input weights W_in are uniform in [-input_scale, input_scale]."""
    bias: float = 0.5
    """Constant drive b (normalised current); 0.5 puts the resting state mid-range."""
    bias_spread: float = 0.0
    """Per-neuron bias b_i = bias + uniform in [-bias_spread, bias_spread]."""
    x_limits: tuple[float, float] = (0.0, 1.0)
    """Range the drive x is clipped to (normalised current); (0, 1) is the paper's j range."""
    x0_spread: float = 0.25
    """Initial state: x_i(0) = b_i + uniform in [-x0_spread, x0_spread]."""
    neuron_mode: str = "lookup"
    """``lookup`` (tabulated F) or ``llg`` (LLG integration at every evaluation)."""
    temperature: float = 0.0
    """Temperature of the thermal field in ``llg`` mode, K (0: deterministic)."""

    def __post_init__(self):
        _int("n", self.n, 1, 100_000)
        _real("p", self.p, 0.0, 1.0, lo_open=True)
        _real("g", self.g, 0.0, 1e3)
        _real("tau_ns", self.tau_ns, 0.0, 1e9, lo_open=True, unit="ns")
        _real("dt_ns", self.dt_ns, 0.0, self.tau_ns, lo_open=True, unit="ns (<= tau_ns)")
        _int("n_out", self.n_out, 0, 1000)
        _real("feedback_scale", self.feedback_scale, 0.0, 1e6)
        _int("n_in", self.n_in, 0, 100_000)
        _real("input_scale", self.input_scale, 0.0, 1e6)
        _real("bias", self.bias, -1e6, 1e6)
        _real("bias_spread", self.bias_spread, 0.0, 1e3)
        if not isinstance(self.x_limits, (tuple, list)) or len(self.x_limits) != 2:
            raise TypeError(f"x_limits={self.x_limits!r} must be a pair (lo, hi)")
        _real("x_limits[0]", self.x_limits[0], -1e3, 1e3)
        _real("x_limits[1]", self.x_limits[1], self.x_limits[0], 1e3, lo_open=True)
        _real("x0_spread", self.x0_spread, 0.0, 1e3)
        if self.neuron_mode not in MODES:
            raise ValueError(f"neuron_mode={self.neuron_mode!r} is not one of {MODES}")
        _real("temperature", self.temperature, 0.0, 1e4, unit="K")
        object.__setattr__(self, "x_limits", (float(self.x_limits[0]), float(self.x_limits[1])))

    def replace(self, **changes) -> NetworkParams:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    @property
    def leak(self) -> float:
        """Euler factor a = dt / tau."""
        return self.dt_ns / self.tau_ns


# Kernels ----------------------------------------------------------------------------------------

@kernel
def _interp_rows(x, xlo, xhi, tab_x, tab_f, r):
    """r_i = F_i(clip(x_i)) by linear interpolation in row i of the tables (np.interp rule)."""
    n, k = tab_x.shape
    for i in range(n):
        v = min(max(x[i], xlo), xhi)
        lo, hi = 0, k - 1
        if v <= tab_x[i, 0]:
            r[i] = tab_f[i, 0]
            continue
        if v >= tab_x[i, hi]:
            r[i] = tab_f[i, hi]
            continue
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if tab_x[i, mid] <= v:
                lo = mid
            else:
                hi = mid
        s = (v - tab_x[i, lo]) / (tab_x[i, hi] - tab_x[i, lo])
        r[i] = tab_f[i, lo] + s * (tab_f[i, hi] - tab_f[i, lo])


@kernel
def _readout(w_out, r, z):
    """z = W_out r; w_out (n_out, n), r (n,), z (n_out,)."""
    for o in range(w_out.shape[0]):
        acc = 0.0
        for i in range(r.shape[0]):
            acc += w_out[o, i] * r[i]
        z[o] = acc


@kernel
def _integrate(x, r, z, indptr, indices, data, w_f, w_in, u, b, a):
    """One Euler step of tau dx/dt = -x + J r + W_f z + W_in u + b, J in CSR form, a = dt/tau."""
    for i in range(x.shape[0]):
        acc = b[i]
        for q in range(indptr[i], indptr[i + 1]):
            acc += data[q] * r[indices[q]]
        for o in range(z.shape[0]):
            acc += w_f[i, o] * z[o]
        for m in range(u.shape[0]):
            acc += w_in[i, m] * u[m]
        x[i] += a * (acc - x[i])


@kernel
def _run_lookup(x, w_out, indptr, indices, data, w_f, w_in, b, a, xlo, xhi, tab_x, tab_f,
                u, reset, x_reset, z_out, r_out, x_out):
    """Free run of T steps in lookup mode; records z (T, n_out) and, if sized, r and x (T, n)."""
    n = x.shape[0]
    r = np.empty(n)
    z = np.empty(w_out.shape[0])
    rec = r_out.shape[0] > 0
    for t in range(z_out.shape[0]):
        if reset[t]:
            x[:] = x_reset
        _interp_rows(x, xlo, xhi, tab_x, tab_f, r)
        _readout(w_out, r, z)
        z_out[t] = z
        if rec:
            r_out[t] = r
            x_out[t] = x
        _integrate(x, r, z, indptr, indices, data, w_f, w_in, u[t], b, a)


# The network --------------------------------------------------------------------------------

@dataclass(frozen=True)
class RunResult:
    """A recorded run. Time axis ``t_ns`` (ns) is shared by all arrays."""

    t_ns: np.ndarray
    """Time of each network step, ns, shape (T,)."""
    z: np.ndarray
    """Readout, shape (T, n_out)."""
    r: np.ndarray | None
    """Neuron outputs F(x), shape (T, n), or None if not recorded."""
    x: np.ndarray | None
    """Neuron inputs (normalised current, before clipping), shape (T, n), or None."""


@dataclass
class Network:
    """An MTJ rate network: fixed weights, mutable state ``x`` and readout ``w_out``.

    Build it with :func:`build_network`. ``step``/``run`` advance it; trainers in
    :mod:`mtjlib.trainers` change ``w_out``.
    """

    params: NetworkParams
    indptr: np.ndarray
    """CSR row pointers of J, (n + 1,) int64."""
    indices: np.ndarray
    """CSR column indices of J, (nnz,) int64."""
    data: np.ndarray
    """CSR values of J, (nnz,)."""
    w_f: np.ndarray
    """Feedback weights, (n, n_out)."""
    w_in: np.ndarray
    """Input weights, (n, n_in)."""
    b: np.ndarray
    """Bias, (n,)."""
    tab_x: np.ndarray
    """Per-junction table of normalised input, (n, K)."""
    tab_f: np.ndarray
    """Per-junction table of F, (n, K)."""
    x0: np.ndarray
    """Initial state (restored by ``reset``), (n,)."""
    x: np.ndarray
    """Current state, (n,)."""
    w_out: np.ndarray
    """Readout weights, (n_out, n)."""
    t_ns: float = 0.0
    """Time of the next step, ns."""
    llg: dict = field(default_factory=dict, repr=False)
    """LLG mode data: unit-current coefficients, Delta R normalisation, dt, noise generator."""

    @property
    def n(self) -> int:
        return self.params.n

    def J(self) -> np.ndarray:
        """Dense recurrent matrix, (n, n)."""
        out = np.zeros((self.n, self.n))
        for i in range(self.n):
            sl = slice(self.indptr[i], self.indptr[i + 1])
            out[i, self.indices[sl]] = self.data[sl]
        return out

    def reset(self, x=None) -> None:
        """Reset the state to ``x0`` (or ``x``) and the clock to 0; the readout is kept."""
        self.x[:] = self.x0 if x is None else np.asarray(x, dtype=np.float64)
        self.t_ns = 0.0

    # Neuron evaluation ---------------------------------------------------------------------
    def rates(self, x=None) -> np.ndarray:
        """Neuron outputs F(clip(x)) for the current state (or ``x``), in the network's mode."""
        x = self.x if x is None else np.ascontiguousarray(x, dtype=np.float64)
        r = np.empty(self.n)
        if self.params.neuron_mode == "lookup":
            lo, hi = self.params.x_limits
            _interp_rows(x, lo, hi, self.tab_x, self.tab_f, r)
        else:
            r[:] = self._llg_rates(x)
        return r

    def _llg_rates(self, x) -> np.ndarray:
        d = self.llg
        lo, hi = self.params.x_limits
        j = d["j_min"] + (d["j_max"] - d["j_min"]) * np.clip(x, lo, hi)
        coeffs = d["unit"].copy()
        coeffs[AJ] *= j
        n_steps = d["n_steps"]
        noise = (d["rng"].standard_normal((n_steps, 3, self.n))
                 if self.params.temperature > 0 else None)
        dr = delta_r_from_reset(coeffs, d["dt"], n_steps, noise)
        return (dr - d["dr_min"]) / (d["dr_max"] - d["dr_min"])

    # Stepping -----------------------------------------------------------------------------------
    def _inputs(self, u, n_steps):
        n_in = self.params.n_in
        if u is None:
            if n_in:
                raise ValueError(f"this network has n_in={n_in} inputs; pass u of shape (T, {n_in})")
            return np.zeros((n_steps, 0))
        u = np.asarray(u, dtype=np.float64)
        u = u.reshape(-1, 1) if u.ndim == 1 and n_in == 1 else u
        if u.shape != (n_steps, n_in):
            raise ValueError(f"u has shape {u.shape}, expected ({n_steps}, {n_in})")
        if not np.all(np.isfinite(u)):
            raise ValueError("u must be finite")
        return np.ascontiguousarray(u)

    def _reset_mask(self, reset, n_steps):
        if reset is None:
            return np.zeros(n_steps, dtype=np.bool_)
        reset = np.asarray(reset, dtype=np.bool_)
        if reset.shape != (n_steps,):
            raise ValueError(f"reset has shape {reset.shape}, expected ({n_steps},)")
        return reset

    def run(self, n_steps: int, u=None, reset=None, record: bool = True) -> RunResult:
        """Run ``n_steps`` with fixed weights (free run, or input-driven if ``u`` is given).

        Parameters
        ----------
        n_steps : int
            Number of network steps of ``dt_ns``.
        u : array_like, shape (n_steps, n_in), optional
            External input at each step.
        reset : array_like of bool, shape (n_steps,), optional
            Steps at whose start the state is reset to ``x0`` (e.g. each recognition window).
        record : bool
            Record r and x (T, n) besides z.
        """
        _int("n_steps", n_steps, 1, 10**9)
        u = self._inputs(u, n_steps)
        reset = self._reset_mask(reset, n_steps)
        p = self.params
        n_out = self.w_out.shape[0]
        t = self.t_ns + p.dt_ns * np.arange(n_steps)
        z = np.empty((n_steps, n_out))
        shape = (n_steps, self.n) if record else (0, self.n)
        r_rec, x_rec = np.empty(shape), np.empty(shape)
        if p.neuron_mode == "lookup":
            _run_lookup(self.x, self.w_out, self.indptr, self.indices, self.data, self.w_f,
                        self.w_in, self.b, p.leak, p.x_limits[0], p.x_limits[1], self.tab_x,
                        self.tab_f, u, reset, self.x0, z, r_rec, x_rec)
        else:
            for k in range(n_steps):
                if reset[k]:
                    self.x[:] = self.x0
                r = self._llg_rates(self.x)
                zk = self.w_out @ r
                z[k] = zk
                if record:
                    r_rec[k], x_rec[k] = r, self.x
                _integrate(self.x, r, zk, self.indptr, self.indices, self.data, self.w_f,
                           self.w_in, u[k], self.b, p.leak)
        self.t_ns = float(t[-1] + p.dt_ns)
        return RunResult(t_ns=t, z=z, r=r_rec if record else None, x=x_rec if record else None)


# Construction ---------------------------------------------------------------------------------

def sparse_recurrent(n: int, p: float, g: float, slope: float, rng: np.random.Generator):
    """Sparse J in CSR form: Bernoulli(p) mask, N(0, (g / (slope sqrt(p n)))^2), row means zeroed.

    Returns (indptr, indices, data).
    """
    mask = rng.random((n, n)) < p
    vals = rng.standard_normal((n, n)) * (g / (slope * math.sqrt(p * n)))
    indptr = np.zeros(n + 1, dtype=np.int64)
    indices, data = [], []
    for i in range(n):
        cols = np.flatnonzero(mask[i])
        v = vals[i, cols]
        if len(v) > 1:
            v = v - v.mean()
        elif len(v) == 1:
            v = np.zeros(1)  # a single connection with zero mean is no connection
            cols = cols[:0]
            v = v[:0]
        indices.append(cols)
        data.append(v)
        indptr[i + 1] = indptr[i] + len(cols)
    return (indptr, np.concatenate(indices).astype(np.int64),
            np.concatenate(data).astype(np.float64))


def _as_list(obj, n, kind, name):
    if isinstance(obj, kind):
        return [obj] * n
    obj = list(obj)
    if len(obj) != n or not all(isinstance(o, kind) for o in obj):
        raise ValueError(f"{name} must be one {kind.__name__} or a list of n={n} of them")
    return obj


def build_network(params: NetworkParams | None = None, seed=0, *, devices=None, curves=None,
                  activation=None, llg_dt: float = DT, **overrides) -> Network:
    """Build an MTJ rate network from a seed (same seed, same bits).

    Parameters
    ----------
    params : NetworkParams, optional
        Network parameters; keyword ``overrides`` replace fields (``build_network(n=800)``).
    seed : int or numpy.random.Generator
        Draws J, W_f, W_in, b and x(0), in that order; thermal LLG noise uses a child generator.
    devices : DeviceParams or list of n DeviceParams, optional
        The junctions (default: the calibrated device for all).
    curves : ResponseCurve or list of n ResponseCurve, optional
        Tabulated responses (default: computed, and cached, from ``devices`` over ``x_limits``).
        All tables must have the same length.
    activation : (x_grid, f_grid), optional
        A non-MTJ tabulated activation shared by all neurons (``lookup`` mode only), e.g. tanh
        for textbook checks.
    llg_dt : float
        LLG time step in ``llg`` mode, s (use the same as the curves for agreement).
    """
    params = NetworkParams() if params is None else params
    if not isinstance(params, NetworkParams):
        raise TypeError(f"params must be a NetworkParams, got {type(params).__name__}")
    if overrides:
        params = params.replace(**overrides)
    rng = rng_from(seed)
    n = params.n
    lo, hi = params.x_limits
    llg = {}
    if activation is not None:
        if params.neuron_mode != "lookup":
            raise ValueError("a custom activation needs neuron_mode='lookup'")
        gx, gf = (np.asarray(v, dtype=np.float64) for v in activation)
        if gx.ndim != 1 or gx.shape != gf.shape or len(gx) < 2 or np.any(np.diff(gx) <= 0):
            raise ValueError("activation must be (x_grid, f_grid), increasing x, same length")
        tab_x, tab_f = np.tile(gx, (n, 1)), np.tile(gf, (n, 1))
    else:
        devices = _as_list(default_device() if devices is None else devices, n, DeviceParams,
                           "devices")
        if curves is None:
            x_range = (min(lo, 0.0), max(hi, 1.0))
            cache = {}
            for d in devices:
                if d not in cache:
                    cache[d] = response_curve(d, x_range=x_range, n_j=_n_j(x_range))
            curves = [cache[d] for d in devices]
        curves = _as_list(curves, n, ResponseCurve, "curves")
        if len({len(c.x) for c in curves}) != 1:
            raise ValueError("all response curves must have tables of the same length")
        tab_x = np.array([c.x for c in curves])
        tab_f = np.array([c.f for c in curves])
        if np.any(tab_x[:, 0] > lo + 1e-12) or np.any(tab_x[:, -1] < hi - 1e-12):
            raise ValueError(f"the response tables do not cover x_limits={params.x_limits}")
        if params.neuron_mode == "llg":
            llg = {"unit": coefficients(devices, np.ones(n), params.temperature, llg_dt),
                   "j_min": curves[0].j_min, "j_max": curves[0].j_max, "dt": llg_dt,
                   "n_steps": round(T_WINDOW / llg_dt),
                   "dr_min": np.array([c.delta_r_min for c in curves]),
                   "dr_max": np.array([c.delta_r_max for c in curves])}
    # Slope of F at the bias point (mean over junctions), to make g mean what it means for tanh.
    xb = min(max(params.bias, lo), hi)
    h = 1e-2 * (hi - lo)
    f_hi = np.array([np.interp(min(xb + h, hi), tx, tf) for tx, tf in zip(tab_x, tab_f)])
    f_lo = np.array([np.interp(max(xb - h, lo), tx, tf) for tx, tf in zip(tab_x, tab_f)])
    slope = float(np.mean(f_hi - f_lo) / (min(xb + h, hi) - max(xb - h, lo)))
    if not slope > 0:
        raise ValueError(f"the response has slope {slope!r} <= 0 at the bias point")
    indptr, indices, data = sparse_recurrent(n, params.p, params.g, slope, rng)
    s = params.feedback_scale
    w_f = rng.uniform(-s, s, (n, params.n_out)) if s > 0 else np.zeros((n, params.n_out))
    s = params.input_scale
    w_in = rng.uniform(-s, s, (n, params.n_in)) if params.n_in else np.zeros((n, 0))
    b = params.bias + params.bias_spread * rng.uniform(-1.0, 1.0, n)
    x0 = b + params.x0_spread * rng.uniform(-1.0, 1.0, n)
    if params.neuron_mode == "llg":
        llg["rng"] = rng.spawn(1)[0]
    return Network(params=params, indptr=indptr, indices=indices, data=data,
                   w_f=np.ascontiguousarray(w_f), w_in=np.ascontiguousarray(w_in),
                   b=b, tab_x=np.ascontiguousarray(tab_x),
                   tab_f=np.ascontiguousarray(tab_f), x0=x0, x=x0.copy(),
                   w_out=np.zeros((params.n_out, n)), llg=llg)


def _n_j(x_range) -> int:
    """Table size giving a step of 0.005 in x (201 points on [0, 1])."""
    return round((x_range[1] - x_range[0]) / 0.005) + 1

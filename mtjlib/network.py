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

The neuron is chosen once, when the network is built (``neuron_mode``): a
:class:`~mtjlib.activation.LookupNeuron` interpolates each junction's tabulated F; an
:class:`~mtjlib.activation.LLGNeuron` integrates every junction's LLG equation for one window from
the reset state m = z at each evaluation. Every run, free or training, is the one step body of
:func:`mtjlib.dynamics.drive`.

Length: about 600 lines, 420 of them code: the parameters, their validation (every documented
range with its memory cost) and the one network object; the step itself lives in
:mod:`mtjlib.dynamics`.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from dataclasses import dataclass

import numpy as np

from . import llg, thermal
from ._validate import (
    HUGE,
    check_array,
    check_bool,
    check_choice,
    check_instance,
    check_list,
    check_mask,
    check_memory,
    check_seed,
    rng_from,
)
from ._validate import check_int as _int
from ._validate import check_real as _real
from .activation import LLGNeuron, LookupNeuron, StochasticLookupNeuron, evaluate
from .device import DeviceParams, default_device
from .dynamics import drive
from .imperfections import Realised
from .neuron import DT, T_WINDOW, ResponseCurve, delta_r, response_curve
from .step_types import (
    Learning,
    Plasticity,
    Record,
    Schedule,
    Weights,
    ideal_synapses,
    no_plasticity,
)

#: The network step, ns: one neuron evaluation window.
DT_NS = T_WINDOW * 1e9
#: Drive resolution of the response tables (201 points on [0, 1]).
TABLE_STEP = 0.005
#: Relative half-width of the finite difference giving F's slope at the bias point.
SLOPE_STEP = 1e-2

MODES = ("lookup", "llg", "stochastic")
#: Most neurons of a network. Building one draws two dense (n, n) arrays (the mask and the
#: values of J: about 17 n^2 bytes at the peak, 6.3 GiB at n = 20000, 0.16 GiB at n = 3000) and
#: FORCE keeps a dense (n, n) P (8 n^2 bytes); a laptop holds n = 20000.
MAX_N = 20_000
#: Most external inputs (W_in is a dense (n, n_in) array: 8 n n_in bytes).
MAX_IN = 10_000
#: Thermal noise of one evaluation, in F units (1 = the whole signal range), above which
#: :func:`build_network` warns that the rates leave the normalised range.
NOISE_WARN_F = 0.5


@dataclass(frozen=True, kw_only=True)
class NetworkParams:
    """Parameters of an MTJ rate network. Currents are normalised (x = 1 is j_max - j_min).

    The defaults are the book's Fig. 2 network (see ``book/fig2_force.ipynb`` for why).
    """

    n: int = 40
    """Number of MTJ neurons, in [1, 20000] (:data:`MAX_N`; building costs about 17 n^2 bytes
    of memory at its peak, 6.3 GiB at n = 20000, and FORCE's P another 8 n^2)."""
    p: float = 0.2
    """Connection probability of the recurrent matrix J, in (0, 1]."""
    g: float = 0.9
    """Recurrent gain (>= 0); the spread of J is g / (slope of F * sqrt(p n))."""
    tau_ns: float = 10.0
    """Leak time constant of the input current, ns (> 0, >= dt_ns for a stable Euler step)."""
    dt_ns: float = DT_NS
    """Network step, ns: one neuron evaluation window (the LLG mode always integrates 1.5 ns)."""
    n_out: int = 1
    """Number of readouts z."""
    feedback_scale: float = 1.0
    """Feedback weights W_f are uniform in [-feedback_scale, feedback_scale]; 0: no feedback."""
    n_in: int = 0
    """Number of external inputs u, in [0, 10000] (W_in costs 8 n n_in bytes)."""
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
    """``lookup`` (tabulated F), ``llg`` (LLG integration at every evaluation) or
    ``stochastic`` (lookup of the thermal mean of F plus Gaussian noise of spread sigma_F(x),
    both calibrated from thermal LLG at ``temperature``:
    :func:`mtjlib.thermal.noise_calibration`)."""
    temperature: float = 0.0
    """Temperature of the thermal field in ``llg`` and ``stochastic`` modes, K (0:
    deterministic; ignored in ``lookup`` mode)."""

    def __post_init__(self):
        _int("n", self.n, 1, MAX_N)
        _real("p", self.p, 0.0, 1.0, lo_open=True)
        _real("g", self.g, 0.0, 1e3)
        _real("tau_ns", self.tau_ns, 0.0, 1e9, lo_open=True, unit="ns")
        _real("dt_ns", self.dt_ns, 0.0, self.tau_ns, lo_open=True, unit="ns (<= tau_ns)")
        _int("n_out", self.n_out, 0, 1000)
        _real("feedback_scale", self.feedback_scale, 0.0, 1e6)
        _int("n_in", self.n_in, 0, MAX_IN)
        _real("input_scale", self.input_scale, 0.0, 1e6)
        _real("bias", self.bias, -1e6, 1e6)
        _real("bias_spread", self.bias_spread, 0.0, 1e3)
        if not isinstance(self.x_limits, (tuple, list)) or len(self.x_limits) != 2:
            raise TypeError(f"x_limits={self.x_limits!r} must be a pair (lo, hi)")
        _real("x_limits[0]", self.x_limits[0], -1e3, 1e3)
        _real("x_limits[1]", self.x_limits[1], self.x_limits[0], 1e3, lo_open=True)
        _real("x0_spread", self.x0_spread, 0.0, 1e3)
        check_choice("neuron_mode", self.neuron_mode, MODES)
        _real("temperature", self.temperature, 0.0, 1e4, unit="K")
        object.__setattr__(self, "x_limits", (float(self.x_limits[0]), float(self.x_limits[1])))

    def replace(self, **changes) -> NetworkParams:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    @property
    def leak(self) -> float:
        """Euler factor a = dt / tau."""
        return self.dt_ns / self.tau_ns



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
    """An MTJ rate network: fixed weights, a neuron, mutable state ``x`` and readout ``w_out``.

    Build it with :func:`build_network`. :meth:`run` advances it with a fixed readout;
    :meth:`advance` runs any :class:`~mtjlib.dynamics.Schedule` (the trainers' entry point).
    """

    params: NetworkParams
    weights: Weights
    """J (CSR), W_f, W_in, b."""
    neuron: LookupNeuron | LLGNeuron | StochasticLookupNeuron
    """The neuron behind the network, chosen at construction."""
    tab_x: np.ndarray
    """Per-junction table of normalised input, (n, K) (also used for F's slope)."""
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
    counter: int = 0
    """Neuron evaluations so far (keys the thermal generator: fresh noise at every step)."""

    @property
    def n(self) -> int:
        return self.params.n

    def J(self) -> np.ndarray:
        """Dense recurrent matrix, (n, n)."""
        w = self.weights
        out = np.zeros((self.n, self.n))
        for i in range(self.n):
            sl = slice(w.indptr[i], w.indptr[i + 1])
            out[i, w.indices[sl]] = w.data[sl]
        return out

    def reset(self, x=None) -> None:
        """Reset the state to ``x0`` (or ``x``, shape (n,)) and the clock to 0; keep the readout."""
        self.x[:] = self.x0 if x is None else check_array("x", x, shape=(self.n,))
        self.t_ns = 0.0

    def rates(self, x=None) -> np.ndarray:
        """Neuron outputs F(clip(x)) for the current state (or ``x``, shape (n,)).

        An evaluation of a thermal LLG neuron draws fresh noise (it advances ``counter``).
        """
        x = self.x.copy() if x is None else check_array("x", x, shape=(self.n,))
        r = np.empty(self.n)
        evaluate(self.neuron, x, r, self.counter)
        self.counter += 1
        return r

    # Inputs of a run ------------------------------------------------------------------------
    def inputs(self, u, n_steps: int) -> np.ndarray:
        """External input as a (n_steps, n_in) float64 array (checked); zeros(n_steps, 0) if none."""
        _int("n_steps", n_steps, 1, 10**9)
        n_in = self.params.n_in
        if u is None:
            if n_in:
                raise ValueError(f"this network has n_in={n_in} inputs; pass u of shape "
                                 f"({n_steps}, {n_in})")
            return np.zeros((n_steps, 0))
        u = check_array("u", u)
        u = u.reshape(-1, 1) if u.ndim == 1 and n_in == 1 else u
        return check_array("u", u, shape=(n_steps, n_in), lo=-HUGE, hi=HUGE)

    def reset_mask(self, reset, n_steps: int) -> np.ndarray:
        """Steps at whose start x is reset to x0, (n_steps,) bool (checked); none if None."""
        _int("n_steps", n_steps, 1, 10**9)
        if reset is None:
            return np.zeros(n_steps, dtype=np.bool_)
        return check_mask("reset", reset, shape=(n_steps,))

    # Stepping ---------------------------------------------------------------------------------
    def advance(self, schedule: Schedule, learning: Learning | None = None,
                plasticity: Plasticity | None = None, *, record: bool = False,
                record_w_norm: bool = False, synapses: Realised | None = None) -> Record:
        """Run ``schedule`` from the current state with the one step body (:func:`~mtjlib.dynamics.drive`).

        ``learning`` holds the readout's RLS state (required if any step learns); ``plasticity``
        adds noise on the drive and recurrent learning (default: none); ``synapses`` are the
        realised imperfections of the synapses (:func:`mtjlib.imperfections.realise`; default:
        ideal). W_out, P, the plastic rows of J, the state and the clock advance in place.
        """
        schedule = self._checked_schedule(schedule)
        check_bool("record", record)
        check_bool("record_w_norm", record_w_norm)
        n_steps, n_out = len(schedule.reset), self.w_out.shape[0]
        if learning is None:
            if np.any(schedule.learn):
                raise ValueError("the schedule learns at some steps: pass learning=Learning(...)")
            learning = Learning(P=np.zeros((0, 0)), alpha=1.0, lam=1.0)
        elif not isinstance(learning, Learning):
            raise TypeError(f"learning must be a Learning, got "
                            f"{type(learning).__name__}: {learning!r:.60}")
        elif np.any(schedule.learn):
            _real("learning.alpha", learning.alpha, 1e-12, 1e12)
            _real("learning.lam", learning.lam, 0.5, 1.0)
            learning = learning._replace(P=check_array("learning.P", learning.P,
                                                       shape=(self.n, self.n), lo=-HUGE, hi=HUGE))
        if plasticity is None:
            plasticity = no_plasticity(self.n)
        elif not isinstance(plasticity, Plasticity):
            raise TypeError(f"plasticity must be a Plasticity, got "
                            f"{type(plasticity).__name__}: {plasticity!r:.60}")
        else:
            for name, arr in (("noise", plasticity.noise), ("target", plasticity.target)):
                if arr.shape[0] not in (0, n_steps) or arr.shape[1:] != (self.n,):
                    raise ValueError(f"plasticity.{name} has shape {arr.shape}, expected "
                                     f"({n_steps}, {self.n}) or (0, {self.n})")
            if len(plasticity.learn) not in (0, n_steps):
                raise ValueError(f"plasticity.learn has length {len(plasticity.learn)}, "
                                 f"expected {n_steps} or 0")
            if len(plasticity.learn) and np.any(plasticity.learn) and \
                    plasticity.target.shape[0] != n_steps:
                raise ValueError("plasticity.learn is set at some steps: give its target")
        weights = self.weights
        if synapses is None:
            syn = ideal_synapses(weights, n_out)
        else:
            weights = self._imperfect(synapses)
            syn = synapses.synapses
        shape = (n_steps, self.n) if record else (0, self.n)
        rec = Record(z=np.empty((n_steps, n_out)),
                     w_norm=np.empty(n_steps if record_w_norm else 0),
                     r=np.empty(shape), x=np.empty(shape))
        self.counter = int(drive(self.neuron, weights, self.params.leak, self.x, self.x0,
                                 self.w_out, self.counter, schedule, learning, plasticity,
                                 syn, rec))
        dt = self.params.dt_ns
        self.t_ns = float((self.t_ns + dt * (n_steps - 1)) + dt) if n_steps else self.t_ns
        return rec

    def _checked_schedule(self, schedule) -> Schedule:
        """``schedule`` with every array of the shape and dtype the step body reads (the same
        arrays when they already are), or a clear error: the kernel does no bounds checks."""
        if not isinstance(schedule, Schedule):
            raise TypeError(f"schedule must be a Schedule, got "
                            f"{type(schedule).__name__}: {schedule!r:.60}")
        reset = check_mask("schedule.reset", schedule.reset, ndim=1)
        n_steps = len(reset)
        return Schedule(
            u=check_array("schedule.u", schedule.u, shape=(n_steps, self.params.n_in),
                          lo=-HUGE, hi=HUGE),
            reset=reset,
            target=check_array("schedule.target", schedule.target,
                               shape=(n_steps, self.w_out.shape[0]), lo=-HUGE, hi=HUGE),
            learn=check_mask("schedule.learn", schedule.learn, shape=(n_steps,)),
            restart=check_mask("schedule.restart", schedule.restart, shape=(n_steps,)))

    def _imperfect(self, synapses) -> Weights:
        """Check realised ``synapses`` against this network; the weights the devices hold."""
        if not isinstance(synapses, Realised):
            raise TypeError(f"synapses must be a Realised (mtjlib.imperfections.realise), got "
                            f"{type(synapses).__name__}: {synapses!r:.60}")
        return synapses.check(self)

    def run(self, n_steps: int, u=None, reset=None, record: bool = True,
            synapses: Realised | None = None) -> RunResult:
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
        synapses : mtjlib.imperfections.Realised, optional
            Imperfect synapses (default: ideal).
        """
        _int("n_steps", n_steps, 1, 10**9)
        check_bool("record", record)
        n_out = self.w_out.shape[0]
        per_step = 8 * (3 * n_out + 2 + self.params.n_in + (2 * self.n if record else 0))
        check_memory(f"run with n_steps={n_steps}", n_steps * per_step)
        sched = Schedule(u=self.inputs(u, n_steps), reset=self.reset_mask(reset, n_steps),
                         target=np.zeros((n_steps, n_out)),
                         learn=np.zeros(n_steps, dtype=np.bool_),
                         restart=np.zeros(n_steps, dtype=np.bool_))
        t = self.t_ns + self.params.dt_ns * np.arange(n_steps)
        rec = self.advance(sched, record=record, synapses=synapses)
        return RunResult(t_ns=t, z=rec.z, r=rec.r if record else None,
                         x=rec.x if record else None)


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
    x of :func:`mtjlib.thermal.noise_calibration`, >= 200 thermal junctions per point; at T = 0
    the deterministic F and no noise)."""
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

"""The configuration of Fig. 3's innate training and the builders of its network and runs.

:class:`InnateConfig` (every parameter, checked once), the period in whole steps, the network,
the trigger inputs, random initial states, the step body's schedule, noise and plasticity, the
memory estimate, and the shared checks of a config and a network (:mod:`mtjlib.training.innate`'s
and :mod:`mtjlib.tasks.drawing`'s functions start with them).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from mtjlib._validate import (
    check_bool,
    check_choice,
    check_instance,
    check_int,
    check_memory,
    check_real,
)
from mtjlib.networks.network import Network, build_network
from mtjlib.networks.network_params import DT_NS
from mtjlib.networks.step_types import Plasticity, Schedule, Weights
from mtjlib.training.force import ALPHA_MIN

__all__ = [
    "ACTIVATIONS",
    "InnateConfig",
    "check_config",
    "check_innate_net",
    "drive_noise",
    "innate_memory",
    "innate_plasticity",
    "input_schedule",
    "llg_network",
    "make_network",
    "period_steps",
    "random_state",
    "trigger_input",
]


#: Values of :attr:`InnateConfig.activation`: the MTJ's tabulated curve, or a clipped-linear unit.
ACTIVATIONS = ("mtj", "linear")
#: The clipped-linear unit as a table (x_grid, f_grid): r = x on [0, 1].
_LINEAR = (np.array([0.0, 1.0]), np.array([0.0, 1.0]))


@dataclass(frozen=True, kw_only=True)
class InnateConfig:
    """Parameters of Fig. 3 (network, trigger, noise, training and test)."""

    n_mtj: int = 800
    """Number of MTJ neurons (L&B: 800), in [2, 20000]; training needs about
    :func:`innate_memory` bytes (8 x 0.6 n (p n)^2 for the plastic rows' P: 25 MB at the defaults,
    checked against the machine before any work)."""
    p: float = 0.1
    """Connection probability of J (L&B: 0.1)."""
    g: float = 2.0
    """Recurrent gain. 2.0: the book's first choice for Fig. 3; at L&B's 1.5 the untrained
    network is chaotic too (nearby states grow apart 3-9-fold per period:
    :func:`~mtjlib.training.innate.divergence`,
    :func:`mtjlib.studies.fig3_ablation.growth_per_period` and the book's Fig. 3 pages)."""
    tau_ns: float = 10.0
    """Leak time constant, ns."""
    input_scale: float = 1.0
    """Input weights uniform in [-input_scale, input_scale]."""
    plastic_fraction: float = 0.6
    """Fraction of the units whose recurrent row is trained (L&B: 60 %)."""
    period_ns: float = 170.0
    """Period of the drawing, ns (rounded to whole steps, see :func:`period_steps`)."""
    trigger_amplitude: float = 5.0
    """Trigger pulse on input node 0 (L&B timing task: 5.0)."""
    trigger_steps: int = 10
    """Duration of the trigger pulse, steps of 1.5 ns (10 steps = 15 ns = 1.5 tau)."""
    noise: float = 0.001
    """Standard deviation of the Gaussian noise on every unit's drive current per step
    (normalised current, L&B's I0 = 0.001)."""
    n_recurrent_trials: int = 30
    """Recurrent (innate) training trials (L&B: 20-30). Principle: train until the training
    error (:attr:`~mtjlib.training.innate.TrainingLog.recurrent_error`, mean of calibration seeds
    100-102, which are neither the figure's seed nor the claim's 0-9) stops falling by more than
    0.5 % per trial (:func:`~mtjlib.training.innate.recurrent_plateau` with ``tol=0.005``): 30
    trials at the defaults (15 at 1 %, 12 at 2 %); ``python -m mtjbook.bench.innate --calibrate``
    re-measures it."""
    n_readout_trials: int | None = None
    """Readout (FORCE) training trials; ``None``: by the rule of
    ``readout_samples_per_weight`` (:attr:`readout_trials`). L&B used 10 trials of about
    2000 steps, i.e. about 8 readout updates per weight; one trial here is one period of 113
    steps (52 updates), so 10 trials would give 0.65 updates per weight at N = 800."""
    readout_samples_per_weight: float = 4.0
    """The rule behind ``n_readout_trials=None``: readout RLS updates (over all readout
    trials) >= this multiple of the number of readout weights per output, N; i.e.
    ``ceil(readout_samples_per_weight * N / updates_per_trial)`` trials. 4 (not L&B's 8): the
    half that keeps the paper-scale page within its time budget."""
    learn_every: int = 2
    """RLS updates every this many steps inside the training window (L&B: 2)."""
    alpha_recurrent: float = 1.0
    """P(0) = I / alpha for every plastic row."""
    alpha_readout: float = 1.0
    """P(0) = I / alpha for the readout."""
    amplitude: float = 0.8
    """Larger half-extent of the character (target units)."""
    pen_up_speed_ratio: float = 1.0
    """Pen-up speed / ink speed of the character path."""
    init_range: tuple[float, float] = (-2.0, 3.0)
    """Random initial drives are uniform in this range (normalised current). The drive of the
    free MTJ network leaves the clip range [0, 1]: its 1st-99th percentiles are about
    [-2.1, 3.2] at g = 2, so initial states drawn from [0, 1] only would miss most of the
    states the network visits (and starts a later period from)."""
    activation: str = "mtj"
    """The neurons' response to the clipped drive: ``"mtj"`` (each junction's tabulated
    Delta R curve, the paper's neuron) or ``"linear"`` (r = clip(x, 0, 1), the rate unit of a
    textbook network; the MTJ curve is linear on [0, 1] within 0.4 %). See :data:`ACTIVATIONS`."""
    bias: float = 0.5
    """Constant drive b of every unit (normalised current): the operating point. 0.5, the
    centre of the input range [0, 1], is where a circuit designer would bias the junctions."""
    readout_noise: bool = False
    """Noise (``noise``) on the drive during readout training too (L&B keep it on; False, the
    book's Fig. 3: off, as in FORCE for Figs. 2 and 4). Its draws come from a child stream
    spawned after the readout's other draws, so the initial states stay the same."""
    readout_whole_period: bool = False
    """The readout learns over the whole period, the trigger's steps included. False (L&B's
    training window): from the trigger's end only; the drawing error counts every step of the
    period, so the trigger's steps are then drawn by a readout never trained on them."""
    trigger_before: bool = False
    """The trigger comes *before* each drawn period (Laje and Buonomano's protocol: a pulse,
    then the pattern): every cycle is ``trigger_steps`` of pulse followed by the ``steps`` of
    the drawn period (``cycle_steps`` in all), the readout learns and the drawing is judged on
    the drawn steps only. False: the trigger fills the first ``trigger_steps`` of each period,
    and the whole period is judged."""

    def __post_init__(self):
        check_int("n_mtj", self.n_mtj, 2, 20_000)  # NetworkParams.n: memory 17 n^2 bytes
        check_real("p", self.p, 0.0, 1.0, lo_open=True)
        check_real("g", self.g, 0.0, 1e3)
        check_real("tau_ns", self.tau_ns, DT_NS, 1e9, unit="ns")
        check_real("input_scale", self.input_scale, 0.0, 1e6)
        check_real("plastic_fraction", self.plastic_fraction, 0.0, 1.0)
        check_real("period_ns", self.period_ns, 2 * DT_NS, 1e7, unit="ns")
        check_real("trigger_amplitude", self.trigger_amplitude, -1e6, 1e6)
        check_int("trigger_steps", self.trigger_steps, 1, 10**6)
        if self.trigger_steps >= period_steps(self.period_ns):
            raise ValueError(f"trigger_steps={self.trigger_steps} must be shorter than the period "
                             f"({period_steps(self.period_ns)} steps)")
        check_real("noise", self.noise, 0.0, 1e3)
        check_int("n_recurrent_trials", self.n_recurrent_trials, 0, 10**6)
        if self.n_readout_trials is not None:
            check_int("n_readout_trials", self.n_readout_trials, 1, 10**6)
        check_real("readout_samples_per_weight", self.readout_samples_per_weight, 0.0, 1e6,
                   lo_open=True)
        check_int("learn_every", self.learn_every, 1, 10**6)
        check_real("alpha_recurrent", self.alpha_recurrent, ALPHA_MIN, 1e12)
        check_real("alpha_readout", self.alpha_readout, ALPHA_MIN, 1e12)
        check_real("amplitude", self.amplitude, 0.0, 1e6, lo_open=True)
        check_real("pen_up_speed_ratio", self.pen_up_speed_ratio, 0.0, 1e6, lo_open=True)
        if not isinstance(self.init_range, (tuple, list)) or len(self.init_range) != 2:
            raise TypeError(f"init_range={self.init_range!r} must be a pair (lo, hi)")
        check_real("init_range[0]", self.init_range[0], -1e3, 1e3)
        check_real("init_range[1]", self.init_range[1], self.init_range[0], 1e3)
        object.__setattr__(self, "init_range", (float(self.init_range[0]),
                                                float(self.init_range[1])))
        check_choice("activation", self.activation, ACTIVATIONS)
        check_real("bias", self.bias, -1e3, 1e3)
        check_bool("readout_noise", self.readout_noise)
        check_bool("readout_whole_period", self.readout_whole_period)
        check_bool("trigger_before", self.trigger_before)
        if self.trigger_before and self.readout_whole_period:
            raise ValueError("trigger_before=True puts the trigger's steps outside the drawn "
                             "period, where the readout has no target: readout_whole_period "
                             "must be False with it")

    def replace(self, **changes) -> InnateConfig:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    @property
    def steps(self) -> int:
        """Steps per period."""
        return period_steps(self.period_ns)

    @property
    def cycle_steps(self) -> int:
        """Steps of one cycle of the inputs: ``steps``, plus the trigger's steps when
        ``trigger_before`` (the pulse, then the drawn period)."""
        return self.steps + (self.trigger_steps if self.trigger_before else 0)

    @property
    def drawn_start(self) -> int:
        """Index within a cycle of the drawn period's first step: ``trigger_steps`` when
        ``trigger_before``, else 0 (the trigger is inside the drawn period)."""
        return self.trigger_steps if self.trigger_before else 0

    @property
    def updates_per_trial(self) -> int:
        """Readout RLS updates in one training trial (one cycle, every ``learn_every`` steps
        from the trigger's end, or from the start if ``readout_whole_period``)."""
        start = 0 if self.readout_whole_period else self.trigger_steps
        return len(range(start, self.cycle_steps, self.learn_every))

    @property
    def readout_trials(self) -> int:
        """Readout training trials: ``n_readout_trials`` if given, else the smallest count with
        at least ``readout_samples_per_weight * n_mtj`` readout updates."""
        if self.n_readout_trials is not None:
            return self.n_readout_trials
        return max(1, math.ceil(self.readout_samples_per_weight * self.n_mtj
                                / self.updates_per_trial))


def period_steps(period_ns: float, dt_ns: float = DT_NS) -> int:
    """Steps per period: ``round(period_ns / dt_ns)`` (170 ns -> 113 steps = 169.5 ns)."""
    check_real("period_ns", period_ns, 0.0, math.inf, lo_open=True, unit="ns")
    check_real("dt_ns", dt_ns, 0.0, math.inf, lo_open=True, unit="ns")
    return max(1, round(period_ns / dt_ns))


def make_network(config: InnateConfig, seed=0, **build_kw) -> Network:
    """The Fig. 3 network: ``n_mtj`` MTJs, 2 inputs, 2 outputs, no output feedback.

    ``build_kw`` goes to :func:`mtjlib.networks.network.build_network` (e.g. ``activation=`` for a
    tanh network in tests, ``neuron_mode="llg"``). ``seed`` as for ``build_network``.
    ``config.activation == "linear"`` builds clipped-linear units (a lookup table r = x on
    [0, 1]; then ``build_kw`` may not give another ``activation``).
    """
    check_config(config)
    check_memory(f"innate training with n_mtj={config.n_mtj}, p={config.p}", innate_memory(config))
    kw = {"n": config.n_mtj, "p": config.p, "g": config.g, "tau_ns": config.tau_ns, "n_in": 2, "n_out": 2,
              "feedback_scale": 0.0, "input_scale": config.input_scale, "bias": config.bias}
    if config.activation == "linear":
        if "activation" in build_kw:
            raise ValueError("config.activation='linear' and an activation= in build_kw: give one")
        kw["activation"] = _LINEAR
    kw.update(build_kw)
    return build_network(seed=seed, **kw)


def trigger_input(config: InnateConfig, n_periods: int = 1, *, perturb_step: int | None = None,
                  perturb_amplitude: float = 0.0, perturb_steps: int = 0) -> np.ndarray:
    """Inputs (n_periods * cycle_steps, 2): node 0 the trigger at the start of each cycle
    (inside the period, or before it with ``config.trigger_before``), node 1 zero except an
    optional perturbation pulse of ``perturb_steps`` steps at ``perturb_step``."""
    check_config(config)
    check_int("n_periods", n_periods, 1, 10**6)
    T = config.cycle_steps
    u = np.zeros((n_periods * T, 2))
    for k in range(n_periods):
        u[k * T:k * T + config.trigger_steps, 0] = config.trigger_amplitude
    if perturb_step is not None:
        check_int("perturb_step", perturb_step, 0, n_periods * T - 1)
        check_int("perturb_steps", perturb_steps, 1, n_periods * T)
        check_real("perturb_amplitude", perturb_amplitude, -1e6, 1e6)
        u[perturb_step:perturb_step + perturb_steps, 1] = perturb_amplitude
    return u


def check_config(config):
    """Raise a TypeError unless ``config`` is an :class:`InnateConfig` (its fields were checked
    when it was made): the first check of every function of Fig. 3 that takes a config."""
    if not isinstance(config, InnateConfig):
        raise TypeError(f"config must be an InnateConfig, got "
                        f"{type(config).__name__}: {config!r:.60}")


def innate_memory(config: InnateConfig) -> int:
    """Bytes the innate training of ``config`` needs at its peak: one dense P per plastic row
    over that row's inputs (about ``p n`` of them: 8 (p n)^2 bytes per row, 25 MB for the
    paper's n = 800, p = 0.1 and 60 % plastic) plus the network's construction."""
    check_config(config)
    n = config.n_mtj
    k = config.p * n
    return int(8 * config.plastic_fraction * n * k * k + 17 * n * n)


def check_innate_net(net):
    """Raise unless ``net`` is a :class:`~mtjlib.networks.network_object.Network` with the Fig. 3
    shape: two inputs (trigger, perturbation) and two outputs (x, y) (TypeError, ValueError)."""
    if not isinstance(net, Network):
        raise TypeError(f"net must be a Network, got {type(net).__name__}: {net!r:.60}")
    if net.params.n_in != 2 or net.params.n_out != 2:
        raise ValueError(f"net must have n_in=2 and n_out=2, got n_in={net.params.n_in}, "
                         f"n_out={net.params.n_out}")


def random_state(net: Network, config: InnateConfig, rng: np.random.Generator) -> np.ndarray:
    """A random initial drive, uniform in ``config.init_range``, (n,)."""
    check_innate_net(net)
    check_config(config)
    check_instance("rng", rng, np.random.Generator)
    lo, hi = config.init_range
    return rng.uniform(lo, hi, net.n)


def innate_plasticity(net, noise, learn=None, target=None, rowp=None):
    """The :class:`~mtjlib.networks.step_types.Plasticity` of one run of ``net``: ``noise`` (T, n)
    on the drive (``None``: none) and, if ``rowp`` (a :func:`mtjlib.networks.rls.row_p`) is given,
    the recurrent RLS of its rows toward ``target`` (T, n) at the steps where ``learn`` (T,) is
    True; unused parts are empty arrays."""
    n = net.n
    empty = np.zeros((0, n))
    return Plasticity(noise=noise if noise is not None else empty,
                      learn=learn if learn is not None else np.zeros(0, dtype=np.bool_),
                      target=target if target is not None else empty,
                      P=rowp.P if rowp is not None else np.zeros(0),
                      off=rowp.off if rowp is not None else np.zeros(1, dtype=np.int64),
                      rows=rowp.rows if rowp is not None else np.zeros(0, dtype=np.int64),
                      lam=1.0)


def input_schedule(u):
    """The :class:`~mtjlib.networks.step_types.Schedule` of a run driven by the inputs ``u`` (T, 2)
    alone: no reset, no target, no readout learning, no restart."""
    T = len(u)
    return Schedule(u=np.ascontiguousarray(u), reset=np.zeros(T, dtype=np.bool_),
                    target=np.zeros((T, 2)), learn=np.zeros(T, dtype=np.bool_),
                    restart=np.zeros(T, dtype=np.bool_))


def drive_noise(net, sd, T, rng):
    """Gaussian noise of standard deviation ``sd`` on each of ``net``'s n drives at each of
    ``T`` steps, (T, n), drawn from ``rng``; ``None`` (and no draw) if ``sd`` is 0."""
    return sd * rng.standard_normal((T, net.n)) if sd > 0 else None


def llg_network(net: Network, *, llg_dt: float | None = None) -> Network:
    """A copy of the (trained) ``net`` whose neurons integrate the LLG equation at every
    evaluation, deterministic (temperature 0): same J, W_in, b, x0 and readout.

    The junctions are the calibrated default device of
    :func:`~mtjlib.networks.network.build_network` (the same as behind the lookup tables of
    :func:`make_network`). ``llg_dt`` (s) is passed to ``build_network`` if given.
    """
    check_innate_net(net)
    if net.params.neuron_mode != "lookup":
        raise ValueError(f"net must be in neuron_mode='lookup', got {net.params.neuron_mode!r}")
    kw = {} if llg_dt is None else {"llg_dt": llg_dt}
    params = net.params.replace(neuron_mode="llg", temperature=0.0)
    other = build_network(params, 0, **kw)
    w = net.weights
    weights = Weights(indptr=w.indptr.copy(), indices=w.indices.copy(), data=w.data.copy(),
                      w_f=w.w_f.copy(), w_in=w.w_in.copy(), b=w.b.copy())
    return dataclasses.replace(other, weights=weights, x0=net.x0.copy(), x=net.x.copy(),
                               w_out=net.w_out.copy(), t_ns=0.0, counter=0)

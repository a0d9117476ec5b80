"""Innate training (Laje & Buonomano 2013) of an MTJ network that writes a character (Fig. 3).

The procedure, every step of it the network's one step body (:meth:`~mtjlib.network.Network.advance` with a
:class:`~mtjlib.dynamics.Plasticity` for the noise and the recurrent RLS):

1. **Innate trajectory.** From a random initial state, noise off, the trigger pulse on input 0,
   one period is recorded: every unit's rate at every step, ``r_innate`` (T, n).
2. **Recurrent training.** For ``n_recurrent_trials`` trials, each from a new random initial
   state with noise on the drive current, the plastic rows of J (the first
   ``plastic_fraction`` of the units) are trained row by row with RLS over each row's existing
   inputs toward ``r_innate``, every ``learn_every`` steps inside the training window (from the
   end of the trigger to the end of the period). The error of each trial (RMS of
   ``r - r_innate`` over the plastic units and the window, before the updates) is reported.
3. **Readout training.** J frozen; for ``readout_trials`` trials from random initial states,
   the two readouts (x, y) learn the character with FORCE (the RLS step of
   :func:`mtjlib.force.force_train`), P carried from trial to trial, every ``learn_every`` steps
   inside the window. Noise is off in this phase unless ``readout_noise`` (L&B keep it on), as
   in FORCE training for Figs. 2 and 4; the random initial states remain.
4. **Test.** Random initial states, noise on, ``n_test_periods`` periods with the trigger at the
   start of each period; the readouts are fixed and nothing else enters the network.

The two input nodes carry the *same* thing during readout training and at test: node 0 the
trigger pulse at the start of every period, node 1 nothing (it is the perturbation channel,
zero unless a perturbation is asked for). The target never enters the network: the drawing is
produced by the trained dynamics alone (a target on the inputs at test would make the test
trivial, and a target on the inputs during training only would train the readout on states the
network never visits at test).

The period: 170 ns is 113.3 steps of 1.5 ns. The trigger must come on a step, so the period is
rounded to a whole number of steps, ``round(period_ns / dt_ns)`` (113 steps = 169.5 ns, 0.3 %
short), and the character path is built with that period (:func:`period_steps`).

References
----------
Length: about 660 lines, 435 of them code: the three steps of innate training, their evaluation
and the trial-count rules share one configuration object and its checks; splitting them would
split the algorithm the page documents in one place.

.. [1] R. Laje and D. V. Buonomano, "Robust timing and motor patterns by taming chaos in recurrent
   neural networks", Nat. Neurosci. 16, 925 (2013).
.. [2] Q. Zheng et al., AIP Advances 10, 025116 (2020), Fig. 3.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from ._validate import (
    HUGE,
    check_array,
    check_bool,
    check_choice,
    check_indices,
    check_instance,
    check_int,
    check_memory,
    check_real,
    check_seed,
    rng_from,
)
from .character import CharacterPath, character_path
from .dynamics import Learning, Plasticity, Schedule, Weights
from .force import ALPHA_MIN
from .metrics import SQUARE_SAFE
from .network import DT_NS, Network, build_network
from .rls import row_p

__all__ = [
    "ACTIVATIONS",
    "DrawingResult",
    "InnateConfig",
    "InnateRun",
    "TrainingLog",
    "divergence",
    "drawing_error",
    "drawing_path",
    "evaluate_drawing",
    "innate_memory",
    "innate_trial",
    "llg_network",
    "make_network",
    "period_steps",
    "record_innate",
    "recurrent_plateau",
    "run_innate",
    "train_readout",
    "train_recurrent",
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
    network is chaotic too (nearby states grow apart 3-9-fold per period: :func:`divergence`,
    :func:`mtjlib.ablation.growth_per_period` and the book's Fig. 3 pages)."""
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
    error (:attr:`TrainingLog.recurrent_error`, mean of calibration seeds 100-102, which are
    neither the figure's seed nor the claim's 0-9) stops falling by more than 0.5 % per trial
    (:func:`recurrent_plateau` with ``tol=0.005``): 30 trials at the defaults (15 at 1 %,
    12 at 2 %); ``python -m mtjbook.bench_innate --calibrate`` re-measures it."""
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

    def replace(self, **changes) -> InnateConfig:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    @property
    def steps(self) -> int:
        """Steps per period."""
        return period_steps(self.period_ns)

    @property
    def updates_per_trial(self) -> int:
        """Readout RLS updates in one training trial (one period, every ``learn_every`` steps
        from the trigger's end, or from the start if ``readout_whole_period``)."""
        start = 0 if self.readout_whole_period else self.trigger_steps
        return len(range(start, self.steps, self.learn_every))

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

    ``build_kw`` goes to :func:`mtjlib.network.build_network` (e.g. ``activation=`` for a tanh
    network in tests, ``neuron_mode="llg"``). ``seed`` as for ``build_network``.
    ``config.activation == "linear"`` builds clipped-linear units (a lookup table r = x on
    [0, 1]; then ``build_kw`` may not give another ``activation``).
    """
    _check_config(config)
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
    """Inputs (n_periods * steps, 2): node 0 the trigger at the start of each period, node 1
    zero except an optional perturbation pulse of ``perturb_steps`` steps at ``perturb_step``."""
    _check_config(config)
    check_int("n_periods", n_periods, 1, 10**6)
    T = config.steps
    u = np.zeros((n_periods * T, 2))
    for k in range(n_periods):
        u[k * T:k * T + config.trigger_steps, 0] = config.trigger_amplitude
    if perturb_step is not None:
        check_int("perturb_step", perturb_step, 0, n_periods * T - 1)
        check_int("perturb_steps", perturb_steps, 1, n_periods * T)
        check_real("perturb_amplitude", perturb_amplitude, -1e6, 1e6)
        u[perturb_step:perturb_step + perturb_steps, 1] = perturb_amplitude
    return u


def _check_config(config):
    if not isinstance(config, InnateConfig):
        raise TypeError(f"config must be an InnateConfig, got "
                        f"{type(config).__name__}: {config!r:.60}")


def innate_memory(config: InnateConfig) -> int:
    """Bytes the innate training of ``config`` needs at its peak: one dense P per plastic row
    over that row's inputs (about ``p n`` of them: 8 (p n)^2 bytes per row, 25 MB for the
    paper's n = 800, p = 0.1 and 60 % plastic) plus the network's construction."""
    _check_config(config)
    n = config.n_mtj
    k = config.p * n
    return int(8 * config.plastic_fraction * n * k * k + 17 * n * n)


def _check_net(net):
    if not isinstance(net, Network):
        raise TypeError(f"net must be a Network, got {type(net).__name__}: {net!r:.60}")
    if net.params.n_in != 2 or net.params.n_out != 2:
        raise ValueError(f"net must have n_in=2 and n_out=2, got n_in={net.params.n_in}, "
                         f"n_out={net.params.n_out}")


def random_state(net: Network, config: InnateConfig, rng: np.random.Generator) -> np.ndarray:
    """A random initial drive, uniform in ``config.init_range``, (n,)."""
    _check_net(net)
    _check_config(config)
    check_instance("rng", rng, np.random.Generator)
    lo, hi = config.init_range
    return rng.uniform(lo, hi, net.n)


def _plasticity(net, noise, learn=None, target=None, rowp=None, n_steps=0):
    n = net.n
    empty = np.zeros((0, n))
    return Plasticity(noise=noise if noise is not None else empty,
                      learn=learn if learn is not None else np.zeros(0, dtype=np.bool_),
                      target=target if target is not None else empty,
                      P=rowp.P if rowp is not None else np.zeros(0),
                      off=rowp.off if rowp is not None else np.zeros(1, dtype=np.int64),
                      rows=rowp.rows if rowp is not None else np.zeros(0, dtype=np.int64),
                      lam=1.0)


def _schedule(u):
    T = len(u)
    return Schedule(u=np.ascontiguousarray(u), reset=np.zeros(T, dtype=np.bool_),
                    target=np.zeros((T, 2)), learn=np.zeros(T, dtype=np.bool_),
                    restart=np.zeros(T, dtype=np.bool_))


def _noise(net, sd, T, rng):
    return sd * rng.standard_normal((T, net.n)) if sd > 0 else None


def learn_window(config: InnateConfig) -> np.ndarray:
    """(steps,) bool: the RLS steps of one period, every ``learn_every`` from the trigger's end."""
    _check_config(config)
    k = np.arange(config.steps)
    return (k >= config.trigger_steps) & ((k - config.trigger_steps) % config.learn_every == 0)


def record_innate(net: Network, config: InnateConfig, seed=0) -> np.ndarray:
    """Step 1: the innate trajectory, rates (steps, n) of one period after the trigger from a
    random initial state, noise off. Returns the recorded rates."""
    _check_net(net)
    _check_config(config)
    rng = rng_from(seed)
    net.reset(random_state(net, config, rng))
    rec = net.advance(_schedule(trigger_input(config)), record=True)
    return rec.r.copy()


@dataclass(frozen=True)
class TrainingLog:
    """Errors per training trial."""

    recurrent_error: np.ndarray
    """(n_recurrent_trials,) RMS of r - r_innate over plastic units and the window, per trial
    (before each step's update)."""
    readout_error: np.ndarray
    """(readout_trials,) 2-D RMS distance of the output from the target over the window, per
    trial (before each step's update), in target units."""
    plastic_rows: np.ndarray
    """(Q,) indices of the plastic units."""


def plastic_rows(n: int, fraction: float) -> np.ndarray:
    """The plastic units: the first ``round(fraction * n)`` (L&B: the first 60 %)."""
    check_int("n", n, 1, 10**7)
    check_real("fraction", fraction, 0.0, 1.0)
    return np.arange(round(fraction * n), dtype=np.int64)


def train_recurrent(net: Network, innate: np.ndarray, config: InnateConfig, seed=0,
                    *, rows=None) -> np.ndarray:
    """Step 2: train the plastic rows of J toward ``innate`` (steps, n) over
    ``config.n_recurrent_trials`` trials (random initial states, noise on). J changes in place.

    Returns the (n_recurrent_trials,) error per trial (see :class:`TrainingLog`).
    """
    _check_net(net)
    _check_config(config)
    T = config.steps
    innate = check_array("innate", innate, shape=(T, net.n), lo=-HUGE, hi=HUGE)
    rows = plastic_rows(net.n, config.plastic_fraction) if rows is None else \
        check_indices("rows", rows, net.n)
    check_seed("seed", seed)
    rng = rng_from(seed)
    rowp = row_p(net.weights.indptr, rows, config.alpha_recurrent)
    learn = learn_window(config)
    window = np.arange(T) >= config.trigger_steps
    sched = _schedule(trigger_input(config))
    err = np.empty(config.n_recurrent_trials)
    for k in range(config.n_recurrent_trials):
        net.reset(random_state(net, config, rng))
        plast = _plasticity(net, _noise(net, config.noise, T, rng), learn, innate, rowp)
        rec = net.advance(sched, plasticity=plast, record=True)
        d = rec.r[window][:, rows] - innate[window][:, rows]
        err[k] = math.sqrt(float(np.mean(d * d))) if d.size else 0.0
    return err


def train_readout(net: Network, path: CharacterPath, config: InnateConfig, seed=0) -> np.ndarray:
    """Step 3: FORCE on the two readouts over ``config.readout_trials`` trials from random
    initial states, noise off (on if ``config.readout_noise``), P carried from trial to trial. Returns the (readout_trials,)
    error per trial.

    The same RLS step as :func:`mtjlib.force.force_train` (the network's step body with a
    :class:`~mtjlib.dynamics.Learning`), run trial after trial on one P: P is created and
    checked once, not copied and checked again at every trial (62 times 5 MB at the defaults).
    """
    _check_net(net)
    _check_config(config)
    T = config.steps
    rng = rng_from(seed)
    f = _target(path, T)
    window = np.arange(T) >= (0 if config.readout_whole_period else config.trigger_steps)
    # force_train's rule: learn on the steps of the window whose index is a multiple of learn_every
    sched = _schedule(trigger_input(config))._replace(
        target=f, learn=window & (np.arange(T) % config.learn_every == 0))
    learning = Learning(P=np.eye(net.n) / config.alpha_readout,
                        alpha=float(config.alpha_readout), lam=1.0)
    # readout_noise: its own child stream, so the initial states are those of a noise-free run
    noise_rng = rng.spawn(1)[0] if config.readout_noise else None
    err = np.empty(config.readout_trials)
    for k in range(config.readout_trials):
        net.reset(random_state(net, config, rng))
        plast = None if noise_rng is None else _plasticity(net, _noise(net, config.noise, T,
                                                                        noise_rng))
        z = net.advance(sched, learning, plast).z
        d = z[window] - f[window]
        err[k] = math.sqrt(float(np.mean(np.sum(d * d, axis=1))))
        if not (math.isfinite(err[k]) and np.all(np.isfinite(net.w_out))
                and np.all(np.isfinite(learning.P))):
            raise ValueError(f"readout training overflowed at trial {k} with "
                             f"alpha_readout={config.alpha_readout!r}: use a larger alpha")
    return err


def _target(path, T):
    if not isinstance(path, CharacterPath):
        raise TypeError(f"path={path!r:.80} must be a CharacterPath, got {type(path).__name__}")
    if len(path.t_ns) != T:
        raise ValueError(f"path has {len(path.t_ns)} samples per period, the network {T}: build "
                         "it with period_ns = steps * dt_ns (see period_steps)")
    return np.ascontiguousarray(path.xy)


def drawing_error(z, target) -> np.ndarray:
    """Claim F3's metric: per period, the 2-D RMS distance between output and target divided
    by the target's bounding-box diagonal.

    Parameters
    ----------
    z : array_like, (..., n_periods * T, 2)
        Outputs (x, y).
    target : array_like, (T, 2)
        One period of the target.

    Returns
    -------
    numpy.ndarray
        (..., n_periods) relative errors (dimensionless).

    Raises
    ------
    ValueError
        Shapes that do not match, values beyond +-1e150 (their squares would overflow), a
        target without extent, or an error too large for float64 next to the target's
        diagonal (never an inf).
    """
    f = check_array("target", target, shape=(None, 2), min_size=2, lo=-HUGE, hi=HUGE)
    z = check_array("z", z, lo=-HUGE, hi=HUGE)
    T = len(f)
    if z.ndim < 2 or z.shape[-1] != 2 or z.shape[-2] % T or z.shape[-2] == 0:
        raise ValueError(f"z has shape {z.shape}, expected (..., k * {T}, 2) with k >= 1 "
                         f"(T = {T} rows of target)")
    top = max(float(np.max(np.abs(z))), float(np.max(np.abs(f))))
    if 0 < top < 1 / SQUARE_SAFE:  # squares would underflow: rescale by a power of two (exact)
        scale = 2.0 ** -int(np.frexp(top)[1])
        z, f = z * scale, f * scale
    diag = float(np.hypot(*(f.max(axis=0) - f.min(axis=0))))
    if not diag > 0:
        raise ValueError(f"target has a zero bounding box (all {T} points equal)")
    zz = z.reshape(z.shape[:-2] + (z.shape[-2] // T, T, 2))
    d2 = np.sum((zz - f) ** 2, axis=-1)
    with np.errstate(over="ignore"):
        err = np.sqrt(d2.mean(axis=-1)) / diag
    if not np.all(np.isfinite(err)):
        raise ValueError(f"target's bounding-box diagonal {diag:g} is too small next to the "
                         "distance of z from it: the relative error overflows float64")
    return err


@dataclass(frozen=True)
class DrawingResult:
    """Test drawings: outputs, target, error per period."""

    z: np.ndarray
    """(n_trials, n_periods * T, 2) outputs."""
    target: np.ndarray
    """(T, 2) one period of the target."""
    error: np.ndarray
    """(n_trials, n_periods) :func:`drawing_error`."""
    u: np.ndarray
    """(n_periods * T, 2) the inputs of every test trial."""
    r: np.ndarray | None
    """(n_trials, n_periods * T, n_rec) rates of the recorded units, if asked."""

    @property
    def trial_error(self) -> np.ndarray:
        """(n_trials,) mean error over the periods of each trial."""
        return self.error.mean(axis=1)

    @property
    def mean_error(self) -> float:
        """Mean over trials and periods (claim F3's value on one seed)."""
        return float(self.error.mean())


def evaluate_drawing(net: Network, path: CharacterPath, config: InnateConfig, seed=0, *,
                 n_trials: int = 10, n_periods: int = 3, noise: float | None = None,
                 u=None, record_units=None) -> DrawingResult:
    """Step 4: ``n_trials`` runs of ``n_periods`` periods from random initial states, noise on
    (``config.noise`` unless ``noise`` is given), trigger at each period, readouts fixed.

    ``u`` replaces the inputs (e.g. :func:`trigger_input` with a perturbation); ``record_units``
    (distinct integer indices in [0, n)) keeps those units' rates.
    """
    _check_net(net)
    _check_config(config)
    check_int("n_trials", n_trials, 1, 10**6)
    check_int("n_periods", n_periods, 1, 10**6)
    units = None if record_units is None else check_indices("record_units", record_units, net.n)
    sd = config.noise if noise is None else noise
    check_real("noise", sd, 0.0, 1e3)
    T = config.steps
    f = _target(path, T)
    u = trigger_input(config, n_periods) if u is None else check_array(
        "u", u, shape=(n_periods * T, 2))
    rng = rng_from(seed)
    sched = _schedule(u)
    zs, rs = [], []
    for _ in range(n_trials):
        net.reset(random_state(net, config, rng))
        rec = net.advance(sched, plasticity=_plasticity(net, _noise(net, sd, len(u), rng)),
                          record=units is not None)
        zs.append(rec.z)
        if units is not None:
            rs.append(rec.r[:, units])
    z = np.array(zs)
    return DrawingResult(z=z, target=f, error=drawing_error(z, f), u=u,
                         r=np.array(rs) if units is not None else None)


def divergence(net: Network, n_steps: int = 300, eps: float = 1e-6, seed=0,
               u=None, *, config: InnateConfig | None = None) -> np.ndarray:
    """Distance (RMS over units, of the rates) between two runs from states ``eps`` apart.

    Evidence of chaos: it grows exponentially (until it saturates) in a chaotic network and
    shrinks in a stable one. Noise off. Returns (n_steps,).
    """
    _check_net(net)
    config = InnateConfig() if config is None else config
    _check_config(config)
    check_int("n_steps", n_steps, 1, 10**8)
    check_real("eps", eps, 0.0, 1.0, lo_open=True)
    rng = rng_from(seed)
    u = np.zeros((n_steps, 2)) if u is None else check_array("u", u, shape=(n_steps, 2))
    x = random_state(net, config, rng)
    dx = rng.standard_normal(net.n)
    dx *= eps / math.sqrt(float(np.mean(dx * dx)))
    net.reset(x)
    a = net.advance(_schedule(u), record=True).r
    net.reset(x + dx)
    b = net.advance(_schedule(u), record=True).r
    return np.sqrt(np.mean((a - b) ** 2, axis=1))


@dataclass(frozen=True)
class InnateRun:
    """One Fig. 3 run: the trained network, its training log and its test drawings."""

    net: Network
    """The trained network (J's plastic rows and the readout trained)."""
    path: CharacterPath
    """The target (period rounded to whole steps)."""
    innate: np.ndarray
    """(T, n) innate trajectory."""
    log: TrainingLog
    test: DrawingResult
    readout_only: bool
    """True: recurrent training skipped (the comparison network): asked for with
    ``readout_only=True``, or ``config.n_recurrent_trials == 0`` (no recurrent trial: only the
    readout was trained, so the run says so)."""


def drawing_path(data, config: InnateConfig) -> CharacterPath:
    """The target of ``config``: the character's pen path over one period of ``config.steps``
    network steps, at ``config.amplitude`` and ``config.pen_up_speed_ratio`` (``data``: what
    :func:`mtjlib.character.character_path` accepts)."""
    _check_config(config)
    return character_path(data, period_ns=config.steps * DT_NS, dt_ns=DT_NS,
                          amplitude=config.amplitude,
                          pen_up_speed_ratio=config.pen_up_speed_ratio)


def run_innate(data, config: InnateConfig | None = None, seed=0, *, readout_only: bool = False,
               n_test: int = 10, n_test_periods: int = 3, record_units=None,
               **build_kw) -> InnateRun:
    """The whole Fig. 3 procedure on one network seed.

    Parameters
    ----------
    data : dict, str or path-like
        The character (what :func:`mtjlib.character.character_path` accepts).
    config : InnateConfig, optional
    seed : int or numpy.random.Generator
        Network, innate recording, training and test draws all come from it (the network and
        each phase from their own child streams, so ``readout_only`` sees the same network,
        readout-training states and test states).
    readout_only : bool
        Skip the recurrent training (the comparison network). A config with
        ``n_recurrent_trials=0`` trains no recurrent weight either: its run is reported as
        ``readout_only`` too (the same bits as ``readout_only=True``).
    n_test, n_test_periods : int
        Test trials and periods per trial, each in [1, 1e6].
    record_units : array_like of int, optional
        Units whose test rates are kept: distinct indices in [0, n_mtj).
    build_kw
        Passed to :func:`make_network`.

    Every argument is checked, under its name here, before the network is built.
    """
    config = InnateConfig() if config is None else config
    _check_config(config)
    check_memory(f"innate training with n_mtj={config.n_mtj}, p={config.p}", innate_memory(config))
    check_bool("readout_only", readout_only)
    check_int("n_test", n_test, 1, 10**6)
    check_int("n_test_periods", n_test_periods, 1, 10**6)
    if record_units is not None:
        check_indices("record_units", record_units, config.n_mtj)
    path = drawing_path(data, config)
    rng = rng_from(seed)
    s_net, s_inn, s_rec, s_out, s_test = rng.spawn(5)
    net = make_network(config, s_net, **build_kw)
    innate = record_innate(net, config, s_inn)
    rows = plastic_rows(net.n, config.plastic_fraction)
    readout_only = bool(readout_only) or config.n_recurrent_trials == 0
    if readout_only:
        rec_err = np.zeros(0)
    else:
        rec_err = train_recurrent(net, innate, config, s_rec, rows=rows)
    out_err = train_readout(net, path, config, s_out)
    test = evaluate_drawing(net, path, config, s_test, n_trials=n_test, n_periods=n_test_periods,
                        record_units=record_units)
    return InnateRun(net=net, path=path, innate=innate,
                     log=TrainingLog(recurrent_error=rec_err, readout_error=out_err,
                                     plastic_rows=rows),
                     test=test, readout_only=readout_only)


def innate_trial(value=None, seed=0, *, name: str | None = None, data=None,
                 config: InnateConfig | None = None, n_test: int = 10,
                 n_test_periods: int = 3) -> dict:
    """One network seed for :func:`mtjlib.sweep.sweep`: claim F3's numbers for the innate-trained
    network and for the same network with only its readout trained.

    ``name`` (an :class:`InnateConfig` field) is set to ``value``; ``name=None`` ignores it.
    Returns ``error`` and ``error_readout_only`` (mean :func:`drawing_error` over test trials
    and periods) and ``final_recurrent_error``.
    """
    config = InnateConfig() if config is None else config
    _check_config(config)
    if name is not None:
        if name not in InnateConfig.__dataclass_fields__:
            raise ValueError(f"name={name!r} is not an InnateConfig field "
                             f"({', '.join(InnateConfig.__dataclass_fields__)})")
        config = config.replace(**{name: value})
    if data is None:
        raise ValueError("data (the character) is required")
    a = run_innate(data, config, seed, n_test=n_test, n_test_periods=n_test_periods)
    b = run_innate(data, config, seed, readout_only=True, n_test=n_test,
                   n_test_periods=n_test_periods)
    rec = a.log.recurrent_error
    return {"error": a.test.mean_error, "error_readout_only": b.test.mean_error,
            "final_recurrent_error": float(rec[-1]) if len(rec) else float("nan")}


def recurrent_plateau(errors, tol: float = 0.01, window: int = 5) -> int:
    """The recurrent-trial count after which the training error stops falling by more than
    ``tol`` (relative) per trial: the principle behind ``InnateConfig.n_recurrent_trials``.

    Parameters
    ----------
    errors : array_like, (n_trials,) or (n_seeds, n_trials)
        :attr:`TrainingLog.recurrent_error` of one or several calibration seeds (averaged over
        seeds first).
    tol : float
        Relative fall per trial below which training has converged (0.01: 1 % per trial).
    window : int
        Trials per block: the fall per trial is that of the mean of one block of ``window``
        trials to the next, divided by ``window`` (one trial's error is noisy: each starts from
        a random state).

    Returns
    -------
    int
        The first k (>= 2 window) at which the block ending at trial k fell less than ``tol``
        per trial from the block before it; ``n_trials`` if it never did.
    """
    e = check_array("errors", errors, min_size=1, lo=0.0, hi=HUGE)
    if e.ndim == 2:
        e = e.mean(axis=0)
    if e.ndim != 1:
        raise ValueError(f"errors has shape {np.shape(errors)}, expected (n_trials,) or "
                         "(n_seeds, n_trials)")
    check_real("tol", tol, 0.0, 1.0, lo_open=True)
    check_int("window", window, 1, 10**6)
    for k in range(2 * window, len(e) + 1):
        a = float(e[k - 2 * window:k - window].mean())
        b = float(e[k - window:k].mean())
        if a <= 0 or (a - b) / (a * window) < tol:
            return k
    return len(e)


def llg_network(net: Network, *, llg_dt: float | None = None) -> Network:
    """A copy of the (trained) ``net`` whose neurons integrate the LLG equation at every
    evaluation, deterministic (temperature 0): same J, W_in, b, x0 and readout.

    The junctions are the calibrated default device of :func:`~mtjlib.network.build_network`
    (the same as behind the lookup tables of :func:`make_network`). ``llg_dt`` (s) is passed
    to ``build_network`` if given.
    """
    _check_net(net)
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

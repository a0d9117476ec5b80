"""Fig. 3's drawing: the readout trained to write the character, its test and the whole run.

Steps 3 and 4 of :mod:`mtjlib.training.innate`'s procedure (FORCE on the two readouts, then test
drawings from random states with noise), claim F3's metric (:func:`drawing_error`), and
:func:`run_innate`, the end-to-end Fig. 3 task on one network seed (:func:`innate_trial`: the
same for :func:`mtjlib.sweep.sweep`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from mtjlib._validate import (
    HUGE,
    check_array,
    check_bool,
    check_indices,
    check_int,
    check_memory,
    check_real,
    rng_from,
)
from mtjlib.networks.network import Network
from mtjlib.networks.network_params import DT_NS
from mtjlib.networks.step_types import Learning
from mtjlib.tasks.character import CharacterPath, character_path
from mtjlib.tasks.metrics import SQUARE_SAFE
from mtjlib.training.innate import TrainingLog, plastic_rows, record_innate, train_recurrent
from mtjlib.training.innate_config import (
    InnateConfig,
    check_config,
    check_innate_net,
    drive_noise,
    innate_memory,
    innate_plasticity,
    input_schedule,
    make_network,
    random_state,
    trigger_input,
)

__all__ = [
    "DrawingResult",
    "InnateRun",
    "drawing_error",
    "drawing_path",
    "evaluate_drawing",
    "innate_trial",
    "run_innate",
    "train_readout",
]


def train_readout(net: Network, path: CharacterPath, config: InnateConfig, seed=0) -> np.ndarray:
    """Step 3: FORCE on the two readouts over ``config.readout_trials`` trials from random
    initial states, noise off (on if ``config.readout_noise``), P carried from trial to trial.
    Returns the (readout_trials,) error per trial.

    The same RLS step as :func:`mtjlib.training.force.force_train` (the network's step body with a
    :class:`~mtjlib.networks.step_types.Learning`), run trial after trial on one P: P is created and
    checked once, not copied and checked again at every trial (62 times 5 MB at the defaults).
    """
    check_innate_net(net)
    check_config(config)
    T = config.cycle_steps
    rng = rng_from(seed)
    f = _cycle_target(_target(path, config.steps), config)
    window = np.arange(T) >= (0 if config.readout_whole_period else config.trigger_steps)
    # force_train's rule: learn on the steps of the window whose index is a multiple of learn_every
    sched = input_schedule(trigger_input(config))._replace(
        target=f, learn=window & (np.arange(T) % config.learn_every == 0))
    learning = Learning(P=np.eye(net.n) / config.alpha_readout,
                        alpha=float(config.alpha_readout), lam=1.0)
    # readout_noise: its own child stream, so the initial states are those of a noise-free run
    noise_rng = rng.spawn(1)[0] if config.readout_noise else None
    err = np.empty(config.readout_trials)
    for k in range(config.readout_trials):
        net.reset(random_state(net, config, rng))
        plast = None if noise_rng is None else innate_plasticity(
            net, drive_noise(net, config.noise, T, noise_rng))
        z = net.advance(sched, learning, plast).z
        d = z[window] - f[window]
        err[k] = math.sqrt(float(np.mean(np.sum(d * d, axis=1))))
        if not (math.isfinite(err[k]) and np.all(np.isfinite(net.w_out))
                and np.all(np.isfinite(learning.P))):
            raise ValueError(f"readout training overflowed at trial {k} with "
                             f"alpha_readout={config.alpha_readout!r}: use a larger alpha")
    return err


def _cycle_target(f, config):
    """The target over one cycle, (cycle_steps, 2): the drawn period's ``f`` after
    ``drawn_start`` steps of zeros (the trigger's steps before it, on which the readout never
    learns: ``readout_whole_period`` is refused with ``trigger_before``)."""
    if config.drawn_start == 0:
        return f
    out = np.zeros((config.cycle_steps, 2))
    out[config.drawn_start:] = f
    return out


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


def _drawn(z, drawn_start, T):
    """The steps of ``z`` (n, n_periods * (drawn_start + T), 2) in the drawn periods."""
    if drawn_start == 0:
        return z
    n = z.shape[0]
    return z.reshape(n, -1, drawn_start + T, 2)[:, :, drawn_start:].reshape(n, -1, 2)


@dataclass(frozen=True)
class DrawingResult:
    """Test drawings: outputs, target, error per period.

    A cycle of the inputs is ``drawn_start`` steps of trigger before the drawn period (Laje and
    Buonomano's protocol, ``InnateConfig.trigger_before``) and the T steps of the period; with
    the trigger inside the period ``drawn_start`` is 0 and a cycle is the period. C = drawn_start
    + T below."""

    z: np.ndarray
    """(n_trials, n_periods * C, 2) outputs at every step."""
    target: np.ndarray
    """(T, 2) one period of the target."""
    error: np.ndarray
    """(n_trials, n_periods) :func:`drawing_error` of the drawn periods (:attr:`z_drawn`)."""
    u: np.ndarray
    """(n_periods * C, 2) the inputs of every test trial."""
    r: np.ndarray | None
    """(n_trials, n_periods * C, n_rec) rates of the recorded units, if asked."""
    drawn_start: int = 0
    """Steps of each cycle before its drawn period (the trigger's, if it comes before)."""

    @property
    def cycle(self) -> int:
        """Steps per cycle, C."""
        return self.drawn_start + len(self.target)

    @property
    def z_drawn(self) -> np.ndarray:
        """(n_trials, n_periods * T, 2) the outputs of the drawn periods only: what is judged
        and what the figures draw (``z`` itself when the trigger is inside the period)."""
        return _drawn(self.z, self.drawn_start, len(self.target))

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
    """Step 4: ``n_trials`` runs of ``n_periods`` cycles from random initial states, noise on
    (``config.noise`` unless ``noise`` is given), trigger at each cycle (before each drawn
    period with ``config.trigger_before``), readouts fixed; the error is that of the drawn
    periods.

    ``u`` replaces the inputs (e.g. :func:`~mtjlib.training.innate_config.trigger_input` with a
    perturbation); ``record_units`` (distinct integer indices in [0, n)) keeps those units' rates.
    """
    check_innate_net(net)
    check_config(config)
    check_int("n_trials", n_trials, 1, 10**6)
    check_int("n_periods", n_periods, 1, 10**6)
    units = None if record_units is None else check_indices("record_units", record_units, net.n)
    sd = config.noise if noise is None else noise
    check_real("noise", sd, 0.0, 1e3)
    T = config.steps
    f = _target(path, T)
    u = trigger_input(config, n_periods) if u is None else check_array(
        "u", u, shape=(n_periods * config.cycle_steps, 2))
    rng = rng_from(seed)
    sched = input_schedule(u)
    zs, rs = [], []
    for _ in range(n_trials):
        net.reset(random_state(net, config, rng))
        plast = innate_plasticity(net, drive_noise(net, sd, len(u), rng))
        rec = net.advance(sched, plasticity=plast,
                          record=units is not None)
        zs.append(rec.z)
        if units is not None:
            rs.append(rec.r[:, units])
    z = np.array(zs)
    return DrawingResult(z=z, target=f, error=drawing_error(_drawn(z, config.drawn_start, T), f),
                         u=u, r=np.array(rs) if units is not None else None,
                         drawn_start=config.drawn_start)


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
    :func:`mtjlib.tasks.character.character_path` accepts)."""
    check_config(config)
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
        The character (what :func:`mtjlib.tasks.character.character_path` accepts).
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
        Passed to :func:`~mtjlib.training.innate_config.make_network`.

    Every argument is checked, under its name here, before the network is built.
    """
    config = InnateConfig() if config is None else config
    check_config(config)
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

    ``name`` (an :class:`~mtjlib.training.innate_config.InnateConfig` field) is set to ``value``;
    ``name=None`` ignores it.
    Returns ``error`` and ``error_readout_only`` (mean :func:`drawing_error` over test trials
    and periods) and ``final_recurrent_error``.
    """
    config = InnateConfig() if config is None else config
    check_config(config)
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

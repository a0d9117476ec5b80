"""Innate training (Laje & Buonomano 2013) of an MTJ network that writes a character (Fig. 3).

The procedure, every step of it the network's one step body
(:meth:`~mtjlib.networks.network_object.Network.advance` with a
:class:`~mtjlib.networks.step_types.Plasticity` for the noise and the recurrent RLS):

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
   :func:`mtjlib.training.force.force_train`), P carried from trial to trial, every ``learn_every``
   steps inside the window. Noise is off in this phase unless ``readout_noise`` (L&B keep it on), as
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
short), and the character path is built with that period
(:func:`~mtjlib.training.innate_config.period_steps`).

Where the trigger sits: at the start of each period by default, inside it; with
``InnateConfig.trigger_before`` before each drawn period (Laje and Buonomano's protocol: a
pulse, then the pattern), so that every cycle of the inputs is the pulse and then the period
(``cycle_steps``). Steps 1 and 2 then span the cycle; the readout learns, and the drawing is
judged, on the drawn period only (:mod:`mtjlib.tasks.drawing`).

This module holds steps 1 and 2 (:func:`record_innate`, :func:`train_recurrent`), the rule
behind their trial count (:func:`recurrent_plateau`) and the chaos measure of the network
(:func:`divergence`). The configuration and the builders of the network and its inputs are in
:mod:`mtjlib.training.innate_config`; steps 3 and 4 and the whole run
(:func:`~mtjlib.tasks.drawing.run_innate`) in :mod:`mtjlib.tasks.drawing`.

References
----------
.. [1] R. Laje and D. V. Buonomano, "Robust timing and motor patterns by taming chaos in recurrent
   neural networks", Nat. Neurosci. 16, 925 (2013).
.. [2] Q. Zheng et al., AIP Advances 10, 025116 (2020), Fig. 3.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from mtjlib._validate import (
    HUGE,
    check_array,
    check_indices,
    check_int,
    check_real,
    check_seed,
    rng_from,
)
from mtjlib.networks.network import Network
from mtjlib.networks.rls import row_p
from mtjlib.training.innate_config import (
    InnateConfig,
    check_config,
    check_innate_net,
    drive_noise,
    innate_plasticity,
    input_schedule,
    random_state,
    trigger_input,
)

__all__ = [
    "TrainingLog",
    "divergence",
    "learn_window",
    "plastic_rows",
    "record_innate",
    "recurrent_plateau",
    "train_recurrent",
]


def learn_window(config: InnateConfig) -> np.ndarray:
    """(cycle_steps,) bool: the RLS steps of one cycle, every ``learn_every`` from the trigger's
    end."""
    check_config(config)
    k = np.arange(config.cycle_steps)
    return (k >= config.trigger_steps) & ((k - config.trigger_steps) % config.learn_every == 0)


def record_innate(net: Network, config: InnateConfig, seed=0) -> np.ndarray:
    """Step 1: the innate trajectory, rates (cycle_steps, n) of one cycle (trigger and period)
    from a random initial state, noise off. Returns the recorded rates."""
    check_innate_net(net)
    check_config(config)
    rng = rng_from(seed)
    net.reset(random_state(net, config, rng))
    rec = net.advance(input_schedule(trigger_input(config)), record=True)
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
    """Step 2: train the plastic rows of J toward ``innate`` (cycle_steps, n) over
    ``config.n_recurrent_trials`` trials (random initial states, noise on). J changes in place.

    Returns the (n_recurrent_trials,) error per trial (see :class:`TrainingLog`).
    """
    check_innate_net(net)
    check_config(config)
    T = config.cycle_steps
    innate = check_array("innate", innate, shape=(T, net.n), lo=-HUGE, hi=HUGE)
    rows = plastic_rows(net.n, config.plastic_fraction) if rows is None else \
        check_indices("rows", rows, net.n)
    check_seed("seed", seed)
    rng = rng_from(seed)
    rowp = row_p(net.weights.indptr, rows, config.alpha_recurrent)
    learn = learn_window(config)
    window = np.arange(T) >= config.trigger_steps
    sched = input_schedule(trigger_input(config))
    err = np.empty(config.n_recurrent_trials)
    for k in range(config.n_recurrent_trials):
        net.reset(random_state(net, config, rng))
        plast = innate_plasticity(net, drive_noise(net, config.noise, T, rng), learn, innate, rowp)
        rec = net.advance(sched, plasticity=plast, record=True)
        d = rec.r[window][:, rows] - innate[window][:, rows]
        err[k] = math.sqrt(float(np.mean(d * d))) if d.size else 0.0
    return err


def divergence(net: Network, n_steps: int = 300, eps: float = 1e-6, seed=0,
               u=None, *, config: InnateConfig | None = None) -> np.ndarray:
    """Distance (RMS over units, of the rates) between two runs from states ``eps`` apart.

    Evidence of chaos: it grows exponentially (until it saturates) in a chaotic network and
    shrinks in a stable one. Noise off. Returns (n_steps,).
    """
    check_innate_net(net)
    config = InnateConfig() if config is None else config
    check_config(config)
    check_int("n_steps", n_steps, 1, 10**8)
    check_real("eps", eps, 0.0, 1.0, lo_open=True)
    rng = rng_from(seed)
    u = np.zeros((n_steps, 2)) if u is None else check_array("u", u, shape=(n_steps, 2))
    x = random_state(net, config, rng)
    dx = rng.standard_normal(net.n)
    dx *= eps / math.sqrt(float(np.mean(dx * dx)))
    net.reset(x)
    a = net.advance(input_schedule(u), record=True).r
    net.reset(x + dx)
    b = net.advance(input_schedule(u), record=True).r
    return np.sqrt(np.mean((a - b) ** 2, axis=1))


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

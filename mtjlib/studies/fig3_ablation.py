"""Which choice costs Fig. 3's accuracy: a ladder of innate-training configurations, one change
per rung, and maps of the drawing error over two knobs.

Every rung is an :class:`~mtjlib.training.innate_config.InnateConfig` (public fields only): the
ladder starts from a textbook rate network trained as Laje and Buonomano (L&B) trained theirs
(:func:`lb_config` with clipped-linear units) and changes one thing per rung until it is the
book's Fig. 3 network (:func:`fig3_ladder`). Each rung is run on the same network seeds (a
paired design, :func:`mtjlib.sweep.sweep`): the innate-trained network and the same network
with only its readout trained, the error of the first test period (which starts from a random
state) and of the later ones (which start from the network's own state).

L&B's values in this network's units (:func:`lb_config`)
------------------------------------------------------------
The paper states N = 800, two inputs, two outputs, a 170 ns period and innate training, and
nothing else about the network or its training. Where it is silent, :func:`lb_config` takes
L&B's value, unless a measured property other than the drawing error rules it out, translated
by these rules (stated before any claim seed was run):

- neuron: the paper's MTJ (``activation="mtj"``), biased at the centre of its input range
  (``bias=0.5``: j = 0.9e10 A/m^2, the operating point a circuit designer would pick);
  J's rows balanced to zero mean (:func:`mtjlib.networks.network.sparse_recurrent`), so that the
  mean rate does not shift that operating point;
- gain ``g = 1.5`` (L&B). The measured property that could rule it out: the untrained network
  must be chaotic (innate training tames chaos). It is: two runs from drives 1e-6 apart grow
  apart 4 to 9-fold per period at g = 1.5 (:func:`growth_per_period`; development seeds
  500-504, whichever initial range);
- initial drives uniform in ``(0, 1)``: L&B draw them over (-1, 1), the input range over which
  their tanh unit is not saturated; this unit's is [0, 1] (the paper's current range);
- input weights of L&B's spread: their W_in ~ N(0, 1) has SD 1; uniform weights of SD 1 span
  +-sqrt(3) (``input_scale``);
- trigger: L&B's handwriting trigger, amplitude 2.0 for 50 ms = 5 tau, i.e. 50 ns = 33 steps of
  1.5 ns here (durations in units of tau: 10 ms there, 10 ns here);
- noise: L&B's I0 = 0.001 as the SD of the noise on each drive current per step (as the book);
- 30 recurrent trials (L&B's handwriting task, and the book's plateau rule), P(0) = I, updates
  every 2 steps, 60 % plastic units, p = 0.1 (L&B, and the book);
- readout: FORCE with the noise on (``readout_noise=True``, as L&B) and L&B's amount of
  readout training, about 8 RLS updates per readout weight (``readout_samples_per_weight=8``:
  their 10 trials of about 650 updates for 800 weights);
- test: 10 trials (L&B) of 3 periods from random initial states (the book's protocol); the
  claim's error is the mean over all periods, the first included.

References
----------
.. [1] R. Laje and D. V. Buonomano, Nat. Neurosci. 16, 925 (2013).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from mtjlib._validate import check_instance, check_int, check_seed
from mtjlib.networks.network_params import DT_NS
from mtjlib.sweep import SweepResult, sweep
from mtjlib.tasks.drawing import DrawingResult, InnateRun, run_innate
from mtjlib.training.innate import divergence
from mtjlib.training.innate_config import InnateConfig

__all__ = [
    "LADDER_STEPS",
    "LB_TRIGGER_NS",
    "ErrorMap",
    "LadderResult",
    "Rung",
    "error_map",
    "fig3_controls",
    "fig3_headline_controls",
    "fig3_ladder",
    "growth_per_period",
    "ladder",
    "lb_config",
    "run_ladder",
    "rung_metrics",
    "rung_runs",
    "rung_trial",
    "segment_errors",
]

#: L&B's handwriting trigger: 50 ms at tau = 10 ms, i.e. 5 tau; here tau = 10 ns.
LB_TRIGGER_NS = 50.0


def lb_config(**changes) -> InnateConfig:
    """L&B's values where the paper is silent, in this network's units, with the paper's MTJ
    neuron: the principle of claim F3's configuration (see the module's text for each value's
    source). ``changes`` replace fields (e.g. ``n_mtj=100`` for a small network)."""
    base = InnateConfig()
    cfg = base.replace(activation="mtj", bias=0.5, g=1.5, init_range=(0.0, 1.0),
                       input_scale=math.sqrt(3.0), trigger_amplitude=2.0,
                       trigger_steps=round(LB_TRIGGER_NS / DT_NS),
                       noise=0.001, n_recurrent_trials=30, readout_noise=True,
                       readout_samples_per_weight=8.0)
    return cfg.replace(**changes) if changes else cfg


@dataclass(frozen=True)
class Rung:
    """One configuration of a ladder."""

    name: str
    """Short label (what this rung is)."""
    change: str
    """What differs from the rung before, in words ("" for the first)."""
    config: InnateConfig
    """The configuration."""


#: The steps from the L&B-style rate network to the book's Fig. 3 network, in order:
#: (name, change, fields). Applied cumulatively by :func:`fig3_ladder`.
LADDER_STEPS: tuple[tuple[str, str, dict], ...] = (
    ("MTJ neuron", "the MTJ's tabulated response instead of clip(x, 0, 1)", {"activation": "mtj"}),
    ("g = 2", "gain 1.5 -> 2.0", {"g": 2.0}),
    ("init (-2, 3)", "initial drives uniform in (-2, 3) instead of (0, 1)",
     {"init_range": (-2.0, 3.0)}),
    ("W_in +-1", "input weights uniform in +-1 (SD 0.58) instead of SD 1",
     {"input_scale": 1.0}),
    ("trigger 10 x 5", "trigger 5.0 for 10 steps (15 ns) instead of 2.0 for 33 steps (50 ns)",
     {"trigger_amplitude": 5.0, "trigger_steps": 10}),
    ("readout noise off", "no noise during readout training", {"readout_noise": False}),
    ("4 updates/weight", "readout training halved: 4 RLS updates per weight instead of 8",
     {"readout_samples_per_weight": 4.0}),
)


def ladder(start: InnateConfig, steps: Sequence[tuple[str, str, Mapping]],
           start_name: str = "start") -> tuple[Rung, ...]:
    """Rungs from ``start``, each applying one more step's fields to the rung before.

    ``steps``: (name, change, {field: value}); every field must be an
    :class:`~mtjlib.training.innate_config.InnateConfig` field (validated by the config itself).
    """
    check_instance("start", start, InnateConfig)
    if not isinstance(start_name, str) or not start_name:
        raise TypeError(f"start_name={start_name!r} must be a non-empty str")
    rungs = [Rung(start_name, "", start)]
    for k, step in enumerate(steps):
        if not (isinstance(step, tuple) and len(step) == 3 and isinstance(step[0], str)
                and isinstance(step[1], str) and isinstance(step[2], Mapping)):
            raise TypeError(f"steps[{k}]={step!r:.80} must be (name, change, {{field: value}})")
        name, change, fields = step
        unknown = set(fields) - set(InnateConfig.__dataclass_fields__)
        if unknown:
            raise ValueError(f"steps[{k}] ({name!r}) changes {sorted(unknown)}, which are not "
                             "InnateConfig fields")
        rungs.append(Rung(name, change, rungs[-1].config.replace(**fields)))
    return tuple(rungs)


def fig3_ladder(**common) -> tuple[Rung, ...]:
    """The ladder from an L&B-style network of clipped-linear units (:func:`lb_config` with
    ``activation="linear"``) to the book's Fig. 3 network (``InnateConfig(**common)``), one of
    :data:`LADDER_STEPS` per rung. Rung 1 is :func:`lb_config` itself (the MTJ neuron).

    ``common``: InnateConfig fields set on every rung (e.g. ``n_mtj``, ``n_recurrent_trials``),
    none of the fields the ladder changes.
    """
    laddered = {"activation"} | {f for _, _, fields in LADDER_STEPS for f in fields}
    clash = sorted(set(common) & laddered)
    if clash:
        raise ValueError(f"common fields {clash} are changed by the ladder itself; set only "
                         f"others (e.g. n_mtj)")
    rungs = ladder(lb_config(activation="linear", **common), LADDER_STEPS,
                   start_name="L&B-style, linear")
    book = InnateConfig(**common)
    if rungs[-1].config != book:  # the steps must lead exactly to the book's network
        raise RuntimeError(f"the ladder ends at {rungs[-1].config}, not at the book's {book}")
    return rungs


def fig3_controls(**common) -> tuple[Rung, ...]:
    """Controls off the ladder: the claim's configuration (:func:`lb_config`) and the book's
    network with the readout trained over the whole period, the trigger's steps included
    (``readout_whole_period=True``): what the trigger's untrained steps cost each of them.
    ``common`` as for :func:`fig3_ladder`."""
    change = "readout trained over the whole period, the trigger's steps included"
    return (Rung("L&B (MTJ), readout whole period", change,
                 lb_config(readout_whole_period=True, **common)),
            Rung("book, readout whole period", change,
                 InnateConfig(readout_whole_period=True, **common)))


def fig3_headline_controls(**common) -> tuple[Rung, ...]:
    """Claim F3's configuration (:func:`lb_config`) and the book's network under F3's headline
    reading: the trigger before each drawn period, the drawn period alone judged
    (``trigger_before=True``; :mod:`mtjlib.studies.fig3_readings`). ``common`` as for
    :func:`fig3_ladder`."""
    change = "the trigger before each drawn period, the drawn period judged"
    return (Rung("L&B (MTJ), trigger before", change, lb_config(trigger_before=True, **common)),
            Rung("book, trigger before", change, InnateConfig(trigger_before=True, **common)))


def growth_per_period(net, config: InnateConfig, seed=0, n_steps: int = 600) -> float:
    """Factor by which two runs of ``net`` from drives 1e-6 apart (no input, no noise) grow
    apart per period, over the second half of ``n_steps`` steps (after the transient from the
    random state): > 1 in a chaotic network. :func:`mtjlib.training.innate.divergence`
    underneath."""
    check_int("n_steps", n_steps, 4, 10**7)
    d = divergence(net, n_steps, 1e-6, seed, config=config)
    h = n_steps // 2
    return float(np.exp(np.log(d[-1] / d[h]) / (n_steps - h) * config.steps))


def _period_errors(err: np.ndarray) -> tuple[float, float, float]:
    """(all periods, first period, later periods) means of an (n_trials, n_periods) array."""
    later = float(err[:, 1:].mean()) if err.shape[1] > 1 else math.nan
    return float(err.mean()), float(err[:, 0].mean()), later


def segment_errors(test: DrawingResult, trigger_steps: int) -> tuple[np.ndarray, np.ndarray]:
    """F3's metric split in two segments of each period: the trigger's steps and the rest
    (the training window). Per trial and period, the 2-D RMS distance over the segment's steps
    divided by the target's bounding-box diagonal; two (n_trials, n_periods) arrays. The
    period's error is the RMS of the two weighted by their step counts."""
    check_instance("test", test, DrawingResult)
    if test.drawn_start:
        raise ValueError(f"test has its trigger before each drawn period (drawn_start="
                         f"{test.drawn_start}): no trigger's steps inside the period to split")
    f = test.target
    T = len(f)
    check_int("trigger_steps", trigger_steps, 1, T - 1)
    diag = float(np.hypot(*(f.max(axis=0) - f.min(axis=0))))
    z = test.z.reshape(test.z.shape[0], -1, T, 2)
    d2 = np.sum((z - f) ** 2, axis=-1)  # (n_trials, n_periods, T)
    return (np.sqrt(d2[..., :trigger_steps].mean(axis=-1)) / diag,
            np.sqrt(d2[..., trigger_steps:].mean(axis=-1)) / diag)


def _clipped(res, net, trigger_steps) -> tuple[float, float, float]:
    """Share of (trial, step, unit) at which a unit sits at either end of its response: over
    the whole test, over the trigger's steps, over the rest of each cycle."""
    lo, hi = net.tab_f[:, 0], net.tab_f[:, -1]
    c = (res.r <= lo) | (res.r >= hi)  # (n_trials, n_periods * C, n)
    c = c.reshape(c.shape[0], -1, res.cycle, c.shape[-1])
    return (float(c.mean()), float(c[:, :, :trigger_steps].mean()),
            float(c[:, :, trigger_steps:].mean()))


def rung_runs(config: InnateConfig, seed=0, *, data, n_test: int = 10,
              n_test_periods: int = 3) -> tuple[InnateRun, InnateRun]:
    """One configuration on one network seed: :func:`~mtjlib.tasks.drawing.run_innate` with
    recurrent training and with only the readout trained (the same network, states and test draws),
    every unit's test rates recorded. Returns (innate-trained, readout-only)."""
    check_instance("config", config, InnateConfig)
    check_seed("seed", seed)
    if data is None:
        raise ValueError("data (the character) is required")
    units = np.arange(config.n_mtj)
    return tuple(run_innate(data, config, seed, readout_only=ro, n_test=n_test,
                            n_test_periods=n_test_periods, record_units=units)
                 for ro in (False, True))


def rung_metrics(trained: InnateRun, readout_only: InnateRun, config: InnateConfig,
                 seed=0) -> dict:
    """The numbers of a rung from its two runs (:func:`rung_runs`): ``error``,
    ``error_first``, ``error_later`` (F3's metric over all test periods, the first, the later
    ones; NaN without later periods), ``error_trigger`` and ``error_window`` (the trigger's
    steps and the rest, :func:`segment_errors`, mean over trials and periods; with
    ``config.trigger_before`` the trigger is outside the drawn period: ``error_trigger`` is NaN
    and ``error_window`` the error of the drawn period, ``error``), the same with
    the suffix ``_readout_only``, ``clipped``, ``clipped_trigger`` and ``clipped_window``
    and the same with ``_readout_only`` (share of unit-steps of the test at an end of the
    response, over the whole test, the trigger's steps and the rest, trained and untrained J;
    needs every unit's rates), ``growth`` (:func:`growth_per_period`
    of the untrained network, from a child stream of ``seed``) and ``recurrent_error`` (the
    last recurrent training trial's)."""
    check_instance("trained", trained, InnateRun)
    check_instance("readout_only", readout_only, InnateRun)
    check_instance("config", config, InnateConfig)
    out = {}
    for suffix, run in (("", trained), ("_readout_only", readout_only)):
        if run.test.r is None or run.test.r.shape[-1] != run.net.n:
            raise ValueError("the runs must record every unit's test rates (see rung_runs)")
        e, first, later = _period_errors(run.test.error)
        if config.trigger_before:
            trig, win = np.full_like(run.test.error, math.nan), run.test.error
        else:
            trig, win = segment_errors(run.test, config.trigger_steps)
        c_all, c_trig, c_win = _clipped(run.test, run.net, config.trigger_steps)
        out.update({f"error{suffix}": e, f"error_first{suffix}": first,
                    f"error_later{suffix}": later, f"error_trigger{suffix}": float(trig.mean()),
                    f"error_window{suffix}": float(win.mean()), f"clipped{suffix}": c_all,
                    f"clipped_trigger{suffix}": c_trig, f"clipped_window{suffix}": c_win})
    key = seed if isinstance(seed, np.random.Generator) else np.random.default_rng([seed, 1])
    out["growth"] = growth_per_period(readout_only.net, config, key)  # J as before training
    rec = trained.log.recurrent_error
    out["recurrent_error"] = float(rec[-1]) if len(rec) else math.nan
    return out


def rung_trial(config: InnateConfig, seed=0, *, data, n_test: int = 10,
               n_test_periods: int = 3) -> dict:
    """One rung on one network seed, for :func:`mtjlib.sweep.sweep` (``config`` is the swept
    value): :func:`rung_metrics` of :func:`rung_runs`. A Generator ``seed`` gives one int seed
    drawn from it (both runs need the same seed)."""
    check_seed("seed", seed)
    if isinstance(seed, np.random.Generator):
        seed = int(seed.integers(0, 2**63 - 1))
    a, b = rung_runs(config, seed, data=data, n_test=n_test, n_test_periods=n_test_periods)
    return rung_metrics(a, b, config, seed)


@dataclass(frozen=True)
class LadderResult:
    """A ladder run over seeds: the rungs and each rung's metrics over seeds."""

    rungs: tuple[Rung, ...]
    sweep: SweepResult
    """Metrics of :func:`rung_trial`, (rungs, seeds) arrays."""

    @property
    def names(self) -> list[str]:
        return [r.name for r in self.rungs]

    def mean(self, metric: str) -> np.ndarray:
        """Mean over seeds, (rungs,)."""
        return self.sweep.mean(metric)

    def std(self, metric: str) -> np.ndarray:
        """Sample SD over seeds, (rungs,) (NaN with one seed)."""
        return self.sweep.std(metric)

    def change(self, metric: str) -> tuple[np.ndarray, np.ndarray]:
        """Each rung's paired change from the rung before (same seeds): mean and SD over
        seeds of the difference, each (rungs - 1,)."""
        if metric not in self.sweep.metrics:
            raise ValueError(f"metric={metric!r} is not one of {self.sweep.metric_names}")
        d = np.diff(self.sweep.metrics[metric].astype(np.float64), axis=0)
        sd = d.std(axis=1, ddof=1) if d.shape[1] > 1 else np.full(d.shape[0], np.nan)
        return d.mean(axis=1), sd


def run_ladder(rungs: Sequence[Rung], seeds, *, data, n_test: int = 10,
               n_test_periods: int = 3, **sweep_kw) -> LadderResult:
    """:func:`rung_trial` for every rung x seed through :func:`mtjlib.sweep.sweep` (same bits
    whatever the executor); ``sweep_kw`` go to the sweep (``executor``, ``client``, ...)."""
    rungs = tuple(rungs)
    if not rungs or not all(isinstance(r, Rung) for r in rungs):
        raise TypeError("rungs must be a non-empty sequence of Rung (see ladder, fig3_ladder)")
    check_int("n_test", n_test, 1, 10**6)
    check_int("n_test_periods", n_test_periods, 1, 10**6)
    from functools import partial

    task = partial(rung_trial, data=data, n_test=n_test, n_test_periods=n_test_periods)
    res = sweep(task, [r.config for r in rungs], seeds, name="rung", **sweep_kw)
    return LadderResult(rungs=rungs, sweep=res)


@dataclass(frozen=True)
class ErrorMap:
    """Metrics of :func:`rung_trial` over a grid of two InnateConfig fields x seeds."""

    x_name: str
    x_values: tuple
    y_name: str
    y_values: tuple
    sweep: SweepResult
    """Values in row-major order: y outer, x inner."""

    def grid(self, metric: str) -> np.ndarray:
        """Mean over seeds, (len(y_values), len(x_values))."""
        return self.sweep.mean(metric).reshape(len(self.y_values), len(self.x_values))

    def grid_std(self, metric: str) -> np.ndarray:
        """Sample SD over seeds, (len(y_values), len(x_values))."""
        return self.sweep.std(metric).reshape(len(self.y_values), len(self.x_values))


def error_map(config: InnateConfig, x_name: str, x_values, y_name: str, y_values, seeds, *,
              data, n_test: int = 10, n_test_periods: int = 3, **sweep_kw) -> ErrorMap:
    """:func:`rung_trial` of ``config`` with two fields set to every pair of values, on the
    same ``seeds`` (paired), through :func:`mtjlib.sweep.sweep`."""
    check_instance("config", config, InnateConfig)
    fields = InnateConfig.__dataclass_fields__
    for nm, v in (("x_name", x_name), ("y_name", y_name)):
        if not isinstance(v, str) or v not in fields:
            raise ValueError(f"{nm}={v!r} is not an InnateConfig field")
    if x_name == y_name:
        raise ValueError(f"x_name and y_name are both {x_name!r}: give two different fields")
    xs, ys = tuple(x_values), tuple(y_values)
    if not xs or not ys:
        raise ValueError("x_values and y_values must each have at least one value")
    configs = [config.replace(**{x_name: x, y_name: y}) for y in ys for x in xs]
    check_int("n_test", n_test, 1, 10**6)
    check_int("n_test_periods", n_test_periods, 1, 10**6)
    from functools import partial

    task = partial(rung_trial, data=data, n_test=n_test, n_test_periods=n_test_periods)
    res = sweep(task, configs, seeds, name="config", **sweep_kw)
    return ErrorMap(x_name=x_name, x_values=xs, y_name=y_name, y_values=ys, sweep=res)

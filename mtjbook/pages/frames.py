"""The data of the interactive figures that the book computes by calling :mod:`mtjlib`: Fig. 1's
current-density sweep, Fig. 2's runs at other target periods, Fig. 3's drawings at several
noise levels and the gallery's characters. The figures that show them are
:mod:`mtjbook.pages.interactive`'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

# ----------------------------------------------------------------------------------------------
# Fig. 1: R(t) and Delta R at each current density

@dataclass(frozen=True)
class NeuronSweep:
    """R(t) of one junction over 1.5 ns at each current density of a grid (Fig. 1's rule)."""

    j: np.ndarray
    """(k,) current densities, A/m^2."""
    t_ns: np.ndarray
    """(n,) times, ns."""
    resistance: np.ndarray
    """(k, n) R(t), Ohm."""
    delta_r: np.ndarray
    """(k,) Delta R, Ohm (:func:`mtjlib.physics.neuron.delta_r`, the paper's rule)."""
    last_max: np.ndarray
    """(k, 2) time (ns) and R (Ohm) of the last maximum in the window (NaN if none)."""
    last_min: np.ndarray
    """(k, 2) time (ns) and R (Ohm) of the last minimum in the window (NaN if none)."""


def neuron_sweep(device, j, *, dt: float, max_points: int = 600) -> NeuronSweep:
    """R(t) over the Delta R window at each current density ``j`` (A/m^2), its last extrema
    and Delta R, by :func:`mtjlib.physics.llg.simulate_trace`,
    :func:`mtjlib.physics.delta_r_rules.parabola_extrema` and :func:`mtjlib.physics.neuron.delta_r`
    (time step ``dt``, s). The traces keep at most about ``max_points`` evenly spaced samples; the
    extrema are those of the full trace."""
    from mtjlib.physics.delta_r_rules import T_WINDOW, delta_r, parabola_extrema
    from mtjlib.physics.llg import simulate_trace

    j = np.asarray(j, dtype=float)
    if j.ndim != 1 or j.size < 2:
        raise ValueError(f"j must be a 1-D grid of at least 2 current densities, got shape "
                         f"{j.shape}")
    if isinstance(max_points, bool) or not isinstance(max_points, int) or max_points < 2:
        raise ValueError(f"max_points={max_points!r} must be an int >= 2")
    rs, mx, mn = [], [], []
    for jj in j:
        tr = simulate_trace(device, float(jj), t_end=T_WINDOW, dt=dt)
        every = -(-len(tr.t) // max_points)
        ex = parabola_extrema(tr.t * 1e9, tr.resistance)
        mx.append((ex.t_max[-1], ex.y_max[-1]) if len(ex.t_max) else (np.nan, np.nan))
        mn.append((ex.t_min[-1], ex.y_min[-1]) if len(ex.t_min) else (np.nan, np.nan))
        rs.append(tr.resistance[::every])
    return NeuronSweep(j=j, t_ns=tr.t[::every] * 1e9, resistance=np.array(rs),
                       delta_r=np.asarray(delta_r(device, j, dt=dt), dtype=float),
                       last_max=np.array(mx), last_min=np.array(mn))


# ----------------------------------------------------------------------------------------------
# Fig. 2: the output for other target periods

@dataclass(frozen=True)
class PeriodRun:
    """One network trained on a sine of one period, then run free."""

    period_ns: float
    """Target period, ns."""
    t_ns: np.ndarray
    """(n,) times, ns."""
    z: np.ndarray
    """(n,) output."""
    target: np.ndarray
    """(n,) target."""
    learn_ns: float
    """Learning stops here, ns."""
    nrmse: float
    """Free-running NRMSE (:func:`mtjlib.tasks.metrics.free_run_report`)."""
    free_period_ns: float
    """Period of the free-running output, ns."""


def period_sweep(params, seed, periods_ns, *, amplitude: float, learn_ns: float,
                  free_ns: float, training: Mapping) -> list[PeriodRun]:
    """The network ``params`` of seed ``seed`` trained
    (:func:`mtjlib.tasks.generation.run_timeline`, RLS settings ``training``) on ``amplitude * sin(2
    pi t / period)`` for ``learn_ns`` and run free for ``free_ns``, once per period of
    ``periods_ns``."""
    from mtjlib.tasks.generation import Segment, run_timeline, sine, timeline
    from mtjlib.tasks.metrics import free_run_report

    out = []
    for period in periods_ns:
        target = sine(amplitude, float(period))
        tl = timeline([Segment(0.0, target, True), Segment(learn_ns, target, False)],
                      learn_ns + free_ns)
        r = run_timeline(params, seed, tl, **training)
        (w,) = free_run_report(r.t_ns, r.z, r.target, r.learn, tl.t_end_ns)
        out.append(PeriodRun(period_ns=float(period), t_ns=r.t_ns, z=r.z[:, 0],
                              target=r.target[:, 0], learn_ns=float(learn_ns),
                              nrmse=float(w.nrmse), free_period_ns=float(w.period_ns)))
    return out


# ----------------------------------------------------------------------------------------------
# Fig. 3: drawings at several noise levels, and the gallery's characters

@dataclass(frozen=True)
class Drawing:
    """One panel of a drawing frame: the character's outlines and the network's dots."""

    outline: tuple
    """Polygons (each (m, 2)) of the character's strokes, in target units."""
    xy: np.ndarray
    """(k, 2) output dots."""
    phase_ns: np.ndarray
    """(k,) time within the period of each dot, ns (its colour)."""
    title: str
    """The panel's title in this frame."""


def drawing_from(outline, z, period_steps: int, title: str, dt_ns: float = 1.5) -> Drawing:
    """A :class:`Drawing` from test outputs ``z`` (trials, n_periods * T, 2), T =
    ``period_steps`` network steps of ``dt_ns``."""
    z = np.asarray(z, dtype=float)
    if z.ndim != 3 or z.shape[2] != 2 or z.shape[1] % period_steps:
        raise ValueError(f"z has shape {z.shape}: expected (trials, n_periods * {period_steps}, 2)")
    phase = np.tile(np.arange(z.shape[1]) % period_steps * dt_ns, z.shape[0])
    return Drawing(outline=tuple(np.asarray(p, float) for p in outline),
                   xy=z.reshape(-1, 2), phase_ns=phase, title=title)


def noise_drawings(runs: Mapping, levels, config, seed, *, n_trials: int, n_periods: int,
                   outline) -> list[list[Drawing]]:
    """For each noise level (SD per step on every drive current), each trained network of
    ``runs`` (title -> :class:`mtjlib.tasks.drawing.InnateRun`) draws from the same random initial
    states (:func:`mtjlib.tasks.drawing.evaluate_drawing`, ``seed``); frames of
    :func:`drawing_figure`."""
    from mtjlib.tasks.drawing import evaluate_drawing

    frames = []
    for sd in levels:
        panels = []
        for name, run in runs.items():
            d = evaluate_drawing(run.net, run.path, config, np.random.default_rng(seed),
                                 n_trials=n_trials, n_periods=n_periods, noise=float(sd))
            panels.append(drawing_from(outline, d.z_drawn, config.steps,
                                       f"{name}: F3 error {100 * d.mean_error:.1f} %"))
        frames.append(panels)
    return frames


def gallery_drawings(runs: Mapping, amplitude: float) -> list[list[Drawing]]:
    """One frame of :func:`drawing_figure` per character of ``runs`` (character -> (its data,
    its :class:`mtjlib.tasks.drawing.InnateRun`)): outlines at ``amplitude``
    (:func:`mtjlib.tasks.character.outline_paths`) and the run's test drawings."""
    from mtjlib.tasks.character import outline_paths

    return [[drawing_from(outline_paths(data, amplitude=amplitude), run.test.z_drawn,
                          len(run.path.t_ns),
                          f"{ch}: {run.path.n_strokes} strokes, F3 error "
                          f"{100 * run.test.mean_error:.1f} %")]
            for ch, (data, run) in runs.items()]

"""Supplementary study S2, thermal noise in the network: the sweep tasks of Fig. 2 and Fig. 4
at a temperature (:func:`fig2_noise_trial`, :func:`recognition_noise_trial`, one
:class:`NoisePoint` of the study with :func:`noise_point_trial`), the fit of the error's
exponent against the number of MTJs, the comparison of two error samples, the noise the network
sees (:func:`rate_residuals`) and the free run with the thermal LLG neuron swapped in
(:func:`free_run_swap`). The junction's own thermal physics is in :mod:`mtjlib.physics.thermal`.

The tasks are module-level functions of (value, seed) for :func:`mtjlib.sweep.sweep`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from scipy.stats import ks_2samp, mannwhitneyu

from mtjlib._validate import (
    check_array,
    check_bool,
    check_choice,
    check_instance,
    check_int,
    check_real,
)
from mtjlib.networks.network import NetworkParams, build_network
from mtjlib.physics.thermal import T_MAX, THERMAL_MODES
from mtjlib.tasks.generation import fig2_timeline, fig2_training, fig2_trial, timeline
from mtjlib.tasks.metrics import free_run_report, nrmse
from mtjlib.tasks.recognition import recognition_trial
from mtjlib.training.force import force_train

__all__ = ["POINT_METRICS", "TASKS", "FreeRunSwap", "NoisePoint", "compare_error_distributions",
           "fig2_noise_trial", "fit_error_exponent", "free_run_swap", "noise_point_trial",
           "rate_residuals", "recognition_noise_trial"]

#: The network study's tasks: the paper's Fig. 2 (FORCE, sine) and Fig. 4 (recognition).
TASKS = ("fig2", "recognition")


def fig2_noise_trial(value=None, seed=0, *, name: str = "n", temperature: float = 0.0,
                     neuron_mode: str = "stochastic", **kw) -> dict:
    """One seed of Fig. 2 (:func:`mtjlib.tasks.generation.fig2_trial`) at ``temperature`` (K) with
    ``neuron_mode`` ("lookup" at T = 0, "stochastic" or "llg"), ``name`` (default the number
    of MTJs ``n``) set to ``value``; other keywords go to ``fig2_trial``."""
    check_real("temperature", temperature, 0.0, T_MAX, unit="K")
    check_choice("neuron_mode", neuron_mode, THERMAL_MODES)
    mode = "lookup" if temperature == 0 else neuron_mode
    base = kw.pop("params", None)
    base = NetworkParams() if base is None else base
    check_instance("params", base, NetworkParams)
    params = base.replace(neuron_mode=mode, temperature=float(temperature))
    return fig2_trial(value, seed, name=name, params=params, **kw)


def recognition_noise_trial(value=None, seed=0, *, name: str = "n_mtj",
                            temperature: float = 0.0, neuron_mode: str = "stochastic",
                            **kw) -> dict:
    """One :func:`mtjlib.tasks.recognition.recognition_trial` (Fig. 4) at ``temperature`` (K) with
    ``neuron_mode``, ``name`` (default ``n_mtj``) set to ``value``."""
    check_real("temperature", temperature, 0.0, T_MAX, unit="K")
    check_choice("neuron_mode", neuron_mode, THERMAL_MODES)
    mode = "lookup" if temperature == 0 else neuron_mode
    return recognition_trial(value, seed, name=name, neuron_mode=mode,
                             temperature=float(temperature), **kw)


@dataclass(frozen=True)
class NoisePoint:
    """One point of the network study: a task, a number of MTJs, a temperature and a neuron."""
    task: str
    """``"fig2"`` or ``"recognition"``."""
    n: int
    """Number of MTJs."""
    temperature: float
    """K (0: the noise-free lookup neuron)."""
    neuron_mode: str = "stochastic"
    """``"stochastic"`` (calibrated lookup plus Gaussian noise) or ``"llg"`` (thermal LLG in
    the loop); ignored at T = 0."""
    first_run_only: bool = False
    """Fig. 2 only: stop the timeline at the target switch (learn the first sine, run free),
    so only ``nrmse_1`` (and its period) is measured: the same numbers as the full timeline's
    first free run (same seed, same noise), at about 57 % of the cost."""
    def __post_init__(self):
        check_choice("task", self.task, TASKS)
        check_int("n", self.n, 1, 100_000)
        check_real("temperature", self.temperature, 0.0, T_MAX, unit="K")
        check_choice("neuron_mode", self.neuron_mode, THERMAL_MODES)
        check_bool("first_run_only", self.first_run_only)
        if self.first_run_only and self.task != "fig2":
            raise ValueError("first_run_only applies to the fig2 task only")


# The free-run numbers of a Fig. 2 point (mtjlib.tasks.generation.free_run_numbers).
_FIG2_POINT_METRICS = tuple(f"{m}_{k}" for k in (1, 2)
                            for m in ("nrmse", "period_ns", "target_period_ns",
                                      "amplitude_ratio", "nrmse_aligned"))
#: Metrics of :func:`noise_point_trial`, the same for both tasks (NaN for the other task's).
POINT_METRICS = (*_FIG2_POINT_METRICS, "nrmse_worse", "log10_nrmse", "accuracy", "margin")


def noise_point_trial(point: NoisePoint, seed=0, **kw) -> dict:
    """One seed of the network study at ``point`` (a :class:`NoisePoint`), for
    :func:`mtjlib.sweep.sweep` over a list of points (tasks, sizes and temperatures mixed in one
    pool). Returns :data:`POINT_METRICS`: Fig. 2's free-run metrics, ``nrmse_worse`` (the worse
    of its two free runs; a non-finite NRMSE, an output that blew up, counts as +inf) and
    ``log10_nrmse``; or recognition's ``accuracy`` and ``margin``; NaN for the other task's.
    ``kw`` go to :func:`fig2_noise_trial` or :func:`recognition_noise_trial`."""
    check_instance("point", point, NoisePoint)
    out = dict.fromkeys(POINT_METRICS, math.nan)
    if point.task == "fig2":
        if point.first_run_only:
            full = fig2_timeline()
            first = full.segments[:2]
            kw = {"timeline": timeline(first, full.segments[2].t_start_ns)} | kw
        m = fig2_noise_trial(point.n, seed, temperature=point.temperature,
                             neuron_mode=point.neuron_mode, **kw)
        for k in _FIG2_POINT_METRICS:
            out[k] = float(m.get(k, math.nan))
        w = max(out["nrmse_1"], out["nrmse_2"]) if not point.first_run_only else out["nrmse_1"]
        w = w if math.isfinite(w) else math.inf
        out["nrmse_worse"] = w
        out["log10_nrmse"] = math.log10(w) if w > 0 else -math.inf
    else:
        m = recognition_noise_trial(point.n, seed, temperature=point.temperature,
                                    neuron_mode=point.neuron_mode, **kw)
        out["accuracy"] = float(m["accuracy"])
        out["margin"] = float(m["margin"])
    return out


def fit_error_exponent(n, err) -> tuple[float, float, float]:
    """Least-squares fit of log10 err = c + b log10 n over every (n, seed) sample.

    Parameters
    ----------
    n : array_like, shape (V,)
        Numbers of MTJs (> 0), at least two distinct.
    err : array_like, shape (V, S)
        Errors (> 0, finite) of S seeds at each n.

    Returns
    -------
    (b, stderr of b, 10**c)
        The exponent (err ~ n^b), its standard error from the residuals, and the prefactor.
    """
    n = check_array("n", n, shape=(None,))
    e = check_array("err", err, shape=(len(n), None), min_size=1, what="(V, S): one row per n")
    if len(np.unique(n)) < 2 or np.any(n <= 0):
        raise ValueError(f"n={n.tolist()!r} must hold at least two distinct positive sizes")
    if np.any(e <= 0):
        raise ValueError("err must be finite and > 0 (fit the errors of runs that did not blow up)")
    x = np.repeat(np.log10(n), e.shape[1])
    y = np.log10(e).ravel()
    a = np.stack([np.ones_like(x), x], axis=1)
    coef, *_ = np.linalg.lstsq(a, y, rcond=None)
    resid = y - a @ coef
    dof = max(1, len(y) - 2)
    cov = np.linalg.inv(a.T @ a) * float(resid @ resid) / dof
    return float(coef[1]), float(math.sqrt(cov[1, 1])), float(10 ** coef[0])


def compare_error_distributions(a, b, *, n_boot: int = 4000, level: float = 0.95,
                                seed: int = 0) -> dict:
    """Two samples of positive errors (e.g. free-running NRMSE over seeds with two neurons):
    the two-sided Mann-Whitney U and Kolmogorov-Smirnov p-values, and the ratio of geometric
    means b / a with its percentile bootstrap interval (``level``, ``n_boot`` resamples of each
    sample independently)."""
    a = check_array("a", a).ravel()
    b = check_array("b", b).ravel()
    for name, x in (("a", a), ("b", b)):
        if len(x) < 2 or np.any(x <= 0):
            raise ValueError(f"{name} must hold at least 2 finite errors > 0, got {len(x)}")
    check_int("seed", seed, 0, 2**63 - 1)
    check_int("n_boot", n_boot, 100, 10**7)
    check_real("level", level, 0.0, 1.0, lo_open=True, hi_open=True)
    rng = np.random.default_rng(seed)
    la, lb = np.log(a), np.log(b)
    boot = (lb[rng.integers(0, len(lb), (n_boot, len(lb)))].mean(axis=1)
            - la[rng.integers(0, len(la), (n_boot, len(la)))].mean(axis=1))
    lo, hi = np.quantile(boot, [0.5 - level / 2, 0.5 + level / 2])
    return {"mannwhitney_p": float(mannwhitneyu(a, b, alternative="two-sided").pvalue),
            "ks_p": float(ks_2samp(a, b).pvalue),
            "gm_ratio": float(math.exp(lb.mean() - la.mean())),
            "gm_ratio_ci": (float(math.exp(lo)), float(math.exp(hi))),
            "n_a": len(a), "n_b": len(b)}


def rate_residuals(n: int, seed, temperature: float, neuron_mode: str, n_steps: int,
                   params=None) -> np.ndarray:
    """Residuals r - F(clip(x)) of every rate of an untrained network of ``n`` MTJs run for
    ``n_steps`` steps at ``temperature`` (> 0) with ``neuron_mode`` ("stochastic" or "llg": the
    lookup neuron has no noise) (F the deterministic table of each
    junction), flattened: the single-evaluation noise as the network sees it."""
    check_int("n_steps", n_steps, 1, 10**7)
    check_real("temperature", temperature, 0.0, T_MAX, lo_open=True, unit="K")
    check_choice("neuron_mode", neuron_mode, THERMAL_MODES)
    base = NetworkParams() if params is None else params
    check_instance("params", base, NetworkParams)
    net = build_network(base.replace(n=n, neuron_mode=neuron_mode,
                                     temperature=float(temperature)), seed)
    run = net.run(n_steps)
    x = np.clip(run.x, *net.params.x_limits)
    det = np.array([np.interp(x[:, i], net.tab_x[i], net.tab_f[i]) for i in range(n)]).T
    return (run.r - det).ravel()


@dataclass(frozen=True)
class FreeRunSwap:
    """A Fig. 2 network trained with the stochastic lookup neuron, then run free from the same
    state with the stochastic lookup and with the thermal LLG neuron in the loop."""
    t_ns: np.ndarray
    """Times of the compared free run, ns, (K,)."""
    target: np.ndarray
    """The target over it, (K,)."""
    z_stochastic: np.ndarray
    """Output with the stochastic lookup neuron, (K,)."""
    z_llg: np.ndarray
    """Output with the thermal LLG neuron, (K,)."""
    nrmse_stochastic: float
    nrmse_llg: float
    r_range_llg: tuple
    """(min, max) of the LLG rates over the run."""
    seconds_llg: float
    """Wall time of the LLG free run, s."""
    train_nrmse: tuple
    """Free-running NRMSE of the training timeline's first free run (stochastic), and the
    number of training steps."""


def free_run_swap(n: int, seed, temperature: float, check_ns: float, *,
                  params=None) -> FreeRunSwap:
    """Train ``n`` MTJs on the paper's Fig. 2 timeline up to the end of its second learning
    window with the stochastic lookup neuron at ``temperature`` (K), then run the last free
    run for ``check_ns`` ns twice from the same state and readout: with the stochastic lookup
    and with every junction's thermal LLG equation integrated at every evaluation (fresh
    thermal noise, same network weights: the LLG network is built from the same seed)."""
    check_int("n", n, 1, 100_000)
    check_real("temperature", temperature, 0.0, T_MAX, lo_open=True, unit="K")
    base = NetworkParams() if params is None else params
    check_instance("params", base, NetworkParams)
    sto = base.replace(n=n, neuron_mode="stochastic", temperature=float(temperature))
    tl = fig2_timeline(dt_ns=sto.dt_ns)
    learn_idx = np.flatnonzero(tl.learn)
    k0 = int(learn_idx[-1]) + 1  # first step of the last free run
    check_real("check_ns", check_ns, 0.5 * sto.dt_ns, (len(tl.t_ns) - k0) * sto.dt_ns,
               unit="ns (one step to the whole last free run)")
    n_check = round(check_ns / sto.dt_ns)
    net = build_network(sto, seed)
    res = force_train(net, tl.target[:k0], tl.t_ns[:k0], tl.learn[:k0], **fig2_training(n))
    first = free_run_report(res.t_ns, res.z, res.target, res.learn)[0]
    llg_net = build_network(sto.replace(neuron_mode="llg"), seed)
    llg_net.x[:] = net.x
    llg_net.w_out[:] = net.w_out
    llg_net.counter = net.counter
    llg_net.t_ns = net.t_ns
    run_s = net.run(n_check)
    t0 = time.perf_counter()
    run_l = llg_net.run(n_check)
    sec = time.perf_counter() - t0
    f = tl.target[k0:k0 + n_check]
    return FreeRunSwap(t_ns=tl.t_ns[k0:k0 + n_check], target=f, z_stochastic=run_s.z[:, 0],
                       z_llg=run_l.z[:, 0], nrmse_stochastic=nrmse(run_s.z[:, 0], f),
                       nrmse_llg=nrmse(run_l.z[:, 0], f),
                       r_range_llg=(float(run_l.r.min()), float(run_l.r.max())),
                       seconds_llg=sec, train_nrmse=(first.nrmse, k0))
